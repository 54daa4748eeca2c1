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
    /// Prefix of new quote numbers (`Q` gives `Q-000001`): 1 to 10 of A–Z, 0–9 and `-`.
    /// Absent keeps the stored prefix.
    #[serde(default)]
    #[schema(example = "Q")]
    pub quote_number_prefix: Option<String>,
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
    /// The business printed on quote and order documents. Absent keeps the stored one.
    #[serde(default)]
    pub business: Option<Business>,
    /// The labels PDF's format. Absent keeps the stored one.
    #[serde(default)]
    #[schema(value_type = Option<super::names::LabelFormat>)]
    pub label_format: Option<String>,
    /// A remnant at least this wide and this high (mm, 1–5000) is kept as an offcut when an
    /// export is confirmed as cut. Absent keeps the stored value (default 300 × 300).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 5000)]
    pub offcut_min_width_mm: Option<u32>,
    #[serde(default)]
    #[schema(minimum = 1, maximum = 5000)]
    pub offcut_min_height_mm: Option<u32>,
    /// Folder of automatic backups; `""` means `<data dir>/backups`. Absent keeps the stored one.
    #[serde(default)]
    pub backup_folder: Option<String>,
    /// Hours between automatic backups (0 turns them off, at most 8760). Absent keeps it.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 8760)]
    pub backup_interval_hours: Option<u32>,
    /// How many automatic backups are kept (1–1000). Absent keeps it.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 1000)]
    pub backup_keep: Option<u32>,
}

/// The business named on documents; empty fields are left off the page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Business {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
}
