//! The goal-driven phase (after Wei, Oon, Zhu and Lim, "A goal-driven approach to the 2D
//! bin packing and variable-sized bin packing problems", 2013): holding a solution with `m`
//! new sheets, aim for `m − 1`. A part order is packed best fit (each part on the sheet
//! where the packer scores its spot best) into the offcuts and at most `m − 1` new sheets;
//! a late-acceptance search on the order shrinks the area left over, and an order that
//! leaves nothing over is a solution one sheet cheaper. The goal then moves down again,
//! until the lower bound or the budget ends it.
//!
//! Invariant: every solution returned comes whole from one `fill`, so it is as valid as the
//! packers make it; a solution is only ever replaced by a cheaper one.

use super::cover::PatternPool;
use super::model::{Filling, Limits, Problem, Solution, SplitMix64, fill, portfolio, reaches};
use super::packers::Heuristic;

/// Length of the late-acceptance history over the area left over.
const HISTORY_LENGTH: usize = 20;

/// The part order a solution implies, its emptiest sheet's parts first (the ones a sheet
/// fewer must find room for), then each sheet's parts from the fullest sheet on, larger
/// parts first within a sheet.
fn order_of(problem: &Problem, solution: &Solution) -> Vec<usize> {
    let area = |index: &usize| problem.items[*index].w * problem.items[*index].h;
    let mut sheets: Vec<_> = solution.sheets.iter().collect();
    sheets.sort_by(|a, b| b.used_area.total_cmp(&a.used_area));
    if let Some(emptiest) = sheets.pop() {
        sheets.insert(0, emptiest);
    }
    let mut order = Vec::with_capacity(problem.items.len());
    for sheet in sheets {
        let mut items: Vec<usize> = sheet.placed.iter().map(|placed| placed.item).collect();
        items.sort_by(|a, b| area(b).total_cmp(&area(a)));
        order.extend(items);
    }
    order
}

/// Moves one item of `order` to an earlier place: a left-over item when there are some
/// (it gets an earlier chance at the sheets), else any item; or swaps two items.
fn perturb(order: &mut [usize], left_over: &[usize], rng: &mut SplitMix64) {
    let n = order.len();
    if n < 2 {
        return;
    }
    if !left_over.is_empty() && rng.chance(1, 2) {
        let item = left_over[rng.below(left_over.len())];
        let Some(from) = order.iter().position(|&known| known == item) else {
            return;
        };
        if from == 0 {
            return;
        }
        let to = rng.below(from);
        order[to..=from].rotate_right(1);
    } else {
        let first = rng.below(n);
        let second = rng.below(n);
        order.swap(first, second);
    }
}

/// Tries to bring `start` (a solution and the rule that built it) down one new sheet at a
/// time; returns the cheapest solution found. Its budget is as large as the late-acceptance
/// phase's: `limits.probe_budget` probes and `limits.max_moves` decoded orders. Every sheet
/// it packs goes into `pool` for the exact stage.
pub(crate) fn reduce(
    problem: &Problem,
    start: (Solution, Heuristic),
    primary: usize,
    lower_bound: f64,
    limits: Limits,
    seed: u64,
    pool: &mut PatternPool,
) -> Solution {
    let (mut best, mut rule) = start;
    let mut rng = SplitMix64::new(seed);
    let rules = portfolio(problem.guillotine_only);
    let remaining = problem.remaining([]);
    let mut probes = 0_u64;
    let mut orders = 0_u32;
    let exhausted = |probes: u64, orders: u32| {
        probes >= limits.probe_budget || orders >= limits.max_moves || limits.past_deadline()
    };
    'goals: loop {
        let new_sheets = best
            .sheets
            .iter()
            .filter(|sheet| !problem.kinds[sheet.kind].offcut)
            .count();
        if new_sheets == 0 || reaches(best.price(problem), lower_bound) {
            break;
        }
        let filling = Filling {
            new_sheets: Some(new_sheets - 1),
            best_fit: true,
        };
        let mut order = order_of(problem, &best);
        let mut current = fill(
            problem,
            &order,
            rule,
            Some(primary),
            &remaining,
            filling,
            &mut probes,
        );
        orders += 1;
        pool.record(&current.solution);
        let mut history = [current.left_over_area; HISTORY_LENGTH];
        while !current.left_over.is_empty() {
            if exhausted(probes, orders) {
                break 'goals;
            }
            let mut candidate_order = order.clone();
            let mut candidate_rule = rule;
            if rng.chance(1, 16) {
                candidate_rule = rules[rng.below(rules.len())];
            } else {
                perturb(&mut candidate_order, &current.left_over, &mut rng);
            }
            let candidate = fill(
                problem,
                &candidate_order,
                candidate_rule,
                Some(primary),
                &remaining,
                filling,
                &mut probes,
            );
            pool.record(&candidate.solution);
            let slot = orders as usize % HISTORY_LENGTH;
            orders += 1;
            if candidate.left_over_area <= current.left_over_area
                || candidate.left_over_area <= history[slot]
            {
                order = candidate_order;
                rule = candidate_rule;
                current = candidate;
            }
            history[slot] = current.left_over_area;
        }
        if current.solution.price(problem) >= best.price(problem) {
            break;
        }
        best = current.solution;
    }
    best
}
