//! CNC DTOs (SPEC §6): the nesting request and result of `POST /api/v1/cnc/nest` and
//! `paform nest`, the panel list, and the export request, result and progress steps.
//!
//! The nesting shapes are the SPEC's format exactly (plus the optional `trim`,
//! `time_limit_ms` and `seed`); every length is in millimetres.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The body of `POST /api/v1/cnc/nest` and the file `paform nest` reads. Give the stock as
/// one `sheet` (unlimited boards of one size) or as `sheets` (several sizes, SPEC §12), not
/// both.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NestRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<NestSheet>,
    /// Stock sizes to choose from; the nester picks the mix with the lowest total cost
    /// (area when no cost is given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheets: Option<Vec<NestStock>>,
    /// Minimum gap between two parts (the saw blade), default 4.
    #[serde(default = "default_kerf")]
    #[schema(default = 4.0)]
    pub kerf: f64,
    /// Whether parts without grain may be turned by 90°, default true.
    #[serde(default = "default_true")]
    #[schema(default = true)]
    pub allow_rotation: bool,
    #[serde(default)]
    pub mode: NestMode,
    pub parts: Vec<NestPart>,
    /// Margin kept free along every sheet edge, default 0.
    #[serde(default)]
    #[schema(default = 0.0)]
    pub trim: f64,
    /// How long the search may run, default 2000, at most 60000.
    #[serde(default)]
    #[schema(default = 2000, maximum = 60000)]
    pub time_limit_ms: Option<u64>,
    /// Seed of the search, default 0: the same request and seed give the same layout.
    #[serde(default)]
    pub seed: Option<u64>,
}

fn default_kerf() -> f64 {
    4.0
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NestSheet {
    #[schema(example = 2440.0)]
    pub width: f64,
    #[schema(example = 1220.0)]
    pub height: f64,
}

/// One stock size: `cost` is a money string per board (give it for every size or none),
/// `quantity` how many boards exist (unlimited when absent).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NestStock {
    #[schema(example = 2800.0)]
    pub width: f64,
    #[schema(example = 2070.0)]
    pub height: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "54.90")]
    pub cost: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
}

/// The offcut a sheet was cut from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NestOffcut {
    pub id: String,
    pub code: String,
}

/// `guillotine`: every cut runs edge to edge (panel saws; the default); `free`: any
/// non-overlapping layout (CNC routers).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NestMode {
    #[default]
    Guillotine,
    Free,
}

/// `length`: the grain runs along the part's width as given, so it is never rotated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartGrain {
    #[default]
    None,
    Length,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NestPart {
    #[schema(example = "p1")]
    pub id: String,
    pub width: f64,
    pub height: f64,
    /// How many of this part to cut, default 1.
    #[serde(default = "default_quantity")]
    #[schema(default = 1)]
    pub quantity: i64,
    #[serde(default)]
    pub grain: PartGrain,
}

fn default_quantity() -> i64 {
    1
}

/// Offcuts first, then sheets from fullest to emptiest; `utilization` is part area ÷ the
/// area of all the boards used; in guillotine mode `cut_length` is the total length of the
/// saw cuts in mm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NestResult {
    pub sheets: Vec<NestedSheet>,
    #[schema(example = 0.87)]
    pub utilization: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cut_length: Option<f64>,
}

/// One board of the layout: its size (`stock`) and, when it is a remnant, the `offcut`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NestedSheet {
    pub stock: NestSheet,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offcut: Option<NestOffcut>,
    pub placements: Vec<NestPlacement>,
    pub utilization: f64,
    /// Guillotine mode only: the saw cuts in the order a panel saw makes them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cuts: Option<Vec<NestCut>>,
    /// Guillotine mode only: the total length of this sheet's cuts in mm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cut_length: Option<f64>,
}

/// One edge-to-edge saw cut across the piece it divides: a `horizontal` cut runs along x at
/// y = `position` from x = `from` to x = `to` (a `vertical` one along y at x = `position`);
/// the blade's kerf takes the band from `position` to `position + kerf`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NestCut {
    pub direction: CutDirection,
    pub position: f64,
    pub from: f64,
    pub to: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CutDirection {
    Horizontal,
    Vertical,
}

