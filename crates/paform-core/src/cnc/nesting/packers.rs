//! The three single-sheet packers the search builds on, each a classic greedy rule set
//! after Jukka Jylänki's survey "A Thousand Ways to Pack the Bin" (2010): guillotine
//! free-rectangle splitting, MaxRects, and Skyline.
//!
//! Invariants: a packer only ever offers spots inside its sheet that overlap no earlier
//! placement; the guillotine packer never merges free rectangles, so every layout it builds
//! can be cut by recursive edge-to-edge cuts. Ties go to the first candidate found (free
//! rectangles in list order, the unrotated orientation first), which keeps runs
//! reproducible. `probes` counts candidate checks: the search's deterministic work budget.

use super::geometry::{Item, Rect, Spot};

/// How the guillotine packer chooses a free rectangle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GuillotineChoice {
    /// Best area fit: the free rectangle with the least area left over.
    LeastArea,
    /// Best short side fit: the smallest leftover along the shorter side.
    ShortSide,
    /// Best long side fit: the smallest leftover along the longer side.
    LongSide,
}

/// How the guillotine packer splits the leftover L-shape after a placement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SplitRule {
    ShorterLeftoverAxis,
    LongerLeftoverAxis,
    MinimizeArea,
    MaximizeArea,
    ShorterAxis,
    LongerAxis,
}

impl SplitRule {
    pub(crate) const ALL: [SplitRule; 6] = [
        SplitRule::ShorterLeftoverAxis,
        SplitRule::LongerLeftoverAxis,
        SplitRule::MinimizeArea,
        SplitRule::MaximizeArea,
        SplitRule::ShorterAxis,
        SplitRule::LongerAxis,
    ];
}

/// MaxRects placement rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MaxRectsRule {
    BestShortSideFit,
    BestLongSideFit,
    BestAreaFit,
    BottomLeft,
}

/// Skyline placement rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SkylineRule {
    BottomLeft,
    MinWaste,
}

/// One greedy packing rule; the search combines these with part orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Heuristic {
    Guillotine(GuillotineChoice, SplitRule),
    MaxRects(MaxRectsRule),
    Skyline(SkylineRule),
}

/// The packing state of one sheet under one heuristic.
#[derive(Debug, Clone)]
pub(crate) enum Bin {
    Guillotine {
        free: Vec<Rect>,
        choice: GuillotineChoice,
        split: SplitRule,
    },
    MaxRects {
        free: Vec<Rect>,
        rule: MaxRectsRule,
    },
    Skyline {
        width: f64,
        height: f64,
        nodes: Vec<SkylineNode>,
        rule: SkylineRule,
    },
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct SkylineNode {
    x: f64,
    y: f64,
    w: f64,
}

impl Bin {
    pub(crate) fn new(heuristic: Heuristic, width: f64, height: f64) -> Bin {
        let whole = Rect {
            x: 0.0,
            y: 0.0,
            w: width,
            h: height,
        };
        match heuristic {
            Heuristic::Guillotine(choice, split) => Bin::Guillotine {
                free: vec![whole],
                choice,
                split,
            },
            Heuristic::MaxRects(rule) => Bin::MaxRects {
                free: vec![whole],
                rule,
            },
            Heuristic::Skyline(rule) => Bin::Skyline {
                width,
                height,
                nodes: vec![SkylineNode {
                    x: 0.0,
                    y: 0.0,
                    w: width,
                }],
                rule,
            },
        }
    }

    /// The best spot for `item` under this bin's rule, if it fits anywhere.
    pub(crate) fn find(&self, item: &Item, probes: &mut u64) -> Option<Spot> {
        match self {
            Bin::Guillotine { free, choice, .. } => find_guillotine(free, *choice, item, probes),
            Bin::MaxRects { free, rule } => find_maxrects(free, *rule, item, probes),
            Bin::Skyline {
                width,
                height,
                nodes,
                rule,
            } => find_skyline(nodes, *width, *height, *rule, item, probes),
        }
    }

