"use client";
// A module's 3D model (SPEC §17 loose end): upload a GLB from the catalog editor and read what
// the check of GLB_ASSET_STANDARD.md measured, or every rule the file breaks. The server stores
// the model and points the module's `glb_url` at it.
import { Box, Stack, Text } from "@chakra-ui/react";
import { useState } from "react";
import { api } from "@/lib/api/client";
import { ApiError } from "@/lib/api/problem";
import type { ModelReportWire } from "@/lib/api/types";

type Outcome =
  | { kind: "stored"; report: ModelReportWire }
  | { kind: "refused"; violations: { code: string; message: string }[] }
  | { kind: "failed"; message: string };

export function ModelUpload({
  moduleId,
  dimensions,
  onStored,
}: {
  moduleId: string;
  /** The module's saved dimensions (mm), which the model's bounding box must match. */
  dimensions: { width: number; height: number; depth: number };
  onStored: (glbUrl: string) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const inputId = `model-${moduleId}`;

  async function upload(event: React.ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    setBusy(true);
    try {
      const report = await api().putModuleModel(moduleId, new Uint8Array(await file.arrayBuffer()));
      setOutcome({ kind: "stored", report });
      onStored(report.glb_url);
    } catch (caught) {
      setOutcome(refusal(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Box borderWidth="1px" borderRadius="md" p="3" data-testid="model-upload">
      <Text fontSize="sm" fontWeight="medium" mb="1">
        3D model
      </Text>
      <Text fontSize="xs" color="gray.600" mb="2">
        A GLB that follows GLB_ASSET_STANDARD.md, {dimensions.width} × {dimensions.height} × {dimensions.depth} mm like the saved module.
      </Text>
      <label htmlFor={inputId}>
        <Box as="span" fontSize="sm" px="3" py="1" borderWidth="1px" borderRadius="sm" bg="white" cursor="pointer" aria-busy={busy}>
          {busy ? "Checking the model…" : "Upload GLB…"}
        </Box>
      </label>
      <input id={inputId} type="file" accept=".glb,model/gltf-binary" onChange={upload} disabled={busy} style={{ position: "absolute", width: 1, height: 1, opacity: 0 }} />
      {outcome ? <OutcomeReport outcome={outcome} /> : null}
    </Box>
  );
}

/** A 422 lists every broken rule (its code as the problem's field); anything else is one message. */
export function refusal(caught: unknown): Outcome {
  if (caught instanceof ApiError && caught.status === 422 && caught.fieldErrors.length) {
    return { kind: "refused", violations: caught.fieldErrors.map((error) => ({ code: error.field, message: error.message })) };
  }
  return { kind: "failed", message: caught instanceof Error ? caught.message : String(caught) };
}

/** A measured length to a tenth of a millimetre (the model's floats carry noise below it). */
export function millimetres(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function OutcomeReport({ outcome }: { outcome: Outcome }) {
  if (outcome.kind === "failed") {
    return (
      <Text fontSize="sm" color="red.700" role="alert" mt="2">
        The model was not stored: {outcome.message}
      </Text>
    );
  }
  if (outcome.kind === "refused") {
    return (
      <Box role="alert" mt="2" fontSize="sm" color="red.800" data-testid="model-violations">
        <Text fontWeight="medium">
          The model breaks {outcome.violations.length} rule{outcome.violations.length === 1 ? "" : "s"} and was not stored:
        </Text>
        <Stack as="ul" gap="0" pl="4" listStyleType="disc">
          {outcome.violations.map((violation, index) => (
            <li key={index}>
              <b>{violation.code}</b>: {violation.message}
            </li>
          ))}
        </Stack>
      </Box>
    );
  }
  const { report } = outcome;
  const box = report.bounding_box_mm;
  return (
    <Box role="status" mt="2" fontSize="sm" color="green.800" data-testid="model-report">
      <Text fontWeight="medium">Model stored: it follows the standard.</Text>
      <Text fontSize="xs" color="gray.700">
        {(report.size_bytes / 1024).toFixed(0)} KiB{report.draco ? ", Draco-compressed" : ""}
        {box ? ` · bounding box ${millimetres(box.width)} × ${millimetres(box.height)} × ${millimetres(box.depth)} mm` : ""}
        {report.triangles.length ? ` · triangles per level of detail: ${report.triangles.map((count) => count.toLocaleString("en-US")).join(" / ")}` : ""}
      </Text>
    </Box>
  );
}