/// One placed part: `x`, `y` is its lower-left corner from the sheet's lower-left corner;
/// `width` and `height` are as placed (swapped when `rotated`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NestPlacement {
    pub id: String,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub rotated: bool,
}

/// One line of production: a module, in a material, so many times.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CncItem {
    pub module_id: String,
    /// Overrides the module's own material.
    #[serde(default)]
    pub material_id: Option<String>,
    pub quantity: i64,
}

/// The body of `POST /api/v1/cnc/panels`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CncPanelsRequest {
    pub items: Vec<CncItem>,
}

/// The panels to cut, grouped by material (sorted by material name, then id).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CncPanelList {
    pub materials: Vec<MaterialPanels>,
    /// Number of pieces to cut (the sum of the panels' quantities).
    pub total_panels: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MaterialPanels {
    pub material_id: String,
    pub material_name: String,
    pub thickness_mm: Option<f64>,
    pub panels: Vec<CncPanel>,
}

/// One panel of a module, `quantity` times (per module × modules ordered).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CncPanel {
    /// `order/line item/module/panel`, e.g. `adhoc/item-1/<module id>/side`.
    pub label: String,
    pub line_item_id: String,
    pub module_id: String,
    pub module_name: String,
    /// The panel's name within its module (`side`, `top-bottom`, `back`, `shelf`, …).
    pub name: String,
    /// Along the grain, in mm.
    pub length: f64,
    pub width: f64,
    pub thickness: Option<f64>,
    pub grain: PartGrain,
    /// Empty when the panel has none.
    pub edge_banding: String,
    pub quantity: u32,
}

/// The body of `POST /api/v1/exports/cnc`: an order, or items (exactly one of the two).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct CncExportRequest {
    #[serde(default)]
    pub order_id: Option<String>,
    #[serde(default)]
    pub items: Option<Vec<CncItem>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArtifactKind {
    CutListCsv,
    /// The saw cuts of every guillotine sheet in order (SPEC §12).
    SawSequenceCsv,
    NestingSvg,
    NestingDxf,
    /// One label per physical part, with its QR code (SPEC §12).
    LabelsPdf,
}

/// One stored file. `bucket` is `local` without S3, and `url` an expiring download link
/// (an app path without S3, a presigned S3 URL with it; both valid 24 h).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ExportArtifact {
    pub kind: ArtifactKind,
    pub bucket: String,
    pub key: String,
    pub url: String,
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
    /// The material whose sheets a nesting drawing shows; absent for the cut list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub material_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ExportSummary {
    /// Pieces to cut.
    pub panels: u32,
    /// Stock sheets over all materials.
    pub sheets: u32,
    /// Panel area ÷ sheet area over all sheets.
    pub utilization: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CncExport {
    pub export_id: String,
    pub artifacts: Vec<ExportArtifact>,
    pub summary: ExportSummary,
    /// Each material's sheets as nested (what `POST /api/v1/exports/{id}/cut` confirms).
    pub layouts: Vec<super::MaterialLayout>,
}

/// The steps an export reports while it runs (the desktop shell shows them as events).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum ExportProgress {
    /// The modules became `panels` pieces in `materials` materials.
    Panelize {
        panels: u32,
        materials: u32,
    },
    /// Nesting of material `index` (from 1) of `total` starts.
    Nest {
        material_id: String,
        material_name: String,
        index: u32,
        total: u32,
    },
    /// The cut list and drawings are rendered.
    Render {
        artifacts: u32,
    },
    /// Artifact `index` (from 1) of `total` is being stored.
    Upload {
        key: String,
        index: u32,
        total: u32,
    },
    Done {
        sheets: u32,
    },
}

/// The query of a local download link; both parts are checked by the app.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportLinkQuery {
    /// Unix time (seconds) after which the link is refused.
    pub expires: Option<String>,
    /// Hex HMAC-SHA256 of the path and `expires`.
    pub sig: Option<String>,
}
