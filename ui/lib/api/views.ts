// View types and the wire → view mapping (the vercel/commerce adapter model).
// Screens and stores only ever see these shapes; the JSON spelling of the server stays in
// ./types.ts (and types.gen.ts) and is translated here, in one place.
// Money stays a decimal string; it is formatted by lib/money.ts and never parsed to a float.
import type {
  AuditReportWire,
  CheckMismatchWire,
  CustomerInputWire,
  CustomerWire,
  DesignAssetWire,
  DesignInputWire,
  DesignRequestWire,
  DesignVersionWire,
  DesignWire,
  FrozenProductionWire,
  MaterialWire,
  ModuleWire,
  OrderChangeActionWire,
  OrderChangeStatusWire,
  OrderChangeWire,
  OrderEventKindWire,
  OrderEventWire,
  OrderLineItemWire,
  OrderStatusWire,
  OrderTotalsWire,
  OrderWire,
  PaymentWire,
  QuoteWire,
  CatalogChangeWire,
  SettingsWire,
  SharedViewWire,
} from "./types";
import { ApiError } from "./problem";
import { isOrderStatus, ORDER_CHANGE_STATUSES, ORDER_EVENT_KINDS } from "./types";

export type OrderStatus = OrderStatusWire;
export type OrderEventKind = OrderEventKindWire;
export type OrderChangeStatus = OrderChangeStatusWire;

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface Material {
  id: string;
  name: string;
  textureUrl: string | null;
  costPerSqFt: string;
  thicknessMm: number | null;
  externalIds: Record<string, string>;
  updatedAt: string;
}

export type ConnectorSide = "left" | "right" | "top" | "bottom" | "front" | "back";

/** A connection point in the module's own frame: millimetres from its bottom-left-back corner. */
export interface Connector {
  name: string;
  side: ConnectorSide;
  x: number;
  y: number;
  z: number;
}

/** The placement rules the configurator and the 3D viewer follow (GLB_ASSET_STANDARD.md §5). */
export interface Placement {
  mount: "floor" | "wall" | "on_top";
  /** Modules of one row (e.g. "kitchen") are laid out together. */
  row: string;
  elevationMm: number;
  gapMm: number;
}

export interface Module {
  id: string;
  name: string;
  width: number;
  height: number;
  depth: number;
  basePrice: string;
  materialId: string;
  assemblyAttributes: Record<string, unknown>;
  placementConstraints: Record<string, unknown>;
  connectionPoints: unknown[];
  externalIds: Record<string, string>;
  placement: Placement;
  connectors: Connector[];
  /** `assembly_attributes.glb_url`, when the module has a 3D asset. */
  glbUrl: string | null;
  updatedAt: string;
}

export interface QuoteLine {
  moduleId: string;
  materialId: string;
  moduleName: string;
  materialName: string;
  quantity: number;
  areaSqFt: string;
  unitPrice: string;
  lineTotal: string;
}

export interface Quote {
  id: string;
  /** "Q-000123": what people read and say; null on quotes made before quote numbers. */
  number: string | null;
  currency: string;
  taxRate: string;
  lines: QuoteLine[];
  subtotal: string;
  tax: string;
  total: string;
  createdAt: string;
  expiresAt: string;
  /** The saved design this quote prices, when it was priced from one. */
  designId?: string | null;
  /** Per material, the boards the quote's nest takes (SPEC §17); empty on older quotes. */
  boards: MaterialBoards[];
  /** In a chain, the HQ catalog version it was priced on (SPEC §15). */
  catalogVersion: number | null;
}

/** A newer catalog from HQ than the one a quote was priced on (SPEC §15). */
export interface CatalogChange {
  pricedOn: number;
  current: number;
  quotedTotal: string;
  /** What the same items cost now; null when one can no longer be priced (`unavailable`). */
  total: string | null;
  unavailable: string | null;
}

export interface MaterialBoards {
  materialId: string;
  materialName: string;
  pricing: "by_area" | "by_sheet";
  boards: { width: number; height: number; count: number; unitCost: string | null; offcutCode: string | null }[];
  /** Panel area ÷ board area used, 0 to 1. */
  yieldRatio: number;
  cutLengthM: string;
  edgeBandingM: string;
  /** Every part of a `by_sheet` material's charge (money strings). */
  charges: {
    sheets: string;
    offcuts: string;
    sawCuts: string;
    edgeBanding: string;
    total: string;
    sawCutPerM: string;
    edgeBandingPerM: string;
  } | null;
  unavailable: string | null;
}

