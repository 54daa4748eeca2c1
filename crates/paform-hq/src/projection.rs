//! An order at HQ is the projection of its contract chain by `paform_core::order::projection::
//! project`, the one fold of the product (SPEC §15): `order_state` maps the projected order
//! onto HQ's `orders` row and `order_line_items`, used both when a pushed event is applied and
//! when `Hq::audit` rebuilds every order from `order_events` to check the stored rows.
//!
//! A chain whose events do not fold (an unknown kind, a status that does not follow, an
//! `order_created` without the order) is refused when pushed, like a broken link. A chain
//! that has not reached its `order_created` yet (an order older than schema 4 sends its
//! history first) is held as an order named by its id, in `draft`, until that event arrives.

use std::str::FromStr;

use paform_api::chain::OrderEvent;
use paform_core::order::projection::{self, ProjectionError};
use paform_core::order::state::OrderStatus;
use rust_decimal::Decimal;
use serde_json::Value;

/// One line of an order as HQ's `order_line_items` holds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LineState {
    pub(crate) line_no: i32,
    pub(crate) module_id: Option<String>,
    pub(crate) name: String,
    pub(crate) quantity: i32,
    pub(crate) unit_price: Option<Decimal>,
    pub(crate) line_total: Option<Decimal>,
    pub(crate) terms: Value,
}

/// An order as HQ's `orders` row (plus its lines) holds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OrderState {
    pub(crate) id: String,
    pub(crate) node_id: String,
    pub(crate) number: String,
    pub(crate) status: String,
    pub(crate) currency: String,
    pub(crate) customer_id: Option<String>,
    pub(crate) quote_id: Option<String>,
    pub(crate) buyer_name: String,
    pub(crate) total: Decimal,
    pub(crate) event_count: i64,
    pub(crate) head_hash: String,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
    /// When the order first reached `production_ready`.
    pub(crate) production_ready_at: Option<String>,
    pub(crate) lines: Vec<LineState>,
}

fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn money(value: Option<&Value>) -> Option<Decimal> {
    text(value).and_then(|text| Decimal::from_str(text.trim()).ok())
}

fn field(event: &Value, name: &str) -> String {
    text(event.get(name)).unwrap_or_default()
}

fn line(index: usize, line: &Value) -> LineState {
    LineState {
        line_no: index as i32 + 1,
        module_id: text(line.get("module_id")),
        name: text(line.get("module_name")).unwrap_or_default(),
        quantity: line
            .get("quantity")
            .and_then(Value::as_i64)
            .and_then(|quantity| i32::try_from(quantity).ok())
            .unwrap_or(1),
        unit_price: money(line.get("unit_price")),
        line_total: money(line.get("line_total")),
        terms: line.clone(),
    }
}

/// When the chain first put the order in `production_ready`: a status change to it, or an
/// (upgraded) `order_created` that found it there.
pub(crate) fn production_ready_at(events: &[Value]) -> Option<String> {
    let ready = OrderStatus::ProductionReady.as_str();
    events
        .iter()
        .find(|event| {
            let data = &event["data"];
            match event["kind"].as_str() {
                Some("status_changed") => data["to"] == ready,
                Some(projection::ORDER_CREATED) => data["order"]["status"] == ready,
                _ => false,
            }
        })
        .map(|event| field(event, "at"))
}

/// The row and lines of the order whose contract chain is `events` (oldest first, each as
/// HQ holds it: the hashed form plus `hash`), written by `node_id`.
pub(crate) fn order_state(node_id: &str, events: &[Value]) -> Result<OrderState, ProjectionError> {
    let first = events.first().ok_or(ProjectionError::NotCreated)?;
    let last = events.last().unwrap_or(first);
    let id = field(first, "order_id");
    let mut state = OrderState {
        id: id.clone(),
        node_id: node_id.to_owned(),
        number: id,
        status: OrderStatus::Draft.as_str().to_owned(),
        currency: String::new(),
        customer_id: None,
        quote_id: None,
        buyer_name: String::new(),
        total: Decimal::ZERO,
        event_count: events.len() as i64,
        head_hash: field(last, "hash"),
        created_at: field(first, "at"),
        updated_at: field(last, "at"),
        production_ready_at: production_ready_at(events),
        lines: Vec::new(),
    };
    let order = match projection::project(events) {
        Ok(order) => order,
        Err(ProjectionError::NotCreated) => return Ok(state),
        Err(error) => return Err(error),
    };
    let record = &order.record;
    if let Some(number) = text(record.get("number")) {
        state.number = number;
    }
    state.status = order.status.as_str().to_owned();
    state.currency = text(record.get("currency")).unwrap_or_default();
    state.customer_id = text(record.get("customer_id"));
    state.quote_id = text(record.get("quote_id"));
    state.buyer_name =
        text(record.get("buyer").and_then(|buyer| buyer.get("name"))).unwrap_or_default();
    state.total = order.total.amount();
    if let Some(created_at) = text(record.get("created_at")) {
        state.created_at = created_at;
    }
    if let Some(updated_at) = text(record.get("updated_at")) {
        state.updated_at = updated_at;
    }
    state.lines = record
        .get("line_items")
        .and_then(Value::as_array)
        .map(|lines| lines.iter().enumerate().map(|(i, l)| line(i, l)).collect())
        .unwrap_or_default();
    Ok(state)
}

