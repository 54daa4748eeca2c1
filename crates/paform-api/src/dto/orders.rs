//! Order DTOs (SPEC §5): orders, the audit trail, design collaboration, payments, jobs.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::dto::names::*;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Buyer {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
}

/// Who did something: a member of staff, a device, or a system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Actor {
    pub id: String,
    pub name: String,
    #[serde(default = "default_role")]
    pub role: String,
}

fn default_role() -> String {
    "staff".into()
}

/// An actor given either in full or as a plain name.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ActorInput {
    Full(Actor),
    Name(String),
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AcceptQuoteRequest {
    /// Absent for a quote priced for a customer: the customer's name, email and phone.
    #[serde(default)]
    pub buyer: Option<Buyer>,
    pub actor: ActorInput,
}

/// A panel of a frozen module, as it was cut when the line was priced.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FrozenPanel {
    pub name: String,
    /// mm, along the grain.
    pub length: f64,
    pub width: f64,
    pub thickness: Option<f64>,
    pub grain: crate::dto::PartGrain,
    /// `none` or `front_edge`.
    pub edge_banding: String,
    /// Per module.
    pub quantity: u32,
}

/// Everything production needs of a line, frozen when it was priced: no catalog edit,
/// deletion or sync changes it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FrozenProduction {
    pub dimensions: crate::dto::Dimensions,
    #[schema(value_type = Object)]
    pub assembly_attributes: serde_json::Value,
    pub base_price: String,
    pub material_cost_per_sq_ft: String,
    pub material_thickness_mm: Option<f64>,
    pub material_texture_url: Option<String>,
    pub panels: Vec<FrozenPanel>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FinishOverride {
    pub name: String,
    /// Per unit; negative for a cheaper finish.
    #[schema(example = "-20.00")]
    pub price_delta: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderLineItem {
    pub id: String,
    /// 1, 2, 3, … in the order lines were added (part labels use it).
    pub position: u32,
    pub module_id: String,
    pub module_name: String,
    pub material_id: String,
    pub material_name: String,
    pub quantity: u32,
    pub unit_price: String,
    /// Board area of one module in square feet, as priced.
    pub area_sq_ft: String,
    pub finish_override: Option<FinishOverride>,
    /// What the line discount takes off this line.
    pub discount: String,
    pub discount_reason: Option<String>,
    /// `(unit_price + finish delta) × quantity − discount`.
    pub line_total: String,
    /// Absent only for lines upgraded from schema 1 whose module had left the catalog.
    pub production: Option<FrozenProduction>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Order {
    pub id: String,
    /// `PF-000042`: what people say and print; `id` stays the API's key.
    pub number: String,
    pub quote_id: String,
    /// The customer the order was sold to, when its quote was priced for one.
    pub customer_id: Option<String>,
    #[schema(value_type = OrderStatus)]
    pub status: String,
    pub version: u64,
    pub buyer: Buyer,
    pub currency: String,
    pub tax_rate: String,
    /// Σ line totals.
    pub subtotal: String,
    /// The order-level discount.
    pub discount: String,
    pub discount_reason: Option<String>,
    pub shipping: String,
    /// `YYYY-MM-DD`.
    pub shipping_promised_date: Option<String>,
    pub tax: String,
    pub total: String,
    pub amount_paid: String,
    /// Negative when credit is owed to the buyer.
    pub balance_due: String,
    pub line_items: Vec<OrderLineItem>,
    /// The statuses this site may move the order to next (none for an order another site
    /// sold).
    #[schema(value_type = Vec<OrderStatus>)]
    pub allowed_next: Vec<String>,
    /// Whether this site takes order changes for it now (SPEC §10: until production starts;
    /// never for an order another site sold).
    pub accepts_changes: bool,
    /// For an order this site received from HQ (a factory's work), the node that sold it:
    /// only that site changes it, and this site records its production.
    pub sold_by: Option<String>,
    pub created_by: Actor,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderListQuery {
    #[param(value_type = Option<OrderStatus>)]
    pub status: Option<String>,
    /// An order number (`PF-000042`, or just `42`) or part of the buyer's name.
    pub q: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TransitionRequest {
    #[schema(value_type = OrderStatus)]
    pub to: String,
    pub actor: ActorInput,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub expected_version: Option<u64>,
    /// Admin only: move to `production_ready` even though the three-way check found
    /// mismatches (SPEC §17). The note and the mismatches overridden enter the order's chain
    /// as a `production_check_overridden` event just before the status change. Ignored when
    /// the check finds nothing; any other role gets 403.
    #[serde(default)]
    pub override_check: Option<CheckOverride>,
}

/// Why the three-way check is overridden.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CheckOverride {
    /// Required, 1 to 2000 characters.
    pub note: String,
}

/// Which two sources of a line disagree (SPEC §17): the module's 3D model (its bounding
/// box), the line's frozen dimensions, and its cut list (the frozen panels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckPair {
    ModelDimensions,
    DimensionsCutList,
    ModelCutList,
}

/// How two sources disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckMismatchKind {
    /// The two measure `axis` more than 1 mm apart.
    Extent,
    /// The dimensions make `panel`, the cut list lacks it.
    MissingPanel,
    /// The cut list has `panel`, the dimensions do not make it.
    UnexpectedPanel,
    /// The cut list cuts `panel` a different number of times per module.
    Quantity,
    /// The dimensions leave no room between two boards.
    NotPanelizable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModuleAxis {
    Width,
    Height,
    Depth,
}

/// One mismatch of the three-way check before production (SPEC §17). Of `model_mm`,
/// `dimensions_mm` and `cut_list_mm` the two of `pair` are given for an `extent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CheckMismatch {
    pub line_item_id: String,
    /// The line's position in the order (1, 2, 3, …).
    pub position: u32,
    pub module_name: String,
    pub pair: CheckPair,
    pub kind: CheckMismatchKind,
    pub axis: Option<ModuleAxis>,
    /// The cut list's panel concerned (`side`, `top-bottom`, `back`, `shelf`, …).
    pub panel: Option<String>,
    /// The model's bounding box along `axis`.
    pub model_mm: Option<f64>,
    /// The frozen dimension along `axis`.
    pub dimensions_mm: Option<f64>,
    /// The extent along `axis` that `panel`, as the cut list has it, builds.
    pub cut_list_mm: Option<f64>,
    /// How far apart the two are (always more than the 1 mm tolerance).
    pub difference_mm: Option<f64>,
    /// The mismatch in words, e.g. `width: the model 610 mm, the dimensions 600 mm (10 mm
    /// apart)`.
    pub message: String,
}

/// One link of an order's audit chain (SPEC §10).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderEvent {
    pub order_id: String,
    pub seq: u64,
    #[schema(value_type = OrderEventKind)]
    pub kind: String,
    pub actor: Option<Actor>,
    pub note: Option<String>,
    /// The event's own facts: the contract for `order_created`, `from`/`to` for
    /// `status_changed`, a payment, a change's actions and changed fields, …
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub at: String,
    pub prev_hash: String,
    /// SHA-256 (lowercase hex) over `prev_hash` followed by the canonical JSON of every other
    /// field of this object (`docs/audit-chain.md`).
    pub hash: String,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Verify one order only.
    pub order_id: Option<String>,
}

