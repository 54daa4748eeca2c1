//! Stored catalog records read back as the core's values, and the one function that freezes
//! what production needs of a module in a material (`freeze_production`). Acceptance, order
//! changes and the schema upgrade all freeze through it, so a frozen line always holds the
//! panels the quote was priced from.
//!
//! A stored value that does not parse is `StoreError::Corrupt`, never a default.

use paform_core::catalog::{Dimensions, MaterialSpec, ModuleSpec, shelf_count};
use paform_core::cnc::panelize::{self, EdgeBanding, Grain};
use paform_core::money::{Money, Rate};
use paform_core::units::Millimetres;

use crate::StoreError;
use crate::records::v3::{FrozenPanelRecord, FrozenProductionRecord, MaterialRecord, ModuleRecord};

fn corrupt(table: &'static str, key: &str) -> StoreError {
    StoreError::Corrupt {
        table,
        key: key.to_owned(),
    }
}

/// A stored length (exact decimal text, > 0).
pub fn stored_length(text: &str) -> Option<Millimetres> {
    text.parse()
        .ok()
        .and_then(|value| Millimetres::from_decimal(value).ok())
}

pub fn material_spec(record: &MaterialRecord) -> Result<MaterialSpec, StoreError> {
    let corrupt = || corrupt("materials", &record.id);
    let cost_per_sq_ft = Rate::parse(&record.cost_per_sq_ft).map_err(|_| corrupt())?;
    let thickness = match &record.thickness_mm {
        Some(text) => Some(stored_length(text).ok_or_else(corrupt)?),
        None => None,
    };
    Ok(MaterialSpec {
        cost_per_sq_ft,
        thickness,
    })
}

pub fn module_spec(record: &ModuleRecord) -> Result<ModuleSpec, StoreError> {
    let corrupt = || corrupt("modules", &record.id);
    let length = |text: &str| stored_length(text).ok_or_else(corrupt);
    let dimensions = Dimensions {
        width: length(&record.width_mm)?,
        height: length(&record.height_mm)?,
        depth: length(&record.depth_mm)?,
    };
    let base_price = Money::parse(&record.base_price).map_err(|_| corrupt())?;
    let attributes = serde_json::from_str(&record.assembly_attributes).map_err(|_| corrupt())?;
    let shelves = shelf_count(&attributes).map_err(|_| corrupt())?;
    Ok(ModuleSpec {
        dimensions,
        base_price,
        shelves,
    })
}

/// How a frozen panel spells its grain and edge banding; `panel_grain` and
/// `panel_edge_banding` read them back, so the names live only here.
fn grain_text(grain: Grain) -> &'static str {
    match grain {
        Grain::None => "none",
        Grain::Length => "length",
    }
}

fn edge_banding_text(edge_banding: EdgeBanding) -> &'static str {
    match edge_banding {
        EdgeBanding::None => "none",
        EdgeBanding::FrontEdge => "front_edge",
    }
}

/// The grain of a frozen panel.
pub fn panel_grain(panel: &FrozenPanelRecord) -> Grain {
    if panel.grain == grain_text(Grain::Length) {
        Grain::Length
    } else {
        Grain::None
    }
}

/// The edge banding of a frozen panel.
pub fn panel_edge_banding(panel: &FrozenPanelRecord) -> EdgeBanding {
    if panel.edge_banding == edge_banding_text(EdgeBanding::FrontEdge) {
        EdgeBanding::FrontEdge
    } else {
        EdgeBanding::None
    }
}

/// Copies everything production needs of `module` made in `material`. `None` when the board
/// cannot make the module (a quote refuses such a line before it gets here).
pub fn freeze_production(
    module: &ModuleRecord,
    material: &MaterialRecord,
) -> Result<Option<FrozenProductionRecord>, StoreError> {
    let thickness = material_spec(material)?.thickness;
    let Ok(panels) = panelize::panelize(&module_spec(module)?, thickness) else {
        return Ok(None);
    };
    Ok(Some(FrozenProductionRecord {
        width_mm: module.width_mm.clone(),
        height_mm: module.height_mm.clone(),
        depth_mm: module.depth_mm.clone(),
        base_price: module.base_price.clone(),
        assembly_attributes: module.assembly_attributes.clone(),
        material_cost_per_sq_ft: material.cost_per_sq_ft.clone(),
        material_thickness_mm: material.thickness_mm.clone(),
        material_texture_url: material.texture_url.clone(),
        panels: panels
            .into_iter()
            .map(|panel| FrozenPanelRecord {
                name: panel.name.to_owned(),
                length_mm: panel.length.to_string(),
                width_mm: panel.width.to_string(),
                thickness_mm: thickness.map(|thickness| thickness.to_string()),
                grain: grain_text(panel.grain).to_owned(),
                edge_banding: edge_banding_text(panel.edge_banding).to_owned(),
                quantity: panel.quantity,
            })
            .collect(),
    }))
}
