"use client";
// The orders of every site, newest first, filtered by site, status and a search on number or
// buyer; each row opens the order's read-only page with both its chains.
import { Box, Field, Flex, Input, NativeSelect, Spinner, Table, Text } from "@chakra-ui/react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import NextLink from "next/link";
import { useEffect, useState } from "react";
import { Money } from "@/components/common/Money";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { hqApi } from "@/lib/api/hq";
import { ORDER_STATUSES } from "@/lib/api/types";
import { formatDateTime, STATUS_LABEL } from "@/lib/format";
import { HQ_NODES_KEY } from "./ChainScreen";
import { StatusChip } from "./StatusChip";

const LIMIT = 200;
/** Typing settles for this long before the search goes out. */
const SEARCH_DEBOUNCE_MS = 250;

export function ChainOrders() {
  const [node, setNode] = useState("");
  const [status, setStatus] = useState("");
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const nodes = useQuery({ queryKey: HQ_NODES_KEY, queryFn: () => hqApi().listNodes() });
  const orders = useQuery({
    queryKey: ["hq", "orders", { node, status, q }],
    queryFn: () => hqApi().listOrders({ node: node || undefined, status: status || undefined, q: q || undefined, limit: LIMIT }),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });

  useEffect(() => {
    const trimmed = search.trim();
    if (trimmed === q) return;
    const timer = setTimeout(() => setQ(trimmed), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search, q]);

  const rows = orders.data ?? null;
  return (
    <Box>
      <Flex gap="3" align="end" mb="4" wrap="wrap">
        <Field.Root maxW="320px">
          <Field.Label>Search</Field.Label>
          <Input
            size="sm"
            type="search"
            placeholder="Order number or buyer name"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter") setQ(search.trim());
            }}
          />
        </Field.Root>
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
        <Field.Root maxW="220px">
          <Field.Label>Status</Field.Label>
          <NativeSelect.Root size="sm">
            <NativeSelect.Field value={status} onChange={(event) => setStatus(event.target.value)}>
              <option value="">All statuses</option>
              {ORDER_STATUSES.map((item) => (
                <option key={item} value={item}>
                  {STATUS_LABEL[item]}
                </option>
              ))}
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
        </Field.Root>
        {orders.isFetching ? <Spinner size="sm" aria-label="Loading orders" /> : null}
      </Flex>
      <ProblemAlert error={orders.error} />
      <Box bg="white" borderWidth="1px" borderRadius="lg" overflowX="auto">
        <Table.Root size="sm" interactive aria-label="Orders of every site">
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeader>Site</Table.ColumnHeader>
              <Table.ColumnHeader>Order</Table.ColumnHeader>
              <Table.ColumnHeader>Buyer</Table.ColumnHeader>
              <Table.ColumnHeader>Status</Table.ColumnHeader>
              <Table.ColumnHeader textAlign="end">Total</Table.ColumnHeader>
              <Table.ColumnHeader>Updated</Table.ColumnHeader>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {rows?.map((order) => (
              <Table.Row key={order.id} data-testid="chain-order">
                <Table.Cell>{order.node_name}</Table.Cell>
                <Table.Cell>
                  <NextLink href={`/chain/order/?id=${encodeURIComponent(order.id)}`} prefetch={false}>
                    <Text as="span" color="brand.700" fontWeight="semibold" textDecoration="underline" fontVariantNumeric="tabular-nums">
                      {order.number}
                    </Text>
                  </NextLink>
                </Table.Cell>
                <Table.Cell>{order.buyer_name}</Table.Cell>
                <Table.Cell>
                  <StatusChip status={order.status} />
                </Table.Cell>
                <Table.Cell textAlign="end">
                  <Money amount={order.total} currency={order.currency} />
                </Table.Cell>
                <Table.Cell>{formatDateTime(order.updated_at)}</Table.Cell>
              </Table.Row>
            ))}
            {rows && rows.length === 0 ? (
              <Table.Row>
                <Table.Cell colSpan={6}>
                  <Text color="gray.600" py="4" textAlign="center">
                    {q || status || node ? "No order matches." : "No orders yet. They appear here once a site pushes them."}
                  </Text>
                </Table.Cell>
              </Table.Row>
            ) : null}
          </Table.Body>
        </Table.Root>
      </Box>
      {rows && rows.length >= LIMIT ? (
        <Text fontSize="sm" color="gray.600" mt="2">
          The newest {LIMIT} orders are shown; narrow the search to find older ones.
        </Text>
      ) : null}
    </Box>
  );
}
