//! What HQ answers read-only: the chain's orders (list, one order, its events), the
//! quarantine, a node's restore pages, and `audit`, which checks every chain and rebuilds
//! every order from its events to compare with the stored rows.

use std::collections::BTreeMap;

use paform_api::chain::{
    ChainHead, ChainHeads, Entry, EntryKind, FeedEvent, FeedPage, RestorePage,
};
use paform_core::order::audit::{Link, verify};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use sqlx::Row;
use sqlx::postgres::PgRow;
use sqlx::{Postgres, QueryBuilder};

use crate::Hq;
use crate::error::{HqError, HqResult};
use crate::projection::{self, LineState, OrderState};

/// One order in the chain-wide list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderSummary {
    pub id: String,
    /// The node that sold it.
    pub node: String,
    pub node_name: String,
    pub number: String,
    pub status: String,
    pub buyer_name: String,
    pub currency: String,
    pub total: String,
    pub event_count: u64,
    pub created_at: String,
    pub updated_at: String,
}

/// One order with its lines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderDetail {
    #[serde(flatten)]
    pub summary: OrderSummary,
    pub customer_id: Option<String>,
    pub quote_id: Option<String>,
    pub head_hash: String,
    pub lines: Vec<LineView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineView {
    pub line_no: i32,
    pub module_id: Option<String>,
    pub name: String,
    pub quantity: i32,
    pub unit_price: Option<String>,
    pub line_total: Option<String>,
    pub terms: Value,
}

/// One link of an order's contract or production chain, as the site wrote it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChainEvent {
    pub chain: String,
    pub node: String,
    pub node_seq: u64,
    pub event: Value,
}

/// An entry HQ keeps aside.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuarantineView {
    pub id: i64,
    pub node_id: String,
    pub node_seq: u64,
    pub kind: String,
    pub key: String,
    pub reason: String,
    pub body: Value,
    pub received_at: String,
}

/// The filters of `GET /api/orders`.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
pub struct OrderQuery {
    pub node: Option<String>,
    pub status: Option<String>,
    pub q: Option<String>,
    pub limit: Option<i64>,
}

/// What `Hq::audit` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HqAudit {
    pub ok: bool,
    pub log_entries: u64,
    pub quarantined: u64,
    pub orders: u64,
    pub events: u64,
    /// `order_id/chain@seq` of every chain that does not verify.
    pub broken_chains: Vec<String>,
    /// Orders whose stored row or lines differ from the projection of their events.
    pub projection_mismatches: Vec<String>,
}

const TIME: &str = "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'";

