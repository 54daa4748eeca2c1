//! The local-network defences of SPEC §8, as three middlewares around the whole router:
//!
//! - `guard_host_and_origin` refuses (403) a request whose `Host` is not one of this
//!   machine's names or addresses (a DNS-rebinding defence), and a request whose `Origin` is
//!   neither the server's own nor the desktop shell's (a cross-site request forgery defence
//!   for the token-less loopback server).
//! - `cors` lets only the desktop shell's origins read answers across origins.
//! - `require_device_token`, when `ServerOptions::require_token` is set, answers 401 to every
//!   `/api` request without a live device token, except `GET /api/health` and the signed
//!   webhook `POST /api/sync/hygraph` (`GET /api/events` also takes a signed events token
//!   in its query, as a browser's `EventSource` cannot send headers); after `MAX_FAILURES` wrong tokens from one address in
//!   `FAILURE_WINDOW` it answers 429 with `Retry-After` until the window has passed.
//!   A token's role must grant what `permissions::required` says the route needs, or the
//!   answer is a 403 naming the role and the permission. Claiming a pairing code
//!   (`POST /api/pairing/claim`) needs no token but shares the failure limiter: each
//!   unknown or expired code counts as a wrong token, so codes cannot be guessed quickly.
//!   A customer's phone (SPEC §17) reads `GET /api/share/{token}` and its stored GLB
//!   (`…/model.glb`) without a device token (the use case checks the share token), and fetches the models and textures that share draws
//!   (`GET /api/modules/{id}/model`, `GET /api/media/{file}`) with `?share=<token>` instead of
//!   a device token; a share token opens nothing else.
//!
//! Invariants:
//! - Tokens are checked by `App::authenticate_device_token` only (constant-time digests);
//!   this module never sees a stored token.
//! - A missing `Authorization` header is not counted as a failure (a fresh browser asks
//!   before it is paired); only wrong tokens are, so guessing is what gets slowed down.
//! - The limiter's memory is bounded: stale windows are dropped once it holds many.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use paform_app::{App, AppError};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::permissions::{self, Permission};
use crate::problem::{ApiError, problem_response};

/// Wrong tokens one address may present within `FAILURE_WINDOW` before it is told to wait.
pub(crate) const MAX_FAILURES: u32 = 5;
pub(crate) const FAILURE_WINDOW: Duration = Duration::from_secs(60);
/// Above this many tracked addresses, windows that have ended are dropped.
const MAX_TRACKED_ADDRESSES: usize = 4096;

/// The origins of the desktop shell's web view (Linux/macOS, and Windows/Android).
const DESKTOP_ORIGINS: &[&str] = &[
    "tauri://localhost",
    "http://tauri.localhost",
    "https://tauri.localhost",
];

/// The names this server answers to, besides IP literals and `localhost`.
#[derive(Debug, Clone)]
pub(crate) struct HostPolicy {
    names: Vec<String>,
}

impl HostPolicy {
    /// The machine's host name (also as `NAME.local`, mDNS) plus `extra` names.
    pub(crate) fn new(extra: &[String]) -> HostPolicy {
        let mut names: Vec<String> = extra.iter().map(|name| normalize(name)).collect();
        let machine = normalize(&gethostname::gethostname().to_string_lossy());
        if !machine.is_empty() {
            names.push(format!("{machine}.local"));
            names.push(machine);
        }
        HostPolicy { names }
    }

    /// Whether `host` (a `Host` header value, with or without a port) names this server.
    /// IP literals are accepted: a browser that sends one connected to that address itself,
    /// so no rebinding of a name is involved.
    pub(crate) fn allows(&self, host: &str) -> bool {
        let name = normalize(strip_port(host));
        name.parse::<IpAddr>().is_ok()
            || name == "localhost"
            || name.ends_with(".localhost")
            || self.names.contains(&name)
    }
}

fn normalize(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// `host:port` → `host`, `[::1]:port` → `::1`.
fn strip_port(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match host.rsplit_once(':') {
        // One colon: a port. More: an unbracketed IPv6 literal, which has none.
        Some((name, port)) if !name.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            name
        }
        _ => host,
    }
}

/// `scheme://authority` → `authority`.
fn origin_authority(origin: &str) -> Option<&str> {
    origin.split_once("://").map(|(_, authority)| authority)
}

