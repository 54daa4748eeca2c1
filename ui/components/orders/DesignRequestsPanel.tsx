"use client";
// Design collaboration on an order: requests, their numbered versions, the GLB/DXF/PDF assets
// of each version (upload and download) and approval. Production needs every request approved.
import { Badge, Box, Button, Field, Flex, Heading, Input, NativeSelect, Stack, Text, Textarea } from "@chakra-ui/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { api } from "@/lib/api/client";
import { ASSET_KINDS, type AssetKind } from "@/lib/api/types";
import type { DesignAsset, DesignRequest, DesignVersion, Order } from "@/lib/api/views";
import { formatBytes } from "@/lib/format";
import { native } from "@/lib/native";

const CONTENT_TYPES: Record<AssetKind, string> = {
  glb: "model/gltf-binary",
  dxf: "image/vnd.dxf",
  pdf: "application/pdf",
};

export function assetKindOf(filename: string): AssetKind | null {
  const extension = filename.toLowerCase().split(".").pop() ?? "";
  return ASSET_KINDS.find((kind) => kind === extension) ?? null;
}

export function DesignRequestsPanel({ order }: { order: Order }) {
  const [description, setDescription] = useState("");
  const [lineItemId, setLineItemId] = useState("");
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ["orders", order.id, "design-requests"],
    queryFn: () => api().listDesignRequests(order.id),
  });
  const requests = list.data ?? [];
  const mutation = useMutation({
    mutationFn: (action: () => Promise<unknown>) => action(),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["orders", order.id, "design-requests"] }),
  });
  const busy = mutation.isPending;
  const error = mutation.error ?? list.error;

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    try {
      await mutation.mutateAsync(action);
      return true;
    } catch {
      return false;
    }
  }

  async function create(event: React.FormEvent) {
    event.preventDefault();
    if (!description.trim()) return;
    const ok = await run(() =>
      api().createDesignRequest(order.id, { description: description.trim(), lineItemId: lineItemId || undefined }),
    );
    if (ok) setDescription("");
  }

  return (
    <Box as="section" aria-labelledby="design-requests-heading" bg="white" borderWidth="1px" borderRadius="lg" p="4">
      <Heading as="h2" id="design-requests-heading" size="md" mb="3">
        Design requests
      </Heading>
      <ProblemAlert error={error} />
      <Stack gap="4" mt="2">
        {requests.map((request) => (
          <RequestCard key={request.id} request={request} busy={busy} run={run} />
        ))}
        {requests.length === 0 ? (
          <Text fontSize="sm" color="gray.600">
            No design requests. Add one when the buyer needs a custom drawing or model.
          </Text>
        ) : null}
      </Stack>
      <Box as="form" onSubmit={create} mt="4" pt="4" borderTopWidth="1px">
        <Stack gap="3">
          <Field.Root required>
            <Field.Label fontSize="sm">
              New request <Field.RequiredIndicator />
            </Field.Label>
            <Textarea
              size="sm"
              rows={2}
              value={description}
              placeholder="What should the designer change or produce?"
              onChange={(event) => setDescription(event.target.value)}
            />
          </Field.Root>
          <Flex gap="3" align="end" wrap="wrap">
            <Field.Root maxW="280px">
              <Field.Label fontSize="sm">Line item</Field.Label>
              <NativeSelect.Root size="sm">
                <NativeSelect.Field value={lineItemId} onChange={(event) => setLineItemId(event.target.value)}>
                  <option value="">Whole order</option>
                  {order.lineItems.map((item, index) => (
                    <option key={item.id} value={item.id}>
                      {item.position}. {item.moduleName} × {item.quantity}
                    </option>
                  ))}
                </NativeSelect.Field>
                <NativeSelect.Indicator />
              </NativeSelect.Root>
            </Field.Root>
            <Button size="sm" type="submit" colorPalette="brand" loading={busy} disabled={!description.trim()}>
              Add request
            </Button>
          </Flex>
        </Stack>
      </Box>
    </Box>
  );
}

