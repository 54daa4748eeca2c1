"use client";
// Catalog browser and editor: materials and modules, searchable and paginated, each row
// editable; deletes that the server refuses (a material still in use → 409) are explained.
import { Box, Button, Field, Flex, Input, Spinner, Table, Tabs, Text, VisuallyHidden } from "@chakra-ui/react";
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { Money } from "@/components/common/Money";
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

function usePagedList<T>(load: (query: { q: string; limit: number; offset: number }) => Promise<Page<T>>) {
  const [q, setQ] = useState("");
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page<T> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setPage(await load({ q, limit: PAGE_SIZE, offset }));
      setError(null);
    } catch (caught) {
      setError(caught);
    } finally {
      setLoading(false);
    }
  }, [load, q, offset]);
  useEffect(() => {
    const timer = setTimeout(() => void reload(), 200);
    return () => clearTimeout(timer);
  }, [reload]);
  return { q, setQ: (value: string) => { setOffset(0); setQ(value); }, offset, setOffset, page, error, loading, reload };
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

function MaterialsTab() {
  const list = usePagedList(listMaterials);
  const refreshCatalog = useCatalog((state) => state.refresh);
  const [editing, setEditing] = useState<{ material: Material | null; nonce: number } | null>(null);
  const [deleteError, setDeleteError] = useState<unknown>(null);

  async function remove(material: Material) {
    if (!window.confirm(`Delete the material “${material.name}”?`)) return;
    setDeleteError(null);
    try {
      await api().deleteMaterial(material.id);
      await list.reload();
      void refreshCatalog();
    } catch (caught) {
      setDeleteError(caught);
    }
  }

  return (
    <ListFrame
      label="materials"
      search={list.q}
      onSearch={list.setQ}
      loading={list.loading}
      onNew={() => setEditing({ material: null, nonce: Date.now() })}
      error={list.error ?? deleteError}
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
                <RowActions name={material.name} onEdit={() => setEditing({ material, nonce: Date.now() })} onDelete={() => void remove(material)} />
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
            void list.reload();
            void refreshCatalog();
          }}
        />
      ) : null}
    </ListFrame>
  );
}

function ModulesTab() {
  const list = usePagedList(listModules);
  const catalog = useCatalog();
  const [editing, setEditing] = useState<{ module: Module | null; nonce: number } | null>(null);
  const [deleteError, setDeleteError] = useState<unknown>(null);
  const materialName = (id: string) => catalog.materials.find((material) => material.id === id)?.name ?? id;

  useEffect(() => {
    if (catalog.status === "idle") void catalog.refresh();
  }, [catalog]);

  async function remove(module: Module) {
    if (!window.confirm(`Delete the module “${module.name}”?`)) return;
    setDeleteError(null);
    try {
      await api().deleteModule(module.id);
      await list.reload();
      void catalog.refresh();
    } catch (caught) {
      setDeleteError(caught);
    }
  }

  return (
    <ListFrame
      label="modules"
      search={list.q}
      onSearch={list.setQ}
      loading={list.loading}
      onNew={() => setEditing({ module: null, nonce: Date.now() })}
      error={list.error ?? deleteError}
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
                <RowActions name={module.name} onEdit={() => setEditing({ module, nonce: Date.now() })} onDelete={() => void remove(module)} />
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
            void list.reload();
            void catalog.refresh();
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
      {page && page.total > PAGE_SIZE ? (
        <Flex justify="space-between" align="center" mt="3">
          <Text fontSize="sm" color="gray.700">
            {offset + 1}–{Math.min(offset + PAGE_SIZE, page.total)} of {page.total}
          </Text>
          <Flex gap="2">
            <Button size="sm" variant="outline" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - PAGE_SIZE))}>
              Previous
            </Button>
            <Button size="sm" variant="outline" disabled={offset + PAGE_SIZE >= page.total} onClick={() => onOffset(offset + PAGE_SIZE)}>
              Next
            </Button>
          </Flex>
        </Flex>
      ) : null}
    </Box>
  );
}
