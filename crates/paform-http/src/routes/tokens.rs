//! Device tokens (SPEC §8): create (the secret is answered once), list (never a secret) and
//! revoke (idempotent). Like every `/api` route they need a device token themselves when the
//! server requires one.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use paform_app::App;
use paform_app::dto::{
    CreatedDeviceToken, DeviceToken, DeviceTokenInput, DeviceTokenQuery, Problem,
};

use crate::extract::{ApiJson, ApiQuery};
use crate::problem::ApiResult;

#[utoipa::path(get, path = "/api/tokens", tag = "tokens", params(DeviceTokenQuery),
    responses((status = 200, description = "Tokens in creation order, without secrets",
        body = Vec<DeviceToken>), (status = 401, body = Problem)))]
pub(crate) async fn list_tokens(
    State(app): State<App>,
    ApiQuery(query): ApiQuery<DeviceTokenQuery>,
) -> ApiResult<Json<Vec<DeviceToken>>> {
    Ok(Json(app.list_device_tokens(query.include_revoked)?))
}

#[utoipa::path(post, path = "/api/tokens", tag = "tokens", request_body = DeviceTokenInput,
    responses((status = 201, description = "The token; its secret is never shown again",
        body = CreatedDeviceToken), (status = 422, body = Problem)))]
pub(crate) async fn create_token(
    State(app): State<App>,
    ApiJson(input): ApiJson<DeviceTokenInput>,
) -> ApiResult<(StatusCode, Json<CreatedDeviceToken>)> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_device_token(input).await?),
    ))
}

#[utoipa::path(delete, path = "/api/tokens/{id}", tag = "tokens",
    description = "Revokes a token; revoking a revoked token succeeds and changes nothing.",
    responses((status = 204, description = "Revoked"), (status = 404, body = Problem)))]
pub(crate) async fn revoke_token(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.revoke_device_token(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}
