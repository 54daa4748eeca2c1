//! The push loop: sends the node log to HQ oldest first, in batches, until HQ holds all of it.
//!
//! - HQ's answer is the highest `node_seq` it holds; the site records it and goes on from
//!   there, so a lost reply only means the same batch again (a no-op at HQ).
//! - A 409 names the `node_seq` HQ expects: the site resends from there.
//! - A failure (HQ down, network gone) backs off exponentially with jitter, 1 s doubling to
//!   5 min; a refused token waits longer; no person is needed when the network comes back.
//! - The loop holds the app weakly between passes (like `media`'s downloader), and is woken
//!   by every commit that logs an entry.

use std::time::Duration;

use paform_api::chain::{Entry, EntryKind, PushBatch};
use paform_store::chain::{CHAIN_NODE, chain_state, log_entries_after, record_held};
use paform_store::records::chain::{ChainNodeRecord, NodeLogRecord};

use super::PushOutcome;
use super::client::{HqClient, PushError};
use crate::{App, AppError, WeakApp, convert};

/// Entries per batch.
pub(crate) const BATCH: usize = 500;
const FIRST_RETRY: Duration = Duration::from_secs(1);
const LAST_RETRY: Duration = Duration::from_secs(300);
/// How long an idle loop sleeps before checking again (a missed wake-up costs at most this).
const IDLE: Duration = Duration::from_secs(30);

/// What one pass ended with.
enum Pass {
    /// HQ holds the whole log (or the site is standalone).
    Done,
    Failed(PushError),
}

pub(super) fn spawn(weak: WeakApp) {
    tokio::spawn(async move {
        let mut failures: u32 = 0;
        loop {
            let Some(app) = weak.upgrade() else { return };
            // Before pushing: a site restored from an old backup first takes back what HQ
            // holds beyond its log, so it pushes nothing under a number HQ already holds.
            catch_up(&app).await;
            let outcome = pass(&app).await;
            pull(&app).await;
            let wait = match outcome {
                Ok(Pass::Done) => {
                    failures = 0;
                    IDLE
                }
                Ok(Pass::Failed(error)) => {
                    failures = failures.saturating_add(1);
                    let refused = matches!(error, PushError::Refused(_));
                    note_failure(&app, error);
                    if refused {
                        LAST_RETRY
                    } else {
                        backoff(failures)
                    }
                }
                Err(error) => {
                    failures = failures.saturating_add(1);
                    tracing::error!(%error, "the push loop cannot read the node log");
                    backoff(failures)
                }
            };
            let chain = app.chain.clone();
            drop(app);
            // A write during a backoff does not end it (the backoff is what spares a failing
            // HQ); a join does.
            if failures > 0 {
                let _ = tokio::time::timeout(wait, chain.joined.notified()).await;
            } else {
                let _ = tokio::time::timeout(wait, chain.wake.notified()).await;
            }
        }
    });
}

/// Takes back what HQ holds that this site lost (an old backup restored), if joined; a
/// failure is logged and retried next pass.
async fn catch_up(app: &App) {
    let node = app
        .store()
        .read(|tx| tx.get(&CHAIN_NODE, ChainNodeRecord::KEY));
    if let Ok(Some(node)) = node
        && let Err(error) = super::restore::catch_up(app, &node).await
    {
        tracing::warn!(%error, "taking back lost entries from HQ failed; retrying later");
    }
}

/// Pulls HQ's newer catalog versions and its feed, if joined; a failure is logged and
/// retried next pass.
async fn pull(app: &App) {
    let node = app
        .store()
        .read(|tx| tx.get(&CHAIN_NODE, ChainNodeRecord::KEY));
    let Ok(Some(node)) = node else { return };
    if let Err(error) = super::pull::pull_catalog(app, &node).await {
        tracing::warn!(%error, "the catalog pull from HQ failed; retrying later");
    }
    if let Err(error) = super::feed::pull_feed(app, &node).await {
        tracing::warn!(%error, "the feed pull from HQ failed; retrying later");
    }
}

/// 1 s doubling to 5 min, with up to a quarter of jitter either way.
fn backoff(failures: u32) -> Duration {
    let exponent = failures.saturating_sub(1).min(16);
    let base = FIRST_RETRY.saturating_mul(1u32 << exponent).min(LAST_RETRY);
    let mut random = [0u8; 2];
    let _ = getrandom::fill(&mut random);
    // -25 % … +25 %.
    let jitter = f64::from(u16::from_le_bytes(random)) / f64::from(u16::MAX) * 0.5 - 0.25;
    base.mul_f64(1.0 + jitter)
}

