//! The shop floor (SPEC §12): stock per material, cut confirmation and offcuts, part scans
//! and an order's production progress.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use paform_app::App;
use paform_app::dto::{
    CutConfirmation, DeviceToken, MaterialStock, Offcut, OffcutListQuery, OrderProduction,
    PartProgress, Problem, ScanRequest,
};

use crate::extract::{ApiJson, ApiQuery};
use crate::problem::ApiResult;

#[utoipa::path(get, path = "/api/materials/{id}/stock", tag = "floor",
    responses((status = 200, description = "The material's boards and saw (the default 2440 × 1220 mm, 4 mm kerf when never set)", body = MaterialStock),
        (status = 404, body = Problem)))]
pub(crate) async fn get_stock(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Json<MaterialStock>> {
    Ok(Json(app.material_stock(&id)?))
}

#[utoipa::path(put, path = "/api/materials/{id}/stock", tag = "floor", request_body = MaterialStock,
    responses((status = 200, body = MaterialStock), (status = 400, body = Problem),
        (status = 404, body = Problem),
        (status = 422, description = "Every bad size, cost or margin, named by field", body = Problem)))]
pub(crate) async fn put_stock(
    State(app): State<App>,
    Path(id): Path<String>,
    ApiJson(stock): ApiJson<MaterialStock>,
) -> ApiResult<Json<MaterialStock>> {
    Ok(Json(app.set_material_stock(&id, stock).await?))
}

#[utoipa::path(post, path = "/api/v1/exports/{id}/cut", tag = "floor",
    responses((status = 200, description = "The export is cut: its offcuts, and the offcuts it used (a repeat answers the same)", body = CutConfirmation),
        (status = 404, body = Problem)))]
pub(crate) async fn confirm_cut(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Json<CutConfirmation>> {
    Ok(Json(app.confirm_cut(&id).await?))
}

#[utoipa::path(get, path = "/api/offcuts", tag = "floor", params(OffcutListQuery),
    responses((status = 200, description = "Offcuts, oldest first", body = Vec<Offcut>)))]
pub(crate) async fn list_offcuts(
    State(app): State<App>,
    ApiQuery(query): ApiQuery<OffcutListQuery>,
) -> ApiResult<Json<Vec<Offcut>>> {
    Ok(Json(app.list_offcuts(&query)?))
}

#[utoipa::path(delete, path = "/api/offcuts/{id}", tag = "floor",
    responses((status = 204, description = "Discarded"), (status = 404, body = Problem)))]
pub(crate) async fn delete_offcut(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.delete_offcut(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/parts/{code}/scan", tag = "floor", request_body = ScanRequest,
    params(("code" = String, Path, example = "PF-000042-03-B2",
        description = "A part's code from its label: a copy's code, or a panel's code (for a panel cut once, or for every copy of a panel on labels printed before copies had codes)")),
    responses((status = 200, description = "The part's stations (a repeat scan changes nothing); for a panel code of several copies, the stations every copy has passed", body = PartProgress),
        (status = 400, body = Problem),
        (status = 404, description = "No order has this part code, or the panel has no such copy", body = Problem),
        (status = 422, description = "A bad actor, or none where no device token names one", body = Problem)))]
pub(crate) async fn scan_part(
    State(app): State<App>,
    Path(code): Path<String>,
    // The paired device that sent the scan, put there by the token check.
    device: Option<Extension<DeviceToken>>,
    ApiJson(request): ApiJson<ScanRequest>,
) -> ApiResult<Json<PartProgress>> {
    let device = device.map(|Extension(token)| token);
    Ok(Json(app.scan_part(&code, request, device.as_ref()).await?))
}

#[utoipa::path(get, path = "/api/orders/{id}/production", tag = "floor",
    responses((status = 200, body = OrderProduction), (status = 404, body = Problem)))]
pub(crate) async fn order_production(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Json<OrderProduction>> {
    Ok(Json(app.order_production(&id)?))
}
