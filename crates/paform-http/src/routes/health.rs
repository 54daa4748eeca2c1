//! `GET /api/health`: 200 `ok`, or 503 `degraded` with a reason while writes fail (a full
//! disk, SPEC §14), so a monitor or the UI sees the condition without trying a write.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use paform_app::App;
use paform_app::dto::Health;

#[utoipa::path(get, path = "/api/health", tag = "health",
    responses(
        (status = 200, description = "The server is up", body = Health),
        (status = 503, description = "The server is up but cannot write (e.g. its disk is full)",
            body = Health),
    ))]
pub(crate) async fn health(State(app): State<App>) -> (StatusCode, Json<Health>) {
    let health = app.health().await;
    let status = match health.reason {
        Some(_) => StatusCode::SERVICE_UNAVAILABLE,
        None => StatusCode::OK,
    };
    (status, Json(health))
}
