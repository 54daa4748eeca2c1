//! The exact stage: set covering over the sheet patterns the search has seen, after Monaci
//! and Toth ("A set-covering-based heuristic approach for bin-packing problems", 2006),
//! with an exact fill of the last sheets.
//!
//! - **Patterns.** Every sheet a search phase builds is kept as a pattern: the multiset of
//!   part types it holds (parts of one type have the same inflated size and rotation
//!   freedom), with the packer rule and the placement order that built it.
//! - **Search.** Holding a solution of `m` sheets, a depth-first search looks for at most
//!   `m − 1` patterns that hold every part exactly once (an exact cover: a pattern that
//!   would hold a part already covered is out of play until the search backs up). It
//!   branches on the uncovered type with the fewest patterns left (Knuth's rule), and
//!   besides the pool's patterns it tries fresh ones: one sheet packed from the uncovered
//!   parts, a part of that type first, by every rule and classic order (bin completion).
//! - **Cut-offs.** The area bound: with `s` sheets left to choose, the uncovered area must
//!   fit `s` of the fullest patterns, so each pattern chosen must cover at least the
//!   uncovered area minus `s − 1` of them; and parts that cannot share a sheet must not
//!   outnumber the sheets left.
//! - **Exact fill of the last sheets.** With two sheets or fewer left to choose, the
//!   uncovered parts are also packed onto them directly by the portfolio's greedy passes.
//! - **Widening.** The search first tries only the fullest pattern per branch (a greedy
//!   cover), then the best two, three, … and at last all, until its budget ends.
//!
//! Invariants: a covering becomes a solution only through real packer runs. Each chosen
//! pattern is packed again by `pack_single` with its own rule and order, which rebuilds its
//! layout exactly, and the last sheets come from one greedy pass; a covering that some
//! packing refuses is dropped. The search counts its work (pattern entries examined and
//! packer probes) against a budget, so its result depends only on the request; the deadline
//! is only a safety net. A solution is only ever replaced by one with fewer sheets, and only
//! a solution made of one new-sheet kind, with no offcuts in stock, is covered.

use std::collections::{HashMap, HashSet};

use super::model::{
    Filling, Limits, Problem, Sheet, Solution, SortKey, SplitMix64, construct, fill, pack_single,
    portfolio, reaches, sorted_order,
};
use super::packers::Heuristic;

/// Most patterns kept. Once the pool is full later sheets are ignored, so memory stays
/// bounded and which patterns are kept depends only on the order the search saw them.
const MAX_PATTERNS: usize = 100_000;
/// How many candidate patterns each branch may try, widened in turn; the last is unlimited.
const WIDTHS: [usize; 8] = [1, 2, 3, 4, 6, 8, 16, usize::MAX];
/// With this many sheets or fewer left to choose, the uncovered parts are also offered to
/// the packers directly (an exact fill of the last sheets).
const COMPLETION_SLOTS: usize = 2;
/// Work units between two looks at the clock.
const CLOCK_EVERY: u64 = 1 << 16;

/// One sheet layout the search saw, kept as the packer run that made it.
#[derive(Debug, Clone)]
struct Pattern {
    kind: usize,
    rule: Heuristic,
    /// The part types in placement order.
    order: Vec<u32>,
    /// How many parts of each type it holds, by type.
    counts: Vec<(u32, u32)>,
}

/// The patterns seen so far, and the part types they are written in.
#[derive(Debug)]
pub(crate) struct PatternPool {
    /// The type of each item. Items of one type have the same inflated size and rotation
    /// freedom, so they are interchangeable in any layout.
    item_types: Vec<u32>,
    /// The items of each type, by item index.
    type_items: Vec<Vec<usize>>,
    patterns: Vec<Pattern>,
    /// A fingerprint of each kept pattern's kind and multiset of types: a sum of one random
    /// key per part, so a sheet is checked without sorting or allocating. Two different
    /// multisets sharing a fingerprint (odds about 2^-64) would only cost the later one its
    /// place in the pool.
    seen: HashSet<u64>,
    /// The random key of each type.
    type_keys: Vec<u64>,
}

