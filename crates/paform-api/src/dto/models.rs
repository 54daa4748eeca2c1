//! Module 3D model DTOs (SPEC §11, GLB pipeline).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Dimensions;

/// One rule of `GLB_ASSET_STANDARD.md` a file breaks.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ModelViolation {
    /// The standard's code, e.g. `bounding-box`, `node-name`, `units`.
    pub code: String,
    pub message: String,
}

/// The answer to `PUT /api/modules/{id}/model`: the stored model and what the check measured.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ModelReport {
    pub module_id: String,
    /// Where the model is served; also written to the module's `assembly_attributes.glb_url`.
    #[schema(example = "/api/modules/0190c2a1/model?v=5f1d3c0a9b2e")]
    pub glb_url: String,
    pub size_bytes: u64,
    pub sha256: String,
    /// True when the geometry is Draco-compressed.
    pub draco: bool,
    /// Level 0's bounding box in millimetres.
    pub bounding_box_mm: Option<Dimensions>,
    /// Triangles per level of detail.
    pub triangles: Vec<u64>,
    /// Always empty in a 201: a file that breaks a rule is answered 422 with every violation.
    pub violations: Vec<ModelViolation>,
}
