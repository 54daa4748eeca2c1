//! The saved design behind the configurator: its id, version, name and customer, and whether the
//! configurator's items match what the server holds. The store functions take the API as a
//! parameter so tests can drive saves, autosave and conflicts with a fake server.
import { create } from "zustand";
import type { DesignItemView, DesignView, PaformApi } from "@/lib/api/client";
import { ApiError, describeError } from "@/lib/api/problem";
import type { ConfigItem } from "./configurator";

export type DesignApi = Pick<PaformApi, "createDesign" | "updateDesign" | "getDesign">;

export type DesignStatus = "new" | "saved" | "dirty" | "saving" | "conflict" | "error";

export interface DesignState {
  designId: string | null;
  version: number | null;
  name: string;
  customerId: string | null;
  status: DesignStatus;
  error: string | null;
}

export const AUTOSAVE_MS = 2000;

export const initialDesign: DesignState = {
  designId: null,
  version: null,
  name: "Untitled design",
  customerId: null,
  status: "new",
  error: null,
};

export const useDesign = create<DesignState>()(() => initialDesign);

/** The configurator's placements as design items, in the same order. */
export function toDesignItems(items: ConfigItem[]): DesignItemView[] {
  return items.map((item) => ({
    moduleId: item.moduleId,
    materialId: item.materialId,
    quantity: item.quantity,
    ...(item.options ? { options: item.options } : {}),
  }));
}

/** A saved design's items as configurator placements (without keys; the configurator assigns them). */
export function toConfigItems(items: DesignItemView[]): Omit<ConfigItem, "key">[] {
  return items.map((item) => ({
    moduleId: item.moduleId,
    materialId: item.materialId,
    quantity: item.quantity,
    ...(item.options ? { options: item.options } : {}),
  }));
}

function applySaved(design: DesignView) {
  useDesign.setState({
    designId: design.id,
    version: design.version,
    name: design.name,
    customerId: design.customerId,
    status: "saved",
    error: null,
  });
}

let timer: ReturnType<typeof setTimeout> | null = null;
let inFlight = false;

function cancelAutosave() {
  if (timer !== null) clearTimeout(timer);
  timer = null;
}

/** Marks the design changed (name, customer); items changes go through `itemsChanged`. */
export function editDesign(patch: Partial<Pick<DesignState, "name" | "customerId">>) {
  const state = useDesign.getState();
  useDesign.setState({ ...patch, status: state.status === "new" || state.status === "conflict" ? state.status : "dirty" });
}

/**
 * Saves now: the first save creates the design, later saves store a new version guarded by the
 * version this session last saw, so a concurrent save elsewhere ends in the conflict state
 * instead of being overwritten.
 */
export async function saveDesign(api: DesignApi, items: ConfigItem[]): Promise<DesignView | null> {
  cancelAutosave();
  const state = useDesign.getState();
  if (state.status === "conflict") return null;
  const input = { name: state.name.trim() || "Untitled design", customerId: state.customerId, items: toDesignItems(items) };
  useDesign.setState({ status: "saving", error: null });
  inFlight = true;
  try {
    const design =
      state.designId === null || state.version === null
        ? await api.createDesign(input)
        : await api.updateDesign(state.designId, input, state.version);
    applySaved(design);
    // Edits made while this save was in flight are still waiting for their autosave.
    if (timer !== null) useDesign.setState({ status: "dirty" });
    return design;
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) {
      useDesign.setState({ status: "conflict", error: "Someone else saved a newer version" });
    } else {
      useDesign.setState({ status: "error", error: describeError(error) });
    }
    return null;
  } finally {
    inFlight = false;
  }
}

/**
 * The configurator's items changed. Once the design exists, a save follows after AUTOSAVE_MS
 * of quiet, so a burst of edits makes one version; before the first save nothing is sent.
 */
export function itemsChanged(api: DesignApi, items: () => ConfigItem[]) {
  const state = useDesign.getState();
  if (state.designId === null || state.status === "conflict") return;
  useDesign.setState({ status: "dirty" });
  cancelAutosave();
  const fire = () => {
    // Two saves in flight would both send the same expected version and the second would
    // conflict with the first: wait for the running one.
    if (inFlight) {
      timer = setTimeout(fire, AUTOSAVE_MS);
      return;
    }
    timer = null;
    void saveDesign(api, items());
  };
  timer = setTimeout(fire, AUTOSAVE_MS);
}

/** Loads a design (the latest version) and returns its items for the configurator. */
export async function openDesign(api: DesignApi, id: string): Promise<Omit<ConfigItem, "key">[]> {
  cancelAutosave();
  const design = await api.getDesign(id);
  applySaved(design);
  return toConfigItems(design.items);
}

/** Forgets the current design (a new, unsaved one starts). */
export function resetDesign() {
  cancelAutosave();
  useDesign.setState(initialDesign);
}
