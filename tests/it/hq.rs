//! HQ (SPEC §15) against a real PostgreSQL: joining, pushing (applied, duplicate, differing,
//! tampered, gap, lost reply, two HQ processes at once), revocation and tokens. Each push
//! test ends with the same check: every entry at HQ exactly once, every chain verifies, and
//! the orders table equals the projection rebuilt from the events.

use reqwest::Method;
use serde_json::{Value, json};

use crate::hq_support::{TestHq, busy_site, call, spawn_hq, spawn_hq_on, spawn_hq_process};
use crate::support::pg;

/// The check every push test ends with.
async fn assert_converged(hq: &TestHq, entries: u64, orders: u64) {
    let audit = hq.audit().await;
    assert_eq!(audit["ok"], true, "{audit:#}");
    assert_eq!(audit["log_entries"], entries, "{audit:#}");
    assert_eq!(audit["orders"], orders, "{audit:#}");
}

#[tokio::test]
async fn a_site_joins_once_per_prefix() {
    let Some(hq) = spawn_hq().await else { return };
    let first = hq
        .hq
        .add_node("Lisbon", "showroom", None)
        .await
        .expect("added");
    let second = hq
        .hq
        .add_node("Porto", "showroom", None)
        .await
        .expect("added");
    let (status, reply) = hq
        .post(
            "/hq/v1/join",
            Some(&first.token),
            &json!({"number_prefix": "LIS"}),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["node_id"], first.node_id.as_str());
    assert_eq!(reply["node_name"], "Lisbon");
    assert_eq!(reply["role"], "showroom");
    assert_eq!(reply["held_seq"], 0);
    // Joining again with the same prefix answers the same.
    let (status, _) = hq
        .post(
            "/hq/v1/join",
            Some(&first.token),
            &json!({"number_prefix": "LIS"}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, problem) = hq
        .post(
            "/hq/v1/join",
            Some(&second.token),
            &json!({"number_prefix": "LIS"}),
        )
        .await;
    assert_eq!(status, 409, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("LIS")
    );
    let (status, _) = hq
        .post(
            "/hq/v1/join",
            Some(&second.token),
            &json!({"number_prefix": "lower"}),
        )
        .await;
    assert_eq!(status, 422);
    // A prefix reserved by `node add --prefix` is refused to others too.
    let refused = hq.hq.add_node("Braga", "factory", Some("LIS")).await;
    assert!(refused.is_err());
}

#[tokio::test]
async fn a_batch_is_applied_and_the_same_batch_again_is_a_no_op() {
    let Some(hq) = spawn_hq().await else { return };
    let mut site = hq.joined_site("Lisbon", "LIS").await;
    busy_site(&mut site, 4);
    let n = site.log.len() as u64;
    let (status, reply) = hq
        .post("/hq/v1/push", Some(&site.token), &site.batch_json(1, n))
        .await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply, json!({"held_seq": n, "quarantined": []}));
    assert_converged(&hq, n, 4).await;
    for _ in 0..2 {
        let (status, again) = hq
            .post("/hq/v1/push", Some(&site.token), &site.batch_json(1, n))
            .await;
        assert_eq!(status, 200);
        assert_eq!(again, reply);
    }
    let (status, _) = hq
        .post("/hq/v1/push", Some(&site.token), &site.batch_json(3, 5))
        .await;
    assert_eq!(status, 200);
    assert_converged(&hq, n, 4).await;

    let (status, list) = hq.get("/api/orders", Some(&hq.admin)).await;
    assert_eq!(status, 200);
    let orders = list["orders"].as_array().expect("orders");
    assert_eq!(orders.len(), 4);
    assert!(orders.iter().all(|o| o["node"] == site.node_id.as_str()));
    let (_, ready) = hq
        .get("/api/orders?status=production_ready", Some(&hq.admin))
        .await;
    assert_eq!(ready["orders"].as_array().map(Vec::len), Some(2));
    let (_, found) = hq.get("/api/orders?q=LIS-000003", Some(&hq.admin)).await;
    assert_eq!(found["orders"].as_array().map(Vec::len), Some(1));
    let id = found["orders"][0]["id"].as_str().expect("id").to_owned();
    let (status, order) = hq.get(&format!("/api/orders/{id}"), Some(&hq.admin)).await;
    assert_eq!(status, 200, "{order}");
    assert_eq!(order["number"], "LIS-000003");
    assert_eq!(order["total"], "102.50");
    assert_eq!(order["status"], "production_ready");
    assert_eq!(order["lines"][0]["unit_price"], "100.00");
    let (_, events) = hq
        .get(&format!("/api/orders/{id}/events"), Some(&hq.admin))
        .await;
    let events = events["events"].as_array().expect("events");
    assert_eq!(events.len(), 3);
    assert_eq!(events[0]["event"]["kind"], "order_created");
    // The rows are real: NUMERIC money, a node on every owned row.
    let total = pg::psql(
        &hq.url,
        &format!("SELECT total FROM orders WHERE id = '{id}'"),
    );
    assert_eq!(total, "102.50");
}

