//! Orders are contracts (SPEC §10) through the real server: order numbers and search, frozen
//! production data that no catalog edit reaches, priced order changes, idempotent gateway
//! records, the verified audit chain and the physical bounds of the catalog.

use serde_json::{Value, json};

use crate::support::{Reply, TestApp, spawn_app};

fn actor() -> Value {
    json!({"id": "u-9", "name": "Rita Sales", "role": "sales"})
}

struct Sold {
    order: Value,
    material: String,
    module: String,
}

impl Sold {
    fn id(&self) -> &str {
        self.order["id"].as_str().expect("an order has an id")
    }
}

/// One 600 mm base unit in 18 mm oak, quantity 2, at 10 % tax, accepted for `buyer`.
async fn sell(app: &TestApp, buyer: &str) -> Sold {
    let material = app.material("Oak 18", "2.50", Some(18.0)).await;
    let module = app
        .module("Base 600", [600.0, 720.0, 560.0], "100.00", &material)
        .await;
    let quote = app
        .post(
            "/api/quote/generate",
            &json!({"items": [{"module_id": module, "quantity": 2}], "tax_rate": "0.1"}),
        )
        .await;
    assert_eq!(quote.status, 201, "{}", quote.body);
    let accepted = app
        .post(
            &format!("/api/quotes/{}/accept", quote.body["id"].as_str().unwrap()),
            &json!({"buyer": {"name": buyer, "email": "buyer@example.com"}, "actor": actor()}),
        )
        .await;
    assert_eq!(accepted.status, 201, "{}", accepted.body);
    Sold {
        order: accepted.body,
        material,
        module,
    }
}

async fn export_csv(app: &TestApp, order_id: &str) -> String {
    let export = app
        .post("/api/v1/exports/cnc", &json!({"order_id": order_id}))
        .await;
    assert_eq!(export.status, 201, "{}", export.body);
    let csv = export.body["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|artifact| artifact["kind"] == "cut_list_csv")
        .expect("a cut list")
        .clone();
    let url = csv["url"].as_str().unwrap();
    let reply = app.get(url.trim_start_matches(&app.url(""))).await;
    assert_eq!(reply.status, 200);
    reply
        .body
        .as_str()
        .expect("the cut list is text")
        .to_owned()
}

async fn request_change(app: &TestApp, order_id: &str, actions: Value) -> Reply {
    app.post(
        &format!("/api/orders/{order_id}/changes"),
        &json!({"actions": actions, "actor": actor(), "note": "customer called"}),
    )
    .await
}

async fn confirm(app: &TestApp, change: &Value) -> Reply {
    app.post(
        &format!(
            "/api/order-changes/{}/confirm",
            change["id"].as_str().unwrap()
        ),
        &json!({"actor": actor()}),
    )
    .await
}

#[tokio::test]
async fn orders_get_sequential_numbers_and_are_found_by_number_or_buyer() {
    let app = spawn_app().await;
    let first = sell(&app, "Grace Hopper").await;
    let second = sell(&app, "Alan Turing").await;
    assert_eq!(first.order["number"], "PF-000001");
    assert_eq!(second.order["number"], "PF-000002");

    for query in ["PF-000002", "pf-000002", "2", "000002", "turing"] {
        let found = app.get(&format!("/api/orders?q={query}")).await;
        assert_eq!(found.status, 200);
        let numbers: Vec<&Value> = found.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|order| &order["number"])
            .collect();
        assert_eq!(numbers, [&json!("PF-000002")], "query {query}");
        assert_eq!(found.body["total"], 1);
    }

    let settings = app.get("/api/settings").await.body;
    let mut changed = settings.clone();
    changed["order_number_prefix"] = json!("K-");
    assert_eq!(app.put("/api/settings", &changed).await.status, 200);
    let third = sell(&app, "Edsger Dijkstra").await;
    assert_eq!(third.order["number"], "K-000003");
    changed["order_number_prefix"] = json!("bad prefix");
    app.put("/api/settings", &changed)
        .await
        .assert_problem(422, Some("order_number_prefix"));
}

