//! An order at HQ is a fold of its contract chain: `fold` is the one function that turns an
//! order's events into its row and lines, used both when a pushed event is applied (one
//! step at a time) and when `Hq::audit` rebuilds every order from `order_events` to check
//! that the stored rows equal the projection.
//!
//! An `order_created` event's `data` carries the frozen contract (number, buyer, customer,
//! currency, totals, lines, quote); any later event may carry what it changed (`to` for a
//! status, `total`/`totals`, `lines`). A chain whose first event is something else still
//! makes an order from what that event holds, so nothing pushed is ever unprojected.
//! A site's `order_created` carries the stored order under `order` and a confirmed change
//! the fields it replaced under `changed` (`docs/audit-chain.md`).

use std::str::FromStr;

use paform_api::chain::OrderEvent;
use rust_decimal::Decimal;
use serde_json::Value;

const STATUSES: [&str; 6] = [
    "draft",
    "pending_payment",
    "design_review",
    "production_ready",
    "fulfilled",
    "cancelled",
];

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

/// The first of several JSON pointers that holds a text.
fn first_text(data: &Value, pointers: &[&str]) -> Option<String> {
    pointers
        .iter()
        .find_map(|pointer| text(data.pointer(pointer)))
}

fn money(data: &Value, pointers: &[&str]) -> Option<Decimal> {
    first_text(data, pointers)
        .and_then(|text| Decimal::from_str(text.trim()).ok())
        .map(|amount| amount.round_dp(2))
}

fn status(data: &Value) -> Option<String> {
    first_text(data, &["/to", "/status", "/order/status"])
        .filter(|status| STATUSES.contains(&status.as_str()))
}

const TOTAL: &[&str] = &[
    "/total",
    "/order/total",
    "/changed/total",
    "/totals/total",
    "/totals_after/total",
    "/after/total",
    "/after/totals/total",
];

fn lines(data: &Value) -> Option<Vec<LineState>> {
    let items = [
        "/lines",
        "/order/line_items",
        "/changed/line_items",
        "/after/lines",
        "/contract/lines",
    ]
    .iter()
    .find_map(|pointer| data.pointer(pointer).and_then(Value::as_array))?;
    Some(
        items
            .iter()
            .enumerate()
            .map(|(index, line)| LineState {
                line_no: index as i32 + 1,
                module_id: first_text(line, &["/module_id", "/module/id"]),
                name: first_text(line, &["/name", "/module_name", "/module/name"])
                    .unwrap_or_default(),
                quantity: line
                    .get("quantity")
                    .and_then(Value::as_i64)
                    .and_then(|q| i32::try_from(q).ok())
                    .unwrap_or(1),
                unit_price: money(line, &["/unit_price", "/price"]),
                line_total: money(line, &["/line_total", "/total"]),
                terms: line.clone(),
            })
            .collect(),
    )
}

/// The order after `event`, given the order before it (`None` for the chain's first link).
pub(crate) fn fold(state: Option<OrderState>, node_id: &str, event: &OrderEvent) -> OrderState {
    let mut order = step(state, node_id, event);
    if order.status == "production_ready" && order.production_ready_at.is_none() {
        order.production_ready_at = Some(event.at.clone());
    }
    order
}

fn step(state: Option<OrderState>, node_id: &str, event: &OrderEvent) -> OrderState {
    let data = &event.data;
    match state {
        None => OrderState {
            id: event.order_id.clone(),
            node_id: node_id.to_owned(),
            number: first_text(
                data,
                &[
                    "/number",
                    "/order/number",
                    "/order_number",
                    "/contract/number",
                ],
            )
            .unwrap_or_else(|| event.order_id.clone()),
            status: status(data).unwrap_or_else(|| "draft".to_owned()),
            currency: first_text(
                data,
                &["/currency", "/order/currency", "/contract/currency"],
            )
            .unwrap_or_default(),
            customer_id: first_text(
                data,
                &[
                    "/customer_id",
                    "/order/customer_id",
                    "/customer/id",
                    "/buyer/customer_id",
                ],
            ),
            quote_id: first_text(data, &["/quote_id", "/order/quote_id", "/quote/id"]),
            buyer_name: first_text(
                data,
                &[
                    "/buyer/name",
                    "/order/buyer/name",
                    "/buyer_name",
                    "/customer/name",
                ],
            )
            .unwrap_or_default(),
            total: money(data, TOTAL).unwrap_or_default(),
            event_count: 1,
            head_hash: event.hash.clone(),
            created_at: event.at.clone(),
            updated_at: event.at.clone(),
            production_ready_at: None,
            lines: lines(data).unwrap_or_default(),
        },
        Some(mut order) => {
            if let Some(status) = status(data) {
                order.status = status;
            }
            if let Some(total) = money(data, TOTAL) {
                order.total = total;
            }
            if let Some(lines) = lines(data) {
                order.lines = lines;
            }
            order.event_count += 1;
            order.head_hash = event.hash.clone();
            order.updated_at = event.at.clone();
            order
        }
    }
}

