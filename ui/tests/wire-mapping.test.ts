// The wire → view mappers against answers recorded from the real `paform serve`
// (orders, payments, design requests, settings), so a shape change shows up here.
import { describe, expect, it } from "vitest";
import { createApi } from "@/lib/api/client";
import type { OrderWire, PaymentWire, DesignRequestWire, SettingsWire } from "@/lib/api/types";
import { fromSettings, toDesignRequest, toOrder, toPayment, toSettings, toStatusEvent } from "@/lib/api/views";
import { fakeTransport } from "./render";

const order: OrderWire = {
  id: "o1",
  quote_id: "q1",
  status: "pending_payment",
  version: 2,
  buyer: { name: "Ann", email: "a@b.c", phone: null },
  currency: "USD",
  subtotal: "406.88",
  tax: "0.00",
  total: "406.88",
  amount_paid: "0.00",
  balance_due: "406.88",
  line_items: [
    {
      id: "o1-001",
      module_id: "m1",
      module_name: "Base 600",
      material_id: "mat1",
      material_name: "Oak",
      quantity: 2,
      unit_price: "203.44",
      line_total: "406.88",
      area_sq_ft: "19.631823",
      discount: "0.00",
      finish_override: null,
      shipping_promise: null,
    },
  ],
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
  it("maps an order with the server's allowed_next and line item names", () => {
    const view = toOrder(order);
    expect(view.status).toBe("pending_payment");
    expect(view.allowedNext).toEqual(["design_review", "cancelled"]);
    expect(view.lineItems[0]).toMatchObject({ moduleName: "Base 600", materialName: "Oak", lineTotal: "406.88" });
    expect(view.balanceDue).toBe("406.88");
  });

  it("refuses a status this UI does not know instead of mislabelling it", () => {
    expect(() => toOrder({ ...order, status: "shipped" })).toThrow(/Unknown order status "shipped"/);
  });

  it("maps the audit trail", () => {
    const event = toStatusEvent({ seq: 1, from: "draft", to: "pending_payment", actor: { id: "u1", name: "Sam" }, note: null, at: "t" });
    expect(event).toEqual({ seq: 1, from: "draft", to: "pending_payment", actor: { id: "u1", name: "Sam", role: "" }, note: null, at: "t" });
  });

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
  const wire: SettingsWire = { currency: "USD", tax_rate: "0", quote_validity_days: 30, hygraph_secret_set: true };

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
});
