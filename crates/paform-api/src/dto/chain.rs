//! Chain DTOs (SPEC §15): joining HQ and where a site stands with it. The node token goes in
//! with a join and never comes back out.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `POST /api/sync/join`: the HQ to join and the token `paform hq node add` printed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChainJoin {
    /// `https://…`, or `http://` on loopback only.
    pub hq_url: String,
    /// The node token; stored, sent only to HQ, never returned.
    pub token: String,
    /// The PEM of a CA to trust for an HQ with a self-signed certificate.
    #[serde(default)]
    pub ca_pem: Option<String>,
}

/// What an install is in a chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChainRole {
    /// Not joined (the default): it still numbers its writes, so joining later pushes them.
    Standalone,
    Showroom,
    Factory,
}

/// How replication stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChainState {
    /// HQ holds every entry of the log.
    Synced,
    /// Entries wait to be pushed (or, on a standalone install, to be pushed once it joins).
    Pending,
    /// HQ cannot be reached; the push loop keeps retrying with backoff.
    Offline,
    /// HQ refuses this node's token (revoked or wrong); nothing is pushed until it joins again.
    Refused,
}

/// `GET /api/sync/status`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ChainStatus {
    pub role: ChainRole,
    pub node_id: Option<String>,
    pub node_name: Option<String>,
    pub hq_url: Option<String>,
    pub state: ChainState,
    /// Log entries HQ does not hold yet.
    pub pending_events: u64,
    /// When HQ last acknowledged a batch (RFC 3339).
    pub last_push_at: Option<String>,
    /// When the catalog was last pulled from HQ (RFC 3339).
    pub last_pull_at: Option<String>,
    /// The catalog version pulled from HQ.
    pub catalog_version: Option<u64>,
    /// Why the last push failed, while it does.
    pub last_error: Option<String>,
}

/// What one pull from HQ brought (`paform sync pull`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ChainPull {
    /// Entries HQ held that this site had lost (an old backup restored), taken back.
    pub taken_back: u64,
    /// Catalog versions applied.
    pub catalog_versions: usize,
    /// Order events received from HQ's feed (contracts at a factory, production at a
    /// showroom).
    pub received_events: usize,
}

/// What a restore from HQ brought back (`paform sync restore`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ChainRestore {
    /// Log entries HQ held for the node, all taken back.
    pub entries: u64,
    pub customers: u64,
    pub orders: u64,
    /// Entries kept in the log but not rebuilt into records (designs, quotes and offcuts are
    /// pushed as their API views, which do not carry every stored field).
    pub kept_only_in_the_log: u64,
    /// Order events received from HQ's feed (a factory's orders).
    pub received_events: usize,
    /// The `node_seq` the site carries on after.
    pub held_seq: u64,
}
