//! Quote DTOs (SPEC §4).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::PricingMode;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QuoteRequest {
    pub items: Vec<QuoteItemRequest>,
    /// ISO 4217 code; defaults to the settings' currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// Decimal string from 0 to 1; defaults to the settings' tax rate.
    #[serde(default)]
    #[schema(example = "0.13")]
    pub tax_rate: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QuoteItemRequest {
    pub module_id: String,
    pub quantity: i64,
    /// Overrides the module's own material.
    #[serde(default)]
    pub material_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Quote {
    pub id: String,
    /// The number people read and say (`Q-000123`: the settings' `quote_number_prefix`, a
    /// dash and six digits), unique per installation. Absent on quotes made before quote
    /// numbers existed; the id stays the API's key.
    #[schema(example = "Q-000123")]
    pub number: Option<String>,
    pub currency: String,
    pub tax_rate: String,
    pub lines: Vec<QuoteLine>,
    #[schema(example = "1234.50")]
    pub subtotal: String,
    pub tax: String,
    pub total: String,
    pub created_at: String,
    pub expires_at: String,
    /// The customer the quote was priced for.
    pub customer_id: Option<String>,
    /// The saved design this quote prices, and which of its versions.
    pub design_id: Option<String>,
    pub design_version: Option<u64>,
    /// Per material, the boards the quote's panels take on that material's stock (the real
    /// nest) and, for materials priced `by_sheet`, every part of their charge. Empty on
    /// quotes made before boards were counted.
    #[serde(default)]
    pub boards: Vec<MaterialBoards>,
    /// In a chain, the HQ catalog version the quote was priced on (SPEC §15); absent on a
    /// site outside a chain and on quotes made before.
    #[serde(default)]
    pub catalog_version: Option<u64>,
}

/// What a newer catalog from HQ makes of an open quote (SPEC §15 "Catalog changed"): the
/// quote keeps its price; the same items cost `total` now, and a reprice makes a new quote.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CatalogChange {
    /// The catalog version the quote was priced on.
    pub priced_on: u64,
    /// The catalog version the site holds now.
    pub current: u64,
    /// The quote's own total, honoured when it is accepted within its validity.
    pub quoted_total: String,
    /// What the same items cost on the current catalog; absent when one of them no longer
    /// can be priced (`unavailable` says why).
    pub total: Option<String>,
    pub unavailable: Option<String>,
}

/// One material's boards in a quote (SPEC §17).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MaterialBoards {
    pub material_id: String,
    pub material_name: String,
    pub pricing: PricingMode,
    /// The boards used: new sheets by size, and each offcut from stock.
    pub boards: Vec<BoardCount>,
    /// Panel area ÷ area of the boards used, 0 to 1.
    #[schema(example = 0.78)]
    pub yield_ratio: f64,
    /// Total length of the saw cuts, metres (decimal string).
    #[schema(example = "24.618")]
    pub cut_length_m: String,
    /// Total length of edge banding, metres (decimal string).
    #[schema(example = "11.52")]
    pub edge_banding_m: String,
    /// Every part of the charge, for materials priced `by_sheet`; the lines of this material
    /// carry it, shared in proportion to their board area.
    pub charges: Option<BoardCharges>,
    /// Why the panels could not be nested on this material's stock (a `by_area` material
    /// is still quoted by area).
    pub unavailable: Option<String>,
}

/// `count` boards of one size, or one offcut from stock (`offcut_code`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BoardCount {
    #[schema(example = 2800.0)]
    pub width: f64,
    #[schema(example = 2070.0)]
    pub height: f64,
    pub count: u32,
    /// The price of one such board, when the stock gives one.
    pub unit_cost: Option<String>,
    #[schema(example = "OC-000007")]
    pub offcut_code: Option<String>,
}

/// A `by_sheet` material's charge: sheets at their cost, offcuts from stock at their area,
/// saw cuts and edge banding at the material's rates; `total` is their sum (money strings).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BoardCharges {
    pub sheets: String,
    pub offcuts: String,
    pub saw_cuts: String,
    pub edge_banding: String,
    pub total: String,
    pub saw_cut_per_m: String,
    pub edge_banding_per_m: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QuoteLine {
    pub module_id: String,
    pub module_name: String,
    pub material_id: String,
    pub material_name: String,
    pub quantity: u32,
    /// Board area of one module in square feet (decimal string, 6 digits at most).
    pub area_sq_ft: String,
    pub unit_price: String,
    pub line_total: String,
}