/// A payment an event records, if it records one: `(id, kind, amount, currency)`.
pub(crate) fn payment(event: &OrderEvent) -> Option<(String, String, Decimal, String)> {
    if event.kind != "payment_created" {
        return None;
    }
    let data = &event.data;
    Some((
        text(data.get("payment_id"))?,
        text(data.get("kind")).unwrap_or_default(),
        money(data.get("amount"))?,
        text(data.get("currency")).unwrap_or_default(),
    ))
}

/// A production scan an event records, if it records one: `(part_code, station)`.
pub(crate) fn scan(event: &OrderEvent) -> Option<(String, String)> {
    let data = &event.data;
    Some((text(data.get("part_code"))?, text(data.get("station"))?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use paform_core::order::audit::{GENESIS, link_hash};
    use serde_json::json;

    /// A chain as a site writes it: each link hashed over the previous one.
    fn chain(links: &[(&str, Value)]) -> Vec<Value> {
        let mut prev = GENESIS.to_owned();
        links
            .iter()
            .enumerate()
            .map(|(index, (kind, data))| {
                let mut event = json!({"order_id": "o-1", "seq": index + 1, "kind": kind,
                    "actor": null, "note": null, "data": data,
                    "at": format!("2026-12-07T10:00:0{index}Z"), "prev_hash": prev});
                let hash = link_hash(&prev, &event);
                event["hash"] = json!(hash);
                prev = hash;
                event
            })
            .collect()
    }

    fn created() -> (&'static str, Value) {
        (
            "order_created",
            json!({"quote_id": "q-1", "order": {
                "id": "o-1", "number": "LDS-000042", "quote_id": "q-1", "status": "draft",
                "version": 1, "currency": "EUR", "customer_id": "c-1",
                "buyer": {"name": "Ada Lovelace"}, "total": "1210.00",
                "line_items": [{"module_id": "m-1", "module_name": "Base 600", "quantity": 2,
                                "unit_price": "500.00", "line_total": "1000.00"}],
                "created_at": "2026-12-07T09:00:00Z", "updated_at": "2026-12-07T09:00:00Z"}}),
        )
    }

    #[test]
    fn a_sites_contract_and_its_changes_project_into_the_row() {
        let events = chain(&[
            created(),
            (
                "status_changed",
                json!({"from": "draft", "to": "pending_payment"}),
            ),
            (
                "change_confirmed",
                json!({"changed": {"total": "605.00", "line_items": [{"module_id": "m-1",
                    "module_name": "Base 600", "quantity": 1, "unit_price": "500.00",
                    "line_total": "500.00"}]}}),
            ),
        ]);
        let order = order_state("node-1", &events).expect("the chain folds");
        assert_eq!(order.id, "o-1");
        assert_eq!(order.number, "LDS-000042");
        assert_eq!(order.status, "pending_payment");
        assert_eq!(order.buyer_name, "Ada Lovelace");
        assert_eq!(order.customer_id.as_deref(), Some("c-1"));
        assert_eq!(order.quote_id.as_deref(), Some("q-1"));
        assert_eq!(order.total, Decimal::new(60500, 2));
        assert_eq!(order.lines.len(), 1);
        assert_eq!(order.lines[0].quantity, 1);
        assert_eq!(order.lines[0].name, "Base 600");
        assert_eq!(order.event_count, 3);
        assert_eq!(order.head_hash, events[2]["hash"].as_str().unwrap_or(""));
        assert_eq!(order.production_ready_at, None);
    }

    #[test]
    fn reaching_production_ready_is_dated_by_its_event() {
        let events = chain(&[
            created(),
            (
                "status_changed",
                json!({"from": "draft", "to": "pending_payment"}),
            ),
            (
                "status_changed",
                json!({"from": "pending_payment", "to": "design_review"}),
            ),
            (
                "status_changed",
                json!({"from": "design_review", "to": "production_ready"}),
            ),
        ]);
        let order = order_state("n", &events).expect("folds");
        assert_eq!(
            order.production_ready_at.as_deref(),
            Some("2026-12-07T10:00:03Z")
        );
    }

    #[test]
    fn a_chain_that_does_not_fold_is_refused_and_history_waits_for_its_contract() {
        let skipped = chain(&[
            created(),
            (
                "status_changed",
                json!({"from": "draft", "to": "fulfilled"}),
            ),
        ]);
        assert_eq!(order_state("n", &skipped).map_err(|e| e.seq()), Err(2));
        let unknown = chain(&[created(), ("exploded", json!({}))]);
        assert!(order_state("n", &unknown).is_err());
        let history = chain(&[("payment_created", json!({"payment_id": "p-1"}))]);
        let waiting = order_state("n", &history).expect("history is held");
        assert_eq!(
            (waiting.number.as_str(), waiting.status.as_str()),
            ("o-1", "draft")
        );
    }
}
