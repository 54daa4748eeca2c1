// The "Change order" flow on the order page against a fake transport: build an action, have
// the server price it, read the difference, confirm, and the order is fetched again.
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setApiForTesting } from "@/lib/api/client";
import type { OrderChangeWire, OrderLineItemWire } from "@/lib/api/types";
import { toOrder } from "@/lib/api/views";
import { OrderChangePanel } from "@/components/orders/OrderChangePanel";
import { renderUi, useFakeApi } from "./render";

const line: OrderLineItemWire = {
  id: "l1",
  position: 1,
  module_id: "m1",
  module_name: "Base 600",
  material_id: "oak",
  material_name: "Oak",
  quantity: 1,
  unit_price: "100.00",
  area_sq_ft: "10",
  finish_override: null,
  discount: "0.00",
  discount_reason: null,
  line_total: "100.00",
  production: null,
};

const order = toOrder({
  id: "o1",
  accepts_changes: true,
  number: "PF-000007",
  quote_id: "q1",
  status: "draft",
  version: 1,
  buyer: { name: "Ann", email: "a@b.c" },
  currency: "USD",
  tax_rate: "0.10",
  subtotal: "100.00",
  discount: "0.00",
  discount_reason: null,
  shipping: "0.00",
  shipping_promised_date: null,
  tax: "10.00",
  total: "110.00",
  amount_paid: "0.00",
  balance_due: "110.00",
  line_items: [line],
  allowed_next: ["pending_payment", "cancelled"],
  created_by: { id: "u1", name: "Sam" },
  created_at: "t",
  updated_at: "t",
});

const requested: OrderChangeWire = {
  id: "c1",
  order_id: "o1",
  status: "requested",
  actions: [{ type: "set_quantity", line_item_id: "l1", quantity: 2 }],
  note: null,
  requested_by: { id: "u1", name: "Sam" },
  base_version: 1,
  totals_before: { subtotal: "100.00", discount: "0.00", shipping: "0.00", tax: "10.00", total: "110.00" },
  totals_after: { subtotal: "200.00", discount: "0.00", shipping: "0.00", tax: "20.00", total: "220.00" },
  price_delta: "110.00",
  lines_after: [{ ...line, quantity: 2, line_total: "200.00" }],
  created_at: "t",
  decided_at: null,
  decided_by: null,
};

afterEach(() => setApiForTesting(null));

describe("OrderChangePanel", () => {
  it("builds a change, shows its price and confirms it", async () => {
    let changes: OrderChangeWire[] = [];
    const { requests } = useFakeApi({
      "GET /api/orders/o1/changes": () => ({ status: 200, body: changes }),
      "GET /api/modules": { status: 200, body: { items: [], total: 0, limit: 200, offset: 0 } },
      "GET /api/materials": { status: 200, body: { items: [], total: 0, limit: 200, offset: 0 } },
      "POST /api/orders/o1/changes": () => {
        changes = [requested];
        return { status: 201, body: requested };
      },
      "POST /api/order-changes/c1/confirm": () => {
        changes = [{ ...requested, status: "confirmed", decided_at: "t2", decided_by: { id: "u1", name: "Sam" } }];
        return { status: 200, body: changes[0] };
      },
    });
    const onChanged = vi.fn();
    renderUi(<OrderChangePanel order={order} onChanged={onChanged} />);

    await userEvent.click(await screen.findByRole("button", { name: "Change order" }));
    const builder = screen.getByTestId("change-builder");
    expect(within(builder).getByLabelText("Action")).toHaveValue("set_quantity");
    await userEvent.selectOptions(within(builder).getByLabelText("Line"), "l1");
    await userEvent.clear(within(builder).getByLabelText("Quantity"));
    await userEvent.type(within(builder).getByLabelText("Quantity"), "2");
    await userEvent.click(within(builder).getByRole("button", { name: "Add action" }));
    expect(within(builder).getByText("Set quantity of Line 1 (Base 600) to 2")).toBeInTheDocument();
    await userEvent.click(within(builder).getByRole("button", { name: "Request change" }));

    expect(await screen.findByTestId("price-delta")).toHaveTextContent("+$110.00");
    const sent = requests.find((request) => request.method === "POST" && request.path === "/api/orders/o1/changes");
    expect(sent?.body).toMatchObject({ actions: [{ type: "set_quantity", line_item_id: "l1", quantity: 2 }] });

    await userEvent.click(screen.getByRole("button", { name: "Confirm change" }));
    await waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1));
    expect(await screen.findByTestId("past-change")).toHaveTextContent(/confirmed/);
    expect(screen.queryByTestId("order-change-diff")).toBeNull();
  });

  it("says why a change cannot be built once production is ready", async () => {
    useFakeApi({ "GET /api/orders/o1/changes": { status: 200, body: [] } });
    renderUi(<OrderChangePanel order={{ ...order, status: "production_ready", acceptsChanges: false }} onChanged={vi.fn()} />);
    expect(await screen.findByText(/until the order is production ready/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Change order" })).toBeNull();
  });
});
