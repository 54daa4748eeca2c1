"use client";
// The shop's offcuts (SPEC §12) with the codes written on them and their labels to print, and
// the confirmation that an export was cut, which turns its remnants into offcuts. Kept fresh
// by the live event stream.
import { Box, Button, Flex, Heading, Table, Text } from "@chakra-ui/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { api } from "@/lib/api/client";
import { SavedFile } from "@/components/common/SavedFile";
import { native } from "@/lib/native";
import type { CncExportResponse } from "@/lib/api/types";

/** Material names by id (an id stands for itself until the catalog answers, or once deleted). */
function useMaterialName(): (id: string) => string {
  const materials = useQuery({ queryKey: ["materials", "names"], queryFn: () => api().listMaterials({ limit: 500 }) });
  const names = new Map((materials.data?.items ?? []).map((material) => [material.id, material.name]));
  return (id) => names.get(id) ?? id;
}

export function OffcutsPanel() {
  const client = useQueryClient();
  const materialName = useMaterialName();
  const offcuts = useQuery({ queryKey: ["offcuts"], queryFn: () => api().listOffcuts() });
  const discard = useMutation({
    mutationFn: (id: string) => api().deleteOffcut(id),
    onSettled: () => client.invalidateQueries({ queryKey: ["offcuts"] }),
  });
  const labels = useMutation({
    mutationFn: async () =>
      native().saveFile({
        suggestedName: "offcut-labels.pdf",
        kind: "pdf",
        contentType: "application/pdf",
        bytes: await api().fetchOffcutLabels(),
      }),
  });
  return (
    <Box as="section" aria-labelledby="offcuts-heading" bg="white" borderWidth="1px" borderRadius="lg" p="4" mb="6">
      <Flex justify="space-between" align="center" mb="3" gap="2" wrap="wrap">
        <Heading as="h2" id="offcuts-heading" size="md">
          Offcuts
        </Heading>
        {offcuts.data?.length ? (
          <Flex gap="2" align="center" wrap="wrap">
            <Button size="xs" variant="outline" loading={labels.isPending} onClick={() => labels.mutate()}>
              Print offcut labels
            </Button>
            <SavedFile path={labels.data?.path} error={labels.error} />
          </Flex>
        ) : null}
      </Flex>
      <ProblemAlert error={offcuts.error ?? discard.error} title="Offcuts" />
      {offcuts.data && offcuts.data.length === 0 ? <Text color="fg.muted">No offcuts yet: confirm an export as cut to keep its remnants.</Text> : null}
      {offcuts.data?.length ? (
        <Table.Root size="sm" data-testid="offcut-list">
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeader>Code</Table.ColumnHeader>
              <Table.ColumnHeader>Size (mm)</Table.ColumnHeader>
              <Table.ColumnHeader>Material</Table.ColumnHeader>
              <Table.ColumnHeader />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {offcuts.data.map((offcut) => (
              <Table.Row key={offcut.id}>
                <Table.Cell fontFamily="mono">{offcut.code}</Table.Cell>
                <Table.Cell>
                  {offcut.width} × {offcut.height}
                </Table.Cell>
                <Table.Cell>{materialName(offcut.material_id)}</Table.Cell>
                <Table.Cell textAlign="end">
                  <Button size="xs" variant="ghost" onClick={() => discard.mutate(offcut.id)} loading={discard.isPending && discard.variables === offcut.id}>
                    Discard
                  </Button>
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table.Root>
      ) : null}
    </Box>
  );
}

/** The boards an export was nested on, and its confirmation as cut. */
export function ExportStockAndCut({ response }: { response: CncExportResponse }) {
  const client = useQueryClient();
  const materialName = useMaterialName();
  const cut = useMutation({
    mutationFn: () => api().confirmCut(response.export_id),
    onSuccess: () => client.invalidateQueries({ queryKey: ["offcuts"] }),
  });
  return (
    <Box>
      <Heading as="h3" size="sm" mb="2">
        Stock
      </Heading>
      <Stack>
        {response.layouts.flatMap((layout) =>
          layout.sheets.map((sheet, index) => (
            <Text key={`${layout.material_id}-${index}`} fontSize="sm" data-testid="export-sheet">
              Sheet {index + 1}: {sheet.offcut ? `offcut ${sheet.offcut.code}, ` : ""}
              {sheet.stock.width} × {sheet.stock.height} mm, {sheet.placements.length} parts ({materialName(layout.material_id)})
            </Text>
          )),
        )}
      </Stack>
      <Flex gap="3" align="center" mt="2">
        <Button size="sm" variant="outline" onClick={() => cut.mutate()} loading={cut.isPending} disabled={Boolean(cut.data)}>
          {cut.data ? "Confirmed as cut" : "Confirm as cut"}
        </Button>
        {cut.data ? (
          <Text fontSize="sm" role="status">
            {cut.data.offcuts.length} offcut(s) kept: {cut.data.offcuts.map((offcut) => offcut.code).join(", ") || "none"}
          </Text>
        ) : null}
      </Flex>
      <ProblemAlert error={cut.error} title="The cut could not be confirmed" />
    </Box>
  );
}

function Stack({ children }: { children: ReactNode }) {
  return <Box display="flex" flexDirection="column" gap="1">{children}</Box>;
}
