// The only door to the backend (STYLE rule 12). It defines one interface, `PaformApi`,
// chooses the transport in exactly one place (`pickTransport`: Tauri `invoke` inside the
// desktop shell, `fetch` in a browser) and maps wire types to view types on the way out.
import { createHttpTransport, readDeviceToken } from "./http";
import { ApiError, toProblem } from "./problem";
import { createTauriTransport } from "./tauri";
import type { ApiRequest, ApiResponse, Transport } from "./transport";
import type * as W from "./types";
import * as V from "./views";

export type { Transport } from "./transport";

/** Inside the Tauri web view, `window.__TAURI_INTERNALS__` exists; anywhere else it does not. */
export function pickTransport(scope: unknown = typeof window === "undefined" ? undefined : window): Transport {
  if (scope && typeof scope === "object" && "__TAURI_INTERNALS__" in scope) return createTauriTransport();
  return createHttpTransport();
}

export interface ListQuery {
  q?: string;
  limit?: number;
  offset?: number;
}

export interface PaformApi {
  readonly transport: Transport["kind"];
  health(): Promise<W.HealthWire>;

  listMaterials(query?: ListQuery): Promise<V.Page<V.Material>>;
  getMaterial(id: string): Promise<V.Material>;
  createMaterial(input: W.MaterialInput): Promise<V.Material>;
  updateMaterial(id: string, input: W.MaterialInput): Promise<V.Material>;
  deleteMaterial(id: string): Promise<void>;

  listModules(query?: ListQuery): Promise<V.Page<V.Module>>;
  getModule(id: string): Promise<V.Module>;
  createModule(input: W.ModuleInput): Promise<V.Module>;
  updateModule(id: string, input: W.ModuleInput): Promise<V.Module>;
  deleteModule(id: string): Promise<void>;
  /** Uploads a module's GLB; the server checks it against GLB_ASSET_STANDARD.md (422 lists
   * every violation) and points the module's `glb_url` at it. */
  putModuleModel(id: string, bytes: Uint8Array): Promise<W.ModelReportWire>;
  /** The bytes of a module's model from its local `glb_url` (`/api/modules/{id}/model?v=…`),
   * through the same transport as every call, so it works in the desktop app and with device
   * tokens; make a `blob:` URL of them for a loader that needs a URL. */
  fetchModel(glbUrl: string): Promise<Uint8Array>;

  generateQuote(request: W.QuoteRequest, signal?: AbortSignal): Promise<V.Quote>;
  getQuote(id: string): Promise<V.Quote>;
  acceptQuote(quoteId: string, buyer: V.Buyer, actor: V.Actor): Promise<V.Order>;

  /** `q` finds an order by number ("PF-000042", "42") or part of the buyer's name. */
  listOrders(query?: ListQuery & { status?: V.OrderStatus }): Promise<V.Page<V.Order>>;
  getOrder(id: string): Promise<V.Order>;
  transitionOrder(
    id: string,
    input: {
      to: V.OrderStatus;
      actor: V.Actor;
      note?: string;
      expectedVersion?: number;
      /** Admin only: move on over the three-way check's mismatches, for this reason. */
      overrideNote?: string;
    },
  ): Promise<V.Order>;
  /** The order's audit trail, oldest first: status changes and every other recorded event. */
  listOrderEvents(id: string): Promise<V.OrderEvent[]>;
  /** The order's production chain (SPEC §15): what the factory recorded, oldest first. */
  listOrderProductionEvents(id: string): Promise<V.OrderEvent[]>;
  /** Recomputes the hash chains (one order's, or every order's without an id). */
  verifyAudit(orderId?: string): Promise<V.AuditReport>;

  listOrderChanges(orderId: string): Promise<V.OrderChange[]>;
  /** Prices the actions against the order without changing it; the answer is a requested change. */
  requestOrderChange(
    orderId: string,
    input: { actions: V.ChangeAction[]; actor: V.Actor; note?: string },
  ): Promise<V.OrderChange>;
  confirmOrderChange(changeId: string, actor: V.Actor, note?: string): Promise<V.OrderChange>;
  declineOrderChange(changeId: string, actor: V.Actor, note?: string): Promise<V.OrderChange>;

