"use client";
// What HQ refused and keeps aside (SPEC §15): an entry whose content differs from what HQ holds
// for its `(site, node_seq)` or that breaks an order's hash chain. Nothing here overwrote
// anything; each entry shows why, and its body on demand.
import { Box, Button, Code, Field, Flex, NativeSelect, Table, Text, VisuallyHidden } from "@chakra-ui/react";
import { useQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { hqApi } from "@/lib/api/hq";
import { formatDateTime } from "@/lib/format";
import { HQ_NODES_KEY } from "./ChainScreen";

export function ChainQuarantine() {
  const [node, setNode] = useState("");
  const [open, setOpen] = useState<number | null>(null);
  const nodes = useQuery({ queryKey: HQ_NODES_KEY, queryFn: () => hqApi().listNodes() });
  const entries = useQuery({ queryKey: ["hq", "quarantine", { node }], queryFn: () => hqApi().listQuarantine(node || undefined), staleTime: 0 });
  const names = new Map((nodes.data ?? []).map((item) => [item.id, item.name]));
  return (
    <Box>
      <Flex gap="3" align="end" mb="4" wrap="wrap">
        <Field.Root maxW="220px">
          <Field.Label>Site</Field.Label>
          <NativeSelect.Root size="sm">
            <NativeSelect.Field value={node} onChange={(event) => setNode(event.target.value)}>
              <option value="">All sites</option>
              {(nodes.data ?? []).map((item) => (
                <option key={item.id} value={item.id}>
                  {item.name}
                </option>
              ))}
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
        </Field.Root>
      </Flex>
      <ProblemAlert error={entries.error} />
      <Box bg="white" borderWidth="1px" borderRadius="lg" overflowX="auto">
        <Table.Root size="sm" aria-label="Quarantine">
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeader>Site</Table.ColumnHeader>
              <Table.ColumnHeader textAlign="end">Entry</Table.ColumnHeader>
              <Table.ColumnHeader>Kind</Table.ColumnHeader>
              <Table.ColumnHeader>Key</Table.ColumnHeader>
              <Table.ColumnHeader>Reason</Table.ColumnHeader>
              <Table.ColumnHeader>Received</Table.ColumnHeader>
              <Table.ColumnHeader>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.ColumnHeader>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {entries.data?.map((entry) => (
              <Fragment key={entry.id}>
                <Table.Row data-testid="quarantine-entry">
                  <Table.Cell>{names.get(entry.node_id) ?? entry.node_id}</Table.Cell>
                  <Table.Cell textAlign="end" fontVariantNumeric="tabular-nums">
                    {entry.node_seq}
                  </Table.Cell>
                  <Table.Cell>{entry.kind}</Table.Cell>
                  <Table.Cell>
                    <Text as="span" fontFamily="mono" fontSize="xs" wordBreak="break-all">
                      {entry.key}
                    </Text>
                  </Table.Cell>
                  <Table.Cell>{entry.reason}</Table.Cell>
                  <Table.Cell>{formatDateTime(entry.received_at)}</Table.Cell>
                  <Table.Cell textAlign="end">
                    <Button size="xs" variant="outline" aria-expanded={open === entry.id} onClick={() => setOpen(open === entry.id ? null : entry.id)}>
                      {open === entry.id ? "Hide body" : "Show body"}
                    </Button>
                  </Table.Cell>
                </Table.Row>
                {open === entry.id ? (
                  <Table.Row>
                    <Table.Cell colSpan={7}>
                      <Code as="pre" display="block" p="3" fontSize="xs" whiteSpace="pre-wrap" wordBreak="break-all" maxH="320px" overflowY="auto">
                        {JSON.stringify(entry.body, null, 2)}
                      </Code>
                    </Table.Cell>
                  </Table.Row>
                ) : null}
              </Fragment>
            ))}
            {entries.data && entries.data.length === 0 ? (
              <Table.Row>
                <Table.Cell colSpan={7}>
                  <Text color="gray.600" py="4" textAlign="center">
                    Nothing in quarantine: HQ accepted every entry it received.
                  </Text>
                </Table.Cell>
              </Table.Row>
            ) : null}
          </Table.Body>
        </Table.Root>
      </Box>
    </Box>
  );
}
