//! Token roles (SPEC §13): every operation of the OpenAPI document, called with an admin, a
//! sales and a production token and with none, against the table below, which is written out
//! by hand from the spec's words (one row per operation; a new operation without a row fails):
//! an allowed role's valid request (`world`) gets the operation's success status, any other
//! role a 403 naming its role, and no token a 401. Loopback callers without a token stay admin.

use paform_app::dto::DeviceTokenInput;
use serde_json::{Value, json};

use crate::support::{Reply, spawn_app_requiring_tokens, spawn_seeded_app};
use crate::world::{World, send};

/// No token needed (health, the signed webhook, claiming a pairing code), so every role too.
const PUBLIC: &[&str] = &["admin", "sales", "production", "none"];
const ADMIN: &[&str] = &["admin"];
/// "sales (catalog read, customers, designs, quotes, orders, payments)".
const SALES: &[&str] = &["admin", "sales"];
/// "production (read orders, CNC, offcuts, scans, jobs)".
const PRODUCTION: &[&str] = &["admin", "production"];
/// Reading orders (and their live events, documents, progress) and the settings every screen
/// shows: sales has orders, production reads orders.
const EVERY_ROLE: &[&str] = &["admin", "sales", "production"];

/// SPEC §13, by operation: `(method, path, who may call it, its success status)`.
/// "admin (everything)"; catalog writes, settings writes, tokens, pairing, backups, sync
/// deliveries and the audit are admin's alone; a material's boards (stock) belong to CNC.
const TABLE: &[(&str, &str, &[&str], u16)] = &[
    ("get", "/api/audit/verify", ADMIN, 200),
    ("get", "/api/backups", ADMIN, 200),
    ("post", "/api/backups", ADMIN, 201),
    ("get", "/api/customers", SALES, 200),
    ("post", "/api/customers", SALES, 201),
    ("get", "/api/customers/{id}", SALES, 200),
    ("put", "/api/customers/{id}", SALES, 200),
    ("get", "/api/customers/{id}/history", SALES, 200),
    ("get", "/api/design-assets/{id}", SALES, 200),
    (
        "get",
        "/api/design-requests/{id}/latest-approved",
        SALES,
        200,
    ),
    ("post", "/api/design-requests/{id}/versions", SALES, 201),
    ("post", "/api/design-versions/{id}/approve", SALES, 200),
    ("post", "/api/design-versions/{id}/assets", SALES, 201),
    ("get", "/api/designs", SALES, 200),
    ("post", "/api/designs", SALES, 201),
    ("get", "/api/designs/{id}", SALES, 200),
    ("put", "/api/designs/{id}", SALES, 200),
    ("post", "/api/designs/{id}/quote", SALES, 201),
    ("get", "/api/designs/{id}/snapshot", SALES, 200),
    ("put", "/api/designs/{id}/snapshot", SALES, 204),
    ("get", "/api/designs/{id}/versions", SALES, 200),
    ("get", "/api/events", EVERY_ROLE, 200),
    ("get", "/api/events/token", EVERY_ROLE, 200),
    ("get", "/api/health", PUBLIC, 200),
    ("get", "/api/jobs", PRODUCTION, 200),
    ("post", "/api/jobs/{id}/ack", PRODUCTION, 200),
    ("get", "/api/materials", SALES, 200),
    ("post", "/api/materials", ADMIN, 201),
    ("get", "/api/materials/{id}", SALES, 200),
    ("put", "/api/materials/{id}", ADMIN, 200),
    ("delete", "/api/materials/{id}", ADMIN, 204),
    ("get", "/api/materials/{id}/stock", PRODUCTION, 200),
    ("put", "/api/materials/{id}/stock", PRODUCTION, 200),
    ("get", "/api/media/{file}", SALES, 200),
    ("get", "/api/modules", SALES, 200),
    ("post", "/api/modules", ADMIN, 201),
    ("get", "/api/modules/{id}", SALES, 200),
    ("put", "/api/modules/{id}", ADMIN, 200),
    ("delete", "/api/modules/{id}", ADMIN, 204),
    ("get", "/api/modules/{id}/model", SALES, 200),
    ("put", "/api/modules/{id}/model", ADMIN, 201),
    ("get", "/api/offcuts", PRODUCTION, 200),
    ("get", "/api/offcuts/labels.pdf", PRODUCTION, 200),
    ("delete", "/api/offcuts/{id}", PRODUCTION, 204),
    ("post", "/api/order-changes/{id}/confirm", SALES, 200),
    ("post", "/api/order-changes/{id}/decline", SALES, 200),
    ("get", "/api/orders", EVERY_ROLE, 200),
    ("get", "/api/orders/{id}", EVERY_ROLE, 200),
    ("get", "/api/orders/{id}/changes", EVERY_ROLE, 200),
    ("post", "/api/orders/{id}/changes", SALES, 201),
    ("get", "/api/orders/{id}/design-requests", SALES, 200),
    ("post", "/api/orders/{id}/design-requests", SALES, 201),
    ("get", "/api/orders/{id}/document.pdf", EVERY_ROLE, 200),
    ("get", "/api/orders/{id}/events", EVERY_ROLE, 200),
    ("get", "/api/orders/{id}/payments", SALES, 200),
    ("post", "/api/orders/{id}/payments", SALES, 201),
    ("get", "/api/orders/{id}/production", EVERY_ROLE, 200),
    ("post", "/api/orders/{id}/transitions", SALES, 200),
    ("post", "/api/pairing", ADMIN, 201),
    ("post", "/api/pairing/claim", PUBLIC, 201),
    ("post", "/api/parts/{code}/scan", PRODUCTION, 200),
    ("post", "/api/payments/{id}/adjustments", SALES, 201),
    ("post", "/api/payments/{id}/transactions", SALES, 201),
    ("post", "/api/quote/generate", SALES, 201),
    ("get", "/api/quotes/{id}", SALES, 200),
    ("post", "/api/quotes/{id}/accept", SALES, 201),
    ("get", "/api/quotes/{id}/document.pdf", SALES, 200),
    ("get", "/api/settings", EVERY_ROLE, 200),
    ("put", "/api/settings", ADMIN, 200),
    ("post", "/api/sync/hygraph", PUBLIC, 200),
    ("get", "/api/sync/hygraph/deliveries", ADMIN, 200),
    ("get", "/api/tokens", ADMIN, 200),
    ("post", "/api/tokens", ADMIN, 201),
    ("delete", "/api/tokens/{id}", ADMIN, 204),
    ("post", "/api/v1/cnc/nest", PRODUCTION, 200),
    ("post", "/api/v1/cnc/panels", PRODUCTION, 200),
    ("post", "/api/v1/exports/cnc", PRODUCTION, 201),
    (
        "get",
        "/api/v1/exports/files/{export_id}/{file}",
        PRODUCTION,
        200,
    ),
    ("post", "/api/v1/exports/{id}/cut", PRODUCTION, 200),
];

