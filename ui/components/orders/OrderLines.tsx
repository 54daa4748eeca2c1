"use client";
// The terms of an order as a contract: each line with the production data frozen when the
// quote was accepted (dimensions, material and thickness), its finish and discount, and the
// totals down to the balance (a negative balance is a credit owed to the buyer).
import { Box, Flex, Stack, Table, Text } from "@chakra-ui/react";
import { Money } from "@/components/common/Money";
import type { Order, OrderLineItem } from "@/lib/api/views";
import { formatDimensions, formatMm } from "@/lib/format";
import { absMoney, formatSignedMoney, isNegativeMoney, isZeroMoney } from "@/lib/money";

export function OrderLinesTable({ order }: { order: Order }) {
  return (
    <Box overflowX="auto">
      <Table.Root size="sm" aria-label="Line items">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>#</Table.ColumnHeader>
            <Table.ColumnHeader>Module</Table.ColumnHeader>
            <Table.ColumnHeader>Material</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Qty</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Unit price</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Discount</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Line total</Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {order.lineItems.map((line) => (
            <LineRow key={line.id} line={line} currency={order.currency} />
          ))}
        </Table.Body>
      </Table.Root>
    </Box>
  );
}

function LineRow({ line, currency }: { line: OrderLineItem; currency: string }) {
  const production = line.production;
  return (
    <Table.Row data-testid={`line-${line.position}`}>
      <Table.Cell verticalAlign="top">{line.position}</Table.Cell>
      <Table.Cell verticalAlign="top">
        <Text>{line.moduleName}</Text>
        <Text fontSize="xs" color="gray.600" data-testid="line-dimensions">
          {production ? formatDimensions(production.width, production.height, production.depth) : "dimensions not recorded"}
        </Text>
      </Table.Cell>
      <Table.Cell verticalAlign="top">
        <Text>
          {line.materialName}
          {production?.materialThicknessMm != null ? (
            <Text as="span" color="gray.600">
              {" "}
              · {formatMm(production.materialThicknessMm)}
            </Text>
          ) : null}
        </Text>
        {line.finishOverride ? (
          <Text fontSize="xs" color="gray.700" data-testid="line-finish">
            Finish: {line.finishOverride.name} ({formatSignedMoney(line.finishOverride.priceDelta, currency)} per unit)
          </Text>
        ) : null}
      </Table.Cell>
      <Table.Cell textAlign="end" verticalAlign="top">
        {line.quantity}
      </Table.Cell>
      <Table.Cell textAlign="end" verticalAlign="top">
        <Money amount={line.unitPrice} currency={currency} />
      </Table.Cell>
      <Table.Cell textAlign="end" verticalAlign="top">
        {isZeroMoney(line.discount) ? (
          <Text as="span" color="gray.500">
            —
          </Text>
        ) : (
          <>
            <Money amount={`-${absMoney(line.discount)}`} currency={currency} />
            {line.discountReason ? (
              <Text fontSize="xs" color="gray.600">
                {line.discountReason}
              </Text>
            ) : null}
          </>
        )}
      </Table.Cell>
      <Table.Cell textAlign="end" verticalAlign="top">
        <Money amount={line.lineTotal} currency={currency} />
      </Table.Cell>
    </Table.Row>
  );
}

/** Subtotal → discount → shipping → tax → total → paid → balance, as the server computed them. */
export function OrderTotalsSummary({ order }: { order: Order }) {
  const credit = isNegativeMoney(order.balanceDue);
  return (
    <Stack as="dl" gap="1" mt="3" fontSize="sm" align="end" data-testid="order-totals">
      <Figure label="Subtotal" testId="order-subtotal">
        <Money amount={order.subtotal} currency={order.currency} />
      </Figure>
      {!isZeroMoney(order.discount) ? (
        <Figure label={`Discount${order.discountReason ? ` (${order.discountReason})` : ""}`} testId="order-discount">
          <Money amount={`-${absMoney(order.discount)}`} currency={order.currency} />
        </Figure>
      ) : null}
      {!isZeroMoney(order.shipping) || order.shippingPromisedDate ? (
        <Figure
          label={`Shipping${order.shippingPromisedDate ? ` (promised ${order.shippingPromisedDate})` : ""}`}
          testId="order-shipping"
        >
          <Money amount={order.shipping} currency={order.currency} />
        </Figure>
      ) : null}
      <Figure label="Tax" testId="order-tax">
        <Money amount={order.tax} currency={order.currency} />
      </Figure>
      <Figure label="Total" testId="order-total" strong>
        <Money amount={order.total} currency={order.currency} />
      </Figure>
      <Figure label="Amount paid" testId="order-paid">
        <Money amount={order.amountPaid} currency={order.currency} />
      </Figure>
      <Figure label={credit ? "Credit owed" : "Balance due"} testId="order-balance" strong={credit} color={credit ? "green.700" : undefined}>
        <Money amount={credit ? absMoney(order.balanceDue) : order.balanceDue} currency={order.currency} />
      </Figure>
    </Stack>
  );
}

function Figure({
  label,
  testId,
  strong,
  color,
  children,
}: {
  label: string;
  testId: string;
  strong?: boolean;
  color?: string;
  children: React.ReactNode;
}) {
  return (
    <Flex gap="3" justify="end" fontWeight={strong ? "bold" : undefined} fontSize={strong ? "md" : undefined} color={color} data-testid={testId}>
      <Text as="dt">{label}</Text>
      <Box as="dd" minW="110px" textAlign="end">
        {children}
      </Box>
    </Flex>
  );
}
