//! Catalog values: validated names, module dimensions, and the checks that turn a draft
//! material or module (raw strings and numbers from any edge) into valid values, reporting
//! every problem at once with the name of the field it concerns.

use serde_json::Value;

use crate::money::{Money, Rate};
use crate::problem::{FieldProblem, Problems};
use crate::units::Millimetres;

/// The most shelves, doors or drawers a module may hold; more is a typo, not furniture.
pub const MAX_COUNT: u64 = 50;
/// The counts of `assembly_attributes` that are bounded (SPEC §10).
pub const COUNTED_ATTRIBUTES: [&str; 3] = ["doors", "drawers", "shelves"];

/// The sides a connection point may face (GLB_ASSET_STANDARD.md §3 and §8: `connect:<side>`).
pub const CONNECTION_SIDES: [&str; 6] = ["left", "right", "top", "bottom", "front", "back"];
/// The most connection points a module may have; more is a mistake, not furniture.
pub const MAX_CONNECTION_POINTS: usize = 32;
/// The longest connection point id.
pub const MAX_CONNECTION_ID_CHARS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {0} characters")]
    TooLong(usize),
}

/// A display name: trimmed, non-empty, at most `Name::MAX_CHARS` characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(String);

impl Name {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(text: &str) -> Result<Name, NameError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(NameError::Empty);
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(NameError::TooLong(Self::MAX_CHARS));
        }
        Ok(Name(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// The outer box of a module, every side strictly positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dimensions {
    pub width: Millimetres,
    pub height: Millimetres,
    pub depth: Millimetres,
}

/// One of a module's three axes: width (x), height (y) and depth (z).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Axis {
    Width,
    Height,
    Depth,
}

impl Axis {
    pub const ALL: [Axis; 3] = [Axis::Width, Axis::Height, Axis::Depth];

    pub fn name(self) -> &'static str {
        match self {
            Axis::Width => "width",
            Axis::Height => "height",
            Axis::Depth => "depth",
        }
    }
}

impl Dimensions {
    /// The module's extent along `axis`.
    pub fn along(&self, axis: Axis) -> Millimetres {
        match axis {
            Axis::Width => self.width,
            Axis::Height => self.height,
            Axis::Depth => self.depth,
        }
    }
}

/// What pricing and panelization need to know of a material.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaterialSpec {
    pub cost_per_sq_ft: Rate,
    pub thickness: Option<Millimetres>,
}

/// What pricing and panelization need to know of a module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModuleSpec {
    pub dimensions: Dimensions,
    pub base_price: Money,
    pub shelves: u32,
}

/// A material as typed by a person or sent by the CMS, before any check.
#[derive(Debug, Clone, Copy)]
pub struct MaterialDraft<'a> {
    pub name: &'a str,
    pub cost_per_sq_ft: &'a str,
    pub thickness_mm: Option<f64>,
    pub texture_url: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidMaterial {
    pub name: Name,
    pub spec: MaterialSpec,
    pub texture_url: Option<String>,
}

pub fn validate_material(draft: &MaterialDraft<'_>) -> Result<ValidMaterial, Vec<FieldProblem>> {
    let mut problems = Problems::new();
    let name = problems.check("name", Name::parse(draft.name));
    let cost = problems.check("cost_per_sq_ft", Rate::parse(draft.cost_per_sq_ft));
    let thickness = match draft.thickness_mm {
        Some(mm) => problems
            .check("thickness_mm", Millimetres::from_f64(mm))
            .map(Some),
        None => Some(None),
    };
    let texture_url = draft
        .texture_url
        .map(str::trim)
        .filter(|url| !url.is_empty());
    if texture_url.is_some_and(|url| url.len() > 2048) {
        problems.push("texture_url", "must be at most 2048 characters");
    }
    problems.finish()?;
    match (name, cost, thickness) {
        (Some(name), Some(cost_per_sq_ft), Some(thickness)) => Ok(ValidMaterial {
            name,
            spec: MaterialSpec {
                cost_per_sq_ft,
                thickness,
            },
            texture_url: texture_url.map(str::to_owned),
        }),
        _ => unreachable!("every missing value recorded a problem"),
    }
}

