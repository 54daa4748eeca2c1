// The chain status (SPEC §15) as the shell and Settings → Chain say it: "Synced · 2 min ago"
// or "37 changes waiting", plus why HQ is not being reached when it is not.
import type { ChainStatusWire } from "@/lib/api/types";

/** "just now", "2 min ago", "3 h ago", "4 days ago". */
export function ago(at: string | null | undefined, now: Date = new Date()): string {
  if (!at) return "never";
  const seconds = Math.max(0, (now.getTime() - new Date(at).getTime()) / 1000);
  if (seconds < 60) return "just now";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

function changes(count: number): string {
  return `${count} ${count === 1 ? "change" : "changes"} waiting`;
}

/** The one line the shell shows. */
export function chainSummary(status: ChainStatusWire, now: Date = new Date()): string {
  if (status.state === "refused") return "HQ refuses this site";
  if (status.pending_events > 0) {
    return status.state === "offline" ? `Offline · ${changes(status.pending_events)}` : changes(status.pending_events);
  }
  if (status.state === "offline") return "HQ unreachable";
  return status.last_push_at ? `Synced · ${ago(status.last_push_at, now)}` : "Synced";
}

/** The colour of the shell's dot for the state. */
export function chainTone(status: ChainStatusWire): "green" | "orange" | "red" {
  if (status.state === "refused") return "red";
  if (status.state === "offline" || status.pending_events > 0) return "orange";
  return "green";
}

/** A site as HQ lists it, as far as its sync state goes. */
export interface SiteSyncFacts {
  revoked: boolean;
  last_push_at: string | null;
}

/** HQ's word for a site: "Revoked", "Never synced" or "Synced · 2 min ago". */
export function siteSyncState(site: SiteSyncFacts, now: Date = new Date()): string {
  if (site.revoked) return "Revoked";
  if (!site.last_push_at) return "Never synced";
  return `Synced · ${ago(site.last_push_at, now)}`;
}

/** The colour of that state's badge. */
export function siteSyncTone(site: SiteSyncFacts): "gray" | "orange" | "green" {
  if (site.revoked) return "gray";
  return site.last_push_at ? "green" : "orange";
}
