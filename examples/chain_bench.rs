//! HQ's backlog apply rate (SPEC §15 Speed): a throwaway PostgreSQL (the tests' harness),
//! HQ's real router on a loopback port, and one site that was offline with a backlog of
//! ENTRIES log entries (customers, orders with their `order_created` contract and status
//! changes, real hash chains), pushed over HTTP in batches of BATCH as the site's push loop
//! does. Prints the apply time and entries per second (the goal: 5,000 entries under 5 s).
//!
//! `make bench-chain`, or `cargo run --release --example chain_bench -- [ENTRIES] [BATCH]`.

use std::time::Instant;

use paform_api::chain::{Entry, EntryKind, PushBatch};
use paform_core::order::audit::{GENESIS, link_hash};
use serde_json::{Value, json};

#[path = "../tests/it/support/pg.rs"]
#[allow(dead_code, unreachable_pub)]
mod pg;

fn backlog(entries: usize) -> Vec<Entry> {
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
        let customer = format!("c-{order}");
        push(
            &mut log,
            EntryKind::Customer,
            customer.clone(),
            json!({"id": customer, "name": "Ada"}),
        );
        let order_id = format!("o-{order}");
        let mut prev = GENESIS.to_owned();
        let steps = [
            (
                "order_created",
                json!({"quote_id": null, "order": {"id": order_id, "number": format!("BEN-{order:06}"),
                "quote_id": null, "status": "pending_payment", "version": 1, "currency": "EUR",
                "customer_id": customer, "buyer": {"name": "Ada", "email": "ada@example.com", "phone": null},
                "total": "1234.50", "created_at": "2026-12-07T10:00:00Z", "updated_at": "2026-12-07T10:00:00Z",
                "line_items": [{"module_id": "base-600", "module_name": "Base", "quantity": 2,
                    "unit_price": "617.25", "line_total": "1234.50"}]}}),
            ),
            (
                "payment_created",
                json!({"payment_id": format!("p-{order}"), "kind": "deposit", "amount": "300.00", "currency": "EUR"}),
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

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let entries: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5_000);
    let batch: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(500);
    let url = pg::database().expect("PostgreSQL (make setup installs it)");
    let hq = paform_hq::Hq::open(&url).await.expect("HQ opens");
    let node = hq
        .add_node("Bench", "showroom", Some("BEN"))
        .await
        .expect("a node");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let address = listener.local_addr().expect("address");
    tokio::spawn(paform_hq::http::serve(
        listener,
        hq.clone(),
        std::future::pending(),
    ));
    let log = backlog(entries);
    let client = reqwest::Client::new();
    let started = Instant::now();
    for chunk in log.chunks(batch) {
        let reply = client
            .post(format!("http://{address}/hq/v1/push"))
            .bearer_auth(&node.token)
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
    let elapsed = started.elapsed();
    let audit = hq.audit().await.expect("audit");
    assert!(audit.ok && audit.log_entries == entries as u64, "{audit:?}");
    println!(
        "chain_bench: {entries} entries ({} orders) in batches of {batch} applied at HQ in {:.2} s = {:.0} entries/s",
        audit.orders,
        elapsed.as_secs_f64(),
        entries as f64 / elapsed.as_secs_f64()
    );
}
