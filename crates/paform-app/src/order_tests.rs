//! App-level tests of orders, payments, order changes and the audit chain, on an in-memory
//! store: the same use cases the REST handlers call, without HTTP.

use std::sync::Arc;

use jiff::Timestamp;
use paform_store::audit::sequence_key;
use paform_store::tables_v3::ORDER_EVENTS;
use serde_json::{Value, json};

use crate::dto::{
    AcceptQuoteRequest, ActorInput, AdjustmentInput, AuditQuery, Buyer, MaterialInput, ModuleInput,
    Order, OrderChangeDecision, OrderChangeRequest, PaymentInput, QuoteItemRequest, QuoteRequest,
    TransactionInput, TransitionRequest,
};
use crate::{App, AppError, Clock, Recorded};

struct FixedClock;

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        "2026-11-30T09:00:00Z".parse().expect("valid timestamp")
    }
}

fn actor() -> ActorInput {
    ActorInput::Name("Rita".into())
}

fn from_json<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a valid DTO")
}

async fn sold_order(app: &App) -> Order {
    sold_order_of(app, 2).await
}

/// An accepted order of one 18 mm oak carcass (two sides, top and bottom, one back), its
/// line `quantity` times.
pub(crate) async fn sold_order_of(app: &App, quantity: i64) -> Order {
    let material = app
        .create_material(from_json::<MaterialInput>(
            json!({"name": "Oak", "cost_per_sq_ft": "1.00", "thickness_mm": 18}),
        ))
        .await
        .expect("material");
    let module = app
        .create_module(from_json::<ModuleInput>(json!({
            "name": "Base 600", "dimensions": {"width": 600, "height": 720, "depth": 560},
            "base_price": "100.00", "material_id": material.id,
        })))
        .await
        .expect("module");
    let quote = app
        .generate_quote(QuoteRequest {
            items: vec![QuoteItemRequest {
                module_id: module.id,
                quantity,
                material_id: None,
            }],
            currency: None,
            tax_rate: Some("0.2".into()),
        })
        .await
        .expect("quote");
    app.accept_quote(
        &quote.id,
        AcceptQuoteRequest {
            buyer: Some(Buyer {
                name: "Grace".into(),
                email: "grace@example.com".into(),
                phone: None,
            }),
            actor: actor(),
        },
    )
    .await
    .expect("accepted")
}

async fn app() -> App {
    App::in_memory(Arc::new(FixedClock), false)
        .await
        .expect("in-memory app")
}

#[tokio::test]
async fn every_order_event_is_chained_and_an_edited_event_breaks_the_chain_at_its_seq() {
    let app = app().await;
    let order = sold_order(&app).await;
    app.transition_order(
        &order.id,
        TransitionRequest {
            to: "pending_payment".into(),
            actor: actor(),
            note: None,
            expected_version: Some(1),
            override_check: None,
        },
        None,
    )
    .await
    .expect("moved");
    let payment = app
        .create_payment(
            &order.id,
            PaymentInput {
                kind: "deposit".into(),
                amount: "50.00".into(),
            },
        )
        .await
        .expect("payment");
    let capture = TransactionInput {
        provider: "stripe".into(),
        provider_ref: "ch_1".into(),
        kind: "capture".into(),
        amount: "50.00".into(),
        status: "succeeded".into(),
    };
    let (_, first) = app
        .record_transaction(&payment.id, capture.clone())
        .await
        .expect("recorded");
    let (_, second) = app
        .record_transaction(&payment.id, capture)
        .await
        .expect("answered");
    assert_eq!(
        (first, second),
        (Recorded::Created, Recorded::AlreadyRecorded)
    );
    app.record_adjustment(
        &payment.id,
        AdjustmentInput {
            kind: "refund".into(),
            amount: "5.00".into(),
            reason: "scratch".into(),
            provider_ref: None,
        },
    )
    .await
    .expect("refund");

    let events = app.order_events(&order.id).expect("events");
    let kinds: Vec<&str> = events.iter().map(|event| event.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "order_created",
            "status_changed",
            "payment_created",
            "transaction_recorded",
            "adjustment_recorded"
        ]
    );
    for pair in events.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash);
    }
    let all = AuditQuery::default();
    assert!(app.verify_audit(&all).await.expect("verifies").ok);

    // Someone with the file rewrites the refund's amount, as the store API allows.
    let key = sequence_key(&order.id, 5);
    app.store()
        .write(move |tx| {
            let mut event = tx.get(&ORDER_EVENTS, &key)?.expect("event 5");
            event.data = event.data.replace("5.00", "0.05");
            tx.insert(&ORDER_EVENTS, &key, &event)?;
            Ok::<_, AppError>(())
        })
        .await
        .expect("tampered");
    let report = app.verify_audit(&all).await.expect("verifies");
    assert!(!report.ok);
    assert_eq!(report.broken.len(), 1);
    assert_eq!(report.broken[0].order_id, order.id);
    assert_eq!(report.broken[0].seq, 5);
    assert_eq!(report.broken[0].reason, crate::dto::BrokenReason::Chain);
}

