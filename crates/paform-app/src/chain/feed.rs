//! HQ's feed (SPEC §15 "Pull"): a factory receives the contract of every order that reached
//! `production_ready` anywhere in the chain, link by link, and keeps a copy it never writes
//! (its own events for such an order go to the order's production chain, see
//! `paform_store::audit::append_order_event`); a showroom receives the production chains of
//! the orders it sold and shows them beside the contract.
//!
//! Each page is applied in one write transaction together with the cursor, so a page is
//! taken whole or not at all; a link already held is skipped, so pulling again is harmless;
//! a link that does not match its hash or does not continue what this site holds stops the
//! pull there (the status shows why) and changes nothing.

use std::collections::BTreeSet;

use paform_api::chain::{EntryKind, FeedPage, OrderEvent};
use paform_core::order::projection::ProjectionError;
use paform_store::WriteTx;
use paform_store::audit::{Received, projected_record, receive_order_event};
use paform_store::chain::{CHAIN_CURSORS, FEED_CURSOR, OrderChain, RECEIVED_ORDERS};
use paform_store::records::chain::ChainNodeRecord;
use paform_store::records::v3::{ActorRecord, OrderEventRecord};
use paform_store::tables_v3::{ORDER_EVENTS, ORDERS};

use super::client::HqClient;
use crate::{App, AppError};

/// Pulls and applies HQ's feed from where this site left it; the number of links stored.
pub(super) async fn pull_feed(app: &App, node: &ChainNodeRecord) -> Result<usize, AppError> {
    let client = HqClient::new(&node.hq_url, &node.token, node.ca_pem.as_deref())?;
    let mut stored = 0;
    loop {
        let after = app
            .store()
            .read(|tx| tx.get(&CHAIN_CURSORS, FEED_CURSOR))?
            .unwrap_or(0);
        let page = client.feed(after).await?;
        if page.events.is_empty() || page.next_cursor <= after {
            return Ok(stored);
        }
        let own_node = node.node_id.clone();
        stored += app
            .store()
            .write(move |tx| apply_page(tx, &own_node, &page))
            .await?;
    }
}

fn unusable(detail: String) -> AppError {
    AppError::Unavailable(format!("HQ's feed: {detail}"))
}

/// The stored form of a fed link (its hash is checked when it is received).
pub(super) fn event_record(event: &OrderEvent) -> Result<OrderEventRecord, AppError> {
    let actor = event
        .actor
        .clone()
        .filter(|actor| !actor.is_null())
        .map(serde_json::from_value::<ActorRecord>)
        .transpose()
        .map_err(|error| {
            unusable(format!(
                "event {}/{} has an unreadable actor: {error}",
                event.order_id, event.seq
            ))
        })?;
    Ok(OrderEventRecord {
        order_id: event.order_id.clone(),
        seq: event.seq,
        kind: event.kind.clone(),
        actor,
        note: event.note.clone(),
        data: paform_core::order::audit::canonical_json(&event.data),
        at: event.at.clone(),
        prev_hash: event.prev_hash.clone(),
        hash: event.hash.clone(),
    })
}

fn apply_page(tx: &mut WriteTx, own_node: &str, page: &FeedPage) -> Result<usize, AppError> {
    let mut stored = 0;
    let mut received_orders = BTreeSet::new();
    for fed in &page.events {
        // A factory that sold an order itself gets its own links back: it holds them.
        if fed.node_id == own_node {
            continue;
        }
        let record = event_record(&fed.event)?;
        let chain = match fed.kind {
            EntryKind::OrderEvent => OrderChain::Contract,
            EntryKind::ProductionEvent => {
                if !tx.contains(&ORDERS, &record.order_id)? {
                    return Err(unusable(format!(
                        "production of order {}, which this site does not hold",
                        record.order_id
                    )));
                }
                OrderChain::Production
            }
            other => {
                return Err(unusable(format!("it carries a {} entry", other.as_str())));
            }
        };
        if receive_order_event(tx, chain, &record)? == Received::Held {
            continue;
        }
        stored += 1;
        match chain {
            OrderChain::Contract => {
                tx.insert(&RECEIVED_ORDERS, &record.order_id, &fed.node_id)?;
                received_orders.insert(record.order_id);
            }
            OrderChain::Production => crate::production::record_received_scan(tx, &record)?,
        }
    }
    for order_id in &received_orders {
        store_projection(tx, order_id)?;
    }
    tx.insert(&CHAIN_CURSORS, FEED_CURSOR, &page.next_cursor)?;
    Ok(stored)
}

/// Stores a received order as its contract chain folds (`paform_core::order::projection`).
fn store_projection(tx: &mut WriteTx, order_id: &str) -> Result<(), AppError> {
    let events = tx.scan_prefix(&ORDER_EVENTS, &format!("{order_id}/"))?;
    let record = match projected_record(&events) {
        Ok(record) => record,
        // An order older than schema 4 sends its history before its (upgraded) order_created.
        Err(ProjectionError::NotCreated) => return Ok(()),
        Err(error) => {
            return Err(unusable(format!(
                "the contract of order {order_id} does not fold: {error}"
            )));
        }
    };
    let previous = tx.get(&ORDERS, order_id)?;
    crate::orders::put_order(tx, &record, previous.as_ref())
}
