"use client";
// The shell's chain line (SPEC §15): "Synced · 2 min ago" or "37 changes waiting", only on a
// site that joined HQ (a standalone install shows nothing). Links to Settings → Chain.
import { Box, Flex, Text } from "@chakra-ui/react";
import { useQuery } from "@tanstack/react-query";
import NextLink from "next/link";
import { CHAIN_KEY } from "@/components/settings/ChainSection";
import { api } from "@/lib/api/client";
import { chainSummary, chainTone } from "@/lib/chain";

const POLL_MS = 15_000;
const DOT = { green: "green.300", orange: "orange.300", red: "red.300" } as const;

export function ChainIndicator() {
  const status = useQuery({ queryKey: CHAIN_KEY, queryFn: () => api().getChainStatus(), refetchInterval: POLL_MS, retry: false });
  const current = status.data;
  if (!current || current.role === "standalone") return null;
  return (
    <NextLink href="/settings/" prefetch={false} title={current.last_error ?? `HQ: ${current.hq_url ?? ""}`}>
      <Flex align="center" gap="2" mt="2" data-testid="chain-indicator">
        <Box aria-hidden w="2" h="2" borderRadius="full" bg={DOT[chainTone(current)]} />
        <Text color="whiteAlpha.900">{chainSummary(current)}</Text>
      </Flex>
    </NextLink>
  );
}
