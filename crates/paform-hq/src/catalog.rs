//! The catalog HQ owns (SPEC §15 "Pull" and "HQ's own API"): the catalog API of §3 and §12
//! (materials, modules, each material's stock) with the site's contract (`paform_api::dto`)
//! and the core's checks, so the same catalog screen edits it and every site accepts what
//! HQ accepted. Every change, one edit or a whole catalog published at once, makes a new
//! catalog version in its own transaction; sites ask for what is newer than the version
//! they hold and get the whole catalog as of the newest version.
//!
//! Invariant: every catalog write starts by locking `catalog_versions`, so catalog writes of
//! any number of HQ processes serialize, and a check (a module's material exists, a material
//! is not in use) holds until its write commits.

use std::collections::BTreeSet;

use paform_api::chain::{CatalogVersion, CatalogVersions};
use paform_api::demo;
use paform_api::dto::{
    ConnectionPoint, Dimensions, ListQuery, Material, MaterialInput, MaterialPricing,
    MaterialStock, Module, ModuleInput, Page, PricingMode, StockSheet,
};
use paform_core::catalog::{
    MaterialDraft, ModuleDraft, validate_external_ids, validate_material, validate_module,
};
use paform_core::problem::{FieldProblem, page_window};
use paform_core::stock::{SheetDraft, StockDraft, validate_stock};
use paform_core::units::Millimetres;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;
use sqlx::{PgConnection, Row};

use crate::Hq;
use crate::error::{HqError, HqResult};

/// Square feet in a square metre, for the `price_per_m2` column BI tools read.
const SQ_FT_PER_M2: Decimal = Decimal::from_parts(107_639_104, 0, 0, false, 7);

/// A whole catalog to publish at once (materials, each with its `stock` if set, and
/// modules, as the catalog API returns them).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CatalogInput {
    pub materials: Vec<Value>,
    pub modules: Vec<Value>,
    #[serde(default)]
    pub note: String,
}

