// The catalog the configurator sells from: every module and material and the shop currency,
// read once per visit through TanStack Query (one key, `CATALOG_KEY`) and read again after
// the catalog screen saves an edit (`refresh`).
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { api } from "@/lib/api/client";
import { describeError } from "@/lib/api/problem";
import type { Material, Module } from "@/lib/api/views";

export const CATALOG_KEY = ["catalog", "all"] as const;

export interface CatalogState {
  /** `idle` is never reported any more: the catalog is asked for as soon as it is shown. */
  status: "idle" | "loading" | "ready" | "error";
  modules: Module[];
  materials: Material[];
  /** The shop currency from the settings, for prices shown before a quote exists. */
  currency: string;
  error: string | null;
  /** Reads the catalog again (after an edit); resolves once it is read. */
  refresh: () => Promise<void>;
}

interface Catalog {
  modules: Module[];
  materials: Material[];
  currency: string;
}

const PAGE = 200;
const EMPTY: Catalog = { modules: [], materials: [], currency: "USD" };

async function fetchAll<T>(load: (offset: number) => Promise<{ items: T[]; total: number }>): Promise<T[]> {
  const all: T[] = [];
  for (let offset = 0; offset < 10_000; offset += PAGE) {
    const page = await load(offset);
    all.push(...page.items);
    if (page.items.length < PAGE || all.length >= page.total) break;
  }
  return all;
}

/** Every page of modules and materials; a server without settings prices in USD. */
export async function loadCatalog(): Promise<Catalog> {
  const client = api();
  const [modules, materials, currency] = await Promise.all([
    fetchAll((offset) => client.listModules({ limit: PAGE, offset })),
    fetchAll((offset) => client.listMaterials({ limit: PAGE, offset })),
    client.getSettings().then((settings) => settings.currency, () => "USD"),
  ]);
  return { modules, materials, currency };
}

/** The configurator's catalog; the whole state, or what `select` picks of it. */
export function useCatalog(): CatalogState;
export function useCatalog<T>(select: (state: CatalogState) => T): T;
export function useCatalog<T>(select?: (state: CatalogState) => T): CatalogState | T {
  const queryClient = useQueryClient();
  // Loaded once per visit (kept when the configurator is left): only `refresh` reads it again.
  const query = useQuery({ queryKey: CATALOG_KEY, queryFn: loadCatalog, staleTime: Infinity, gcTime: Infinity, retry: false });
  const refresh = useCallback(() => queryClient.invalidateQueries({ queryKey: CATALOG_KEY }), [queryClient]);
  const catalog = query.data ?? EMPTY;
  // A failed read keeps what was shown and says so; "Try again" shows progress, not the failure.
  const status = query.isFetching && !query.data ? "loading" : query.isError && !query.isFetching ? "error" : query.data ? "ready" : "loading";
  const state: CatalogState = {
    status,
    ...catalog,
    error: status === "error" ? describeError(query.error) : null,
    refresh,
  };
  return select ? select(state) : state;
}