fn note_failure(app: &App, error: PushError) {
    let outcome = match error {
        PushError::Refused(reason) => PushOutcome::Refused(reason),
        PushError::Offline(reason) => PushOutcome::Offline(reason),
        PushError::Gap(expected) => {
            PushOutcome::Offline(format!("HQ kept asking for node_seq {expected}"))
        }
    };
    tracing::warn!(?outcome, "a push to HQ failed; retrying later");
    app.chain().set_outcome(outcome);
}

/// Pushes until HQ holds the whole log; the first failure ends the pass.
async fn pass(app: &App) -> Result<Pass, AppError> {
    let Some(node) = app
        .store()
        .read(|tx| tx.get(&CHAIN_NODE, ChainNodeRecord::KEY))?
    else {
        return Ok(Pass::Done);
    };
    let client = HqClient::new(&node.hq_url, &node.token, node.ca_pem.as_deref())?;
    // A run of gap answers that does not converge (HQ keeps naming another number) is a
    // failure, not a tight loop.
    let mut gaps = 0;
    loop {
        let entries = app.store().read(|tx| {
            let held = chain_state(tx)?.held_seq;
            Ok::<_, AppError>(log_entries_after(tx, held, BATCH)?)
        })?;
        let Some(last) = entries.last().map(|entry| entry.node_seq) else {
            app.chain().set_outcome(PushOutcome::Fine);
            return Ok(Pass::Done);
        };
        let batch = PushBatch {
            entries: entries.into_iter().map(entry).collect::<Result<_, _>>()?,
        };
        match client.push(&batch).await {
            Ok(reply) => {
                let pushed_at = convert::timestamp(app.now());
                let held_seq = reply.held_seq;
                app.store()
                    .write(move |tx| {
                        record_held(tx, held_seq, Some(pushed_at))?;
                        Ok::<_, AppError>(())
                    })
                    .await?;
                app.chain().set_outcome(PushOutcome::Fine);
                if reply.held_seq < last {
                    // HQ applied less than sent without a gap answer: go on from its number.
                    gaps += 1;
                }
            }
            Err(PushError::Gap(expected)) => {
                gaps += 1;
                let held_seq = expected.saturating_sub(1);
                app.store()
                    .write(move |tx| {
                        record_held(tx, held_seq, None)?;
                        Ok::<_, AppError>(())
                    })
                    .await?;
            }
            Err(error) => return Ok(Pass::Failed(error)),
        }
        if gaps > 8 {
            return Ok(Pass::Failed(PushError::Gap(
                app.store().read(chain_state)?.held_seq + 1,
            )));
        }
    }
}

/// Pushes the whole log now (`App::push_chain_now`): HQ's `held_seq`, or the failure.
pub(super) async fn push_all(app: &App) -> Result<u64, AppError> {
    match pass(app).await? {
        Pass::Done => Ok(app.store().read(chain_state)?.held_seq),
        Pass::Failed(error) => {
            let detail = match &error {
                PushError::Refused(reason) | PushError::Offline(reason) => reason.clone(),
                PushError::Gap(expected) => format!("HQ keeps asking for node_seq {expected}"),
            };
            note_failure(app, error);
            Err(AppError::Unavailable(detail))
        }
    }
}

/// A stored log entry on the wire.
fn entry(record: NodeLogRecord) -> Result<Entry, AppError> {
    let kind = match record.kind.as_str() {
        "customer" => EntryKind::Customer,
        "design" => EntryKind::Design,
        "quote" => EntryKind::Quote,
        "order_event" => EntryKind::OrderEvent,
        "production_event" => EntryKind::ProductionEvent,
        "offcut" => EntryKind::Offcut,
        other => {
            return Err(AppError::internal(anyhow::anyhow!(
                "node log entry {} has an unknown kind {other:?}",
                record.node_seq
            )));
        }
    };
    let body = serde_json::from_str(&record.body).map_err(|error| {
        AppError::internal(anyhow::Error::new(error).context(format!(
            "node log entry {} holds unreadable JSON",
            record.node_seq
        )))
    })?;
    Ok(Entry {
        node_seq: record.node_seq,
        kind,
        key: record.key,
        body,
    })
}