function RequestCard({
  request,
  busy,
  run,
}: {
  request: DesignRequest;
  busy: boolean;
  run: (action: () => Promise<unknown>) => Promise<boolean>;
}) {
  const [notes, setNotes] = useState("");
  const approved = request.versions.some((version) => version.approved);
  return (
    <Box borderWidth="1px" borderRadius="md" p="3">
      <Flex justify="space-between" gap="2" mb="2">
        <Text fontWeight="semibold">{request.description}</Text>
        <Badge colorPalette={approved ? "green" : "orange"}>{approved ? "approved" : request.status}</Badge>
      </Flex>
      <Stack gap="2">
        {request.versions.map((version) => (
          <VersionRow key={version.id} version={version} busy={busy} run={run} />
        ))}
      </Stack>
      <Flex
        as="form"
        gap="2"
        mt="3"
        align="end"
        onSubmit={async (event: React.FormEvent) => {
          event.preventDefault();
          if (await run(() => api().createDesignVersion(request.id, notes.trim()))) setNotes("");
        }}
      >
        <Field.Root flex="1">
          <Field.Label fontSize="xs">New version notes</Field.Label>
          <Input size="xs" value={notes} onChange={(event) => setNotes(event.target.value)} />
        </Field.Root>
        <Button size="xs" type="submit" variant="outline" loading={busy}>
          Add version
        </Button>
      </Flex>
    </Box>
  );
}

function VersionRow({
  version,
  busy,
  run,
}: {
  version: DesignVersion;
  busy: boolean;
  run: (action: () => Promise<unknown>) => Promise<boolean>;
}) {
  const [uploadError, setUploadError] = useState<string>();
  const inputId = `upload-${version.id}`;

  async function attach(filename: string, bytes: Uint8Array) {
    const kind = assetKindOf(filename);
    if (!kind) {
      setUploadError(`Only ${ASSET_KINDS.map((kind) => `.${kind}`).join(", ")} files can be attached`);
      return;
    }
    setUploadError(undefined);
    await run(() => api().uploadDesignAsset(version.id, kind, filename, bytes, CONTENT_TYPES[kind]));
  }

  async function upload(event: React.ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (file) await attach(file.name, new Uint8Array(await file.arrayBuffer()));
  }

  /** The desktop's native picker (the browser keeps its file input). */
  async function pick() {
    try {
      const picked = await native().pickFile([...ASSET_KINDS]);
      if (picked) await attach(picked.filename, picked.bytes);
    } catch (caught) {
      setUploadError(caught instanceof Error ? caught.message : String(caught));
    }
  }

  return (
    <Box bg="gray.50" borderRadius="md" p="2">
      <Flex justify="space-between" align="center" gap="2" wrap="wrap">
        <Text fontSize="sm">
          <strong>v{version.number}</strong> {version.notes}
        </Text>
        <Flex gap="2" align="center">
          {version.approved ? (
            <Badge colorPalette="green">approved</Badge>
          ) : (
            <Button size="xs" colorPalette="brand" variant="subtle" loading={busy} onClick={() => void run(() => api().approveDesignVersion(version.id))}>
              Approve
            </Button>
          )}
          {native().desktop ? (
            <Button size="xs" variant="outline" loading={busy} onClick={() => void pick()}>
              Attach file…
            </Button>
          ) : (
            <>
              <label htmlFor={inputId}>
                <Box as="span" fontSize="xs" px="2" py="1" borderWidth="1px" borderRadius="sm" bg="white" cursor="pointer">
                  Attach file
                </Box>
              </label>
              <input id={inputId} type="file" accept={ASSET_KINDS.map((kind) => `.${kind}`).join(",")} onChange={upload} style={{ position: "absolute", width: 1, height: 1, opacity: 0 }} />
            </>
          )}
        </Flex>
      </Flex>
      {version.assets.length ? (
        <Stack as="ul" gap="1" mt="1" listStyleType="none">
          {version.assets.map((asset) => (
            <AssetLink key={asset.id} asset={asset} />
          ))}
        </Stack>
      ) : null}
      {uploadError ? (
        <Text fontSize="xs" color="red.700" role="alert">
          {uploadError}
        </Text>
      ) : null}
    </Box>
  );
}

function AssetLink({ asset }: { asset: DesignAsset }) {
  const [error, setError] = useState<string>();
  async function download() {
    try {
      const bytes = await api().downloadDesignAsset(asset.id);
      await native().saveFile({ suggestedName: asset.filename, kind: "design_asset", contentType: asset.contentType, bytes });
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }
  return (
    <Flex as="li" fontSize="xs" gap="2" align="center">
      <Badge size="xs">{asset.kind}</Badge>
      <Button size="2xs" variant="plain" color="brand.700" textDecoration="underline" onClick={() => void download()}>
        {asset.filename}
      </Button>
      <Text color="gray.600">
        {formatBytes(asset.size)} · sha256 {asset.sha256.slice(0, 10)}…
      </Text>
      {error ? <Text color="red.700">{error}</Text> : null}
    </Flex>
  );
}