export interface Buyer {
  name: string;
  email: string;
  phone?: string;
}

export interface Actor {
  id: string;
  name: string;
  role: string;
}

/** A finish chosen instead of the material's own, and what it adds to (or takes off) the unit price. */
export interface FinishOverride {
  name: string;
  priceDelta: string;
}

export interface FrozenPanel {
  name: string;
  length: number;
  width: number;
  thickness: number | null;
  grain: string;
  edgeBanding: string;
  quantity: number;
}

/** What production needs of a line, copied when the quote was accepted (SPEC §10); mm. */
export interface FrozenProduction {
  width: number;
  height: number;
  depth: number;
  assemblyAttributes: Record<string, unknown>;
  materialThicknessMm: number | null;
  materialCostPerSqFt: string;
  basePrice: string;
  panels: FrozenPanel[];
}

export interface OrderLineItem {
  id: string;
  /** 1-based, as on documents and cut-list labels. */
  position: number;
  moduleId: string;
  materialId: string;
  moduleName: string;
  materialName: string;
  quantity: number;
  unitPrice: string;
  areaSqFt: string;
  finishOverride: FinishOverride | null;
  /** Amount taken off this line, "0.00" when none. */
  discount: string;
  discountReason: string | null;
  /** (unit price + finish delta) × quantity − discount. */
  lineTotal: string;
  /** Null only for lines migrated from schema v1 whose module was gone. */
  production: FrozenProduction | null;
}

export interface OrderTotals {
  subtotal: string;
  /** Order-level discount, "0.00" when none. */
  discount: string;
  shipping: string;
  tax: string;
  total: string;
}

