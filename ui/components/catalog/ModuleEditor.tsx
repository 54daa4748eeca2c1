"use client";
// Creates or edits a module: dimensions, price, material, the GLB reference and the
// free-form objects (assembly attributes, placement constraints, connection points) as JSON.
import { Field, NativeSelect, SimpleGrid, Text, Textarea } from "@chakra-ui/react";
import { useState } from "react";
import { TextField } from "@/components/common/TextField";
import { api } from "@/lib/api/client";
import { ApiError } from "@/lib/api/problem";
import type { ModuleInput } from "@/lib/api/types";
import type { Material, Module } from "@/lib/api/views";
import { useServerMode } from "@/lib/serverMode";
import { EditorDialog } from "./EditorDialog";
import { ModelUpload } from "./ModelUpload";

function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

export function ModuleEditor({
  module,
  materials,
  open,
  onClose,
  onSaved,
}: {
  module: Module | null;
  materials: Material[];
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const attributes = { ...(module?.assemblyAttributes ?? {}) };
  const initialGlb = typeof attributes.glb_url === "string" ? attributes.glb_url : "";
  delete attributes.glb_url;
  const atHq = useServerMode() === "hq";
  const [name, setName] = useState(module?.name ?? "");
  const [width, setWidth] = useState(module?.width.toString() ?? "");
  const [height, setHeight] = useState(module?.height.toString() ?? "");
  const [depth, setDepth] = useState(module?.depth.toString() ?? "");
  const [basePrice, setBasePrice] = useState(module?.basePrice ?? "");
  const [materialId, setMaterialId] = useState(module?.materialId ?? materials[0]?.id ?? "");
  const [glbUrl, setGlbUrl] = useState(initialGlb);
  const [assembly, setAssembly] = useState(pretty(attributes));
  const [placement, setPlacement] = useState(pretty(module?.placementConstraints ?? {}));
  const [connections, setConnections] = useState(pretty(module?.connectionPoints ?? []));
  const [jsonErrors, setJsonErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const problem = error instanceof ApiError ? error : null;

  function parseJson(label: string, text: string, expectArray: boolean, errors: Record<string, string>) {
    try {
      const value = JSON.parse(text || (expectArray ? "[]" : "{}"));
      if (expectArray !== Array.isArray(value) || typeof value !== "object" || value === null) {
        errors[label] = expectArray ? "Must be a JSON array" : "Must be a JSON object";
      }
      return value;
    } catch {
      errors[label] = "Not valid JSON";
      return null;
    }
  }

  async function save() {
    const errors: Record<string, string> = {};
    const assemblyValue = parseJson("assembly_attributes", assembly, false, errors);
    const placementValue = parseJson("placement_constraints", placement, false, errors);
    const connectionsValue = parseJson("connection_points", connections, true, errors);
    setJsonErrors(errors);
    if (Object.keys(errors).length) return;
    const input: ModuleInput = {
      name: name.trim(),
      dimensions: { width: Number(width), height: Number(height), depth: Number(depth) },
      base_price: basePrice.trim(),
      material_id: materialId,
      assembly_attributes: { ...assemblyValue, ...(glbUrl.trim() ? { glb_url: glbUrl.trim() } : {}) },
      placement_constraints: placementValue,
      connection_points: connectionsValue,
      external_ids: module?.externalIds ?? {},
    };
    setBusy(true);
    setError(null);
    try {
      if (module) await api().updateModule(module.id, input);
      else await api().createModule(input);
      onSaved();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (field: string) => jsonErrors[field] ?? problem?.fieldMessage(field);

  return (
    <EditorDialog open={open} title={module ? `Edit ${module.name}` : "New module"} busy={busy} error={error} onClose={onClose} onSubmit={save}>
      <TextField label="Name" required value={name} onValueChange={setName} error={problem?.fieldMessage("name")} />
      <SimpleGrid columns={3} gap="3">
        <TextField label="Width (mm)" required inputMode="decimal" value={width} onValueChange={setWidth} error={problem?.fieldMessage("width")} />
        <TextField label="Height (mm)" required inputMode="decimal" value={height} onValueChange={setHeight} error={problem?.fieldMessage("height")} />
        <TextField label="Depth (mm)" required inputMode="decimal" value={depth} onValueChange={setDepth} error={problem?.fieldMessage("depth")} />
      </SimpleGrid>
      <SimpleGrid columns={{ base: 1, sm: 2 }} gap="3">
        <TextField label="Base price" required inputMode="decimal" value={basePrice} onValueChange={setBasePrice} error={problem?.fieldMessage("base_price")} />
        <Field.Root required invalid={Boolean(problem?.fieldMessage("material_id"))}>
          <Field.Label>
            Material <Field.RequiredIndicator />
          </Field.Label>
          <NativeSelect.Root>
            <NativeSelect.Field value={materialId} onChange={(event) => setMaterialId(event.target.value)}>
              {materials.map((material) => (
                <option key={material.id} value={material.id}>
                  {material.name}
                </option>
              ))}
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
          <Field.ErrorText>{problem?.fieldMessage("material_id")}</Field.ErrorText>
        </Field.Root>
      </SimpleGrid>
      <TextField
        label="3D model (GLB) URL"
        helper="Local path to a GLB that follows GLB_ASSET_STANDARD.md; without one a box is drawn"
        value={glbUrl}
        onValueChange={setGlbUrl}
      />
      {module && atHq ? (
        <Text fontSize="sm" color="gray.600" data-testid="hq-no-model-upload">
          HQ stores no model files yet, so no GLB can be uploaded here; the model URL above is kept as typed.
        </Text>
      ) : module ? (
        <ModelUpload moduleId={module.id} dimensions={{ width: module.width, height: module.height, depth: module.depth }} onStored={setGlbUrl} />
      ) : null}
      <JsonField label="Placement constraints" helper='e.g. {"row": "kitchen", "mount": "wall", "elevation_mm": 1450, "gap_mm": 2}' value={placement} onChange={setPlacement} error={fieldError("placement_constraints")} />
      <JsonField label="Connection points" helper='e.g. [{"id": "left", "side": "left", "offset_mm": [0, 0, 0]}]' value={connections} onChange={setConnections} error={fieldError("connection_points")} />
      <JsonField label="Assembly attributes" value={assembly} onChange={setAssembly} error={fieldError("assembly_attributes")} />
    </EditorDialog>
  );
}

function JsonField({ label, helper, value, onChange, error }: { label: string; helper?: string; value: string; onChange: (value: string) => void; error?: string }) {
  return (
    <Field.Root invalid={Boolean(error)}>
      <Field.Label>{label}</Field.Label>
      <Textarea fontFamily="mono" fontSize="xs" rows={4} value={value} onChange={(event) => onChange(event.target.value)} spellCheck={false} />
      {helper && !error ? <Field.HelperText>{helper}</Field.HelperText> : null}
      {error ? <Field.ErrorText>{error}</Field.ErrorText> : null}
    </Field.Root>
  );
}
