import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DesignInput, DesignView } from "@/lib/api/client";
import { ApiError } from "@/lib/api/problem";
import { initialConfigurator, reduceConfigurator, type ConfigItem } from "@/stores/configurator";
import {
  AUTOSAVE_MS,
  editDesign,
  itemsChanged,
  openDesign,
  resetDesign,
  saveDesign,
  toConfigItems,
  toDesignItems,
  useDesign,
  type DesignApi,
} from "@/stores/design";

const items: ConfigItem[] = [
  { key: "item-1", moduleId: "base-600", materialId: null, quantity: 2 },
  { key: "item-2", moduleId: "wall-400", materialId: "oak", quantity: 1, options: { hinge: "left" } },
  { key: "item-3", moduleId: "base-600", materialId: "walnut", quantity: 5 },
];

function fakeApi() {
  let version = 0;
  const view = (input: DesignInput): DesignView => ({
    ...input,
    id: "d1",
    version: ++version,
    hasSnapshot: false,
    updatedAt: "2026-11-30T00:00:00Z",
  });
  return {
    createDesign: vi.fn(async (input: DesignInput) => view(input)),
    updateDesign: vi.fn(async (_id: string, input: DesignInput, _expected: number) => view(input)),
    getDesign: vi.fn(async () => view({ name: "Kitchen", customerId: "c1", items: toDesignItems(items) })),
  } satisfies DesignApi;
}

beforeEach(() => resetDesign());
afterEach(() => vi.useRealTimers());

describe("design store", () => {
  it("maps configurator items to design items and back, keeping order, materials, quantities and options", () => {
    const design = toDesignItems(items);
    expect(design).toEqual([
      { moduleId: "base-600", materialId: null, quantity: 2 },
      { moduleId: "wall-400", materialId: "oak", quantity: 1, options: { hinge: "left" } },
      { moduleId: "base-600", materialId: "walnut", quantity: 5 },
    ]);
    const loaded = reduceConfigurator(initialConfigurator, { type: "replaced", items: toConfigItems(design) });
    expect(loaded.items.map(({ key: _key, ...rest }) => rest)).toEqual(items.map(({ key: _key, ...rest }) => rest));
    expect(new Set(loaded.items.map((item) => item.key)).size).toBe(3);
    expect(toDesignItems(loaded.items)).toEqual(design);
  });

  it("creates on the first save, then updates with the version it last saw", async () => {
    const api = fakeApi();
    editDesign({ name: "Kitchen", customerId: "c1" });
    await saveDesign(api, items);
    expect(api.createDesign).toHaveBeenCalledWith({ name: "Kitchen", customerId: "c1", items: toDesignItems(items) });
    expect(useDesign.getState()).toMatchObject({ designId: "d1", version: 1, status: "saved" });
    await saveDesign(api, items.slice(0, 1));
    expect(api.updateDesign).toHaveBeenCalledWith("d1", expect.objectContaining({ items: toDesignItems(items.slice(0, 1)) }), 1);
    expect(useDesign.getState().version).toBe(2);
  });

  it("does not autosave before the first save", () => {
    vi.useFakeTimers();
    const api = fakeApi();
    itemsChanged(api, () => items);
    vi.advanceTimersByTime(AUTOSAVE_MS * 3);
    expect(api.createDesign).not.toHaveBeenCalled();
    expect(api.updateDesign).not.toHaveBeenCalled();
  });

  it("autosaves once, 2 s after the last of a burst of changes", async () => {
    const api = fakeApi();
    await saveDesign(api, items);
    vi.useFakeTimers();
    let current = items;
    for (let i = 0; i < 5; i += 1) {
      current = current.map((item) => ({ ...item, quantity: item.quantity + 1 }));
      itemsChanged(api, () => current);
      vi.advanceTimersByTime(500);
    }
    expect(useDesign.getState().status).toBe("dirty");
    vi.advanceTimersByTime(AUTOSAVE_MS - 501);
    expect(api.updateDesign).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(api.updateDesign).toHaveBeenCalledTimes(1);
    expect(api.updateDesign.mock.calls[0][1].items).toEqual(toDesignItems(current));
    expect(useDesign.getState()).toMatchObject({ status: "saved", version: 2 });
  });

  it("an autosave due while a save is in flight waits for it instead of racing it", async () => {
    const api = fakeApi();
    await saveDesign(api, items);
    let finish: () => void = () => {};
    api.updateDesign.mockImplementationOnce(
      (_id, input) =>
        new Promise((resolve) => {
          finish = () => resolve({ ...input, id: "d1", version: 2, hasSnapshot: false, updatedAt: "" });
        }),
    );
    vi.useFakeTimers();
    const slow = saveDesign(api, items);
    itemsChanged(api, () => items.slice(1));
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS);
    expect(api.updateDesign).toHaveBeenCalledTimes(1);
    finish();
    await slow;
    expect(useDesign.getState().status).toBe("dirty");
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS);
    expect(api.updateDesign).toHaveBeenCalledTimes(2);
    expect(api.updateDesign.mock.calls[1][2]).toBe(2);
    expect(useDesign.getState().status).toBe("saved");
  });

  it("a 409 puts the design in conflict, stops autosave, and reloading the latest clears it", async () => {
    const api = fakeApi();
    await saveDesign(api, items);
    api.updateDesign.mockRejectedValueOnce(new ApiError(409, { title: "Conflict" }));
    await saveDesign(api, items);
    expect(useDesign.getState()).toMatchObject({ status: "conflict", error: "Someone else saved a newer version" });

    vi.useFakeTimers();
    itemsChanged(api, () => items);
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS * 2);
    expect(api.updateDesign).toHaveBeenCalledTimes(1);

    const loaded = await openDesign(api, "d1");
    expect(loaded).toEqual(toConfigItems(toDesignItems(items)));
    expect(useDesign.getState()).toMatchObject({ status: "saved", name: "Kitchen", customerId: "c1" });
  });
});
