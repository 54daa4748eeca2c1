"use client";
// Pairing by QR (SPEC §13): pick a name and a role, get a single-use code valid 5 minutes,
// and show its claim link as a QR code for the tablet's camera. When the server says the link
// is not on the local network (it listens on loopback only, SPEC §17), there is no QR code
// no tablet could open: the screen says how to put the server on the network instead.
import { Alert, Box, Button, Flex, Image, Stack, Text } from "@chakra-ui/react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import QRCode from "qrcode";
import { useEffect, useState } from "react";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { TextField } from "@/components/common/TextField";
import { api } from "@/lib/api/client";
import type { DeviceRole, PairingWire } from "@/lib/api/types";
import { formatDateTime } from "@/lib/format";
import { native } from "@/lib/native";
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
  if (!pairing.reachable_from_network) return <NotOnTheNetwork pairing={pairing} />;
  return <PairingQr pairing={pairing} />;
}

/** The server listens only on this machine: tell how to put it on the local network. */
function NotOnTheNetwork({ pairing }: { pairing: PairingWire }) {
  const desktop = native().desktop;
  return (
    <Alert.Root status="warning" data-testid="pairing-not-on-network" alignItems="start">
      <Alert.Indicator />
      <Alert.Content>
        <Alert.Title>This server is not on the local network</Alert.Title>
        <Alert.Description>
          <Stack gap="2" mt="1">
            <Text>
              It listens only on this computer (<code>{new URL(pairing.url).host}</code>), so no tablet can open a pairing link or QR code.
            </Text>
            {desktop ? (
              <Text>
                Turn on <b>Local network</b> above to serve on this computer&apos;s network address, then show a new pairing code.
              </Text>
            ) : (
              <Text>
                Restart the server listening on every interface, for example <code>paform serve --bind 0.0.0.0:8000</code>, open
                Paform through the computer&apos;s network address and show a new pairing code. In the desktop app, turn on{" "}
                <b>Settings → Local network</b>.
              </Text>
            )}
          </Stack>
        </Alert.Description>
      </Alert.Content>
    </Alert.Root>
  );
}

function PairingQr({ pairing }: { pairing: PairingWire }) {
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    QRCode.toDataURL(pairing.url, { margin: 1, width: 240, errorCorrectionLevel: "M" }).then(
      (url) => current && setQr(url),
      () => current && setQr(null),
    );
    return () => {
      current = false;
    };
  }, [pairing.url]);
  return (
    <Flex gap="5" wrap="wrap" align="start" data-testid="pairing-code">
      {qr ? <Image src={qr} alt={`QR code for ${pairing.url}`} width="240px" height="240px" borderWidth="1px" borderRadius="md" /> : null}
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
