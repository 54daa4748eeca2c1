//! Token roles (SPEC §13): every operation of the OpenAPI document, called with an admin, a
//! sales and a production token, is allowed or refused with a 403 naming the role exactly as
//! the spec's role list says; every read a role may make succeeds on real records; loopback
//! callers without a token stay admin.

use paform_app::dto::DeviceTokenInput;
use serde_json::{Value, json};

use crate::support::{Reply, spawn_app_requiring_tokens, spawn_seeded_app};

const ALL: &[&str] = &["admin", "sales", "production"];
const ADMIN: &[&str] = &["admin"];
const SALES: &[&str] = &["admin", "sales"];
const PRODUCTION: &[&str] = &["admin", "production"];

/// SPEC §13's role list written out by hand, one row per operation of the OpenAPI document:
/// `admin` everything; `sales` catalog read, customers, designs, quotes, orders, payments;
/// `production` read orders, CNC, offcuts, scans, jobs; the public calls (health, the signed
/// Hygraph webhook, claiming a pairing code) and what every screen's shell reads (settings,
/// the chain status, "Sync now") for everyone. A new operation without a row fails the test.
const TABLE: &[(&str, &str, &[&str])] = &[
    ("get", "/api/health", ALL),
    ("post", "/api/sync/hygraph", ALL),
    ("post", "/api/pairing/claim", ALL),
    // The customer's phone reads a share with its share token, no device token (SPEC §17).
    ("get", "/api/share/{token}", ALL),
    ("get", "/api/share/{token}/model.glb", ALL),
    ("put", "/api/share/{token}/model.glb", SALES),
    ("get", "/api/settings", ALL),
    ("put", "/api/settings", ADMIN),
    ("get", "/api/sync/status", ALL),
    ("post", "/api/sync/now", ALL),
    ("post", "/api/sync/join", ADMIN),
    ("get", "/api/sync/hygraph/deliveries", ADMIN),
    ("get", "/api/backups", ADMIN),
    ("post", "/api/backups", ADMIN),
    ("post", "/api/backups/restore", ADMIN),
    ("delete", "/api/backups/restore", ADMIN),
    ("get", "/api/tokens", ADMIN),
    ("post", "/api/tokens", ADMIN),
    ("delete", "/api/tokens/{id}", ADMIN),
    ("post", "/api/pairing", ADMIN),
    // Catalog: read by sales, written by the admin.
    ("get", "/api/materials", SALES),
    ("post", "/api/materials", ADMIN),
    ("get", "/api/materials/{id}", SALES),
    ("put", "/api/materials/{id}", ADMIN),
    ("delete", "/api/materials/{id}", ADMIN),
    ("get", "/api/modules", SALES),
    ("post", "/api/modules", ADMIN),
    ("get", "/api/modules/{id}", SALES),
    ("put", "/api/modules/{id}", ADMIN),
    ("delete", "/api/modules/{id}", ADMIN),
    ("get", "/api/modules/{id}/model", SALES),
    ("put", "/api/modules/{id}/model", ADMIN),
    ("get", "/api/media/{file}", SALES),
    // Stock and offcuts are the shop floor's.
    ("get", "/api/materials/{id}/stock", PRODUCTION),
    ("put", "/api/materials/{id}/stock", PRODUCTION),
    ("get", "/api/offcuts", PRODUCTION),
    ("get", "/api/offcuts/labels.pdf", PRODUCTION),
    ("delete", "/api/offcuts/{id}", PRODUCTION),
    // Customers, designs, quotes: sales.
    ("get", "/api/customers", SALES),
    ("post", "/api/customers", SALES),
    ("get", "/api/customers/{id}", SALES),
    ("put", "/api/customers/{id}", SALES),
    ("get", "/api/customers/{id}/history", SALES),
    ("get", "/api/designs", SALES),
    ("post", "/api/designs", SALES),
    ("get", "/api/designs/{id}", SALES),
    ("put", "/api/designs/{id}", SALES),
    ("post", "/api/designs/{id}/quote", SALES),
    ("get", "/api/designs/{id}/snapshot", SALES),
    ("put", "/api/designs/{id}/snapshot", SALES),
    ("get", "/api/designs/{id}/versions", SALES),
    ("post", "/api/designs/{id}/share", SALES),
    ("get", "/api/orders/{id}/design-requests", SALES),
    ("post", "/api/orders/{id}/design-requests", SALES),
    ("get", "/api/design-requests/{id}/latest-approved", SALES),
    ("post", "/api/design-requests/{id}/versions", SALES),
    ("post", "/api/design-versions/{id}/approve", SALES),
    ("post", "/api/design-versions/{id}/assets", SALES),
    ("get", "/api/design-assets/{id}", SALES),
    ("post", "/api/quote/generate", SALES),
    ("get", "/api/quotes", SALES),
    ("get", "/api/quotes/{id}", SALES),
    ("get", "/api/quotes/{id}/catalog-change", SALES),
    ("post", "/api/quotes/{id}/reprice", SALES),
    ("post", "/api/quotes/{id}/accept", SALES),
    ("get", "/api/quotes/{id}/document.pdf", SALES),
    ("post", "/api/quotes/{id}/share", SALES),
    // Orders: read by sales and production, changed by sales.
    ("get", "/api/orders", ALL),
    ("get", "/api/orders/{id}", ALL),
    ("get", "/api/orders/{id}/events", ALL),
    ("get", "/api/orders/{id}/production", ALL),
    ("get", "/api/orders/{id}/production-events", ALL),
    ("get", "/api/orders/{id}/document.pdf", ALL),
    ("get", "/api/orders/{id}/changes", ALL),
    ("get", "/api/audit/verify", ALL),
    ("get", "/api/events", ALL),
    ("get", "/api/events/token", ALL),
    ("post", "/api/orders/{id}/transitions", SALES),
    ("post", "/api/orders/{id}/changes", SALES),
    ("post", "/api/order-changes/{id}/confirm", SALES),
    ("post", "/api/order-changes/{id}/decline", SALES),
    // Payments: sales.
    ("get", "/api/orders/{id}/payments", SALES),
    ("post", "/api/orders/{id}/payments", SALES),
    ("post", "/api/payments/{id}/transactions", SALES),
    ("post", "/api/payments/{id}/adjustments", SALES),
    // CNC, scans, jobs: production.
    ("post", "/api/v1/cnc/nest", PRODUCTION),
    ("post", "/api/v1/cnc/panels", PRODUCTION),
    ("post", "/api/v1/exports/cnc", PRODUCTION),
    (
        "get",
        "/api/v1/exports/files/{export_id}/{file}",
        PRODUCTION,
    ),
    ("post", "/api/v1/exports/{id}/cut", PRODUCTION),
    ("post", "/api/parts/{code}/scan", PRODUCTION),
    ("get", "/api/jobs", PRODUCTION),
    ("post", "/api/jobs/{id}/ack", PRODUCTION),
];

