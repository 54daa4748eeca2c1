//! The store on its own: schema versions, the upgrades of frozen files written by the schema-1,
//! schema-2 and schema-3 builds (`tests/fixtures/v1.redb`, `v2.redb`, `v3.redb`, see
//! migrations-doc/0002, 0003 and 0004; every upgraded order verifies and projects to itself),
//! the refusal of a newer schema, the rollback of a write that fails after writing, and the
//! commit hook that hears only committed writes.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use paform_core::order::audit;
use paform_store::records::v3::SettingsRecord;
use paform_store::tables_v3::{
    COUNTERS, DEVICE_TOKENS, LEDGER, LEDGER_BY_PROVIDER_REF, ORDER_CHANGES, ORDER_EVENTS, ORDERS,
    ORDERS_BY_NUMBER, QUOTES, SETTINGS,
};
use paform_store::{
    Change, ORDER_NUMBER_COUNTER, SCHEMA_VERSION, Store, StoreError, provider_ref_key,
};

const FIXTURE: &[u8] = include_bytes!("fixtures/v1.redb");
const FIXTURE_V2: &[u8] = include_bytes!("fixtures/v2.redb");
const FIXTURE_V3: &[u8] = include_bytes!("fixtures/v3.redb");
/// The ids the schema-2 build gave that fixture's records.
const V2_ORDER: &str = "01a22ae0-908a-71ae-8c7c-a8afdd95e5bb";
const V2_QUOTE: &str = "01a22ae0-907f-71dc-8263-b9d2a69b01af";
const V2_CHANGE_CONFIRMED: &str = "01a22ae0-9098-71a4-ae8c-d5c79eb00bdb";
const V2_CHANGE_PENDING: &str = "01a22ae0-90b0-7654-981b-c728619f7822";
const V2_TOKEN: &str = "01a22ae0-84e2-74da-bcd5-6b4a594fa115";
/// The ids the schema-1 build gave the fixture's records.
const ORDER_FULL: &str = "01a22a67-ffce-7312-add1-7b41f82b9fa1";
const ORDER_ORPHAN: &str = "01a22a68-0037-7123-a7f8-65bdd0063f3c";
const QUOTE_OPEN: &str = "01a22a68-0047-746e-a242-af1d99e7c881";

fn fixture_copy(fixture: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("paform.redb");
    std::fs::write(&path, fixture).expect("fixture copied");
    (dir, path)
}

/// The number of orders in a file that still records schema 1 (read with redb directly, since
/// `Store::open` would upgrade it).
fn schema_1_orders(path: &std::path::Path) -> u64 {
    use redb::ReadableTableMetadata;
    let database = redb::Database::open(path).expect("backup opens");
    let read = database.begin_read().expect("reads");
    let meta: redb::TableDefinition<&str, u64> = redb::TableDefinition::new("meta");
    let version = read
        .open_table(meta)
        .expect("meta")
        .get("schema_version")
        .expect("reads");
    assert_eq!(version.map(|guard| guard.value()), Some(1));
    let orders: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("orders");
    read.open_table(orders)
        .expect("orders")
        .len()
        .expect("counts")
}

#[test]
fn a_new_store_records_the_current_schema() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open(&dir.path().join("paform.redb")).expect("opens");
    assert_eq!(store.schema_version().expect("readable"), SCHEMA_VERSION);
    assert_eq!(SCHEMA_VERSION, 4);
}

