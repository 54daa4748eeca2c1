//! The tables of the store as typed constants. A `Table<R>` maps an id to one record of
//! type `R`; an `Index` maps a key to a sorted set of ids. Every table is listed in
//! `create_all` and documented in `migrations-doc/`.

use std::marker::PhantomData;

use redb::{MultimapTableDefinition, TableDefinition, WriteTransaction};

use crate::StoreError;

/// A table from string keys to records of type `R`.
pub struct Table<R> {
    name: &'static str,
    record: PhantomData<fn() -> R>,
}

impl<R> Table<R> {
    pub const fn new(name: &'static str) -> Table<R> {
        Table {
            name,
            record: PhantomData,
        }
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    pub(crate) fn definition(&self) -> TableDefinition<'static, &'static str, &'static [u8]> {
        TableDefinition::new(self.name)
    }
}

/// A secondary index: each key holds a sorted set of ids (UUID v7 ids sort by creation).
pub struct Index {
    name: &'static str,
}

impl Index {
    pub const fn new(name: &'static str) -> Index {
        Index { name }
    }

    pub(crate) fn definition(
        &self,
    ) -> MultimapTableDefinition<'static, &'static str, &'static str> {
        MultimapTableDefinition::new(self.name)
    }
}

/// Schema version 1 (`migrations-doc/0001-initial.md`).
pub mod tables_v1 {
    use super::{Index, Table};
    use crate::records::v1::*;

    pub const MATERIALS: Table<MaterialRecord> = Table::new("materials");
    pub const MODULES: Table<ModuleRecord> = Table::new("modules");
    /// material id → ids of the modules made of it (the "material in use" rule).
    pub const MODULES_BY_MATERIAL: Index = Index::new("modules_by_material");
    pub const QUOTES: Table<QuoteRecord> = Table::new("quotes");
    pub const SETTINGS: Table<SettingsRecord> = Table::new("settings");

    pub(crate) const ALL_TABLES: &[&str] = &["materials", "modules", "quotes", "settings"];
    pub(crate) const ALL_INDEXES: &[&Index] = &[&MODULES_BY_MATERIAL];
}

/// Creates every table so that readers never meet a missing one.
pub(crate) fn create_all(transaction: &WriteTransaction) -> Result<(), StoreError> {
    for name in tables_v1::ALL_TABLES {
        let definition: TableDefinition<&str, &[u8]> = TableDefinition::new(name);
        transaction
            .open_table(definition)
            .map_err(StoreError::from_redb)?;
    }
    for index in tables_v1::ALL_INDEXES {
        transaction
            .open_multimap_table(index.definition())
            .map_err(StoreError::from_redb)?;
    }
    Ok(())
}
