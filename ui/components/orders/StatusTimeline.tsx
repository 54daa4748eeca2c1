"use client";
// The order's lifecycle as a vertical stepper: each status reached shows who moved the order
// there and when (from the audit trail), and only the steps the server allows next are
// offered as actions (forward first, then cancel).
import { Badge, Box, Button, Field, Flex, Heading, Input, Stack, Text } from "@chakra-ui/react";
import { useState } from "react";
import { STATUS_FLOW, type OrderStatus, type StatusEvent } from "@/lib/api/views";
import { formatDateTime, STATUS_LABEL } from "@/lib/format";

export interface StatusTimelineProps {
  status: OrderStatus;
  events: StatusEvent[];
  allowedNext: OrderStatus[];
  busy?: boolean;
  onTransition?: (to: OrderStatus, note: string) => void;
}

type StepState = "done" | "current" | "upcoming" | "skipped";

export function StatusTimeline({ status, events, allowedNext, busy, onTransition }: StatusTimelineProps) {
  const [note, setNote] = useState("");
  const cancelled = status === "cancelled";
  const lastReached = cancelled ? lastForwardStatus(events) : status;
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
      <Heading as="h2" id="timeline-heading" size="md" mb="4">
        Status
      </Heading>
      <Box as="ol" listStyleType="none" aria-label="Order status timeline">
        {steps.map((step, index) => {
          const event = latestEventTo(events, step.status);
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
                    {event.actor.name}
                    {event.actor.role ? ` (${event.actor.role})` : ""} · <time dateTime={event.at}>{formatDateTime(event.at)}</time>
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
          This order is {STATUS_LABEL[status].toLowerCase()}; no further steps.
        </Text>
      ) : null}
    </Box>
  );
}

function latestEventTo(events: StatusEvent[], status: OrderStatus): StatusEvent | undefined {
  return [...events].reverse().find((event) => event.to === status);
}

function lastForwardStatus(events: StatusEvent[]): OrderStatus {
  const cancel = [...events].reverse().find((event) => event.to === "cancelled");
  if (cancel?.from && cancel.from !== "cancelled") return cancel.from;
  const forward = [...events].reverse().find((event) => event.to !== "cancelled");
  return forward?.to ?? "draft";
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
