"use client";
// Every order, newest first, found by number or buyer name and filtered by status; each row
// opens the order page. Only the answer to the latest search is shown.
import { Badge, Box, Field, Flex, Input, NativeSelect, Spinner, Table, Text } from "@chakra-ui/react";
import NextLink from "next/link";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Money } from "@/components/common/Money";
import { Pager } from "@/components/common/Pager";
import { PageHeader } from "@/components/common/PageHeader";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { api } from "@/lib/api/client";
import { ORDER_STATUSES } from "@/lib/api/types";
import type { OrderStatus } from "@/lib/api/views";
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
  const [offset, setOffset] = useState(0);
  // Keyed by the search: the previous page stays while the next loads, and an older answer
  // arriving late is never shown for a newer search.
  const orders = useQuery({
    queryKey: ["orders", { q, status, offset }],
    queryFn: () => api().listOrders({ q: q || undefined, status: status || undefined, limit: PAGE_SIZE, offset }),
    placeholderData: keepPreviousData,
    // Orders are created and moved on other screens: read again whenever the list is shown.
    staleTime: 0,
  });
  const page = orders.data ?? null;
  const loading = orders.isFetching;
  // Order events invalidate the ["orders"] queries, so the list follows the floor and other screens.
  useLiveEvents();

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
      <ProblemAlert error={orders.error} />
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
      {page ? <Pager offset={offset} limit={PAGE_SIZE} total={page.total} onOffset={setOffset} /> : null}
    </Box>
  );
}