export interface Order extends OrderTotals {
  id: string;
  /** What people read ("PF-000042"); `id` stays the API's key. */
  number: string;
  quoteId: string;
  status: OrderStatus;
  version: number;
  buyer: Buyer;
  currency: string;
  taxRate: string;
  discountReason: string | null;
  shippingPromisedDate: string | null;
  amountPaid: string;
  /** Negative when the buyer is owed a credit. */
  balanceDue: string;
  lineItems: OrderLineItem[];
  /** The statuses this site may move the order to next, as the server says (paform-core's rule). */
  allowedNext: OrderStatus[];
  /** Whether the order still takes changes (SPEC §10), as the server says. */
  acceptsChanges: boolean;
  /** The node that sold an order this site received from HQ (a factory's work); null for its own. */
  soldBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One entry of an order's hash-chained audit trail. `from`/`to` (from `data`) are set for status changes only. */
export interface OrderEvent {
  seq: number;
  kind: OrderEventKind;
  from: OrderStatus | null;
  to: OrderStatus | null;
  actor: Actor | null;
  note: string | null;
  /** A money amount the event carries (payment, transaction, adjustment), when it has one. */
  amount: string | null;
  /** The signed price change of a confirmed change order. */
  priceDelta: string | null;
  /** Short words from the event's data ("capture · succeeded"), when it has any. */
  detail: string | null;
  data: Record<string, unknown>;
  at: string;
  hash: string;
}

/** One action of an order change, as the screen builds it (SPEC §10). */
export type ChangeAction =
  | { type: "add_item"; moduleId: string; materialId: string | null; quantity: number }
  | { type: "remove_item"; lineItemId: string }
  | { type: "set_quantity"; lineItemId: string; quantity: number }
  | { type: "discount"; lineItemId: string | null; by: "amount" | "percent"; value: string; reason: string }
  | { type: "finish_override"; lineItemId: string; name: string; priceDelta: string }
  | { type: "shipping"; amount: string; promisedDate: string | null };

export type ChangeActionType = ChangeAction["type"];

/** A priced proposal to change an order; confirming applies it, declining closes it. */
export interface OrderChange {
  id: string;
  orderId: string;
  status: OrderChangeStatus;
  actions: ChangeAction[];
  note: string | null;
  requestedBy: Actor;
  /** The order version the change was priced against; confirming fails once the order moved. */
  baseVersion: number;
  totalsBefore: OrderTotals;
  totalsAfter: OrderTotals;
  /** Signed: "-12.30" when the order gets cheaper. */
  priceDelta: string;
  linesAfter: OrderLineItem[];
  createdAt: string;
  decidedAt: string | null;
  decidedBy: Actor | null;
}

export interface AuditReport {
  orders: number;
  events: number;
  ok: boolean;
  broken: { orderId: string; seq: number }[];
}

export interface PaymentRecord {
  id: string;
  kind: PaymentWire["kind"];
  amount: string;
  currency: string;
  status: PaymentWire["status"];
  /** Succeeded captures and adjustments of this payment, as the server sums them. */
  captured: string;
  refunded: string;
  createdAt?: string;
  transactions: NonNullable<PaymentWire["transactions"]>;
  adjustments: NonNullable<PaymentWire["adjustments"]>;
}

export interface DesignAsset {
  id: string;
  kind: DesignAssetWire["kind"];
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

export interface DesignVersion {
  id: string;
  number: number;
  notes: string;
  approved: boolean;
  createdAt?: string;
  assets: DesignAsset[];
}

export interface DesignRequest {
  id: string;
  lineItemId: string | null;
  description: string;
  status: string;
  createdAt?: string;
  versions: DesignVersion[];
}

/** A customer's fields as the forms send them: the wire's input shape, already plain. */
export type CustomerInput = CustomerInputWire;

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

export interface Settings {
  currency: string;
  taxRate: string;
  quoteValidityDays: number;
  /** Prefix of new order numbers ("PF-"). */
  orderNumberPrefix: string;
  /** Prefix of new quote numbers ("Q" gives "Q-000123"). */
  quoteNumberPrefix: string;
  /** Which optional sections this server knows (present in its GET answer); only those are sent back. */
  supports: { s3: boolean; hygraph: boolean; lanServer: boolean };
  s3: { endpoint: string; region: string; bucket: string; accessKey: string; secretKey: string };
  /** Whether the server holds a Hygraph secret; the secret itself is write-only. */
  hygraphSecretSet: boolean;
  /** A new secret to store; empty keeps the stored one. */
  hygraphSecret: string;
  /** Remove the stored secret (sent as ""). */
  hygraphSecretClear: boolean;
  lanServer: { enabled: boolean; bind: string };
  /** Fields this UI does not know, kept so a PUT does not drop them. */
  extra: Record<string, unknown>;
}

// --- the forward steps in order; `cancelled` can follow any of them but the last ---

/** The order a timeline draws the statuses in; the closed sets themselves come from the document. */
export const STATUS_FLOW: OrderStatus[] = [
  "draft",
  "pending_payment",
  "design_review",
  "production_ready",
  "fulfilled",
];

// --- mappers ---

const asRecord = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

const asNumber = (value: unknown, fallback = 0): number =>
  typeof value === "number" && Number.isFinite(value) ? value : fallback;

export function toMaterial(wire: MaterialWire): Material {
  return {
    id: wire.id,
    name: wire.name,
    textureUrl: wire.texture_url ?? null,
    costPerSqFt: String(wire.cost_per_sq_ft),
    thicknessMm: wire.thickness_mm ?? null,
    externalIds: wire.external_ids ?? {},
    updatedAt: wire.updated_at,
  };
}

const SIDES: ConnectorSide[] = ["left", "right", "top", "bottom", "front", "back"];

export function toConnectors(points: unknown): Connector[] {
  if (!Array.isArray(points)) return [];
  const connectors: Connector[] = [];
  points.forEach((point, index) => {
    const record = asRecord(point);
    const side = String(record.side ?? "");
    if (!SIDES.includes(side as ConnectorSide)) return;
    const [x, y, z] = toPoint(record.offset_mm ?? record.position ?? record.offset);
    connectors.push({ name: String(record.name ?? record.id ?? `${side}-${index}`), side: side as ConnectorSide, x, y, z });
  });
  return connectors;
}

/** A point as `[x, y, z]` or `{x, y, z}`, millimetres; missing parts are 0. */
function toPoint(value: unknown): [number, number, number] {
  if (Array.isArray(value)) return [asNumber(value[0]), asNumber(value[1]), asNumber(value[2])];
  const record = asRecord(value);
  return [asNumber(record.x), asNumber(record.y), asNumber(record.z)];
}

export function toPlacement(constraints: unknown): Placement {
  const record = asRecord(constraints);
  const mount = record.mount === "wall" || record.mount === "on_top" ? record.mount : "floor";
  return {
    mount,
    row: typeof record.row === "string" && record.row ? record.row : "main",
    elevationMm: Math.max(0, asNumber(record.elevation_mm, mount === "wall" ? 1400 : 0)),
    gapMm: Math.max(0, asNumber(record.gap_mm)),
  };
}

export function toModule(wire: ModuleWire): Module {
  const attributes = asRecord(wire.assembly_attributes);
  const glb = attributes.glb_url;
  return {
    id: wire.id,
    name: wire.name,
    width: wire.dimensions.width,
    height: wire.dimensions.height,
    depth: wire.dimensions.depth,
    basePrice: String(wire.base_price),
    materialId: wire.material_id,
    assemblyAttributes: attributes,
    placementConstraints: asRecord(wire.placement_constraints),
    connectionPoints: Array.isArray(wire.connection_points) ? wire.connection_points : [],
    externalIds: wire.external_ids ?? {},
    placement: toPlacement(wire.placement_constraints),
    connectors: toConnectors(wire.connection_points),
    glbUrl: typeof glb === "string" && glb ? glb : null,
    updatedAt: wire.updated_at,
  };
}

// --- the customer's phone (SPEC §17) ---

/** What the 3D scene needs of a module, as a share carries it (no prices). */
export type SharedModule = Pick<
  Module,
  "id" | "name" | "width" | "height" | "depth" | "assemblyAttributes" | "placement" | "connectors" | "glbUrl"
>;
export type SharedMaterial = Pick<Material, "id" | "name" | "textureUrl" | "thicknessMm">;

export interface SharedQuote {
  number: string | null;
  currency: string;
  lines: { moduleName: string; materialName: string; quantity: number; unitPrice: string; lineTotal: string }[];
  subtotal: string;
  tax: string;
  total: string;
  expiresAt: string;
}

export interface SharedView {
  scope: "design" | "quote";
  name: string;
  items: { moduleId: string; materialId: string; quantity: number }[];
  modules: SharedModule[];
  materials: SharedMaterial[];
  quote: SharedQuote | null;
  expiresAt: string;
  /** The GLB the sales screen stored with the share, for AR viewers that fetch a URL (Android). */
  modelUrl: string | null;
}

/**
 * A server asset URL (`/api/modules/{id}/model?v=…`, `/api/media/…`) with `share=<token>`, so a
 * phone without a device token may fetch it; any other URL (bundled, external) is returned as is.
 */
export function withShareToken(url: string | null, token: string): string | null {
  if (!url || !url.startsWith("/api/")) return url;
  const [path, hash] = url.split("#", 2);
  const separator = path.includes("?") ? "&" : "?";
  return `${path}${separator}share=${encodeURIComponent(token)}${hash === undefined ? "" : `#${hash}`}`;
}

/** The phone's view of a share: asset URLs carry its token. */
export function toSharedView(wire: SharedViewWire, token: string): SharedView {
  return {
    scope: wire.scope === "quote" ? "quote" : "design",
    name: wire.name,
    items: wire.items.map((item) => ({ moduleId: item.module_id, materialId: item.material_id, quantity: item.quantity })),
    modules: wire.modules.map((module) => {
      const attributes = asRecord(module.assembly_attributes);
      const glb = attributes.glb_url;
      return {
        id: module.id,
        name: module.name,
        width: module.dimensions.width,
        height: module.dimensions.height,
        depth: module.dimensions.depth,
        assemblyAttributes: attributes,
        placement: toPlacement(module.placement_constraints),
        connectors: toConnectors(module.connection_points),
        glbUrl: withShareToken(typeof glb === "string" && glb ? glb : null, token),
      };
    }),
    materials: wire.materials.map((material) => ({
      id: material.id,
      name: material.name,
      textureUrl: withShareToken(material.texture_url ?? null, token),
      thicknessMm: material.thickness_mm ?? null,
    })),
    quote: wire.quote
      ? {
          number: wire.quote.number ?? null,
          currency: wire.quote.currency,
          lines: wire.quote.lines.map((line) => ({
            moduleName: line.module_name,
            materialName: line.material_name,
            quantity: line.quantity,
            unitPrice: String(line.unit_price),
            lineTotal: String(line.line_total),
          })),
          subtotal: String(wire.quote.subtotal),
          tax: String(wire.quote.tax),
          total: String(wire.quote.total),
          expiresAt: wire.quote.expires_at,
        }
      : null,
    expiresAt: wire.expires_at,
    modelUrl: wire.model_url ?? null,
  };
}

/** How a quote is named to people: its number, or the end of its id when it has none. */
export function quoteLabel(quote: Pick<Quote, "id" | "number">): string {
  return quote.number ?? quote.id.slice(-8);
}

export function toQuote(wire: QuoteWire): Quote {
  return {
    id: wire.id,
    number: wire.number ?? null,
    currency: wire.currency,
    taxRate: String(wire.tax_rate),
    lines: wire.lines.map((line) => ({
      moduleId: line.module_id,
      materialId: line.material_id,
      moduleName: line.module_name,
      materialName: line.material_name,
      quantity: line.quantity,
      areaSqFt: String(line.area_sq_ft),
      unitPrice: line.unit_price,
      lineTotal: line.line_total,
    })),
    subtotal: wire.subtotal,
    tax: wire.tax,
    total: wire.total,
    createdAt: wire.created_at,
    expiresAt: wire.expires_at,
    designId: wire.design_id ?? null,
    catalogVersion: wire.catalog_version ?? null,
    boards: (wire.boards ?? []).map((material) => ({
      materialId: material.material_id,
      materialName: material.material_name,
      pricing: material.pricing,
      boards: material.boards.map((board) => ({
        width: board.width,
        height: board.height,
        count: board.count,
        unitCost: board.unit_cost ?? null,
        offcutCode: board.offcut_code ?? null,
      })),
      yieldRatio: material.yield_ratio,
      cutLengthM: material.cut_length_m,
      edgeBandingM: material.edge_banding_m,
      charges: material.charges
        ? {
            sheets: material.charges.sheets,
            offcuts: material.charges.offcuts,
            sawCuts: material.charges.saw_cuts,
            edgeBanding: material.charges.edge_banding,
            total: material.charges.total,
            sawCutPerM: material.charges.saw_cut_per_m,
            edgeBandingPerM: material.charges.edge_banding_per_m,
          }
        : null,
      unavailable: material.unavailable ?? null,
    })),
  };
}

export function toCatalogChange(wire: CatalogChangeWire): CatalogChange {
  return {
    pricedOn: wire.priced_on,
    current: wire.current,
    quotedTotal: wire.quoted_total,
    total: wire.total ?? null,
    unavailable: wire.unavailable ?? null,
  };
}

/** The document lists the statuses; one this UI was not built with means the server is newer. */
export function toOrderStatus(value: string): OrderStatus {
  if (!isOrderStatus(value)) throw new Error(`Unknown order status "${value}": this screen is older than the server.`);
  return value;
}

function toFrozenProduction(wire: FrozenProductionWire): FrozenProduction {
  return {
    width: wire.dimensions.width,
    height: wire.dimensions.height,
    depth: wire.dimensions.depth,
    assemblyAttributes: asRecord(wire.assembly_attributes),
    materialThicknessMm: wire.material_thickness_mm ?? null,
    materialCostPerSqFt: String(wire.material_cost_per_sq_ft),
    basePrice: String(wire.base_price),
    panels: (wire.panels ?? []).map((panel) => ({
      name: panel.name,
      length: panel.length,
      width: panel.width,
      thickness: panel.thickness ?? null,
      grain: panel.grain,
      edgeBanding: panel.edge_banding,
      quantity: panel.quantity,
    })),
  };
}

export function toOrderLineItem(wire: OrderLineItemWire, index = 0): OrderLineItem {
  return {
    id: wire.id,
    position: wire.position ?? index + 1,
    moduleId: wire.module_id,
    materialId: wire.material_id,
    moduleName: wire.module_name,
    materialName: wire.material_name,
    quantity: wire.quantity,
    unitPrice: wire.unit_price,
    areaSqFt: String(wire.area_sq_ft),
    finishOverride: wire.finish_override
      ? { name: wire.finish_override.name, priceDelta: wire.finish_override.price_delta }
      : null,
    discount: wire.discount ?? "0.00",
    discountReason: wire.discount_reason ?? null,
    lineTotal: wire.line_total,
    production: wire.production ? toFrozenProduction(wire.production) : null,
  };
}

export function toOrderTotals(wire: OrderTotalsWire): OrderTotals {
  return { subtotal: wire.subtotal, discount: wire.discount, shipping: wire.shipping, tax: wire.tax, total: wire.total };
}

/** The five figures of an order that a change moves. */
export function orderTotalsOf(order: Order): OrderTotals {
  return { subtotal: order.subtotal, discount: order.discount, shipping: order.shipping, tax: order.tax, total: order.total };
}

/** The order rules (the next steps, whether it takes changes) come from the server only: an
 * order without them is a wire error, not something to work out here. */
export function toOrder(wire: OrderWire): Order {
  const status = toOrderStatus(wire.status);
  if (!Array.isArray(wire.allowed_next) || typeof wire.accepts_changes !== "boolean")
    throw new Error(`Order ${wire.id} lacks allowed_next or accepts_changes: this screen is newer than the server.`);
  return {
    id: wire.id,
    number: wire.number,
    quoteId: wire.quote_id,
    status,
    version: wire.version,
    buyer: { name: wire.buyer.name, email: wire.buyer.email, phone: wire.buyer.phone ?? undefined },
    currency: wire.currency,
    taxRate: String(wire.tax_rate),
    subtotal: wire.subtotal,
    discount: wire.discount ?? "0.00",
    discountReason: wire.discount_reason ?? null,
    shipping: wire.shipping ?? "0.00",
    shippingPromisedDate: wire.shipping_promised_date ?? null,
    tax: wire.tax,
    total: wire.total,
    amountPaid: wire.amount_paid,
    balanceDue: wire.balance_due,
    lineItems: (wire.line_items ?? []).map(toOrderLineItem),
    allowedNext: wire.allowed_next.filter(isOrderStatus),
    acceptsChanges: wire.accepts_changes,
    soldBy: wire.sold_by ?? null,
    createdAt: wire.created_at,
    updatedAt: wire.updated_at,
  };
}

const toActor = (wire: { id?: string; name?: string; role?: string | null } | null | undefined): Actor | null =>
  wire ? { id: wire.id ?? "", name: wire.name ?? "unknown", role: wire.role ?? "" } : null;

const DECIMAL = /^-?\d+(\.\d+)?$/;
const decimalIn = (data: Record<string, unknown>, key: string): string | null => {
  const value = data[key];
  return typeof value === "string" && DECIMAL.test(value) ? value : null;
};

/** The server's event kinds are a closed set too; an unknown one is a version mismatch. */
export function toOrderEvent(wire: OrderEventWire): OrderEvent {
  if (!(ORDER_EVENT_KINDS as readonly string[]).includes(wire.kind))
    throw new Error(`Unknown order event kind "${wire.kind}": this screen is older than the server.`);
  const data = asRecord(wire.data);
  // A status change carries its move in `data`, exactly as the chain hashes it.
  const status = wire.kind === "status_changed";
  const overridden = wire.kind === "production_check_overridden" && Array.isArray(data.mismatches) ? data.mismatches.length : null;
  const words = ["kind", "type", "status", "reason"]
    .map((key) => data[key])
    .filter((value): value is string => typeof value === "string" && value.length > 0)
    .map((value) => value.replaceAll("_", " "));
  return {
    seq: wire.seq,
    kind: wire.kind,
    from: status && typeof data.from === "string" && isOrderStatus(data.from) ? data.from : null,
    to: status && typeof data.to === "string" ? toOrderStatus(data.to) : null,
    actor: toActor(wire.actor),
    note: wire.note ?? null,
    amount: decimalIn(data, "amount"),
    priceDelta: decimalIn(data, "price_delta"),
    detail:
      overridden !== null
        ? `${overridden} ${overridden === 1 ? "mismatch" : "mismatches"} overridden`
        : words.length
          ? words.join(" · ")
          : null,
    data,
    at: wire.at,
    hash: wire.hash,
  };
}

export function toChangeAction(wire: OrderChangeActionWire): ChangeAction {
  switch (wire.type) {
    case "add_item":
      return { type: "add_item", moduleId: wire.module_id, materialId: wire.material_id ?? null, quantity: wire.quantity };
    case "remove_item":
      return { type: "remove_item", lineItemId: wire.line_item_id };
    case "set_quantity":
      return { type: "set_quantity", lineItemId: wire.line_item_id, quantity: wire.quantity };
    case "discount":
      return {
        type: "discount",
        lineItemId: wire.line_item_id ?? null,
        by: wire.percent ? "percent" : "amount",
        value: String(wire.percent ?? wire.amount ?? ""),
        reason: wire.reason,
      };
    case "finish_override":
      return { type: "finish_override", lineItemId: wire.line_item_id, name: wire.name, priceDelta: wire.price_delta };
    case "shipping":
      return { type: "shipping", amount: wire.amount, promisedDate: wire.promised_date ?? null };
  }
}

/** Optional fields are left out rather than sent as null: absent means "none" to the server. */
export function fromChangeAction(view: ChangeAction): OrderChangeActionWire {
  switch (view.type) {
    case "add_item":
      return {
        type: "add_item",
        module_id: view.moduleId,
        quantity: view.quantity,
        ...(view.materialId ? { material_id: view.materialId } : {}),
      };
    case "remove_item":
      return { type: "remove_item", line_item_id: view.lineItemId };
    case "set_quantity":
      return { type: "set_quantity", line_item_id: view.lineItemId, quantity: view.quantity };
    case "discount":
      return {
        type: "discount",
        reason: view.reason,
        ...(view.lineItemId ? { line_item_id: view.lineItemId } : {}),
        ...(view.by === "percent" ? { percent: view.value } : { amount: view.value }),
      };
    case "finish_override":
      return { type: "finish_override", line_item_id: view.lineItemId, name: view.name, price_delta: view.priceDelta };
    case "shipping":
      return { type: "shipping", amount: view.amount, ...(view.promisedDate ? { promised_date: view.promisedDate } : {}) };
  }
}

export function toOrderChange(wire: OrderChangeWire): OrderChange {
  if (!(ORDER_CHANGE_STATUSES as readonly string[]).includes(wire.status))
    throw new Error(`Unknown order change status "${wire.status}": this screen is older than the server.`);
  return {
    id: wire.id,
    orderId: wire.order_id,
    status: wire.status,
    actions: (wire.actions ?? []).map(toChangeAction),
    note: wire.note ?? null,
    requestedBy: toActor(wire.requested_by) ?? { id: "", name: "unknown", role: "" },
    baseVersion: wire.base_version,
    totalsBefore: toOrderTotals(wire.totals_before),
    totalsAfter: toOrderTotals(wire.totals_after),
    priceDelta: wire.price_delta,
    linesAfter: (wire.lines_after ?? []).map(toOrderLineItem),
    createdAt: wire.created_at,
    decidedAt: wire.decided_at ?? null,
    decidedBy: toActor(wire.decided_by),
  };
}

export function toAuditReport(wire: AuditReportWire): AuditReport {
  return {
    orders: wire.orders,
    events: wire.events,
    ok: wire.ok,
    broken: (wire.broken ?? []).map((entry) => ({ orderId: entry.order_id, seq: entry.seq })),
  };
}

export function toPayment(wire: PaymentWire): PaymentRecord {
  return {
    id: wire.id,
    kind: wire.kind,
    amount: wire.amount,
    currency: wire.currency,
    status: wire.status,
    captured: wire.captured ?? "0.00",
    refunded: wire.refunded ?? "0.00",
    createdAt: wire.created_at,
    transactions: wire.transactions ?? [],
    adjustments: wire.adjustments ?? [],
  };
}

export function toDesignAsset(wire: DesignAssetWire): DesignAsset {
  return {
    id: wire.id,
    kind: wire.kind,
    filename: wire.filename,
    contentType: wire.content_type,
    size: wire.size,
    sha256: wire.sha256,
  };
}

export function toDesignVersion(wire: DesignVersionWire, index: number): DesignVersion {
  return {
    id: wire.id,
    number: wire.number ?? index + 1,
    notes: wire.notes,
    approved: wire.approved,
    createdAt: wire.created_at,
    assets: (wire.assets ?? []).map(toDesignAsset),
  };
}

export function toDesignRequest(wire: DesignRequestWire): DesignRequest {
  const versions = (wire.versions ?? []).map(toDesignVersion);
  return {
    id: wire.id,
    lineItemId: wire.line_item_id ?? null,
    description: wire.description,
    status: wire.approved ? "approved" : "open",
    createdAt: wire.created_at,
    versions,
  };
}

export function toCustomer(wire: CustomerWire): CustomerView {
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

export function toDesign(wire: DesignWire): DesignView {
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

/** The body of `POST /api/designs` and, with `expectedVersion`, of `PUT /api/designs/{id}`. */
export function fromDesign(input: DesignInput, expectedVersion?: number): DesignInputWire {
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

export function toSettings(wire: SettingsWire): Settings {
  const { currency, tax_rate, quote_validity_days, order_number_prefix, quote_number_prefix, s3, hygraph_secret, hygraph_secret_set, lan_server, ...extra } = wire;
  return {
    currency: currency ?? "USD",
    taxRate: String(tax_rate ?? "0"),
    quoteValidityDays: quote_validity_days ?? 30,
    orderNumberPrefix: order_number_prefix ?? "PF-",
    quoteNumberPrefix: quote_number_prefix ?? "Q",
    supports: {
      s3: "s3" in wire,
      hygraph: "hygraph_secret_set" in wire || "hygraph_secret" in wire,
      lanServer: "lan_server" in wire,
    },
    s3: {
      endpoint: s3?.endpoint ?? "",
      region: s3?.region ?? "",
      bucket: s3?.bucket ?? "",
      accessKey: s3?.access_key ?? "",
      secretKey: s3?.secret_key ?? "",
    },
    hygraphSecretSet: Boolean(hygraph_secret_set ?? hygraph_secret),
    hygraphSecret: "",
    hygraphSecretClear: false,
    lanServer: { enabled: Boolean(lan_server?.enabled), bind: lan_server?.bind ?? "" },
    extra,
  };
}

export function fromSettings(view: Settings): SettingsWire {
  const orNull = (value: string) => (value.trim() ? value.trim() : null);
  const wire: SettingsWire = {
    ...view.extra,
    currency: view.currency.trim().toUpperCase(),
    tax_rate: view.taxRate.trim(),
    quote_validity_days: view.quoteValidityDays,
    order_number_prefix: view.orderNumberPrefix.trim().toUpperCase(),
    quote_number_prefix: view.quoteNumberPrefix.trim().toUpperCase(),
  };
  if (view.supports.s3)
    wire.s3 = {
      endpoint: orNull(view.s3.endpoint),
      region: orNull(view.s3.region),
      bucket: orNull(view.s3.bucket),
      access_key: orNull(view.s3.accessKey),
      secret_key: orNull(view.s3.secretKey),
    };
  // Write-only: absent keeps the stored secret, "" clears it.
  if (view.supports.hygraph && view.hygraphSecretClear) wire.hygraph_secret = "";
  else if (view.supports.hygraph && view.hygraphSecret.trim()) wire.hygraph_secret = view.hygraphSecret.trim();
  if (view.supports.lanServer) wire.lan_server = { enabled: view.lanServer.enabled, bind: orNull(view.lanServer.bind) };
  return wire;
}

/** One disagreement of the three-way check before production (SPEC §17), for people. */
export interface CheckMismatch {
  lineItemId: string;
  position: number;
  moduleName: string;
  /** "Width", "Height", "Depth", or null for a panel missing, extra or cut a different number of times. */
  axis: string | null;
  /** What disagrees with what: "model 600 mm · dimensions 590 mm". */
  what: string;
  /** "10 mm apart", or null when the mismatch is no length. */
  apart: string | null;
  /** The server's sentence, always present. */
  message: string;
}

const SOURCE_LABEL = { model: "model", dimensions: "dimensions", cut_list: "cut list" } as const;

function lengthText(value: number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return `${Number(value.toFixed(2))} mm`;
}

export function toCheckMismatch(wire: CheckMismatchWire): CheckMismatch {
  const sources: Array<[keyof typeof SOURCE_LABEL, number | null | undefined]> = [
    ["model", wire.model_mm],
    ["dimensions", wire.dimensions_mm],
    ["cut_list", wire.cut_list_mm],
  ];
  const parts = sources
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([source, value]) => {
      const label = source === "cut_list" && wire.panel ? `cut list (${wire.panel})` : SOURCE_LABEL[source];
      return `${label} ${lengthText(value)}`;
    });
  const axis = wire.axis ? wire.axis.charAt(0).toUpperCase() + wire.axis.slice(1) : null;
  const difference = lengthText(wire.difference_mm);
  return {
    lineItemId: wire.line_item_id,
    position: wire.position,
    moduleName: wire.module_name,
    axis,
    what: parts.length === 2 ? parts.join(" · ") : wire.message,
    apart: difference ? `${difference} apart` : null,
    message: wire.message,
  };
}

/** The mismatches a refused move to production listed, or none for any other error. */
export function checkMismatchesOf(error: unknown): CheckMismatch[] {
  if (!(error instanceof ApiError) || error.status !== 409) return [];
  return error.mismatches.map(toCheckMismatch);
}
