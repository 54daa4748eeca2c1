//! Device token DTOs (SPEC §8). A token's secret appears in exactly one shape,
//! `CreatedDeviceToken`, answered once by its creation; every other shape carries no secret.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// `POST /api/tokens`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DeviceTokenInput {
    /// Who or what holds the token, e.g. "showroom-tablet" (1 to 64 characters).
    pub name: String,
    /// What the token may do: `admin` (everything, the default), `sales` (catalog read,
    /// customers, designs, quotes, orders, payments) or `production` (read orders, CNC,
    /// offcuts, scans, jobs).
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "sales")]
    pub role: Option<String>,
}

/// A device token as listed: never its secret.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DeviceToken {
    pub id: String,
    pub name: String,
    /// `admin`, `sales` or `production`.
    pub role: String,
    pub created_at: String,
    /// When the token last authenticated a request (to about a minute).
    pub last_used_at: Option<String>,
    /// When the token was revoked; a revoked token authenticates nothing.
    pub revoked_at: Option<String>,
}

/// The answer to a token's creation: the only time its secret is shown.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreatedDeviceToken {
    pub id: String,
    pub name: String,
    pub role: String,
    pub created_at: String,
    /// The bearer token (`pf_` and 43 base64url characters). Only its hash is stored.
    pub token: String,
}

/// `GET /api/tokens?include_revoked=`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeviceTokenQuery {
    /// Also list revoked tokens (default false).
    #[serde(default)]
    pub include_revoked: bool,
}
