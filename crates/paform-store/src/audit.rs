//! The order audit chain on disk (SPEC §10). `append_order_event` is the only way an event
//! enters `order_events`: it takes the order's last link, numbers the new event after it and
//! chains its hash (`paform_core::order::audit`), inside the caller's write transaction, so an
//! event lands together with the change it records or not at all.

use paform_core::order::audit::{self, GENESIS, Link};
use serde_json::{Value, json};

use crate::records::v3::{ActorRecord, OrderEventRecord};
use crate::tables::tables_v3::ORDER_EVENTS;
use crate::{StoreError, WriteTx};

/// `"{order_id}/{seq:010}"`, the key of an order's events and ledger entries.
pub fn sequence_key(order_id: &str, seq: u64) -> String {
    format!("{order_id}/{seq:010}")
}

/// What an event says, before it is numbered and chained.
pub struct NewEvent<'a> {
    pub order_id: &'a str,
    pub kind: &'a str,
    pub actor: Option<ActorRecord>,
    pub note: Option<String>,
    pub data: Value,
    pub at: &'a str,
}

/// The fields an event's hash covers: everything but `hash`.
pub fn hashed_fields(event: &OrderEventRecord) -> Value {
    let data: Value = serde_json::from_str(&event.data)
        .unwrap_or_else(|_| Value::String(format!("unreadable: {}", event.data)));
    json!({
        "order_id": event.order_id,
        "seq": event.seq,
        "kind": event.kind,
        "actor": event.actor.as_ref().map(|actor| json!({
            "id": actor.id, "name": actor.name, "role": actor.role,
        })),
        "note": event.note,
        "data": data,
        "at": event.at,
        "prev_hash": event.prev_hash,
    })
}

/// The core's view of a stored event.
pub fn link(event: &OrderEventRecord) -> Link {
    Link {
        seq: event.seq,
        event: hashed_fields(event),
        prev_hash: event.prev_hash.clone(),
        hash: event.hash.clone(),
    }
}

/// Appends `event` to its order's chain and returns the stored record.
pub fn append_order_event(
    tx: &mut WriteTx,
    event: NewEvent<'_>,
) -> Result<OrderEventRecord, StoreError> {
    let last = tx.last_with_prefix(&ORDER_EVENTS, &format!("{}/", event.order_id))?;
    let (seq, prev_hash) = match last {
        Some(last) => (last.seq + 1, last.hash),
        None => (1, GENESIS.to_owned()),
    };
    let mut record = OrderEventRecord {
        order_id: event.order_id.to_owned(),
        seq,
        kind: event.kind.to_owned(),
        actor: event.actor,
        note: event.note,
        data: audit::canonical_json(&event.data),
        at: event.at.to_owned(),
        prev_hash,
        hash: String::new(),
    };
    record.hash = audit::link_hash(&record.prev_hash, &hashed_fields(&record));
    tx.insert(&ORDER_EVENTS, &sequence_key(&record.order_id, seq), &record)?;
    crate::chain::log_order_event(tx, &record)?;
    Ok(record)
}

/// The facts of a status change.
pub fn status_data(from: &str, to: &str) -> Value {
    json!({"from": from, "to": to})
}

/// The facts of a new payment.
pub fn payment_data(payment: &crate::records::v3::PaymentRecord) -> Value {
    json!({
        "payment_id": payment.id,
        "kind": payment.kind,
        "amount": payment.amount,
        "currency": payment.currency,
    })
}

/// The facts of a ledger entry, and the event kind that records it.
pub fn ledger_data(entry: &crate::records::v3::LedgerEntryRecord) -> (&'static str, Value) {
    use crate::records::v3::LedgerEntryKind;
    match &entry.entry {
        LedgerEntryKind::Transaction {
            kind,
            status,
            provider,
            provider_ref,
        } => (
            "transaction_recorded",
            json!({
                "payment_id": entry.payment_id,
                "entry_id": entry.id,
                "type": kind,
                "status": status,
                "amount": entry.amount,
                "provider": provider,
                "provider_ref": provider_ref,
            }),
        ),
        LedgerEntryKind::Adjustment {
            kind,
            reason,
            provider_ref,
        } => (
            "adjustment_recorded",
            json!({
                "payment_id": entry.payment_id,
                "entry_id": entry.id,
                "type": kind,
                "amount": entry.amount,
                "reason": reason,
                "provider_ref": provider_ref,
            }),
        ),
    }
}

/// The facts of a design approval.
pub fn approval_data(version: &crate::records::v3::DesignVersionRecord) -> Value {
    json!({
        "request_id": version.request_id,
        "version_id": version.id,
        "number": version.number,
    })
}
