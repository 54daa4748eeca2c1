//! Hygraph sync (SPEC §7) through the real server: deliveries signed with the core's
//! `signature_header` (which reproduces Hygraph's own vectors), refused ones answered with
//! the right problem, replays answered `duplicate` also after a restart, and late or early
//! deliveries converging on the newest published state.

use std::time::{SystemTime, UNIX_EPOCH};

use paform_app::SyncConfig;
use paform_core::webhook::signature_header;
use serde_json::{Value, json};

use crate::support::{Reply, TestApp, spawn_app, spawn_app_with};

const SECRET: &str = "whsec-test-1234";
const WEBHOOK: &str = "/api/sync/hygraph";

fn with_secret() -> SyncConfig {
    SyncConfig {
        hygraph_secret: Some(SECRET.to_owned()),
        ..SyncConfig::default()
    }
}

fn now_ms() -> i64 {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970");
    i64::try_from(since_epoch.as_millis()).expect("milliseconds fit in i64")
}

/// `updatedAt` `seconds` after a fixed instant.
fn at(seconds: i64) -> String {
    format!("2026-01-01T00:00:{seconds:02}Z")
}

fn material(id: &str, seconds: i64, name: &str, cost: &str) -> Value {
    json!({"operation": "publish", "data": {"__typename": "Material", "id": id,
        "stage": "PUBLISHED", "updatedAt": at(seconds), "name": name, "costPerSqFt": cost,
        "thicknessMm": 18, "texture": {"url": "https://media.example/oak.jpg"}}})
}

fn module(id: &str, seconds: i64, name: &str, price: &str, material_id: &str) -> Value {
    json!({"operation": "publish", "data": {"__typename": "Module", "id": id,
        "stage": "PUBLISHED", "updatedAt": at(seconds), "name": name, "width": 600,
        "height": 720, "depth": 560, "basePrice": price, "material": {"id": material_id},
        "assemblyAttributes": {"shelves": 1}, "connectionPoints": []}})
}

fn removal(operation: &str, typename: &str, id: &str, seconds: Option<i64>) -> Value {
    let mut data = json!({"__typename": typename, "id": id, "stage": "PUBLISHED"});
    if let Some(seconds) = seconds {
        data["updatedAt"] = json!(at(seconds));
    }
    json!({"operation": operation, "data": data})
}

impl TestApp {
    /// Posts raw `body` with this exact `gcms-signature` header (none when `None`).
    async fn post_signed(&self, body: &[u8], signature: Option<&str>) -> Reply {
        let mut request = self
            .client
            .post(self.url(WEBHOOK))
            .header("content-type", "application/json")
            .body(body.to_vec());
        if let Some(signature) = signature {
            request = request.header("gcms-signature", signature);
        }
        self.send(request).await
    }

    /// Posts `body` signed now with the test secret, as Hygraph would.
    async fn deliver(&self, body: &Value) -> Reply {
        let body = body.to_string();
        let header = signature_header(SECRET.as_bytes(), &body, "master", now_ms());
        self.post_signed(body.as_bytes(), Some(&header)).await
    }

    async fn deliver_ok(&self, body: &Value) -> String {
        let reply = self.deliver(body).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.body["status"]
            .as_str()
            .expect("a receipt has a status")
            .to_owned()
    }

    async fn materials(&self) -> Vec<Value> {
        let reply = self.get("/api/materials?limit=500").await;
        reply.body["items"].as_array().cloned().unwrap_or_default()
    }

    async fn modules(&self) -> Vec<Value> {
        let reply = self.get("/api/modules?limit=500").await;
        reply.body["items"].as_array().cloned().unwrap_or_default()
    }
}

#[tokio::test]
async fn signed_publishes_of_a_material_and_a_module_are_applied_to_the_catalog() {
    let app = spawn_app_with(with_secret(), None).await;
    let reply = app.deliver(&material("clmat1", 1, "Oak", "4.50")).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["status"], "applied");
    assert_eq!(reply.body["entry_id"], "clmat1");
    assert_eq!(reply.body["typename"], "Material");
    assert_eq!(
        app.deliver_ok(&module("clmod1", 1, "Base 60", "120.00", "clmat1"))
            .await,
        "applied"
    );

    let materials = app.materials().await;
    assert_eq!(materials.len(), 1);
    assert_eq!(materials[0]["name"], "Oak");
    assert_eq!(materials[0]["cost_per_sq_ft"], "4.50");
    assert_eq!(materials[0]["thickness_mm"], 18.0);
    assert_eq!(materials[0]["external_ids"]["hygraph"], "clmat1");
    let modules = app.modules().await;
    assert_eq!(modules.len(), 1);
    assert_eq!(modules[0]["base_price"], "120.00");
    assert_eq!(modules[0]["material_id"], materials[0]["id"]);
    assert_eq!(modules[0]["assembly_attributes"]["shelves"], 1);
}

