"use client";
// CNC: export the cut list and nesting layout of an order (or of the current configuration),
// with progress (each step of the export in the desktop app, coarse stages in a browser), the
// panel list read from the cut list CSV, the nesting preview drawn from the exported SVG and
// downloads (the native save dialog in the desktop); plus a nesting sandbox on /api/v1/cnc/nest.
import {
  Badge,
  Box,
  Button,
  Field,
  Flex,
  Heading,
  Input,
  NativeSelect,
  Progress,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  VisuallyHidden,
} from "@chakra-ui/react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { PageHeader } from "@/components/common/PageHeader";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { SavedFile } from "@/components/common/SavedFile";
import { useLiveEvents } from "@/lib/live/useLiveEvents";
import { ExportStockAndCut, OffcutsPanel } from "./OffcutsPanel";
import { api } from "@/lib/api/client";
import type { CncArtifactWire, CncExportResponse, NestPartInput, NestRequest, NestResponse } from "@/lib/api/types";
import type { Order } from "@/lib/api/views";
import { columnLabel, csvRecords } from "@/lib/csv";
import { formatBytes, STATUS_LABEL } from "@/lib/format";
import { exportProgressOf, native } from "@/lib/native";
import { useConfigurator } from "@/stores/configurator";
import { PlacementsPreview, SvgPreview } from "./NestingPreview";

/** The progress bar: how far (0–100) and what happens now. */
interface ExportBar {
  percent: number;
  label: string;
}

interface ExportResult {
  response: CncExportResponse;
  csv: string | null;
  /** One nesting layout per material (the server nests each material on its own sheets). */
  svgs: { artifact: CncArtifactWire; svg: string }[];
}

/** Identifier columns of the cut list (label, order/line item/module ids) are for machines;
 * the table shows the rest. A CSV without the known columns is shown whole. */
const HIDDEN_COLUMNS = new Set(["label", "order_id", "line_item_id", "module_id", "material_id"]);

export function panelColumns(table: ReturnType<typeof csvRecords>): ReturnType<typeof csvRecords> {
  const header = table.header.filter((name) => !HIDDEN_COLUMNS.has(name));
  return header.length ? { ...table, header } : table;
}

/** "exports/…/nesting-01-oak.svg" → "nesting-01-oak.svg". */
export function artifactFileName(artifact: CncArtifactWire): string {
  return artifact.key.split("/").pop() || artifact.kind;
}

const EMPTY_ORDERS: Order[] = [];