#[tokio::test]
async fn a_differing_entry_is_quarantined_and_overwrites_nothing() {
    let Some(hq) = spawn_hq().await else { return };
    let mut site = hq.joined_site("Lisbon", "LIS").await;
    busy_site(&mut site, 2);
    let n = site.log.len() as u64;
    hq.post("/hq/v1/push", Some(&site.token), &site.batch_json(1, n))
        .await;
    let mut forged = site.clone();
    forged.log[0].body["name"] = json!("Mallory");
    let (status, reply) = hq
        .post("/hq/v1/push", Some(&site.token), &forged.batch_json(1, 2))
        .await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["held_seq"], n);
    assert_eq!(reply["quarantined"][0]["node_seq"], 1);
    let name = pg::psql(
        &hq.url,
        &format!(
            "SELECT name FROM customers WHERE id = '{}'",
            site.log[0].key
        ),
    );
    assert_eq!(name, "Ada Lovelace");
    let (status, list) = hq.get("/hq/v1/quarantine", Some(&hq.admin)).await;
    assert_eq!(status, 200);
    assert_eq!(list["entries"].as_array().map(Vec::len), Some(1));
    assert_eq!(list["entries"][0]["body"]["name"], "Mallory");
    // The same forged entry again is not quarantined twice.
    hq.post("/hq/v1/push", Some(&site.token), &forged.batch_json(1, 1))
        .await;
    let (_, list) = hq.get("/hq/v1/quarantine", Some(&hq.admin)).await;
    assert_eq!(list["entries"].as_array().map(Vec::len), Some(1));
    let audit = hq.audit().await;
    assert_eq!(audit["ok"], true, "{audit:#}");
    assert_eq!(audit["log_entries"], n);
    assert_eq!(audit["quarantined"], 1);
}

#[tokio::test]
async fn a_tampered_order_event_is_quarantined_and_its_seq_still_counts() {
    let Some(hq) = spawn_hq().await else { return };
    let mut site = hq.joined_site("Lisbon", "LIS").await;
    site.customer("c-1", "Ada");
    let order = site.order("c-1", "500.00");
    site.status(&order, "pending_payment", "design_review");
    // The total edited after hashing: the link no longer matches its hash.
    let mut tampered = site.clone();
    tampered.log[1].body["data"]["order"]["total"] = json!("5.00");
    let (status, reply) = hq
        .post("/hq/v1/push", Some(&site.token), &tampered.batch_json(1, 3))
        .await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["held_seq"], 3);
    let reasons: Vec<u64> = reply["quarantined"]
        .as_array()
        .expect("quarantined")
        .iter()
        .map(|q| q["node_seq"].as_u64().unwrap_or(0))
        .collect();
    // The tampered link, and the next one, which no longer continues a chain HQ holds.
    assert_eq!(reasons, vec![2, 3], "{reply}");
    assert_eq!(pg::psql(&hq.url, "SELECT count(*) FROM orders"), "0");

    // A re-hashed forgery (consistent in itself) that skips a link breaks the chain too.
    let mut other = hq.joined_site("Porto", "POR").await;
    other.customer("c-2", "Bea");
    let order = other.order("c-2", "10.00");
    other.status(&order, "pending_payment", "design_review");
    let mut skipped = other.clone();
    skipped.log.remove(2);
    let body = crate::hq_support::order_event(
        &order,
        3,
        other.log[2].body["hash"].as_str().unwrap_or(""),
        "x",
        json!({}),
    );
    skipped.log.push(paform_api::chain::Entry {
        node_seq: 3,
        kind: paform_api::chain::EntryKind::OrderEvent,
        key: format!("{order}/3"),
        body,
    });
    let (_, reply) = hq
        .post("/hq/v1/push", Some(&other.token), &skipped.batch_json(1, 3))
        .await;
    assert_eq!(reply["held_seq"], 3);
    assert_eq!(reply["quarantined"][0]["node_seq"], 3, "{reply}");
    let audit = hq.audit().await;
    assert_eq!(audit["ok"], true, "{audit:#}");
    assert_eq!(audit["orders"], 1);
}

