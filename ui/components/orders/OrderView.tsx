"use client";
// One order: buyer and frozen terms, the status timeline with its allowed steps, payments
// (amount paid, balance due) and design requests with their versions and assets.
import { Badge, Box, Button, Flex, Grid, Heading, Spinner, Stack, Table, Text } from "@chakra-ui/react";
import NextLink from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { Money } from "@/components/common/Money";
import { PageHeader } from "@/components/common/PageHeader";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { api } from "@/lib/api/client";
import type { Order, OrderStatus, StatusEvent } from "@/lib/api/views";
import { formatDateTime, shortId, STATUS_LABEL, STATUS_PALETTE } from "@/lib/format";
import { useSession } from "@/stores/session";
import { DesignRequestsPanel } from "./DesignRequestsPanel";
import { PaymentsPanel } from "./PaymentsPanel";
import { StatusTimeline } from "./StatusTimeline";

export function OrderView() {
  const id = useSearchParams()?.get("id") ?? "";
  const actor = useSession((state) => state.actor);
  const [order, setOrder] = useState<Order | null>(null);
  const [events, setEvents] = useState<StatusEvent[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [transitionError, setTransitionError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(async () => {
    if (!id) return;
    try {
      const [loaded, trail] = await Promise.all([api().getOrder(id), api().listOrderEvents(id)]);
      setOrder(loaded);
      setEvents(trail);
      setError(null);
    } catch (caught) {
      setError(caught);
    }
  }, [id]);

  useEffect(() => {
    void reload();
  }, [reload]);

  async function transition(to: OrderStatus, note: string) {
    if (!order) return;
    setBusy(true);
    setTransitionError(null);
    try {
      await api().transitionOrder(order.id, { to, actor, note: note || undefined, expectedVersion: order.version });
    } catch (caught) {
      setTransitionError(caught);
    } finally {
      setBusy(false);
      await reload();
    }
  }

  if (!id) return <ProblemAlert error={new Error("No order id in the address (expected ?id=…).")} title="No order selected" />;
  if (error && !order) return <ProblemAlert error={error} title="The order could not be loaded" />;
  if (!order)
    return (
      <Flex align="center" gap="2" role="status">
        <Spinner size="sm" /> <Text>Loading order…</Text>
      </Flex>
    );

  return (
    <Box>
      <Text fontSize="sm" mb="2">
        <NextLink href="/orders/" prefetch={false}>
          <Text as="span" color="brand.700" textDecoration="underline">
            ← All orders
          </Text>
        </NextLink>
      </Text>
      <PageHeader
        title={`Order ${shortId(order.id)}`}
        subtitle={`${order.buyer.name} · ${order.buyer.email}${order.buyer.phone ? ` · ${order.buyer.phone}` : ""} · created ${formatDateTime(order.createdAt)}`}
        actions={
          <Badge size="lg" colorPalette={STATUS_PALETTE[order.status]}>
            {STATUS_LABEL[order.status]}
          </Badge>
        }
      />
      <ProblemAlert error={error} />
      <Grid templateColumns={{ base: "1fr", lg: "minmax(0, 1fr) 360px" }} gap="6" alignItems="start">
        <Stack gap="6">
          <Box as="section" aria-labelledby="items-heading" bg="white" borderWidth="1px" borderRadius="lg" p="4">
            <Heading as="h2" id="items-heading" size="md" mb="3">
              Line items
            </Heading>
            <Table.Root size="sm">
              <Table.Header>
                <Table.Row>
                  <Table.ColumnHeader>Module</Table.ColumnHeader>
                  <Table.ColumnHeader>Material</Table.ColumnHeader>
                  <Table.ColumnHeader textAlign="end">Qty</Table.ColumnHeader>
                  <Table.ColumnHeader textAlign="end">Unit price</Table.ColumnHeader>
                  <Table.ColumnHeader textAlign="end">Line total</Table.ColumnHeader>
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {order.lineItems.map((item) => (
                  <Table.Row key={item.id}>
                    <Table.Cell>{item.moduleName ?? shortId(item.moduleId)}</Table.Cell>
                    <Table.Cell>{item.materialName ?? shortId(item.materialId)}</Table.Cell>
                    <Table.Cell textAlign="end">{item.quantity}</Table.Cell>
                    <Table.Cell textAlign="end">
                      <Money amount={item.unitPrice} currency={order.currency} />
                    </Table.Cell>
                    <Table.Cell textAlign="end">
                      {item.lineTotal ? <Money amount={item.lineTotal} currency={order.currency} /> : "—"}
                    </Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table.Root>
            <Stack gap="1" mt="3" fontSize="sm" align="end">
              <Text>
                Subtotal <Money amount={order.subtotal} currency={order.currency} />
              </Text>
              <Text>
                Tax <Money amount={order.tax} currency={order.currency} />
              </Text>
              <Text fontWeight="bold" fontSize="md">
                Total <Money amount={order.total} currency={order.currency} />
              </Text>
            </Stack>
          </Box>
          <PaymentsPanel order={order} onChanged={reload} />
          <DesignRequestsPanel order={order} />
        </Stack>
        <Box bg="white" borderWidth="1px" borderRadius="lg" p="4">
          <StatusTimeline
            status={order.status}
            events={events}
            allowedNext={order.allowedNext}
            busy={busy}
            onTransition={transition}
          />
          {transitionError ? (
            <Box mt="4">
              <ProblemAlert error={transitionError} title="The order could not move on" />
            </Box>
          ) : null}
          <Button mt="4" size="xs" variant="ghost" onClick={() => void reload()}>
            Refresh
          </Button>
        </Box>
      </Grid>
    </Box>
  );
}
