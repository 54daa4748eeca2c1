import { afterEach, describe, expect, it, vi } from "vitest";
import { createApi, onUnauthorized, pickTransport } from "@/lib/api/client";
import { createHttpTransport, TOKEN_STORAGE_KEY } from "@/lib/api/http";
import { ApiError } from "@/lib/api/problem";
import { createTauriTransport } from "@/lib/api/tauri";
import { fakeTransport } from "./render";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

afterEach(() => {
  invoke.mockReset();
  localStorage.clear();
  delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__;
});

describe("transport choice", () => {
  it("uses fetch in a plain browser", () => {
    expect(pickTransport(window).kind).toBe("http");
    expect(pickTransport(undefined).kind).toBe("http");
  });

  it("uses tauri invoke inside the desktop shell", () => {
    (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {};
    expect(pickTransport(window).kind).toBe("tauri");
  });

  it("sends every call through the single api_request command in the desktop shell", async () => {
    (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {};
    invoke.mockResolvedValue({
      status: 200,
      body: { items: [], total: 0, limit: 20, offset: 0 },
    });
    const client = createApi(pickTransport(window));
    const page = await client.listMaterials({ q: "oak", limit: 20 });
    expect(page.total).toBe(0);
    expect(invoke).toHaveBeenCalledWith("api_request", {
      request: { method: "GET", path: "/api/materials", query: { q: "oak", limit: "20" }, body: null },
    });
  });

  it("sends raw bytes base64-encoded over tauri", async () => {
    const calls: unknown[] = [];
    const transport = createTauriTransport(async (command, args) => {
      calls.push([command, args]);
      return { status: 201, body: { id: "a1", kind: "glb", filename: "x.glb", content_type: "model/gltf-binary", size: 3, sha256: "00" } } as never;
    });
    const asset = await createApi(transport).uploadDesignAsset("v1", "glb", "x.glb", new Uint8Array([1, 2, 3]));
    expect(asset.contentType).toBe("model/gltf-binary");
    const [, args] = calls[0] as [string, { request: Record<string, unknown> }];
    expect(args.request.body_base64).toBe("AQID");
    expect(args.request.query).toEqual({ kind: "glb", filename: "x.glb" });
  });

  it("sends the device token as a bearer token over http", async () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, "secret-token");
    const fetchImpl = vi.fn(async () => new Response(JSON.stringify({ status: "ok", version: "1" }), {
      status: 200,
      headers: { "content-type": "application/json" },
    }));
    await createApi(createHttpTransport(fetchImpl as unknown as typeof fetch)).health();
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/health");
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer secret-token");
  });
});

describe("health", () => {
  it("answers a degraded server's 503 with its reason instead of failing", async () => {
    const reason = "the disk holding /data is full";
    const { transport } = fakeTransport({
      "GET /api/health": { status: 503, body: { status: "degraded", version: "1", reason } },
    });
    const health = await createApi(transport).health();
    expect(health.status).toBe("degraded");
    expect(health.reason).toBe(reason);
  });

  it("still fails on any other 503", async () => {
    const { transport } = fakeTransport({
      "GET /api/health": { status: 503, body: { type: "about:blank", title: "Service Unavailable", status: 503, detail: "x" } },
    });
    await expect(createApi(transport).health()).rejects.toBeInstanceOf(ApiError);
  });
});

