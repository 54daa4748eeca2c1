//! Quote DTOs (SPEC §4).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