#[tokio::test]
async fn a_change_is_applied_exactly_as_priced_and_only_once() {
    let app = app().await;
    let order = sold_order(&app).await;
    let line = &order.line_items[0];
    let request: OrderChangeRequest = from_json(json!({
        "actions": [
            {"type": "finish_override", "line_item_id": line.id, "name": "Walnut", "price_delta": "15.50"},
            {"type": "discount", "line_item_id": line.id, "percent": "10", "reason": "loyalty"},
        ],
        "actor": "Rita",
    }));
    let change = app
        .request_order_change(&order.id, request)
        .await
        .expect("priced");
    let unit: rust_decimal::Decimal = line.unit_price.parse().expect("money");
    let gross = (unit + rust_decimal::Decimal::new(1550, 2)) * rust_decimal::Decimal::TWO;
    let discount = (gross / rust_decimal::Decimal::TEN).round_dp(2);
    assert_eq!(change.lines_after[0].discount, discount.to_string());
    assert_eq!(
        change.lines_after[0].line_total,
        (gross - discount).to_string()
    );
    let decision = || OrderChangeDecision {
        actor: actor(),
        note: None,
    };
    app.confirm_order_change(&change.id, decision())
        .await
        .expect("confirmed");
    let after = app.get_order(&order.id).expect("order");
    assert_eq!(after.total, change.totals_after.total);
    assert_eq!(after.version, order.version + 1);
    assert!(matches!(
        app.confirm_order_change(&change.id, decision()).await,
        Err(AppError::Conflict(_))
    ));
    assert!(matches!(
        app.decline_order_change(&change.id, decision()).await,
        Err(AppError::Conflict(_))
    ));
    assert!(
        app.verify_audit(&AuditQuery::default())
            .await
            .expect("verifies")
            .ok
    );
}

#[tokio::test]
async fn an_order_rebuilt_from_its_events_alone_is_the_stored_order_after_lines_come_and_go() {
    let app = app().await;
    let order = sold_order(&app).await;
    let module_id = order.line_items[0].module_id.clone();
    let request: OrderChangeRequest = from_json(json!({
        "actions": [
            {"type": "add_item", "module_id": module_id, "quantity": 1},
            {"type": "remove_item", "line_item_id": order.line_items[0].id},
            {"type": "shipping", "amount": "25.00", "promised_date": "2026-12-24"},
            {"type": "discount", "amount": "3.00", "reason": "first order"},
        ],
        "actor": "Rita",
    }));
    let change = app
        .request_order_change(&order.id, request)
        .await
        .expect("priced");
    app.confirm_order_change(
        &change.id,
        OrderChangeDecision {
            actor: actor(),
            note: None,
        },
    )
    .await
    .expect("confirmed");

    let (events, stored) = app
        .store()
        .read(|tx| {
            let events = tx.scan_prefix(&ORDER_EVENTS, &format!("{}/", order.id))?;
            let stored = tx
                .get(&paform_store::tables_v3::ORDERS, &order.id)?
                .expect("stored");
            Ok::<_, AppError>((events, stored))
        })
        .expect("reads");
    let projected = paform_store::audit::project_events(&events).expect("folds");
    let stored_value = paform_store::audit::order_value(&stored).expect("JSON");
    assert_eq!(
        projected.differing_fields(&stored_value),
        Vec::<String>::new()
    );
    // What the spec says the change did: one new line at position 2, the first one gone.
    assert_eq!(
        projected.record["line_items"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(projected.record["line_items"][0]["position"], 2);
    assert_eq!(projected.record["next_position"], 3);
    assert_eq!(projected.record["shipping"], "25.00");
    assert_eq!(projected.record["shipping_promised_date"], "2026-12-24");
    assert_eq!(projected.version, 2);
    assert_eq!(projected.total.to_string(), change.totals_after.total);
    let report = app
        .verify_audit(&AuditQuery::default())
        .await
        .expect("verifies");
    assert_eq!((report.ok, report.projected), (true, 1));
}
