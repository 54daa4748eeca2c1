import type { Metadata } from "next";
import { ConfiguratorScreen } from "@/components/configurator/ConfiguratorScreen";
import { SiteHome } from "@/components/shell/HomeScreen";

export const metadata: Metadata = { title: "Configurator" };

export default function ConfiguratorPage() {
  return (
    <SiteHome>
      <ConfiguratorScreen />
    </SiteHome>
  );
}