impl PatternPool {
    pub(crate) fn new(problem: &Problem) -> PatternPool {
        let mut type_of_key: HashMap<(u64, u64, bool), u32> = HashMap::new();
        let mut item_types = Vec::with_capacity(problem.items.len());
        let mut type_items: Vec<Vec<usize>> = Vec::new();
        for (item_index, item) in problem.items.iter().enumerate() {
            let key = (item.w.to_bits(), item.h.to_bits(), item.rotatable);
            let next_type = type_items.len() as u32;
            let type_index = *type_of_key.entry(key).or_insert(next_type);
            if type_index == next_type {
                type_items.push(Vec::new());
            }
            type_items[type_index as usize].push(item_index);
            item_types.push(type_index);
        }
        let mut keys = SplitMix64::new(0x7061_7474_6572_6e73);
        let type_keys = type_items.iter().map(|_| keys.next_u64()).collect();
        PatternPool {
            item_types,
            type_items,
            type_keys,
            patterns: Vec::new(),
            seen: HashSet::new(),
        }
    }

    /// Keeps every sheet of `solution` not seen before.
    pub(crate) fn record(&mut self, solution: &Solution) {
        for sheet in &solution.sheets {
            self.record_sheet(sheet);
        }
    }

    fn record_sheet(&mut self, sheet: &Sheet) {
        if self.patterns.len() >= MAX_PATTERNS || sheet.placed.is_empty() {
            return;
        }
        let fingerprint = sheet.placed.iter().fold(sheet.kind as u64, |sum, placed| {
            sum.wrapping_add(self.type_keys[self.item_types[placed.item] as usize])
        });
        if !self.seen.insert(fingerprint) {
            return;
        }
        let order: Vec<u32> = sheet
            .placed
            .iter()
            .map(|placed| self.item_types[placed.item])
            .collect();
        let counts = type_counts(&order);
        self.patterns.push(Pattern {
            kind: sheet.kind,
            rule: sheet.rule,
            order,
            counts,
        });
    }
}

/// How many parts of each type `order` holds, by type.
fn type_counts(order: &[u32]) -> Vec<(u32, u32)> {
    let mut sorted = order.to_vec();
    sorted.sort_unstable();
    let mut counts: Vec<(u32, u32)> = Vec::new();
    for type_index in sorted {
        match counts.last_mut() {
            Some((last, count)) if *last == type_index => *count += 1,
            _ => counts.push((type_index, 1)),
        }
    }
    counts
}

/// A pattern taken into a covering: one from the pool, or one packed during the search
/// from the parts still uncovered.
enum Chosen {
    Pool(usize),
    Fresh(Pattern),
}

/// The fixed data of one covering search over the patterns of one sheet kind.
struct Covering<'a> {
    problem: &'a Problem,
    pool: &'a PatternPool,
    kind: usize,
    /// Inflated area of one part of each type.
    type_area: Vec<f64>,
    /// Whether a part of each type needs a sheet of its own (more than half the sheet in
    /// both directions whichever way it lies).
    type_large: Vec<bool>,
    /// The usable patterns holding each type, with how many parts of it they hold.
    patterns_with: Vec<Vec<(usize, u32)>>,
    /// Whether each pattern is usable at all (of this kind).
    usable: Vec<bool>,
    /// The part area of each pattern.
    pattern_area: Vec<f64>,
    /// The largest part area one usable pattern holds.
    max_pattern_area: f64,
}

/// The mutable state of one depth-first run.
struct Run {
    /// Parts of each type still to cover.
    residual: Vec<u32>,
    residual_area: f64,
    n_large_left: usize,
    /// Patterns that still fit the residual demand (hold no part already covered).
    alive: Vec<bool>,
    /// Alive patterns holding each type.
    alive_count: Vec<u32>,
    /// Patterns killed so far, undone in reverse.
    killed: Vec<usize>,
    chosen: Vec<Chosen>,
    work: u64,
    budget: u64,
    next_clock: u64,
    stopped: bool,
}

