//! Applying a verified delivery to the catalog: publishes upsert materials and modules
//! (a module whose material has not arrived waits in `sync_pending`), removals take entries
//! out (deferred while a material is still used by modules).

use std::collections::BTreeMap;

use paform_core::problem::FieldProblem;
use paform_core::webhook::{Content, Delivery, EntryId, parse_delivery};
use paform_store::WriteTx;
use paform_store::records::v3::{PendingDeliveryRecord, SyncPendingRecord};
use paform_store::tables_v3::{
    MATERIALS, MATERIALS_BY_HYGRAPH_ID, MODULES, MODULES_BY_HYGRAPH_ID, MODULES_BY_MATERIAL,
    SYNC_ENTRIES, SYNC_PENDING,
};
use paform_store::{StoreError, Table};

use crate::AppError;
use crate::catalog::{
    HYGRAPH, hygraph_id, put_material, put_module, remove_material_record, remove_module_record,
    validated_material_record, validated_module_record,
};
use crate::convert;
use crate::dto::{Dimensions, MaterialInput, ModuleInput, SyncOutcome};

use super::*;

pub(super) fn publish_material(
    tx: &mut WriteTx,
    context: &Context,
    delivery: &Delivery,
    material: &paform_core::webhook::Material,
    released: &mut Vec<String>,
) -> Result<Decision, AppError> {
    let input = MaterialInput {
        name: material.name.clone(),
        texture_url: material.texture_url.clone(),
        cost_per_sq_ft: material.cost_per_sq_ft.to_string(),
        thickness_mm: material.thickness_mm.map(|mm| mm.to_f64()),
        external_ids: hygraph_external_ids(delivery.id()),
    };
    let mut record = validated_material_record(
        &input,
        String::new(),
        context.at.clone(),
        context.at.clone(),
    )
    .map_err(in_body)?;
    if let Some(reason) = superseded(tx, delivery)? {
        return Ok(Decision::new(SyncOutcome::Ignored, reason));
    }
    let existing = find_by_hygraph_id(tx, &MATERIALS, &MATERIALS_BY_HYGRAPH_ID, delivery.id())?;
    match &existing {
        Some(previous) => {
            record.id = previous.id.clone();
            record.created_at = previous.created_at.clone();
            record.external_ids = merged_external_ids(&previous.external_ids, delivery.id());
        }
        None => record.id = context.app.new_id(),
    }
    crate::media::adopt_material_media(tx, &mut record)?;
    put_material(tx, &record, existing.as_ref())?;
    set_entry(tx, delivery, Some(record.id), false)?;
    release_pending(tx, context, delivery.id(), released)?;
    Ok(Decision::new(SyncOutcome::Applied, None))
}

pub(super) fn publish_module(
    tx: &mut WriteTx,
    context: &Context,
    delivery: &Delivery,
    module: &paform_core::webhook::Module,
    body: &str,
) -> Result<Decision, AppError> {
    let input = ModuleInput {
        name: module.name.clone(),
        dimensions: Dimensions {
            width: module.width.to_f64(),
            height: module.height.to_f64(),
            depth: module.depth.to_f64(),
        },
        base_price: module.base_price.to_string(),
        material_id: String::new(),
        assembly_attributes: module.assembly_attributes.clone(),
        placement_constraints: module.placement_constraints.clone(),
        connection_points: module.connection_points.clone(),
        external_ids: hygraph_external_ids(delivery.id()),
    };
    let mut record = validated_module_record(
        &input,
        String::new(),
        context.at.clone(),
        context.at.clone(),
    )
    .map_err(in_body)?;
    if let Some(reason) = superseded(tx, delivery)? {
        return Ok(Decision::new(SyncOutcome::Ignored, reason));
    }
    let material_entry = &module.material_id;
    let Some(material) =
        find_by_hygraph_id(tx, &MATERIALS, &MATERIALS_BY_HYGRAPH_ID, material_entry)?
    else {
        add_pending(tx, material_entry, delivery, body)?;
        let reason = format!("waiting for material {material_entry}");
        return Ok(Decision::new(SyncOutcome::Pending, reason));
    };
    record.material_id = material.id;
    let existing = find_by_hygraph_id(tx, &MODULES, &MODULES_BY_HYGRAPH_ID, delivery.id())?;
    match &existing {
        Some(previous) => {
            record.id = previous.id.clone();
            record.created_at = previous.created_at.clone();
            record.external_ids = merged_external_ids(&previous.external_ids, delivery.id());
        }
        None => record.id = context.app.new_id(),
    }
    crate::media::adopt_module_media(tx, &mut record)?;
    put_module(tx, &record, existing.as_ref())?;
    if let Some(previous) = existing.filter(|previous| previous.material_id != record.material_id) {
        finish_deferred_removal(tx, &previous.material_id)?;
    }
    set_entry(tx, delivery, Some(record.id), false)?;
    Ok(Decision::new(SyncOutcome::Applied, None))
}

