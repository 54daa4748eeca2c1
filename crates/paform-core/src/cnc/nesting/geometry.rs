//! Plain geometry shared by the nesting packers: axis-aligned rectangles, part instances
//! already inflated by the kerf, and candidate spots a packer may offer.
//!
//! Invariant: all coordinates here live in the "inflated" frame described in the parent
//! module, where every part is kerf-wider and kerf-taller and the usable area is the sheet
//! minus the trim plus one kerf, so that plain non-overlap means kerf-separated parts.

/// An axis-aligned rectangle with its origin at the lower-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) w: f64,
    pub(crate) h: f64,
}

impl Rect {
    pub(crate) fn area(&self) -> f64 {
        self.w * self.h
    }

    pub(crate) fn right(&self) -> f64 {
        self.x + self.w
    }

    pub(crate) fn top(&self) -> f64 {
        self.y + self.h
    }

    pub(crate) fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.right() <= self.right()
            && other.top() <= self.top()
    }

    pub(crate) fn intersects(&self, other: &Rect) -> bool {
        other.x < self.right()
            && self.x < other.right()
            && other.y < self.top()
            && self.y < other.top()
    }
}

/// One part instance in the inflated frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Item {
    /// Inflated width (part width plus kerf) in the unrotated orientation.
    pub(crate) w: f64,
    /// Inflated height (part height plus kerf) in the unrotated orientation.
    pub(crate) h: f64,
    /// Whether the packers may turn the part by 90°.
    pub(crate) rotatable: bool,
    /// Real (uninflated) area, which is what utilization counts.
    pub(crate) real_area: f64,
    /// Index of the `PartSpec` this instance comes from.
    pub(crate) spec: usize,
}

impl Item {
    /// The orientations a packer may try, unrotated first so ties favour it.
    pub(crate) fn orientations(&self) -> impl Iterator<Item = (f64, f64, bool)> {
        let turned = (self.rotatable && self.w != self.h).then_some((self.h, self.w, true));
        std::iter::once((self.w, self.h, false)).chain(turned)
    }
}

/// A position a packer offers for an item; lower scores are better.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Spot {
    pub(crate) rect: Rect,
    pub(crate) rotated: bool,
    pub(crate) score: (f64, f64),
    /// Packer-specific index (free rectangle or skyline node) the spot was found at.
    pub(crate) slot: usize,
}

impl Spot {
    pub(crate) fn better_than(&self, other: Option<&Spot>) -> bool {
        match other {
            None => true,
            Some(best) => {
                self.score.0 < best.score.0
                    || (self.score.0 == best.score.0 && self.score.1 < best.score.1)
            }
        }
    }
}
