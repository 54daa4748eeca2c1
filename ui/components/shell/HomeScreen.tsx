"use client";
// `/`: the configurator on a site; at HQ, which sells nothing, the chain view. The
// configurator waits for the server's mode (one health check), so at HQ it never mounts and
// never asks HQ for what only a site has.
import { useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { useServerMode } from "@/lib/serverMode";

export function SiteHome({ children }: { children: ReactNode }) {
  const mode = useServerMode();
  const router = useRouter();
  useEffect(() => {
    if (mode === "hq") router.replace("/chain/");
  }, [mode, router]);
  return mode === "site" ? <>{children}</> : null;
}
