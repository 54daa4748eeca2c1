//! Share links (SPEC §17, "the customer's phone"): sales make a 24-hour link to one design
//! or quote; the phone reads it through `GET /api/share/{token}` without a device token
//! (`auth` lets exactly that path through; the token is checked by the use case).

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use paform_app::dto::{Problem, Share, SharedView};
use paform_app::{App, ShareScope};

use crate::extract::body_rejection;
use crate::problem::{ApiError, ApiResult};

#[utoipa::path(post, path = "/api/designs/{id}/share", tag = "designs",
    description = "A read-only link to this design for the customer's phone, valid 24 hours; \
        `url` is the phone page on an address the phone can reach (shown as a QR code).",
    responses((status = 201, description = "The link", body = Share),
        (status = 404, body = Problem)))]
pub(crate) async fn share_design(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<Share>)> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_share(ShareScope::Design(id))?),
    ))
}

#[utoipa::path(post, path = "/api/quotes/{id}/share", tag = "quotes",
    description = "A read-only link to this quote (its design in 3D, its lines and total) for \
        the customer's phone, valid 24 hours.",
    responses((status = 201, description = "The link", body = Share),
        (status = 404, body = Problem)))]
pub(crate) async fn share_quote(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<Share>)> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_share(ShareScope::Quote(id))?),
    ))
}

#[utoipa::path(get, path = "/api/share/{token}", tag = "designs",
    description = "What a share link opens, read-only; needs no device token, only the share \
        token. The models and textures it draws are fetched with `?share=<token>`.",
    responses((status = 200, body = SharedView),
        (status = 401, description = "The token is malformed, forged or expired (the detail says which)",
            body = Problem),
        (status = 404, description = "The design or quote no longer exists", body = Problem)))]
pub(crate) async fn read_share(
    State(app): State<App>,
    Path(token): Path<String>,
) -> ApiResult<Json<SharedView>> {
    Ok(Json(app.read_share(&token)?))
}

/// The body is the GLB the sales screen exported from its own scene of the shared design.
#[utoipa::path(put, path = "/api/share/{token}/model.glb", tag = "designs",
    description = "Stores the GLB of the shared design's scene for AR viewers that fetch a URL \
        themselves (Android's Scene Viewer cannot read the phone page's `blob:` URL). Needs a \
        device token (admin, sales) besides the share token.",
    request_body(content = Vec<u8>, content_type = "model/gltf-binary"),
    responses((status = 204, description = "Stored"),
        (status = 401, description = "The share token is malformed, forged or expired", body = Problem),
        (status = 413, description = "Body over 32 MiB", body = Problem),
        (status = 422, description = "Not a binary glTF 2.0 file", body = Problem)))]
pub(crate) async fn put_share_model(
    State(app): State<App>,
    Path(token): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<StatusCode, Response> {
    let body = body.map_err(|rejection| body_rejection(rejection).into_response())?;
    app.put_share_model(&token, body.to_vec())
        .await
        .map_err(|error| ApiError(error).into_response())?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/share/{token}/model.glb", tag = "designs",
    description = "The GLB stored for a share; needs no device token, only the share token.",
    responses((status = 200, description = "The GLB", content_type = "model/gltf-binary"),
        (status = 401, description = "The token is malformed, forged or expired", body = Problem),
        (status = 404, description = "No model was stored for this share", body = Problem)))]
pub(crate) async fn get_share_model(
    State(app): State<App>,
    Path(token): Path<String>,
) -> ApiResult<Response> {
    let bytes = app.share_model(&token).await?;
    Ok(([(header::CONTENT_TYPE, "model/gltf-binary")], bytes).into_response())
}
