"use client";
// Catalog browser and editor: materials and modules, searchable and paginated, each row
// editable; deletes that the server refuses (a material still in use → 409) are explained.
import { Box, Button, Field, Flex, Input, Spinner, Table, Tabs, Text, VisuallyHidden } from "@chakra-ui/react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";
import { Money } from "@/components/common/Money";
import { Pager } from "@/components/common/Pager";
import { PageHeader } from "@/components/common/PageHeader";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { api } from "@/lib/api/client";
import type { Material, Module, Page } from "@/lib/api/views";
import { formatDateTime, formatDimensions } from "@/lib/format";
import { materialColor } from "@/lib/materialColor";
import { useCatalog } from "@/stores/catalog";
import { MaterialEditor } from "./MaterialEditor";
import { ModuleEditor } from "./ModuleEditor";

const PAGE_SIZE = 20;

/** Typing settles for this long before the search goes out. */
const SEARCH_DEBOUNCE_MS = 200;

/**
 * One page of a catalog list through TanStack Query, keyed by kind, search and offset: the
 * previous page stays on screen while the next loads, and only the latest key's answer is shown.
 */
function usePagedList<T>(kind: "materials" | "modules", load: (query: { q: string; limit: number; offset: number }) => Promise<Page<T>>) {
  const [q, setQ] = useState("");
  const [debounced, setDebounced] = useState("");
  const [offset, setOffset] = useState(0);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(q), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [q]);
  const query = useQuery({
    queryKey: ["catalog", kind, { q: debounced, offset }],
    queryFn: () => load({ q: debounced, limit: PAGE_SIZE, offset }),
    placeholderData: keepPreviousData,
  });
  return {
    q,
    setQ: (value: string) => {
      setOffset(0);
      setQ(value);
    },
    offset,
    setOffset,
    page: query.data ?? null,
    error: query.error,
    loading: query.isFetching,
  };
}

/** Deletes a catalog entry, then refreshes its list and the configurator's catalog. */
function useRemove(kind: "materials" | "modules", remove: (id: string) => Promise<unknown>) {
  const queryClient = useQueryClient();
  const refreshCatalog = useCatalog((state) => state.refresh);
  return useMutation({
    mutationFn: remove,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["catalog", kind] });
      void refreshCatalog();
    },
  });
}

/** After an editor saved: the list and the configurator's catalog read the server again. */
function useSaved(kind: "materials" | "modules") {
  const queryClient = useQueryClient();
  const refreshCatalog = useCatalog((state) => state.refresh);
  return () => {
    void queryClient.invalidateQueries({ queryKey: ["catalog", kind] });
    void refreshCatalog();
  };
}

export function CatalogScreen() {
  const [tab, setTab] = useState("modules");
  return (
    <Box>
      <PageHeader title="Catalog" subtitle="Materials and modules the showroom sells. Changes from Hygraph arrive here too." />
      <Tabs.Root value={tab} onValueChange={(details) => setTab(details.value)} variant="line" lazyMount>
        <Tabs.List mb="4">
          <Tabs.Trigger value="modules">Modules</Tabs.Trigger>
          <Tabs.Trigger value="materials">Materials</Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="modules">
          <ModulesTab />
        </Tabs.Content>
        <Tabs.Content value="materials">
          <MaterialsTab />
        </Tabs.Content>
      </Tabs.Root>
    </Box>
  );
}

const listMaterials = (query: { q: string; limit: number; offset: number }) => api().listMaterials(query);
const listModules = (query: { q: string; limit: number; offset: number }) => api().listModules(query);
const deleteMaterial = (id: string) => api().deleteMaterial(id);
const deleteModule = (id: string) => api().deleteModule(id);

