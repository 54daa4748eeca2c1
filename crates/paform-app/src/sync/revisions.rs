//! Revisions and the log: the last applied revision of each entry (tombstones included), the
//! idempotency record of each delivery, and the delivery log, newest first.

use jiff::Timestamp;
use paform_core::webhook::{Delivery, EntryId, Operation, Revision, Typename, supersedes};
use paform_store::StoreError;
use paform_store::WriteTx;
use paform_store::records::v3::{
    SyncDeliveryRecord, SyncEntryRecord, SyncLogRecord, SyncRevisionRecord,
};
use paform_store::tables_v3::{SYNC_DELIVERIES, SYNC_ENTRIES, SYNC_LOG};

use crate::dto::{SyncDelivery, SyncOutcome};

use super::*;

/// Why the delivery must not replace the entry's stored revision, or `None` when it must.
pub(super) fn superseded(tx: &WriteTx, delivery: &Delivery) -> Result<Option<String>, StoreError> {
    let Some(entry) = tx.get(&SYNC_ENTRIES, delivery.id().as_str())? else {
        return Ok(None);
    };
    let stored = revision(&entry.revision, delivery.id())?;
    if supersedes(&delivery.revision(), &stored) {
        return Ok(None);
    }
    let at = entry
        .revision
        .updated_at
        .map(|at| format!(" of {at}"))
        .unwrap_or_default();
    Ok(Some(format!(
        "older than the {}{at} already applied",
        entry.revision.operation
    )))
}

pub(super) fn revision(
    stored: &SyncRevisionRecord,
    entry: &EntryId,
) -> Result<Revision, StoreError> {
    let corrupt = || StoreError::Corrupt {
        table: SYNC_ENTRIES.name(),
        key: entry.as_str().to_owned(),
    };
    let updated_at = match &stored.updated_at {
        Some(text) => Some(text.parse::<Timestamp>().map_err(|_| corrupt())?),
        None => None,
    };
    Ok(Revision {
        updated_at,
        version: stored.version,
        operation: Operation::parse(&stored.operation).ok_or_else(corrupt)?,
        delivery_key: stored.delivery_key.clone(),
    })
}

pub(super) fn set_entry(
    tx: &mut WriteTx,
    delivery: &Delivery,
    local_id: Option<String>,
    removed: bool,
) -> Result<(), StoreError> {
    let revision = delivery.revision();
    let entry = SyncEntryRecord {
        typename: typename_text(delivery.typename()).to_owned(),
        revision: SyncRevisionRecord {
            updated_at: revision.updated_at.map(|at| at.to_string()),
            version: revision.version,
            operation: revision.operation.as_str().to_owned(),
            delivery_key: revision.delivery_key,
        },
        local_id,
        removed,
    };
    tx.insert(&SYNC_ENTRIES, delivery.id().as_str(), &entry)
}

/// Marks the delivery as processed and logs it. A delivery that was pending keeps its first
/// receipt time.
pub(super) fn record(
    tx: &mut WriteTx,
    context: &Context,
    delivery: &Delivery,
    decision: &Decision,
) -> Result<(), StoreError> {
    let received_at = tx
        .get(&SYNC_DELIVERIES, delivery.key())?
        .map(|first| first.received_at)
        .unwrap_or_else(|| context.at.clone());
    let stored = SyncDeliveryRecord {
        outcome: outcome_name(decision.outcome).to_owned(),
        received_at,
        operation: delivery.operation().as_str().to_owned(),
        typename: typename_text(delivery.typename()).to_owned(),
        entry_id: delivery.id().as_str().to_owned(),
        reason: decision.reason.clone(),
    };
    tx.insert(&SYNC_DELIVERIES, delivery.key(), &stored)?;
    append_log(tx, log_line(context, delivery, decision))
}

pub(super) fn log_line(
    context: &Context,
    delivery: &Delivery,
    decision: &Decision,
) -> SyncLogRecord {
    SyncLogRecord {
        seq: 0,
        received_at: context.at.clone(),
        delivery_key: Some(delivery.key().to_owned()),
        outcome: outcome_name(decision.outcome).to_owned(),
        operation: Some(delivery.operation().as_str().to_owned()),
        typename: Some(typename_text(delivery.typename()).to_owned()),
        entry_id: Some(delivery.id().as_str().to_owned()),
        reason: decision.reason.clone(),
    }
}

/// Appends a log line under the next sequence number and drops the line `MAX_LOG_LINES`
/// before it. Keys count down, so a forward scan reads newest first.
pub(super) fn append_log(tx: &mut WriteTx, mut line: SyncLogRecord) -> Result<(), StoreError> {
    let mut newest = 0;
    tx.scan(&SYNC_LOG, None, |previous| {
        newest = previous.seq;
        false
    })?;
    line.seq = newest + 1;
    tx.insert(&SYNC_LOG, &log_key(line.seq), &line)?;
    if line.seq > MAX_LOG_LINES {
        tx.remove(&SYNC_LOG, &log_key(line.seq - MAX_LOG_LINES))?;
    }
    Ok(())
}

pub(super) fn log_key(seq: u64) -> String {
    format!("{:016x}", u64::MAX - seq)
}

pub(super) fn log_line_dto(line: SyncLogRecord) -> Result<SyncDelivery, StoreError> {
    let outcome = parse_outcome(&line.outcome).ok_or_else(|| StoreError::Corrupt {
        table: SYNC_LOG.name(),
        key: log_key(line.seq),
    })?;
    Ok(SyncDelivery {
        received_at: line.received_at,
        outcome,
        delivery_key: line.delivery_key,
        operation: line.operation,
        typename: line.typename,
        entry_id: line.entry_id,
        reason: line.reason,
    })
}

pub(super) const OUTCOMES: [(SyncOutcome, &str); 7] = [
    (SyncOutcome::Applied, "applied"),
    (SyncOutcome::Duplicate, "duplicate"),
    (SyncOutcome::Recorded, "recorded"),
    (SyncOutcome::Ignored, "ignored"),
    (SyncOutcome::Pending, "pending"),
    (SyncOutcome::Deferred, "deferred"),
    (SyncOutcome::Rejected, "rejected"),
];

pub(super) fn outcome_name(outcome: SyncOutcome) -> &'static str {
    OUTCOMES
        .iter()
        .find(|(candidate, _)| *candidate == outcome)
        .map(|(_, name)| *name)
        .unwrap_or("rejected")
}

pub(super) fn parse_outcome(name: &str) -> Option<SyncOutcome> {
    OUTCOMES
        .iter()
        .find(|(_, candidate)| *candidate == name)
        .map(|(outcome, _)| *outcome)
}

pub(super) fn typename_text(typename: &Typename) -> &str {
    match typename {
        Typename::Material => "Material",
        Typename::Module => "Module",
        Typename::Other(name) => name,
    }
}
