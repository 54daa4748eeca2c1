//! Design collaboration: requests, versions, streamed asset uploads and downloads (SPEC §5).

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use paform_app::dto::{
    AssetUploadQuery, DesignAsset, DesignRequest, DesignRequestInput, DesignVersion,
    DesignVersionInput, Problem,
};
use paform_app::{App, AppError};

use crate::extract::{ApiJson, ApiQuery};
use crate::problem::{ApiError, ApiResult};

#[utoipa::path(post, path = "/api/orders/{id}/design-requests", tag = "design",
    request_body = DesignRequestInput,
    responses((status = 201, body = DesignRequest), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn create_design_request(
    State(app): State<App>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<DesignRequestInput>,
) -> ApiResult<(StatusCode, Json<DesignRequest>)> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_design_request(&id, input).await?),
    ))
}

#[utoipa::path(get, path = "/api/orders/{id}/design-requests", tag = "design",
    responses((status = 200, body = Vec<DesignRequest>), (status = 404, body = Problem)))]
pub(crate) async fn list_design_requests(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<DesignRequest>>> {
    Ok(Json(app.list_design_requests(&id)?))
}

#[utoipa::path(post, path = "/api/design-requests/{id}/versions", tag = "design",
    request_body = DesignVersionInput,
    responses((status = 201, body = DesignVersion), (status = 404, body = Problem)))]
pub(crate) async fn create_design_version(
    State(app): State<App>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<DesignVersionInput>,
) -> ApiResult<(StatusCode, Json<DesignVersion>)> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_design_version(&id, input).await?),
    ))
}

/// The raw body is streamed to disk chunk by chunk; it is never held whole in memory.
#[utoipa::path(post, path = "/api/design-versions/{id}/assets", tag = "design", params(AssetUploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = DesignAsset), (status = 404, body = Problem),
        (status = 413, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn upload_design_asset(
    State(app): State<App>,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<AssetUploadQuery>,
    request: Request,
) -> ApiResult<(StatusCode, Json<DesignAsset>)> {
    let mut upload = app.begin_asset_upload(&id, &query).await?;
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > upload.limit()) {
        return Err(AppError::TooLarge(format!(
            "design assets may be at most {} bytes",
            upload.limit()
        ))
        .into());
    }
    let mut body = request.into_body().into_data_stream();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|error| {
            ApiError(AppError::malformed(format!(
                "the upload was interrupted: {error}"
            )))
        })?;
        upload.write(&chunk).await?;
    }
    Ok((StatusCode::CREATED, Json(upload.finish().await?)))
}

#[utoipa::path(get, path = "/api/design-assets/{id}", tag = "design",
    responses((status = 200, description = "The asset's bytes", content_type = "application/octet-stream"),
        (status = 404, body = Problem)))]
pub(crate) async fn download_design_asset(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (asset, path) = app.design_asset_file(&id)?;
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(|error| ApiError(AppError::internal(error.into())))?;
    let disposition = format!(
        "attachment; filename=\"{}\"",
        asset.filename.replace(['"', '\\'], "_")
    );
    let headers = [
        (header::CONTENT_TYPE, asset.content_type),
        (header::CONTENT_LENGTH, asset.size.to_string()),
        (header::CONTENT_DISPOSITION, disposition),
        (header::ETAG, format!("\"{}\"", asset.sha256)),
    ];
    Ok((
        headers,
        Body::from_stream(tokio_util::io::ReaderStream::new(file)),
    )
        .into_response())
}

#[utoipa::path(post, path = "/api/design-versions/{id}/approve", tag = "design",
    responses((status = 200, body = DesignVersion), (status = 404, body = Problem)))]
pub(crate) async fn approve_design_version(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Json<DesignVersion>> {
    Ok(Json(app.approve_design_version(&id).await?))
}

#[utoipa::path(get, path = "/api/design-requests/{id}/latest-approved", tag = "design",
    responses((status = 200, description = "What the CAD pipeline builds from", body = DesignVersion),
        (status = 404, description = "Unknown request, or none of its versions is approved", body = Problem)))]
pub(crate) async fn latest_approved_version(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Json<DesignVersion>> {
    Ok(Json(app.latest_approved_version(&id)?))
}
