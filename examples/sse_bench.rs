//! Live-update latency (SPEC §12): the real server with `CLIENTS` open `GET /api/events`
//! streams while stock writes arrive at `RATE` per second; each event's latency is the time
//! from its write being sent to the event reaching a client (so it includes the durable
//! commit). Prints p50/p99/max over every (event, client) pair.
//!
//! `make bench-sse`, or `cargo run --release --example sse_bench -- [SECONDS] [CLIENTS] [RATE]`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod bench_support;

/// Materials written in turn, so a subject is written once per second at 500 writes/s and
/// an event maps back to exactly one write.
const SUBJECTS: usize = 500;

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|arg| arg.parse().ok()).unwrap_or(10);
    let clients: usize = args.next().and_then(|arg| arg.parse().ok()).unwrap_or(50);
    let rate: u64 = args.next().and_then(|arg| arg.parse().ok()).unwrap_or(500);
    let server = bench_support::start_server(false, |app| app);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(drive(server.base.clone(), seconds, clients, rate));
}

async fn drive(base: String, seconds: u64, clients: usize, rate: u64) {
    let client = reqwest::Client::new();
    let mut materials = Vec::with_capacity(SUBJECTS);
    for index in 0..SUBJECTS {
        let created: Value = client
            .post(format!("{base}/api/materials"))
            .json(&json!({"name": format!("Board {index}"), "cost_per_sq_ft": "3.00"}))
            .send()
            .await
            .expect("creates a material")
            .json()
            .await
            .expect("json");
        materials.push(created["id"].as_str().expect("an id").to_owned());
    }

    let sent: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let latencies: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let mut listeners = Vec::new();
    for _ in 0..clients {
        let response = client
            .get(format!("{base}/api/events"))
            .send()
            .await
            .expect("the stream opens");
        let (sent, latencies) = (Arc::clone(&sent), Arc::clone(&latencies));
        listeners.push(tokio::spawn(listen(response, sent, latencies)));
    }

    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut ticker = tokio::time::interval(Duration::from_micros(1_000_000 / rate.max(1)));
    let mut writes = Vec::new();
    let mut index = 0;
    while Instant::now() < deadline {
        ticker.tick().await;
        let id = materials[index % SUBJECTS].clone();
        index += 1;
        let (client, sent, base) = (client.clone(), Arc::clone(&sent), base.clone());
        let width = 2000 + (index % 400) as u64;
        writes.push(tokio::spawn(async move {
            let at = Instant::now();
            sent.lock().expect("lock").insert(id.clone(), at);
            let body = json!({"sheets": [{"width": width, "height": 1220}], "kerf": 4, "trim": 0,
                "grain_direction": "length"});
            let done = client
                .put(format!("{base}/api/materials/{id}/stock"))
                .json(&body)
                .send()
                .await
                .is_ok_and(|reply| reply.status().is_success());
            done.then(|| at.elapsed())
        }));
    }
    let mut write_latencies = Vec::new();
    for write in writes {
        write_latencies.extend(write.await.ok().flatten());
    }
    let ok = write_latencies.len() as u64;
    let elapsed = started.elapsed();
    tokio::time::sleep(Duration::from_millis(500)).await;
    for listener in &listeners {
        listener.abort();
    }
    let mut all = latencies.lock().expect("lock").clone();
    println!(
        "{ok} writes in {:.1} s ({:.0}/s), {clients} SSE clients, {} events received",
        elapsed.as_secs_f64(),
        ok as f64 / elapsed.as_secs_f64(),
        all.len()
    );
    println!(
        "event latency (write sent → event at client): {}",
        bench_support::percentiles(&mut all)
    );
    println!(
        "write latency (durable PUT, for comparison): {}",
        bench_support::percentiles(&mut write_latencies)
    );
}

async fn listen(
    mut response: reqwest::Response,
    sent: Arc<Mutex<HashMap<String, Instant>>>,
    latencies: Arc<Mutex<Vec<Duration>>>,
) {
    let mut buffer = String::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        let arrived = Instant::now();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let Some(data) = block.lines().find_map(|line| line.strip_prefix("data:")) else {
                continue;
            };
            let Ok(event) = serde_json::from_str::<Value>(data.trim()) else {
                continue;
            };
            let Some(subject) = event["subject"].as_str() else {
                continue;
            };
            if let Some(at) = sent.lock().expect("lock").get(subject) {
                latencies.lock().expect("lock").push(arrived - *at);
            }
        }
    }
}
