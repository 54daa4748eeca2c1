"use client";
// The sites of the chain as HQ knows them: role, order-number prefix, sync state, how many
// entries HQ received and how many it keeps in quarantine. "Add site" creates a node and shows
// its token once, with the join code (text and QR) a site's Settings → Chain reads; "Revoke"
// refuses the site's token from then on, after a confirmation.
import { Badge, Box, Button, CloseButton, Code, Dialog, Field, Flex, NativeSelect, Portal, SimpleGrid, Stack, Table, Text, VisuallyHidden } from "@chakra-ui/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { LinkQr } from "@/components/common/LinkQr";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { TextField } from "@/components/common/TextField";
import { hqApi, type HqNodeWire, type NodeRole } from "@/lib/api/hq";
import { ApiError } from "@/lib/api/problem";
import { siteSyncState, siteSyncTone } from "@/lib/chain";
import { formatDateTime } from "@/lib/format";
import { makeJoinCode } from "@/lib/joinCode";
import { HQ_NODES_KEY } from "./ChainScreen";

const ROLE_NAMES: Record<NodeRole, string> = { showroom: "Showroom", factory: "Factory" };

export function ChainSites() {
  const nodes = useQuery({ queryKey: HQ_NODES_KEY, queryFn: () => hqApi().listNodes(), refetchInterval: 15_000, staleTime: 0 });
  const [adding, setAdding] = useState(false);
  const [revoking, setRevoking] = useState<HqNodeWire | null>(null);
  return (
    <Box>
      <Flex justify="space-between" align="center" mb="4" gap="3" wrap="wrap">
        <Text fontSize="sm" color="gray.600">
          A site joins with the token shown once when it is added here. Its orders and production reach HQ on every sync.
        </Text>
        <Button size="sm" colorPalette="brand" onClick={() => setAdding(true)}>
          Add site
        </Button>
      </Flex>
      <ProblemAlert error={nodes.error} />
      <Box bg="white" borderWidth="1px" borderRadius="lg" overflowX="auto">
        <Table.Root size="sm" aria-label="Sites">
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeader>Site</Table.ColumnHeader>
              <Table.ColumnHeader>Role</Table.ColumnHeader>
              <Table.ColumnHeader>Prefix</Table.ColumnHeader>
              <Table.ColumnHeader>Sync</Table.ColumnHeader>
              <Table.ColumnHeader textAlign="end">Entries received</Table.ColumnHeader>
              <Table.ColumnHeader textAlign="end">Quarantined</Table.ColumnHeader>
              <Table.ColumnHeader>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.ColumnHeader>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {nodes.data?.map((node) => (
              <Table.Row key={node.id} data-testid="chain-site">
                <Table.Cell>
                  <Text fontWeight="semibold">{node.name}</Text>
                  <Text fontSize="xs" color="gray.600">
                    {node.joined_at ? `joined ${formatDateTime(node.joined_at)}` : `added ${formatDateTime(node.created_at)}, not joined yet`}
                  </Text>
                </Table.Cell>
                <Table.Cell>{ROLE_NAMES[node.role] ?? node.role}</Table.Cell>
                <Table.Cell>
                  <Text as="span" fontFamily="mono">
                    {node.number_prefix ?? "—"}
                  </Text>
                </Table.Cell>
                <Table.Cell>
                  <Badge colorPalette={siteSyncTone(node)} data-testid="site-sync" title={node.last_push_at ? formatDateTime(node.last_push_at) : undefined}>
                    {siteSyncState(node)}
                  </Badge>
                </Table.Cell>
                <Table.Cell textAlign="end" fontVariantNumeric="tabular-nums">
                  {node.held_seq}
                </Table.Cell>
                <Table.Cell textAlign="end" fontVariantNumeric="tabular-nums" color={node.quarantined ? "red.700" : undefined}>
                  {node.quarantined}
                </Table.Cell>
                <Table.Cell textAlign="end">
                  {node.revoked ? null : (
                    <Button size="xs" variant="outline" colorPalette="red" onClick={() => setRevoking(node)} aria-label={`Revoke ${node.name}`}>
                      Revoke
                    </Button>
                  )}
                </Table.Cell>
              </Table.Row>
            ))}
            {nodes.data && nodes.data.length === 0 ? (
              <Table.Row>
                <Table.Cell colSpan={7}>
                  <Text color="gray.600" py="4" textAlign="center">
                    No sites yet. Add one, then join it from its Settings → Chain.
                  </Text>
                </Table.Cell>
              </Table.Row>
            ) : null}
          </Table.Body>
        </Table.Root>
      </Box>
      {adding ? <AddSiteDialog onClose={() => setAdding(false)} /> : null}
      {revoking ? <RevokeDialog node={revoking} onClose={() => setRevoking(null)} /> : null}
    </Box>
  );
}

