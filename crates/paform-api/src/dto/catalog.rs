//! Catalog DTOs (SPEC §3).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Material {
    pub id: String,
    pub name: String,
    pub texture_url: Option<String>,
    /// Decimal string, up to 6 fractional digits.
    #[schema(example = "4.25")]
    pub cost_per_sq_ft: String,
    pub thickness_mm: Option<f64>,
    pub external_ids: BTreeMap<String, String>,
    pub created_at: String,
    pub updated_at: String,
}

/// The body of `POST /api/materials` and `PUT /api/materials/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MaterialInput {
    pub name: String,
    #[serde(default)]
    pub texture_url: Option<String>,
    #[schema(example = "4.25")]
    pub cost_per_sq_ft: String,
    #[serde(default)]
    pub thickness_mm: Option<f64>,
    #[serde(default)]
    pub external_ids: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
/// Millimetres, finite, from 1 to 20 000.
pub struct Dimensions {
    #[schema(minimum = 1, maximum = 20000)]
    pub width: f64,
    #[schema(minimum = 1, maximum = 20000)]
    pub height: f64,
    #[schema(minimum = 1, maximum = 20000)]
    pub depth: f64,
}

/// A point where a module meets its neighbour (GLB_ASSET_STANDARD.md §8), in millimetres from
/// the module's origin (its bottom-left-back corner).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ConnectionPoint {
    #[schema(min_length = 1, max_length = 64)]
    pub id: String,
    pub side: ConnectionSide,
    /// `[x, y, z]` in millimetres.
    #[schema(min_items = 3, max_items = 3)]
    pub offset_mm: Vec<f64>,
}

/// The side of a module a connection point faces (the GLB node `connect:<side>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ConnectionSide {
    Left,
    Right,
    Top,
    Bottom,
    Front,
    Back,
}

/// The counts a module's `assembly_attributes` may carry (other keys are free-form).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct AssemblyCounts {
    #[schema(minimum = 0, maximum = 50)]
    pub doors: Option<u32>,
    #[schema(minimum = 0, maximum = 50)]
    pub drawers: Option<u32>,
    #[schema(minimum = 0, maximum = 50)]
    pub shelves: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Module {
    pub id: String,
    pub name: String,
    pub dimensions: Dimensions,
    #[schema(example = "120.00")]
    pub base_price: String,
    pub material_id: String,
    #[schema(value_type = Object)]
    pub assembly_attributes: Value,
    #[schema(value_type = Object)]
    pub placement_constraints: Value,
    /// Stored points that do not have this shape (written before it was checked) are left out.
    pub connection_points: Vec<ConnectionPoint>,
    pub external_ids: BTreeMap<String, String>,
    pub created_at: String,
    pub updated_at: String,
}

/// The body of `POST /api/modules` and `PUT /api/modules/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ModuleInput {
    pub name: String,
    pub dimensions: Dimensions,
    #[schema(example = "120.00")]
    pub base_price: String,
    pub material_id: String,
    /// Free-form, except `doors`, `drawers` and `shelves`: whole numbers from 0 to 50.
    #[serde(default = "empty_object")]
    #[schema(value_type = AssemblyCounts)]
    pub assembly_attributes: Value,
    #[serde(default = "empty_object")]
    #[schema(value_type = Object)]
    pub placement_constraints: Value,
    /// Checked item by item; a problem names its item (`connection_points[1].side`).
    #[serde(default = "empty_array")]
    #[schema(value_type = Vec<ConnectionPoint>, max_items = 32)]
    pub connection_points: Value,
    #[serde(default)]
    pub external_ids: BTreeMap<String, String>,
}

fn empty_object() -> Value {
    Value::Object(Default::default())
}

fn empty_array() -> Value {
    Value::Array(Vec::new())
}
