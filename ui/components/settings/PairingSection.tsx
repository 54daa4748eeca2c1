"use client";
// Pairing by QR (SPEC §13): pick a name and a role, get a single-use code valid 5 minutes,
// and show its claim link as a QR code for the tablet's camera. When the server says the link
// is not on the local network (it listens on loopback only, SPEC §17), there is no QR code
// no tablet could open: the screen says how to put the server on the network instead.
import { Box, Button, Flex, Stack, Text } from "@chakra-ui/react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { LinkQr, NotOnTheNetwork } from "@/components/common/LinkQr";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { TextField } from "@/components/common/TextField";
import { api } from "@/lib/api/client";
import type { DeviceRole, PairingWire } from "@/lib/api/types";
import { formatDateTime } from "@/lib/format";
import { RoleSelect } from "./RoleSelect";
import { Section } from "./Section";
import { TOKENS_KEY } from "./TokensSection";

export function PairingSection() {
  const queryClient = useQueryClient();
  const [name, setName] = useState("floor-tablet");
  const [role, setRole] = useState<DeviceRole>("production");
  const pairing = useMutation({
    mutationFn: () => api().createPairing(name.trim(), role),
    // The claimed token will appear in the list; refresh it when the code is used.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TOKENS_KEY }),
  });

  return (
    <Section title="Pair a device" description="Scan the QR code with the tablet's camera within 5 minutes; the code works once.">
      <Flex
        as="form"
        onSubmit={(event: React.FormEvent) => {
          event.preventDefault();
          if (name.trim()) pairing.mutate();
        }}
        gap="3"
        align="end"
        wrap="wrap"
        mb="4"
      >
        <Box flex="1" minW="200px" maxW="320px">
          <TextField label="Device name" value={name} onValueChange={setName} />
        </Box>
        <Box flex="1" minW="220px" maxW="420px">
          <RoleSelect id="pairing-role" value={role} onChange={setRole} />
        </Box>
        <Button type="submit" size="sm" colorPalette="brand" loading={pairing.isPending} disabled={!name.trim()}>
          Show pairing code
        </Button>
      </Flex>
      {pairing.error ? <ProblemAlert error={pairing.error} title="No pairing code" /> : null}
      {pairing.data ? <PairingCode pairing={pairing.data} /> : null}
    </Section>
  );
}

function PairingCode({ pairing }: { pairing: PairingWire }) {
  if (!pairing.reachable_from_network)
    return (
      <NotOnTheNetwork
        host={new URL(pairing.url).host}
        device="tablet"
        again="show a new pairing code"
        testId="pairing-not-on-network"
      />
    );
  return <PairingQr pairing={pairing} />;
}

function PairingQr({ pairing }: { pairing: PairingWire }) {
  return (
    <Flex gap="5" wrap="wrap" align="start" data-testid="pairing-code">
      <LinkQr url={pairing.url} />
      <Stack gap="1" fontSize="sm">
        <Text>
          Code <Text as="span" fontFamily="mono" fontWeight="bold" fontSize="lg" letterSpacing="widest">{pairing.code}</Text> for{" "}
          <b>{pairing.name}</b> ({pairing.role})
        </Text>
        <Text>Expires {formatDateTime(pairing.expires_at)}.</Text>
        <Text wordBreak="break-all">
          Or open <code>{pairing.url}</code> on the device.
        </Text>
        {pairing.urls.length > 1 ? (
          <Text color="gray.600">Other addresses of this machine: {pairing.urls.slice(1).join(", ")}</Text>
        ) : null}
      </Stack>
    </Flex>
  );
}
