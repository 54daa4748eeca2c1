"use client";
// The order's lifecycle as a vertical stepper, read from the audit trail: each status reached
// shows who moved the order there and when, and every other event (change confirmed, payment,
// transaction, adjustment, design approval) is listed under the status it happened in. The
// verdict of the server's hash-chain check sits on top. Only the steps the server allows next
// are offered as actions (forward first, then cancel).
import { Badge, Box, Button, Field, Flex, Heading, Input, Stack, Text } from "@chakra-ui/react";
import { useState } from "react";
import { STATUS_FLOW, type AuditReport, type OrderEvent, type OrderEventKind, type OrderStatus } from "@/lib/api/views";
import { formatDateTime, STATUS_LABEL } from "@/lib/format";
import { formatMoney, formatSignedMoney } from "@/lib/money";

export interface StatusTimelineProps {
  status: OrderStatus;
  events: OrderEvent[];
  allowedNext: OrderStatus[];
  /** The order was sold by another site of the chain, which alone moves it. */
  soldElsewhere?: boolean;
  /** The answer of `GET /api/audit/verify?order_id=`; null while it is loading or unavailable. */
  audit?: AuditReport | null;
  /** Currency of the order, for the amounts events carry. */
  currency?: string;
  busy?: boolean;
  onTransition?: (to: OrderStatus, note: string) => void;
}

export const EVENT_LABEL: Record<OrderEventKind, string> = {
  order_created: "Order created",
  status_changed: "Status changed",
  change_confirmed: "Change confirmed",
  change_declined: "Change declined",
  payment_created: "Payment requested",
  transaction_recorded: "Transaction recorded",
  adjustment_recorded: "Adjustment recorded",
  design_approved: "Design approved",
  production_complete: "Production complete",
  part_scanned: "Part scanned",
  production_check_overridden: "Production check overridden",
};

type StepState = "done" | "current" | "upcoming" | "skipped";

export function StatusTimeline({ status, events, allowedNext, soldElsewhere, audit, currency = "USD", busy, onTransition }: StatusTimelineProps) {
  const [note, setNote] = useState("");
  const moves = events.filter((event) => event.kind === "status_changed" && event.to !== null);
  const others = eventsByStatus(events);
  const cancelled = status === "cancelled";
  const lastReached = cancelled ? lastForwardStatus(moves) : status;
  const reachedIndex = STATUS_FLOW.indexOf(lastReached);
  const steps: { status: OrderStatus; state: StepState }[] = STATUS_FLOW.map((step, index) => ({
    status: step,
    state:
      index < reachedIndex
        ? "done"
        : index === reachedIndex
          ? cancelled
            ? "done"
            : "current"
          : cancelled
            ? "skipped"
            : "upcoming",
  }));
  if (cancelled) steps.push({ status: "cancelled", state: "current" });

  return (
    <Box as="section" aria-labelledby="timeline-heading">
      <Heading as="h2" id="timeline-heading" size="md" mb="2">
        Status
      </Heading>
      <AuditVerdict audit={audit} />
      <Box as="ol" listStyleType="none" aria-label="Order status timeline">
        {steps.map((step, index) => {
          const event = latestEventTo(moves, step.status);
          const entries = others.get(step.status) ?? [];
          const last = index === steps.length - 1;
          return (
            <Flex
              as="li"
              key={step.status}
              gap="3"
              aria-current={step.state === "current" ? "step" : undefined}
              data-state={step.state}
              data-testid={`step-${step.status}`}
            >
              <Flex direction="column" align="center">
                <StepDot state={step.state} cancelled={step.status === "cancelled"} />
                {!last ? <Box flex="1" w="2px" minH="6" bg={step.state === "done" ? "brand.500" : "gray.300"} /> : null}
              </Flex>
              <Box pb={last ? 0 : "5"} minW="0">
                <Flex align="center" gap="2">
                  <Text fontWeight={step.state === "current" ? "bold" : "medium"} color={step.state === "upcoming" || step.state === "skipped" ? "gray.600" : "gray.900"}>
                    {STATUS_LABEL[step.status]}
                  </Text>
                  {step.state === "current" ? (
                    <Badge size="sm" colorPalette={step.status === "cancelled" ? "red" : "brand"}>
                      Current
                    </Badge>
                  ) : null}
                </Flex>
                {event ? (
                  <Text fontSize="sm" color="gray.700">
                        {actorName(event)} · <time dateTime={event.at}>{formatDateTime(event.at)}</time>
                  </Text>
                ) : step.status === "draft" && step.state !== "upcoming" ? (
                  <Text fontSize="sm" color="gray.600">
                    Created from the accepted quote
                  </Text>
                ) : null}
                {event?.note ? (
                  <Text fontSize="sm" color="gray.700" fontStyle="italic">
                    “{event.note}”
                  </Text>
                ) : null}
                {entries.length > 0 ? (
                  <Stack as="ul" gap="1" mt="1" listStyleType="none" aria-label={`Events while ${STATUS_LABEL[step.status].toLowerCase()}`}>
                    {entries.map((entry) => (
                      <EventEntry key={entry.seq} event={entry} currency={currency} />
                    ))}
                  </Stack>
                ) : null}
              </Box>
            </Flex>
          );
        })}
      </Box>

      {onTransition && allowedNext.length > 0 ? (
        <Stack gap="3" mt="5" p="4" bg="gray.50" borderRadius="md" borderWidth="1px">
          <Text fontWeight="semibold" fontSize="sm">
            Next step
          </Text>
          <Field.Root>
            <Field.Label fontSize="sm">Note (optional)</Field.Label>
            <Input size="sm" bg="white" value={note} onChange={(event) => setNote(event.target.value)} />
          </Field.Root>
          <Flex gap="2" wrap="wrap">
            {allowedNext.map((to) => (
              <Button
                key={to}
                size="sm"
                colorPalette={to === "cancelled" ? "red" : "brand"}
                variant={to === "cancelled" ? "outline" : "solid"}
                loading={busy}
                onClick={() => {
                  onTransition(to, note.trim());
                  setNote("");
                }}
              >
                {to === "cancelled" ? "Cancel order" : `Move to ${STATUS_LABEL[to]}`}
              </Button>
            ))}
          </Flex>
        </Stack>
      ) : null}
      {allowedNext.length === 0 ? (
        <Text mt="4" fontSize="sm" color="gray.600">
          {soldElsewhere
            ? `This order is ${STATUS_LABEL[status].toLowerCase()}; the site that sold it moves it on.`
            : `This order is ${STATUS_LABEL[status].toLowerCase()}; no further steps.`}
        </Text>
      ) : null}
    </Box>
  );
}