#[tokio::test]
async fn a_tampered_body_is_refused_with_401_and_nothing_is_applied() {
    let app = spawn_app_with(with_secret(), None).await;
    let body = material("clmat1", 1, "Oak", "4.50").to_string();
    let header = signature_header(SECRET.as_bytes(), &body, "master", now_ms());
    let tampered = body.replace("4.50", "0.01");
    app.post_signed(tampered.as_bytes(), Some(&header))
        .await
        .assert_problem(401, None);
    assert!(app.materials().await.is_empty());
}

#[tokio::test]
async fn the_signature_is_checked_before_the_body_so_a_replayed_header_is_401_whatever_the_body() {
    let app = spawn_app_with(with_secret(), None).await;
    let signed_body = material("clmat1", 1, "Oak", "4.50").to_string();
    let header = signature_header(SECRET.as_bytes(), &signed_body, "master", now_ms());
    for body in [&b""[..], b"not json", b"{\"a\":\"\xff\"}"] {
        let reply = app.post_signed(body, Some(&header)).await;
        reply.assert_problem(401, None);
    }
}

#[tokio::test]
async fn a_delivery_signed_with_another_secret_is_refused_with_401() {
    let app = spawn_app_with(with_secret(), None).await;
    let body = material("clmat1", 1, "Oak", "4.50").to_string();
    let header = signature_header(b"someone-else", &body, "master", now_ms());
    let reply = app.post_signed(body.as_bytes(), Some(&header)).await;
    reply.assert_problem(401, None);
    assert!(
        reply.body["detail"]
            .as_str()
            .unwrap()
            .contains("does not match")
    );
}

#[tokio::test]
async fn stale_and_future_signatures_are_refused_with_401_and_recent_ones_accepted() {
    let app = spawn_app_with(with_secret(), None).await;
    let body = material("clmat1", 1, "Oak", "4.50").to_string();
    let minute = 60_000;
    for (signed_at, expected) in [
        (now_ms() - 6 * minute, 401),
        (now_ms() + 2 * minute, 401),
        (now_ms() - 4 * minute, 200),
    ] {
        let header = signature_header(SECRET.as_bytes(), &body, "master", signed_at);
        let reply = app.post_signed(body.as_bytes(), Some(&header)).await;
        assert_eq!(
            reply.status, expected,
            "signed at {signed_at}: {}",
            reply.body
        );
    }
}

#[tokio::test]
async fn malformed_signature_headers_are_refused_with_400_naming_the_header() {
    let app = spawn_app_with(with_secret(), None).await;
    let body = material("clmat1", 1, "Oak", "4.50").to_string();
    let good = signature_header(SECRET.as_bytes(), &body, "master", now_ms());
    let sign = good.split(", ").next().expect("the header has parts");
    let cases = [
        (None, "missing"),
        (Some(format!("{sign}, env=master")), "part `t` is missing"),
        (
            Some(format!("{sign}, env=master, t=soon")),
            "not a whole number",
        ),
        (Some("garbage".to_owned()), "not a `key=value` part"),
    ];
    for (header, expected) in cases {
        let reply = app.post_signed(body.as_bytes(), header.as_deref()).await;
        reply.assert_problem(400, Some("gcms-signature"));
        let detail = reply.body["detail"].as_str().unwrap_or_default();
        assert!(detail.contains(expected), "{header:?}: {detail}");
    }
    assert!(app.materials().await.is_empty());
}

#[tokio::test]
async fn a_signature_in_the_wrong_encoding_is_refused_with_401_like_any_bad_signature() {
    let app = spawn_app_with(with_secret(), None).await;
    let body = material("clmat1", 1, "Oak", "4.50").to_string();
    let signed_at = now_ms();
    // A digest written in hex (64 characters, which base64 decodes to 48 bytes), a sign
    // that is not base64 at all, and one that decodes to too few bytes.
    let hex_digest = "9f".repeat(32);
    for sign in [hex_digest.as_str(), "not*base64", "AAAA"] {
        let header = format!("sign={sign}, env=master, t={signed_at}");
        let reply = app.post_signed(body.as_bytes(), Some(&header)).await;
        assert_eq!(reply.status, 401, "sign={sign}: {}", reply.body);
    }
    assert!(app.materials().await.is_empty());
}

