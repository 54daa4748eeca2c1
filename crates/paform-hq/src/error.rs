//! HQ's typed errors. No PostgreSQL type leaves the crate: a database failure is carried as
//! its message only.

/// What can go wrong at HQ.
#[derive(Debug, thiserror::Error)]
pub enum HqError {
    /// The database was migrated by a newer Paform than this binary.
    #[error(
        "the database is at HQ schema {database}, newer than this Paform's schema {binary}: upgrade Paform"
    )]
    NewerDatabase { database: i64, binary: i64 },
    /// No token, an unknown one, or a revoked one.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// A valid token that may not do this.
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found: {0}")]
    NotFound(String),
    /// The request conflicts with what HQ holds (e.g. a prefix another node holds).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A push that does not continue what HQ holds for the node.
    #[error("gap: HQ expects node_seq {expected_seq}")]
    Gap { expected_seq: u64 },
    /// Input that cannot be applied, naming what is wrong.
    #[error("invalid: {0}")]
    Invalid(String),
    /// Input the core's checks refused, every problem named by its field.
    #[error("invalid: {}", summary(.0))]
    Fields(Vec<paform_core::problem::FieldProblem>),
    /// A request body that is not the JSON the route takes (a 400, or 415 without a JSON
    /// content type).
    #[error("{detail}")]
    Malformed { status: u16, detail: String },
    /// PostgreSQL failed or is unreachable.
    #[error("database: {0}")]
    Database(String),
    #[error("migration: {0}")]
    Migration(String),
}

fn summary(problems: &[paform_core::problem::FieldProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl From<Vec<paform_core::problem::FieldProblem>> for HqError {
    fn from(problems: Vec<paform_core::problem::FieldProblem>) -> Self {
        HqError::Fields(problems)
    }
}

impl From<sqlx::Error> for HqError {
    fn from(error: sqlx::Error) -> Self {
        HqError::Database(error.to_string())
    }
}

impl From<sqlx::migrate::MigrateError> for HqError {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        HqError::Migration(error.to_string())
    }
}

pub type HqResult<T> = Result<T, HqError>;
