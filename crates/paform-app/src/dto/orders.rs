//! Order DTOs (SPEC §5): orders, the audit trail, design collaboration, payments, jobs.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Buyer {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
}

/// Who did something: a member of staff, a device, or a system.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
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
    pub buyer: Buyer,
    pub actor: ActorInput,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderLineItem {
    pub id: String,
    pub module_id: String,
    pub module_name: String,
    pub material_id: String,
    pub material_name: String,
    pub quantity: u32,
    pub unit_price: String,
    pub line_total: String,
    /// Board area of one module in square feet, as priced.
    pub area_sq_ft: String,
    pub discount: String,
    pub finish_override: Option<String>,
    pub shipping_promise: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Order {
    pub id: String,
    pub quote_id: String,
    /// draft, pending_payment, design_review, production_ready, fulfilled or cancelled.
    pub status: String,
    pub version: u64,
    pub buyer: Buyer,
    pub currency: String,
    pub subtotal: String,
    pub tax: String,
    pub total: String,
    pub amount_paid: String,
    pub balance_due: String,
    pub line_items: Vec<OrderLineItem>,
    /// The statuses this order may move to next (guards are checked on the move).
    pub allowed_next: Vec<String>,
    pub created_by: Actor,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderListQuery {
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TransitionRequest {
    pub to: String,
    pub actor: ActorInput,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub expected_version: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderStatusEvent {
    pub seq: u64,
    pub from: String,
    pub to: String,
    pub actor: Actor,
    pub note: Option<String>,
    pub at: String,
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
    /// glb, dxf or pdf.
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
    /// glb, dxf or pdf.
    pub kind: String,
    pub filename: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PaymentInput {
    /// deposit, balance or change_order.
    pub kind: String,
    #[schema(example = "250.00")]
    pub amount: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Payment {
    pub id: String,
    pub order_id: String,
    pub kind: String,
    pub amount: String,
    pub currency: String,
    /// Derived from the ledger: pending, authorized, partially_captured, captured, …
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
    /// authorization, capture or void.
    #[serde(rename = "type")]
    pub kind: String,
    pub amount: String,
    /// succeeded or failed.
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PaymentTransaction {
    pub id: String,
    pub payment_id: String,
    pub provider: String,
    pub provider_ref: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub amount: String,
    pub status: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AdjustmentInput {
    /// refund or chargeback.
    #[serde(rename = "type")]
    pub kind: String,
    pub amount: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PaymentAdjustment {
    pub id: String,
    pub payment_id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub amount: String,
    pub reason: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobListQuery {
    /// manufacturing or logistics.
    pub kind: Option<String>,
    /// pending (default) or done.
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub order_id: String,
    pub line_item_ids: Vec<String>,
    pub module_ids: Vec<String>,
    pub status: String,
    pub created_at: String,
    pub acked_at: Option<String>,
}
