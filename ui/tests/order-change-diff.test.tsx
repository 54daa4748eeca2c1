import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { describeAction, diffLines } from "@/components/orders/changeDiff";
import { OrderChangeDiff } from "@/components/orders/OrderChangeDiff";
import type { OrderChange, OrderLineItem } from "@/lib/api/views";
import { renderUi } from "./render";

const lineOf = (id: string, position: number, moduleName: string, quantity: number, lineTotal: string): OrderLineItem => ({
  id,
  position,
  moduleId: `m-${moduleName}`,
  materialId: "oak",
  moduleName,
  materialName: "Oak",
  quantity,
  unitPrice: "100.00",
  areaSqFt: "10",
  finishOverride: null,
  discount: "0.00",
  discountReason: null,
  lineTotal,
  production: null,
});

const before = [
  lineOf("l1", 1, "Base 600", 1, "100.00"),
  lineOf("l2", 2, "Wall 600", 1, "80.00"),
  lineOf("l3", 3, "Sink 800", 1, "120.00"),
];
const after = [lineOf("l1", 1, "Base 600", 2, "200.00"), lineOf("l3", 3, "Sink 800", 1, "120.00"), lineOf("l4", 4, "Tall 600", 1, "300.00")];

const change: OrderChange = {
  id: "c1",
  orderId: "o1",
  status: "requested",
  actions: [
    { type: "set_quantity", lineItemId: "l1", quantity: 2 },
    { type: "remove_item", lineItemId: "l2" },
    { type: "add_item", moduleId: "m-Tall 600", materialId: null, quantity: 1 },
  ],
  note: "buyer called",
  requestedBy: { id: "u1", name: "Sam", role: "sales" },
  baseVersion: 3,
  totalsBefore: { subtotal: "300.00", discount: "0.00", shipping: "0.00", tax: "39.00", total: "339.00" },
  totalsAfter: { subtotal: "620.00", discount: "0.00", shipping: "0.00", tax: "80.60", total: "700.60" },
  priceDelta: "361.60",
  linesAfter: after,
  createdAt: "2026-11-26T10:00:00Z",
  decidedAt: null,
  decidedBy: null,
};

describe("diffLines", () => {
  it("matches lines by id: changed, removed and unchanged in order, then added", () => {
    expect(diffLines(before, after).map((row) => `${row.key}:${row.kind}`)).toEqual([
      "l1:changed",
      "l2:removed",
      "l3:unchanged",
      "l4:added",
    ]);
  });

  it("counts a new finish or discount as a change even when the total stays", () => {
    const finished = { ...before[0], finishOverride: { name: "Walnut oil", priceDelta: "0.00" } };
    expect(diffLines([before[0]], [finished])[0].kind).toBe("changed");
  });
});

describe("describeAction", () => {
  it("names lines by position and module, never by id", () => {
    expect(describeAction(change.actions[0], before, "USD")).toBe("Set quantity of Line 1 (Base 600) to 2");
    expect(describeAction({ type: "discount", lineItemId: null, by: "percent", value: "5", reason: "loyal" }, before, "USD")).toBe(
      "Discount 5% on the whole order: loyal",
    );
    expect(describeAction({ type: "shipping", amount: "80.00", promisedDate: "2026-12-24" }, before, "USD")).toBe(
      "Shipping $80.00, promised for 2026-12-24",
    );
    expect(describeAction(change.actions[2], before, "USD", () => "Tall 600")).toBe("Add 1 × Tall 600");
  });
});

describe("OrderChangeDiff", () => {
  it("shows the lines before and after, the totals and the price delta", () => {
    renderUi(<OrderChangeDiff change={change} linesBefore={before} currency="USD" />);
    const rows = screen.getAllByTestId("diff-line");
    expect(rows.map((row) => row.getAttribute("data-kind"))).toEqual(["changed", "removed", "unchanged", "added"]);
    expect(within(rows[0]).getByText("$100.00")).toBeInTheDocument();
    expect(within(rows[0]).getByText("$200.00")).toBeInTheDocument();
    expect(within(rows[1]).getAllByText("—")).toHaveLength(1);
    expect(within(rows[3]).getByText(/Tall 600/)).toBeInTheDocument();

    const total = screen.getByTestId("diff-total-total");
    expect(total).toHaveAttribute("data-moved", "true");
    expect(within(total).getByText("$339.00")).toBeInTheDocument();
    expect(within(total).getByText("$700.60")).toBeInTheDocument();
    expect(screen.getByTestId("diff-total-shipping")).toHaveAttribute("data-moved", "false");

    expect(screen.getByTestId("price-delta")).toHaveTextContent("+$361.60");
    expect(screen.getByText("Set quantity of Line 1 (Base 600) to 2")).toBeInTheDocument();
    expect(screen.getByText(/buyer called/)).toBeInTheDocument();
    // Without handlers nothing can be decided here.
    expect(screen.queryByRole("button")).toBeNull();
  });

  it("signs a price cut", () => {
    renderUi(<OrderChangeDiff change={{ ...change, priceDelta: "-12.30" }} linesBefore={before} currency="USD" />);
    expect(screen.getByTestId("price-delta")).toHaveTextContent("-$12.30");
  });

  it("confirms or declines a requested change", async () => {
    const onConfirm = vi.fn();
    const onDecline = vi.fn();
    renderUi(<OrderChangeDiff change={change} linesBefore={before} currency="USD" onConfirm={onConfirm} onDecline={onDecline} />);
    await userEvent.click(screen.getByRole("button", { name: "Confirm change" }));
    await userEvent.click(screen.getByRole("button", { name: "Decline change" }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(onDecline).toHaveBeenCalledTimes(1);
  });

  it("does not offer to confirm a change the order has moved past", () => {
    renderUi(<OrderChangeDiff change={change} linesBefore={before} currency="USD" stale onConfirm={vi.fn()} onDecline={vi.fn()} />);
    expect(screen.getByRole("button", { name: "Confirm change" })).toBeDisabled();
    expect(screen.getByRole("alert")).toHaveTextContent(/changed since this was priced/);
    // The current lines are not what it was priced against: no line diff, only its own totals.
    expect(screen.queryAllByTestId("diff-line")).toHaveLength(0);
    expect(screen.getByTestId("diff-total-total")).toHaveAttribute("data-moved", "true");
  });

  it("offers no decision once the change is decided", () => {
    renderUi(
      <OrderChangeDiff change={{ ...change, status: "confirmed" }} linesBefore={before} currency="USD" onConfirm={vi.fn()} onDecline={vi.fn()} />,
    );
    expect(screen.queryByRole("button")).toBeNull();
  });
});
