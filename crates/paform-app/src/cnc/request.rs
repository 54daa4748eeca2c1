//! The nesting request of SPEC §6 (`POST /api/v1/cnc/nest`, `paform nest`): validated all at
//! once into the core's request, and the core's layout mapped back to the wire format.

use std::collections::HashMap;
use std::time::Duration;

use paform_core::cnc::nesting::{
    self, Grain, MAX_PART_INSTANCES, NestLayout, NestMode, NestingError, PartSpec, StockSpec,
};
use paform_core::money::Money;
use paform_core::problem::Problems;
use paform_core::units::{Millimetres, Quantity};

use super::*;
use crate::dto::{NestOffcut, NestSheet};

/// The most stock sizes one request may list.
const MAX_STOCK_SIZES: usize = 50;

/// Nests `request` (SPEC §6's format) and returns the layout. Pure and CPU-bound: callers
/// on an async runtime use `App::nest`, which runs this on a blocking thread.
pub fn nest(request: &NestRequest) -> Result<NestResult, AppError> {
    let core_request = core_nest_request(request)?;
    let stock_field = if request.sheets.is_some() {
        "sheets"
    } else {
        "sheet"
    };
    let layout = nesting::nest(&core_request).map_err(|error| {
        nesting_problem(error, stock_field, |id| {
            request
                .parts
                .iter()
                .position(|part| part.id == id)
                .map(|index| format!("parts[{index}]"))
        })
    })?;
    Ok(nest_result(layout))
}

pub(super) fn core_nest_request(request: &NestRequest) -> Result<nesting::NestRequest, AppError> {
    let mut problems = Problems::new();
    let stock = stock_specs(request, &mut problems);
    for (field, value) in [("kerf", request.kerf), ("trim", request.trim)] {
        if !(value.is_finite() && (0.0..=MAX_MARGIN_MM).contains(&value)) {
            problems.push(
                field,
                format!("must be a number from 0 to {MAX_MARGIN_MM} mm"),
            );
        }
    }
    let time_limit_ms = request.time_limit_ms.unwrap_or(DEFAULT_NEST_TIME_LIMIT_MS);
    if time_limit_ms > MAX_NEST_TIME_LIMIT_MS {
        problems.push(
            "time_limit_ms",
            format!("must be at most {MAX_NEST_TIME_LIMIT_MS} ms"),
        );
    }
    if request.parts.is_empty() {
        problems.push("parts", "must list at least one part");
    }
    if request.parts.len() > MAX_NEST_PART_ENTRIES {
        problems.push(
            "parts",
            format!("must list at most {MAX_NEST_PART_ENTRIES} parts"),
        );
    }
    let mut first_index_of_id: HashMap<&str, usize> = HashMap::new();
    let mut instances = 0_u64;
    let mut parts = Vec::with_capacity(request.parts.len());
    for (index, part) in request.parts.iter().enumerate() {
        let field = |name: &str| format!("parts[{index}].{name}");
        let id_chars = part.id.chars().count();
        if id_chars == 0 || id_chars > MAX_PART_ID_CHARS {
            problems.push(
                field("id"),
                format!("must have 1 to {MAX_PART_ID_CHARS} characters"),
            );
        } else if let Some(first) = first_index_of_id.insert(&part.id, index) {
            first_index_of_id.insert(&part.id, first);
            problems.push(
                field("id"),
                format!("repeats the id {:?} of parts[{first}]", part.id),
            );
        }
        problems.check(&field("width"), Millimetres::from_f64(part.width));
        problems.check(&field("height"), Millimetres::from_f64(part.height));
        let quantity = problems.check(&field("quantity"), Quantity::parse(part.quantity));
        instances += u64::from(quantity.map_or(0, Quantity::get));
        parts.push(PartSpec {
            id: part.id.clone(),
            width: part.width,
            height: part.height,
            quantity: quantity.map_or(0, Quantity::get),
            grain: match part.grain {
                PartGrain::None => Grain::None,
                PartGrain::Length => Grain::Length,
            },
        });
    }
    if instances > u64::from(MAX_PART_INSTANCES) {
        problems.push(
            "parts",
            format!(
                "ask for {instances} pieces in all; at most {MAX_PART_INSTANCES} can be nested at once"
            ),
        );
    }
    problems.finish()?;
    Ok(nesting::NestRequest {
        stock,
        kerf: request.kerf,
        trim: request.trim,
        allow_rotation: request.allow_rotation,
        mode: match request.mode {
            NestModeDto::Guillotine => NestMode::Guillotine,
            NestModeDto::Free => NestMode::Free,
        },
        parts,
        time_limit: Duration::from_millis(time_limit_ms),
        seed: request.seed.unwrap_or(0),
    })
}

