//! Catalog sync from Hygraph (SPEC §7): `receive_hygraph_delivery` authenticates a webhook
//! delivery, applies it to the catalog at most once, and logs what became of it;
//! `list_sync_deliveries` reads that log back.
//!
//! Invariants:
//! - Nothing is applied without a configured secret and a signature verified over the raw
//!   body bytes (the core's `verify`, constant time).
//! - One accepted delivery is one store write: its catalog change, its `sync_deliveries`
//!   record (the idempotency key), its `sync_entries` revision and its log line commit
//!   together or not at all, so a delivery is never applied twice nor marked without being
//!   applied, also across restarts.
//! - Per entry, the catalog holds the effect of the greatest revision received (the core's
//!   `supersedes`); removals stay in `sync_entries` as tombstones, so a late publish never
//!   resurrects an entry.
//! - Every check that can refuse a delivery runs before its first write, as the store's
//!   group commit requires; after the first write only store failures can end the closure.
//! - Rejected deliveries are logged under their own log line and never enter
//!   `sync_deliveries`, so a later authentic delivery of the same body still applies.
//!
//! Two rules go beyond the core's ordering, and are documented in `docs/hygraph.md`:
//! a module whose material is not in the catalog waits in `sync_pending` and is applied in the
//! same transaction that publishes the material; a material removal is deferred while
//! modules still use it (a material in use is never deleted, SPEC §3), and completes when the
//! last of those modules leaves the catalog through the sync.
//!
//! Modules: `authentication` (signature first, then the body), `applying` (catalog changes
//! and waiting modules), `revisions` (entry revisions, idempotency records and the log).

use std::fmt;

use paform_core::webhook::{
    Content, Delivery, MAX_AGE_MS, MAX_FUTURE_MS, Operation, Typename, delivery_key,
};
use paform_store::WriteTx;
use paform_store::records::v3::SyncLogRecord;
use paform_store::tables_v3::{SYNC_DELIVERIES, SYNC_LOG};

use crate::catalog::{self};
use crate::convert;
use crate::dto::{ListQuery, Page, SyncDeliveriesQuery, SyncDelivery, SyncOutcome, SyncReceipt};
use crate::{App, AppError};

mod applying;
mod authentication;
mod revisions;

use applying::*;
use authentication::*;
use revisions::*;

/// The env variable holding the webhook secret; it wins over the `hygraph_secret` setting.
pub const HYGRAPH_SECRET_ENV: &str = "PAFORM_HYGRAPH_SECRET";

/// How many log lines are kept; older ones are dropped as new ones arrive, so rejected
/// requests from the network cannot grow the store without bound.
const MAX_LOG_LINES: u64 = 10_000;

/// The sync's configuration, read once when the app opens.
#[derive(Clone)]
pub struct SyncConfig {
    /// The webhook secret from the environment; when `None` the `hygraph_secret` setting is used.
    pub hygraph_secret: Option<String>,
    /// The oldest signature accepted, in milliseconds (SPEC §7: 5 minutes).
    pub max_age_ms: i64,
    /// The furthest in the future a signature may be, in milliseconds (SPEC §7: 1 minute).
    pub max_future_ms: i64,
}

impl Default for SyncConfig {
    fn default() -> SyncConfig {
        SyncConfig {
            hygraph_secret: None,
            max_age_ms: MAX_AGE_MS,
            max_future_ms: MAX_FUTURE_MS,
        }
    }
}

impl SyncConfig {
    /// The defaults plus `PAFORM_HYGRAPH_SECRET`, when it is set and not empty.
    pub fn from_env() -> SyncConfig {
        SyncConfig {
            hygraph_secret: std::env::var(HYGRAPH_SECRET_ENV)
                .ok()
                .filter(|secret| !secret.is_empty()),
            ..SyncConfig::default()
        }
    }
}

impl fmt::Debug for SyncConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The secret never reaches a log line.
        f.debug_struct("SyncConfig")
            .field("hygraph_secret_set", &self.hygraph_secret.is_some())
            .field("max_age_ms", &self.max_age_ms)
            .field("max_future_ms", &self.max_future_ms)
            .finish()
    }
}

impl App {
    /// Handles one webhook delivery: `signature` is the raw `gcms-signature` header, `body`
    /// the raw request body.
    ///
    /// Answers `Unavailable` without a secret, `Malformed` for an unreadable header or body,
    /// `Unauthorized` for a bad, stale or future signature, `Invalid` for published fields the
    /// catalog refuses, and otherwise a receipt saying what became of the delivery.
    pub async fn receive_hygraph_delivery(
        &self,
        signature: Option<&[u8]>,
        body: &[u8],
    ) -> Result<SyncReceipt, AppError> {
        let secret = self.hygraph_secret()?;
        let now = self.now();
        let delivery = match authenticate(self.sync_config(), &secret, signature, body, now) {
            Ok(delivery) => delivery,
            Err(rejection) => {
                let key = (!body.is_empty()).then(|| delivery_key(body));
                self.log_rejection(key, None, &rejection).await;
                return Err(rejection);
            }
        };
        // `verify` has checked that the body is UTF-8.
        let body_text = String::from_utf8_lossy(body).into_owned();
        let context = Context {
            app: self.clone(),
            at: convert::timestamp(now),
        };
        let to_apply = delivery.clone();
        let outcome = self
            .store()
            .write(move |tx| process(tx, &context, &to_apply, &body_text))
            .await;
        if let Err(rejection @ AppError::Invalid { .. }) = &outcome {
            let key = Some(delivery.key().to_owned());
            self.log_rejection(key, Some(&delivery), rejection).await;
        }
        outcome
    }

