//! The site side of the chain (SPEC §15): joining HQ, the node log every owned write appends
//! to (in the same transaction), the push loop that sends it to HQ, and the status the shell
//! shows.
//!
//! Invariants:
//! - An owned write (customer, design, quote, order event, offcut) logs exactly one entry in
//!   its own write transaction (`log`); the store numbers it (`paform_store::chain`).
//! - Every install logs, standalone too, so a site that joins later pushes its history.
//! - The node token is stored with the chain settings and only ever sent to HQ.
//! - Pushing is ordered by `node_seq`, never by a clock.

mod audit;
mod client;
mod feed;
mod pull;
mod push;
mod restore;

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use paform_api::chain::{EntryKind, JoinRequest};
use paform_store::WriteTx;
use paform_store::chain::{CHAIN_NODE, chain_state, record_held};
use paform_store::records::chain::ChainNodeRecord;
use paform_store::records::v3::SettingsRecord;
use paform_store::tables_v3::SETTINGS;
use serde::Serialize;
use tokio::sync::Notify;

use crate::dto::{ChainJoin, ChainPull, ChainRestore, ChainRole, ChainState, ChainStatus};
use crate::{App, AppError, convert};

pub(crate) use client::HqClient;

/// The push loop's live state, shared by the app and the loop.
#[derive(Default)]
pub(crate) struct ChainRuntime {
    /// Woken by every commit that logged an entry, and by a join.
    pub(crate) wake: Notify,
    /// Woken by a join: it ends a backoff (a new token or HQ deserves a try at once).
    pub(crate) joined: Notify,
    /// Whether the push loop runs.
    started: AtomicBool,
    /// What the last push attempt met.
    outcome: Mutex<PushOutcome>,
}

/// What the last push attempt met.
#[derive(Debug, Clone, Default)]
pub(crate) enum PushOutcome {
    /// Nothing tried yet, or the last batch was acknowledged.
    #[default]
    Fine,
    /// HQ could not be reached or failed.
    Offline(String),
    /// HQ refused the node token.
    Refused(String),
}

impl ChainRuntime {
    pub(crate) fn set_outcome(&self, outcome: PushOutcome) {
        *self
            .outcome
            .lock()
            .unwrap_or_else(|poison| poison.into_inner()) = outcome;
    }

    fn outcome(&self) -> PushOutcome {
        self.outcome
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .clone()
    }
}

/// Appends the entry of an owned write to the node log inside `tx`.
pub(crate) fn log(
    tx: &mut WriteTx,
    kind: EntryKind,
    key: &str,
    body: &impl Serialize,
) -> Result<(), AppError> {
    let body = serde_json::to_value(body)
        .map_err(|error| AppError::internal(anyhow::Error::new(error)))?;
    paform_store::chain::append_log_entry(tx, kind.as_str(), key, &body)?;
    Ok(())
}

/// In a chain HQ owns the catalog: a site's own catalog edit is a 409 naming HQ.
pub(crate) fn refuse_catalog_edit(tx: &WriteTx) -> Result<(), AppError> {
    match tx.get(&CHAIN_NODE, ChainNodeRecord::KEY)? {
        Some(node) => Err(AppError::Conflict(format!(
            "this site is part of a chain, whose catalog belongs to HQ ({}): change it at HQ, \
             and this site receives it",
            node.hq_url
        ))),
        None => Ok(()),
    }
}

/// The order-number prefix as HQ registers it: `LDS` for `LDS-`.
fn registered_prefix(settings: &SettingsRecord) -> String {
    settings
        .order_number_prefix
        .trim_end_matches(['-', '_', '/', ' '])
        .to_owned()
}

