"use client";
// Device tokens (SPEC §8, §13): in the desktop app a list with each token's role, creation
// with a role, and revocation; in a browser, how to get a token. Either way a paired browser
// can forget its token.
import { Box, Button, Flex, Stack, Table, Text } from "@chakra-ui/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { TextField } from "@/components/common/TextField";
import { api } from "@/lib/api/client";
import { readDeviceToken, writeDeviceToken } from "@/lib/api/http";
import type { DeviceRole } from "@/lib/api/types";
import { formatDateTime } from "@/lib/format";
import { RoleSelect } from "./RoleSelect";
import { Section } from "./Section";

export const TOKENS_KEY = ["device-tokens"] as const;

export function TokensSection() {
  // SPEC §8: tokens are managed from the desktop app and the CLI; a browser shows how to pair.
  // Decided after mount: the prerendered page does not know which transport will run it.
  const [manages, setManages] = useState(false);
  useEffect(() => setManages(api().managesDeviceTokens), []);
  return manages ? <TokensManager /> : <TokensHelp />;
}

function TokensHelp() {
  const [paired, setPaired] = useState(false);
  useEffect(() => setPaired(Boolean(readDeviceToken())), []);
  return (
    <Section title="Device tokens" description="Tablets and shop-floor devices on the local network need a token.">
      <Stack gap="2" fontSize="sm">
        <Text>Pair a device with a QR code below, or create a token on the machine running the server:</Text>
        <Box as="pre" fontFamily="mono" fontSize="sm" bg="gray.50" borderRadius="md" p="3" overflowX="auto">
          {"paform token create --name floor-tablet --role production\npaform token list\npaform token revoke ID"}
        </Box>
        <Text>A device asks for its token the first time the server refuses it.</Text>
      </Stack>
      {paired ? <ForgetToken onForget={() => setPaired(false)} /> : null}
    </Section>
  );
}

function ForgetToken({ onForget }: { onForget: () => void }) {
  return (
    <Flex mt="4" gap="3" align="center">
      <Text fontSize="sm">This browser is paired with a device token.</Text>
      <Button
        size="xs"
        variant="outline"
        onClick={() => {
          writeDeviceToken(null);
          onForget();
        }}
      >
        Forget token
      </Button>
    </Flex>
  );
}

function TokensManager() {
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: TOKENS_KEY, queryFn: () => api().listDeviceTokens() });
  const [name, setName] = useState("");
  const [role, setRole] = useState<DeviceRole>("production");
  const [paired, setPaired] = useState(false);
  useEffect(() => setPaired(Boolean(readDeviceToken())), []);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
  const create = useMutation({
    mutationFn: () => api().createDeviceToken(name.trim(), role),
    onSuccess: () => {
      setName("");
      return invalidate();
    },
  });
  const revoke = useMutation({ mutationFn: (id: string) => api().revokeDeviceToken(id), onSuccess: invalidate });
  const error = tokens.error ?? create.error ?? revoke.error;

  return (
    <Section title="Device tokens" description="A token is shown once when created; paste it into the device's pairing dialog.">
      {error ? <ProblemAlert error={error} title="Device tokens are not available here" /> : null}
      {create.data ? (
        <Box role="status" bg="yellow.50" borderWidth="1px" borderColor="yellow.300" borderRadius="md" p="3" mb="3">
          <Text fontSize="sm" fontWeight="semibold">
            New {create.data.role} token (copy it now, it is not shown again):
          </Text>
          <Text fontFamily="mono" fontSize="sm" wordBreak="break-all">
            {create.data.token}
          </Text>
        </Box>
      ) : null}
      {tokens.data ? (
        <Table.Root size="sm" mb="3">
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeader>Name</Table.ColumnHeader>
              <Table.ColumnHeader>Role</Table.ColumnHeader>
              <Table.ColumnHeader>Created</Table.ColumnHeader>
              <Table.ColumnHeader>Last used</Table.ColumnHeader>
              <Table.ColumnHeader />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {tokens.data.map((token) => (
              <Table.Row key={token.id}>
                <Table.Cell>{token.name}</Table.Cell>
                <Table.Cell>{token.role}</Table.Cell>
                <Table.Cell>{formatDateTime(token.created_at)}</Table.Cell>
                <Table.Cell>{formatDateTime(token.last_used_at)}</Table.Cell>
                <Table.Cell textAlign="end">
                  <Button
                    size="xs"
                    variant="ghost"
                    colorPalette="red"
                    aria-label={`Revoke ${token.name}`}
                    loading={revoke.isPending && revoke.variables === token.id}
                    onClick={() => revoke.mutate(token.id)}
                  >
                    Revoke
                  </Button>
                </Table.Cell>
              </Table.Row>
            ))}
            {tokens.data.length === 0 ? (
              <Table.Row>
                <Table.Cell colSpan={5} color="gray.600">
                  No device tokens.
                </Table.Cell>
              </Table.Row>
            ) : null}
          </Table.Body>
        </Table.Root>
      ) : null}
      <Flex
        as="form"
        onSubmit={(event: React.FormEvent) => {
          event.preventDefault();
          if (name.trim()) create.mutate();
        }}
        gap="3"
        align="end"
        wrap="wrap"
      >
        <Box flex="1" minW="200px" maxW="320px">
          <TextField label="Device name" placeholder="showroom-tablet" value={name} onValueChange={setName} />
        </Box>
        <Box flex="1" minW="220px" maxW="420px">
          <RoleSelect id="token-role" value={role} onChange={setRole} />
        </Box>
        <Button type="submit" size="sm" variant="outline" loading={create.isPending} disabled={!name.trim()}>
          Create token
        </Button>
      </Flex>
      {paired ? <ForgetToken onForget={() => setPaired(false)} /> : null}
    </Section>
  );
}
