//! Catalog use cases (SPEC §3): materials and modules, with paging, name search and the
//! referential rules (a module's material exists; a material in use cannot be deleted).
//!
//! Every write of a material or module record goes through `put_material`, `put_module`,
//! `remove_material_record` and `remove_module_record`, which keep the indexes
//! (`modules_by_material`, `*_by_hygraph_id`) in step with the records; the REST use cases
//! here and the Hygraph sync (`sync.rs`) share them.

use paform_core::catalog::{
    MaterialDraft, MaterialSpec, ModuleDraft, ModuleSpec, validate_external_ids, validate_material,
    validate_module,
};
use paform_core::problem::{FieldProblem, Problems, page_window};
use paform_store::records::v3::{MaterialRecord, ModuleRecord};
use paform_store::tables_v3::{
    MATERIALS, MATERIALS_BY_HYGRAPH_ID, MODULES, MODULES_BY_HYGRAPH_ID, MODULES_BY_MATERIAL,
};
use paform_store::{ReadTx, StoreError, Table, WriteTx};
use serde_json::Value;

use crate::convert;
use crate::dto::{ListQuery, Material, MaterialInput, Module, ModuleInput, Page};
use crate::{App, AppError};

/// A validated `?limit=&offset=&q=`.
pub(crate) struct Paging {
    pub(crate) limit: usize,
    pub(crate) offset: usize,
    pub(crate) needle: Option<String>,
}

pub(crate) fn paging(query: &ListQuery) -> Result<Paging, AppError> {
    let (limit, offset) = page_window(query.limit, query.offset)?;
    let needle = query
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_lowercase);
    Ok(Paging {
        limit,
        offset,
        needle,
    })
}

/// Lists a table in id (creation) order, filtered by a case-insensitive name substring.
fn list_by_name<R, D>(
    tx: &ReadTx,
    table: &Table<R>,
    paging: &Paging,
    name_of: impl Fn(&R) -> &str,
    to_dto: impl Fn(R) -> D,
) -> Result<Page<D>, AppError>
where
    R: paform_store::Record,
{
    let mut items = Vec::new();
    let mut total = 0u64;
    tx.scan(table, None, |record| {
        let matches = paging
            .needle
            .as_deref()
            .is_none_or(|needle| name_of(&record).to_lowercase().contains(needle));
        if matches {
            if total as usize >= paging.offset && items.len() < paging.limit {
                items.push(to_dto(record));
            }
            total += 1;
        }
        true
    })?;
    Ok(Page {
        items,
        total,
        limit: paging.limit as u64,
        offset: paging.offset as u64,
    })
}

pub(crate) fn validated_material_record(
    input: &MaterialInput,
    id: String,
    created_at: String,
    updated_at: String,
) -> Result<MaterialRecord, AppError> {
    let draft = MaterialDraft {
        name: &input.name,
        cost_per_sq_ft: &input.cost_per_sq_ft,
        thickness_mm: input.thickness_mm,
        texture_url: input.texture_url.as_deref(),
    };
    let valid = validate_material(&draft)?;
    validate_external_ids(&input.external_ids)?;
    Ok(MaterialRecord {
        id,
        name: valid.name.into_string(),
        texture_url: valid.texture_url,
        cost_per_sq_ft: valid.spec.cost_per_sq_ft.to_string(),
        thickness_mm: valid.spec.thickness.map(|mm| mm.to_string()),
        external_ids: convert::external_id_pairs(&input.external_ids),
        created_at,
        updated_at,
    })
}

