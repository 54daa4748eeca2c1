//! Showroom DTOs (SPEC §11): customers and the designs the configurator saves.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CustomerInput {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Customer {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// What a customer page shows besides the customer: their quotes and orders, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CustomerHistory {
    pub quotes: Vec<crate::dto::Quote>,
    pub orders: Vec<crate::dto::Order>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DesignItem {
    pub module_id: String,
    #[serde(default)]
    pub material_id: Option<String>,
    pub quantity: i64,
    /// Free-form options the configurator keeps with the item (kept as given).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub options: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DesignInput {
    pub name: String,
    #[serde(default)]
    pub customer_id: Option<String>,
    pub items: Vec<DesignItem>,
    /// Required by `PUT`: the version the client last read (optimistic concurrency).
    #[serde(default)]
    pub expected_version: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Design {
    pub id: String,
    pub version: u64,
    pub name: String,
    pub customer_id: Option<String>,
    /// In the order they were placed.
    pub items: Vec<DesignItem>,
    /// Whether a snapshot picture is stored (`GET /api/designs/{id}/snapshot`).
    pub has_snapshot: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// One stored version, without its items (`GET /api/designs/{id}?version=N` has them).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DesignVersionSummary {
    pub version: u64,
    pub name: String,
    pub n_items: usize,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DesignListQuery {
    pub customer_id: Option<String>,
    /// Case-insensitive substring of the name.
    pub q: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DesignVersionQuery {
    /// A stored version; the current one when absent.
    pub version: Option<u64>,
}
