//! An order is a fold of its events (SPEC §15, STYLE "An order is a fold"): `project` is the
//! one way an order's state is computed from its audit chain. The stored order record (and
//! HQ's rows) are caches of it that `audit verify` compares with the projection.
//!
//! The events are taken in their hashed form (`GET /api/orders/{id}/events` minus `hash`,
//! see `docs/audit-chain.md`), so whatever verifies a chain can also rebuild the order.
//! The order itself is the JSON object of its stored record, as the events carry it:
//! - `order_created` carries the whole record in `data.order` (number, buyer, customer,
//!   currency, totals, every line with its terms and frozen production data, status
//!   `draft`, version 1). It is the first link of a chain, except when it was written by
//!   the schema 4 upgrade (`data.upgraded: true`): then it is appended after the history
//!   the order already had and carries the order as it stood, and the links before it are
//!   history already folded into that snapshot (their payments still count in the ledger).
//! - `status_changed` moves `data.from` to `data.to` (a legal step of `state`), bumping
//!   `version` and setting `updated_at` to the event's `at`.
//! - `change_confirmed` merges `data.changed` (the record fields the change replaced) into
//!   the order, bumping `version` and setting `updated_at`.
//! - `transaction_recorded` and `adjustment_recorded` append to the order's ledger, from
//!   which the amount paid and the balance due follow (`ledger`).
//! - every other known kind (`change_declined`, `payment_created`, `design_approved`,
//!   `production_complete`, `part_scanned`, `production_check_overridden`) records a fact
//!   that does not change the order.
//!
//! An event that does not fit (an unknown kind, a missing field, a status that does not
//! follow) makes the projection fail with the `seq` of that event: a chain whose links hold
//! but whose content cannot be folded is reported like a broken link.

use serde_json::{Map, Value};

use super::ledger::{self, AdjustmentType, LedgerEntry, TransactionStatus, TransactionType};
use super::state::{self, OrderStatus};
use crate::money::Money;

/// The kind of the first event of every order.
pub const ORDER_CREATED: &str = "order_created";

/// Event kinds that record a fact without changing the order.
pub const FACT_KINDS: &[&str] = &[
    "change_declined",
    "payment_created",
    "design_approved",
    "production_complete",
    "part_scanned",
    "production_check_overridden",
];

/// Event kinds of an order's production (SPEC §15): what a factory records about an order
/// another site sold, in that order's production chain.
pub const PRODUCTION_KINDS: &[&str] = &["part_scanned", "production_complete"];

/// The order as its events make it.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    /// The stored record's fields as the events carry them, `status`, `version` and
    /// `updated_at` included.
    pub record: Map<String, Value>,
    pub status: OrderStatus,
    pub version: u64,
    pub total: Money,
    /// Every transaction and adjustment of the chain, oldest first.
    pub ledger: Vec<LedgerEntry>,
    /// How many events were folded (the whole chain).
    pub events: u64,
    /// Whether `order_created` was written by the schema 4 upgrade.
    pub upgraded: bool,
}

impl Order {
    /// Succeeded captures minus refunds and chargebacks.
    pub fn amount_paid(&self) -> Money {
        ledger::amount_paid(&self.ledger)
    }

    /// The total minus the amount paid (negative when credit is owed).
    pub fn balance_due(&self) -> Money {
        ledger::balance_due(self.total, &self.ledger)
    }

    /// The record fields whose values differ between the projection and `stored` (a stored
    /// record as a JSON object), sorted; empty when the stored record is the projection.
    pub fn differing_fields(&self, stored: &Map<String, Value>) -> Vec<String> {
        let mut fields: Vec<String> = self
            .record
            .keys()
            .chain(stored.keys())
            .filter(|key| self.record.get(*key) != stored.get(*key))
            .cloned()
            .collect();
        fields.sort();
        fields.dedup();
        fields
    }
}

