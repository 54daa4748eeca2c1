//! Sheet nesting: places rectangular panels on stock sheets with a saw kerf between parts,
//! an optional trim margin on the sheet edges, per-part grain (no rotation) and two layout
//! modes, guillotine (every cut runs edge to edge, for panel saws; the default) and free
//! (MaxRects/Skyline layouts, for CNC routers).
//!
//! How: every part is inflated by one kerf in width and height and the usable area is the
//! sheet minus twice the trim plus one kerf; non-overlapping inflated parts are then exactly
//! parts at least one kerf apart that stay inside the trim. A portfolio of greedy packers
//! (guillotine, MaxRects, Skyline rules × several part orders, first fit over sheets) gives a
//! start, and late-acceptance ruin-and-recreate improves it: fewest sheets first, then the
//! last sheet as empty as possible. The search stops early at the lower bound
//! max(⌈inflated part area ÷ usable area⌉, number of parts too large to share a sheet).
//!
//! Determinism rule: the output is a pure function of the request and its `seed` whenever
//! the search ends on its own budget (a fixed count of packer probes and of moves) or on the
//! lower bound. `std::time::Instant` is the one clock this crate tolerates: `time_limit` is a
//! safety net that cuts the search short on slow machines or huge inputs, and only a run the
//! deadline cut short may depend on machine speed. The first greedy pass always completes,
//! so a layout is returned even with a zero time limit. Randomness is a seeded SplitMix64.

mod geometry;
mod packers;
mod search;
#[cfg(test)]
mod tests;

use std::time::{Duration, Instant};

use geometry::Item;
use search::{Limits, Problem};

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

/// Everything `nest` needs; lengths in millimetres.
#[derive(Debug, Clone, PartialEq)]
pub struct NestRequest {
    pub sheet_width: f64,
    pub sheet_height: f64,
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
    /// The spec's defaults: a 2440 × 1220 mm sheet, 4 mm kerf, no trim, rotation allowed,
    /// guillotine mode, no parts yet, a 2 s time limit and seed 0.
    fn default() -> NestRequest {
        NestRequest {
            sheet_width: 2440.0,
            sheet_height: 1220.0,
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

/// One sheet's placements and the share of its area they cover.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetLayout {
    pub placements: Vec<Placement>,
    pub utilization: f64,
}

/// The whole result: sheets from fullest to emptiest and the overall utilization
/// (part area ÷ (sheets × sheet area)).
#[derive(Debug, Clone, PartialEq)]
pub struct NestLayout {
    pub sheets: Vec<SheetLayout>,
    pub utilization: f64,
}

/// Why a request cannot be nested; each variant names the offending field or part.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NestingError {
    #[error("{field} must be a finite number greater than 0 mm")]
    InvalidSheetSize { field: &'static str },
    #[error("{field} must be a finite number of at least 0 mm")]
    InvalidMargin { field: &'static str },
    #[error("trim of {trim} mm leaves no usable area on the sheet")]
    TrimLeavesNoSheet { trim: f64 },
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
    #[error("no layout found for parts that passed validation")]
    NoLayoutFound,
}

/// Nests `request.parts` onto as few sheets as the search finds.
pub fn nest(request: &NestRequest) -> Result<NestLayout, NestingError> {
    nest_within(
        request,
        search::SEARCH_PROBE_BUDGET,
        search::SEARCH_MAX_MOVES,
    )
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
    let usable_width = request.sheet_width - 2.0 * request.trim + request.kerf;
    let usable_height = request.sheet_height - 2.0 * request.trim + request.kerf;
    let problem = Problem {
        lower_bound: lower_bound(&items, usable_width, usable_height),
        items,
        width: usable_width,
        height: usable_height,
        guillotine_only: request.mode == NestMode::Guillotine,
    };
    let limits = Limits {
        deadline: started.checked_add(request.time_limit),
        probe_budget,
        max_moves,
    };
    let solution =
        search::optimize(&problem, limits, request.seed).ok_or(NestingError::NoLayoutFound)?;
    Ok(render(request, &problem, &solution))
}

fn is_positive(value: f64) -> bool {
    value.is_finite() && value > 0.0
}

fn validate(request: &NestRequest) -> Result<Vec<Item>, NestingError> {
    for (field, value) in [
        ("sheet_width", request.sheet_width),
        ("sheet_height", request.sheet_height),
    ] {
        if !is_positive(value) {
            return Err(NestingError::InvalidSheetSize { field });
        }
    }
    for (field, value) in [("kerf", request.kerf), ("trim", request.trim)] {
        if !(value.is_finite() && value >= 0.0) {
            return Err(NestingError::InvalidMargin { field });
        }
    }
    let usable_width = request.sheet_width - 2.0 * request.trim;
    let usable_height = request.sheet_height - 2.0 * request.trim;
    if usable_width <= 0.0 || usable_height <= 0.0 {
        return Err(NestingError::TrimLeavesNoSheet { trim: request.trim });
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
        let sheet_width = usable_width + request.kerf;
        let sheet_height = usable_height + request.kerf;
        let fits_as_given = inflated_width <= sheet_width && inflated_height <= sheet_height;
        let fits_rotated =
            rotation_allowed && inflated_height <= sheet_width && inflated_width <= sheet_height;
        if !fits_as_given && !fits_rotated {
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

/// The larger of the area bound and the count of items that cannot share a sheet with each
/// other (more than half the usable width and height in every allowed orientation).
fn lower_bound(items: &[Item], width: f64, height: f64) -> usize {
    let inflated_area: f64 = items.iter().map(|item| item.w * item.h).sum();
    // The small slack keeps rounding from pushing an exact fit up to one sheet more.
    let area_bound = (inflated_area / (width * height) - 1e-9).ceil().max(1.0) as usize;
    let n_large = items
        .iter()
        .filter(|item| {
            item.orientations()
                .all(|(w, h, _)| w > width / 2.0 && h > height / 2.0)
        })
        .count();
    area_bound.max(n_large)
}

fn render(request: &NestRequest, problem: &Problem, solution: &search::Solution) -> NestLayout {
    let sheet_area = request.sheet_width * request.sheet_height;
    let mut total_area = 0.0;
    let sheets = solution
        .sheets
        .iter()
        .map(|sheet| {
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
            total_area += used;
            SheetLayout {
                placements,
                utilization: used / sheet_area,
            }
        })
        .collect::<Vec<_>>();
    let utilization = total_area / (sheets.len() as f64 * sheet_area);
    NestLayout {
        sheets,
        utilization,
    }
}
