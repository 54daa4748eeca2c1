import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useLiveQuote } from "@/components/quote/liveQuote";
import { createApi, setApiForTesting } from "@/lib/api/client";
import type { ApiRequest } from "@/lib/api/transport";
import type { QuoteItemInput } from "@/lib/api/types";

function quoteFor(items: QuoteItemInput[], total: string) {
  return {
    id: `q-${total}`,
    currency: "USD",
    tax_rate: "0",
    lines: items.map((item) => ({
      module_id: item.module_id,
      module_name: "Base",
      material_id: "oak",
      material_name: "Oak",
      quantity: item.quantity,
      area_sq_ft: "10",
      unit_price: total,
      line_total: total,
    })),
    subtotal: total,
    tax: "0.00",
    total,
    created_at: "2026-01-01T00:00:00Z",
    expires_at: "2026-01-31T00:00:00Z",
  };
}

afterEach(() => {
  vi.useRealTimers();
  setApiForTesting(null);
});

describe("useLiveQuote", () => {
  it("debounces edits and shows only the answer to the latest request as current", async () => {
    vi.useFakeTimers();
    const pending: { quantity: number; resolve: () => void }[] = [];
    const requests: ApiRequest[] = [];
    // Answers are released by hand, so the older request can be made to finish last.
    setApiForTesting(
      createApi({
        kind: "http",
        send: (request) => {
          requests.push(request);
          const items = (request.body as { items: QuoteItemInput[] }).items;
          const total = `${items[0].quantity}00.00`;
          return new Promise((resolve) =>
            pending.push({ quantity: items[0].quantity, resolve: () => resolve({ status: 201, body: quoteFor(items, total) }) }),
          );
        },
      }),
    );

    // The hook sends its requests through TanStack Query, so it needs a client.
    const client = new QueryClient();
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
    const { result, rerender } = renderHook(({ items }) => useLiveQuote(items, 300), {
      wrapper,
      initialProps: { items: [{ module_id: "m1", quantity: 1 }] as QuoteItemInput[] },
    });
    expect(result.current.status).toBe("loading");
    rerender({ items: [{ module_id: "m1", quantity: 2 }] });
    await act(async () => vi.advanceTimersByTime(300));
    expect(requests).toHaveLength(1); // the edit within the debounce window sent one request only
    await act(async () => pending[0].resolve());
    expect(result.current.status).toBe("fresh");
    expect("quote" in result.current && result.current.quote?.total).toBe("200.00");

    rerender({ items: [{ module_id: "m1", quantity: 3 }] });
    expect(result.current.status).toBe("stale");
    await act(async () => vi.advanceTimersByTime(300));
    rerender({ items: [{ module_id: "m1", quantity: 4 }] });
    await act(async () => vi.advanceTimersByTime(300));
    expect(pending.map((item) => item.quantity)).toEqual([2, 3, 4]);

    await act(async () => pending[2].resolve()); // the latest answer first
    expect("quote" in result.current && result.current.quote?.total).toBe("400.00");
    await act(async () => pending[1].resolve()); // then the older, superseded one
    expect(result.current.status).toBe("fresh");
    expect("quote" in result.current && result.current.quote?.total).toBe("400.00");

    rerender({ items: [] });
    expect(result.current.status).toBe("empty");
  });
});
