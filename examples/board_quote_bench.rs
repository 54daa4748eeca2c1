//! A quote priced by the sheet (SPEC §17) over HTTP: the demo catalog's first ten modules in
//! one material whose stock is priced `by_sheet`, quoted again and again on one keep-alive
//! connection (each quote nests the kitchen's panels on the stock and is committed to redb
//! before its 201). Prints latency percentiles and whether every answer had the same boards
//! and prices.
//!
//! `make bench-boards`, or `cargo run --release --example board_quote_bench -- [SECONDS]`.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod bench_support;

fn main() {
    let seconds: u64 = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(10);
    let server = bench_support::start_server(true, |app| app);
    bench_support::client_runtime().block_on(drive(server.base.clone(), seconds));
}

async fn drive(base: String, seconds: u64) {
    let client = reqwest::Client::new();
    let get = |path: &str| {
        let request = client.get(format!("{base}{path}"));
        async move {
            let reply = request.send().await.expect("answers");
            reply.json::<Value>().await.expect("json")
        }
    };
    let materials = get("/api/materials?limit=1").await;
    let material = materials["items"][0]["id"]
        .as_str()
        .expect("a material")
        .to_owned();
    let stock = json!({
        "sheets": [{"width": 2800, "height": 2070, "cost": "62.00"},
                   {"width": 2440, "height": 1220, "cost": "34.50"}],
        "kerf": 4, "trim": 10, "grain_direction": "none",
        "pricing": {"mode": "by_sheet", "saw_cut_per_m": "0.45", "edge_banding_per_m": "0.90"}
    });
    let put = client
        .put(format!("{base}/api/materials/{material}/stock"))
        .json(&stock)
        .send()
        .await
        .expect("stock saved");
    assert_eq!(put.status(), 200, "stock saved");
    let modules = get("/api/modules?limit=10").await;
    let items: Vec<Value> = modules["items"]
        .as_array()
        .expect("modules")
        .iter()
        .map(|module| json!({"module_id": module["id"], "material_id": material, "quantity": 1}))
        .collect();
    assert_eq!(items.len(), 10, "the demo catalog has ten modules");
    let body = json!({"items": items});

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut latencies = Vec::new();
    let mut first: Option<(Value, Value, Value)> = None;
    let mut differing = 0_u32;
    while Instant::now() < deadline {
        let sent = Instant::now();
        let reply = client
            .post(format!("{base}/api/quote/generate"))
            .json(&body)
            .send()
            .await
            .expect("answers");
        assert_eq!(reply.status(), 201, "a quote");
        let quote: Value = reply.json().await.expect("json");
        latencies.push(sent.elapsed());
        let answer = (
            quote["boards"].clone(),
            quote["lines"].clone(),
            quote["total"].clone(),
        );
        match &first {
            None => first = Some(answer),
            Some(first) if *first != answer => differing += 1,
            Some(_) => {}
        }
    }
    let (boards, _, total) = first.expect("at least one quote");
    let board = &boards[0];
    println!(
        "by_sheet quote of a 10-module kitchen over HTTP, one connection, {seconds} s: {}, \
         {} quotes, {differing} differing; {} boards {}, yield {:.1} %, board charge {}, total {}",
        bench_support::percentiles(&mut latencies),
        latencies.len(),
        board["boards"].as_array().map_or(0, |boards| boards
            .iter()
            .map(|board| board["count"].as_u64().unwrap_or(0))
            .sum::<u64>()),
        board["boards"],
        board["yield_ratio"].as_f64().unwrap_or(0.0) * 100.0,
        board["charges"]["total"],
        total,
    );
}
