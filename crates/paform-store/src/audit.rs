//! The order audit chain on disk (SPEC §10, §15). `append_order_event` is the only way an
//! event enters `order_events`: it takes the order's last link, numbers the new event after it
//! and chains its hash (`paform_core::order::audit`), inside the caller's write transaction, so
//! an event lands together with the change it records or not at all.
//!
//! The facts each kind carries are built here (`order_created_data`, `change_data`, …), in the
//! form `paform_core::order::projection` folds back into the order; `check_order` is the one
//! comparison of a stored order with its chain, used by `audit verify` (`docs/audit-chain.md`).

use paform_core::order::audit::{self, GENESIS, Link};
use paform_core::order::projection::{self, ORDER_CREATED, ProjectionError};
use serde_json::{Map, Value, json};

use crate::chain::{OrderChain, RECEIVED_ORDERS};
use crate::records::v3::{ActorRecord, DesignAssetRecord, OrderEventRecord, OrderRecord};
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

/// Appends `event` to its order's chain and returns the stored record: the contract chain of
/// an order this site sold, or the production chain of one it received from HQ (which takes
/// only production kinds; anything else is `NotOwned`, as the chain has another writer).
pub fn append_order_event(
    tx: &mut WriteTx,
    event: NewEvent<'_>,
) -> Result<OrderEventRecord, StoreError> {
    let chain = match tx.get(&RECEIVED_ORDERS, event.order_id)? {
        None => OrderChain::Contract,
        Some(_) if projection::PRODUCTION_KINDS.contains(&event.kind) => OrderChain::Production,
        Some(seller) => {
            return Err(StoreError::NotOwned {
                order_id: event.order_id.to_owned(),
                seller,
            });
        }
    };
    let table = chain.table();
    let last = tx.last_with_prefix(table, &format!("{}/", event.order_id))?;
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
    tx.insert(table, &sequence_key(&record.order_id, seq), &record)?;
    crate::chain::log_order_event(tx, &record, chain)?;
    Ok(record)
}

/// Whether a received link was new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// It continued the chain and was stored.
    Stored,
    /// This site already held it, hash for hash.
    Held,
}

/// Stores a link of `chain` that another site wrote (HQ's feed): it must match its own hash
/// and continue the chain this site holds; the same link again is `Held`. It is not logged,
/// since this site does not own it.
pub fn receive_order_event(
    tx: &mut WriteTx,
    chain: OrderChain,
    record: &OrderEventRecord,
) -> Result<Received, StoreError> {
    let name = format!("{}/{}", record.order_id, record.seq);
    if audit::link_hash(&record.prev_hash, &hashed_fields(record)) != record.hash {
        return Err(StoreError::ForeignLink(format!(
            "event {name} from HQ does not match its hash"
        )));
    }
    let table = chain.table();
    let key = sequence_key(&record.order_id, record.seq);
    if let Some(held) = tx.get(table, &key)? {
        return if held.hash == record.hash {
            Ok(Received::Held)
        } else {
            Err(StoreError::ForeignLink(format!(
                "event {name} from HQ differs from the one this site holds"
            )))
        };
    }
    let (next, head) = match tx.last_with_prefix(table, &format!("{}/", record.order_id))? {
        Some(last) => (last.seq + 1, last.hash),
        None => (1, GENESIS.to_owned()),
    };
    if record.seq != next || record.prev_hash != head {
        return Err(StoreError::ForeignLink(format!(
            "event {name} from HQ does not continue the chain here (expected seq {next})"
        )));
    }
    tx.insert(table, &key, record)?;
    Ok(Received::Stored)
}

/// The stored record of the order `events` (oldest first) fold into.
pub fn projected_record(events: &[OrderEventRecord]) -> Result<OrderRecord, ProjectionError> {
    let order = project_events(events)?;
    let head = events.last().map_or(1, |event| event.seq);
    serde_json::from_value(Value::Object(order.record)).map_err(|error| ProjectionError::Event {
        seq: head,
        problem: format!("the projected order is not a stored order: {error}"),
    })
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

/// The facts of a design approval, with the SHA-256 of every asset of the approved version.
pub fn approval_data_with_assets(
    version: &crate::records::v3::DesignVersionRecord,
    assets: &[DesignAssetRecord],
) -> Value {
    let mut data = approval_data(version);
    data["assets"] = Value::Array(
        assets
            .iter()
            .map(|asset| json!({"asset_id": asset.id, "sha256": asset.sha256}))
            .collect(),
    );
    data
}

/// The order record as the chain carries it: exactly its stored fields, as JSON.
pub fn order_value(order: &OrderRecord) -> Result<Map<String, Value>, crate::StoreError> {
    match serde_json::to_value(order) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(crate::StoreError::Corrupt {
            table: ORDER_EVENTS.name(),
            key: order.id.clone(),
        }),
    }
}

/// The facts of `order_created`: the whole order as accepted (or, for `upgraded`, as the
/// schema 4 upgrade found it) and the quote it came from.
pub fn order_created_data(order: &OrderRecord, upgraded: bool) -> Result<Value, crate::StoreError> {
    let mut data = json!({
        "order": Value::Object(order_value(order)?),
        "quote_id": order.quote_id,
    });
    if upgraded {
        data["upgraded"] = Value::Bool(true);
        data["upgraded_from_schema"] = json!(3);
    }
    Ok(data)
}

