import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DesignBar } from "@/components/configurator/DesignBar";
import { setApiForTesting } from "@/lib/api/client";
import { resetDesign, useDesign } from "@/stores/design";
import { initialConfigurator, useConfigurator } from "@/stores/configurator";
import { renderUi, useFakeApi } from "./render";

vi.mock("next/navigation", () => ({ useRouter: () => ({ replace: vi.fn(), push: vi.fn() }) }));

const latest = {
  id: "d1",
  version: 4,
  name: "Kitchen",
  customer_id: null,
  items: [{ module_id: "m1", quantity: 2, material_id: "oak" }],
  has_snapshot: false,
  updated_at: "2026-11-30T00:00:00Z",
};

afterEach(() => {
  resetDesign();
  useConfigurator.setState(initialConfigurator);
  setApiForTesting(null);
});

describe("DesignBar", () => {
  it("shows a conflict and reloads the latest version into the configurator", async () => {
    const { requests } = useFakeApi({
      "GET /api/designs/d1": { status: 200, body: latest },
      "GET /api/customers": { status: 200, body: { items: [], total: 0 } },
    });
    useDesign.setState({
      designId: "d1",
      version: 3,
      name: "Kitchen",
      status: "conflict",
      error: "Someone else saved a newer version",
    });
    renderUi(<DesignBar initialDesignId={null} onQuoted={() => {}} />);
    expect(screen.getByRole("alert").textContent).toContain("Someone else saved a newer version");
    fireEvent.click(screen.getByRole("button", { name: "Reload latest" }));
    await waitFor(() => expect(screen.getByTestId("design-status").textContent).toBe("Saved · v4"));
    expect(requests.some((request) => request.path === "/api/designs/d1")).toBe(true);
    const placed = useConfigurator.getState().items.map(({ moduleId, materialId, quantity }) => ({ moduleId, materialId, quantity }));
    expect(placed).toEqual([{ moduleId: "m1", materialId: "oak", quantity: 2 }]);
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
