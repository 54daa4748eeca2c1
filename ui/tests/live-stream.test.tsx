// The live event stream (lib/api/events.ts) where no server stream exists, and the
// configurator's catalog through TanStack Query.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useCatalog } from "@/components/configurator/catalogQuery";
import { setApiForTesting } from "@/lib/api/client";
import { POLL_MS, subscribeLiveEvents } from "@/lib/api/events";
import { useFakeApi } from "./render";

afterEach(() => {
  vi.useRealTimers();
  setApiForTesting(null);
});

describe("the live event stream", () => {
  it("polls with a reset in the desktop shell until unsubscribed, and never asks for a token", () => {
    vi.useFakeTimers();
    const heard: unknown[] = [];
    const fetchToken = vi.fn();
    const unsubscribe = subscribeLiveEvents("tauri", (event) => heard.push(event), fetchToken);
    vi.advanceTimersByTime(POLL_MS * 2);
    expect(heard).toEqual(["reset", "reset"]);
    unsubscribe();
    vi.advanceTimersByTime(POLL_MS * 2);
    expect(heard).toHaveLength(2);
    expect(fetchToken).not.toHaveBeenCalled();
  });
});

const material = { id: "oak", name: "Oak", texture_url: null, cost_per_sq_ft: "2.50", thickness_mm: 18, external_ids: {}, updated_at: "t" };

describe("the configurator's catalog", () => {
  it("reads every material page and the shop currency once, and again on refresh", async () => {
    const materials = Array.from({ length: 201 }, (_, index) => ({ ...material, id: `m${index}` }));
    const { requests } = useFakeApi({
      "GET /api/modules": { status: 200, body: { items: [], total: 0, limit: 200, offset: 0 } },
      "GET /api/materials": (request) => {
        const offset = Number(request.query?.offset ?? 0);
        return { status: 200, body: { items: materials.slice(offset, offset + 200), total: materials.length, limit: 200, offset } };
      },
      "GET /api/settings": { status: 200, body: { currency: "EUR", tax_rate: "0", quote_validity_days: 30 } },
    });
    const client = new QueryClient();
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
    const { result } = renderHook(() => useCatalog(), { wrapper });
    expect(result.current.status).toBe("loading");
    await waitFor(() => expect(result.current.status).toBe("ready"));
    expect(result.current.materials).toHaveLength(201);
    expect(result.current.currency).toBe("EUR");
    const settingsReads = () => requests.filter((request) => request.path === "/api/settings").length;
    expect(settingsReads()).toBe(1);
    await act(() => result.current.refresh());
    expect(settingsReads()).toBe(2);
  });

  it("reports a failed read as an error", async () => {
    useFakeApi({});
    const client = new QueryClient();
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
    const { result } = renderHook(() => useCatalog((state) => ({ status: state.status, error: state.error })), { wrapper });
    await waitFor(() => expect(result.current.status).toBe("error"));
    expect(result.current.error).toBeTruthy();
  });
});