#[tokio::test]
async fn a_gap_is_answered_with_the_expected_seq() {
    let Some(hq) = spawn_hq().await else { return };
    let mut site = hq.joined_site("Lisbon", "LIS").await;
    busy_site(&mut site, 3);
    let (status, _) = hq
        .post("/hq/v1/push", Some(&site.token), &site.batch_json(1, 4))
        .await;
    assert_eq!(status, 200);
    let (status, gap) = hq
        .post("/hq/v1/push", Some(&site.token), &site.batch_json(7, 9))
        .await;
    assert_eq!(status, 409);
    assert_eq!(gap, json!({"expected_seq": 5}));
    // A batch that overlaps what HQ holds continues after it.
    let n = site.log.len() as u64;
    let (status, reply) = hq
        .post("/hq/v1/push", Some(&site.token), &site.batch_json(3, n))
        .await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["held_seq"], n);
    assert_converged(&hq, n, 3).await;
}

/// A proxy that forwards one request to HQ and drops the connection instead of the reply.
async fn push_and_lose_the_reply(hq: &TestHq, token: &str, body: &Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let proxy = listener.local_addr().expect("address");
    let upstream = hq.address;
    let relay = tokio::spawn(async move {
        let (mut client, _) = listener.accept().await.expect("a client");
        let mut server = tokio::net::TcpStream::connect(upstream).await.expect("HQ");
        let mut request = vec![0u8; 1 << 20];
        let mut forwarded = 0;
        // Forward until HQ starts answering, then read its whole reply and drop it.
        loop {
            tokio::select! {
                read = client.read(&mut request) => {
                    let read = read.expect("reads");
                    if read == 0 { break; }
                    server.write_all(&request[..read]).await.expect("writes");
                    forwarded += read;
                }
                _ = server.readable() => break,
            }
        }
        let mut reply = Vec::new();
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            server.read_to_end(&mut reply),
        )
        .await;
        drop(client);
        (forwarded, reply)
    });
    let outcome = hq
        .client
        .post(format!("http://{proxy}/hq/v1/push"))
        .bearer_auth(token)
        .header("connection", "close")
        .json(body)
        .send()
        .await;
    assert!(outcome.is_err(), "the reply was lost");
    let (forwarded, reply) = relay.await.expect("the relay ends");
    assert!(forwarded > 0);
    assert!(
        String::from_utf8_lossy(&reply).starts_with("HTTP/1.1 200"),
        "HQ committed and answered"
    );
}

#[tokio::test]
async fn a_reply_lost_after_commit_makes_the_re_push_a_no_op() {
    let Some(hq) = spawn_hq().await else { return };
    let mut site = hq.joined_site("Lisbon", "LIS").await;
    busy_site(&mut site, 3);
    let n = site.log.len() as u64;
    push_and_lose_the_reply(&hq, &site.token, &site.batch_json(1, n)).await;
    let (status, reply) = hq
        .post("/hq/v1/push", Some(&site.token), &site.batch_json(1, n))
        .await;
    assert_eq!(status, 200);
    assert_eq!(reply, json!({"held_seq": n, "quarantined": []}));
    assert_converged(&hq, n, 3).await;
}

