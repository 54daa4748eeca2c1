// The catalog the configurator sells from: every module and material, loaded once per visit
// and refreshed after an edit. Actions are a discriminated union.
import { create } from "zustand";
import { api } from "@/lib/api/client";
import { describeError } from "@/lib/api/problem";
import type { Material, Module } from "@/lib/api/views";

export type CatalogAction =
  | { type: "load_started" }
  | { type: "load_succeeded"; modules: Module[]; materials: Material[]; currency: string }
  | { type: "load_failed"; error: string };

export interface CatalogState {
  status: "idle" | "loading" | "ready" | "error";
  modules: Module[];
  materials: Material[];
  /** The shop currency from the settings, for prices shown before a quote exists. */
  currency: string;
  error: string | null;
}

export function reduceCatalog(state: CatalogState, action: CatalogAction): CatalogState {
  switch (action.type) {
    case "load_started":
      return { ...state, status: "loading", error: null };
    case "load_succeeded":
      return { status: "ready", modules: action.modules, materials: action.materials, currency: action.currency, error: null };
    case "load_failed":
      return { ...state, status: "error", error: action.error };
  }
}

const PAGE = 200;

async function fetchAll<T>(load: (offset: number) => Promise<{ items: T[]; total: number }>): Promise<T[]> {
  const all: T[] = [];
  for (let offset = 0; offset < 10_000; offset += PAGE) {
    const page = await load(offset);
    all.push(...page.items);
    if (page.items.length < PAGE || all.length >= page.total) break;
  }
  return all;
}

export const useCatalog = create<CatalogState & { dispatch: (action: CatalogAction) => void; refresh: () => Promise<void> }>()(
  (set, get) => ({
    status: "idle",
    modules: [],
    materials: [],
    currency: "USD",
    error: null,
    dispatch: (action) => set(reduceCatalog(get(), action)),
    refresh: async () => {
      const { dispatch } = get();
      dispatch({ type: "load_started" });
      try {
        const client = api();
        const [modules, materials, currency] = await Promise.all([
          fetchAll((offset) => client.listModules({ limit: PAGE, offset })),
          fetchAll((offset) => client.listMaterials({ limit: PAGE, offset })),
          client.getSettings().then((settings) => settings.currency, () => "USD"),
        ]);
        dispatch({ type: "load_succeeded", modules, materials, currency });
      } catch (error) {
        dispatch({ type: "load_failed", error: describeError(error) });
      }
    },
  }),
);
