//! The optimizer: a portfolio of greedy constructions (packer rule × part order, first fit
//! over open sheets), then late-acceptance ruin-and-recreate on sheets and on part order,
//! then the exact stage of `cover` (set covering over the sheets seen so far), the
//! goal-driven phase of `goal` that aims for one sheet fewer at a time, and the exact stage
//! again over everything the goal phase packed.
//!
//! Invariants: every solution handled here places every item exactly once and each sheet's
//! layout comes from one packer run, so it is valid by the packers' own invariants; in
//! guillotine mode only guillotine packers are ever used. All randomness comes from one
//! `SplitMix64` seeded by the caller, and the search stops on a count of packer probes, an
//! iteration cap, the lower bound, or the deadline, whichever comes first. The model it
//! searches over (problem, solution, `fill`, RNG) lives in `model`, shared with `goal`.

use super::cover::{self, PatternPool};
use super::goal;
use super::model::{
    Limits, Problem, Sheet, Solution, SortKey, SplitMix64, construct, pack_single, portfolio,
    reaches, sorted_order,
};
use super::packers::Heuristic;

/// Packer probes (candidate checks) each of the two improvement phases may spend per second
/// of the request's time limit, and the exact stage half as many work units (see
/// `optimize_primary`): for 100 hard parts a release build spends most of the limit on it,
/// so this budget, not the clock, is what normally ends a run, and a longer time limit buys
/// a longer search.
pub(crate) const SEARCH_PROBES_PER_SECOND: f64 = 100_000_000.0;
/// Moves (decoded part orders) each improvement phase tries at most per second of the time
/// limit, so tiny instances stop quickly too.
pub(crate) const SEARCH_MOVES_PER_SECOND: f64 = 20_000.0;
/// Length of the late-acceptance history.
const LATE_ACCEPTANCE_LENGTH: usize = 40;

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
    // Every sheet any phase builds becomes a pattern for the exact stage.
    let mut pool = PatternPool::new(problem);
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
        pool.record(&solution);
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
    // Late acceptance and the goal phase keep the whole budget they had alone; the exact
    // stage adds half a budget more, a quarter before the goal phase (on the patterns of
    // the constructions and late acceptance, where one sheet fewer often hides already) and
    // a quarter after it (when the goal phase's fills have added many dense patterns).
    if !reaches(best.cost(problem).price, lower_bound) {
        best = improve(
            problem,
            (best, best_rule),
            primary,
            lower_bound,
            limits,
            seed,
            &mut pool,
        );
    }
    if let Some(primary) = primary {
        let seed = seed ^ 0x676f_616c;
        best = cover::reduce(
            problem,
            &pool,
            best,
            primary,
            lower_bound,
            limits,
            limits.share(1, 4).probe_budget,
        );
        best = goal::reduce(
            problem,
            (best, best_rule),
            primary,
            lower_bound,
            limits,
            seed,
            &mut pool,
        );
        best = cover::reduce(
            problem,
            &pool,
            best,
            primary,
            lower_bound,
            limits,
            limits.share(1, 4).probe_budget,
        );
    }
    best.sort_sheets();
    Some(best)
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
/// moved to the front. Every candidate's sheets go into `pool` for the exact stage.
fn improve(
    problem: &Problem,
    (start, start_rule): (Solution, Heuristic),
    primary: Option<usize>,
    lower_bound: f64,
    limits: Limits,
    seed: u64,
    pool: &mut PatternPool,
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
        pool.record(&candidate);
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
