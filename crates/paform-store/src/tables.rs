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

/// The tables of schema version 1 whose records changed shape in version 2, read only by the
/// upgrade (`migrate`). Every other table kept its name and record type.
pub mod tables_v1 {
    use super::Table;
    use crate::records::v1::*;

    pub const SETTINGS: Table<SettingsRecord> = Table::new("settings");
    pub const QUOTES: Table<QuoteRecord> = Table::new("quotes");
    pub const ORDERS: Table<OrderRecord> = Table::new("orders");
    pub const ORDER_EVENTS: Table<OrderEventRecord> = Table::new("order_events");
    pub const LEDGER: Table<LedgerEntryRecord> = Table::new("ledger");
}

/// The tables of schema version 2 whose records changed shape in version 3, read and written
/// only by the upgrades (`migrate`).
pub mod tables_v2 {
    use super::Table;
    use crate::records::v2::*;

    pub const SETTINGS: Table<SettingsRecord> = Table::new("settings");
    pub const QUOTES: Table<QuoteRecord> = Table::new("quotes");
    pub const ORDERS: Table<OrderRecord> = Table::new("orders");
    pub const ORDER_CHANGES: Table<OrderChangeRecord> = Table::new("order_changes");
    pub const DEVICE_TOKENS: Table<DeviceTokenRecord> = Table::new("device_tokens");
}

/// Schema version 3, the current one (`migrations-doc/0003-showroom-floor-and-shop.md`).
pub mod tables_v3 {
    use super::{Index, Table};
    use crate::records::floor::*;
    use crate::records::showroom::*;
    use crate::records::v3::*;

    pub const MATERIALS: Table<MaterialRecord> = Table::new("materials");
    pub const MODULES: Table<ModuleRecord> = Table::new("modules");
    /// material id → ids of the modules made of it (the "material in use" rule).
    pub const MODULES_BY_MATERIAL: Index = Index::new("modules_by_material");
    pub const QUOTES: Table<QuoteRecord> = Table::new("quotes");
    pub const SETTINGS: Table<SettingsRecord> = Table::new("settings");
    pub const ORDERS: Table<OrderRecord> = Table::new("orders");
    /// status → order ids (`GET /api/orders?status=`).
    pub const ORDERS_BY_STATUS: Index = Index::new("orders_by_status");
    /// quote id → the id of the order it became (a quote is accepted at most once).
    pub const QUOTE_ACCEPTANCES: Table<String> = Table::new("quote_acceptances");
    /// `"{order_id}/{seq:010}"` → audit trail entry.
    pub const ORDER_EVENTS: Table<OrderEventRecord> = Table::new("order_events");
    pub const DESIGN_REQUESTS: Table<DesignRequestRecord> = Table::new("design_requests");
    pub const DESIGN_REQUESTS_BY_ORDER: Index = Index::new("design_requests_by_order");
    pub const DESIGN_VERSIONS: Table<DesignVersionRecord> = Table::new("design_versions");
    pub const DESIGN_VERSIONS_BY_REQUEST: Index = Index::new("design_versions_by_request");
    pub const DESIGN_ASSETS: Table<DesignAssetRecord> = Table::new("design_assets");
    pub const DESIGN_ASSETS_BY_VERSION: Index = Index::new("design_assets_by_version");
    pub const PAYMENTS: Table<PaymentRecord> = Table::new("payments");
    pub const PAYMENTS_BY_ORDER: Index = Index::new("payments_by_order");
    /// `"{order_id}/{seq:010}"` → ledger entry (append-only).
    pub const LEDGER: Table<LedgerEntryRecord> = Table::new("ledger");
    pub const JOBS: Table<JobRecord> = Table::new("jobs");
    /// `"{status}/{kind}"` → job ids.
    pub const JOBS_BY_STATUS: Index = Index::new("jobs_by_status");
    /// Hygraph delivery key → outcome of the accepted delivery (idempotency).
    pub const SYNC_DELIVERIES: Table<SyncDeliveryRecord> = Table::new("sync_deliveries");
    /// Hygraph entry id → last applied revision (ordering, tombstones).
    pub const SYNC_ENTRIES: Table<SyncEntryRecord> = Table::new("sync_entries");
    /// Hygraph material id → module deliveries waiting for it.
    pub const SYNC_PENDING: Table<SyncPendingRecord> = Table::new("sync_pending");
    /// `{u64::MAX - seq:016x}` → log line; key order is newest first.
    pub const SYNC_LOG: Table<SyncLogRecord> = Table::new("sync_log");
    /// `external_ids.hygraph` → ids of the materials carrying it.
    pub const MATERIALS_BY_HYGRAPH_ID: Index = Index::new("materials_by_hygraph_id");
    /// `external_ids.hygraph` → ids of the modules carrying it.
    pub const MODULES_BY_HYGRAPH_ID: Index = Index::new("modules_by_hygraph_id");
    /// token id → device token (SPEC §8); the token's secret is never stored.
    pub const DEVICE_TOKENS: Table<DeviceTokenRecord> = Table::new("device_tokens");
    /// order number (`PF-000042`) → order id.
    pub const ORDERS_BY_NUMBER: Table<String> = Table::new("orders_by_number");
    /// `"{provider}\u{1f}{provider_ref}"` → ledger key of the entry recorded under it.
    pub const LEDGER_BY_PROVIDER_REF: Table<String> = Table::new("ledger_by_provider_ref");
    pub const ORDER_CHANGES: Table<OrderChangeRecord> = Table::new("order_changes");
    /// order id → ids of its changes.
    pub const ORDER_CHANGES_BY_ORDER: Index = Index::new("order_changes_by_order");
    /// `"order_number"`, `"quote_number"` → the last number handed out.
    pub const COUNTERS: Table<u64> = Table::new("counters");
    /// quote id → its number (`Q-000123`, SPEC §17). Quotes written before quote numbers
    /// have none; the `QuoteRecord` itself keeps its shape, so older stores open unchanged.
    pub const QUOTE_NUMBERS: Table<String> = Table::new("quote_numbers");
    /// quote number → quote id (search, and uniqueness of numbers).
    pub const QUOTES_BY_NUMBER: Table<String> = Table::new("quotes_by_number");
    /// Settings added after schema 3, one text per name, so that the bincode-encoded
    /// `SettingsRecord` keeps its shape: `"quote_number_prefix"` → `Q`.
    pub const SETTING_TEXTS: Table<String> = Table::new("setting_texts");
    pub const MATERIAL_STOCK: Table<StockRecord> = Table::new("material_stock");
    /// material id → how it is priced (SPEC §17); none means `by_area`.
    pub const MATERIAL_PRICING: Table<MaterialPricingRecord> = Table::new("material_pricing");
    /// quote id → the boards its panels take per material, written with the quote.
    pub const QUOTE_BOARDS: Table<QuoteBoardsRecord> = Table::new("quote_boards");
    /// quote id → the HQ catalog version it was priced on (SPEC §15), for quotes made in a
    /// chain.
    pub const QUOTE_CATALOG_VERSIONS: Table<u64> = Table::new("quote_catalog_versions");
    pub const EXPORTS: Table<ExportRecord> = Table::new("exports");
    pub const OFFCUTS: Table<OffcutRecord> = Table::new("offcuts");
    pub const OFFCUTS_BY_MATERIAL: Index = Index::new("offcuts_by_material");
    pub const PART_SCANS: Table<PartScansRecord> = Table::new("part_scans");
    /// `"{order_id}/{part code}/{station}"` → who recorded that station (operator, device).
    pub const PART_SCAN_ACTORS: Table<ScanActorsRecord> = Table::new("part_scan_actors");
    /// `"{owner_kind}/{owner_id}/{field}"` → the Hygraph media download for that field.
    pub const MEDIA_DOWNLOADS: Table<MediaDownloadRecord> = Table::new("media_downloads");
    pub const CUSTOMERS: Table<CustomerRecord> = Table::new("customers");
    /// Designs saved by the configurator, at their current version (SPEC §11).
    pub const SAVED_DESIGNS: Table<SavedDesignRecord> = Table::new("saved_designs");
    /// `"{design_id}/{version:010}"` → every version of a saved design, kept as written.
    pub const SAVED_DESIGN_VERSIONS: Table<SavedDesignRecord> = Table::new("saved_design_versions");
    /// customer id → ids of their saved designs.
    pub const SAVED_DESIGNS_BY_CUSTOMER: Index = Index::new("saved_designs_by_customer");
    /// customer id → ids of the quotes priced for them.
    pub const QUOTES_BY_CUSTOMER: Index = Index::new("quotes_by_customer");
    /// customer id → ids of their orders.
    pub const ORDERS_BY_CUSTOMER: Index = Index::new("orders_by_customer");

