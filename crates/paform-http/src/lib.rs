//! Paform's REST server: axum routes over `paform_app`, RFC 9457 problem details for every
//! error, the OpenAPI document and its browsable docs, and the UI's static export.
//!
//! Invariants:
//! - This is the only crate that names axum, tower or utoipa's path macros; handlers are
//!   thin (extract, call one use case, map the result) and hold no business rule.
//! - No client input can produce a panic or a 500: bodies are size-limited, extraction
//!   failures become 400/413/415 problems, and a panic is caught and logged.
//! - Beyond loopback every `/api` request but health and the webhook needs a device token,
//!   and every request must name this machine in `Host` (see `auth`).

mod auth;
mod extract;
mod local;
mod openapi;
mod permissions;
mod problem;
mod routes;
mod transfer;
mod ui;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use paform_app::App;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

pub use local::{LocalClient, LocalRequest, LocalResponse};
pub use openapi::openapi_json;
pub use problem::problem_of;

/// The largest JSON body any endpoint accepts.
pub const MAX_JSON_BODY: usize = 1024 * 1024;

/// How the server is put together.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// The UI's static export (`ui/out`); without it `/` answers 404 and only the API runs.
    pub ui_dir: Option<PathBuf>,
    /// Every `/api` request except `GET /api/health` and the signed webhook needs
    /// `Authorization: Bearer <device token>` (SPEC §8). `serve` also turns this on by itself
    /// when its listener is not on loopback; see `requires_token`.
    pub require_token: bool,
    /// Host names the server answers to besides IP literals, `localhost` and the machine's
    /// own name (e.g. a shop-floor DNS name); any other `Host` is refused.
    pub extra_hosts: Vec<String>,
}

/// Whether a server on `address` must require device tokens: anything beyond loopback.
pub fn requires_token(address: &SocketAddr) -> bool {
    !address.ip().is_loopback()
}

/// The whole HTTP surface: `/api`, `/docs` and the UI.
pub fn router(app: App, options: &ServerOptions) -> Router {
    let api = routes::api_router()
        .layer(DefaultBodyLimit::max(MAX_JSON_BODY))
        .with_state(app.clone());
    let with_docs = api.merge(openapi::docs_router());
    let auth_state = auth::AuthState {
        app,
        require_token: options.require_token,
        limiter: Arc::default(),
    };
    let hosts = Arc::new(auth::HostPolicy::new(&options.extra_hosts));
    ui::with_ui(with_docs, options.ui_dir.as_deref())
        .layer(axum::middleware::from_fn(transfer::cache_headers))
        .layer(axum::middleware::from_fn_with_state(
            auth_state,
            auth::require_device_token,
        ))
        .layer(auth::cors())
        .layer(axum::middleware::from_fn_with_state(
            hosts,
            auth::guard_host_and_origin,
        ))
        .layer(CatchPanicLayer::custom(problem::panic_response))
        .layer(transfer::compression())
        .layer(TraceLayer::new_for_http())
}

/// Another server's `router` (HQ's) with the UI's static export served beside it as
/// `router` serves it: the same fallback, caching and compression.
pub fn with_static_ui(router: Router, ui_dir: Option<&std::path::Path>) -> Router {
    ui::with_ui(router, ui_dir)
        .layer(axum::middleware::from_fn(transfer::cache_headers))
        .layer(transfer::compression())
}

/// Serves until `shutdown` resolves, then stops accepting and drains open requests.
pub async fn serve(
    listener: TcpListener,
    app: App,
    options: &ServerOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let address = listener.local_addr()?;
    let mut options = options.clone();
    options.require_token |= requires_token(&address);
    let server = app.note_listening(base_urls(address));
    let service = router(app.clone(), &options).into_make_service_with_connect_info::<SocketAddr>();
    let served = axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await;
    app.note_stopped(server);
    served
}

/// The `http://address:port` bases a pairing link can use: the bound address, or, bound to
/// every interface (`0.0.0.0`, `::`), each address of the machine's interfaces.
fn base_urls(bound: SocketAddr) -> Vec<String> {
    let addresses = if bound.ip().is_unspecified() {
        if_addrs::get_if_addrs()
            .map(|interfaces| {
                interfaces
                    .into_iter()
                    .map(|interface| interface.ip())
                    .filter(|ip| ip.is_ipv4() == bound.is_ipv4() || bound.is_ipv6())
                    .filter(|ip| !ip.is_loopback() && !is_link_local(ip))
                    .collect()
            })
            .unwrap_or_default()
    } else {
        vec![bound.ip()]
    };
    let mut bases: Vec<String> = addresses
        .into_iter()
        .map(|ip| format!("http://{}", SocketAddr::new(ip, bound.port())))
        .collect();
    if bases.is_empty() {
        // No interface beyond loopback: this machine itself can still pair a browser.
        bases.push(format!("http://127.0.0.1:{}", bound.port()));
    }
    bases
}

fn is_link_local(ip: &std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => v4.is_link_local(),
        std::net::IpAddr::V6(v6) => v6.is_unicast_link_local(),
    }
}
