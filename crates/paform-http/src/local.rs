//! In-process requests: the desktop shell sends the UI's API calls through the very router
//! `paform serve` uses (`tower::ServiceExt::oneshot`), without a socket, so every behaviour
//! of the API (validation, status codes, problem details) has exactly one implementation.
//!
//! The shell sees only plain values (`LocalRequest`, `LocalResponse`); it never names axum
//! or tower. Requests carry no `Host`, `Origin` or token: the local user's own process is
//! trusted, and the router is built without `require_token`.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use paform_app::App;
use tower::ServiceExt;

use crate::ServerOptions;
use crate::problem::problem_response;

/// One API call: method, path (`/api/…`), query pairs and an optional body.
#[derive(Debug, Clone, Default)]
pub struct LocalRequest {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    pub content_type: Option<String>,
}

/// The router's answer: status, content type and the whole body.
#[derive(Debug, Clone)]
pub struct LocalResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// The API router, ready to answer in-process requests. Cheap to clone.
#[derive(Clone)]
pub struct LocalClient {
    router: Router,
}

impl LocalClient {
    pub fn new(app: App, options: &ServerOptions) -> LocalClient {
        LocalClient {
            router: crate::router(app, options),
        }
    }

    /// Answers `request` as the HTTP server would; a request that cannot even be formed (a
    /// bad method or path) is answered with a 400 problem, like a malformed HTTP request.
    pub async fn send(&self, request: LocalRequest) -> LocalResponse {
        let response = match build(request) {
            Ok(request) => match self.router.clone().oneshot(request).await {
                Ok(response) => response,
                Err(infallible) => match infallible {},
            },
            Err(detail) => problem_response(StatusCode::BAD_REQUEST, detail, vec![]),
        };
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        // The router already bounds what it produces (exports, assets); read it whole.
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .map(|bytes| bytes.to_vec())
            .unwrap_or_default();
        LocalResponse {
            status,
            content_type,
            body,
        }
    }
}

fn build(request: LocalRequest) -> Result<Request<Body>, String> {
    let method = Method::from_bytes(request.method.as_bytes())
        .map_err(|_| format!("{:?} is not an HTTP method", request.method))?;
    if !request.path.starts_with('/') || request.path.contains(['?', '#']) {
        return Err(format!(
            "path: {:?} must be an absolute path without query (use `query`)",
            request.path
        ));
    }
    let mut uri = request.path;
    if !request.query.is_empty() {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (key, value) in &request.query {
            query.append_pair(key, value);
        }
        uri = format!("{uri}?{}", query.finish());
    }
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(content_type) = &request.content_type {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    let body = request.body.map(Body::from).unwrap_or_else(Body::empty);
    builder
        .body(body)
        .map_err(|error| format!("the request cannot be formed: {error}"))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    async fn client() -> LocalClient {
        let app = App::in_memory(Arc::new(paform_app::SystemClock), true)
            .await
            .expect("an in-memory app opens");
        LocalClient::new(app, &ServerOptions::default())
    }

    fn json(response: &LocalResponse) -> serde_json::Value {
        serde_json::from_slice(&response.body).expect("a JSON body")
    }

    #[tokio::test]
    async fn a_local_request_is_answered_by_the_same_routes_as_http() {
        let client = client().await;
        let listed = client
            .send(LocalRequest {
                method: "GET".into(),
                path: "/api/materials".into(),
                query: vec![("limit".into(), "1".into())],
                ..LocalRequest::default()
            })
            .await;
        assert_eq!(listed.status, 200);
        assert_eq!(json(&listed)["items"].as_array().unwrap().len(), 1);

        let invalid = client
            .send(LocalRequest {
                method: "POST".into(),
                path: "/api/materials".into(),
                body: Some(br#"{"name":"","cost_per_sq_ft":"x"}"#.to_vec()),
                content_type: Some("application/json".into()),
                ..LocalRequest::default()
            })
            .await;
        assert_eq!(invalid.status, 422);
        assert_eq!(
            invalid.content_type.as_deref(),
            Some("application/problem+json")
        );
    }

    #[tokio::test]
    async fn requests_that_cannot_be_formed_are_400_problems() {
        let client = client().await;
        for (method, path) in [
            ("GE T", "/api/health"),
            ("GET", "api/health"),
            ("GET", "/api/x?y=1"),
        ] {
            let response = client
                .send(LocalRequest {
                    method: method.into(),
                    path: path.into(),
                    ..LocalRequest::default()
                })
                .await;
            assert_eq!(response.status, 400, "{method} {path}");
            assert!(json(&response)["detail"].is_string());
        }
    }
}
