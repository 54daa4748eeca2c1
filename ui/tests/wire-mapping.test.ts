// The wire → view mappers against answers recorded from the real `paform serve`
// (orders, payments, design requests, settings) and, for issue 10, shaped after its API
// contract (order numbers, frozen production data, order changes, the audit trail), so a
// shape change shows up here.
import { describe, expect, it } from "vitest";
import { createApi } from "@/lib/api/client";
import type {
  AuditReportWire,
  DesignRequestWire,
  OrderChangeWire,
  OrderEventWire,
  OrderLineItemWire,
  OrderWire,
  PaymentWire,
  SettingsWire,
} from "@/lib/api/types";
import {
  fromChangeAction,
  fromSettings,
  toAuditReport,
  toChangeAction,
  toDesignRequest,
  toOrder,
  toOrderChange,
  toOrderEvent,
  toPayment,
  toSettings,
  type ChangeAction,
} from "@/lib/api/views";
import { fakeTransport } from "./render";

const line: OrderLineItemWire = {
  id: "o1-001",
  position: 1,
  module_id: "m1",
  module_name: "Base 600",
  material_id: "mat1",
  material_name: "Oak",
  quantity: 2,
  unit_price: "203.44",
  area_sq_ft: "19.631823",
  finish_override: { name: "Matt lacquer", price_delta: "-20.00" },
  discount: "10.00",
  discount_reason: "showroom sample",
  line_total: "356.88",
  production: {
    dimensions: { width: 600, height: 720, depth: 560 },
    assembly_attributes: { doors: 1, shelves: 1 },
    material_thickness_mm: 18,
    material_cost_per_sq_ft: "12.50",
    base_price: "100.00",
    panels: [{ name: "Side", length: 720, width: 560, thickness: 18, grain: "length", edge_banding: "front", quantity: 2 }],
  },
};

const order: OrderWire = {
  id: "o1",
  accepts_changes: true,
  number: "PF-000042",
  quote_id: "q1",
  status: "pending_payment",
  version: 2,
  buyer: { name: "Ann", email: "a@b.c", phone: null },
  currency: "USD",
  tax_rate: "0.13",
  subtotal: "356.88",
  discount: "0.00",
  discount_reason: null,
  shipping: "80.00",
  shipping_promised_date: "2026-12-24",
  tax: "56.79",
  total: "493.67",
  amount_paid: "500.00",
  balance_due: "-6.33",
  line_items: [line],
  allowed_next: ["design_review", "cancelled"],
  created_by: { id: "u1", name: "Sam", role: "sales" },
  created_at: "2026-11-25T19:51:47.735Z",
  updated_at: "2026-11-25T19:51:48.179Z",
};

const payment: PaymentWire = {
  id: "p1",
  order_id: "o1",
  kind: "deposit",
  amount: "100.00",
  currency: "USD",
  status: "captured",
  captured: "100.00",
  refunded: "0.00",
  transactions: [
    {
      id: "t1",
      payment_id: "p1",
      provider: "manual",
      provider_ref: "x1",
      type: "capture",
      amount: "100.00",
      status: "succeeded",
      created_at: "2026-11-25T19:51:48.615Z",
    },
  ],
  adjustments: [],
  created_at: "2026-11-25T19:51:48.215Z",
};

const request: DesignRequestWire = {
  id: "d1",
  order_id: "o1",
  line_item_id: null,
  description: "Custom handle",
  approved: true,
  versions: [
    {
      id: "v1",
      request_id: "d1",
      number: 1,
      notes: "first",
      approved: true,
      approved_at: "2026-11-25T19:51:57.817Z",
      assets: [
        {
          id: "a1",
          kind: "pdf",
          filename: "x.pdf",
          content_type: "application/pdf",
          size: 14,
          sha256: "f31cdee0b4d4",
          created_at: "2026-11-25T19:51:57.271Z",
        },
      ],
      created_at: "2026-11-25T19:51:56.81Z",
    },
  ],
  created_at: "2026-11-25T19:51:56.357Z",
};

