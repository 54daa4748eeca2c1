// The configurator's catalog is server state and lives in TanStack Query now
// (components/configurator/catalogQuery.ts); this path stays for the catalog screen's import.
export { useCatalog, type CatalogState } from "@/components/configurator/catalogQuery";
