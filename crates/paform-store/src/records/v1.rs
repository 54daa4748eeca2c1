//! Schema version 1 records (`migrations-doc/0001-initial.md`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaterialRecord {
    pub id: String,
    pub name: String,
    pub texture_url: Option<String>,
    pub cost_per_sq_ft: String,
    pub thickness_mm: Option<String>,
    pub external_ids: Vec<(String, String)>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleRecord {
    pub id: String,
    pub name: String,
    pub width_mm: String,
    pub height_mm: String,
    pub depth_mm: String,
    pub base_price: String,
    pub material_id: String,
    /// JSON text of a free-form object.
    pub assembly_attributes: String,
    /// JSON text of a free-form object.
    pub placement_constraints: String,
    /// JSON text of a free-form array.
    pub connection_points: String,
    pub external_ids: Vec<(String, String)>,
    pub created_at: String,
    pub updated_at: String,
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

/// The one settings record, under the key `SettingsRecord::KEY`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingsRecord {
    pub currency: String,
    pub tax_rate: String,
    pub quote_validity_days: u32,
    /// The shared secret of the Hygraph webhook; never shown back through the API.
    pub hygraph_secret: Option<String>,
}

impl SettingsRecord {
    pub const KEY: &'static str = "settings";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuyerRecord {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorRecord {
    pub id: String,
    pub name: String,
    pub role: String,
}

/// One frozen line of an order: what was sold, at what price, with room for the terms a
/// sale can carry beyond the quote (discounts, finish overrides, shipping promises).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderLineRecord {
    pub id: String,
    pub module_id: String,
    pub module_name: String,
    pub material_id: String,
    pub material_name: String,
    pub quantity: u32,
    pub unit_price: String,
    pub line_total: String,
    pub area_sq_ft: String,
    pub discount: String,
    pub finish_override: Option<String>,
    pub shipping_promise: Option<String>,
}

/// An order. Its commercial terms (lines, subtotal, tax, total, currency, buyer) are frozen
/// at acceptance; only `status`, `version` and `updated_at` ever change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderRecord {
    pub id: String,
    pub quote_id: String,
    pub status: String,
    pub version: u64,
    pub buyer: BuyerRecord,
    pub currency: String,
    pub subtotal: String,
    pub tax: String,
    pub total: String,
    pub line_items: Vec<OrderLineRecord>,
    pub created_by: ActorRecord,
    pub created_at: String,
    pub updated_at: String,
}

/// One entry of an order's audit trail, keyed `"{order_id}/{seq:010}"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderEventRecord {
    pub order_id: String,
    pub seq: u64,
    pub from: String,
    pub to: String,
    pub actor: ActorRecord,
    pub note: Option<String>,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesignRequestRecord {
    pub id: String,
    pub order_id: String,
    pub line_item_id: Option<String>,
    pub description: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesignVersionRecord {
    pub id: String,
    pub request_id: String,
    pub order_id: String,
    pub number: u32,
    pub notes: String,
    pub approved_at: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesignAssetRecord {
    pub id: String,
    pub version_id: String,
    pub kind: String,
    pub filename: String,
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentRecord {
    pub id: String,
    pub order_id: String,
    pub kind: String,
    pub amount: String,
    pub currency: String,
    pub created_at: String,
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
    },
}

/// A production hand-off queued by the order's move to `production_ready` (an outbox).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRecord {
    pub id: String,
    pub kind: String,
    pub order_id: String,
    pub line_item_ids: Vec<String>,
    pub module_ids: Vec<String>,
    pub status: String,
    pub created_at: String,
    pub acked_at: Option<String>,
}

/// The outcome of one accepted Hygraph delivery, keyed by its delivery key (the hex SHA-256
/// of the body). Its presence makes a replay a duplicate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncDeliveryRecord {
    /// `applied`, `recorded`, `ignored`, `pending` or `deferred`.
    pub outcome: String,
    pub received_at: String,
    pub operation: String,
    pub typename: String,
    pub entry_id: String,
    pub reason: Option<String>,
}

/// Where one delivery stands in its entry's history (the core's `Revision`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncRevisionRecord {
    /// RFC 3339; absent only for a delete.
    pub updated_at: Option<String>,
    pub version: Option<u64>,
    pub operation: String,
    pub delivery_key: String,
}

/// The last applied revision of one Hygraph entry, keyed by the entry id. A removal keeps its
/// revision here as a tombstone, so a late publish can never resurrect the entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncEntryRecord {
    pub typename: String,
    pub revision: SyncRevisionRecord,
    /// The local catalog id the revision was applied to, if any.
    pub local_id: Option<String>,
    /// True when the revision took the entry out of the catalog.
    pub removed: bool,
}

/// Module deliveries waiting for a material, keyed by the material's Hygraph entry id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncPendingRecord {
    pub deliveries: Vec<PendingDeliveryRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingDeliveryRecord {
    pub delivery_key: String,
    pub module_entry_id: String,
    /// The verified raw body, parsed again when the material arrives.
    pub body: String,
}

/// One line of the sync log, keyed so that key order is newest first (see `sync_log`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncLogRecord {
    pub seq: u64,
    pub received_at: String,
    /// Absent only when the body was never read.
    pub delivery_key: Option<String>,
    /// A `SyncDeliveryRecord` outcome, or `duplicate` or `rejected`.
    pub outcome: String,
    pub operation: Option<String>,
    pub typename: Option<String>,
    pub entry_id: Option<String>,
    pub reason: Option<String>,
}

/// A device token of the local-network API (SPEC §8), keyed by its id. Only the SHA-256 of
/// the token text is kept: the token itself is shown once, when it is created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceTokenRecord {
    pub id: String,
    pub name: String,
    /// Lowercase hex SHA-256 of the whole token text (`pf_…`).
    pub sha256: String,
    pub created_at: String,
    /// Updated at most about once a minute, so authentication rarely writes.
    pub last_used_at: Option<String>,
    /// Set once by a revocation; a revoked token never authenticates again.
    pub revoked_at: Option<String>,
}
