//! The site's node log (SPEC §15): every write a site owns appends one entry here in the same
//! write transaction, numbered `node_seq` 1, 2, 3, … without gaps. The number comes from
//! `chain_state.last_seq` read and bumped inside the transaction, and all writes run one after
//! another on the store's writer thread, so concurrent writes never share or skip a number; a
//! rolled-back write takes its entry and its number with it.
//!
//! Every install logs, a standalone one too: a standalone site that later joins HQ pushes its
//! whole history. The log is never pruned (HQ's copy is the backup; restore reads it back).

use serde_json::Value;

use crate::records::chain::{ChainNodeRecord, ChainStateRecord, NodeLogRecord};
use crate::records::v3::OrderEventRecord;
use crate::{ReadTx, StoreError, Table, WriteTx};

/// `{node_seq:020}` → log entry; key order is `node_seq` order.
pub const NODE_LOG: Table<NodeLogRecord> = Table::new("node_log");
/// `"state"` → where the log stands (last number handed out, last number HQ holds).
pub const CHAIN_STATE: Table<ChainStateRecord> = Table::new("chain_state");
/// `"node"` → the HQ this site joined; absent on a standalone install.
pub const CHAIN_NODE: Table<ChainNodeRecord> = Table::new("chain_node");

/// `"{order_id}/{seq:010}"` → a link of an order's production chain (SPEC §15): what a factory
/// records about an order another site sold (`part_scanned`, `production_complete`). The
/// factory writes it and logs it as a `production_event`; the showroom that sold the order
/// receives it from HQ's feed and shows it beside the contract.
pub const PRODUCTION_EVENTS: Table<OrderEventRecord> = Table::new("production_events");
/// `order_id` → the node that sold it, for orders this site received from HQ's feed (a
/// factory's work). Their contract chain is a copy this site never writes.
pub const RECEIVED_ORDERS: Table<String> = Table::new("received_orders");
/// `"feed"` → how far this site has applied HQ's feed (`FeedPage::next_cursor`).
pub const CHAIN_CURSORS: Table<u64> = Table::new("chain_cursors");
/// The key of the feed's cursor in `CHAIN_CURSORS`.
pub const FEED_CURSOR: &str = "feed";

/// The chain tables, created with every other table (they need no schema bump).
pub(crate) const CHAIN_TABLES: &[&str] = &[
    "node_log",
    "chain_state",
    "chain_node",
    "production_events",
    "received_orders",
    "chain_cursors",
];

/// The two chains of an order: its contract, written by the site that sold it, and its
/// production, written by the factory that makes it. Each has one writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderChain {
    Contract,
    Production,
}

impl OrderChain {
    /// The table that holds this chain's links.
    pub fn table(self) -> &'static Table<OrderEventRecord> {
        match self {
            OrderChain::Contract => &crate::tables::tables_v3::ORDER_EVENTS,
            OrderChain::Production => &PRODUCTION_EVENTS,
        }
    }

    /// The kind of node-log entry a link of this chain is pushed as.
    fn log_kind(self) -> &'static str {
        match self {
            OrderChain::Contract => "order_event",
            OrderChain::Production => "production_event",
        }
    }
}

/// The key of a log entry.
pub fn log_key(node_seq: u64) -> String {
    format!("{node_seq:020}")
}

/// The log's state in `tx` (zeros before the first entry).
pub fn chain_state(tx: &ReadTx) -> Result<ChainStateRecord, StoreError> {
    Ok(tx
        .get(&CHAIN_STATE, ChainStateRecord::KEY)?
        .unwrap_or_default())
}

fn chain_state_in(tx: &WriteTx) -> Result<ChainStateRecord, StoreError> {
    Ok(tx
        .get(&CHAIN_STATE, ChainStateRecord::KEY)?
        .unwrap_or_default())
}

/// Appends one entry to the node log inside `tx` and returns its `node_seq`.
pub fn append_log_entry(
    tx: &mut WriteTx,
    kind: &str,
    key: &str,
    body: &Value,
) -> Result<u64, StoreError> {
    let mut state = chain_state_in(tx)?;
    state.last_seq += 1;
    let record = NodeLogRecord {
        node_seq: state.last_seq,
        kind: kind.to_owned(),
        key: key.to_owned(),
        body: paform_core::order::audit::canonical_json(body),
    };
    tx.insert(&NODE_LOG, &log_key(record.node_seq), &record)?;
    tx.insert(&CHAIN_STATE, ChainStateRecord::KEY, &state)?;
    Ok(state.last_seq)
}