export function CncScreen() {
  useLiveEvents();
  const configItems = useConfigurator((state) => state.items);
  // Under ["orders"]: order events refresh the choice like every other orders list.
  const ordersQuery = useQuery({ queryKey: ["orders", { limit: 200 }], queryFn: () => api().listOrders({ limit: 200 }) });
  const orders = ordersQuery.data?.items ?? EMPTY_ORDERS;
  const [source, setSource] = useState<string>("");
  const [progress, setProgress] = useState<ExportBar | null>(null);

  // The first order ready for production (or the newest) is chosen until the user chooses.
  useEffect(() => {
    if (!ordersQuery.data) return;
    const ready = orders.find((order) => order.status === "production_ready") ?? orders[0];
    if (ready) setSource((current) => current || ready.id);
    else if (configItems.length) setSource((current) => current || "__config__");
  }, [ordersQuery.data, orders, configItems.length]);

  const exportMutation = useMutation({
    mutationFn: async (from: string): Promise<ExportResult> => {
      setProgress({ percent: 0, label: "Requesting export" });
      const request =
        from === "__config__"
          ? { items: configItems.map((item) => ({ module_id: item.moduleId, quantity: item.quantity, ...(item.materialId ? { material_id: item.materialId } : {}) })) }
          : { order_id: from };
      // The export's own steps fill 0–90 %; reading the files back fills the rest.
      const response = await native().exportCnc(request, (step) => {
        const { percent, label } = exportProgressOf(step);
        setProgress({ percent: Math.round(percent * 0.9), label });
      });
      setProgress({ percent: 90, label: "Reading cut list" });
      const csvArtifact = response.artifacts.find((artifact) => artifact.kind === "cut_list_csv");
      const svgArtifacts = response.artifacts.filter((artifact) => artifact.kind === "nesting_svg");
      const csv = csvArtifact ? await api().fetchArtifactText(csvArtifact.url) : null;
      setProgress({ percent: 95, label: "Reading nesting layout" });
      const svgs = await Promise.all(
        svgArtifacts.map(async (artifact) => ({ artifact, svg: await api().fetchArtifactText(artifact.url) })),
      );
      setProgress({ percent: 100, label: "Done" });
      return { response, csv, svgs };
    },
    onError: () => setProgress(null),
  });
  const result = exportMutation.data ?? null;
  // The list's failure shows until an export is started; from then on, the export's.
  const error = exportMutation.isIdle ? ordersQuery.error : exportMutation.error;

  function runExport() {
    exportMutation.mutate(source);
  }

  const running = progress !== null && progress.percent < 100;
  const panels = useMemo(() => (result?.csv ? panelColumns(csvRecords(result.csv)) : null), [result?.csv]);

  return (
    <Box>
      <PageHeader title="CNC" subtitle="Cut lists and sheet nesting for production." />
      <Box as="section" aria-labelledby="export-heading" bg="white" borderWidth="1px" borderRadius="lg" p="4" mb="6">
        <Heading as="h2" id="export-heading" size="md" mb="3">
          Export for production
        </Heading>
        <Flex gap="3" align="end" wrap="wrap">
          <Field.Root maxW="420px">
            <Field.Label>Source</Field.Label>
            <NativeSelect.Root size="sm">
              <NativeSelect.Field value={source} onChange={(event) => setSource(event.target.value)}>
                <option value="" disabled>
                  Choose an order…
                </option>
                {configItems.length ? <option value="__config__">Current configuration ({configItems.length} modules)</option> : null}
                {orders.map((order) => (
                  <option key={order.id} value={order.id}>
                    Order {order.number} · {order.buyer.name} · {STATUS_LABEL[order.status]}
                  </option>
                ))}
              </NativeSelect.Field>
              <NativeSelect.Indicator />
            </NativeSelect.Root>
          </Field.Root>
          <Button colorPalette="brand" size="sm" onClick={runExport} loading={running} disabled={!source}>
            Export cut list
          </Button>
        </Flex>
        {progress ? (
          <Box mt="4" maxW="520px">
            <Progress.Root value={progress.percent} size="sm" colorPalette="brand" data-testid="export-progress">
              <Flex justify="space-between" mb="1">
                <Progress.Label fontSize="sm">{progress.label}</Progress.Label>
                <Progress.ValueText fontSize="xs" />
              </Flex>
              <Progress.Track>
                <Progress.Range />
              </Progress.Track>
            </Progress.Root>
          </Box>
        ) : null}
        <Box mt="3">
          <ProblemAlert error={error} title="The export failed" />
        </Box>
        {result ? <ExportResultView result={result} panels={panels} /> : null}
      </Box>
      <OffcutsPanel />
      <NestingSandbox />
    </Box>
  );
}

function ExportResultView({ result, panels }: { result: ExportResult; panels: ReturnType<typeof csvRecords> | null }) {
  const { summary, artifacts } = result.response;
  return (
    <Stack gap="5" mt="4" data-testid="cnc-export-result">
      <SimpleGrid columns={{ base: 1, sm: 3 }} gap="3">
        <Stat label="Panels" value={String(summary.panels)} />
        <Stat label="Sheets" value={String(summary.sheets)} />
        <Stat label="Utilization" value={`${(summary.utilization * 100).toFixed(1)}%`} />
      </SimpleGrid>
      <ExportStockAndCut response={result.response} />
      <Box>
        <Heading as="h3" size="sm" mb="2">
          Files
        </Heading>
        <Stack as="ul" gap="2" listStyleType="none">
          {artifacts.map((artifact) => (
            <ArtifactDownload key={artifact.key} artifact={artifact} />
          ))}
        </Stack>
      </Box>
      {panels ? (
        <Box>
          <Heading as="h3" size="sm" mb="2">
            Panels
          </Heading>
          <Box borderWidth="1px" borderRadius="md" overflow="auto" maxH="360px" tabIndex={0} role="region" aria-label="Panel list">
            <Table.Root size="sm" stickyHeader>
              <Table.Header>
                <Table.Row>
                  {panels.header.map((name) => (
                    <Table.ColumnHeader key={name}>{columnLabel(name)}</Table.ColumnHeader>
                  ))}
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {panels.records.map((record, index) => (
                  <Table.Row key={index}>
                    {panels.header.map((name) => (
                      <Table.Cell key={name}>{record[name]}</Table.Cell>
                    ))}
                  </Table.Row>
                ))}
              </Table.Body>
            </Table.Root>
          </Box>
        </Box>
      ) : null}
      {result.svgs.length ? (
        <Box data-testid="nesting-preview">
          <Heading as="h3" size="sm" mb="2">
            Nesting preview
          </Heading>
          <Stack gap="4">
            {result.svgs.map(({ artifact, svg }) => (
              <SvgPreview key={artifact.key} svg={svg} label={svgTitle(svg) ?? `Nesting layout ${artifactFileName(artifact)}`} />
            ))}
          </Stack>
        </Box>
      ) : null}
    </Stack>
  );
}