/// The stock of `sheet` (one unlimited size) or `sheets` (SPEC §12), checked into
/// `problems`.
fn stock_specs(request: &NestRequest, problems: &mut Problems) -> Vec<StockSpec> {
    match (&request.sheet, &request.sheets) {
        (Some(sheet), None) => {
            problems.check("sheet.width", Millimetres::from_f64(sheet.width));
            problems.check("sheet.height", Millimetres::from_f64(sheet.height));
            vec![StockSpec::sheet(sheet.width, sheet.height)]
        }
        (None, Some(sheets)) => {
            if sheets.is_empty() {
                problems.push("sheets", "must list at least one sheet size");
            }
            if sheets.len() > MAX_STOCK_SIZES {
                problems.push(
                    "sheets",
                    format!("must list at most {MAX_STOCK_SIZES} sheet sizes"),
                );
            }
            let any_cost = sheets.iter().any(|sheet| sheet.cost.is_some());
            sheets
                .iter()
                .enumerate()
                .map(|(index, sheet)| {
                    let field = |name: &str| format!("sheets[{index}].{name}");
                    problems.check(&field("width"), Millimetres::from_f64(sheet.width));
                    problems.check(&field("height"), Millimetres::from_f64(sheet.height));
                    let cost = match &sheet.cost {
                        Some(text) => problems.check(&field("cost"), Money::parse(text)),
                        None if any_cost => {
                            problems.push(
                                field("cost"),
                                "give a cost for every sheet size or for none",
                            );
                            None
                        }
                        None => None,
                    };
                    let quantity = sheet.quantity.and_then(|quantity| {
                        problems.check(&field("quantity"), Quantity::parse(quantity))
                    });
                    StockSpec {
                        width: sheet.width,
                        height: sheet.height,
                        cost,
                        quantity: quantity.map(Quantity::get),
                        offcut: None,
                    }
                })
                .collect()
        }
        (Some(_), Some(_)) => {
            problems.push("sheets", "give sheet or sheets, not both");
            Vec::new()
        }
        (None, None) => {
            problems.push("sheet", "give the stock as sheet or sheets");
            Vec::new()
        }
    }
}

/// A core nesting error as a 422 naming the field; `stock_field` is `sheet` or `sheets`,
/// as the request gave its stock, and `part_field` finds the field of a part by its id.
pub(super) fn nesting_problem(
    error: NestingError,
    stock_field: &str,
    part_field: impl Fn(&str) -> Option<String>,
) -> AppError {
    let stock = |index: usize, suffix: &str| match stock_field {
        "sheet" => format!("sheet{suffix}"),
        _ => format!("{stock_field}[{index}]{suffix}"),
    };
    let part = |id: &str, suffix: &str| {
        part_field(id).map_or_else(|| "parts".to_owned(), |field| format!("{field}{suffix}"))
    };
    let field = match &error {
        NestingError::InvalidSheetSize { index, field } => stock(*index, &format!(".{field}")),
        NestingError::ZeroStockQuantity { index } => stock(*index, ".quantity"),
        NestingError::MixedStockCosts { index } => stock(*index, ".cost"),
        NestingError::NoStock | NestingError::NotEnoughStock => stock_field.to_owned(),
        NestingError::InvalidMargin { field } => (*field).to_owned(),
        NestingError::TrimLeavesNoSheet { .. } => "trim".to_owned(),
        NestingError::NoParts | NestingError::TooManyParts { .. } => "parts".to_owned(),
        NestingError::InvalidPartSize { id, field } => part(id, &format!(".{field}")),
        NestingError::ZeroQuantity { id } => part(id, ".quantity"),
        NestingError::PartTooLarge { id, .. } => part(id, ""),
    };
    AppError::invalid_field(&field, error)
}

pub(super) fn nest_result(layout: NestLayout) -> NestResult {
    NestResult {
        sheets: layout
            .sheets
            .into_iter()
            .map(|sheet| NestedSheet {
                stock: NestSheet {
                    width: sheet.stock.width,
                    height: sheet.stock.height,
                },
                offcut: sheet.offcut.map(|offcut| NestOffcut {
                    id: offcut.id,
                    code: offcut.code,
                }),
                placements: sheet
                    .placements
                    .into_iter()
                    .map(|placement| NestPlacement {
                        id: placement.id,
                        x: placement.x,
                        y: placement.y,
                        width: placement.width,
                        height: placement.height,
                        rotated: placement.rotated,
                    })
                    .collect(),
                utilization: sheet.utilization,
            })
            .collect(),
        utilization: layout.utilization,
    }
}
