//! `Store::snapshot_to`: a consistent copy of the whole store in a fresh redb file, made
//! while the store keeps serving (SPEC §13 backups).
//!
//! Invariants:
//! - Every table is read through one read transaction, so the copy is exactly the store as
//!   of one commit: each acknowledged write before it is in, nothing of a later or
//!   uncommitted one is, and no write waits for the copy.
//! - The copy holds every versioned table and index and the schema version, so it opens
//!   like any store file of this build; the health probe's throwaway table is left out.

use std::path::Path;

use redb::{
    Database, MultimapTableDefinition, ReadableMultimapTable, ReadableTable, TableDefinition,
};

use crate::tables::tables_v3::{ALL_INDEXES, ALL_TABLES};
use crate::{META, Store, StoreError};

impl Store {
    /// Writes the store as of one commit into a new redb file at `path` (which must not
    /// exist) and syncs it; returns the number of entries copied.
    pub fn snapshot_to(&self, path: &Path) -> Result<u64, StoreError> {
        let source = self
            .database
            .readable()
            .begin_read()
            .map_err(StoreError::from_redb)?;
        let target = Database::create(path).map_err(StoreError::from_redb)?;
        let copy = target.begin_write().map_err(StoreError::from_redb)?;
        let mut n_entries = 0u64;
        {
            let from = source.open_table(META).map_err(StoreError::from_redb)?;
            let mut to = copy.open_table(META).map_err(StoreError::from_redb)?;
            for entry in from.iter().map_err(StoreError::from_redb)? {
                let (key, value) = entry.map_err(StoreError::from_redb)?;
                to.insert(key.value(), value.value())
                    .map_err(StoreError::from_redb)?;
                n_entries += 1;
            }
        }
        for name in ALL_TABLES.iter().chain(crate::chain::CHAIN_TABLES) {
            let definition: TableDefinition<&str, &[u8]> = TableDefinition::new(name);
            let from = source
                .open_table(definition)
                .map_err(StoreError::from_redb)?;
            let mut to = copy.open_table(definition).map_err(StoreError::from_redb)?;
            for entry in from.iter().map_err(StoreError::from_redb)? {
                let (key, value) = entry.map_err(StoreError::from_redb)?;
                to.insert(key.value(), value.value())
                    .map_err(StoreError::from_redb)?;
                n_entries += 1;
            }
        }
        for index in ALL_INDEXES {
            let definition: MultimapTableDefinition<&str, &str> = index.definition();
            let from = source
                .open_multimap_table(definition)
                .map_err(StoreError::from_redb)?;
            let mut to = copy
                .open_multimap_table(definition)
                .map_err(StoreError::from_redb)?;
            for entry in from.iter().map_err(StoreError::from_redb)? {
                let (key, values) = entry.map_err(StoreError::from_redb)?;
                for value in values {
                    let value = value.map_err(StoreError::from_redb)?;
                    to.insert(key.value(), value.value())
                        .map_err(StoreError::from_redb)?;
                    n_entries += 1;
                }
            }
        }
        copy.commit().map_err(StoreError::from_redb)?;
        Ok(n_entries)
    }
}

/// Whether another process (or this one) has the store file at `path` open: redb's file
/// lock is what tells. A missing file is not open.
pub fn is_store_open(path: &Path) -> Result<bool, StoreError> {
    if !path.exists() {
        return Ok(false);
    }
    match Database::open(path) {
        Ok(_) => Ok(false),
        Err(redb::DatabaseError::DatabaseAlreadyOpen) => Ok(true),
        Err(error) => Err(StoreError::from_redb(error)),
    }
}

#[cfg(test)]
mod tests {
    use crate::Store;
    use crate::tables::tables_v3::DEVICE_TOKENS;

    #[tokio::test]
    async fn a_snapshot_opens_as_a_store_with_everything_committed_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("live.redb")).unwrap();
        store
            .write(|tx| tx.insert(&crate::tables::tables_v3::COUNTERS, "order_number", &7u64))
            .await
            .unwrap();
        let snapshot = dir.path().join("copy.redb");
        assert!(store.snapshot_to(&snapshot).unwrap() > 0);
        assert!(super::is_store_open(&dir.path().join("live.redb")).unwrap());
        let copy = Store::open(&snapshot).unwrap();
        assert_eq!(copy.schema_version().unwrap(), crate::SCHEMA_VERSION);
        let counter = copy
            .read(|tx| tx.get(&crate::tables::tables_v3::COUNTERS, "order_number"))
            .unwrap();
        assert_eq!(counter, Some(7));
        assert_eq!(copy.read(|tx| tx.count(&DEVICE_TOKENS)).unwrap(), 0);
    }
}