pub(crate) fn validated_module_record(
    input: &ModuleInput,
    id: String,
    created_at: String,
    updated_at: String,
) -> Result<ModuleRecord, AppError> {
    let draft = ModuleDraft {
        name: &input.name,
        width: input.dimensions.width,
        height: input.dimensions.height,
        depth: input.dimensions.depth,
        base_price: &input.base_price,
        assembly_attributes: &input.assembly_attributes,
        placement_constraints: &input.placement_constraints,
        connection_points: &input.connection_points,
    };
    let valid = validate_module(&draft)?;
    validate_external_ids(&input.external_ids)?;
    let dimensions = valid.spec.dimensions;
    Ok(ModuleRecord {
        id,
        name: valid.name.into_string(),
        width_mm: dimensions.width.to_string(),
        height_mm: dimensions.height.to_string(),
        depth_mm: dimensions.depth.to_string(),
        base_price: valid.spec.base_price.to_string(),
        material_id: input.material_id.clone(),
        assembly_attributes: input.assembly_attributes.to_string(),
        placement_constraints: input.placement_constraints.to_string(),
        connection_points: typed_connection_points(&input.connection_points)?,
        external_ids: convert::external_id_pairs(&input.external_ids),
        created_at,
        updated_at,
    })
}

/// Checked connection points as stored: only `{id, side, offset_mm}`, other keys dropped.
fn typed_connection_points(points: &Value) -> Result<String, AppError> {
    let typed: Vec<crate::dto::ConnectionPoint> =
        serde_json::from_value(points.clone()).map_err(|error| AppError::Invalid {
            problems: vec![FieldProblem::new("connection_points", error)],
        })?;
    serde_json::to_string(&typed).map_err(|error| AppError::internal(anyhow::Error::new(error)))
}

/// The system key under which a record's Hygraph entry id is kept in `external_ids`.
pub(crate) const HYGRAPH: &str = "hygraph";

pub(crate) fn hygraph_id(external_ids: &[(String, String)]) -> Option<&str> {
    external_ids
        .iter()
        .find(|(system, _)| system == HYGRAPH)
        .map(|(_, id)| id.as_str())
}

/// Inserts or replaces a material, keeping the Hygraph id index in step. `previous` is the
/// record being replaced, if any.
pub(crate) fn put_material(
    tx: &mut WriteTx,
    record: &MaterialRecord,
    previous: Option<&MaterialRecord>,
) -> Result<(), StoreError> {
    if let Some(old) = previous.and_then(|previous| hygraph_id(&previous.external_ids)) {
        tx.index_remove(&MATERIALS_BY_HYGRAPH_ID, old, &record.id)?;
    }
    if let Some(new) = hygraph_id(&record.external_ids) {
        tx.index_insert(&MATERIALS_BY_HYGRAPH_ID, new, &record.id)?;
    }
    tx.insert(&MATERIALS, &record.id, record)
}

/// Removes a material and its index entries. The caller has checked that no module uses it.
pub(crate) fn remove_material_record(
    tx: &mut WriteTx,
    record: &MaterialRecord,
) -> Result<(), StoreError> {
    if let Some(old) = hygraph_id(&record.external_ids) {
        tx.index_remove(&MATERIALS_BY_HYGRAPH_ID, old, &record.id)?;
    }
    tx.remove(&MATERIALS, &record.id)?;
    Ok(())
}

/// Inserts or replaces a module, keeping `modules_by_material` and the Hygraph id index in
/// step. The caller has checked that its material exists.
pub(crate) fn put_module(
    tx: &mut WriteTx,
    record: &ModuleRecord,
    previous: Option<&ModuleRecord>,
) -> Result<(), StoreError> {
    if let Some(previous) = previous {
        tx.index_remove(&MODULES_BY_MATERIAL, &previous.material_id, &record.id)?;
        if let Some(old) = hygraph_id(&previous.external_ids) {
            tx.index_remove(&MODULES_BY_HYGRAPH_ID, old, &record.id)?;
        }
    }
    tx.index_insert(&MODULES_BY_MATERIAL, &record.material_id, &record.id)?;
    if let Some(new) = hygraph_id(&record.external_ids) {
        tx.index_insert(&MODULES_BY_HYGRAPH_ID, new, &record.id)?;
    }
    tx.insert(&MODULES, &record.id, record)
}