/// Most external ids (`hygraph`, an ERP's id, …) one material or module may carry.
pub const MAX_EXTERNAL_IDS: usize = 16;

/// Checks a record's external ids: at most `MAX_EXTERNAL_IDS`, keys of 1 to 64 characters,
/// ids of 1 to 256.
pub fn validate_external_ids(
    ids: &std::collections::BTreeMap<String, String>,
) -> Result<(), Vec<FieldProblem>> {
    let mut problems = Problems::new();
    if ids.len() > MAX_EXTERNAL_IDS {
        problems.push(
            "external_ids",
            format!("at most {MAX_EXTERNAL_IDS} entries are allowed"),
        );
    }
    for (system, id) in ids {
        if system.is_empty() || system.len() > 64 || id.is_empty() || id.len() > 256 {
            problems.push(
                format!("external_ids.{system}"),
                "keys must have 1 to 64 characters and ids 1 to 256",
            );
        }
    }
    problems.finish()
}

/// A module as typed by a person or sent by the CMS, before any check.
#[derive(Debug, Clone, Copy)]
pub struct ModuleDraft<'a> {
    pub name: &'a str,
    pub width: f64,
    pub height: f64,
    pub depth: f64,
    pub base_price: &'a str,
    pub assembly_attributes: &'a Value,
    pub placement_constraints: &'a Value,
    pub connection_points: &'a Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidModule {
    pub name: Name,
    pub spec: ModuleSpec,
}

pub fn validate_module(draft: &ModuleDraft<'_>) -> Result<ValidModule, Vec<FieldProblem>> {
    let mut problems = Problems::new();
    let name = problems.check("name", Name::parse(draft.name));
    let width = problems.check("dimensions.width", Millimetres::from_f64(draft.width));
    let height = problems.check("dimensions.height", Millimetres::from_f64(draft.height));
    let depth = problems.check("dimensions.depth", Millimetres::from_f64(draft.depth));
    let base_price = problems.check("base_price", Money::parse(draft.base_price));
    if !draft.assembly_attributes.is_object() {
        problems.push("assembly_attributes", "must be an object");
    }
    if !draft.placement_constraints.is_object() {
        problems.push("placement_constraints", "must be an object");
    }
    check_connection_points(draft.connection_points, &mut problems);
    let mut counts = COUNTED_ATTRIBUTES.map(|name| {
        problems.check(
            &format!("assembly_attributes.{name}"),
            attribute_count(draft.assembly_attributes, name),
        )
    });
    let shelves = counts[2].take();
    problems.finish()?;
    match (name, width, height, depth, base_price, shelves) {
        (Some(name), Some(width), Some(height), Some(depth), Some(base_price), Some(shelves)) => {
            let dimensions = Dimensions {
                width,
                height,
                depth,
            };
            Ok(ValidModule {
                name,
                spec: ModuleSpec {
                    dimensions,
                    base_price,
                    shelves,
                },
            })
        }
        _ => unreachable!("every missing value recorded a problem"),
    }
}

