// SPEC §15 "Catalog changed": on the customer's page an open quote priced on an older HQ
// catalog keeps its total, says the catalog changed with what its items cost now, and offers
// a reprice (a new quote); a quote priced on the catalog the site holds says nothing.
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { setApiForTesting } from "@/lib/api/client";
import type { CatalogChangeWire, QuoteWire } from "@/lib/api/types";
import { CustomerHistory } from "@/components/customers/CustomerHistory";
import { renderUi, useFakeApi } from "./render";

afterEach(() => setApiForTesting(null));

const later = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();

function quote(id: string, number: string, total: string): QuoteWire {
  return {
    id,
    number,
    currency: "USD",
    tax_rate: "0.08",
    lines: [],
    subtotal: total,
    tax: "0.00",
    total,
    created_at: "2026-12-01T10:00:00Z",
    expires_at: later,
    customer_id: "c-1",
    boards: [],
    catalog_version: 1,
  };
}

const change: CatalogChangeWire = { priced_on: 1, current: 2, quoted_total: "500.00", total: "540.00", unavailable: null };

describe("a quote on an older catalog", () => {
  it("keeps its total, shows the new one and reprices into a new quote", async () => {
    let quotes = [quote("q-1", "Q-000001", "500.00"), quote("q-2", "Q-000002", "120.00")];
    const { requests } = useFakeApi({
      "GET /api/customers/c-1/history": () => ({ status: 200, body: { quotes, orders: [] } }),
      "GET /api/quotes/q-1/catalog-change": { status: 200, body: change },
      "GET /api/quotes/q-2/catalog-change": { status: 204, body: null },
      "GET /api/quotes/q-3/catalog-change": { status: 204, body: null },
      "POST /api/quotes/q-1/reprice": () => {
        const repriced = { ...quote("q-3", "Q-000003", "540.00"), catalog_version: 2 };
        quotes = [repriced, ...quotes];
        return { status: 201, body: repriced };
      },
    });
    renderUi(<CustomerHistory customerId="c-1" />);
    const changed = await screen.findByTestId("catalog-changed");
    expect(changed).toHaveTextContent("Catalog changed");
    expect(changed).toHaveTextContent("now $540.00");
    const row = changed.closest("tr") as HTMLElement;
    expect(within(row).getByText("Q-000001")).toBeInTheDocument();
    expect(row).toHaveTextContent("$500.00");
    expect(screen.getAllByTestId("catalog-changed")).toHaveLength(1);

    await userEvent.click(within(changed).getByRole("button", { name: "Reprice" }));
    await screen.findByText("Q-000003");
    expect(requests.filter((request) => request.method === "POST").map((request) => request.path)).toEqual(["/api/quotes/q-1/reprice"]);
  });
});