/// Which roles may call `method path`, from the table (a missing row fails the test).
fn allowed_roles(method: &str, path: &str) -> &'static [&'static str] {
    TABLE
        .iter()
        .find(|(m, p, _)| *m == method && *p == path)
        .map(|(_, _, roles)| *roles)
        .unwrap_or_else(|| panic!("{method} {path} has no row in SPEC §13's table: add one"))
}

/// `{id}` and friends replaced by a value no record has.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "no-such-id"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn refused_for_role(reply: &Reply) -> bool {
    reply.status == 403
        && reply.body["detail"]
            .as_str()
            .is_some_and(|detail| detail.contains("has the role"))
}

#[tokio::test]
async fn every_operation_is_allowed_or_refused_per_role_as_the_spec_lists() {
    let (server, app) = spawn_app_requiring_tokens(None).await;
    let mut tokens = Vec::new();
    for role in ALL {
        let created = app
            .create_device_token(DeviceTokenInput {
                name: format!("{role}-device"),
                role: Some((*role).into()),
            })
            .await
            .expect("a token is created");
        assert_eq!(created.role, *role);
        tokens.push((*role, created.token));
    }
    let document: Value =
        serde_json::from_str(&paform_http::openapi_json()).expect("the document is JSON");
    let mut n_checked = 0;
    for (path, operations) in document["paths"].as_object().expect("paths") {
        for method in operations.as_object().expect("operations").keys() {
            let allowed = allowed_roles(method, path);
            let url = server.url(&concrete(path));
            for (role, token) in &tokens {
                let request = match method.as_str() {
                    "get" => server.client.get(&url),
                    "post" => server.client.post(&url).json(&json!({})),
                    "put" => server.client.put(&url).json(&json!({})),
                    "delete" => server.client.delete(&url),
                    other => panic!("{other} {path} is not a method this test knows"),
                };
                // Only a 403's body is read: an allowed event stream never ends.
                let response = request.bearer_auth(token).send().await.expect("answers");
                if response.status() != 403 {
                    assert!(
                        allowed.contains(role),
                        "{role} {method} {path} was not refused"
                    );
                    continue;
                }
                let body: Value = response.json().await.expect("a problem document");
                let reply = Reply {
                    status: 403,
                    content_type: "application/problem+json".into(),
                    body,
                };
                if allowed.contains(role) {
                    assert!(
                        !refused_for_role(&reply),
                        "{role} should be allowed {method} {path}: {}",
                        reply.body
                    );
                } else {
                    reply.assert_problem(403, None);
                    let detail = reply.body["detail"].as_str().unwrap_or("");
                    assert!(
                        detail.contains(&format!("`{role}`")) && detail.contains("permission"),
                        "{role} {method} {path}: {detail}"
                    );
                }
            }
            n_checked += 3;
        }
    }
    assert_eq!(
        n_checked,
        3 * TABLE.len(),
        "every row names an operation of the document"
    );
}