impl App {
    /// Joins HQ: checks the URL, asks HQ (which answers the node's id, name and role) and
    /// stores the chain settings; the push loop then sends the log. A prefix another node
    /// holds is a 409.
    pub async fn join_chain(&self, input: ChainJoin) -> Result<ChainStatus, AppError> {
        let settings = self
            .store()
            .read(|tx| tx.get(&SETTINGS, SettingsRecord::KEY))?
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("the settings record is missing")))?;
        // A site that has numbered nothing yet takes the prefix HQ may hold for it.
        let numbered = self.store().read(|tx| {
            Ok::<_, AppError>(
                tx.count(&paform_store::tables_v3::ORDERS)?
                    + tx.count(&paform_store::tables_v3::QUOTES)?,
            )
        })?;
        self.join_with(input, Some(registered_prefix(&settings)), numbered == 0)
            .await?;
        self.start_chain_push();
        self.chain_status()
    }

    /// Asks HQ to (re)join with `prefix` (`None`: the one HQ holds for the node, which the
    /// site then takes for its order numbers) and stores the chain settings.
    async fn join_with(
        &self,
        input: ChainJoin,
        prefix: Option<String>,
        adopt_held_prefix: bool,
    ) -> Result<ChainNodeRecord, AppError> {
        let client = HqClient::new(&input.hq_url, &input.token, input.ca_pem.as_deref())?;
        let reply = client
            .join(&JoinRequest {
                number_prefix: prefix.clone(),
                adopt_held_prefix,
            })
            .await?;
        let number_prefix = reply.number_prefix.or(prefix).ok_or_else(|| {
            AppError::Unavailable("HQ named no number prefix for this node".into())
        })?;
        let record = ChainNodeRecord {
            role: reply.role.as_str().to_owned(),
            hq_url: client.base_url().to_owned(),
            node_id: reply.node_id,
            node_name: reply.node_name,
            token: input.token,
            ca_pem: input.ca_pem,
            number_prefix,
            joined_at: convert::timestamp(self.now()),
        };
        let held_seq = reply.held_seq;
        let stored = record.clone();
        self.store()
            .write(move |tx| {
                let mut settings = tx.get(&SETTINGS, SettingsRecord::KEY)?.ok_or_else(|| {
                    AppError::internal(anyhow::anyhow!("the settings record is missing"))
                })?;
                if registered_prefix(&settings) != stored.number_prefix {
                    settings.order_number_prefix = format!("{}-", stored.number_prefix);
                    tx.insert(&SETTINGS, SettingsRecord::KEY, &settings)?;
                }
                tx.insert(&CHAIN_NODE, ChainNodeRecord::KEY, &stored)?;
                record_held(tx, held_seq, None)?;
                Ok::<_, AppError>(())
            })
            .await?;
        self.chain().set_outcome(PushOutcome::Fine);
        self.chain().wake.notify_one();
        self.chain().joined.notify_one();
        Ok(record)
    }

    /// Rebuilds a lost site from HQ (`paform sync restore`, SPEC §15) into a store that has
    /// written nothing yet: rejoins with the prefix HQ holds, takes back everything the node
    /// owned in `node_seq` order and, for a factory, the orders it was working on.
    pub async fn restore_from_hq(&self, input: ChainJoin) -> Result<ChainRestore, AppError> {
        let (state, orders) = self.store().read(|tx| {
            Ok::<_, AppError>((
                chain_state(tx)?,
                tx.count(&paform_store::tables_v3::ORDERS)?,
            ))
        })?;
        if state.last_seq > 0 || orders > 0 {
            return Err(AppError::Conflict(format!(
                "a restore rebuilds a lost site into an empty data directory; this one already \
                 holds {} logged writes and {orders} orders",
                state.last_seq
            )));
        }
        let node = self.join_with(input, None, true).await?;
        restore::restore(self, &node).await
    }
    /// Where this install stands in the chain.
    pub fn chain_status(&self) -> Result<ChainStatus, AppError> {
        let (node, state) = self.store().read(|tx| {
            let node = tx.get(&CHAIN_NODE, ChainNodeRecord::KEY)?;
            Ok::<_, AppError>((node, chain_state(tx)?))
        })?;
        let pending_events = state.last_seq.saturating_sub(state.held_seq);
        let (chain_state, last_error) = match (&node, self.chain().outcome()) {
            (Some(_), PushOutcome::Refused(reason)) => (ChainState::Refused, Some(reason)),
            (Some(_), PushOutcome::Offline(reason)) => (ChainState::Offline, Some(reason)),
            _ if pending_events > 0 => (ChainState::Pending, None),
            _ => (ChainState::Synced, None),
        };
        let role = match node.as_ref().map(|node| node.role.as_str()) {
            Some("factory") => ChainRole::Factory,
            Some(_) => ChainRole::Showroom,
            None => ChainRole::Standalone,
        };
        Ok(ChainStatus {
            role,
            node_id: node.as_ref().map(|node| node.node_id.clone()),
            node_name: node.as_ref().map(|node| node.node_name.clone()),
            hq_url: node.as_ref().map(|node| node.hq_url.clone()),
            state: chain_state,
            pending_events,
            last_push_at: state.last_push_at,
            last_pull_at: state.last_pull_at,
            catalog_version: (state.catalog_version > 0).then_some(state.catalog_version),
            last_error,
        })
    }

    /// Starts the push loop once (`paform serve`, the desktop shell, a join).
    pub fn start_chain_push(&self) {
        if self.chain().started.swap(true, Ordering::AcqRel) {
            return;
        }
        push::spawn(self.downgrade());
    }

    /// Pushes until HQ holds the whole log or a push fails; returns HQ's `held_seq`.
    /// (The push loop does this on its own; tests and `paform sync push` call it directly.)
    pub async fn push_chain_now(&self) -> Result<u64, AppError> {
        push::push_all(self).await
    }

    /// Pulls and applies what HQ has for this site now: newer catalog versions, then the
    /// feed (orders for a factory, their production for a showroom). (The push loop pulls
    /// on every pass; `paform sync pull` and `POST /api/sync/now` call this directly.)
    pub async fn pull_chain_now(&self) -> Result<ChainPull, AppError> {
        let node = self
            .store()
            .read(|tx| tx.get(&CHAIN_NODE, ChainNodeRecord::KEY))?
            .ok_or_else(|| AppError::Conflict("this site has not joined an HQ".into()))?;
        let taken_back = restore::catch_up(self, &node).await?;
        let catalog_versions = pull::pull_catalog(self, &node).await?;
        let received_events = feed::pull_feed(self, &node).await?;
        Ok(ChainPull {
            taken_back,
            catalog_versions,
            received_events,
        })
    }

    /// Takes back what HQ holds that this site lost, pushes the whole log and pulls
    /// everything HQ has for this site (Settings → Chain's "Sync now"), then answers the
    /// status.
    pub async fn sync_chain_now(&self) -> Result<ChainStatus, AppError> {
        let node = self
            .store()
            .read(|tx| tx.get(&CHAIN_NODE, ChainNodeRecord::KEY))?
            .ok_or_else(|| AppError::Conflict("this site has not joined an HQ".into()))?;
        restore::catch_up(self, &node).await?;
        self.push_chain_now().await?;
        self.chain().set_outcome(PushOutcome::Fine);
        self.pull_chain_now().await?;
        self.chain_status()
    }
}

#[cfg(test)]
mod tests;
