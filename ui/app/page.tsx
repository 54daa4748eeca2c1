import type { Metadata } from "next";
import { ConfiguratorScreen } from "@/components/configurator/ConfiguratorScreen";

export const metadata: Metadata = { title: "Configurator" };

export default function ConfiguratorPage() {
  return <ConfiguratorScreen />;
}
