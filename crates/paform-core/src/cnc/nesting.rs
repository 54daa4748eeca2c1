//! Sheet nesting: places rectangular panels on stock boards with a saw kerf between parts,
//! an optional trim margin on the board edges, per-part grain (no rotation) and two layout
//! modes, guillotine (every cut runs edge to edge, for panel saws; the default) and free
//! (MaxRects/Skyline layouts, for CNC routers). The stock is a list of board kinds (sizes
//! with an optional cost and quantity, and offcuts: single free boards filled before any new
//! sheet); the nester minimises the total cost of the boards it opens (their area when no
//! cost is given).
//!
//! How: every part is inflated by one kerf in width and height and the usable area is the
//! board minus twice the trim plus one kerf; non-overlapping inflated parts are then exactly
//! parts at least one kerf apart that stay inside the trim. For each new-sheet kind in turn
//! (cheapest per area first) a portfolio of greedy packers (guillotine, MaxRects, Skyline
//! rules × several part orders, first fit over the open offcuts and sheets) gives a start,
//! and late-acceptance ruin-and-recreate improves it: lowest cost first, then fewest
//! sheets, then the last sheet as empty as possible; then a goal-driven phase packs the
//! parts into one sheet fewer and searches part orders until nothing is left over. The
//! search stops early at a lower bound (`bounds`: large parts that cannot share a board,
//! Martello–Toth's L2 along each axis, and dual feasible functions over both axes). The
//! cheapest result then has each sheet swapped for a cheaper board (a smaller size or an
//! unused offcut) when one takes all its parts.
//!
//! Determinism rule: the output is a pure function of the request and its `seed` whenever
//! the search ends on its own budget (a count of packer probes and of moves proportional to
//! `time_limit`, a request field) or on the lower bound. `std::time::Instant` is the one
//! clock this crate tolerates: the deadline `time_limit` is a safety net that cuts the search
//! short on slow machines or huge inputs, and only a run the deadline cut short may depend
//! on machine speed. The first greedy pass always completes,
//! so a layout is returned even with a zero time limit. Randomness is a seeded SplitMix64.

mod bounds;
mod cover;
mod geometry;
mod goal;
mod model;
mod packers;
mod saw;
mod search;
#[cfg(test)]
mod tests;

use std::time::{Duration, Instant};

use geometry::Item;
use model::{Limits, Problem, StockKind};

use crate::money::Money;

/// How long `nest` may search by default.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(2);
/// The most part instances (sum of quantities) one request may ask for.
pub const MAX_PART_INSTANCES: u32 = 20_000;

/// Which kind of layout to build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum NestMode {
    /// Every cut runs edge to edge across the piece it divides, as a panel saw needs.
    #[default]
    Guillotine,
    /// Any non-overlapping layout, for CNC routers.
    Free,
}

/// Grain direction of a part's material.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Grain {
    /// No visible grain: the part may be rotated.
    #[default]
    None,
    /// Grain runs along the part's width as given: the part is never rotated.
    Length,
}

/// One kind of part to cut, `quantity` times.
#[derive(Debug, Clone, PartialEq)]
pub struct PartSpec {
    pub id: String,
    pub width: f64,
    pub height: f64,
    pub quantity: u32,
    pub grain: Grain,
}

/// One offcut (a remnant of an earlier job) offered as stock; the ids are the caller's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OffcutRef {
    pub id: String,
    pub code: String,
}

/// One kind of stock board the nester may cut from.
///
/// - `cost`: what one board costs; the nester minimises the total. When any new-sheet kind
///   has no cost, every kind is priced by its area instead (mixing money and areas would be
///   meaningless), so give costs for all sizes or for none.
/// - `quantity`: how many boards of this kind exist; `None` means as many as needed.
/// - `offcut`: this stock is a remnant. An offcut is a single board (its `quantity` is
///   ignored) that costs nothing (its `cost` is ignored); offcuts are filled before any new
///   sheet is opened.
#[derive(Debug, Clone, PartialEq)]
pub struct StockSpec {
    pub width: f64,
    pub height: f64,
    pub cost: Option<Money>,
    pub quantity: Option<u32>,
    pub offcut: Option<OffcutRef>,
}

impl StockSpec {
    /// An unlimited supply of `width` × `height` boards with no cost given.
    pub fn sheet(width: f64, height: f64) -> StockSpec {
        StockSpec {
            width,
            height,
            cost: None,
            quantity: None,
            offcut: None,
        }
    }
}