/// Why a chain's events do not fold into an order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProjectionError {
    #[error("the chain has no order_created event")]
    NotCreated,
    #[error("event {seq}: {problem}")]
    Event { seq: u64, problem: String },
}

impl ProjectionError {
    /// The `seq` of the event that does not fold; for a chain without `order_created`, the
    /// first event (1).
    pub fn seq(&self) -> u64 {
        match self {
            ProjectionError::NotCreated => 1,
            ProjectionError::Event { seq, .. } => *seq,
        }
    }
}

/// Folds an order's events (hashed form, oldest first) into the order.
pub fn project(events: &[Value]) -> Result<Order, ProjectionError> {
    let created = events
        .iter()
        .position(|event| event.get("kind").and_then(Value::as_str) == Some(ORDER_CREATED))
        .ok_or(ProjectionError::NotCreated)?;
    let mut ledger = Vec::new();
    for event in &events[..created] {
        let seq = seq_of(event);
        let kind = kind_of(event, seq)?;
        if kind == ORDER_CREATED {
            return Err(fail(seq, "a second order_created"));
        }
        fold_ledger(event, kind, seq, &mut ledger)?;
    }
    let first = &events[created];
    let seq = seq_of(first);
    let data = data_of(first, seq)?;
    let upgraded = data.get("upgraded").and_then(Value::as_bool) == Some(true);
    if created > 0 && !upgraded {
        return Err(fail(
            seq,
            "order_created is not the first event and is not marked upgraded",
        ));
    }
    let record = data
        .get("order")
        .and_then(Value::as_object)
        .cloned()
        .ok_or_else(|| fail(seq, "data.order is not an object"))?;
    let mut order = Order {
        status: status_field(&record, "status", seq)?,
        version: record
            .get("version")
            .and_then(Value::as_u64)
            .ok_or_else(|| fail(seq, "data.order.version is not a number"))?,
        total: money_field(&record, "total", seq)?,
        record,
        ledger,
        events: events.len() as u64,
        upgraded,
    };
    for event in &events[created + 1..] {
        apply(&mut order, event)?;
    }
    Ok(order)
}

fn apply(order: &mut Order, event: &Value) -> Result<(), ProjectionError> {
    let seq = seq_of(event);
    let kind = kind_of(event, seq)?;
    let at = event
        .get("at")
        .and_then(Value::as_str)
        .ok_or_else(|| fail(seq, "at is not a string"))?
        .to_owned();
    match kind {
        ORDER_CREATED => return Err(fail(seq, "a second order_created")),
        "status_changed" => {
            let data = data_of(event, seq)?;
            let from = status_field(data, "from", seq)?;
            let to = status_field(data, "to", seq)?;
            if from != order.status {
                return Err(fail(
                    seq,
                    format!("moves from {from} but the order is {}", order.status),
                ));
            }
            if !state::allowed_next(from).contains(&to) {
                return Err(fail(seq, format!("{from} → {to} is not a step")));
            }
            order.status = to;
            order
                .record
                .insert("status".into(), Value::String(to.as_str().into()));
            bump(order, at);
        }
        "change_confirmed" => {
            let changed = data_of(event, seq)?
                .get("changed")
                .and_then(Value::as_object)
                .ok_or_else(|| fail(seq, "data.changed is not an object"))?;
            for (key, value) in changed {
                if matches!(key.as_str(), "id" | "status" | "version" | "updated_at") {
                    return Err(fail(seq, format!("a change cannot set {key}")));
                }
                order.record.insert(key.clone(), value.clone());
            }
            order.total = money_field(&order.record, "total", seq)?;
            bump(order, at);
        }
        "transaction_recorded" | "adjustment_recorded" => {
            fold_ledger(event, kind, seq, &mut order.ledger)?;
        }
        fact if FACT_KINDS.contains(&fact) => {}
        other => return Err(fail(seq, format!("unknown event kind {other:?}"))),
    }
    Ok(())
}

