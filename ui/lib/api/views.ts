// View types and the wire → view mapping (the vercel/commerce adapter model).
// Screens and stores only ever see these shapes; the JSON spelling of the server stays in
// ./types.ts (and types.gen.ts) and is translated here, in one place.
// Money stays a decimal string; it is formatted by lib/money.ts and never parsed to a float.
import type {
  DesignAssetWire,
  DesignRequestWire,
  DesignVersionWire,
  MaterialWire,
  ModuleWire,
  OrderStatusEventWire,
  OrderStatusWire,
  OrderWire,
  PaymentWire,
  QuoteWire,
  SettingsWire,
} from "./types";
import { isOrderStatus } from "./types";

export type OrderStatus = OrderStatusWire;

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
  currency: string;
  taxRate: string;
  lines: QuoteLine[];
  subtotal: string;
  tax: string;
  total: string;
  createdAt: string;
  expiresAt: string;
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

export interface OrderLineItem {
  id: string;
  moduleId: string;
  materialId: string;
  moduleName?: string;
  materialName?: string;
  quantity: number;
  unitPrice: string;
  lineTotal?: string;
}

export interface Order {
  id: string;
  quoteId: string;
  status: OrderStatus;
  version: number;
  buyer: Buyer;
  currency: string;
  subtotal: string;
  tax: string;
  total: string;
  amountPaid: string;
  balanceDue: string;
  lineItems: OrderLineItem[];
  allowedNext: OrderStatus[];
  createdAt: string;
  updatedAt: string;
}

export interface StatusEvent {
  seq: number;
  from: OrderStatus | null;
  to: OrderStatus;
  actor: Actor;
  note: string | null;
  at: string;
}

export interface PaymentRecord {
  id: string;
  kind: PaymentWire["kind"];
  amount: string;
  currency: string;
  status: string;
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

export interface Settings {
  currency: string;
  taxRate: string;
  quoteValidityDays: number;
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

// --- the forward step first, then `cancelled`; mirrors paform-core `allowed_next` ---

export const STATUS_FLOW: OrderStatus[] = [
  "draft",
  "pending_payment",
  "design_review",
  "production_ready",
  "fulfilled",
];

export function allowedNextFor(status: OrderStatus): OrderStatus[] {
  if (status === "fulfilled" || status === "cancelled") return [];
  const index = STATUS_FLOW.indexOf(status);
  return [STATUS_FLOW[index + 1], "cancelled"];
}

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

export function toQuote(wire: QuoteWire): Quote {
  return {
    id: wire.id,
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
  };
}

/** The document types statuses as strings; one this UI does not know is a version mismatch. */
export function toOrderStatus(value: string): OrderStatus {
  if (!isOrderStatus(value)) throw new Error(`Unknown order status "${value}": this screen is older than the server.`);
  return value;
}

export function toOrder(wire: OrderWire): Order {
  const status = toOrderStatus(wire.status);
  return {
    id: wire.id,
    quoteId: wire.quote_id,
    status,
    version: wire.version,
    buyer: { name: wire.buyer.name, email: wire.buyer.email, phone: wire.buyer.phone ?? undefined },
    currency: wire.currency,
    subtotal: wire.subtotal,
    tax: wire.tax,
    total: wire.total,
    amountPaid: wire.amount_paid,
    balanceDue: wire.balance_due,
    lineItems: (wire.line_items ?? []).map((item) => ({
      id: item.id,
      moduleId: item.module_id,
      materialId: item.material_id,
      moduleName: item.module_name,
      materialName: item.material_name,
      quantity: item.quantity,
      unitPrice: item.unit_price,
      lineTotal: item.line_total,
    })),
    allowedNext: Array.isArray(wire.allowed_next) ? wire.allowed_next.filter(isOrderStatus) : allowedNextFor(status),
    createdAt: wire.created_at,
    updatedAt: wire.updated_at,
  };
}

export function toStatusEvent(wire: OrderStatusEventWire): StatusEvent {
  return {
    seq: wire.seq,
    from: wire.from && isOrderStatus(wire.from) ? wire.from : null,
    to: toOrderStatus(wire.to),
    actor: { id: wire.actor?.id ?? "", name: wire.actor?.name ?? "unknown", role: wire.actor?.role ?? "" },
    note: wire.note ?? null,
    at: wire.at,
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

export function toSettings(wire: SettingsWire): Settings {
  const { currency, tax_rate, quote_validity_days, s3, hygraph_secret, hygraph_secret_set, lan_server, ...extra } = wire;
  return {
    currency: currency ?? "USD",
    taxRate: String(tax_rate ?? "0"),
    quoteValidityDays: quote_validity_days ?? 30,
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