  listPayments(orderId: string): Promise<V.PaymentRecord[]>;
  createPayment(orderId: string, kind: W.PaymentKind, amount: string): Promise<V.PaymentRecord>;
  /** Appends a gateway transaction; the server answers with the stored transaction. */
  addTransaction(paymentId: string, input: W.TransactionInput): Promise<W.PaymentTransactionWire>;
  addAdjustment(paymentId: string, input: W.AdjustmentInput): Promise<W.PaymentAdjustmentWire>;

  listDesignRequests(orderId: string): Promise<V.DesignRequest[]>;
  createDesignRequest(orderId: string, input: { lineItemId?: string; description: string }): Promise<V.DesignRequest>;
  createDesignVersion(requestId: string, notes: string): Promise<V.DesignVersion>;
  approveDesignVersion(versionId: string): Promise<V.DesignVersion>;
  uploadDesignAsset(versionId: string, kind: W.AssetKind, filename: string, bytes: Uint8Array, contentType?: string): Promise<V.DesignAsset>;
  downloadDesignAsset(assetId: string): Promise<Uint8Array>;

  nest(request: W.NestRequest): Promise<W.NestResponse>;
  cncPanels(request: W.CncPanelsRequest): Promise<W.CncPanelListWire>;
  exportCnc(request: W.CncExportRequest): Promise<W.CncExportResponse>;
  /** Reads an export artifact (cut list CSV, nesting SVG) as text, through the same transport. */
  fetchArtifactText(url: string): Promise<string>;

  getStock(materialId: string): Promise<W.MaterialStockWire>;
  putStock(materialId: string, stock: W.MaterialStockWire): Promise<W.MaterialStockWire>;
  listOffcuts(materialId?: string): Promise<W.OffcutWire[]>;
  deleteOffcut(id: string): Promise<void>;
  /** Confirms an export's layout as cut: its remnants become offcuts (a repeat answers the same). */
  confirmCut(exportId: string): Promise<W.CutConfirmationWire>;
  /** `actor`: the operator at the screen (SPEC §5's object); null leaves the paired device as the actor. */
  scanPart(code: string, station: W.Station, actor: V.Actor | null): Promise<W.PartProgressWire>;
  orderProduction(orderId: string): Promise<W.OrderProductionWire>;
  /** Hears every committed change (`"reset"`: refetch everything); returns the unsubscribe.
   * Over HTTP a Server-Sent Events stream; the desktop shell has no HTTP stream, so there it
   * polls: a `"reset"` every few seconds. */
  subscribeEvents(listener: (event: W.LiveEventWire | "reset") => void): () => void;
  /** Reads an export artifact as bytes (the labels PDF), through the same transport. */
  fetchArtifactBytes(url: string): Promise<Uint8Array>;

  listCustomers(query?: ListQuery): Promise<V.Page<CustomerView>>;
  getCustomer(id: string): Promise<CustomerView>;
  createCustomer(input: CustomerInput): Promise<CustomerView>;
  updateCustomer(id: string, input: CustomerInput): Promise<CustomerView>;
  /** The quotes priced for the customer and their orders, newest first. */
  customerHistory(id: string): Promise<{ quotes: V.Quote[]; orders: V.Order[] }>;

  listDesigns(query?: ListQuery & { customer_id?: string }): Promise<V.Page<DesignView>>;
  /** The current version, or the stored `version`. */
  getDesign(id: string, version?: number): Promise<DesignView>;
  createDesign(input: DesignInput): Promise<DesignView>;
  /** Stores a new version; 409 (`ApiError.status`) when `expectedVersion` is stale. */
  updateDesign(id: string, input: DesignInput, expectedVersion: number): Promise<DesignView>;
  /** Prices the design's current version into a quote that records the design. */
  quoteDesign(id: string): Promise<V.Quote>;
  putDesignSnapshot(id: string, png: Uint8Array): Promise<void>;

  /** The quote or order PDF as bytes. */
  fetchDocument(kind: DocumentKind, id: string): Promise<Uint8Array>;
  /** The labels PDF of every offcut (or one material's), one label per offcut. */
  fetchOffcutLabels(materialId?: string): Promise<Uint8Array>;