#[tokio::test]
async fn a_replayed_delivery_is_answered_duplicate_and_changes_nothing() {
    let app = spawn_app_with(with_secret(), None).await;
    let body = material("clmat1", 1, "Oak", "4.50");
    assert_eq!(app.deliver_ok(&body).await, "applied");
    let before = app.materials().await;
    // Hygraph signs every retry afresh; the body alone identifies the delivery.
    let replay = app.deliver(&body).await;
    assert_eq!(replay.status, 200);
    assert_eq!(replay.body["status"], "duplicate");
    assert_eq!(app.materials().await, before);
}

#[tokio::test]
async fn empty_and_non_json_bodies_are_refused_with_400_naming_the_body() {
    let app = spawn_app_with(with_secret(), None).await;
    for body in ["", "not json", "[1, 2]"] {
        let header = signature_header(SECRET.as_bytes(), body, "master", now_ms());
        let reply = app.post_signed(body.as_bytes(), Some(&header)).await;
        reply.assert_problem(400, Some("body"));
    }
    let missing_fields = json!({"operation": "publish", "data": {"__typename": "Material",
        "id": "clmat1", "updatedAt": at(1)}});
    let reply = app.deliver(&missing_fields).await;
    reply.assert_problem(400, Some("data.costPerSqFt"));
    assert!(reply.body["detail"].as_str().unwrap().contains("data.name"));
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_refused_with_413() {
    let app = spawn_app_with(with_secret(), None).await;
    let body = format!(r#"{{"padding":"{}"}}"#, "x".repeat(1024 * 1024));
    let header = signature_header(SECRET.as_bytes(), &body, "master", now_ms());
    app.post_signed(body.as_bytes(), Some(&header))
        .await
        .assert_problem(413, None);
}

#[tokio::test]
async fn without_a_secret_the_webhook_answers_503_and_applies_nothing() {
    let app = spawn_app().await;
    let reply = app.deliver(&material("clmat1", 1, "Oak", "4.50")).await;
    reply.assert_problem(503, None);
    assert!(
        reply.body["detail"]
            .as_str()
            .unwrap()
            .contains("PAFORM_HYGRAPH_SECRET")
    );
    assert!(app.materials().await.is_empty());
    let log = app.get("/api/sync/hygraph/deliveries").await;
    assert_eq!(log.body["total"], 0);
}

#[tokio::test]
async fn a_secret_saved_in_the_settings_enables_the_webhook_and_is_never_shown() {
    let app = spawn_app().await;
    let settings = app.get("/api/settings").await;
    assert_eq!(settings.body["hygraph_secret_set"], false);
    let mut update = settings.body.clone();
    update["hygraph_secret"] = json!(SECRET);
    let saved = app.put("/api/settings", &update).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(saved.body["hygraph_secret_set"], true);
    assert!(saved.body.get("hygraph_secret").is_none());
    assert!(!saved.body.to_string().contains(SECRET));

    // Saving the quote defaults without the secret keeps it.
    let defaults = json!({"currency": "EUR", "tax_rate": "0.2", "quote_validity_days": 10});
    assert_eq!(app.put("/api/settings", &defaults).await.status, 200);
    assert_eq!(
        app.deliver_ok(&material("clmat1", 1, "Oak", "4")).await,
        "applied"
    );

    let cleared = json!({"currency": "EUR", "tax_rate": "0.2", "quote_validity_days": 10,
        "hygraph_secret": ""});
    let reply = app.put("/api/settings", &cleared).await;
    assert_eq!(reply.body["hygraph_secret_set"], false);
    app.deliver(&material("clmat1", 2, "Oak", "4"))
        .await
        .assert_problem(503, None);
}

#[tokio::test]
async fn a_replay_after_a_restart_is_still_a_duplicate() {
    let app = spawn_app_with(with_secret(), None).await;
    let body = material("clmat1", 1, "Oak", "4.50");
    assert_eq!(app.deliver_ok(&body).await, "applied");
    let data_dir = app.stop().await;

    let restarted = spawn_app_with(with_secret(), Some(data_dir)).await;
    assert_eq!(restarted.deliver_ok(&body).await, "duplicate");
    assert_eq!(restarted.materials().await.len(), 1);
}

#[tokio::test]
async fn out_of_order_updates_and_deletes_end_in_the_newest_state() {
    let app = spawn_app_with(with_secret(), None).await;
    assert_eq!(
        app.deliver_ok(&material("clmat1", 20, "Oak v2", "5")).await,
        "applied"
    );
    // An older version arriving late never overwrites the newer one.
    assert_eq!(
        app.deliver_ok(&material("clmat1", 10, "Oak v1", "4")).await,
        "ignored"
    );
    assert_eq!(app.materials().await[0]["name"], "Oak v2");

    assert_eq!(
        app.deliver_ok(&removal("delete", "Material", "clmat1", None))
            .await,
        "applied"
    );
    assert!(app.materials().await.is_empty());
    // A delayed publish of the deleted entry does not resurrect it.
    assert_eq!(
        app.deliver_ok(&material("clmat1", 30, "Oak v3", "6")).await,
        "ignored"
    );
    assert!(app.materials().await.is_empty());

    // Unpublish then a newer republish: the republish wins, in place.
    app.deliver_ok(&material("clmat2", 1, "Walnut", "9")).await;
    let id = app.materials().await[0]["id"].clone();
    app.deliver_ok(&removal("unpublish", "Material", "clmat2", Some(2)))
        .await;
    assert!(app.materials().await.is_empty());
    app.deliver_ok(&material("clmat2", 3, "Walnut oiled", "9.5"))
        .await;
    let materials = app.materials().await;
    assert_eq!(materials.len(), 1);
    assert_eq!(materials[0]["name"], "Walnut oiled");
    assert_ne!(
        materials[0]["id"], id,
        "a republished entry gets a new local id"
    );
}

#[tokio::test]
async fn a_draft_change_is_recorded_not_applied() {
    let app = spawn_app_with(with_secret(), None).await;
    app.deliver_ok(&material("clmat1", 1, "Oak", "4")).await;
    let draft = json!({"operation": "update", "data": {"__typename": "Material",
        "id": "clmat1", "stage": "DRAFT", "updatedAt": at(5), "name": "Oak draft"}});
    assert_eq!(app.deliver_ok(&draft).await, "recorded");
    assert_eq!(app.materials().await[0]["name"], "Oak");
    let other_model = json!({"operation": "publish", "data": {"__typename": "BlogPost",
        "id": "clpost1", "stage": "PUBLISHED", "updatedAt": at(5)}});
    assert_eq!(app.deliver_ok(&other_model).await, "ignored");
}

#[tokio::test]
async fn a_module_before_its_material_is_pending_then_applied_with_it() {
    let app = spawn_app_with(with_secret(), None).await;
    let early = app
        .deliver(&module("clmod1", 1, "Base 60", "120.00", "clmat1"))
        .await;
    assert_eq!(early.body["status"], "pending", "{}", early.body);
    assert!(app.modules().await.is_empty());

    let material = app.deliver(&material("clmat1", 1, "Oak", "4.50")).await;
    assert_eq!(material.body["status"], "applied");
    assert_eq!(material.body["released"], json!(["clmod1"]));
    let modules = app.modules().await;
    assert_eq!(modules.len(), 1);
    assert_eq!(modules[0]["name"], "Base 60");
}

#[tokio::test]
async fn the_delivery_log_lists_outcomes_newest_first_including_rejections() {
    let app = spawn_app_with(with_secret(), None).await;
    app.deliver_ok(&material("clmat1", 1, "Oak", "4")).await;
    app.deliver_ok(&material("clmat1", 1, "Oak", "4")).await;
    let body = material("clmat1", 2, "Oak", "5").to_string();
    let forged = signature_header(b"forged", &body, "master", now_ms());
    app.post_signed(body.as_bytes(), Some(&forged)).await;

    let log = app.get("/api/sync/hygraph/deliveries?limit=10").await;
    assert_eq!(log.status, 200, "{}", log.body);
    assert_eq!(log.body["total"], 3);
    let outcomes: Vec<&str> = log.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|line| line["outcome"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(outcomes, ["rejected", "duplicate", "applied"]);
    let rejected = &log.body["items"][0];
    assert!(rejected["reason"].as_str().unwrap().starts_with("401"));
    assert_eq!(log.body["items"][2]["entry_id"], "clmat1");

    app.get("/api/sync/hygraph/deliveries?limit=0")
        .await
        .assert_problem(422, Some("limit"));
}
