// The one implementation of `PaformApi` (./client.ts), over any transport: it builds each
// request, turns an error status into an `ApiError` (a 401 also tells ./unauthorized.ts) and
// maps every answer from its wire type (./types.ts) to its view type (./views.ts).
// Nothing here knows which transport it runs on, except that the desktop shell polls for
// live events (./events.ts).
import type { DocumentKind, PaformApi } from "./client";
import { subscribeLiveEvents } from "./events";
import { ApiError, toProblem } from "./problem";
import type { ApiRequest, ApiResponse, Transport } from "./transport";
import type * as W from "./types";
import { notifyUnauthorized } from "./unauthorized";
import * as V from "./views";

/** The path of a quote's or an order's PDF. */
export function documentPath(kind: DocumentKind, id: string): string {
  return `/api/${kind === "quote" ? "quotes" : "orders"}/${encodeURIComponent(id)}/document.pdf`;
}

function page<T, U>(body: unknown, map: (wire: T) => U): V.Page<U> {
  if (Array.isArray(body)) return { items: body.map(map), total: body.length, limit: body.length, offset: 0 };
  const wire = body as W.ListPage<T>;
  const items = (wire?.items ?? []).map(map);
  return { items, total: wire?.total ?? items.length, limit: wire?.limit ?? items.length, offset: wire?.offset ?? 0 };
}

function list<T, U>(body: unknown, map: (wire: T, index: number) => U): U[] {
  const items = Array.isArray(body) ? body : ((body as { items?: T[] })?.items ?? []);
  return (items as T[]).map(map);
}

const enc = encodeURIComponent;