  getSettings(): Promise<V.Settings>;
  putSettings(settings: V.Settings): Promise<V.Settings>;
  /** Device tokens are managed by the desktop app and the CLI only (SPEC §8): over HTTP these
   * calls are not offered; check `managesDeviceTokens` first. */
  readonly managesDeviceTokens: boolean;
  listDeviceTokens(): Promise<W.DeviceTokenWire[]>;
  createDeviceToken(name: string, role?: W.DeviceRole): Promise<W.CreatedDeviceTokenWire>;
  revokeDeviceToken(id: string): Promise<void>;
  /** A single-use code (5 minutes) whose link a tablet opens to claim a token of `role`. */
  createPairing(name: string, role: W.DeviceRole): Promise<W.PairingWire>;
  /** Trades a pairing code for a device token; needs no token. */
  claimPairing(code: string): Promise<W.CreatedDeviceTokenWire>;
  /** A 24-hour read-only link to a saved design for the customer's phone (SPEC §17). */
  shareDesign(id: string): Promise<W.ShareWire>;
  /** The same for a quote: its design in 3D with its lines and total. */
  shareQuote(id: string): Promise<W.ShareWire>;
  /** What a share link opens; needs no device token, only the share token. */
  readShare(token: string): Promise<V.SharedView>;
  /** Stores the GLB of the shared design's scene with the share, for Android's Scene Viewer. */
  putShareModel(token: string, glb: Uint8Array): Promise<void>;
  listBackups(): Promise<W.BackupListWire>;
  createBackup(): Promise<W.BackupWire>;
  /** Verifies an archive of the backup folder and restores it at the next start. */
  requestRestore(file: string): Promise<W.PendingRestoreWire>;
  cancelRestore(): Promise<void>;
  /** Where this install stands in the chain (SPEC §15); every role may read it. */
  getChainStatus(): Promise<W.ChainStatusWire>;
  /** Joins HQ (admin only); 409 when another site holds the order-number prefix. */
  joinChain(input: W.ChainJoinWire): Promise<W.ChainStatusWire>;
  /** Pushes what HQ lacks and pulls what it has for this site (orders, production) now. */
  syncChainNow(): Promise<W.ChainStatusWire>;
}

export type DocumentKind = "quote" | "order";

export interface CustomerInput {
  name: string;
  email?: string | null;
  phone?: string | null;
  address?: string | null;
  notes?: string | null;
}

export interface CustomerView extends CustomerInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

export interface DesignItemView {
  moduleId: string;
  materialId: string | null;
  quantity: number;
  options?: Record<string, unknown> | null;
}

export interface DesignInput {
  name: string;
  customerId: string | null;
  items: DesignItemView[];
}

export interface DesignView extends DesignInput {
  id: string;
  version: number;
  hasSnapshot: boolean;
  updatedAt: string;
}

interface CustomerWire {
  id: string;
  name: string;
  email?: string | null;
  phone?: string | null;
  address?: string | null;
  notes?: string | null;
  created_at: string;
  updated_at: string;
}

interface DesignWire {
  id: string;
  version: number;
  name: string;
  customer_id?: string | null;
  items: { module_id: string; material_id?: string | null; quantity: number; options?: Record<string, unknown> | null }[];
  has_snapshot: boolean;
  updated_at: string;
}

function toCustomer(wire: CustomerWire): CustomerView {
  return {
    id: wire.id,
    name: wire.name,
    email: wire.email ?? null,
    phone: wire.phone ?? null,
    address: wire.address ?? null,
    notes: wire.notes ?? null,
    createdAt: wire.created_at,
    updatedAt: wire.updated_at,
  };
}

function toDesign(wire: DesignWire): DesignView {
  return {
    id: wire.id,
    version: wire.version,
    name: wire.name,
    customerId: wire.customer_id ?? null,
    items: wire.items.map((item) => ({
      moduleId: item.module_id,
      materialId: item.material_id ?? null,
      quantity: item.quantity,
      ...(item.options ? { options: item.options } : {}),
    })),
    hasSnapshot: wire.has_snapshot,
    updatedAt: wire.updated_at,
  };
}

function fromDesign(input: DesignInput, expectedVersion?: number) {
  return {
    name: input.name,
    customer_id: input.customerId,
    items: input.items.map((item) => ({
      module_id: item.moduleId,
      quantity: item.quantity,
      ...(item.materialId ? { material_id: item.materialId } : {}),
      ...(item.options ? { options: item.options } : {}),
    })),
    ...(expectedVersion !== undefined ? { expected_version: expectedVersion } : {}),
  };
}