/// Everything `nest` needs; lengths in millimetres.
///
/// The public API, stable for callers that feed per-material stock:
/// `nest(&NestRequest { stock, kerf, trim, allow_rotation, mode, parts, time_limit, seed })`
/// returns a `NestLayout` whose `sheets` each name their `stock` size, the `offcut` they were
/// cut from (if any) and, in guillotine mode, the saw `cuts`. Kerf and trim apply to every
/// kind of stock alike.
#[derive(Debug, Clone, PartialEq)]
pub struct NestRequest {
    /// The boards to choose from (at least one); offcuts first or not, the nester fills
    /// offcuts before opening new sheets.
    pub stock: Vec<StockSpec>,
    /// Minimum gap between two parts (the saw blade width).
    pub kerf: f64,
    /// Margin kept free along every sheet edge.
    pub trim: f64,
    pub allow_rotation: bool,
    pub mode: NestMode,
    pub parts: Vec<PartSpec>,
    pub time_limit: Duration,
    pub seed: u64,
}

impl Default for NestRequest {
    /// The spec's defaults: unlimited 2440 × 1220 mm sheets, 4 mm kerf, no trim, rotation
    /// allowed, guillotine mode, no parts yet, a 2 s time limit and seed 0.
    fn default() -> NestRequest {
        NestRequest {
            stock: vec![StockSpec::sheet(2440.0, 1220.0)],
            kerf: 4.0,
            trim: 0.0,
            allow_rotation: true,
            mode: NestMode::Guillotine,
            parts: Vec::new(),
            time_limit: DEFAULT_TIME_LIMIT,
            seed: 0,
        }
    }
}

/// One placed part; `width` and `height` are as placed (swapped when `rotated`), and
/// `x`, `y` is its lower-left corner measured from the sheet's lower-left corner.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub id: String,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub rotated: bool,
}

/// The size of the board a sheet was cut from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StockSize {
    pub width: f64,
    pub height: f64,
}

/// Which way a saw cut runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CutDirection {
    /// Along x, at y = `position`.
    Horizontal,
    /// Along y, at x = `position`.
    Vertical,
}

/// One edge-to-edge saw cut across the piece it divides: a horizontal cut runs along x at
/// y = `position` from x = `from` to x = `to` (a vertical one along y at x = `position`), and
/// its kerf takes the band from `position` to `position + kerf`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cut {
    pub direction: CutDirection,
    pub position: f64,
    pub from: f64,
    pub to: f64,
}

impl Cut {
    pub fn length(&self) -> f64 {
        self.to - self.from
    }
}

/// One sheet: the board it is cut from (`stock`, the index of its `StockSpec` in the
/// request, and the offcut if it is one), its placements and the share of its area they
/// cover; in guillotine mode also the saw cuts in the order a panel saw makes them and their
/// total length (no cuts in free mode, which is for routers).
#[derive(Debug, Clone, PartialEq)]
pub struct SheetLayout {
    pub stock: StockSize,
    pub stock_index: usize,
    pub offcut: Option<OffcutRef>,
    pub placements: Vec<Placement>,
    pub utilization: f64,
    pub cuts: Vec<Cut>,
    pub cut_length: f64,
}

/// The whole result: offcuts first, then new sheets from fullest to emptiest; the overall
/// utilization is part area ÷ the area of all boards used; `cut_length` sums the sheets'.
#[derive(Debug, Clone, PartialEq)]
pub struct NestLayout {
    pub sheets: Vec<SheetLayout>,
    pub utilization: f64,
    pub cut_length: f64,
}

/// Why a request cannot be nested; each variant names the offending field or part.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NestingError {
    #[error("stock must list at least one board")]
    NoStock,
    #[error("stock[{index}].{field} must be a finite number greater than 0 mm")]
    InvalidSheetSize { index: usize, field: &'static str },
    #[error("stock[{index}].quantity must be at least 1")]
    ZeroStockQuantity { index: usize },
    #[error("stock[{index}] has no cost: give a cost for every sheet size or for none")]
    MixedStockCosts { index: usize },
    #[error("{field} must be a finite number of at least 0 mm")]
    InvalidMargin { field: &'static str },
    #[error("trim of {trim} mm leaves no usable area on stock[{index}]")]
    TrimLeavesNoSheet { index: usize, trim: f64 },
    #[error("parts must not be empty")]
    NoParts,
    #[error("part {id}: {field} must be a finite number greater than 0 mm")]
    InvalidPartSize { id: String, field: &'static str },
    #[error("part {id}: quantity must be at least 1")]
    ZeroQuantity { id: String },
    #[error(
        "part {id} ({width} × {height} mm) fits no sheet inside the trim \
         (rotation allowed: {rotation_allowed})"
    )]
    PartTooLarge {
        id: String,
        width: f64,
        height: f64,
        rotation_allowed: bool,
    },
    #[error("too many parts: {count} instances, at most {max}")]
    TooManyParts { count: u64, max: u32 },
    #[error("the stock quantities given do not hold all the parts")]
    NotEnoughStock,
}