#[test]
fn a_schema_1_store_is_kept_aside_and_upgraded_without_loss() {
    let (dir, path) = fixture_copy(FIXTURE);
    let store = Store::open(&path).expect("upgrades");
    assert_eq!(store.schema_version().expect("readable"), SCHEMA_VERSION);
    assert_eq!(
        schema_1_orders(&dir.path().join("paform.redb.v1.bak")),
        2,
        "the backup is the schema-1 store with both orders"
    );

    store
        .read(|tx| {
            let settings = tx.get(&SETTINGS, SettingsRecord::KEY)?.expect("settings");
            assert_eq!(settings.currency, "EUR");
            assert_eq!(settings.tax_rate, "0.2");
            assert_eq!(settings.order_number_prefix, "PF-");
            assert_eq!(settings.label_format, "a4_3x8");
            assert_eq!(tx.get(&COUNTERS, ORDER_NUMBER_COUNTER)?, Some(2));

            let full = tx.get(&ORDERS, ORDER_FULL)?.expect("order kept");
            assert_eq!(full.number, "PF-000001");
            assert_eq!(full.status, "production_ready");
            assert_eq!(full.total, "469.41");
            assert_eq!(full.tax_rate, "0.13");
            assert_eq!(full.line_items.len(), 2);
            assert_eq!(full.next_position, 3);
            for (index, line) in full.line_items.iter().enumerate() {
                assert_eq!(line.position, index as u32 + 1);
                let production = line.production.as_ref().expect("frozen from the catalog");
                assert!(!production.panels.is_empty());
            }
            assert_eq!(
                tx.get(&ORDERS_BY_NUMBER, "PF-000001")?.as_deref(),
                Some(ORDER_FULL)
            );

            let orphan = tx.get(&ORDERS, ORDER_ORPHAN)?.expect("order kept");
            assert_eq!(orphan.number, "PF-000002");
            assert_eq!(orphan.buyer.phone.as_deref(), Some("+1 555 0100"));
            assert!(
                orphan.line_items[0].production.is_none(),
                "its module had left the catalog before the upgrade"
            );

            let open_quote = tx.get(&QUOTES, QUOTE_OPEN)?.expect("quote kept");
            assert!(open_quote.lines[0].production.is_some());

            let ledger = tx.scan_prefix(&LEDGER, &format!("{ORDER_FULL}/"))?;
            assert_eq!(ledger.len(), 3, "authorization, capture, refund");
            assert!(tx.contains(&LEDGER_BY_PROVIDER_REF, &provider_ref_key("stripe", "ch_1"))?);

            let events = tx.scan_prefix(&ORDER_EVENTS, &format!("{ORDER_FULL}/"))?;
            let kinds: Vec<&str> = events.iter().map(|event| event.kind.as_str()).collect();
            assert_eq!(
                kinds,
                [
                    "status_changed",
                    "payment_created",
                    "transaction_recorded",
                    "transaction_recorded",
                    // Recorded in the same millisecond as the refund: schema 1 kept no
                    // finer order, and the upgrade puts status changes first on a tie.
                    "status_changed",
                    "adjustment_recorded",
                    "design_approved",
                    "status_changed",
                    // Appended by the schema 4 upgrade, after the history.
                    "order_created",
                ]
            );
            let links: Vec<_> = events.iter().map(paform_store::audit::link).collect();
            assert_eq!(audit::verify(&links), Ok(()));
            Ok::<_, StoreError>(())
        })
        .expect("reads");
    assert_eq!(every_order_verifies_and_projects(&store), 2);
}

#[test]
fn a_schema_2_store_is_kept_aside_and_upgraded_with_defaults_for_the_new_fields() {
    let (dir, path) = fixture_copy(FIXTURE_V2);
    let store = Store::open(&path).expect("upgrades");
    assert_eq!(store.schema_version().expect("readable"), SCHEMA_VERSION);
    assert!(dir.path().join("paform.redb.v2.bak").exists());
    store
        .read(|tx| {
            let settings = tx.get(&SETTINGS, SettingsRecord::KEY)?.expect("settings");
            assert_eq!(
                (settings.currency.as_str(), settings.tax_rate.as_str()),
                ("EUR", "0.2")
            );
            assert_eq!(settings.order_number_prefix, "KX-");
            assert_eq!(settings.business.name, "");
            assert_eq!(settings.label_format, "a4_3x8");
            assert_eq!(
                (settings.offcut_min_width_mm, settings.offcut_min_height_mm),
                (300, 300)
            );
            assert_eq!(
                (settings.backup_interval_hours, settings.backup_keep),
                (24, 14)
            );
            assert_eq!(settings.backup_folder, None);

            let order = tx.get(&ORDERS, V2_ORDER)?.expect("order kept");
            assert_eq!(order.number, "KX-000001");
            assert_eq!(order.customer_id, None);
            assert_eq!(order.buyer.name, "Ada Byron");
            assert_eq!(
                order.line_items[0].quantity, 3,
                "the confirmed change stays applied"
            );
            let quote = tx.get(&QUOTES, V2_QUOTE)?.expect("quote kept");
            assert_eq!(
                (quote.customer_id, quote.design_id, quote.design_version),
                (None, None, None)
            );
            let confirmed = tx.get(&ORDER_CHANGES, V2_CHANGE_CONFIRMED)?.expect("kept");
            assert_eq!(confirmed.status, "confirmed");
            let pending = tx.get(&ORDER_CHANGES, V2_CHANGE_PENDING)?.expect("kept");
            assert_eq!(pending.status, "requested");
            assert_eq!(pending.order_after.line_items[0].quantity, 1);
            assert_eq!(pending.order_after.id, V2_ORDER);

            let token = tx.get(&DEVICE_TOKENS, V2_TOKEN)?.expect("token kept");
            assert_eq!(
                (token.name.as_str(), token.role.as_str()),
                ("old-tablet", "admin")
            );

            let events = tx.scan_prefix(&ORDER_EVENTS, &format!("{V2_ORDER}/"))?;
            let links: Vec<_> = events.iter().map(paform_store::audit::link).collect();
            assert_eq!(audit::verify(&links), Ok(()));
            Ok::<_, StoreError>(())
        })
        .expect("reads");
    assert_eq!(every_order_verifies_and_projects(&store), 1);
}

