//! Token roles (SPEC §13): every operation of the OpenAPI document, called with an admin, a
//! sales and a production token, is allowed or refused with a 403 naming the role exactly as
//! the spec's role list says; loopback callers without a token stay admin.

use paform_app::dto::DeviceTokenInput;
use serde_json::{Value, json};

use crate::support::{Reply, spawn_app_requiring_tokens, spawn_seeded_app};

const ALL: &[&str] = &["admin", "sales", "production"];
const ADMIN: &[&str] = &["admin"];
const SALES: &[&str] = &["admin", "sales"];
const PRODUCTION: &[&str] = &["admin", "production"];
const ORDERS_READ: &[&str] = &["admin", "sales", "production"];

/// The spec's list, written out by path: which roles may call `method path`.
fn allowed_roles(method: &str, path: &str) -> &'static [&'static str] {
    let read = method == "get";
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    let public = path == "/api/health"
        || (path == "/api/sync/hygraph" && method == "post")
        || (path == "/api/pairing/claim" && method == "post");
    if public || ((path == "/api/settings" || path == "/api/sync/status") && read) {
        return ALL;
    }
    // "Sync now" pushes and pulls; every role may ask for it (SPEC §15).
    if path == "/api/sync/now" && method == "post" {
        return ALL;
    }
    if path.starts_with("/api/materials/") && path.ends_with("/stock") {
        return PRODUCTION;
    }
    if (under("/api/materials") || under("/api/modules") || under("/api/models")) && read {
        return SALES;
    }
    let sales_area = [
        "/api/customers",
        "/api/quotes",
        "/api/quote",
        "/api/designs",
    ]
    .iter()
    .chain(&[
        "/api/design-requests",
        "/api/design-versions",
        "/api/design-assets",
    ])
    .chain(&["/api/payments", "/api/order-changes", "/api/documents"])
    .any(|prefix| under(prefix))
        || path.ends_with("/payments")
        || path.ends_with("/design-requests");
    if sales_area {
        return SALES;
    }
    if under("/api/orders") || under("/api/events") {
        return if read { ORDERS_READ } else { SALES };
    }
    let production_area = ["/api/v1/cnc", "/api/v1/exports", "/api/cnc", "/api/jobs"]
        .iter()
        .chain(&["/api/offcuts", "/api/stock", "/api/parts", "/api/scans"])
        .any(|prefix| under(prefix));
    if production_area {
        return PRODUCTION;
    }
    ADMIN
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
    assert!(n_checked >= 3 * 40, "only {n_checked} calls were checked");
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