fn refused(detail: &str) -> Response {
    problem_response(StatusCode::FORBIDDEN, detail.to_owned(), vec![])
}

pub(crate) async fn guard_host_and_origin(
    State(policy): State<Arc<HostPolicy>>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .or_else(|| {
            request
                .uri()
                .authority()
                .map(|authority| authority.as_str())
        });
    // No host at all: not a browser (browsers always send one), so no rebinding is possible.
    if let Some(host) = host
        && !policy.allows(host)
    {
        return refused("this server does not answer to this host name (Host header)");
    }
    if let Some(origin) = request.headers().get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let same_origin = host.is_some_and(|host| {
            origin_authority(origin).is_some_and(|authority| authority.eq_ignore_ascii_case(host))
        });
        if !same_origin && !DESKTOP_ORIGINS.contains(&origin) {
            return refused("cross-origin requests are refused (Origin header)");
        }
    }
    next.run(request).await
}

/// Cross-origin reads are allowed to the desktop shell's web view only; the server's own
/// UI is same-origin and needs no CORS.
pub(crate) fn cors() -> CorsLayer {
    let origins = DESKTOP_ORIGINS
        .iter()
        .map(|origin| HeaderValue::from_static(origin));
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("gcms-signature"),
        ])
}

/// Counts wrong tokens per address in fixed windows.
#[derive(Default)]
pub(crate) struct FailureLimiter {
    windows: Mutex<HashMap<IpAddr, Window>>,
}

#[derive(Clone, Copy)]
struct Window {
    started: Instant,
    failures: u32,
}

impl FailureLimiter {
    /// How long `address` must wait before it may present a token again, if it must.
    pub(crate) fn retry_after(&self, address: IpAddr, now: Instant) -> Option<Duration> {
        let windows = self
            .windows
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let window = windows.get(&address)?;
        let ends = window.started + FAILURE_WINDOW;
        (window.failures >= MAX_FAILURES && now < ends).then(|| ends - now)
    }

    pub(crate) fn record_failure(&self, address: IpAddr, now: Instant) {
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if windows.len() >= MAX_TRACKED_ADDRESSES {
            windows.retain(|_, window| now < window.started + FAILURE_WINDOW);
        }
        let window = windows.entry(address).or_insert(Window {
            started: now,
            failures: 0,
        });
        if now >= window.started + FAILURE_WINDOW {
            *window = Window {
                started: now,
                failures: 0,
            };
        }
        window.failures += 1;
    }

    pub(crate) fn record_success(&self, address: IpAddr) {
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        windows.remove(&address);
    }
}

#[derive(Clone)]
pub(crate) struct AuthState {
    pub(crate) app: App,
    pub(crate) require_token: bool,
    pub(crate) limiter: Arc<FailureLimiter>,
}

/// Whether a request needs a device token when tokens are required.
fn needs_token(method: &Method, path: &str) -> bool {
    let is_api = path == "/api" || path.starts_with("/api/");
    let is_health = path == "/api/health" && (method == Method::GET || method == Method::HEAD);
    // The webhook authenticates by its own signature (SPEC §7).
    let is_webhook = path == "/api/sync/hygraph" && method == Method::POST;
    is_api
        && !is_health
        && !is_webhook
        && !is_pairing_claim(method, path)
        && !is_share_read(method, path)
}

/// The route of the phone's read (SPEC §17); the handler checks the token in the path.
pub(crate) const SHARE_READ_PATH: &str = "/api/share/{token}";

/// `GET /api/share/{token}` and the GLB stored for it, `GET /api/share/{token}/model.glb`
/// (storing that GLB is a sales screen's write and needs a device token).
fn is_share_read(method: &Method, path: &str) -> bool {
    let read = method == Method::GET || method == Method::HEAD;
    read && (permissions::template_matches("/api/share/{}", path)
        || permissions::template_matches("/api/share/{}/model.glb", path))
}

/// The assets a shared design draws, which a phone fetches with `?share=` and no device
/// token: a module's model and a catalog texture.
fn is_share_asset(method: &Method, path: &str) -> bool {
    let read = method == Method::GET || method == Method::HEAD;
    read && (permissions::template_matches("/api/modules/{}/model", path)
        || permissions::template_matches("/api/media/{}", path))
}

