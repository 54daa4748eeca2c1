// The only door to the backend (STYLE rule 12). It defines one interface, `PaformApi`,
// chooses the transport in exactly one place (`pickTransport`: Tauri `invoke` inside the
// desktop shell, `fetch` in a browser) and holds the app-wide client (`api()`).
// The rest of the door, one job a module: ./createApi.ts implements the interface and maps
// wire types to view types (./views.ts), ./events.ts is the live event stream,
// ./unauthorized.ts the listener bus for 401s, ./documents.ts prints PDFs.
import { createApi } from "./createApi";
import { createHttpTransport } from "./http";
import { createTauriTransport } from "./tauri";
import type { Transport } from "./transport";
import type { LiveEventListener } from "./events";
import type * as W from "./types";
import type * as V from "./views";
import type { CustomerInput, CustomerView, DesignInput, DesignView } from "./views";

export type { Transport } from "./transport";
export type { CustomerInput, CustomerView, DesignInput, DesignItemView, DesignView } from "./views";
export { createApi } from "./createApi";
export { onUnauthorized } from "./unauthorized";

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
  /** SPEC §15: null while the quote is priced on the catalog the site holds. */
  quoteCatalogChange(id: string): Promise<V.CatalogChange | null>;
  /** A new quote of the same items, customer and design on the catalog as it is now. */
  repriceQuote(id: string): Promise<V.Quote>;
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
  subscribeEvents(listener: LiveEventListener): () => void;
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
