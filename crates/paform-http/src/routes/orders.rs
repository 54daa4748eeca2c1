//! Orders: quote acceptance, reading, the status machine and its audit trail (SPEC §5).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use paform_app::App;
use paform_app::dto::{
    AcceptQuoteRequest, Order, OrderListQuery, OrderStatusEvent, Page, Problem, TransitionRequest,
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
        (status = 404, body = Problem),
        (status = 409, description = "Illegal step, failed guard or stale version", body = Problem),
        (status = 422, body = Problem)))]
pub(crate) async fn transition_order(
    State(app): State<App>,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<TransitionRequest>,
) -> ApiResult<Json<Order>> {
    Ok(Json(app.transition_order(&id, request).await?))
}

#[utoipa::path(get, path = "/api/orders/{id}/events", tag = "orders",
    responses((status = 200, description = "The audit trail, oldest first", body = Vec<OrderStatusEvent>),
        (status = 404, body = Problem)))]
pub(crate) async fn order_events(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<OrderStatusEvent>>> {
    Ok(Json(app.order_events(&id)?))
}