#[tokio::test]
async fn an_accepted_order_cuts_the_same_parts_after_its_module_and_material_change_or_go() {
    let app = spawn_app().await;
    let sold = sell(&app, "Grace Hopper").await;
    let line = &sold.order["line_items"][0];
    assert_eq!(line["production"]["dimensions"]["width"], 600.0);
    assert_eq!(line["production"]["material_thickness_mm"], 18.0);
    assert!(!line["production"]["panels"].as_array().unwrap().is_empty());
    let before = export_csv(&app, sold.id()).await;
    assert!(before.contains("PF-000001-01-A"), "{before}");
    assert!(
        !before.contains("/"),
        "labels are short, not id paths: {before}"
    );

    let widened = app
        .put(
            &format!("/api/modules/{}", sold.module),
            &json!({"name": "Base 900", "dimensions": {"width": 900, "height": 720, "depth": 560},
                    "base_price": "150.00", "material_id": sold.material}),
        )
        .await;
    assert_eq!(widened.status, 200, "{}", widened.body);
    let thinner = app
        .put(
            &format!("/api/materials/{}", sold.material),
            &json!({"name": "Oak 16", "cost_per_sq_ft": "9.99", "thickness_mm": 16}),
        )
        .await;
    assert_eq!(thinner.status, 200, "{}", thinner.body);
    assert_eq!(export_csv(&app, sold.id()).await, before, "catalog edits");

    assert_eq!(
        app.delete(&format!("/api/modules/{}", sold.module))
            .await
            .status,
        204
    );
    assert_eq!(
        app.delete(&format!("/api/materials/{}", sold.material))
            .await
            .status,
        204
    );
    assert_eq!(
        export_csv(&app, sold.id()).await,
        before,
        "catalog deletions"
    );

    let order = app.get(&format!("/api/orders/{}", sold.id())).await.body;
    assert_eq!(order["line_items"], sold.order["line_items"]);
    assert_eq!(order["total"], sold.order["total"]);
}

#[tokio::test]
async fn a_confirmed_change_reprices_the_order_and_a_change_order_payment_settles_it() {
    let app = spawn_app().await;
    let sold = sell(&app, "Grace Hopper").await;
    let line_id = sold.order["line_items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let unit = sold.order["line_items"][0]["unit_price"]
        .as_str()
        .unwrap()
        .to_owned();
    let total_before = sold.order["total"].clone();

    let change = request_change(
        &app,
        sold.id(),
        json!([
            {"type": "set_quantity", "line_item_id": line_id, "quantity": 3},
            {"type": "add_item", "module_id": sold.module, "quantity": 1},
            {"type": "shipping", "amount": "40.00", "promised_date": "2026-12-24"},
        ]),
    )
    .await;
    assert_eq!(change.status, 201, "{}", change.body);
    let change = change.body;
    assert_eq!(change["status"], "requested");
    assert_eq!(change["totals_before"]["total"], total_before);
    let unit: f64 = unit.parse().unwrap();
    // 4 units at 10 % tax plus untaxed shipping; the cents are exact in the server.
    let expected = format!("{:.2}", (unit * 4.0 * 1.1 * 100.0).round() / 100.0 + 40.0);
    assert_eq!(change["totals_after"]["total"], json!(expected));
    assert_eq!(change["lines_after"].as_array().unwrap().len(), 2);
    assert_eq!(change["lines_after"][1]["position"], 2);

    // Nothing changes until it is confirmed.
    let unchanged = app.get(&format!("/api/orders/{}", sold.id())).await.body;
    assert_eq!(unchanged["total"], total_before);

    let confirmed = confirm(&app, &change).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    assert_eq!(confirmed.body["status"], "confirmed");
    let order = app.get(&format!("/api/orders/{}", sold.id())).await.body;
    assert_eq!(order["total"], change["totals_after"]["total"]);
    assert_eq!(order["version"], 2);
    assert_eq!(order["shipping_promised_date"], "2026-12-24");
    confirm(&app, &change).await.assert_problem(409, None);

    // The first payment covers the old total, a change_order payment the delta, no more.
    let delta = change["price_delta"].as_str().unwrap();
    for (kind, amount) in [
        ("deposit", total_before.as_str().unwrap()),
        ("change_order", delta),
    ] {
        let payment = app
            .post(
                &format!("/api/orders/{}/payments", sold.id()),
                &json!({"kind": kind, "amount": amount}),
            )
            .await;
        assert_eq!(payment.status, 201, "{}", payment.body);
        let capture = app
            .post(
                &format!(
                    "/api/payments/{}/transactions",
                    payment.body["id"].as_str().unwrap()
                ),
                &json!({"provider": "stripe", "provider_ref": format!("ch_{kind}"),
                        "type": "capture", "amount": amount, "status": "succeeded"}),
            )
            .await;
        assert_eq!(capture.status, 201, "{}", capture.body);
    }
    let order = app.get(&format!("/api/orders/{}", sold.id())).await.body;
    assert_eq!(order["balance_due"], "0.00");
    app.post(
        &format!("/api/orders/{}/payments", sold.id()),
        &json!({"kind": "change_order", "amount": "1.00"}),
    )
    .await
    .assert_problem(422, Some("amount"));

    let events = app
        .get(&format!("/api/orders/{}/events", sold.id()))
        .await
        .body;
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "order_created",
            "change_confirmed",
            "payment_created",
            "transaction_recorded",
            "payment_created",
            "transaction_recorded"
        ]
    );
    let audit = app
        .get(&format!("/api/audit/verify?order_id={}", sold.id()))
        .await
        .body;
    assert_eq!(
        audit,
        json!({"orders": 1, "events": 6, "ok": true, "projected": 1, "broken": []})
    );
}

