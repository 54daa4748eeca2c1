//! Applying a pushed batch (SPEC §15 "Push"): one PostgreSQL transaction per batch, the
//! node's row locked (`SELECT … FOR UPDATE`) so every HQ process on the database applies a
//! node's entries one batch at a time. Idempotency comes from what the database holds, never
//! from process memory: an entry whose `node_seq` HQ already holds with the same digest is a
//! no-op; one with a different digest, or an order event that breaks its order's hash chain,
//! is kept in `quarantine` and overwrites nothing (its `node_seq` still counts as held); an
//! entry after a gap stops the batch with the `node_seq` HQ expects.
//!
//! Each entry is applied under its own savepoint, so a row the schema refuses (a number
//! another order holds, a foreign key) quarantines that entry instead of failing the batch
//! for ever.

use paform_api::chain::{Entry, EntryKind, OrderEvent, PushBatch, PushReply, QuarantinedEntry};
use paform_core::order::audit::{GENESIS, canonical_json, link_hash};
use paform_core::order::projection::ORDER_CREATED;
use serde_json::{Value, json};
use sqlx::{Acquire, PgConnection, Postgres, Row, Transaction};

use crate::Hq;
use crate::error::{HqError, HqResult};
use crate::nodes::sha256_hex;
use crate::projection::{self, OrderState};

/// The digest HQ compares entries by: SHA-256 of the canonical JSON of kind, key and body.
pub fn entry_digest(entry: &Entry) -> String {
    sha256_hex(&canonical_json(
        &json!({"kind": entry.kind.as_str(), "key": entry.key, "body": entry.body}),
    ))
}

/// Why an entry was refused (becomes its quarantine reason).
struct Refused(String);

enum Outcome {
    Applied,
    Refused(String),
}

impl Hq {
    /// Applies `batch` for `node_id` in one transaction. A gap after applied entries commits
    /// those and answers `Gap` with the next expected `node_seq`.
    pub async fn push(&self, node_id: &str, batch: &PushBatch) -> HqResult<PushReply> {
        match self.push_with(node_id, batch, false).await? {
            Some(reply) => Ok(reply),
            None => self
                .push_with(node_id, batch, true)
                .await?
                .ok_or_else(|| HqError::Database("a careful push asked to start over".into())),
        }
    }

    /// One attempt at a batch; `careful` applies each entry under a savepoint. `None`: an
    /// entry met a refusal of the schema without one (nothing was committed).
    async fn push_with(
        &self,
        node_id: &str,
        batch: &PushBatch,
        careful: bool,
    ) -> HqResult<Option<PushReply>> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "SELECT held_seq, revoked_at IS NOT NULL AS revoked FROM nodes WHERE id = $1 FOR UPDATE",
        )
        .bind(node_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| HqError::Unauthorized("unknown node".into()))?;
        if row.try_get::<bool, _>("revoked")? {
            return Err(HqError::Unauthorized("the token was revoked".into()));
        }
        let start: u64 = row.try_get::<i64, _>("held_seq")? as u64;
        let mut held = start;
        let mut quarantined = Vec::new();
        let mut gap = None;
        for entry in &batch.entries {
            if entry.node_seq == 0 {
                return Err(HqError::Invalid("node_seq starts at 1".into()));
            }
            let digest = entry_digest(entry);
            if entry.node_seq <= held {
                if let Some(reason) = held_again(&mut tx, node_id, entry, &digest).await? {
                    quarantined.push(QuarantinedEntry {
                        node_seq: entry.node_seq,
                        reason,
                    });
                }
                continue;
            }
            if entry.node_seq > held + 1 {
                gap = Some(held + 1);
                break;
            }
            let outcome = if careful {
                let mut savepoint = tx.begin().await?;
                let outcome = match apply(&mut savepoint, node_id, entry, &digest).await {
                    Ok(()) => Outcome::Applied,
                    Err(ApplyError::Refused(Refused(reason))) => Outcome::Refused(reason),
                    Err(ApplyError::Database(error)) => match schema_refusal(&error) {
                        Some(reason) => Outcome::Refused(reason),
                        None => return Err(error.into()),
                    },
                };
                match outcome {
                    Outcome::Applied => savepoint.commit().await?,
                    Outcome::Refused(_) => savepoint.rollback().await?,
                }
                outcome
            } else {
                // Every refusal is decided before an entry writes anything, so only the
                // schema's own refusals need a savepoint: on one, the batch starts over
                // carefully.
                match apply(&mut tx, node_id, entry, &digest).await {
                    Ok(()) => Outcome::Applied,
                    Err(ApplyError::Refused(Refused(reason))) => Outcome::Refused(reason),
                    Err(ApplyError::Database(error)) => match schema_refusal(&error) {
                        Some(_) => return Ok(None),
                        None => return Err(error.into()),
                    },
                }
            };
            if let Outcome::Refused(reason) = outcome {
                quarantine(&mut tx, node_id, entry, &digest, &reason).await?;
                quarantined.push(QuarantinedEntry {
                    node_seq: entry.node_seq,
                    reason,
                });
            }
            held = entry.node_seq;
        }
        if held != start || !batch.entries.is_empty() {
            sqlx::query("UPDATE nodes SET held_seq = $2, last_push_at = now() WHERE id = $1")
                .bind(node_id)
                .bind(held as i64)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        match gap {
            Some(expected_seq) => Err(HqError::Gap { expected_seq }),
            None => Ok(Some(PushReply {
                held_seq: held,
                quarantined,
            })),
        }
    }
}