impl Covering<'_> {
    /// Patterns of `kind` only: the covering replaces a solution made of that kind alone.
    fn new<'a>(problem: &'a Problem, pool: &'a PatternPool, kind: usize) -> Covering<'a> {
        let stock = &problem.kinds[kind];
        let n_types = pool.type_items.len();
        let mut type_area = vec![0.0; n_types];
        let mut type_large = vec![false; n_types];
        for (type_index, items) in pool.type_items.iter().enumerate() {
            if let Some(&item_index) = items.first() {
                let item = &problem.items[item_index];
                type_area[type_index] = item.w * item.h;
                type_large[type_index] = item
                    .orientations()
                    .filter(|(w, h, _)| *w <= stock.width && *h <= stock.height)
                    .all(|(w, h, _)| 2.0 * w > stock.width && 2.0 * h > stock.height);
            }
        }
        let mut patterns_with: Vec<Vec<(usize, u32)>> = vec![Vec::new(); n_types];
        let mut usable = vec![false; pool.patterns.len()];
        let mut pattern_area = vec![0.0; pool.patterns.len()];
        let mut max_pattern_area: f64 = 0.0;
        for (pattern_idx, pattern) in pool.patterns.iter().enumerate() {
            if pattern.kind != kind {
                continue;
            }
            usable[pattern_idx] = true;
            let mut area = 0.0;
            for &(type_index, count) in &pattern.counts {
                patterns_with[type_index as usize].push((pattern_idx, count));
                area += f64::from(count) * type_area[type_index as usize];
            }
            pattern_area[pattern_idx] = area;
            max_pattern_area = max_pattern_area.max(area);
        }
        Covering {
            problem,
            pool,
            kind,
            type_area,
            type_large,
            patterns_with,
            usable,
            pattern_area,
            max_pattern_area,
        }
    }

    fn start(&self, budget: u64) -> Run {
        let residual: Vec<u32> = self
            .pool
            .type_items
            .iter()
            .map(|items| items.len() as u32)
            .collect();
        let residual_area = residual
            .iter()
            .zip(&self.type_area)
            .map(|(count, area)| f64::from(*count) * area)
            .sum();
        let n_large_left = residual
            .iter()
            .zip(&self.type_large)
            .filter(|(_, large)| **large)
            .map(|(count, _)| *count as usize)
            .sum();
        let alive_count = self
            .patterns_with
            .iter()
            .map(|with| with.len() as u32)
            .collect();
        Run {
            residual,
            residual_area,
            n_large_left,
            alive: self.usable.clone(),
            alive_count,
            killed: Vec::new(),
            chosen: Vec::new(),
            work: 0,
            budget,
            next_clock: CLOCK_EVERY,
            stopped: false,
        }
    }

    /// Takes `pattern_idx` into the covering and kills every pattern that would now cover
    /// some part twice; returns where its kills start in `run.killed`, for `undo`.
    fn apply(&self, run: &mut Run, counts: &[(u32, u32)]) -> usize {
        let mark = run.killed.len();
        for &(type_index, count) in counts {
            run.residual[type_index as usize] -= count;
            run.residual_area -= f64::from(count) * self.type_area[type_index as usize];
            if self.type_large[type_index as usize] {
                run.n_large_left -= count as usize;
            }
        }
        for &(type_index, _) in counts {
            let residual = run.residual[type_index as usize];
            for &(other_idx, other_count) in &self.patterns_with[type_index as usize] {
                run.work += 1;
                if run.alive[other_idx] && other_count > residual {
                    run.alive[other_idx] = false;
                    run.killed.push(other_idx);
                    for &(other_type, _) in &self.pool.patterns[other_idx].counts {
                        run.alive_count[other_type as usize] -= 1;
                    }
                }
            }
        }
        mark
    }

    fn undo(&self, run: &mut Run, counts: &[(u32, u32)], mark: usize) {
        while run.killed.len() > mark {
            let Some(other_idx) = run.killed.pop() else {
                break;
            };
            run.alive[other_idx] = true;
            for &(other_type, _) in &self.pool.patterns[other_idx].counts {
                run.alive_count[other_type as usize] += 1;
            }
        }
        for &(type_index, count) in counts {
            run.residual[type_index as usize] += count;
            run.residual_area += f64::from(count) * self.type_area[type_index as usize];
            if self.type_large[type_index as usize] {
                run.n_large_left += count as usize;
            }
        }
    }

    fn out_of_work(&self, run: &mut Run, limits: &Limits) -> bool {
        if run.work >= run.budget {
            run.stopped = true;
        } else if run.work >= run.next_clock {
            run.next_clock = run.work + CLOCK_EVERY;
            run.stopped = limits.past_deadline();
        }
        run.stopped
    }

    /// Depth-first search for an exact covering (no part twice) by at most `slots_left`
    /// more patterns, trying at most `width` patterns per branch; with few sheets left the
    /// parts still uncovered are also offered to the packers directly.
    fn search(
        &self,
        run: &mut Run,
        slots_left: usize,
        width: usize,
        limits: &Limits,
    ) -> Option<Solution> {
        // Branch on the uncovered type with the fewest patterns left (Knuth's rule for
        // exact cover), the larger part on a tie.
        let mut branch: Option<(u32, usize)> = None;
        for (type_index, &residual) in run.residual.iter().enumerate() {
            if residual == 0 {
                continue;
            }
            let n_alive = run.alive_count[type_index];
            let better = match branch {
                None => true,
                Some((fewest, known)) => {
                    n_alive < fewest
                        || (n_alive == fewest && self.type_area[type_index] > self.type_area[known])
                }
            };
            if better {
                branch = Some((n_alive, type_index));
            }
        }
        let Some((_, branch_type)) = branch else {
            return self.realize(run, Vec::new());
        };
        if slots_left == 0 || run.n_large_left > slots_left || self.out_of_work(run, limits) {
            return None;
        }
        // Areas are in the inflated frame; the slack absorbs rounding in the sums.
        let slack = 1e-9 * self.max_pattern_area.max(1.0);
        if run.residual_area > slots_left as f64 * self.max_pattern_area + slack {
            return None;
        }
        if slots_left <= COMPLETION_SLOTS {
            if let Some(solution) = self.complete(run, slots_left, limits) {
                return Some(solution);
            }
            if run.stopped {
                return None;
            }
        }
        let needed = run.residual_area - (slots_left - 1) as f64 * self.max_pattern_area - slack;
        let mut candidates: Vec<(f64, Chosen)> = Vec::new();
        for &(pattern_idx, _) in &self.patterns_with[branch_type] {
            run.work += 1;
            if run.alive[pattern_idx] && self.pattern_area[pattern_idx] >= needed {
                candidates.push((self.pattern_area[pattern_idx], Chosen::Pool(pattern_idx)));
            }
        }
        for fresh in self.fresh_patterns(run, branch_type) {
            let area = self.area_of(&fresh.counts);
            let known = candidates.iter().any(|(_, chosen)| match chosen {
                Chosen::Pool(pattern_idx) => {
                    self.pool.patterns[*pattern_idx].counts == fresh.counts
                }
                Chosen::Fresh(other) => other.counts == fresh.counts,
            });
            if area >= needed && !known {
                candidates.push((area, Chosen::Fresh(fresh)));
            }
        }
        // Fuller patterns first; the pool's before fresh ones, each in a fixed order.
        candidates.sort_by(|a, b| {
            b.0.total_cmp(&a.0).then_with(|| match (&a.1, &b.1) {
                (Chosen::Pool(x), Chosen::Pool(y)) => x.cmp(y),
                (Chosen::Pool(_), Chosen::Fresh(_)) => std::cmp::Ordering::Less,
                (Chosen::Fresh(_), Chosen::Pool(_)) => std::cmp::Ordering::Greater,
                (Chosen::Fresh(_), Chosen::Fresh(_)) => std::cmp::Ordering::Equal,
            })
        });
        candidates.truncate(width);
        for (_, chosen) in candidates {
            let counts = match &chosen {
                Chosen::Pool(pattern_idx) => self.pool.patterns[*pattern_idx].counts.clone(),
                Chosen::Fresh(pattern) => pattern.counts.clone(),
            };
            let mark = self.apply(run, &counts);
            run.chosen.push(chosen);
            let found = self.search(run, slots_left - 1, width, limits);
            run.chosen.pop();
            self.undo(run, &counts, mark);
            if found.is_some() || run.stopped {
                return found;
            }
        }
        None
    }

    fn area_of(&self, counts: &[(u32, u32)]) -> f64 {
        counts
            .iter()
            .map(|&(type_index, count)| f64::from(count) * self.type_area[type_index as usize])
            .sum()
    }

    /// New patterns for the branch: one sheet packed from the uncovered parts, a part of
    /// `branch_type` first and the others by each classic key, with each rule of the
    /// portfolio (bin completion); parts that do not fit are skipped.
    fn fresh_patterns(&self, run: &mut Run, branch_type: usize) -> Vec<Pattern> {
        let residual_items = self.residual_items(run);
        let Some(&branch_item) = residual_items
            .iter()
            .find(|&&item_index| self.pool.item_types[item_index] as usize == branch_type)
        else {
            return Vec::new();
        };
        let others: Vec<usize> = residual_items
            .iter()
            .copied()
            .filter(|&item_index| item_index != branch_item)
            .collect();
        let mut only: Vec<Option<usize>> = vec![Some(0); self.problem.kinds.len()];
        only[self.kind] = Some(1);
        let filling = Filling {
            new_sheets: Some(1),
            best_fit: false,
        };
        let mut fresh: Vec<Pattern> = Vec::new();
        for key in [SortKey::Area, SortKey::LongerSide, SortKey::Perimeter] {
            let mut order = vec![branch_item];
            order.extend(sorted_order(&self.problem.items, &others, key));
            for rule in portfolio(self.problem.guillotine_only) {
                let packing = fill(
                    self.problem,
                    &order,
                    rule,
                    Some(self.kind),
                    &only,
                    filling,
                    &mut run.work,
                );
                let Some(sheet) = packing.solution.sheets.first() else {
                    continue;
                };
                let type_order: Vec<u32> = sheet
                    .placed
                    .iter()
                    .map(|placed| self.pool.item_types[placed.item])
                    .collect();
                let counts = type_counts(&type_order);
                if fresh.iter().all(|known| known.counts != counts) {
                    fresh.push(Pattern {
                        kind: self.kind,
                        rule,
                        order: type_order,
                        counts,
                    });
                }
            }
        }
        fresh
    }

    /// The items not covered by the chosen patterns: each type's last ones (the chosen
    /// patterns take each type's first ones).
    fn residual_items(&self, run: &Run) -> Vec<usize> {
        let mut items = Vec::new();
        for (type_index, &residual) in run.residual.iter().enumerate() {
            let of_type = &self.pool.type_items[type_index];
            items.extend_from_slice(&of_type[of_type.len() - residual as usize..]);
        }
        items
    }

    /// Packs the uncovered parts onto at most `slots_left` new sheets with the portfolio's
    /// greedy passes; the covering then ends with those sheets.
    fn complete(&self, run: &mut Run, slots_left: usize, limits: &Limits) -> Option<Solution> {
        let items = self.residual_items(run);
        let mut only: Vec<Option<usize>> = vec![Some(0); self.problem.kinds.len()];
        only[self.kind] = Some(slots_left);
        for rule in portfolio(self.problem.guillotine_only) {
            for key in [SortKey::Area, SortKey::LongerSide, SortKey::Perimeter] {
                if self.out_of_work(run, limits) {
                    return None;
                }
                let order = sorted_order(&self.problem.items, &items, key);
                let Some(packed) = construct(
                    self.problem,
                    &order,
                    rule,
                    Some(self.kind),
                    &only,
                    &mut run.work,
                ) else {
                    continue;
                };
                if packed.sheets.len() <= slots_left {
                    return self.realize(run, packed.sheets);
                }
            }
        }
        None
    }

    /// Turns the chosen patterns into sheets by packer runs (each rebuilds its pattern
    /// exactly), followed by `completion`; `None` if a packing fails.
    fn realize(&self, run: &mut Run, completion: Vec<Sheet>) -> Option<Solution> {
        let mut next_of_type: Vec<usize> = vec![0; self.pool.type_items.len()];
        let mut sheets = Vec::with_capacity(run.chosen.len() + completion.len());
        for chosen in &run.chosen {
            let pattern = match chosen {
                Chosen::Pool(pattern_idx) => &self.pool.patterns[*pattern_idx],
                Chosen::Fresh(pattern) => pattern,
            };
            let items: Vec<usize> = pattern
                .order
                .iter()
                .map(|&type_index| {
                    let next = &mut next_of_type[type_index as usize];
                    *next += 1;
                    self.pool.type_items[type_index as usize][*next - 1]
                })
                .collect();
            sheets.push(pack_single(
                self.problem,
                self.kind,
                &items,
                pattern.rule,
                &mut run.work,
            )?);
        }
        sheets.extend(completion);
        Some(Solution { sheets })
    }
}