/// Checks that every order's chain holds, ends in (or starts with) `order_created`, and folds
/// into exactly the stored order; the number of orders.
fn every_order_verifies_and_projects(store: &Store) -> u64 {
    store
        .read(|tx| {
            let mut orders = Vec::new();
            tx.scan(&ORDERS, None, |order| {
                orders.push(order);
                true
            })?;
            for order in &orders {
                let events = tx.scan_prefix(&ORDER_EVENTS, &format!("{}/", order.id))?;
                assert_eq!(
                    paform_store::audit::check_order(&events, order),
                    Ok(()),
                    "order {} does not verify or project",
                    order.number
                );
            }
            Ok::<_, StoreError>(orders.len() as u64)
        })
        .expect("reads")
}

/// Every table and index of a store file with its number of entries, read with redb itself.
fn entries_per_table(path: &std::path::Path) -> BTreeMap<String, u64> {
    use redb::{MultimapTableHandle, ReadableTableMetadata, TableHandle};
    let database = open_raw(path);
    let read = database.begin_read().expect("reads");
    let mut entries = BTreeMap::new();
    for handle in read.list_tables().expect("lists tables") {
        let table = read.open_untyped_table(handle.clone()).expect("opens");
        entries.insert(handle.name().to_owned(), table.len().expect("counts"));
    }
    for handle in read.list_multimap_tables().expect("lists indexes") {
        let table = read
            .open_untyped_multimap_table(handle.clone())
            .expect("opens");
        entries.insert(handle.name().to_owned(), table.len().expect("counts"));
    }
    entries
}

/// Every stored event of a store file as its raw bytes, by key.
fn raw_events(path: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    use redb::ReadableTable;
    let events: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("order_events");
    let database = open_raw(path);
    let read = database.begin_read().expect("reads");
    let table = read.open_table(events).expect("order_events");
    table
        .iter()
        .expect("iterates")
        .map(|entry| {
            let (key, value) = entry.expect("reads");
            (key.value().to_owned(), value.value().to_vec())
        })
        .collect()
}

#[test]
fn a_schema_3_store_gets_an_upgraded_order_created_per_order_and_loses_nothing() {
    let (dir, path) = fixture_copy(FIXTURE_V3);
    let before = entries_per_table(&path);
    let events_before = raw_events(&path);
    let orders = before["orders"];
    assert!(orders >= 4, "the fixture has orders: {before:?}");

    let started = std::time::Instant::now();
    let store = Store::open(&path).expect("upgrades");
    let upgraded_in = started.elapsed();
    assert_eq!(store.schema_version().expect("readable"), SCHEMA_VERSION);
    assert!(dir.path().join("paform.redb.v3.bak").exists());
    let started = std::time::Instant::now();
    assert_eq!(every_order_verifies_and_projects(&store), orders);
    let verified_in = started.elapsed();
    eprintln!(
        "v3 fixture: upgraded in {upgraded_in:?}, {orders} orders verified and projected in {verified_in:?}"
    );

    store
        .read(|tx| {
            let mut ids = Vec::new();
            tx.scan(&ORDERS, None, |order| {
                ids.push(order.id);
                true
            })?;
            for id in ids {
                let events = tx.scan_prefix(&ORDER_EVENTS, &format!("{id}/"))?;
                let last = events.last().expect("every order has its order_created");
                assert_eq!(last.kind, "order_created");
                let data: serde_json::Value = serde_json::from_str(&last.data).expect("JSON data");
                assert_eq!(data["upgraded"], true);
                assert_eq!(data["order"]["id"], id.as_str());
                assert_eq!(
                    events.iter().filter(|e| e.kind == "order_created").count(),
                    1
                );
            }
            Ok::<_, StoreError>(())
        })
        .expect("reads");
    drop(store);

    // Every table keeps every record; only order_events grows, by one event per order.
    let after = wait_for_entries(&path);
    for (table, count) in &before {
        let expected = if table == "order_events" {
            count + orders
        } else {
            *count
        };
        assert_eq!(after.get(table), Some(&expected), "table {table}");
    }
    // The node log (SPEC §15) holds every event of every order, so a site that joins later
    // pushes whole chains; the chain state counts them. Every other new table starts empty.
    for (table, count) in &after {
        let expected = match table.as_str() {
            _ if before.contains_key(table) => continue,
            "node_log" => after["order_events"],
            "chain_state" => 1,
            _ => 0,
        };
        assert_eq!(*count, expected, "new table {table}");
    }
    // The history every order had is kept byte for byte: the chain was not re-rooted.
    let events_after = raw_events(&path);
    for (key, bytes) in &events_before {
        assert_eq!(events_after.get(key), Some(bytes), "event {key}");
    }

    // Opening again changes nothing: the upgrade ran once.
    let store = Store::open(&path).expect("opens");
    assert_eq!(every_order_verifies_and_projects(&store), orders);
    drop(store);
    assert_eq!(wait_for_entries(&path), after);
}