describe("wire → view", () => {
  it("maps an order with its number, totals and the server's allowed_next", () => {
    const view = toOrder(order);
    expect(view.number).toBe("PF-000042");
    expect(view.status).toBe("pending_payment");
    expect(view.allowedNext).toEqual(["design_review", "cancelled"]);
    expect(view).toMatchObject({
      taxRate: "0.13",
      subtotal: "356.88",
      discount: "0.00",
      discountReason: null,
      shipping: "80.00",
      shippingPromisedDate: "2026-12-24",
      tax: "56.79",
      total: "493.67",
      balanceDue: "-6.33",
    });
  });

  it("maps a line item with its frozen production data, finish and discount", () => {
    const [item] = toOrder(order).lineItems;
    expect(item).toMatchObject({
      position: 1,
      moduleName: "Base 600",
      materialName: "Oak",
      quantity: 2,
      unitPrice: "203.44",
      finishOverride: { name: "Matt lacquer", priceDelta: "-20.00" },
      discount: "10.00",
      discountReason: "showroom sample",
      lineTotal: "356.88",
    });
    expect(item.production).toMatchObject({ width: 600, height: 720, depth: 560, materialThicknessMm: 18, basePrice: "100.00" });
    expect(item.production?.panels[0]).toEqual({
      name: "Side",
      length: 720,
      width: 560,
      thickness: 18,
      grain: "length",
      edgeBanding: "front",
      quantity: 2,
    });
  });

  it("keeps a migrated line without production data", () => {
    const view = toOrder({ ...order, line_items: [{ ...line, production: null, finish_override: null }] });
    expect(view.lineItems[0].production).toBeNull();
    expect(view.lineItems[0].finishOverride).toBeNull();
  });

  it("refuses a status this UI does not know instead of mislabelling it", () => {
    expect(() => toOrder({ ...order, status: "shipped" as unknown as OrderWire["status"] })).toThrow(/Unknown order status "shipped"/);
  });

  it("takes changes as the server says, and refuses an order without the server's rules", () => {
    expect(toOrder(order).acceptsChanges).toBe(true);
    expect(toOrder({ ...order, status: "production_ready", accepts_changes: false }).acceptsChanges).toBe(false);
    const { accepts_changes: _acceptsChanges, ...withoutRule } = order;
    expect(() => toOrder(withoutRule as OrderWire)).toThrow(/accepts_changes/);
    const { allowed_next: _allowedNext, ...withoutSteps } = order;
    expect(() => toOrder(withoutSteps as OrderWire)).toThrow(/allowed_next/);
  });
});

describe("audit trail", () => {
  const base: OrderEventWire = {
    order_id: "o1",
    seq: 1,
    kind: "status_changed",
    actor: { id: "u1", name: "Sam" },
    note: null,
    data: { from: "draft", to: "pending_payment" },
    at: "t",
    prev_hash: "00",
    hash: "ab",
  };

  it("maps a status change", () => {
    expect(toOrderEvent(base)).toEqual({
      seq: 1,
      kind: "status_changed",
      from: "draft",
      to: "pending_payment",
      actor: { id: "u1", name: "Sam", role: "" },
      note: null,
      amount: null,
      priceDelta: null,
      detail: null,
      data: { from: "draft", to: "pending_payment" },
      at: "t",
      hash: "ab",
    });
  });

  it("maps other events with what their data says, and a missing actor as none", () => {
    const change = toOrderEvent({ ...base, seq: 2, kind: "change_confirmed", actor: null, data: { price_delta: "-12.30" } });
    expect(change).toMatchObject({ kind: "change_confirmed", from: null, to: null, actor: null, priceDelta: "-12.30", amount: null });
    const capture = toOrderEvent({
      ...base,
      seq: 3,
      kind: "transaction_recorded",
      data: { type: "capture", status: "succeeded", amount: "100.00", amount_cents: 10000 },
    });
    expect(capture).toMatchObject({ amount: "100.00", detail: "capture · succeeded" });
  });

  it("refuses an event kind this UI does not know", () => {
    expect(() => toOrderEvent({ ...base, kind: "teleported" as unknown as OrderEventWire["kind"] })).toThrow(/Unknown order event kind/);
  });

  it("maps the verdict of the chain check", () => {
    const wire: AuditReportWire = { orders: 1, events: 4, ok: false, projected: 0, broken: [{ order_id: "o1", seq: 3, reason: "chain" }] };
    expect(toAuditReport(wire)).toEqual({ orders: 1, events: 4, ok: false, broken: [{ orderId: "o1", seq: 3 }] });
  });
});