/// The facts of a confirmed change: the actions applied, its totals, and every field of the
/// order it replaced (`changed`), as `before` and `after` differ (status, version and
/// `updated_at` are the event's own doing and are left out).
pub fn change_data(
    change: &crate::records::v3::OrderChangeRecord,
    before: &OrderRecord,
    after: &OrderRecord,
) -> Result<Value, crate::StoreError> {
    let before = order_value(before)?;
    let changed: Map<String, Value> = order_value(after)?
        .into_iter()
        .filter(|(key, value)| {
            !matches!(key.as_str(), "status" | "version" | "updated_at")
                && before.get(key) != Some(value)
        })
        .collect();
    let actions: Value = serde_json::from_str(&change.actions)
        .unwrap_or_else(|_| Value::String(change.actions.clone()));
    Ok(json!({
        "change_id": change.id,
        "actions": actions,
        "totals_before": change.totals_before.total,
        "totals_after": change.totals_after.total,
        "totals": {
            "subtotal": change.totals_after.subtotal,
            "discount": change.totals_after.discount,
            "shipping": change.totals_after.shipping,
            "tax": change.totals_after.tax,
            "total": change.totals_after.total,
        },
        "price_delta": change.price_delta,
        "changed": changed,
    }))
}

/// Why a stored order does not match its chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderMismatch {
    /// The link at `seq` does not hold.
    Chain { seq: u64 },
    /// The links hold but the event at `seq` does not fold.
    Projection { seq: u64, detail: String },
    /// The stored order differs from the projection in `fields`; `seq` is the chain's head.
    Record { seq: u64, fields: Vec<String> },
}

/// Checks one order: its chain links, then the projection of its events against `stored`.
pub fn check_order(events: &[OrderEventRecord], stored: &OrderRecord) -> Result<(), OrderMismatch> {
    let links: Vec<Link> = events.iter().map(link).collect();
    audit::verify(&links).map_err(|seq| OrderMismatch::Chain { seq })?;
    let hashed: Vec<Value> = links.into_iter().map(|link| link.event).collect();
    let order = projection::project(&hashed).map_err(|error| OrderMismatch::Projection {
        seq: error.seq(),
        detail: error.to_string(),
    })?;
    let stored = order_value(stored).map_err(|_| OrderMismatch::Record {
        seq: events.last().map_or(0, |event| event.seq),
        fields: vec!["*".into()],
    })?;
    let fields = order.differing_fields(&stored);
    if fields.is_empty() {
        Ok(())
    } else {
        Err(OrderMismatch::Record {
            seq: events.last().map_or(0, |event| event.seq),
            fields,
        })
    }
}

/// Whether an order's chain already has its `order_created` event.
pub fn has_order_created(events: &[OrderEventRecord]) -> bool {
    events.iter().any(|event| event.kind == ORDER_CREATED)
}

/// The projection error of a chain, for callers that fold without a stored record.
pub fn project_events(events: &[OrderEventRecord]) -> Result<projection::Order, ProjectionError> {
    let hashed: Vec<Value> = events.iter().map(hashed_fields).collect();
    projection::project(&hashed)
}

/// The payments and ledger entries an order's contract chain records (`payment_created`,
/// `transaction_recorded`, `adjustment_recorded`): the inverse of `payment_data` and
/// `ledger_data`, for a site rebuilt from its chain (a restore from HQ).
pub fn payment_records(
    events: &[OrderEventRecord],
) -> Result<
    (
        Vec<crate::records::v3::PaymentRecord>,
        Vec<crate::records::v3::LedgerEntryRecord>,
    ),
    StoreError,
> {
    use crate::records::v3::{LedgerEntryKind, LedgerEntryRecord, PaymentRecord};
    let mut payments = Vec::new();
    let mut ledger = Vec::new();
    for event in events {
        let corrupt = || StoreError::Corrupt {
            table: ORDER_EVENTS.name(),
            key: sequence_key(&event.order_id, event.seq),
        };
        let data: Value = serde_json::from_str(&event.data).map_err(|_| corrupt())?;
        let text = |field: &str| data.get(field).and_then(Value::as_str).map(str::to_owned);
        let required = |field: &str| text(field).ok_or_else(corrupt);
        let entry = match event.kind.as_str() {
            "payment_created" => {
                payments.push(PaymentRecord {
                    id: required("payment_id")?,
                    order_id: event.order_id.clone(),
                    kind: required("kind")?,
                    amount: required("amount")?,
                    currency: required("currency")?,
                    created_at: event.at.clone(),
                });
                continue;
            }
            "transaction_recorded" => LedgerEntryKind::Transaction {
                kind: required("type")?,
                status: required("status")?,
                provider: required("provider")?,
                provider_ref: required("provider_ref")?,
            },
            "adjustment_recorded" => LedgerEntryKind::Adjustment {
                kind: required("type")?,
                reason: required("reason")?,
                provider_ref: text("provider_ref"),
            },
            _ => continue,
        };
        ledger.push(LedgerEntryRecord {
            id: required("entry_id")?,
            order_id: event.order_id.clone(),
            payment_id: required("payment_id")?,
            seq: ledger.len() as u64 + 1,
            entry,
            amount: required("amount")?,
            at: event.at.clone(),
        });
    }
    Ok((payments, ledger))
}
