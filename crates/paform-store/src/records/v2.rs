//! Schema version 2 records (`migrations-doc/0002-orders-are-contracts.md`). Types whose shape
//! did not change are those of version 1, re-exported.

use serde::{Deserialize, Serialize};

pub use super::v1::{
    ActorRecord, BuyerRecord, DesignAssetRecord, DesignRequestRecord, DesignVersionRecord,
    DeviceTokenRecord, JobRecord, MaterialRecord, ModuleRecord, PaymentRecord,
    PendingDeliveryRecord, SyncDeliveryRecord, SyncEntryRecord, SyncLogRecord, SyncPendingRecord,
    SyncRevisionRecord,
};

/// The one settings record, under the key `SettingsRecord::KEY`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingsRecord {
    pub currency: String,
    pub tax_rate: String,
    pub quote_validity_days: u32,
    pub hygraph_secret: Option<String>,
    /// Prefix of order numbers (`PF-`).
    pub order_number_prefix: String,
}

impl SettingsRecord {
    pub const KEY: &'static str = "settings";
    pub const DEFAULT_ORDER_NUMBER_PREFIX: &'static str = "PF-";
}

/// One panel of a frozen module, as the panelizer cut it at acceptance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenPanelRecord {
    pub name: String,
    pub length_mm: String,
    pub width_mm: String,
    pub thickness_mm: Option<String>,
    /// `none` or `length`.
    pub grain: String,
    /// `none` or `front_edge`.
    pub edge_banding: String,
    /// Per module.
    pub quantity: u32,
}

/// Everything production needs of one line, copied from the catalog when it was priced, so
/// that no later catalog edit reaches it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenProductionRecord {
    pub width_mm: String,
    pub height_mm: String,
    pub depth_mm: String,
    pub base_price: String,
    /// JSON text of a free-form object.
    pub assembly_attributes: String,
    pub material_cost_per_sq_ft: String,
    pub material_thickness_mm: Option<String>,
    pub material_texture_url: Option<String>,
    pub panels: Vec<FrozenPanelRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteLineRecord {
    pub module_id: String,
    pub module_name: String,
    pub material_id: String,
    pub material_name: String,
    pub quantity: u32,
    pub area_sq_ft: String,
    pub unit_price: String,
    pub line_total: String,
    /// Absent only for quotes written by schema 1 whose module has left the catalog.
    pub production: Option<FrozenProductionRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteRecord {
    pub id: String,
    pub currency: String,
    pub tax_rate: String,
    pub lines: Vec<QuoteLineRecord>,
    pub subtotal: String,
    pub tax: String,
    pub total: String,
    pub created_at: String,
    pub expires_at: String,
}

/// A discount as given: exactly one of `amount` and `percent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiscountRecord {
    pub amount: Option<String>,
    pub percent: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FinishOverrideRecord {
    pub name: String,
    /// Signed money string.
    pub price_delta: String,
}

/// One line of an order: what was sold, its price terms and its frozen production data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderLineRecord {
    pub id: String,
    /// 1, 2, 3, … in the order the lines were added; never reused within an order.
    pub position: u32,
    pub module_id: String,
    pub module_name: String,
    pub material_id: String,
    pub material_name: String,
    pub quantity: u32,
    pub unit_price: String,
    pub area_sq_ft: String,
    pub finish_override: Option<FinishOverrideRecord>,
    pub discount: Option<DiscountRecord>,
    /// Derived from the terms above, stored so that a listing need not re-price.
    pub discount_amount: String,
    pub line_total: String,
    pub production: Option<FrozenProductionRecord>,
}

/// An order. Its terms change only by a confirmed order change; its status only by a
/// transition. Both bump `version`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderRecord {
    pub id: String,
    /// `PF-000042`: unique, sequential per installation.
    pub number: String,
    pub quote_id: String,
    pub status: String,
    pub version: u64,
    pub buyer: BuyerRecord,
    pub currency: String,
    pub tax_rate: String,
    pub subtotal: String,
    pub discount: Option<DiscountRecord>,
    pub discount_amount: String,
    pub shipping: String,
    pub shipping_promised_date: Option<String>,
    pub tax: String,
    pub total: String,
    pub line_items: Vec<OrderLineRecord>,
    /// The next line position to hand out.
    pub next_position: u32,
    pub created_by: ActorRecord,
    pub created_at: String,
    pub updated_at: String,
}

/// One link of an order's audit chain, keyed `"{order_id}/{seq:010}"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderEventRecord {
    pub order_id: String,
    pub seq: u64,
    /// `status_changed`, `change_confirmed`, `change_declined`, `payment_created`,
    /// `transaction_recorded`, `adjustment_recorded` or `design_approved`.
    pub kind: String,
    pub actor: Option<ActorRecord>,
    pub note: Option<String>,
    /// JSON text of the event's own facts (`{"from":…,"to":…}`, a payment, …).
    pub data: String,
    pub at: String,
    pub prev_hash: String,
    pub hash: String,
}

/// A gateway transaction or an adjustment, appended to the order's ledger under
/// `"{order_id}/{seq:010}"`; never updated or deleted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntryRecord {
    pub id: String,
    pub order_id: String,
    pub payment_id: String,
    pub seq: u64,
    pub entry: LedgerEntryKind,
    pub amount: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LedgerEntryKind {
    Transaction {
        kind: String,
        status: String,
        provider: String,
        provider_ref: String,
    },
    Adjustment {
        kind: String,
        reason: String,
        provider_ref: Option<String>,
    },
}

/// A requested change of an order's terms, priced when requested and applied as priced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderChangeRecord {
    pub id: String,
    pub order_id: String,
    /// `requested`, `confirmed` or `declined`.
    pub status: String,
    /// JSON text of the actions as requested.
    pub actions: String,
    pub note: Option<String>,
    pub requested_by: ActorRecord,
    /// The order version the change was priced against; confirming needs it unchanged.
    pub base_version: u64,
    pub totals_before: TotalsRecord,
    pub totals_after: TotalsRecord,
    pub price_delta: String,
    /// The order as it will be once confirmed: its lines and order-level terms.
    pub order_after: OrderRecord,
    pub created_at: String,
    pub decided_at: Option<String>,
    pub decided_by: Option<ActorRecord>,
    pub decision_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TotalsRecord {
    pub subtotal: String,
    pub discount: String,
    pub shipping: String,
    pub tax: String,
    pub total: String,
}
