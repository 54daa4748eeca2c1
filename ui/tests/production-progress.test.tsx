// Production progress with one entry per physical part (SPEC §12): each copy of a panel is its
// own row, named by its copy, and the summary counts physical parts.
import { screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { setApiForTesting } from "@/lib/api/client";
import type { OrderProductionWire, PartProgressWire, Station } from "@/lib/api/types";
import { formatPartCopy } from "@/lib/format";
import { ProductionProgress } from "@/components/orders/ProductionProgress";
import { renderUi, useFakeApi } from "./render";

function part(code: string, copy: number, copies: number, stations: Station[]): PartProgressWire {
  return {
    code,
    panel_code: copies > 1 ? code.slice(0, -String(copy).length) : code,
    copy,
    copies,
    order_id: "o1",
    module_name: "Base 600",
    name: copies > 1 ? "side" : "back",
    quantity: 1,
    stations: stations.map((station) => ({ station, actor: "Tablet", at: "2026-11-30T09:00:00Z" })),
  };
}

afterEach(() => setApiForTesting(null));

describe("formatPartCopy", () => {
  it.each([
    [{ copy: 2, copies: 4, quantity: 1 }, "copy 2 of 4"],
    [{ copy: null, copies: 4, quantity: 4 }, "all 4 copies"],
    [{ copies: 3, quantity: 3 }, "all 3 copies"],
    [{ copy: 1, copies: 1, quantity: 1 }, ""],
  ])("names %o as %j", (input, expected) => {
    expect(formatPartCopy(input)).toBe(expected);
  });
});

describe("ProductionProgress", () => {
  it("shows every copy as its own part and counts the assembled ones", async () => {
    const production: OrderProductionWire = {
      order_id: "o1",
      order_number: "PF-000007",
      percentage: 40,
      complete: false,
      parts: [
        part("PF-000007-01-A1", 1, 2, ["cut", "assemble"]),
        part("PF-000007-01-A2", 2, 2, []),
        part("PF-000007-01-C", 1, 1, ["assemble"]),
      ],
    };
    useFakeApi({ "GET /api/orders/o1/production": { status: 200, body: production } });
    renderUi(<ProductionProgress orderId="o1" />);

    expect(await screen.findByTestId("production-parts")).toHaveTextContent("2 of 3 parts assembled");
    const second = screen.getByTestId("part-PF-000007-01-A2");
    expect(second).toHaveTextContent("Base 600 · side · copy 2 of 2");
    expect(within(second).getByText("assemble")).toBeInTheDocument();
    expect(within(screen.getByTestId("part-PF-000007-01-A1")).getByText("assemble ✓")).toBeInTheDocument();
    const back = screen.getByTestId("part-PF-000007-01-C");
    expect(back).toHaveTextContent("Base 600 · back");
    expect(back).not.toHaveTextContent("copy");
  });
});
