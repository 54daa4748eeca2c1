//! Hygraph sync DTOs (SPEC §7): the answer to an accepted delivery and the lines of the
//! delivery log. The webhook body itself is not a DTO: it is verified and parsed from raw
//! bytes by the core (`paform_core::webhook`).

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// What became of a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SyncOutcome {
    /// The catalog now reflects the delivery.
    Applied,
    /// The same body was received before; nothing changed.
    Duplicate,
    /// A draft change (create/update): kept in the log, not applied.
    Recorded,
    /// Not applied: an unsynced model, or older than what the catalog holds.
    Ignored,
    /// A module whose material has not arrived yet; applied when it does.
    Pending,
    /// A material removal kept back because modules still use the material; the material
    /// leaves the catalog when its last synced module does.
    Deferred,
    /// Refused (bad signature, stale, malformed, invalid); only ever in the log.
    Rejected,
}

/// The 200 answer to an accepted delivery.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SyncReceipt {
    pub status: SyncOutcome,
    /// The hex SHA-256 of the body: the delivery's idempotency key.
    pub delivery_key: String,
    pub operation: String,
    pub typename: String,
    pub entry_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Entry ids of pending modules applied together with this material.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub released: Vec<String>,
}

/// One line of the delivery log.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SyncDelivery {
    /// RFC 3339 UTC.
    pub received_at: String,
    pub outcome: SyncOutcome,
    /// Absent when the body was never read.
    pub delivery_key: Option<String>,
    pub operation: Option<String>,
    pub typename: Option<String>,
    pub entry_id: Option<String>,
    pub reason: Option<String>,
}

/// `?limit=&offset=` of the delivery log.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SyncDeliveriesQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// Items to skip (default 0).
    pub offset: Option<i64>,
}