#[tokio::test]
async fn two_hq_processes_apply_the_same_batch_exactly_once() {
    let Some(url) = pg::database() else { return };
    let hq = spawn_hq_on(url.clone()).await;
    let first = spawn_hq_process(&url);
    let second = spawn_hq_process(&url);
    let mut site = hq.joined_site("Lisbon", "LIS").await;
    busy_site(&mut site, 40);
    let n = site.log.len() as u64;
    let client = reqwest::Client::new();
    for (from, to) in [(1, n / 2), (1, n)] {
        let body = site.batch_json(from, to);
        let push = |address: std::net::SocketAddr| {
            call(
                &client,
                Method::POST,
                format!("http://{address}/hq/v1/push"),
                Some(&site.token),
                Some(&body),
            )
        };
        let ((a, reply_a), (b, reply_b)) = tokio::join!(push(first.address), push(second.address));
        assert_eq!((a, b), (200, 200), "{reply_a} {reply_b}");
        assert_eq!(reply_a["held_seq"], to);
        assert_eq!(reply_b["held_seq"], to);
        assert_eq!(reply_a["quarantined"], json!([]));
        assert_eq!(reply_b["quarantined"], json!([]));
    }
    assert_converged(&hq, n, 40).await;
    assert_eq!(
        pg::psql(&url, "SELECT count(*) FROM order_events"),
        (n - 40).to_string()
    );
}

#[tokio::test]
async fn a_revoked_token_writes_nothing() {
    let Some(hq) = spawn_hq().await else { return };
    let mut site = hq.joined_site("Lisbon", "LIS").await;
    busy_site(&mut site, 2);
    hq.post("/hq/v1/push", Some(&site.token), &site.batch_json(1, 3))
        .await;
    let (status, _) = hq
        .post(
            &format!("/hq/v1/nodes/{}/revoke", site.node_id),
            Some(&hq.admin),
            &json!({}),
        )
        .await;
    assert_eq!(status, 204);
    let n = site.log.len() as u64;
    let (status, problem) = hq
        .post("/hq/v1/push", Some(&site.token), &site.batch_json(4, n))
        .await;
    assert_eq!(status, 401, "{problem}");
    let (status, _) = hq
        .post(
            "/hq/v1/join",
            Some(&site.token),
            &json!({"number_prefix": "LIS"}),
        )
        .await;
    assert_eq!(status, 401);
    let audit = hq.audit().await;
    assert_eq!(audit["log_entries"], 3);
    let (_, nodes) = hq.get("/hq/v1/nodes", Some(&hq.admin)).await;
    assert_eq!(nodes["nodes"][0]["revoked"], true);
    assert_eq!(nodes["nodes"][0]["held_seq"], 3);
}

#[tokio::test]
async fn every_api_but_health_needs_a_token_even_from_loopback() {
    let Some(hq) = spawn_hq().await else { return };
    let site = hq.joined_site("Lisbon", "LIS").await;
    let (status, health) = hq.get("/api/health", None).await;
    assert_eq!(status, 200, "{health}");
    for path in [
        "/api/orders",
        "/api/orders/x",
        "/api/orders/x/events",
        "/hq/v1/nodes",
        "/hq/v1/quarantine",
        "/hq/v1/restore",
        "/hq/v1/audit",
    ] {
        let (status, _) = hq.get(path, None).await;
        assert_eq!(status, 401, "{path}");
        let (status, _) = hq.get(path, Some("pfh_not-a-token")).await;
        assert_eq!(status, 401, "{path}");
    }
    let (status, _) = hq.post("/hq/v1/push", None, &json!({"entries": []})).await;
    assert_eq!(status, 401);
    // A node token reads no one else's data and administers nothing.
    let (status, _) = hq.get("/api/orders", Some(&site.token)).await;
    assert_eq!(status, 403);
    let (status, _) = hq
        .post(
            "/hq/v1/nodes",
            Some(&site.token),
            &json!({"name": "x", "role": "factory"}),
        )
        .await;
    assert_eq!(status, 403);
    // An admin token is not a node.
    let (status, _) = hq
        .post("/hq/v1/push", Some(&hq.admin), &json!({"entries": []}))
        .await;
    assert_eq!(status, 403);
    let (status, node) = hq
        .post(
            "/hq/v1/nodes",
            Some(&hq.admin),
            &json!({"name": "Factory", "role": "factory"}),
        )
        .await;
    assert_eq!(status, 201, "{node}");
    assert!(node["token"].as_str().is_some_and(|t| t.len() > 20));
}

