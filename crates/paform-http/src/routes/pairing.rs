//! Pairing by QR (SPEC §13): `POST /api/pairing` makes a code (admin only, see
//! `permissions`), `POST /api/pairing/claim` trades it for a device token without one.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use paform_app::App;
use paform_app::dto::{CreatedDeviceToken, Pairing, PairingClaim, PairingInput, Problem};

use crate::extract::ApiJson;
use crate::problem::ApiResult;

#[utoipa::path(post, path = "/api/pairing", tag = "tokens", request_body = PairingInput,
    description = "A single-use code, valid 5 minutes, and its claim link on an address a \
        tablet can reach.",
    responses((status = 201, description = "The code and its link", body = Pairing),
        (status = 409, description = "No server listens for tablets", body = Problem),
        (status = 422, body = Problem)))]
pub(crate) async fn create_pairing(
    State(app): State<App>,
    ApiJson(input): ApiJson<PairingInput>,
) -> ApiResult<(StatusCode, Json<Pairing>)> {
    Ok((StatusCode::CREATED, Json(app.create_pairing(input)?)))
}

#[utoipa::path(post, path = "/api/pairing/claim", tag = "tokens", request_body = PairingClaim,
    description = "Trades a pairing code for a device token; needs no token. Wrong codes \
        count as wrong tokens for the per-address limiter.",
    responses((status = 201, description = "The token; its secret is never shown again",
        body = CreatedDeviceToken),
        (status = 404, description = "No such code", body = Problem),
        (status = 410, description = "The code was used or has expired", body = Problem),
        (status = 429, body = Problem)))]
pub(crate) async fn claim_pairing(
    State(app): State<App>,
    ApiJson(claim): ApiJson<PairingClaim>,
) -> ApiResult<(StatusCode, Json<CreatedDeviceToken>)> {
    Ok((StatusCode::CREATED, Json(app.claim_pairing(claim).await?)))
}
