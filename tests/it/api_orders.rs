//! Orders (SPEC §5) through the real server: the funnel from quote to fulfilment, guards,
//! racing transitions, the ledger, design assets and the outbox.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::{TestApp, spawn_app, spawn_app_with_asset_limit};

const BUYER: &str =
    r#"{"name": "Ada Lovelace", "email": "ada@example.com", "phone": "+44 20 7946 0000"}"#;

fn actor() -> Value {
    json!({"id": "u-17", "name": "Sam Seller", "role": "sales"})
}

/// A catalog of one module and a quote for two of it: total 30.00 at 0 % tax.
async fn quote(app: &TestApp) -> Value {
    let oak = app.material("Oak", "1", None).await;
    let cube = app
        .module("Cube", [304.8, 304.8, 304.8], "9.00", &oak)
        .await;
    let reply = app
        .post(
            "/api/quote/generate",
            &json!({"items": [{"module_id": cube, "quantity": 2}]}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.body["total"], "30.00");
    reply.body
}

async fn accepted_order(app: &TestApp) -> Value {
    let quote = quote(app).await;
    let buyer: Value = serde_json::from_str(BUYER).unwrap();
    let reply = app
        .post(
            &format!("/api/quotes/{}/accept", quote["id"].as_str().unwrap()),
            &json!({"buyer": buyer, "actor": actor()}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.body
}

async fn transition(app: &TestApp, order_id: &str, to: &str) -> crate::support::Reply {
    app.post(
        &format!("/api/orders/{order_id}/transitions"),
        &json!({"to": to, "actor": actor(), "note": format!("to {to}")}),
    )
    .await
}

async fn pay(app: &TestApp, order_id: &str, amount: &str) -> String {
    let payment = app
        .post(
            &format!("/api/orders/{order_id}/payments"),
            &json!({"kind": "deposit", "amount": amount}),
        )
        .await;
    assert_eq!(payment.status, 201, "{}", payment.body);
    let payment_id = payment.body["id"].as_str().unwrap().to_owned();
    // Every charge has its own gateway reference; a repeated one is the same charge (§10).
    let capture = json!({"provider": "stripe", "provider_ref": format!("ch_{payment_id}"), "type": "capture", "amount": amount, "status": "succeeded"});
    let reply = app
        .post(
            &format!("/api/payments/{payment_id}/transactions"),
            &capture,
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    payment_id
}

#[tokio::test]
async fn accepting_a_quote_freezes_its_terms_into_a_draft_order() {
    let app = spawn_app().await;
    let order = accepted_order(&app).await;
    assert_eq!(order["status"], "draft");
    assert_eq!(order["version"], 1);
    assert_eq!(
        (
            order["subtotal"].as_str(),
            order["tax"].as_str(),
            order["total"].as_str()
        ),
        (Some("30.00"), Some("0.00"), Some("30.00"))
    );
    assert_eq!(order["amount_paid"], "0.00");
    assert_eq!(order["balance_due"], "30.00");
    assert_eq!(order["buyer"]["email"], "ada@example.com");
    let line = &order["line_items"][0];
    assert_eq!(
        (line["quantity"].as_u64(), line["unit_price"].as_str()),
        (Some(2), Some("15.00"))
    );
    assert_eq!(line["discount"], "0.00");

    // Catalog changes after acceptance do not touch the order.
    let module_id = line["module_id"].as_str().unwrap();
    let mut module = app.get(&format!("/api/modules/{module_id}")).await.body;
    module["base_price"] = json!("900.00");
    assert_eq!(
        app.put(&format!("/api/modules/{module_id}"), &module)
            .await
            .status,
        200
    );
    let again = app
        .get(&format!("/api/orders/{}", order["id"].as_str().unwrap()))
        .await;
    assert_eq!(again.body["total"], "30.00");
}

#[tokio::test]
async fn a_quote_is_accepted_at_most_once() {
    let app = spawn_app().await;
    let quote = quote(&app).await;
    let path = format!("/api/quotes/{}/accept", quote["id"].as_str().unwrap());
    let body = json!({"buyer": {"name": "A", "email": "a@b.co"}, "actor": "Sam"});
    assert_eq!(app.post(&path, &body).await.status, 201);
    app.post(&path, &body).await.assert_problem(409, None);
    app.post("/api/quotes/nope/accept", &body)
        .await
        .assert_problem(404, None);
    let bad = json!({"buyer": {"name": "", "email": "not-an-email"}, "actor": "Sam"});
    let reply = app
        .post(
            &format!("/api/quotes/{}/accept", quote["id"].as_str().unwrap()),
            &bad,
        )
        .await;
    reply.assert_problem(422, Some("buyer.email"));
    reply.assert_problem(422, Some("buyer.name"));
}

#[tokio::test]
async fn an_order_moves_through_the_whole_funnel_with_its_audit_trail() {
    let app = spawn_app().await;
    let order = accepted_order(&app).await;
    let id = order["id"].as_str().unwrap();

    assert_eq!(transition(&app, id, "pending_payment").await.status, 200);
    // Guard: design review needs a captured payment.
    let reply = transition(&app, id, "design_review").await;
    reply.assert_problem(409, None);
    assert!(
        reply.body["detail"]
            .as_str()
            .unwrap()
            .contains("captured payment"),
        "{}",
        reply.body
    );
    let payment_id = pay(&app, id, "10.00").await;
    let reviewed = transition(&app, id, "design_review").await;
    assert_eq!(reviewed.status, 200, "{}", reviewed.body);
    assert_eq!(reviewed.body["amount_paid"], "10.00");
    assert_eq!(reviewed.body["balance_due"], "20.00");

    // Guard: production needs every design request approved.
    let request = app.post(&format!("/api/orders/{id}/design-requests"), &json!({"description": "Handle-less fronts", "line_item_id": order["line_items"][0]["id"]})).await;
    assert_eq!(request.status, 201, "{}", request.body);
    let request_id = request.body["id"].as_str().unwrap();
    let version = app
        .post(
            &format!("/api/design-requests/{request_id}/versions"),
            &json!({"notes": "v1"}),
        )
        .await;
    assert_eq!(
        (version.status, version.body["number"].as_u64()),
        (201, Some(1))
    );
    transition(&app, id, "production_ready")
        .await
        .assert_problem(409, None);
    app.get(&format!(
        "/api/design-requests/{request_id}/latest-approved"
    ))
    .await
    .assert_problem(404, None);
    let version_id = version.body["id"].as_str().unwrap();
    assert_eq!(
        app.post(
            &format!("/api/design-versions/{version_id}/approve"),
            &json!({})
        )
        .await
        .status,
        200
    );
    let latest = app
        .get(&format!(
            "/api/design-requests/{request_id}/latest-approved"
        ))
        .await;
    assert_eq!(latest.body["id"], version_id);

    let ready = transition(&app, id, "production_ready").await;
    assert_eq!(ready.status, 200, "{}", ready.body);
    // The outbox holds one manufacturing and one logistics job.
    let jobs = app.get("/api/jobs?status=pending").await;
    assert_eq!(jobs.body["total"], 2);
    let manufacturing = app.get("/api/jobs?kind=manufacturing").await;
    let job = &manufacturing.body["items"][0];
    assert_eq!(job["order_id"], id);
    assert_eq!(job["line_item_ids"], json!([order["line_items"][0]["id"]]));
    let job_id = job["id"].as_str().unwrap();
    assert_eq!(
        app.post(&format!("/api/jobs/{job_id}/ack"), &json!({}))
            .await
            .body["status"],
        "done"
    );
    assert_eq!(
        app.post(&format!("/api/jobs/{job_id}/ack"), &json!({}))
            .await
            .status,
        200
    );
    assert_eq!(
        app.get("/api/jobs?kind=manufacturing").await.body["total"],
        0
    );

    // Guard: fulfilment needs a zero balance.
    transition(&app, id, "fulfilled")
        .await
        .assert_problem(409, None);
    let capture = json!({"provider": "stripe", "provider_ref": "ch_2", "type": "capture", "amount": "20.00", "status": "succeeded"});
    let over = app
        .post(
            &format!("/api/payments/{payment_id}/transactions"),
            &capture,
        )
        .await;
    over.assert_problem(422, Some("amount"));
    pay(&app, id, "20.00").await;
    let fulfilled = transition(&app, id, "fulfilled").await;
    assert_eq!(
        (fulfilled.status, fulfilled.body["version"].as_u64()),
        (200, Some(5))
    );
    assert_eq!(fulfilled.body["balance_due"], "0.00");
    transition(&app, id, "cancelled")
        .await
        .assert_problem(409, None);

    let events = app.get(&format!("/api/orders/{id}/events")).await.body;
    let events = events.as_array().unwrap();
    let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=events.len() as u64).collect::<Vec<_>>());
    let steps: Vec<(&str, &str)> = events
        .iter()
        .filter(|e| e["kind"] == "status_changed")
        .map(|e| {
            (
                e["data"]["from"].as_str().unwrap(),
                e["data"]["to"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("draft", "pending_payment"),
            ("pending_payment", "design_review"),
            ("design_review", "production_ready"),
            ("production_ready", "fulfilled"),
        ]
    );
    assert_eq!(events[0]["kind"], "order_created");
    assert_eq!(events[1]["actor"], actor());
    assert_eq!(events[1]["note"], "to pending_payment");
    assert_eq!(
        app.get("/api/orders?status=fulfilled").await.body["total"],
        1
    );
    assert_eq!(app.get("/api/orders?status=draft").await.body["total"], 0);
}

#[tokio::test]
async fn illegal_transitions_and_stale_versions_are_conflicts_that_write_nothing() {
    let app = spawn_app().await;
    let order = accepted_order(&app).await;
    let id = order["id"].as_str().unwrap();
    transition(&app, id, "fulfilled")
        .await
        .assert_problem(409, None);
    transition(&app, id, "draft")
        .await
        .assert_problem(409, None);
    transition(&app, id, "shipped")
        .await
        .assert_problem(422, Some("to"));
    let stale = json!({"to": "pending_payment", "actor": actor(), "expected_version": 7});
    app.post(&format!("/api/orders/{id}/transitions"), &stale)
        .await
        .assert_problem(409, None);
    app.post("/api/orders/nope/transitions", &stale)
        .await
        .assert_problem(404, None);
    let unchanged = app.get(&format!("/api/orders/{id}")).await.body;
    assert_eq!(
        (unchanged["status"].as_str(), unchanged["version"].as_u64()),
        (Some("draft"), Some(1))
    );
    // Only the order's first event, `order_created`: the refused moves wrote nothing.
    let events = app.get(&format!("/api/orders/{id}/events")).await.body;
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["order_created"]);
    app.get("/api/orders?status=bogus")
        .await
        .assert_problem(422, Some("status"));
    let cancelled = transition(&app, id, "cancelled").await;
    assert_eq!(cancelled.status, 200);
    app.post(
        &format!("/api/orders/{id}/payments"),
        &json!({"kind": "deposit", "amount": "1"}),
    )
    .await
    .assert_problem(409, None);
}

#[tokio::test]
async fn eight_racing_transitions_have_exactly_one_winner() {
    let app = spawn_app().await;
    let order = accepted_order(&app).await;
    let id = order["id"].as_str().unwrap().to_owned();
    let mut racers = Vec::new();
    for n in 0..8 {
        let client = app.client.clone();
        let url = app.url(&format!("/api/orders/{id}/transitions"));
        racers.push(tokio::spawn(async move {
            let body = json!({"to": "pending_payment", "actor": {"id": format!("u{n}"), "name": "Racer"}, "expected_version": 1});
            client.post(url).json(&body).send().await.unwrap().status().as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for racer in racers {
        statuses.push(racer.await.unwrap());
    }
    statuses.sort();
    assert_eq!(statuses, [200, 409, 409, 409, 409, 409, 409, 409]);
    let events = app.get(&format!("/api/orders/{id}/events")).await.body;
    // `order_created` and the one winning move.
    assert_eq!(events.as_array().unwrap().len(), 2);
    assert_eq!(
        app.get(&format!("/api/orders/{id}")).await.body["version"],
        2
    );
}

#[tokio::test]
async fn refunds_never_exceed_captures_and_the_ledger_only_grows() {
    let app = spawn_app().await;
    let order = accepted_order(&app).await;
    let id = order["id"].as_str().unwrap();
    let payment_id = pay(&app, id, "25.00").await;
    let refund =
        |amount: &str| json!({"type": "refund", "amount": amount, "reason": "damaged door"});
    app.post(
        &format!("/api/payments/{payment_id}/adjustments"),
        &refund("25.01"),
    )
    .await
    .assert_problem(422, Some("amount"));
    assert_eq!(
        app.post(
            &format!("/api/payments/{payment_id}/adjustments"),
            &refund("5.00")
        )
        .await
        .status,
        201
    );
    let chargeback = json!({"type": "chargeback", "amount": "20.00", "reason": "disputed"});
    assert_eq!(
        app.post(
            &format!("/api/payments/{payment_id}/adjustments"),
            &chargeback
        )
        .await
        .status,
        201
    );
    app.post(
        &format!("/api/payments/{payment_id}/adjustments"),
        &refund("0.01"),
    )
    .await
    .assert_problem(422, Some("amount"));
    let read = app.get(&format!("/api/orders/{id}")).await.body;
    assert_eq!(
        (read["amount_paid"].as_str(), read["balance_due"].as_str()),
        (Some("0.00"), Some("30.00"))
    );
    let payments = app.get(&format!("/api/orders/{id}/payments")).await.body;
    assert_eq!(payments[0]["status"], "refunded");
    assert_eq!(payments[0]["transactions"].as_array().unwrap().len(), 1);
    assert_eq!(payments[0]["adjustments"].as_array().unwrap().len(), 2);
    let failed = json!({"provider": "stripe", "provider_ref": "ch_x", "type": "capture", "amount": "1.00", "status": "failed"});
    assert_eq!(
        app.post(&format!("/api/payments/{payment_id}/transactions"), &failed)
            .await
            .status,
        201
    );
    let bad = json!({"provider": "", "provider_ref": "x", "type": "refund", "amount": "-1", "status": "maybe"});
    let reply = app
        .post(&format!("/api/payments/{payment_id}/transactions"), &bad)
        .await;
    for field in ["provider", "type", "amount", "status"] {
        reply.assert_problem(422, Some(field));
    }
    app.post("/api/payments/nope/adjustments", &refund("1"))
        .await
        .assert_problem(404, None);
}

#[tokio::test]
async fn design_assets_round_trip_with_their_sha256() {
    let app = spawn_app().await;
    let order = accepted_order(&app).await;
    let id = order["id"].as_str().unwrap();
    let request = app
        .post(
            &format!("/api/orders/{id}/design-requests"),
            &json!({"description": "Corner"}),
        )
        .await;
    let request_id = request.body["id"].as_str().unwrap();
    let version = app
        .post(
            &format!("/api/design-requests/{request_id}/versions"),
            &json!({"notes": "first"}),
        )
        .await;
    let version_id = version.body["id"].as_str().unwrap();

    let bytes: Vec<u8> = (0..3_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let url = format!("/api/design-versions/{version_id}/assets?kind=glb&filename=corner.glb");
    let uploaded = app
        .post_raw(&url, "application/octet-stream", bytes.clone())
        .await;
    assert_eq!(uploaded.status, 201, "{}", uploaded.body);
    let expected_sha = format!("{:x}", Sha256::digest(&bytes));
    assert_eq!(uploaded.body["sha256"], expected_sha);
    assert_eq!(uploaded.body["size"], bytes.len());
    assert_eq!(uploaded.body["content_type"], "model/gltf-binary");

    let asset_id = uploaded.body["id"].as_str().unwrap();
    let download = app
        .client
        .get(app.url(&format!("/api/design-assets/{asset_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "model/gltf-binary");
    assert_eq!(download.bytes().await.unwrap().as_ref(), bytes.as_slice());

    let listed = app
        .get(&format!("/api/orders/{id}/design-requests"))
        .await
        .body;
    assert_eq!(listed[0]["versions"][0]["assets"][0]["id"], asset_id);

    let bad_kind = format!("/api/design-versions/{version_id}/assets?kind=exe&filename=x.exe");
    app.post_raw(&bad_kind, "application/octet-stream", b"MZ".to_vec())
        .await
        .assert_problem(422, Some("kind"));
    let bad_name =
        format!("/api/design-versions/{version_id}/assets?kind=pdf&filename=../../etc/passwd");
    app.post_raw(&bad_name, "application/octet-stream", b"%PDF".to_vec())
        .await
        .assert_problem(422, Some("filename"));
    let missing = "/api/design-versions/nope/assets?kind=pdf&filename=a.pdf";
    app.post_raw(missing, "application/octet-stream", b"%PDF".to_vec())
        .await
        .assert_problem(404, None);
    app.get("/api/design-assets/nope")
        .await
        .assert_problem(404, None);
}

#[tokio::test]
async fn an_asset_over_the_upload_limit_is_a_413_that_leaves_nothing_behind() {
    let app = spawn_app_with_asset_limit(1024).await;
    let order = accepted_order(&app).await;
    let id = order["id"].as_str().unwrap();
    let request = app
        .post(
            &format!("/api/orders/{id}/design-requests"),
            &json!({"description": "Tall"}),
        )
        .await;
    let request_id = request.body["id"].as_str().unwrap();
    let version = app
        .post(
            &format!("/api/design-requests/{request_id}/versions"),
            &json!({}),
        )
        .await;
    let version_id = version.body["id"].as_str().unwrap();
    let url = format!("/api/design-versions/{version_id}/assets?kind=pdf&filename=plan.pdf");
    app.post_raw(&url, "application/pdf", vec![b'%'; 1025])
        .await
        .assert_problem(413, None);
    // A streamed body without a declared length is cut off at the limit too.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        vec![Ok(vec![b'%'; 800]), Ok(vec![b'%'; 800])];
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let reply = app.send(app.client.post(app.url(&url)).body(body)).await;
    reply.assert_problem(413, None);
    let listed = app
        .get(&format!("/api/orders/{id}/design-requests"))
        .await
        .body;
    assert_eq!(listed[0]["versions"][0]["assets"], json!([]));
    assert_eq!(
        app.post_raw(&url, "application/pdf", vec![b'%'; 1024])
            .await
            .status,
        201
    );
}
