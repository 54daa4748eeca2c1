"use client";
// The left side of the configurator: the module catalog to add from, and the design being
// sold (order = left to right in the room, quantity, material override per placed module).
import {
  Badge,
  Box,
  Button,
  Field,
  Flex,
  Heading,
  IconButton,
  Input,
  Stack,
  Text,
} from "@chakra-ui/react";
import { useMemo, useState } from "react";
import { Money } from "@/components/common/Money";
import { formatDimensions } from "@/lib/format";
import type { Material, Module } from "@/lib/api/views";
import type { ConfigItem, ConfiguratorAction } from "@/stores/configurator";
import { MaterialSelector } from "./MaterialSelector";

export interface ConfiguratorPanelProps {
  modules: Module[];
  materials: Material[];
  currency: string;
  items: ConfigItem[];
  selectedKey: string | null;
  dispatch: (action: ConfiguratorAction) => void;
}

export function ConfiguratorPanel({ modules, materials, currency, items, selectedKey, dispatch }: ConfiguratorPanelProps) {
  const [search, setSearch] = useState("");
  const byId = useMemo(() => new Map(modules.map((module) => [module.id, module])), [modules]);
  const visible = modules.filter((module) => module.name.toLowerCase().includes(search.trim().toLowerCase()));

  return (
    <Stack gap="5">
      <Box as="section" aria-labelledby="design-heading" bg="white" borderWidth="1px" borderRadius="lg" p="4">
        <Flex justify="space-between" align="center" mb="3">
          <Heading as="h2" id="design-heading" size="md">
            Your design
          </Heading>
          {items.length ? (
            <Button size="xs" variant="ghost" onClick={() => dispatch({ type: "cleared" })}>
              Clear
            </Button>
          ) : null}
        </Flex>
        {items.length === 0 ? (
          <Text fontSize="sm" color="gray.600">
            No modules yet. Add them from the list below, left to right as they stand in the room.
          </Text>
        ) : (
          <Stack as="ol" gap="2" listStyleType="none" aria-label="Placed modules, left to right">
            {items.map((item, index) => {
              const module = byId.get(item.moduleId);
              const selected = item.key === selectedKey;
              return (
                <Box
                  as="li"
                  key={item.key}
                  borderWidth="1px"
                  borderColor={selected ? "brand.500" : "gray.200"}
                  bg={selected ? "brand.50" : "white"}
                  borderRadius="md"
                  p="3"
                  onFocus={() => dispatch({ type: "item_selected", key: item.key })}
                  onClick={() => dispatch({ type: "item_selected", key: item.key })}
                >
                  <Flex justify="space-between" align="start" gap="2">
                    <Box>
                      <Text fontWeight="semibold">
                        {index + 1}. {module?.name ?? "Unknown module"}
                      </Text>
                      {module ? (
                        <Text fontSize="xs" color="gray.600">
                          {formatDimensions(module.width, module.height, module.depth)}
                          {module.placement.mount === "wall" ? " · wall" : ""}
                        </Text>
                      ) : null}
                    </Box>
                    <Flex gap="1">
                      <IconButton
                        size="xs"
                        variant="outline"
                        aria-label={`Move ${module?.name ?? "module"} left`}
                        disabled={index === 0}
                        onClick={() => dispatch({ type: "item_moved", key: item.key, direction: -1 })}
                      >
                        ←
                      </IconButton>
                      <IconButton
                        size="xs"
                        variant="outline"
                        aria-label={`Move ${module?.name ?? "module"} right`}
                        disabled={index === items.length - 1}
                        onClick={() => dispatch({ type: "item_moved", key: item.key, direction: 1 })}
                      >
                        →
                      </IconButton>
                      <IconButton
                        size="xs"
                        variant="outline"
                        colorPalette="red"
                        aria-label={`Remove ${module?.name ?? "module"}`}
                        onClick={() => dispatch({ type: "item_removed", key: item.key })}
                      >
                        ✕
                      </IconButton>
                    </Flex>
                  </Flex>
                  <Flex gap="3" mt="2" align="end">
                    <Field.Root w="24" flexShrink={0}>
                      <Field.Label fontSize="xs" color="gray.700">
                        Quantity
                      </Field.Label>
                      <Input
                        size="sm"
                        type="number"
                        min={1}
                        max={999}
                        step={1}
                        value={item.quantity}
                        onChange={(event) =>
                          dispatch({ type: "quantity_changed", key: item.key, quantity: Number(event.target.value) })
                        }
                      />
                    </Field.Root>
                    <Box flex="1" minW="0">
                      <MaterialSelector
                        materials={materials}
                        value={item.materialId}
                        defaultMaterialId={module?.materialId ?? ""}
                        onChange={(materialId) => dispatch({ type: "material_changed", key: item.key, materialId })}
                      />
                    </Box>
                  </Flex>
                </Box>
              );
            })}
          </Stack>
        )}
      </Box>

      <Box as="section" aria-labelledby="modules-heading" bg="white" borderWidth="1px" borderRadius="lg" p="4">
        <Heading as="h2" id="modules-heading" size="md" mb="3">
          Modules
        </Heading>
        <Field.Root mb="3">
          <Field.Label srOnly>Search modules</Field.Label>
          <Input
            size="sm"
            placeholder="Search modules"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </Field.Root>
        <Stack gap="2" maxH="360px" overflowY="auto">
          {visible.map((module) => (
            <Flex
              key={module.id}
              justify="space-between"
              align="center"
              gap="2"
              p="2"
              borderRadius="md"
              _hover={{ bg: "gray.50" }}
            >
              <Box minW="0">
                <Text fontWeight="medium" truncate>
                  {module.name}
                </Text>
                <Text fontSize="xs" color="gray.600">
                  {formatDimensions(module.width, module.height, module.depth)} · from{" "}
                  <Money amount={module.basePrice} currency={currency} />
                  {module.glbUrl ? (
                    <Badge ms="1" size="xs" colorPalette="purple">
                      3D
                    </Badge>
                  ) : null}
                </Text>
              </Box>
              <Button
                size="xs"
                colorPalette="brand"
                variant="subtle"
                aria-label={`Add ${module.name}`}
                onClick={() => dispatch({ type: "module_added", moduleId: module.id })}
              >
                Add
              </Button>
            </Flex>
          ))}
          {visible.length === 0 ? (
            <Text fontSize="sm" color="gray.600">
              No module matches “{search}”.
            </Text>
          ) : null}
        </Stack>
      </Box>
    </Stack>
  );
}
