// The order page through TanStack Query, against a fake transport: the order, its trail and
// the chain's verdict load as one page; a move reads the order again; a move the three-way
// check refuses offers the override, which resends the same move with the note.
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setApiForTesting } from "@/lib/api/client";
import type { OrderWire } from "@/lib/api/types";
import { OrderView } from "@/components/orders/OrderView";
import { renderUi, useFakeApi } from "./render";

vi.mock("next/navigation", () => ({ useSearchParams: () => new URLSearchParams("id=o1") }));

function orderWire(status: OrderWire["status"], version: number): OrderWire {
  return {
    id: "o1",
    number: "PF-000007",
    quote_id: "q1",
    status,
    version,
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
    line_items: [],
    allowed_next: status === "draft" ? ["pending_payment", "cancelled"] : ["cancelled"],
    accepts_changes: true,
    created_by: { id: "u1", name: "Sam" },
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
  };
}

const verified = { status: 200, body: { orders: 1, events: 1, ok: true, broken: [] } };

/** A whole screen renders every section; a loaded 2-core machine needs more than the default 5 s. */
const SCREEN_TIMEOUT_MS = 20_000;

afterEach(() => setApiForTesting(null));

describe("the order page", () => {
  it("loads the order with its trail and reads it again after a move", async () => {
    let current = orderWire("draft", 1);
    const { requests } = useFakeApi({
      "GET /api/orders/o1": () => ({ status: 200, body: current }),
      "GET /api/orders/o1/events": { status: 200, body: [] },
      "GET /api/audit/verify": verified,
      "POST /api/orders/o1/transitions": () => {
        current = orderWire("pending_payment", 2);
        return { status: 200, body: current };
      },
    });
    renderUi(<OrderView />);
    expect(screen.getByRole("status")).toHaveTextContent("Loading order…");
    expect(await screen.findByRole("heading", { name: "Order PF-000007" })).toBeInTheDocument();
    const reads = () => requests.filter((request) => request.method === "GET" && request.path === "/api/orders/o1").length;
    const before = reads();
    await userEvent.click(screen.getByRole("button", { name: /Move to Pending payment/i }));
    await waitFor(() => expect(reads()).toBeGreaterThan(before));
    const move = requests.find((request) => request.method === "POST");
    expect(move?.body).toMatchObject({ to: "pending_payment", expected_version: 1 });
    await waitFor(() => expect(screen.queryAllByRole("button", { name: /Move to Pending payment/i })).toHaveLength(0));
  }, SCREEN_TIMEOUT_MS);

  it("offers the override for a move the three-way check refused and resends it with the note", async () => {
    const refusal = {
      title: "Conflict",
      status: 409,
      detail: "the three-way check before production found 1 mismatch on 1 line",
      mismatches: [
        {
          line_item_id: "l1",
          position: 1,
          module_name: "Base 600",
          pair: "model_dimensions",
          kind: "extent",
          axis: "width",
          panel: null,
          model_mm: 600,
          dimensions_mm: 590,
          cut_list_mm: null,
          difference_mm: 10,
          message: "width: the model 600 mm, the dimensions 590 mm (10 mm apart)",
        },
      ],
    };
    let attempts = 0;
    const { requests } = useFakeApi({
      "GET /api/orders/o1": { status: 200, body: orderWire("draft", 1) },
      "GET /api/orders/o1/events": { status: 200, body: [] },
      "GET /api/audit/verify": verified,
      "POST /api/orders/o1/transitions": () => {
        attempts += 1;
        return attempts === 1 ? { status: 409, body: refusal } : { status: 200, body: orderWire("pending_payment", 2) };
      },
    });
    renderUi(<OrderView />);
    await userEvent.click(await screen.findByRole("button", { name: /Move to Pending payment/i }));
    const override = await screen.findByRole("button", { name: "Override with a note" });
    expect(screen.getAllByTestId("check-mismatch")).toHaveLength(1);
    await userEvent.type(screen.getByLabelText(/Override note/), "cut from the drawing");
    await userEvent.click(override);
    await waitFor(() => expect(attempts).toBe(2));
    const moves = requests.filter((request) => request.method === "POST");
    expect(moves[1].body).toMatchObject({ to: "pending_payment", override_check: { note: "cut from the drawing" } });
  }, SCREEN_TIMEOUT_MS);
});