/// `entries_per_table` once a store that was just dropped has released the file.
fn wait_for_entries(path: &std::path::Path) -> BTreeMap<String, u64> {
    for _ in 0..500 {
        if try_open_raw(path).is_ok() {
            return entries_per_table(path);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    entries_per_table(path)
}

/// Rewrites the stored order `id` through redb itself, bypassing the store, with `edit`.
fn edit_stored_order(
    path: &std::path::Path,
    id: &str,
    edit: impl FnOnce(&mut paform_store::records::v3::OrderRecord),
) {
    use redb::ReadableTable;
    let orders: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("orders");
    let database = open_raw(path);
    let write = database.begin_write().expect("writes");
    {
        let mut table = write.open_table(orders).expect("orders");
        let bytes = table
            .get(id)
            .expect("reads")
            .expect("stored")
            .value()
            .to_vec();
        let (mut order, _): (paform_store::records::v3::OrderRecord, usize) =
            bincode::serde::decode_from_slice(&bytes, bincode::config::standard())
                .expect("decodes");
        edit(&mut order);
        let bytes =
            bincode::serde::encode_to_vec(&order, bincode::config::standard()).expect("encodes");
        table.insert(id, bytes.as_slice()).expect("writes");
    }
    write.commit().expect("commits");
}

#[test]
fn a_stored_total_edited_through_redb_no_longer_equals_the_projection_of_its_events() {
    let (dir, path) = fixture_copy(FIXTURE_V3);
    let store = Store::open(&path).expect("upgrades");
    let order = store
        .read(|tx| {
            let mut first = None;
            tx.scan(&ORDERS, None, |order| {
                first = Some(order);
                false
            })?;
            Ok::<_, StoreError>(first.expect("an order"))
        })
        .expect("reads");
    drop(store);
    let _ = wait_for_entries(&path);
    edit_stored_order(&path, &order.id, |order| order.total = "0.01".into());
    let store = Store::open(&path).expect("opens");
    let events = store
        .read(|tx| tx.scan_prefix(&ORDER_EVENTS, &format!("{}/", order.id)))
        .expect("reads");
    let edited = store
        .read(|tx| tx.get(&ORDERS, &order.id))
        .expect("reads")
        .expect("kept");
    assert_eq!(
        paform_store::audit::check_order(&events, &edited),
        Err(paform_store::audit::OrderMismatch::Record {
            seq: events.len() as u64,
            fields: vec!["total".to_owned()],
        })
    );
    drop(dir);
}

#[test]
fn a_store_of_a_newer_schema_is_refused_naming_both_versions() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("paform.redb");
    {
        let database = redb::Database::create(&path).expect("creates");
        let write = database.begin_write().expect("writes");
        {
            let definition: redb::TableDefinition<&str, u64> = redb::TableDefinition::new("meta");
            let mut meta = write.open_table(definition).expect("opens");
            meta.insert("schema_version", 99).expect("inserts");
        }
        write.commit().expect("commits");
    }
    let error = Store::open(&path).err().expect("refused");
    let message = error.to_string();
    assert!(
        matches!(
            error,
            StoreError::NewerSchema {
                found: 99,
                supported: 4
            }
        ),
        "{message}"
    );
    assert!(message.contains("99") && message.contains('4'), "{message}");
}

#[tokio::test]
async fn a_write_that_fails_after_writing_leaves_nothing_behind() {
    let store = Store::in_memory().expect("opens");
    let result: Result<(), StoreError> = store
        .write(|tx| {
            tx.insert(&COUNTERS, "probe", &7)?;
            Err(StoreError::WriterStopped)
        })
        .await;
    assert!(result.is_err());
    let kept = store.read(|tx| tx.get(&COUNTERS, "probe")).expect("reads");
    assert_eq!(kept, None, "the failed write was rolled back");
    store
        .write(|tx| tx.insert(&COUNTERS, "probe", &8))
        .await
        .expect("later writes still commit");
    assert_eq!(
        store.read(|tx| tx.get(&COUNTERS, "probe")).expect("reads"),
        Some(8)
    );
}

#[tokio::test]
async fn the_commit_hook_hears_committed_changes_and_never_a_rolled_back_one() {
    let store = Store::in_memory().expect("opens");
    let heard: Arc<Mutex<Vec<Change>>> = Arc::default();
    let sink = Arc::clone(&heard);
    store.on_commit(move |changes| sink.lock().expect("lock").extend_from_slice(changes));
    let failed: Result<(), StoreError> = store
        .write(|tx| {
            tx.insert(&COUNTERS, "rolled-back", &1)?;
            Err(StoreError::WriterStopped)
        })
        .await;
    assert!(failed.is_err());
    store
        .write(|tx| tx.insert(&COUNTERS, "kept", &2))
        .await
        .expect("commits");
    assert_eq!(
        *heard.lock().expect("lock"),
        [Change {
            table: "counters",
            key: "kept".to_owned()
        }]
    );
}

/// The store file opened with redb itself, over the same file backend the store uses.
fn try_open_raw(path: &std::path::Path) -> Result<redb::Database, redb::DatabaseError> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|error| redb::DatabaseError::Storage(redb::StorageError::Io(error)))?;
    let backend = redb::backends::FileBackend::new(file)?;
    redb::Builder::new().create_with_backend(backend)
}