fn summary(row: &PgRow) -> Result<OrderSummary, sqlx::Error> {
    Ok(OrderSummary {
        id: row.try_get("id")?,
        node: row.try_get("node_id")?,
        node_name: row.try_get("node_name")?,
        number: row.try_get("number")?,
        status: row.try_get("status")?,
        buyer_name: row.try_get("buyer_name")?,
        currency: row.try_get("currency")?,
        total: row.try_get::<Decimal, _>("total")?.to_string(),
        event_count: row.try_get::<i64, _>("event_count")? as u64,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// An `orders` row and its `order_line_items` rows as the projection's state.
pub(crate) fn order_state(row: &PgRow, lines: &[PgRow]) -> Result<OrderState, sqlx::Error> {
    Ok(OrderState {
        id: row.try_get("id")?,
        node_id: row.try_get("node_id")?,
        number: row.try_get("number")?,
        status: row.try_get("status")?,
        currency: row.try_get("currency")?,
        customer_id: row.try_get("customer_id")?,
        quote_id: row.try_get("quote_id")?,
        buyer_name: row.try_get("buyer_name")?,
        total: row.try_get("total")?,
        event_count: row.try_get("event_count")?,
        head_hash: row.try_get("head_hash")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        production_ready_at: row.try_get("production_ready_at")?,
        lines: lines
            .iter()
            .map(|line| {
                Ok(LineState {
                    line_no: line.try_get("line_no")?,
                    module_id: line.try_get("module_id")?,
                    name: line.try_get("name")?,
                    quantity: line.try_get("quantity")?,
                    unit_price: line.try_get("unit_price")?,
                    line_total: line.try_get("line_total")?,
                    terms: line.try_get("terms")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?,
    })
}

fn entry_kind(kind: &str) -> HqResult<EntryKind> {
    serde_json::from_value(Value::String(kind.to_owned()))
        .map_err(|_| HqError::Database(format!("unknown entry kind {kind} in node_log")))
}

impl Hq {
    /// The chain's orders, newest first, filtered by node, status and a text in the number
    /// or the buyer's name.
    pub async fn list_orders(&self, query: &OrderQuery) -> HqResult<Vec<OrderSummary>> {
        let limit = query.limit.unwrap_or(200).clamp(1, 1000);
        let pattern = query.q.as_deref().filter(|q| !q.is_empty()).map(|q| {
            format!(
                "%{}%",
                q.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            )
        });
        // Only the filters asked for are in the statement, so each shape gets its own plan
        // (an index scan newest first) rather than one generic plan for all. A search is
        // fenced off (`OFFSET 0`) so it is answered from the trigram index: walking the
        // newest-first index for a rare match would read the whole table.
        let mut sql = QueryBuilder::<Postgres>::new(
            "SELECT o.id, o.node_id, n.name AS node_name, o.number, o.status, o.buyer_name, o.currency, \
             o.total, o.event_count, o.created_at, o.updated_at \
             FROM (SELECT * FROM orders WHERE TRUE",
        );
        if let Some(node) = query.node.as_deref().filter(|n| !n.is_empty()) {
            sql.push(" AND node_id = ").push_bind(node);
        }
        if let Some(status) = query.status.as_deref().filter(|s| !s.is_empty()) {
            sql.push(" AND status = ").push_bind(status);
        }
        if let Some(pattern) = pattern {
            sql.push(" AND (number || ' ' || buyer_name) ILIKE ")
                .push_bind(pattern)
                .push(" OFFSET 0");
        }
        sql.push(
            ") o JOIN nodes n ON n.id = o.node_id ORDER BY o.created_at DESC, o.id DESC LIMIT ",
        )
        .push_bind(limit);
        let rows = sql.build().fetch_all(&self.pool).await?;
        Ok(rows.iter().map(summary).collect::<Result<_, _>>()?)
    }

    /// One order with its lines.
    pub async fn order(&self, id: &str) -> HqResult<OrderDetail> {
        let row = sqlx::query(
            "SELECT o.id, o.node_id, n.name AS node_name, o.number, o.status, o.buyer_name, o.currency, \
             o.total, o.event_count, o.created_at, o.updated_at, o.customer_id, o.quote_id, o.head_hash \
             FROM orders o JOIN nodes n ON n.id = o.node_id WHERE o.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| HqError::NotFound(format!("no order {id}")))?;
        let lines = sqlx::query(
            "SELECT line_no, module_id, name, quantity, unit_price, line_total, terms \
             FROM order_line_items WHERE order_id = $1 ORDER BY line_no",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(OrderDetail {
            summary: summary(&row)?,
            customer_id: row.try_get("customer_id")?,
            quote_id: row.try_get("quote_id")?,
            head_hash: row.try_get("head_hash")?,
            lines: lines
                .iter()
                .map(|line| {
                    Ok(LineView {
                        line_no: line.try_get("line_no")?,
                        module_id: line.try_get("module_id")?,
                        name: line.try_get("name")?,
                        quantity: line.try_get("quantity")?,
                        unit_price: line
                            .try_get::<Option<Decimal>, _>("unit_price")?
                            .map(|d| d.to_string()),
                        line_total: line
                            .try_get::<Option<Decimal>, _>("line_total")?
                            .map(|d| d.to_string()),
                        terms: line.try_get("terms")?,
                    })
                })
                .collect::<Result<_, sqlx::Error>>()?,
        })
    }

    /// Both chains of an order, contract first, each in `seq` order, exactly as pushed.
    pub async fn order_events(&self, id: &str) -> HqResult<Vec<ChainEvent>> {
        let exists: Option<String> = sqlx::query_scalar("SELECT id FROM orders WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        if exists.is_none() {
            return Err(HqError::NotFound(format!("no order {id}")));
        }
        let rows = sqlx::query(
            "SELECT e.chain, e.node_id, e.node_seq, l.body FROM order_events e \
             JOIN node_log l ON l.node_id = e.node_id AND l.node_seq = e.node_seq \
             WHERE e.order_id = $1 ORDER BY e.chain, e.seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ChainEvent {
                    chain: row.try_get("chain")?,
                    node: row.try_get("node_id")?,
                    node_seq: row.try_get::<i64, _>("node_seq")? as u64,
                    event: row.try_get("body")?,
                })
            })
            .collect()
    }

    /// The quarantine, newest first (optionally of one node).
    pub async fn quarantine(&self, node: Option<&str>) -> HqResult<Vec<QuarantineView>> {
        let rows = sqlx::query(&format!(
            "SELECT id, node_id, node_seq, kind, key, reason, body, \
             to_char(received_at AT TIME ZONE 'UTC', {TIME}) AS received_at \
             FROM quarantine WHERE ($1::text IS NULL OR node_id = $1) ORDER BY id DESC LIMIT 1000"
        ))
        .bind(node)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(QuarantineView {
                    id: row.try_get("id")?,
                    node_id: row.try_get("node_id")?,
                    node_seq: row.try_get::<i64, _>("node_seq")? as u64,
                    kind: row.try_get("kind")?,
                    key: row.try_get("key")?,
                    reason: row.try_get("reason")?,
                    body: row.try_get("body")?,
                    received_at: row.try_get("received_at")?,
                })
            })
            .collect()
    }

    /// What a node owned, after `after`, oldest first, a page at a time.
    pub async fn restore(&self, node_id: &str, after: u64, limit: i64) -> HqResult<RestorePage> {
        let held: i64 = sqlx::query_scalar("SELECT held_seq FROM nodes WHERE id = $1")
            .bind(node_id)
            .fetch_one(&self.pool)
            .await?;
        let rows = sqlx::query(
            "SELECT node_seq, kind, key, body FROM node_log WHERE node_id = $1 AND node_seq > $2 \
             ORDER BY node_seq LIMIT $3",
        )
        .bind(node_id)
        .bind(after as i64)
        .bind(limit.clamp(1, 5000))
        .fetch_all(&self.pool)
        .await?;
        let entries = rows
            .iter()
            .map(|row| {
                Ok(Entry {
                    node_seq: row.try_get::<i64, _>("node_seq")? as u64,
                    kind: entry_kind(row.try_get::<&str, _>("kind")?)?,
                    key: row.try_get("key")?,
                    body: row.try_get("body")?,
                })
            })
            .collect::<HqResult<_>>()?;
        Ok(RestorePage {
            entries,
            held_seq: held as u64,
        })
    }

    /// What `node_id` pulls after `cursor`: for a factory the contract events of orders that
    /// reached production_ready anywhere in the chain; for a showroom the production events
    /// of the orders it sold.
    pub async fn feed(&self, node_id: &str, after: u64, limit: i64) -> HqResult<FeedPage> {
        let role: String = sqlx::query_scalar("SELECT role FROM nodes WHERE id = $1")
            .bind(node_id)
            .fetch_one(&self.pool)
            .await?;
        let rows = sqlx::query(
            "SELECT f.id, l.node_id, l.kind, l.body FROM feed f \
             JOIN node_log l ON l.node_id = f.node_id AND l.node_seq = f.node_seq \
             WHERE f.id > $1 AND (CASE WHEN $2 = 'factory' THEN f.audience_node IS NULL \
             ELSE f.audience_node = $3 END) ORDER BY f.id LIMIT $4",
        )
        .bind(after as i64)
        .bind(&role)
        .bind(node_id)
        .bind(limit.clamp(1, 5000))
        .fetch_all(&self.pool)
        .await?;
        let mut next_cursor = after;
        let mut events = Vec::with_capacity(rows.len());
        for row in &rows {
            next_cursor = row.try_get::<i64, _>("id")? as u64;
            let body: Value = row.try_get("body")?;
            events.push(FeedEvent {
                node_id: row.try_get("node_id")?,
                kind: entry_kind(row.try_get::<&str, _>("kind")?)?,
                event: serde_json::from_value(body)
                    .map_err(|e| HqError::Database(format!("a fed event does not read: {e}")))?,
            });
        }
        Ok(FeedPage {
            events,
            next_cursor,
        })
    }

    /// The last link HQ holds of each contract chain `node_id` wrote.
    pub async fn heads(&self, node_id: &str) -> HqResult<ChainHeads> {
        let heads = sqlx::query(
            "SELECT DISTINCT ON (order_id) order_id, seq, hash FROM order_events \
             WHERE chain = 'contract' AND node_id = $1 ORDER BY order_id, seq DESC",
        )
        .bind(node_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(ChainHead {
                order_id: row.try_get("order_id")?,
                seq: row.try_get::<i64, _>("seq")? as u64,
                hash: row.try_get("hash")?,
            })
        })
        .collect::<HqResult<Vec<_>>>()?;
        Ok(ChainHeads { heads })
    }

    /// Verifies every chain HQ holds and rebuilds every order from its contract chain to
    /// compare with the stored rows.
    pub async fn audit(&self) -> HqResult<HqAudit> {
        let log_entries: i64 = sqlx::query_scalar("SELECT count(*) FROM node_log")
            .fetch_one(&self.pool)
            .await?;
        let quarantined: i64 = sqlx::query_scalar("SELECT count(*) FROM quarantine")
            .fetch_one(&self.pool)
            .await?;
        let rows = sqlx::query(
            "SELECT e.order_id, e.chain, e.seq, e.node_id, l.body FROM order_events e \
             JOIN node_log l ON l.node_id = e.node_id AND l.node_seq = e.node_seq \
             ORDER BY e.order_id, e.chain, e.seq",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut chains: BTreeMap<(String, String), Vec<(String, Value)>> = BTreeMap::new();
        for row in &rows {
            chains
                .entry((row.try_get("order_id")?, row.try_get("chain")?))
                .or_default()
                .push((row.try_get("node_id")?, row.try_get("body")?));
        }
        let mut broken_chains = Vec::new();
        let mut projected: BTreeMap<String, OrderState> = BTreeMap::new();
        for ((order_id, chain), bodies) in &chains {
            let links: Vec<Link> = bodies
                .iter()
                .map(|(_, body)| {
                    let mut event = body.clone();
                    let hash = event
                        .as_object_mut()
                        .and_then(|object| object.remove("hash"))
                        .and_then(|hash| hash.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    Link {
                        seq: body.get("seq").and_then(Value::as_u64).unwrap_or(0),
                        prev_hash: body
                            .get("prev_hash")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                        event,
                        hash,
                    }
                })
                .collect();
            if let Err(seq) = verify(&links) {
                broken_chains.push(format!("{order_id}/{chain}@{seq}"));
            }
            if chain == "contract"
                && let Some((node_id, _)) = bodies.first()
            {
                let events: Vec<Value> = bodies.iter().map(|(_, body)| body.clone()).collect();
                match projection::order_state(node_id, &events) {
                    Ok(state) => {
                        projected.insert(order_id.clone(), state);
                    }
                    Err(error) => broken_chains.push(format!("{order_id}/{chain}: {error}")),
                }
            }
        }
        let orders = sqlx::query(
            "SELECT id, node_id, number, status, currency, customer_id, quote_id, buyer_name, total, \
             event_count, head_hash, created_at, updated_at, production_ready_at FROM orders ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        let lines = sqlx::query(
            "SELECT order_id, line_no, module_id, name, quantity, unit_price, line_total, terms \
             FROM order_line_items ORDER BY order_id, line_no",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut lines_by_order: BTreeMap<String, Vec<PgRow>> = BTreeMap::new();
        for line in lines {
            lines_by_order
                .entry(line.try_get("order_id")?)
                .or_default()
                .push(line);
        }
        let mut projection_mismatches = Vec::new();
        let mut stored_ids = std::collections::BTreeSet::new();
        for row in &orders {
            let id: String = row.try_get("id")?;
            let lines = lines_by_order.remove(&id).unwrap_or_default();
            let mut stored = order_state(row, &lines)?;
            stored_ids.insert(id.clone());
            match projected.get(&id) {
                None => projection_mismatches.push(format!("{id}: stored without events")),
                Some(expected) => {
                    // Links to customers and quotes HQ did not hold are stored empty.
                    let mut expected = expected.clone();
                    expected.customer_id = stored.customer_id.clone();
                    expected.quote_id = stored.quote_id.clone();
                    stored.total = stored.total.normalize();
                    expected.total = expected.total.normalize();
                    if stored != expected {
                        projection_mismatches.push(format!(
                            "{id}: stored {stored:?} but its events project {expected:?}"
                        ));
                    }
                }
            }
        }
        for id in projected.keys() {
            if !stored_ids.contains(id) {
                projection_mismatches.push(format!("{id}: events without a stored order"));
            }
        }
        Ok(HqAudit {
            ok: broken_chains.is_empty() && projection_mismatches.is_empty(),
            log_entries: log_entries as u64,
            quarantined: quarantined as u64,
            orders: orders.len() as u64,
            events: rows.len() as u64,
            broken_chains,
            projection_mismatches,
        })
    }
}
