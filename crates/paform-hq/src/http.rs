//! HQ's router: the catalog API of SPEC §3 and §12 (`/api/materials…`, `/api/modules…`),
//! the chain's orders read-only, and `/hq/v1/…` for sites and HQ's admins.
//! `GET /api/health` is open; everything else needs a bearer token from any address (HQ sits behind a reverse proxy, so loopback earns no trust): an HQ admin token
//! for the admin and read APIs, a node token for `/hq/v1/*` of that node's own data.
//! Errors are problem details (`application/problem+json`), except a push gap, which is
//! `409` with the protocol's `PushGap` body.

use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use paform_api::chain::{JoinRequest, PushBatch, PushGap};
use paform_api::dto::{
    FieldError, ListQuery, Material, MaterialInput, MaterialStock, Module, ModuleInput, Page,
    Problem,
};
use serde::Deserialize;
use serde_json::json;

use crate::error::HqError;
use crate::nodes::Principal;
use crate::read::OrderQuery;
use crate::{Hq, HqAudit};

/// The largest push batch body HQ reads.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// Serves `hq` on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    hq: Hq,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_router(listener, router(hq), shutdown).await
}

/// Serves HQ's `router`, with whatever the caller added to it (the UI), until `shutdown`.
pub async fn serve_router(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}

/// The router over `hq`.
pub fn router(hq: Hq) -> Router {
    Router::new()
        .route("/api/health", get(health))
        .route("/api/materials", get(list_materials).post(create_material))
        .route(
            "/api/materials/{id}",
            get(material).put(update_material).delete(delete_material),
        )
        .route(
            "/api/materials/{id}/stock",
            get(material_stock).put(set_material_stock),
        )
        .route("/api/modules", get(list_modules).post(create_module))
        .route(
            "/api/modules/{id}",
            get(module).put(update_module).delete(delete_module),
        )
        .route("/api/orders", get(list_orders))
        .route("/api/orders/{id}", get(order))
        .route("/api/orders/{id}/events", get(order_events))
        .route("/hq/v1/join", post(join))
        .route("/hq/v1/push", post(push))
        .route("/hq/v1/restore", get(restore))
        .route("/hq/v1/feed", get(feed))
        .route("/hq/v1/heads", get(heads))
        .route("/hq/v1/catalog", get(catalog).post(publish_catalog))
        .route("/hq/v1/nodes", get(list_nodes).post(add_node))
        .route("/hq/v1/nodes/{id}/revoke", post(revoke_node))
        .route("/hq/v1/quarantine", get(quarantine))
        .route("/hq/v1/audit", get(audit))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(hq)
}

/// An error as HQ answers it.
struct ApiError(HqError);

impl From<HqError> for ApiError {
    fn from(error: HqError) -> Self {
        ApiError(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut errors = Vec::new();
        let status = match self.0 {
            HqError::Gap { expected_seq } => {
                return (StatusCode::CONFLICT, Json(PushGap { expected_seq })).into_response();
            }
            HqError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            HqError::Forbidden(_) => StatusCode::FORBIDDEN,
            HqError::NotFound(_) => StatusCode::NOT_FOUND,
            HqError::Conflict(_) => StatusCode::CONFLICT,
            HqError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            HqError::Fields(ref problems) => {
                errors = problems
                    .iter()
                    .map(|problem| FieldError {
                        field: problem.field.clone(),
                        message: problem.message.clone(),
                    })
                    .collect();
                StatusCode::UNPROCESSABLE_ENTITY
            }
            HqError::Malformed { status, .. } => {
                StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST)
            }
            HqError::Database(_) | HqError::Migration(_) | HqError::NewerDatabase { .. } => {
                tracing::error!(error = %self.0, "HQ request failed");
                StatusCode::SERVICE_UNAVAILABLE
            }
        };
        let title = status.canonical_reason().unwrap_or("Error").to_owned();
        let problem = Problem {
            type_url: format!(
                "https://paform.dev/problems/{}",
                title.to_lowercase().replace(' ', "-")
            ),
            title,
            status: status.as_u16(),
            detail: self.0.to_string(),
            errors,
            mismatches: Vec::new(),
        };
        let mut response = (status, Json(problem)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// A JSON body whose rejection is a problem naming what is wrong, like every other error.
struct Body<T>(T);

impl<T, S> FromRequest<S> for Body<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(Body(value)),
            Err(rejection) => Err(ApiError(HqError::Malformed {
                status: rejection.status().as_u16(),
                detail: rejection.body_text(),
            })),
        }
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// The caller, authenticated by its bearer token.
struct Caller(Principal);

impl FromRequestParts<Hq> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, hq: &Hq) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .ok_or_else(|| HqError::Unauthorized("a bearer token is required".into()))?;
        Ok(Caller(hq.authenticate(token).await?))
    }
}

