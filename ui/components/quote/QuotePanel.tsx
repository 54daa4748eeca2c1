"use client";
// The live quote and its breakdown. Which numbers are current is explicit: only a `fresh`
// quote shows its total as the price and enables "Create order"; a `stale` one is dimmed and
// labelled as the previous total while the new one is calculated.
import { Badge, Box, Button, Flex, Heading, Link, Separator, Spinner, Stack, Table, Text } from "@chakra-ui/react";
import { DocumentButtons } from "@/components/common/DocumentButtons";
import { ShareWithCustomer } from "@/components/share/ShareWithCustomer";
import { Money } from "@/components/common/Money";
import { formatRate } from "@/lib/money";
import { quoteLabel, type Quote } from "@/lib/api/views";
import type { LiveQuoteState } from "./liveQuote";
import { QuoteBoards } from "./QuoteBoards";

export interface QuotePanelProps {
  state: LiveQuoteState;
  moduleName: (id: string) => string;
  materialName: (id: string) => string;
  onCreateOrder?: (quote: Quote) => void;
}

export function QuotePanel({ state, moduleName, materialName, onCreateOrder }: QuotePanelProps) {
  const quote = "quote" in state ? state.quote : null;
  const current = state.status === "fresh";
  return (
    <Box as="section" aria-labelledby="quote-heading" bg="white" borderWidth="1px" borderRadius="lg" p="4">
      <Flex justify="space-between" align="center" mb="3">
        <Heading as="h2" id="quote-heading" size="md">
          Quote
        </Heading>
        <QuoteBadge state={state} />
      </Flex>

      {state.status === "empty" ? (
        <Text color="gray.600" fontSize="sm">
          Add a module to see an exact price.
        </Text>
      ) : null}

      {state.status === "loading" ? (
        <Flex align="center" gap="2" role="status" color="gray.700">
          <Spinner size="sm" /> <Text fontSize="sm">Calculating the exact price…</Text>
        </Flex>
      ) : null}

      {state.status === "error" ? (
        <Box role="alert" bg="red.50" borderColor="red.200" borderWidth="1px" borderRadius="md" p="3" mb="3">
          <Text fontWeight="semibold" color="red.800" fontSize="sm">
            The price could not be calculated
          </Text>
          <Text color="red.800" fontSize="sm">
            {state.error}
          </Text>
        </Box>
      ) : null}

      {quote ? (
        <Box
          aria-busy={state.status === "stale"}
          opacity={current ? 1 : 0.55}
          transition="opacity 0.15s"
          data-testid="quote-breakdown"
        >
          <Table.Root size="sm" variant="line">
            <Table.Header>
              <Table.Row>
                <Table.ColumnHeader px="1">Item</Table.ColumnHeader>
                <Table.ColumnHeader px="1" textAlign="end">
                  Line total
                </Table.ColumnHeader>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {quote.lines.map((line, index) => (
                <Table.Row key={`${line.moduleId}-${index}`}>
                  <Table.Cell px="1">
                    <Text fontWeight="medium">{line.moduleName || moduleName(line.moduleId)}</Text>
                    <Text fontSize="xs" color="gray.600">
                      {line.materialName || materialName(line.materialId)} · {formatArea(line.areaSqFt)} sq ft
                    </Text>
                  </Table.Cell>
                  <Table.Cell px="1" textAlign="end" verticalAlign="top">
                    <Money amount={line.lineTotal} currency={quote.currency} fontWeight="medium" />
                    <Text fontSize="xs" color="gray.600" whiteSpace="nowrap">
                      {line.quantity} × <Money amount={line.unitPrice} currency={quote.currency} />
                    </Text>
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table.Root>
          <Stack gap="1" mt="3" fontSize="sm">
            <Row label="Subtotal">
              <Money amount={quote.subtotal} currency={quote.currency} />
            </Row>
            <Row label={`Tax (${formatRate(quote.taxRate)})`}>
              <Money amount={quote.tax} currency={quote.currency} />
            </Row>
            <Separator my="1" />
            <Row label={current ? "Total" : "Previous total"} strong>
              <Money
                amount={quote.total}
                currency={quote.currency}
                data-testid="quote-total"
                textDecoration={current ? undefined : "line-through"}
              />
            </Row>
          </Stack>
          <QuoteBoards boards={quote.boards} currency={quote.currency} />
        </Box>
      ) : null}

      {onCreateOrder ? (
        <Button
          mt="4"
          w="100%"
          colorPalette="brand"
          disabled={!current}
          onClick={() => quote && current && onCreateOrder(quote)}
        >
          Create order
        </Button>
      ) : null}
      {quote && current ? (
        <Box mt="3">
          <DocumentButtons kind="quote" id={quote.id} fileName={`quote-${quoteLabel(quote)}.pdf`} />
          <Box mt="2">
            <ShareWithCustomer scope="quote" id={quote.id} />
          </Box>
        </Box>
      ) : null}
      {quote && current ? (
        <Text fontSize="sm" color="gray.700" mt="2" data-testid="quote-number">
          Quote no. <b>{quoteLabel(quote)}</b> · valid until {new Date(quote.expiresAt).toLocaleDateString("en-US")}
        </Text>
      ) : null}
      {quote?.designId ? (
        <Link href={`/?design=${encodeURIComponent(quote.designId)}`} fontSize="sm" mt="2" display="inline-block">
          Open design
        </Link>
      ) : null}
    </Box>
  );
}

/** Board area is not money: a rounded figure reads better than the exact six decimals. */
function formatArea(area: string): string {
  const value = Number(area);
  return Number.isFinite(value) ? value.toFixed(2) : area;
}

function QuoteBadge({ state }: { state: LiveQuoteState }) {
  switch (state.status) {
    case "fresh":
      return <Badge colorPalette="green">Current</Badge>;
    case "stale":
      return (
        <Badge colorPalette="orange" role="status">
          <Spinner size="xs" /> Updating…
        </Badge>
      );
    case "loading":
      return <Badge colorPalette="gray">Calculating…</Badge>;
    case "error":
      return <Badge colorPalette="red">Out of date</Badge>;
    default:
      return null;
  }
}

function Row({ label, strong, children }: { label: string; strong?: boolean; children: React.ReactNode }) {
  return (
    <Flex justify="space-between" fontWeight={strong ? "bold" : "normal"} fontSize={strong ? "lg" : undefined}>
      <Text as="span">{label}</Text>
      {children}
    </Flex>
  );
}
