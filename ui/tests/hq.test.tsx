import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { ChainSites } from "@/components/chain/ChainSites";
import { auditSummary } from "@/components/chain/ChainScreen";
import { eventKindLabel, statusMove } from "@/components/chain/ChainOrderView";
import { createHqApi, detectMode, onHqUnauthorized, setHqApiForTesting, type HqAuditWire, type HqNodeWire } from "@/lib/api/hq";
import { ApiError } from "@/lib/api/problem";
import { siteSyncState, siteSyncTone } from "@/lib/chain";
import { makeJoinCode, parseJoinCode } from "@/lib/joinCode";
import { ChainSection } from "@/components/settings/ChainSection";
import { fakeTransport, renderUi, useFakeApi } from "./render";

const now = new Date("2026-12-07T10:00:00Z");

afterEach(() => setHqApiForTesting(null));

describe("the server's mode", () => {
  it("is HQ only when the health says mode hq", () => {
    expect(detectMode({ status: "ok", mode: "hq", schema: 3 })).toBe("hq");
    expect(detectMode({ status: "degraded", mode: "hq" })).toBe("hq");
    expect(detectMode({ status: "ok", schema: 4 })).toBe("site");
    expect(detectMode({ status: "ok", mode: "standalone" })).toBe("site");
    expect(detectMode(null)).toBe("site");
    expect(detectMode("ok")).toBe("site");
  });
});

describe("the join code", () => {
  it("round-trips HQ's address and the token", () => {
    const code = makeJoinCode("http://127.0.0.1:8123/", "pfn_abc");
    expect(code).toBe('{"hq":"http://127.0.0.1:8123","token":"pfn_abc"}');
    expect(parseJoinCode(code)).toEqual({ hqUrl: "http://127.0.0.1:8123", token: "pfn_abc" });
  });

  it("reads a code with spaces around it and an address with a path", () => {
    expect(parseJoinCode('  {"hq":"https://hq.example.com/paform/","token":" pfn_x "}\n')).toEqual({
      hqUrl: "https://hq.example.com/paform",
      token: "pfn_x",
    });
  });

  it("refuses what is not a join code", () => {
    for (const text of ["", "pfn_abc", "[]", "null", '{"hq":"hq.example.com","token":"t"}', '{"hq":"https://hq","token":""}', '{"hq":"ftp://hq","token":"t"}', '{"token":"t"}', "{broken"]) {
      expect(parseJoinCode(text), text).toBeNull();
    }
  });
});

describe("a site's sync state at HQ", () => {
  it("says synced and how long ago, never synced, or revoked", () => {
    expect(siteSyncState({ revoked: false, last_push_at: "2026-12-07T09:58:00Z" }, now)).toBe("Synced · 2 min ago");
    expect(siteSyncState({ revoked: false, last_push_at: "2026-12-07T09:59:40Z" }, now)).toBe("Synced · just now");
    expect(siteSyncState({ revoked: false, last_push_at: null }, now)).toBe("Never synced");
    expect(siteSyncState({ revoked: true, last_push_at: "2026-12-07T09:58:00Z" }, now)).toBe("Revoked");
    expect(siteSyncTone({ revoked: false, last_push_at: null })).toBe("orange");
    expect(siteSyncTone({ revoked: true, last_push_at: null })).toBe("gray");
  });
});

describe("the audit line and event labels", () => {
  const clean: HqAuditWire = { ok: true, log_entries: 9, quarantined: 0, orders: 2, events: 7, broken_chains: [], projection_mismatches: [] };
  it("counts orders and events and names each kind of problem", () => {
    expect(auditSummary(clean)).toBe("Audit: 2 orders, 7 events; every chain verifies, no problems");
    expect(auditSummary({ ...clean, ok: false, orders: 1, events: 1, broken_chains: ["o1/contract@3"], projection_mismatches: ["o2", "o3"], quarantined: 1 })).toBe(
      "Audit: 1 order, 1 event; 1 broken chain, 2 orders differ from their events, 1 quarantined",
    );
  });
  it("reads an event kind as words", () => {
    expect(eventKindLabel("order_created")).toBe("Order created");
    expect(eventKindLabel("production_complete")).toBe("Production complete");
    expect(statusMove({ from: "draft", to: "pending_payment" })).toBe("Draft → Pending payment");
    expect(statusMove({ to: "fulfilled" })).toBe("Fulfilled");
    expect(statusMove({ from: "draft", to: "teleported" })).toBeNull();
    expect(statusMove(null)).toBeNull();
  });
});

