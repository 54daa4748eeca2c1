"use client";
// Picks the material of one placed module: the module's own material, or an override.
import { Box, Field, Flex, NativeSelect } from "@chakra-ui/react";
import { useId } from "react";
import { materialColor } from "@/lib/materialColor";
import type { Material } from "@/lib/api/views";

export interface MaterialSelectorProps {
  materials: Material[];
  /** The override, or null for the module's own material. */
  value: string | null;
  defaultMaterialId: string;
  onChange: (materialId: string | null) => void;
  label?: string;
}

const DEFAULT = "__module_default__";

export function MaterialSelector({ materials, value, defaultMaterialId, onChange, label = "Material" }: MaterialSelectorProps) {
  const id = useId();
  const fallback = materials.find((material) => material.id === defaultMaterialId);
  const shown = materials.find((material) => material.id === (value ?? defaultMaterialId));
  return (
    <Field.Root>
      <Field.Label htmlFor={id} fontSize="xs" color="gray.700">
        {label}
      </Field.Label>
      <Flex align="center" gap="2" w="100%">
        <Box
          aria-hidden
          flexShrink={0}
          w="5"
          h="5"
          borderRadius="sm"
          borderWidth="1px"
          borderColor="gray.400"
          bg={materialColor(shown?.name)}
        />
        <NativeSelect.Root size="sm">
          <NativeSelect.Field
            id={id}
            value={value ?? DEFAULT}
            onChange={(event) => onChange(event.target.value === DEFAULT ? null : event.target.value)}
          >
            <option value={DEFAULT}>Module default{fallback ? ` (${fallback.name})` : ""}</option>
            {materials.map((material) => (
              <option key={material.id} value={material.id}>
                {material.name} — {material.costPerSqFt}/sq ft
              </option>
            ))}
          </NativeSelect.Field>
          <NativeSelect.Indicator />
        </NativeSelect.Root>
      </Flex>
    </Field.Root>
  );
}
