//! Documents (SPEC §11): the quote and order PDFs, rendered by the server.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use paform_app::App;
use paform_app::dto::{OffcutListQuery, Problem};

use crate::extract::ApiQuery;
use crate::problem::ApiResult;

fn pdf(bytes: Vec<u8>, file_name: String) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "inline; filename=\"{}\"",
                    file_name.replace(['"', '\\'], "_")
                ),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
}

#[utoipa::path(get, path = "/api/quotes/{id}/document.pdf", tag = "documents",
    responses((status = 200, description = "The quote as a PDF", content_type = "application/pdf"),
        (status = 404, body = Problem)))]
pub(crate) async fn quote_document(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let bytes = app.quote_document(&id).await?;
    Ok(pdf(bytes, format!("quote-{id}.pdf")))
}

#[utoipa::path(get, path = "/api/orders/{id}/document.pdf", tag = "documents",
    responses((status = 200, description = "The order as a PDF", content_type = "application/pdf"),
        (status = 404, body = Problem)))]
pub(crate) async fn order_document(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let (number, bytes) = app.order_document(&id).await?;
    Ok(pdf(bytes, format!("order-{number}.pdf")))
}

#[utoipa::path(get, path = "/api/offcuts/labels.pdf", tag = "documents", params(OffcutListQuery),
    responses((status = 200, description = "One label per offcut (code as a QR code, size, material), oldest first, in the settings' label format", content_type = "application/pdf"),
        (status = 422, description = "Nothing to label", body = Problem)))]
pub(crate) async fn offcut_labels(
    State(app): State<App>,
    ApiQuery(query): ApiQuery<OffcutListQuery>,
) -> ApiResult<impl IntoResponse> {
    let bytes = app.offcut_labels(&query).await?;
    Ok(pdf(bytes, "offcut-labels.pdf".to_owned()))
}
