//! Pairing DTOs (SPEC §13): a short-lived code that a tablet exchanges for a device token.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `POST /api/pairing`: the token the tablet will get.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PairingInput {
    /// The name the device token will carry, e.g. "floor-tablet" (1 to 64 characters).
    pub name: String,
    /// `admin`, `sales` or `production` (default `admin`).
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "production")]
    pub role: Option<String>,
}

/// A pairing code: single use, valid until `expires_at`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Pairing {
    /// 8 characters (Crockford base32), typed or carried by `url`.
    pub code: String,
    /// The claim page on an address the tablet can reach (shown as a QR code).
    pub url: String,
    /// Every address this machine serves on, for a tablet that cannot reach `url`.
    pub urls: Vec<String>,
    /// Whether `url` is on the local network. False when every server listens only on
    /// loopback (`127.0.0.1`): no tablet can open the link, and the screen says how to put
    /// the server on the local network instead of showing a QR code.
    pub reachable_from_network: bool,
    pub name: String,
    pub role: String,
    pub expires_at: String,
}

/// `POST /api/pairing/claim`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PairingClaim {
    pub code: String,
}
