//! CNC (SPEC §6): nesting, the panel list, the production export and the expiring links
//! that serve a local export's files.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use paform_app::App;
use paform_app::dto::{
    CncExport, CncExportRequest, CncPanelList, CncPanelsRequest, ExportLinkQuery, NestRequest,
    NestResult, Problem,
};

use crate::extract::{ApiJson, ApiQuery};
use crate::problem::ApiResult;

#[utoipa::path(post, path = "/api/v1/cnc/nest", tag = "cnc", request_body = NestRequest,
    responses((status = 200, description = "Every part placed on as few sheets as found", body = NestResult),
        (status = 400, body = Problem),
        (status = 422, description = "Bad sizes or a part that fits no sheet, named by field", body = Problem)))]
pub(crate) async fn nest(
    State(app): State<App>,
    ApiJson(request): ApiJson<NestRequest>,
) -> ApiResult<Json<NestResult>> {
    Ok(Json(app.nest(request).await?))
}

#[utoipa::path(post, path = "/api/v1/cnc/panels", tag = "cnc", request_body = CncPanelsRequest,
    responses((status = 200, description = "The panels to cut, grouped by material", body = CncPanelList),
        (status = 400, body = Problem),
        (status = 422, description = "Unknown module or material, named by item index", body = Problem)))]
pub(crate) async fn panels(
    State(app): State<App>,
    ApiJson(request): ApiJson<CncPanelsRequest>,
) -> ApiResult<Json<CncPanelList>> {
    Ok(Json(app.cnc_panels(request)?))
}

#[utoipa::path(post, path = "/api/v1/exports/cnc", tag = "cnc", request_body = CncExportRequest,
    responses((status = 201, description = "The stored cut list and nesting drawings", body = CncExport),
        (status = 400, body = Problem), (status = 404, description = "Unknown order", body = Problem),
        (status = 409, description = "The order's module or material left the catalog", body = Problem),
        (status = 422, body = Problem), (status = 503, description = "S3 storage failed", body = Problem)))]
pub(crate) async fn export(
    State(app): State<App>,
    ApiJson(request): ApiJson<CncExportRequest>,
) -> ApiResult<(StatusCode, Json<CncExport>)> {
    // The app logs each progress step; the desktop shell forwards them as events instead.
    let export = app.export_cnc(request, |_| {}).await?;
    Ok((StatusCode::CREATED, Json(export)))
}

#[utoipa::path(get, path = "/api/v1/exports/files/{export_id}/{file}", tag = "cnc",
    params(("export_id" = String, Path), ("file" = String, Path), ExportLinkQuery),
    responses((status = 200, description = "The file's bytes", content_type = "application/octet-stream"),
        (status = 403, description = "Tampered or expired link", body = Problem),
        (status = 404, body = Problem)))]
pub(crate) async fn export_file(
    State(app): State<App>,
    Path((export_id, file)): Path<(String, String)>,
    ApiQuery(query): ApiQuery<ExportLinkQuery>,
) -> ApiResult<impl IntoResponse> {
    let file = app.export_file(&export_id, &file, query).await?;
    // The app only serves names of letters, digits, '-', '_' and '.', safe in quotes.
    let disposition = format!("attachment; filename=\"{}\"", file.file_name);
    let headers = [
        (header::CONTENT_TYPE, file.content_type.to_owned()),
        (header::CONTENT_DISPOSITION, disposition),
        (header::CACHE_CONTROL, "private, no-store".to_owned()),
    ];
    Ok((headers, file.bytes))
}
