"use client";
// The order's production chain (SPEC §15): what the factory recorded about it — each part
// scanned at a station and the moment production completed — oldest first. At a showroom it
// arrives from HQ; at the factory it is what this site wrote. Hidden while the chain is empty.
import { Badge, Box, Heading, Stack, Text } from "@chakra-ui/react";
import { useQuery } from "@tanstack/react-query";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { api } from "@/lib/api/client";
import type { OrderEvent } from "@/lib/api/views";
import { formatDateTime } from "@/lib/format";

export const productionEventsKey = (orderId: string) => ["order-production-events", orderId] as const;

function describe(event: OrderEvent): string {
  const data = event.data;
  if (event.kind === "part_scanned") {
    const code = typeof data.code === "string" ? data.code : typeof data.part_code === "string" ? data.part_code : "a part";
    const station = typeof data.station === "string" ? data.station : "a station";
    return `${code} passed ${station}`;
  }
  if (event.kind === "production_complete") return "Every part assembled: production complete";
  return event.kind.replaceAll("_", " ");
}

export function FactoryProduction({ orderId, soldBy }: { orderId: string; soldBy: string | null }) {
  const events = useQuery({
    queryKey: productionEventsKey(orderId),
    queryFn: () => api().listOrderProductionEvents(orderId),
  });
  if (events.error) return <ProblemAlert error={events.error} title="The factory's production could not be loaded" />;
  const list = events.data ?? [];
  if (list.length === 0) return null;
  const complete = list.some((event) => event.kind === "production_complete");
  return (
    <Box as="section" aria-labelledby="factory-heading" bg="white" borderWidth="1px" borderRadius="lg" p="4" data-testid="factory-production">
      <Heading as="h2" id="factory-heading" size="md" mb="1">
        At the factory{" "}
        <Badge colorPalette={complete ? "green" : "blue"} ml="2">
          {complete ? "Complete" : "In production"}
        </Badge>
      </Heading>
      <Text fontSize="sm" color="gray.600" mb="3">
        {soldBy ? "What this site recorded while making the order." : "What the factory recorded, as it reached HQ."} Each entry is a link of the
        order&apos;s production chain.
      </Text>
      <Stack as="ol" gap="2" listStyleType="none" aria-label="Production chain">
        {list.map((event) => (
          <Box as="li" key={event.seq} fontSize="sm">
            <Text fontWeight="medium">{describe(event)}</Text>
            <Text color="gray.600">
              {formatDateTime(event.at)}
              {event.actor ? ` · ${event.actor.name}` : ""}
            </Text>
          </Box>
        ))}
      </Stack>
    </Box>
  );
}
