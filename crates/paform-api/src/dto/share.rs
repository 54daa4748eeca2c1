//! Share DTOs (SPEC §17, "the customer's phone"): a read-only link to one design or quote,
//! and what the phone page reads through it. The shared view carries only what the 3D scene
//! and the customer need: no costs, base prices or external ids of the catalog.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::dto::{ConnectionPoint, Dimensions};

/// `POST /api/designs/{id}/share` and `POST /api/quotes/{id}/share`: a signed link that
/// opens one design (or quote) read-only until `expires_at` (24 hours).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Share {
    /// Opaque; it carries its scope and expiry and is signed with this install's key.
    pub token: String,
    /// The phone page with the token, on this server: `/share/?token=…`.
    #[schema(example = "/share/?token=d.0190c3a1-7a2b-7c3d-8e4f-0123456789ab.1765200000.9f…")]
    pub url_path: String,
    /// `url_path` on an address a phone can reach, when a server listens on one (shown as a
    /// QR code); absent when no server runs (the desktop app with its local network off).
    pub url: Option<String>,
    /// `url_path` on every address this machine serves on, reachable ones first.
    pub urls: Vec<String>,
    /// Whether `url` is on the local network; false when every server listens only on
    /// loopback, where no phone can open it.
    pub reachable_from_network: bool,
    /// `design` or `quote`.
    #[schema(example = "design")]
    pub scope: String,
    /// The design's or quote's id.
    pub id: String,
    pub expires_at: String,
}

/// `GET /api/share/{token}`: one design or quote as the phone page draws it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SharedView {
    /// `design` or `quote`.
    #[schema(example = "design")]
    pub scope: String,
    /// The design's name, or the quote's number (its id's end when it has none).
    pub name: String,
    /// Placed modules in design order (left to right in the room); an item whose module
    /// has left the catalog is left out.
    pub items: Vec<SharedItem>,
    /// Every module the items name, once.
    pub modules: Vec<SharedModule>,
    /// Every material the items are made of, once.
    pub materials: Vec<SharedMaterial>,
    /// For a quote: its lines and totals.
    pub quote: Option<SharedQuote>,
    /// When the link stops working.
    pub expires_at: String,
    /// The GLB the sales screen made of this design when it shared it, for AR viewers that
    /// fetch a URL themselves (Android's Scene Viewer); absent when none was uploaded.
    pub model_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SharedItem {
    pub module_id: String,
    /// The item's material, or its module's own when the item names none.
    pub material_id: String,
    pub quantity: i64,
}

/// What the 3D scene needs of a module.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SharedModule {
    pub id: String,
    pub name: String,
    pub dimensions: Dimensions,
    /// Doors, drawers, shelves, worktop and `glb_url`, as the catalog has them.
    #[schema(value_type = Object)]
    pub assembly_attributes: serde_json::Value,
    #[schema(value_type = Object)]
    pub placement_constraints: serde_json::Value,
    pub connection_points: Vec<ConnectionPoint>,
}

/// What the 3D scene needs of a material.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SharedMaterial {
    pub id: String,
    pub name: String,
    pub texture_url: Option<String>,
    pub thickness_mm: Option<f64>,
}

/// A quote as its customer reads it. Money is a decimal string with two digits.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SharedQuote {
    pub number: Option<String>,
    pub currency: String,
    pub lines: Vec<SharedQuoteLine>,
    #[schema(example = "1234.50")]
    pub subtotal: String,
    pub tax: String,
    pub total: String,
    pub expires_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SharedQuoteLine {
    pub module_name: String,
    pub material_name: String,
    pub quantity: u32,
    pub unit_price: String,
    pub line_total: String,
}
