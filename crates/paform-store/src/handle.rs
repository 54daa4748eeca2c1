//! The open redb database behind a swappable handle, so the store survives an I/O error.
//!
//! redb refuses every further use of a `Database` once one read, write or sync of its file
//! failed ("Previous I/O error… re-open the database"), so a full disk would otherwise stop all
//! writes and uncached reads until a restart. Here the file (or memory) stays open once, behind
//! a shared backend, and each `Database` over it is one generation: the backend notes any
//! I/O error of its generation, and the next user reopens a fresh generation over the same
//! file (redb repairs it to its last durable commit) and swaps it in.
//!
//! Invariants:
//! - A generation that failed is revoked before its successor opens: every later I/O through
//!   it fails without touching the file, so two generations never both write.
//! - Only committed data is acknowledged, and a reopen only ever returns to the last durable
//!   commit, so a reopen loses nothing acknowledged.
//! - While the last write failed for an I/O reason, `write_failure` names it (the health
//!   endpoint reports the store degraded); the next durable commit clears it.
//! - The health probe's table (`health_probe`, one throwaway value) is outside the versioned
//!   schema: it is made on demand, nothing reads it, and no migration needs to know it.

use std::fs::OpenOptions;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use redb::backends::FileBackend;
use redb::{Database, DatabaseError, StorageBackend};

use crate::{StoreError, Table};

/// What the health probe writes while the store is degraded: large enough to need fresh
/// pages, so a probe that succeeds means ordinary writes fit again.
const PROBE_BYTES: usize = 64 * 1024;
const PROBE: Table<Vec<u8>> = Table::new("health_probe");

/// True for the errors of a disk (or quota) without room for what was written.
pub fn is_disk_full(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded | io::ErrorKind::FileTooLarge
    )
}

/// The I/O outcome of one generation of the database.
#[derive(Debug, Default)]
struct Generation {
    failed: AtomicBool,
    disk_full: AtomicBool,
    /// Held for reading during each I/O, so revoking waits for any I/O in flight.
    revoked: RwLock<bool>,
}

impl Generation {
    fn revoke(&self) {
        *self
            .revoked
            .write()
            .unwrap_or_else(|poison| poison.into_inner()) = true;
    }
}

/// The store's file (or memory), shared by every generation, each with its own `Generation`.
#[derive(Debug)]
struct SharedBackend {
    storage: Arc<dyn StorageBackend>,
    generation: Arc<Generation>,
}

impl SharedBackend {
    fn run<T>(
        &self,
        operation: impl FnOnce(&dyn StorageBackend) -> io::Result<T>,
    ) -> io::Result<T> {
        let revoked = self
            .generation
            .revoked
            .read()
            .unwrap_or_else(|poison| poison.into_inner());
        if *revoked {
            return Err(io::Error::other(
                "this database handle was replaced after an I/O error",
            ));
        }
        let result = operation(self.storage.as_ref());
        if let Err(error) = &result {
            if is_disk_full(error) {
                self.generation.disk_full.store(true, Ordering::Release);
            }
            self.generation.failed.store(true, Ordering::Release);
        }
        result
    }
}

impl StorageBackend for SharedBackend {
    fn len(&self) -> io::Result<u64> {
        self.run(|storage| storage.len())
    }

    fn read(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        self.run(|storage| storage.read(offset, len))
    }

    fn set_len(&self, len: u64) -> io::Result<()> {
        self.run(|storage| storage.set_len(len))
    }

    fn sync_data(&self, eventual: bool) -> io::Result<()> {
        self.run(|storage| storage.sync_data(eventual))
    }

    fn write(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        self.run(|storage| storage.write(offset, data))
    }
}

/// One open generation: a `Database` and what its I/O met.
pub(crate) struct Opened {
    database: Database,
    generation: Arc<Generation>,
}

impl std::ops::Deref for Opened {
    type Target = Database;

    fn deref(&self) -> &Database {
        &self.database
    }
}

impl Opened {
    /// `Some(disk_full)` once an I/O of this generation failed.
    pub(crate) fn failure(&self) -> Option<bool> {
        self.generation
            .failed
            .load(Ordering::Acquire)
            .then(|| self.generation.disk_full.load(Ordering::Acquire))
    }
}

pub(crate) struct Handle {
    storage: Arc<dyn StorageBackend>,
    /// The directory that holds the store, named in disk-full errors.
    location: PathBuf,
    current: RwLock<Arc<Opened>>,
    /// Serializes reopening, so one failed generation is replaced once.
    reopening: Mutex<()>,
    /// Why the last write failed, while it did.
    failure: Mutex<Option<String>>,
}

