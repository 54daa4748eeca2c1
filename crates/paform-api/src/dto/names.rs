//! The closed sets of wire names, as string enums of the OpenAPI document. Fields that carry
//! them stay `String` in Rust (the core's enums parse and print them, in one place) and name
//! these types as their schema, so clients see every allowed value.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Draft,
    PendingPayment,
    DesignReview,
    ProductionReady,
    Fulfilled,
    Cancelled,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentKind {
    Deposit,
    Balance,
    ChangeOrder,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    Pending,
    Authorized,
    PartiallyCaptured,
    Captured,
    PartiallyRefunded,
    Refunded,
    Voided,
    Failed,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransactionType {
    Authorization,
    Capture,
    Void,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransactionStatus {
    Succeeded,
    Failed,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdjustmentType {
    Refund,
    Chargeback,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssetKind {
    Glb,
    Dxf,
    Pdf,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    Manufacturing,
    Logistics,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Pending,
    Done,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderChangeStatus {
    Requested,
    Confirmed,
    Declined,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderEventKind {
    /// The first link of every chain: the whole frozen contract (`data.order`); written by
    /// the schema 4 upgrade after an older order's history with `data.upgraded: true`.
    OrderCreated,
    StatusChanged,
    ChangeConfirmed,
    ChangeDeclined,
    PaymentCreated,
    TransactionRecorded,
    AdjustmentRecorded,
    DesignApproved,
    /// Every part of the order passed `assemble` (SPEC §12).
    ProductionComplete,
    /// A part passed a station (`data.part_code`, `data.station`) (SPEC §12, §15).
    PartScanned,
    /// An admin moved the order to `production_ready` over the three-way check's mismatches
    /// (`note`, `data.mismatches`), just before that `status_changed` (SPEC §17).
    ProductionCheckOverridden,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LabelFormat {
    /// A4 sheets of 3 × 8 labels.
    #[serde(rename = "a4_3x8")]
    A4_3x8,
    /// A 62 mm continuous roll, one label per part.
    #[serde(rename = "roll_62mm")]
    Roll62mm,
}
