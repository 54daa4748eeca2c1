//! The OpenAPI document, generated from the handlers' annotations and the DTOs, served at
//! `/api/openapi.json` and browsable at `/docs` (Swagger UI, bundled into the binary so it
//! works offline).

use axum::Router;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Paform API",
        description = "Catalog, quotes, orders, CNC and sync of Paform."
    ),
    paths(
        routes::health::health,
        routes::catalog::list_materials,
        routes::catalog::create_material,
        routes::catalog::get_material,
        routes::catalog::update_material,
        routes::catalog::delete_material,
        routes::catalog::list_modules,
        routes::catalog::create_module,
        routes::catalog::get_module,
        routes::catalog::update_module,
        routes::catalog::delete_module,
        routes::catalog::put_module_model,
        routes::catalog::get_module_model,
        routes::catalog::get_media_file,
        routes::quotes::generate_quote,
        routes::quotes::get_quote,
        routes::quotes::list_quotes,
        routes::quotes::quote_catalog_change,
        routes::quotes::reprice_quote,
        routes::settings::get_settings,
        routes::settings::update_settings,
        routes::orders::accept_quote,
        routes::orders::list_orders,
        routes::orders::get_order,
        routes::orders::transition_order,
        routes::orders::order_events,
        routes::orders::order_production_events,
        routes::orders::request_order_change,
        routes::orders::list_order_changes,
        routes::orders::confirm_order_change,
        routes::orders::decline_order_change,
        routes::orders::verify_audit,
        routes::payments::create_payment,
        routes::payments::list_payments,
        routes::payments::record_transaction,
        routes::payments::record_adjustment,
        routes::design::create_design_request,
        routes::design::list_design_requests,
        routes::design::create_design_version,
        routes::design::upload_design_asset,
        routes::design::download_design_asset,
        routes::design::approve_design_version,
        routes::design::latest_approved_version,
        routes::customers::list_customers,
        routes::customers::create_customer,
        routes::customers::get_customer,
        routes::customers::update_customer,
        routes::customers::customer_history,
        routes::designs::list_designs,
        routes::designs::create_design,
        routes::designs::get_design,
        routes::designs::update_design,
        routes::designs::list_design_versions,
        routes::designs::quote_design,
        routes::designs::put_design_snapshot,
        routes::designs::get_design_snapshot,
        routes::share::share_design,
        routes::share::share_quote,
        routes::share::read_share,
        routes::share::put_share_model,
        routes::share::get_share_model,
        routes::documents::quote_document,
        routes::documents::order_document,
        routes::jobs::list_jobs,
        routes::jobs::ack_job,
        routes::sync::receive_hygraph,
        routes::sync::list_deliveries,
        routes::chain::join,
        routes::chain::status,
        routes::chain::sync_now,
        routes::tokens::list_tokens,
        routes::tokens::create_token,
        routes::tokens::revoke_token,
        routes::pairing::create_pairing,
        routes::pairing::claim_pairing,
        routes::backups::create_backup,
        routes::backups::list_backups,
        routes::backups::request_restore,
        routes::backups::cancel_restore,
        routes::cnc::nest,
        routes::cnc::panels,
        routes::cnc::export,
        routes::cnc::export_file,
        routes::floor::get_stock,
        routes::floor::put_stock,
        routes::floor::confirm_cut,
        routes::floor::list_offcuts,
        routes::documents::offcut_labels,
        routes::floor::delete_offcut,
        routes::floor::scan_part,
        routes::floor::order_production,
        routes::events::events,
        routes::events::events_token,
    )
)]
struct ApiDoc;

/// The OpenAPI document as pretty JSON (also what the UI's types are generated from).
pub fn openapi_json() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serializes")
}

pub(crate) fn docs_router() -> Router {
    Router::new().merge(SwaggerUi::new("/docs").url("/api/openapi.json", ApiDoc::openapi()))
}
