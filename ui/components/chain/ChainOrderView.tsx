"use client";
// One order as HQ holds it, read-only: its lines and total, and both of its chains (the
// contract the selling site wrote, the production the factory wrote), each event with its
// kind, time, actor and the site that wrote it. Nothing here changes the order: the site that
// sold it owns it.
import { Box, Flex, Heading, Spinner, Stack, Table, Text } from "@chakra-ui/react";
import { useQuery } from "@tanstack/react-query";
import NextLink from "next/link";
import { useSearchParams } from "next/navigation";
import { Money } from "@/components/common/Money";
import { PageHeader } from "@/components/common/PageHeader";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { hqApi, type HqChainEventWire, type HqOrderDetailWire } from "@/lib/api/hq";
import { isOrderStatus } from "@/lib/api/types";
import { formatDateTime, STATUS_LABEL } from "@/lib/format";
import { HQ_NODES_KEY } from "./ChainScreen";
import { StatusChip } from "./StatusChip";

/** "order_created" → "Order created". */
export function eventKindLabel(kind: string): string {
  const words = kind.replace(/[_-]+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : kind;
}

/** A status change's "Draft → Pending payment" from its facts (`{from, to}`), else null. */
export function statusMove(data: unknown): string | null {
  if (!data || typeof data !== "object") return null;
  const { from, to } = data as { from?: unknown; to?: unknown };
  if (typeof to !== "string" || !isOrderStatus(to)) return null;
  const before = typeof from === "string" && isOrderStatus(from) ? `${STATUS_LABEL[from]} → ` : "";
  return `${before}${STATUS_LABEL[to]}`;
}

export function ChainOrderView() {
  const id = useSearchParams()?.get("id") ?? "";
  const order = useQuery({ queryKey: ["hq", "order", id], queryFn: () => hqApi().getOrder(id), enabled: Boolean(id) });
  const events = useQuery({ queryKey: ["hq", "order-events", id], queryFn: () => hqApi().listOrderEvents(id), enabled: Boolean(id) });
  const nodes = useQuery({ queryKey: HQ_NODES_KEY, queryFn: () => hqApi().listNodes() });
  const names = new Map((nodes.data ?? []).map((item) => [item.id, item.name]));
  const back = (
    <NextLink href="/chain/" prefetch={false}>
      <Text as="span" color="brand.700" textDecoration="underline" fontSize="sm">
        ← Chain
      </Text>
    </NextLink>
  );
  if (!id) return <ProblemAlert error={new Error("no order id in the address")} />;
  const current = order.data;
  return (
    <Box>
      <Box mb="2">{back}</Box>
      <PageHeader
        title={current ? `Order ${current.number}` : "Order"}
        subtitle={current ? `Sold by ${current.node_name} · read-only at HQ; the site that sold it changes it` : undefined}
      />
      <ProblemAlert error={order.error} />
      {order.isLoading ? <Spinner aria-label="Loading the order" /> : null}
      {current ? (
        <Stack gap="6">
          <OrderFacts order={current} />
          <Lines order={current} />
          <Box>
            <Heading as="h2" size="md" mb="3">
              Events
            </Heading>
            <ProblemAlert error={events.error} />
            {events.data ? (
              <Flex gap="6" direction={{ base: "column", xl: "row" }} align="start">
                <ChainTimeline title="Contract" events={events.data.filter((event) => event.chain === "contract")} names={names} />
                <ChainTimeline title="Production" events={events.data.filter((event) => event.chain === "production")} names={names} />
              </Flex>
            ) : null}
          </Box>
        </Stack>
      ) : null}
    </Box>
  );
}

function OrderFacts({ order }: { order: HqOrderDetailWire }) {
  const fact = (label: string, value: React.ReactNode) => (
    <Box>
      <Text fontSize="xs" color="gray.600" textTransform="uppercase" letterSpacing="wide">
        {label}
      </Text>
      <Box fontWeight="semibold">{value}</Box>
    </Box>
  );
  return (
    <Flex gap="8" wrap="wrap" bg="white" borderWidth="1px" borderRadius="lg" p="4" data-testid="chain-order-facts">
      {fact("Site", order.node_name)}
      {fact("Buyer", order.buyer_name)}
      {fact("Status", <StatusChip status={order.status} />)}
      {fact("Total", <Money amount={order.total} currency={order.currency} />)}
      {fact("Created", formatDateTime(order.created_at))}
      {fact("Updated", formatDateTime(order.updated_at))}
      {fact("Events", order.event_count)}
    </Flex>
  );
}

function Lines({ order }: { order: HqOrderDetailWire }) {
  return (
    <Box bg="white" borderWidth="1px" borderRadius="lg" overflowX="auto">
      <Table.Root size="sm" aria-label="Line items">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>#</Table.ColumnHeader>
            <Table.ColumnHeader>Item</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Qty</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Unit price</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Line total</Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {order.lines.map((line) => (
            <Table.Row key={line.line_no}>
              <Table.Cell>{line.line_no}</Table.Cell>
              <Table.Cell>{line.name}</Table.Cell>
              <Table.Cell textAlign="end">{line.quantity}</Table.Cell>
              <Table.Cell textAlign="end">
                <Money amount={line.unit_price} currency={order.currency} />
              </Table.Cell>
              <Table.Cell textAlign="end">
                <Money amount={line.line_total} currency={order.currency} />
              </Table.Cell>
            </Table.Row>
          ))}
          <Table.Row>
            <Table.Cell colSpan={4} textAlign="end" fontWeight="semibold">
              Total
            </Table.Cell>
            <Table.Cell textAlign="end" fontWeight="semibold" data-testid="chain-order-total">
              <Money amount={order.total} currency={order.currency} />
            </Table.Cell>
          </Table.Row>
        </Table.Body>
      </Table.Root>
    </Box>
  );
}

function ChainTimeline({ title, events, names }: { title: string; events: HqChainEventWire[]; names: Map<string, string> }) {
  return (
    <Box flex="1" minW="0" w="100%" bg="white" borderWidth="1px" borderRadius="lg" p="4" data-testid={`chain-${title.toLowerCase()}`}>
      <Heading as="h3" size="sm" mb="3">
        {title} chain
      </Heading>
      {events.length === 0 ? (
        <Text fontSize="sm" color="gray.600">
          {title === "Production" ? "No production recorded yet." : "No events."}
        </Text>
      ) : (
        <Stack as="ol" gap="3" listStyleType="none">
          {events.map((item) => (
            <Flex as="li" key={`${item.node}:${item.node_seq}`} gap="3" data-testid="chain-event">
              <Box mt="1.5" w="2" h="2" borderRadius="full" bg="brand.500" flexShrink={0} aria-hidden />
              <Box minW="0">
                <Text fontWeight="semibold" fontSize="sm">
                  {eventKindLabel(item.event.kind)}
                  {statusMove(item.event.data) ? (
                    <Text as="span" fontWeight="normal" color="gray.700">
                      {" "}
                      · {statusMove(item.event.data)}
                    </Text>
                  ) : null}
                </Text>
                <Text fontSize="xs" color="gray.600">
                  {formatDateTime(item.event.at)} · {item.event.actor?.name ?? item.event.actor?.id ?? "system"} · {names.get(item.node) ?? item.node}
                  {" "}· #{item.event.seq}
                </Text>
                {item.event.note ? (
                  <Text fontSize="sm" color="gray.700">
                    {item.event.note}
                  </Text>
                ) : null}
              </Box>
            </Flex>
          ))}
        </Stack>
      )}
    </Box>
  );
}