/// A status change or a confirmed change: one more version, touched at `at`.
fn bump(order: &mut Order, at: String) {
    order.version += 1;
    order
        .record
        .insert("version".into(), Value::from(order.version));
    order.record.insert("updated_at".into(), Value::String(at));
}

fn fold_ledger(
    event: &Value,
    kind: &str,
    seq: u64,
    ledger: &mut Vec<LedgerEntry>,
) -> Result<(), ProjectionError> {
    let text = |data: &Map<String, Value>, field: &str| -> Result<String, ProjectionError> {
        data.get(field)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| fail(seq, format!("data.{field} is not a string")))
    };
    match kind {
        "transaction_recorded" => {
            let data = data_of(event, seq)?;
            ledger.push(LedgerEntry::Transaction {
                payment_id: text(data, "payment_id")?,
                kind: TransactionType::parse(&text(data, "type")?)
                    .map_err(|error| fail(seq, error.to_string()))?,
                status: TransactionStatus::parse(&text(data, "status")?)
                    .map_err(|error| fail(seq, error.to_string()))?,
                amount: money_field(data, "amount", seq)?,
            });
        }
        "adjustment_recorded" => {
            let data = data_of(event, seq)?;
            ledger.push(LedgerEntry::Adjustment {
                payment_id: text(data, "payment_id")?,
                kind: AdjustmentType::parse(&text(data, "type")?)
                    .map_err(|error| fail(seq, error.to_string()))?,
                amount: money_field(data, "amount", seq)?,
            });
        }
        _ => {}
    }
    Ok(())
}

fn fail(seq: u64, problem: impl Into<String>) -> ProjectionError {
    ProjectionError::Event {
        seq,
        problem: problem.into(),
    }
}

fn seq_of(event: &Value) -> u64 {
    event.get("seq").and_then(Value::as_u64).unwrap_or(0)
}

fn kind_of(event: &Value, seq: u64) -> Result<&str, ProjectionError> {
    event
        .get("kind")
        .and_then(Value::as_str)
        .ok_or_else(|| fail(seq, "kind is not a string"))
}

fn data_of(event: &Value, seq: u64) -> Result<&Map<String, Value>, ProjectionError> {
    event
        .get("data")
        .and_then(Value::as_object)
        .ok_or_else(|| fail(seq, "data is not an object"))
}

fn status_field(
    data: &Map<String, Value>,
    field: &str,
    seq: u64,
) -> Result<OrderStatus, ProjectionError> {
    let text = data
        .get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| fail(seq, format!("{field} is not a string")))?;
    OrderStatus::parse(text).map_err(|error| fail(seq, error.to_string()))
}