/// Why an order is listed as broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BrokenReason {
    /// A link of the hash chain does not hold (an event was edited, removed or reordered).
    Chain,
    /// The links hold but the events do not fold into an order (`seq` names the event).
    Projection,
    /// The stored order differs from the projection of its events (`fields` names what).
    Record,
    /// In a chain, HQ holds link `seq` of this order's contract chain and this site's chain
    /// lacks it or has another one there: the chain was cut short or rewritten after it
    /// reached HQ (SPEC §15).
    Hq,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BrokenLink {
    pub order_id: String,
    /// The first event whose link does not hold or does not fold; for a stored order that
    /// differs from its events, the chain's last event.
    pub seq: u64,
    pub reason: BrokenReason,
    /// The stored order's fields that differ from the projection (`record` only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// What did not fold (`projection` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// `paform audit verify` and `GET /api/audit/verify` (SPEC §10, §15): every order's chain is
/// recomputed and its events are folded into the order, which must equal the stored one.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditReport {
    pub orders: u64,
    pub events: u64,
    pub ok: bool,
    /// Orders whose chain holds and whose stored record equals the projection of its events.
    pub projected: u64,
    pub broken: Vec<BrokenLink>,
    /// In a chain: how many of HQ's chain heads were compared with this site's chains.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hq_heads: Option<u64>,
    /// In a chain: why HQ's heads could not be compared (HQ unreachable); the local checks
    /// above stand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hq_error: Option<String>,
}

