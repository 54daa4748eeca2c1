//! Lower bounds on the number of sheets a set of items needs, in the inflated frame. The
//! search stops as soon as it reaches one, so a stronger bound ends searches that are
//! already optimal and shows how far from optimal the others can be.
//!
//! Invariant: every bound here is valid for any layout, guillotine or free, with the
//! rotations the items allow; rounding only ever makes a bound weaker, never stronger.

use std::collections::BTreeMap;

use super::geometry::Item;

/// Largest `k` of the Fekete–Schepers functions `u^(k)` tried per axis.
const MAX_STEP_FUNCTION: u64 = 10;
/// Most thresholds of the large-item function `U^(ε)` tried per axis.
const MAX_THRESHOLDS: usize = 12;

/// A lower bound on the number of `width` × `height` sheets (inflated frame) the items need;
/// every item must fit the sheet in some orientation. The best of `combinatorial_bound` and
/// `dual_feasible_bound`, and at least 1.
pub(crate) fn sheet_lower_bound(items: &[Item], width: f64, height: f64) -> usize {
    combinatorial_bound(items, width, height)
        .max(dual_feasible_bound(items, width, height))
        .max(1)
}

/// The orientations of `item` that fit a `width` × `height` sheet.
fn fitting(item: &Item, width: f64, height: f64) -> Vec<(f64, f64)> {
    item.orientations()
        .filter(|(w, h, _)| *w <= width && *h <= height)
        .map(|(w, h, _)| (w, h))
        .collect()
}

/// The best of:
/// - large items (more than half the width and half the height in every orientation that
///   fits) never share a sheet, and the other items' area must fit beside them or on
///   further sheets (this dominates the plain area bound);
/// - for each axis, items longer than half the sheet across it in every fitting orientation
///   cannot lie on top of each other, so their extents along the axis pack like a one-
///   dimensional bin packing, bounded by Martello and Toth's L2 (1990).
fn combinatorial_bound(items: &[Item], width: f64, height: f64) -> usize {
    let sheet_area = width * height;
    let mut n_large = 0_usize;
    let mut free_beside_large = 0.0;
    let mut other_area = 0.0;
    let mut across_height = Vec::new();
    let mut across_width = Vec::new();
    for item in items {
        let orientations = fitting(item, width, height);
        let area = item.w * item.h;
        if orientations
            .iter()
            .all(|(w, h)| *w > width / 2.0 && *h > height / 2.0)
        {
            n_large += 1;
            free_beside_large += sheet_area - area;
        } else {
            other_area += area;
        }
        if orientations.iter().all(|(_, h)| *h > height / 2.0) {
            across_height.push(
                orientations
                    .iter()
                    .map(|(w, _)| *w)
                    .fold(f64::MAX, f64::min),
            );
        }
        if orientations.iter().all(|(w, _)| *w > width / 2.0) {
            across_width.push(
                orientations
                    .iter()
                    .map(|(_, h)| *h)
                    .fold(f64::MAX, f64::min),
            );
        }
    }
    let spill = other_area - free_beside_large;
    let large_bound = n_large
        + if spill > 0.0 {
            slack_ceil(spill / sheet_area)
        } else {
            0
        };
    large_bound
        .max(one_dimensional_bound(&mut across_height, width))
        .max(one_dimensional_bound(&mut across_width, height))
}

/// ⌈x⌉ with a little slack, so rounding never pushes an exact fit up to one sheet more.
fn slack_ceil(x: f64) -> usize {
    (x - 1e-9).ceil().max(0.0) as usize
}

/// Martello and Toth's L2 bound for one-dimensional bin packing of `sizes` (each at most
/// `capacity`): for each threshold α ≤ capacity / 2, the items above capacity − α each need
/// a bin of their own, those above half need one each too, and items from α to half can only
/// use the room the latter leave.
fn one_dimensional_bound(sizes: &mut [f64], capacity: f64) -> usize {
    if sizes.is_empty() {
        return 0;
    }
    sizes.sort_by(|a, b| a.total_cmp(b));
    let mut prefix = Vec::with_capacity(sizes.len() + 1);
    prefix.push(0.0);
    for size in sizes.iter() {
        prefix.push(prefix[prefix.len() - 1] + size);
    }
    // Indices of the first size above `limit`, and of the first at least `limit`.
    let first_above = |limit: f64| sizes.partition_point(|size| *size <= limit);
    let first_at_least = |limit: f64| sizes.partition_point(|size| *size < limit);
    let half = capacity / 2.0;
    let above_half = first_above(half);
    let mut best = 0;
    let mut alphas: Vec<f64> = vec![0.0];
    alphas.extend(sizes.iter().copied().filter(|size| *size <= half));
    alphas.dedup();
    for alpha in alphas {
        let j1_start = first_above(capacity - alpha);
        let n1 = sizes.len() - j1_start;
        let n2 = j1_start - above_half;
        let j2_sum = prefix[j1_start] - prefix[above_half];
        let j3_start = first_at_least(alpha);
        let j3_sum = prefix[above_half] - prefix[j3_start];
        let room = n2 as f64 * capacity - j2_sum;
        let extra = if j3_sum > room {
            slack_ceil((j3_sum - room) / capacity)
        } else {
            0
        };
        best = best.max(n1 + n2 + extra);
    }
    best
}

