//! The nesting model both searches share: the fixed problem (items and stock kinds in the
//! inflated frame), solutions (sheets of placed items) and their lexicographic cost, the
//! search limits, the seeded RNG, and `fill`, the one greedy routine that turns a part order
//! into sheets. `search` and `goal` build on it; it imports neither.
//!
//! Invariants: a solution built by `fill` places each item of its order at most once, and
//! each sheet's layout comes from one packer run, so it is valid by the packers' own
//! invariants. All randomness comes from `SplitMix64`, seeded by the caller.

use std::time::Instant;

use super::bounds::sheet_lower_bound;
use super::geometry::{Item, Rect, Spot};
use super::packers::{Bin, GuillotineChoice, Heuristic, MaxRectsRule, SkylineRule, SplitRule};

/// A hand-written SplitMix64 (Steele, Lea, Flood 2014): tiny, seedable and portable, so the
/// same seed gives the same sequence on every platform and build.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound`; `bound` must be positive.
    pub(crate) fn below(&mut self, bound: usize) -> usize {
        // The modulo bias is below 2^-40 for any realistic bound, irrelevant to a heuristic.
        (self.next_u64() % bound as u64) as usize
    }

    pub(crate) fn chance(&mut self, numerator: usize, denominator: usize) -> bool {
        self.below(denominator) < numerator
    }
}

/// Sort keys for the greedy constructions, all descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SortKey {
    Area,
    LongerSide,
    Perimeter,
    ShorterSide,
    Width,
    Height,
}

impl SortKey {
    pub(crate) const ALL: [SortKey; 6] = [
        SortKey::Area,
        SortKey::LongerSide,
        SortKey::Perimeter,
        SortKey::ShorterSide,
        SortKey::Width,
        SortKey::Height,
    ];

    fn key(self, item: &Item) -> f64 {
        match self {
            SortKey::Area => item.w * item.h,
            SortKey::LongerSide => item.w.max(item.h),
            SortKey::Perimeter => item.w + item.h,
            SortKey::ShorterSide => item.w.min(item.h),
            SortKey::Width => item.w,
            SortKey::Height => item.h,
        }
    }
}

/// Item indices sorted by `key`, descending; ties keep input order (stable sort).
pub(crate) fn sorted_order(items: &[Item], subset: &[usize], key: SortKey) -> Vec<usize> {
    let mut order = subset.to_vec();
    order.sort_by(|a, b| key.key(&items[*b]).total_cmp(&key.key(&items[*a])));
    order
}

/// One placed item in the inflated frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Placed {
    pub(crate) item: usize,
    pub(crate) rect: Rect,
    pub(crate) rotated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sheet {
    /// Index of the stock kind this sheet is cut from.
    pub(crate) kind: usize,
    pub(crate) placed: Vec<Placed>,
    /// Real part area on this sheet.
    pub(crate) used_area: f64,
    /// The packing rule that built this layout; with the placement order in `placed` it
    /// rebuilds the layout exactly (`pack_single`).
    pub(crate) rule: Heuristic,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Solution {
    pub(crate) sheets: Vec<Sheet>,
}

/// Lexicographic objective: lowest total price, then fewer sheets, then the emptiest sheet
/// as empty as possible (which, with the total part area fixed, fills all the others as much
/// as possible and opens the way to emptying the last one).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub(crate) struct Cost {
    pub(crate) price: f64,
    pub(crate) sheets: usize,
    pub(crate) emptiest_area: f64,
}

impl Solution {
    /// The total price of the boards this solution opens.
    pub(crate) fn price(&self, problem: &Problem) -> f64 {
        self.sheets
            .iter()
            .map(|sheet| problem.kinds[sheet.kind].price)
            .sum()
    }

    pub(crate) fn cost(&self, problem: &Problem) -> Cost {
        let emptiest_area = self
            .sheets
            .iter()
            .map(|sheet| sheet.used_area)
            .fold(f64::INFINITY, f64::min);
        Cost {
            price: self.price(problem),
            sheets: self.sheets.len(),
            emptiest_area,
        }
    }

