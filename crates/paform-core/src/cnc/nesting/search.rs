//! The optimizer: a portfolio of greedy constructions (packer rule × part order, first fit
//! over open sheets), then late-acceptance ruin-and-recreate on sheets and on part order,
//! then the goal-driven phase of `goal` that aims for one sheet fewer at a time.
//!
//! Invariants: every solution handled here places every item exactly once and each sheet's
//! layout comes from one packer run, so it is valid by the packers' own invariants; in
//! guillotine mode only guillotine packers are ever used. All randomness comes from one
//! `SplitMix64` seeded by the caller, and the search stops on a count of packer probes, an
//! iteration cap, the lower bound, or the deadline, whichever comes first.

use std::time::Instant;

use super::bounds::sheet_lower_bound;
use super::geometry::{Item, Rect, Spot};
use super::goal;
use super::packers::{Bin, GuillotineChoice, Heuristic, MaxRectsRule, SkylineRule, SplitRule};

/// Packer probes (candidate checks) each of the two improvement phases may spend per second
/// of the request's time limit: together about half of that second for 100 parts in a
/// release build, so this budget, not the clock, is what normally ends a run, and a longer
/// time limit buys a longer search.
pub(crate) const SEARCH_PROBES_PER_SECOND: f64 = 100_000_000.0;
/// Moves (decoded part orders) each improvement phase tries at most per second of the time
/// limit, so tiny instances stop quickly too.
pub(crate) const SEARCH_MOVES_PER_SECOND: f64 = 20_000.0;
/// Length of the late-acceptance history.
const LATE_ACCEPTANCE_LENGTH: usize = 40;

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
    const ALL: [SortKey; 6] = [
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
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Solution {
    pub(crate) sheets: Vec<Sheet>,
}

/// Lexicographic objective: lowest total price, then fewer sheets, then the emptiest sheet
/// as empty as possible (which, with the total part area fixed, fills all the others as much
/// as possible and opens the way to emptying the last one).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
struct Cost {
    price: f64,
    sheets: usize,
    emptiest_area: f64,
}

impl Solution {
    /// The total price of the boards this solution opens.
    pub(crate) fn price(&self, problem: &Problem) -> f64 {
        self.sheets
            .iter()
            .map(|sheet| problem.kinds[sheet.kind].price)
            .sum()
    }

    fn cost(&self, problem: &Problem) -> Cost {
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
    fn sort_for_output(&mut self, problem: &Problem) {
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
    sheet_kinds: Vec<usize>,
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
    fn lower_bound(&self, primary: Option<usize>) -> f64 {
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

/// Baseline pairs first (the three classic sort keys with every baseline rule), then the rest.
fn construction_plan(guillotine_only: bool) -> Vec<(Heuristic, SortKey)> {
    let rules = portfolio(guillotine_only);
    let n_baseline_rules = if guillotine_only { 6 } else { 11 };
    let classic = [SortKey::Area, SortKey::LongerSide, SortKey::Perimeter];
    let mut plan = Vec::new();
    for &rule in &rules[..n_baseline_rules] {
        for key in classic {
            plan.push((rule, key));
        }
    }
    for (rule_index, &rule) in rules.iter().enumerate() {
        for key in SortKey::ALL {
            if rule_index < n_baseline_rules && classic.contains(&key) {
                continue;
            }
            plan.push((rule, key));
        }
    }
    plan
}

/// Runs the whole optimization and returns the cheapest solution found; `None` when the
/// stock cannot hold the items. Each new-sheet kind in turn is the primary kind of a full
/// search (exactly the search a request with that one size would get, so a mix is never
/// costlier than the best single size) whose result then has sheets swapped for cheaper
/// boards that hold their parts.
pub(crate) fn optimize(problem: &Problem, limits: Limits, seed: u64) -> Option<Solution> {
    let primaries: Vec<Option<usize>> = if problem.sheet_kinds.is_empty() {
        vec![None]
    } else {
        problem.sheet_kinds.iter().copied().map(Some).collect()
    };
    let mut best: Option<Solution> = None;
    for (index, &primary) in primaries.iter().enumerate() {
        if index > 0 && limits.past_deadline() {
            break;
        }
        let Some(mut found) = optimize_primary(problem, primary, limits, seed) else {
            continue;
        };
        if problem.kinds.len() > 1 {
            downsize(problem, &mut found, limits);
        }
        if best
            .as_ref()
            .is_none_or(|incumbent| found.cost(problem) < incumbent.cost(problem))
        {
            best = Some(found);
        }
    }
    let mut best = best?;
    best.sort_for_output(problem);
    Some(best)
}

fn optimize_primary(
    problem: &Problem,
    primary: Option<usize>,
    limits: Limits,
    seed: u64,
) -> Option<Solution> {
    let all_items: Vec<usize> = (0..problem.items.len()).collect();
    let plan = construction_plan(problem.guillotine_only);
    let remaining = problem.remaining([]);
    let lower_bound = problem.lower_bound(primary);
    let mut probes = 0_u64;
    let mut best: Option<(Solution, Heuristic)> = None;
    let mut orders: Vec<(SortKey, Vec<usize>)> = Vec::new();
    for (plan_index, &(rule, key)) in plan.iter().enumerate() {
        // The first construction always runs: it is the greedy fallback.
        if plan_index > 0 && limits.past_deadline() {
            break;
        }
        let order = match orders.iter().find(|(cached, _)| *cached == key) {
            Some((_, order)) => order.clone(),
            None => {
                let order = sorted_order(&problem.items, &all_items, key);
                orders.push((key, order.clone()));
                order
            }
        };
        let Some(solution) = construct(problem, &order, rule, primary, &remaining, &mut probes)
        else {
            continue;
        };
        let is_better = match &best {
            None => true,
            Some((incumbent, _)) => solution.cost(problem) < incumbent.cost(problem),
        };
        if is_better {
            best = Some((solution, rule));
        }
        if best
            .as_ref()
            .is_some_and(|(sol, _)| reaches(sol.cost(problem).price, lower_bound))
        {
            break;
        }
    }
    let (mut best, best_rule) = best?;
    best.sort_sheets();
    if !reaches(best.cost(problem).price, lower_bound) {
        best = improve(problem, best, best_rule, primary, lower_bound, limits, seed);
    }
    if let Some(primary) = primary {
        let seed = seed ^ 0x676f_616c;
        best = goal::reduce(problem, best, best_rule, primary, lower_bound, limits, seed);
    }
    best.sort_sheets();
    Some(best)
}

/// Whether `price` is down to `bound` (up to rounding).
pub(crate) fn reaches(price: f64, bound: f64) -> bool {
    price <= bound * (1.0 + 1e-12)
}

/// Swaps each new sheet, emptiest first, for the cheapest available board (an unused
/// offcut or a cheaper size) that takes all its parts in one greedy pass, until the deadline.
fn downsize(problem: &Problem, solution: &mut Solution, limits: Limits) {
    solution.sort_sheets();
    let mut probes = 0_u64;
    for sheet_index in (0..solution.sheets.len()).rev() {
        if limits.past_deadline() {
            break;
        }
        let sheet = &solution.sheets[sheet_index];
        let price = problem.kinds[sheet.kind].price;
        let remaining = problem.remaining(&solution.sheets);
        let mut cheaper: Vec<usize> = (0..problem.kinds.len())
            .filter(|&kind| problem.kinds[kind].price < price && remaining[kind] != Some(0))
            .collect();
        cheaper.sort_by(|a, b| problem.kinds[*a].price.total_cmp(&problem.kinds[*b].price));
        let subset: Vec<usize> = sheet.placed.iter().map(|placed| placed.item).collect();
        'kinds: for kind in cheaper {
            let mut only: Vec<Option<usize>> = vec![Some(0); problem.kinds.len()];
            only[kind] = Some(1);
            for rule in portfolio(problem.guillotine_only) {
                for key in [SortKey::Area, SortKey::LongerSide, SortKey::Perimeter] {
                    let order = sorted_order(&problem.items, &subset, key);
                    let Some(mut packed) =
                        construct(problem, &order, rule, Some(kind), &only, &mut probes)
                    else {
                        continue;
                    };
                    if packed.sheets.len() == 1 {
                        solution.sheets[sheet_index] = packed.sheets.remove(0);
                        break 'kinds;
                    }
                }
            }
        }
    }
}

/// Late-acceptance hill climbing over three ruin-and-recreate moves: moving the emptiest
/// sheet's parts one by one into the other sheets, repacking the emptiest sheet together
/// with a few others, and re-decoding the whole part order with the emptiest sheet's parts
/// moved to the front.
fn improve(
    problem: &Problem,
    start: Solution,
    start_rule: Heuristic,
    primary: Option<usize>,
    lower_bound: f64,
    limits: Limits,
    seed: u64,
) -> Solution {
    let rules = portfolio(problem.guillotine_only);
    let mut rng = SplitMix64::new(seed);
    let mut probes = 0_u64;
    let mut current = start.clone();
    let mut current_cost = current.cost(problem);
    let mut best = start;
    let mut best_cost = current_cost;
    let mut history = [current_cost; LATE_ACCEPTANCE_LENGTH];
    for move_index in 0..limits.max_moves {
        if probes >= limits.probe_budget
            || reaches(best_cost.price, lower_bound)
            || limits.past_deadline()
        {
            break;
        }
        let rule = if rng.chance(1, 2) {
            start_rule
        } else {
            rules[rng.below(rules.len())]
        };
        let candidate = match rng.below(6) {
            _ if current.sheets.len() == 1 => {
                repack_sheets(problem, &current, rule, primary, &mut rng, &mut probes)
            }
            0 | 1 => eject(problem, &current, rule, &mut rng, &mut probes),
            2..=4 => repack_sheets(problem, &current, rule, primary, &mut rng, &mut probes),
            _ => redecode(problem, &current, rule, primary, &mut rng, &mut probes),
        };
        let Some(candidate) = candidate else {
            continue;
        };
        let candidate_cost = candidate.cost(problem);
        let slot = move_index as usize % LATE_ACCEPTANCE_LENGTH;
        if candidate_cost <= current_cost || candidate_cost <= history[slot] {
            current = candidate;
            current.sort_sheets();
            current_cost = candidate_cost;
            if current_cost < best_cost {
                best = current.clone();
                best_cost = current_cost;
            }
        }
        history[slot] = current_cost;
    }
    best
}

/// Packs `order` onto one board of `kind`, or `None` if it does not all fit.
fn pack_single(
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

/// Tries to empty the emptiest sheet: each of its parts, largest first, moves to the first
/// other sheet (from a random one on) that still holds all its own parts plus this one when
/// repacked; the parts that find no place are repacked on the emptiest sheet's board, which
/// is dropped once empty. `None` if no part moved.
fn eject(
    problem: &Problem,
    current: &Solution,
    rule: Heuristic,
    rng: &mut SplitMix64,
    probes: &mut u64,
) -> Option<Solution> {
    let n_sheets = current.sheets.len();
    let emptiest = &current.sheets[n_sheets - 1];
    let mut sheets: Vec<Sheet> = current.sheets[..n_sheets - 1].to_vec();
    let area = |index: &usize| problem.items[*index].w * problem.items[*index].h;
    let mut leaving: Vec<usize> = emptiest.placed.iter().map(|p| p.item).collect();
    leaving.sort_by(|a, b| area(b).total_cmp(&area(a)));
    let start = rng.below(sheets.len());
    let key = [SortKey::Area, SortKey::LongerSide, SortKey::Perimeter][rng.below(3)];
    let mut staying = Vec::new();
    for item in leaving {
        let mut moved = false;
        for offset in 0..sheets.len() {
            let target = (start + offset) % sheets.len();
            let kind = sheets[target].kind;
            let stock = &problem.kinds[kind];
            let inflated_used: f64 = sheets[target].placed.iter().map(|p| area(&p.item)).sum();
            if stock.width * stock.height - inflated_used < area(&item) {
                continue;
            }
            let mut subset: Vec<usize> = sheets[target].placed.iter().map(|p| p.item).collect();
            subset.push(item);
            let order = sorted_order(&problem.items, &subset, key);
            if let Some(sheet) = pack_single(problem, kind, &order, rule, probes) {
                sheets[target] = sheet;
                moved = true;
                break;
            }
        }
        if !moved {
            staying.push(item);
        }
    }
    if staying.len() == emptiest.placed.len() {
        return None;
    }
    if !staying.is_empty() {
        let order = sorted_order(&problem.items, &staying, SortKey::Area);
        sheets.push(pack_single(problem, emptiest.kind, &order, rule, probes)?);
    }
    Some(Solution { sheets })
}

/// A part order for a subset of items: a random classic key, lightly shuffled.
fn noisy_order(problem: &Problem, subset: &[usize], rng: &mut SplitMix64) -> Vec<usize> {
    let key = SortKey::ALL[rng.below(SortKey::ALL.len())];
    let mut order = sorted_order(&problem.items, subset, key);
    if order.len() > 1 && rng.chance(1, 2) {
        let n_swaps = 1 + rng.below(3);
        for _ in 0..n_swaps {
            let first = rng.below(order.len());
            let second = (first + 1 + rng.below(4)).min(order.len() - 1);
            order.swap(first, second);
        }
    }
    order
}

/// Ruin: take the emptiest sheet and up to three others apart. Recreate: pack their parts
/// afresh with a random rule and order. The untouched sheets keep their layouts.
fn repack_sheets(
    problem: &Problem,
    current: &Solution,
    rule: Heuristic,
    primary: Option<usize>,
    rng: &mut SplitMix64,
    probes: &mut u64,
) -> Option<Solution> {
    let n_sheets = current.sheets.len();
    let emptiest = n_sheets - 1;
    let n_others = (1 + rng.below(3)).min(n_sheets - 1);
    let mut chosen = vec![emptiest];
    while chosen.len() < n_others + 1 {
        let pick = rng.below(n_sheets - 1);
        if !chosen.contains(&pick) {
            chosen.push(pick);
        }
    }
    let subset: Vec<usize> = chosen
        .iter()
        .flat_map(|&sheet_index| current.sheets[sheet_index].placed.iter().map(|p| p.item))
        .collect();
    let order = noisy_order(problem, &subset, rng);
    let mut sheets: Vec<Sheet> = current
        .sheets
        .iter()
        .enumerate()
        .filter(|(sheet_index, _)| !chosen.contains(sheet_index))
        .map(|(_, sheet)| sheet.clone())
        .collect();
    let remaining = problem.remaining(&sheets);
    let rebuilt = construct(problem, &order, rule, primary, &remaining, probes)?;
    sheets.extend(rebuilt.sheets);
    Some(Solution { sheets })
}

/// Ruin the order: the emptiest sheet's parts go first, then the other sheets' parts from
/// the fullest sheet on, with a few random swaps; recreate with a (possibly new) rule.
fn redecode(
    problem: &Problem,
    current: &Solution,
    rule: Heuristic,
    primary: Option<usize>,
    rng: &mut SplitMix64,
    probes: &mut u64,
) -> Option<Solution> {
    let emptiest = current.sheets.len() - 1;
    let mut order: Vec<usize> = Vec::with_capacity(problem.items.len());
    let mut last: Vec<usize> = current.sheets[emptiest]
        .placed
        .iter()
        .map(|p| p.item)
        .collect();
    last.sort_by(|a, b| {
        let area = |index: &usize| problem.items[*index].w * problem.items[*index].h;
        area(b).total_cmp(&area(a))
    });
    order.extend(last);
    for sheet in &current.sheets[..emptiest] {
        let mut items: Vec<usize> = sheet.placed.iter().map(|p| p.item).collect();
        items.sort_by(|a, b| {
            let area = |index: &usize| problem.items[*index].w * problem.items[*index].h;
            area(b).total_cmp(&area(a))
        });
        order.extend(items);
    }
    let n_swaps = rng.below(4);
    for _ in 0..n_swaps {
        let first = rng.below(order.len());
        let second = rng.below(order.len());
        order.swap(first, second);
    }
    construct(
        problem,
        &order,
        rule,
        primary,
        &problem.remaining([]),
        probes,
    )
}