function AddSiteDialog({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [role, setRole] = useState<NodeRole>("showroom");
  const [prefix, setPrefix] = useState("");
  const add = useMutation({
    mutationFn: () => hqApi().addNode({ name: name.trim(), role, number_prefix: prefix.trim() || null }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: HQ_NODES_KEY }),
  });
  const created = add.data ?? null;
  // The address the site reaches HQ at is the one this browser reached it at.
  const joinCode = created ? makeJoinCode(window.location.origin, created.token) : "";
  const problem = add.error instanceof ApiError ? add.error : null;
  return (
    <Dialog.Root open onOpenChange={(details) => (!details.open ? onClose() : undefined)} size="lg">
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <Dialog.Header>
              <Dialog.Title>{created ? `${name.trim()} added` : "Add site"}</Dialog.Title>
            </Dialog.Header>
            {created ? (
              <>
                <Dialog.Body>
                  <Stack gap="3" data-testid="new-site">
                    <Text fontSize="sm">
                      This token is shown only now. On the site open <b>Settings → Chain</b> and paste the join code, or scan
                      the QR code; or type HQ&apos;s address and the token.
                    </Text>
                    <Flex gap="4" wrap="wrap" align="start">
                      <LinkQr url={joinCode} size={200} />
                      <Stack gap="2" flex="1" minW="240px">
                        <Field.Root>
                          <Field.Label>Node token</Field.Label>
                          <Code p="2" wordBreak="break-all" data-testid="new-site-token">
                            {created.token}
                          </Code>
                        </Field.Root>
                        <Field.Root>
                          <Field.Label>Join code</Field.Label>
                          <Code p="2" wordBreak="break-all" fontSize="xs" data-testid="join-code">
                            {joinCode}
                          </Code>
                        </Field.Root>
                        <Box>
                          <Button size="xs" variant="outline" onClick={() => void navigator.clipboard?.writeText(joinCode).catch(() => undefined)}>
                            Copy join code
                          </Button>
                        </Box>
                      </Stack>
                    </Flex>
                  </Stack>
                </Dialog.Body>
                <Dialog.Footer>
                  <Button colorPalette="brand" onClick={onClose}>
                    Done
                  </Button>
                </Dialog.Footer>
              </>
            ) : (
              <form
                noValidate
                style={{ display: "contents" }}
                onSubmit={(event) => {
                  event.preventDefault();
                  if (name.trim()) add.mutate();
                }}
              >
                <Dialog.Body>
                  <Stack gap="4">
                    <TextField label="Name" required value={name} onValueChange={setName} placeholder="Leeds showroom" />
                    <SimpleGrid columns={{ base: 1, sm: 2 }} gap="4">
                      <Field.Root>
                        <Field.Label>Role</Field.Label>
                        <NativeSelect.Root size="sm">
                          <NativeSelect.Field value={role} onChange={(event) => setRole(event.target.value as NodeRole)}>
                            <option value="showroom">Showroom</option>
                            <option value="factory">Factory</option>
                          </NativeSelect.Field>
                          <NativeSelect.Indicator />
                        </NativeSelect.Root>
                      </Field.Root>
                      <TextField
                        label="Order number prefix"
                        value={prefix}
                        onValueChange={(value) => setPrefix(value.toUpperCase())}
                        placeholder="LDS"
                        helper="Optional (LDS for LDS-000042). A site that has numbered nothing yet takes it when it joins; one that has must already use it (Settings → Numbers). Left empty, the site's own prefix is taken"
                      />
                    </SimpleGrid>
                    {add.error ? <ProblemAlert error={add.error} title={problem?.status === 409 ? "Prefix taken" : "The site was not added"} /> : null}
                  </Stack>
                </Dialog.Body>
                <Dialog.Footer>
                  <Button variant="outline" type="button" onClick={onClose}>
                    Cancel
                  </Button>
                  <Button colorPalette="brand" type="submit" loading={add.isPending} disabled={!name.trim()}>
                    Add site
                  </Button>
                </Dialog.Footer>
              </form>
            )}
            <Dialog.CloseTrigger asChild>
              <CloseButton size="sm" aria-label="Close" />
            </Dialog.CloseTrigger>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}

function RevokeDialog({ node, onClose }: { node: HqNodeWire; onClose: () => void }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => hqApi().revokeNode(node.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: HQ_NODES_KEY });
      onClose();
    },
  });
  return (
    <Dialog.Root open role="alertdialog" onOpenChange={(details) => (!details.open ? onClose() : undefined)}>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <Dialog.Header>
              <Dialog.Title>Revoke {node.name}?</Dialog.Title>
            </Dialog.Header>
            <Dialog.Body>
              <Stack gap="3">
                <Text fontSize="sm">
                  HQ will refuse this site&apos;s token from now on: nothing it sends is written, and it receives nothing. What HQ
                  already holds of it stays. The site keeps working offline.
                </Text>
                {revoke.error ? <ProblemAlert error={revoke.error} title="Not revoked" /> : null}
              </Stack>
            </Dialog.Body>
            <Dialog.Footer>
              <Button variant="outline" onClick={onClose}>
                Cancel
              </Button>
              <Button colorPalette="red" loading={revoke.isPending} onClick={() => revoke.mutate()}>
                Revoke site
              </Button>
            </Dialog.Footer>
            <Dialog.CloseTrigger asChild>
              <CloseButton size="sm" aria-label="Close" />
            </Dialog.CloseTrigger>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