    /// Sheets from fullest to emptiest (stable), so the last sheet is the emptiest.
    pub(crate) fn sort_sheets(&mut self) {
        self.sheets
            .sort_by(|a, b| b.used_area.total_cmp(&a.used_area));
    }

    /// The output order: offcuts in stock order, then new sheets from the fullest (by share
    /// of their area) to the emptiest.
    pub(crate) fn sort_for_output(&mut self, problem: &Problem) {
        let fill = |sheet: &Sheet| {
            let kind = &problem.kinds[sheet.kind];
            sheet.used_area / (kind.width * kind.height)
        };
        self.sheets.sort_by(|a, b| {
            let (kind_a, kind_b) = (&problem.kinds[a.kind], &problem.kinds[b.kind]);
            kind_b
                .offcut
                .cmp(&kind_a.offcut)
                .then_with(|| match kind_a.offcut {
                    true => a.kind.cmp(&b.kind),
                    false => fill(b).total_cmp(&fill(a)),
                })
        });
    }
}

/// One kind of stock in the inflated frame (usable area plus one kerf each way).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StockKind {
    pub(crate) width: f64,
    pub(crate) height: f64,
    /// What one board costs in the objective's unit (cents, or area); 0 for offcuts.
    pub(crate) price: f64,
    /// Boards available; `None` is unlimited.
    pub(crate) limit: Option<usize>,
    pub(crate) offcut: bool,
}

impl StockKind {
    fn fits(&self, item: &Item) -> bool {
        item.orientations()
            .any(|(w, h, _)| w <= self.width && h <= self.height)
    }
}

/// The fixed problem: items and the stock in the inflated frame.
#[derive(Debug)]
pub(crate) struct Problem {
    pub(crate) items: Vec<Item>,
    pub(crate) kinds: Vec<StockKind>,
    pub(crate) guillotine_only: bool,
    /// New-sheet kinds from the cheapest per usable area on (stable): the order in which
    /// they serve as the primary kind and as fallbacks.
    pub(crate) sheet_kinds: Vec<usize>,
}

impl Problem {
    pub(crate) fn new(items: Vec<Item>, kinds: Vec<StockKind>, guillotine_only: bool) -> Problem {
        let mut sheet_kinds: Vec<usize> = (0..kinds.len())
            .filter(|&index| !kinds[index].offcut)
            .collect();
        let rate = |index: &usize| {
            let kind = &kinds[*index];
            kind.price / (kind.width * kind.height)
        };
        sheet_kinds.sort_by(|a, b| rate(a).total_cmp(&rate(b)));
        Problem {
            items,
            kinds,
            guillotine_only,
            sheet_kinds,
        }
    }

    /// Boards still available once `used` sheets are taken.
    pub(crate) fn remaining<'a>(
        &self,
        used: impl IntoIterator<Item = &'a Sheet>,
    ) -> Vec<Option<usize>> {
        let mut remaining: Vec<Option<usize>> = self.kinds.iter().map(|kind| kind.limit).collect();
        for sheet in used {
            if let Some(count) = &mut remaining[sheet.kind] {
                *count = count.saturating_sub(1);
            }
        }
        remaining
    }

    /// A lower bound on the price of any solution that opens only offcuts and sheets of
    /// `primary`; the search of that primary stops when it reaches it. 0 when parts need
    /// another kind.
    pub(crate) fn lower_bound(&self, primary: Option<usize>) -> f64 {
        let Some(primary) = primary else {
            return 0.0;
        };
        let kind = &self.kinds[primary];
        if !self.items.iter().all(|item| kind.fits(item)) {
            return 0.0;
        }
        let offcut_area: f64 = self
            .kinds
            .iter()
            .filter(|kind| kind.offcut)
            .map(|kind| kind.width * kind.height)
            .sum();
        let sheets = if offcut_area > 0.0 {
            let inflated_area: f64 = self.items.iter().map(|item| item.w * item.h).sum();
            let left = inflated_area - offcut_area;
            if left <= 0.0 {
                0
            } else {
                (left / (kind.width * kind.height) - 1e-9).ceil() as usize
            }
        } else {
            sheet_lower_bound(&self.items, kind.width, kind.height)
        };
        sheets as f64 * kind.price
    }
}

