"use client";
// Settings → Chain (SPEC §15): join HQ with its URL and the node token `paform hq node add`
// printed (or the join code HQ's "Add site" shows, pasted or scanned, which fills both), and
// see where this site stands: role, HQ, changes waiting, last push, last error.
// The token is sent once and never shown again (the server never returns it).
import { Box, Button, Flex, SimpleGrid, Stack, Text, Textarea } from "@chakra-ui/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { TextField } from "@/components/common/TextField";
import { api } from "@/lib/api/client";
import { ApiError } from "@/lib/api/problem";
import type { ChainStatusWire } from "@/lib/api/types";
import { chainSummary } from "@/lib/chain";
import { formatDateTime } from "@/lib/format";
import { parseJoinCode } from "@/lib/joinCode";
import { CameraScanner } from "@/components/floor/CameraScanner";
import { Section } from "./Section";

export const CHAIN_KEY = ["chain-status"] as const;

const ROLE_NAMES: Record<ChainStatusWire["role"], string> = {
  standalone: "Standalone (not part of a chain)",
  showroom: "Showroom",
  factory: "Factory",
};

export function ChainSection() {
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: CHAIN_KEY, queryFn: () => api().getChainStatus(), refetchInterval: 10_000 });
  const [hqUrl, setHqUrl] = useState("");
  const [token, setToken] = useState("");
  const [caPem, setCaPem] = useState("");
  const [showCa, setShowCa] = useState(false);
  const [joinCode, setJoinCode] = useState("");
  const [joinCodeError, setJoinCodeError] = useState<string | undefined>();
  /** A pasted or scanned join code fills HQ's address and the token; anything else is said so. */
  const readJoinCode = (text: string) => {
    setJoinCode(text);
    if (!text.trim()) return setJoinCodeError(undefined);
    const code = parseJoinCode(text);
    if (!code) return setJoinCodeError("This is not a join code from HQ's Add site");
    setJoinCodeError(undefined);
    setHqUrl(code.hqUrl);
    setToken(code.token);
  };
  const join = useMutation({
    mutationFn: () => api().joinChain({ hq_url: hqUrl.trim(), token: token.trim(), ca_pem: caPem.trim() || null }),
    onSuccess: (joined) => {
      setToken("");
      setJoinCode("");
      queryClient.setQueryData(CHAIN_KEY, joined);
    },
  });
  const syncNow = useMutation({
    mutationFn: () => api().syncChainNow(),
    onSuccess: (synced) => queryClient.setQueryData(CHAIN_KEY, synced),
  });
  const problem = join.error instanceof ApiError ? join.error : null;
  const current = status.data;
  return (
    <Section
      title="Chain"
      description="Replicate this site's customers, designs, quotes and orders to your HQ. The site keeps working offline; changes wait and go when HQ is reachable."
    >
      {status.error ? <ProblemAlert error={status.error} title="The chain status is not available" /> : null}
      {current ? <ChainFacts status={current} /> : null}
      {current && current.role !== "standalone" ? (
        <Flex gap="3" align="center" mt="3" wrap="wrap">
          <Button size="sm" variant="outline" loading={syncNow.isPending} onClick={() => syncNow.mutate()}>
            Sync now
          </Button>
          <Text fontSize="sm" color="gray.600">
            {current.role === "factory"
              ? "Sends this site's production to HQ and fetches the orders that reached production anywhere in the chain."
              : "Sends what HQ lacks and fetches the catalog and the factory's progress on your orders."}
          </Text>
        </Flex>
      ) : null}
      {syncNow.error ? <ProblemAlert error={syncNow.error} title="Not synced" /> : null}
      <form
        style={{ marginTop: "1rem" }}
        onSubmit={(event) => {
          event.preventDefault();
          join.mutate();
        }}
        noValidate
      >
        <Stack gap="3">
          <Text fontWeight="semibold" fontSize="sm">
            {current && current.role !== "standalone" ? "Join again (another token or HQ address)" : "Join HQ"}
          </Text>
          <Flex gap="3" align="end" wrap="wrap">
            <Box flex="1" minW="240px">
              <TextField
                label="Join code"
                type="password"
                autoComplete="off"
                placeholder='{"hq":"https://…","token":"pfn_…"}'
                helper="Paste the code HQ shows under Chain → Sites → Add site; it fills both fields below"
                value={joinCode}
                onValueChange={readJoinCode}
                error={joinCodeError}
              />
            </Box>
            <CameraScanner size="sm" label="Scan HQ's code" onCode={readJoinCode} />
          </Flex>
          <SimpleGrid columns={{ base: 1, sm: 2 }} gap="4">
            <TextField
              label="HQ address"
              placeholder="https://hq.example.com"
              helper="https:// — plain http:// only for an HQ on this machine"
              value={hqUrl}
              onValueChange={setHqUrl}
              error={problem?.fieldMessage("hq_url")}
            />
            <TextField
              label="Node token"
              type="password"
              autoComplete="off"
              helper="From HQ's Chain → Sites → Add site or `paform hq node add`; shown once there"
              value={token}
              onValueChange={setToken}
              error={problem?.fieldMessage("token")}
            />
          </SimpleGrid>
          {showCa ? (
            <Box>
              <label htmlFor="chain-ca" style={{ fontSize: "0.875rem", fontWeight: 500 }}>
                HQ&apos;s CA certificate (PEM)
              </label>
              <Textarea id="chain-ca" fontFamily="mono" fontSize="xs" rows={4} value={caPem} onChange={(event) => setCaPem(event.target.value)} placeholder="-----BEGIN CERTIFICATE-----" />
              {problem?.fieldMessage("ca_pem") ? (
                <Text color="red.600" fontSize="sm">
                  {problem.fieldMessage("ca_pem")}
                </Text>
              ) : null}
            </Box>
          ) : (
            <Box>
              <Button size="xs" variant="plain" px="0" type="button" onClick={() => setShowCa(true)}>
                HQ uses a self-signed certificate?
              </Button>
            </Box>
          )}
          {join.error && !problem?.fieldMessage("hq_url") && !problem?.fieldMessage("token") ? (
            <ProblemAlert error={join.error} title="Not joined" />
          ) : null}
          <Flex gap="3" align="center">
            <Button type="submit" size="sm" colorPalette="brand" loading={join.isPending} disabled={!hqUrl.trim() || !token.trim()}>
              Join HQ
            </Button>
            {join.data ? (
              <Text fontSize="sm" color="green.700" role="status">
                Joined as {join.data.node_name}.
              </Text>
            ) : null}
          </Flex>
        </Stack>
      </form>
    </Section>
  );
}

