//! Conversions between the store's records and the API's DTOs, and the one place where
//! timestamps get their wire format (RFC 3339 UTC, millisecond precision).

use std::collections::BTreeMap;

use jiff::{Timestamp, Unit};
use paform_core::cnc::panelize::Grain;
use paform_store::records::v3::{MaterialRecord, ModuleRecord};
use serde_json::Value;

use crate::dto;

pub(crate) fn timestamp(at: Timestamp) -> String {
    at.round(Unit::Millisecond).unwrap_or(at).to_string()
}

pub(crate) fn external_ids(pairs: &[(String, String)]) -> BTreeMap<String, String> {
    pairs.iter().cloned().collect()
}

pub(crate) fn external_id_pairs(map: &BTreeMap<String, String>) -> Vec<(String, String)> {
    map.iter()
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect()
}

/// Lengths are stored as exact decimal text and shown as JSON numbers.
pub(crate) fn millimetres(text: &str) -> f64 {
    text.parse().unwrap_or(f64::NAN)
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// A module's stored connection points in their typed form. Points stored before their
/// shape was checked (any JSON array was taken then) that are not `{id, side, offset_mm}`
/// are left out and logged; the stored text stays as it was until the module is saved again.
fn connection_points(module_id: &str, text: &str) -> Vec<dto::ConnectionPoint> {
    let items = match json(text) {
        Value::Array(items) => items,
        _ => Vec::new(),
    };
    let mut points = Vec::with_capacity(items.len());
    for item in items {
        let fits = item
            .get("offset_mm")
            .and_then(Value::as_array)
            .map(Vec::len)
            == Some(3);
        match serde_json::from_value::<dto::ConnectionPoint>(item) {
            Ok(point) if fits && !point.id.is_empty() => points.push(point),
            _ => tracing::warn!(
                module_id,
                "a stored connection point is not {{id, side, offset_mm}}; it is left out"
            ),
        }
    }
    points
}

pub(crate) fn material(record: MaterialRecord) -> dto::Material {
    dto::Material {
        thickness_mm: record.thickness_mm.as_deref().map(millimetres),
        external_ids: external_ids(&record.external_ids),
        id: record.id,
        name: record.name,
        texture_url: record.texture_url,
        cost_per_sq_ft: record.cost_per_sq_ft,
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

pub(crate) fn module(record: ModuleRecord) -> dto::Module {
    dto::Module {
        dimensions: dto::Dimensions {
            width: millimetres(&record.width_mm),
            height: millimetres(&record.height_mm),
            depth: millimetres(&record.depth_mm),
        },
        assembly_attributes: json(&record.assembly_attributes),
        placement_constraints: json(&record.placement_constraints),
        connection_points: connection_points(&record.id, &record.connection_points),
        external_ids: external_ids(&record.external_ids),
        id: record.id,
        name: record.name,
        base_price: record.base_price,
        material_id: record.material_id,
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

/// A panel's grain as the API spells it.
pub(crate) fn part_grain(grain: Grain) -> dto::PartGrain {
    match grain {
        Grain::None => dto::PartGrain::None,
        Grain::Length => dto::PartGrain::Length,
    }
}
