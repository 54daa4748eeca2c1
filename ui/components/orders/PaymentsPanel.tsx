"use client";
// Payments of an order: totals (amount paid, balance due), each payment with its gateway
// transactions and adjustments, and forms that append new records (the ledger is
// append-only: nothing here edits or deletes).
import { Badge, Box, Button, Field, Flex, Heading, Input, NativeSelect, SimpleGrid, Stack, Text } from "@chakra-ui/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Money } from "@/components/common/Money";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { api } from "@/lib/api/client";
import {
  ADJUSTMENT_TYPES,
  PAYMENT_KINDS,
  TRANSACTION_TYPES,
  type AdjustmentType,
  type PaymentKind,
  type PaymentStatus,
  type TransactionType,
} from "@/lib/api/types";
import type { Order, PaymentRecord } from "@/lib/api/views";
import { absMoney, isNegativeMoney, isZeroMoney, normalizeMoneyInput } from "@/lib/money";

/** Payment statuses as paform-core derives them from the ledger. */
const PAYMENT_PALETTE: Record<PaymentStatus, string> = {
  pending: "gray",
  authorized: "blue",
  voided: "gray",
  partially_captured: "orange",
  captured: "green",
  partially_refunded: "orange",
  refunded: "red",
  failed: "red",
};

type RecordType = TransactionType | AdjustmentType;

const KIND_LABEL: Record<PaymentKind, string> = {
  deposit: "Deposit",
  balance: "Balance",
  change_order: "Change order",
};

const RECORD_LABEL: Record<RecordType, string> = {
  authorization: "Authorization",
  capture: "Capture",
  void: "Void",
  refund: "Refund",
  chargeback: "Chargeback",
};

const RECORD_TYPES: readonly RecordType[] = [...TRANSACTION_TYPES, ...ADJUSTMENT_TYPES];

function isAdjustmentType(type: RecordType): type is AdjustmentType {
  return (ADJUSTMENT_TYPES as readonly string[]).includes(type);
}

export function PaymentsPanel({ order, onChanged }: { order: Order; onChanged: () => Promise<void> | void }) {
  const [kind, setKind] = useState<PaymentKind>("deposit");
  const [amount, setAmount] = useState("");
  const [amountError, setAmountError] = useState<string>();
  // A negative balance is credit owed: it is settled by a refund, not by another payment.
  const owing = !isNegativeMoney(order.balanceDue) && !isZeroMoney(order.balanceDue);
  const queryClient = useQueryClient();
  // Read again whenever the order moves (a new version or a payment elsewhere).
  const list = useQuery({
    queryKey: ["orders", order.id, "payments", { version: order.version, paid: order.amountPaid }],
    queryFn: () => api().listPayments(order.id),
  });
  const payments = list.data ?? [];
  const mutation = useMutation({
    mutationFn: (action: () => Promise<unknown>) => action(),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["orders", order.id, "payments"] });
      await onChanged();
    },
  });
  const busy = mutation.isPending;
  const error = mutation.error ?? list.error;

  async function run(action: () => Promise<unknown>) {
    try {
      await mutation.mutateAsync(action);
      return true;
    } catch {
      return false;
    }
  }

  async function requestPayment(event: React.FormEvent) {
    event.preventDefault();
    const normalized = normalizeMoneyInput(amount);
    if (!normalized) {
      setAmountError("Enter an amount such as 250.00");
      return;
    }
    setAmountError(undefined);
    if (await run(() => api().createPayment(order.id, kind, normalized))) setAmount("");
  }

  return (
    <Box as="section" aria-labelledby="payments-heading" bg="white" borderWidth="1px" borderRadius="lg" p="4">
      <Heading as="h2" id="payments-heading" size="md" mb="3">
        Payments
      </Heading>
      <SimpleGrid columns={{ base: 1, sm: 3 }} gap="3" mb="4">
        <Figure label="Order total" amount={order.total} currency={order.currency} />
        <Figure label="Amount paid" amount={order.amountPaid} currency={order.currency} />
        {isNegativeMoney(order.balanceDue) ? (
          <Figure label="Credit owed" amount={absMoney(order.balanceDue)} currency={order.currency} strong />
        ) : (
          <Figure label="Balance due" amount={order.balanceDue} currency={order.currency} strong />
        )}
      </SimpleGrid>
      <ProblemAlert error={error} />
      <Stack gap="3" mt="3">
        {payments.map((payment) => (
          <PaymentCard key={payment.id} payment={payment} busy={busy} run={run} />
        ))}
        {payments.length === 0 ? (
          <Text fontSize="sm" color="gray.600">
            No payment requested yet.
          </Text>
        ) : null}
      </Stack>
      <Box as="form" onSubmit={requestPayment} mt="4" pt="4" borderTopWidth="1px">
        <Text fontWeight="semibold" fontSize="sm" mb="2">
          Request a payment
        </Text>
        <Flex gap="3" align="start" wrap="wrap">
          <Field.Root w="180px">
            <Field.Label fontSize="sm">Kind</Field.Label>
            <NativeSelect.Root size="sm">
              <NativeSelect.Field value={kind} onChange={(event) => setKind(event.target.value as PaymentKind)}>
                {PAYMENT_KINDS.map((item) => (
                  <option key={item} value={item}>
                    {KIND_LABEL[item]}
                  </option>
                ))}
              </NativeSelect.Field>
              <NativeSelect.Indicator />
            </NativeSelect.Root>
          </Field.Root>
          <Field.Root w="160px" invalid={Boolean(amountError)}>
            <Field.Label fontSize="sm">Amount ({order.currency})</Field.Label>
            <Input size="sm" inputMode="decimal" value={amount} placeholder={owing ? order.balanceDue : undefined} onChange={(event) => setAmount(event.target.value)} />
            {amountError ? <Field.ErrorText>{amountError}</Field.ErrorText> : null}
          </Field.Root>
          <Button mt="6" size="sm" type="submit" colorPalette="brand" loading={busy}>
            Request
          </Button>
          {owing ? (
            <Button mt="6" size="sm" variant="ghost" type="button" onClick={() => setAmount(order.balanceDue)}>
              Use balance due
            </Button>
          ) : null}
        </Flex>
      </Box>
    </Box>
  );
}

