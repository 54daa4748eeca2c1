//! The order is its events (SPEC §15): the chain starts with `order_created`, an auditor can
//! verify it from the API's JSON alone (docs/audit-chain.md), and `audit verify` (API and CLI)
//! reports a stored order edited behind the app's back like a broken hash.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::{TestApp, paform_binary, spawn_app, spawn_app_with};

fn actor() -> Value {
    json!({"id": "u-9", "name": "Ines", "role": "sales"})
}

/// An order of two cubes (30.00 at 0 % tax), moved to `pending_payment`, with a confirmed
/// change (three cubes, 45.00), a captured deposit of 10.00 and a declined change.
async fn order_with_history(app: &TestApp) -> Value {
    let oak = app.material("Oak", "1", None).await;
    let cube = app
        .module("Cube", [304.8, 304.8, 304.8], "9.00", &oak)
        .await;
    let quote = app
        .post(
            "/api/quote/generate",
            &json!({"items": [{"module_id": cube, "quantity": 2}]}),
        )
        .await;
    assert_eq!(quote.status, 201, "{}", quote.body);
    let order = app
        .post(
            &format!("/api/quotes/{}/accept", quote.body["id"].as_str().unwrap()),
            &json!({"buyer": {"name": "Ada Lovelace", "email": "ada@example.com"}, "actor": actor()}),
        )
        .await;
    assert_eq!(order.status, 201, "{}", order.body);
    let id = order.body["id"].as_str().unwrap().to_owned();
    let line = order.body["line_items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let moved = app
        .post(
            &format!("/api/orders/{id}/transitions"),
            &json!({"to": "pending_payment", "actor": actor()}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    let change = app
        .post(
            &format!("/api/orders/{id}/changes"),
            &json!({"actions": [{"type": "set_quantity", "line_item_id": line, "quantity": 3}], "actor": actor()}),
        )
        .await;
    assert_eq!(change.status, 201, "{}", change.body);
    let confirmed = app
        .post(
            &format!(
                "/api/order-changes/{}/confirm",
                change.body["id"].as_str().unwrap()
            ),
            &json!({"actor": actor()}),
        )
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    let payment = app
        .post(
            &format!("/api/orders/{id}/payments"),
            &json!({"kind": "deposit", "amount": "10.00"}),
        )
        .await;
    assert_eq!(payment.status, 201, "{}", payment.body);
    let payment_id = payment.body["id"].as_str().unwrap();
    let capture = app
        .post(
            &format!("/api/payments/{payment_id}/transactions"),
            &json!({"provider": "stripe", "provider_ref": format!("ch_{payment_id}"), "type": "capture", "amount": "10.00", "status": "succeeded"}),
        )
        .await;
    assert_eq!(capture.status, 201, "{}", capture.body);
    let declined = app
        .post(
            &format!("/api/orders/{id}/changes"),
            &json!({"actions": [{"type": "shipping", "amount": "5.00"}], "actor": actor()}),
        )
        .await;
    let decline = app
        .post(
            &format!(
                "/api/order-changes/{}/decline",
                declined.body["id"].as_str().unwrap()
            ),
            &json!({"actor": actor()}),
        )
        .await;
    assert_eq!(decline.status, 200, "{}", decline.body);
    app.get(&format!("/api/orders/{id}")).await.body
}

/// JSON with keys sorted at every depth and no whitespace: what an auditor writes in a few
/// lines of any language (`json.dumps(e, sort_keys=True, separators=(",", ":"))`).
fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let fields: Vec<String> = keys
                .into_iter()
                .map(|key| format!("{}:{}", Value::from(key.as_str()), canonical(&map[key])))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(canonical).collect();
            format!("[{}]", items.join(","))
        }
        scalar => scalar.to_string(),
    }
}

#[tokio::test]
async fn a_chain_verifies_from_the_apis_json_alone() {
    let app = spawn_app().await;
    let order = order_with_history(&app).await;
    let id = order["id"].as_str().unwrap();
    let events = app.get(&format!("/api/orders/{id}/events")).await.body;
    let events = events.as_array().unwrap();

    // The auditor's few lines: SHA-256 over prev_hash ‖ canonical JSON of the event minus hash.
    let mut prev = "0".repeat(64);
    for (index, event) in events.iter().enumerate() {
        let mut body = event.as_object().unwrap().clone();
        let hash = body.remove("hash").unwrap();
        assert_eq!(event["seq"], index + 1);
        assert_eq!(event["prev_hash"], prev.as_str());
        let digest = Sha256::digest(format!("{prev}{}", canonical(&Value::Object(body))));
        let expected: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
        assert_eq!(
            hash,
            expected.as_str(),
            "event {} does not verify",
            index + 1
        );
        prev = expected;
    }

    // Exactly the hashed fields plus `hash`: no view-only `from`/`to`.
    let mut fields: Vec<&str> = events[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "actor",
            "at",
            "data",
            "hash",
            "kind",
            "note",
            "order_id",
            "prev_hash",
            "seq"
        ]
    );
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "order_created",
            "status_changed",
            "change_confirmed",
            "payment_created",
            "transaction_recorded",
            "change_declined"
        ]
    );
    // The first event carries the whole contract as accepted: two cubes for 30.00, a draft.
    let created = &events[0]["data"];
    assert_eq!(created["quote_id"], order["quote_id"]);
    assert_eq!(created["order"]["number"], order["number"]);
    assert_eq!(created["order"]["status"], "draft");
    assert_eq!(created["order"]["total"], "30.00");
    assert_eq!(created["order"]["buyer"]["email"], "ada@example.com");
    assert_eq!(created["order"]["line_items"][0]["quantity"], 2);
    assert!(created["order"]["line_items"][0]["production"]["panels"].is_array());
    // A status change carries its move; a confirmed change its actions and what it changed.
    assert_eq!(
        events[1]["data"],
        json!({"from": "draft", "to": "pending_payment"})
    );
    let change = &events[2]["data"];
    assert_eq!(change["actions"][0]["type"], "set_quantity");
    assert_eq!(change["changed"]["total"], "45.00");
    assert_eq!(change["changed"]["line_items"][0]["quantity"], 3);
    assert_eq!(change["totals"]["total"], "45.00");

    let audit = app
        .get(&format!("/api/audit/verify?order_id={id}"))
        .await
        .body;
    assert_eq!(
        audit,
        json!({"orders": 1, "events": 6, "ok": true, "projected": 1, "broken": []})
    );
}