/** The path of a quote's or an order's PDF. */
export function documentPath(kind: DocumentKind, id: string): string {
  return `/api/${kind === "quote" ? "quotes" : "orders"}/${encodeURIComponent(id)}/document.pdf`;
}

/**
 * Saves a quote or order PDF. In a browser the PDF is downloaded as a file; the desktop shell
 * swaps this one function for its native save dialog, so components never ask where they run.
 */
/** Opens a quote or order PDF in a hidden frame and asks the browser to print it. */
export async function printDocument(kind: DocumentKind, id: string): Promise<void> {
  const bytes = await api().fetchDocument(kind, id);
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: "application/pdf" }));
  const frame = document.createElement("iframe");
  frame.style.position = "fixed";
  frame.style.width = "0";
  frame.style.height = "0";
  frame.style.border = "0";
  frame.src = url;
  frame.onload = () => {
    frame.contentWindow?.focus();
    frame.contentWindow?.print();
    setTimeout(() => {
      frame.remove();
      URL.revokeObjectURL(url);
    }, 60_000);
  };
  document.body.appendChild(frame);
}

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** The pairing dialog subscribes here; every 401 from any call notifies it. */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
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
      if (response.status === 401) unauthorizedListeners.forEach((listener) => listener());
      throw new ApiError(response.status, toProblem(response.status, response.body));
    }
    return response.body as T;
  }
  const get = <T>(path: string, query?: ApiRequest["query"]) => call<T>({ method: "GET", path, query });
  const post = <T>(path: string, body?: unknown, query?: ApiRequest["query"]) =>
    call<T>({ method: "POST", path, body: body ?? {}, query });
  const put = <T>(path: string, body: unknown) => call<T>({ method: "PUT", path, body });
  const del = (path: string) => call<unknown>({ method: "DELETE", path }).then(() => undefined);

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
    acceptQuote: (quoteId, buyer, actor) =>
      post<W.OrderWire>(`/api/quotes/${enc(quoteId)}/accept`, {
        buyer: { name: buyer.name, email: buyer.email, ...(buyer.phone ? { phone: buyer.phone } : {}) },
        actor,
      }).then(V.toOrder),

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
    fetchArtifactText: (url) => {
      const parsed = new URL(url, "http://paform.invalid");
      const local = parsed.origin === "http://paform.invalid" || (typeof window !== "undefined" && parsed.origin === window.location.origin);
      if (!local) {
        // A presigned S3 link: read it directly (the S3 server is on the local network).
        return fetch(url).then(async (response) => {
          if (!response.ok) throw new ApiError(response.status, { title: "Artifact download failed" });
          return response.text();
        });
      }
      const query = Object.fromEntries(parsed.searchParams.entries());
      return call<string>({ method: "GET", path: parsed.pathname, query, expect: "text" });
    },

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
    subscribeEvents: (listener) => {
      if (transport.kind === "tauri" || typeof EventSource === "undefined") {
        const timer = setInterval(() => listener("reset"), POLL_MS);
        return () => clearInterval(timer);
      }
      return openEventStream(listener, () => get<W.EventsTokenWire>("/api/events/token"));
    },

    fetchArtifactBytes: (url) => {
      const parsed = new URL(url, "http://paform.invalid");
      const local = parsed.origin === "http://paform.invalid" || (typeof window !== "undefined" && parsed.origin === window.location.origin);
      if (!local) {
        return fetch(url).then(async (response) => {
          if (!response.ok) throw new ApiError(response.status, { title: "Artifact download failed" });
          return new Uint8Array(await response.arrayBuffer());
        });
      }
      const query = Object.fromEntries(parsed.searchParams.entries());
      return call<Uint8Array>({ method: "GET", path: parsed.pathname, query, expect: "bytes" });
    },

    listCustomers: (query = {}) => get<unknown>("/api/customers", { ...query }).then((body) => page(body, toCustomer)),
    getCustomer: (id) => get<CustomerWire>(`/api/customers/${enc(id)}`).then(toCustomer),
    customerHistory: (id) =>
      get<W.CustomerHistoryWire>(`/api/customers/${enc(id)}/history`).then((history) => ({
        quotes: history.quotes.map(V.toQuote),
        orders: history.orders.map(V.toOrder),
      })),
    createCustomer: (input) => post<CustomerWire>("/api/customers", input).then(toCustomer),
    updateCustomer: (id, input) => put<CustomerWire>(`/api/customers/${enc(id)}`, input).then(toCustomer),

    listDesigns: (query = {}) => get<unknown>("/api/designs", { ...query }).then((body) => page(body, toDesign)),
    getDesign: (id, version) =>
      get<DesignWire>(`/api/designs/${enc(id)}`, version !== undefined ? { version } : undefined).then(toDesign),
    createDesign: (input) => post<DesignWire>("/api/designs", fromDesign(input)).then(toDesign),
    updateDesign: (id, input, expectedVersion) =>
      put<DesignWire>(`/api/designs/${enc(id)}`, fromDesign(input, expectedVersion)).then(toDesign),
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
    createDeviceToken: (name, role) => post<W.CreatedDeviceTokenWire>("/api/tokens", { name, role }),
    revokeDeviceToken: (id) => del(`/api/tokens/${enc(id)}`),
    createPairing: (name, role) => post<W.PairingWire>("/api/pairing", { name, role }),
    shareDesign: (id) => post<W.ShareWire>(`/api/designs/${enc(id)}/share`),
    shareQuote: (id) => post<W.ShareWire>(`/api/quotes/${enc(id)}/share`),
    readShare: (token) => get<W.SharedViewWire>(`/api/share/${enc(token)}`).then((wire) => V.toSharedView(wire, token)),
    putShareModel: (token, glb) =>
      call<unknown>({ method: "PUT", path: `/api/share/${enc(token)}/model.glb`, bytes: glb, contentType: "model/gltf-binary" }).then(
        () => undefined,
      ),
    claimPairing: (code) => post<W.CreatedDeviceTokenWire>("/api/pairing/claim", { code }),
    listBackups: () => get<W.BackupListWire>("/api/backups"),
    createBackup: () => post<W.BackupWire>("/api/backups", {}),
    requestRestore: (file) => post<W.PendingRestoreWire>("/api/backups/restore", { file }),
    cancelRestore: () => del("/api/backups/restore"),
    getChainStatus: () => get<W.ChainStatusWire>("/api/sync/status"),
    joinChain: (input) => post<W.ChainStatusWire>("/api/sync/join", input),
    syncChainNow: () => post<W.ChainStatusWire>("/api/sync/now", {}),
  };
}

