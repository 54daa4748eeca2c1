"use client";
// Every order, newest first, found by number or buyer name and filtered by status; each row
// opens the order page. Only the answer to the latest search is shown.
import { Badge, Box, Button, Field, Flex, Input, NativeSelect, Spinner, Table, Text } from "@chakra-ui/react";
import NextLink from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { Money } from "@/components/common/Money";
import { PageHeader } from "@/components/common/PageHeader";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { api } from "@/lib/api/client";
import { ORDER_STATUSES } from "@/lib/api/types";
import type { Order, OrderStatus, Page } from "@/lib/api/views";
import { formatDateTime, STATUS_LABEL, STATUS_PALETTE } from "@/lib/format";
import { useLiveEvents } from "@/lib/live/useLiveEvents";
import { absMoney, isNegativeMoney } from "@/lib/money";

const PAGE_SIZE = 25;
/** Typing settles for this long before the search goes out. */
const SEARCH_DEBOUNCE_MS = 250;

export function OrdersList() {
  const [status, setStatus] = useState<OrderStatus | "">("");
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const latest = useRef(0);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page<Order> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);

  const load = useCallback(async () => {
    const request = ++latest.current;
    setLoading(true);
    setError(null);
    try {
      const answer = await api().listOrders({ q: q || undefined, status: status || undefined, limit: PAGE_SIZE, offset });
      if (request === latest.current) setPage(answer);
    } catch (caught) {
      if (request === latest.current) setError(caught);
    } finally {
      if (request === latest.current) setLoading(false);
    }
  }, [q, status, offset]);

  useEffect(() => {
    void load();
  }, [load]);
  useLiveEvents((event) => {
    if (event === "reset" || event.kind === "order") void load();
  });

  useEffect(() => {
    const trimmed = search.trim();
    if (trimmed === q) return;
    const timer = setTimeout(() => {
      setOffset(0);
      setQ(trimmed);
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search, q]);

  return (
    <Box>
      <PageHeader title="Orders" subtitle="Orders created from accepted quotes, with their payments and production status." />
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
              if (event.key !== "Enter") return;
              setOffset(0);
              setQ(search.trim());
            }}
          />
        </Field.Root>
        <Field.Root maxW="220px">
          <Field.Label>Status</Field.Label>
          <NativeSelect.Root size="sm">
            <NativeSelect.Field
              value={status}
              onChange={(event) => {
                setOffset(0);
                setStatus(event.target.value as OrderStatus | "");
              }}
            >
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
        {loading ? <Spinner size="sm" aria-label="Loading orders" /> : null}
      </Flex>
      <ProblemAlert error={error} />
      <Box bg="white" borderWidth="1px" borderRadius="lg" overflowX="auto">
        <Table.Root size="sm" interactive>
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeader>Order</Table.ColumnHeader>
              <Table.ColumnHeader>Buyer</Table.ColumnHeader>
              <Table.ColumnHeader>Status</Table.ColumnHeader>
              <Table.ColumnHeader textAlign="end">Total</Table.ColumnHeader>
              <Table.ColumnHeader textAlign="end">Balance due</Table.ColumnHeader>
              <Table.ColumnHeader>Updated</Table.ColumnHeader>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {page?.items.map((order) => (
              <Table.Row key={order.id}>
                <Table.Cell>
                  <NextLink href={`/orders/view/?id=${encodeURIComponent(order.id)}`} prefetch={false}>
                    <Text as="span" color="brand.700" fontWeight="semibold" textDecoration="underline" fontVariantNumeric="tabular-nums">
                      {order.number}
                    </Text>
                  </NextLink>
                </Table.Cell>
                <Table.Cell>
                  <Text>{order.buyer.name}</Text>
                  <Text fontSize="xs" color="gray.600">
                    {order.buyer.email}
                  </Text>
                </Table.Cell>
                <Table.Cell>
                  <Badge colorPalette={STATUS_PALETTE[order.status]}>{STATUS_LABEL[order.status]}</Badge>
                </Table.Cell>
                <Table.Cell textAlign="end">
                  <Money amount={order.total} currency={order.currency} />
                </Table.Cell>
                <Table.Cell textAlign="end">
                  {isNegativeMoney(order.balanceDue) ? (
                    <Text as="span" color="green.700">
                      <Money amount={absMoney(order.balanceDue)} currency={order.currency} /> credit owed
                    </Text>
                  ) : (
                    <Money amount={order.balanceDue} currency={order.currency} />
                  )}
                </Table.Cell>
                <Table.Cell>{formatDateTime(order.updatedAt)}</Table.Cell>
              </Table.Row>
            ))}
            {page && page.items.length === 0 ? (
              <Table.Row>
                <Table.Cell colSpan={6}>
                  <Text color="gray.600" py="4" textAlign="center">
                    {q || status ? "No order matches." : "No orders yet. Create one from a quote in the configurator."}
                  </Text>
                </Table.Cell>
              </Table.Row>
            ) : null}
          </Table.Body>
        </Table.Root>
      </Box>
      {page && page.total > PAGE_SIZE ? (
        <Flex justify="space-between" align="center" mt="3">
          <Text fontSize="sm" color="gray.700">
            {offset + 1}–{Math.min(offset + PAGE_SIZE, page.total)} of {page.total}
          </Text>
          <Flex gap="2">
            <Button size="sm" variant="outline" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
              Previous
            </Button>
            <Button size="sm" variant="outline" disabled={offset + PAGE_SIZE >= page.total} onClick={() => setOffset(offset + PAGE_SIZE)}>
              Next
            </Button>
          </Flex>
        </Flex>
      ) : null}
    </Box>
  );
}
