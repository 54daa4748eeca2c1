//! Production grouping: the frozen lines of an order (or loose items frozen on request)
//! become labelled panels grouped by material, and each group one nesting request on the
//! material's stock sheets. Once nested, `coded_layout` names each placed copy of a panel by
//! its copy code, in cutting order, for the labels and the drawings.

use std::collections::{BTreeMap, HashMap};

use paform_core::cnc::nesting::{
    self, Grain, NestLayout, NestMode, NestingError, OffcutRef, PartSpec, StockSpec,
};
use paform_core::cnc::panelize::{self, EdgeBanding};
use paform_core::money::Money;
use paform_core::problem::Problems;
use paform_core::units::Millimetres;
use paform_store::records::v3::FrozenProductionRecord;
use paform_store::specs::{panel_edge_banding, panel_grain, stored_length};

use crate::convert;
use crate::dto::Offcut;
use crate::part_code;

use super::*;

/// One line of production: an order's frozen line, or a loose item frozen from the catalog
/// when the request came in. Nothing below reads the catalog.
pub(super) struct ProductionLine {
    /// The request field this line came from (`items[2]`, or `order_id`).
    pub(super) field: String,
    pub(super) line_item_id: String,
    /// `PF-000042-03`: the line's code (`part_code::line_code`); its panels add letters.
    pub(super) label: String,
    pub(super) module_id: String,
    pub(super) module_name: String,
    pub(super) material_id: String,
    pub(super) material_name: String,
    pub(super) quantity: u32,
    pub(super) production: FrozenProductionRecord,
}

/// One panel to cut, `quantity` times in all.
pub(super) struct CutPanel {
    /// `PF-000042-03-B`: the panel code, unique within an export. Each copy cut has its own
    /// code (`part_code::copy_code`), numbered in cutting order by `coded_layout`.
    pub(super) label: String,
    /// Index into the production lines.
    pub(super) line: usize,
    pub(super) name: String,
    pub(super) length: Millimetres,
    pub(super) width: Millimetres,
    pub(super) grain: panelize::Grain,
    pub(super) edge_banding: EdgeBanding,
    pub(super) quantity: u32,
}

pub(super) struct MaterialGroup {
    pub(super) material_id: String,
    pub(super) material_name: String,
    pub(super) thickness: Option<Millimetres>,
    pub(super) panels: Vec<CutPanel>,
}

pub(super) fn edge_banding_text(edge_banding: EdgeBanding) -> &'static str {
    match edge_banding {
        EdgeBanding::None => "",
        EdgeBanding::FrontEdge => "front edge",
    }
}

pub(super) fn nest_grain(grain: panelize::Grain) -> Grain {
    match grain {
        panelize::Grain::None => Grain::None,
        panelize::Grain::Length => Grain::Length,
    }
}

/// `layout` with every placement named by its copy's code (`part_code::copy_code`): the k-th
/// placement of a panel in cutting order (sheet, then placement) is its copy k, so the
/// labels and the drawings agree on which part is which. A placement of no panel of
/// `group` keeps its id.
pub(super) fn coded_layout(group: &MaterialGroup, layout: &NestLayout) -> NestLayout {
    // Per panel code: its number of copies and how many of them were placed so far.
    let mut panels: HashMap<&str, (u32, u32)> = group
        .panels
        .iter()
        .map(|panel| (panel.label.as_str(), (panel.quantity, 0)))
        .collect();
    let mut coded = layout.clone();
    for placement in coded
        .sheets
        .iter_mut()
        .flat_map(|sheet| &mut sheet.placements)
    {
        if let Some((copies, placed)) = panels.get_mut(placement.id.as_str()) {
            *placed += 1;
            placement.id = part_code::copy_code(&placement.id, *placed, *copies);
        }
    }
    coded
}

pub(super) fn corrupt_line(line: &ProductionLine) -> AppError {
    AppError::internal(anyhow::anyhow!(
        "the frozen production data of line {} cannot be read",
        line.line_item_id
    ))
}