impl Caller {
    fn admin(&self) -> Result<(), HqError> {
        match self.0 {
            Principal::Admin => Ok(()),
            Principal::Node(_) => Err(HqError::Forbidden("this needs an HQ admin token".into())),
        }
    }

    fn node(&self) -> Result<&str, HqError> {
        match &self.0 {
            Principal::Node(id) => Ok(id),
            Principal::Admin => Err(HqError::Forbidden("this needs a node token".into())),
        }
    }
}

async fn health(State(hq): State<Hq>) -> Response {
    if hq.healthy().await {
        Json(json!({"status": "ok", "mode": "hq", "schema": crate::schema_version()}))
            .into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "degraded", "mode": "hq"})),
        )
            .into_response()
    }
}

async fn list_materials(
    State(hq): State<Hq>,
    caller: Caller,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Page<Material>>> {
    caller.admin()?;
    Ok(Json(hq.list_materials(&query).await?))
}

async fn create_material(
    State(hq): State<Hq>,
    caller: Caller,
    Body(input): Body<MaterialInput>,
) -> ApiResult<(StatusCode, Json<Material>)> {
    caller.admin()?;
    Ok((StatusCode::CREATED, Json(hq.create_material(&input).await?)))
}

async fn material(
    State(hq): State<Hq>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Material>> {
    caller.admin()?;
    Ok(Json(hq.material(&id).await?))
}

async fn update_material(
    State(hq): State<Hq>,
    caller: Caller,
    Path(id): Path<String>,
    Body(input): Body<MaterialInput>,
) -> ApiResult<Json<Material>> {
    caller.admin()?;
    Ok(Json(hq.update_material(&id, &input).await?))
}

async fn delete_material(
    State(hq): State<Hq>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    caller.admin()?;
    hq.delete_material(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn material_stock(
    State(hq): State<Hq>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<MaterialStock>> {
    caller.admin()?;
    Ok(Json(hq.material_stock(&id).await?))
}

async fn set_material_stock(
    State(hq): State<Hq>,
    caller: Caller,
    Path(id): Path<String>,
    Body(stock): Body<MaterialStock>,
) -> ApiResult<Json<MaterialStock>> {
    caller.admin()?;
    Ok(Json(hq.set_material_stock(&id, &stock).await?))
}

async fn list_modules(
    State(hq): State<Hq>,
    caller: Caller,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Page<Module>>> {
    caller.admin()?;
    Ok(Json(hq.list_modules(&query).await?))
}

async fn create_module(
    State(hq): State<Hq>,
    caller: Caller,
    Body(input): Body<ModuleInput>,
) -> ApiResult<(StatusCode, Json<Module>)> {
    caller.admin()?;
    Ok((StatusCode::CREATED, Json(hq.create_module(&input).await?)))
}

async fn module(
    State(hq): State<Hq>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Module>> {
    caller.admin()?;
    Ok(Json(hq.module(&id).await?))
}

async fn update_module(
    State(hq): State<Hq>,
    caller: Caller,
    Path(id): Path<String>,
    Body(input): Body<ModuleInput>,
) -> ApiResult<Json<Module>> {
    caller.admin()?;
    Ok(Json(hq.update_module(&id, &input).await?))
}

async fn delete_module(
    State(hq): State<Hq>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    caller.admin()?;
    hq.delete_module(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_orders(
    State(hq): State<Hq>,
    caller: Caller,
    Query(query): Query<OrderQuery>,
) -> ApiResult<Response> {
    caller.admin()?;
    Ok(Json(json!({"orders": hq.list_orders(&query).await?})).into_response())
}

async fn order(
    State(hq): State<Hq>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    caller.admin()?;
    Ok(Json(hq.order(&id).await?).into_response())
}

async fn order_events(
    State(hq): State<Hq>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    caller.admin()?;
    Ok(Json(json!({"events": hq.order_events(&id).await?})).into_response())
}

async fn join(
    State(hq): State<Hq>,
    caller: Caller,
    Body(request): Body<JoinRequest>,
) -> ApiResult<Response> {
    let node = caller.node()?;
    Ok(Json(hq.join(node, &request).await?).into_response())
}

async fn push(
    State(hq): State<Hq>,
    caller: Caller,
    Body(batch): Body<PushBatch>,
) -> ApiResult<Response> {
    let node = caller.node()?;
    Ok(Json(hq.push(node, &batch).await?).into_response())
}

#[derive(Deserialize)]
struct AfterQuery {
    after: Option<u64>,
    limit: Option<i64>,
}

async fn restore(
    State(hq): State<Hq>,
    caller: Caller,
    Query(query): Query<AfterQuery>,
) -> ApiResult<Response> {
    let node = caller.node()?;
    let page = hq
        .restore(node, query.after.unwrap_or(0), query.limit.unwrap_or(1000))
        .await?;
    Ok(Json(page).into_response())
}

async fn feed(
    State(hq): State<Hq>,
    caller: Caller,
    Query(query): Query<AfterQuery>,
) -> ApiResult<Response> {
    let node = caller.node()?;
    let page = hq
        .feed(node, query.after.unwrap_or(0), query.limit.unwrap_or(1000))
        .await?;
    Ok(Json(page).into_response())
}

async fn heads(State(hq): State<Hq>, caller: Caller) -> ApiResult<Response> {
    let node = caller.node()?;
    Ok(Json(hq.heads(node).await?).into_response())
}

async fn catalog(
    State(hq): State<Hq>,
    caller: Caller,
    Query(query): Query<AfterQuery>,
) -> ApiResult<Response> {
    // Any node, and HQ's admins, read the catalog.
    let _ = &caller.0;
    Ok(Json(hq.catalog_after(query.after.unwrap_or(0)).await?).into_response())
}

async fn publish_catalog(
    State(hq): State<Hq>,
    caller: Caller,
    Body(input): Body<crate::CatalogInput>,
) -> ApiResult<Response> {
    caller.admin()?;
    let version = hq.publish_catalog(&input).await?;
    Ok((StatusCode::CREATED, Json(json!({"version": version}))).into_response())
}

async fn list_nodes(State(hq): State<Hq>, caller: Caller) -> ApiResult<Response> {
    caller.admin()?;
    Ok(Json(json!({"nodes": hq.list_nodes().await?})).into_response())
}

#[derive(Deserialize)]
struct AddNode {
    name: String,
    role: String,
    number_prefix: Option<String>,
}

async fn add_node(
    State(hq): State<Hq>,
    caller: Caller,
    Body(request): Body<AddNode>,
) -> ApiResult<Response> {
    caller.admin()?;
    let node = hq
        .add_node(
            &request.name,
            &request.role,
            request.number_prefix.as_deref(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(node)).into_response())
}

async fn revoke_node(
    State(hq): State<Hq>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    caller.admin()?;
    hq.revoke_node(&id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
struct NodeFilter {
    node: Option<String>,
}

async fn quarantine(
    State(hq): State<Hq>,
    caller: Caller,
    Query(filter): Query<NodeFilter>,
) -> ApiResult<Response> {
    caller.admin()?;
    Ok(Json(json!({"entries": hq.quarantine(filter.node.as_deref()).await?})).into_response())
}

async fn audit(State(hq): State<Hq>, caller: Caller) -> ApiResult<Json<HqAudit>> {
    caller.admin()?;
    Ok(Json(hq.audit().await?))
}
