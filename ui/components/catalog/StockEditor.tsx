"use client";
// A material's stock (SPEC §12): the board sizes it is bought in (with their prices), the
// saw's kerf, the trimmed edge and whether the boards have grain. Saved on its own, as
// `PUT /api/materials/{id}/stock`; problems are shown under the field they name. It also says
// how quotes price the material (SPEC §17): by panel area, or by the boards the quote's nest
// takes on this stock plus saw cuts and edge banding per metre.
import { Box, Button, Field, Flex, Heading, NativeSelect, SimpleGrid, Text } from "@chakra-ui/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { TextField } from "@/components/common/TextField";
import { api } from "@/lib/api/client";
import { ApiError } from "@/lib/api/problem";
import type { MaterialStockWire } from "@/lib/api/types";

type PricingMode = NonNullable<MaterialStockWire["pricing"]>["mode"];

interface SheetDraft {
  width: string;
  height: string;
  cost: string;
}

export function StockEditor({ materialId }: { materialId: string }) {
  const client = useQueryClient();
  const stock = useQuery({ queryKey: ["stock", materialId], queryFn: () => api().getStock(materialId) });
  const [sheets, setSheets] = useState<SheetDraft[]>([]);
  const [kerf, setKerf] = useState("");
  const [trim, setTrim] = useState("");
  const [grain, setGrain] = useState<MaterialStockWire["grain_direction"]>("length");
  const [mode, setMode] = useState<PricingMode>("by_area");
  const [sawRate, setSawRate] = useState("0");
  const [bandingRate, setBandingRate] = useState("0");
  useEffect(() => {
    if (!stock.data) return;
    setSheets(stock.data.sheets.map((sheet) => ({ width: String(sheet.width), height: String(sheet.height), cost: sheet.cost ?? "" })));
    setKerf(String(stock.data.kerf));
    setTrim(String(stock.data.trim));
    setGrain(stock.data.grain_direction);
    setMode(stock.data.pricing?.mode ?? "by_area");
    setSawRate(stock.data.pricing?.saw_cut_per_m ?? "0");
    setBandingRate(stock.data.pricing?.edge_banding_per_m ?? "0");
  }, [stock.data]);
  const save = useMutation({
    mutationFn: () =>
      api().putStock(materialId, {
        sheets: sheets.map((sheet) => ({
          width: Number(sheet.width),
          height: Number(sheet.height),
          ...(sheet.cost.trim() ? { cost: sheet.cost.trim() } : {}),
        })),
        kerf: Number(kerf),
        trim: Number(trim),
        grain_direction: grain,
        pricing: { mode, saw_cut_per_m: sawRate.trim(), edge_banding_per_m: bandingRate.trim() },
      }),
    onSuccess: (saved) => client.setQueryData(["stock", materialId], saved),
  });
  const problem = save.error instanceof ApiError ? save.error : null;
  const edit = (index: number, change: Partial<SheetDraft>) =>
    setSheets((current) => current.map((sheet, at) => (at === index ? { ...sheet, ...change } : sheet)));

  return (
    <Box as="section" aria-labelledby={`stock-${materialId}`} borderTopWidth="1px" pt="4" data-testid="stock-editor">
      <Heading as="h3" id={`stock-${materialId}`} size="sm" mb="2">
        Stock boards and saw
      </Heading>
      <ProblemAlert error={stock.error} title="The stock could not be loaded" />
      {sheets.map((sheet, index) => (
        <SimpleGrid key={index} columns={{ base: 1, sm: 4 }} gap="2" alignItems="end" mb="2">
          <TextField label="Width (mm)" inputMode="decimal" value={sheet.width} onValueChange={(width) => edit(index, { width })} error={problem?.fieldMessage(`sheets[${index}].width`)} />
          <TextField label="Height (mm)" inputMode="decimal" value={sheet.height} onValueChange={(height) => edit(index, { height })} error={problem?.fieldMessage(`sheets[${index}].height`)} />
          <TextField label="Cost per board" inputMode="decimal" value={sheet.cost} onValueChange={(cost) => edit(index, { cost })} error={problem?.fieldMessage(`sheets[${index}].cost`)} />
          <Button size="sm" variant="ghost" disabled={sheets.length < 2} onClick={() => setSheets((current) => current.filter((_, at) => at !== index))}>
            Remove size
          </Button>
        </SimpleGrid>
      ))}
      <Button size="xs" variant="outline" mb="3" onClick={() => setSheets((current) => [...current, { width: "2440", height: "1220", cost: "" }])}>
        Add a board size
      </Button>
      <SimpleGrid columns={{ base: 1, sm: 3 }} gap="2" alignItems="end">
        <TextField label="Kerf (mm)" inputMode="decimal" value={kerf} onValueChange={setKerf} error={problem?.fieldMessage("kerf")} />
        <TextField label="Trim (mm)" inputMode="decimal" value={trim} onValueChange={setTrim} error={problem?.fieldMessage("trim")} />
        <Field.Root>
          <Field.Label>Grain</Field.Label>
          <NativeSelect.Root size="sm">
            <NativeSelect.Field value={grain} onChange={(event) => setGrain(event.target.value as MaterialStockWire["grain_direction"])}>
              <option value="length">Along the board's width</option>
              <option value="none">None (any part may turn)</option>
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
        </Field.Root>
      </SimpleGrid>
      <SimpleGrid columns={{ base: 1, sm: 3 }} gap="2" alignItems="end" mt="3">
        <Field.Root invalid={Boolean(problem?.fieldMessage("pricing.mode"))}>
          <Field.Label>Quotes price this material</Field.Label>
          <NativeSelect.Root size="sm">
            <NativeSelect.Field value={mode} onChange={(event) => setMode(event.target.value as PricingMode)}>
              <option value="by_area">By panel area</option>
              <option value="by_sheet">By boards used</option>
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
          <Field.ErrorText>{problem?.fieldMessage("pricing.mode")}</Field.ErrorText>
        </Field.Root>
        <TextField label="Saw cut per metre" inputMode="decimal" value={sawRate} onValueChange={setSawRate} disabled={mode === "by_area"} error={problem?.fieldMessage("pricing.saw_cut_per_m")} />
        <TextField label="Edge banding per metre" inputMode="decimal" value={bandingRate} onValueChange={setBandingRate} disabled={mode === "by_area"} error={problem?.fieldMessage("pricing.edge_banding_per_m")} />
      </SimpleGrid>
      <Flex gap="3" align="center" mt="3">
        <Button size="sm" colorPalette="brand" onClick={() => save.mutate()} loading={save.isPending}>
          Save stock
        </Button>
        {save.isSuccess ? <Text fontSize="sm" role="status">Stock saved.</Text> : null}
      </Flex>
      {problem?.fieldMessage("sheets") ? <Text color="red.700" fontSize="sm">{problem.fieldMessage("sheets")}</Text> : null}
      {save.error && !problem ? <ProblemAlert error={save.error} title="The stock was not saved" /> : null}
    </Box>
  );
}
