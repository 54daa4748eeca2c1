//! Records of the shop floor (SPEC §12): each material's stock, the layout of every CNC
//! export (so confirming it as cut reads what was exported), offcuts, and the stations each
//! part of an order has passed. New tables of schema 2, so they need no migration; like
//! every record here they never change shape once released.

use serde::{Deserialize, Serialize};

/// A material's stock, under the material's id. Lengths are millimetres as canonical
/// decimal strings; `cost` a money string.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StockRecord {
    pub sheets: Vec<StockSheetRecord>,
    pub kerf_mm: String,
    pub trim_mm: String,
    /// `length` (the board's grain runs along its width) or `none`.
    pub grain_direction: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StockSheetRecord {
    pub width_mm: String,
    pub height_mm: String,
    pub cost: Option<String>,
}

/// What an export nested, under the export id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportRecord {
    pub id: String,
    /// An order id, or `adhoc`.
    pub order_id: String,
    pub created_at: String,
    pub layouts: Vec<ExportLayoutRecord>,
    /// When the layout was confirmed as cut.
    pub cut_at: Option<String>,
    /// The offcuts the cut left.
    pub offcut_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportLayoutRecord {
    pub material_id: String,
    pub kerf_mm: String,
    pub trim_mm: String,
    pub sheets: Vec<ExportSheetRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportSheetRecord {
    pub width_mm: String,
    pub height_mm: String,
    /// The offcut this sheet is, when it is one.
    pub offcut_id: Option<String>,
    pub placements: Vec<PlacedRecord>,
}

/// A part as placed: lower-left corner and size as placed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlacedRecord {
    pub id: String,
    pub x_mm: String,
    pub y_mm: String,
    pub width_mm: String,
    pub height_mm: String,
}

/// A remnant kept for later jobs, under its id; `code` is what is written on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OffcutRecord {
    pub id: String,
    pub code: String,
    pub material_id: String,
    pub width_mm: String,
    pub height_mm: String,
    pub from_export: String,
    pub created_at: String,
}

/// The stations one part code has passed, under `{order id}/{part code}`. A part code names
/// one physical part (a copy code such as `PF-000042-03-B2`, or a panel cut once); a record
/// under the bare code of a panel cut several times predates copy codes, and the app counts it
/// for every copy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartScansRecord {
    pub order_id: String,
    pub part_code: String,
    pub stations: Vec<StationScanRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationScanRecord {
    /// `cut`, `edge`, `drill` or `assemble`.
    pub station: String,
    pub actor: String,
    pub at: String,
}

/// Who recorded one station of one part (SPEC §17): the operator named with the scan and
/// the paired device whose token sent it, under `"{order id}/{part code}/{station}"` in
/// `part_scan_actors`. A table of its own because `StationScanRecord` keeps its released
/// shape; scans recorded before it have no entry and are known by their actor's name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanActorsRecord {
    pub operator: Option<super::v3::ActorRecord>,
    pub device: Option<super::v3::ActorRecord>,
}

/// How a material is priced (SPEC §17), under the material's id in `material_pricing`: a
/// table of its own because `StockRecord` keeps its released shape. A material without an
/// entry is priced `by_area`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaterialPricingRecord {
    /// `by_area` or `by_sheet`.
    pub mode: String,
    /// Rate strings, per metre.
    pub saw_cut_per_m: String,
    pub edge_banding_per_m: String,
}

/// The boards a quote's panels take, per material (SPEC §17), under the quote's id in
/// `quote_boards`, written with the quote. Quotes made before it have no entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteBoardsRecord {
    pub materials: Vec<MaterialBoardsRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaterialBoardsRecord {
    pub material_id: String,
    pub material_name: String,
    /// `by_area` or `by_sheet`, as the material was priced.
    pub pricing: String,
    pub boards: Vec<BoardCountRecord>,
    /// Panel area ÷ board area used, a decimal string (`0.7812`).
    pub yield_ratio: String,
    /// Metres, decimal strings.
    pub cut_length_m: String,
    pub edge_banding_m: String,
    /// Only for `by_sheet`: every part of the charge.
    pub charges: Option<BoardChargesRecord>,
    /// Why the panels could not be nested on the material's stock (`by_area` only; a
    /// `by_sheet` material that cannot be nested cannot be quoted).
    pub unavailable: Option<String>,
}

/// `count` boards of one size (or one offcut, named by its code).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardCountRecord {
    pub width_mm: String,
    pub height_mm: String,
    pub count: u32,
    pub unit_cost: Option<String>,
    pub offcut_code: Option<String>,
}

/// Money strings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardChargesRecord {
    pub sheets: String,
    pub offcuts: String,
    pub saw_cuts: String,
    pub edge_banding: String,
    pub total: String,
    pub saw_cut_per_m: String,
    pub edge_banding_per_m: String,
}