function Figure({ label, amount, currency, strong }: { label: string; amount: string; currency: string; strong?: boolean }) {
  return (
    <Box p="3" bg={strong ? "brand.50" : "gray.50"} borderRadius="md">
      <Text fontSize="xs" color="gray.700">
        {label}
      </Text>
      <Money amount={amount} currency={currency} fontSize="lg" fontWeight={strong ? "bold" : "semibold"} />
    </Box>
  );
}

function PaymentCard({
  payment,
  busy,
  run,
}: {
  payment: PaymentRecord;
  busy: boolean;
  run: (action: () => Promise<unknown>) => Promise<boolean>;
}) {
  const [type, setType] = useState<RecordType>("capture");
  const [amount, setAmount] = useState(payment.amount);
  const [reference, setReference] = useState("");
  const [failed, setFailed] = useState(false);
  const [amountError, setAmountError] = useState<string>();
  const isAdjustment = isAdjustmentType(type);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const normalized = normalizeMoneyInput(amount);
    if (!normalized) {
      setAmountError("Enter an amount such as 250.00");
      return;
    }
    setAmountError(undefined);
    const ok = await run(() =>
      isAdjustment
        ? api().addAdjustment(payment.id, { type, amount: normalized, reason: reference || "recorded in showroom" })
        : api().addTransaction(payment.id, {
            provider: "manual",
            provider_ref: reference || `showroom-${Date.now()}`,
            type,
            amount: normalized,
            status: failed ? "failed" : "succeeded",
          }),
    );
    if (ok) setReference("");
  }

  return (
    <Box borderWidth="1px" borderRadius="md" p="3">
      <Flex justify="space-between" align="center" mb="2" gap="2" wrap="wrap">
        <Flex gap="2" align="center">
          <Text fontWeight="semibold" textTransform="capitalize">
            {payment.kind.replace("_", " ")}
          </Text>
          <Badge colorPalette={PAYMENT_PALETTE[payment.status] ?? "gray"} data-testid="payment-status">
            {payment.status.replaceAll("_", " ")}
          </Badge>
        </Flex>
        <Box textAlign="end">
          <Money amount={payment.amount} currency={payment.currency} fontWeight="semibold" />
          <Text fontSize="xs" color="gray.600">
            captured <Money amount={payment.captured} currency={payment.currency} />
            {payment.refunded !== "0.00" ? (
              <>
                {" "}· refunded <Money amount={payment.refunded} currency={payment.currency} />
              </>
            ) : null}
          </Text>
        </Box>
      </Flex>
      {payment.transactions.length + payment.adjustments.length > 0 ? (
        <Stack as="ul" gap="1" fontSize="sm" mb="2" listStyleType="none">
          {payment.transactions.map((transaction) => (
            <Flex as="li" key={transaction.id} justify="space-between">
              <Text>
                {transaction.type} · {transaction.provider} {transaction.provider_ref}{" "}
                <Badge size="xs" colorPalette={transaction.status === "succeeded" ? "green" : "red"}>
                  {transaction.status}
                </Badge>
              </Text>
              <Money amount={transaction.amount} currency={payment.currency} />
            </Flex>
          ))}
          {payment.adjustments.map((adjustment) => (
            <Flex as="li" key={adjustment.id} justify="space-between" color="red.700">
              <Text>
                {adjustment.type} · {adjustment.reason}
              </Text>
              <Money amount={`-${adjustment.amount}`} currency={payment.currency} />
            </Flex>
          ))}
        </Stack>
      ) : null}
      <Flex as="form" onSubmit={submit} gap="2" align="end" wrap="wrap">
        <Field.Root w="150px">
          <Field.Label fontSize="xs">Record</Field.Label>
          <NativeSelect.Root size="xs">
            <NativeSelect.Field value={type} onChange={(event) => setType(event.target.value as RecordType)}>
              {RECORD_TYPES.map((item) => (
                <option key={item} value={item}>
                  {RECORD_LABEL[item]}
                </option>
              ))}
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
        </Field.Root>
        <Field.Root w="120px" invalid={Boolean(amountError)}>
          <Field.Label fontSize="xs">Amount</Field.Label>
          <Input size="xs" inputMode="decimal" value={amount} onChange={(event) => setAmount(event.target.value)} />
        </Field.Root>
        <Field.Root flex="1" minW="140px">
          <Field.Label fontSize="xs">{isAdjustment ? "Reason" : "Gateway reference"}</Field.Label>
          <Input size="xs" value={reference} onChange={(event) => setReference(event.target.value)} />
        </Field.Root>
        {!isAdjustment ? (
          <label style={{ fontSize: "12px", display: "flex", gap: "4px", alignItems: "center", paddingBottom: "6px" }}>
            <input type="checkbox" checked={failed} onChange={(event) => setFailed(event.target.checked)} /> failed
          </label>
        ) : null}
        <Button size="xs" type="submit" variant="outline" loading={busy}>
          Add
        </Button>
      </Flex>
      {amountError ? (
        <Text fontSize="xs" color="red.700" mt="1">
          {amountError}
        </Text>
      ) : null}
    </Box>
  );
}