const change: OrderChangeWire = {
  id: "c1",
  order_id: "o1",
  status: "requested",
  actions: [
    { type: "set_quantity", line_item_id: "o1-001", quantity: 3 },
    { type: "discount", amount: "10.00", reason: "loyal buyer" },
  ],
  note: "buyer called",
  requested_by: { id: "u1", name: "Sam", role: "sales" },
  base_version: 2,
  totals_before: { subtotal: "356.88", discount: "0.00", shipping: "80.00", tax: "56.79", total: "493.67" },
  totals_after: { subtotal: "540.32", discount: "10.00", shipping: "80.00", tax: "79.54", total: "689.86" },
  price_delta: "196.19",
  lines_after: [{ ...line, quantity: 3, line_total: "540.32" }],
  created_at: "2026-11-26T10:00:00Z",
  decided_at: null,
  decided_by: null,
};

describe("order changes", () => {
  it("maps a priced change with totals before and after", () => {
    const view = toOrderChange(change);
    expect(view).toMatchObject({
      id: "c1",
      orderId: "o1",
      status: "requested",
      note: "buyer called",
      baseVersion: 2,
      priceDelta: "196.19",
      decidedAt: null,
      decidedBy: null,
      requestedBy: { name: "Sam" },
    });
    expect(view.totalsBefore.total).toBe("493.67");
    expect(view.totalsAfter).toEqual({ subtotal: "540.32", discount: "10.00", shipping: "80.00", tax: "79.54", total: "689.86" });
    expect(view.linesAfter[0]).toMatchObject({ id: "o1-001", quantity: 3, lineTotal: "540.32" });
    expect(view.actions).toEqual([
      { type: "set_quantity", lineItemId: "o1-001", quantity: 3 },
      { type: "discount", lineItemId: null, by: "amount", value: "10.00", reason: "loyal buyer" },
    ]);
  });

  it.each<[ChangeAction, unknown]>([
    [{ type: "add_item", moduleId: "m2", materialId: null, quantity: 1 }, { type: "add_item", module_id: "m2", quantity: 1 }],
    [
      { type: "add_item", moduleId: "m2", materialId: "mat2", quantity: 2 },
      { type: "add_item", module_id: "m2", material_id: "mat2", quantity: 2 },
    ],
    [{ type: "remove_item", lineItemId: "l1" }, { type: "remove_item", line_item_id: "l1" }],
    [{ type: "set_quantity", lineItemId: "l1", quantity: 2 }, { type: "set_quantity", line_item_id: "l1", quantity: 2 }],
    [
      { type: "discount", lineItemId: "l1", by: "percent", value: "5", reason: "r" },
      { type: "discount", line_item_id: "l1", percent: "5", reason: "r" },
    ],
    [
      { type: "discount", lineItemId: null, by: "amount", value: "25.00", reason: "r" },
      { type: "discount", amount: "25.00", reason: "r" },
    ],
    [
      { type: "finish_override", lineItemId: "l1", name: "Walnut oil", priceDelta: "-20.00" },
      { type: "finish_override", line_item_id: "l1", name: "Walnut oil", price_delta: "-20.00" },
    ],
    [{ type: "shipping", amount: "80.00", promisedDate: "2026-12-24" }, { type: "shipping", amount: "80.00", promised_date: "2026-12-24" }],
    [{ type: "shipping", amount: "0.00", promisedDate: null }, { type: "shipping", amount: "0.00" }],
  ])("sends %j as the contract spells it and reads it back", (view, wire) => {
    expect(fromChangeAction(view)).toEqual(wire);
    expect(toChangeAction(fromChangeAction(view))).toEqual(view);
  });

  it("refuses a change status this UI does not know", () => {
    expect(() => toOrderChange({ ...change, status: "parked" as unknown as OrderChangeWire["status"] })).toThrow(/Unknown order change status/);
  });
});

describe("other records", () => {
  it("maps payments with their transactions and captured amount", () => {
    const view = toPayment(payment);
    expect(view.captured).toBe("100.00");
    expect(view.transactions).toHaveLength(1);
    expect(view.adjustments).toEqual([]);
  });

  it("maps design requests, versions and assets", () => {
    const view = toDesignRequest(request);
    expect(view.status).toBe("approved");
    expect(view.versions[0]).toMatchObject({ number: 1, approved: true });
    expect(view.versions[0].assets[0]).toMatchObject({ kind: "pdf", contentType: "application/pdf", size: 14 });
  });
});

