"use client";
// One order, headed by its number: buyer and frozen terms (lines with their production data,
// totals down to the balance), order changes, payments, design requests, and the status
// timeline read from the hash-chained audit trail with the server's verdict on that chain.
// A move to production refused by the three-way check lists its mismatches, with the
// admin's "Override with a note".
import { Alert, Badge, Box, Button, Flex, Grid, Heading, Spinner, Stack, Text } from "@chakra-ui/react";
import NextLink from "next/link";
import { useSearchParams } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { DocumentButtons } from "@/components/common/DocumentButtons";
import { PageHeader } from "@/components/common/PageHeader";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { api } from "@/lib/api/client";
import { ApiError } from "@/lib/api/problem";
import { checkMismatchesOf, type OrderStatus } from "@/lib/api/views";
import { formatDateTime, STATUS_LABEL, STATUS_PALETTE } from "@/lib/format";
import { useLiveEvents } from "@/lib/live/useLiveEvents";
import { useSession } from "@/stores/session";
import { CheckMismatchPanel } from "./CheckMismatchPanel";
import { DesignRequestsPanel } from "./DesignRequestsPanel";
import { FactoryProduction } from "./FactoryProduction";
import { OrderChangePanel } from "./OrderChangePanel";
import { OrderLinesTable, OrderTotalsSummary } from "./OrderLines";
import { PaymentsPanel } from "./PaymentsPanel";
import { ProductionProgress } from "./ProductionProgress";
import { StatusTimeline } from "./StatusTimeline";

/** The query keys of one order's page; a live `order` event for it invalidates them all. */
const orderKeys = {
  all: (id: string) => ["order", id] as const,
  order: (id: string) => ["order", id, "order"] as const,
  events: (id: string) => ["order", id, "events"] as const,
  audit: (id: string) => ["order", id, "audit"] as const,
};

export function OrderView() {
  const params = useSearchParams();
  const id = params?.get("id") ?? "";
  const justCreated = params?.get("created") === "1";
  const actor = useSession((state) => state.actor);
  const queryClient = useQueryClient();
  // Read again whenever the page is shown: orders move on other screens and on the floor.
  const orderQuery = useQuery({ queryKey: orderKeys.order(id), queryFn: () => api().getOrder(id), enabled: id !== "", staleTime: 0 });
  const eventsQuery = useQuery({
    queryKey: orderKeys.events(id),
    queryFn: () => api().listOrderEvents(id),
    enabled: id !== "",
    staleTime: 0,
  });
  // The chain check is separate: a failing check is reported, it does not hide the order.
  const auditQuery = useQuery({ queryKey: orderKeys.audit(id), queryFn: () => api().verifyAudit(id), enabled: id !== "", staleTime: 0 });
  // The page shows the order once both the order and its trail are in, as one answer.
  const order = eventsQuery.data ? (orderQuery.data ?? null) : null;
  const events = eventsQuery.data ?? [];
  const error = orderQuery.error ?? eventsQuery.error;
  const audit = auditQuery.error ? null : (auditQuery.data ?? null);
  const auditError = auditQuery.error;

  // Live `order` events for this order (and a reset) invalidate ["order", id]: see staleKeys.
  useLiveEvents();
  const reload = useCallback(() => queryClient.invalidateQueries({ queryKey: orderKeys.all(id) }), [queryClient, id]);

  const transitionMutation = useMutation({
    mutationFn: ({ to, note, overrideNote }: { to: OrderStatus; note: string; overrideNote?: string }) =>
      api().transitionOrder(id, { to, actor, note: note || undefined, expectedVersion: order?.version, overrideNote }),
    // Refused or not, the page reads the order again (a refusal may mean it moved meanwhile).
    onSettled: () => void reload(),
  });
  const transitionError = transitionMutation.error;
  // The move the three-way check refused, to resend with an override note.
  const refusedMove = transitionError && checkMismatchesOf(transitionError).length > 0 ? (transitionMutation.variables ?? null) : null;
  const busy = transitionMutation.isPending;

  function transition(to: OrderStatus, note: string, overrideNote?: string) {
    if (!order) return;
    transitionMutation.mutate({ to, note, overrideNote });
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
        title={`Order ${order.number}`}
        subtitle={`${order.buyer.name} · ${order.buyer.email}${order.buyer.phone ? ` · ${order.buyer.phone}` : ""} · created ${formatDateTime(order.createdAt)}`}
        actions={
          <Flex gap="3" align="center" wrap="wrap">
            <DocumentButtons kind="order" id={order.id} fileName={`order-${order.number}.pdf`} />
            <Badge size="lg" colorPalette={STATUS_PALETTE[order.status]}>
              {STATUS_LABEL[order.status]}
            </Badge>
          </Flex>
        }
      />
      {justCreated ? (
        <Alert.Root status="success" mb="4" data-testid="order-created">
          <Alert.Indicator />
          <Alert.Title>Order {order.number} created from the quote.</Alert.Title>
        </Alert.Root>
      ) : null}
      <ProblemAlert error={error} />
      {order.soldBy ? (
        <Alert.Root status="info" mb="4" data-testid="order-sold-elsewhere">
          <Alert.Indicator />
          <Alert.Title>
            Sold by another site of the chain (node {order.soldBy}). This site makes it: scans and completion are recorded here and reach the
            showroom through HQ; only the showroom changes the order.
          </Alert.Title>
        </Alert.Root>
      ) : null}
      <Grid templateColumns={{ base: "1fr", lg: "minmax(0, 1fr) 360px" }} gap="6" alignItems="start">
        <Stack gap="6">
          <Box as="section" aria-labelledby="items-heading" bg="white" borderWidth="1px" borderRadius="lg" p="4">
            <Heading as="h2" id="items-heading" size="md" mb="3">
              Line items
            </Heading>
            <OrderLinesTable order={order} />
            <OrderTotalsSummary order={order} />
          </Box>
          <ProductionProgress orderId={order.id} />
          <FactoryProduction orderId={order.id} soldBy={order.soldBy} />
          {/* An order another site sold changes only there: no change, payment or design forms here. */}
          {order.soldBy ? null : (
            <>
              <OrderChangePanel order={order} onChanged={reload} />
              <PaymentsPanel order={order} onChanged={reload} />
              <DesignRequestsPanel order={order} />
            </>
          )}
        </Stack>
        <Box bg="white" borderWidth="1px" borderRadius="lg" p="4">
          <StatusTimeline
            status={order.status}
            events={events}
            allowedNext={order.allowedNext}
            soldElsewhere={order.soldBy !== null}
            audit={audit}
            currency={order.currency}
            busy={busy}
            onTransition={transition}
          />
          {auditError ? (
            <Box mt="4">
              <ProblemAlert error={auditError} title="The audit trail could not be checked" />
            </Box>
          ) : null}
          {transitionError && refusedMove ? (
            <Box mt="4">
              <CheckMismatchPanel
                mismatches={checkMismatchesOf(transitionError)}
                detail={transitionError instanceof ApiError ? transitionError.detail : undefined}
                busy={busy}
                onOverride={(overrideNote) => void transition(refusedMove.to, refusedMove.note, overrideNote)}
              />
            </Box>
          ) : transitionError ? (
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
