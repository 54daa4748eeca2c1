//! Settings DTOs.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Settings {
    /// Default currency of new quotes (ISO 4217).
    pub currency: String,
    /// Default tax rate of new quotes (decimal string from 0 to 1).
    pub tax_rate: String,
    /// How many days a quote can be accepted after it was made.
    pub quote_validity_days: u32,
}
