// Whether this UI is served by a site or by HQ (SPEC §15), learned once from
// `GET /api/health` (HQ says `mode: "hq"`). Null until the answer arrives; a server that
// cannot be reached counts as a site, so an offline site still opens every screen.
import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api/client";
import { detectMode, type ServerMode } from "@/lib/api/hq";

export const SERVER_MODE_KEY = ["server-mode"] as const;

export function useServerMode(): ServerMode | null {
  const mode = useQuery({
    queryKey: SERVER_MODE_KEY,
    queryFn: () => api().health().then(detectMode, (): ServerMode => "site"),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  return mode.data ?? null;
}
