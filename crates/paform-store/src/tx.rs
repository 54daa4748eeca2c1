//! Read and write transactions over the typed tables. Records are bincode-encoded; a
//! record that does not decode is reported as `StoreError::Corrupt` naming table and key.

use redb::{
    ReadTransaction, ReadableMultimapTable, ReadableTable, ReadableTableMetadata, WriteTransaction,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Index, StoreError, Table};

/// A value that can be stored in a `Table`.
pub trait Record: Serialize + DeserializeOwned {}
impl<T: Serialize + DeserializeOwned> Record for T {}

fn encode<R: Record>(record: &R) -> Result<Vec<u8>, StoreError> {
    bincode::serde::encode_to_vec(record, bincode::config::standard()).map_err(|error| {
        StoreError::from_redb(redb::StorageError::Io(std::io::Error::other(error)))
    })
}

fn decode<R: Record>(table: &'static str, key: &str, bytes: &[u8]) -> Result<R, StoreError> {
    bincode::serde::decode_from_slice(bytes, bincode::config::standard())
        .map(|(record, _)| record)
        .map_err(|_| StoreError::Corrupt {
            table,
            key: key.to_owned(),
        })
}

/// Shared read operations of both kinds of transaction.
macro_rules! read_operations {
    () => {
        pub fn get<R: Record>(&self, table: &Table<R>, key: &str) -> Result<Option<R>, StoreError> {
            let opened = self
                .inner
                .open_table(table.definition())
                .map_err(StoreError::from_redb)?;
            let found = opened.get(key).map_err(StoreError::from_redb)?;
            found
                .map(|bytes| decode(table.name(), key, bytes.value()))
                .transpose()
        }

        pub fn contains<R>(&self, table: &Table<R>, key: &str) -> Result<bool, StoreError> {
            let opened = self
                .inner
                .open_table(table.definition())
                .map_err(StoreError::from_redb)?;
            Ok(opened.get(key).map_err(StoreError::from_redb)?.is_some())
        }

        pub fn count<R>(&self, table: &Table<R>) -> Result<u64, StoreError> {
            let opened = self
                .inner
                .open_table(table.definition())
                .map_err(StoreError::from_redb)?;
            opened.len().map_err(StoreError::from_redb)
        }

        /// Visits records in key order from `start` (inclusive) until `visit` returns false.
        pub fn scan<R: Record>(
            &self,
            table: &Table<R>,
            start: Option<&str>,
            mut visit: impl FnMut(R) -> bool,
        ) -> Result<(), StoreError> {
            let opened = self
                .inner
                .open_table(table.definition())
                .map_err(StoreError::from_redb)?;
            let range = match start {
                Some(start) => opened.range(start..),
                None => opened.range::<&str>(..),
            }
            .map_err(StoreError::from_redb)?;
            for entry in range {
                let (key, bytes) = entry.map_err(StoreError::from_redb)?;
                if !visit(decode(table.name(), key.value(), bytes.value())?) {
                    break;
                }
            }
            Ok(())
        }

        /// Visits keys and records in key order from `start` (inclusive) until `visit`
        /// returns false.
        pub fn scan_entries<R: Record>(
            &self,
            table: &Table<R>,
            start: Option<&str>,
            mut visit: impl FnMut(&str, R) -> bool,
        ) -> Result<(), StoreError> {
            let opened = self
                .inner
                .open_table(table.definition())
                .map_err(StoreError::from_redb)?;
            let range = match start {
                Some(start) => opened.range(start..),
                None => opened.range::<&str>(..),
            }
            .map_err(StoreError::from_redb)?;
            for entry in range {
                let (key, bytes) = entry.map_err(StoreError::from_redb)?;
                let key = key.value();
                if !visit(key, decode(table.name(), key, bytes.value())?) {
                    break;
                }
            }
            Ok(())
        }

        /// Every record whose key starts with `prefix`, in key order.
        pub fn scan_prefix<R: Record>(
            &self,
            table: &Table<R>,
            prefix: &str,
        ) -> Result<Vec<R>, StoreError> {
            let opened = self
                .inner
                .open_table(table.definition())
                .map_err(StoreError::from_redb)?;
            let mut records = Vec::new();
            for entry in opened.range(prefix..).map_err(StoreError::from_redb)? {
                let (key, bytes) = entry.map_err(StoreError::from_redb)?;
                if !key.value().starts_with(prefix) {
                    break;
                }
                records.push(decode(table.name(), key.value(), bytes.value())?);
            }
            Ok(records)
        }

        /// The record with the greatest key of `table`.
        pub fn last<R: Record>(&self, table: &Table<R>) -> Result<Option<R>, StoreError> {
            let opened = self
                .inner
                .open_table(table.definition())
                .map_err(StoreError::from_redb)?;
            match opened.last().map_err(StoreError::from_redb)? {
                Some((key, bytes)) => decode(table.name(), key.value(), bytes.value()).map(Some),
                None => Ok(None),
            }
        }

        /// The record with the greatest key that starts with `prefix`, which must end in `/`
        /// (the keys of an order's events and ledger entries).
        pub fn last_with_prefix<R: Record>(
            &self,
            table: &Table<R>,
            prefix: &str,
        ) -> Result<Option<R>, StoreError> {
            let opened = self
                .inner
                .open_table(table.definition())
                .map_err(StoreError::from_redb)?;
            // '0' follows '/' in ASCII, so this range holds exactly the keys under `prefix`.
            let end = format!("{}0", prefix.trim_end_matches('/'));
            let mut range = opened
                .range(prefix..end.as_str())
                .map_err(StoreError::from_redb)?;
            match range.next_back() {
                Some(entry) => {
                    let (key, bytes) = entry.map_err(StoreError::from_redb)?;
                    decode(table.name(), key.value(), bytes.value()).map(Some)
                }
                None => Ok(None),
            }
        }

        /// Ids under `key` in ascending order, skipping `offset`, at most `limit`.
        pub fn index_ids(
            &self,
            index: &Index,
            key: &str,
            offset: usize,
            limit: usize,
        ) -> Result<Vec<String>, StoreError> {
            let opened = self
                .inner
                .open_multimap_table(index.definition())
                .map_err(StoreError::from_redb)?;
            let values = opened.get(key).map_err(StoreError::from_redb)?;
            values
                .skip(offset)
                .take(limit)
                .map(|value| {
                    value
                        .map(|id| id.value().to_owned())
                        .map_err(StoreError::from_redb)
                })
                .collect()
        }

        /// How many ids are filed under `key`.
        pub fn index_len(&self, index: &Index, key: &str) -> Result<u64, StoreError> {
            let opened = self
                .inner
                .open_multimap_table(index.definition())
                .map_err(StoreError::from_redb)?;
            let values = opened.get(key).map_err(StoreError::from_redb)?;
            Ok(values.len())
        }
    };
}