#[tokio::test]
async fn a_lost_site_restores_what_it_owned() {
    let Some(hq) = spawn_hq().await else { return };
    let mut site = hq.joined_site("Lisbon", "LIS").await;
    busy_site(&mut site, 3);
    let n = site.log.len() as u64;
    hq.post("/hq/v1/push", Some(&site.token), &site.batch_json(1, n))
        .await;
    let (status, page) = hq.get("/hq/v1/restore?after=2", Some(&site.token)).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["held_seq"], n);
    let restored: Vec<paform_api::chain::Entry> =
        serde_json::from_value(page["entries"].clone()).expect("entries");
    assert_eq!(restored, site.log[2..].to_vec());
}

#[tokio::test]
async fn a_database_of_a_newer_paform_is_refused_naming_both_versions() {
    let Some(url) = pg::database() else { return };
    drop(paform_hq::Hq::open(&url).await.expect("opens"));
    pg::psql(
        &url,
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from the future', true, '\\x00', 0)",
    );
    let error = paform_hq::Hq::open(&url).await.err().expect("refused");
    let text = error.to_string();
    assert!(
        text.contains("9999") && text.contains(&paform_hq::schema_version().to_string()),
        "{text}"
    );
}

#[tokio::test]
async fn the_er_diagram_is_the_live_schema() {
    let Some(hq) = spawn_hq().await else { return };
    let live = hq.hq.describe_schema().await.expect("schema");
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations-doc/hq-schema.md"
    ))
    .expect("migrations-doc/hq-schema.md");
    let mut tables = std::collections::BTreeMap::<String, Vec<String>>::new();
    let mut foreign_keys = Vec::new();
    let mut current: Option<String> = None;
    let mut in_diagram = false;
    for line in doc.lines() {
        let line = line.trim();
        if line == "erDiagram" {
            in_diagram = true;
            continue;
        }
        if !in_diagram || line.is_empty() || line.starts_with("%%") {
            continue;
        }
        if line.starts_with("```") {
            break;
        }
        if let Some(name) = line.strip_suffix('{') {
            current = Some(name.trim().to_owned());
            tables.entry(name.trim().to_owned()).or_default();
        } else if line == "}" {
            current = None;
        } else if let Some(table) = &current {
            let column = line
                .split_whitespace()
                .nth(1)
                .expect("`type name` in an entity");
            tables
                .get_mut(table)
                .expect("entity")
                .push(column.to_owned());
        } else if let Some((relation, label)) = line.split_once(':') {
            let parts: Vec<&str> = relation.split_whitespace().collect();
            let (parent, child) = (parts[0], parts[2]);
            for column in label.trim().trim_matches('"').split(',') {
                foreign_keys.push((
                    child.to_owned(),
                    column.trim().to_owned(),
                    parent.to_owned(),
                ));
            }
        }
    }
    foreign_keys.sort();
    assert_eq!(tables, live.tables, "the diagram's tables and columns");
    assert_eq!(
        foreign_keys, live.foreign_keys,
        "the diagram's relationships"
    );
}

#[tokio::test]
async fn sites_pull_the_catalog_hq_publishes() {
    let Some(hq) = spawn_hq().await else { return };
    let site = hq.joined_site("Lisbon", "LIS").await;
    let (_, none) = hq.get("/hq/v1/catalog?after=0", Some(&site.token)).await;
    assert_eq!(none, json!({"versions": []}));
    let at = "2026-12-01T00:00:00Z";
    let catalog = json!({
        "materials": [{"id": "m-oak", "name": "Oak", "texture_url": null, "cost_per_sq_ft": "0.70",
                       "thickness_mm": 19.0, "external_ids": {}, "created_at": at, "updated_at": at}],
        "modules": [{"id": "base-600", "name": "Base 600", "base_price": "129.00",
                     "dimensions": {"width": 600.0, "height": 720.0, "depth": 560.0},
                     "material_id": "m-oak", "assembly_attributes": {}, "placement_constraints": {},
                     "connection_points": [], "external_ids": {}, "created_at": at, "updated_at": at}],
    });
    let (status, _) = hq.post("/hq/v1/catalog", Some(&site.token), &catalog).await;
    assert_eq!(status, 403, "a site does not edit HQ's catalog");
    // A catalog no site could apply is refused whole, naming the place.
    let mut orphan = catalog.clone();
    orphan["modules"][0]["material_id"] = json!("m-walnut");
    let (status, refused) = hq.post("/hq/v1/catalog", Some(&hq.admin), &orphan).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["errors"][0]["field"], "modules[0].material_id", "{refused}");
    let (status, published) = hq.post("/hq/v1/catalog", Some(&hq.admin), &catalog).await;
    assert_eq!(status, 201, "{published}");
    assert_eq!(published["version"], 1);
    let (status, versions) = hq.get("/hq/v1/catalog?after=0", Some(&site.token)).await;
    assert_eq!(status, 200);
    assert_eq!(versions["versions"][0]["version"], 1);
    assert_eq!(versions["versions"][0]["materials"], catalog["materials"]);
    assert_eq!(versions["versions"][0]["modules"], catalog["modules"]);
    let (_, current) = hq.get("/hq/v1/catalog?after=1", Some(&site.token)).await;
    assert_eq!(current, json!({"versions": []}));
    assert_eq!(
        pg::psql(&hq.url, "SELECT price_per_m2 FROM materials"),
        "7.53",
        "0.70 per sq ft is 7.53 per m²"
    );
    assert_eq!(
        pg::psql(&hq.url, "SELECT base_price FROM modules"),
        "129.00"
    );
}