export function createApi(transport: Transport): PaformApi {
  async function call<T>(request: ApiRequest): Promise<T> {
    return check<T>(await transport.send(request));
  }
  function check<T>(response: ApiResponse): T {
    if (response.status >= 400) {
      if (response.status === 401) notifyUnauthorized();
      throw new ApiError(response.status, toProblem(response.status, response.body));
    }
    return response.body as T;
  }
  const get = <T>(path: string, query?: ApiRequest["query"]) => call<T>({ method: "GET", path, query });
  const post = <T>(path: string, body?: unknown, query?: ApiRequest["query"]) =>
    call<T>({ method: "POST", path, body: body ?? {}, query });
  const put = <T>(path: string, body: unknown) => call<T>({ method: "PUT", path, body });
  const del = (path: string) => call<unknown>({ method: "DELETE", path }).then(() => undefined);
  /** An export artifact: through the transport when it is this server's, directly when it is
   * a presigned S3 link (the S3 server is on the local network). */
  function fetchArtifact(url: string, expect: "text"): Promise<string>;
  function fetchArtifact(url: string, expect: "bytes"): Promise<Uint8Array>;
  function fetchArtifact(url: string, expect: "text" | "bytes"): Promise<string | Uint8Array> {
    const parsed = new URL(url, "http://paform.invalid");
    const local = parsed.origin === "http://paform.invalid" || (typeof window !== "undefined" && parsed.origin === window.location.origin);
    if (!local) {
      return fetch(url).then(async (response) => {
        if (!response.ok) throw new ApiError(response.status, { title: "Artifact download failed" });
        return expect === "text" ? response.text() : new Uint8Array(await response.arrayBuffer());
      });
    }
    const query = Object.fromEntries(parsed.searchParams.entries());
    return call<string | Uint8Array>({ method: "GET", path: parsed.pathname, query, expect });
  }

  return {
    transport: transport.kind,
    // A degraded server (e.g. a full disk) answers 503 with a health body: an answer, not a failure.
    health: async () => {
      const response = await transport.send({ method: "GET", path: "/api/health" });
      const body = response.body as W.HealthWire | null;
      if (response.status === 503 && body?.status === "degraded") return body;
      return check<W.HealthWire>(response);
    },

    listMaterials: (query = {}) => get<unknown>("/api/materials", { ...query }).then((body) => page(body, V.toMaterial)),
    getMaterial: (id) => get<W.MaterialWire>(`/api/materials/${enc(id)}`).then(V.toMaterial),
    createMaterial: (input) => post<W.MaterialWire>("/api/materials", input).then(V.toMaterial),
    updateMaterial: (id, input) => put<W.MaterialWire>(`/api/materials/${enc(id)}`, input).then(V.toMaterial),
    deleteMaterial: (id) => del(`/api/materials/${enc(id)}`),

    listModules: (query = {}) => get<unknown>("/api/modules", { ...query }).then((body) => page(body, V.toModule)),
    getModule: (id) => get<W.ModuleWire>(`/api/modules/${enc(id)}`).then(V.toModule),
    createModule: (input) => post<W.ModuleWire>("/api/modules", input).then(V.toModule),
    updateModule: (id, input) => put<W.ModuleWire>(`/api/modules/${enc(id)}`, input).then(V.toModule),
    deleteModule: (id) => del(`/api/modules/${enc(id)}`),
    putModuleModel: (id, bytes) =>
      call<W.ModelReportWire>({ method: "PUT", path: `/api/modules/${enc(id)}/model`, bytes, contentType: "model/gltf-binary" }),
    fetchModel: (glbUrl) => {
      const parsed = new URL(glbUrl, "http://paform.invalid");
      if (parsed.origin !== "http://paform.invalid") return Promise.reject(new ApiError(400, { title: "Only local models are loaded" }));
      const query = Object.fromEntries(parsed.searchParams.entries());
      return call<Uint8Array>({ method: "GET", path: parsed.pathname, query, expect: "bytes" });
    },

    generateQuote: (request) => post<W.QuoteWire>("/api/quote/generate", request).then(V.toQuote),
    getQuote: (id) => get<W.QuoteWire>(`/api/quotes/${enc(id)}`).then(V.toQuote),
    quoteCatalogChange: (id) =>
      get<W.CatalogChangeWire | null>(`/api/quotes/${enc(id)}/catalog-change`).then((wire) => (wire ? V.toCatalogChange(wire) : null)),
    repriceQuote: (id) => post<W.QuoteWire>(`/api/quotes/${enc(id)}/reprice`).then(V.toQuote),
    acceptQuote: (quoteId, buyer, actor) =>
      post<W.OrderWire>(`/api/quotes/${enc(quoteId)}/accept`, {
        buyer: { name: buyer.name, email: buyer.email, ...(buyer.phone ? { phone: buyer.phone } : {}) },
        actor,
      } satisfies W.AcceptQuoteRequest).then(V.toOrder),

    listOrders: (query = {}) => get<unknown>("/api/orders", { ...query }).then((body) => page(body, V.toOrder)),
    getOrder: (id) => get<W.OrderWire>(`/api/orders/${enc(id)}`).then(V.toOrder),
    transitionOrder: (id, input) =>
      post<W.OrderWire>(`/api/orders/${enc(id)}/transitions`, {
        to: input.to,
        actor: input.actor,
        ...(input.note ? { note: input.note } : {}),
        ...(input.expectedVersion !== undefined ? { expected_version: input.expectedVersion } : {}),
        ...(input.overrideNote ? { override_check: { note: input.overrideNote } } : {}),
      } satisfies W.TransitionRequest).then(V.toOrder),
    listOrderEvents: (id) => get<unknown>(`/api/orders/${enc(id)}/events`).then((body) => list(body, V.toOrderEvent)),
    listOrderProductionEvents: (id) =>
      get<unknown>(`/api/orders/${enc(id)}/production-events`).then((body) => list(body, V.toOrderEvent)),
    verifyAudit: (orderId) =>
      get<W.AuditReportWire>("/api/audit/verify", orderId ? { order_id: orderId } : undefined).then(V.toAuditReport),

    listOrderChanges: (orderId) =>
      get<unknown>(`/api/orders/${enc(orderId)}/changes`).then((body) => list(body, V.toOrderChange)),
    requestOrderChange: (orderId, input) =>
      post<W.OrderChangeWire>(`/api/orders/${enc(orderId)}/changes`, {
        actions: input.actions.map(V.fromChangeAction),
        actor: input.actor,
        ...(input.note ? { note: input.note } : {}),
      } satisfies W.OrderChangeRequest).then(V.toOrderChange),
    confirmOrderChange: (changeId, actor, note) =>
      post<W.OrderChangeWire>(`/api/order-changes/${enc(changeId)}/confirm`, {
        actor,
        ...(note ? { note } : {}),
      } satisfies W.OrderChangeDecision).then(V.toOrderChange),
    declineOrderChange: (changeId, actor, note) =>
      post<W.OrderChangeWire>(`/api/order-changes/${enc(changeId)}/decline`, {
        actor,
        ...(note ? { note } : {}),
      } satisfies W.OrderChangeDecision).then(V.toOrderChange),

    listPayments: (orderId) => get<unknown>(`/api/orders/${enc(orderId)}/payments`).then((body) => list(body, V.toPayment)),
    createPayment: (orderId, kind, amount) =>
      post<W.PaymentWire>(`/api/orders/${enc(orderId)}/payments`, { kind, amount } satisfies W.PaymentInput).then(
        V.toPayment,
      ),
    addTransaction: (paymentId, input) =>
      post<W.PaymentTransactionWire>(`/api/payments/${enc(paymentId)}/transactions`, input),
    addAdjustment: (paymentId, input) =>
      post<W.PaymentAdjustmentWire>(`/api/payments/${enc(paymentId)}/adjustments`, input),

    listDesignRequests: (orderId) =>
      get<unknown>(`/api/orders/${enc(orderId)}/design-requests`).then((body) => list(body, V.toDesignRequest)),
    createDesignRequest: (orderId, input) =>
      post<W.DesignRequestWire>(`/api/orders/${enc(orderId)}/design-requests`, {
        description: input.description,
        ...(input.lineItemId ? { line_item_id: input.lineItemId } : {}),
      } satisfies W.DesignRequestInput).then(V.toDesignRequest),
    createDesignVersion: (requestId, notes) =>
      post<W.DesignVersionWire>(`/api/design-requests/${enc(requestId)}/versions`, { notes }).then((wire) =>
        V.toDesignVersion(wire, 0),
      ),
    approveDesignVersion: (versionId) =>
      post<W.DesignVersionWire>(`/api/design-versions/${enc(versionId)}/approve`).then((wire) => V.toDesignVersion(wire, 0)),
    uploadDesignAsset: (versionId, kind, filename, bytes, contentType) =>
      call<W.DesignAssetWire>({
        method: "POST",
        path: `/api/design-versions/${enc(versionId)}/assets`,
        query: { kind, filename },
        bytes,
        contentType: contentType || "application/octet-stream",
      }).then(V.toDesignAsset),
    downloadDesignAsset: (assetId) =>
      call<Uint8Array>({ method: "GET", path: `/api/design-assets/${enc(assetId)}`, expect: "bytes" }),

    nest: (request) => post<W.NestResponse>("/api/v1/cnc/nest", request),
    cncPanels: (request) => post<W.CncPanelListWire>("/api/v1/cnc/panels", request),
    exportCnc: (request) => post<W.CncExportResponse>("/api/v1/exports/cnc", request),
    fetchArtifactText: (url) => fetchArtifact(url, "text"),

    getStock: (materialId) => get<W.MaterialStockWire>(`/api/materials/${enc(materialId)}/stock`),
    putStock: (materialId, stock) => put<W.MaterialStockWire>(`/api/materials/${enc(materialId)}/stock`, stock),
    listOffcuts: (materialId) =>
      get<W.OffcutWire[]>("/api/offcuts", materialId ? { material_id: materialId } : undefined),
    deleteOffcut: (id) => del(`/api/offcuts/${enc(id)}`),
    confirmCut: (exportId) => post<W.CutConfirmationWire>(`/api/v1/exports/${enc(exportId)}/cut`),
    scanPart: (code, station, actor) =>
      post<W.PartProgressWire>(
        `/api/parts/${enc(code)}/scan`,
        (actor ? { station, actor: { id: actor.id, name: actor.name, role: actor.role } } : { station }) satisfies W.ScanRequest,
      ),
    orderProduction: (orderId) => get<W.OrderProductionWire>(`/api/orders/${enc(orderId)}/production`),
    subscribeEvents: (listener) =>
      subscribeLiveEvents(transport.kind, listener, () => get<W.EventsTokenWire>("/api/events/token")),

    fetchArtifactBytes: (url) => fetchArtifact(url, "bytes"),

    listCustomers: (query = {}) => get<unknown>("/api/customers", { ...query }).then((body) => page(body, V.toCustomer)),
    getCustomer: (id) => get<W.CustomerWire>(`/api/customers/${enc(id)}`).then(V.toCustomer),
    customerHistory: (id) =>
      get<W.CustomerHistoryWire>(`/api/customers/${enc(id)}/history`).then((history) => ({
        quotes: history.quotes.map(V.toQuote),
        orders: history.orders.map(V.toOrder),
      })),
    createCustomer: (input) => post<W.CustomerWire>("/api/customers", input satisfies W.CustomerInputWire).then(V.toCustomer),
    updateCustomer: (id, input) => put<W.CustomerWire>(`/api/customers/${enc(id)}`, input satisfies W.CustomerInputWire).then(V.toCustomer),

    listDesigns: (query = {}) => get<unknown>("/api/designs", { ...query }).then((body) => page(body, V.toDesign)),
    getDesign: (id, version) =>
      get<W.DesignWire>(`/api/designs/${enc(id)}`, version !== undefined ? { version } : undefined).then(V.toDesign),
    createDesign: (input) => post<W.DesignWire>("/api/designs", V.fromDesign(input)).then(V.toDesign),
    updateDesign: (id, input, expectedVersion) =>
      put<W.DesignWire>(`/api/designs/${enc(id)}`, V.fromDesign(input, expectedVersion)).then(V.toDesign),
    quoteDesign: (id) => post<W.QuoteWire>(`/api/designs/${enc(id)}/quote`).then(V.toQuote),
    putDesignSnapshot: (id, png) =>
      call<unknown>({ method: "PUT", path: `/api/designs/${enc(id)}/snapshot`, bytes: png, contentType: "image/png" }).then(
        () => undefined,
      ),

    fetchDocument: (kind, id) => call<Uint8Array>({ method: "GET", path: documentPath(kind, id), expect: "bytes" }),
    fetchOffcutLabels: (materialId) =>
      call<Uint8Array>({
        method: "GET",
        path: `/api/offcuts/labels.pdf${materialId ? `?material_id=${enc(materialId)}` : ""}`,
        expect: "bytes",
      }),

    getSettings: () => get<W.SettingsWire>("/api/settings").then(V.toSettings),
    putSettings: (settings) => put<W.SettingsWire>("/api/settings", V.fromSettings(settings)).then(V.toSettings),
    managesDeviceTokens: transport.kind === "tauri",
    listDeviceTokens: () => get<unknown>("/api/tokens").then((body) => list(body, (wire: W.DeviceTokenWire) => wire)),
    createDeviceToken: (name, role) => post<W.CreatedDeviceTokenWire>("/api/tokens", { name, role } satisfies W.DeviceTokenInput),
    revokeDeviceToken: (id) => del(`/api/tokens/${enc(id)}`),
    createPairing: (name, role) => post<W.PairingWire>("/api/pairing", { name, role } satisfies W.PairingInput),
    shareDesign: (id) => post<W.ShareWire>(`/api/designs/${enc(id)}/share`),
    shareQuote: (id) => post<W.ShareWire>(`/api/quotes/${enc(id)}/share`),
    readShare: (token) => get<W.SharedViewWire>(`/api/share/${enc(token)}`).then((wire) => V.toSharedView(wire, token)),
    putShareModel: (token, glb) =>
      call<unknown>({ method: "PUT", path: `/api/share/${enc(token)}/model.glb`, bytes: glb, contentType: "model/gltf-binary" }).then(
        () => undefined,
      ),
    claimPairing: (code) => post<W.CreatedDeviceTokenWire>("/api/pairing/claim", { code } satisfies W.PairingClaim),
    listBackups: () => get<W.BackupListWire>("/api/backups"),
    createBackup: () => post<W.BackupWire>("/api/backups", {}),
    requestRestore: (file) => post<W.PendingRestoreWire>("/api/backups/restore", { file } satisfies W.RestoreRequest),
    cancelRestore: () => del("/api/backups/restore"),
    getChainStatus: () => get<W.ChainStatusWire>("/api/sync/status"),
    joinChain: (input) => post<W.ChainStatusWire>("/api/sync/join", input),
    syncChainNow: () => post<W.ChainStatusWire>("/api/sync/now", {}),
  };
}
