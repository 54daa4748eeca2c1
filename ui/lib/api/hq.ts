// HQ's own API (SPEC §15), over the same transport as every other call: the chain-wide
// orders (`/api/orders…`, read-only, each order naming the site that sold it), the sites
// (`/hq/v1/nodes`), the quarantine and the audit. Every call needs an HQ admin token, kept
// where the device token is kept (./http.ts); a 401 notifies `onHqUnauthorized`, where the
// shell opens the HQ sign-in dialog. The wire shapes are HQ's (crates/paform-hq read.rs and
// nodes.rs), written here by hand because HQ has no OpenAPI document yet.
import { pickTransport } from "./client";
import { ApiError, toProblem } from "./problem";
import type { ApiRequest, Transport } from "./transport";

/** What `GET /api/health` says about the server: HQ adds `mode: "hq"`, a site says nothing. */
export type ServerMode = "hq" | "site";

/** HQ answers its health with `mode: "hq"`; anything else (a site, an older server) is a site. */
export function detectMode(health: unknown): ServerMode {
  return health && typeof health === "object" && (health as { mode?: unknown }).mode === "hq" ? "hq" : "site";
}

export type NodeRole = "showroom" | "factory";

export interface HqOrderSummaryWire {
  id: string;
  /** The node that sold it. */
  node: string;
  node_name: string;
  number: string;
  status: string;
  buyer_name: string;
  currency: string;
  total: string;
  event_count: number;
  created_at: string;
  updated_at: string;
}

export interface HqOrderLineWire {
  line_no: number;
  module_id: string | null;
  name: string;
  quantity: number;
  unit_price: string | null;
  line_total: string | null;
  terms: unknown;
}

export interface HqOrderDetailWire extends HqOrderSummaryWire {
  customer_id: string | null;
  quote_id: string | null;
  head_hash: string;
  lines: HqOrderLineWire[];
}

/** One link of an order's chain exactly as the site wrote it. */
export interface HqChainEventWire {
  chain: "contract" | "production";
  node: string;
  node_seq: number;
  event: {
    seq: number;
    kind: string;
    actor?: { id?: string; name?: string; role?: string } | null;
    note?: string | null;
    data?: unknown;
    at: string;
    prev_hash?: string;
    hash?: string;
  };
}

export interface HqNodeWire {
  id: string;
  name: string;
  role: NodeRole;
  number_prefix: string | null;
  /** The last `node_seq` HQ holds of this site: how many entries it has received. */
  held_seq: number;
  revoked: boolean;
  created_at: string;
  joined_at: string | null;
  last_push_at: string | null;
  quarantined: number;
}

/** A node just added: the only time its token is seen. */
export interface HqNewNodeWire {
  node_id: string;
  token: string;
}

export interface HqQuarantineWire {
  id: number;
  node_id: string;
  node_seq: number;
  kind: string;
  key: string;
  reason: string;
  body: unknown;
  received_at: string;
}

export interface HqAuditWire {
  ok: boolean;
  log_entries: number;
  quarantined: number;
  orders: number;
  events: number;
  /** `order_id/chain@seq` of every chain that does not verify. */
  broken_chains: string[];
  projection_mismatches: string[];
}

export interface HqOrderQuery {
  node?: string;
  status?: string;
  q?: string;
  limit?: number;
}

export interface HqApi {
  listOrders(query?: HqOrderQuery): Promise<HqOrderSummaryWire[]>;
  getOrder(id: string): Promise<HqOrderDetailWire>;
  /** Both chains of the order, contract first, each oldest first. */
  listOrderEvents(id: string): Promise<HqChainEventWire[]>;
  listNodes(): Promise<HqNodeWire[]>;
  addNode(input: { name: string; role: NodeRole; number_prefix?: string | null }): Promise<HqNewNodeWire>;
  revokeNode(id: string): Promise<void>;
  listQuarantine(node?: string): Promise<HqQuarantineWire[]>;
  audit(): Promise<HqAuditWire>;
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** The shell subscribes here; every 401 from HQ's API notifies it. */
export function onHqUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

const enc = encodeURIComponent;

export function createHqApi(transport: Transport): HqApi {
  async function call<T>(request: ApiRequest): Promise<T> {
    const response = await transport.send(request);
    if (response.status >= 400) {
      if (response.status === 401) unauthorizedListeners.forEach((listener) => listener());
      throw new ApiError(response.status, toProblem(response.status, response.body));
    }
    return response.body as T;
  }
  const get = <T>(path: string, query?: ApiRequest["query"]) => call<T>({ method: "GET", path, query });
  const post = <T>(path: string, body: unknown) => call<T>({ method: "POST", path, body });
  return {
    listOrders: (query = {}) => get<{ orders: HqOrderSummaryWire[] }>("/api/orders", { ...query }).then((body) => body?.orders ?? []),
    getOrder: (id) => get<HqOrderDetailWire>(`/api/orders/${enc(id)}`),
    listOrderEvents: (id) => get<{ events: HqChainEventWire[] }>(`/api/orders/${enc(id)}/events`).then((body) => body?.events ?? []),
    listNodes: () => get<{ nodes: HqNodeWire[] }>("/hq/v1/nodes").then((body) => body?.nodes ?? []),
    addNode: (input) => post<HqNewNodeWire>("/hq/v1/nodes", { ...input, number_prefix: input.number_prefix || undefined }),
    revokeNode: (id) => post<unknown>(`/hq/v1/nodes/${enc(id)}/revoke`, {}).then(() => undefined),
    listQuarantine: (node) => get<{ entries: HqQuarantineWire[] }>("/hq/v1/quarantine", { node }).then((body) => body?.entries ?? []),
    audit: () => get<HqAuditWire>("/hq/v1/audit"),
  };
}

let shared: HqApi | null = null;

/** HQ's client on the page's transport, created on first use. */
export function hqApi(): HqApi {
  if (!shared) shared = createHqApi(pickTransport());
  return shared;
}

/** Tests swap in a client over a fake transport. */
export function setHqApiForTesting(client: HqApi | null): void {
  shared = client;
}