/// Groups every line's frozen panels by material (sorted by name, then id, then thickness),
/// each group in line order.
pub(super) fn material_groups(lines: &[ProductionLine]) -> Result<Vec<MaterialGroup>, AppError> {
    let mut problems = Problems::new();
    let mut groups: BTreeMap<(String, String, String), MaterialGroup> = BTreeMap::new();
    for (line_index, line) in lines.iter().enumerate() {
        let frozen = &line.production;
        let thickness_text = frozen.material_thickness_mm.clone().unwrap_or_default();
        let thickness = match &frozen.material_thickness_mm {
            Some(text) => Some(stored_length(text).ok_or_else(|| corrupt_line(line))?),
            None => None,
        };
        let key = (
            line.material_name.clone(),
            line.material_id.clone(),
            thickness_text,
        );
        let group = groups.entry(key).or_insert_with(|| MaterialGroup {
            material_id: line.material_id.clone(),
            material_name: line.material_name.clone(),
            thickness,
            panels: Vec::new(),
        });
        for (panel_index, panel) in frozen.panels.iter().enumerate() {
            let Some(quantity) = panel.quantity.checked_mul(line.quantity) else {
                problems.push(
                    format!("{}.quantity", line.field),
                    "asks for too many panels",
                );
                continue;
            };
            let length = stored_length(&panel.length_mm).ok_or_else(|| corrupt_line(line))?;
            let width = stored_length(&panel.width_mm).ok_or_else(|| corrupt_line(line))?;
            group.panels.push(CutPanel {
                label: part_code::panel_code(&line.label, panel_index),
                line: line_index,
                name: panel.name.clone(),
                length,
                width,
                grain: panel_grain(panel),
                edge_banding: panel_edge_banding(panel),
                quantity,
            });
        }
    }
    problems.finish()?;
    Ok(groups.into_values().collect())
}

pub(super) fn panel_list(groups: &[MaterialGroup], lines: &[ProductionLine]) -> CncPanelList {
    let mut total_panels = 0_u32;
    let materials = groups
        .iter()
        .map(|group| MaterialPanels {
            material_id: group.material_id.clone(),
            material_name: group.material_name.clone(),
            thickness_mm: group.thickness.map(Millimetres::to_f64),
            panels: group
                .panels
                .iter()
                .map(|panel| {
                    let line = &lines[panel.line];
                    total_panels = total_panels.saturating_add(panel.quantity);
                    CncPanel {
                        label: panel.label.clone(),
                        line_item_id: line.line_item_id.clone(),
                        module_id: line.module_id.clone(),
                        module_name: line.module_name.clone(),
                        name: panel.name.clone(),
                        length: panel.length.to_f64(),
                        width: panel.width.to_f64(),
                        thickness: group.thickness.map(Millimetres::to_f64),
                        grain: convert::part_grain(panel.grain),
                        edge_banding: edge_banding_text(panel.edge_banding).to_owned(),
                        quantity: panel.quantity,
                    }
                })
                .collect(),
        })
        .collect();
    CncPanelList {
        materials,
        total_panels,
    }
}

/// The nesting of one material's panels on its offcuts (filled first) and its stock sizes
/// (the cheapest mix). A panel's length (its grain direction) runs along the board's width,
/// the board's grain direction; boards without grain let every panel turn.
pub(super) fn material_nest_request(
    group: &MaterialGroup,
    stock: &MaterialStock,
    offcuts: &[Offcut],
) -> nesting::NestRequest {
    let offcut_stock = offcuts.iter().map(|offcut| StockSpec {
        width: offcut.width,
        height: offcut.height,
        cost: None,
        quantity: None,
        offcut: Some(OffcutRef {
            id: offcut.id.clone(),
            code: offcut.code.clone(),
        }),
    });
    // Validated stock has costs that parse, for every size or for none.
    let sheet_stock = stock.sheets.iter().map(|sheet| StockSpec {
        cost: sheet
            .cost
            .as_deref()
            .and_then(|cost| Money::parse(cost).ok()),
        ..StockSpec::sheet(sheet.width, sheet.height)
    });
    nesting::NestRequest {
        stock: offcut_stock.chain(sheet_stock).collect(),
        kerf: stock.kerf,
        trim: stock.trim,
        allow_rotation: true,
        mode: NestMode::Guillotine,
        parts: group
            .panels
            .iter()
            .map(|panel| PartSpec {
                id: panel.label.clone(),
                width: panel.length.to_f64(),
                height: panel.width.to_f64(),
                quantity: panel.quantity,
                grain: match stock.grain_direction {
                    StockGrain::Length => nest_grain(panel.grain),
                    StockGrain::None => Grain::None,
                },
            })
            .collect(),
        time_limit: EXPORT_NEST_TIME_LIMIT,
        seed: EXPORT_NEST_SEED,
    }
}