pub(super) fn remove_material(tx: &mut WriteTx, delivery: &Delivery) -> Result<Decision, AppError> {
    if let Some(reason) = superseded(tx, delivery)? {
        return Ok(Decision::new(SyncOutcome::Ignored, reason));
    }
    let existing = find_by_hygraph_id(tx, &MATERIALS, &MATERIALS_BY_HYGRAPH_ID, delivery.id())?;
    let (decision, kept) = match existing {
        None => {
            let reason = "the material was not in the catalog".to_owned();
            (Decision::new(SyncOutcome::Applied, reason), None)
        }
        Some(material) => {
            let users = tx.index_len(&MODULES_BY_MATERIAL, &material.id)?;
            if users == 0 {
                remove_material_record(tx, &material)?;
                (Decision::new(SyncOutcome::Applied, None), None)
            } else {
                let reason = format!(
                    "material in use by {users} module(s); it leaves the catalog when the last \
                     of them is unpublished"
                );
                (
                    Decision::new(SyncOutcome::Deferred, reason),
                    Some(material.id),
                )
            }
        }
    };
    set_entry(tx, delivery, kept, true)?;
    Ok(decision)
}

pub(super) fn remove_module(tx: &mut WriteTx, delivery: &Delivery) -> Result<Decision, AppError> {
    if let Some(reason) = superseded(tx, delivery)? {
        return Ok(Decision::new(SyncOutcome::Ignored, reason));
    }
    let existing = find_by_hygraph_id(tx, &MODULES, &MODULES_BY_HYGRAPH_ID, delivery.id())?;
    let reason = match &existing {
        Some(module) => {
            remove_module_record(tx, module)?;
            finish_deferred_removal(tx, &module.material_id)?;
            None
        }
        None => Some("the module was not in the catalog".to_owned()),
    };
    set_entry(tx, delivery, None, true)?;
    Ok(Decision::new(SyncOutcome::Applied, reason))
}

/// Removes a material whose removal was deferred, once no module uses it any more.
pub(super) fn finish_deferred_removal(tx: &mut WriteTx, material_id: &str) -> Result<(), AppError> {
    let Some(material) = tx.get(&MATERIALS, material_id)? else {
        return Ok(());
    };
    let Some(entry_id) = hygraph_id(&material.external_ids).map(str::to_owned) else {
        return Ok(());
    };
    let Some(mut entry) = tx.get(&SYNC_ENTRIES, &entry_id)? else {
        return Ok(());
    };
    if entry.removed && tx.index_len(&MODULES_BY_MATERIAL, material_id)? == 0 {
        remove_material_record(tx, &material)?;
        entry.local_id = None;
        tx.insert(&SYNC_ENTRIES, &entry_id, &entry)?;
    }
    Ok(())
}

