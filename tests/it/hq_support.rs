//! Helpers for HQ's tests: an HQ (the real router on a random loopback port, or a real
//! `paform hq serve` process) over a fresh database of the throwaway PostgreSQL, and a
//! simulated site that writes a log of entries with real hash chains.

use std::collections::HashMap;
use std::net::SocketAddr;

use paform_api::chain::{Entry, EntryKind, PushBatch};
use paform_core::order::audit::{GENESIS, link_hash};
use paform_hq::Hq;
use serde_json::{Value, json};
use tokio::sync::oneshot;

use crate::support::pg;

pub(crate) struct TestHq {
    pub(crate) url: String,
    pub(crate) address: SocketAddr,
    pub(crate) hq: Hq,
    pub(crate) admin: String,
    pub(crate) client: reqwest::Client,
    _shutdown: oneshot::Sender<()>,
}

/// HQ's router over a fresh database; `None` (skip) without PostgreSQL outside CI.
pub(crate) async fn spawn_hq() -> Option<TestHq> {
    let url = pg::database()?;
    Some(spawn_hq_on(url).await)
}

pub(crate) async fn spawn_hq_on(url: String) -> TestHq {
    let hq = Hq::open(&url).await.expect("HQ opens its database");
    let admin = hq.create_admin_token().await.expect("an admin token").token;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port 0 binds");
    let address = listener.local_addr().expect("an address");
    let (shutdown, stopped) = oneshot::channel::<()>();
    let served = hq.clone();
    tokio::spawn(async move {
        let _ = paform_hq::http::serve(listener, served, async move {
            let _ = stopped.await;
        })
        .await;
    });
    TestHq {
        url,
        address,
        hq,
        admin,
        client: reqwest::Client::new(),
        _shutdown: shutdown,
    }
}

/// A real `paform hq serve` process; killed when dropped.
pub(crate) struct HqProcess {
    pub(crate) address: SocketAddr,
    child: std::process::Child,
}

impl Drop for HqProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn spawn_hq_process(url: &str) -> HqProcess {
    spawn_hq_process_at(url, "127.0.0.1:0")
}

/// A real `paform hq serve` process listening on `bind` (a fixed port lets a test restart HQ
/// where its sites look for it).
pub(crate) fn spawn_hq_process_at(url: &str, bind: &str) -> HqProcess {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_paform"))
        .args([
            "hq",
            "serve",
            "--database",
            url,
            "--bind",
            bind,
            "--no-demo",
        ])
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .expect("paform hq serve starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut lines = std::io::BufReader::new(stdout).lines();
    let address = loop {
        let line = lines
            .next()
            .expect("paform hq serve prints its address")
            .expect("a line");
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.trim().parse().expect("an address");
        }
    };
    HqProcess { address, child }
}

