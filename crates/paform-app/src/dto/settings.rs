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
    /// Prefix of new order numbers (`PF-` gives `PF-000001`): 1 to 10 of A–Z, 0–9 and `-`.
    /// Absent keeps the stored prefix.
    #[serde(default)]
    #[schema(example = "PF-")]
    pub order_number_prefix: Option<String>,
    /// The shared secret of the Hygraph webhook (write-only). Absent keeps the stored secret,
    /// `""` clears it. Env `PAFORM_HYGRAPH_SECRET`, when set, takes precedence. Answers
    /// never carry it: `get_settings` always leaves it `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(write_only)]
    pub hygraph_secret: Option<String>,
    /// Whether the settings hold a Hygraph webhook secret (the secret itself is never shown).
    #[serde(default)]
    #[schema(read_only)]
    pub hygraph_secret_set: bool,
}
