"use client";
// HQ's chain view (SPEC §15): the audit's verdict on top, then the orders of every site, the
// sites with their sync state, and the entries HQ keeps in quarantine. Read-only except for
// adding and revoking sites.
import { Box, Flex, Spinner, Tabs, Text } from "@chakra-ui/react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { PageHeader } from "@/components/common/PageHeader";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { hqApi, type HqAuditWire } from "@/lib/api/hq";
import { ChainOrders } from "./ChainOrders";
import { ChainQuarantine } from "./ChainQuarantine";
import { ChainSites } from "./ChainSites";

export const HQ_NODES_KEY = ["hq", "nodes"] as const;
export const HQ_AUDIT_KEY = ["hq", "audit"] as const;

export function ChainScreen() {
  const [tab, setTab] = useState("orders");
  return (
    <Box>
      <PageHeader title="Chain" subtitle="Every site's orders as HQ holds them, the sites and what HQ refused." />
      <AuditLine />
      <Tabs.Root value={tab} onValueChange={(details) => setTab(details.value)} variant="line" lazyMount>
        <Tabs.List mb="4">
          <Tabs.Trigger value="orders">Orders</Tabs.Trigger>
          <Tabs.Trigger value="sites">Sites</Tabs.Trigger>
          <Tabs.Trigger value="quarantine">Quarantine</Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="orders">
          <ChainOrders />
        </Tabs.Content>
        <Tabs.Content value="sites">
          <ChainSites />
        </Tabs.Content>
        <Tabs.Content value="quarantine">
          <ChainQuarantine />
        </Tabs.Content>
      </Tabs.Root>
    </Box>
  );
}

/** "Audit: 12 orders, 48 events, every chain verifies" or the count of each kind of problem. */
export function auditSummary(audit: HqAuditWire): string {
  const counts = `${audit.orders} ${audit.orders === 1 ? "order" : "orders"}, ${audit.events} ${audit.events === 1 ? "event" : "events"}`;
  const problems: string[] = [];
  if (audit.broken_chains.length) problems.push(`${audit.broken_chains.length} broken ${audit.broken_chains.length === 1 ? "chain" : "chains"}`);
  if (audit.projection_mismatches.length)
    problems.push(`${audit.projection_mismatches.length} ${audit.projection_mismatches.length === 1 ? "order differs from its events" : "orders differ from their events"}`);
  if (audit.quarantined) problems.push(`${audit.quarantined} quarantined`);
  if (audit.ok && problems.length === 0) return `Audit: ${counts}; every chain verifies, no problems`;
  return `Audit: ${counts}; ${problems.join(", ") || "problems found"}`;
}

function AuditLine() {
  const audit = useQuery({ queryKey: HQ_AUDIT_KEY, queryFn: () => hqApi().audit(), staleTime: 0, retry: false });
  if (audit.error) return <ProblemAlert error={audit.error} title="The audit is not available" />;
  const current = audit.data;
  const clean = current ? current.ok && current.quarantined === 0 : false;
  return (
    <Flex
      align="center"
      gap="2"
      mb="4"
      px="3"
      py="2"
      borderRadius="md"
      borderWidth="1px"
      bg={!current ? "white" : clean ? "green.50" : "orange.50"}
      borderColor={!current ? "gray.200" : clean ? "green.200" : "orange.300"}
      data-testid="chain-audit"
    >
      {current ? (
        <>
          <Box aria-hidden w="2" h="2" borderRadius="full" bg={clean ? "green.500" : "orange.500"} />
          <Text fontSize="sm">{auditSummary(current)}</Text>
        </>
      ) : (
        <>
          <Spinner size="xs" />
          <Text fontSize="sm" color="gray.600">
            Verifying every chain…
          </Text>
        </>
      )}
    </Flex>
  );
}
