//! Durability: every acknowledged write survives a SIGKILL of the server process.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::paform_binary;

struct Server {
    child: Child,
    base: String,
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("port 0 binds");
    listener.local_addr().expect("bound").port()
}

async fn start(data_dir: &std::path::Path) -> Server {
    let port = free_port();
    let mut child = Command::new(paform_binary())
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(data_dir)
        .env("PAFORM_UI_DIR", "/nonexistent")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the paform binary starts");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if client
            .get(format!("{base}/api/health"))
            .send()
            .await
            .is_ok()
        {
            return Server { child, base };
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("paform serve did not answer within 5 s");
}

#[tokio::test]
async fn acknowledged_writes_survive_a_sigkill() {
    let data_dir = tempfile::tempdir().expect("tempdir");
    let mut server = start(data_dir.path()).await;
    let client = reqwest::Client::new();
    let modules: Value = client
        .get(format!("{}/api/modules", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let module_id = modules["items"][0]["id"].as_str().unwrap().to_owned();

    // Many concurrent writes; whatever got its 201 must be there after the kill.
    let mut writes = Vec::new();
    for i in 0..64 {
        let client = client.clone();
        let base = server.base.clone();
        let module_id = module_id.clone();
        writes.push(tokio::spawn(async move {
            let body = json!({"items": [{"module_id": module_id, "quantity": 1 + i % 5}]});
            let reply = client
                .post(format!("{base}/api/quote/generate"))
                .json(&body)
                .send()
                .await
                .ok()?;
            if reply.status() != 201 {
                return None;
            }
            let quote: Value = reply.json().await.ok()?;
            Some(quote)
        }));
    }
    let mut acknowledged = Vec::new();
    for write in writes {
        if let Some(quote) = write.await.unwrap() {
            acknowledged.push(quote);
        }
    }
    assert_eq!(acknowledged.len(), 64);
    server.child.kill().expect("SIGKILL is delivered");
    server.child.wait().expect("the killed process is reaped");

    let mut server = start(data_dir.path()).await;
    for quote in &acknowledged {
        let url = format!(
            "{}/api/quotes/{}",
            server.base,
            quote["id"].as_str().unwrap()
        );
        let reread: Value = client.get(url).send().await.unwrap().json().await.unwrap();
        assert_eq!(&reread, quote);
    }
    // Restarting did not seed the demo catalog a second time.
    let materials: Value = client
        .get(format!("{}/api/materials", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(materials["total"], 6);
    server.child.kill().expect("SIGKILL is delivered");
    let _ = server.child.wait();
}

#[tokio::test]
async fn an_order_killed_mid_funnel_restarts_exactly_where_it_was() {
    let data_dir = tempfile::tempdir().expect("tempdir");
    let mut server = start(data_dir.path()).await;
    let client = reqwest::Client::new();
    let base = server.base.clone();
    let post = |path: String, body: Value| {
        let client = client.clone();
        let url = format!("{base}{path}");
        async move {
            let reply = client.post(url).json(&body).send().await.expect("answers");
            assert!(reply.status().is_success(), "{}", reply.status());
            reply.json::<Value>().await.expect("json")
        }
    };
    let modules: Value = client
        .get(format!("{base}/api/modules"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let module_id = modules["items"][0]["id"].clone();
    let quote = post(
        "/api/quote/generate".into(),
        json!({"items": [{"module_id": module_id, "quantity": 1}]}),
    )
    .await;
    let order = post(
        format!("/api/quotes/{}/accept", quote["id"].as_str().unwrap()),
        json!({"buyer": {"name": "Kim", "email": "kim@example.com"}, "actor": "Sam"}),
    )
    .await;
    let id = order["id"].as_str().unwrap().to_owned();
    post(
        format!("/api/orders/{id}/transitions"),
        json!({"to": "pending_payment", "actor": "Sam"}),
    )
    .await;
    let payment = post(
        format!("/api/orders/{id}/payments"),
        json!({"kind": "deposit", "amount": "50.00"}),
    )
    .await;
    let capture = json!({"provider": "stripe", "provider_ref": "ch_9", "type": "capture", "amount": "50.00", "status": "succeeded"});
    post(
        format!(
            "/api/payments/{}/transactions",
            payment["id"].as_str().unwrap()
        ),
        capture,
    )
    .await;
    let before = post(
        format!("/api/orders/{id}/transitions"),
        json!({"to": "design_review", "actor": "Sam"}),
    )
    .await;

    server.child.kill().expect("SIGKILL is delivered");
    server.child.wait().expect("the killed process is reaped");
    let mut server = start(data_dir.path()).await;
    let after: Value = client
        .get(format!("{}/api/orders/{id}", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after, before);
    assert_eq!(after["status"], "design_review");
    assert_eq!(after["amount_paid"], "50.00");
    let events: Value = client
        .get(format!("{}/api/orders/{id}/events", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "order_created",
            "status_changed",
            "payment_created",
            "transaction_recorded",
            "status_changed"
        ]
    );
    server.child.kill().expect("SIGKILL is delivered");
    let _ = server.child.wait();
}