/// A consistent snapshot for reading.
pub struct ReadTx {
    inner: ReadTransaction,
}

impl ReadTx {
    pub(crate) fn new(inner: ReadTransaction) -> ReadTx {
        ReadTx { inner }
    }

    read_operations!();
}

/// A record written or removed by a committed transaction: what the store's commit hook
/// hears (`Store::on_commit`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub table: &'static str,
    pub key: String,
}

/// One write transaction; its effects land together or not at all.
pub struct WriteTx {
    inner: WriteTransaction,
    writes: u64,
    changes: Vec<Change>,
}

impl WriteTx {
    pub(crate) fn new(inner: WriteTransaction) -> WriteTx {
        WriteTx {
            inner,
            writes: 0,
            changes: Vec::new(),
        }
    }

    pub(crate) fn take_changes(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.changes)
    }

    fn note(&mut self, table: &'static str, key: &str) {
        self.writes += 1;
        self.changes.push(Change {
            table,
            key: key.to_owned(),
        });
    }

    pub(crate) fn writes(&self) -> u64 {
        self.writes
    }

    pub(crate) fn into_inner(self) -> WriteTransaction {
        self.inner
    }

    read_operations!();

    pub fn insert<R: Record>(
        &mut self,
        table: &Table<R>,
        key: &str,
        record: &R,
    ) -> Result<(), StoreError> {
        let bytes = encode(record)?;
        self.note(table.name(), key);
        let mut opened = self
            .inner
            .open_table(table.definition())
            .map_err(StoreError::from_redb)?;
        opened
            .insert(key, bytes.as_slice())
            .map_err(StoreError::from_redb)?;
        Ok(())
    }

    /// Removes a record; true if it was there.
    pub fn remove<R>(&mut self, table: &Table<R>, key: &str) -> Result<bool, StoreError> {
        self.note(table.name(), key);
        let mut opened = self
            .inner
            .open_table(table.definition())
            .map_err(StoreError::from_redb)?;
        Ok(opened.remove(key).map_err(StoreError::from_redb)?.is_some())
    }

    pub fn index_insert(&mut self, index: &Index, key: &str, id: &str) -> Result<(), StoreError> {
        self.writes += 1;
        let mut opened = self
            .inner
            .open_multimap_table(index.definition())
            .map_err(StoreError::from_redb)?;
        opened.insert(key, id).map_err(StoreError::from_redb)?;
        Ok(())
    }

    pub fn index_remove(&mut self, index: &Index, key: &str, id: &str) -> Result<(), StoreError> {
        self.writes += 1;
        let mut opened = self
            .inner
            .open_multimap_table(index.definition())
            .map_err(StoreError::from_redb)?;
        opened.remove(key, id).map_err(StoreError::from_redb)?;
        Ok(())
    }
}
