//! Paform's head office (SPEC §15): the whole chain in PostgreSQL. Sites push what they own
//! (`push`), HQ keeps every entry once per `(node, node_seq)`, verifies every order's hash
//! chain, projects the events into normalized tables (`projection`) and answers read-only
//! across the chain (`read`). `http` is its router, `cli` the `paform hq …` commands.
//!
//! Nothing of PostgreSQL leaves this crate: callers see `Hq`, the contract types of
//! `paform-api` and plain serde views.

mod catalog;
pub mod cli;
mod db;
mod error;
pub mod http;
mod nodes;
mod projection;
mod push;
mod read;

use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::Row;
use sqlx::postgres::PgPool;

pub use catalog::CatalogInput;
pub use db::schema_version;
pub use error::{HqError, HqResult};
pub use nodes::{NewNode, NewToken, NodeView, Principal};
pub use push::entry_digest;
pub use read::{
    ChainEvent, HqAudit, LineView, OrderDetail, OrderQuery, OrderSummary, QuarantineView,
};

/// HQ over one PostgreSQL database; cheap to clone (a pool).
#[derive(Clone)]
pub struct Hq {
    pool: PgPool,
}

/// The live schema as `information_schema` describes it (for the ER diagram's test).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchemaDescription {
    /// Table → its columns, in column order.
    pub tables: BTreeMap<String, Vec<String>>,
    /// `(table, column, referenced table)` of every foreign key column.
    pub foreign_keys: Vec<(String, String, String)>,
}

impl Hq {
    /// Connects to `url`, refuses a database a newer Paform migrated, and applies the
    /// embedded migrations.
    pub async fn open(url: &str) -> HqResult<Hq> {
        Self::open_with(url, 16).await
    }

    /// `open` with a pool of at most `max_connections`.
    pub async fn open_with(url: &str, max_connections: u32) -> HqResult<Hq> {
        Ok(Hq {
            pool: db::connect(url, max_connections).await?,
        })
    }

    /// Whether the database answers.
    pub async fn healthy(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// HQ's tables, columns and foreign keys (the migration bookkeeping left out).
    pub async fn describe_schema(&self) -> HqResult<SchemaDescription> {
        let rows = sqlx::query(
            "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name \
             FROM information_schema.columns c JOIN information_schema.tables t \
             ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
             AND c.table_name <> '_sqlx_migrations' ORDER BY c.table_name, c.ordinal_position",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for row in rows {
            tables
                .entry(row.try_get("table_name")?)
                .or_default()
                .push(row.try_get("column_name")?);
        }
        let rows = sqlx::query(
            "SELECT kcu.table_name::text AS table_name, kcu.column_name::text AS column_name, \
             ccu.table_name::text AS referenced FROM information_schema.table_constraints tc \
             JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name \
             AND kcu.table_schema = tc.table_schema \
             JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name \
             AND ccu.table_schema = tc.table_schema \
             WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() \
             GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        )
        .fetch_all(&self.pool)
        .await?;
        let foreign_keys = rows
            .iter()
            .map(|row| {
                Ok((
                    row.try_get("table_name")?,
                    row.try_get("column_name")?,
                    row.try_get("referenced")?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(SchemaDescription {
            tables,
            foreign_keys,
        })
    }
}
