//! The chain's replication protocol (SPEC §15): what a site sends HQ and what HQ answers.
//!
//! A site numbers everything it writes in one log (`node_seq`, 1, 2, 3, … with no gaps,
//! assigned in the same transaction as the write) and pushes it oldest first.
//! HQ applies a batch in one transaction and answers the highest `node_seq` it holds for
//! that node, so a site that lost a reply simply pushes again: an entry HQ already holds
//! with the same content is a no-op, one with different content (or one that breaks an
//! order's hash chain) is quarantined and never overwrites anything, and an entry after a
//! gap is answered with the `node_seq` HQ expects next.
//! Order is always by `node_seq`, never by a clock.
//!
//! Endpoints (HQ), each with `Authorization: Bearer <node token>`:
//! - `POST /hq/v1/join` [`JoinRequest`] → [`JoinReply`]
//! - `POST /hq/v1/push` [`PushBatch`] → [`PushReply`]; a gap is `409` with [`PushGap`]
//! - `GET /hq/v1/catalog?after=VERSION` → [`CatalogVersions`]
//! - `GET /hq/v1/feed?after=CURSOR` (factories) → [`FeedPage`]
//! - `GET /hq/v1/restore?after=NODE_SEQ` → [`RestorePage`]

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// What a site is in a chain. HQ is not a role of a site but a separate mode of the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NodeRole {
    Showroom,
    Factory,
}

impl NodeRole {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeRole::Showroom => "showroom",
            NodeRole::Factory => "factory",
        }
    }
}

/// A site joining HQ with the token `paform hq node add` printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct JoinRequest {
    /// The prefix of the site's order and quote numbers (`LDS` in `LDS-000042`); HQ refuses
    /// (409) a prefix another node holds. Absent: the prefix HQ already holds for the node
    /// (a site restored from HQ takes it from there).
    #[serde(default)]
    pub number_prefix: Option<String>,
    /// The site has numbered nothing yet, so it takes the prefix HQ already holds for the
    /// node (`paform hq node add --prefix`, or "Add site" at HQ) instead of its own.
    #[serde(default)]
    pub adopt_held_prefix: bool,
}

/// Who the site is, as HQ knows it; the site takes its role and name from here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct JoinReply {
    pub node_id: String,
    pub node_name: String,
    pub role: NodeRole,
    /// The highest `node_seq` HQ holds for this node (0 for a new one): a site restored
    /// from an old backup continues after it and never reuses a number.
    pub held_seq: u64,
    /// The node's number prefix as HQ now holds it.
    #[serde(default)]
    pub number_prefix: Option<String>,
}

/// What one log entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// `body`: the customer as `GET /api/customers/{id}` returns it.
    Customer,
    /// `body`: the saved design as `GET /api/designs/{id}` returns it.
    Design,
    /// `body`: the quote as `GET /api/quotes/{id}` returns it.
    Quote,
    /// `body`: one link of an order's contract chain, an [`OrderEvent`].
    OrderEvent,
    /// `body`: one link of an order's production chain (exports, scans,
    /// `production_complete`), written by the factory, an [`OrderEvent`].
    ProductionEvent,
    /// `body`: an offcut as `GET /api/offcuts` lists it.
    Offcut,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Customer => "customer",
            EntryKind::Design => "design",
            EntryKind::Quote => "quote",
            EntryKind::OrderEvent => "order_event",
            EntryKind::ProductionEvent => "production_event",
            EntryKind::Offcut => "offcut",
        }
    }
}

/// One entry of a site's log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Entry {
    /// 1, 2, 3, … per node, without gaps.
    pub node_seq: u64,
    pub kind: EntryKind,
    /// The record's id (`customer`, `design`, `quote`, `offcut`) or `"{order_id}/{seq}"`
    /// for an event.
    pub key: String,
    pub body: Value,
}

/// One link of an order's hash chain exactly as `GET /api/orders/{id}/events` returns it:
/// `hash = SHA-256(prev_hash ‖ canonical JSON of every other field)` (`paform_core::order::audit`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OrderEvent {
    pub order_id: String,
    pub seq: u64,
    pub kind: String,
    pub actor: Option<Value>,
    pub note: Option<String>,
    pub data: Value,
    pub at: String,
    pub prev_hash: String,
    pub hash: String,
}

/// A batch of consecutive entries, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PushBatch {
    pub entries: Vec<Entry>,
}

/// HQ's answer to a batch it applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PushReply {
    /// The highest `node_seq` HQ now holds for this node (applied or quarantined).
    pub held_seq: u64,
    /// Entries of this batch that were refused and kept aside.
    pub quarantined: Vec<QuarantinedEntry>,
}

/// An entry HQ refused: it differs from what HQ holds under its `node_seq`, or it breaks an
/// order's hash chain. It is kept and shown, and overwrites nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct QuarantinedEntry {
    pub node_seq: u64,
    pub reason: String,
}

/// The body of a `409` for a batch that does not continue what HQ holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PushGap {
    /// The `node_seq` HQ expects next.
    pub expected_seq: u64,
}

/// Catalog versions after the one a site holds, oldest first; each is applied atomically.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CatalogVersions {
    pub versions: Vec<CatalogVersion>,
}

/// The whole catalog as of one version (materials and modules as the catalog API returns
/// them, stock included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CatalogVersion {
    pub version: u64,
    pub materials: Vec<Value>,
    pub modules: Vec<Value>,
}

/// Orders that reached `production_ready` anywhere in the chain, for factories, and the
/// production events of orders a showroom sold, for that showroom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FeedPage {
    /// Events in the order HQ received them; pass `next_cursor` as `after` to continue.
    pub events: Vec<FeedEvent>,
    pub next_cursor: u64,
}

/// One event of another node's chain, with the node that wrote it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FeedEvent {
    pub node_id: String,
    pub kind: EntryKind,
    pub event: OrderEvent,
}

/// The last link HQ holds of each contract chain a node wrote: `audit verify` on the site
/// checks that its own chains still hold every link as HQ received it (SPEC §15), so a
/// chain cut short or rewritten whole after it reached HQ is found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ChainHeads {
    pub heads: Vec<ChainHead>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ChainHead {
    pub order_id: String,
    pub seq: u64,
    pub hash: String,
}

/// Everything a node owned, in `node_seq` order, to rebuild a lost site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RestorePage {
    pub entries: Vec<Entry>,
    /// The highest `node_seq` HQ holds for the node.
    pub held_seq: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_entry_has_a_pinned_wire_shape() {
        let entry = Entry {
            node_seq: 7,
            kind: EntryKind::OrderEvent,
            key: "o-1/1".into(),
            body: json!({"seq": 1}),
        };
        assert_eq!(
            serde_json::to_value(&entry).expect("serializes"),
            json!({"node_seq": 7, "kind": "order_event", "key": "o-1/1", "body": {"seq": 1}})
        );
    }
}
