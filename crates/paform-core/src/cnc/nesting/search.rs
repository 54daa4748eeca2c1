//! The optimizer: a portfolio of greedy constructions (packer rule × part order, first fit
//! over open sheets), then late-acceptance ruin-and-recreate on sheets and on part order.
//!
//! Invariants: every solution handled here places every item exactly once and each sheet's
//! layout comes from one packer run, so it is valid by the packers' own invariants; in
//! guillotine mode only guillotine packers are ever used. All randomness comes from one
//! `SplitMix64` seeded by the caller, and the search stops on a count of packer probes, an
//! iteration cap, the lower bound, or the deadline, whichever comes first.

use std::time::Instant;

use super::geometry::{Item, Rect};
use super::packers::{Bin, GuillotineChoice, Heuristic, MaxRectsRule, SkylineRule, SplitRule};

/// Packer probes (candidate checks) the improvement phase may spend. About half a second of
/// work in a release build; this, not the clock, is what normally ends a run.
pub(crate) const SEARCH_PROBE_BUDGET: u64 = 40_000_000;
/// Improvement moves tried at most, so tiny instances stop quickly too.
pub(crate) const SEARCH_MAX_MOVES: u32 = 8_000;
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
    pub(crate) placed: Vec<Placed>,
    /// Real part area on this sheet.
    pub(crate) used_area: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Solution {
    pub(crate) sheets: Vec<Sheet>,
}

/// Lexicographic objective: fewer sheets, then the emptiest sheet as empty as possible
/// (which, with the total part area fixed, fills all the others as much as possible).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
struct Cost {
    sheets: usize,
    emptiest_area: f64,
}

impl Solution {
    fn cost(&self) -> Cost {
        let emptiest_area = self
            .sheets
            .iter()
            .map(|sheet| sheet.used_area)
            .fold(f64::INFINITY, f64::min);
        Cost {
            sheets: self.sheets.len(),
            emptiest_area,
        }
    }

    /// Sheets from fullest to emptiest (stable), so the last sheet is the emptiest.
    pub(crate) fn sort_sheets(&mut self) {
        self.sheets
            .sort_by(|a, b| b.used_area.total_cmp(&a.used_area));
    }
}

/// The fixed problem: items and the usable area in the inflated frame.
#[derive(Debug)]
pub(crate) struct Problem {
    pub(crate) items: Vec<Item>,
    pub(crate) width: f64,
    pub(crate) height: f64,
    pub(crate) guillotine_only: bool,
    pub(crate) lower_bound: usize,
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
    fn past_deadline(&self) -> bool {
        self.deadline
            .is_some_and(|deadline| Instant::now() >= deadline)
    }
}

/// Packs `order` greedily: each item goes to the first open sheet that takes it, placed by
/// `heuristic`, else onto a new sheet.
pub(crate) fn construct(
    problem: &Problem,
    order: &[usize],
    heuristic: Heuristic,
    probes: &mut u64,
) -> Option<Solution> {
    let sheet_area = problem.width * problem.height;
    let mut bins: Vec<(Bin, f64)> = Vec::new();
    let mut sheets: Vec<Sheet> = Vec::new();
    for &item_index in order {
        let item = &problem.items[item_index];
        let inflated_area = item.w * item.h;
        let mut target = None;
        for (sheet_index, (bin, inflated_used)) in bins.iter().enumerate() {
            if sheet_area - inflated_used < inflated_area {
                continue;
            }
            if let Some(spot) = bin.find(item, probes) {
                target = Some((sheet_index, spot));
                break;
            }
        }
        let (sheet_index, spot) = match target {
            Some(found) => found,
            None => {
                let bin = Bin::new(heuristic, problem.width, problem.height);
                // Validation guarantees every item fits an empty sheet, so `None` here only
                // reaches the caller if that invariant is broken.
                let spot = bin.find(item, probes)?;
                bins.push((bin, 0.0));
                sheets.push(Sheet {
                    placed: Vec::new(),
                    used_area: 0.0,
                });
                (bins.len() - 1, spot)
            }
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
    Some(Solution { sheets })
}

/// The rules tried first: exactly the classic greedy baselines (MaxRects BSSF/BAF/BL,
/// Skyline BL/MinWaste, guillotine BAF with each split rule) so that the result is never
/// worse than the best of them, followed by further combinations.
fn portfolio(guillotine_only: bool) -> Vec<Heuristic> {
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

/// Runs the whole optimization and returns the best solution found; `None` only if an item
/// fits no empty sheet, which validation rules out.
pub(crate) fn optimize(problem: &Problem, limits: Limits, seed: u64) -> Option<Solution> {
    let all_items: Vec<usize> = (0..problem.items.len()).collect();
    let plan = construction_plan(problem.guillotine_only);
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
        let solution = construct(problem, &order, rule, &mut probes)?;
        let is_better = match &best {
            None => true,
            Some((incumbent, _)) => solution.cost() < incumbent.cost(),
        };
        if is_better {
            best = Some((solution, rule));
        }
        if best
            .as_ref()
            .is_some_and(|(sol, _)| sol.sheets.len() <= problem.lower_bound)
        {
            break;
        }
    }
    let (mut best, best_rule) = best?;
    best.sort_sheets();
    if best.sheets.len() > problem.lower_bound {
        best = improve(problem, best, best_rule, limits, seed);
    }
    best.sort_sheets();
    Some(best)
}

/// Late-acceptance hill climbing over two ruin-and-recreate moves:
/// repacking the emptiest sheet together with a few others, and re-decoding the whole part
/// order with the emptiest sheet's parts moved to the front.
fn improve(
    problem: &Problem,
    start: Solution,
    start_rule: Heuristic,
    limits: Limits,
    seed: u64,
) -> Solution {
    let rules = portfolio(problem.guillotine_only);
    let mut rng = SplitMix64::new(seed);
    let mut probes = 0_u64;
    let mut current = start.clone();
    let mut current_cost = current.cost();
    let mut best = start;
    let mut best_cost = current_cost;
    let mut history = [current_cost; LATE_ACCEPTANCE_LENGTH];
    for move_index in 0..limits.max_moves {
        if probes >= limits.probe_budget
            || best_cost.sheets <= problem.lower_bound
            || limits.past_deadline()
        {
            break;
        }
        let rule = if rng.chance(1, 2) {
            start_rule
        } else {
            rules[rng.below(rules.len())]
        };
        let candidate = if current.sheets.len() == 1 || rng.chance(2, 3) {
            repack_sheets(problem, &current, rule, &mut rng, &mut probes)
        } else {
            redecode(problem, &current, rule, &mut rng, &mut probes)
        };
        let Some(candidate) = candidate else {
            continue;
        };
        let candidate_cost = candidate.cost();
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
    let rebuilt = construct(problem, &order, rule, probes)?;
    let mut sheets: Vec<Sheet> = current
        .sheets
        .iter()
        .enumerate()
        .filter(|(sheet_index, _)| !chosen.contains(sheet_index))
        .map(|(_, sheet)| sheet.clone())
        .collect();
    sheets.extend(rebuilt.sheets);
    Some(Solution { sheets })
}

/// Ruin the order: the emptiest sheet's parts go first, then the other sheets' parts from
/// the fullest sheet on, with a few random swaps; recreate with a (possibly new) rule.
fn redecode(
    problem: &Problem,
    current: &Solution,
    rule: Heuristic,
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
    construct(problem, &order, rule, probes)
}