/// One requested change of an order (SPEC §10), tagged by `type`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OrderChangeAction {
    AddItem {
        module_id: String,
        #[serde(default)]
        material_id: Option<String>,
        quantity: i64,
    },
    RemoveItem {
        line_item_id: String,
    },
    SetQuantity {
        line_item_id: String,
        quantity: i64,
    },
    /// Without `line_item_id`, on the whole order. Exactly one of `amount` and `percent`.
    Discount {
        #[serde(default)]
        line_item_id: Option<String>,
        #[serde(default)]
        #[schema(example = "25.00")]
        amount: Option<String>,
        #[serde(default)]
        #[schema(example = "10")]
        percent: Option<String>,
        reason: String,
    },
    FinishOverride {
        line_item_id: String,
        name: String,
        #[schema(example = "-20.00")]
        price_delta: String,
    },
    Shipping {
        amount: String,
        /// `YYYY-MM-DD`.
        #[serde(default)]
        promised_date: Option<String>,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderChangeRequest {
    pub actions: Vec<OrderChangeAction>,
    #[serde(default)]
    pub note: Option<String>,
    pub actor: ActorInput,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderChangeDecision {
    pub actor: ActorInput,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderTotals {
    pub subtotal: String,
    pub discount: String,
    pub shipping: String,
    pub tax: String,
    pub total: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderChange {
    pub id: String,
    pub order_id: String,
    #[schema(value_type = OrderChangeStatus)]
    pub status: String,
    pub actions: Vec<OrderChangeAction>,
    pub note: Option<String>,
    pub requested_by: Actor,
    /// The order version it was priced against; confirming needs the order unchanged since.
    pub base_version: u64,
    pub totals_before: OrderTotals,
    pub totals_after: OrderTotals,
    /// `totals_after.total − totals_before.total`; negative when the buyer owes less.
    pub price_delta: String,
    /// The order's lines once the change is confirmed.
    pub lines_after: Vec<OrderLineItem>,
    pub created_at: String,
    pub decided_at: Option<String>,
    pub decided_by: Option<Actor>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DesignRequestInput {
    #[serde(default)]
    pub line_item_id: Option<String>,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DesignRequest {
    pub id: String,
    pub order_id: String,
    pub line_item_id: Option<String>,
    pub description: String,
    /// True once any of its versions is approved.
    pub approved: bool,
    pub versions: Vec<DesignVersion>,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DesignVersionInput {
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DesignVersion {
    pub id: String,
    pub request_id: String,
    pub number: u32,
    pub notes: String,
    pub approved: bool,
    pub approved_at: Option<String>,
    pub assets: Vec<DesignAsset>,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DesignAsset {
    pub id: String,
    #[schema(value_type = AssetKind)]
    pub kind: String,
    pub filename: String,
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssetUploadQuery {
    #[param(value_type = AssetKind)]
    pub kind: String,
    pub filename: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PaymentInput {
    #[schema(value_type = PaymentKind)]
    pub kind: String,
    #[schema(example = "250.00")]
    pub amount: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Payment {
    pub id: String,
    pub order_id: String,
    #[schema(value_type = PaymentKind)]
    pub kind: String,
    pub amount: String,
    pub currency: String,
    /// Derived from the ledger.
    #[schema(value_type = PaymentStatus)]
    pub status: String,
    pub captured: String,
    pub refunded: String,
    pub transactions: Vec<PaymentTransaction>,
    pub adjustments: Vec<PaymentAdjustment>,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TransactionInput {
    pub provider: String,
    pub provider_ref: String,
    #[serde(rename = "type")]
    #[schema(value_type = TransactionType)]
    pub kind: String,
    pub amount: String,
    #[schema(value_type = TransactionStatus)]
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PaymentTransaction {
    pub id: String,
    pub payment_id: String,
    pub provider: String,
    pub provider_ref: String,
    #[serde(rename = "type")]
    #[schema(value_type = TransactionType)]
    pub kind: String,
    pub amount: String,
    #[schema(value_type = TransactionStatus)]
    pub status: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AdjustmentInput {
    #[serde(rename = "type")]
    #[schema(value_type = AdjustmentType)]
    pub kind: String,
    pub amount: String,
    #[serde(default)]
    pub reason: String,
    /// The gateway's reference: a repeat with the same reference is answered with the
    /// recorded adjustment (or 409 if it differs) and writes nothing.
    #[serde(default)]
    pub provider_ref: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PaymentAdjustment {
    pub id: String,
    pub payment_id: String,
    #[serde(rename = "type")]
    #[schema(value_type = AdjustmentType)]
    pub kind: String,
    pub amount: String,
    pub reason: String,
    pub provider_ref: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobListQuery {
    #[param(value_type = Option<JobKind>)]
    pub kind: Option<String>,
    /// Default `pending`.
    #[param(value_type = Option<JobStatus>)]
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Job {
    pub id: String,
    #[schema(value_type = JobKind)]
    pub kind: String,
    pub order_id: String,
    pub line_item_ids: Vec<String>,
    pub module_ids: Vec<String>,
    #[schema(value_type = JobStatus)]
    pub status: String,
    pub created_at: String,
    pub acked_at: Option<String>,
}