/// Status and JSON body of a request with an optional bearer token.
pub(crate) async fn call(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut request = client.request(method, url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.expect("HQ answers");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

impl TestHq {
    pub(crate) fn url_of(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    pub(crate) async fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        call(
            &self.client,
            reqwest::Method::GET,
            self.url_of(path),
            token,
            None,
        )
        .await
    }

    pub(crate) async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
        call(
            &self.client,
            reqwest::Method::POST,
            self.url_of(path),
            token,
            Some(body),
        )
        .await
    }

    /// Adds a showroom and joins it with `prefix`.
    pub(crate) async fn joined_site(&self, name: &str, prefix: &str) -> Site {
        self.joined_node(name, "showroom", prefix).await
    }

    /// Adds a node of `role` and joins it with `prefix`.
    pub(crate) async fn joined_node(&self, name: &str, role: &str, prefix: &str) -> Site {
        let node = self
            .hq
            .add_node(name, role, None)
            .await
            .expect("a node is added");
        let (status, reply) = self
            .post(
                "/hq/v1/join",
                Some(&node.token),
                &json!({"number_prefix": prefix}),
            )
            .await;
        assert_eq!(status, 200, "{reply}");
        Site::new(node.node_id, node.token, prefix)
    }

    /// `paform_hq::Hq::audit` through the admin API.
    pub(crate) async fn audit(&self) -> Value {
        let (status, audit) = self.get("/hq/v1/audit", Some(&self.admin)).await;
        assert_eq!(status, 200, "{audit}");
        audit
    }
}

/// A simulated site: its log and the heads of its orders' chains.
#[derive(Clone)]
pub(crate) struct Site {
    pub(crate) node_id: String,
    pub(crate) token: String,
    pub(crate) prefix: String,
    pub(crate) log: Vec<Entry>,
    heads: HashMap<String, (u64, String)>,
    orders: u32,
}

/// One link of an order's chain, hashed as the site hashes it.
pub(crate) fn order_event(
    order_id: &str,
    seq: u64,
    prev_hash: &str,
    kind: &str,
    data: Value,
) -> Value {
    let mut body = json!({
        "order_id": order_id,
        "seq": seq,
        "kind": kind,
        "actor": {"kind": "user", "name": "Sam"},
        "note": null,
        "data": data,
        "at": format!("2026-12-07T10:{:02}:{:02}Z", (seq / 60) % 60, seq % 60),
        "prev_hash": prev_hash,
    });
    let hash = link_hash(prev_hash, &body);
    body["hash"] = json!(hash);
    body
}

impl Site {
    pub(crate) fn new(node_id: String, token: String, prefix: &str) -> Site {
        Site {
            node_id,
            token,
            prefix: prefix.to_owned(),
            log: Vec::new(),
            heads: HashMap::new(),
            orders: 0,
        }
    }

    fn write(&mut self, kind: EntryKind, key: String, body: Value) -> u64 {
        let node_seq = self.log.len() as u64 + 1;
        self.log.push(Entry {
            node_seq,
            kind,
            key,
            body,
        });
        node_seq
    }

    pub(crate) fn customer(&mut self, id: &str, name: &str) {
        self.write(
            EntryKind::Customer,
            id.to_owned(),
            json!({"id": id, "name": name, "email": format!("{id}@example.com")}),
        );
    }

    /// Accepts a quote: a new order whose first event carries the contract (the stored order
    /// under `data.order`, as a site writes it, docs/audit-chain.md; this simulated site's
    /// orders start in `pending_payment`). Returns its id.
    pub(crate) fn order(&mut self, customer_id: &str, total: &str) -> String {
        self.orders += 1;
        let order_id = format!("{}-o{}", self.node_id, self.orders);
        let number = format!("{}-{:06}", self.prefix, self.orders);
        self.event(
            &order_id,
            "order_created",
            json!({"quote_id": null, "order": {
                "id": order_id, "number": number, "quote_id": null, "status": "pending_payment",
                "version": 1, "currency": "EUR", "customer_id": customer_id,
                "buyer": {"name": "Ada Lovelace", "email": "ada@example.com", "phone": null},
                "total": total,
                "line_items": [{"module_id": "base-600", "module_name": "Base 600",
                                "quantity": 2, "unit_price": "100.00", "line_total": "200.00"}],
                "created_at": "2026-12-07T09:00:00Z", "updated_at": "2026-12-07T09:00:00Z",
            }}),
        );
        order_id
    }

    pub(crate) fn event(&mut self, order_id: &str, kind: &str, data: Value) {
        let (seq, prev) = self
            .heads
            .get(order_id)
            .cloned()
            .unwrap_or((0, GENESIS.to_owned()));
        let body = order_event(order_id, seq + 1, &prev, kind, data);
        let hash = body["hash"].as_str().expect("hash").to_owned();
        self.heads.insert(order_id.to_owned(), (seq + 1, hash));
        self.write(
            EntryKind::OrderEvent,
            format!("{order_id}/{}", seq + 1),
            body,
        );
    }

    /// A link of the production chain this (factory) site writes for another site's order.
    pub(crate) fn production_event(&mut self, order_id: &str, kind: &str, data: Value) {
        let chain = format!("production:{order_id}");
        let (seq, prev) = self
            .heads
            .get(&chain)
            .cloned()
            .unwrap_or((0, GENESIS.to_owned()));
        let body = order_event(order_id, seq + 1, &prev, kind, data);
        let hash = body["hash"].as_str().expect("hash").to_owned();
        self.heads.insert(chain, (seq + 1, hash));
        self.write(
            EntryKind::ProductionEvent,
            format!("{order_id}/{}", seq + 1),
            body,
        );
    }

    pub(crate) fn status(&mut self, order_id: &str, from: &str, to: &str) {
        self.event(order_id, "status_changed", json!({"from": from, "to": to}));
    }

    /// Entries `from..=to` (1-based node_seq) as a batch.
    pub(crate) fn batch(&self, from: u64, to: u64) -> PushBatch {
        PushBatch {
            entries: self.log[(from - 1) as usize..to as usize].to_vec(),
        }
    }

    pub(crate) fn batch_json(&self, from: u64, to: u64) -> Value {
        serde_json::to_value(self.batch(from, to)).expect("a batch serializes")
    }
}

/// A site with `orders` orders, each with a customer and a few status changes.
pub(crate) fn busy_site(site: &mut Site, orders: usize) {
    for index in 0..orders {
        let customer = format!("{}-c{index}", site.node_id);
        site.customer(&customer, "Ada Lovelace");
        let order = site.order(&customer, &format!("{}.50", 100 + index));
        site.status(&order, "pending_payment", "design_review");
        if index % 2 == 0 {
            site.status(&order, "design_review", "production_ready");
        }
    }
}
