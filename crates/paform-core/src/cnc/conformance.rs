//! The three-way check before production (SPEC §17): per order line, the module's 3D model
//! (its bounding box, when the module has one), the frozen dimensions and the cut list's
//! panels must agree within `TOLERANCE_MM`, the GLB standard's tolerance (1 mm absolute per
//! axis). `check` returns every disagreement, never only the first.
//!
//! What "the cut list agrees with the dimensions" means: the frozen panels must be the panels
//! the panelizer makes of the frozen dimensions, shelves and board thickness — the same
//! names and quantities, and each panel's length and width within the tolerance of the
//! panelizer's. Every panel measure follows one module axis less whole boards
//! (`Panel::length_axis`, `Panel::width_axis`), so a measure that is off by `d` says the cut
//! list builds that axis `d` longer: its extent on that axis is the dimension plus `d`. That
//! extent is what the model's bounding box is compared with, so the model and the cut list
//! are checked against each other too, not only each against the dimensions (two sides
//! 0.8 mm off in opposite directions are 1.6 mm apart).
//!
//! This rule catches a module edited after freezing (a new model sized to the new
//! dimensions), a cut list edited behind the app's back (one panel, a shelf more or less)
//! and frozen dimensions edited without their panels, and never fires on data the app froze
//! itself, because freezing panelizes with this same panelizer.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;

use crate::catalog::{Axis, Dimensions, ModuleSpec};
use crate::cnc::panelize::{self, Panel};
use crate::money::Money;
use crate::units::Millimetres;

/// The GLB standard's tolerance: 1 mm absolute per axis. A difference of exactly 1 mm agrees.
pub const TOLERANCE_MM: Decimal = Decimal::ONE;

/// A model's bounding box size in millimetres (any non-negative size; a model may be flat).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelBox {
    pub width: Decimal,
    pub height: Decimal,
    pub depth: Decimal,
}

impl ModelBox {
    pub fn along(&self, axis: Axis) -> Decimal {
        match axis {
            Axis::Width => self.width,
            Axis::Height => self.height,
            Axis::Depth => self.depth,
        }
    }
}

/// One panel of a line's cut list, as its frozen production data holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CutListPanel {
    pub name: String,
    pub length: Decimal,
    pub width: Decimal,
    /// Per module.
    pub quantity: u32,
}

/// What the check knows of one order line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFacts {
    pub line_id: String,
    pub position: u32,
    pub module_name: String,
    /// The frozen dimensions.
    pub dimensions: Dimensions,
    /// The frozen shelf count (`assembly_attributes.shelves`).
    pub shelves: u32,
    /// The frozen board thickness; none for the naive six-face model.
    pub thickness: Option<Millimetres>,
    /// The module's model, when it has one.
    pub model: Option<ModelBox>,
    /// The frozen panels.
    pub cut_list: Vec<CutListPanel>,
}

/// Which two of the three sources disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pair {
    ModelDimensions,
    DimensionsCutList,
    ModelCutList,
}

impl Pair {
    /// The names of the pair's first and second source, in that order.
    pub fn sources(self) -> (&'static str, &'static str) {
        match self {
            Pair::ModelDimensions => ("the model", "the dimensions"),
            Pair::DimensionsCutList => ("the dimensions", "the cut list"),
            Pair::ModelCutList => ("the model", "the cut list"),
        }
    }
}

/// How two sources disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disagreement {
    /// Along `axis` the pair's first source measures `first_mm` and its second `second_mm`,
    /// more than `TOLERANCE_MM` apart. For the cut list it is the extent its panel builds.
    Extent {
        axis: Axis,
        first_mm: Decimal,
        second_mm: Decimal,
    },
    /// The dimensions make a panel the cut list lacks.
    MissingPanel,
    /// The cut list has a panel the dimensions do not make.
    UnexpectedPanel,
    /// The cut list cuts a panel a different number of times per module.
    Quantity { expected: u32, found: u32 },
    /// The dimensions leave no room between two boards, so they make no cut list at all.
    NotPanelizable,
}

impl Disagreement {
    /// Second minus first, for an extent.
    pub fn difference_mm(&self) -> Option<Decimal> {
        match self {
            Disagreement::Extent {
                first_mm,
                second_mm,
                ..
            } => Some(second_mm - first_mm),
            _ => None,
        }
    }
}

