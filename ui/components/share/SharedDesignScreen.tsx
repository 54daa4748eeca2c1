"use client";
// The customer's phone (SPEC §17): the design (or quote) a share link opens, read-only, in the
// configurator's own 3D view, with "View in your room" and, for a quote, its lines and total.
// Phone first: one column, large touch targets; model-viewer and the GLB export load only
// once the design is shown.
import { Alert, Box, Container, Heading, Separator, Spinner, Stack, Table, Text } from "@chakra-ui/react";
import { useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { Money } from "@/components/common/Money";
import { Viewer3D } from "@/components/scene/Viewer3D";
import { api } from "@/lib/api/client";
import { describeError } from "@/lib/api/problem";
import type { SharedQuote, SharedView } from "@/lib/api/views";
import { formatDateTime } from "@/lib/format";
import { sharedSceneModules, sharedTitle } from "./sharedScene";

const RoomView = dynamic(() => import("./RoomView"), { ssr: false });

export function SharedDesignScreen() {
  const token = useSearchParams().get("token")?.trim() ?? "";
  const shared = useQuery({
    queryKey: ["share", token],
    queryFn: () => api().readShare(token),
    enabled: token !== "",
    retry: false,
    staleTime: Infinity,
  });

  return (
    <Container maxW="2xl" px="4" py="4" as="main">
      {token === "" ? (
        <Problem title="This link is incomplete" detail="Scan the QR code in the showroom again." />
      ) : shared.isPending ? (
        <Stack direction="row" align="center" role="status" py="10" justify="center">
          <Spinner size="sm" />
          <Text>Opening your design…</Text>
        </Stack>
      ) : shared.error ? (
        <Problem title="This link does not open a design" detail={describeError(shared.error)} />
      ) : (
        <SharedDesign view={shared.data} />
      )}
    </Container>
  );
}

function Problem({ title, detail }: { title: string; detail: string }) {
  return (
    <Alert.Root status="error" mt="6">
      <Alert.Indicator />
      <Alert.Content>
        <Alert.Title>{title}</Alert.Title>
        <Alert.Description>{detail}</Alert.Description>
      </Alert.Content>
    </Alert.Root>
  );
}

function SharedDesign({ view }: { view: SharedView }) {
  const modules = useMemo(() => sharedSceneModules(view), [view]);
  const title = sharedTitle(view);
  const pieces = view.items.reduce((sum, item) => sum + item.quantity, 0);
  return (
    <Stack gap="4">
      <Box>
        <Text fontSize="xs" color="gray.600" textTransform="uppercase" letterSpacing="wider">
          {view.scope === "quote" ? "Your quote" : "Your design"}
        </Text>
        <Heading as="h1" size="xl">
          {title}
        </Heading>
        <Text fontSize="sm" color="gray.700">
          {modules.length} {modules.length === 1 ? "module" : "modules"}
          {pieces !== modules.length ? `, ${pieces} pieces in all` : ""}
        </Text>
      </Box>
      <Box h={{ base: "56vh", md: "480px" }} minH="320px">
        <Viewer3D modules={modules} height="100%" showSnapshot={false} label={`3D view of ${title}`} />
      </Box>
      {modules.length > 0 ? <RoomView title={title} modelUrl={view.modelUrl} /> : null}
      {view.quote ? <QuoteLines quote={view.quote} /> : <ModuleList view={view} />}
      <Separator />
      <Text fontSize="xs" color="gray.600">
        Read-only view from the showroom; this link works until {formatDateTime(view.expiresAt)}.
      </Text>
    </Stack>
  );
}

function ModuleList({ view }: { view: SharedView }) {
  const names = new Map(view.modules.map((module) => [module.id, module.name]));
  const materials = new Map(view.materials.map((material) => [material.id, material.name]));
  return (
    <Stack as="ul" gap="1" listStyleType="none" aria-label="Modules">
      {view.items.map((item, index) => (
        <Text as="li" key={index} fontSize="sm">
          {item.quantity} × {names.get(item.moduleId) ?? "Module"}
          {materials.has(item.materialId) ? ` · ${materials.get(item.materialId)}` : ""}
        </Text>
      ))}
    </Stack>
  );
}

function QuoteLines({ quote }: { quote: SharedQuote }) {
  return (
    <Box>
      <Table.Root size="sm" aria-label="Quote lines">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Module</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Qty</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Total</Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {quote.lines.map((line, index) => (
            <Table.Row key={index}>
              <Table.Cell>
                {line.moduleName}
                <Text fontSize="xs" color="gray.600">
                  {line.materialName}
                </Text>
              </Table.Cell>
              <Table.Cell textAlign="end">{line.quantity}</Table.Cell>
              <Table.Cell textAlign="end">
                <Money amount={line.lineTotal} currency={quote.currency} />
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
      <Stack gap="1" mt="3" fontSize="sm" align="end">
        <Text>
          Subtotal <Money amount={quote.subtotal} currency={quote.currency} />
        </Text>
        <Text>
          Tax <Money amount={quote.tax} currency={quote.currency} />
        </Text>
        <Text fontWeight="bold" fontSize="lg" data-testid="shared-total">
          Total <Money amount={quote.total} currency={quote.currency} />
        </Text>
        <Text fontSize="xs" color="gray.600">
          Quote valid until {formatDateTime(quote.expiresAt)}.
        </Text>
      </Stack>
    </Box>
  );
}