    /// Commits a spot previously returned by `find` on this same state.
    pub(crate) fn place(&mut self, spot: &Spot, probes: &mut u64) {
        match self {
            Bin::Guillotine { free, split, .. } => place_guillotine(free, *split, spot),
            Bin::MaxRects { free, .. } => place_maxrects(free, &spot.rect, probes),
            Bin::Skyline { nodes, .. } => place_skyline(nodes, spot),
        }
    }
}

fn find_guillotine(
    free: &[Rect],
    choice: GuillotineChoice,
    item: &Item,
    probes: &mut u64,
) -> Option<Spot> {
    let mut best: Option<Spot> = None;
    for (slot, free_rect) in free.iter().enumerate() {
        *probes += 1;
        for (w, h, rotated) in item.orientations() {
            if w > free_rect.w || h > free_rect.h {
                continue;
            }
            let leftover_w = free_rect.w - w;
            let leftover_h = free_rect.h - h;
            let score = match choice {
                GuillotineChoice::LeastArea => (free_rect.area() - w * h, 0.0),
                GuillotineChoice::ShortSide => {
                    (leftover_w.min(leftover_h), leftover_w.max(leftover_h))
                }
                GuillotineChoice::LongSide => {
                    (leftover_w.max(leftover_h), leftover_w.min(leftover_h))
                }
            };
            let spot = Spot {
                rect: Rect {
                    x: free_rect.x,
                    y: free_rect.y,
                    w,
                    h,
                },
                rotated,
                score,
                slot,
            };
            if spot.better_than(best.as_ref()) {
                best = Some(spot);
            }
        }
    }
    best
}

fn place_guillotine(free: &mut Vec<Rect>, split: SplitRule, spot: &Spot) {
    let free_rect = free.remove(spot.slot);
    let placed = spot.rect;
    let leftover_w = free_rect.w - placed.w;
    let leftover_h = free_rect.h - placed.h;
    let split_horizontal = match split {
        SplitRule::ShorterLeftoverAxis => leftover_w <= leftover_h,
        SplitRule::LongerLeftoverAxis => leftover_w > leftover_h,
        SplitRule::MinimizeArea => placed.w * leftover_h > leftover_w * placed.h,
        SplitRule::MaximizeArea => placed.w * leftover_h <= leftover_w * placed.h,
        SplitRule::ShorterAxis => free_rect.w <= free_rect.h,
        SplitRule::LongerAxis => free_rect.w > free_rect.h,
    };
    // A horizontal split cuts the free rectangle along the top edge of the part, full width;
    // a vertical split cuts along its right edge, full height. Either way it is one cut
    // running edge to edge across the free rectangle.
    let (above_w, right_h) = if split_horizontal {
        (free_rect.w, placed.h)
    } else {
        (placed.w, free_rect.h)
    };
    let above = Rect {
        x: free_rect.x,
        y: placed.top(),
        w: above_w,
        h: leftover_h,
    };
    let right = Rect {
        x: placed.right(),
        y: free_rect.y,
        w: leftover_w,
        h: right_h,
    };
    for piece in [above, right] {
        if piece.w > 0.0 && piece.h > 0.0 {
            free.push(piece);
        }
    }
}

fn find_maxrects(free: &[Rect], rule: MaxRectsRule, item: &Item, probes: &mut u64) -> Option<Spot> {
    let mut best: Option<Spot> = None;
    for (slot, free_rect) in free.iter().enumerate() {
        *probes += 1;
        for (w, h, rotated) in item.orientations() {
            if w > free_rect.w || h > free_rect.h {
                continue;
            }
            let leftover_w = free_rect.w - w;
            let leftover_h = free_rect.h - h;
            let score = match rule {
                MaxRectsRule::BestShortSideFit => {
                    (leftover_w.min(leftover_h), leftover_w.max(leftover_h))
                }
                MaxRectsRule::BestLongSideFit => {
                    (leftover_w.max(leftover_h), leftover_w.min(leftover_h))
                }
                MaxRectsRule::BestAreaFit => (free_rect.area() - w * h, leftover_w.min(leftover_h)),
                MaxRectsRule::BottomLeft => (free_rect.y + h, free_rect.x),
            };
            let spot = Spot {
                rect: Rect {
                    x: free_rect.x,
                    y: free_rect.y,
                    w,
                    h,
                },
                rotated,
                score,
                slot,
            };
            if spot.better_than(best.as_ref()) {
                best = Some(spot);
            }
        }
    }
    best
}

fn place_maxrects(free: &mut Vec<Rect>, used: &Rect, probes: &mut u64) {
    let mut pieces: Vec<Rect> = Vec::new();
    free.retain(|free_rect| {
        *probes += 1;
        if !free_rect.intersects(used) {
            return true;
        }
        if used.x > free_rect.x {
            pieces.push(Rect {
                w: used.x - free_rect.x,
                ..*free_rect
            });
        }
        if used.right() < free_rect.right() {
            pieces.push(Rect {
                x: used.right(),
                w: free_rect.right() - used.right(),
                ..*free_rect
            });
        }
        if used.y > free_rect.y {
            pieces.push(Rect {
                h: used.y - free_rect.y,
                ..*free_rect
            });
        }
        if used.top() < free_rect.top() {
            pieces.push(Rect {
                y: used.top(),
                h: free_rect.top() - used.top(),
                ..*free_rect
            });
        }
        false
    });
    // Only the new pieces can be redundant: an untouched free rectangle contained in a piece
    // would also have been contained in the rectangle the piece came from.
    let mut kept: Vec<Rect> = Vec::with_capacity(pieces.len());
    for (index, piece) in pieces.iter().enumerate() {
        *probes += 1;
        let inside_other_piece = pieces.iter().enumerate().any(|(other_index, other)| {
            other_index != index && other.contains(piece) && (other != piece || other_index < index)
        });
        if !inside_other_piece && !free.iter().any(|other| other.contains(piece)) {
            kept.push(*piece);
        }
    }
    free.extend(kept);
}

fn find_skyline(
    nodes: &[SkylineNode],
    width: f64,
    height: f64,
    rule: SkylineRule,
    item: &Item,
    probes: &mut u64,
) -> Option<Spot> {
    let mut best: Option<Spot> = None;
    for slot in 0..nodes.len() {
        *probes += 1;
        for (w, h, rotated) in item.orientations() {
            let Some((y, waste)) = skyline_fit(nodes, slot, width, height, w, h) else {
                continue;
            };
            let score = match rule {
                SkylineRule::BottomLeft => (y + h, nodes[slot].w),
                SkylineRule::MinWaste => (waste, y + h),
            };
            let spot = Spot {
                rect: Rect {
                    x: nodes[slot].x,
                    y,
                    w,
                    h,
                },
                rotated,
                score,
                slot,
            };
            if spot.better_than(best.as_ref()) {
                best = Some(spot);
            }
        }
    }
    best
}

/// Where a `w`×`h` rectangle would rest with its left edge on node `start`, and the area it
/// would trap beneath itself.
fn skyline_fit(
    nodes: &[SkylineNode],
    start: usize,
    width: f64,
    height: f64,
    w: f64,
    h: f64,
) -> Option<(f64, f64)> {
    let left = nodes[start].x;
    let right = left + w;
    if right > width {
        return None;
    }
    let mut y: f64 = 0.0;
    let mut index = start;
    while index < nodes.len() && nodes[index].x < right {
        y = y.max(nodes[index].y);
        index += 1;
    }
    if y + h > height {
        return None;
    }
    let waste = nodes[start..index]
        .iter()
        .map(|node| {
            let covered = (node.x + node.w).min(right) - node.x;
            covered * (y - node.y)
        })
        .sum();
    Some((y, waste))
}

fn place_skyline(nodes: &mut Vec<SkylineNode>, spot: &Spot) {
    let placed = spot.rect;
    let right = placed.right();
    let mut rebuilt: Vec<SkylineNode> = Vec::with_capacity(nodes.len() + 2);
    rebuilt.extend_from_slice(&nodes[..spot.slot]);
    rebuilt.push(SkylineNode {
        x: placed.x,
        y: placed.top(),
        w: placed.w,
    });
    for node in &nodes[spot.slot..] {
        let node_right = node.x + node.w;
        if node_right <= right {
            continue;
        }
        if node.x < right {
            rebuilt.push(SkylineNode {
                x: right,
                y: node.y,
                w: node_right - right,
            });
        } else {
            rebuilt.push(*node);
        }
    }
    let mut merged: Vec<SkylineNode> = Vec::with_capacity(rebuilt.len());
    for node in rebuilt {
        match merged.last_mut() {
            Some(last) if last.y == node.y => last.w = node.x + node.w - last.x,
            _ => merged.push(node),
        }
    }
    *nodes = merged;
}
