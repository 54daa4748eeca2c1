//! The site side of the chain (SPEC §15) through the real server against a stand-in HQ that
//! speaks `paform_api::chain` with HQ's semantics (duplicates are no-ops, a differing entry is
//! quarantined, a gap is answered with the expected number) and can be taken down, lose its
//! replies after applying, or forget a tail: joining, admin-only join, the push loop, the
//! status, and every acknowledged write at HQ exactly once.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::Query;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::routing::post;
use paform_api::chain::{
    CatalogVersion, CatalogVersions, Entry, JoinReply, JoinRequest, NodeRole, PushBatch, PushGap,
    PushReply, QuarantinedEntry,
};
use paform_app::dto::DeviceTokenInput;
use serde_json::{Value, json};

use crate::support::{TestApp, spawn_app_requiring_tokens, spawn_seeded_app};

const TOKEN: &str = "node-token-of-north";

/// What the stand-in HQ holds and how it misbehaves.
#[derive(Default)]
struct HqState {
    entries: Vec<Entry>,
    quarantined: Vec<QuarantinedEntry>,
    /// Every push received (entries per batch), to count resends.
    batches: Vec<usize>,
    down: bool,
    /// Apply the batch, then answer 500 as if the reply were lost.
    lose_replies: bool,
    taken_prefixes: Vec<String>,
    joined_prefix: Option<String>,
    catalog: Vec<CatalogVersion>,
}

type Hq = Arc<Mutex<HqState>>;

fn authorized(headers: &HeaderMap) -> bool {
    headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        == Some(&format!("Bearer {TOKEN}"))
}

