//! The saw sequence of a guillotine sheet: the edge-to-edge cuts a panel saw makes, in
//! order, recovered from the placements alone (so it holds for any guillotine layout, not
//! just the ones this crate's packers build).
//!
//! How: the board is the first piece. For a piece and the parts inside it, first the waste
//! around the parts' bounding box is cut off (top, right, then bottom and left where the gap
//! is at least a kerf wide), then, with two or more parts left, one cut that separates them
//! (the longer direction first, the first gap found from the bottom or left); the two pieces
//! are then cut the same way, the lower or left one first: the depth-first order in which an
//! operator finishes one strip before the next. A cut at `position` removes the band from
//! `position` to `position + kerf`, so the lower or left piece ends at `position`.
//!
//! Invariant: no cut's kerf band overlaps a part, and once every cut is made each part lies
//! in a piece of its own; a piece that no cut can split (a non-guillotine layout, which the
//! guillotine mode never builds) is left whole.

use super::{Cut, CutDirection, Placement};

/// Rounding slack for comparing sums of millimetre values.
const EPS: f64 = 1e-6;

#[derive(Debug, Clone, Copy)]
struct Piece {
    x: f64,
    y: f64,
    right: f64,
    top: f64,
}

/// The cuts for `placements` on a `width` × `height` board, in saw order.
pub(crate) fn saw_cuts(width: f64, height: f64, placements: &[Placement], kerf: f64) -> Vec<Cut> {
    let mut cuts = Vec::new();
    let whole = Piece {
        x: 0.0,
        y: 0.0,
        right: width,
        top: height,
    };
    // Depth first with an explicit stack: pushing the upper or right piece before the lower
    // or left one makes the lower or left one come out first.
    let mut stack: Vec<(Piece, Vec<&Placement>)> = vec![(whole, placements.iter().collect())];
    while let Some((mut piece, parts)) = stack.pop() {
        if parts.is_empty() {
            continue;
        }
        trim_waste(&mut piece, &parts, kerf, &mut cuts);
        if parts.len() < 2 {
            continue;
        }
        let horizontal_first = piece.right - piece.x >= piece.top - piece.y;
        let order = if horizontal_first {
            [CutDirection::Horizontal, CutDirection::Vertical]
        } else {
            [CutDirection::Vertical, CutDirection::Horizontal]
        };
        let Some((direction, position)) = order.into_iter().find_map(|direction| {
            separating_cut(&parts, direction, kerf).map(|at| (direction, at))
        }) else {
            continue;
        };
        let (first, second) = split(piece, direction, position, kerf);
        cuts.push(cut(piece, direction, position));
        let (lower, upper): (Vec<&Placement>, Vec<&Placement>) = parts
            .into_iter()
            .partition(|part| span(part, direction).1 <= position + EPS);
        stack.push((second, upper));
        stack.push((first, lower));
    }
    cuts
}

/// The part's extent across a cut of `direction`: y for horizontal cuts, x for vertical.
fn span(part: &Placement, direction: CutDirection) -> (f64, f64) {
    match direction {
        CutDirection::Horizontal => (part.y, part.y + part.height),
        CutDirection::Vertical => (part.x, part.x + part.width),
    }
}

/// Cuts away the waste between the piece's edges and the parts' bounding box.
fn trim_waste(piece: &mut Piece, parts: &[&Placement], kerf: f64, cuts: &mut Vec<Cut>) {
    let top = parts
        .iter()
        .map(|p| p.y + p.height)
        .fold(f64::MIN, f64::max);
    let right = parts.iter().map(|p| p.x + p.width).fold(f64::MIN, f64::max);
    let bottom = parts.iter().map(|p| p.y).fold(f64::MAX, f64::min);
    let left = parts.iter().map(|p| p.x).fold(f64::MAX, f64::min);
    if top < piece.top - EPS {
        cuts.push(cut(*piece, CutDirection::Horizontal, top));
        piece.top = top;
    }
    if right < piece.right - EPS {
        cuts.push(cut(*piece, CutDirection::Vertical, right));
        piece.right = right;
    }
    if bottom > piece.y + EPS && bottom - kerf >= piece.y - EPS {
        cuts.push(cut(*piece, CutDirection::Horizontal, bottom - kerf));
        piece.y = bottom;
    }
    if left > piece.x + EPS && left - kerf >= piece.x - EPS {
        cuts.push(cut(*piece, CutDirection::Vertical, left - kerf));
        piece.x = left;
    }
}

/// The first cut of `direction` (from the bottom or left) whose kerf band passes between the
/// parts without touching any, leaving parts on both sides.
fn separating_cut(parts: &[&Placement], direction: CutDirection, kerf: f64) -> Option<f64> {
    let mut spans: Vec<(f64, f64)> = parts.iter().map(|part| span(part, direction)).collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut reach = f64::MIN;
    for pair in spans.windows(2) {
        reach = reach.max(pair[0].1);
        if reach + kerf <= pair[1].0 + EPS {
            return Some(reach);
        }
    }
    None
}

fn split(piece: Piece, direction: CutDirection, position: f64, kerf: f64) -> (Piece, Piece) {
    match direction {
        CutDirection::Horizontal => (
            Piece {
                top: position,
                ..piece
            },
            Piece {
                y: position + kerf,
                ..piece
            },
        ),
        CutDirection::Vertical => (
            Piece {
                right: position,
                ..piece
            },
            Piece {
                x: position + kerf,
                ..piece
            },
        ),
    }
}

fn cut(piece: Piece, direction: CutDirection, position: f64) -> Cut {
    let (from, to) = match direction {
        CutDirection::Horizontal => (piece.x, piece.right),
        CutDirection::Vertical => (piece.y, piece.top),
    };
    Cut {
        direction,
        position,
        from,
        to,
    }
}
