//! Settings: defaults of new quotes.

use axum::Json;
use axum::extract::State;
use paform_app::App;
use paform_app::dto::{Problem, Settings};

use crate::extract::ApiJson;
use crate::problem::ApiResult;

#[utoipa::path(get, path = "/api/settings", tag = "settings",
    responses((status = 200, body = Settings)))]
pub(crate) async fn get_settings(State(app): State<App>) -> ApiResult<Json<Settings>> {
    Ok(Json(app.get_settings()?))
}

#[utoipa::path(put, path = "/api/settings", tag = "settings", request_body = Settings,
    responses((status = 200, body = Settings), (status = 422, body = Problem)))]
pub(crate) async fn update_settings(
    State(app): State<App>,
    ApiJson(input): ApiJson<Settings>,
) -> ApiResult<Json<Settings>> {
    Ok(Json(app.update_settings(input).await?))
}