impl Handle {
    /// Opens (or creates) the store file; the file stays open (and locked) for the handle's
    /// whole life.
    pub(crate) fn open_file(path: &Path) -> Result<Handle, StoreError> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|error| StoreError::from_redb(redb::StorageError::Io(error)))?;
        let backend = FileBackend::new(file).map_err(|error| match error {
            DatabaseError::DatabaseAlreadyOpen => StoreError::Locked(path.to_path_buf()),
            other => StoreError::from_redb(other),
        })?;
        let location = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        Handle::over(Arc::new(backend), location)
    }

    pub(crate) fn in_memory() -> Result<Handle, StoreError> {
        Handle::over(
            Arc::new(redb::backends::InMemoryBackend::new()),
            PathBuf::from("(memory)"),
        )
    }

    fn over(storage: Arc<dyn StorageBackend>, location: PathBuf) -> Result<Handle, StoreError> {
        let opened = open_generation(&storage)
            .map_err(|(error, disk_full)| classify(error, disk_full, &location))?;
        Ok(Handle {
            storage,
            location,
            current: RwLock::new(Arc::new(opened)),
            reopening: Mutex::new(()),
            failure: Mutex::new(None),
        })
    }

    /// The current generation as it is, even if its last I/O failed.
    pub(crate) fn current(&self) -> Arc<Opened> {
        Arc::clone(
            &self
                .current
                .read()
                .unwrap_or_else(|poison| poison.into_inner()),
        )
    }

    /// The current generation, reopened first if it saw an I/O error.
    pub(crate) fn usable(&self) -> Result<Arc<Opened>, StoreError> {
        let current = self.current();
        if current.failure().is_none() {
            return Ok(current);
        }
        self.reopen(&current)?;
        Ok(self.current())
    }

    /// For reads: a reopened generation if one can be had, else the failed one, which still
    /// answers from its cache.
    pub(crate) fn readable(&self) -> Arc<Opened> {
        self.usable().unwrap_or_else(|_| self.current())
    }

    /// The error a failed operation of `opened` is answered with: disk full naming the
    /// directory when the generation ran out of space, `error` otherwise.
    pub(crate) fn explain(&self, opened: &Opened, error: StoreError) -> StoreError {
        match opened.failure() {
            Some(true) => StoreError::DiskFull {
                dir: self.location.clone(),
            },
            _ => error,
        }
    }

    fn reopen(&self, failed: &Arc<Opened>) -> Result<(), StoreError> {
        let _reopening = self
            .reopening
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if !Arc::ptr_eq(&self.current(), failed) {
            return Ok(());
        }
        failed.generation.revoke();
        let opened = open_generation(&self.storage).map_err(|(error, disk_full)| {
            let error = classify(error, disk_full, &self.location);
            tracing::error!(%error, "cannot reopen the store after an I/O error");
            error
        })?;
        tracing::warn!("the store was reopened after an I/O error");
        // Readers still holding the old generation finish (or fail) on their own.
        *self
            .current
            .write()
            .unwrap_or_else(|poison| poison.into_inner()) = Arc::new(opened);
        Ok(())
    }

    pub(crate) fn note_failure(&self, error: &StoreError) {
        let reason = match error {
            StoreError::DiskFull { .. } => error.to_string(),
            other => format!("the store cannot write: {other}"),
        };
        *self
            .failure
            .lock()
            .unwrap_or_else(|poison| poison.into_inner()) = Some(reason);
    }

    pub(crate) fn note_success(&self) {
        *self
            .failure
            .lock()
            .unwrap_or_else(|poison| poison.into_inner()) = None;
    }

    pub(crate) fn failure(&self) -> Option<String> {
        self.failure
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .clone()
    }

    /// The directory that holds the store.
    pub(crate) fn location(&self) -> &Path {
        &self.location
    }
}

fn open_generation(storage: &Arc<dyn StorageBackend>) -> Result<Opened, (DatabaseError, bool)> {
    let generation = Arc::new(Generation::default());
    let backend = SharedBackend {
        storage: Arc::clone(storage),
        generation: Arc::clone(&generation),
    };
    match Database::builder().create_with_backend(backend) {
        Ok(database) => Ok(Opened {
            database,
            generation,
        }),
        Err(error) => {
            generation.revoke();
            Err((error, generation.disk_full.load(Ordering::Acquire)))
        }
    }
}

