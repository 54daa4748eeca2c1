//! The catalog pull: in a chain HQ owns the catalog, and a site applies each catalog version
//! HQ publishes, oldest first, each in one write transaction (the whole catalog as of that
//! version replaces the site's: materials, modules and stock; what the version lacks leaves).
//! A version that does not hold together (a module whose material is not in it, a value the
//! catalog rules refuse) is not applied, and the pull stops there until HQ publishes a
//! better one. Model and texture files are not pulled yet.

use std::collections::BTreeSet;

use paform_api::chain::{CatalogVersion, CatalogVersions};
use paform_store::WriteTx;
use paform_store::chain::{CHAIN_STATE, chain_state};
use paform_store::records::chain::{ChainNodeRecord, ChainStateRecord};
use paform_store::records::v3::{MaterialRecord, ModuleRecord};
use paform_store::tables_v3::{MATERIALS, MODULES};

use super::client::HqClient;
use crate::catalog::{
    put_material, put_module, remove_material_record, remove_module_record,
    validated_material_record, validated_module_record,
};
use crate::dto::{Material, MaterialInput, MaterialStock, Module, ModuleInput};
use crate::{App, AppError, convert};

/// One version checked into records, ready to be written.
struct Checked {
    version: u64,
    materials: Vec<MaterialRecord>,
    modules: Vec<ModuleRecord>,
    stock: Vec<(String, crate::stock::ValidStock)>,
}

fn field_error(version: u64, what: &str, error: impl std::fmt::Display) -> AppError {
    AppError::Unavailable(format!(
        "HQ's catalog version {version} has an unusable {what}: {error}"
    ))
}

/// Reads a version's JSON through the same rules as the catalog API's own writes.
fn check(version: CatalogVersion) -> Result<Checked, AppError> {
    let number = version.version;
    let mut materials = Vec::new();
    let mut stock = Vec::new();
    for value in version.materials {
        let material: Material = serde_json::from_value(value.clone())
            .map_err(|error| field_error(number, "material", error))?;
        let input = MaterialInput {
            name: material.name,
            texture_url: material.texture_url,
            cost_per_sq_ft: material.cost_per_sq_ft,
            thickness_mm: material.thickness_mm,
            external_ids: material.external_ids,
        };
        let record = validated_material_record(
            &input,
            material.id,
            material.created_at,
            material.updated_at,
        )
        .map_err(|error| field_error(number, "material", error))?;
        if let Some(value) = value.get("stock").filter(|value| !value.is_null()) {
            let sheets: MaterialStock = serde_json::from_value(value.clone())
                .map_err(|error| field_error(number, "stock", error))?;
            let checked = crate::stock::validate(&sheets)
                .map_err(|error| field_error(number, "stock", error))?;
            stock.push((record.id.clone(), checked));
        }
        materials.push(record);
    }
    let material_ids: BTreeSet<&str> = materials.iter().map(|record| record.id.as_str()).collect();
    let mut modules = Vec::new();
    for value in version.modules {
        let module: Module =
            serde_json::from_value(value).map_err(|error| field_error(number, "module", error))?;
        if !material_ids.contains(module.material_id.as_str()) {
            return Err(field_error(
                number,
                "module",
                format!(
                    "{} names material {}, which it lacks",
                    module.id, module.material_id
                ),
            ));
        }
        let input = ModuleInput {
            name: module.name,
            dimensions: module.dimensions,
            base_price: module.base_price,
            material_id: module.material_id,
            assembly_attributes: module.assembly_attributes,
            placement_constraints: module.placement_constraints,
            connection_points: serde_json::to_value(&module.connection_points)
                .map_err(|error| AppError::internal(anyhow::Error::new(error)))?,
            external_ids: module.external_ids,
        };
        modules.push(
            validated_module_record(&input, module.id, module.created_at, module.updated_at)
                .map_err(|error| field_error(number, "module", error))?,
        );
    }
    Ok(Checked {
        version: number,
        materials,
        modules,
        stock,
    })
}

/// Replaces the catalog with `checked` inside `tx` and records its version.
fn apply(tx: &mut WriteTx, checked: &Checked, pulled_at: &str) -> Result<(), AppError> {
    let keep_modules: BTreeSet<&str> = checked.modules.iter().map(|m| m.id.as_str()).collect();
    let keep_materials: BTreeSet<&str> = checked.materials.iter().map(|m| m.id.as_str()).collect();
    for old in tx.scan_prefix(&MODULES, "")? {
        if !keep_modules.contains(old.id.as_str()) {
            remove_module_record(tx, &old)?;
        }
    }
    for record in &checked.materials {
        let previous = tx.get(&MATERIALS, &record.id)?;
        put_material(tx, record, previous.as_ref())?;
    }
    for record in &checked.modules {
        let previous = tx.get(&MODULES, &record.id)?;
        put_module(tx, record, previous.as_ref())?;
    }
    for old in tx.scan_prefix(&MATERIALS, "")? {
        if !keep_materials.contains(old.id.as_str()) {
            remove_material_record(tx, &old)?;
            crate::stock::remove_stock(tx, &old.id)?;
        }
    }
    for (material_id, valid) in &checked.stock {
        crate::stock::put_stock(tx, material_id, valid)?;
    }
    let mut state = tx
        .get(&CHAIN_STATE, ChainStateRecord::KEY)?
        .unwrap_or_default();
    state.catalog_version = checked.version;
    state.last_pull_at = Some(pulled_at.to_owned());
    tx.insert(&CHAIN_STATE, ChainStateRecord::KEY, &state)?;
    Ok(())
}

/// Pulls and applies every catalog version after the one this site holds; the number of
/// versions applied.
pub(super) async fn pull_catalog(app: &App, node: &ChainNodeRecord) -> Result<usize, AppError> {
    let client = HqClient::new(&node.hq_url, &node.token, node.ca_pem.as_deref())?;
    let after = app.store().read(chain_state)?.catalog_version;
    let versions: CatalogVersions = client.catalog(after).await?;
    let mut applied = 0;
    let mut versions = versions.versions;
    versions.sort_by_key(|version| version.version);
    for version in versions
        .into_iter()
        .filter(|version| version.version > after)
    {
        let checked = check(version)?;
        let pulled_at = convert::timestamp(app.now());
        app.store()
            .write(move |tx| apply(tx, &checked, &pulled_at))
            .await?;
        applied += 1;
    }
    if applied == 0 {
        let pulled_at = convert::timestamp(app.now());
        app.store()
            .write(move |tx| {
                let mut state = tx
                    .get(&CHAIN_STATE, ChainStateRecord::KEY)?
                    .unwrap_or_default();
                state.last_pull_at = Some(pulled_at);
                tx.insert(&CHAIN_STATE, ChainStateRecord::KEY, &state)?;
                Ok::<_, AppError>(())
            })
            .await?;
    }
    Ok(applied)
}