/// The highest `node_seq` this store's log holds (0 for none): below `held_seq` after a
/// restore from an old backup, when HQ holds entries the store lost.
pub fn last_logged(tx: &ReadTx) -> Result<u64, StoreError> {
    Ok(tx.last(&NODE_LOG)?.map_or(0, |entry| entry.node_seq))
}

/// Puts back an entry HQ held for this node under its own `node_seq` (a restore from HQ);
/// `last_seq` never falls below it, so the site carries on after it.
pub fn restore_log_entry(
    tx: &mut WriteTx,
    node_seq: u64,
    kind: &str,
    key: &str,
    body: &Value,
) -> Result<(), StoreError> {
    let record = NodeLogRecord {
        node_seq,
        kind: kind.to_owned(),
        key: key.to_owned(),
        body: paform_core::order::audit::canonical_json(body),
    };
    tx.insert(&NODE_LOG, &log_key(node_seq), &record)?;
    let mut state = chain_state_in(tx)?;
    state.last_seq = state.last_seq.max(node_seq);
    tx.insert(&CHAIN_STATE, ChainStateRecord::KEY, &state)?;
    Ok(())
}

/// Logs a new link of one of an order's chains (an `order_event` or a `production_event`).
/// The body is the event exactly as `GET /api/orders/{id}/events` carries it, hash included.
pub fn log_order_event(
    tx: &mut WriteTx,
    event: &OrderEventRecord,
    chain: OrderChain,
) -> Result<u64, StoreError> {
    let kind = chain.log_kind();
    let mut body = crate::audit::hashed_fields(event);
    if let Value::Object(fields) = &mut body {
        fields.insert("hash".into(), Value::String(event.hash.clone()));
    }
    let key = format!("{}/{}", event.order_id, event.seq);
    append_log_entry(tx, kind, &key, &body)
}

/// Up to `limit` entries after `after`, oldest first.
pub fn log_entries_after(
    tx: &ReadTx,
    after: u64,
    limit: usize,
) -> Result<Vec<NodeLogRecord>, StoreError> {
    let mut entries = Vec::new();
    tx.scan(&NODE_LOG, Some(&log_key(after + 1)), |entry| {
        entries.push(entry);
        entries.len() < limit
    })?;
    Ok(entries)
}

/// Records that HQ holds everything up to `held_seq` (and when, if it acknowledged a batch).
/// `last_seq` is raised to it too, so a site restored from an old backup never reuses a
/// number HQ already holds.
pub fn record_held(
    tx: &mut WriteTx,
    held_seq: u64,
    pushed_at: Option<String>,
) -> Result<ChainStateRecord, StoreError> {
    let mut state = chain_state_in(tx)?;
    state.held_seq = held_seq;
    state.last_seq = state.last_seq.max(held_seq);
    if pushed_at.is_some() {
        state.last_push_at = pushed_at;
    }
    tx.insert(&CHAIN_STATE, ChainStateRecord::KEY, &state)?;
    Ok(state)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::Store;

    #[tokio::test]
    async fn a_write_that_fails_after_logging_is_rolled_back_with_its_entry_and_number() {
        let store = Store::in_memory().expect("store");
        let failed = store
            .write(|tx| {
                append_log_entry(tx, "customer", "c-1", &json!({"id": "c-1"}))?;
                Err::<(), _>(StoreError::WriterStopped)
            })
            .await;
        assert!(failed.is_err());
        let (count, state) = store
            .read(|tx| Ok::<_, StoreError>((tx.count(&NODE_LOG)?, chain_state(tx)?)))
            .expect("reads");
        assert_eq!((count, state.last_seq), (0, 0));

        let seq = store
            .write(|tx| append_log_entry(tx, "customer", "c-2", &json!({"id": "c-2"})))
            .await
            .expect("logs");
        assert_eq!(seq, 1, "the rolled-back write used no number");
    }

    #[tokio::test]
    async fn hq_holding_more_than_the_site_raises_the_next_number_past_it() {
        let store = Store::in_memory().expect("store");
        store
            .write(|tx| record_held(tx, 40, None))
            .await
            .expect("records");
        let seq = store
            .write(|tx| append_log_entry(tx, "quote", "q-1", &json!({})))
            .await
            .expect("logs");
        assert_eq!(
            seq, 41,
            "a site restored from an old backup never reuses a number"
        );
        let entries = store
            .read(|tx| log_entries_after(tx, 40, 10))
            .expect("reads");
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].key, "q-1");
    }
}