/** The `<title>` the server writes into each nesting SVG (order, material, sheet count). */
function svgTitle(svg: string): string | null {
  const match = /<title>([^<]*)<\/title>/.exec(svg);
  return match ? match[1].replaceAll("&amp;", "&").replaceAll("&lt;", "<").replaceAll("&gt;", ">") : null;
}

const KIND_LABEL: Record<string, string> = {
  cut_list_csv: "Cut list (CSV)",
  nesting_svg: "Nesting layout (SVG)",
  nesting_dxf: "Nesting layout (DXF)",
  labels_pdf: "Labels PDF",
  saw_sequence_csv: "Saw sequence (CSV)",
};

/** Reads an artifact through the API transport (its link expires) and saves it as a file:
 * through the native save dialog in the desktop, offering its folder afterwards. */
function ArtifactDownload({ artifact }: { artifact: CncArtifactWire }) {
  const [error, setError] = useState<string>();
  const [savedPath, setSavedPath] = useState<string | null>(null);
  const name = artifactFileName(artifact);
  async function download() {
    setError(undefined);
    setSavedPath(null);
    try {
      // A PDF is binary: read it as bytes, never through a text decoder.
      const content =
        artifact.content_type === "application/pdf"
          ? await api().fetchArtifactBytes(artifact.url)
          : await api().fetchArtifactText(artifact.url);
      const saved = await native().saveFile({ suggestedName: name, kind: artifact.kind, contentType: artifact.content_type, bytes: content });
      setSavedPath(saved.path);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }
  return (
    <Flex as="li" gap="3" align="center" wrap="wrap" fontSize="sm">
      <Button size="xs" variant="outline" onClick={() => void download()} aria-label={`Download ${name}`}>
        {native().desktop ? "Save…" : "Download"}
      </Button>
      <Text>{KIND_LABEL[artifact.kind] ?? artifact.kind}</Text>
      <Text color="gray.600" fontFamily="mono" fontSize="xs">
        {artifact.bucket === "local" ? name : `${artifact.bucket}/${artifact.key}`} · {formatBytes(artifact.size)}
      </Text>
      <SavedFile path={savedPath} error={error} name={name} />
    </Flex>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Box p="3" bg="gray.50" borderRadius="md" data-testid={`stat-${label.toLowerCase()}`}>
      <Text fontSize="xs" color="gray.700">
        {label}
      </Text>
      <Text fontSize="xl" fontWeight="bold">
        {value}
      </Text>
    </Box>
  );
}

const DEFAULT_PARTS: NestPartInput[] = [
  { id: "side", width: 720, height: 560, quantity: 4, grain: "length" },
  { id: "top", width: 600, height: 560, quantity: 2, grain: "none" },
  { id: "shelf", width: 564, height: 540, quantity: 4, grain: "none" },
];

function NestingSandbox() {
  const [parts, setParts] = useState<NestPartInput[]>(DEFAULT_PARTS);
  const [sheetWidth, setSheetWidth] = useState("2440");
  const [sheetHeight, setSheetHeight] = useState("1220");
  const [kerf, setKerf] = useState("4");
  const [mode, setMode] = useState<NestRequest["mode"]>("guillotine");
  const [rotation, setRotation] = useState(true);
  // The last layout stays on screen while the next is nested and when that one fails.
  const [result, setResult] = useState<{ response: NestResponse; sheet: { width: number; height: number } } | null>(null);
  const nestMutation = useMutation({
    mutationFn: async (request: NestRequest & { sheet: { width: number; height: number } }) => ({
      response: await api().nest(request),
      sheet: request.sheet,
    }),
    onSuccess: (laidOut) => setResult(laidOut),
  });
  const busy = nestMutation.isPending;
  const error = nestMutation.error;

  const update = (index: number, patch: Partial<NestPartInput>) =>
    setParts(parts.map((part, at) => (at === index ? { ...part, ...patch } : part)));

  function nest() {
    const sheet = { width: Number(sheetWidth), height: Number(sheetHeight) };
    nestMutation.mutate({ sheet, kerf: Number(kerf), allow_rotation: rotation, mode, parts });
  }

  return (
    <Box as="section" aria-labelledby="nest-heading" bg="white" borderWidth="1px" borderRadius="lg" p="4">
      <Heading as="h2" id="nest-heading" size="md" mb="1">
        Nesting sandbox
      </Heading>
      <Text fontSize="sm" color="gray.600" mb="3">
        Try a sheet layout for any list of parts (millimetres).
      </Text>
      <SimpleGrid columns={{ base: 2, md: 5 }} gap="3" mb="3" alignItems="end">
        <NumberField label="Sheet width" value={sheetWidth} onChange={setSheetWidth} />
        <NumberField label="Sheet height" value={sheetHeight} onChange={setSheetHeight} />
        <NumberField label="Kerf" value={kerf} onChange={setKerf} />
        <Field.Root>
          <Field.Label fontSize="sm">Mode</Field.Label>
          <NativeSelect.Root size="sm">
            <NativeSelect.Field value={mode} onChange={(event) => setMode(event.target.value as NestRequest["mode"])}>
              <option value="guillotine">Guillotine (panel saw)</option>
              <option value="free">Free (CNC router)</option>
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
        </Field.Root>
        <Switch.Root checked={rotation} onCheckedChange={(details) => setRotation(details.checked)} size="sm">
          <Switch.HiddenInput />
          <Switch.Control />
          <Switch.Label>Allow rotation</Switch.Label>
        </Switch.Root>
      </SimpleGrid>
      <Table.Root size="sm" mb="3">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Part</Table.ColumnHeader>
            <Table.ColumnHeader>Width</Table.ColumnHeader>
            <Table.ColumnHeader>Height</Table.ColumnHeader>
            <Table.ColumnHeader>Qty</Table.ColumnHeader>
            <Table.ColumnHeader>Grain</Table.ColumnHeader>
            <Table.ColumnHeader>
              <VisuallyHidden>Remove</VisuallyHidden>
            </Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {parts.map((part, index) => (
            <Table.Row key={index}>
              <Table.Cell>
                <Input size="xs" aria-label={`Part ${index + 1} id`} value={part.id} onChange={(event) => update(index, { id: event.target.value })} />
              </Table.Cell>
              <Table.Cell>
                <Input size="xs" type="number" aria-label={`Part ${index + 1} width`} value={part.width} onChange={(event) => update(index, { width: Number(event.target.value) })} />
              </Table.Cell>
              <Table.Cell>
                <Input size="xs" type="number" aria-label={`Part ${index + 1} height`} value={part.height} onChange={(event) => update(index, { height: Number(event.target.value) })} />
              </Table.Cell>
              <Table.Cell>
                <Input size="xs" type="number" min={1} aria-label={`Part ${index + 1} quantity`} value={part.quantity} onChange={(event) => update(index, { quantity: Number(event.target.value) })} />
              </Table.Cell>
              <Table.Cell>
                <NativeSelect.Root size="xs">
                  <NativeSelect.Field aria-label={`Part ${index + 1} grain`} value={part.grain} onChange={(event) => update(index, { grain: event.target.value as NestPartInput["grain"] })}>
                    <option value="none">none</option>
                    <option value="length">length</option>
                  </NativeSelect.Field>
                  <NativeSelect.Indicator />
                </NativeSelect.Root>
              </Table.Cell>
              <Table.Cell>
                <Button size="xs" variant="ghost" aria-label={`Remove part ${index + 1}`} onClick={() => setParts(parts.filter((_, at) => at !== index))}>
                  ✕
                </Button>
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
      <Flex gap="2" mb="3">
        <Button size="sm" variant="outline" onClick={() => setParts([...parts, { id: `p${parts.length + 1}`, width: 400, height: 300, quantity: 1, grain: "none" }])}>
          Add part
        </Button>
        <Button size="sm" colorPalette="brand" onClick={nest} loading={busy} disabled={parts.length === 0}>
          Nest parts
        </Button>
      </Flex>
      <ProblemAlert error={error} />
      {result ? (
        <Box mt="3">
          <Text fontSize="sm" mb="2">
            {result.response.sheets.length} sheet(s), utilization {(result.response.utilization * 100).toFixed(1)}%
          </Text>
          <PlacementsPreview result={result.response} sheet={result.sheet} />
        </Box>
      ) : null}
    </Box>
  );
}

function NumberField({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  return (
    <Field.Root>
      <Field.Label fontSize="sm">{label}</Field.Label>
      <Input size="sm" type="number" value={value} onChange={(event) => onChange(event.target.value)} />
    </Field.Root>
  );
}