/// A tablet claims its token with a pairing code instead of a token (SPEC §13).
fn is_pairing_claim(method: &Method, path: &str) -> bool {
    path == PAIRING_CLAIM_PATH && method == Method::POST
}

pub(crate) const PAIRING_CLAIM_PATH: &str = "/api/pairing/claim";

fn bearer_token(request: &Request) -> Option<&str> {
    let value = request
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// `GET /api/events`, which a browser's `EventSource` opens without headers.
fn is_event_stream(request: &Request) -> bool {
    request.method() == Method::GET && request.uri().path() == "/api/events"
}

/// The `token` query parameter: a short-lived events token (`App::events_token`), never a
/// device token, so device tokens stay out of URLs and logs.
fn query_token(request: &Request) -> Option<&str> {
    query_parameter(request, "token")
}

/// The first `name=value` of the query; tokens use only characters that need no decoding.
fn query_parameter<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.uri().query()?.split('&').find_map(|pair| {
        pair.split_once('=')
            .and_then(|(key, value)| (key == name).then_some(value))
    })
}

fn unauthorized(error: AppError) -> Response {
    let mut response = ApiError(error).into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"paform\""),
    );
    response
}

fn client_address(request: &Request) -> IpAddr {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip())
}

fn too_many_failures(wait: Duration) -> Response {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let detail = format!(
        "too many wrong device tokens or pairing codes from this address; retry in {seconds} s"
    );
    let mut response = problem_response(StatusCode::TOO_MANY_REQUESTS, detail, vec![]);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

fn forbidden_for_role(role: &str, permission: Permission, method: &Method, path: &str) -> Response {
    let detail = format!(
        "this device token has the role `{role}`, which may not {method} {path}: that needs \
         the `{}` permission; ask an admin for a token with a role that has it",
        permission.name()
    );
    refused(&detail)
}

pub(crate) async fn require_device_token(
    State(state): State<AuthState>,
    mut request: Request,
    next: Next,
) -> Response {
    let now = Instant::now();
    if is_pairing_claim(request.method(), request.uri().path()) {
        return claim_with_limiter(&state, request, next, now).await;
    }
    if !state.require_token || !needs_token(request.method(), request.uri().path()) {
        return next.run(request).await;
    }
    let address = client_address(&request);
    if let Some(wait) = state.limiter.retry_after(address, now) {
        return too_many_failures(wait);
    }
    if is_event_stream(&request)
        && let Some(token) = query_token(&request)
        && state.app.check_events_token(token)
    {
        return next.run(request).await;
    }
    // A phone drawing a shared design has a share token, never a device token. Its token is
    // 256 bits of HMAC, so wrong ones are not counted by the limiter: nothing is guessed.
    if bearer_token(&request).is_none()
        && is_share_asset(request.method(), request.uri().path())
        && let Some(share) = query_parameter(&request, "share")
    {
        return match state.app.share_covers_asset(share, request.uri().path()) {
            Ok(()) => next.run(request).await,
            Err(error @ AppError::Unauthorized(_)) => unauthorized(error),
            Err(other) => ApiError(other).into_response(),
        };
    }
    let Some(token) = bearer_token(&request) else {
        let detail = "this request needs a device token: send `Authorization: Bearer <token>` \
            (create one with `paform token create --name NAME` or in the desktop app)";
        return unauthorized(AppError::Unauthorized(detail.into()));
    };
    let token = match state.app.authenticate_device_token(token).await {
        Ok(token) => token,
        Err(error @ AppError::Unauthorized(_)) => {
            state.limiter.record_failure(address, now);
            return unauthorized(error);
        }
        Err(other) => return ApiError(other).into_response(),
    };
    state.limiter.record_success(address);
    let needed = permissions::required(request.method(), request.uri().path());
    let granted =
        paform_app::Role::parse(&token.role).is_some_and(|role| permissions::grants(role, needed));
    if !granted {
        return forbidden_for_role(&token.role, needed, request.method(), request.uri().path());
    }
    // The device is the actor of what it does when no operator is named (a scan, SPEC §17).
    request.extensions_mut().insert(token);
    next.run(request).await
}

/// Claims are refused while the address is being slowed down; a claim that names no live
/// code (400, 404 or 410) counts as a failure, a successful one clears the address.
async fn claim_with_limiter(
    state: &AuthState,
    request: Request,
    next: Next,
    now: Instant,
) -> Response {
    let address = client_address(&request);
    if let Some(wait) = state.limiter.retry_after(address, now) {
        return too_many_failures(wait);
    }
    let response = next.run(request).await;
    match response.status() {
        status if status.is_success() => state.limiter.record_success(address),
        StatusCode::NOT_FOUND | StatusCode::GONE | StatusCode::UNPROCESSABLE_ENTITY => {
            state.limiter.record_failure(address, now);
        }
        _ => {}
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> HostPolicy {
        HostPolicy {
            names: vec![
                "showroom".into(),
                "showroom.local".into(),
                "paform.shop".into(),
            ],
        }
    }

    #[test]
    fn hosts_of_this_machine_are_allowed_and_others_are_not() {
        let policy = policy();
        for host in [
            "localhost",
            "localhost:8000",
            "LOCALHOST",
            "127.0.0.1:8000",
            "192.168.1.20",
            "[::1]:8000",
            "[::1]",
            "::1",
            "tauri.localhost",
            "showroom:8000",
            "Showroom.local.",
            "paform.shop",
        ] {
            assert!(policy.allows(host), "{host} should be allowed");
        }
        for host in [
            "evil.example",
            "evil.example:8000",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "showroom.evil.example",
            "",
        ] {
            assert!(!policy.allows(host), "{host} should be refused");
        }
    }

    #[test]
    fn only_api_paths_other_than_health_and_the_webhook_need_a_token() {
        let check = |method: Method, path: &str, expected: bool| {
            assert_eq!(needs_token(&method, path), expected, "{method} {path}");
        };
        check(Method::GET, "/api/materials", true);
        check(Method::GET, "/api", true);
        check(Method::GET, "/api/openapi.json", true);
        check(Method::POST, "/api/health", true);
        check(Method::GET, "/api/sync/hygraph", true);
        check(Method::GET, "/api/sync/hygraph/deliveries", true);
        check(Method::GET, "/api/health", false);
        check(Method::POST, "/api/sync/hygraph", false);
        check(Method::GET, "/", false);
        check(Method::GET, "/configurator/", false);
        check(Method::GET, "/apidocs", false);
        check(Method::POST, "/api/pairing/claim", false);
        check(Method::GET, "/api/pairing/claim", true);
        check(Method::POST, "/api/pairing", true);
        check(Method::GET, "/api/share/d.x.1.ab", false);
        check(Method::HEAD, "/api/share/d.x.1.ab", false);
        check(Method::POST, "/api/share/d.x.1.ab", true);
        check(Method::GET, "/api/share", true);
        check(Method::GET, "/api/share/", true);
        check(Method::GET, "/api/share/d.x.1.ab/more", true);
        check(Method::GET, "/api/share/d.x.1.ab/model.glb", false);
        check(Method::PUT, "/api/share/d.x.1.ab/model.glb", true);
        check(Method::POST, "/api/designs/d1/share", true);
    }

    #[test]
    fn an_address_is_slowed_down_after_too_many_failures_until_its_window_ends() {
        let limiter = FailureLimiter::default();
        let address: IpAddr = "192.168.1.7".parse().unwrap();
        let other: IpAddr = "192.168.1.8".parse().unwrap();
        let start = Instant::now();
        for _ in 0..MAX_FAILURES - 1 {
            limiter.record_failure(address, start);
        }
        assert_eq!(limiter.retry_after(address, start), None);
        limiter.record_failure(address, start);
        let wait = limiter.retry_after(address, start + Duration::from_secs(10));
        assert_eq!(wait, Some(Duration::from_secs(50)));
        assert_eq!(limiter.retry_after(other, start), None);
        assert_eq!(limiter.retry_after(address, start + FAILURE_WINDOW), None);
        // A new window starts from zero.
        limiter.record_failure(address, start + FAILURE_WINDOW);
        assert_eq!(limiter.retry_after(address, start + FAILURE_WINDOW), None);
        limiter.record_success(address);
        assert_eq!(limiter.retry_after(address, start + FAILURE_WINDOW), None);
    }
}
