//! The `/api` routes, one file per resource. Handlers are thin: extract, call one use case,
//! map the result.

pub(crate) mod backups;
pub(crate) mod catalog;
pub(crate) mod chain;
pub(crate) mod cnc;
pub(crate) mod customers;
pub(crate) mod design;
pub(crate) mod designs;
pub(crate) mod documents;
pub(crate) mod events;
pub(crate) mod floor;
pub(crate) mod health;
pub(crate) mod jobs;
pub(crate) mod orders;
pub(crate) mod pairing;
pub(crate) mod payments;
pub(crate) mod quotes;
pub(crate) mod settings;
pub(crate) mod share;
pub(crate) mod sync;
pub(crate) mod tokens;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, get, post, put};
use paform_app::App;

use crate::auth;
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
            "/api/materials/{id}/stock",
            get(floor::get_stock).put(floor::put_stock),
        )
        .route("/api/offcuts", get(floor::list_offcuts))
        .route("/api/offcuts/labels.pdf", get(documents::offcut_labels))
        .route("/api/offcuts/{id}", delete(floor::delete_offcut))
        .route("/api/parts/{code}/scan", post(floor::scan_part))
        .route("/api/orders/{id}/production", get(floor::order_production))
        .route("/api/v1/exports/{id}/cut", post(floor::confirm_cut))
        .route("/api/events", get(events::events))
        .route("/api/events/token", get(events::events_token))
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
        .route(
            "/api/modules/{id}/model",
            get(catalog::get_module_model)
                .put(catalog::put_module_model)
                .layer(DefaultBodyLimit::max(paform_app::MAX_MODEL_UPLOAD_BYTES)),
        )
        .route("/api/media/{file}", get(catalog::get_media_file))
        .route("/api/quote/generate", post(quotes::generate_quote))
        .route("/api/quotes", get(quotes::list_quotes))
        .route("/api/quotes/{id}", get(quotes::get_quote))
        .route(
            "/api/quotes/{id}/catalog-change",
            get(quotes::quote_catalog_change),
        )
        .route("/api/quotes/{id}/reprice", post(quotes::reprice_quote))
        .route(
            "/api/quotes/{id}/document.pdf",
            get(documents::quote_document),
        )
        .route(
            "/api/orders/{id}/document.pdf",
            get(documents::order_document),
        )
        .route("/api/quotes/{id}/accept", post(orders::accept_quote))
        .route("/api/orders", get(orders::list_orders))
        .route("/api/orders/{id}", get(orders::get_order))
        .route(
            "/api/orders/{id}/transitions",
            post(orders::transition_order),
        )
        .route("/api/orders/{id}/events", get(orders::order_events))
        .route(
            "/api/orders/{id}/production-events",
            get(orders::order_production_events),
        )
        .route(
            "/api/orders/{id}/changes",
            get(orders::list_order_changes).post(orders::request_order_change),
        )
        .route(
            "/api/order-changes/{id}/confirm",
            post(orders::confirm_order_change),
        )
        .route(
            "/api/order-changes/{id}/decline",
            post(orders::decline_order_change),
        )
        .route("/api/audit/verify", get(orders::verify_audit))
        .route(
            "/api/orders/{id}/payments",
            get(payments::list_payments).post(payments::create_payment),
        )
        .route(
            "/api/payments/{id}/transactions",
            post(payments::record_transaction),
        )
        .route(
            "/api/payments/{id}/adjustments",
            post(payments::record_adjustment),
        )
        .route(
            "/api/orders/{id}/design-requests",
            get(design::list_design_requests).post(design::create_design_request),
        )
        .route(
            "/api/design-requests/{id}/versions",
            post(design::create_design_version),
        )
        .route(
            "/api/design-requests/{id}/latest-approved",
            get(design::latest_approved_version),
        )
        .route(
            "/api/design-versions/{id}/assets",
            post(design::upload_design_asset),
        )
        .route(
            "/api/design-versions/{id}/approve",
            post(design::approve_design_version),
        )
        .route(
            "/api/design-assets/{id}",
            get(design::download_design_asset),
        )
        .route(
            "/api/customers",
            get(customers::list_customers).post(customers::create_customer),
        )
        .route(
            "/api/customers/{id}",
            get(customers::get_customer).put(customers::update_customer),
        )
        .route(
            "/api/customers/{id}/history",
            get(customers::customer_history),
        )
        .route(
            "/api/designs",
            get(designs::list_designs).post(designs::create_design),
        )
        .route(
            "/api/designs/{id}",
            get(designs::get_design).put(designs::update_design),
        )
        .route(
            "/api/designs/{id}/versions",
            get(designs::list_design_versions),
        )
        .route("/api/designs/{id}/quote", post(designs::quote_design))
        .route("/api/designs/{id}/share", post(share::share_design))
        .route("/api/quotes/{id}/share", post(share::share_quote))
        .route(auth::SHARE_READ_PATH, get(share::read_share))
        .route(
            "/api/share/{token}/model.glb",
            get(share::get_share_model)
                .put(share::put_share_model)
                .layer(DefaultBodyLimit::max(paform_app::MAX_SHARE_MODEL_BYTES)),
        )
        .route(
            "/api/designs/{id}/snapshot",
            put(designs::put_design_snapshot)
                .get(designs::get_design_snapshot)
                .layer(DefaultBodyLimit::max(paform_app::MAX_SNAPSHOT_BYTES)),
        )
        .route("/api/jobs", get(jobs::list_jobs))
        .route("/api/jobs/{id}/ack", post(jobs::ack_job))
        .route(
            "/api/settings",
            get(settings::get_settings).put(settings::update_settings),
        )
        .route(
            "/api/sync/hygraph",
            post(sync::receive_hygraph).layer(DefaultBodyLimit::max(sync::MAX_BODY)),
        )
        .route("/api/sync/hygraph/deliveries", get(sync::list_deliveries))
        .route("/api/sync/join", post(chain::join))
        .route("/api/sync/status", get(chain::status))
        .route("/api/sync/now", post(chain::sync_now))
        .route(
            "/api/tokens",
            get(tokens::list_tokens).post(tokens::create_token),
        )
        .route("/api/tokens/{id}", delete(tokens::revoke_token))
        .route("/api/pairing", post(pairing::create_pairing))
        .route(
            "/api/backups",
            get(backups::list_backups).post(backups::create_backup),
        )
        .route(
            "/api/backups/restore",
            post(backups::request_restore).delete(backups::cancel_restore),
        )
        .route(auth::PAIRING_CLAIM_PATH, post(pairing::claim_pairing))
        .route("/api/v1/cnc/nest", post(cnc::nest))
        .route("/api/v1/cnc/panels", post(cnc::panels))
        .route("/api/v1/exports/cnc", post(cnc::export))
        .route(
            "/api/v1/exports/files/{export_id}/{file}",
            get(cnc::export_file),
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
