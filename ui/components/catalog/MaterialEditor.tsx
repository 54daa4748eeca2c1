"use client";
// Creates or edits a material. Field messages come from the API's problem details
// (`errors: [{field, message}]`), shown under the field they name.
import { SimpleGrid } from "@chakra-ui/react";
import { useState } from "react";
import { TextField } from "@/components/common/TextField";
import { api } from "@/lib/api/client";
import { ApiError } from "@/lib/api/problem";
import type { MaterialInput } from "@/lib/api/types";
import type { Material } from "@/lib/api/views";
import { EditorDialog } from "./EditorDialog";
import { StockEditor } from "./StockEditor";

export function MaterialEditor({
  material,
  open,
  onClose,
  onSaved,
}: {
  material: Material | null;
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [name, setName] = useState(material?.name ?? "");
  const [cost, setCost] = useState(material?.costPerSqFt ?? "");
  const [thickness, setThickness] = useState(material?.thicknessMm?.toString() ?? "");
  const [texture, setTexture] = useState(material?.textureUrl ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const problem = error instanceof ApiError ? error : null;

  async function save() {
    setBusy(true);
    setError(null);
    const input: MaterialInput = {
      name: name.trim(),
      cost_per_sq_ft: cost.trim(),
      thickness_mm: thickness.trim() ? Number(thickness) : null,
      texture_url: texture.trim() || null,
      external_ids: material?.externalIds ?? {},
    };
    try {
      if (material) await api().updateMaterial(material.id, input);
      else await api().createMaterial(input);
      onSaved();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <EditorDialog open={open} title={material ? `Edit ${material.name}` : "New material"} busy={busy} error={error} onClose={onClose} onSubmit={save}>
      <TextField label="Name" required value={name} onValueChange={setName} error={problem?.fieldMessage("name")} />
      <SimpleGrid columns={{ base: 1, sm: 2 }} gap="4">
        <TextField
          label="Cost per sq ft"
          required
          inputMode="decimal"
          helper="Decimal, up to 6 digits after the point"
          value={cost}
          onValueChange={setCost}
          error={problem?.fieldMessage("cost_per_sq_ft")}
        />
        <TextField
          label="Thickness (mm)"
          inputMode="decimal"
          value={thickness}
          onValueChange={setThickness}
          error={problem?.fieldMessage("thickness_mm")}
        />
      </SimpleGrid>
      <TextField
        label="Texture URL"
        helper="A local path such as /textures/oak.jpg; remote images are never loaded"
        value={texture}
        onValueChange={setTexture}
        error={problem?.fieldMessage("texture_url")}
      />
      {material ? <StockEditor materialId={material.id} /> : null}
    </EditorDialog>
  );
}
