//! The boards a quote takes (SPEC §17): each material's panels, frozen as the quote freezes
//! them, nested on that material's stock (its offcuts first) with a small fixed search
//! budget, so the same request on the same stock gives the same nest and the same price.
//! A material priced `by_sheet` is charged what its nest costs (`pricing::board`), shared
//! among its lines by board area; a `by_area` material only reports its boards and yield.

use std::collections::BTreeMap;
use std::time::Duration;

use paform_core::cnc::nesting::{self, NestLayout};
use paform_core::cnc::panelize::EdgeBanding;
use paform_core::money::Money;
use paform_core::pricing::PricedLine;
use paform_core::pricing::board::{self, exact_mm, metres};
use paform_store::records::floor::{BoardChargesRecord, BoardCountRecord, MaterialBoardsRecord};
use paform_store::records::v3::QuoteLineRecord;
use rust_decimal::Decimal;

use super::production::{
    MaterialGroup, ProductionLine, export_nesting_problem, material_groups, material_nest_request,
};
use super::run_nesting;
use crate::AppError;
use crate::dto::{MaterialStock, Offcut, PricingMode};
use crate::part_code;
use crate::stock::sheet_rates;

/// The search a quote's nest may do: a budget, not the clock, ends it, so the nest is
/// reproducible. It buys about 25 ms of search per material in a release build, which keeps
/// a 10-module kitchen priced by the sheet under 50 ms at p99 over HTTP (`make bench-boards`).
const QUOTE_NEST_BUDGET: Duration = Duration::from_millis(40);
/// The safety net for huge quotes on slow machines, far beyond the budget.
const QUOTE_NEST_DEADLINE: Duration = Duration::from_secs(2);

/// What a material's boards are nested on: its stock (with its pricing) and its offcuts.
pub(crate) struct MaterialSupply {
    pub(crate) stock: MaterialStock,
    pub(crate) offcuts: Vec<Offcut>,
}

pub(crate) struct QuoteBoards {
    pub(crate) materials: Vec<MaterialBoardsRecord>,
    /// Per quote line: the board share of one module, when its material is priced by the
    /// sheet.
    pub(crate) shares: Vec<Option<Money>>,
}

/// Nests every material of `lines` on its supply (keyed by material id) on a nesting
/// thread; see the module's doc.
pub(crate) async fn quote_boards(
    lines: &[(QuoteLineRecord, PricedLine)],
    supplies: BTreeMap<String, MaterialSupply>,
) -> Result<QuoteBoards, AppError> {
    let production: Vec<ProductionLine> = lines
        .iter()
        .enumerate()
        .filter_map(|(index, (line, _))| {
            Some(ProductionLine {
                field: format!("items[{index}]"),
                line_item_id: index.to_string(),
                label: part_code::line_code("ITEM", index as u32 + 1),
                module_id: line.module_id.clone(),
                module_name: line.module_name.clone(),
                material_id: line.material_id.clone(),
                material_name: line.material_name.clone(),
                quantity: line.quantity,
                production: line.production.clone()?,
            })
        })
        .collect();
    let areas: Vec<(Decimal, u32)> = lines
        .iter()
        .map(|(line, priced)| (priced.area_mm2, line.quantity))
        .collect();
    run_nesting(move || count_boards(&production, &areas, &supplies)).await?
}