function actorName(event: OrderEvent): string {
  if (!event.actor) return "system";
  return `${event.actor.name}${event.actor.role ? ` (${event.actor.role})` : ""}`;
}

function latestEventTo(moves: OrderEvent[], status: OrderStatus): OrderEvent | undefined {
  return [...moves].reverse().find((event) => event.to === status);
}

function lastForwardStatus(moves: OrderEvent[]): OrderStatus {
  const cancel = [...moves].reverse().find((event) => event.to === "cancelled");
  if (cancel?.from && cancel.from !== "cancelled") return cancel.from;
  const forward = [...moves].reverse().find((event) => event.to !== "cancelled");
  return forward?.to ?? "draft";
}

/** Every event that is not a status change, under the status the order was in at the time. */
export function eventsByStatus(events: OrderEvent[]): Map<OrderStatus, OrderEvent[]> {
  const grouped = new Map<OrderStatus, OrderEvent[]>();
  let current: OrderStatus = "draft";
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    if (event.kind === "status_changed") {
      if (event.to) current = event.to;
      continue;
    }
    grouped.set(current, [...(grouped.get(current) ?? []), event]);
  }
  return grouped;
}

function EventEntry({ event, currency }: { event: OrderEvent; currency: string }) {
  const money = event.priceDelta
    ? formatSignedMoney(event.priceDelta, currency)
    : event.amount
      ? formatMoney(event.amount, currency)
      : null;
  return (
    <Box as="li" fontSize="sm" borderStartWidth="2px" borderColor="gray.300" ps="2" data-testid={`event-${event.seq}`} data-kind={event.kind}>
      <Text>
        <Text as="span" fontWeight="medium">
          {EVENT_LABEL[event.kind]}
        </Text>
        {event.detail ? ` · ${event.detail}` : ""}
        {money ? (
          <Text as="span" fontVariantNumeric="tabular-nums">
            {" "}
            · {money}
          </Text>
        ) : null}
      </Text>
      <Text color="gray.600" fontSize="xs">
        #{event.seq} · {actorName(event)} · <time dateTime={event.at}>{formatDateTime(event.at)}</time>
        {event.note ? ` · “${event.note}”` : ""}
      </Text>
    </Box>
  );
}

/** The server recomputes this order's hash chain; a break names the first event that fails. */
function AuditVerdict({ audit }: { audit?: AuditReport | null }) {
  if (!audit) return null;
  const broken = audit.broken.length ? Math.min(...audit.broken.map((entry) => entry.seq)) : null;
  if (audit.ok && broken === null)
    return (
      <Text fontSize="sm" color="green.700" mb="4" data-testid="audit-status" data-ok="true">
        Audit trail verified ✓
      </Text>
    );
  return (
    <Text fontSize="sm" color="red.700" fontWeight="bold" mb="4" role="alert" data-testid="audit-status" data-ok="false">
      Audit trail BROKEN{broken !== null ? ` at seq ${broken}` : ""}
    </Text>
  );
}

function StepDot({ state, cancelled }: { state: StepState; cancelled: boolean }) {
  const filled = state === "done" || state === "current";
  const color = cancelled ? "red.600" : "brand.600";
  return (
    <Flex
      aria-hidden
      w="6"
      h="6"
      borderRadius="full"
      align="center"
      justify="center"
      fontSize="xs"
      fontWeight="bold"
      borderWidth="2px"
      borderColor={filled ? color : "gray.400"}
      bg={state === "done" ? color : "white"}
      color={state === "done" ? "white" : color}
    >
      {state === "done" ? "✓" : cancelled ? "✕" : state === "current" ? "●" : ""}
    </Flex>
  );
}