/// The store file of a server stopped a moment ago, opened with redb itself.
fn open_stopped_store(path: &std::path::Path) -> redb::Database {
    // The store was just stopped: its writer, or a background pass of a chain's push loop,
    // may hold the file a moment longer.
    (0..1000)
        .find_map(|_| {
            let opened = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(path)
                .ok()
                .and_then(|file| redb::backends::FileBackend::new(file).ok())
                .and_then(|backend| redb::Builder::new().create_with_backend(backend).ok());
            if opened.is_none() {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            opened
        })
        .expect("the store file opens")
}

/// Removes order `id` and its whole chain from the store file, as someone behind the app's
/// back would: what is left verifies on its own.
pub(crate) fn remove_stored_order(path: &std::path::Path, id: &str) {
    use redb::ReadableTable;
    let database = open_stopped_store(path);
    let write = database.begin_write().expect("writes");
    {
        let orders: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("orders");
        write
            .open_table(orders)
            .expect("orders")
            .remove(id)
            .expect("removes");
        let events: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("order_events");
        let mut table = write.open_table(events).expect("order events");
        let prefix = format!("{id}/");
        let keys: Vec<String> = table
            .range(prefix.as_str()..)
            .expect("reads")
            .map(|entry| entry.expect("reads").0.value().to_owned())
            .take_while(|key| key.starts_with(&prefix))
            .collect();
        assert!(!keys.is_empty(), "order {id} has events");
        for key in keys {
            table.remove(key.as_str()).expect("removes");
        }
    }
    write.commit().expect("commits");
}

/// Rewrites the stored order record `id` in the store file with `edit`, through redb itself.
pub(crate) fn edit_stored_order(
    path: &std::path::Path,
    id: &str,
    edit: impl FnOnce(&mut paform_store::records::v3::OrderRecord),
) {
    use redb::ReadableTable;
    let orders: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("orders");
    let database = open_stopped_store(path);
    let write = database.begin_write().expect("writes");
    {
        let mut table = write.open_table(orders).expect("orders");
        let bytes = table
            .get(id)
            .expect("reads")
            .expect("stored")
            .value()
            .to_vec();
        let (mut order, _): (paform_store::records::v3::OrderRecord, usize) =
            bincode::serde::decode_from_slice(&bytes, bincode::config::standard())
                .expect("decodes");
        edit(&mut order);
        let bytes =
            bincode::serde::encode_to_vec(&order, bincode::config::standard()).expect("encodes");
        table.insert(id, bytes.as_slice()).expect("writes");
    }
    write.commit().expect("commits");
}

#[tokio::test]
async fn a_stored_total_or_line_edited_behind_the_apps_back_is_reported_by_the_api_and_the_cli() {
    let app = spawn_app().await;
    let order = order_with_history(&app).await;
    let untouched = order_with_history(&app).await;
    let id = order["id"].as_str().unwrap().to_owned();
    let dir = app.stop().await;
    let store = dir.path().join("paform.redb");
    edit_stored_order(&store, &id, |order| {
        order.total = "1.00".into();
        order.line_items[0].quantity = 1;
    });

    let verify = std::process::Command::new(paform_binary())
        .args([
            "audit",
            "verify",
            "--data-dir",
            dir.path().to_str().unwrap(),
        ])
        .env_remove("PAFORM_DATA_DIR")
        .output()
        .expect("paform runs");
    assert_eq!(verify.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&verify.stdout).expect("a JSON report");
    let expected_broken = json!([{"order_id": id, "seq": 6, "reason": "record",
        "fields": ["line_items", "total"]}]);
    assert_eq!(report["ok"], false);
    assert_eq!(report["orders"], 2);
    assert_eq!(report["projected"], 1);
    assert_eq!(report["broken"], expected_broken);

    let app = spawn_app_with(Default::default(), Some(dir)).await;
    let audit = app.get("/api/audit/verify").await.body;
    assert_eq!(audit["ok"], false);
    assert_eq!(audit["broken"], expected_broken);
    let one = app
        .get(&format!(
            "/api/audit/verify?order_id={}",
            untouched["id"].as_str().unwrap()
        ))
        .await
        .body;
    assert_eq!(one["ok"], true, "{one}");
}
