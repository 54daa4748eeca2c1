// Whether this UI is served by a site or by HQ (SPEC §15), learned once from
// `GET /api/health` (HQ says `mode: "hq"`). Until the answer arrives, and when the server
// cannot be reached, the mode is null and every screen behaves as on a site.
import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api/client";
import { detectMode, type ServerMode } from "@/lib/api/hq";

export const SERVER_MODE_KEY = ["server-mode"] as const;

export function useServerMode(): ServerMode | null {
  const mode = useQuery({
    queryKey: SERVER_MODE_KEY,
    queryFn: async () => detectMode(await api().health()),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  return mode.data ?? null;
}