/// The quarantine reason of a row the schema refuses (a number another order holds, a
/// foreign key), or `None` for any other database error.
fn schema_refusal(error: &sqlx::Error) -> Option<String> {
    match error {
        sqlx::Error::Database(error)
            if error.constraint().is_some()
                || error.code().is_some_and(|c| c.starts_with("23")) =>
        {
            Some(format!("refused by HQ's schema: {}", error.message()))
        }
        _ => None,
    }
}

/// An entry under a `node_seq` HQ already holds: `None` when it is the same entry (a
/// no-op), else the reason it is quarantined.
async fn held_again(
    tx: &mut Transaction<'_, Postgres>,
    node_id: &str,
    entry: &Entry,
    digest: &str,
) -> HqResult<Option<String>> {
    let held: Option<String> =
        sqlx::query_scalar("SELECT digest FROM node_log WHERE node_id = $1 AND node_seq = $2")
            .bind(node_id)
            .bind(entry.node_seq as i64)
            .fetch_optional(&mut **tx)
            .await?;
    if held.as_deref() == Some(digest) {
        return Ok(None);
    }
    let known: Option<String> = sqlx::query_scalar(
        "SELECT reason FROM quarantine WHERE node_id = $1 AND node_seq = $2 AND digest = $3",
    )
    .bind(node_id)
    .bind(entry.node_seq as i64)
    .bind(digest)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(reason) = known {
        return Ok(Some(reason));
    }
    let reason = format!(
        "differs from the entry HQ holds under node_seq {}",
        entry.node_seq
    );
    quarantine(tx, node_id, entry, digest, &reason).await?;
    Ok(Some(reason))
}

