import { ChakraProvider } from "@chakra-ui/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { CatalogScreen } from "@/components/catalog/CatalogScreen";
import { Pager } from "@/components/common/Pager";
import { system } from "@/theme";
import { useFakeApi } from "./render";

function renderWithQuery(ui: React.ReactElement) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <ChakraProvider value={system}>{ui}</ChakraProvider>
    </QueryClientProvider>,
  );
}

const material = (index: number) => ({
  id: `m${index}`,
  name: `Board ${index}`,
  texture_url: null,
  cost_per_sq_ft: "2.50",
  thickness_mm: 18,
  external_ids: {},
  updated_at: "2026-11-30T05:00:00Z",
});

describe("Pager", () => {
  it("is hidden for a single page and moves by one page", async () => {
    const onOffset = vi.fn();
    const { rerender } = render(
      <ChakraProvider value={system}>
        <Pager offset={0} limit={20} total={20} onOffset={onOffset} />
      </ChakraProvider>,
    );
    expect(screen.queryByRole("button", { name: "Next" })).toBeNull();
    rerender(
      <ChakraProvider value={system}>
        <Pager offset={20} limit={20} total={45} onOffset={onOffset} />
      </ChakraProvider>,
    );
    expect(screen.getByText("21–40 of 45")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Next" }));
    await userEvent.click(screen.getByRole("button", { name: "Previous" }));
    expect(onOffset.mock.calls).toEqual([[40], [0]]);
  });
});

describe("catalog lists through TanStack Query", () => {
  it("pages the materials from the server and reads the list again after a delete", async () => {
    const all = Array.from({ length: 25 }, (_, index) => material(index + 1));
    let deleted = false;
    const { requests } = useFakeApi({
      "GET /api/modules": { status: 200, body: { items: [], total: 0, limit: 200, offset: 0 } },
      "GET /api/settings": { status: 200, body: { currency: "USD" } },
      "GET /api/materials": (request) => {
        const offset = Number(request.query?.offset ?? 0);
        const limit = Number(request.query?.limit ?? 20);
        const rest = deleted ? all.slice(1) : all;
        return { status: 200, body: { items: rest.slice(offset, offset + limit), total: rest.length, limit, offset } };
      },
      "DELETE /api/materials/m1": () => {
        deleted = true;
        return { status: 204, body: null };
      },
    });
    vi.spyOn(window, "confirm").mockReturnValue(true);
    renderWithQuery(<CatalogScreen />);
    await userEvent.click(screen.getByRole("tab", { name: "Materials" }));
    expect(await screen.findByText("1–20 of 25", {}, { timeout: 5000 })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Next" }));
    expect(await screen.findByText("21–25 of 25")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Previous" }));
    await userEvent.click(await screen.findByRole("button", { name: "Delete Board 1" }));
    expect(await screen.findByText("1–20 of 24")).toBeInTheDocument();
    const pages = requests.filter((request) => request.method === "GET" && request.path === "/api/materials" && request.query?.limit === 20);
    expect(pages.map((request) => request.query?.offset)).toContain(20);
    await waitFor(() => expect(screen.queryByText("Board 1")).toBeNull());
  }, 30_000);
});
