//! Opening HQ's database: a connection pool, the embedded migrations (checksummed by sqlx,
//! applied under its advisory lock so several HQ processes may start at once), and the
//! refusal of a database a newer Paform migrated.

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgPool, PgPoolOptions};

use crate::error::{HqError, HqResult};

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// The newest schema version this binary knows.
pub fn schema_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Connects and brings the schema up to date.
pub(crate) async fn connect(url: &str, max_connections: u32) -> HqResult<PgPool> {
    let pool = PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(std::time::Duration::from_secs(30))
        .connect(url)
        .await?;
    refuse_newer(&pool).await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

async fn refuse_newer(pool: &PgPool) -> HqResult<()> {
    let exists: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations')",
    )
    .fetch_one(pool)
    .await?;
    if !exists {
        return Ok(());
    }
    let database: Option<i64> =
        sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await?;
    let binary = schema_version();
    match database {
        Some(database) if database > binary => Err(HqError::NewerDatabase { database, binary }),
        _ => Ok(()),
    }
}
