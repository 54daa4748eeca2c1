//! HQ's speed (SPEC §15 Speed) on a throwaway PostgreSQL (the tests' harness) behind HQ's
//! real router on a loopback port, in three measures:
//! 1. one site that was offline with a backlog of ENTRIES log entries (customers, orders with
//!    their `order_created` contract, a payment and status changes, real hash chains), pushed
//!    over HTTP in batches of BATCH as the site's push loop does (goal: 5,000 under 5 s);
//! 2. SITES showrooms pushing ORDERS orders each at once, until HQ holds every entry and
//!    every chain verifies (goal: 10 × 1,000 orders under 60 s on 2 cores);
//! 3. the chain order list (`GET /api/orders`, newest first: all, one site, one status, a
//!    search) with the chain grown to LIST orders, p50 and p99 over HTTP (goal: p99 under
//!    20 ms over 100,000 orders).
//!
//! `make bench-chain`, or `cargo run --release --example chain_bench -- [ENTRIES] [BATCH]
//! [SITES] [ORDERS] [LIST]` (defaults 5000 500 10 1000 100000).

use std::time::Instant;

use paform_api::chain::{Entry, EntryKind, PushBatch};
use paform_core::order::audit::{GENESIS, link_hash};
use serde_json::{Value, json};

#[path = "../tests/it/support/pg.rs"]
#[allow(dead_code, unreachable_pub)]
mod pg;

/// A site's backlog: `entries` log entries of orders numbered `{prefix}-000001`….
fn backlog(entries: usize, prefix: &str) -> Vec<Entry> {
    let mut log = Vec::with_capacity(entries);
    let mut order = 0;
    let push = |log: &mut Vec<Entry>, kind, key: String, body: Value| {
        let node_seq = log.len() as u64 + 1;
        log.push(Entry {
            node_seq,
            kind,
            key,
            body,
        });
    };
    while log.len() < entries {
        order += 1;
        let customer = format!("c-{prefix}-{order}");
        push(
            &mut log,
            EntryKind::Customer,
            customer.clone(),
            json!({"id": customer, "name": "Ada"}),
        );
        let order_id = format!("o-{prefix}-{order}");
        let mut prev = GENESIS.to_owned();
        let steps = [
            (
                "order_created",
                json!({"quote_id": null, "order": {"id": order_id, "number": format!("{prefix}-{order:06}"),
                "quote_id": null, "status": "pending_payment", "version": 1, "currency": "EUR",
                "customer_id": customer, "buyer": {"name": "Ada", "email": "ada@example.com", "phone": null},
                "total": "1234.50", "created_at": "2026-12-07T10:00:00Z", "updated_at": "2026-12-07T10:00:00Z",
                "line_items": [{"module_id": "base-600", "module_name": "Base", "quantity": 2,
                    "unit_price": "617.25", "line_total": "1234.50"}]}}),
            ),
            (
                "payment_created",
                json!({"payment_id": format!("p-{prefix}-{order}"), "kind": "deposit", "amount": "300.00", "currency": "EUR"}),
            ),
            (
                "status_changed",
                json!({"from": "pending_payment", "to": "design_review"}),
            ),
            (
                "status_changed",
                json!({"from": "design_review", "to": "production_ready"}),
            ),
        ];
        for (index, (kind, data)) in steps.into_iter().enumerate() {
            let seq = index as u64 + 1;
            let mut body = json!({"order_id": order_id, "seq": seq, "kind": kind, "actor": null,
                "note": null, "data": data, "at": "2026-12-07T10:00:00Z", "prev_hash": prev});
            let hash = link_hash(&prev, &body);
            body["hash"] = json!(hash);
            prev = hash;
            push(
                &mut log,
                EntryKind::OrderEvent,
                format!("{order_id}/{seq}"),
                body,
            );
        }
    }
    log.truncate(entries);
    log
}

