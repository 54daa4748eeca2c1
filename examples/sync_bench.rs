//! Hygraph webhook throughput: starts the real server on a loopback port with a fresh store
//! and a webhook secret, then sends N distinct signed publish deliveries (a material each,
//! so every one is verified, applied to the catalog, marked and logged in one durable commit)
//! from concurrent keep-alive connections, and prints deliveries per second and latency.
//!
//! `make bench-sync`, or `cargo run --release --example sync_bench -- [DELIVERIES] [CONNECTIONS]`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use paform_app::SyncConfig;
use paform_core::webhook::signature_header;
use serde_json::json;

mod bench_support;

const SECRET: &str = "bench-secret";

fn main() {
    let mut args = std::env::args().skip(1);
    let deliveries: usize = args
        .next()
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(20_000);
    let connections: usize = args.next().and_then(|arg| arg.parse().ok()).unwrap_or(32);
    let server = bench_support::start_server(false, |app| {
        app.with_sync_config(SyncConfig {
            hygraph_secret: Some(SECRET.to_owned()),
            ..SyncConfig::default()
        })
    });
    bench_support::client_runtime().block_on(drive(server.base.clone(), deliveries, connections));
}

/// Signed `(body, header)` pairs, built before the clock starts.
fn signed_deliveries(count: usize) -> Vec<(String, String)> {
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_millis() as i64;
    (0..count)
        .map(|index| {
            let body = json!({"operation": "publish", "data": {
                "__typename": "Material", "id": format!("clbench{index:08}"),
                "stage": "PUBLISHED", "updatedAt": "2026-01-01T00:00:00Z",
                "name": format!("Bench material {index}"), "costPerSqFt": "4.25",
                "thicknessMm": 18}})
            .to_string();
            let header = signature_header(SECRET.as_bytes(), &body, "master", now_ms);
            (body, header)
        })
        .collect()
}

async fn drive(base: String, deliveries: usize, connections: usize) {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()
        .expect("client");
    let work = Arc::new(signed_deliveries(deliveries));
    let next = Arc::new(AtomicUsize::new(0));
    let url = format!("{base}/api/sync/hygraph");

    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..connections {
        let (client, work, next, url) = (client.clone(), work.clone(), next.clone(), url.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failures = 0u64;
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some((body, header)) = work.get(index) else {
                    break;
                };
                let sent = Instant::now();
                let reply = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("gcms-signature", header)
                    .body(body.clone())
                    .send()
                    .await;
                match reply {
                    Ok(reply) if reply.status() == 200 => {
                        let receipt = reply.text().await.unwrap_or_default();
                        if receipt.contains("\"applied\"") {
                            latencies.push(sent.elapsed());
                        } else {
                            failures += 1;
                        }
                    }
                    _ => failures += 1,
                }
            }
            (latencies, failures)
        }));
    }
    let mut latencies: Vec<Duration> = Vec::new();
    let mut failures = 0;
    for worker in workers {
        let (worker_latencies, worker_failures) = worker.await.expect("worker finishes");
        latencies.extend(worker_latencies);
        failures += worker_failures;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let applied = latencies.len();
    println!(
        "signed Hygraph deliveries over HTTP, {connections} connections: {:.0} deliveries/s \
         ({applied} applied in {elapsed:.2} s, {failures} failed), {}",
        applied as f64 / elapsed,
        bench_support::percentiles(&mut latencies),
    );
}
