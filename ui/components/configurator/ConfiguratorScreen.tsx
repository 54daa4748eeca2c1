"use client";
// The configurator: panel on the left, 3D view in the middle, live quote on the right.
import { Box, Button, Grid, Spinner, Stack, Text } from "@chakra-ui/react";
import dynamic from "next/dynamic";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useMemo, useState } from "react";
import { PageHeader } from "@/components/common/PageHeader";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { QuotePanel } from "@/components/quote/QuotePanel";
import { useLiveQuote } from "@/components/quote/liveQuote";
import { sceneModuleOf, type SceneModule } from "@/components/scene/layout";
import { Viewer3D } from "@/components/scene/Viewer3D";
import { materialColor } from "@/lib/materialColor";
import type { Quote } from "@/lib/api/views";
import { useCatalog } from "./catalogQuery";
import { useConfigurator } from "@/stores/configurator";
import { api } from "@/lib/api/client";
import { describeError } from "@/lib/api/problem";
import { resetDesign, useDesign } from "@/stores/design";
import { DesignBar, type DesignBarProps } from "./DesignBar";
import { ConfiguratorPanel } from "./ConfiguratorPanel";

// The buyer form is needed only once a quote is accepted: keep it out of the first load.
const AcceptQuoteDialog = dynamic(
  () => import("@/components/quote/AcceptQuoteDialog").then((module) => module.AcceptQuoteDialog),
  { ssr: false },
);

export function ConfiguratorScreen() {
  const router = useRouter();
  const catalog = useCatalog();
  const { items, selectedKey, dispatch } = useConfigurator();
  // An open design keeps its snapshot (the quote and order PDFs show it); otherwise the
  // viewer downloads the PNG.
  const designId = useDesign((state) => state.designId);
  const [snapshotNote, setSnapshotNote] = useState<string>();
  const storeSnapshot = designId
    ? async (png: Blob) => {
        try {
          await api().putDesignSnapshot(designId, new Uint8Array(await png.arrayBuffer()));
          setSnapshotNote("Snapshot saved with the design");
        } catch (error) {
          setSnapshotNote(`Snapshot not saved: ${describeError(error)}`);
        }
      }
    : undefined;
  const [accepting, setAccepting] = useState<Quote | null>(null);
  // A quote priced from the saved design replaces the live quote until the items change.
  const [priced, setPriced] = useState<{ quote: Quote; items: typeof items } | null>(null);

  const modulesById = useMemo(() => new Map(catalog.modules.map((module) => [module.id, module])), [catalog.modules]);
  const materialsById = useMemo(
    () => new Map(catalog.materials.map((material) => [material.id, material])),
    [catalog.materials],
  );

  const quoteItems = useMemo(
    () =>
      items
        .filter((item) => modulesById.has(item.moduleId))
        .map((item) => ({
          module_id: item.moduleId,
          quantity: item.quantity,
          ...(item.materialId ? { material_id: item.materialId } : {}),
        })),
    [items, modulesById],
  );
  const liveQuote = useLiveQuote(quoteItems);
  const quoteState = priced && priced.items === items ? { status: "fresh" as const, quote: priced.quote } : liveQuote;

  const sceneModules: SceneModule[] = useMemo(
    () =>
      items.flatMap((item) => {
        const module = modulesById.get(item.moduleId);
        if (!module) return [];
        const material = materialsById.get(item.materialId ?? module.materialId);
        return [sceneModuleOf(item.key, module, material, materialColor(material?.name), item.key === selectedKey)];
      }),
    [items, modulesById, materialsById, selectedKey],
  );

  return (
    <Box>
      <PageHeader
        title="Configurator"
        subtitle="Place modules, choose materials and read the exact price as you go."
      />
      {catalog.status === "error" ? (
        <Stack mb="4">
          <ProblemAlert error={new Error(catalog.error ?? "")} title="The catalog could not be loaded" />
          <Button alignSelf="start" size="sm" onClick={() => void catalog.refresh()}>
            Try again
          </Button>
        </Stack>
      ) : null}
      {catalog.status === "loading" ? (
        <Stack direction="row" align="center" role="status" mb="4">
          <Spinner size="sm" />
          <Text>Loading the catalog…</Text>
        </Stack>
      ) : null}
      <Suspense fallback={null}>
        <DesignBarFromUrl onQuoted={(quote) => setPriced({ quote, items: useConfigurator.getState().items })} />
      </Suspense>
      <Grid
        templateColumns={{ base: "1fr", lg: "340px minmax(0, 1fr)", "2xl": "360px minmax(0, 1fr) 360px" }}
        templateRows={{ lg: "auto 1fr", "2xl": "auto" }}
        gap="5"
        alignItems="start"
      >
        <Box gridRow={{ lg: "span 2", "2xl": "auto" }}>
          <ConfiguratorPanel
            modules={catalog.modules}
            materials={catalog.materials}
            currency={catalog.currency}
            items={items}
            selectedKey={selectedKey}
            dispatch={dispatch}
          />
        </Box>
        <Box h={{ base: "420px", lg: "520px", "2xl": "calc(100vh - 140px)" }} position={{ "2xl": "sticky" }} top="4">
          <Viewer3D
            modules={sceneModules}
            onSelect={(key) => dispatch({ type: "item_selected", key })}
            onSnapshot={storeSnapshot}
          />
          {snapshotNote ? (
            <Text fontSize="xs" color="gray.600" role="status">
              {snapshotNote}
            </Text>
          ) : null}
        </Box>
        <Box gridColumn={{ lg: "2", "2xl": "3" }} position={{ "2xl": "sticky" }} top="4">
          <QuotePanel
            state={quoteState}
            moduleName={(id) => modulesById.get(id)?.name ?? id}
            materialName={(id) => materialsById.get(id)?.name ?? id}
            onCreateOrder={setAccepting}
          />
        </Box>
      </Grid>
      {accepting ? (
        <AcceptQuoteDialog
        quote={accepting}
        onClose={() => setAccepting(null)}
        onAccepted={(order) => {
          setAccepting(null);
          dispatch({ type: "cleared" });
          resetDesign();
          router.push(`/orders/view/?id=${encodeURIComponent(order.id)}&created=1`);
        }}
        />
      ) : null}
    </Box>
  );
}

/** `useSearchParams` needs a Suspense boundary in a static export. */
function DesignBarFromUrl({ onQuoted }: Pick<DesignBarProps, "onQuoted">) {
  const params = useSearchParams();
  return <DesignBar initialDesignId={params.get("design")} onQuoted={onQuoted} />;
}