/// Applies the module deliveries that waited for this material, in this same transaction.
/// Runs after writes, so a refusal becomes an `ignored` outcome instead of an error.
pub(super) fn release_pending(
    tx: &mut WriteTx,
    context: &Context,
    material_entry: &EntryId,
    released: &mut Vec<String>,
) -> Result<(), AppError> {
    let Some(pending) = tx.get(&SYNC_PENDING, material_entry.as_str())? else {
        return Ok(());
    };
    tx.remove(&SYNC_PENDING, material_entry.as_str())?;
    for waiting in pending.deliveries {
        let Ok(delivery) = parse_delivery(waiting.body.as_bytes()) else {
            tracing::error!(key = %waiting.delivery_key, "a pending delivery no longer parses");
            continue;
        };
        let Some(Content::Module(module)) = delivery.content() else {
            continue;
        };
        let decision = match publish_module(tx, context, &delivery, module, &waiting.body) {
            Ok(decision) => decision,
            Err(AppError::Invalid { problems }) => {
                Decision::new(SyncOutcome::Ignored, join_problems(&problems))
            }
            Err(other) => return Err(other),
        };
        let decision = match decision.outcome {
            SyncOutcome::Applied => {
                released.push(delivery.id().as_str().to_owned());
                let reason = format!("applied when material {material_entry} arrived");
                Decision::new(SyncOutcome::Applied, reason)
            }
            _ => decision,
        };
        if decision.outcome != SyncOutcome::Pending {
            record(tx, context, &delivery, &decision)?;
        }
    }
    Ok(())
}

pub(super) fn add_pending(
    tx: &mut WriteTx,
    material_entry: &EntryId,
    delivery: &Delivery,
    body: &str,
) -> Result<(), StoreError> {
    let mut pending =
        tx.get(&SYNC_PENDING, material_entry.as_str())?
            .unwrap_or(SyncPendingRecord {
                deliveries: Vec::new(),
            });
    if pending
        .deliveries
        .iter()
        .any(|waiting| waiting.delivery_key == delivery.key())
    {
        return Ok(());
    }
    pending.deliveries.push(PendingDeliveryRecord {
        delivery_key: delivery.key().to_owned(),
        module_entry_id: delivery.id().as_str().to_owned(),
        body: body.to_owned(),
    });
    tx.insert(&SYNC_PENDING, material_entry.as_str(), &pending)
}

/// The first (oldest) local record carrying this Hygraph id in `external_ids`.
pub(super) fn find_by_hygraph_id<R: paform_store::Record>(
    tx: &WriteTx,
    table: &Table<R>,
    index: &paform_store::Index,
    entry: &EntryId,
) -> Result<Option<R>, StoreError> {
    let ids = tx.index_ids(index, entry.as_str(), 0, 1)?;
    match ids.first() {
        Some(id) => tx.get(table, id),
        None => Ok(None),
    }
}

pub(super) fn hygraph_external_ids(entry: &EntryId) -> BTreeMap<String, String> {
    BTreeMap::from([(HYGRAPH.to_owned(), entry.as_str().to_owned())])
}

/// The previous record's other systems' ids, plus this entry's Hygraph id.
pub(super) fn merged_external_ids(
    previous: &[(String, String)],
    entry: &EntryId,
) -> Vec<(String, String)> {
    let mut ids: BTreeMap<String, String> = convert::external_ids(previous);
    ids.insert(HYGRAPH.to_owned(), entry.as_str().to_owned());
    convert::external_id_pairs(&ids)
}

/// Names the catalog's field problems by their place in the Hygraph body.
pub(super) fn in_body(error: AppError) -> AppError {
    let AppError::Invalid { problems } = error else {
        return error;
    };
    let problems = problems
        .into_iter()
        .map(|problem| {
            let field = match problem.field.as_str() {
                "cost_per_sq_ft" => "data.costPerSqFt".to_owned(),
                "thickness_mm" => "data.thicknessMm".to_owned(),
                "texture_url" => "data.texture.url".to_owned(),
                "base_price" => "data.basePrice".to_owned(),
                "assembly_attributes" => "data.assemblyAttributes".to_owned(),
                "placement_constraints" => "data.placementConstraints".to_owned(),
                "connection_points" => "data.connectionPoints".to_owned(),
                item if item.starts_with("connection_points[") => {
                    format!(
                        "data.connectionPoints{}",
                        &item["connection_points".len()..]
                    )
                }
                other => format!("data.{}", other.trim_start_matches("dimensions.")),
            };
            FieldProblem::new(&field, &problem.message)
        })
        .collect();
    AppError::Invalid { problems }
}
