//! Pairing by QR (SPEC §13): an admin makes a code whose link names the server's address,
//! a tablet claims it once without a token and gets a token of the chosen role; a used or
//! expired code is 410, and guessing codes is slowed down per address.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use jiff::{SignedDuration, Timestamp};
use paform_app::Clock;
use paform_app::dto::DeviceTokenInput;
use serde_json::json;

use crate::support::{TestApp, spawn_app_requiring_tokens, spawn_seeded_app};

/// A clock that tests can move forward.
#[derive(Default)]
struct MovableClock {
    offset_secs: AtomicI64,
}

impl Clock for MovableClock {
    fn now(&self) -> Timestamp {
        Timestamp::now() + SignedDuration::from_secs(self.offset_secs.load(Ordering::SeqCst))
    }
}

async fn admin_token(app: &paform_app::App) -> String {
    app.create_device_token(DeviceTokenInput {
        name: "office".into(),
        role: None,
    })
    .await
    .expect("a token is created")
    .token
}

async fn pair(server: &TestApp, token: &str, role: &str) -> serde_json::Value {
    let reply = server
        .send_as(
            token,
            server
                .client
                .post(server.url("/api/pairing"))
                .json(&json!({"name": "floor-tablet", "role": role})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.body
}

#[tokio::test]
async fn a_code_is_claimed_once_for_a_token_of_its_role_through_a_link_to_this_server() {
    let (server, app) = spawn_app_requiring_tokens(None).await;
    let admin = admin_token(&app).await;
    let pairing = pair(&server, &admin, "production").await;
    let code = pairing["code"].as_str().unwrap();
    assert_eq!(code.len(), 8);
    let url = pairing["url"].as_str().unwrap();
    assert_eq!(
        url,
        format!(
            "http://127.0.0.1:{}/pair/?code={code}",
            server.address.port()
        )
    );
    // A server on loopback only: the answer says no tablet can open the link (SPEC §17).
    assert_eq!(pairing["reachable_from_network"], false);
    let expires_at: Timestamp = pairing["expires_at"].as_str().unwrap().parse().unwrap();
    let ttl = expires_at.duration_since(Timestamp::now());
    // Five minutes from when it was made; the slack absorbs a busy machine and the second
    // the timestamp may be rounded to.
    assert!(
        ttl > SignedDuration::from_mins(4) && ttl <= SignedDuration::from_secs(301),
        "{ttl:?}"
    );

    let claim = server
        .post("/api/pairing/claim", &json!({"code": code.to_lowercase()}))
        .await;
    assert_eq!(claim.status, 201, "{}", claim.body);
    assert_eq!(claim.body["role"], "production");
    assert_eq!(claim.body["name"], "floor-tablet");
    let token = claim.body["token"].as_str().unwrap();

    let orders = server
        .send_as(token, server.client.get(server.url("/api/orders")))
        .await;
    assert_eq!(orders.status, 200, "{}", orders.body);
    let tokens = server
        .send_as(token, server.client.get(server.url("/api/tokens")))
        .await;
    tokens.assert_problem(403, None);

    let again = server
        .post("/api/pairing/claim", &json!({"code": code}))
        .await;
    again.assert_problem(410, None);
    assert!(
        again.body["detail"]
            .as_str()
            .unwrap()
            .contains("already used")
    );
}

#[tokio::test]
async fn only_admins_make_codes_and_roles_are_checked() {
    let (server, app) = spawn_app_requiring_tokens(None).await;
    let sales = app
        .create_device_token(DeviceTokenInput {
            name: "counter".into(),
            role: Some("sales".into()),
        })
        .await
        .unwrap()
        .token;
    let refused = server
        .send_as(
            &sales,
            server
                .client
                .post(server.url("/api/pairing"))
                .json(&json!({"name": "x", "role": "admin"})),
        )
        .await;
    refused.assert_problem(403, None);
    let admin = admin_token(&app).await;
    let bad = server
        .send_as(
            &admin,
            server
                .client
                .post(server.url("/api/pairing"))
                .json(&json!({"name": "x", "role": "owner"})),
        )
        .await;
    bad.assert_problem(422, Some("role"));
    // Loopback without a token (the desktop app's own server) is admin too.
    let local = spawn_seeded_app().await;
    let made = local.post("/api/pairing", &json!({"name": "tablet"})).await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(made.body["role"], "admin");
}

#[tokio::test]
async fn an_expired_code_is_gone() {
    let clock = Arc::new(MovableClock::default());
    let (server, app) = spawn_app_requiring_tokens(Some(clock.clone())).await;
    let admin = admin_token(&app).await;
    let pairing = pair(&server, &admin, "sales").await;
    clock.offset_secs.store(5 * 60, Ordering::SeqCst);
    let claim = server
        .post("/api/pairing/claim", &json!({"code": pairing["code"]}))
        .await;
    claim.assert_problem(410, None);
    assert!(claim.body["detail"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn guessing_codes_is_slowed_down_per_address() {
    let (server, app) = spawn_app_requiring_tokens(None).await;
    let admin = admin_token(&app).await;
    let pairing = pair(&server, &admin, "sales").await;
    for guess in 0..5 {
        let wrong = server
            .post(
                "/api/pairing/claim",
                &json!({"code": format!("ZZZZZZZ{guess}")}),
            )
            .await;
        wrong.assert_problem(404, None);
    }
    let limited = server
        .send(
            server
                .client
                .post(server.url("/api/pairing/claim"))
                .json(&json!({"code": pairing["code"]})),
        )
        .await;
    limited.assert_problem(429, None);
    // The right code was not spent by the refused attempt.
    assert!(app.list_device_tokens(false).unwrap().len() == 1);
}