function ChainFacts({ status }: { status: ChainStatusWire }) {
  const joined = status.role !== "standalone";
  return (
    <Stack gap="1" fontSize="sm" data-testid="chain-status">
      <Text>
        Role: <b>{ROLE_NAMES[status.role]}</b>
        {status.node_name ? (
          <>
            {" "}
            · <b>{status.node_name}</b>
          </>
        ) : null}
      </Text>
      {joined ? (
        <>
          <Text wordBreak="break-all">
            HQ: <code>{status.hq_url}</code>
          </Text>
          <Text>
            Status: <b>{chainSummary(status)}</b> · last push {formatDateTime(status.last_push_at)}
          </Text>
          {status.last_error ? (
            <Box role="alert" mt="1" px="3" py="2" borderRadius="md" bg={status.state === "refused" ? "red.50" : "orange.50"} color={status.state === "refused" ? "red.900" : "orange.900"}>
              <Text fontSize="sm">{status.last_error}</Text>
            </Box>
          ) : null}
        </>
      ) : (
        <Text color="gray.600">
          {status.pending_events > 0
            ? `${status.pending_events} changes are numbered here and go to HQ once this site joins.`
            : "Nothing is replicated until this site joins an HQ."}
        </Text>
      )}
    </Stack>
  );
}