/// One disagreement on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub line_id: String,
    pub position: u32,
    pub module_name: String,
    pub pair: Pair,
    /// The cut list's panel concerned, when the cut list is part of the pair.
    pub panel: Option<String>,
    pub disagreement: Disagreement,
}

/// A length for people: at most two decimals, no trailing zeros.
fn shown(value: Decimal) -> Decimal {
    value.round_dp(2).normalize()
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (first, second) = self.pair.sources();
        let panel = self.panel.as_deref().unwrap_or("");
        match self.disagreement {
            Disagreement::Extent {
                axis,
                first_mm,
                second_mm,
            } => {
                let second = match &self.panel {
                    Some(panel) => format!("{second} ({panel})"),
                    None => second.to_owned(),
                };
                write!(
                    f,
                    "{}: {first} {} mm, {second} {} mm ({} mm apart)",
                    axis.name(),
                    shown(first_mm),
                    shown(second_mm),
                    shown((second_mm - first_mm).abs())
                )
            }
            Disagreement::MissingPanel => {
                write!(f, "the cut list has no {panel} panel, which {first} make")
            }
            Disagreement::UnexpectedPanel => {
                write!(f, "the cut list has a {panel} panel {first} do not make")
            }
            Disagreement::Quantity { expected, found } => write!(
                f,
                "the cut list has {found} × {panel} per module, {first} make {expected}"
            ),
            Disagreement::NotPanelizable => {
                write!(f, "{first} leave no room between two boards")
            }
        }
    }
}

/// Every disagreement of every line, in line order.
pub fn check(lines: &[LineFacts]) -> Vec<Mismatch> {
    lines.iter().flat_map(check_line).collect()
}

/// Every disagreement of one line: model against dimensions per axis, then each expected
/// panel against the cut list (names, quantities, and each measure against the dimensions
/// and the model), then the cut list's panels the dimensions do not make.
pub fn check_line(line: &LineFacts) -> Vec<Mismatch> {
    let mismatch = |pair, panel: Option<&str>, disagreement| Mismatch {
        line_id: line.line_id.clone(),
        position: line.position,
        module_name: line.module_name.clone(),
        pair,
        panel: panel.map(str::to_owned),
        disagreement,
    };
    let mut mismatches = Vec::new();
    if let Some(model) = &line.model {
        for axis in Axis::ALL {
            let dimension = line.dimensions.along(axis).value();
            if disagree(model.along(axis), dimension) {
                mismatches.push(mismatch(
                    Pair::ModelDimensions,
                    None,
                    Disagreement::Extent {
                        axis,
                        first_mm: model.along(axis),
                        second_mm: dimension,
                    },
                ));
            }
        }
    }
    let module = ModuleSpec {
        dimensions: line.dimensions,
        base_price: Money::ZERO,
        shelves: line.shelves,
    };
    let Ok(expected_panels) = panelize::panelize(&module, line.thickness) else {
        mismatches.push(mismatch(
            Pair::DimensionsCutList,
            None,
            Disagreement::NotPanelizable,
        ));
        return mismatches;
    };
    // The cut list's panels by name; a name cut twice is matched once, its repeat is
    // unexpected.
    let mut found_panels: BTreeMap<&str, &CutListPanel> = BTreeMap::new();
    let mut repeated = Vec::new();
    for panel in &line.cut_list {
        if found_panels.insert(panel.name.as_str(), panel).is_some() {
            repeated.push(panel.name.as_str());
        }
    }
    for expected in &expected_panels {
        let Some(found) = found_panels.remove(expected.name) else {
            mismatches.push(mismatch(
                Pair::DimensionsCutList,
                Some(expected.name),
                Disagreement::MissingPanel,
            ));
            continue;
        };
        if found.quantity != expected.quantity {
            mismatches.push(mismatch(
                Pair::DimensionsCutList,
                Some(expected.name),
                Disagreement::Quantity {
                    expected: expected.quantity,
                    found: found.quantity,
                },
            ));
        }
        for (axis, built) in built_extents(&line.dimensions, expected, found) {
            let dimension = line.dimensions.along(axis).value();
            if disagree(dimension, built) {
                mismatches.push(mismatch(
                    Pair::DimensionsCutList,
                    Some(expected.name),
                    Disagreement::Extent {
                        axis,
                        first_mm: dimension,
                        second_mm: built,
                    },
                ));
            }
            if let Some(model) = &line.model
                && disagree(model.along(axis), built)
            {
                mismatches.push(mismatch(
                    Pair::ModelCutList,
                    Some(expected.name),
                    Disagreement::Extent {
                        axis,
                        first_mm: model.along(axis),
                        second_mm: built,
                    },
                ));
            }
        }
    }
    let unexpected = found_panels.into_keys().chain(repeated);
    for name in unexpected.collect::<Vec<_>>() {
        mismatches.push(mismatch(
            Pair::DimensionsCutList,
            Some(name),
            Disagreement::UnexpectedPanel,
        ));
    }
    mismatches
}

