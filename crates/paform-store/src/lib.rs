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
mod migrate;
mod snapshot;
mod tables;
mod tx;
mod writer;

pub mod audit;
pub mod chain;
pub mod records;
pub mod specs;

use std::path::Path;
use std::sync::{Arc, Weak};

use redb::{Database, ReadableTable, TableDefinition};

use handle::Handle;

pub use error::StoreError;
pub use handle::is_disk_full;
pub use migrate::{ORDER_NUMBER_COUNTER, QUOTE_NUMBER_COUNTER, provider_ref_key};
pub use snapshot::is_store_open;
pub use tables::{Index, Table, tables_v1, tables_v2, tables_v3};
pub use tx::{Change, ReadTx, Record, WriteTx};

/// The schema version this build writes. Every bump adds a page in `migrations-doc/`.
pub const SCHEMA_VERSION: u64 = 4;

const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
const SCHEMA_KEY: &str = "schema_version";

/// A handle to the open store; cheap to clone, shared by every use case.
#[derive(Clone)]
pub struct Store {
    /// The database behind a handle that reopens it after an I/O error (`handle`).
    database: Arc<Handle>,
    writer: Arc<writer::Writer>,
}

/// A store reference that does not keep the store open: a background task holds one between
/// its passes, so the file (and its lock) closes once the app is dropped.
#[derive(Clone)]
pub struct WeakStore {
    database: Weak<Handle>,
    writer: Weak<writer::Writer>,
}

impl WeakStore {
    /// The store, while some `Store` still holds it open.
    pub fn upgrade(&self) -> Option<Store> {
        Some(Store {
            database: self.database.upgrade()?,
            writer: self.writer.upgrade()?,
        })
    }
}

impl Store {
    /// Opens (or creates) the store file, checking its schema version. A store of an older
    /// schema is first copied beside itself (`paform.redb.v1.bak`), then upgraded in place.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let handle = Handle::open_file(path)?;
        if let Some(found) = recorded_version(&handle.current())?
            && found < SCHEMA_VERSION
        {
            keep_copy(path, found)?;
        }
        Store::start(handle)
    }

    /// A store that lives in memory only, for tests of the layers above.
    pub fn in_memory() -> Result<Store, StoreError> {
        Store::start(Handle::in_memory()?)
    }

    fn start(database: Handle) -> Result<Store, StoreError> {
        initialize_schema(&database.current())?;
        let database = Arc::new(database);
        let writer = Arc::new(writer::Writer::spawn(Arc::clone(&database)));
        Ok(Store { database, writer })
    }

    pub fn downgrade(&self) -> WeakStore {
        WeakStore {
            database: Arc::downgrade(&self.database),
            writer: Arc::downgrade(&self.writer),
        }
    }

    /// Runs `read` against a consistent snapshot of the store.
    ///
    /// A read whose generation fails under it (a concurrent write met a full disk, after which
    /// redb answers that generation's reads with "previous I/O error") runs once more on the
    /// reopened generation; if none can be opened, a full disk is answered `DiskFull`, never
    /// with the secondary error.
    pub fn read<T, E: From<StoreError>>(
        &self,
        mut read: impl FnMut(&ReadTx) -> Result<T, E>,
    ) -> Result<T, E> {
        let opened = self.database.readable();
        let first = read_on(&opened, &mut read);
        if first.is_ok() || opened.failure().is_none() {
            return first;
        }
        let reopened = self.database.readable();
        if reopened.failure().is_none() {
            return read_on(&reopened, &mut read);
        }
        match opened.failure() {
            Some(true) => Err(E::from(StoreError::DiskFull {
                dir: self.database.location().to_path_buf(),
            })),
            _ => first,
        }
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

    /// Sets the function that hears the changes of every committed write, once, before the
    /// writers are answered (never for a write that rolled back). A second call is ignored.
    pub fn on_commit(&self, hook: impl Fn(&[Change]) + Send + Sync + 'static) {
        let _ = self.writer.hook.set(Box::new(hook));
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

fn read_on<T, E: From<StoreError>>(
    opened: &handle::Opened,
    read: &mut impl FnMut(&ReadTx) -> Result<T, E>,
) -> Result<T, E> {
    let transaction = opened.begin_read().map_err(StoreError::from_redb)?;
    read(&ReadTx::new(transaction))
}

/// The schema version a store file records, if it records one (a new file does not).
fn recorded_version(database: &Database) -> Result<Option<u64>, StoreError> {
    let transaction = database.begin_read().map_err(StoreError::from_redb)?;
    let meta = match transaction.open_table(META) {
        Ok(meta) => meta,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
        Err(error) => return Err(StoreError::from_redb(error)),
    };
    let found = meta.get(SCHEMA_KEY).map_err(StoreError::from_redb)?;
    Ok(found.map(|guard| guard.value()))
}

/// Copies the store file to `<name>.v<version>.bak` (durably) before an upgrade touches it.
fn keep_copy(path: &Path, version: u64) -> Result<(), StoreError> {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(format!(".v{version}.bak"));
    let backup = path.with_file_name(name);
    let copy = || -> std::io::Result<()> {
        std::fs::copy(path, &backup)?;
        std::fs::File::open(&backup)?.sync_all()
    };
    copy().map_err(|error| StoreError::Backup {
        path: backup.clone(),
        source: error,
    })
}

fn initialize_schema(database: &Database) -> Result<(), StoreError> {
    let transaction = database.begin_write().map_err(StoreError::from_redb)?;
    let found = {
        let meta = transaction
            .open_table(META)
            .map_err(StoreError::from_redb)?;
        meta.get(SCHEMA_KEY)
            .map_err(StoreError::from_redb)?
            .map(|v| v.value())
    };
    if let Some(version) = found
        && version > SCHEMA_VERSION
    {
        return Err(StoreError::NewerSchema {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    tables::create_all(&transaction)?;
    let mut transaction = WriteTx::new(transaction);
    // One step per page of migrations-doc/, all in this one transaction.
    if found == Some(1) {
        migrate::v1_to_v2(&mut transaction)?;
    }
    if matches!(found, Some(1 | 2)) {
        migrate::v2_to_v3(&mut transaction)?;
    }
    if matches!(found, Some(1..=3)) {
        migrate::v3_to_v4(&mut transaction)?;
    }
    let transaction = transaction.into_inner();
    {
        let mut meta = transaction
            .open_table(META)
            .map_err(StoreError::from_redb)?;
        meta.insert(SCHEMA_KEY, SCHEMA_VERSION)
            .map_err(StoreError::from_redb)?;
    }
    transaction.commit().map_err(StoreError::from_redb)?;
    Ok(())
}
