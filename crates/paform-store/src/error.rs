//! `StoreError`: what can go wrong below the use cases. redb's many per-operation error
//! types are converted here, in one place, and never leak upwards.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the store {0} is in use by another Paform process")]
    Locked(PathBuf),
    #[error(
        "the store was written by a newer Paform (schema {found}, this build reads up to {supported})"
    )]
    NewerSchema { found: u64, supported: u64 },
    #[error("cannot keep a copy of the store at {path} before upgrading it: {source}")]
    Backup {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("record {key:?} in table {table} cannot be decoded")]
    Corrupt { table: &'static str, key: String },
    #[error("a write in the same commit group failed after writing; the group was rolled back")]
    GroupRolledBack,
    /// A write found no room on the disk that holds `dir`; nothing of it was committed.
    #[error("the disk holding {} is full", dir.display())]
    DiskFull { dir: PathBuf },
    /// Every chain has one writer (SPEC §15): an order this site received from HQ takes only
    /// production events here.
    #[error("order {order_id} was sold by node {seller}: only its production is recorded here")]
    NotOwned { order_id: String, seller: String },
    /// A link received from HQ does not continue the chain this site holds.
    #[error("{0}")]
    ForeignLink(String),
    #[error("the store's writer has stopped")]
    WriterStopped,
    #[error("storage error: {0}")]
    Backend(#[source] Box<redb::Error>),
}

impl StoreError {
    pub(crate) fn from_redb(error: impl Into<redb::Error>) -> StoreError {
        StoreError::Backend(Box::new(error.into()))
    }
}

impl From<redb::Error> for StoreError {
    fn from(error: redb::Error) -> StoreError {
        StoreError::Backend(Box::new(error))
    }
}