/// Tries to replace `best`, a solution on sheets of `kind` alone, by a covering of fewer
/// patterns, one sheet fewer at a time until `lower_bound` (a price) or the budget of
/// `work_budget` work units ends it. Stock with offcuts is left to the other phases: a
/// covering here is made of one sheet kind.
pub(crate) fn reduce(
    problem: &Problem,
    pool: &PatternPool,
    mut best: Solution,
    kind: usize,
    lower_bound: f64,
    limits: Limits,
    work_budget: u64,
) -> Solution {
    let one_kind = problem.kinds.iter().all(|stock| !stock.offcut)
        && best.sheets.iter().all(|sheet| sheet.kind == kind);
    if !one_kind || best.sheets.is_empty() {
        return best;
    }
    let covering = Covering::new(problem, pool, kind);
    let mut work_left = work_budget;
    'targets: while !reaches(best.price(problem), lower_bound) && best.sheets.len() > 1 {
        let slots = best.sheets.len() - 1;
        for width in WIDTHS {
            let mut run = covering.start(work_left);
            let found = covering.search(&mut run, slots, width, &limits);
            work_left = work_left.saturating_sub(run.work);
            if let Some(solution) = found
                && solution.sheets.len() < best.sheets.len()
            {
                best = solution;
                continue 'targets;
            }
            if run.stopped || work_left == 0 {
                break 'targets;
            }
        }
        break;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::super::geometry::Item;
    use super::super::model::StockKind;
    use super::super::packers::{GuillotineChoice, SplitRule};
    use super::*;

    const RULE: Heuristic =
        Heuristic::Guillotine(GuillotineChoice::LeastArea, SplitRule::MinimizeArea);

    /// Six half sheets (50 × 100 on a 100 × 100 board, inflated frame), two to a sheet.
    fn halves() -> Problem {
        let items = (0..6)
            .map(|spec| Item {
                w: 50.0,
                h: 100.0,
                rotatable: false,
                real_area: 5000.0,
                spec,
            })
            .collect();
        let kinds = vec![StockKind {
            width: 100.0,
            height: 100.0,
            price: 1.0,
            limit: None,
            offcut: false,
        }];
        Problem::new(items, kinds, true)
    }

    fn sheet_of(problem: &Problem, items: &[usize]) -> Sheet {
        let mut probes = 0;
        pack_single(problem, 0, items, RULE, &mut probes)
            .unwrap_or_else(|| panic!("{items:?} fit one sheet"))
    }

    #[test]
    fn the_exact_stage_brings_a_solution_down_to_the_bound_through_packer_runs() {
        let problem = halves();
        let wasteful = Solution {
            sheets: vec![
                sheet_of(&problem, &[0]),
                sheet_of(&problem, &[1]),
                sheet_of(&problem, &[2, 3]),
                sheet_of(&problem, &[4, 5]),
            ],
        };
        let mut pool = PatternPool::new(&problem);
        pool.record(&wasteful);
        let limits = Limits {
            deadline: None,
            probe_budget: 1_000_000,
            max_moves: 1_000,
        };
        let covered = reduce(&problem, &pool, wasteful, 0, 3.0, limits, 1_000_000);
        assert_eq!(covered.sheets.len(), 3);
        let mut items: Vec<usize> = covered
            .sheets
            .iter()
            .flat_map(|sheet| sheet.placed.iter().map(|placed| placed.item))
            .collect();
        items.sort_unstable();
        assert_eq!(items, [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn identical_parts_share_one_type_and_a_sheet_is_kept_once() {
        let problem = halves();
        let mut pool = PatternPool::new(&problem);
        assert_eq!(pool.type_items.len(), 1);
        let twice = Solution {
            sheets: vec![sheet_of(&problem, &[0, 1]), sheet_of(&problem, &[2, 3])],
        };
        pool.record(&twice);
        assert_eq!(pool.patterns.len(), 1);
        assert_eq!(pool.patterns[0].counts, [(0, 2)]);
    }
}
