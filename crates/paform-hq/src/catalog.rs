//! The catalog HQ owns (SPEC §15 "Pull"): each publication is a new catalog version that
//! replaces `materials` and `modules` in one transaction; sites ask for what is newer than
//! the version they hold and get the whole catalog as of the newest version.

use paform_api::chain::{CatalogVersion, CatalogVersions};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;
use sqlx::Row;

use crate::Hq;
use crate::error::{HqError, HqResult};

/// A whole catalog to publish (materials and modules as the catalog API returns them).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CatalogInput {
    pub materials: Vec<Value>,
    pub modules: Vec<Value>,
    #[serde(default)]
    pub note: String,
}

fn id_and_name(item: &Value, what: &str) -> HqResult<(String, String)> {
    let id = item
        .get("id")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| HqError::Invalid(format!("every {what} needs an id")))?;
    let name = item.get("name").and_then(Value::as_str).unwrap_or_default();
    Ok((id.to_owned(), name.to_owned()))
}

fn price(item: &Value, field: &str) -> Option<Decimal> {
    match item.get(field)? {
        Value::String(text) => text.parse().ok(),
        Value::Number(number) => number.to_string().parse().ok(),
        _ => None,
    }
}

impl Hq {
    /// Publishes a whole catalog as the next version.
    pub async fn publish_catalog(&self, input: &CatalogInput) -> HqResult<u64> {
        let mut tx = self.pool.begin().await?;
        // One publisher at a time across HQ processes.
        sqlx::query("LOCK TABLE catalog_versions IN EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await?;
        let version: i64 =
            sqlx::query_scalar("SELECT COALESCE(max(version), 0) + 1 FROM catalog_versions")
                .fetch_one(&mut *tx)
                .await?;
        sqlx::query("INSERT INTO catalog_versions (version, note) VALUES ($1, $2)")
            .bind(version)
            .bind(&input.note)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM materials")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM modules").execute(&mut *tx).await?;
        for material in &input.materials {
            let (id, name) = id_and_name(material, "material")?;
            sqlx::query(
                "INSERT INTO materials (id, name, price_per_m2, catalog_version, body) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(name)
            .bind(price(material, "price_per_m2"))
            .bind(version)
            .bind(material)
            .execute(&mut *tx)
            .await?;
        }
        for module in &input.modules {
            let (id, name) = id_and_name(module, "module")?;
            sqlx::query(
                "INSERT INTO modules (id, name, base_price, catalog_version, body) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(name)
            .bind(price(module, "base_price"))
            .bind(version)
            .bind(module)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(version as u64)
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
        let materials = sqlx::query("SELECT body FROM materials ORDER BY name, id")
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|row| row.try_get("body"))
            .collect::<Result<Vec<Value>, _>>()?;
        let modules = sqlx::query("SELECT body FROM modules ORDER BY name, id")
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
