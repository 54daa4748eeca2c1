//! Orders: quote acceptance, reading, the status machine and its audit trail (SPEC §5).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use paform_app::App;
use paform_app::dto::{
    AcceptQuoteRequest, AuditQuery, AuditReport, DeviceToken, Order, OrderChange,
    OrderChangeDecision, OrderChangeRequest, OrderEvent, OrderListQuery, Page, Problem,
    TransitionRequest,
};

use crate::extract::{ApiJson, ApiQuery};
use crate::problem::ApiResult;

#[utoipa::path(post, path = "/api/quotes/{id}/accept", tag = "orders",
    request_body = AcceptQuoteRequest,
    responses((status = 201, description = "The order, its terms frozen from the quote", body = Order),
        (status = 404, body = Problem),
        (status = 409, description = "Already accepted, or expired", body = Problem),
        (status = 422, body = Problem)))]
pub(crate) async fn accept_quote(
    State(app): State<App>,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<AcceptQuoteRequest>,
) -> ApiResult<(StatusCode, Json<Order>)> {
    Ok((
        StatusCode::CREATED,
        Json(app.accept_quote(&id, request).await?),
    ))
}

#[utoipa::path(get, path = "/api/orders", tag = "orders", params(OrderListQuery),
    responses((status = 200, body = Page<Order>), (status = 422, body = Problem)))]
pub(crate) async fn list_orders(
    State(app): State<App>,
    ApiQuery(query): ApiQuery<OrderListQuery>,
) -> ApiResult<Json<Page<Order>>> {
    Ok(Json(app.list_orders(&query)?))
}

#[utoipa::path(get, path = "/api/orders/{id}", tag = "orders",
    responses((status = 200, body = Order), (status = 404, body = Problem)))]
pub(crate) async fn get_order(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Json<Order>> {
    Ok(Json(app.get_order(&id)?))
}

#[utoipa::path(post, path = "/api/orders/{id}/transitions", tag = "orders",
    request_body = TransitionRequest,
    responses((status = 200, description = "The order, its version one higher", body = Order),
        (status = 403, description = "`override_check` from a device token whose role is not `admin`", body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Illegal step, failed guard or stale version; or, for `production_ready`, the three-way check (SPEC §17) found the model, the frozen dimensions and the cut list more than 1 mm apart: `mismatches` lists every one (`detail` names their count), and an admin may resend with `override_check`", body = Problem),
        (status = 422, body = Problem)))]
pub(crate) async fn transition_order(
    State(app): State<App>,
    Path(id): Path<String>,
    // The caller's device token, put there by the token check; none is the machine's owner.
    device: Option<Extension<DeviceToken>>,
    ApiJson(request): ApiJson<TransitionRequest>,
) -> ApiResult<Json<Order>> {
    let device = device.map(|Extension(token)| token);
    Ok(Json(
        app.transition_order(&id, request, device.as_ref()).await?,
    ))
}

#[utoipa::path(get, path = "/api/orders/{id}/events", tag = "orders",
    responses((status = 200, description = "The audit chain, oldest first: each event exactly as \
        hashed, plus its `hash` (docs/audit-chain.md)", body = Vec<OrderEvent>),
        (status = 404, body = Problem)))]
pub(crate) async fn order_events(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<OrderEvent>>> {
    Ok(Json(app.order_events(&id)?))
}

#[utoipa::path(get, path = "/api/orders/{id}/production-events", tag = "orders",
    description = "The order's production chain (SPEC §15): what the factory recorded about \
        an order another site sold (`part_scanned`, `production_complete`), hashed like the \
        contract chain. At the factory it is written there; at the showroom that sold the \
        order it arrives from HQ. Empty until a factory works on the order.",
    responses((status = 200, description = "The production chain, oldest first",
        body = Vec<OrderEvent>),
        (status = 404, body = Problem)))]
pub(crate) async fn order_production_events(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<OrderEvent>>> {
    Ok(Json(app.order_production_events(&id)?))
}

#[utoipa::path(get, path = "/api/audit/verify", tag = "orders", params(AuditQuery),
    responses((status = 200, description = "Every chain recomputed and every order compared with \
        the projection of its events", body = AuditReport),
        (status = 404, body = Problem)))]
pub(crate) async fn verify_audit(
    State(app): State<App>,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> ApiResult<Json<AuditReport>> {
    Ok(Json(app.verify_audit(&query).await?))
}

#[utoipa::path(post, path = "/api/orders/{id}/changes", tag = "orders",
    request_body = OrderChangeRequest,
    responses((status = 201, description = "The change, priced and requested", body = OrderChange),
        (status = 404, body = Problem),
        (status = 409, description = "The order no longer takes changes", body = Problem),
        (status = 422, body = Problem)))]
pub(crate) async fn request_order_change(
    State(app): State<App>,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<OrderChangeRequest>,
) -> ApiResult<(StatusCode, Json<OrderChange>)> {
    let change = app.request_order_change(&id, request).await?;
    Ok((StatusCode::CREATED, Json(change)))
}

#[utoipa::path(get, path = "/api/orders/{id}/changes", tag = "orders",
    responses((status = 200, body = Vec<OrderChange>), (status = 404, body = Problem)))]
pub(crate) async fn list_order_changes(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<OrderChange>>> {
    Ok(Json(app.list_order_changes(&id)?))
}

#[utoipa::path(post, path = "/api/order-changes/{id}/confirm", tag = "orders",
    request_body = OrderChangeDecision,
    responses((status = 200, description = "Applied: the order's lines and totals changed, its version +1", body = OrderChange),
        (status = 404, body = Problem),
        (status = 409, description = "Already decided, or the order moved since it was priced", body = Problem),
        (status = 422, body = Problem)))]
pub(crate) async fn confirm_order_change(
    State(app): State<App>,
    Path(id): Path<String>,
    ApiJson(decision): ApiJson<OrderChangeDecision>,
) -> ApiResult<Json<OrderChange>> {
    Ok(Json(app.confirm_order_change(&id, decision).await?))
}

#[utoipa::path(post, path = "/api/order-changes/{id}/decline", tag = "orders",
    request_body = OrderChangeDecision,
    responses((status = 200, body = OrderChange), (status = 404, body = Problem),
        (status = 409, description = "Already decided", body = Problem),
        (status = 422, body = Problem)))]
pub(crate) async fn decline_order_change(
    State(app): State<App>,
    Path(id): Path<String>,
    ApiJson(decision): ApiJson<OrderChangeDecision>,
) -> ApiResult<Json<OrderChange>> {
    Ok(Json(app.decline_order_change(&id, decision).await?))
}
