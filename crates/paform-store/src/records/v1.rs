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
}

impl SettingsRecord {
    pub const KEY: &'static str = "settings";
}