/// Nests `request.parts` onto the cheapest stock mix the search finds. The search's work
/// budget grows with `request.time_limit`, so a longer limit searches longer and the result
/// still depends only on the request whenever the budget, not the clock, ends the run.
pub fn nest(request: &NestRequest) -> Result<NestLayout, NestingError> {
    nest_with_budget(request, request.time_limit)
}

/// `nest` with the work budget that a `budget` time limit buys, while `request.time_limit`
/// stays the deadline: with a generous deadline the result is the same on a busy machine as
/// on an idle one, which is what benchmarks need.
pub fn nest_with_budget(
    request: &NestRequest,
    budget: Duration,
) -> Result<NestLayout, NestingError> {
    let seconds = budget.as_secs_f64();
    nest_within(
        request,
        (search::SEARCH_PROBES_PER_SECOND * seconds) as u64,
        (search::SEARCH_MOVES_PER_SECOND * seconds).min(f64::from(u32::MAX)) as u32,
    )
}

/// A lower bound on the number of `request.stock[stock_index]` boards the parts need if
/// only that size were used (the bound the search stops at; see `sheet_lower_bound`).
/// Fails as `nest` would on an invalid request, and with `PartTooLarge` for a part that
/// does not fit that size.
pub fn sheets_lower_bound(
    request: &NestRequest,
    stock_index: usize,
) -> Result<usize, NestingError> {
    let items = validate(request)?;
    let kinds = stock_kinds(request);
    let kind = kinds.get(stock_index).ok_or(NestingError::NoStock)?;
    if let Some(item) = items.iter().find(|item| {
        !item
            .orientations()
            .any(|(w, h, _)| w <= kind.width && h <= kind.height)
    }) {
        let part = &request.parts[item.spec];
        return Err(NestingError::PartTooLarge {
            id: part.id.clone(),
            width: part.width,
            height: part.height,
            rotation_allowed: item.rotatable,
        });
    }
    Ok(bounds::sheet_lower_bound(&items, kind.width, kind.height))
}

/// `nest` with an explicit work budget, so tests can keep debug builds fast while staying
/// on the deterministic side of the time limit.
fn nest_within(
    request: &NestRequest,
    probe_budget: u64,
    max_moves: u32,
) -> Result<NestLayout, NestingError> {
    let started = Instant::now();
    let items = validate(request)?;
    let kinds = stock_kinds(request);
    let problem = Problem::new(items, kinds, request.mode == NestMode::Guillotine);
    let limits = Limits {
        deadline: started.checked_add(request.time_limit),
        probe_budget,
        max_moves,
    };
    let solution =
        search::optimize(&problem, limits, request.seed).ok_or(NestingError::NotEnoughStock)?;
    Ok(render(request, &problem, &solution))
}

fn is_positive(value: f64) -> bool {
    value.is_finite() && value > 0.0
}

/// Money in cents, exact for any realistic price as an `f64`.
fn cents(money: Money) -> f64 {
    let mut amount = money.amount();
    amount.rescale(2);
    amount.mantissa() as f64
}

/// The stock in the inflated frame with its price: cents when every new-sheet kind has a
/// cost, else area; offcuts are free and single.
fn stock_kinds(request: &NestRequest) -> Vec<StockKind> {
    let priced = request
        .stock
        .iter()
        .filter(|stock| stock.offcut.is_none())
        .all(|stock| stock.cost.is_some());
    request
        .stock
        .iter()
        .map(|stock| StockKind {
            width: stock.width - 2.0 * request.trim + request.kerf,
            height: stock.height - 2.0 * request.trim + request.kerf,
            price: match (&stock.offcut, stock.cost) {
                (Some(_), _) => 0.0,
                (None, Some(cost)) if priced => cents(cost),
                (None, _) => stock.width * stock.height,
            },
            limit: match &stock.offcut {
                Some(_) => Some(1),
                None => stock.quantity.map(|quantity| quantity as usize),
            },
            offcut: stock.offcut.is_some(),
        })
        .collect()
}

