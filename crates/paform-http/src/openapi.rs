//! The OpenAPI document, generated from the handlers' annotations and the DTOs, served at
//! `/api/openapi.json` and browsable at `/docs` (Swagger UI, bundled into the binary so it
//! works offline).
//!
//! Invariant (SPEC §16): the document lists every answer an operation can give. The answers
//! that come from the edges rather than from a handler (a token's absence or role, a body or
//! query that does not parse, a body too large or not JSON, an unknown id, a full disk) are
//! declared here for every operation they apply to, and every error answer is declared as
//! `application/problem+json` with the `Problem` schema, which is what the server sends.

use axum::Router;
use serde_json::{Map, Value, json};
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Paform API",
        description = "Catalog, quotes, orders, CNC and sync of Paform."
    ),
    paths(
        routes::health::health,
        routes::catalog::list_materials,
        routes::catalog::create_material,
        routes::catalog::get_material,
        routes::catalog::update_material,
        routes::catalog::delete_material,
        routes::catalog::list_modules,
        routes::catalog::create_module,
        routes::catalog::get_module,
        routes::catalog::update_module,
        routes::catalog::delete_module,
        routes::catalog::put_module_model,
        routes::catalog::get_module_model,
        routes::catalog::get_media_file,
        routes::quotes::generate_quote,
        routes::quotes::get_quote,
        routes::settings::get_settings,
        routes::settings::update_settings,
        routes::orders::accept_quote,
        routes::orders::list_orders,
        routes::orders::get_order,
        routes::orders::transition_order,
        routes::orders::order_events,
        routes::orders::request_order_change,
        routes::orders::list_order_changes,
        routes::orders::confirm_order_change,
        routes::orders::decline_order_change,
        routes::orders::verify_audit,
        routes::payments::create_payment,
        routes::payments::list_payments,
        routes::payments::record_transaction,
        routes::payments::record_adjustment,
        routes::design::create_design_request,
        routes::design::list_design_requests,
        routes::design::create_design_version,
        routes::design::upload_design_asset,
        routes::design::download_design_asset,
        routes::design::approve_design_version,
        routes::design::latest_approved_version,
        routes::customers::list_customers,
        routes::customers::create_customer,
        routes::customers::get_customer,
        routes::customers::update_customer,
        routes::customers::customer_history,
        routes::designs::list_designs,
        routes::designs::create_design,
        routes::designs::get_design,
        routes::designs::update_design,
        routes::designs::list_design_versions,
        routes::designs::quote_design,
        routes::designs::put_design_snapshot,
        routes::designs::get_design_snapshot,
        routes::documents::quote_document,
        routes::documents::order_document,
        routes::jobs::list_jobs,
        routes::jobs::ack_job,
        routes::sync::receive_hygraph,
        routes::sync::list_deliveries,
        routes::tokens::list_tokens,
        routes::tokens::create_token,
        routes::tokens::revoke_token,
        routes::pairing::create_pairing,
        routes::pairing::claim_pairing,
        routes::backups::create_backup,
        routes::backups::list_backups,
        routes::cnc::nest,
        routes::cnc::panels,
        routes::cnc::export,
        routes::cnc::export_file,
        routes::floor::get_stock,
        routes::floor::put_stock,
        routes::floor::confirm_cut,
        routes::floor::list_offcuts,
        routes::documents::offcut_labels,
        routes::floor::delete_offcut,
        routes::floor::scan_part,
        routes::floor::order_production,
        routes::events::events,
        routes::events::events_token,
    )
)]
struct ApiDoc;

/// The document as served: the generated one plus the answers of the edges.
fn document() -> utoipa::openapi::OpenApi {
    let generated = ApiDoc::openapi();
    let mut value = serde_json::to_value(&generated).expect("the OpenAPI document serializes");
    declare_edge_answers(&mut value);
    declare_links(&mut value);
    serde_json::from_value(value).expect("the completed OpenAPI document is still one")
}

/// The operations that need no device token (`auth`).
fn is_public(method: &str, path: &str) -> bool {
    matches!(
        (method, path),
        ("get", "/api/health") | ("post", "/api/sync/hygraph") | ("post", "/api/pairing/claim")
    )
}

/// Adds to each operation the answers its edges can give, and declares every error answer as
/// a problem document.
fn declare_edge_answers(document: &mut Value) {
    let problem = json!({"application/problem+json":
        {"schema": {"$ref": "#/components/schemas/Problem"}}});
    let Some(paths) = document["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, operation) in item.iter_mut() {
            let parameters_in = |place: &str| {
                operation["parameters"]
                    .as_array()
                    .is_some_and(|parameters| parameters.iter().any(|p| p["in"] == place))
            };
            let has_path = parameters_in("path");
            let has_query = parameters_in("query");
            let body = operation["requestBody"]["content"].as_object();
            let json_body = body.is_some_and(|content| content.contains_key("application/json"));
            let any_body = body.is_some();
            let mut edges: Vec<(&str, &str)> = Vec::new();
            if !is_public(method, path) {
                edges.push((
                    "401",
                    "A device token is needed (beyond loopback) and none valid was sent",
                ));
                edges.push((
                    "403",
                    "The token's role does not include this operation (SPEC §13)",
                ));
            }
            if json_body || has_query {
                edges.push(("400", "The body or query does not parse or has a field of the wrong type (the problem names it)"));
            }
            if any_body {
                edges.push(("413", "The body is larger than this operation accepts"));
            }
            if json_body {
                edges.push((
                    "415",
                    "The body is not JSON (Content-Type: application/json)",
                ));
            }
            if has_path {
                edges.push(("404", "No record has this id"));
            }
            if method != "get" {
                edges.push((
                    "507",
                    "The disk that holds the data directory is full; nothing was written",
                ));
            }
            let Some(responses) = operation["responses"].as_object_mut() else {
                continue;
            };
            for (status, description) in edges {
                responses.entry(status).or_insert_with(
                    || json!({"description": description, "content": problem.clone()}),
                );
            }
            for (status, response) in responses.iter_mut() {
                if status.parse::<u16>().map_or(true, |code| code < 400) {
                    continue;
                }
                declare_problem(response, &problem);
            }
        }
    }
}

