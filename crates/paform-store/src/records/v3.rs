//! Schema version 3 records (`migrations-doc/0003-showroom-floor-and-shop.md`): the business
//! behind the documents, label and offcut settings, backup settings, quotes that remember their
//! customer and saved design, orders linked to a customer, and device tokens with a role.
//! Types whose shape did not change are those of version 2, re-exported.

use serde::{Deserialize, Serialize};

pub use super::v2::{
    ActorRecord, BuyerRecord, DesignAssetRecord, DesignRequestRecord, DesignVersionRecord,
    DiscountRecord, FinishOverrideRecord, FrozenPanelRecord, FrozenProductionRecord, JobRecord,
    LedgerEntryKind, LedgerEntryRecord, MaterialRecord, ModuleRecord, OrderEventRecord,
    OrderLineRecord, PaymentRecord, PendingDeliveryRecord, QuoteLineRecord, SyncDeliveryRecord,
    SyncEntryRecord, SyncLogRecord, SyncPendingRecord, SyncRevisionRecord, TotalsRecord,
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
    /// Printed at the head of quote and order documents.
    pub business: BusinessRecord,
    /// `a4_3x8` or `roll_62mm`.
    pub label_format: String,
    /// A remnant smaller than this in either direction is waste, not an offcut.
    pub offcut_min_width_mm: u32,
    pub offcut_min_height_mm: u32,
    /// Where automatic backups go; `None` is `<data dir>/backups`.
    pub backup_folder: Option<String>,
    /// 0 turns automatic backups off.
    pub backup_interval_hours: u32,
    /// How many automatic backups are kept.
    pub backup_keep: u32,
}

impl SettingsRecord {
    pub const KEY: &'static str = "settings";
    pub const DEFAULT_ORDER_NUMBER_PREFIX: &'static str = "PF-";
    pub const DEFAULT_LABEL_FORMAT: &'static str = "a4_3x8";
    pub const DEFAULT_OFFCUT_MIN_MM: u32 = 300;
    pub const DEFAULT_BACKUP_INTERVAL_HOURS: u32 = 24;
    pub const DEFAULT_BACKUP_KEEP: u32 = 14;
}

/// The business named on documents. Empty strings are left off the page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BusinessRecord {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
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
    pub customer_id: Option<String>,
    /// The saved design priced into this quote, and which of its versions.
    pub design_id: Option<String>,
    pub design_version: Option<u64>,
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
    /// The customer the buyer was taken from, if any.
    pub customer_id: Option<String>,
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

/// A device token (SPEC §8, §13); the token's secret is never stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceTokenRecord {
    pub id: String,
    pub name: String,
    /// Lowercase hex SHA-256 of the whole token text (`pf_…`).
    pub sha256: String,
    /// `admin`, `sales` or `production`.
    pub role: String,
    pub created_at: String,
    /// Updated at most about once a minute, so authentication rarely writes.
    pub last_used_at: Option<String>,
    /// Set once by a revocation; a revoked token never authenticates again.
    pub revoked_at: Option<String>,
}

impl DeviceTokenRecord {
    /// The role of tokens issued before roles existed.
    pub const UPGRADED_ROLE: &'static str = "admin";
}
