//! The chain from the site's side (SPEC §15): joining HQ (admin only) and the replication
//! status the shell shows. The node token goes in with a join and never comes back out.

use axum::Json;
use axum::extract::State;
use paform_app::App;
use paform_app::dto::{ChainJoin, ChainStatus, Problem};

use crate::extract::ApiJson;
use crate::problem::ApiResult;

#[utoipa::path(post, path = "/api/sync/join", tag = "chain",
    description = "Joins HQ with a node token from `paform hq node add`; HQ names the node's \
        role and name. The URL must be `https://` except on loopback; `ca_pem` trusts a \
        self-signed HQ. Admin only.",
    request_body = ChainJoin,
    responses((status = 200, description = "Joined; the push loop starts", body = ChainStatus),
        (status = 409, description = "HQ refuses the order-number prefix: another site holds it",
            body = Problem),
        (status = 422, description = "A URL that is not https (off loopback), a missing or \
            refused token, an unreadable CA", body = Problem),
        (status = 503, description = "HQ cannot be reached", body = Problem)))]
pub(crate) async fn join(
    State(app): State<App>,
    ApiJson(input): ApiJson<ChainJoin>,
) -> ApiResult<Json<ChainStatus>> {
    Ok(Json(app.join_chain(input).await?))
}

#[utoipa::path(get, path = "/api/sync/status", tag = "chain",
    description = "Where this install stands in the chain: its role, HQ, how many log \
        entries wait to be pushed and why the last push failed, if it did.",
    responses((status = 200, body = ChainStatus)))]
pub(crate) async fn status(State(app): State<App>) -> ApiResult<Json<ChainStatus>> {
    Ok(Json(app.chain_status()?))
}

#[utoipa::path(post, path = "/api/sync/now", tag = "chain",
    description = "Pushes everything HQ does not hold yet and pulls what HQ has for this site \
        (catalog versions; at a factory the orders that reached production_ready, at a \
        showroom the production of its orders) now, instead of at the next pass.",
    responses((status = 200, description = "Synced", body = ChainStatus),
        (status = 409, description = "This site has not joined an HQ", body = Problem),
        (status = 503, description = "HQ cannot be reached, refuses the token, or sent \
            something this site cannot take (named in the detail)", body = Problem)))]
pub(crate) async fn sync_now(State(app): State<App>) -> ApiResult<Json<ChainStatus>> {
    Ok(Json(app.sync_chain_now().await?))
}