/** How often the desktop shell refetches in place of live events. */
const POLL_MS = 5_000;
const EVENT_KINDS = ["order", "part", "job", "catalog", "offcut"] as const;

/** A browser `EventSource` on `/api/events`. A paired device first fetches a 60 s signed token
 * (an `EventSource` cannot send the bearer header); the browser reconnects by itself and
 * sends `Last-Event-ID`, and a fresh token is fetched whenever the stream fails. */
function openEventStream(
  listener: (event: W.LiveEventWire | "reset") => void,
  fetchToken: () => Promise<W.EventsTokenWire>,
): () => void {
  let source: EventSource | null = null;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const open = async () => {
    let url = "/api/events";
    if (readDeviceToken()) {
      try {
        url += `?token=${enc((await fetchToken()).token)}`;
      } catch {
        retry = setTimeout(() => void open(), POLL_MS);
        return;
      }
    }
    if (closed) return;
    source = new EventSource(url);
    for (const kind of EVENT_KINDS) {
      source.addEventListener(kind, (message) => {
        try {
          listener(JSON.parse((message as MessageEvent<string>).data) as W.LiveEventWire);
        } catch {
          listener("reset");
        }
      });
    }
    source.addEventListener("reset", () => listener("reset"));
    source.onerror = () => {
      // A closed stream (token expired, server restarted) is reopened with a fresh token;
      // what was missed meanwhile is refetched.
      if (source?.readyState === EventSource.CLOSED) {
        source = null;
        listener("reset");
        retry = setTimeout(() => void open(), POLL_MS);
      }
    };
  };
  void open();
  return () => {
    closed = true;
    clearTimeout(retry);
    source?.close();
  };
}

let shared: PaformApi | null = null;

/** The app-wide client, created on first use so the transport is chosen in the running page. */
export function api(): PaformApi {
  if (!shared) shared = createApi(pickTransport());
  return shared;
}

/** Tests swap in a client over a fake transport. */
export function setApiForTesting(client: PaformApi | null): void {
  shared = client;
}