#[tokio::test]
async fn factories_pull_ready_orders_and_showrooms_pull_their_production() {
    let Some(hq) = spawn_hq().await else { return };
    let mut showroom = hq.joined_site("Lisbon", "LIS").await;
    let mut factory = hq.joined_node("Factory", "factory", "FAB").await;
    showroom.customer("c-1", "Ada");
    let ready = showroom.order("c-1", "900.00");
    let waiting = showroom.order("c-1", "100.00");
    showroom.status(&ready, "pending_payment", "design_review");
    showroom.status(&waiting, "pending_payment", "design_review");
    let n = showroom.log.len() as u64;
    hq.post(
        "/hq/v1/push",
        Some(&showroom.token),
        &showroom.batch_json(1, n),
    )
    .await;
    let (_, empty) = hq.get("/hq/v1/feed?after=0", Some(&factory.token)).await;
    assert_eq!(empty["events"], json!([]), "nothing is ready yet");
    showroom.status(&ready, "design_review", "production_ready");
    let m = showroom.log.len() as u64;
    hq.post(
        "/hq/v1/push",
        Some(&showroom.token),
        &showroom.batch_json(n + 1, m),
    )
    .await;
    let (status, page) = hq.get("/hq/v1/feed?after=0", Some(&factory.token)).await;
    assert_eq!(status, 200, "{page}");
    let seqs: Vec<(String, u64)> = page["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| {
            (
                e["event"]["order_id"].as_str().unwrap_or("").to_owned(),
                e["event"]["seq"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        seqs,
        vec![(ready.clone(), 1), (ready.clone(), 2), (ready.clone(), 3)]
    );
    assert_eq!(page["events"][0]["node_id"], showroom.node_id.as_str());
    let cursor = page["next_cursor"].as_u64().expect("cursor");
    let (_, rest) = hq
        .get(&format!("/hq/v1/feed?after={cursor}"), Some(&factory.token))
        .await;
    assert_eq!(rest["events"], json!([]));

    // The factory's production chain for that order flows back to the showroom.
    factory.production_event(
        &ready,
        "part_scanned",
        json!({"part_code": "LIS-000001-01-A", "station": "cut"}),
    );
    factory.production_event(&ready, "production_complete", json!({}));
    let (status, reply) = hq
        .post(
            "/hq/v1/push",
            Some(&factory.token),
            &factory.batch_json(1, 2),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["quarantined"], json!([]));
    let (_, page) = hq.get("/hq/v1/feed?after=0", Some(&showroom.token)).await;
    assert_eq!(page["events"].as_array().map(Vec::len), Some(2), "{page}");
    assert_eq!(page["events"][0]["kind"], "production_event");
    assert_eq!(page["events"][0]["node_id"], factory.node_id.as_str());
    assert_eq!(
        pg::psql(
            &hq.url,
            "SELECT part_code || '@' || station FROM production_scans"
        ),
        "LIS-000001-01-A@cut"
    );
    let audit = hq.audit().await;
    assert_eq!(audit["ok"], true, "{audit:#}");
}