/// Removes a module and its index entries.
pub(crate) fn remove_module_record(
    tx: &mut WriteTx,
    record: &ModuleRecord,
) -> Result<(), StoreError> {
    tx.index_remove(&MODULES_BY_MATERIAL, &record.material_id, &record.id)?;
    if let Some(old) = hygraph_id(&record.external_ids) {
        tx.index_remove(&MODULES_BY_HYGRAPH_ID, old, &record.id)?;
    }
    tx.remove(&MODULES, &record.id)?;
    Ok(())
}

/// The pricing view of a stored material. Records were validated when written, so a
/// failure here means the file was damaged.
/// One requested item resolved against the catalog: its module, the material it is made of
/// (the request's override or the module's own) and its quantity.
pub(crate) struct ResolvedItem {
    pub(crate) module: ModuleRecord,
    pub(crate) material: MaterialRecord,
    pub(crate) quantity: paform_core::units::Quantity,
}

/// The one lookup of a requested item, shared by quotes, CNC panels and order changes.
/// Problems are recorded against `field(name)` (`items[2].module_id`); `None` when any.
pub(crate) fn resolve_item<T: CatalogReads>(
    tx: &T,
    field: &dyn Fn(&str) -> String,
    module_id: &str,
    material_id: Option<&str>,
    quantity: i64,
    problems: &mut Problems,
) -> Result<Option<ResolvedItem>, AppError> {
    let quantity = problems.check(
        &field("quantity"),
        paform_core::units::Quantity::parse(quantity),
    );
    let Some(module) = tx.module(module_id)? else {
        problems.push(
            field("module_id"),
            format!("module {module_id} does not exist"),
        );
        return Ok(None);
    };
    let material_id = material_id.unwrap_or(&module.material_id);
    let Some(material) = tx.material(material_id)? else {
        problems.push(
            field("material_id"),
            format!("material {material_id} does not exist"),
        );
        return Ok(None);
    };
    Ok(quantity.map(|quantity| ResolvedItem {
        module,
        material,
        quantity,
    }))
}

/// Catalog reads shared by both kinds of transaction.
pub(crate) trait CatalogReads {
    fn module(&self, id: &str) -> Result<Option<ModuleRecord>, StoreError>;
    fn material(&self, id: &str) -> Result<Option<MaterialRecord>, StoreError>;
}

impl CatalogReads for ReadTx {
    fn module(&self, id: &str) -> Result<Option<ModuleRecord>, StoreError> {
        self.get(&MODULES, id)
    }
    fn material(&self, id: &str) -> Result<Option<MaterialRecord>, StoreError> {
        self.get(&MATERIALS, id)
    }
}

impl CatalogReads for WriteTx {
    fn module(&self, id: &str) -> Result<Option<ModuleRecord>, StoreError> {
        self.get(&MODULES, id)
    }
    fn material(&self, id: &str) -> Result<Option<MaterialRecord>, StoreError> {
        self.get(&MATERIALS, id)
    }
}

pub(crate) fn material_spec(record: &MaterialRecord) -> Result<MaterialSpec, AppError> {
    Ok(paform_store::specs::material_spec(record)?)
}

pub(crate) fn module_spec(record: &ModuleRecord) -> Result<ModuleSpec, AppError> {
    Ok(paform_store::specs::module_spec(record)?)
}

impl App {
    pub fn list_materials(&self, query: &ListQuery) -> Result<Page<Material>, AppError> {
        let paging = paging(query)?;
        self.store().read(|tx| {
            list_by_name(
                tx,
                &MATERIALS,
                &paging,
                |record| &record.name,
                convert::material,
            )
        })
    }

    pub fn get_material(&self, id: &str) -> Result<Material, AppError> {
        let record = self.store().read(|tx| tx.get(&MATERIALS, id))?;
        record
            .map(convert::material)
            .ok_or_else(|| AppError::not_found("material", id))
    }

    pub async fn create_material(&self, input: MaterialInput) -> Result<Material, AppError> {
        let now = convert::timestamp(self.now());
        let record = validated_material_record(&input, self.new_id(), now.clone(), now)?;
        let stored = record.clone();
        self.store()
            .write(move |tx| {
                crate::chain::refuse_catalog_edit(tx)?;
                put_material(tx, &stored, None).map_err(AppError::from)
            })
            .await?;
        Ok(convert::material(record))
    }