fn validate(request: &NestRequest) -> Result<Vec<Item>, NestingError> {
    for (field, value) in [("kerf", request.kerf), ("trim", request.trim)] {
        if !(value.is_finite() && value >= 0.0) {
            return Err(NestingError::InvalidMargin { field });
        }
    }
    if request.stock.is_empty() {
        return Err(NestingError::NoStock);
    }
    let any_cost = request
        .stock
        .iter()
        .any(|stock| stock.offcut.is_none() && stock.cost.is_some());
    for (index, stock) in request.stock.iter().enumerate() {
        for (field, value) in [("width", stock.width), ("height", stock.height)] {
            if !is_positive(value) {
                return Err(NestingError::InvalidSheetSize { index, field });
            }
        }
        if stock.width - 2.0 * request.trim <= 0.0 || stock.height - 2.0 * request.trim <= 0.0 {
            return Err(NestingError::TrimLeavesNoSheet {
                index,
                trim: request.trim,
            });
        }
        if stock.offcut.is_none() {
            if stock.quantity == Some(0) {
                return Err(NestingError::ZeroStockQuantity { index });
            }
            if any_cost && stock.cost.is_none() {
                return Err(NestingError::MixedStockCosts { index });
            }
        }
    }
    if request.parts.is_empty() {
        return Err(NestingError::NoParts);
    }
    let mut count = 0_u64;
    for part in &request.parts {
        for (field, value) in [("width", part.width), ("height", part.height)] {
            if !is_positive(value) {
                return Err(NestingError::InvalidPartSize {
                    id: part.id.clone(),
                    field,
                });
            }
        }
        if part.quantity == 0 {
            return Err(NestingError::ZeroQuantity {
                id: part.id.clone(),
            });
        }
        let rotation_allowed = request.allow_rotation && part.grain == Grain::None;
        // The same inflated comparison the packers make, so validation and packing agree.
        let inflated_width = part.width + request.kerf;
        let inflated_height = part.height + request.kerf;
        let fits_some_stock = request.stock.iter().any(|stock| {
            let sheet_width = stock.width - 2.0 * request.trim + request.kerf;
            let sheet_height = stock.height - 2.0 * request.trim + request.kerf;
            let fits_as_given = inflated_width <= sheet_width && inflated_height <= sheet_height;
            let fits_rotated = rotation_allowed
                && inflated_height <= sheet_width
                && inflated_width <= sheet_height;
            fits_as_given || fits_rotated
        });
        if !fits_some_stock {
            return Err(NestingError::PartTooLarge {
                id: part.id.clone(),
                width: part.width,
                height: part.height,
                rotation_allowed,
            });
        }
        count += u64::from(part.quantity);
    }
    if count > u64::from(MAX_PART_INSTANCES) {
        return Err(NestingError::TooManyParts {
            count,
            max: MAX_PART_INSTANCES,
        });
    }
    let mut items = Vec::new();
    for (spec, part) in request.parts.iter().enumerate() {
        let item = Item {
            w: part.width + request.kerf,
            h: part.height + request.kerf,
            rotatable: request.allow_rotation && part.grain == Grain::None,
            real_area: part.width * part.height,
            spec,
        };
        items.extend(std::iter::repeat_n(item, part.quantity as usize));
    }
    Ok(items)
}

fn render(request: &NestRequest, problem: &Problem, solution: &model::Solution) -> NestLayout {
    let mut total_area = 0.0;
    let mut stock_area = 0.0;
    let sheets = solution
        .sheets
        .iter()
        .map(|sheet| {
            let stock = &request.stock[sheet.kind];
            let mut placements: Vec<Placement> = sheet
                .placed
                .iter()
                .map(|placed| {
                    let part = &request.parts[problem.items[placed.item].spec];
                    let (width, height) = if placed.rotated {
                        (part.height, part.width)
                    } else {
                        (part.width, part.height)
                    };
                    Placement {
                        id: part.id.clone(),
                        x: request.trim + placed.rect.x,
                        y: request.trim + placed.rect.y,
                        width,
                        height,
                        rotated: placed.rotated,
                    }
                })
                .collect();
            placements.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
            let used: f64 = placements.iter().map(|p| p.width * p.height).sum();
            let area = stock.width * stock.height;
            total_area += used;
            stock_area += area;
            let cuts = match request.mode {
                NestMode::Guillotine => {
                    saw::saw_cuts(stock.width, stock.height, &placements, request.kerf)
                }
                NestMode::Free => Vec::new(),
            };
            let cut_length = cuts.iter().map(Cut::length).sum();
            SheetLayout {
                stock: StockSize {
                    width: stock.width,
                    height: stock.height,
                },
                stock_index: sheet.kind,
                offcut: stock.offcut.clone(),
                placements,
                utilization: used / area,
                cuts,
                cut_length,
            }
        })
        .collect::<Vec<_>>();
    NestLayout {
        cut_length: sheets.iter().map(|sheet| sheet.cut_length).sum(),
        sheets,
        utilization: total_area / stock_area,
    }
}
