//! Payments, gateway transactions and adjustments: an append-only ledger (SPEC §5).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use paform_app::dto::{
    AdjustmentInput, Payment, PaymentAdjustment, PaymentInput, PaymentTransaction, Problem,
    TransactionInput,
};
use paform_app::{App, Recorded};

use crate::extract::ApiJson;
use crate::problem::ApiResult;

#[utoipa::path(post, path = "/api/orders/{id}/payments", tag = "payments", request_body = PaymentInput,
    responses((status = 201, body = Payment), (status = 404, body = Problem),
        (status = 409, description = "The order is final", body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn create_payment(
    State(app): State<App>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<PaymentInput>,
) -> ApiResult<(StatusCode, Json<Payment>)> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_payment(&id, input).await?),
    ))
}

#[utoipa::path(get, path = "/api/orders/{id}/payments", tag = "payments",
    responses((status = 200, body = Vec<Payment>), (status = 404, body = Problem)))]
pub(crate) async fn list_payments(
    State(app): State<App>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<Payment>>> {
    Ok(Json(app.list_payments(&id)?))
}

#[utoipa::path(post, path = "/api/payments/{id}/transactions", tag = "payments",
    request_body = TransactionInput,
    responses((status = 201, body = PaymentTransaction),
        (status = 200, description = "Already recorded under this (provider, provider_ref); nothing written", body = PaymentTransaction),
        (status = 404, body = Problem),
        (status = 409, description = "The reference is recorded with other values", body = Problem),
        (status = 422, description = "Invalid, or more than the payment leaves to capture", body = Problem)))]
pub(crate) async fn record_transaction(
    State(app): State<App>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TransactionInput>,
) -> ApiResult<(StatusCode, Json<PaymentTransaction>)> {
    let (transaction, recorded) = app.record_transaction(&id, input).await?;
    Ok((status_of(recorded), Json(transaction)))
}

#[utoipa::path(post, path = "/api/payments/{id}/adjustments", tag = "payments",
    request_body = AdjustmentInput,
    responses((status = 201, body = PaymentAdjustment),
        (status = 200, description = "Already recorded under this provider_ref; nothing written", body = PaymentAdjustment),
        (status = 404, body = Problem),
        (status = 409, description = "The reference is recorded with other values", body = Problem),
        (status = 422, description = "Invalid, or more than was captured", body = Problem)))]
pub(crate) async fn record_adjustment(
    State(app): State<App>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<AdjustmentInput>,
) -> ApiResult<(StatusCode, Json<PaymentAdjustment>)> {
    let (adjustment, recorded) = app.record_adjustment(&id, input).await?;
    Ok((status_of(recorded), Json(adjustment)))
}

/// A new record is 201; a repeat of a recorded one is 200 (Stripe's idempotency rule).
fn status_of(recorded: Recorded) -> StatusCode {
    match recorded {
        Recorded::Created => StatusCode::CREATED,
        Recorded::AlreadyRecorded => StatusCode::OK,
    }
}
