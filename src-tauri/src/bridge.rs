//! The `api_request` contract of `ui/lib/api/tauri.ts`, translated to and from the
//! in-process requests of `paform_http::LocalClient`: JSON bodies stay JSON, other bodies
//! (asset uploads and downloads, CSV) travel as standard base64 with their content type.
//!
//! Invariant: a malformed command (bad base64) is answered like an invalid HTTP request, a
//! 422 problem naming the field in the answer, never a rejected promise.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use paform_app::AppError;
use paform_app::dto::{DesktopApiAnswer, DesktopApiRequest};
use paform_http::{LocalRequest, LocalResponse};
use serde_json::Value;

/// The in-process request for `request`, or the answer to give when it cannot be formed.
pub(crate) fn to_local(request: DesktopApiRequest) -> Result<LocalRequest, DesktopApiAnswer> {
    let (body, content_type) = match (request.body_base64, request.body) {
        (Some(encoded), _) => {
            let bytes = STANDARD.decode(encoded.as_bytes()).map_err(|_| {
                problem_answer(AppError::invalid_field(
                    "body_base64",
                    "must be standard base64",
                ))
            })?;
            let content_type = request
                .content_type
                .unwrap_or_else(|| "application/octet-stream".into());
            (Some(bytes), Some(content_type))
        }
        (None, Some(value)) if !value.is_null() => {
            let bytes = serde_json::to_vec(&value).unwrap_or_default();
            (Some(bytes), Some("application/json".to_owned()))
        }
        (None, _) => (None, None),
    };
    Ok(LocalRequest {
        method: request.method.to_ascii_uppercase(),
        path: request.path,
        query: request.query.into_iter().collect(),
        body,
        content_type,
    })
}

fn problem_answer(error: AppError) -> DesktopApiAnswer {
    let problem = paform_http::problem_of(error);
    DesktopApiAnswer {
        status: problem.status,
        body: serde_json::to_value(problem).unwrap_or(Value::Null),
        body_base64: None,
        content_type: Some("application/problem+json".into()),
    }
}

/// JSON answers become `body`; anything else becomes `body_base64`; no body is `null`.
pub(crate) fn to_answer(response: LocalResponse) -> DesktopApiAnswer {
    let is_json = response
        .content_type
        .as_deref()
        .is_some_and(|content_type| content_type.contains("json"));
    let json = (is_json && !response.body.is_empty())
        .then(|| serde_json::from_slice::<Value>(&response.body).ok())
        .flatten();
    let (body, body_base64) = match json {
        Some(value) => (value, None),
        None if response.body.is_empty() => (Value::Null, None),
        None => (Value::Null, Some(STANDARD.encode(&response.body))),
    };
    DesktopApiAnswer {
        status: response.status,
        body,
        body_base64,
        content_type: response.content_type,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;

    fn request(body: Option<Value>, body_base64: Option<&str>) -> DesktopApiRequest {
        DesktopApiRequest {
            method: "post".into(),
            path: "/api/materials".into(),
            query: BTreeMap::from([("q".to_owned(), "oak".to_owned())]),
            body,
            body_base64: body_base64.map(str::to_owned),
            content_type: body_base64.map(|_| "model/gltf-binary".to_owned()),
        }
    }

    #[test]
    fn json_bodies_are_sent_as_json_and_raw_bodies_as_bytes() {
        let local = to_local(request(Some(json!({"name": "Oak"})), None)).unwrap();
        assert_eq!(local.method, "POST");
        assert_eq!(local.query, [("q".to_owned(), "oak".to_owned())]);
        assert_eq!(local.body.as_deref(), Some(br#"{"name":"Oak"}"#.as_slice()));
        assert_eq!(local.content_type.as_deref(), Some("application/json"));

        let raw = to_local(request(Some(Value::Null), Some("Z2xURg=="))).unwrap();
        assert_eq!(raw.body.as_deref(), Some(b"glTF".as_slice()));
        assert_eq!(raw.content_type.as_deref(), Some("model/gltf-binary"));

        let none = to_local(request(Some(Value::Null), None)).unwrap();
        assert_eq!((none.body, none.content_type), (None, None));
    }

    #[test]
    fn bad_base64_is_answered_with_a_422_problem_naming_the_field() {
        let answer = to_local(request(None, Some("not base64!"))).unwrap_err();
        assert_eq!(answer.status, 422);
        assert_eq!(answer.body["errors"][0]["field"], "body_base64");
    }

    #[test]
    fn answers_carry_json_as_json_and_other_bodies_as_base64() {
        let json_answer = to_answer(LocalResponse {
            status: 404,
            content_type: Some("application/problem+json".into()),
            body: br#"{"status":404}"#.to_vec(),
        });
        assert_eq!(json_answer.body, json!({"status": 404}));
        assert_eq!(json_answer.body_base64, None);

        let csv = to_answer(LocalResponse {
            status: 200,
            content_type: Some("text/csv".into()),
            body: b"a,b\n".to_vec(),
        });
        assert_eq!(csv.body, Value::Null);
        assert_eq!(csv.body_base64.as_deref(), Some("YSxiCg=="));

        let empty = to_answer(LocalResponse {
            status: 204,
            content_type: None,
            body: Vec::new(),
        });
        assert_eq!((empty.body, empty.body_base64), (Value::Null, None));
    }
}