/// The largest board of a material's stock, the size its drawings are framed in (validated
/// stock always has one).
pub(super) fn first_sheet(stock: &MaterialStock) -> (f64, f64) {
    stock
        .sheets
        .iter()
        .map(|sheet| (sheet.width, sheet.height))
        .max_by(|a, b| (a.0 * a.1).total_cmp(&(b.0 * b.1)))
        .unwrap_or((0.0, 0.0))
}

/// A nesting error of an export, named by the line whose panel caused it.
pub(super) fn export_nesting_problem(
    error: NestingError,
    group: &MaterialGroup,
    stock: &MaterialStock,
    lines: &[ProductionLine],
) -> AppError {
    let (sheet_width, sheet_height) = first_sheet(stock);
    let panel_of = |id: &str| group.panels.iter().find(|panel| panel.label == id);
    match &error {
        NestingError::PartTooLarge { id, .. } => match panel_of(id) {
            Some(panel) => {
                let line = &lines[panel.line];
                let message = format!(
                    "panel {} ({} × {} mm) of module {} does not fit a {sheet_width} × \
                     {sheet_height} mm stock sheet",
                    panel.name, panel.length, panel.width, line.module_name
                );
                let field = if line.field == "order_id" {
                    line.field.clone()
                } else {
                    format!("{}.module_id", line.field)
                };
                AppError::invalid_field(&field, message)
            }
            None => AppError::internal(anyhow::Error::new(error)),
        },
        NestingError::TooManyParts { .. } => {
            let field = if lines.iter().any(|line| line.field == "order_id") {
                "order_id"
            } else {
                "items"
            };
            AppError::invalid_field(field, error)
        }
        _ => AppError::internal(anyhow::Error::new(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panel(label: &str, quantity: u32) -> CutPanel {
        let length = |mm: f64| Millimetres::from_f64(mm).expect("a length");
        CutPanel {
            label: label.to_owned(),
            line: 0,
            name: "side".to_owned(),
            length: length(900.0),
            width: length(500.0),
            grain: panelize::Grain::None,
            edge_banding: EdgeBanding::None,
            quantity,
        }
    }

    #[test]
    fn copies_are_numbered_in_cutting_order_and_a_single_copy_keeps_its_panel_code() {
        let group = MaterialGroup {
            material_id: "oak".to_owned(),
            material_name: "Oak".to_owned(),
            thickness: None,
            panels: vec![panel("PF-000001-01-A", 5), panel("PF-000001-01-B", 1)],
        };
        let stock = MaterialStock {
            sheets: vec![crate::dto::StockSheet {
                width: 1220.0,
                height: 1220.0,
                cost: None,
            }],
            kerf: 4.0,
            trim: 0.0,
            grain_direction: StockGrain::None,
            pricing: Default::default(),
        };
        let request = nesting::NestRequest {
            time_limit: std::time::Duration::from_millis(200),
            ..material_nest_request(&group, &stock, &[])
        };
        let layout = nesting::nest(&request).expect("nests");
        assert!(layout.sheets.len() > 1, "the copies spread over sheets");
        let coded = coded_layout(&group, &layout);

        let mut codes = Vec::new();
        for (sheet, coded_sheet) in layout.sheets.iter().zip(&coded.sheets) {
            assert_eq!(sheet.placements.len(), coded_sheet.placements.len());
            for (placement, coded_placement) in sheet.placements.iter().zip(&coded_sheet.placements)
            {
                let geometry = |p: &nesting::Placement| (p.x, p.y, p.width, p.height, p.rotated);
                assert_eq!(geometry(placement), geometry(coded_placement));
                assert!(coded_placement.id.starts_with(&placement.id));
                codes.push(coded_placement.id.clone());
            }
        }
        let copies_of_a: Vec<&str> = codes
            .iter()
            .map(String::as_str)
            .filter(|code| code.starts_with("PF-000001-01-A"))
            .collect();
        assert_eq!(
            copies_of_a,
            [
                "PF-000001-01-A1",
                "PF-000001-01-A2",
                "PF-000001-01-A3",
                "PF-000001-01-A4",
                "PF-000001-01-A5"
            ]
        );
        assert_eq!(
            codes
                .iter()
                .filter(|code| *code == "PF-000001-01-B")
                .count(),
            1
        );
    }
}
