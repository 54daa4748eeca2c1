//! Paform's store: one redb file holding every table, typed by `Table<R>` constants whose
//! values are versioned record types (see `records`) encoded with bincode.
//!
//! Invariants:
//! - This is the only crate that names redb or bincode; callers see `ReadTx`, `WriteTx`
//!   and `StoreError`, never a redb type.
//! - Writes go through one writer thread that groups concurrent writes into one durable
//!   commit (group commit): a `write` future resolves only after its transaction is on disk.
//! - A write closure that fails must not have written anything (check, then write). If one
//!   does, the whole group is rolled back, so no half-written record can ever land.

mod error;
mod handle;
mod tables;
mod tx;
mod writer;

pub mod records;

use std::path::Path;
use std::sync::Arc;

use redb::{Database, ReadableTable, TableDefinition};

use handle::Handle;

pub use error::StoreError;
pub use handle::is_disk_full;
pub use tables::{Index, Table, tables_v1};
pub use tx::{ReadTx, Record, WriteTx};

/// The schema version this build writes. Every bump adds a page in `migrations-doc/`.
pub const SCHEMA_VERSION: u64 = 1;

const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
const SCHEMA_KEY: &str = "schema_version";

/// A handle to the open store; cheap to clone, shared by every use case.
#[derive(Clone)]
pub struct Store {
    /// The database behind a handle that reopens it after an I/O error (`handle`).
    database: Arc<Handle>,
    writer: writer::Writer,
}

impl Store {
    /// Opens (or creates) the store file, checking its schema version.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::start(Handle::open_file(path)?)
    }

    /// A store that lives in memory only, for tests of the layers above.
    pub fn in_memory() -> Result<Store, StoreError> {
        Store::start(Handle::in_memory()?)
    }

    fn start(database: Handle) -> Result<Store, StoreError> {
        initialize_schema(&database.current())?;
        let database = Arc::new(database);
        let writer = writer::Writer::spawn(Arc::clone(&database));
        Ok(Store { database, writer })
    }

    /// Runs `read` against a consistent snapshot of the store.
    pub fn read<T, E: From<StoreError>>(
        &self,
        read: impl FnOnce(&ReadTx) -> Result<T, E>,
    ) -> Result<T, E> {
        let transaction = self
            .database
            .readable()
            .begin_read()
            .map_err(StoreError::from_redb)?;
        read(&ReadTx::new(transaction))
    }

    /// Runs `write` in a write transaction and resolves once it is durably committed.
    /// Concurrent writes are serialized: each sees the effects of those before it.
    pub async fn write<T, E>(
        &self,
        write: impl FnOnce(&mut WriteTx) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        self.writer.submit(write).await
    }

    /// The schema version recorded in the file.
    pub fn schema_version(&self) -> Result<u64, StoreError> {
        let transaction = self
            .database
            .readable()
            .begin_read()
            .map_err(StoreError::from_redb)?;
        let meta = transaction
            .open_table(META)
            .map_err(StoreError::from_redb)?;
        let version = meta.get(SCHEMA_KEY).map_err(StoreError::from_redb)?;
        Ok(version.map(|guard| guard.value()).unwrap_or(0))
    }
}

fn initialize_schema(database: &Database) -> Result<(), StoreError> {
    let transaction = database.begin_write().map_err(StoreError::from_redb)?;
    {
        let mut meta = transaction
            .open_table(META)
            .map_err(StoreError::from_redb)?;
        let found = meta
            .get(SCHEMA_KEY)
            .map_err(StoreError::from_redb)?
            .map(|v| v.value());
        match found {
            None => {
                meta.insert(SCHEMA_KEY, SCHEMA_VERSION)
                    .map_err(StoreError::from_redb)?;
            }
            Some(version) if version > SCHEMA_VERSION => {
                return Err(StoreError::NewerSchema {
                    found: version,
                    supported: SCHEMA_VERSION,
                });
            }
            // Older versions are migrated here, one step per page of migrations-doc/.
            Some(_) => {}
        }
    }
    tables::create_all(&transaction)?;
    transaction.commit().map_err(StoreError::from_redb)?;
    Ok(())
}
