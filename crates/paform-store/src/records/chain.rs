//! Records of the chain tables (SPEC §15): a site's node log, where it stands with HQ, and
//! whom it joined. These tables are new, so they need no migration (`migrations-doc/` lists
//! them); their records follow the same rule as every other record (once released, a shape
//! never changes).

use serde::{Deserialize, Serialize};

/// One entry of the node log, under `{node_seq:020}` in `node_log`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeLogRecord {
    pub node_seq: u64,
    /// `customer`, `design`, `quote`, `order_event`, `production_event` or `offcut`
    /// (`paform_api::chain::EntryKind`).
    pub kind: String,
    /// The record's id, or `"{order_id}/{seq}"` for an event.
    pub key: String,
    /// The entry's body as canonical JSON text (bincode cannot hold a JSON value).
    pub body: String,
}

/// Where the log stands, under `ChainStateRecord::KEY` in `chain_state`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChainStateRecord {
    /// The last `node_seq` handed out (0: none yet). Never goes down.
    pub last_seq: u64,
    /// The highest `node_seq` HQ said it holds.
    pub held_seq: u64,
    /// When HQ last acknowledged a batch (RFC 3339).
    pub last_push_at: Option<String>,
    /// The catalog version last pulled from HQ and applied (0: none).
    pub catalog_version: u64,
    /// When the catalog was last pulled from HQ (RFC 3339).
    pub last_pull_at: Option<String>,
}

impl ChainStateRecord {
    pub const KEY: &'static str = "state";
}

/// The HQ this site joined, under `ChainNodeRecord::KEY` in `chain_node`; no record means a
/// standalone install.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChainNodeRecord {
    /// `showroom` or `factory`, as HQ said.
    pub role: String,
    pub hq_url: String,
    pub node_id: String,
    pub node_name: String,
    /// The node token, a secret: sent to HQ only, never returned by the API.
    pub token: String,
    /// The PEM of a CA to trust for a self-signed HQ.
    pub ca_pem: Option<String>,
    /// The order-number prefix HQ registered for this node.
    pub number_prefix: String,
    pub joined_at: String,
}

impl ChainNodeRecord {
    pub const KEY: &'static str = "node";
}