async fn hq_join(
    State(hq): State<Hq>,
    headers: HeaderMap,
    Json(request): Json<JoinRequest>,
) -> Response {
    let mut hq = hq.lock().expect("lock");
    if !authorized(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let prefix = request.number_prefix.clone().unwrap_or_default();
    if hq.taken_prefixes.contains(&prefix) {
        return StatusCode::CONFLICT.into_response();
    }
    hq.joined_prefix = Some(prefix.clone());
    Json(JoinReply {
        node_id: "node-north".into(),
        node_name: "Showroom North".into(),
        role: NodeRole::Showroom,
        held_seq: hq.entries.len() as u64,
        number_prefix: Some(prefix),
    })
    .into_response()
}

async fn hq_push(
    State(hq): State<Hq>,
    headers: HeaderMap,
    Json(batch): Json<PushBatch>,
) -> Response {
    let mut hq = hq.lock().expect("lock");
    if hq.down {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    if !authorized(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    hq.batches.push(batch.entries.len());
    let mut quarantined = Vec::new();
    for entry in batch.entries {
        let held = hq.entries.len() as u64;
        if entry.node_seq <= held {
            if hq.entries[entry.node_seq as usize - 1] != entry {
                quarantined.push(QuarantinedEntry {
                    node_seq: entry.node_seq,
                    reason: "differs from what HQ holds".into(),
                });
            }
        } else if entry.node_seq == held + 1 {
            hq.entries.push(entry);
        } else {
            return (
                StatusCode::CONFLICT,
                Json(PushGap {
                    expected_seq: held + 1,
                }),
            )
                .into_response();
        }
    }
    hq.quarantined.extend(quarantined.iter().cloned());
    if hq.lose_replies {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    Json(PushReply {
        held_seq: hq.entries.len() as u64,
        quarantined,
    })
    .into_response()
}

async fn hq_catalog(
    State(hq): State<Hq>,
    headers: HeaderMap,
    Query(query): Query<std::collections::HashMap<String, u64>>,
) -> Response {
    let after = query.get("after").copied().unwrap_or(0);
    let hq = hq.lock().expect("lock");
    if hq.down {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    if !authorized(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    Json(CatalogVersions {
        versions: hq
            .catalog
            .iter()
            .filter(|version| version.version > after)
            .cloned()
            .collect(),
    })
    .into_response()
}

async fn spawn_hq() -> (SocketAddr, Hq) {
    let hq = Hq::default();
    let router = axum::Router::new()
        .route("/hq/v1/join", post(hq_join))
        .route("/hq/v1/push", post(hq_push))
        .route("/hq/v1/catalog", get(hq_catalog))
        .with_state(hq.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (address, hq)
}

async fn join(site: &TestApp, hq: SocketAddr) -> crate::support::Reply {
    site.post(
        "/api/sync/join",
        &json!({"hq_url": format!("http://{hq}"), "token": TOKEN}),
    )
    .await
}

/// A customer, a quote, an accepted order moved on: a showroom's day in a few writes.
async fn sell(site: &TestApp, n: usize) {
    let modules = site.get("/api/modules").await;
    let module_id = modules.body["items"][0]["id"]
        .as_str()
        .or_else(|| modules.body[0]["id"].as_str())
        .expect("the demo catalog has a module")
        .to_owned();
    let customer = site
        .post("/api/customers", &json!({"name": format!("Buyer {n}")}))
        .await;
    assert_eq!(customer.status, 201, "{}", customer.body);
    let quote = site
        .post(
            "/api/quote/generate",
            &json!({"items": [{"module_id": module_id, "quantity": 1}]}),
        )
        .await;
    assert_eq!(quote.status, 201, "{}", quote.body);
    let order = site
        .post(
            &format!(
                "/api/quotes/{}/accept",
                quote.body["id"].as_str().expect("id")
            ),
            &json!({"buyer": {"name": format!("Buyer {n}"), "email": "b@example.com"},
                    "actor": {"id": "u-1", "name": "Sam", "role": "sales"}}),
        )
        .await;
    assert_eq!(order.status, 201, "{}", order.body);
    let moved = site
        .post(
            &format!("/api/orders/{}/transitions", order.body["id"].as_str().expect("id")),
            &json!({"to": "pending_payment", "actor": {"id": "u-1", "name": "Sam", "role": "sales"}}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
}

/// Waits until the site reports `state` with nothing pending (or fails after `within`).
async fn wait_for(site: &TestApp, state: &str, within: Duration) -> Value {
    let start = Instant::now();
    loop {
        let status = site.get("/api/sync/status").await;
        assert_eq!(status.status, 200, "{}", status.body);
        let pending = status.body["pending_events"].as_u64().unwrap_or(u64::MAX);
        if status.body["state"] == state && (state != "synced" || pending == 0) {
            return status.body;
        }
        assert!(
            start.elapsed() < within,
            "never {state} within {within:?}: {}",
            status.body
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// HQ holds entries 1..=n once each, and nothing was quarantined.
fn assert_exactly_once(hq: &Hq, n: u64) {
    let hq = hq.lock().expect("lock");
    let numbers: Vec<u64> = hq.entries.iter().map(|entry| entry.node_seq).collect();
    assert_eq!(numbers, (1..=n).collect::<Vec<_>>());
    assert!(hq.quarantined.is_empty(), "{:?}", hq.quarantined);
}

#[tokio::test]
async fn a_showroom_joins_and_every_write_reaches_hq_once_in_node_seq_order() {
    let (hq_address, hq) = spawn_hq().await;
    let site = spawn_seeded_app().await;
    // History written before joining is pushed too.
    sell(&site, 0).await;
    let joined = join(&site, hq_address).await;
    assert_eq!(joined.status, 200, "{}", joined.body);
    assert_eq!(joined.body["role"], "showroom");
    assert_eq!(joined.body["node_id"], "node-north");
    assert_eq!(joined.body["node_name"], "Showroom North");
    assert!(
        joined.body.get("token").is_none(),
        "the token never comes back"
    );
    assert_eq!(
        hq.lock().expect("lock").joined_prefix.as_deref(),
        Some("PF")
    );
    // In a chain HQ owns the catalog.
    let edit = site
        .post(
            "/api/materials",
            &json!({"name": "Walnut", "cost_per_sq_ft": "2.00"}),
        )
        .await;
    edit.assert_problem(409, None);
    let detail = edit.body["detail"].as_str().unwrap_or("").to_owned();
    assert!(
        detail.contains("HQ") && detail.contains(&hq_address.to_string()),
        "{detail}"
    );
    for n in 1..=3 {
        sell(&site, n).await;
    }
    let status = wait_for(&site, "synced", Duration::from_secs(20)).await;
    assert!(status["last_push_at"].is_string(), "{status}");
    assert_eq!(status["last_error"], Value::Null);
    let held = hq.lock().expect("lock").entries.len() as u64;
    assert!(held >= 4 * 3, "customers, quotes and order events: {held}");
    assert_exactly_once(&hq, held);
    let kinds: Vec<String> = hq
        .lock()
        .expect("lock")
        .entries
        .iter()
        .map(|entry| entry.kind.as_str().to_owned())
        .collect();
    for kind in ["customer", "quote", "order_event"] {
        assert!(kinds.iter().any(|found| found == kind), "{kind}: {kinds:?}");
    }
}

#[tokio::test]
async fn an_hq_that_is_down_or_loses_its_replies_ends_with_every_write_there_exactly_once() {
    let (hq_address, hq) = spawn_hq().await;
    let site = spawn_seeded_app().await;
    assert_eq!(join(&site, hq_address).await.status, 200);
    sell(&site, 0).await;
    wait_for(&site, "synced", Duration::from_secs(20)).await;

    hq.lock().expect("lock").down = true;
    for n in 1..=3 {
        sell(&site, n).await;
    }
    let offline = wait_for(&site, "offline", Duration::from_secs(20)).await;
    assert!(offline["pending_events"].as_u64() > Some(0), "{offline}");
    assert!(offline["last_error"].is_string(), "{offline}");

    // Back up, but every reply is lost after HQ applied the batch: the site resends.
    {
        let mut hq = hq.lock().expect("lock");
        hq.down = false;
        hq.lose_replies = true;
    }
    let start = Instant::now();
    while hq.lock().expect("lock").batches.len() < 3 {
        assert!(start.elapsed() < Duration::from_secs(30), "no resend");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    hq.lock().expect("lock").lose_replies = false;
    wait_for(&site, "synced", Duration::from_secs(60)).await;
    let held = hq.lock().expect("lock").entries.len() as u64;
    assert_exactly_once(&hq, held);
    let resent = hq.lock().expect("lock").batches.len();
    assert!(resent >= 3, "the same batch went again: {resent}");
}

#[tokio::test]
async fn an_hq_that_lost_a_tail_answers_a_gap_and_the_site_resends_from_there() {
    let (hq_address, hq) = spawn_hq().await;
    let site = spawn_seeded_app().await;
    assert_eq!(join(&site, hq_address).await.status, 200);
    sell(&site, 0).await;
    wait_for(&site, "synced", Duration::from_secs(20)).await;
    let before = hq.lock().expect("lock").entries.len();
    hq.lock().expect("lock").entries.truncate(2);
    sell(&site, 1).await;
    wait_for(&site, "synced", Duration::from_secs(20)).await;
    let held = hq.lock().expect("lock").entries.len() as u64;
    assert!(held as usize > before);
    assert_exactly_once(&hq, held);
}

#[tokio::test]
async fn joining_answers_a_held_prefix_with_409_a_wrong_token_with_422_and_keeps_the_site_standalone()
 {
    let (hq_address, hq) = spawn_hq().await;
    let site = spawn_seeded_app().await;
    hq.lock().expect("lock").taken_prefixes.push("PF".into());
    let taken = join(&site, hq_address).await;
    taken.assert_problem(409, None);
    assert!(
        taken.body["detail"].as_str().unwrap_or("").contains("PF"),
        "{}",
        taken.body
    );
    let wrong = site
        .post(
            "/api/sync/join",
            &json!({"hq_url": format!("http://{hq_address}"), "token": "nope"}),
        )
        .await;
    wrong.assert_problem(422, Some("token"));
    let plain = site
        .post(
            "/api/sync/join",
            &json!({"hq_url": "http://hq.example.com", "token": TOKEN}),
        )
        .await;
    plain.assert_problem(422, Some("hq_url"));
    let status = site.get("/api/sync/status").await;
    assert_eq!(status.body["role"], "standalone");
    assert_eq!(status.body["node_id"], Value::Null);
}

#[tokio::test]
async fn only_an_admin_may_join_while_every_role_reads_the_status() {
    let (server, app) = spawn_app_requiring_tokens(None).await;
    let sales = app
        .create_device_token(DeviceTokenInput {
            name: "tablet".into(),
            role: Some("sales".into()),
        })
        .await
        .expect("token");
    let refused = server
        .send_as(
            &sales.token,
            server
                .client
                .post(server.url("/api/sync/join"))
                .json(&json!({"hq_url": "https://hq.example.com", "token": TOKEN})),
        )
        .await;
    refused.assert_problem(403, None);
    let status = server
        .send_as(
            &sales.token,
            server.client.get(server.url("/api/sync/status")),
        )
        .await;
    assert_eq!(status.status, 200, "{}", status.body);
    let keys: Vec<&String> = status.body.as_object().expect("object").keys().collect();
    for key in [
        "role",
        "node_id",
        "node_name",
        "hq_url",
        "state",
        "pending_events",
        "last_push_at",
        "last_pull_at",
        "catalog_version",
        "last_error",
    ] {
        assert!(keys.iter().any(|found| *found == key), "{key} in {keys:?}");
    }
}

#[tokio::test]
async fn a_catalog_version_from_hq_replaces_the_sites_catalog_at_once() {
    let (hq_address, hq) = spawn_hq().await;
    let site = spawn_seeded_app().await;
    let version = |number: u64, price: &str| CatalogVersion {
        version: number,
        materials: vec![json!({
            "id": "mat-hq-oak", "name": "HQ Oak", "texture_url": null, "cost_per_sq_ft": "3.50",
            "thickness_mm": 18.0, "external_ids": {}, "created_at": "2026-12-01T00:00:00Z",
            "updated_at": "2026-12-01T00:00:00Z",
            "stock": {"sheets": [{"width": 2800.0, "height": 2070.0, "cost": null}],
                      "kerf": 3.2, "trim": 10.0, "grain_direction": "length"}
        })],
        modules: vec![json!({
            "id": "mod-hq-base", "name": "HQ Base 600",
            "dimensions": {"width": 600.0, "height": 720.0, "depth": 560.0},
            "base_price": price, "material_id": "mat-hq-oak", "assembly_attributes": {},
            "placement_constraints": {}, "connection_points": [], "external_ids": {},
            "created_at": "2026-12-01T00:00:00Z", "updated_at": "2026-12-01T00:00:00Z"
        })],
    };
    hq.lock().expect("lock").catalog = vec![version(1, "100.00"), version(2, "120.00")];
    assert_eq!(join(&site, hq_address).await.status, 200);
    let start = Instant::now();
    loop {
        let status = site.get("/api/sync/status").await;
        if status.body["catalog_version"] == 2 {
            assert!(status.body["last_pull_at"].is_string(), "{}", status.body);
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "{}", status.body);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let modules = site.get("/api/modules").await;
    let items = modules.body["items"].as_array().expect("a page").clone();
    assert_eq!(items.len(), 1, "the demo catalog left: {}", modules.body);
    assert_eq!(items[0]["id"], "mod-hq-base");
    assert_eq!(items[0]["base_price"], "120.00");
    let materials = site.get("/api/materials").await;
    assert_eq!(materials.body["items"].as_array().map(Vec::len), Some(1));
    let stock = site.get("/api/materials/mat-hq-oak/stock").await;
    assert_eq!(stock.body["kerf"], 3.2, "{}", stock.body);
}

/// The real HQ on PostgreSQL, not the stand-in: a showroom that sold before and after joining
/// ends with its whole log at HQ once, nothing quarantined, every chain verified there, and
/// each of its orders at HQ with the site's number, status, total and exact chain of hashes.
#[tokio::test]
async fn a_showroom_replicates_to_the_real_hq_on_postgresql_exactly_once() {
    let Some(hq) = crate::hq_support::spawn_hq().await else {
        return;
    };
    let site = spawn_seeded_app().await;
    sell(&site, 0).await;
    let node = hq
        .hq
        .add_node("Showroom Lisbon", "showroom", None)
        .await
        .expect("a node is added");
    let joined = site
        .post(
            "/api/sync/join",
            &json!({"hq_url": format!("http://{}", hq.address), "token": node.token}),
        )
        .await;
    assert_eq!(joined.status, 200, "{}", joined.body);
    assert_eq!(joined.body["node_name"], "Showroom Lisbon");
    for n in 1..=2 {
        sell(&site, n).await;
    }
    let status = wait_for(&site, "synced", Duration::from_secs(30)).await;
    let audit = hq.audit().await;
    assert_eq!(audit["ok"], true, "{audit:#}");
    assert_eq!(audit["quarantined"], 0, "{audit:#}");
    assert_eq!(audit["orders"], 3, "{audit:#}");
    let (code, quarantine) = hq.get("/hq/v1/quarantine", Some(&hq.admin)).await;
    assert_eq!(code, 200);
    assert_eq!(
        quarantine["entries"].as_array().map(Vec::len),
        Some(0),
        "{quarantine}"
    );
    let (code, list) = hq.get("/api/orders", Some(&hq.admin)).await;
    assert_eq!(code, 200, "{list}");
    let orders = list["orders"].as_array().expect("orders");
    assert_eq!(orders.len(), 3, "{list}");
    for listed in orders {
        let id = listed["id"].as_str().expect("id");
        assert_eq!(listed["node"], node.node_id.as_str());
        let mine = site.get(&format!("/api/orders/{id}")).await;
        assert_eq!(mine.status, 200, "{}", mine.body);
        let (_, theirs) = hq.get(&format!("/api/orders/{id}"), Some(&hq.admin)).await;
        for field in ["number", "status", "total"] {
            assert_eq!(theirs[field], mine.body[field], "{field} of {id}: {theirs}");
        }
        let my_events = site.get(&format!("/api/orders/{id}/events")).await;
        let my_hashes: Vec<&Value> = my_events
            .body
            .as_array()
            .expect("events")
            .iter()
            .map(|event| &event["hash"])
            .collect();
        let (_, their_events) = hq
            .get(&format!("/api/orders/{id}/events"), Some(&hq.admin))
            .await;
        let their_hashes: Vec<&Value> = their_events["events"]
            .as_array()
            .expect("events")
            .iter()
            .map(|event| &event["event"]["hash"])
            .collect();
        assert_eq!(their_hashes, my_hashes, "the chain of {id}");
    }
    assert_eq!(status["pending_events"], 0);
}

/// A site with the demo catalog joined to the real HQ as a new node `name` of `role`; a
/// factory numbers its own orders `FAB-`, as joining refuses a prefix another site holds.
async fn joined_site(
    hq: &crate::hq_support::TestHq,
    name: &str,
    role: &str,
) -> (TestApp, paform_hq::NewNode) {
    let site = spawn_seeded_app().await;
    if role == "factory" {
        let mut settings = site.get("/api/settings").await.body;
        settings["order_number_prefix"] = json!("FAB-");
        assert_eq!(site.put("/api/settings", &settings).await.status, 200);
    }
    let node = hq.hq.add_node(name, role, None).await.expect("a node");
    let joined = site
        .post(
            "/api/sync/join",
            &json!({"hq_url": format!("http://{}", hq.address), "token": node.token}),
        )
        .await;
    assert_eq!(joined.status, 200, "{}", joined.body);
    (site, node)
}

/// A site that has numbered nothing yet takes the prefix HQ reserved for its node ("Add site"
/// with a prefix); one that has numbered quotes or orders keeps its own, and HQ's refusal
/// says why.
#[tokio::test]
async fn a_fresh_site_takes_the_prefix_hq_reserved_and_a_numbering_site_is_told_why_not() {
    let Some(hq) = crate::hq_support::spawn_hq().await else {
        return;
    };
    let fresh = spawn_seeded_app().await;
    let node = hq
        .hq
        .add_node("Lisbon", "showroom", Some("LDS"))
        .await
        .expect("a node");
    let joined = fresh
        .post(
            "/api/sync/join",
            &json!({"hq_url": format!("http://{}", hq.address), "token": node.token}),
        )
        .await;
    assert_eq!(joined.status, 200, "{}", joined.body);
    let settings = fresh.get("/api/settings").await.body;
    assert_eq!(settings["order_number_prefix"], "LDS-", "{settings}");

    let busy = spawn_seeded_app().await;
    sell_quote(&busy).await;
    let node = hq
        .hq
        .add_node("Porto", "showroom", Some("OPO"))
        .await
        .expect("a node");
    let refused = busy
        .post(
            "/api/sync/join",
            &json!({"hq_url": format!("http://{}", hq.address), "token": node.token}),
        )
        .await;
    refused.assert_problem(409, None);
    let detail = refused.body["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("PF") && detail.contains("OPO"), "{detail}");
    assert_eq!(
        busy.get("/api/sync/status").await.body["role"],
        "standalone"
    );
}

/// SPEC §15: HQ's copy anchors every chain. An order removed whole from a joined site's store
/// leaves chains that verify on their own; `audit verify` finds it against HQ's heads.
#[tokio::test]
async fn audit_verify_on_a_joined_site_finds_a_chain_hq_holds_and_the_site_lost() {
    let Some(hq) = crate::hq_support::spawn_hq().await else {
        return;
    };
    let (showroom, _) = joined_site(&hq, "Showroom Lisbon", "showroom").await;
    sell(&showroom, 1).await;
    sell(&showroom, 2).await;
    let synced = showroom.post("/api/sync/now", &json!({})).await;
    assert_eq!(synced.status, 200, "{}", synced.body);
    let audit = showroom.get("/api/audit/verify").await.body;
    assert_eq!(audit["ok"], true, "{audit}");
    assert_eq!(audit["hq_heads"], 2, "{audit}");
    let orders = showroom.get("/api/orders").await.body;
    let lost = orders["items"][0]["id"].as_str().expect("an id").to_owned();

    let dir = showroom.stop().await;
    // Off the runtime: the push loop may still be finishing a pass with the store open.
    let store = dir.path().join("paform.redb");
    let removed = lost.clone();
    tokio::task::spawn_blocking(move || crate::audit_chain::remove_stored_order(&store, &removed))
        .await
        .expect("the store is edited");
    let showroom = crate::support::spawn_app_with(Default::default(), Some(dir)).await;
    let audit = showroom.get("/api/audit/verify").await.body;
    assert_eq!(audit["ok"], false, "{audit}");
    assert_eq!(
        audit["orders"], 1,
        "the site alone sees one sound order: {audit}"
    );
    assert_eq!(audit["projected"], 1, "{audit}");
    let broken = audit["broken"].as_array().expect("a list");
    assert_eq!(broken.len(), 1, "{audit}");
    assert_eq!(broken[0]["order_id"], lost.as_str());
    assert_eq!(broken[0]["reason"], "hq");
}

/// One quote, so the site has numbered something.
async fn sell_quote(site: &TestApp) {
    let modules = site.get("/api/modules").await;
    let module_id = modules.body["items"][0]["id"].as_str().expect("a module");
    let quoted = site
        .post(
            "/api/quote/generate",
            &json!({"items": [{"module_id": module_id, "quantity": 1}]}),
        )
        .await;
    assert_eq!(quoted.status, 201, "{}", quoted.body);
}

/// Takes a showroom's order from `pending_payment` (where `sell` leaves it) to
/// `production_ready` (a captured deposit, no design requests), as SPEC §5's guards want.
async fn make_ready(site: &TestApp, order_id: &str) {
    let actor = json!({"id": "u-1", "name": "Sam", "role": "sales"});
    let step = |to: &'static str| {
        let path = format!("/api/orders/{order_id}/transitions");
        let body = json!({"to": to, "actor": actor});
        async move {
            let moved = site.post(&path, &body).await;
            assert_eq!(moved.status, 200, "→ {to}: {}", moved.body);
        }
    };
    let payment = site
        .post(
            &format!("/api/orders/{order_id}/payments"),
            &json!({"kind": "deposit", "amount": "10.00"}),
        )
        .await;
    assert_eq!(payment.status, 201, "{}", payment.body);
    let payment_id = payment.body["id"].as_str().expect("a payment id");
    let capture = site
        .post(
            &format!("/api/payments/{payment_id}/transactions"),
            &json!({"provider": "stripe", "provider_ref": format!("ch_{payment_id}"),
                    "type": "capture", "amount": "10.00", "status": "succeeded"}),
        )
        .await;
    assert_eq!(capture.status, 201, "{}", capture.body);
    step("design_review").await;
    step("production_ready").await;
}

fn hashes(events: &Value) -> Vec<Value> {
    events
        .as_array()
        .expect("a list of events")
        .iter()
        .map(|event| event["hash"].clone())
        .collect()
}

/// SPEC §15 "Pull": a factory receives a showroom's order once it reaches production_ready
/// (the whole contract, hash for hash, and nothing of an order still in draft), may not change
/// it, records its production in a chain of its own, and that chain reaches the showroom's
/// order page through HQ, where every chain verifies.
#[tokio::test]
async fn a_factory_receives_an_order_at_production_ready_and_its_scans_reach_the_showroom() {
    let Some(hq) = crate::hq_support::spawn_hq().await else {
        return;
    };
    let (showroom, shop) = joined_site(&hq, "Showroom Lisbon", "showroom").await;
    let (factory, _) = joined_site(&hq, "Factory Porto", "factory").await;
    sell(&showroom, 1).await;
    sell(&showroom, 2).await;
    let orders = showroom.get("/api/orders").await.body;
    let ids: Vec<String> = orders["items"]
        .as_array()
        .expect("orders")
        .iter()
        .map(|order| order["id"].as_str().expect("an id").to_owned())
        .collect();
    assert_eq!(ids.len(), 2, "{orders}");
    let (ready, pending) = (&ids[0], &ids[1]);
    make_ready(&showroom, ready).await;

    let synced = showroom.post("/api/sync/now", &json!({})).await;
    assert_eq!(synced.status, 200, "{}", synced.body);
    let pulled = factory.post("/api/sync/now", &json!({})).await;
    assert_eq!(pulled.status, 200, "{}", pulled.body);

    // The factory holds the ready order exactly as sold, and not the one still pending.
    let theirs = showroom.get(&format!("/api/orders/{ready}")).await.body;
    let received = factory.get(&format!("/api/orders/{ready}")).await;
    assert_eq!(received.status, 200, "{}", received.body);
    for field in [
        "number",
        "status",
        "total",
        "buyer",
        "line_items",
        "amount_paid",
    ] {
        assert_eq!(received.body[field], theirs[field], "{field}");
    }
    assert_eq!(received.body["status"], "production_ready");
    assert_eq!(received.body["sold_by"], shop.node_id.as_str());
    assert_eq!(received.body["allowed_next"], json!([]));
    assert_eq!(theirs["sold_by"], Value::Null);
    let contract = showroom.get(&format!("/api/orders/{ready}/events")).await;
    let copy = factory.get(&format!("/api/orders/{ready}/events")).await;
    assert_eq!(hashes(&copy.body), hashes(&contract.body));
    factory
        .get(&format!("/api/orders/{pending}"))
        .await
        .assert_problem(404, None);
    let factory_list = factory
        .get("/api/orders?status=production_ready")
        .await
        .body;
    assert_eq!(factory_list["total"], 1, "{factory_list}");
    let verified = factory.get("/api/audit/verify").await;
    assert_eq!(verified.body["ok"], true, "{}", verified.body);

    // Only the showroom changes the contract; the factory's attempt writes nothing.
    let moved = factory
        .post(
            &format!("/api/orders/{ready}/transitions"),
            &json!({"to": "fulfilled", "actor": {"id": "u-9", "name": "Flo", "role": "admin"}}),
        )
        .await;
    moved.assert_problem(409, None);
    let after = factory.get(&format!("/api/orders/{ready}/events")).await;
    assert_eq!(hashes(&after.body), hashes(&contract.body));

    // The factory scans a part: its production chain, not the contract.
    let production = factory
        .get(&format!("/api/orders/{ready}/production"))
        .await;
    assert_eq!(production.status, 200, "{}", production.body);
    let code = production.body["parts"][0]["code"]
        .as_str()
        .expect("a part code")
        .to_owned();
    let scan = factory
        .post(
            &format!("/api/parts/{code}/scan"),
            &json!({"station": "cut", "actor": "Saw 1"}),
        )
        .await;
    assert_eq!(scan.status, 200, "{}", scan.body);
    let made = factory
        .get(&format!("/api/orders/{ready}/production-events"))
        .await;
    assert_eq!(made.body[0]["kind"], "part_scanned", "{}", made.body);
    assert_eq!(made.body[0]["seq"], 1);
    let unchanged = factory.get(&format!("/api/orders/{ready}/events")).await;
    assert_eq!(hashes(&unchanged.body), hashes(&contract.body));

    // Through HQ to the showroom's order page.
    assert_eq!(factory.post("/api/sync/now", &json!({})).await.status, 200);
    let shown = showroom.post("/api/sync/now", &json!({})).await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    let seen = showroom
        .get(&format!("/api/orders/{ready}/production-events"))
        .await;
    assert_eq!(seen.status, 200, "{}", seen.body);
    assert_eq!(hashes(&seen.body), hashes(&made.body));
    assert_eq!(seen.body[0]["data"]["station"], "cut", "{}", seen.body);
    // The showroom's order page shows the factory's progress, part for part.
    let here = showroom
        .get(&format!("/api/orders/{ready}/production"))
        .await
        .body;
    let there = factory
        .get(&format!("/api/orders/{ready}/production"))
        .await
        .body;
    assert!(here["percentage"].as_u64() > Some(0), "{here}");
    assert_eq!(here["percentage"], there["percentage"]);
    assert_eq!(here["parts"][0]["stations"], there["parts"][0]["stations"]);
    // Pulling again changes nothing.
    assert_eq!(factory.post("/api/sync/now", &json!({})).await.status, 200);
    assert_eq!(showroom.post("/api/sync/now", &json!({})).await.status, 200);
    let again = showroom
        .get(&format!("/api/orders/{ready}/production-events"))
        .await;
    assert_eq!(hashes(&again.body), hashes(&made.body));

    let audit = hq.audit().await;
    assert_eq!(audit["ok"], true, "{audit:#}");
    assert_eq!(audit["quarantined"], 0, "{audit:#}");
}

/// "Sync now" leaves nothing pending, and HQ verifies every chain, quarantines nothing and
/// holds `orders` orders.
async fn pushes_everything_to_a_clean_hq(
    site: &TestApp,
    hq: &crate::hq_support::TestHq,
    orders: u64,
) {
    let pushed = site.post("/api/sync/now", &json!({})).await;
    assert_eq!(pushed.status, 200, "{}", pushed.body);
    assert_eq!(pushed.body["pending_events"], 0, "{}", pushed.body);
    let audit = hq.audit().await;
    assert_eq!(audit["ok"], true, "{audit:#}");
    assert_eq!(audit["quarantined"], 0, "{audit:#}");
    assert_eq!(audit["orders"], orders, "{audit:#}");
}

/// SPEC §15 "Restore from HQ": a showroom whose disk is lost is rebuilt by
/// `paform sync restore` (a real process) into an empty data directory: its customers and
/// orders come back (chains hash for hash, payments and balances, statuses), its log comes
/// back whole, and it carries on after HQ's `node_seq` without reusing an order number. A
/// directory that already holds writes is refused.
#[tokio::test]
async fn a_lost_showroom_is_restored_from_hq_and_carries_on_without_reusing_a_number() {
    let Some(hq) = crate::hq_support::spawn_hq().await else {
        return;
    };
    let (showroom, node) = joined_site(&hq, "Showroom Lisbon", "showroom").await;
    sell(&showroom, 1).await;
    sell(&showroom, 2).await;
    let before = showroom.get("/api/orders").await.body;
    let paid = before["items"][0]["id"].as_str().expect("an id").to_owned();
    make_ready(&showroom, &paid).await;
    let synced = showroom.post("/api/sync/now", &json!({})).await;
    assert_eq!(synced.status, 200, "{}", synced.body);
    let held = synced.body["pending_events"].clone();
    assert_eq!(held, 0, "{}", synced.body);
    let customers_before = showroom.get("/api/customers").await.body;
    let orders_before = showroom.get("/api/orders").await.body;

    let lost = tempfile::tempdir().expect("a directory");
    // A real process; the in-process HQ keeps serving while the test waits for it.
    let restore = |dir: std::path::PathBuf| {
        let url = format!("http://{}", hq.address);
        let token = node.token.clone();
        async move {
            tokio::task::spawn_blocking(move || {
                std::process::Command::new(env!("CARGO_BIN_EXE_paform"))
                    .args([
                        "sync",
                        "restore",
                        "--hq",
                        &url,
                        "--token",
                        &token,
                        "--data-dir",
                    ])
                    .arg(dir)
                    .output()
                    .expect("paform sync restore runs")
            })
            .await
            .expect("the restore process is awaited")
        }
    };
    let restored = restore(lost.path().to_path_buf()).await;
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let summary: Value = serde_json::from_slice(&restored.stdout).expect("a JSON summary");
    assert_eq!(summary["orders"], 2, "{summary}");
    assert_eq!(summary["customers"], 2, "{summary}");

    let again = restore(lost.path().to_path_buf()).await;
    assert!(
        !again.status.success(),
        "a second restore into the same directory"
    );
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("empty data directory"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );

    let site = crate::support::spawn_app_with(Default::default(), Some(lost)).await;
    assert_eq!(site.get("/api/customers").await.body, customers_before);
    let orders_after = site.get("/api/orders").await.body;
    assert_eq!(orders_after["total"], orders_before["total"]);
    for (mine, theirs) in orders_before["items"]
        .as_array()
        .expect("orders")
        .iter()
        .zip(orders_after["items"].as_array().expect("orders"))
    {
        let id = mine["id"].as_str().expect("an id");
        for field in [
            "number",
            "status",
            "total",
            "amount_paid",
            "balance_due",
            "line_items",
        ] {
            assert_eq!(theirs[field], mine[field], "{field} of {id}");
        }
        let chain = showroom.get(&format!("/api/orders/{id}/events")).await;
        let copy = site.get(&format!("/api/orders/{id}/events")).await;
        assert_eq!(hashes(&copy.body), hashes(&chain.body), "the chain of {id}");
    }
    let verified = site.get("/api/audit/verify").await;
    assert_eq!(verified.body["ok"], true, "{}", verified.body);
    let status = site.get("/api/sync/status").await.body;
    assert_eq!(status["role"], "showroom", "{status}");
    assert_eq!(status["pending_events"], 0, "{status}");

    // It carries on: the next order takes the next number, and HQ takes the new entries.
    sell(&site, 3).await;
    let newest = site.get("/api/orders?q=PF-000003").await.body;
    assert_eq!(newest["total"], 1, "{newest}");
    pushes_everything_to_a_clean_hq(&site, &hq, 3).await;
}

/// SPEC §15: a showroom restored from an old local backup takes back from HQ what it wrote
/// after that backup (before it pushes anything), so it never reuses a number: its next order
/// follows the last one HQ holds, and HQ quarantines nothing.
#[tokio::test]
async fn a_showroom_restored_from_an_old_backup_takes_back_what_it_lost_from_hq() {
    let Some(hq) = crate::hq_support::spawn_hq().await else {
        return;
    };
    let (showroom, _) = joined_site(&hq, "Showroom Lisbon", "showroom").await;
    sell(&showroom, 1).await;
    sell(&showroom, 2).await;
    assert_eq!(showroom.post("/api/sync/now", &json!({})).await.status, 200);
    let backup = showroom.post("/api/backups", &json!({})).await;
    assert_eq!(backup.status, 201, "{}", backup.body);
    sell(&showroom, 3).await;
    assert_eq!(showroom.post("/api/sync/now", &json!({})).await.status, 200);
    let lost = showroom.get("/api/orders?q=PF-000003").await.body;
    let lost_id = lost["items"][0]["id"].as_str().expect("order 3").to_owned();

    let archive = showroom
        .data_dir()
        .join("backups")
        .join(backup.body["file"].as_str().expect("a file"));
    let restored = tempfile::tempdir().expect("a directory");
    std::fs::remove_dir(restored.path()).expect("an empty directory goes");
    let target = restored.path().to_path_buf();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_paform"))
            .args(["backup", "restore"])
            .arg(archive)
            .arg("--data-dir")
            .arg(target)
            .output()
            .expect("paform backup restore runs")
    })
    .await
    .expect("awaited");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let site = crate::support::spawn_app_with(Default::default(), Some(restored)).await;
    let synced = site.post("/api/sync/now", &json!({})).await;
    assert_eq!(synced.status, 200, "{}", synced.body);
    let orders = site.get("/api/orders").await.body;
    assert_eq!(orders["total"], 3, "{orders}");
    let chain = showroom.get(&format!("/api/orders/{lost_id}/events")).await;
    let back = site.get(&format!("/api/orders/{lost_id}/events")).await;
    assert_eq!(hashes(&back.body), hashes(&chain.body));
    let verified = site.get("/api/audit/verify").await;
    assert_eq!(verified.body["ok"], true, "{}", verified.body);

    sell(&site, 4).await;
    let next = site.get("/api/orders?q=PF-000004").await.body;
    assert_eq!(next["total"], 1, "{next}");
    pushes_everything_to_a_clean_hq(&site, &hq, 4).await;
}

/// SPEC §15 "Proof": HQ, a real `paform hq serve` process, is killed while a showroom sells (its
/// push loop sends after every write, so a batch may be in flight; the test cannot force one),
/// stays down while the showroom keeps selling offline, and
/// comes back on the same address: every acknowledged write of the site is at HQ exactly
/// once, nothing is quarantined, every chain verifies and HQ's orders are the site's.
#[tokio::test]
async fn hq_killed_while_a_showroom_pushes_ends_with_every_write_there_exactly_once() {
    let Some(url) = crate::support::pg::database() else {
        return;
    };
    let hq = crate::hq_support::spawn_hq_on(url.clone()).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let bind = format!("127.0.0.1:{port}");
    let first = crate::hq_support::spawn_hq_process_at(&url, &bind);
    let site = spawn_seeded_app().await;
    let node = hq
        .hq
        .add_node("Showroom Lisbon", "showroom", None)
        .await
        .expect("a node");
    let joined = site
        .post(
            "/api/sync/join",
            &json!({"hq_url": format!("http://{bind}"), "token": node.token}),
        )
        .await;
    assert_eq!(joined.status, 200, "{}", joined.body);
    // The push loop sends while the site sells; HQ dies in the middle of it.
    for n in 0..8 {
        sell(&site, n).await;
    }
    drop(first);
    for n in 8..14 {
        sell(&site, n).await;
    }
    let offline = site.get("/api/sync/status").await.body;
    assert!(offline["pending_events"].as_u64() > Some(0), "{offline}");
    let _second = crate::hq_support::spawn_hq_process_at(&url, &bind);
    for n in 14..18 {
        sell(&site, n).await;
    }
    let synced = site.post("/api/sync/now", &json!({})).await;
    assert_eq!(synced.status, 200, "{}", synced.body);
    assert_eq!(synced.body["state"], "synced", "{}", synced.body);
    assert_eq!(synced.body["pending_events"], 0, "{}", synced.body);

    let (_, nodes) = hq.get("/hq/v1/nodes", Some(&hq.admin)).await;
    let held = nodes["nodes"][0]["held_seq"].as_u64().expect("held_seq");
    let audit = hq.audit().await;
    assert_eq!(audit["ok"], true, "{audit:#}");
    assert_eq!(audit["quarantined"], 0, "{audit:#}");
    assert_eq!(audit["log_entries"], held, "every entry once, none missing");
    assert_eq!(audit["orders"], 18, "{audit:#}");
    let mine = site.get("/api/orders?limit=100").await.body;
    let (_, theirs) = hq.get("/api/orders", Some(&hq.admin)).await;
    let key = |order: &Value| {
        (
            order["number"].as_str().unwrap_or_default().to_owned(),
            order["status"].clone(),
            order["total"].clone(),
        )
    };
    let mut mine: Vec<_> = mine["items"]
        .as_array()
        .expect("orders")
        .iter()
        .map(key)
        .collect();
    let mut theirs: Vec<_> = theirs["orders"]
        .as_array()
        .expect("orders")
        .iter()
        .map(key)
        .collect();
    mine.sort_by(|a, b| a.0.cmp(&b.0));
    theirs.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(theirs, mine);
}
