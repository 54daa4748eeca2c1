//! Quotes (SPEC §4, §17).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use paform_app::App;
use paform_app::dto::{CatalogChange, ListQuery, Page, Problem, Quote, QuoteRequest};

use crate::extract::{ApiJson, ApiQuery};
use crate::problem::ApiResult;

#[utoipa::path(post, path = "/api/quote/generate", tag = "quotes", request_body = QuoteRequest,
    responses((status = 201, description = "The priced, persisted quote", body = Quote),
        (status = 400, body = Problem),
        (status = 422, description = "Unknown module or material, named by item index", body = Problem)))]
pub(crate) async fn generate_quote(
    State(app): State<App>,
    ApiJson(request): ApiJson<QuoteRequest>,
) -> ApiResult<(StatusCode, Json<Quote>)> {
    Ok((
        StatusCode::CREATED,
        Json(app.generate_quote(request).await?),
    ))
}

#[utoipa::path(get, path = "/api/quotes/{id}", tag = "quotes",
    responses((status = 200, body = Quote), (status = 404, body = Problem)))]
pub(crate) async fn get_quote(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Json<Quote>> {
    Ok(Json(app.get_quote(&id)?))
}

#[utoipa::path(get, path = "/api/quotes", tag = "quotes", params(ListQuery),
    responses((status = 200, description = "Quotes in the order they were made; `q` finds them by number (`Q-000123`, or its digits `123`)", body = Page<Quote>),
        (status = 422, body = Problem)))]
pub(crate) async fn list_quotes(
    State(app): State<App>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Page<Quote>>> {
    Ok(Json(app.list_quotes(&query)?))
}

#[utoipa::path(get, path = "/api/quotes/{id}/catalog-change", tag = "quotes",
    responses((status = 200, description = "HQ's catalog changed since the quote was priced (SPEC §15): the quote's total and what its items cost now", body = CatalogChange),
        (status = 204, description = "The quote is priced on the catalog the site holds"),
        (status = 404, body = Problem)))]
pub(crate) async fn quote_catalog_change(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    Ok(match app.quote_catalog_change(&id).await? {
        Some(change) => Json(change).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

#[utoipa::path(post, path = "/api/quotes/{id}/reprice", tag = "quotes",
    responses((status = 201, description = "A new quote of the same items, for the same customer and design, priced on the catalog as it is now; the old quote is unchanged", body = Quote),
        (status = 404, body = Problem),
        (status = 422, description = "An item can no longer be priced", body = Problem)))]
pub(crate) async fn reprice_quote(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<Quote>)> {
    Ok((StatusCode::CREATED, Json(app.reprice_quote(&id).await?)))
}
