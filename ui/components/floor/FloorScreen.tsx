"use client";
// The tablet at a station (SPEC §12): a part's code is scanned from its label with the camera
// or typed, then one large button records the station. Each copy of a panel has its own code;
// an older label's bare panel code records the station on every copy. The part's order and its
// progress stay on screen and update live as other stations scan.
import { Box, Button, Field, Flex, Heading, Input, SimpleGrid, Stack, Text } from "@chakra-ui/react";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { PageHeader } from "@/components/common/PageHeader";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { ProductionProgress } from "@/components/orders/ProductionProgress";
import { api } from "@/lib/api/client";
import { formatPartCopy } from "@/lib/format";
import { STATIONS, type PartProgressWire, type Station } from "@/lib/api/types";
import { useLiveEvents } from "@/lib/live/useLiveEvents";
import { useSession } from "@/stores/session";
import { CameraScanner } from "./CameraScanner";

const STATION_LABEL: Record<Station, string> = {
  cut: "Cut",
  edge: "Edge banded",
  drill: "Drilled",
  assemble: "Assembled",
};

export function FloorScreen() {
  useLiveEvents();
  const actor = useSession((state) => state.actor);
  const [code, setCode] = useState("");
  const [last, setLast] = useState<PartProgressWire | null>(null);
  const scan = useMutation({
    // The operator at the screen as SPEC §5's actor object; the tablet's token adds the device.
    mutationFn: (station: Station) => api().scanPart(code.trim(), station, actor.id && actor.name ? actor : null),
    onSuccess: (part) => setLast(part),
  });
  const ready = code.trim().length > 0 && !scan.isPending;

  return (
    <Box>
      <PageHeader title="Shop floor" subtitle="Scan a part's label (or type its code), then press the station it has passed." />
      <Stack gap="5" maxW="960px">
        <Flex gap="4" align="end" wrap="wrap">
          <Field.Root flex="1" minW="260px">
            <Field.Label fontSize="lg">Part code</Field.Label>
            <Input
              size="2xl"
              fontFamily="mono"
              value={code}
              placeholder="PF-000042-03-B2"
              autoComplete="off"
              autoCapitalize="characters"
              onChange={(event) => setCode(event.target.value)}
              data-testid="part-code"
            />
          </Field.Root>
          <CameraScanner onCode={setCode} />
        </Flex>
        {/* Two large buttons a row up to a landscape tablet; labels wrap rather than clip. */}
        <SimpleGrid columns={{ base: 2, lg: 4 }} gap="4">
          {STATIONS.map((station) => (
            <Button
              key={station}
              h="28"
              minW="0"
              px="3"
              whiteSpace="normal"
              lineHeight="short"
              fontSize={{ base: "xl", sm: "2xl" }}
              colorPalette="brand"
              disabled={!ready}
              loading={scan.isPending && scan.variables === station}
              onClick={() => scan.mutate(station)}
              data-testid={`station-${station}`}
            >
              {STATION_LABEL[station]}
            </Button>
          ))}
        </SimpleGrid>
        <ProblemAlert error={scan.error} title="The scan was not recorded" />
        {last ? (
          <Box role="status" bg="green.50" borderWidth="1px" borderColor="green.200" borderRadius="lg" p="4" data-testid="scan-result">
            <Heading as="h2" size="md">
              {last.code}: {last.module_name} · {last.name}
              {formatPartCopy(last) ? ` · ${formatPartCopy(last)}` : ""}
            </Heading>
            <Text>Passed: {last.stations.map((scan) => STATION_LABEL[scan.station]).join(", ") || "none yet"}</Text>
          </Box>
        ) : null}
        {last ? <ProductionProgress orderId={last.order_id} compact /> : null}
      </Stack>
    </Box>
  );
}
