"use client";
// Settings: pricing defaults (currency, tax), the order number prefix, S3 for CNC exports, the Hygraph webhook secret,
// the chain (HQ), the local-network server with its device tokens, pairing and backups, and who is using this screen.
import { Box, Button, Flex, SimpleGrid, Spinner, Stack, Switch, Text } from "@chakra-ui/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { PageHeader } from "@/components/common/PageHeader";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { TextField } from "@/components/common/TextField";
import { LanSection } from "./LanSection";
import { api } from "@/lib/api/client";
import { ApiError } from "@/lib/api/problem";
import type { Settings } from "@/lib/api/views";
import { useSession } from "@/stores/session";
import { BackupsSection } from "./BackupsSection";
import { ChainSection } from "./ChainSection";
import { PairingSection } from "./PairingSection";
import { Section } from "./Section";
import { TokensSection } from "./TokensSection";

/** The stored settings; the form edits a draft of them until it is saved. */
export const SETTINGS_KEY = ["settings"] as const;

export function SettingsScreen() {
  const queryClient = useQueryClient();
  const stored = useQuery({ queryKey: SETTINGS_KEY, queryFn: () => api().getSettings() });
  // The form's edits; `null` until the first one, so the form shows what the server has.
  const [draft, setDraft] = useState<Settings | null>(null);
  const settings = draft ?? stored.data ?? null;
  const loadError = stored.data ? null : stored.error;
  const saveMutation = useMutation({
    mutationFn: (edited: Settings) => api().putSettings(edited),
    onSuccess: (saved) => {
      queryClient.setQueryData(SETTINGS_KEY, saved);
      setDraft(null);
    },
  });
  const saveError = saveMutation.error;
  const saved = saveMutation.isSuccess;
  const busy = saveMutation.isPending;

  const problem = saveError instanceof ApiError ? saveError : null;
  const edit = (patch: (current: Settings) => Settings) => {
    // "Saved." goes away with the next edit; a refusal's field messages stay until the next save.
    if (saveMutation.isSuccess) saveMutation.reset();
    setDraft((current) => {
      const base = current ?? stored.data;
      return base ? patch(base) : current;
    });
  };

  function save(event: React.FormEvent) {
    event.preventDefault();
    if (!settings) return;
    saveMutation.mutate(settings);
  }

  return (
    <Box maxW="920px">
      <PageHeader title="Settings" subtitle="Stored on this machine by the Paform server." />
      <Stack gap="6">
        <ActorSection />
        {loadError ? <ProblemAlert error={loadError} title="Settings could not be loaded" /> : null}
        {!settings && !loadError ? (
          <Flex gap="2" align="center" role="status">
            <Spinner size="sm" /> Loading settings…
          </Flex>
        ) : null}
        {settings ? (
          <form onSubmit={save} noValidate>
            <Stack gap="6">
              <Section title="Pricing" description="Defaults for new quotes.">
                <SimpleGrid columns={{ base: 1, sm: 2 }} gap="4">
                  <TextField
                    label="Currency"
                    helper="ISO 4217 code, e.g. USD, EUR, CAD"
                    value={settings.currency}
                    maxLength={3}
                    onValueChange={(currency) => edit((current) => ({ ...current, currency: currency.toUpperCase() }))}
                    error={problem?.fieldMessage("currency")}
                  />
                  <TextField
                    label="Tax rate"
                    helper="A decimal fraction: 0.13 means 13%"
                    inputMode="decimal"
                    value={settings.taxRate}
                    onValueChange={(taxRate) => edit((current) => ({ ...current, taxRate }))}
                    error={problem?.fieldMessage("tax_rate")}
                  />
                  <TextField
                    label="Quote validity (days)"
                    helper="How long a quote can be accepted"
                    type="number"
                    min={0}
                    value={String(settings.quoteValidityDays)}
                    onValueChange={(days) => edit((current) => ({ ...current, quoteValidityDays: Math.max(0, Math.trunc(Number(days)) || 0) }))}
                    error={problem?.fieldMessage("quote_validity_days")}
                  />
                </SimpleGrid>
              </Section>
              <Section title="Numbers" description="How new quotes and orders are numbered; existing ones keep their numbers.">
                <SimpleGrid columns={{ base: 1, sm: 2 }} gap="4">
                  <TextField
                    label="Order number prefix"
                    helper={`1–10 of A–Z, 0–9 and '-', e.g. ${settings.orderNumberPrefix || "PF-"}000042`}
                    maxLength={10}
                    value={settings.orderNumberPrefix}
                    onValueChange={(prefix) => edit((current) => ({ ...current, orderNumberPrefix: prefix.toUpperCase() }))}
                    error={problem?.fieldMessage("order_number_prefix")}
                  />
                  <TextField
                    label="Quote number prefix"
                    helper={`1–10 of A–Z, 0–9 and '-', e.g. ${settings.quoteNumberPrefix || "Q"}-000123`}
                    maxLength={10}
                    value={settings.quoteNumberPrefix}
                    onValueChange={(prefix) => edit((current) => ({ ...current, quoteNumberPrefix: prefix.toUpperCase() }))}
                    error={problem?.fieldMessage("quote_number_prefix")}
                  />
                </SimpleGrid>
              </Section>
              <Section title="S3 storage" description="Where CNC exports are uploaded. Leave empty to keep them in the local data directory.">
                {!settings.supports.s3 ? <Unsupported what="S3 settings" env="PAFORM_S3_ENDPOINT, PAFORM_S3_BUCKET, …" /> : null}
                {settings.supports.s3 ? (
                <SimpleGrid columns={{ base: 1, sm: 2 }} gap="4">
                  <TextField label="Endpoint" placeholder="http://127.0.0.1:9000" value={settings.s3.endpoint} onValueChange={(endpoint) => edit((current) => ({ ...current, s3: { ...current.s3, endpoint } }))} error={problem?.fieldMessage("s3.endpoint")} />
                  <TextField label="Region" placeholder="us-east-1" value={settings.s3.region} onValueChange={(region) => edit((current) => ({ ...current, s3: { ...current.s3, region } }))} error={problem?.fieldMessage("s3.region")} />
                  <TextField label="Bucket" value={settings.s3.bucket} onValueChange={(bucket) => edit((current) => ({ ...current, s3: { ...current.s3, bucket } }))} error={problem?.fieldMessage("s3.bucket")} />
                  <TextField label="Access key" autoComplete="off" value={settings.s3.accessKey} onValueChange={(accessKey) => edit((current) => ({ ...current, s3: { ...current.s3, accessKey } }))} />
                  <TextField label="Secret key" type="password" autoComplete="off" value={settings.s3.secretKey} onValueChange={(secretKey) => edit((current) => ({ ...current, s3: { ...current.s3, secretKey } }))} />
                </SimpleGrid>
                ) : null}
              </Section>
              <Section title="Hygraph" description="The shared secret Hygraph signs catalog webhooks with. Without it the webhook is refused.">
                {!settings.supports.hygraph ? <Unsupported what="the Hygraph secret" env="PAFORM_HYGRAPH_SECRET" /> : null}
                {settings.supports.hygraph ? (
                  <Stack gap="3">
                    <Text fontSize="sm" data-testid="hygraph-secret-state">
                      {settings.hygraphSecretClear
                        ? "The stored secret will be removed when you save."
                        : settings.hygraphSecretSet
                          ? "A secret is stored. It is never shown; type a new one to replace it."
                          : "No secret is stored: Hygraph deliveries are refused."}
                    </Text>
                    <Flex gap="3" align="end" wrap="wrap">
                      <Box flex="1" minW="240px" maxW="420px">
                        <TextField
                          label={settings.hygraphSecretSet ? "New webhook secret" : "Webhook secret"}
                          type="password"
                          autoComplete="new-password"
                          value={settings.hygraphSecret}
                          onValueChange={(hygraphSecret) => edit((current) => ({ ...current, hygraphSecret, hygraphSecretClear: false }))}
                          error={problem?.fieldMessage("hygraph_secret")}
                        />
                      </Box>
                      {settings.hygraphSecretSet && !settings.hygraphSecretClear ? (
                        <Button
                          size="sm"
                          variant="outline"
                          colorPalette="red"
                          type="button"
                          onClick={() => edit((current) => ({ ...current, hygraphSecret: "", hygraphSecretClear: true }))}
                        >
                          Remove secret
                        </Button>
                      ) : null}
                    </Flex>
                  </Stack>
                ) : null}
              </Section>
              <Section title="Local network" description="Let tablets and shop-floor devices use this machine's API. Devices then need a token.">
                {!settings.supports.lanServer ? <Unsupported what="the local-network server" env="PAFORM_BIND" /> : null}
                {settings.supports.lanServer ? (
                <Stack gap="4">
                  <Switch.Root
                    checked={settings.lanServer.enabled}
                    onCheckedChange={(details) => edit((current) => ({ ...current, lanServer: { ...current.lanServer, enabled: details.checked } }))}
                  >
                    <Switch.HiddenInput />
                    <Switch.Control />
                    <Switch.Label>Serve the API on the local network</Switch.Label>
                  </Switch.Root>
                  <TextField label="Address and port" placeholder="0.0.0.0:8000" value={settings.lanServer.bind} onValueChange={(bind) => edit((current) => ({ ...current, lanServer: { ...current.lanServer, bind } }))} error={problem?.fieldMessage("lan_server.bind")} />
                </Stack>
                ) : null}
                <LanSection initialBind={settings.lanServer.bind} />
              </Section>
              <ProblemAlert error={saveError} title="Settings were not saved" />
              <Flex gap="3" align="center">
                <Button type="submit" colorPalette="brand" loading={busy}>
                  Save settings
                </Button>
                {saved ? (
                  <Text color="green.700" role="status">
                    Saved.
                  </Text>
                ) : null}
              </Flex>
            </Stack>
          </form>
        ) : null}
        <ChainSection />
        <TokensSection />
        <PairingSection />
        <BackupsSection />
      </Stack>
    </Box>
  );
}

function Unsupported({ what, env }: { what: string; env: string }) {
  return (
    <Text fontSize="sm" color="gray.700" bg="gray.50" borderRadius="md" p="3">
      This server does not manage {what} from here yet; set {env} in its environment instead.
    </Text>
  );
}

function ActorSection() {
  const actor = useSession((state) => state.actor);
  const dispatch = useSession((state) => state.dispatch);
  return (
    <Section title="You" description="Recorded as the actor of every status change you make on this device.">
      <SimpleGrid columns={{ base: 1, sm: 2 }} gap="4">
        <TextField label="Your name" value={actor.name} onValueChange={(name) => dispatch({ type: "actor_changed", actor: { ...actor, name, id: actor.id || name } })} />
        <TextField label="Role" helper="e.g. sales, designer, production" value={actor.role} onValueChange={(role) => dispatch({ type: "actor_changed", actor: { ...actor, role } })} />
      </SimpleGrid>
    </Section>
  );
}