fn count_boards(
    lines: &[ProductionLine],
    areas: &[(Decimal, u32)],
    supplies: &BTreeMap<String, MaterialSupply>,
) -> Result<QuoteBoards, AppError> {
    let mut shares = vec![None; areas.len()];
    let mut materials = Vec::new();
    for group in material_groups(lines)? {
        let supply = supplies.get(&group.material_id).ok_or_else(|| {
            AppError::internal(anyhow::anyhow!(
                "no stock was read for material {}",
                group.material_id
            ))
        })?;
        let mut request = material_nest_request(&group, &supply.stock, &supply.offcuts);
        request.time_limit = QUOTE_NEST_DEADLINE;
        let by_sheet = supply.stock.pricing.mode == PricingMode::BySheet;
        let layout = match nesting::nest_with_budget(&request, QUOTE_NEST_BUDGET) {
            Ok(layout) => layout,
            Err(error) if by_sheet => {
                return Err(export_nesting_problem(error, &group, &supply.stock, lines));
            }
            Err(error) => {
                materials.push(unavailable(&group, error.to_string()));
                continue;
            }
        };
        let banding_mm: Decimal = group
            .panels
            .iter()
            .filter(|panel| panel.edge_banding == EdgeBanding::FrontEdge)
            .map(|panel| panel.length.value() * Decimal::from(panel.quantity))
            .sum();
        let charges = if by_sheet {
            let rates = sheet_rates(&supply.stock.pricing)?;
            let charges =
                board::board_charges(&request, &layout, banding_mm, rates).map_err(|error| {
                    AppError::invalid_field(
                        &format!("{}.material_id", first_line(&group, lines).field),
                        format!("material {}: {error}", group.material_name),
                    )
                })?;
            // The quote lines of this material, by their index in the request.
            let members = group_lines(&group, lines);
            let weights: Vec<(Decimal, u32)> = members.iter().map(|&index| areas[index]).collect();
            for (index, share) in members
                .into_iter()
                .zip(board::board_shares(charges.total, &weights))
            {
                shares[index] = Some(share);
            }
            Some(BoardChargesRecord {
                sheets: charges.sheets.to_string(),
                offcuts: charges.offcuts.to_string(),
                saw_cuts: charges.saw_cuts.to_string(),
                edge_banding: charges.edge_banding.to_string(),
                total: charges.total.to_string(),
                saw_cut_per_m: rates.saw_cut_per_m.to_string(),
                edge_banding_per_m: rates.edge_banding_per_m.to_string(),
            })
        } else {
            None
        };
        materials.push(MaterialBoardsRecord {
            material_id: group.material_id.clone(),
            material_name: group.material_name.clone(),
            pricing: if by_sheet { "by_sheet" } else { "by_area" }.to_owned(),
            boards: board_counts(&request, &layout),
            yield_ratio: Decimal::try_from(layout.utilization)
                .unwrap_or_default()
                .round_dp(4)
                .to_string(),
            cut_length_m: metres(exact_mm(layout.cut_length)).to_string(),
            edge_banding_m: metres(banding_mm).to_string(),
            charges,
            unavailable: None,
        });
    }
    Ok(QuoteBoards { materials, shares })
}

/// The request indexes of the quote lines whose panels `group` holds, each once, in order.
fn group_lines(group: &MaterialGroup, lines: &[ProductionLine]) -> Vec<usize> {
    let mut members: Vec<usize> = group
        .panels
        .iter()
        .filter_map(|panel| lines[panel.line].line_item_id.parse().ok())
        .collect();
    members.dedup();
    members
}

fn first_line<'a>(group: &MaterialGroup, lines: &'a [ProductionLine]) -> &'a ProductionLine {
    &lines[group.panels.first().map_or(0, |panel| panel.line)]
}

fn unavailable(group: &MaterialGroup, reason: String) -> MaterialBoardsRecord {
    MaterialBoardsRecord {
        material_id: group.material_id.clone(),
        material_name: group.material_name.clone(),
        pricing: "by_area".to_owned(),
        boards: Vec::new(),
        yield_ratio: "0".to_owned(),
        cut_length_m: "0".to_owned(),
        edge_banding_m: "0".to_owned(),
        charges: None,
        unavailable: Some(reason),
    }
}

/// New boards counted per stock size (in stock order), then each offcut used.
fn board_counts(request: &nesting::NestRequest, layout: &NestLayout) -> Vec<BoardCountRecord> {
    let mut sizes: BTreeMap<usize, u32> = BTreeMap::new();
    let mut offcuts = Vec::new();
    for sheet in &layout.sheets {
        match &sheet.offcut {
            Some(offcut) => offcuts.push(BoardCountRecord {
                width_mm: exact_mm(sheet.stock.width).to_string(),
                height_mm: exact_mm(sheet.stock.height).to_string(),
                count: 1,
                unit_cost: None,
                offcut_code: Some(offcut.code.clone()),
            }),
            None => *sizes.entry(sheet.stock_index).or_default() += 1,
        }
    }
    sizes
        .into_iter()
        .map(|(index, count)| {
            let stock = &request.stock[index];
            BoardCountRecord {
                width_mm: exact_mm(stock.width).to_string(),
                height_mm: exact_mm(stock.height).to_string(),
                count,
                unit_cost: stock.cost.map(|cost| cost.to_string()),
                offcut_code: None,
            }
        })
        .chain(offcuts)
        .collect()
}
