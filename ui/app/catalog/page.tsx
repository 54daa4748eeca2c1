import type { Metadata } from "next";
import { CatalogScreen } from "@/components/catalog/CatalogScreen";

export const metadata: Metadata = { title: "Catalog" };

export default function CatalogPage() {
  return <CatalogScreen />;
}