/// Search limits; `deadline` is the only clock input and acts as a safety net. `None` means
/// no deadline (a time limit too large to add to the current instant).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) deadline: Option<Instant>,
    pub(crate) probe_budget: u64,
    pub(crate) max_moves: u32,
}

impl Limits {
    /// The same deadline with `numerator / denominator` of the work budget, for one phase
    /// of several.
    pub(crate) fn share(&self, numerator: u64, denominator: u64) -> Limits {
        Limits {
            deadline: self.deadline,
            probe_budget: self.probe_budget / denominator * numerator,
            max_moves: (u64::from(self.max_moves) / denominator * numerator) as u32,
        }
    }

    pub(crate) fn past_deadline(&self) -> bool {
        self.deadline
            .is_some_and(|deadline| Instant::now() >= deadline)
    }
}

/// Packs `order` greedily: every offcut still `remaining` is opened first, then each item
/// goes to the first open sheet that takes it, placed by `heuristic`, else onto a new sheet
/// of the `primary` kind, or failing that of the cheapest kind left that takes it. `None`
/// when the remaining stock cannot hold every item. Unused offcuts are left out.
pub(crate) fn construct(
    problem: &Problem,
    order: &[usize],
    heuristic: Heuristic,
    primary: Option<usize>,
    remaining: &[Option<usize>],
    probes: &mut u64,
) -> Option<Solution> {
    let first_fit = Filling {
        new_sheets: None,
        best_fit: false,
    };
    let packing = fill(
        problem, order, heuristic, primary, remaining, first_fit, probes,
    );
    packing.left_over.is_empty().then_some(packing.solution)
}

/// Packs `order` onto one board of `kind`, or `None` if it does not all fit. Packing the
/// items one sheet of `fill` held, in the order they were placed and with the same rule,
/// rebuilds that sheet's layout exactly: a bin's spots depend only on what it already holds.
pub(crate) fn pack_single(
    problem: &Problem,
    kind: usize,
    order: &[usize],
    rule: Heuristic,
    probes: &mut u64,
) -> Option<Sheet> {
    let mut only: Vec<Option<usize>> = vec![Some(0); problem.kinds.len()];
    only[kind] = Some(1);
    let mut packed = construct(problem, order, rule, Some(kind), &only, probes)?;
    (packed.sheets.len() == 1).then(|| packed.sheets.remove(0))
}

/// What `fill` made of an order: the sheets, and the items that found no room.
pub(crate) struct Packing {
    pub(crate) solution: Solution,
    pub(crate) left_over: Vec<usize>,
    /// Inflated area of the items left over.
    pub(crate) left_over_area: f64,
}

/// How `fill` uses sheets.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Filling {
    /// At most this many new (non-offcut) sheets when given.
    pub(crate) new_sheets: Option<usize>,
    /// Each item to the open sheet where the packer scores its spot best, rather than the
    /// first that takes it.
    pub(crate) best_fit: bool,
}

