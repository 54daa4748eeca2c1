"use client";
// How far an order is on the shop floor: its percentage, how many physical parts are assembled
// and, per part (each copy of a panel has its own code), the stations passed. Kept fresh by the
// live event stream (`useLiveEvents` invalidates `["production", id]`).
import { Badge, Box, Flex, Heading, Progress, Table, Text } from "@chakra-ui/react";
import { useQuery } from "@tanstack/react-query";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { api } from "@/lib/api/client";
import { STATIONS } from "@/lib/api/types";
import { formatPartCopy } from "@/lib/format";

export function ProductionProgress({ orderId, compact = false }: { orderId: string; compact?: boolean }) {
  const production = useQuery({
    queryKey: ["production", orderId],
    queryFn: () => api().orderProduction(orderId),
    enabled: Boolean(orderId),
  });
  if (production.error) return <ProblemAlert error={production.error} title="Production progress could not be loaded" />;
  const data = production.data;
  if (!data) return null;
  const assembled = data.parts.filter((part) => part.stations.some((scan) => scan.station === "assemble")).length;
  return (
    <Box as="section" aria-labelledby={`production-${orderId}`} bg="white" borderWidth="1px" borderRadius="lg" p="4">
      <Flex justify="space-between" align="baseline" mb="2">
        <Heading as="h2" id={`production-${orderId}`} size="md">
          Production {data.order_number}
        </Heading>
        <Text fontWeight="semibold" data-testid="production-percentage">
          {data.percentage} %{data.complete ? " · complete" : ""}
        </Text>
      </Flex>
      <Progress.Root value={data.percentage} max={100} aria-label="Production progress" mb="1">
        <Progress.Track>
          <Progress.Range />
        </Progress.Track>
      </Progress.Root>
      <Text fontSize="sm" color="fg.muted" mb="3" data-testid="production-parts">
        {assembled} of {data.parts.length} {data.parts.length === 1 ? "part" : "parts"} assembled
      </Text>
      {compact ? null : (
        <Table.Root size="sm">
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeader>Part</Table.ColumnHeader>
              <Table.ColumnHeader>Name</Table.ColumnHeader>
              <Table.ColumnHeader>Stations</Table.ColumnHeader>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {data.parts.map((part) => (
              <Table.Row key={part.code} data-testid={`part-${part.code}`}>
                <Table.Cell fontFamily="mono">{part.code}</Table.Cell>
                <Table.Cell>
                  {part.module_name} · {part.name}
                  {formatPartCopy(part) ? ` · ${formatPartCopy(part)}` : ""}
                </Table.Cell>
                <Table.Cell>
                  <Flex gap="1" wrap="wrap">
                    {STATIONS.map((station) => {
                      const done = part.stations.some((scan) => scan.station === station);
                      return (
                        <Badge key={station} colorPalette={done ? "green" : "gray"} variant={done ? "solid" : "outline"}>
                          {station}
                          {done ? " ✓" : ""}
                        </Badge>
                      );
                    })}
                  </Flex>
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table.Root>
      )}
    </Box>
  );
}