fn classify(error: DatabaseError, disk_full: bool, location: &Path) -> StoreError {
    if disk_full {
        StoreError::DiskFull {
            dir: location.to_path_buf(),
        }
    } else {
        StoreError::from_redb(error)
    }
}

impl crate::Store {
    /// Why writes fail, while they do (the last write failed for an I/O reason and none has
    /// succeeded since).
    pub fn write_failure(&self) -> Option<String> {
        self.database.failure()
    }

    /// Records that a write next to the store (an asset or export file) found the disk full,
    /// so health reports degraded until a write succeeds again.
    pub fn note_disk_full(&self) {
        let error = StoreError::DiskFull {
            dir: self.database.location().to_path_buf(),
        };
        self.database.note_failure(&error);
    }

    /// Checks whether writes work again after a failure: commits a probe record that needs
    /// fresh pages. Returns the failure that remains, if any.
    pub async fn probe_writes(&self) -> Option<String> {
        self.write_failure()?;
        let probe = self
            .write(|transaction| {
                let bytes = vec![0x5a_u8; PROBE_BYTES];
                transaction.insert(&PROBE, "probe", &bytes)
            })
            .await;
        match probe {
            Ok(()) => None,
            Err(error) => Some(self.write_failure().unwrap_or_else(|| error.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    //! A backend that can be made "full" proves the reopen path without a real disk.

    use super::*;
    use crate::Store;

    #[derive(Debug)]
    struct Fillable {
        memory: redb::backends::InMemoryBackend,
        full: Arc<AtomicBool>,
    }

    impl Fillable {
        fn refuse_when_full(&self) -> io::Result<()> {
            if self.full.load(Ordering::Acquire) {
                Err(io::Error::from(io::ErrorKind::StorageFull))
            } else {
                Ok(())
            }
        }
    }

    impl StorageBackend for Fillable {
        fn len(&self) -> io::Result<u64> {
            self.memory.len()
        }
        fn read(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
            self.memory.read(offset, len)
        }
        fn set_len(&self, len: u64) -> io::Result<()> {
            self.refuse_when_full()?;
            self.memory.set_len(len)
        }
        fn sync_data(&self, eventual: bool) -> io::Result<()> {
            self.memory.sync_data(eventual)
        }
        fn write(&self, offset: u64, data: &[u8]) -> io::Result<()> {
            self.refuse_when_full()?;
            self.memory.write(offset, data)
        }
    }

    const NOTES: Table<String> = Table::new("notes");

    async fn put(store: &Store, key: &str) -> Result<(), StoreError> {
        let (key, value) = (key.to_owned(), vec![b'x'; 4096]);
        store
            .write(move |transaction| {
                transaction.insert(&NOTES, &key, &String::from_utf8(value).expect("ascii"))
            })
            .await
    }

    fn get(store: &Store, key: &str) -> Option<String> {
        store
            .read(|transaction| transaction.get(&NOTES, key))
            .expect("reads work")
    }

    #[tokio::test]
    async fn a_full_disk_is_reported_reads_keep_working_and_writes_resume_once_space_is_back() {
        let full = Arc::new(AtomicBool::new(false));
        let backend = Fillable {
            memory: redb::backends::InMemoryBackend::new(),
            full: Arc::clone(&full),
        };
        let handle = Handle::over(Arc::new(backend), PathBuf::from("/data")).expect("opens");
        let store = Store::start(handle).expect("starts");
        for n in 0..20 {
            put(&store, &format!("before-{n:02}"))
                .await
                .expect("writes");
        }

        full.store(true, Ordering::Release);
        let mut refused = 0;
        for n in 0..20 {
            match put(&store, &format!("during-{n:02}")).await {
                Err(StoreError::DiskFull { dir }) => {
                    assert_eq!(dir, PathBuf::from("/data"));
                    refused += 1;
                }
                other => panic!("expected disk full, got {other:?}"),
            }
            assert!(get(&store, "before-07").is_some(), "reads keep working");
        }
        assert_eq!(refused, 20);
        let failure = store.write_failure().expect("degraded while writes fail");
        assert!(failure.contains("/data"), "{failure}");
        assert!(store.probe_writes().await.is_some());

        full.store(false, Ordering::Release);
        assert_eq!(
            store.probe_writes().await,
            None,
            "the probe finds space again"
        );
        assert_eq!(store.write_failure(), None);
        put(&store, "after")
            .await
            .expect("writes resume without a restart");
        for n in 0..20 {
            assert!(get(&store, &format!("before-{n:02}")).is_some());
            assert!(get(&store, &format!("during-{n:02}")).is_none());
        }
        assert!(get(&store, "after").is_some());
    }
}
