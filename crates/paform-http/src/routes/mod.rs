//! The `/api` routes, one file per resource. Handlers are thin: extract, call one use case,
//! map the result.

pub(crate) mod catalog;
pub(crate) mod health;
pub(crate) mod quotes;
pub(crate) mod settings;

use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use paform_app::App;

use crate::problem::problem_response;

pub(crate) fn api_router() -> Router<App> {
    Router::new()
        .route("/api/health", get(health::health))
        .route(
            "/api/materials",
            get(catalog::list_materials).post(catalog::create_material),
        )
        .route(
            "/api/materials/{id}",
            get(catalog::get_material)
                .put(catalog::update_material)
                .delete(catalog::delete_material),
        )
        .route(
            "/api/modules",
            get(catalog::list_modules).post(catalog::create_module),
        )
        .route(
            "/api/modules/{id}",
            get(catalog::get_module)
                .put(catalog::update_module)
                .delete(catalog::delete_module),
        )
        .route("/api/quote/generate", post(quotes::generate_quote))
        .route("/api/quotes/{id}", get(quotes::get_quote))
        .route(
            "/api/settings",
            get(settings::get_settings).put(settings::update_settings),
        )
        .route("/api", get(not_found).fallback(not_found))
        .route("/api/{*rest}", get(not_found).fallback(not_found))
        .method_not_allowed_fallback(method_not_allowed)
}

async fn not_found() -> Response {
    problem_response(
        StatusCode::NOT_FOUND,
        "no API endpoint has this path".into(),
        vec![],
    )
}

async fn method_not_allowed() -> Response {
    let detail = "this endpoint does not accept this HTTP method".into();
    problem_response(StatusCode::METHOD_NOT_ALLOWED, detail, vec![])
}