#[tokio::test]
async fn a_discount_after_payment_leaves_credit_that_a_refund_settles() {
    let app = spawn_app().await;
    let sold = sell(&app, "Grace Hopper").await;
    let total = sold.order["total"].as_str().unwrap().to_owned();
    let payment = app
        .post(
            &format!("/api/orders/{}/payments", sold.id()),
            &json!({"kind": "deposit", "amount": total}),
        )
        .await
        .body;
    let payment_id = payment["id"].as_str().unwrap();
    app.post(
        &format!("/api/payments/{payment_id}/transactions"),
        &json!({"provider": "stripe", "provider_ref": "ch_1", "type": "capture", "amount": total, "status": "succeeded"}),
    )
    .await;
    let change = request_change(
        &app,
        sold.id(),
        json!([{"type": "discount", "amount": "50.00", "reason": "showroom sample"}]),
    )
    .await
    .body;
    assert_eq!(change["totals_after"]["discount"], "50.00");
    // Tax is charged on the discounted subtotal: 10 % of 50.00 less.
    assert_eq!(change["price_delta"], "-55.00");
    assert_eq!(confirm(&app, &change).await.status, 200);
    let order = app.get(&format!("/api/orders/{}", sold.id())).await.body;
    assert_eq!(order["balance_due"], "-55.00");

    let refund =
        json!({"type": "refund", "amount": "55.00", "reason": "discount", "provider_ref": "re_1"});
    let first = app
        .post(&format!("/api/payments/{payment_id}/adjustments"), &refund)
        .await;
    assert_eq!(first.status, 201, "{}", first.body);
    let again = app
        .post(&format!("/api/payments/{payment_id}/adjustments"), &refund)
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(again.body["id"], first.body["id"]);
    let order = app.get(&format!("/api/orders/{}", sold.id())).await.body;
    assert_eq!(order["balance_due"], "0.00");
}

