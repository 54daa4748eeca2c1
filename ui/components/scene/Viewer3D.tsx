"use client";
// The configurator's 3D view. This file holds no three.js import: the scene is loaded with
// next/dynamic (ssr: false) so three, R3F and drei stay out of the route's first-load JS.
// It adds the loading state (while the chunk arrives), the error state (no WebGL, a crash
// inside the scene) and the empty state, and the Snapshot button.
import { Box, Button, Center, Spinner, Stack, Text } from "@chakra-ui/react";
import dynamic from "next/dynamic";
import { useEffect, useState } from "react";
import { ErrorBoundary } from "@/components/common/ErrorBoundary";
import type { SceneModule } from "./layout";
import { captureSnapshot, downloadBlob } from "./snapshot";

const Scene = dynamic(() => import("./Scene"), {
  ssr: false,
  loading: () => <ViewerMessage busy title="Loading 3D view…" />,
});

export interface Viewer3DProps {
  modules: SceneModule[];
  /** A module's key when it is clicked; null when the click hits no module. */
  onSelect?: (key: string | null) => void;
  height?: string | number;
  /** Receives the snapshot PNG (an open design stores it); without it the PNG is downloaded. */
  onSnapshot?: (png: Blob) => void;
  /** The Snapshot button (on by default; the customer's phone has no use for it). */
  showSnapshot?: boolean;
  /** The canvas's accessible name. */
  label?: string;
}

function hasWebGL(): boolean {
  try {
    const canvas = document.createElement("canvas");
    return Boolean(canvas.getContext("webgl2") || canvas.getContext("webgl"));
  } catch {
    return false;
  }
}

export function Viewer3D({ modules, onSelect, height = "100%", onSnapshot, showSnapshot = true, label }: Viewer3DProps) {
  const [webgl, setWebgl] = useState<boolean | null>(null);
  useEffect(() => setWebgl(hasWebGL()), []);

  const snapshot = async () => {
    const png = await captureSnapshot();
    if (!png) return;
    if (onSnapshot) onSnapshot(png);
    else downloadBlob(png, "paform-design.png");
  };

  let content;
  if (webgl === null) content = <ViewerMessage busy title="Preparing 3D view…" />;
  else if (!webgl)
    content = (
      <ViewerMessage
        title="3D preview unavailable"
        detail="This device has WebGL turned off. Configuration and quotes still work."
      />
    );
  else if (modules.length === 0)
    content = <ViewerMessage title="Nothing placed yet" detail="Add a module from the list to see it here." />;
  else
    content = (
      <ErrorBoundary
        fallback={(error) => <ViewerMessage title="The 3D view failed" detail={error.message} />}
      >
        <Scene modules={modules} onSelect={onSelect} label={label} />
      </ErrorBoundary>
    );

  return (
    <Box
      position="relative"
      height={height}
      minH="320px"
      bg="#eef1ef"
      borderRadius="lg"
      borderWidth="1px"
      overflow="hidden"
      data-testid="viewer3d"
    >
      {content}
      {showSnapshot && webgl && modules.length > 0 ? (
        <Button position="absolute" top="3" right="3" size="xs" variant="surface" onClick={() => void snapshot()}>
          Snapshot
        </Button>
      ) : null}
    </Box>
  );
}

function ViewerMessage({ title, detail, busy }: { title: string; detail?: string; busy?: boolean }) {
  return (
    <Center h="100%" minH="320px" p="6" role={busy ? "status" : undefined} aria-live="polite">
      <Stack align="center" gap="2" textAlign="center">
        {busy ? <Spinner size="lg" color="brand.600" /> : null}
        <Text fontWeight="semibold" color="gray.800">
          {title}
        </Text>
        {detail ? (
          <Text fontSize="sm" color="gray.600" maxW="sm">
            {detail}
          </Text>
        ) : null}
      </Stack>
    </Center>
  );
}
