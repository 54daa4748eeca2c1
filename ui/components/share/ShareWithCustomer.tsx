"use client";
// "Share with customer" (SPEC §17): makes a 24-hour read-only link to this design or quote and
// shows it as a QR code for the customer's phone, with the link and its expiry. The link's
// address comes from the server (one a phone can reach); when the server listens only on this
// computer there is no QR code, and the screen says how to put it on the network.
import { Box, Button, Flex, Stack, Text } from "@chakra-ui/react";
import { useMutation } from "@tanstack/react-query";
import { LinkQr, NotOnTheNetwork } from "@/components/common/LinkQr";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { api } from "@/lib/api/client";
import type { ShareWire } from "@/lib/api/types";
import { formatDateTime } from "@/lib/format";

export interface ShareWithCustomerProps {
  scope: "design" | "quote";
  /** The saved design's or quote's id; the button is disabled without one. */
  id: string | null;
  /** Why the button is disabled, read by screen readers and shown as its title. */
  disabledReason?: string;
}

/** How long sharing waits for the 3D view to mount. */
const SCENE_MOUNT_PATIENCE_MS = 5_000;
/** How long sharing waits for the 3D view's models before it stores the view as it is. */
const SCENE_PATIENCE_MS = 10_000;

/**
 * Stores the GLB of the 3D view on this screen with the share, for Android's Scene Viewer,
 * which fetches a URL itself and cannot read the phone page's own `blob:` GLB. Without a
 * mounted, loaded scene nothing is stored (the phone then offers AR where a blob works).
 */
async function storeSceneModel(token: string): Promise<boolean> {
  const { exportWhenReady, registeredScene } = await import("@/components/scene/exportGlb");
  // The 3D view mounts lazily: a share made as the page opens waits for it a moment, while a
  // page without one (or a browser without WebGL) is not kept waiting long.
  const started = Date.now();
  while (!registeredScene() && Date.now() - started < SCENE_MOUNT_PATIENCE_MS) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!registeredScene()) return false;
  // A design opened a moment ago may still be loading its models.
  const glb = await exportWhenReady(() => true, SCENE_PATIENCE_MS);
  if (!glb) return false;
  await api().putShareModel(token, new Uint8Array(await glb.arrayBuffer()));
  return true;
}

/** Whether the scene's GLB went with the share. */
type SceneModel = "stored" | "none" | "failed";

export function ShareWithCustomer({ scope, id, disabledReason }: ShareWithCustomerProps) {
  const share = useMutation({
    mutationFn: async (target: string) => {
      const made = scope === "design" ? await api().shareDesign(target) : await api().shareQuote(target);
      // The link works without the model; a failed upload only costs Android its AR.
      const model: SceneModel = await storeSceneModel(made.token).then(
        (stored) => (stored ? "stored" : "none"),
        () => "failed",
      );
      return { ...made, model };
    },
  });
  const current = share.data && share.data.id === id ? share.data : null;
  return (
    <Box data-testid={`share-${scope}`}>
      <Button
        size="sm"
        variant="outline"
        disabled={!id}
        title={!id ? disabledReason : undefined}
        loading={share.isPending}
        onClick={() => id && share.mutate(id)}
      >
        Share with customer
      </Button>
      {share.error ? <ProblemAlert error={share.error} title="The link could not be made" /> : null}
      {current ? <ShareLink share={current} /> : null}
    </Box>
  );
}

function ShareLink({ share }: { share: ShareWire & { model: SceneModel } }) {
  const url = share.url ?? null;
  if (!url || !share.reachable_from_network)
    return (
      <Box mt="3">
        <NotOnTheNetwork
          host={url ? new URL(url).host : null}
          device="phone"
          again="share again"
          testId="share-not-on-network"
        />
      </Box>
    );
  return (
    <Flex gap="4" wrap="wrap" align="start" mt="3" data-testid="share-link">
      <LinkQr url={url} size={200} />
      <Stack gap="1" fontSize="sm" maxW="sm">
        <Text fontWeight="semibold">Scan with the customer&apos;s phone camera</Text>
        <Text>The phone must be on the showroom&apos;s network. The link shows this {share.scope} read-only, in 3D and in their room.</Text>
        <Text>Works until {formatDateTime(share.expires_at)}.</Text>
        {share.model === "failed" ? (
          <Text color="orange.700">The 3D model for Android phones could not be stored; AR works on iPhones.</Text>
        ) : null}
        <Text wordBreak="break-all">
          Link: <code>{url}</code>
        </Text>
      </Stack>
    </Flex>
  );
}