#[tokio::test]
async fn changes_are_refused_once_production_starts_or_when_the_order_moved() {
    let app = spawn_app().await;
    let sold = sell(&app, "Grace Hopper").await;
    let line_id = sold.order["line_items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let stale = request_change(
        &app,
        sold.id(),
        json!([{"type": "set_quantity", "line_item_id": line_id, "quantity": 5}]),
    )
    .await
    .body;
    let other = request_change(
        &app,
        sold.id(),
        json!([{"type": "remove_item", "line_item_id": "nope"}]),
    )
    .await;
    other.assert_problem(422, Some("actions[0].line_item_id"));
    let bad = request_change(
        &app,
        sold.id(),
        json!([{"type": "discount", "reason": "x"}, {"type": "set_quantity", "line_item_id": line_id, "quantity": 0}]),
    )
    .await;
    bad.assert_problem(422, Some("actions[0].amount"));
    bad.assert_problem(422, Some("actions[1].quantity"));

    let moved = app
        .post(
            &format!("/api/orders/{}/transitions", sold.id()),
            &json!({"to": "pending_payment", "actor": actor()}),
        )
        .await;
    assert_eq!(moved.status, 200);
    confirm(&app, &stale).await.assert_problem(409, None);
    let declined = app
        .post(
            &format!(
                "/api/order-changes/{}/decline",
                stale["id"].as_str().unwrap()
            ),
            &json!({"actor": actor()}),
        )
        .await;
    assert_eq!(declined.body["status"], "declined");

    app.post(
        &format!("/api/orders/{}/transitions", sold.id()),
        &json!({"to": "cancelled", "actor": actor()}),
    )
    .await;
    request_change(
        &app,
        sold.id(),
        json!([{"type": "set_quantity", "line_item_id": line_id, "quantity": 1}]),
    )
    .await
    .assert_problem(409, None);
    let listed = app
        .get(&format!("/api/orders/{}/changes", sold.id()))
        .await
        .body;
    assert_eq!(listed.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_repeated_gateway_callback_is_answered_with_the_recorded_transaction() {
    let app = spawn_app().await;
    let sold = sell(&app, "Grace Hopper").await;
    let payment = app
        .post(
            &format!("/api/orders/{}/payments", sold.id()),
            &json!({"kind": "deposit", "amount": "100.00"}),
        )
        .await
        .body;
    let path = format!(
        "/api/payments/{}/transactions",
        payment["id"].as_str().unwrap()
    );
    let capture = json!({"provider": "stripe", "provider_ref": "ch_9", "type": "capture", "amount": "100.00", "status": "succeeded"});
    let first = app.post(&path, &capture).await;
    assert_eq!(first.status, 201);
    let repeat = app.post(&path, &capture).await;
    assert_eq!(repeat.status, 200);
    assert_eq!(repeat.body, first.body);
    let mut different = capture.clone();
    different["amount"] = json!("90.00");
    app.post(&path, &different).await.assert_problem(409, None);
    let order = app.get(&format!("/api/orders/{}", sold.id())).await.body;
    assert_eq!(order["amount_paid"], "100.00", "recorded once");
}

#[tokio::test]
async fn lengths_outside_1_to_20000_mm_and_counts_above_50_are_refused() {
    let app = spawn_app().await;
    let material = app.material("Oak", "1", None).await;
    for (width, counts) in [
        (json!(5e-324), json!({})),
        (json!(0.5), json!({})),
        (json!(20000.5), json!({})),
        (json!(600), json!({"doors": 51})),
        (json!(600), json!({"drawers": -1})),
    ] {
        let reply = app
            .post(
                "/api/modules",
                &json!({"name": "Odd", "dimensions": {"width": width, "height": 720, "depth": 560},
                        "base_price": "1.00", "material_id": material, "assembly_attributes": counts}),
            )
            .await;
        assert_eq!(reply.status, 422, "{width} {counts}: {}", reply.body);
    }
    let rate = app
        .post(
            "/api/materials",
            &json!({"name": "Birch", "cost_per_sq_ft": "12.50"}),
        )
        .await;
    assert_eq!(
        rate.body["cost_per_sq_ft"], "12.50",
        "rates keep their digits"
    );
}