function MaterialsTab() {
  const list = usePagedList("materials", listMaterials);
  const removal = useRemove("materials", deleteMaterial);
  const saved = useSaved("materials");
  const [editing, setEditing] = useState<{ material: Material | null; nonce: number } | null>(null);

  function remove(material: Material) {
    if (!window.confirm(`Delete the material “${material.name}”?`)) return;
    removal.mutate(material.id);
  }

  return (
    <ListFrame
      label="materials"
      search={list.q}
      onSearch={list.setQ}
      loading={list.loading}
      onNew={() => setEditing({ material: null, nonce: Date.now() })}
      error={list.error ?? removal.error}
      page={list.page}
      offset={list.offset}
      onOffset={list.setOffset}
    >
      <Table.Root size="sm">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Name</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Cost / sq ft</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Thickness</Table.ColumnHeader>
            <Table.ColumnHeader>Source</Table.ColumnHeader>
            <Table.ColumnHeader>Updated</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {list.page?.items.map((material) => (
            <Table.Row key={material.id}>
              <Table.Cell>
                <Flex align="center" gap="2">
                  <Box aria-hidden w="4" h="4" borderRadius="sm" borderWidth="1px" bg={materialColor(material.name)} />
                  {material.name}
                </Flex>
              </Table.Cell>
              <Table.Cell textAlign="end" fontVariantNumeric="tabular-nums">
                {material.costPerSqFt}
              </Table.Cell>
              <Table.Cell textAlign="end">{material.thicknessMm !== null ? `${material.thicknessMm} mm` : "—"}</Table.Cell>
              <Table.Cell>{material.externalIds.hygraph ? "Hygraph" : "Local"}</Table.Cell>
              <Table.Cell>{formatDateTime(material.updatedAt)}</Table.Cell>
              <Table.Cell textAlign="end">
                <RowActions name={material.name} onEdit={() => setEditing({ material, nonce: Date.now() })} onDelete={() => remove(material)} />
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
      {editing ? (
        <MaterialEditor
          key={editing.nonce}
          open
          material={editing.material}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            saved();
          }}
        />
      ) : null}
    </ListFrame>
  );
}

function ModulesTab() {
  const list = usePagedList("modules", listModules);
  const removal = useRemove("modules", deleteModule);
  const saved = useSaved("modules");
  const catalog = useCatalog();
  const [editing, setEditing] = useState<{ module: Module | null; nonce: number } | null>(null);
  const materialName = (id: string) => catalog.materials.find((material) => material.id === id)?.name ?? id;

  useEffect(() => {
    if (catalog.status === "idle") void catalog.refresh();
  }, [catalog]);

  function remove(module: Module) {
    if (!window.confirm(`Delete the module “${module.name}”?`)) return;
    removal.mutate(module.id);
  }

  return (
    <ListFrame
      label="modules"
      search={list.q}
      onSearch={list.setQ}
      loading={list.loading}
      onNew={() => setEditing({ module: null, nonce: Date.now() })}
      error={list.error ?? removal.error}
      page={list.page}
      offset={list.offset}
      onOffset={list.setOffset}
    >
      <Table.Root size="sm">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Name</Table.ColumnHeader>
            <Table.ColumnHeader>W × H × D</Table.ColumnHeader>
            <Table.ColumnHeader>Material</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Base price</Table.ColumnHeader>
            <Table.ColumnHeader>Mount</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {list.page?.items.map((module) => (
            <Table.Row key={module.id}>
              <Table.Cell fontWeight="medium">{module.name}</Table.Cell>
              <Table.Cell>{formatDimensions(module.width, module.height, module.depth)}</Table.Cell>
              <Table.Cell>{materialName(module.materialId)}</Table.Cell>
              <Table.Cell textAlign="end">
                <Money amount={module.basePrice} currency={catalog.currency} />
              </Table.Cell>
              <Table.Cell>
                {module.placement.mount}
                {module.glbUrl ? " · 3D" : ""}
              </Table.Cell>
              <Table.Cell textAlign="end">
                <RowActions name={module.name} onEdit={() => setEditing({ module, nonce: Date.now() })} onDelete={() => remove(module)} />
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
      {editing ? (
        <ModuleEditor
          key={editing.nonce}
          open
          module={editing.module}
          materials={catalog.materials}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            saved();
          }}
        />
      ) : null}
    </ListFrame>
  );
}

function RowActions({ name, onEdit, onDelete }: { name: string; onEdit: () => void; onDelete: () => void }) {
  return (
    <Flex gap="1" justify="end">
      <Button size="xs" variant="outline" onClick={onEdit} aria-label={`Edit ${name}`}>
        Edit
      </Button>
      <Button size="xs" variant="ghost" colorPalette="red" onClick={onDelete} aria-label={`Delete ${name}`}>
        Delete
      </Button>
    </Flex>
  );
}

function ListFrame<T>({
  label,
  search,
  onSearch,
  loading,
  onNew,
  error,
  page,
  offset,
  onOffset,
  children,
}: {
  label: string;
  search: string;
  onSearch: (value: string) => void;
  loading: boolean;
  onNew: () => void;
  error: unknown;
  page: Page<T> | null;
  offset: number;
  onOffset: (offset: number) => void;
  children: ReactNode;
}) {
  return (
    <Box>
      <Flex gap="3" align="end" mb="3" wrap="wrap">
        <Field.Root maxW="320px">
          <Field.Label>Search {label}</Field.Label>
          <Input size="sm" bg="white" value={search} onChange={(event) => onSearch(event.target.value)} placeholder="Name contains…" />
        </Field.Root>
        {loading ? <Spinner size="sm" aria-label={`Loading ${label}`} /> : null}
        <Box flex="1" />
        <Button size="sm" colorPalette="brand" onClick={onNew}>
          New {label.slice(0, -1)}
        </Button>
      </Flex>
      <ProblemAlert error={error} />
      <Box bg="white" borderWidth="1px" borderRadius="lg" overflowX="auto" mt="2">
        {children}
        {page && page.items.length === 0 ? (
          <Text textAlign="center" color="gray.600" py="6">
            No {label} {search ? `match “${search}”` : "yet"}.
          </Text>
        ) : null}
      </Box>
      {page ? <Pager offset={offset} limit={PAGE_SIZE} total={page.total} onOffset={onOffset} /> : null}
    </Box>
  );
}