#[tokio::test]
async fn every_operation_answers_each_role_as_the_hand_written_table_of_the_spec_says() {
    let (server, app) = spawn_app_requiring_tokens(None).await;
    let mut tokens = Vec::new();
    for role in ["admin", "sales", "production"] {
        let created = app
            .create_device_token(DeviceTokenInput {
                name: format!("{role}-device"),
                role: Some(role.into()),
            })
            .await
            .expect("a token is created");
        assert_eq!(created.role, role);
        tokens.push((role, Some(created.token)));
    }
    tokens.push(("none", None));
    let admin = tokens[0].1.clone();
    let world = World::build(&server, admin).await;

    let document: Value =
        serde_json::from_str(&paform_http::openapi_json()).expect("the document is JSON");
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("operations").keys() {
            operations.push((method.clone(), path.clone()));
        }
    }
    let documented = |method: &str, path: &str| {
        operations
            .iter()
            .any(|(m, p)| m.as_str() == method && p.as_str() == path)
    };
    for (method, path, _, _) in TABLE {
        assert!(
            documented(method, path),
            "the table's {method} {path} is not documented"
        );
    }

    let mut failures = Vec::new();
    let mut n_checked = 0;
    for (method, path) in &operations {
        let Some((_, _, allowed, success)) = TABLE
            .iter()
            .find(|(m, p, _, _)| *m == method.as_str() && *p == path.as_str())
        else {
            failures.push(format!("{method} {path} has no row in the table"));
            continue;
        };
        for (role, token) in &tokens {
            let Some(call) = world.call(&server, method, path).await else {
                failures.push(format!("{method} {path}: no valid request is known"));
                break;
            };
            let reply = send(&server, token.as_deref(), &call).await;
            n_checked += 1;
            let outcome = if allowed.contains(role) {
                check_allowed(&reply, *success)
            } else if *role == "none" {
                check_status(&reply, 401)
            } else {
                check_refused(&reply, role)
            };
            if let Err(why) = outcome {
                failures.push(format!("{role} {method} {}: {why}", call.path));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n_checked} calls disagree with the table:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(n_checked, 4 * TABLE.len());
}

fn check_allowed(reply: &Reply, success: u16) -> Result<(), String> {
    if reply.status == success {
        Ok(())
    } else {
        Err(format!(
            "expected {success}, got {}: {}",
            reply.status,
            short(&reply.body)
        ))
    }
}

fn check_status(reply: &Reply, status: u16) -> Result<(), String> {
    if reply.status == status && reply.content_type.starts_with("application/problem+json") {
        Ok(())
    } else {
        Err(format!(
            "expected a {status} problem, got {} {}: {}",
            reply.status,
            reply.content_type,
            short(&reply.body)
        ))
    }
}

/// A 403 problem whose detail names the role and that it lacks the permission.
fn check_refused(reply: &Reply, role: &str) -> Result<(), String> {
    check_status(reply, 403)?;
    let detail = reply.body["detail"].as_str().unwrap_or("");
    if detail.contains(&format!("`{role}`")) && detail.contains("permission") {
        Ok(())
    } else {
        Err(format!("the 403 does not name the role: {detail}"))
    }
}

fn short(body: &Value) -> String {
    body.to_string().chars().take(300).collect()
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
