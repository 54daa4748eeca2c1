//! Restore from HQ (SPEC §15): a site whose disk was lost rejoins and takes back everything
//! it owned, in `node_seq` order, one page per write transaction. Every entry returns to the
//! node log under its own number (so the site carries on after HQ's `held_seq` and never
//! reuses a number); customers become records again; each order's contract chain is checked
//! link by link (`receive_order_event`) and the order, its payments and its ledger are
//! rebuilt from it with core's `project`; a factory's production chains come back with the
//! scans they record. Designs, quotes and offcuts travel as their API views, which do not
//! carry every stored field: they are kept in the log (and at HQ) but not rebuilt here; a
//! quote's number stays taken.
//! A factory first pulls HQ's feed, so the orders its production chains belong to are there.

use std::collections::BTreeSet;

use paform_api::chain::{Entry, EntryKind, OrderEvent};
use paform_core::order::projection::ProjectionError;
use paform_store::WriteTx;
use paform_store::audit::{
    Received, payment_records, projected_record, receive_order_event, sequence_key,
};
use paform_store::chain::{OrderChain, chain_state, last_logged, restore_log_entry};
use paform_store::provider_ref_key;
use paform_store::records::chain::ChainNodeRecord;
use paform_store::records::showroom::CustomerRecord;
use paform_store::records::v3::LedgerEntryKind;
use paform_store::tables_v3::{
    CUSTOMERS, LEDGER, LEDGER_BY_PROVIDER_REF, ORDER_EVENTS, ORDERS, PAYMENTS, PAYMENTS_BY_ORDER,
    QUOTES_BY_NUMBER,
};

use super::client::HqClient;
use super::feed::{event_record, pull_feed};
use crate::dto::ChainRestore;
use crate::payments::ADJUSTMENT_REFERENCES;
use crate::{App, AppError};

pub(super) async fn restore(app: &App, node: &ChainNodeRecord) -> Result<ChainRestore, AppError> {
    let factory = node.role == "factory";
    let mut received_events = 0;
    if factory {
        received_events = pull_feed(app, node).await?;
    }
    let mut summary = take_back(app, node, 0).await?;
    if !factory {
        received_events = pull_feed(app, node).await?;
    }
    summary.received_events = received_events;
    Ok(summary)
}

/// A site restored from an old local backup holds less than HQ does: it takes back the
/// entries HQ holds after its own last one (SPEC §15); for a site whose log is whole HQ
/// answers an empty page. The number of entries taken back.
pub(super) async fn catch_up(app: &App, node: &ChainNodeRecord) -> Result<u64, AppError> {
    let local = app.store().read(last_logged)?;
    let taken = take_back(app, node, local).await?.entries;
    if taken > 0 {
        tracing::warn!(local, taken, "took back entries this site had lost from HQ");
    }
    Ok(taken)
}

/// Takes back every entry HQ holds for this node after `after`, page by page.
async fn take_back(
    app: &App,
    node: &ChainNodeRecord,
    mut after: u64,
) -> Result<ChainRestore, AppError> {
    let client = HqClient::new(&node.hq_url, &node.token, node.ca_pem.as_deref())?;
    let mut summary = ChainRestore::default();
    loop {
        let page = client.restore(after).await?;
        let Some(last) = page.entries.last() else {
            break;
        };
        after = last.node_seq;
        let counted = app
            .store()
            .write(move |tx| restore_page(tx, &page.entries))
            .await?;
        summary.entries += counted.entries;
        summary.customers += counted.customers;
        summary.orders += counted.orders;
        summary.kept_only_in_the_log += counted.kept_only_in_the_log;
    }
    summary.held_seq = app.store().read(chain_state)?.last_seq;
    Ok(summary)
}

fn unusable(entry: &Entry, detail: impl std::fmt::Display) -> AppError {
    AppError::Unavailable(format!(
        "HQ's copy of entry {} ({}) cannot be restored: {detail}",
        entry.node_seq,
        entry.kind.as_str()
    ))
}

fn restore_page(tx: &mut WriteTx, entries: &[Entry]) -> Result<ChainRestore, AppError> {
    let mut counted = ChainRestore::default();
    let mut orders = BTreeSet::new();
    for entry in entries {
        restore_log_entry(
            tx,
            entry.node_seq,
            entry.kind.as_str(),
            &entry.key,
            &entry.body,
        )?;
        counted.entries += 1;
        match entry.kind {
            EntryKind::Customer => {
                let record: CustomerRecord = serde_json::from_value(entry.body.clone())
                    .map_err(|error| unusable(entry, error))?;
                tx.insert(&CUSTOMERS, &record.id, &record)?;
                counted.customers += 1;
            }
            EntryKind::OrderEvent | EntryKind::ProductionEvent => {
                let event: OrderEvent = serde_json::from_value(entry.body.clone())
                    .map_err(|error| unusable(entry, error))?;
                let record = event_record(&event)?;
                let chain = match entry.kind {
                    EntryKind::OrderEvent => OrderChain::Contract,
                    _ => OrderChain::Production,
                };
                if receive_order_event(tx, chain, &record)? == Received::Stored {
                    match chain {
                        OrderChain::Contract => {
                            orders.insert(record.order_id);
                        }
                        OrderChain::Production => {
                            crate::production::record_received_scan(tx, &record)?
                        }
                    }
                }
            }
            EntryKind::Quote => {
                // The quote's number stays taken, so the site never hands it out again.
                if let Some(number) = entry.body.get("number").and_then(|n| n.as_str()) {
                    tx.insert(&QUOTES_BY_NUMBER, number, &entry.key)?;
                }
                counted.kept_only_in_the_log += 1;
            }
            EntryKind::Design | EntryKind::Offcut => {
                counted.kept_only_in_the_log += 1;
            }
        }
    }
    for order_id in &orders {
        if rebuild_order(tx, order_id)? {
            counted.orders += 1;
        }
    }
    Ok(counted)
}

/// Stores an order this site sold as its contract chain folds, with the payments and ledger
/// entries the chain records; `false` while the chain has not reached its `order_created`.
fn rebuild_order(tx: &mut WriteTx, order_id: &str) -> Result<bool, AppError> {
    let events = tx.scan_prefix(&ORDER_EVENTS, &format!("{order_id}/"))?;
    let record = match projected_record(&events) {
        Ok(record) => record,
        Err(ProjectionError::NotCreated) => return Ok(false),
        Err(error) => {
            return Err(AppError::Unavailable(format!(
                "the contract of order {order_id} from HQ does not fold: {error}"
            )));
        }
    };
    let previous = tx.get(&ORDERS, order_id)?;
    let created = previous.is_none();
    crate::orders::put_order(tx, &record, previous.as_ref())?;
    let (payments, ledger) = payment_records(&events)?;
    for payment in payments {
        tx.insert(&PAYMENTS, &payment.id, &payment)?;
        tx.index_insert(&PAYMENTS_BY_ORDER, order_id, &payment.id)?;
    }
    for entry in ledger {
        let key = sequence_key(order_id, entry.seq);
        let reference = match &entry.entry {
            LedgerEntryKind::Transaction {
                provider,
                provider_ref,
                ..
            } => Some(provider_ref_key(provider, provider_ref)),
            LedgerEntryKind::Adjustment { provider_ref, .. } => provider_ref
                .as_deref()
                .map(|text| provider_ref_key(ADJUSTMENT_REFERENCES, text)),
        };
        tx.insert(&LEDGER, &key, &entry)?;
        if let Some(reference) = reference {
            tx.insert(&LEDGER_BY_PROVIDER_REF, &reference, &key)?;
        }
    }
    Ok(created)
}
