//! Panelization: a module becomes the panels a shop cuts for it. Pricing takes its area from
//! these same panels, so a quote and a cut list can never disagree.
//!
//! With no board thickness known, a module is the six faces of its box (the naive model:
//! area = 2(W·H + W·D + H·D)). With a thickness `t` it is a real carcass: two full-height
//! sides, a top and a bottom between the sides, an inset back and the shelves that
//! `assembly_attributes.shelves` asks for.

use rust_decimal::Decimal;

use crate::catalog::{Axis, Dimensions, ModuleSpec};
use crate::units::Millimetres;

/// Whether a panel's grain runs along its length (it may then not be rotated on the sheet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Grain {
    None,
    Length,
}

/// Which edges of a panel get edge banding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdgeBanding {
    None,
    /// One long edge: the visible front edge of a carcass part.
    FrontEdge,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panel {
    pub name: &'static str,
    /// Along the grain.
    pub length: Millimetres,
    pub width: Millimetres,
    pub thickness: Option<Millimetres>,
    pub grain: Grain,
    pub edge_banding: EdgeBanding,
    /// Per module.
    pub quantity: u32,
    /// The module axis the panel's length follows: the length is that extent less whole
    /// boards, so a change of the extent changes the length by as much.
    pub length_axis: Axis,
    /// The module axis the panel's width follows.
    pub width_axis: Axis,
}

impl Panel {
    pub fn area_mm2(&self) -> Decimal {
        self.length.value() * self.width.value() * Decimal::from(self.quantity)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PanelizeError {
    #[error(
        "the module's {dimension} of {length} mm leaves no room between two {thickness} mm boards"
    )]
    TooSmallForBoard {
        dimension: &'static str,
        length: Millimetres,
        thickness: Millimetres,
    },
}

/// The panels of one module made from board of the given thickness (if known).
pub fn panelize(
    module: &ModuleSpec,
    thickness: Option<Millimetres>,
) -> Result<Vec<Panel>, PanelizeError> {
    match thickness {
        None => Ok(box_faces(&module.dimensions)),
        Some(thickness) => carcass(&module.dimensions, thickness, module.shelves),
    }
}

/// The total board area of a set of panels, in mm².
pub fn total_area_mm2(panels: &[Panel]) -> Decimal {
    panels.iter().map(Panel::area_mm2).sum()
}

fn box_faces(dimensions: &Dimensions) -> Vec<Panel> {
    let Dimensions {
        width,
        height,
        depth,
    } = *dimensions;
    let face = |name, (length, length_axis), (width, width_axis)| Panel {
        name,
        length,
        width,
        thickness: None,
        grain: Grain::None,
        edge_banding: EdgeBanding::None,
        quantity: 2,
        length_axis,
        width_axis,
    };
    vec![
        face("front-back", (height, Axis::Height), (width, Axis::Width)),
        face("top-bottom", (width, Axis::Width), (depth, Axis::Depth)),
        face("side", (height, Axis::Height), (depth, Axis::Depth)),
    ]
}

fn carcass(
    dimensions: &Dimensions,
    thickness: Millimetres,
    shelves: u32,
) -> Result<Vec<Panel>, PanelizeError> {
    let Dimensions {
        width,
        height,
        depth,
    } = *dimensions;
    let t = thickness.value();
    let inner = |dimension: &'static str, length: Millimetres, boards: Decimal| {
        Millimetres::from_decimal(length.value() - boards * t).map_err(|_| {
            PanelizeError::TooSmallForBoard {
                dimension,
                length,
                thickness,
            }
        })
    };
    let inner_width = inner("width", width, Decimal::TWO)?;
    let inner_height = inner("height", height, Decimal::TWO)?;
    let shelf_depth = inner("depth", depth, Decimal::ONE)?;
    let part =
        |name, (length, length_axis), (width, width_axis), grain, edge_banding, quantity| Panel {
            name,
            length,
            width,
            thickness: Some(thickness),
            grain,
            edge_banding,
            quantity,
            length_axis,
            width_axis,
        };
    let mut panels = vec![
        part(
            "side",
            (height, Axis::Height),
            (depth, Axis::Depth),
            Grain::Length,
            EdgeBanding::FrontEdge,
            2,
        ),
        part(
            "top-bottom",
            (inner_width, Axis::Width),
            (depth, Axis::Depth),
            Grain::Length,
            EdgeBanding::FrontEdge,
            2,
        ),
        part(
            "back",
            (inner_height, Axis::Height),
            (inner_width, Axis::Width),
            Grain::None,
            EdgeBanding::None,
            1,
        ),
    ];
    if shelves > 0 {
        let shelf = part(
            "shelf",
            (inner_width, Axis::Width),
            (shelf_depth, Axis::Depth),
            Grain::Length,
            EdgeBanding::FrontEdge,
            shelves,
        );
        panels.push(shelf);
    }
    Ok(panels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;

    fn mm(value: f64) -> Millimetres {
        Millimetres::from_f64(value).expect("test length is valid")
    }

    fn module(width: f64, height: f64, depth: f64, shelves: u32) -> ModuleSpec {
        let dimensions = Dimensions {
            width: mm(width),
            height: mm(height),
            depth: mm(depth),
        };
        ModuleSpec {
            dimensions,
            base_price: Money::ZERO,
            shelves,
        }
    }

    #[test]
    fn without_thickness_a_module_is_its_six_box_faces() {
        let panels = panelize(&module(600.0, 720.0, 560.0, 3), None).expect("panelizes");
        let expected = Decimal::from(2 * (600 * 720 + 600 * 560 + 720 * 560));
        assert_eq!(total_area_mm2(&panels), expected);
        assert_eq!(panels.iter().map(|p| p.quantity).sum::<u32>(), 6);
    }

    #[test]
    fn with_thickness_a_module_is_a_carcass_with_its_shelves() {
        let panels = panelize(&module(600.0, 720.0, 560.0, 2), Some(mm(18.0))).expect("panelizes");
        let summary: Vec<_> = panels
            .iter()
            .map(|p| {
                (
                    p.name,
                    p.length.to_string(),
                    p.width.to_string(),
                    p.quantity,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("side", "720".into(), "560".into(), 2),
                ("top-bottom", "564".into(), "560".into(), 2),
                ("back", "684".into(), "564".into(), 1),
                ("shelf", "564".into(), "542".into(), 2),
            ]
        );
    }

    #[test]
    fn a_carcass_narrower_than_two_boards_is_refused() {
        let error =
            panelize(&module(30.0, 720.0, 560.0, 0), Some(mm(18.0))).expect_err("too small");
        assert_eq!(
            error.to_string(),
            "the module's width of 30 mm leaves no room between two 18 mm boards"
        );
    }
}