fn now() -> String {
    let now = jiff::Timestamp::now();
    now.round(jiff::Unit::Millisecond)
        .unwrap_or(now)
        .to_string()
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A material as the API shows it, from its input checked by the core's rules.
fn checked_material(
    input: &MaterialInput,
    id: String,
    created_at: String,
    updated_at: String,
) -> HqResult<Material> {
    let valid = validate_material(&MaterialDraft {
        name: &input.name,
        cost_per_sq_ft: &input.cost_per_sq_ft,
        thickness_mm: input.thickness_mm,
        texture_url: input.texture_url.as_deref(),
    })?;
    validate_external_ids(&input.external_ids)?;
    Ok(Material {
        id,
        name: valid.name.into_string(),
        texture_url: valid.texture_url,
        cost_per_sq_ft: valid.spec.cost_per_sq_ft.to_string(),
        thickness_mm: valid.spec.thickness.map(Millimetres::to_f64),
        external_ids: input.external_ids.clone(),
        created_at,
        updated_at,
    })
}

/// A module as the API shows it, from its input checked by the core's rules.
fn checked_module(
    input: &ModuleInput,
    id: String,
    created_at: String,
    updated_at: String,
) -> HqResult<Module> {
    let valid = validate_module(&ModuleDraft {
        name: &input.name,
        width: input.dimensions.width,
        height: input.dimensions.height,
        depth: input.dimensions.depth,
        base_price: &input.base_price,
        assembly_attributes: &input.assembly_attributes,
        placement_constraints: &input.placement_constraints,
        connection_points: &input.connection_points,
    })?;
    validate_external_ids(&input.external_ids)?;
    let connection_points: Vec<ConnectionPoint> =
        serde_json::from_value(input.connection_points.clone()).map_err(|error| {
            HqError::Fields(vec![FieldProblem::new("connection_points", error)])
        })?;
    let dimensions = valid.spec.dimensions;
    Ok(Module {
        id,
        name: valid.name.into_string(),
        dimensions: Dimensions {
            width: dimensions.width.to_f64(),
            height: dimensions.height.to_f64(),
            depth: dimensions.depth.to_f64(),
        },
        base_price: valid.spec.base_price.to_string(),
        material_id: input.material_id.clone(),
        assembly_attributes: input.assembly_attributes.clone(),
        placement_constraints: input.placement_constraints.clone(),
        connection_points,
        external_ids: input.external_ids.clone(),
        created_at,
        updated_at,
    })
}

/// A stock as the API shows it, checked by the core's rules (the ones a site's stock
/// screen applies).
fn checked_stock(stock: &MaterialStock) -> HqResult<MaterialStock> {
    let sheets: Vec<SheetDraft<'_>> = stock
        .sheets
        .iter()
        .map(|sheet| SheetDraft {
            width: sheet.width,
            height: sheet.height,
            cost: sheet.cost.as_deref(),
        })
        .collect();
    let valid = validate_stock(&StockDraft {
        sheets: &sheets,
        kerf: stock.kerf,
        trim: stock.trim,
        by_sheet: stock.pricing.mode == PricingMode::BySheet,
        saw_cut_per_m: &stock.pricing.saw_cut_per_m,
        edge_banding_per_m: &stock.pricing.edge_banding_per_m,
    })?;
    Ok(MaterialStock {
        sheets: valid
            .sheets
            .iter()
            .map(|sheet| StockSheet {
                width: sheet.width.to_f64(),
                height: sheet.height.to_f64(),
                cost: sheet.cost.map(|cost| cost.to_string()),
            })
            .collect(),
        kerf: valid.kerf.to_f64(),
        trim: valid.trim.to_f64(),
        grain_direction: stock.grain_direction,
        pricing: MaterialPricing {
            mode: stock.pricing.mode,
            saw_cut_per_m: valid.saw_cut_per_m.to_string(),
            edge_banding_per_m: valid.edge_banding_per_m.to_string(),
        },
    })
}

fn material_input(material: &Material) -> MaterialInput {
    MaterialInput {
        name: material.name.clone(),
        texture_url: material.texture_url.clone(),
        cost_per_sq_ft: material.cost_per_sq_ft.clone(),
        thickness_mm: material.thickness_mm,
        external_ids: material.external_ids.clone(),
    }
}

fn module_input(module: &Module) -> HqResult<ModuleInput> {
    Ok(ModuleInput {
        name: module.name.clone(),
        dimensions: module.dimensions,
        base_price: module.base_price.clone(),
        material_id: module.material_id.clone(),
        assembly_attributes: module.assembly_attributes.clone(),
        placement_constraints: module.placement_constraints.clone(),
        connection_points: serde_json::to_value(&module.connection_points)
            .map_err(|error| HqError::Invalid(error.to_string()))?,
        external_ids: module.external_ids.clone(),
    })
}

/// A published value read as the API's type; what does not parse names its place.
fn parse<T: serde::de::DeserializeOwned>(value: Value, what: &str, index: usize) -> HqResult<T> {
    serde_json::from_value(value).map_err(|error| {
        HqError::Fields(vec![FieldProblem::new(format!("{what}[{index}]"), error)])
    })
}

/// A stored body read back; HQ wrote it, so one that does not parse is corrupt.
fn stored<T: serde::de::DeserializeOwned>(value: Value, table: &str) -> HqResult<T> {
    serde_json::from_value(value)
        .map_err(|error| HqError::Database(format!("a stored row of {table} is corrupt: {error}")))
}

/// Starts a catalog change inside `tx`: takes the catalog lock and the next version.
async fn next_version(tx: &mut PgConnection, note: &str) -> HqResult<i64> {
    sqlx::query("LOCK TABLE catalog_versions IN EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    let version: i64 =
        sqlx::query_scalar("SELECT COALESCE(max(version), 0) + 1 FROM catalog_versions")
            .fetch_one(&mut *tx)
            .await?;
    sqlx::query("INSERT INTO catalog_versions (version, note) VALUES ($1, $2)")
        .bind(version)
        .bind(note)
        .execute(&mut *tx)
        .await?;
    Ok(version)
}

async fn put_material(
    tx: &mut PgConnection,
    version: i64,
    material: &Material,
    stock: Option<&MaterialStock>,
) -> HqResult<()> {
    let mut body =
        serde_json::to_value(material).map_err(|error| HqError::Invalid(error.to_string()))?;
    if let (Some(stock), Value::Object(fields)) = (stock, &mut body) {
        let stock =
            serde_json::to_value(stock).map_err(|error| HqError::Invalid(error.to_string()))?;
        fields.insert("stock".into(), stock);
    }
    let per_m2 = material
        .cost_per_sq_ft
        .parse::<Decimal>()
        .ok()
        .map(|per_sq_ft| (per_sq_ft * SQ_FT_PER_M2).round_dp(2));
    sqlx::query(
        "INSERT INTO materials (id, name, price_per_m2, catalog_version, body) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (id) DO UPDATE SET name = $2, price_per_m2 = $3, catalog_version = $4, body = $5",
    )
    .bind(&material.id)
    .bind(&material.name)
    .bind(per_m2)
    .bind(version)
    .bind(body)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn put_module(tx: &mut PgConnection, version: i64, module: &Module) -> HqResult<()> {
    let body = serde_json::to_value(module).map_err(|error| HqError::Invalid(error.to_string()))?;
    sqlx::query(
        "INSERT INTO modules (id, name, base_price, catalog_version, body) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (id) DO UPDATE SET name = $2, base_price = $3, catalog_version = $4, body = $5",
    )
    .bind(&module.id)
    .bind(&module.name)
    .bind(module.base_price.parse::<Decimal>().ok())
    .bind(version)
    .bind(body)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A material's row: the material and its stock, if one was set.
async fn material_row(
    tx: &mut PgConnection,
    id: &str,
) -> HqResult<(Material, Option<MaterialStock>)> {
    let body: Option<Value> = sqlx::query_scalar("SELECT body FROM materials WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let mut body = body.ok_or_else(|| HqError::NotFound(format!("material {id}")))?;
    let stock = match body
        .as_object_mut()
        .and_then(|fields| fields.remove("stock"))
    {
        Some(Value::Null) | None => None,
        Some(stock) => Some(stored(stock, "materials")?),
    };
    Ok((stored(body, "materials")?, stock))
}

async fn module_row(tx: &mut PgConnection, id: &str) -> HqResult<Module> {
    let body: Option<Value> = sqlx::query_scalar("SELECT body FROM modules WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    stored(
        body.ok_or_else(|| HqError::NotFound(format!("module {id}")))?,
        "modules",
    )
}

async fn require_material(tx: &mut PgConnection, material_id: &str) -> HqResult<()> {
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM materials WHERE id = $1)")
        .bind(material_id)
        .fetch_one(&mut *tx)
        .await?;
    if exists {
        Ok(())
    } else {
        Err(HqError::Fields(vec![FieldProblem::new(
            "material_id",
            format!("material {material_id} does not exist"),
        )]))
    }
}

impl Hq {
    /// One page of `table` (`materials` or `modules`) in id (creation) order, filtered by a
    /// case-insensitive substring of the name.
    async fn page<T: serde::de::DeserializeOwned>(
        &self,
        table: &'static str,
        query: &ListQuery,
    ) -> HqResult<Page<T>> {
        let (limit, offset) = page_window(query.limit, query.offset)?;
        let needle = query
            .q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_lowercase);
        let filter = "($1::text IS NULL OR strpos(lower(name), $1) > 0)";
        let total: i64 =
            sqlx::query_scalar(&format!("SELECT count(*) FROM {table} WHERE {filter}"))
                .bind(&needle)
                .fetch_one(&self.pool)
                .await?;
        let items = sqlx::query(&format!(
            "SELECT body FROM {table} WHERE {filter} ORDER BY id LIMIT $2 OFFSET $3"
        ))
        .bind(&needle)
        .bind(limit as i64)
        .bind(offset as i64)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|row| stored(row.try_get("body")?, table))
        .collect::<HqResult<Vec<T>>>()?;
        Ok(Page {
            items,
            total: total as u64,
            limit: limit as u64,
            offset: offset as u64,
        })
    }

    pub async fn list_materials(&self, query: &ListQuery) -> HqResult<Page<Material>> {
        self.page("materials", query).await
    }

    pub async fn list_modules(&self, query: &ListQuery) -> HqResult<Page<Module>> {
        self.page("modules", query).await
    }

    pub async fn material(&self, id: &str) -> HqResult<Material> {
        let mut connection = self.pool.acquire().await?;
        Ok(material_row(&mut connection, id).await?.0)
    }

    pub async fn module(&self, id: &str) -> HqResult<Module> {
        let mut connection = self.pool.acquire().await?;
        module_row(&mut connection, id).await
    }

    /// A material's stock: SPEC §6's board while none was set.
    pub async fn material_stock(&self, id: &str) -> HqResult<MaterialStock> {
        let mut connection = self.pool.acquire().await?;
        Ok(material_row(&mut connection, id)
            .await?
            .1
            .unwrap_or_default())
    }

    pub async fn create_material(&self, input: &MaterialInput) -> HqResult<Material> {
        let now = now();
        let material = checked_material(input, new_id(), now.clone(), now)?;
        let mut tx = self.pool.begin().await?;
        let version = next_version(&mut tx, &format!("material {} added", material.name)).await?;
        put_material(&mut tx, version, &material, None).await?;
        tx.commit().await?;
        Ok(material)
    }

    pub async fn update_material(&self, id: &str, input: &MaterialInput) -> HqResult<Material> {
        let mut tx = self.pool.begin().await?;
        let version = next_version(&mut tx, &format!("material {id} changed")).await?;
        let (existing, stock) = material_row(&mut tx, id).await?;
        let material = checked_material(input, id.to_owned(), existing.created_at, now())?;
        put_material(&mut tx, version, &material, stock.as_ref()).await?;
        tx.commit().await?;
        Ok(material)
    }

    /// Refused (409) while a module is made of it.
    pub async fn delete_material(&self, id: &str) -> HqResult<()> {
        let mut tx = self.pool.begin().await?;
        next_version(&mut tx, &format!("material {id} removed")).await?;
        material_row(&mut tx, id).await?;
        let in_use: i64 =
            sqlx::query_scalar("SELECT count(*) FROM modules WHERE body->>'material_id' = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        if in_use > 0 {
            return Err(HqError::Conflict(format!(
                "material {id} is used by {in_use} module(s); change or delete them first"
            )));
        }
        sqlx::query("DELETE FROM materials WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_material_stock(
        &self,
        id: &str,
        stock: &MaterialStock,
    ) -> HqResult<MaterialStock> {
        let stock = checked_stock(stock)?;
        let mut tx = self.pool.begin().await?;
        let version = next_version(&mut tx, &format!("stock of material {id} changed")).await?;
        let (material, _) = material_row(&mut tx, id).await?;
        put_material(&mut tx, version, &material, Some(&stock)).await?;
        tx.commit().await?;
        Ok(stock)
    }

    pub async fn create_module(&self, input: &ModuleInput) -> HqResult<Module> {
        let now = now();
        let module = checked_module(input, new_id(), now.clone(), now)?;
        let mut tx = self.pool.begin().await?;
        let version = next_version(&mut tx, &format!("module {} added", module.name)).await?;
        require_material(&mut tx, &module.material_id).await?;
        put_module(&mut tx, version, &module).await?;
        tx.commit().await?;
        Ok(module)
    }

    pub async fn update_module(&self, id: &str, input: &ModuleInput) -> HqResult<Module> {
        let mut tx = self.pool.begin().await?;
        let version = next_version(&mut tx, &format!("module {id} changed")).await?;
        let existing = module_row(&mut tx, id).await?;
        let module = checked_module(input, id.to_owned(), existing.created_at, now())?;
        require_material(&mut tx, &module.material_id).await?;
        put_module(&mut tx, version, &module).await?;
        tx.commit().await?;
        Ok(module)
    }

    pub async fn delete_module(&self, id: &str) -> HqResult<()> {
        let mut tx = self.pool.begin().await?;
        next_version(&mut tx, &format!("module {id} removed")).await?;
        module_row(&mut tx, id).await?;
        sqlx::query("DELETE FROM modules WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes a whole catalog as the next version, checked as every edit is: each
    /// material, its stock and each module by the core's rules, and each module's material
    /// among the published ones. Nothing is written unless all of it holds.
    pub async fn publish_catalog(&self, input: &CatalogInput) -> HqResult<u64> {
        let mut materials = Vec::with_capacity(input.materials.len());
        for (index, value) in input.materials.iter().enumerate() {
            let material: Material = parse(value.clone(), "materials", index)?;
            let stock = match value.get("stock") {
                Some(Value::Null) | None => None,
                Some(stock) => Some(checked_stock(&parse(stock.clone(), "materials", index)?)?),
            };
            let checked = checked_material(
                &material_input(&material),
                material.id,
                material.created_at,
                material.updated_at,
            )?;
            materials.push((checked, stock));
        }
        let material_ids: BTreeSet<&str> = materials.iter().map(|(m, _)| m.id.as_str()).collect();
        let mut modules = Vec::with_capacity(input.modules.len());
        for (index, value) in input.modules.iter().enumerate() {
            let module: Module = parse(value.clone(), "modules", index)?;
            if !material_ids.contains(module.material_id.as_str()) {
                return Err(HqError::Fields(vec![FieldProblem::new(
                    format!("modules[{index}].material_id"),
                    format!("material {} is not in this catalog", module.material_id),
                )]));
            }
            modules.push(checked_module(
                &module_input(&module)?,
                module.id,
                module.created_at,
                module.updated_at,
            )?);
        }
        let mut tx = self.pool.begin().await?;
        let version = next_version(&mut tx, &input.note).await?;
        sqlx::query("DELETE FROM modules").execute(&mut *tx).await?;
        sqlx::query("DELETE FROM materials")
            .execute(&mut *tx)
            .await?;
        for (material, stock) in &materials {
            put_material(&mut tx, version, material, stock.as_ref()).await?;
        }
        for module in &modules {
            put_module(&mut tx, version, module).await?;
        }
        tx.commit().await?;
        Ok(version as u64)
    }

    /// Seeds the demo catalog as version 1 of a database that has no catalog yet; `false`
    /// when it already had one (so several HQ processes starting at once seed it once).
    pub async fn seed_demo_catalog(&self) -> HqResult<bool> {
        let mut tx = self.pool.begin().await?;
        let version = next_version(&mut tx, "the demo catalog").await?;
        if version != 1 {
            return Ok(false);
        }
        let now = now();
        let mut material_ids = Vec::new();
        for input in demo::materials() {
            let material = checked_material(&input, new_id(), now.clone(), now.clone())?;
            put_material(&mut tx, version, &material, None).await?;
            material_ids.push(material.id);
        }
        for input in demo::modules(&material_ids) {
            let module = checked_module(&input, new_id(), now.clone(), now.clone())?;
            put_module(&mut tx, version, &module).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// The catalog as of the newest version, if it is newer than `after`.
    pub async fn catalog_after(&self, after: u64) -> HqResult<CatalogVersions> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .execute(&mut *tx)
            .await?;
        let newest: Option<i64> = sqlx::query_scalar("SELECT max(version) FROM catalog_versions")
            .fetch_one(&mut *tx)
            .await?;
        let Some(newest) = newest.filter(|newest| *newest as u64 > after) else {
            return Ok(CatalogVersions { versions: vec![] });
        };
        let materials = sqlx::query("SELECT body FROM materials ORDER BY id")
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|row| row.try_get("body"))
            .collect::<Result<Vec<Value>, _>>()?;
        let modules = sqlx::query("SELECT body FROM modules ORDER BY id")
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|row| row.try_get("body"))
            .collect::<Result<Vec<Value>, _>>()?;
        tx.commit().await?;
        Ok(CatalogVersions {
            versions: vec![CatalogVersion {
                version: newest as u64,
                materials,
                modules,
            }],
        })
    }
}