fn open_raw(path: &std::path::Path) -> redb::Database {
    try_open_raw(path).expect("the file opens")
}

/// The records every table holds after an upgrade from `before`: the same, except the tables
/// named in `grown` (which gain exactly that many) and new tables (empty unless named).
fn assert_counts_after_upgrade(
    before: &BTreeMap<String, u64>,
    after: &BTreeMap<String, u64>,
    grown: &[(&str, u64)],
) {
    for (table, count) in after {
        let gained = grown
            .iter()
            .find(|(name, _)| name == table)
            .map_or(0, |(_, gained)| *gained);
        let had = before.get(table).copied().unwrap_or(0);
        assert_eq!(
            *count,
            had + gained,
            "table {table}: {before:?} → {after:?}"
        );
    }
    for table in before.keys() {
        assert!(after.contains_key(table), "table {table} was dropped");
    }
}

#[test]
fn upgrading_schema_1_and_2_keeps_the_records_of_every_table() {
    // Schema 1: its two orders' histories are rechained (schema 2) to seven and one events,
    // each gets an `order_created` (schema 4), and the node log holds those ten events once;
    // schema 2 numbers both orders and indexes both provider references.
    let (_dir, path) = fixture_copy(FIXTURE);
    let before = entries_per_table(&path);
    drop(Store::open(&path).expect("upgrades"));
    let after = wait_for_entries(&path);
    assert_counts_after_upgrade(
        &before,
        &after,
        &[
            ("order_events", 7),
            ("node_log", 10),
            ("chain_state", 1),
            ("counters", 1),
            ("orders_by_number", 2),
            ("ledger_by_provider_ref", 2),
        ],
    );
    assert_eq!(
        after["node_log"], after["order_events"],
        "every event logged once"
    );
    // Schema 2: its one order gains its `order_created`; the log holds both events.
    let (_dir, path) = fixture_copy(FIXTURE_V2);
    let before = entries_per_table(&path);
    drop(Store::open(&path).expect("upgrades"));
    let after = wait_for_entries(&path);
    assert_counts_after_upgrade(
        &before,
        &after,
        &[("order_events", 1), ("node_log", 2), ("chain_state", 1)],
    );
    assert_eq!(
        after["node_log"], after["order_events"],
        "every event logged once"
    );
}