#[tokio::test]
async fn tokens_default_to_admin_and_list_their_role_and_bad_roles_are_422() {
    let (server, app) = spawn_app_requiring_tokens(None).await;
    let admin = app
        .create_device_token(DeviceTokenInput {
            name: "office".into(),
            role: None,
        })
        .await
        .unwrap();
    assert_eq!(admin.role, "admin");
    let created = server
        .send_as(
            &admin.token,
            server
                .client
                .post(server.url("/api/tokens"))
                .json(&json!({"name": "floor", "role": "production"})),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["role"], "production");
    let listed = server
        .send_as(&admin.token, server.client.get(server.url("/api/tokens")))
        .await;
    let roles: Vec<&str> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["admin", "production"]);
    let bad = server
        .send_as(
            &admin.token,
            server
                .client
                .post(server.url("/api/tokens"))
                .json(&json!({"name": "x", "role": "root"})),
        )
        .await;
    bad.assert_problem(422, Some("role"));
}

#[tokio::test]
async fn loopback_callers_without_a_token_act_as_admin() {
    let server = spawn_seeded_app().await;
    for path in ["/api/tokens", "/api/backups", "/api/audit/verify"] {
        let reply = server.get(path).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
    }
}

/// Reads that need a record this test does not make, and why; every other `GET` of the
/// document must be listed by `real_path` or here (a new read without either fails).
const READS_WITHOUT_A_RECORD: &[(&str, &str)] = &[
    (
        "/api/design-assets/{id}",
        "a design request's uploaded asset (api_orders)",
    ),
    (
        "/api/design-requests/{id}/latest-approved",
        "an approved design version (api_orders)",
    ),
    (
        "/api/designs/{id}/snapshot",
        "a stored snapshot PNG (api_designs)",
    ),
    (
        "/api/media/{file}",
        "a downloaded Hygraph texture (api_sync)",
    ),
    (
        "/api/offcuts/labels.pdf",
        "offcuts from a confirmed cut (api_floor)",
    ),
    ("/api/share/{token}", "a share link (api_share)"),
    (
        "/api/share/{token}/model.glb",
        "a share link's stored model (api_share)",
    ),
    (
        "/api/v1/exports/files/{export_id}/{file}",
        "a CNC export's signed link (api_cnc)",
    ),
    (
        "/api/events",
        "an endless stream: its 200 is checked in api_floor",
    ),
];

/// Ids of real records: a demo material and module (with its model), and a customer, design,
/// quote and order made through the API.
struct Records {
    material: String,
    module: String,
    customer: String,
    design: String,
    quote: String,
    order: String,
}