/// One dual feasible function on an axis of integer length `capacity`: any items that fit
/// side by side along the axis have values summing to at most 1, which is what makes the
/// bound below valid.
#[derive(Debug, Clone, Copy)]
enum DualFeasible {
    /// Sizes above `capacity − threshold` count as the whole axis and sizes below
    /// `threshold` as nothing (Fekete and Schepers' `U^(ε)`); the rest go through `u^(step)`
    /// (the identity when `step` is 0): `x` stays when `(step + 1)·x` is a whole number of
    /// axes, else it becomes `⌊(step + 1)·x⌋ ÷ step` axes.
    Step {
        capacity: u64,
        threshold: u64,
        step: u64,
    },
    /// Carlier, Clautiaux and Moukrim's `f_1^λ` (2007): in units of `λ`, a size below half
    /// the axis counts twice its whole units, one above half counts what it leaves the
    /// smaller sizes no room for, exactly half counts the axis's units; over `2⌊C/λ⌋`.
    Ccm { capacity: u64, lambda: u64 },
}

impl DualFeasible {
    fn value(self, size: u64) -> f64 {
        match self {
            DualFeasible::Step {
                capacity,
                threshold,
                step,
            } => {
                if threshold > 0 && size > capacity - threshold {
                    return 1.0;
                }
                if size < threshold {
                    return 0.0;
                }
                let scaled = u128::from(step + 1) * u128::from(size);
                if step == 0 || scaled % u128::from(capacity) == 0 {
                    size as f64 / capacity as f64
                } else {
                    (scaled / u128::from(capacity)) as f64 / step as f64
                }
            }
            DualFeasible::Ccm { capacity, lambda } => {
                let units = capacity / lambda;
                let value = match (2 * size).cmp(&capacity) {
                    std::cmp::Ordering::Less => 2 * (size / lambda),
                    std::cmp::Ordering::Equal => units,
                    std::cmp::Ordering::Greater => 2 * (units - (capacity - size) / lambda),
                };
                value as f64 / (2 * units) as f64
            }
        }
    }

    /// The functions tried on an axis of `capacity` whose items have `sizes`: every step up
    /// to `MAX_STEP_FUNCTION`, each without and with a spread of thresholds taken from the
    /// sizes up to half the axis, and `f_1^λ` for the same spread of `λ`.
    fn family(capacity: u64, sizes: &[u64]) -> Vec<DualFeasible> {
        let mut candidates: Vec<u64> = sizes
            .iter()
            .copied()
            .filter(|size| *size > 0 && 2 * size <= capacity)
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let spread: Vec<u64> = if candidates.len() <= MAX_THRESHOLDS {
            candidates
        } else {
            (0..MAX_THRESHOLDS)
                .map(|index| candidates[index * (candidates.len() - 1) / (MAX_THRESHOLDS - 1)])
                .collect()
        };
        let mut family = Vec::new();
        for step in 0..=MAX_STEP_FUNCTION {
            for threshold in std::iter::once(0).chain(spread.iter().copied()) {
                family.push(DualFeasible::Step {
                    capacity,
                    threshold,
                    step,
                });
            }
        }
        for &lambda in &spread {
            family.push(DualFeasible::Ccm { capacity, lambda });
        }
        family
    }
}

/// Lengths in whole micrometres: items rounded down and sheets up, so rounding can only
/// weaken the bound.
fn micrometres_down(length: f64) -> u64 {
    (length * 1000.0).floor().max(0.0) as u64
}

fn micrometres_up(length: f64) -> u64 {
    (length * 1000.0).ceil().max(1.0) as u64
}