/// Connection points are `{"id", "side", "offset_mm": [x, y, z]}` (GLB_ASSET_STANDARD.md §8):
/// every problem is recorded against the item's own field (`connection_points[1].side`).
fn check_connection_points(points: &Value, problems: &mut Problems) {
    let Some(items) = points.as_array() else {
        problems.push("connection_points", "must be an array");
        return;
    };
    if items.len() > MAX_CONNECTION_POINTS {
        problems.push(
            "connection_points",
            format!("must hold at most {MAX_CONNECTION_POINTS} points"),
        );
    }
    for (index, item) in items.iter().enumerate() {
        let field = |name: &str| format!("connection_points[{index}].{name}");
        let Some(point) = item.as_object() else {
            problems.push(
                format!("connection_points[{index}]"),
                "must be an object {id, side, offset_mm}",
            );
            continue;
        };
        match point.get("id").and_then(Value::as_str) {
            Some(id) if !id.is_empty() && id.chars().count() <= MAX_CONNECTION_ID_CHARS => {}
            _ => problems.push(
                field("id"),
                format!("must be a text of 1 to {MAX_CONNECTION_ID_CHARS} characters"),
            ),
        }
        match point.get("side").and_then(Value::as_str) {
            Some(side) if CONNECTION_SIDES.contains(&side) => {}
            _ => problems.push(
                field("side"),
                format!("must be one of {}", CONNECTION_SIDES.join(", ")),
            ),
        }
        let offset_fits = point
            .get("offset_mm")
            .and_then(Value::as_array)
            .is_some_and(|offset| offset.len() == 3 && offset.iter().all(Value::is_number));
        if !offset_fits {
            problems.push(
                field("offset_mm"),
                "must be three numbers [x, y, z] in millimetres",
            );
        }
    }
}

/// The number of shelves a module's `assembly_attributes` asks for (`{"shelves": 2}`).
pub fn shelf_count(assembly_attributes: &Value) -> Result<u32, String> {
    attribute_count(assembly_attributes, "shelves")
}

/// A count of `assembly_attributes` (`doors`, `drawers`, `shelves`): absent is 0, otherwise
/// a whole number from 0 to `MAX_COUNT`.
pub fn attribute_count(assembly_attributes: &Value, name: &str) -> Result<u32, String> {
    match assembly_attributes.get(name) {
        None | Some(Value::Null) => Ok(0),
        Some(value) => match value.as_u64() {
            Some(count) if count <= MAX_COUNT => Ok(count as u32),
            _ => Err(format!("must be a whole number from 0 to {MAX_COUNT}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_material_draft_reports_every_bad_field_at_once() {
        let draft = MaterialDraft {
            name: "  ",
            cost_per_sq_ft: "4.5x",
            thickness_mm: Some(-18.0),
            texture_url: None,
        };
        let problems = validate_material(&draft).expect_err("draft is invalid");
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["name", "cost_per_sq_ft", "thickness_mm"]);
    }

    #[test]
    fn a_module_draft_names_the_bad_dimension_and_shelves() {
        let attributes = json!({"shelves": -1});
        let empty = json!({});
        let points = json!([]);
        let draft = ModuleDraft {
            name: "Base 600",
            width: 600.0,
            height: 0.0,
            depth: 560.0,
            base_price: "120.00",
            assembly_attributes: &attributes,
            placement_constraints: &empty,
            connection_points: &points,
        };
        let problems = validate_module(&draft).expect_err("draft is invalid");
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["dimensions.height", "assembly_attributes.shelves"]);
    }

    #[test]
    fn a_module_draft_names_every_connection_point_field_that_is_not_id_side_and_offset() {
        let attributes = json!({});
        let points = json!([
            {"id": "left", "side": "left", "offset_mm": [0, 0, 0]},
            [null, null],
            {"id": "", "side": "up", "offset_mm": [1, 2]},
            {"side": "right", "offset_mm": [600, 0, "0"]},
        ]);
        let draft = ModuleDraft {
            name: "Base 600",
            width: 600.0,
            height: 720.0,
            depth: 560.0,
            base_price: "120.00",
            assembly_attributes: &attributes,
            placement_constraints: &attributes,
            connection_points: &points,
        };
        let problems = validate_module(&draft).expect_err("draft is invalid");
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "connection_points[1]",
                "connection_points[2].id",
                "connection_points[2].side",
                "connection_points[2].offset_mm",
                "connection_points[3].id",
                "connection_points[3].offset_mm",
            ]
        );
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            Name::parse("  Oak  ").map(Name::into_string),
            Ok("Oak".into())
        );
        assert_eq!(Name::parse(""), Err(NameError::Empty));
        assert_eq!(Name::parse(&"x".repeat(201)), Err(NameError::TooLong(200)));
    }
}