/// `path` with its parameters filled from `records`, or `None` for a read listed in
/// `READS_WITHOUT_A_RECORD`.
fn real_path(path: &str, records: &Records) -> Option<String> {
    if READS_WITHOUT_A_RECORD
        .iter()
        .any(|(listed, _)| *listed == path)
    {
        return None;
    }
    let id = match path.split('/').nth(2) {
        Some("customers") => &records.customer,
        Some("designs") => &records.design,
        Some("materials") => &records.material,
        Some("modules") => &records.module,
        Some("orders") => &records.order,
        Some("quotes") => &records.quote,
        _ if !path.contains('{') => "",
        _ => panic!("GET {path}: no record fills it; add one or list it in READS_WITHOUT_A_RECORD"),
    };
    Some(path.replace("{id}", id))
}

#[tokio::test]
async fn every_read_a_role_may_make_succeeds_on_real_records() {
    let (server, app) = spawn_app_requiring_tokens(None).await;
    let mut tokens = Vec::new();
    for role in ALL {
        let created = app
            .create_device_token(DeviceTokenInput {
                name: format!("{role}-reader"),
                role: Some((*role).into()),
            })
            .await
            .expect("a token is created");
        tokens.push((*role, created.token));
    }
    let admin = tokens[0].1.clone();
    let send = |request: reqwest::RequestBuilder| server.send_as(&admin, request);
    let modules = send(server.client.get(server.url("/api/modules?limit=200"))).await;
    let modelled = modules.body["items"]
        .as_array()
        .expect("modules")
        .iter()
        .find(|module| module["assembly_attributes"]["glb_url"].is_string())
        .expect("the demo catalog has a modelled module")
        .clone();
    let module = modelled["id"].as_str().expect("an id").to_owned();
    let material = modelled["material_id"].as_str().expect("an id").to_owned();
    let customer = send(
        server
            .client
            .post(server.url("/api/customers"))
            .json(&json!({"name": "Ada Lovelace", "email": "ada@example.test"})),
    )
    .await;
    assert_eq!(customer.status, 201, "{}", customer.body);
    let customer = customer.body["id"].as_str().expect("an id").to_owned();
    let items = json!([{"module_id": module, "quantity": 1}]);
    let design = send(
        server
            .client
            .post(server.url("/api/designs"))
            .json(&json!({"name": "Lovelace kitchen", "customer_id": customer, "items": items})),
    )
    .await;
    assert_eq!(design.status, 201, "{}", design.body);
    let design = design.body["id"].as_str().expect("an id").to_owned();
    let quote = send(
        server
            .client
            .post(server.url(&format!("/api/designs/{design}/quote")))
            .json(&json!({})),
    )
    .await;
    assert_eq!(quote.status, 201, "{}", quote.body);
    let quote = quote.body["id"].as_str().expect("an id").to_owned();
    let order = send(
        server
            .client
            .post(server.url(&format!("/api/quotes/{quote}/accept")))
            .json(
                &json!({"buyer": {"name": "Ada Lovelace", "email": "ada@example.test"},
                "actor": {"id": "u1", "name": "Sam", "role": "sales"}}),
            ),
    )
    .await;
    assert_eq!(order.status, 201, "{}", order.body);
    let records = Records {
        material,
        module,
        customer,
        design,
        quote,
        order: order.body["id"].as_str().expect("an id").to_owned(),
    };

    let document: Value =
        serde_json::from_str(&paform_http::openapi_json()).expect("the document is JSON");
    let mut n_reads = 0;
    for (path, operations) in document["paths"].as_object().expect("paths") {
        if operations.get("get").is_none() {
            continue;
        }
        let Some(real) = real_path(path, &records) else {
            continue;
        };
        for (role, token) in &tokens {
            if !allowed_roles("get", path).contains(role) {
                continue;
            }
            let reply = server
                .send_as(token, server.client.get(server.url(&real)))
                .await;
            assert!(
                (200..300).contains(&reply.status),
                "{role} GET {real} answered {}: {}",
                reply.status,
                reply.body
            );
            n_reads += 1;
        }
    }
    // Every role reads something, and most reads are made.
    assert!(n_reads >= 60, "only {n_reads} reads were made");
}