fn money_field(data: &Map<String, Value>, field: &str, seq: u64) -> Result<Money, ProjectionError> {
    let text = data
        .get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| fail(seq, format!("{field} is not a string")))?;
    Money::parse_signed(text).map_err(|error| fail(seq, format!("{field}: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn order_record() -> Value {
        json!({
            "id": "o1", "number": "PF-000001", "quote_id": "q1", "status": "draft",
            "version": 1, "buyer": {"name": "Ada", "email": "ada@example.com", "phone": null},
            "customer_id": null, "currency": "USD", "tax_rate": "0.1",
            "subtotal": "100.00", "discount": null, "discount_amount": "0.00",
            "shipping": "0.00", "shipping_promised_date": null, "tax": "10.00",
            "total": "110.00", "line_items": [{"id": "o1-001", "quantity": 1}],
            "next_position": 2, "created_by": {"id": "s", "name": "S", "role": "staff"},
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
        })
    }

    fn event(seq: u64, kind: &str, data: Value, at: &str) -> Value {
        json!({"order_id": "o1", "seq": seq, "kind": kind, "actor": null, "note": null,
               "data": data, "at": at, "prev_hash": "x"})
    }

    fn created() -> Value {
        event(
            1,
            ORDER_CREATED,
            json!({"order": order_record(), "quote_id": "q1"}),
            "2026-01-01T00:00:00Z",
        )
    }

    fn status(seq: u64, from: &str, to: &str) -> Value {
        event(
            seq,
            "status_changed",
            json!({"from": from, "to": to}),
            &format!("2026-01-0{}T00:00:00Z", seq.min(9)),
        )
    }

    fn capture(seq: u64, amount: &str) -> Value {
        event(
            seq,
            "transaction_recorded",
            json!({"payment_id": "p1", "entry_id": "e", "type": "capture",
                   "status": "succeeded", "amount": amount, "provider": "x", "provider_ref": "r"}),
            "2026-01-02T00:00:00Z",
        )
    }

    #[test]
    fn an_order_created_alone_is_the_order_it_carries() {
        let order = project(&[created()]).expect("folds");
        assert_eq!(Value::Object(order.record), order_record());
        assert_eq!(order.status, OrderStatus::Draft);
        assert_eq!(order.version, 1);
        assert!(!order.upgraded);
    }

    #[test]
    fn a_status_change_moves_the_status_and_bumps_the_version_at_its_time() {
        let order = project(&[created(), status(2, "draft", "pending_payment")]).expect("folds");
        assert_eq!(order.status, OrderStatus::PendingPayment);
        assert_eq!(order.record["status"], json!("pending_payment"));
        assert_eq!(order.record["version"], json!(2));
        assert_eq!(order.record["updated_at"], json!("2026-01-02T00:00:00Z"));
    }

    #[test]
    fn a_status_change_from_another_status_does_not_fold() {
        let error = project(&[created(), status(2, "pending_payment", "design_review")])
            .expect_err("refused");
        assert_eq!(error.seq(), 2);
    }

    #[test]
    fn a_skipped_step_does_not_fold() {
        let error = project(&[created(), status(2, "draft", "fulfilled")]).expect_err("refused");
        assert_eq!(error.seq(), 2);
    }

    #[test]
    fn a_confirmed_change_replaces_the_fields_it_changed() {
        let change = event(
            2,
            "change_confirmed",
            json!({"change_id": "c1", "actions": [], "changed": {
                "total": "55.00", "subtotal": "50.00", "tax": "5.00",
                "line_items": [{"id": "o1-001", "quantity": 2}]}}),
            "2026-01-03T00:00:00Z",
        );
        let order = project(&[created(), change]).expect("folds");
        assert_eq!(order.total, Money::parse("55.00").expect("money"));
        assert_eq!(order.record["subtotal"], json!("50.00"));
        assert_eq!(
            order.record["line_items"],
            json!([{"id": "o1-001", "quantity": 2}])
        );
        assert_eq!(order.version, 2);
        assert_eq!(order.record["buyer"]["name"], json!("Ada"));
    }

    #[test]
    fn captures_and_refunds_make_the_amount_paid_and_the_balance() {
        let refund = event(
            3,
            "adjustment_recorded",
            json!({"payment_id": "p1", "entry_id": "e2", "type": "refund",
                   "amount": "10.00", "reason": "r", "provider_ref": null}),
            "2026-01-03T00:00:00Z",
        );
        let order = project(&[created(), capture(2, "110.00"), refund]).expect("folds");
        assert_eq!(order.amount_paid(), Money::parse("100.00").expect("money"));
        assert_eq!(order.balance_due(), Money::parse("10.00").expect("money"));
    }

    #[test]
    fn a_chain_without_order_created_does_not_fold() {
        assert_eq!(
            project(&[status(1, "draft", "pending_payment")]),
            Err(ProjectionError::NotCreated)
        );
    }

    #[test]
    fn an_order_created_after_other_events_must_be_marked_upgraded() {
        let mut late = created();
        late["seq"] = json!(2);
        let error = project(&[capture(1, "5.00"), late]).expect_err("refused");
        assert_eq!(error.seq(), 2);
    }

    #[test]
    fn an_upgraded_order_created_starts_from_its_snapshot_and_keeps_earlier_payments() {
        let mut record = order_record();
        record["status"] = json!("pending_payment");
        record["version"] = json!(2);
        let upgraded = event(
            3,
            ORDER_CREATED,
            json!({"order": record, "upgraded": true}),
            "2026-02-01T00:00:00Z",
        );
        let order = project(&[
            status(1, "draft", "pending_payment"),
            capture(2, "30.00"),
            upgraded,
            status(4, "pending_payment", "design_review"),
        ])
        .expect("folds");
        assert!(order.upgraded);
        assert_eq!(order.status, OrderStatus::DesignReview);
        assert_eq!(order.version, 3);
        assert_eq!(order.amount_paid(), Money::parse("30.00").expect("money"));
    }

    #[test]
    fn an_unknown_kind_does_not_fold() {
        let odd = event(2, "teleported", json!({}), "2026-01-02T00:00:00Z");
        assert_eq!(project(&[created(), odd]).expect_err("refused").seq(), 2);
    }

    #[test]
    fn facts_change_nothing() {
        let facts: Vec<Value> = std::iter::once(created())
            .chain(
                FACT_KINDS
                    .iter()
                    .enumerate()
                    .map(|(i, kind)| event(i as u64 + 2, kind, json!({}), "2026-01-05T00:00:00Z")),
            )
            .collect();
        let order = project(&facts).expect("folds");
        assert_eq!(Value::Object(order.record), order_record());
    }

    #[test]
    fn the_differing_fields_name_what_a_stored_record_changed() {
        let order = project(&[created()]).expect("folds");
        let mut stored = order_record();
        stored["total"] = json!("1.00");
        stored["line_items"] = json!([]);
        let stored = stored.as_object().cloned().expect("object");
        assert_eq!(order.differing_fields(&stored), vec!["line_items", "total"]);
    }

    proptest! {
        /// Any walk along the status machine folds to the walk's last status, with one version
        /// per step, and the fold of a prefix is the state the whole fold passed through.
        #[test]
        fn every_walk_of_the_status_machine_folds_to_where_it_ends(
            choices in proptest::collection::vec(0_usize..2, 0..6)
        ) {
            let mut events = vec![created()];
            let mut current = OrderStatus::Draft;
            for choice in choices {
                let next = state::allowed_next(current);
                let Some(to) = next.get(choice.min(next.len().saturating_sub(1))) else { break };
                let seq = events.len() as u64 + 1;
                events.push(status(seq, current.as_str(), to.as_str()));
                current = *to;
                let prefix = project(&events).expect("folds");
                prop_assert_eq!(prefix.status, current);
                prop_assert_eq!(prefix.version, seq);
            }
            let order = project(&events).expect("folds");
            prop_assert_eq!(order.status, current);
            prop_assert_eq!(order.version, events.len() as u64);
            prop_assert_eq!(&order.record["status"], &json!(current.as_str()));
        }

        /// Captures of any amounts sum into the amount paid, whatever events lie between.
        #[test]
        fn captures_sum_into_the_amount_paid(
            cents in proptest::collection::vec(1_u32..100_000, 0..8)
        ) {
            let mut events = vec![created()];
            let mut sum = Money::ZERO;
            for amount in &cents {
                let money = Money::parse(&format!("{}.{:02}", amount / 100, amount % 100))
                    .expect("money");
                sum = sum + money;
                let seq = events.len() as u64 + 1;
                events.push(capture(seq, &money.to_string()));
                events.push(event(seq + 1, "payment_created", json!({}), "2026-01-02T00:00:00Z"));
            }
            let order = project(&events).expect("folds");
            prop_assert_eq!(order.amount_paid(), sum);
            prop_assert_eq!(order.version, 1);
        }
    }
}