/// The bound of dual feasible functions (Fekete and Schepers 2004): for DFFs `f` across the
/// width and `g` across the height, the items on one sheet have `Σ f(w)·g(h) ≤ 1`, so the
/// sheets needed are at least `⌈Σ min over fitting orientations of f(w)·g(h)⌉`. The best
/// over the pairs of each axis's `DualFeasible::family`.
fn dual_feasible_bound(items: &[Item], width: f64, height: f64) -> usize {
    let (capacity_w, capacity_h) = (micrometres_up(width), micrometres_up(height));
    // Identical items weigh once, times their count; a map keeps this linear in the items
    // (a request may hold 20,000 of them) and its order fixed.
    let mut counts: BTreeMap<Vec<(u64, u64)>, usize> = BTreeMap::new();
    for item in items {
        let orientations: Vec<(u64, u64)> = fitting(item, width, height)
            .into_iter()
            .map(|(w, h)| (micrometres_down(w), micrometres_down(h)))
            .collect();
        if !orientations.is_empty() {
            *counts.entry(orientations).or_default() += 1;
        }
    }
    let groups: Vec<(Vec<(u64, u64)>, usize)> = counts.into_iter().collect();
    let widths: Vec<u64> = groups
        .iter()
        .flat_map(|(o, _)| o.iter().map(|(w, _)| *w))
        .collect();
    let heights: Vec<u64> = groups
        .iter()
        .flat_map(|(o, _)| o.iter().map(|(_, h)| *h))
        .collect();
    let across_width = DualFeasible::family(capacity_w, &widths);
    let across_height = DualFeasible::family(capacity_h, &heights);
    // values[f][group][orientation]
    let table = |family: &[DualFeasible], pick: fn(&(u64, u64)) -> u64| -> Vec<Vec<Vec<f64>>> {
        family
            .iter()
            .map(|function| {
                groups
                    .iter()
                    .map(|(orientations, _)| {
                        orientations
                            .iter()
                            .map(|o| function.value(pick(o)))
                            .collect()
                    })
                    .collect()
            })
            .collect()
    };
    let values_w = table(&across_width, |(w, _)| *w);
    let values_h = table(&across_height, |(_, h)| *h);
    let mut best = 0;
    for f in &values_w {
        for g in &values_h {
            let total: f64 = groups
                .iter()
                .enumerate()
                .map(|(group, (_, count))| {
                    let weight = f[group]
                        .iter()
                        .zip(&g[group])
                        .map(|(fw, gh)| fw * gh)
                        .fold(f64::INFINITY, f64::min);
                    weight * *count as f64
                })
                .sum();
            best = best.max(slack_ceil(total));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(w: f64, h: f64, rotatable: bool) -> Item {
        Item {
            w,
            h,
            rotatable,
            real_area: w * h,
            spec: 0,
        }
    }

    #[test]
    fn step_functions_round_up_sizes_that_leave_no_room_for_another() {
        let step = |threshold, step| DualFeasible::Step {
            capacity: 10,
            threshold,
            step,
        };
        assert_eq!(step(0, 0).value(3), 0.3);
        assert_eq!(step(0, 1).value(5), 0.5);
        assert_eq!(step(0, 1).value(6), 1.0);
        assert_eq!(step(0, 1).value(4), 0.0);
        assert_eq!(step(0, 2).value(4), 0.5);
        assert_eq!(step(3, 0).value(8), 1.0);
        assert_eq!(step(3, 0).value(2), 0.0);
        assert_eq!(step(3, 0).value(5), 0.5);
    }

    #[test]
    fn ccm_counts_whole_units_of_lambda() {
        let ccm = DualFeasible::Ccm {
            capacity: 9,
            lambda: 3,
        };
        let thirds: Vec<f64> = [2, 4, 5, 7, 9]
            .iter()
            .map(|&size| ccm.value(size) * 3.0)
            .collect();
        assert_eq!(thirds, vec![0.0, 1.0, 2.0, 3.0, 3.0]);
    }

    #[test]
    fn parts_that_cannot_pair_across_a_sheet_need_a_sheet_per_pair() {
        // Five unrotatable parts, two fit across a sheet and none above another.
        let items = vec![item(1004.0, 1004.0, false); 5];
        assert_eq!(dual_feasible_bound(&items, 2444.0, 1224.0), 3);
        assert_eq!(sheet_lower_bound(&items, 2444.0, 1224.0), 3);
    }

    #[test]
    fn parts_over_half_the_sheet_each_way_never_share_one() {
        // One kerf over half in both directions, with the grain.
        let items = vec![item(1224.0, 614.0, false); 4];
        assert_eq!(dual_feasible_bound(&items, 2444.0, 1224.0), 4);
    }
}
