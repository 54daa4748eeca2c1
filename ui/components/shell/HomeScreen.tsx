"use client";
// `/`: the configurator on a site; at HQ, which sells nothing, the chain view.
import { useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { useServerMode } from "@/lib/serverMode";

export function SiteHome({ children }: { children: ReactNode }) {
  const mode = useServerMode();
  const router = useRouter();
  useEffect(() => {
    if (mode === "hq") router.replace("/chain/");
  }, [mode, router]);
  return mode === "hq" ? null : <>{children}</>;
}
