//! Extractors whose failures are problem details naming the offending field: JSON bodies
//! and query strings are deserialized through `serde_path_to_error`, so a wrong type deep
//! in a body is reported as `items[2].quantity: invalid type …`.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use paform_app::dto::FieldError;
use serde::de::DeserializeOwned;

use crate::problem::problem_response;

/// A JSON body, deserialized with field paths in its errors.
pub(crate) struct ApiJson<T>(pub(crate) T);

pub(crate) struct Rejection(Response);

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        self.0
    }
}

fn bad_request(detail: String, field: Option<String>) -> Rejection {
    let errors = field
        .map(|field| {
            vec![FieldError {
                field,
                message: detail.clone(),
            }]
        })
        .unwrap_or_default();
    Rejection(problem_response(StatusCode::BAD_REQUEST, detail, errors))
}

pub(crate) fn body_rejection(rejection: BytesRejection) -> Rejection {
    let status = rejection.status();
    let detail = if status == StatusCode::PAYLOAD_TOO_LARGE {
        "the request body is larger than this endpoint accepts".to_owned()
    } else {
        format!(
            "the request body could not be read: {}",
            rejection.body_text()
        )
    };
    Rejection(problem_response(status, detail, vec![]))
}

/// Turns a serde error with its path into a problem naming the field.
fn deserialize_error<E: std::fmt::Display>(
    what: &str,
    error: serde_path_to_error::Error<E>,
) -> Rejection {
    let path = error.path().to_string();
    let inner = error.inner().to_string();
    // serde_json appends " at line L column C"; the field path already says where.
    let inner = inner.split(" at line ").next().unwrap_or(&inner).to_owned();
    if path == "." || path.is_empty() {
        bad_request(format!("{what}: {inner}"), None)
    } else {
        bad_request(format!("{path}: {inner}"), Some(path))
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Rejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| {
                let mime = value
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            });
        if !is_json {
            let detail = "the request body must be JSON (Content-Type: application/json)";
            return Err(Rejection(problem_response(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                detail.into(),
                vec![],
            )));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(body_rejection)?;
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|error| deserialize_error("the request body is not valid", error))?;
        deserializer.end().map_err(|_| {
            bad_request(
                "the request body has data after the JSON value".into(),
                None,
            )
        })?;
        Ok(ApiJson(value))
    }
}

/// A query string, deserialized with field names in its errors.
pub(crate) struct ApiQuery<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        let value = serde_path_to_error::deserialize(deserializer)
            .map_err(|error| deserialize_error("the query string is not valid", error))?;
        Ok(ApiQuery(value))
    }
}
