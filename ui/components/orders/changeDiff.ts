// What an order change does, in words and line by line. Pure functions over view types: the
// prices come from the server (lines_after, totals_before/after, price_delta) and are only
// compared as strings here, never recomputed.
import type { ChangeAction, ChangeActionType, OrderLineItem, OrderTotals } from "@/lib/api/views";
import { formatMoney } from "@/lib/money";

export type LineDiffKind = "added" | "removed" | "changed" | "unchanged";

export interface LineDiff {
  key: string;
  kind: LineDiffKind;
  before: OrderLineItem | null;
  after: OrderLineItem | null;
}

/** The fields of a line whose change a person has to see. */
function sameLine(before: OrderLineItem, after: OrderLineItem): boolean {
  return (
    before.quantity === after.quantity &&
    before.unitPrice === after.unitPrice &&
    before.discount === after.discount &&
    before.lineTotal === after.lineTotal &&
    before.materialId === after.materialId &&
    (before.finishOverride?.name ?? null) === (after.finishOverride?.name ?? null) &&
    (before.finishOverride?.priceDelta ?? null) === (after.finishOverride?.priceDelta ?? null)
  );
}

/** Lines matched by id: the lines of `before` in their order (removed ones included), then new ones. */
export function diffLines(before: OrderLineItem[], after: OrderLineItem[]): LineDiff[] {
  const afterById = new Map(after.map((line) => [line.id, line]));
  const beforeIds = new Set(before.map((line) => line.id));
  const rows: LineDiff[] = before.map((line) => {
    const next = afterById.get(line.id) ?? null;
    const kind: LineDiffKind = !next ? "removed" : sameLine(line, next) ? "unchanged" : "changed";
    return { key: line.id, kind, before: line, after: next };
  });
  for (const line of after) {
    if (!beforeIds.has(line.id)) rows.push({ key: line.id, kind: "added", before: null, after: line });
  }
  return rows;
}

export const TOTAL_ROWS: { key: keyof OrderTotals; label: string }[] = [
  { key: "subtotal", label: "Subtotal" },
  { key: "discount", label: "Discount" },
  { key: "shipping", label: "Shipping" },
  { key: "tax", label: "Tax" },
  { key: "total", label: "Total" },
];

export const ACTION_LABEL: Record<ChangeActionType, string> = {
  add_item: "Add item",
  remove_item: "Remove line",
  set_quantity: "Set quantity",
  discount: "Discount",
  finish_override: "Finish override",
  shipping: "Shipping",
};

export function lineLabel(line: Pick<OrderLineItem, "position" | "moduleName">): string {
  return `Line ${line.position} (${line.moduleName})`;
}

/**
 * One action as a sentence, naming lines by position and module rather than by id.
 * `moduleName` resolves catalog ids for `add_item`.
 */
export function describeAction(
  action: ChangeAction,
  lines: OrderLineItem[],
  currency: string,
  moduleName: (id: string) => string | undefined = () => undefined,
): string {
  const line = (id: string | null) => {
    const found = id ? lines.find((candidate) => candidate.id === id) : undefined;
    return found ? lineLabel(found) : id ? `line ${id}` : "the whole order";
  };
  switch (action.type) {
    case "add_item":
      return `Add ${action.quantity} × ${moduleName(action.moduleId) ?? action.moduleId}`;
    case "remove_item":
      return `Remove ${line(action.lineItemId)}`;
    case "set_quantity":
      return `Set quantity of ${line(action.lineItemId)} to ${action.quantity}`;
    case "discount": {
      const amount = action.by === "percent" ? `${action.value}%` : formatMoney(action.value, currency);
      return `Discount ${amount} on ${line(action.lineItemId)}: ${action.reason}`;
    }
    case "finish_override":
      return `Finish “${action.name}” on ${line(action.lineItemId)} (${formatMoney(action.priceDelta, currency)} per unit)`;
    case "shipping":
      return `Shipping ${formatMoney(action.amount, currency)}${action.promisedDate ? `, promised for ${action.promisedDate}` : ""}`;
  }
}