describe("errors", () => {
  it("turns problem+json into an ApiError naming each field", async () => {
    const { transport } = fakeTransport({
      "POST /api/modules": {
        status: 422,
        body: {
          type: "about:blank",
          title: "Invalid input",
          status: 422,
          detail: "the module is invalid",
          errors: [{ field: "dimensions.width", message: "must be greater than 0" }],
        },
      },
    });
    const error = await createApi(transport)
      .createModule({ name: "x", dimensions: { width: 0, height: 1, depth: 1 }, base_price: "1.00", material_id: "m" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(422);
    expect((error as ApiError).fieldMessage("width")).toBe("must be greater than 0");
  });

  it("asks for pairing on 401", async () => {
    const listener = vi.fn();
    const unsubscribe = onUnauthorized(listener);
    const { transport } = fakeTransport({ "GET /api/orders": { status: 401, body: null } });
    await expect(createApi(transport).listOrders()).rejects.toBeInstanceOf(ApiError);
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
  });
});

describe("wire to view mapping", () => {
  it("maps a quote without touching money strings", async () => {
    const { transport } = fakeTransport({
      "POST /api/quote/generate": {
        status: 201,
        body: {
          id: "q1",
          currency: "USD",
          tax_rate: "0.13",
          lines: [
            {
              module_id: "m1",
              module_name: "Base 600",
              material_id: "mat",
              material_name: "Oak",
              quantity: 2,
              area_sq_ft: "19.375",
              unit_price: "348.75",
              line_total: "697.50",
            },
          ],
          subtotal: "697.50",
          tax: "90.68",
          total: "788.18",
          created_at: "2026-01-01T00:00:00Z",
          expires_at: "2026-01-31T00:00:00Z",
        },
      },
    });
    const quote = await createApi(transport).generateQuote({ items: [{ module_id: "m1", quantity: 2 }] });
    expect(quote.total).toBe("788.18");
    expect(quote.lines[0]).toEqual({
      moduleId: "m1",
      materialId: "mat",
      moduleName: "Base 600",
      materialName: "Oak",
      quantity: 2,
      areaSqFt: "19.375",
      unitPrice: "348.75",
      lineTotal: "697.50",
    });
  });

  it("reads placement rules and connection points of a module", async () => {
    const { transport } = fakeTransport({
      "GET /api/modules/m1": {
        status: 200,
        body: {
          id: "m1",
          name: "Wall unit",
          dimensions: { width: 600, height: 700, depth: 350 },
          base_price: "120.00",
          material_id: "oak",
          assembly_attributes: { glb_url: "/models/wall.glb" },
          placement_constraints: { mount: "wall", elevation_mm: 1500 },
          connection_points: [{ id: "l", side: "left", offset_mm: [0, 350, 175] }, { side: "nowhere" }],
          external_ids: {},
          created_at: "2026-01-01T00:00:00Z",
          updated_at: "2026-01-01T00:00:00Z",
        },
      },
    });
    const module = await createApi(transport).getModule("m1");
    expect(module.placement).toEqual({ mount: "wall", row: "main", elevationMm: 1500, gapMm: 0 });
    expect(module.connectors).toEqual([{ name: "l", side: "left", x: 0, y: 350, z: 175 }]);
    expect(module.glbUrl).toBe("/models/wall.glb");
  });
});

describe("module models", () => {
  it("reads a model's bytes through the transport, splitting the glb_url's query", async () => {
    const bytes = new Uint8Array([0x67, 0x6c, 0x54, 0x46]);
    const { transport, requests } = fakeTransport({ "GET /api/modules/m1/model": { status: 200, body: bytes } });
    const model = await createApi(transport).fetchModel("/api/modules/m1/model?v=abc123");
    expect(model).toBe(bytes);
    expect(requests[0]).toMatchObject({ path: "/api/modules/m1/model", query: { v: "abc123" }, expect: "bytes" });
  });

  it("refuses a foreign origin without a request", async () => {
    const { transport, requests } = fakeTransport({});
    await expect(createApi(transport).fetchModel("https://cdn.example/base.glb")).rejects.toThrow();
    expect(requests).toHaveLength(0);
  });

  it("uploads a GLB as raw bytes", async () => {
    const { transport, requests } = fakeTransport({
      "PUT /api/modules/m1/model": { status: 201, body: { module_id: "m1", glb_url: "/api/modules/m1/model?v=1" } },
    });
    const report = await createApi(transport).putModuleModel("m1", new Uint8Array([1]));
    expect(report.glb_url).toBe("/api/modules/m1/model?v=1");
    expect(requests[0]).toMatchObject({ contentType: "model/gltf-binary", bytes: new Uint8Array([1]) });
  });
});
