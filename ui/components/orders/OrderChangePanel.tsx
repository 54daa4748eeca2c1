"use client";
// Order changes (SPEC §10): build a list of actions, have the server price them, read the
// difference, then confirm or decline. Nothing changes the order until it is confirmed; the
// server refuses a confirmation once the order moved (409) or once it is production ready.
import { Badge, Box, Button, Field, Flex, Heading, Input, NativeSelect, Stack, Text } from "@chakra-ui/react";
import { useCallback, useEffect, useMemo, useState } from "react";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { api } from "@/lib/api/client";
import { type ChangeAction, type ChangeActionType, type Material, type Module, type Order, type OrderChange, type OrderChangeStatus } from "@/lib/api/views";
import { formatDateTime } from "@/lib/format";
import { formatMoney, formatSignedMoney } from "@/lib/money";
import { useSession } from "@/stores/session";
import { ACTION_LABEL, describeAction } from "./changeDiff";
import { actionFromForm, emptyChangeForm, type ChangeForm } from "./changeForm";
import { OrderChangeDiff } from "./OrderChangeDiff";

const STATUS_PALETTE: Record<OrderChangeStatus, string> = {
  requested: "orange",
  confirmed: "green",
  declined: "gray",
};

const ACTION_TYPES = Object.keys(ACTION_LABEL) as ChangeActionType[];