    pub(crate) const ALL_TABLES: &[&str] = &[
        "materials",
        "modules",
        "quotes",
        "settings",
        "orders",
        "quote_acceptances",
        "order_events",
        "design_requests",
        "design_versions",
        "design_assets",
        "payments",
        "ledger",
        "jobs",
        "sync_deliveries",
        "sync_entries",
        "sync_pending",
        "sync_log",
        "device_tokens",
        "orders_by_number",
        "ledger_by_provider_ref",
        "order_changes",
        "counters",
        "material_stock",
        "exports",
        "offcuts",
        "part_scans",
        "media_downloads",
        "customers",
        "saved_designs",
        "saved_design_versions",
        "quote_numbers",
        "quotes_by_number",
        "setting_texts",
        "part_scan_actors",
        "material_pricing",
        "quote_boards",
        "quote_catalog_versions",
    ];
    pub(crate) const ALL_INDEXES: &[&Index] = &[
        &MODULES_BY_MATERIAL,
        &ORDERS_BY_STATUS,
        &DESIGN_REQUESTS_BY_ORDER,
        &DESIGN_VERSIONS_BY_REQUEST,
        &DESIGN_ASSETS_BY_VERSION,
        &PAYMENTS_BY_ORDER,
        &JOBS_BY_STATUS,
        &MATERIALS_BY_HYGRAPH_ID,
        &MODULES_BY_HYGRAPH_ID,
        &ORDER_CHANGES_BY_ORDER,
        &OFFCUTS_BY_MATERIAL,
        &SAVED_DESIGNS_BY_CUSTOMER,
        &QUOTES_BY_CUSTOMER,
        &ORDERS_BY_CUSTOMER,
    ];
}

/// Creates every table so that readers never meet a missing one.
pub(crate) fn create_all(transaction: &WriteTransaction) -> Result<(), StoreError> {
    for name in tables_v3::ALL_TABLES
        .iter()
        .chain(crate::chain::CHAIN_TABLES)
    {
        let definition: TableDefinition<&str, &[u8]> = TableDefinition::new(name);
        transaction
            .open_table(definition)
            .map_err(StoreError::from_redb)?;
    }
    for index in tables_v3::ALL_INDEXES {
        transaction
            .open_multimap_table(index.definition())
            .map_err(StoreError::from_redb)?;
    }
    Ok(())
}
