import { describe, expect, it } from "vitest";
import type { ChainStatusWire } from "@/lib/api/types";
import { ago, chainSummary, chainTone } from "@/lib/chain";

const now = new Date("2026-12-07T10:00:00Z");

function status(patch: Partial<ChainStatusWire>): ChainStatusWire {
  return {
    role: "showroom",
    node_id: "n-1",
    node_name: "North",
    hq_url: "https://hq.example.com",
    state: "synced",
    pending_events: 0,
    last_push_at: "2026-12-07T09:58:00Z",
    last_pull_at: null,
    catalog_version: null,
    last_error: null,
    ...patch,
  };
}

describe("the chain line of the shell", () => {
  it("says synced and how long ago when HQ holds everything", () => {
    expect(chainSummary(status({}), now)).toBe("Synced · 2 min ago");
    expect(chainTone(status({}))).toBe("green");
  });

  it("counts the changes waiting, and says offline when HQ is unreachable", () => {
    expect(chainSummary(status({ state: "pending", pending_events: 37 }), now)).toBe("37 changes waiting");
    expect(chainSummary(status({ state: "offline", pending_events: 1 }), now)).toBe("Offline · 1 change waiting");
    expect(chainTone(status({ state: "offline", pending_events: 1 }))).toBe("orange");
  });

  it("says when HQ refuses the site", () => {
    expect(chainSummary(status({ state: "refused", last_error: "revoked" }), now)).toBe("HQ refuses this site");
    expect(chainTone(status({ state: "refused" }))).toBe("red");
  });

  it("names elapsed time in plain words", () => {
    expect(ago("2026-12-07T09:59:30Z", now)).toBe("just now");
    expect(ago("2026-12-07T07:00:00Z", now)).toBe("3 h ago");
    expect(ago("2026-12-01T10:00:00Z", now)).toBe("6 days ago");
    expect(ago(null, now)).toBe("never");
  });
});