describe("settings", () => {
  const wire: SettingsWire = { currency: "USD", tax_rate: "0", quote_validity_days: 30, order_number_prefix: "PF-", hygraph_secret_set: true };

  it("carries the order number prefix both ways", () => {
    const view = toSettings(wire);
    expect(view.orderNumberPrefix).toBe("PF-");
    expect(fromSettings({ ...view, orderNumberPrefix: " ks- " }).order_number_prefix).toBe("KS-");
  });

  it("carries the quote number prefix both ways, Q when the server names none", () => {
    const view = toSettings(wire);
    expect(view.quoteNumberPrefix).toBe("Q");
    expect(toSettings({ ...wire, quote_number_prefix: "LDS" }).quoteNumberPrefix).toBe("LDS");
    expect(fromSettings({ ...view, quoteNumberPrefix: " lds " }).quote_number_prefix).toBe("LDS");
  });

  it("knows a secret is stored without ever holding it", () => {
    const view = toSettings(wire);
    expect(view.supports).toEqual({ s3: false, hygraph: true, lanServer: false });
    expect(view.hygraphSecretSet).toBe(true);
    expect(view.hygraphSecret).toBe("");
  });

  it("keeps the stored secret unless a new one is typed or removal is asked", () => {
    const view = toSettings(wire);
    const kept = fromSettings(view);
    expect("hygraph_secret" in kept).toBe(false);
    expect("hygraph_secret_set" in kept).toBe(false);
    expect(fromSettings({ ...view, hygraphSecret: " new " }).hygraph_secret).toBe("new");
    expect(fromSettings({ ...view, hygraphSecretClear: true }).hygraph_secret).toBe("");
  });
});

describe("client", () => {
  it("returns the stored transaction and leaves device tokens to the desktop app", async () => {
    const { transport, requests } = fakeTransport({ "POST /api/payments/p1/transactions": { status: 201, body: payment.transactions[0] } });
    const client = createApi(transport);
    const transaction = await client.addTransaction("p1", {
      provider: "manual",
      provider_ref: "x1",
      type: "capture",
      amount: "100.00",
      status: "succeeded",
    });
    expect(transaction.id).toBe("t1");
    expect(requests[0].body).toMatchObject({ type: "capture", amount: "100.00" });
    expect(client.managesDeviceTokens).toBe(false);
  });

  it("searches orders by number or buyer with the status filter kept", async () => {
    const { transport, requests } = fakeTransport({
      "GET /api/orders": { status: 200, body: { items: [order], total: 1, limit: 25, offset: 0 } },
    });
    const page = await createApi(transport).listOrders({ q: "42", status: "pending_payment", limit: 25, offset: 0 });
    expect(requests[0].query).toMatchObject({ q: "42", status: "pending_payment" });
    expect(page.items[0].number).toBe("PF-000042");
  });

  it("requests, confirms and lists order changes in the contract's shapes", async () => {
    const confirmed = { ...change, status: "confirmed", decided_at: "t2", decided_by: { id: "u1", name: "Sam" } };
    const { transport, requests } = fakeTransport({
      "POST /api/orders/o1/changes": { status: 201, body: change },
      "POST /api/order-changes/c1/confirm": { status: 200, body: confirmed },
      "GET /api/orders/o1/changes": { status: 200, body: [confirmed] },
    });
    const client = createApi(transport);
    const actor = { id: "u1", name: "Sam", role: "sales" };
    const requested = await client.requestOrderChange("o1", {
      actions: [{ type: "set_quantity", lineItemId: "o1-001", quantity: 3 }],
      actor,
      note: "buyer called",
    });
    expect(requests[0].body).toEqual({
      actions: [{ type: "set_quantity", line_item_id: "o1-001", quantity: 3 }],
      actor,
      note: "buyer called",
    });
    expect(requested.priceDelta).toBe("196.19");
    const decided = await client.confirmOrderChange("c1", actor);
    expect(requests[1].body).toEqual({ actor });
    expect(decided).toMatchObject({ status: "confirmed", decidedBy: { name: "Sam" } });
    expect((await client.listOrderChanges("o1")).map((item) => item.status)).toEqual(["confirmed"]);
  });

  it("verifies one order's audit trail", async () => {
    const { transport, requests } = fakeTransport({
      "GET /api/audit/verify": { status: 200, body: { orders: 1, events: 5, ok: true, broken: [] } },
    });
    const report = await createApi(transport).verifyAudit("o1");
    expect(requests[0].query).toEqual({ order_id: "o1" });
    expect(report.ok).toBe(true);
  });
});
