//! Durable quote generation over HTTP: starts the real server on a loopback port with a fresh
//! store (each quote is committed to redb before its 201), then drives it from 32 concurrent
//! keep-alive connections and prints throughput and latency percentiles.
//!
//! `make bench-http`, or `cargo run --release --example http_bench -- [SECONDS] [CONNECTIONS]`.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod bench_support;

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|arg| arg.parse().ok()).unwrap_or(10);
    let connections: usize = args.next().and_then(|arg| arg.parse().ok()).unwrap_or(32);
    let server = bench_support::start_server(true, |app| app);
    bench_support::client_runtime().block_on(drive(server.base.clone(), seconds, connections));
}

async fn drive(base: String, seconds: u64, connections: usize) {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()
        .expect("client");
    let modules: Value = client
        .get(format!("{base}/api/modules?limit=3"))
        .send()
        .await
        .expect("lists modules")
        .json()
        .await
        .expect("json");
    let items: Vec<Value> = modules["items"]
        .as_array()
        .expect("items")
        .iter()
        .enumerate()
        .map(|(index, module)| json!({"module_id": module["id"], "quantity": index + 1}))
        .collect();
    let body = serde_json::to_vec(&json!({"items": items, "tax_rate": "0.13"})).expect("body");

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..connections {
        let client = client.clone();
        let url = format!("{base}/api/quote/generate");
        let body = body.clone();
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failures = 0u64;
            while Instant::now() < deadline {
                let sent = Instant::now();
                let reply = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await;
                match reply {
                    Ok(reply) if reply.status() == 201 => {
                        let _ = reply.bytes().await;
                        latencies.push(sent.elapsed());
                    }
                    _ => failures += 1,
                }
            }
            (latencies, failures)
        }));
    }
    let mut latencies = Vec::new();
    let mut failures = 0;
    for worker in workers {
        let (worker_latencies, worker_failures) = worker.await.expect("worker finishes");
        latencies.extend(worker_latencies);
        failures += worker_failures;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let rate = latencies.len() as f64 / elapsed;
    let done = latencies.len();
    println!(
        "durable quotes over HTTP, {connections} connections, {seconds} s: {rate:.0} quotes/s, \
         {}, {done} ok, {failures} failed",
        bench_support::percentiles(&mut latencies),
    );
}