export function OrderChangePanel({ order, onChanged }: { order: Order; onChanged: () => Promise<void> | void }) {
  const actor = useSession((state) => state.actor);
  const [changes, setChanges] = useState<OrderChange[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [building, setBuilding] = useState(false);
  const [modules, setModules] = useState<Module[]>([]);
  const open = order.acceptsChanges;

  const load = useCallback(async () => {
    try {
      setChanges(await api().listOrderChanges(order.id));
    } catch (caught) {
      setError(caught);
    }
  }, [order.id]);

  useEffect(() => {
    void load();
  }, [load, order.version]);

  const moduleName = useCallback(
    (id: string) =>
      modules.find((module) => module.id === id)?.name ??
      changes.flatMap((change) => change.linesAfter).find((line) => line.moduleId === id)?.moduleName,
    [modules, changes],
  );

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function request(actions: ChangeAction[], note: string) {
    const ok = await run(() => api().requestOrderChange(order.id, { actions, actor, note: note || undefined }));
    if (ok) setBuilding(false);
    await load();
    return ok;
  }

  async function decide(change: OrderChange, verb: "confirm" | "decline") {
    await run(() =>
      verb === "confirm" ? api().confirmOrderChange(change.id, actor) : api().declineOrderChange(change.id, actor),
    );
    await load();
    // Both decisions append to the audit trail; a confirmation also changes lines and totals.
    await onChanged();
  }

  // Lines a past change names may be gone from the order since (removed by a later change):
  // the lines after each change still say what they were.
  const knownLines = useMemo(() => {
    const byId = new Map(order.lineItems.map((line) => [line.id, line]));
    for (const change of [...changes].reverse())
      for (const line of change.linesAfter) if (!byId.has(line.id)) byId.set(line.id, line);
    return [...byId.values()];
  }, [order.lineItems, changes]);

  const requested = changes.filter((change) => change.status === "requested");
  const history = changes.filter((change) => change.status !== "requested").reverse();

  return (
    <Box as="section" aria-labelledby="changes-heading" bg="white" borderWidth="1px" borderRadius="lg" p="4">
      <Flex justify="space-between" align="center" mb="3" gap="2" wrap="wrap">
        <Heading as="h2" id="changes-heading" size="md">
          Changes
        </Heading>
        {open && !building ? (
          <Button size="sm" colorPalette="brand" variant="outline" onClick={() => setBuilding(true)}>
            Change order
          </Button>
        ) : null}
      </Flex>
      {!open ? (
        <Text fontSize="sm" color="gray.600" mb="2">
          Changes are accepted until the order is production ready.
        </Text>
      ) : null}
      <ProblemAlert error={error} />
      {building ? (
        <ChangeBuilder
          order={order}
          busy={busy}
          onModules={setModules}
          moduleName={moduleName}
          onSubmit={request}
          onCancel={() => setBuilding(false)}
        />
      ) : null}
      <Stack gap="4" mt="3">
        {requested.map((change) => (
          <Box key={change.id} borderWidth="1px" borderColor="orange.300" borderRadius="md" p="3">
            <ChangeHeader change={change} currency={order.currency} />
            <OrderChangeDiff
              change={change}
              linesBefore={order.lineItems}
              currency={order.currency}
              stale={order.version !== change.baseVersion}
              busy={busy}
              moduleName={moduleName}
              namingLines={knownLines}
              onConfirm={open ? () => void decide(change, "confirm") : undefined}
              onDecline={() => void decide(change, "decline")}
            />
          </Box>
        ))}
      </Stack>
      {history.length > 0 ? (
        <Stack as="ul" gap="2" mt="4" listStyleType="none" aria-label="Past changes">
          {history.map((change) => (
            <Box as="li" key={change.id} borderWidth="1px" borderRadius="md" p="3" data-testid="past-change">
              <ChangeHeader change={change} currency={order.currency} />
              <Box as="ul" ps="5" fontSize="sm" color="gray.700">
                {change.actions.map((action, index) => (
                  <li key={index}>{describeAction(action, knownLines, order.currency, moduleName)}</li>
                ))}
              </Box>
              <Text fontSize="sm" mt="1">
                Total {formatMoney(change.totalsBefore.total, order.currency)} → {formatMoney(change.totalsAfter.total, order.currency)}
              </Text>
            </Box>
          ))}
        </Stack>
      ) : null}
      {changes.length === 0 && !building ? (
        <Text fontSize="sm" color="gray.600">
          No changes requested.
        </Text>
      ) : null}
    </Box>
  );
}

function ChangeHeader({ change, currency }: { change: OrderChange; currency: string }) {
  const decided = change.decidedAt && change.decidedBy ? ` · ${change.status} by ${change.decidedBy.name} ${formatDateTime(change.decidedAt)}` : "";
  return (
    <Flex justify="space-between" align="center" gap="2" mb="2" wrap="wrap">
      <Flex gap="2" align="center">
        <Badge colorPalette={STATUS_PALETTE[change.status]} data-testid="change-status">
          {change.status}
        </Badge>
        <Text fontSize="sm" color="gray.700">
          {change.requestedBy.name} · {formatDateTime(change.createdAt)}
          {decided}
        </Text>
      </Flex>
      <Text fontSize="sm" fontWeight="semibold" fontVariantNumeric="tabular-nums">
        {formatSignedMoney(change.priceDelta, currency)}
      </Text>
    </Flex>
  );
}

function ChangeBuilder({
  order,
  busy,
  onModules,
  moduleName,
  onSubmit,
  onCancel,
}: {
  order: Order;
  busy: boolean;
  onModules: (modules: Module[]) => void;
  moduleName: (id: string) => string | undefined;
  onSubmit: (actions: ChangeAction[], note: string) => Promise<boolean>;
  onCancel: () => void;
}) {
  const [modules, setModules] = useState<Module[]>([]);
  const [materials, setMaterials] = useState<Material[]>([]);
  const [catalogError, setCatalogError] = useState<unknown>(null);
  const [form, setForm] = useState<ChangeForm>(() => emptyChangeForm(order.lineItems[0]?.id ?? ""));
  const [actions, setActions] = useState<ChangeAction[]>([]);
  const [formError, setFormError] = useState<string>();
  const [note, setNote] = useState("");

  useEffect(() => {
    let live = true;
    Promise.all([api().listModules({ limit: 200 }), api().listMaterials({ limit: 200 })]).then(
      ([modulePage, materialPage]) => {
        if (!live) return;
        setModules(modulePage.items);
        setMaterials(materialPage.items);
        onModules(modulePage.items);
        setForm((current) => (current.moduleId ? current : { ...current, moduleId: modulePage.items[0]?.id ?? "" }));
      },
      (caught) => live && setCatalogError(caught),
    );
    return () => {
      live = false;
    };
  }, [onModules]);

  const set = <K extends keyof ChangeForm>(key: K) => (value: ChangeForm[K]) => setForm((current) => ({ ...current, [key]: value }));
  const lineOptions = useMemo(
    () =>
      order.lineItems.map((line) => (
        <option key={line.id} value={line.id}>
          {line.position}. {line.moduleName} × {line.quantity}
        </option>
      )),
    [order.lineItems],
  );

  function addAction(event: React.FormEvent) {
    event.preventDefault();
    const result = actionFromForm(form);
    if (result.error !== undefined) {
      setFormError(result.error);
      return;
    }
    setFormError(undefined);
    setActions((current) => [...current, result.action]);
  }

  const lineSelect = (
    <SelectField label="Line" value={form.lineItemId} onChange={set("lineItemId")}>
      {lineOptions}
    </SelectField>
  );

  return (
    <Box bg="gray.50" borderWidth="1px" borderRadius="md" p="3" data-testid="change-builder">
      <Flex as="form" onSubmit={addAction} gap="3" align="end" wrap="wrap" aria-label="Build the change">
        <SelectField label="Action" value={form.type} onChange={(type) => set("type")(type as ChangeActionType)}>
          {ACTION_TYPES.map((type) => (
            <option key={type} value={type}>
              {ACTION_LABEL[type]}
            </option>
          ))}
        </SelectField>
        {form.type === "add_item" ? (
          <>
            <SelectField label="Module" value={form.moduleId} onChange={set("moduleId")}>
              {modules.map((module) => (
                <option key={module.id} value={module.id}>
                  {module.name}
                </option>
              ))}
            </SelectField>
            <SelectField label="Material" value={form.materialId} onChange={set("materialId")}>
              <option value="">Module&apos;s own</option>
              {materials.map((material) => (
                <option key={material.id} value={material.id}>
                  {material.name}
                </option>
              ))}
            </SelectField>
            <InputField label="Quantity" width="90px" inputMode="numeric" value={form.quantity} onChange={set("quantity")} />
          </>
        ) : null}
        {form.type === "remove_item" ? lineSelect : null}
        {form.type === "set_quantity" ? (
          <>
            {lineSelect}
            <InputField label="Quantity" width="90px" inputMode="numeric" value={form.quantity} onChange={set("quantity")} />
          </>
        ) : null}
        {form.type === "discount" ? (
          <>
            <SelectField label="Applies to" value={form.discountLineItemId} onChange={set("discountLineItemId")}>
              <option value="">Whole order</option>
              {lineOptions}
            </SelectField>
            <SelectField label="Discount by" value={form.discountBy} onChange={(by) => set("discountBy")(by === "percent" ? "percent" : "amount")}>
              <option value="amount">Amount ({order.currency})</option>
              <option value="percent">Percent</option>
            </SelectField>
            <InputField label={form.discountBy === "percent" ? "Percent" : "Amount"} width="110px" inputMode="decimal" value={form.discountValue} onChange={set("discountValue")} />
            <InputField label="Reason" width="200px" value={form.reason} onChange={set("reason")} />
          </>
        ) : null}
        {form.type === "finish_override" ? (
          <>
            {lineSelect}
            <InputField label="Finish" width="160px" value={form.finishName} onChange={set("finishName")} />
            <InputField label="Price change per unit" width="150px" inputMode="decimal" placeholder="-20.00" value={form.priceDelta} onChange={set("priceDelta")} />
          </>
        ) : null}
        {form.type === "shipping" ? (
          <>
            <InputField label={`Shipping (${order.currency})`} width="130px" inputMode="decimal" value={form.shippingAmount} onChange={set("shippingAmount")} />
            <InputField label="Promised date" width="170px" type="date" value={form.promisedDate} onChange={set("promisedDate")} />
          </>
        ) : null}
        <Button size="sm" type="submit" variant="outline">
          Add action
        </Button>
      </Flex>
      {formError ? (
        <Text fontSize="sm" color="red.700" mt="2" role="alert">
          {formError}
        </Text>
      ) : null}
      <ProblemAlert error={catalogError} title="The catalog could not be loaded" />
      {actions.length > 0 ? (
        <Stack as="ol" gap="1" mt="3" ps="5" fontSize="sm" aria-label="Actions of this change">
          {actions.map((action, index) => (
            <Flex as="li" key={index} justify="space-between" align="center" gap="2">
              <Text>{describeAction(action, order.lineItems, order.currency, moduleName)}</Text>
              <Button
                size="2xs"
                variant="ghost"
                colorPalette="red"
                aria-label={`Remove action ${index + 1}`}
                onClick={() => setActions((current) => current.filter((_, position) => position !== index))}
              >
                Remove
              </Button>
            </Flex>
          ))}
        </Stack>
      ) : (
        <Text fontSize="sm" color="gray.600" mt="3">
          Add one or more actions, then ask for the price.
        </Text>
      )}
      <Flex gap="3" align="end" mt="3" wrap="wrap">
        <Box flex="1" minW="200px">
          <InputField label="Note (optional)" value={note} onChange={setNote} />
        </Box>
        <Button size="sm" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
        <Button
          size="sm"
          colorPalette="brand"
          loading={busy}
          disabled={actions.length === 0}
          onClick={() => void onSubmit(actions, note.trim())}
        >
          Request change
        </Button>
      </Flex>
    </Box>
  );
}

function SelectField({ label, value, onChange, children }: { label: string; value: string; onChange: (value: string) => void; children: React.ReactNode }) {
  return (
    <Field.Root w="auto" minW="150px">
      <Field.Label fontSize="xs">{label}</Field.Label>
      <NativeSelect.Root size="sm" bg="white">
        <NativeSelect.Field value={value} onChange={(event) => onChange(event.target.value)}>
          {children}
        </NativeSelect.Field>
        <NativeSelect.Indicator />
      </NativeSelect.Root>
    </Field.Root>
  );
}

function InputField({
  label,
  value,
  onChange,
  width,
  ...rest
}: { label: string; value: string; onChange: (value: string) => void; width?: string } & Omit<React.ComponentProps<typeof Input>, "value" | "onChange" | "width">) {
  return (
    <Field.Root w={width ?? "auto"}>
      <Field.Label fontSize="xs">{label}</Field.Label>
      <Input size="sm" bg="white" value={value} onChange={(event) => onChange(event.target.value)} {...rest} />
    </Field.Root>
  );
}
