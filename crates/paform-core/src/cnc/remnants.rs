//! Remnants of a cut sheet (SPEC §12, offcuts): the rectangles left over once a layout's
//! parts are cut out, each at least a minimum size, kept apart from the parts and from each
//! other by the saw's kerf, and inside the sheet's trimmed edge.
//!
//! The free space is tracked as maximal empty rectangles (they overlap each other); the
//! largest one big enough is taken, becomes an obstacle itself, and the search repeats.
//! Taking the largest first keeps big boards big, which is what a shop wants to reuse.

/// An axis-aligned rectangle: lower-left corner and size, in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    fn right(&self) -> f64 {
        self.x + self.width
    }

    fn top(&self) -> f64 {
        self.y + self.height
    }

    fn area(&self) -> f64 {
        self.width * self.height
    }

    /// Whether the interiors meet (touching edges do not).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.top()
            && other.y < self.top()
    }

    fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.right() <= self.right()
            && other.top() <= self.top()
    }

    fn grown(&self, by: f64) -> Rect {
        Rect {
            x: self.x - by,
            y: self.y - by,
            width: self.width + 2.0 * by,
            height: self.height + 2.0 * by,
        }
    }
}

/// The sheet and what was cut from it.
#[derive(Debug, Clone)]
pub struct CutSheet {
    pub width: f64,
    pub height: f64,
    /// Margin along every edge that is trimmed off and never kept.
    pub trim: f64,
    pub kerf: f64,
    pub parts: Vec<Rect>,
}

/// The remnants of `sheet` of at least `min_width` × `min_height` (either way round), largest
/// first. None overlaps a part or another remnant, each keeps `kerf` from both, and all lie
/// inside the trimmed sheet.
pub fn remnants(sheet: &CutSheet, min_width: f64, min_height: f64) -> Vec<Rect> {
    let usable = Rect {
        x: sheet.trim,
        y: sheet.trim,
        width: sheet.width - 2.0 * sheet.trim,
        height: sheet.height - 2.0 * sheet.trim,
    };
    if usable.width <= 0.0 || usable.height <= 0.0 {
        return Vec::new();
    }
    let (short, long) = if min_width <= min_height {
        (min_width, min_height)
    } else {
        (min_height, min_width)
    };
    let big_enough = |rect: &Rect| {
        let (a, b) = if rect.width <= rect.height {
            (rect.width, rect.height)
        } else {
            (rect.height, rect.width)
        };
        a >= short && b >= long
    };
    let mut free = vec![usable];
    for part in &sheet.parts {
        free = carve(free, &part.grown(sheet.kerf));
    }
    let mut kept = Vec::new();
    while let Some(best) = free
        .iter()
        .filter(|rect| big_enough(rect))
        .max_by(|a, b| {
            a.area()
                .total_cmp(&b.area())
                .then(b.y.total_cmp(&a.y))
                .then(b.x.total_cmp(&a.x))
        })
        .copied()
    {
        kept.push(best);
        free = carve(free, &best.grown(sheet.kerf));
    }
    kept
}

/// The maximal empty rectangles of `free` once `obstacle` is taken out.
fn carve(free: Vec<Rect>, obstacle: &Rect) -> Vec<Rect> {
    let mut pieces = Vec::with_capacity(free.len() + 4);
    for rect in free {
        if !rect.overlaps(obstacle) {
            pieces.push(rect);
            continue;
        }
        let candidates = [
            Rect {
                width: obstacle.x - rect.x,
                ..rect
            },
            Rect {
                x: obstacle.right(),
                width: rect.right() - obstacle.right(),
                ..rect
            },
            Rect {
                height: obstacle.y - rect.y,
                ..rect
            },
            Rect {
                y: obstacle.top(),
                height: rect.top() - obstacle.top(),
                ..rect
            },
        ];
        pieces.extend(
            candidates
                .into_iter()
                .filter(|piece| piece.width > 0.0 && piece.height > 0.0),
        );
    }
    // Drop pieces inside others (keeping the first of equal ones), so the list stays small.
    let mut maximal: Vec<Rect> = Vec::with_capacity(pieces.len());
    for (index, piece) in pieces.iter().enumerate() {
        let inside_another = pieces.iter().enumerate().any(|(other_index, other)| {
            other_index != index && other.contains(piece) && (other != piece || other_index < index)
        });
        if !inside_another {
            maximal.push(*piece);
        }
    }
    maximal
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn rect(x: f64, y: f64, width: f64, height: f64) -> Rect {
        Rect {
            x,
            y,
            width,
            height,
        }
    }

    #[test]
    fn an_empty_sheet_is_one_remnant_inside_its_trim() {
        let sheet = CutSheet {
            width: 2440.0,
            height: 1220.0,
            trim: 10.0,
            kerf: 4.0,
            parts: vec![],
        };
        assert_eq!(
            remnants(&sheet, 300.0, 300.0),
            [rect(10.0, 10.0, 2420.0, 1200.0)]
        );
    }

    #[test]
    fn a_strip_beside_one_part_is_kept_and_small_ones_are_not() {
        let sheet = CutSheet {
            width: 2440.0,
            height: 1220.0,
            trim: 0.0,
            kerf: 4.0,
            parts: vec![rect(0.0, 0.0, 2000.0, 1000.0)],
        };
        let found = remnants(&sheet, 300.0, 300.0);
        assert_eq!(found, [rect(2004.0, 0.0, 436.0, 1220.0)]);
    }

    fn sheet_strategy() -> impl Strategy<Value = CutSheet> {
        (
            prop::collection::vec(
                (
                    0.0..2000.0_f64,
                    0.0..1000.0_f64,
                    50.0..900.0_f64,
                    50.0..600.0_f64,
                ),
                0..12,
            ),
            0.0..20.0_f64,
            0.0..6.0_f64,
        )
            .prop_map(|(raw, trim, kerf)| {
                // Parts placed one by one, skipping any that would overlap a previous one or
                // leave the sheet: any valid layout, guillotine or not.
                let (width, height) = (2440.0, 1220.0);
                let mut parts: Vec<Rect> = Vec::new();
                for (x, y, w, h) in raw {
                    let part = rect(x + trim, y + trim, w, h);
                    let inside = part.right() <= width - trim && part.top() <= height - trim;
                    if inside && parts.iter().all(|other| !part.grown(kerf).overlaps(other)) {
                        parts.push(part);
                    }
                }
                CutSheet {
                    width,
                    height,
                    trim,
                    kerf,
                    parts,
                }
            })
    }

    proptest! {
        #[test]
        fn remnants_avoid_parts_and_each_other_and_stay_on_the_sheet(
            sheet in sheet_strategy(),
            min in 100.0..600.0_f64,
        ) {
            let found = remnants(&sheet, min, min);
            // The kerf as checked, less a rounding error of the subtraction.
            let gap = sheet.kerf - 1e-6;
            for (index, remnant) in found.iter().enumerate() {
                prop_assert!(remnant.width >= min && remnant.height >= min, "{remnant:?}");
                prop_assert!(remnant.x >= sheet.trim && remnant.y >= sheet.trim);
                prop_assert!(remnant.right() <= sheet.width - sheet.trim + 1e-9);
                prop_assert!(remnant.top() <= sheet.height - sheet.trim + 1e-9);
                for part in &sheet.parts {
                    prop_assert!(!remnant.grown(gap).overlaps(part), "{remnant:?} meets {part:?}");
                }
                for other in &found[index + 1..] {
                    prop_assert!(!remnant.grown(gap).overlaps(other), "{remnant:?} meets {other:?}");
                }
            }
        }
    }
}
