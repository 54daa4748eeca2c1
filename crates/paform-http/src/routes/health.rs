//! `GET /api/health`.

use axum::Json;
use axum::extract::State;
use paform_app::App;
use paform_app::dto::Health;

#[utoipa::path(get, path = "/api/health", tag = "health",
    responses((status = 200, description = "The server is up", body = Health)))]
pub(crate) async fn health(State(app): State<App>) -> Json<Health> {
    Json(app.health())
}
