//! Saved designs (SPEC §11): versions under optimistic concurrency, pricing into a quote,
//! and the snapshot picture.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use paform_app::App;
use paform_app::dto::{
    Design, DesignInput, DesignListQuery, DesignVersionQuery, DesignVersionSummary, Page, Problem,
    Quote,
};

use crate::extract::{ApiJson, ApiQuery, body_rejection};
use crate::problem::ApiResult;

#[utoipa::path(get, path = "/api/designs", tag = "designs", params(DesignListQuery),
    responses((status = 200, description = "Newest first", body = Page<Design>), (status = 422, body = Problem)))]
pub(crate) async fn list_designs(
    State(app): State<App>,
    ApiQuery(query): ApiQuery<DesignListQuery>,
) -> ApiResult<Json<Page<Design>>> {
    Ok(Json(app.list_designs(&query)?))
}

#[utoipa::path(post, path = "/api/designs", tag = "designs", request_body = DesignInput,
    responses((status = 201, description = "Version 1", body = Design), (status = 400, body = Problem),
        (status = 422, body = Problem)))]
pub(crate) async fn create_design(
    State(app): State<App>,
    ApiJson(input): ApiJson<DesignInput>,
) -> ApiResult<(StatusCode, Json<Design>)> {
    Ok((StatusCode::CREATED, Json(app.create_design(input).await?)))
}

#[utoipa::path(get, path = "/api/designs/{id}", tag = "designs", params(DesignVersionQuery),
    responses((status = 200, body = Design), (status = 404, body = Problem)))]
pub(crate) async fn get_design(
    State(app): State<App>,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<DesignVersionQuery>,
) -> ApiResult<Json<Design>> {
    Ok(Json(app.get_design(&id, query.version)?))
}

#[utoipa::path(put, path = "/api/designs/{id}", tag = "designs", request_body = DesignInput,
    responses((status = 200, description = "The new version", body = Design), (status = 404, body = Problem),
        (status = 409, description = "`expected_version` is not the current version", body = Problem),
        (status = 422, body = Problem)))]
pub(crate) async fn update_design(
    State(app): State<App>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<DesignInput>,
) -> ApiResult<Json<Design>> {
    Ok(Json(app.update_design(&id, input).await?))
}

#[utoipa::path(get, path = "/api/designs/{id}/versions", tag = "designs",
    responses((status = 200, description = "Oldest first", body = Vec<DesignVersionSummary>), (status = 404, body = Problem)))]
pub(crate) async fn list_design_versions(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<DesignVersionSummary>>> {
    Ok(Json(app.list_design_versions(&id)?))
}

#[utoipa::path(post, path = "/api/designs/{id}/quote", tag = "designs",
    responses((status = 201, description = "The current version, priced", body = Quote),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn quote_design(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<Quote>)> {
    Ok((StatusCode::CREATED, Json(app.quote_design(&id).await?)))
}

#[utoipa::path(put, path = "/api/designs/{id}/snapshot", tag = "designs",
    request_body(content = Vec<u8>, content_type = "image/png"),
    responses((status = 204, description = "Stored"), (status = 404, body = Problem),
        (status = 413, body = Problem), (status = 422, description = "Not a PNG", body = Problem)))]
pub(crate) async fn put_design_snapshot(
    State(app): State<App>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<StatusCode, axum::response::Response> {
    let body = body.map_err(|rejection| body_rejection(rejection).into_response())?;
    app.put_design_snapshot(&id, body.to_vec())
        .await
        .map_err(|error| crate::problem::ApiError(error).into_response())?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/designs/{id}/snapshot", tag = "designs",
    responses((status = 200, description = "The PNG", content_type = "image/png"), (status = 404, body = Problem)))]
pub(crate) async fn get_design_snapshot(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let bytes = app.design_snapshot(&id)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        bytes,
    ))
}