    pub async fn update_material(
        &self,
        id: &str,
        input: MaterialInput,
    ) -> Result<Material, AppError> {
        let now = convert::timestamp(self.now());
        let id = id.to_owned();
        let record = self
            .store()
            .write(move |tx| {
                crate::chain::refuse_catalog_edit(tx)?;
                let existing = tx
                    .get(&MATERIALS, &id)?
                    .ok_or_else(|| AppError::not_found("material", &id))?;
                let record =
                    validated_material_record(&input, id, existing.created_at.clone(), now)?;
                put_material(tx, &record, Some(&existing))?;
                Ok::<_, AppError>(record)
            })
            .await?;
        Ok(convert::material(record))
    }

    pub async fn delete_material(&self, id: &str) -> Result<(), AppError> {
        let id = id.to_owned();
        self.store()
            .write(move |tx| {
                crate::chain::refuse_catalog_edit(tx)?;
                let existing = tx
                    .get(&MATERIALS, &id)?
                    .ok_or_else(|| AppError::not_found("material", &id))?;
                let in_use = tx.index_len(&MODULES_BY_MATERIAL, &id)?;
                if in_use > 0 {
                    return Err(AppError::Conflict(format!(
                        "material {id} is used by {in_use} module(s); change or delete them first"
                    )));
                }
                remove_material_record(tx, &existing)?;
                Ok(())
            })
            .await
    }

    pub fn list_modules(&self, query: &ListQuery) -> Result<Page<Module>, AppError> {
        let paging = paging(query)?;
        self.store().read(|tx| {
            list_by_name(
                tx,
                &MODULES,
                &paging,
                |record| &record.name,
                convert::module,
            )
        })
    }

    pub fn get_module(&self, id: &str) -> Result<Module, AppError> {
        let record = self.store().read(|tx| tx.get(&MODULES, id))?;
        record
            .map(convert::module)
            .ok_or_else(|| AppError::not_found("module", id))
    }

    pub async fn create_module(&self, input: ModuleInput) -> Result<Module, AppError> {
        let now = convert::timestamp(self.now());
        let record = validated_module_record(&input, self.new_id(), now.clone(), now)?;
        let stored = record.clone();
        self.store()
            .write(move |tx| {
                crate::chain::refuse_catalog_edit(tx)?;
                require_material(tx, &stored.material_id)?;
                put_module(tx, &stored, None)?;
                Ok::<_, AppError>(())
            })
            .await?;
        Ok(convert::module(record))
    }

    pub async fn update_module(&self, id: &str, input: ModuleInput) -> Result<Module, AppError> {
        let now = convert::timestamp(self.now());
        let id = id.to_owned();
        let record = self
            .store()
            .write(move |tx| {
                crate::chain::refuse_catalog_edit(tx)?;
                let existing = tx
                    .get(&MODULES, &id)?
                    .ok_or_else(|| AppError::not_found("module", &id))?;
                let record = validated_module_record(&input, id, existing.created_at.clone(), now)?;
                require_material(tx, &record.material_id)?;
                put_module(tx, &record, Some(&existing))?;
                Ok::<_, AppError>(record)
            })
            .await?;
        Ok(convert::module(record))
    }

    pub async fn delete_module(&self, id: &str) -> Result<(), AppError> {
        let id = id.to_owned();
        self.store()
            .write(move |tx| {
                crate::chain::refuse_catalog_edit(tx)?;
                let existing = tx
                    .get(&MODULES, &id)?
                    .ok_or_else(|| AppError::not_found("module", &id))?;
                remove_module_record(tx, &existing)?;
                Ok(())
            })
            .await
    }
}

fn require_material(tx: &WriteTx, material_id: &str) -> Result<(), AppError> {
    if tx.contains(&MATERIALS, material_id)? {
        Ok(())
    } else {
        Err(AppError::invalid_field(
            "material_id",
            format!("material {material_id} does not exist"),
        ))
    }
}
