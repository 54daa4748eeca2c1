//! Hygraph sync (SPEC §7): the signed webhook and its delivery log. The webhook reads the raw
//! body bytes, because the signature covers exactly those bytes; it authenticates by
//! signature alone and must stay reachable without a bearer token at `/api/sync/hygraph`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use paform_app::App;
use paform_app::dto::{Page, Problem, SyncDeliveriesQuery, SyncDelivery, SyncReceipt};

use crate::extract::{ApiQuery, body_rejection};
use crate::problem::{ApiError, ApiResult};

/// The largest delivery accepted (SPEC §7: 1 MiB); larger bodies are answered 413.
pub(crate) const MAX_BODY: usize = 1024 * 1024;

/// The header Hygraph signs deliveries with.
const SIGNATURE_HEADER: &str = "gcms-signature";

#[utoipa::path(post, path = "/api/sync/hygraph", tag = "sync",
    description = "A Hygraph webhook delivery, authenticated by its `gcms-signature` header \
        over the raw body. Idempotent: a replay answers `duplicate` and changes nothing.",
    params(("gcms-signature" = String, Header,
        description = "`sign=<base64>, env=<environment>, t=<unix ms>`")),
    request_body(content = serde_json::Value, content_type = "application/json",
        description = "Hygraph's payload: `{operation, data: {__typename, id, …}}`"),
    responses((status = 200, body = SyncReceipt),
        (status = 400, description = "Malformed header or body", body = Problem),
        (status = 401, description = "Bad, stale or future signature", body = Problem),
        (status = 413, description = "Body over 1 MiB", body = Problem),
        (status = 422, description = "Published fields the catalog refuses", body = Problem),
        (status = 503, description = "No webhook secret is configured", body = Problem)))]
pub(crate) async fn receive_hygraph(
    State(app): State<App>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<SyncReceipt>, Response> {
    let body = body.map_err(|rejection| body_rejection(rejection).into_response())?;
    let signature = headers.get(SIGNATURE_HEADER).map(|value| value.as_bytes());
    let receipt = app.receive_hygraph_delivery(signature, &body).await;
    Ok(Json(
        receipt.map_err(|error| ApiError(error).into_response())?,
    ))
}

#[utoipa::path(get, path = "/api/sync/hygraph/deliveries", tag = "sync",
    params(SyncDeliveriesQuery),
    responses((status = 200, description = "Deliveries, newest first", body = Page<SyncDelivery>),
        (status = 422, description = "Limit or offset out of range", body = Problem)))]
pub(crate) async fn list_deliveries(
    State(app): State<App>,
    ApiQuery(query): ApiQuery<SyncDeliveriesQuery>,
) -> ApiResult<Json<Page<SyncDelivery>>> {
    Ok(Json(app.list_sync_deliveries(&query)?))
}