/// `construct`, except that sheets are used as `filling` says and an item that fits nowhere
/// is left over instead of ending the packing.
pub(crate) fn fill(
    problem: &Problem,
    order: &[usize],
    heuristic: Heuristic,
    primary: Option<usize>,
    remaining: &[Option<usize>],
    filling: Filling,
    probes: &mut u64,
) -> Packing {
    let Filling {
        new_sheets,
        best_fit,
    } = filling;
    let mut remaining = remaining.to_vec();
    let mut bins: Vec<(Bin, f64)> = Vec::new();
    let mut sheets: Vec<Sheet> = Vec::new();
    let mut opened_new = 0_usize;
    let mut left_over = Vec::new();
    let mut left_over_area = 0.0;
    let open = |kind: usize,
                bins: &mut Vec<(Bin, f64)>,
                sheets: &mut Vec<Sheet>,
                remaining: &mut [Option<usize>]| {
        let stock = &problem.kinds[kind];
        bins.push((Bin::new(heuristic, stock.width, stock.height), 0.0));
        sheets.push(Sheet {
            kind,
            placed: Vec::new(),
            used_area: 0.0,
            rule: heuristic,
        });
        if let Some(count) = &mut remaining[kind] {
            *count -= 1;
        }
    };
    for (kind, stock) in problem.kinds.iter().enumerate() {
        if stock.offcut && remaining[kind] != Some(0) {
            open(kind, &mut bins, &mut sheets, &mut remaining);
        }
    }
    for &item_index in order {
        let item = &problem.items[item_index];
        let inflated_area = item.w * item.h;
        let mut target: Option<(usize, Spot)> = None;
        for (sheet_index, (bin, inflated_used)) in bins.iter().enumerate() {
            let stock = &problem.kinds[sheets[sheet_index].kind];
            if stock.width * stock.height - inflated_used < inflated_area {
                continue;
            }
            if let Some(spot) = bin.find(item, probes) {
                if !best_fit {
                    target = Some((sheet_index, spot));
                    break;
                }
                if spot.better_than(target.as_ref().map(|(_, known)| known)) {
                    target = Some((sheet_index, spot));
                }
            }
        }
        if target.is_none() && new_sheets.is_none_or(|cap| opened_new < cap) {
            let candidates = primary
                .into_iter()
                .chain(problem.sheet_kinds.iter().copied());
            for kind in candidates {
                if remaining[kind] == Some(0) || !problem.kinds[kind].fits(item) {
                    continue;
                }
                open(kind, &mut bins, &mut sheets, &mut remaining);
                opened_new += 1;
                target = bins
                    .last()
                    .and_then(|(bin, _)| bin.find(item, probes))
                    .map(|spot| (bins.len() - 1, spot));
                break;
            }
        }
        let Some((sheet_index, spot)) = target else {
            left_over.push(item_index);
            left_over_area += inflated_area;
            continue;
        };
        let (bin, inflated_used) = &mut bins[sheet_index];
        bin.place(&spot, probes);
        *inflated_used += inflated_area;
        let sheet = &mut sheets[sheet_index];
        sheet.placed.push(Placed {
            item: item_index,
            rect: spot.rect,
            rotated: spot.rotated,
        });
        sheet.used_area += item.real_area;
    }
    sheets.retain(|sheet| !sheet.placed.is_empty());
    Packing {
        solution: Solution { sheets },
        left_over,
        left_over_area,
    }
}

/// The rules tried first: exactly the classic greedy baselines (MaxRects BSSF/BAF/BL,
/// Skyline BL/MinWaste, guillotine BAF with each split rule) so that the result is never
/// worse than the best of them, followed by further combinations.
pub(crate) fn portfolio(guillotine_only: bool) -> Vec<Heuristic> {
    let mut rules = Vec::new();
    if !guillotine_only {
        rules.extend([
            Heuristic::MaxRects(MaxRectsRule::BestShortSideFit),
            Heuristic::MaxRects(MaxRectsRule::BestAreaFit),
            Heuristic::MaxRects(MaxRectsRule::BottomLeft),
            Heuristic::Skyline(SkylineRule::BottomLeft),
            Heuristic::Skyline(SkylineRule::MinWaste),
        ]);
    }
    for split in SplitRule::ALL {
        rules.push(Heuristic::Guillotine(GuillotineChoice::LeastArea, split));
    }
    if !guillotine_only {
        rules.push(Heuristic::MaxRects(MaxRectsRule::BestLongSideFit));
    }
    for choice in [GuillotineChoice::ShortSide, GuillotineChoice::LongSide] {
        for split in SplitRule::ALL {
            rules.push(Heuristic::Guillotine(choice, split));
        }
    }
    rules
}

/// Whether `price` is down to `bound` (up to rounding).
pub(crate) fn reaches(price: f64, bound: f64) -> bool {
    price <= bound * (1.0 + 1e-12)
}
