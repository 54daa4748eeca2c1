//! Orders under load, through the real server on a loopback port with a fresh store:
//! 1. accepting quotes into orders and 2. status transitions, each durable, from 32
//!    concurrent keep-alive connections (throughput and latency percentiles);
//! 3. `GET /api/orders?status=…` once 100,000 orders are stored (latency percentiles).
//!
//! `make bench-orders`, or `cargo run --release --example orders_bench -- [ORDERS] [CONNECTIONS]`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use paform_app::App;
use paform_app::dto::{AcceptQuoteRequest, ActorInput, Buyer, QuoteItemRequest, QuoteRequest};
use serde_json::json;
use tokio::sync::Mutex;

mod bench_support;

fn main() {
    let mut args = std::env::args().skip(1);
    let stored_orders: usize = args
        .next()
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(100_000);
    let connections: usize = args.next().and_then(|arg| arg.parse().ok()).unwrap_or(32);
    let server = bench_support::start_server(true, |app| app);
    let app = server.app.clone();
    let base = server.base.clone();
    let server = &server.runtime;

    // Quotes to accept, made in-process (not measured).
    let quotes = server.block_on(make_quotes(&app, 30_000));
    let client_runtime = bench_support::client_runtime();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()
        .expect("client");

    let queue = Arc::new(Mutex::new(quotes));
    let orders = Arc::new(Mutex::new(Vec::new()));
    let (accepted, latencies) = client_runtime.block_on(run(connections, Duration::from_secs(5), {
        let (client, base, queue, orders) = (client.clone(), base.clone(), queue.clone(), orders.clone());
        move || {
            let (client, base, queue, orders) = (client.clone(), base.clone(), queue.clone(), orders.clone());
            async move {
                let Some(quote_id) = queue.lock().await.pop() else { return false };
                let body = json!({"buyer": {"name": "Bench", "email": "bench@example.com"}, "actor": "bench"});
                let reply = client.post(format!("{base}/api/quotes/{quote_id}/accept")).json(&body).send().await;
                let Ok(reply) = reply else { return false };
                let ok = reply.status() == 201;
                let order: serde_json::Value = reply.json().await.unwrap_or_default();
                if let Some(id) = order["id"].as_str() {
                    orders.lock().await.push(id.to_owned());
                }
                ok
            }
        }
    }));
    report(
        "accept quote → order (durable)",
        connections,
        accepted,
        &latencies,
    );

    let (moved, latencies) = client_runtime.block_on(run(connections, Duration::from_secs(5), {
        let (client, base, orders) = (client.clone(), base.clone(), orders.clone());
        move || {
            let (client, base, orders) = (client.clone(), base.clone(), orders.clone());
            async move {
                let Some(order_id) = orders.lock().await.pop() else {
                    return false;
                };
                let body =
                    json!({"to": "pending_payment", "actor": "bench", "expected_version": 1});
                let reply = client
                    .post(format!("{base}/api/orders/{order_id}/transitions"))
                    .json(&body)
                    .send()
                    .await;
                reply.is_ok_and(|reply| reply.status() == 200)
            }
        }
    }));
    report(
        "status transition (durable)",
        connections,
        moved,
        &latencies,
    );

    // Fill the store to `stored_orders` orders, then read lists by status.
    let existing = server
        .block_on(async { app.list_orders(&Default::default()).expect("lists").total })
        as usize;
    let started = Instant::now();
    server.block_on(fill_orders(&app, stored_orders.saturating_sub(existing)));
    eprintln!(
        "filled the store to {stored_orders} orders in {:.1?}",
        started.elapsed()
    );
    let mut list_latencies = Vec::new();
    client_runtime.block_on(async {
        for round in 0..2_000usize {
            let status = ["draft", "pending_payment"][round % 2];
            let offset = (round * 37) % 5_000;
            let sent = Instant::now();
            let reply = client
                .get(format!(
                    "{base}/api/orders?status={status}&limit=50&offset={offset}"
                ))
                .send()
                .await
                .expect("answers");
            assert_eq!(reply.status(), 200);
            let _ = reply.bytes().await;
            list_latencies.push(sent.elapsed());
        }
    });
    println!(
        "GET /api/orders?status=…&limit=50 over {stored_orders} orders: {}",
        bench_support::percentiles(&mut list_latencies)
    );
}

async fn make_quotes(app: &App, count: usize) -> Vec<String> {
    let module_id = app
        .list_modules(&Default::default())
        .expect("modules")
        .items[0]
        .id
        .clone();
    let mut tasks = tokio::task::JoinSet::new();
    let per_task = count.div_ceil(64);
    for _ in 0..64 {
        let app = app.clone();
        let module_id = module_id.clone();
        tasks.spawn(async move {
            let mut ids = Vec::with_capacity(per_task);
            for _ in 0..per_task {
                let request = QuoteRequest {
                    items: vec![QuoteItemRequest {
                        module_id: module_id.clone(),
                        quantity: 2,
                        material_id: None,
                    }],
                    currency: None,
                    tax_rate: None,
                };
                ids.push(app.generate_quote(request).await.expect("quotes").id);
            }
            ids
        });
    }
    let mut ids = Vec::with_capacity(count);
    while let Some(batch) = tasks.join_next().await {
        ids.extend(batch.expect("task"));
    }
    ids
}

async fn fill_orders(app: &App, count: usize) {
    let quotes = make_quotes(app, count).await;
    let mut tasks = tokio::task::JoinSet::new();
    for chunk in quotes.chunks(quotes.len().div_ceil(64).max(1)) {
        let app = app.clone();
        let chunk = chunk.to_vec();
        tasks.spawn(async move {
            for quote_id in chunk {
                let request = AcceptQuoteRequest {
                    buyer: Some(Buyer {
                        name: "Fill".into(),
                        email: "fill@example.com".into(),
                        phone: None,
                    }),
                    actor: ActorInput::Name("bench".into()),
                };
                app.accept_quote(&quote_id, request).await.expect("accepts");
            }
        });
    }
    while tasks.join_next().await.is_some() {}
}

/// Runs `step` from `connections` workers for `duration`; returns successes and latencies.
async fn run<F, Fut>(connections: usize, duration: Duration, step: F) -> (usize, Vec<Duration>)
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let deadline = Instant::now() + duration;
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..connections {
        let step = step.clone();
        workers.spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let sent = Instant::now();
                if !step().await {
                    break;
                }
                latencies.push(sent.elapsed());
            }
            latencies
        });
    }
    let started = Instant::now();
    let mut latencies = Vec::new();
    while let Some(worker) = workers.join_next().await {
        latencies.extend(worker.expect("worker"));
    }
    let _ = started;
    let count = latencies.len();
    (count, latencies)
}

fn report(what: &str, connections: usize, count: usize, latencies: &[Duration]) {
    let mut sorted = latencies.to_vec();
    // Workers run back to back, so the busy time of one connection is the wall time.
    let wall = sorted.iter().sum::<Duration>().as_secs_f64() / connections as f64;
    let rate = count as f64 / wall.max(f64::EPSILON);
    println!(
        "{what}, {connections} connections: {rate:.0}/s, {}, {count} done",
        bench_support::percentiles(&mut sorted)
    );
}
