import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { QuotePanel } from "@/components/quote/QuotePanel";
import { reduceLiveQuote, type LiveQuoteState } from "@/components/quote/liveQuote";
import type { Quote } from "@/lib/api/views";
import { renderUi } from "./render";

const quote: Quote = {
  id: "01a24e6d-2b49-7000-8000-0123456789ab",
  number: "Q-000123",
  currency: "USD",
  taxRate: "0.13",
  lines: [{ moduleId: "m1", materialId: "oak", moduleName: "Base cabinet", materialName: "Oak", quantity: 2, areaSqFt: "19.375", unitPrice: "348.75", lineTotal: "697.50" }],
  subtotal: "697.50",
  tax: "90.68",
  total: "788.18",
  createdAt: "2026-01-01T00:00:00Z",
  expiresAt: "2026-01-31T00:00:00Z",
  boards: [],
  catalogVersion: null,
};

function show(state: LiveQuoteState, onCreateOrder = vi.fn()) {
  renderUi(
    <QuotePanel state={state} moduleName={() => "Base cabinet"} materialName={() => "Oak"} onCreateOrder={onCreateOrder} />,
  );
  return onCreateOrder;
}

describe("QuotePanel", () => {
  it("invites to add a module when the design is empty", () => {
    show({ status: "empty" });
    expect(screen.getByText(/add a module/i)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Create order" })).toBeDisabled();
  });

  it("shows progress and no total while the first quote is calculated", () => {
    show({ status: "loading" });
    expect(screen.getAllByText(/calculating/i).length).toBeGreaterThan(0);
    expect(screen.queryByTestId("quote-total")).toBeNull();
    expect(screen.getByRole("button", { name: "Create order" })).toBeDisabled();
  });

  it("shows a fresh quote as current with its breakdown and lets the order be created", async () => {
    const onCreateOrder = show({ status: "fresh", quote });
    expect(screen.getByText("Current")).toBeInTheDocument();
    expect(screen.getByText("Total")).toBeInTheDocument();
    expect(screen.getByTestId("quote-total")).toHaveTextContent("$788.18");
    expect(screen.getByText("Tax (13%)")).toBeInTheDocument();
    expect(screen.getAllByText("$697.50").length).toBe(2);
    expect(screen.getByText("$348.75")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Create order" }));
    expect(onCreateOrder).toHaveBeenCalledWith(quote);
  });

  it("names a quote by its number", () => {
    show({ status: "fresh", quote });
    expect(screen.getByTestId("quote-number")).toHaveTextContent("Quote no. Q-000123");
    expect(screen.getByTestId("quote-number")).not.toHaveTextContent("0123456789ab");
  });

  it("names a quote made before quote numbers by the end of its id", () => {
    show({ status: "fresh", quote: { ...quote, number: null } });
    expect(screen.getByTestId("quote-number")).toHaveTextContent("Quote no. 456789ab");
  });

  it("never presents a stale total as current", () => {
    show({ status: "stale", quote });
    expect(screen.getByText(/updating/i)).toBeInTheDocument();
    expect(screen.queryByText("Total")).toBeNull();
    expect(screen.getByText("Previous total")).toBeInTheDocument();
    expect(screen.getByTestId("quote-breakdown")).toHaveAttribute("aria-busy", "true");
    expect(screen.getByRole("button", { name: "Create order" })).toBeDisabled();
  });

  it("reports a failed quote and keeps the old one marked out of date", () => {
    show({ status: "error", error: "items[0].module_id: unknown module", quote });
    expect(screen.getByRole("alert")).toHaveTextContent("items[0].module_id: unknown module");
    expect(screen.getByText("Out of date")).toBeInTheDocument();
    expect(screen.getByText("Previous total")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Create order" })).toBeDisabled();
  });
});

describe("live quote states", () => {
  it("goes loading → fresh → stale → fresh and back to empty", () => {
    let state: LiveQuoteState = { status: "empty" };
    state = reduceLiveQuote(state, { type: "changed" });
    expect(state.status).toBe("loading");
    state = reduceLiveQuote(state, { type: "received", quote });
    expect(state.status).toBe("fresh");
    state = reduceLiveQuote(state, { type: "changed" });
    expect(state).toEqual({ status: "stale", quote });
    state = reduceLiveQuote(state, { type: "failed", error: "boom" });
    expect(state).toEqual({ status: "error", error: "boom", quote });
    state = reduceLiveQuote(state, { type: "cleared" });
    expect(state.status).toBe("empty");
  });

  it("lists a kitchen's boards and every part of a by-sheet charge", () => {
    const boards: Quote["boards"] = [
      {
        materialId: "birch",
        materialName: "Birch ply",
        pricing: "by_sheet",
        boards: [
          { width: 2440, height: 1220, count: 2, unitCost: "50.00", offcutCode: null },
          { width: 800, height: 600, count: 1, unitCost: null, offcutCode: "OC-000007" },
        ],
        yieldRatio: 0.6127,
        cutLengthM: "14.2",
        edgeBandingM: "5.136",
        charges: { sheets: "100.00", offcuts: "4.10", sawCuts: "7.10", edgeBanding: "5.14", total: "116.34", sawCutPerM: "0.50", edgeBandingPerM: "1.00" },
        unavailable: null,
      },
      { materialId: "oak", materialName: "Oak", pricing: "by_area", boards: [{ width: 2800, height: 2070, count: 1, unitCost: null, offcutCode: null }], yieldRatio: 0.41, cutLengthM: "6", edgeBandingM: "2.5", charges: null, unavailable: null },
    ];
    show({ status: "fresh", quote: { ...quote, boards } });
    const section = screen.getByTestId("quote-boards");
    expect(section).toHaveTextContent("Birch ply: 3 boards, 61 % yield");
    expect(section).toHaveTextContent("2 × board 2440 × 1220 mm at 50.00");
    expect(section).toHaveTextContent("$100.00");
    expect(section).toHaveTextContent("Offcut OC-000007, 800 × 600 mm");
    expect(section).toHaveTextContent("Saw cuts, 14.2 m at 0.50/m");
    expect(section).toHaveTextContent("Edge banding, 5.136 m at 1.00/m");
    expect(section).toHaveTextContent("$116.34");
    expect(section).toHaveTextContent("Oak: 1 board, 41 % yield");
    expect(section).toHaveTextContent("priced by panel area");
  });
});

describe("times", () => {
  it("multiplies money exactly", async () => {
    const { times } = await import("@/components/quote/QuoteBoards");
    expect(times("50.00", 2)).toBe("100.00");
    expect(times("0.07", 3)).toBe("0.21");
    expect(times("57.9", 3)).toBe("173.70");
    expect(times("12", 1)).toBe("12.00");
  });
});