/// A payment an event records, if it records one: `(id, kind, amount, currency)`.
pub(crate) fn payment(event: &OrderEvent) -> Option<(String, String, Decimal, String)> {
    if event.kind != "payment_created" {
        return None;
    }
    let data = &event.data;
    Some((
        first_text(data, &["/payment_id"])?,
        first_text(data, &["/kind"]).unwrap_or_default(),
        money(data, &["/amount"])?,
        first_text(data, &["/currency"]).unwrap_or_default(),
    ))
}

/// A production scan an event records, if it records one: `(part_code, station)`.
pub(crate) fn scan(event: &OrderEvent) -> Option<(String, String)> {
    let data = &event.data;
    Some((
        first_text(data, &["/part_code", "/code"])?,
        first_text(data, &["/station"])?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(seq: u64, kind: &str, data: Value) -> OrderEvent {
        OrderEvent {
            order_id: "o-1".into(),
            seq,
            kind: kind.into(),
            actor: None,
            note: None,
            data,
            at: format!("2026-12-07T10:00:0{seq}Z"),
            prev_hash: String::new(),
            hash: format!("h{seq}"),
        }
    }

    #[test]
    fn an_order_is_the_fold_of_its_contract_and_changes() {
        let created = event(
            1,
            "order_created",
            json!({"number": "LDS-000001", "currency": "EUR", "buyer": {"name": "Ada"},
                   "totals": {"total": "120.50"}, "status": "pending_payment",
                   "lines": [{"module_id": "m-1", "name": "Base", "quantity": 2, "unit_price": "60.25"}]}),
        );
        let order = fold(None, "n-1", &created);
        assert_eq!(order.number, "LDS-000001");
        assert_eq!(order.total, Decimal::new(12050, 2));
        assert_eq!(order.lines.len(), 1);
        let moved = fold(
            Some(order),
            "n-1",
            &event(
                2,
                "status_changed",
                json!({"from": "pending_payment", "to": "design_review"}),
            ),
        );
        assert_eq!(moved.status, "design_review");
        assert_eq!(moved.event_count, 2);
        assert_eq!(moved.head_hash, "h2");
        assert_eq!(moved.total, Decimal::new(12050, 2));
    }

    #[test]
    fn an_unknown_status_is_not_taken() {
        let order = fold(None, "n", &event(1, "x", json!({"to": "exploded"})));
        assert_eq!(order.status, "draft");
        assert_eq!(order.number, "o-1");
    }

    #[test]
    fn a_sites_order_created_and_confirmed_change_project_into_the_row() {
        let created = event(
            1,
            "order_created",
            json!({"quote_id": "q-1", "order": {
                "number": "LDS-000042", "status": "draft", "currency": "EUR",
                "customer_id": "c-1", "buyer": {"name": "Ada Lovelace"}, "total": "1210.00",
                "line_items": [{"module_id": "m-1", "module_name": "Base 600", "quantity": 2,
                                "unit_price": "500.00", "line_total": "1000.00"}],
            }}),
        );
        let order = fold(None, "node-1", &created);
        assert_eq!(order.number, "LDS-000042");
        assert_eq!(order.buyer_name, "Ada Lovelace");
        assert_eq!(order.customer_id.as_deref(), Some("c-1"));
        assert_eq!(order.quote_id.as_deref(), Some("q-1"));
        assert_eq!(order.total, Decimal::new(121000, 2));
        assert_eq!(order.lines.len(), 1);
        assert_eq!(order.lines[0].quantity, 2);
        let change = event(
            2,
            "change_confirmed",
            json!({"changed": {"total": "605.00", "line_items": [{"module_id": "m-1",
                "module_name": "Base 600", "quantity": 1, "unit_price": "500.00",
                "line_total": "500.00"}]}}),
        );
        let order = fold(Some(order), "node-1", &change);
        assert_eq!(order.total, Decimal::new(60500, 2));
        assert_eq!(order.lines[0].quantity, 1);
        assert_eq!(order.status, "draft");
    }
}