/// What a create answers feeds the operations on what it created (OpenAPI links), so a
/// stateful client (schemathesis) follows a new record into its reads, updates, deletes and
/// sub-resources: `(method, path, status, field of the answer, the created record's path)`.
const LINKS: &[(&str, &str, &str, &str, &str)] = &[
    ("post", "/api/materials", "201", "id", "/api/materials/{id}"),
    ("post", "/api/modules", "201", "id", "/api/modules/{id}"),
    ("post", "/api/customers", "201", "id", "/api/customers/{id}"),
    ("post", "/api/designs", "201", "id", "/api/designs/{id}"),
    ("post", "/api/tokens", "201", "id", "/api/tokens/{id}"),
    (
        "post",
        "/api/quote/generate",
        "201",
        "id",
        "/api/quotes/{id}",
    ),
    (
        "post",
        "/api/designs/{id}/quote",
        "201",
        "id",
        "/api/quotes/{id}",
    ),
    (
        "post",
        "/api/quotes/{id}/accept",
        "201",
        "id",
        "/api/orders/{id}",
    ),
    (
        "post",
        "/api/orders/{id}/payments",
        "201",
        "id",
        "/api/payments/{id}",
    ),
    (
        "post",
        "/api/orders/{id}/changes",
        "201",
        "id",
        "/api/order-changes/{id}",
    ),
    (
        "post",
        "/api/orders/{id}/design-requests",
        "201",
        "id",
        "/api/design-requests/{id}",
    ),
    (
        "post",
        "/api/design-requests/{id}/versions",
        "201",
        "id",
        "/api/design-versions/{id}",
    ),
    (
        "post",
        "/api/design-versions/{id}/assets",
        "201",
        "id",
        "/api/design-assets/{id}",
    ),
    (
        "post",
        "/api/v1/exports/cnc",
        "201",
        "export_id",
        "/api/v1/exports/{id}",
    ),
];

/// Declares `LINKS`: from each create to every operation on the created record's path or
/// below it whose path parameter is `id`.
fn declare_links(document: &mut Value) {
    let mut targets: Vec<(String, String)> = Vec::new();
    if let Some(paths) = document["paths"].as_object() {
        for (path, item) in paths {
            for operation in item.as_object().into_iter().flat_map(|item| item.values()) {
                if let Some(operation_id) = operation["operationId"].as_str() {
                    targets.push((path.clone(), operation_id.to_owned()));
                }
            }
        }
    }
    for (method, path, status, field, record) in LINKS {
        let mut links = Map::new();
        for (target_path, operation_id) in &targets {
            let below = target_path.strip_prefix(record);
            if below.is_some_and(|rest| rest.is_empty() || rest.starts_with('/')) {
                links.insert(
                    operation_id.clone(),
                    json!({"operationId": operation_id,
                           "parameters": {"id": format!("$response.body#/{field}")}}),
                );
            }
        }
        let response = document
            .get_mut("paths")
            .and_then(|paths| paths.get_mut(*path))
            .and_then(|item| item.get_mut(*method))
            .and_then(|operation| operation.get_mut("responses"))
            .and_then(|responses| responses.get_mut(*status))
            .and_then(Value::as_object_mut);
        if let Some(response) = response
            && !links.is_empty()
        {
            response.insert("links".to_owned(), Value::Object(links));
        }
    }
}

/// An error answer whose content is absent or the `Problem` schema as plain JSON is declared
/// as the problem document it is; any other declared content (the health report) stays.
fn declare_problem(response: &mut Value, problem: &Value) {
    let is_problem = |content: &Map<String, Value>| {
        content.is_empty()
            || content
                .values()
                .all(|media| media["schema"]["$ref"] == "#/components/schemas/Problem")
    };
    let replace = match response.get("content").and_then(Value::as_object) {
        None => true,
        Some(content) => is_problem(content),
    };
    if replace {
        response["content"] = problem.clone();
    }
}

/// The OpenAPI document as pretty JSON (also what the UI's types are generated from).
pub fn openapi_json() -> String {
    document()
        .to_pretty_json()
        .expect("the OpenAPI document serializes")
}

pub(crate) fn docs_router() -> Router {
    Router::new().merge(SwaggerUi::new("/docs").url("/api/openapi.json", document()))
}