async fn quarantine(
    tx: &mut Transaction<'_, Postgres>,
    node_id: &str,
    entry: &Entry,
    digest: &str,
    reason: &str,
) -> HqResult<()> {
    sqlx::query(
        "INSERT INTO quarantine (node_id, node_seq, kind, key, body, digest, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (node_id, node_seq, digest) DO NOTHING",
    )
    .bind(node_id)
    .bind(entry.node_seq as i64)
    .bind(entry.kind.as_str())
    .bind(&entry.key)
    .bind(&entry.body)
    .bind(digest)
    .bind(reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

enum ApplyError {
    Refused(Refused),
    Database(sqlx::Error),
}

impl From<sqlx::Error> for ApplyError {
    fn from(error: sqlx::Error) -> Self {
        ApplyError::Database(error)
    }
}

impl From<Refused> for ApplyError {
    fn from(refused: Refused) -> Self {
        ApplyError::Refused(refused)
    }
}

fn refuse<T>(reason: impl Into<String>) -> Result<T, ApplyError> {
    Err(ApplyError::Refused(Refused(reason.into())))
}

/// Applies the entry HQ expects next: the log row, then its projection.
async fn apply(
    conn: &mut PgConnection,
    node_id: &str,
    entry: &Entry,
    digest: &str,
) -> Result<(), ApplyError> {
    match entry.kind {
        EntryKind::OrderEvent | EntryKind::ProductionEvent => {
            apply_event(conn, node_id, entry, digest).await
        }
        EntryKind::Customer | EntryKind::Design | EntryKind::Quote | EntryKind::Offcut => {
            apply_record(conn, node_id, entry, digest).await
        }
    }
}

async fn log(
    conn: &mut PgConnection,
    node_id: &str,
    entry: &Entry,
    digest: &str,
) -> Result<(), ApplyError> {
    sqlx::query(
        "INSERT INTO node_log (node_id, node_seq, kind, key, body, digest) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(node_id)
    .bind(entry.node_seq as i64)
    .bind(entry.kind.as_str())
    .bind(&entry.key)
    .bind(&entry.body)
    .bind(digest)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn body_text(body: &Value, field: &str) -> Option<String> {
    match body.get(field)? {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// A customer, design, quote or offcut: the newest entry of a record wins, and a record
/// another node owns is refused.
async fn apply_record(
    conn: &mut PgConnection,
    node_id: &str,
    entry: &Entry,
    digest: &str,
) -> Result<(), ApplyError> {
    let table = match entry.kind {
        EntryKind::Customer => "customers",
        EntryKind::Design => "designs",
        EntryKind::Quote => "quotes",
        _ => "offcuts",
    };
    if entry.key.is_empty() {
        return refuse("a record entry needs its id as key");
    }
    let owner: Option<String> =
        sqlx::query_scalar(&format!("SELECT node_id FROM {table} WHERE id = $1"))
            .bind(&entry.key)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(owner) = owner
        && owner != node_id
    {
        return refuse(format!(
            "{} {} belongs to node {owner}",
            entry.kind.as_str(),
            entry.key
        ));
    }
    log(conn, node_id, entry, digest).await?;
    let body = &entry.body;
    let seq = entry.node_seq as i64;
    match entry.kind {
        EntryKind::Customer => {
            sqlx::query(
                "INSERT INTO customers (id, node_id, node_seq, name, email, phone, body) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (id) DO UPDATE SET node_seq = EXCLUDED.node_seq, name = EXCLUDED.name, \
                 email = EXCLUDED.email, phone = EXCLUDED.phone, body = EXCLUDED.body",
            )
            .bind(&entry.key)
            .bind(node_id)
            .bind(seq)
            .bind(body_text(body, "name").unwrap_or_default())
            .bind(body_text(body, "email"))
            .bind(body_text(body, "phone"))
            .bind(body)
            .execute(&mut *conn)
            .await?;
        }
        EntryKind::Design => {
            sqlx::query(
                "INSERT INTO designs (id, node_id, node_seq, customer_id, name, body) \
                 VALUES ($1, $2, $3, (SELECT id FROM customers WHERE id = $4), $5, $6) \
                 ON CONFLICT (id) DO UPDATE SET node_seq = EXCLUDED.node_seq, customer_id = EXCLUDED.customer_id, \
                 name = EXCLUDED.name, body = EXCLUDED.body",
            )
            .bind(&entry.key)
            .bind(node_id)
            .bind(seq)
            .bind(body_text(body, "customer_id"))
            .bind(body_text(body, "name").unwrap_or_default())
            .bind(body)
            .execute(&mut *conn)
            .await?;
        }
        EntryKind::Quote => {
            let total = body
                .pointer("/totals/total")
                .or_else(|| body.get("total"))
                .and_then(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .or_else(|| v.as_f64().map(|f| f.to_string()))
                })
                .and_then(|t| t.parse::<rust_decimal::Decimal>().ok());
            sqlx::query(
                "INSERT INTO quotes (id, node_id, node_seq, number, customer_id, currency, total, catalog_version, body) \
                 VALUES ($1, $2, $3, $4, (SELECT id FROM customers WHERE id = $5), $6, $7, $8, $9) \
                 ON CONFLICT (id) DO UPDATE SET node_seq = EXCLUDED.node_seq, number = EXCLUDED.number, \
                 customer_id = EXCLUDED.customer_id, currency = EXCLUDED.currency, total = EXCLUDED.total, \
                 catalog_version = EXCLUDED.catalog_version, body = EXCLUDED.body",
            )
            .bind(&entry.key)
            .bind(node_id)
            .bind(seq)
            .bind(body_text(body, "number"))
            .bind(body_text(body, "customer_id"))
            .bind(body_text(body, "currency"))
            .bind(total)
            .bind(body.get("catalog_version").and_then(Value::as_i64))
            .bind(body)
            .execute(&mut *conn)
            .await?;
        }
        _ => {
            sqlx::query(
                "INSERT INTO offcuts (id, node_id, node_seq, body) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (id) DO UPDATE SET node_seq = EXCLUDED.node_seq, body = EXCLUDED.body",
            )
            .bind(&entry.key)
            .bind(node_id)
            .bind(seq)
            .bind(body)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// Checks one link against its own hash and against the head of its chain at HQ.
pub(crate) fn check_link(event: &OrderEvent, body: &Value) -> Result<(), String> {
    let mut hashed = body.clone();
    if let Some(object) = hashed.as_object_mut() {
        object.remove("hash");
    }
    if link_hash(&event.prev_hash, &hashed) != event.hash {
        return Err(format!(
            "event {}/{} does not match its hash",
            event.order_id, event.seq
        ));
    }
    Ok(())
}

async fn apply_event(
    conn: &mut PgConnection,
    node_id: &str,
    entry: &Entry,
    digest: &str,
) -> Result<(), ApplyError> {
    let event: OrderEvent = match serde_json::from_value(entry.body.clone()) {
        Ok(event) => event,
        Err(error) => return refuse(format!("not an order event: {error}")),
    };
    if entry.key != format!("{}/{}", event.order_id, event.seq) {
        return refuse(format!(
            "key {} does not name event {}/{}",
            entry.key, event.order_id, event.seq
        ));
    }
    if let Err(reason) = check_link(&event, &entry.body) {
        return refuse(reason);
    }
    let chain = if entry.kind == EntryKind::OrderEvent {
        "contract"
    } else {
        "production"
    };
    // The order's owner and the chain's head in one round trip.
    let row = sqlx::query(
        "SELECT (SELECT node_id FROM orders WHERE id = $1) AS owner, h.seq, h.hash \
         FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT seq, hash FROM order_events \
         WHERE order_id = $1 AND chain = $2 ORDER BY seq DESC LIMIT 1) AS h ON true",
    )
    .bind(&event.order_id)
    .bind(chain)
    .fetch_one(&mut *conn)
    .await?;
    let owner: Option<String> = row.try_get("owner")?;
    if let Some(owner) = &owner
        && chain == "contract"
        && owner != node_id
    {
        return refuse(format!("order {} belongs to node {owner}", event.order_id));
    }
    if owner.is_none() && chain == "production" {
        return refuse(format!(
            "production event for order {} that HQ does not hold",
            event.order_id
        ));
    }
    let (head_seq, head_hash) = match row.try_get::<Option<i64>, _>("seq")? {
        Some(seq) => (seq as u64, row.try_get::<String, _>("hash")?),
        None => (0, GENESIS.to_owned()),
    };
    if event.seq != head_seq + 1 || event.prev_hash != head_hash {
        return refuse(format!(
            "event {}/{} breaks the {chain} chain: HQ expects seq {} after hash {}",
            event.order_id,
            event.seq,
            head_seq + 1,
            head_hash
        ));
    }
    let feed = if chain == "contract" {
        let mut events: Vec<Value> = sqlx::query_scalar(
            "SELECT l.body FROM order_events e \
             JOIN node_log l ON l.node_id = e.node_id AND l.node_seq = e.node_seq \
             WHERE e.order_id = $1 AND e.chain = 'contract' ORDER BY e.seq",
        )
        .bind(&event.order_id)
        .fetch_all(&mut *conn)
        .await?;
        let ready_before = projection::production_ready_at(&events).is_some();
        events.push(entry.body.clone());
        let next = match projection::order_state(node_id, &events) {
            Ok(next) => next,
            Err(error) => {
                return refuse(format!(
                    "event {}/{} does not fold into its order: {error}",
                    event.order_id, event.seq
                ));
            }
        };
        // Only `order_created` names the number (a chain's first links may precede it).
        let created = owner.is_none() || event.kind == ORDER_CREATED;
        if created {
            let holder: Option<String> =
                sqlx::query_scalar("SELECT id FROM orders WHERE number = $1 AND id <> $2")
                    .bind(&next.number)
                    .bind(&next.id)
                    .fetch_optional(&mut *conn)
                    .await?;
            if let Some(holder) = holder {
                return refuse(format!(
                    "order number {} is held by order {holder}",
                    next.number
                ));
            }
        }
        let lines_changed = created || event.data.pointer("/changed/line_items").is_some();
        store_order(conn, &next, lines_changed).await?;
        log_event(conn, node_id, entry, digest, chain, &event).await?;
        match (ready_before, next.production_ready_at.is_some()) {
            (false, true) => Feed::WholeContract,
            (true, _) => Feed::ThisEvent(None),
            (false, false) => Feed::Nothing,
        }
    } else {
        log_event(conn, node_id, entry, digest, chain, &event).await?;
        Feed::ThisEvent(owner)
    };
    match feed {
        Feed::Nothing => {}
        Feed::WholeContract => {
            feed_lock(conn).await?;
            sqlx::query(
                "INSERT INTO feed (audience_node, node_id, node_seq) SELECT NULL, node_id, node_seq \
                 FROM order_events WHERE order_id = $1 AND chain = 'contract' ORDER BY seq",
            )
            .bind(&event.order_id)
            .execute(&mut *conn)
            .await?;
        }
        Feed::ThisEvent(audience) => {
            feed_lock(conn).await?;
            sqlx::query("INSERT INTO feed (audience_node, node_id, node_seq) VALUES ($1, $2, $3)")
                .bind(audience)
                .bind(node_id)
                .bind(entry.node_seq as i64)
                .execute(&mut *conn)
                .await?;
        }
    }
    if let Some((id, kind, amount, currency)) = projection::payment(&event) {
        sqlx::query(
            "INSERT INTO payments (id, order_id, node_id, kind, amount, currency, at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(&event.order_id)
        .bind(node_id)
        .bind(kind)
        .bind(amount)
        .bind(currency)
        .bind(&event.at)
        .execute(&mut *conn)
        .await?;
    }
    if chain == "production"
        && let Some((part_code, station)) = projection::scan(&event)
    {
        sqlx::query(
            "INSERT INTO production_scans (order_id, seq, node_id, part_code, station, at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&event.order_id)
        .bind(event.seq as i64)
        .bind(node_id)
        .bind(part_code)
        .bind(station)
        .bind(&event.at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The log row of an event's entry and the link it adds to its chain, in one statement (one
/// round trip; the foreign keys are checked at its end).
async fn log_event(
    conn: &mut PgConnection,
    node_id: &str,
    entry: &Entry,
    digest: &str,
    chain: &str,
    event: &OrderEvent,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "WITH logged AS (INSERT INTO node_log (node_id, node_seq, kind, key, body, digest) \
         VALUES ($1, $2, $3, $4, $5, $6)) \
         INSERT INTO order_events (order_id, chain, seq, node_id, node_seq, kind, at, actor, note, \
         data, prev_hash, hash) VALUES ($7, $8, $9, $1, $2, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(node_id)
    .bind(entry.node_seq as i64)
    .bind(entry.kind.as_str())
    .bind(&entry.key)
    .bind(&entry.body)
    .bind(digest)
    .bind(&event.order_id)
    .bind(chain)
    .bind(event.seq as i64)
    .bind(&event.kind)
    .bind(&event.at)
    .bind(&event.actor)
    .bind(&event.note)
    .bind(&event.data)
    .bind(&event.prev_hash)
    .bind(&event.hash)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What a pushed event adds to the feed other nodes pull.
enum Feed {
    Nothing,
    /// The order just reached production_ready: every link of its contract, for factories.
    WholeContract,
    /// This link, for factories (`None`) or for the showroom that sold the order.
    ThisEvent(Option<String>),
}

/// Feed ids must become visible in id order: one writer of the feed at a time, until commit.
async fn feed_lock(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(7142001)")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Writes an order's row and lines as the fold left them.
async fn store_order(
    conn: &mut PgConnection,
    order: &OrderState,
    lines_changed: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO orders (id, node_id, number, status, currency, customer_id, quote_id, buyer_name, total, \
         event_count, head_hash, created_at, updated_at, production_ready_at) \
         VALUES ($1, $2, $3, $4, $5, (SELECT id FROM customers WHERE id = $6), (SELECT id FROM quotes WHERE id = $7), \
         $8, $9, $10, $11, $12, $13, $14) \
         ON CONFLICT (id) DO UPDATE SET number = EXCLUDED.number, status = EXCLUDED.status, \
         currency = EXCLUDED.currency, customer_id = EXCLUDED.customer_id, quote_id = EXCLUDED.quote_id, \
         buyer_name = EXCLUDED.buyer_name, total = EXCLUDED.total, event_count = EXCLUDED.event_count, \
         head_hash = EXCLUDED.head_hash, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, \
         production_ready_at = EXCLUDED.production_ready_at",
    )
    .bind(&order.id)
    .bind(&order.node_id)
    .bind(&order.number)
    .bind(&order.status)
    .bind(&order.currency)
    .bind(&order.customer_id)
    .bind(&order.quote_id)
    .bind(&order.buyer_name)
    .bind(order.total)
    .bind(order.event_count)
    .bind(&order.head_hash)
    .bind(&order.created_at)
    .bind(&order.updated_at)
    .bind(&order.production_ready_at)
    .execute(&mut *conn)
    .await?;
    if !lines_changed {
        return Ok(());
    }
    sqlx::query("DELETE FROM order_line_items WHERE order_id = $1")
        .bind(&order.id)
        .execute(&mut *conn)
        .await?;
    for line in &order.lines {
        sqlx::query(
            "INSERT INTO order_line_items (order_id, line_no, node_id, module_id, name, quantity, unit_price, line_total, terms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&order.id)
        .bind(line.line_no)
        .bind(&order.node_id)
        .bind(&line.module_id)
        .bind(&line.name)
        .bind(line.quantity)
        .bind(line.unit_price)
        .bind(line.line_total)
        .bind(&line.terms)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
