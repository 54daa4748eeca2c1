"use client";
// A priced order change next to the order it would change: the lines before and after, the
// five totals before → after and the price delta, with Confirm / Decline while it is requested.
import { Badge, Box, Button, Flex, Stack, Table, Text } from "@chakra-ui/react";
import { Money } from "@/components/common/Money";
import type { OrderChange, OrderLineItem, OrderTotals } from "@/lib/api/views";
import { formatSignedMoney, isNegativeMoney, isZeroMoney } from "@/lib/money";
import { describeAction, diffLines, TOTAL_ROWS, type LineDiffKind } from "./changeDiff";

export interface OrderChangeDiffProps {
  change: OrderChange;
  /** The order's lines as they are now: what the change is compared against. */
  linesBefore: OrderLineItem[];
  currency: string;
  /** Set when the order moved since the change was priced: confirming would be refused. */
  stale?: boolean;
  busy?: boolean;
  moduleName?: (id: string) => string | undefined;
  /** Lines to name actions by, when some are gone from the order (defaults to `linesBefore`). */
  namingLines?: OrderLineItem[];
  onConfirm?: () => void;
  onDecline?: () => void;
}

const KIND_PALETTE: Record<LineDiffKind, string> = {
  added: "green",
  removed: "red",
  changed: "orange",
  unchanged: "gray",
};

export function OrderChangeDiff({
  change,
  linesBefore,
  currency,
  stale,
  busy,
  moduleName,
  namingLines,
  onConfirm,
  onDecline,
}: OrderChangeDiffProps) {
  // Once the order has moved, its lines are no longer what the change was priced against:
  // a line diff would mislead, so only the change's own totals are shown.
  const rows = stale && change.status === "requested" ? null : diffLines(linesBefore, change.linesAfter);
  const decidable = change.status === "requested" && (onConfirm || onDecline);
  const deltaPalette = isZeroMoney(change.priceDelta) ? "gray" : isNegativeMoney(change.priceDelta) ? "green" : "orange";
  return (
    <Stack gap="4" data-testid="order-change-diff">
      <Box as="ul" ps="5" fontSize="sm">
        {change.actions.map((action, index) => (
          <li key={index}>{describeAction(action, namingLines ?? linesBefore, currency, moduleName)}</li>
        ))}
      </Box>
      {change.note ? (
        <Text fontSize="sm" fontStyle="italic" color="gray.700">
          “{change.note}”
        </Text>
      ) : null}
      {rows ? (
        <Box overflowX="auto">
          <Table.Root size="sm" aria-label="Lines before and after the change">
            <Table.Header>
              <Table.Row>
                <Table.ColumnHeader>Line</Table.ColumnHeader>
                <Table.ColumnHeader textAlign="end">Before</Table.ColumnHeader>
                <Table.ColumnHeader textAlign="end">After</Table.ColumnHeader>
                <Table.ColumnHeader>Change</Table.ColumnHeader>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {rows.map((row) => {
                const line = row.after ?? row.before;
                return (
                  <Table.Row key={row.key} data-testid="diff-line" data-kind={row.kind}>
                    <Table.Cell>
                      {line ? `${row.before ? `${row.before.position}. ` : "+ "}${line.moduleName}` : row.key}
                      {line ? (
                        <Text as="span" color="gray.600">
                          {" "}
                          · {line.materialName}
                        </Text>
                      ) : null}
                    </Table.Cell>
                    <Table.Cell textAlign="end">
                      <LineFigure line={row.before} currency={currency} />
                    </Table.Cell>
                    <Table.Cell textAlign="end">
                      <LineFigure line={row.after} currency={currency} />
                    </Table.Cell>
                    <Table.Cell>
                      <Badge size="sm" colorPalette={KIND_PALETTE[row.kind]}>
                        {row.kind}
                      </Badge>
                    </Table.Cell>
                  </Table.Row>
                );
              })}
            </Table.Body>
          </Table.Root>
        </Box>
      ) : null}
      <TotalsComparison before={change.totalsBefore} after={change.totalsAfter} currency={currency} />
      <Flex
        align="center"
        justify="space-between"
        gap="3"
        p="3"
        borderRadius="md"
        bg={`${deltaPalette}.50`}
        borderWidth="1px"
        borderColor={`${deltaPalette}.300`}
      >
        <Text fontWeight="semibold">Price change</Text>
        <Text as="span" fontSize="lg" fontWeight="bold" fontVariantNumeric="tabular-nums" data-testid="price-delta">
          {formatSignedMoney(change.priceDelta, currency)}
        </Text>
      </Flex>
      {decidable && stale ? (
        <Text fontSize="sm" color="red.700" role="alert">
          The order has changed since this was priced (version {change.baseVersion}); request it again to confirm.
        </Text>
      ) : null}
      {decidable ? (
        <Flex gap="2" justify="end">
          {onDecline ? (
            <Button size="sm" variant="outline" colorPalette="red" loading={busy} onClick={onDecline}>
              Decline change
            </Button>
          ) : null}
          {onConfirm ? (
            <Button size="sm" colorPalette="brand" loading={busy} disabled={stale} onClick={onConfirm}>
              Confirm change
            </Button>
          ) : null}
        </Flex>
      ) : null}
    </Stack>
  );
}

function LineFigure({ line, currency }: { line: OrderLineItem | null; currency: string }) {
  if (!line) return <Text as="span" color="gray.500">—</Text>;
  return (
    <Text as="span" whiteSpace="nowrap">
      {line.quantity} × <Money amount={line.lineTotal} currency={currency} />
    </Text>
  );
}

export function TotalsComparison({ before, after, currency }: { before: OrderTotals; after: OrderTotals; currency: string }) {
  return (
    <Table.Root size="sm" aria-label="Order totals before and after the change">
      <Table.Header>
        <Table.Row>
          <Table.ColumnHeader />
          <Table.ColumnHeader textAlign="end">Before</Table.ColumnHeader>
          <Table.ColumnHeader textAlign="end">After</Table.ColumnHeader>
        </Table.Row>
      </Table.Header>
      <Table.Body>
        {TOTAL_ROWS.map(({ key, label }) => {
          const moved = before[key] !== after[key];
          return (
            <Table.Row key={key} data-testid={`diff-total-${key}`} data-moved={moved ? "true" : "false"} fontWeight={key === "total" ? "bold" : undefined}>
              <Table.Cell>{label}</Table.Cell>
              <Table.Cell textAlign="end" color={moved ? "gray.600" : undefined}>
                <Money amount={before[key]} currency={currency} />
              </Table.Cell>
              <Table.Cell textAlign="end" fontWeight={moved ? "bold" : undefined}>
                {moved ? "→ " : ""}
                <Money amount={after[key]} currency={currency} />
              </Table.Cell>
            </Table.Row>
          );
        })}
      </Table.Body>
    </Table.Root>
  );
}
