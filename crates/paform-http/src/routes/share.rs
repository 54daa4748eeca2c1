//! Share links (SPEC §17, "the customer's phone"): sales make a 24-hour link to one design
//! or quote; the phone reads it through `GET /api/share/{token}` without a device token
//! (`auth` lets exactly that path through; the token is checked by the use case).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use paform_app::dto::{Problem, Share, SharedView};
use paform_app::{App, ShareScope};

use crate::problem::ApiResult;

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