/// Pushes `log` to HQ at `address` in batches of `batch`, as the site's push loop does.
async fn push_all(
    client: &reqwest::Client,
    address: std::net::SocketAddr,
    token: &str,
    log: &[Entry],
    batch: usize,
) {
    for chunk in log.chunks(batch) {
        let reply = client
            .post(format!("http://{address}/hq/v1/push"))
            .bearer_auth(token)
            .json(&PushBatch {
                entries: chunk.to_vec(),
            })
            .send()
            .await
            .expect("HQ answers");
        assert!(
            reply.status().is_success(),
            "{}",
            reply.text().await.unwrap_or_default()
        );
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let mut number = |default: usize| args.next().and_then(|a| a.parse().ok()).unwrap_or(default);
    let (entries, batch, sites, orders, list) = (
        number(5_000),
        number(500),
        number(10),
        number(1_000),
        number(100_000),
    );
    let url = pg::database().expect("PostgreSQL (make setup installs it)");
    let hq = paform_hq::Hq::open(&url).await.expect("HQ opens");
    let admin = hq.create_admin_token().await.expect("an admin token").token;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let address = listener.local_addr().expect("address");
    tokio::spawn(paform_hq::http::serve(
        listener,
        hq.clone(),
        std::future::pending(),
    ));
    let client = reqwest::Client::new();

    // 1. One site's backlog.
    let node = hq
        .add_node("Bench", "showroom", Some("BEN"))
        .await
        .expect("a node");
    let log = backlog(entries, "BEN");
    let started = Instant::now();
    push_all(&client, address, &node.token, &log, batch).await;
    let elapsed = started.elapsed();
    let audit = hq.audit().await.expect("audit");
    assert!(audit.ok && audit.log_entries == entries as u64, "{audit:?}");
    println!(
        "chain_bench: {entries} entries ({} orders) in batches of {batch} applied at HQ in {:.2} s = {:.0} entries/s",
        audit.orders,
        elapsed.as_secs_f64(),
        entries as f64 / elapsed.as_secs_f64()
    );

    // 2. Many showrooms at once.
    let mut backlogs = Vec::with_capacity(sites);
    for site in 0..sites {
        let prefix = format!("S{site:02}");
        let node = hq
            .add_node(&format!("Showroom {site}"), "showroom", Some(&prefix))
            .await
            .expect("a node");
        // Five entries an order: the customer, the contract, a payment, two status changes.
        backlogs.push((node.token, backlog(orders * 5, &prefix)));
    }
    let before = hq.audit().await.expect("audit");
    let started = Instant::now();
    let pushes: Vec<_> = backlogs
        .into_iter()
        .map(|(token, log)| {
            let client = client.clone();
            tokio::spawn(async move { push_all(&client, address, &token, &log, batch).await })
        })
        .collect();
    for push in pushes {
        push.await.expect("a site pushed");
    }
    let elapsed = started.elapsed();
    let audit = hq.audit().await.expect("audit");
    let pushed = (sites * orders * 5) as u64;
    assert!(
        audit.ok && audit.log_entries == before.log_entries + pushed,
        "{audit:?}"
    );
    println!(
        "chain_bench: {sites} showrooms × {orders} orders ({pushed} entries) pushed at once converged at HQ in {:.2} s = {:.0} entries/s; every chain verifies",
        elapsed.as_secs_f64(),
        pushed as f64 / elapsed.as_secs_f64()
    );

    // 3. The chain order list over LIST orders: the rest are added straight into the table.
    let missing = list.saturating_sub(audit.orders as usize);
    if missing > 0 {
        pg::psql(
            &url,
            &format!(
                "INSERT INTO orders (id, node_id, number, status, currency, buyer_name, total, \
                 event_count, head_hash, created_at, updated_at) \
                 SELECT 'x-' || g, (SELECT id FROM nodes ORDER BY id LIMIT 1), 'X-' || lpad(g::text, 7, '0'), \
                 (ARRAY['pending_payment','design_review','production_ready','fulfilled'])[1 + g % 4], \
                 'EUR', 'Buyer ' || g, 100 + g % 900, 1, 'h', \
                 to_char(timestamp '2026-01-01' + g * interval '1 minute', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), \
                 to_char(timestamp '2026-01-01' + g * interval '1 minute', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') \
                 FROM generate_series(1, {missing}) g; ANALYZE orders;"
            ),
        );
    }
    let node_id = hq
        .list_nodes()
        .await
        .expect("nodes")
        .last()
        .expect("a node")
        .id
        .clone();
    let queries = [
        ("the whole chain", String::new()),
        ("one site", format!("?node={node_id}")),
        ("one status", "?status=production_ready".to_owned()),
        ("a search", "?q=Buyer%204242".to_owned()),
    ];
    for (what, query) in queries {
        let mut times = Vec::with_capacity(300);
        for _ in 0..300 {
            let started = Instant::now();
            let reply = client
                .get(format!("http://{address}/api/orders{query}"))
                .bearer_auth(&admin)
                .send()
                .await
                .expect("HQ answers");
            assert!(reply.status().is_success());
            let body: Value = reply.json().await.expect("a list");
            assert!(
                !body["orders"].as_array().expect("orders").is_empty(),
                "{what}"
            );
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "chain_bench: order list over {list} orders, {what}: p50 {:.1} ms, p99 {:.1} ms",
            percentile(&times, 0.50),
            percentile(&times, 0.99)
        );
    }
}
