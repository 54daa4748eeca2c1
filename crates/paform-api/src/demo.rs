//! The demo catalog: a kitchen and a wardrobe range on six boards, so a fresh site or HQ can
//! be shown to a customer at once. Both seed it through their own catalog use cases, so it
//! passes the same checks as any edit.

use serde_json::json;

use crate::dto::{Dimensions, MaterialInput, ModuleInput};

const MATERIALS: &[(&str, &str, f64)] = &[
    ("White Melamine", "2.85", 18.0),
    ("Natural Oak Veneer", "7.40", 19.0),
    ("Smoked Walnut Veneer", "9.95", 19.0),
    ("Sage Matte Lacquer MDF", "6.20", 18.0),
    ("Birch Plywood", "5.10", 18.0),
    ("Anthracite Fenix NTM", "11.80", 18.0),
];

/// (name, material index, width, height, depth, base price, mount, shelves, doors, drawers)
type ModuleRow = (
    &'static str,
    usize,
    f64,
    f64,
    f64,
    &'static str,
    &'static str,
    u32,
    u32,
    u32,
);

const MODULES: &[ModuleRow] = &[
    (
        "Kitchen Base 300",
        0,
        300.0,
        720.0,
        560.0,
        "89.00",
        "floor",
        1,
        1,
        0,
    ),
    (
        "Kitchen Base 400",
        0,
        400.0,
        720.0,
        560.0,
        "99.00",
        "floor",
        1,
        1,
        0,
    ),
    (
        "Kitchen Base 600",
        1,
        600.0,
        720.0,
        560.0,
        "129.00",
        "floor",
        1,
        2,
        0,
    ),
    (
        "Kitchen Base 800",
        1,
        800.0,
        720.0,
        560.0,
        "149.00",
        "floor",
        1,
        2,
        0,
    ),
    (
        "Kitchen Sink Base 800",
        0,
        800.0,
        720.0,
        560.0,
        "139.00",
        "floor",
        0,
        2,
        0,
    ),
    (
        "Kitchen Drawer Base 600",
        3,
        600.0,
        720.0,
        560.0,
        "219.00",
        "floor",
        0,
        0,
        3,
    ),
    (
        "Kitchen Corner Base 900",
        0,
        900.0,
        720.0,
        560.0,
        "189.00",
        "floor",
        1,
        1,
        0,
    ),
    (
        "Kitchen Wall 400",
        0,
        400.0,
        720.0,
        320.0,
        "69.00",
        "wall",
        2,
        1,
        0,
    ),
    (
        "Kitchen Wall 600",
        3,
        600.0,
        720.0,
        320.0,
        "79.00",
        "wall",
        2,
        2,
        0,
    ),
    (
        "Kitchen Wall 800",
        3,
        800.0,
        720.0,
        320.0,
        "89.00",
        "wall",
        2,
        2,
        0,
    ),
    (
        "Kitchen Tall Pantry 600",
        1,
        600.0,
        2100.0,
        560.0,
        "329.00",
        "floor",
        5,
        2,
        0,
    ),
    (
        "Kitchen Tall Oven Housing 600",
        5,
        600.0,
        2100.0,
        560.0,
        "349.00",
        "floor",
        2,
        2,
        0,
    ),
    (
        "Wardrobe Single 500",
        4,
        500.0,
        2350.0,
        600.0,
        "259.00",
        "floor",
        4,
        1,
        0,
    ),
    (
        "Wardrobe Double 1000",
        2,
        1000.0,
        2350.0,
        600.0,
        "419.00",
        "floor",
        2,
        2,
        0,
    ),
    (
        "Wardrobe Drawer Unit 1000",
        2,
        1000.0,
        800.0,
        600.0,
        "289.00",
        "floor",
        0,
        0,
        4,
    ),
    (
        "Wardrobe Shoe Cabinet 800",
        4,
        800.0,
        1100.0,
        350.0,
        "179.00",
        "floor",
        4,
        2,
        0,
    ),
    (
        "Wardrobe Top Box 1000",
        5,
        1000.0,
        450.0,
        600.0,
        "149.00",
        "on_top",
        0,
        2,
        0,
    ),
    (
        "Open Shelf Unit 600",
        4,
        600.0,
        1800.0,
        350.0,
        "159.00",
        "floor",
        4,
        0,
        0,
    ),
];

/// The demo's materials, in the order `modules` refers to them.
pub fn materials() -> Vec<MaterialInput> {
    MATERIALS
        .iter()
        .map(|&(name, cost, thickness)| MaterialInput {
            name: name.into(),
            texture_url: None,
            cost_per_sq_ft: cost.into(),
            thickness_mm: Some(thickness),
            external_ids: Default::default(),
        })
        .collect()
}

/// The demo's modules, given the ids the seeded `materials()` received, in their order.
pub fn modules(material_ids: &[String]) -> Vec<ModuleInput> {
    MODULES
        .iter()
        .map(
            |&(name, material, width, height, depth, price, mount, shelves, doors, drawers)| {
                ModuleInput {
                    name: name.into(),
                    dimensions: Dimensions {
                        width,
                        height,
                        depth,
                    },
                    base_price: price.into(),
                    material_id: material_ids[material].clone(),
                    assembly_attributes: json!({"shelves": shelves, "doors": doors, "drawers": drawers}),
                    placement_constraints: json!({
                        "mount": mount,
                        "elevation_mm": if mount == "wall" { 1450 } else { 0 },
                        "row": if name.starts_with("Wardrobe") { "wardrobe" } else { "kitchen" },
                    }),
                    connection_points: json!([
                        {"id": "left", "side": "left", "offset_mm": [0, 0, 0]},
                        {"id": "right", "side": "right", "offset_mm": [width, 0, 0]},
                    ]),
                    external_ids: Default::default(),
                }
            },
        )
        .collect()
}