    /// The delivery log, newest first.
    pub fn list_sync_deliveries(
        &self,
        query: &SyncDeliveriesQuery,
    ) -> Result<Page<SyncDelivery>, AppError> {
        let paging = catalog::paging(&ListQuery {
            limit: query.limit,
            offset: query.offset,
            q: None,
        })?;
        self.store().read(|tx| {
            let total = tx.count(&SYNC_LOG)?;
            let mut items = Vec::new();
            let mut seen = 0usize;
            let mut corrupt = None;
            tx.scan(&SYNC_LOG, None, |line| {
                if seen >= paging.offset {
                    match log_line_dto(line) {
                        Ok(item) => items.push(item),
                        Err(error) => corrupt = Some(error),
                    }
                }
                seen += 1;
                items.len() < paging.limit && corrupt.is_none()
            })?;
            if let Some(error) = corrupt {
                return Err(error.into());
            }
            Ok(Page {
                items,
                total,
                limit: paging.limit as u64,
                offset: paging.offset as u64,
            })
        })
    }

    /// The secret in effect: the env's, else the settings'.
    fn hygraph_secret(&self) -> Result<String, AppError> {
        if let Some(secret) = &self.sync_config().hygraph_secret {
            return Ok(secret.clone());
        }
        self.settings_record()?.hygraph_secret.ok_or_else(|| {
            AppError::Unavailable(format!(
                "Hygraph sync is not configured: set {HYGRAPH_SECRET_ENV} or the hygraph_secret \
                 setting to the webhook's secret; nothing was applied"
            ))
        })
    }

    /// Logs a refused delivery. A failure to log is itself only logged: the client must still
    /// learn why its delivery was refused.
    async fn log_rejection(
        &self,
        delivery_key: Option<String>,
        delivery: Option<&Delivery>,
        rejection: &AppError,
    ) {
        let line = SyncLogRecord {
            seq: 0,
            received_at: convert::timestamp(self.now()),
            delivery_key,
            outcome: outcome_name(SyncOutcome::Rejected).to_owned(),
            operation: delivery.map(|d| d.operation().as_str().to_owned()),
            typename: delivery.map(|d| typename_text(d.typename()).to_owned()),
            entry_id: delivery.map(|d| d.id().as_str().to_owned()),
            reason: Some(rejection_reason(rejection)),
        };
        let written = self
            .store()
            .write(move |tx| append_log(tx, line).map_err(AppError::from))
            .await;
        if let Err(error) = written {
            tracing::warn!(%error, "cannot log a rejected Hygraph delivery");
        }
    }
}

/// What a write closure needs from outside: ids and the time of receipt.
struct Context {
    app: App,
    /// The receipt time, RFC 3339; also the catalog's `updated_at` for applied changes.
    at: String,
}

/// What became of one delivery, before it is recorded.
struct Decision {
    outcome: SyncOutcome,
    reason: Option<String>,
}

impl Decision {
    fn new(outcome: SyncOutcome, reason: impl Into<Option<String>>) -> Decision {
        Decision {
            outcome,
            reason: reason.into(),
        }
    }
}

/// The write closure of one accepted delivery.
fn process(
    tx: &mut WriteTx,
    context: &Context,
    delivery: &Delivery,
    body: &str,
) -> Result<SyncReceipt, AppError> {
    if let Some(first) = tx.get(&SYNC_DELIVERIES, delivery.key())? {
        let reason = format!(
            "first received at {} ({})",
            first.received_at, first.outcome
        );
        let decision = Decision::new(SyncOutcome::Duplicate, reason);
        append_log(tx, log_line(context, delivery, &decision))?;
        return Ok(receipt(delivery, decision, Vec::new()));
    }
    let mut released = Vec::new();
    let decision = decide(tx, context, delivery, body, &mut released)?;
    record(tx, context, delivery, &decision)?;
    Ok(receipt(delivery, decision, released))
}

fn receipt(delivery: &Delivery, decision: Decision, released: Vec<String>) -> SyncReceipt {
    SyncReceipt {
        status: decision.outcome,
        delivery_key: delivery.key().to_owned(),
        operation: delivery.operation().as_str().to_owned(),
        typename: typename_text(delivery.typename()).to_owned(),
        entry_id: delivery.id().as_str().to_owned(),
        reason: decision.reason,
        released,
    }
}

/// Decides and applies one delivery; refuses (before writing) a publish whose fields the
/// catalog does not accept.
fn decide(
    tx: &mut WriteTx,
    context: &Context,
    delivery: &Delivery,
    body: &str,
    released: &mut Vec<String>,
) -> Result<Decision, AppError> {
    if let Typename::Other(name) = delivery.typename() {
        let reason = format!("the model {name} is not synced");
        return Ok(Decision::new(SyncOutcome::Ignored, reason));
    }
    match (delivery.operation(), delivery.content()) {
        (Operation::Create | Operation::Update, _) => {
            let reason = "a draft change; it is applied when the entry is published".to_owned();
            Ok(Decision::new(SyncOutcome::Recorded, reason))
        }
        (Operation::Publish, Some(Content::Material(material))) => {
            publish_material(tx, context, delivery, material, released)
        }
        (Operation::Publish, Some(Content::Module(module))) => {
            publish_module(tx, context, delivery, module, body)
        }
        (Operation::Publish, None) => {
            // `parse_delivery` gives every Material and Module publish its content.
            let reason = "a publish without content".to_owned();
            Ok(Decision::new(SyncOutcome::Ignored, reason))
        }
        (Operation::Unpublish | Operation::Delete, _) => match delivery.typename() {
            Typename::Material => remove_material(tx, delivery),
            _ => remove_module(tx, delivery),
        },
    }
}

#[cfg(test)]
mod tests;