describe("HQ's client", () => {
  it("unwraps HQ's lists, sends the filters and reports a 401 to the sign-in dialog", async () => {
    const node: HqNodeWire = {
      id: "node-1", name: "Leeds", role: "showroom", number_prefix: "LDS", held_seq: 4, revoked: false,
      created_at: "2026-12-07T09:00:00Z", joined_at: "2026-12-07T09:01:00Z", last_push_at: "2026-12-07T09:58:00Z", quarantined: 0,
    };
    const { transport, requests } = fakeTransport({
      "GET /hq/v1/nodes": { status: 200, body: { nodes: [node] } },
      "GET /api/orders": { status: 200, body: { orders: [] } },
      "POST /hq/v1/nodes/node-1/revoke": { status: 204, body: null },
      "GET /hq/v1/audit": { status: 401, body: { type: "about:blank", title: "Unauthorized", status: 401, detail: "a bearer token is required" } },
    });
    const hq = createHqApi(transport);
    expect(await hq.listNodes()).toEqual([node]);
    expect(await hq.listOrders({ node: "node-1", q: "LDS" })).toEqual([]);
    expect(requests[1].query).toEqual({ node: "node-1", q: "LDS" });
    await hq.revokeNode("node-1");
    let asked = 0;
    const stop = onHqUnauthorized(() => asked++);
    await expect(hq.audit()).rejects.toBeInstanceOf(ApiError);
    stop();
    expect(asked).toBe(1);
  });
});

describe("Sites at HQ", () => {
  it("lists each site's sync state and shows a new site's token once with its join code", async () => {
    const nodes: HqNodeWire[] = [
      { id: "node-1", name: "Leeds", role: "showroom", number_prefix: "LDS", held_seq: 12, revoked: false, created_at: "2026-12-07T09:00:00Z", joined_at: "2026-12-07T09:01:00Z", last_push_at: new Date().toISOString(), quarantined: 1 },
      { id: "node-2", name: "Old shop", role: "showroom", number_prefix: null, held_seq: 0, revoked: true, created_at: "2026-12-07T09:00:00Z", joined_at: null, last_push_at: null, quarantined: 0 },
    ];
    const { transport, requests } = fakeTransport({
      "GET /hq/v1/nodes": { status: 200, body: { nodes } },
      "POST /hq/v1/nodes": { status: 201, body: { node_id: "node-3", token: "pfn_secret" } },
    });
    setHqApiForTesting(createHqApi(transport));
    renderUi(<ChainSites />);
    await screen.findByText("Leeds");
    const syncs = screen.getAllByTestId("site-sync").map((badge) => badge.textContent);
    expect(syncs).toEqual(["Synced · just now", "Revoked"]);
    expect(screen.getAllByRole("button", { name: /^Revoke/ })).toHaveLength(1);

    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Add site" }));
    await user.type(await screen.findByLabelText(/^Name/), "Factory North");
    await user.selectOptions(screen.getByLabelText("Role"), "factory");
    await user.type(screen.getByLabelText("Order number prefix"), "fn");
    await user.click(screen.getAllByRole("button", { name: "Add site" }).at(-1)!);
    await screen.findByTestId("new-site-token");
    expect(screen.getByTestId("new-site-token").textContent).toBe("pfn_secret");
    expect(parseJoinCode(screen.getByTestId("join-code").textContent ?? "")).toEqual({ hqUrl: window.location.origin, token: "pfn_secret" });
    const added = requests.find((request) => request.method === "POST");
    expect(added?.body).toEqual({ name: "Factory North", role: "factory", number_prefix: "FN" });
    await waitFor(() => expect(requests.filter((request) => request.path === "/hq/v1/nodes" && request.method === "GET").length).toBeGreaterThan(1));
  });
});

describe("Settings → Chain on a site", () => {
  it("fills HQ's address and the token from a pasted join code, and says when the text is not one", async () => {
    useFakeApi({
      "GET /api/sync/status": {
        status: 200,
        body: { role: "standalone", node_id: null, node_name: null, hq_url: null, state: "synced", pending_events: 0, last_push_at: null, last_pull_at: null, catalog_version: null, last_error: null },
      },
    });
    renderUi(<ChainSection />);
    const user = userEvent.setup();
    const field = await screen.findByLabelText("Join code");
    await user.click(field);
    await user.paste("not a code");
    expect(await screen.findByText("This is not a join code from HQ's Add site")).toBeInTheDocument();
    await user.clear(field);
    await user.click(field);
    await user.paste(makeJoinCode("http://127.0.0.1:8123", "pfn_joined"));
    expect(screen.getByLabelText("HQ address")).toHaveValue("http://127.0.0.1:8123");
    expect(screen.getByLabelText("Node token")).toHaveValue("pfn_joined");
    expect(screen.queryByText("This is not a join code from HQ's Add site")).toBeNull();
    expect(screen.getByRole("button", { name: "Scan HQ's code" })).toBeInTheDocument();
  });
});
