"use client";
// "View in your room" (SPEC §17): the 3D view's own scene, exported as a GLB by three's
// GLTFExporter, handed to Google's `<model-viewer>` as a blob URL with
// `ar ar-modes="scene-viewer quick-look"`: Quick Look on iPhones gets the USDZ model-viewer
// makes from that same GLB. On Android, Scene Viewer is another app that fetches the model's
// URL and cannot read a `blob:` URL, so there model-viewer gets the GLB the sales screen made
// of the same scene and stored with the share, when there is one. model-viewer is bundled from npm and loaded only here, when the
// share page has drawn its scene; its decoders point at the app's own files, so nothing is
// fetched from outside the showroom's network.
//
// Without AR on the device (a desktop browser, a phone without AR services) the button shows
// the exported model inline instead, to turn with a finger.
import { Alert, Box, Button, Stack, Text } from "@chakra-ui/react";
import { useEffect, useRef, useState } from "react";

type ModelViewerElement = HTMLElement & {
  canActivateAR: boolean;
  activateAR(): Promise<void>;
  dismissPoster(): void;
};

type ModelViewerClass = {
  dracoDecoderLocation: string;
  ktx2TranscoderLocation: string;
  lottieLoaderLocation: string;
};

/** How long to wait for the scene's models before exporting anyway (their boxes then). */
const EXPORT_PATIENCE_MS = 20_000;

async function loadModelViewer(): Promise<void> {
  const module = (await import("@google/model-viewer")) as unknown as { ModelViewerElement: ModelViewerClass };
  const element = module.ModelViewerElement;
  // The decoders' defaults are on gstatic.com. The exported GLB needs none of them (they load
  // only for a model that uses them), but no request may leave the showroom's network, so
  // they point at this server: Draco at the app's own copy, the others at paths no model of
  // ours reaches. The meshopt decoder is left unset: setting it fetches it at once.
  element.dracoDecoderLocation = "/draco/"; // Scene.tsx's DRACO_PATH, copied by scripts/copy-draco.mjs
  element.ktx2TranscoderLocation = "/basis/";
  element.lottieLoaderLocation = "/lottie/lottie.min.js";
}

async function exportWhenReady(alive: () => boolean): Promise<Blob | null> {
  const scene = await import("@/components/scene/exportGlb");
  return scene.exportWhenReady(alive, EXPORT_PATIENCE_MS);
}

/** Android, where model-viewer's AR is Scene Viewer, an app that fetches the model's URL itself. */
export function isAndroid(userAgent: string): boolean {
  return /android/i.test(userAgent);
}

/**
 * What model-viewer loads: the GLB exported here (a `blob:` URL), except on Android when the
 * sales screen stored one with the share: Scene Viewer cannot read a browser's `blob:` URL.
 */
export function modelSource(blobUrl: string | null, storedUrl: string | null, userAgent: string, origin: string): string | null {
  if (storedUrl && isAndroid(userAgent)) return new URL(storedUrl, origin).href;
  return blobUrl;
}

export default function RoomView({ title, modelUrl = null }: { title: string; modelUrl?: string | null }) {
  const viewer = useRef<ModelViewerElement | null>(null);
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [inline, setInline] = useState(false);

  useEffect(() => {
    let alive = true;
    let url: string | null = null;
    Promise.all([loadModelViewer(), exportWhenReady(() => alive)])
      .then(([, glb]) => {
        if (!alive || !glb) return;
        url = URL.createObjectURL(glb);
        setSrc(url);
      })
      .catch((error: unknown) => alive && setFailed(error instanceof Error ? error.message : String(error)));
    return () => {
      alive = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, []);

  const source = src && modelSource(src, modelUrl, navigator.userAgent, window.location.origin);

  const viewInRoom = () => {
    const element = viewer.current;
    // Quick Look and Scene Viewer open only from the tap itself, so no await comes first.
    if (element?.canActivateAR) void element.activateAR();
    else {
      element?.dismissPoster();
      setInline(true);
    }
  };

  return (
    <Stack gap="3">
      <Button
        size="lg"
        colorPalette="brand"
        width="100%"
        minH="12"
        onClick={viewInRoom}
        loading={!src && !failed}
        loadingText="Preparing the 3D model…"
        disabled={!src}
        data-testid="view-in-room"
      >
        View in your room
      </Button>
      {failed ? (
        <Alert.Root status="warning">
          <Alert.Indicator />
          <Alert.Description>The model for your room could not be prepared: {failed}</Alert.Description>
        </Alert.Root>
      ) : null}
      {inline ? (
        <Text fontSize="sm" color="gray.700" role="status">
          This device cannot place the model in your room (that needs an Android phone with Google&apos;s AR
          services, or an iPhone or iPad). Turn it here with your finger instead.
        </Text>
      ) : null}
      {src ? (
        <Box
          // Kept in the page (it must load to open AR) but out of sight until asked for.
          {...(inline
            ? { height: "360px", borderWidth: "1px", borderRadius: "lg", overflow: "hidden", bg: "#eef1ef" }
            : { position: "absolute", width: "1px", height: "1px", overflow: "hidden", opacity: 0, pointerEvents: "none" })}
          // Out of the tab order and the accessibility tree while hidden (model-viewer is focusable).
          inert={!inline}
        >
          <model-viewer
            ref={(element: HTMLElement | null) => {
              viewer.current = element as ModelViewerElement | null;
            }}
            src={source ?? undefined}
            alt={`3D model of ${title}`}
            ar
            ar-modes="scene-viewer quick-look"
            ar-scale="fixed"
            camera-controls
            touch-action="pan-y"
            loading="eager"
            // Loaded for AR at once, but drawn only when shown inline: a hidden second WebGL
            // view would keep a phone's main thread busy for nothing.
            reveal="manual"
            shadow-intensity="1"
            style={{ width: "100%", height: "100%" }}
            data-testid="room-model"
          >
            {/* model-viewer's own AR button is replaced by the one above. */}
            <span slot="ar-button" hidden />
          </model-viewer>
        </Box>
      ) : null}
    </Stack>
  );
}