fn disagree(first: Decimal, second: Decimal) -> bool {
    (first - second).abs() > TOLERANCE_MM
}

/// The extents `found` builds along the axes its measures follow: the dimension plus how far
/// the measure is from the panelizer's.
fn built_extents(
    dimensions: &Dimensions,
    expected: &Panel,
    found: &CutListPanel,
) -> [(Axis, Decimal); 2] {
    let built = |axis: Axis, expected: Millimetres, found: Decimal| {
        (
            axis,
            dimensions.along(axis).value() + found - expected.value(),
        )
    };
    [
        built(expected.length_axis, expected.length, found.length),
        built(expected.width_axis, expected.width, found.width),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mm(value: i64) -> Millimetres {
        Millimetres::from_decimal(Decimal::from(value)).expect("test length is valid")
    }

    fn dec(text: &str) -> Decimal {
        text.parse().expect("test decimal")
    }

    /// A 600 × 720 × 560 carcass of 18 mm board with two shelves, its cut list as the
    /// panelizer makes it and a model of exactly its size.
    fn agreeing_line() -> LineFacts {
        let dimensions = Dimensions {
            width: mm(600),
            height: mm(720),
            depth: mm(560),
        };
        let module = ModuleSpec {
            dimensions,
            base_price: Money::ZERO,
            shelves: 2,
        };
        let cut_list = panelize::panelize(&module, Some(mm(18)))
            .expect("panelizes")
            .into_iter()
            .map(|panel| CutListPanel {
                name: panel.name.to_owned(),
                length: panel.length.value(),
                width: panel.width.value(),
                quantity: panel.quantity,
            })
            .collect();
        LineFacts {
            line_id: "line-1".into(),
            position: 1,
            module_name: "Base 600".into(),
            dimensions,
            shelves: 2,
            thickness: Some(mm(18)),
            model: Some(ModelBox {
                width: dec("600"),
                height: dec("720"),
                depth: dec("560"),
            }),
            cut_list,
        }
    }

    fn panel<'a>(line: &'a mut LineFacts, name: &str) -> &'a mut CutListPanel {
        line.cut_list
            .iter_mut()
            .find(|panel| panel.name == name)
            .expect("the panel is in the cut list")
    }

    /// `edit` applied to the agreeing line gives exactly these mismatches, as text.
    fn check_case(case: &str, edit: impl FnOnce(&mut LineFacts), expected: &[&str]) {
        let mut line = agreeing_line();
        edit(&mut line);
        let found: Vec<String> = check(std::slice::from_ref(&line))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(found, expected, "{case}");
    }

    #[test]
    fn the_three_sources_agree_within_one_millimetre_and_disagree_beyond_it() {
        check_case("agreeing", |_| {}, &[]);
        check_case(
            "model 0.9 mm wide of the dimensions",
            |line| line.model.as_mut().expect("model").width = dec("600.9"),
            &[],
        );
        check_case(
            "model exactly 1 mm short",
            |line| line.model.as_mut().expect("model").depth = dec("559"),
            &[],
        );
        check_case(
            "model 1.5 mm wider than the dimensions and the cut list",
            |line| line.model.as_mut().expect("model").width = dec("601.5"),
            &[
                "width: the model 601.5 mm, the dimensions 600 mm (1.5 mm apart)",
                "width: the model 601.5 mm, the cut list (top-bottom) 600 mm (1.5 mm apart)",
                "width: the model 601.5 mm, the cut list (back) 600 mm (1.5 mm apart)",
                "width: the model 601.5 mm, the cut list (shelf) 600 mm (1.5 mm apart)",
            ],
        );
        check_case(
            "a side 0.9 mm long",
            |line| panel(line, "side").length = dec("720.9"),
            &[],
        );
        check_case(
            "a side 1.5 mm long",
            |line| panel(line, "side").length = dec("721.5"),
            &[
                "height: the dimensions 720 mm, the cut list (side) 721.5 mm (1.5 mm apart)",
                "height: the model 720 mm, the cut list (side) 721.5 mm (1.5 mm apart)",
            ],
        );
        check_case(
            "model and cut list each within 1 mm of the dimensions but 1.6 mm apart",
            |line| {
                line.model.as_mut().expect("model").height = dec("720.8");
                panel(line, "side").length = dec("719.2");
            },
            &["height: the model 720.8 mm, the cut list (side) 719.2 mm (1.6 mm apart)"],
        );
    }

    #[test]
    fn without_a_model_only_the_dimensions_and_the_cut_list_are_compared() {
        check_case("no model", |line| line.model = None, &[]);
        check_case(
            "no model, shelf 1.5 mm shallow",
            |line| {
                line.model = None;
                panel(line, "shelf").width = dec("540.5");
            },
            &["depth: the dimensions 560 mm, the cut list (shelf) 558.5 mm (1.5 mm apart)"],
        );
    }

    #[test]
    fn frozen_dimensions_edited_without_their_panels_disagree_on_every_panel_of_that_axis() {
        check_case(
            "width 650 in the dimensions only",
            |line| {
                line.model = None;
                line.dimensions.width = mm(650);
            },
            &[
                "width: the dimensions 650 mm, the cut list (top-bottom) 600 mm (50 mm apart)",
                "width: the dimensions 650 mm, the cut list (back) 600 mm (50 mm apart)",
                "width: the dimensions 650 mm, the cut list (shelf) 600 mm (50 mm apart)",
            ],
        );
    }

    #[test]
    fn panels_missing_added_or_cut_a_different_number_of_times_disagree() {
        check_case(
            "one shelf fewer",
            |line| panel(line, "shelf").quantity = 1,
            &["the cut list has 1 × shelf per module, the dimensions make 2"],
        );
        check_case(
            "no back, a door",
            |line| {
                panel(line, "back").name = "door".into();
            },
            &[
                "the cut list has no back panel, which the dimensions make",
                "the cut list has a door panel the dimensions do not make",
            ],
        );
        check_case(
            "a side twice",
            |line| {
                let side = panel(line, "side").clone();
                line.cut_list.push(side);
            },
            &["the cut list has a side panel the dimensions do not make"],
        );
        check_case(
            "dimensions too narrow for the board",
            |line| {
                line.model = None;
                line.dimensions.width = mm(30);
            },
            &["the dimensions leave no room between two boards"],
        );
    }

    #[test]
    fn the_naive_six_faces_are_checked_on_their_own_axes() {
        let mut line = agreeing_line();
        line.thickness = None;
        line.shelves = 0;
        line.cut_list = vec![
            CutListPanel {
                name: "front-back".into(),
                length: dec("720"),
                width: dec("600"),
                quantity: 2,
            },
            CutListPanel {
                name: "top-bottom".into(),
                length: dec("600"),
                width: dec("562"),
                quantity: 2,
            },
            CutListPanel {
                name: "side".into(),
                length: dec("720"),
                width: dec("560"),
                quantity: 2,
            },
        ];
        let mismatches = check(&[line]);
        assert_eq!(mismatches.len(), 2, "{mismatches:?}");
        assert_eq!(mismatches[0].pair, Pair::DimensionsCutList);
        assert_eq!(mismatches[0].panel.as_deref(), Some("top-bottom"));
        assert_eq!(
            mismatches[0].disagreement,
            Disagreement::Extent {
                axis: Axis::Depth,
                first_mm: dec("560"),
                second_mm: dec("562"),
            }
        );
        assert_eq!(mismatches[0].disagreement.difference_mm(), Some(dec("2")));
        assert_eq!(mismatches[1].pair, Pair::ModelCutList);
        assert_eq!(mismatches[1].line_id, "line-1");
        assert_eq!(mismatches[1].position, 1);
        assert_eq!(mismatches[1].module_name, "Base 600");
    }
}
