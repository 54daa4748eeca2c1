//! Schemathesis-style fuzzing of the OpenAPI document (SPEC §16), against real records: the
//! seeded catalog, an order taken through the funnel, an export and its part codes (`world`).
//! For every operation it documents, the real server first gets that operation's valid request
//! (every path parameter a real id, `{code}` included), then variations of it: bodies and query
//! parameters generated from the operation's own schemas with boundary values mixed in (5e-324,
//! 1e308, negative counts, huge integers, empty and very long strings, unknown enum values),
//! one field of the valid body replaced or removed, ids no record has, and plain garbage.
//! Operations that remove records come last, so nothing is removed before the operations that
//! need it have run. No answer may be a server error; every JSON answer must match the schema
//! the document gives for its status (validated with `jsonschema`), and every error must be a
//! problem document whose `type`, `title`, `status` and `detail` are filled in. Fixed seed: a
//! failure reproduces.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::support::{Reply, spawn_seeded_app};
use crate::world::{Body, Call, World, send};

/// xorshift64*: small, deterministic, good enough to pick cases.
struct Cases(u64);

impl Cases {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }

    fn chance(&mut self, one_in: u64) -> bool {
        self.next().is_multiple_of(one_in)
    }
}

fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            resolve(document, &document["components"]["schemas"][name])
        }
        None => schema,
    }
}

fn generate(document: &Value, schema: &Value, cases: &mut Cases, depth: u32) -> Value {
    let schema = resolve(document, schema);
    if depth > 6 || cases.chance(40) {
        return cases
            .pick(&[json!(null), json!("🪵"), json!(-1), json!({}), json!([])])
            .clone();
    }
    for combinator in ["oneOf", "anyOf", "allOf"] {
        if let Some(options) = schema.get(combinator).and_then(Value::as_array) {
            let option = cases.pick(options).clone();
            return generate(document, &option, cases, depth + 1);
        }
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return if cases.chance(6) {
            json!("not-a-member")
        } else {
            cases.pick(values).clone()
        };
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => cases.pick(kinds).as_str().unwrap_or("null").to_owned(),
        Value::String(kind) => kind.clone(),
        _ if schema.get("properties").is_some() => "object".to_owned(),
        _ => "any".to_owned(),
    };
    match kind.as_str() {
        "object" => {
            let mut object = Map::new();
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                let required: Vec<&str> = schema["required"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                for (name, property) in properties {
                    if required.contains(&name.as_str()) || !cases.chance(3) {
                        object.insert(name.clone(), generate(document, property, cases, depth + 1));
                    }
                }
            }
            Value::Object(object)
        }
        "array" => {
            let n = cases.next() % 4;
            (0..n)
                .map(|_| generate(document, &schema["items"], cases, depth + 1))
                .collect()
        }
        "string" => cases
            .pick(&[
                json!(""),
                json!("x"),
                json!("12.50"),
                json!("-0.01"),
                json!("1e3"),
                json!("99999999999999999999.99"),
                json!("0.1234567"),
                json!("2026-12-24"),
                json!("PF-000001"),
                json!("\u{0}\u{1f}"),
                json!("x".repeat(5000)),
                json!("Ölbaum 🪵"),
            ])
            .clone(),
        "integer" => cases
            .pick(&[
                json!(0),
                json!(1),
                json!(-1),
                json!(50),
                json!(51),
                json!(9_007_199_254_740_993_i64),
                json!(u64::MAX),
            ])
            .clone(),
        "number" => cases
            .pick(&[
                json!(5e-324),
                json!(0.0),
                json!(-600.0),
                json!(600.0),
                json!(20000.5),
                json!(1e308),
                json!(0.5),
            ])
            .clone(),
        "boolean" => json!(cases.chance(2)),
        _ => json!(null),
    }
}

/// Variations of each operation's valid request.
const ROUNDS: usize = 16;

/// The schema the document gives for `status` of `operation` and this content type, made a
/// standalone JSON Schema whose `#/components/...` references resolve in the document.
fn response_schema(
    document: &Value,
    operation: &Value,
    status: u16,
    content_type: &str,
) -> Option<Value> {
    let response = operation["responses"].get(status.to_string())?;
    let media = content_type.split(';').next().unwrap_or("").trim();
    let schema = response["content"].get(media)?.get("schema")?.clone();
    Some(json!({"allOf": [schema], "components": document["components"].clone()}))
}

/// What the run found, reported at the end.
#[derive(Default)]
struct Findings {
    n_requests: usize,
    n_validated: usize,
    failures: Vec<String>,
    /// `(method path, status)` answered but not documented for that operation.
    undocumented: std::collections::BTreeSet<String>,
}

impl Findings {
    fn check(
        &mut self,
        document: &Value,
        validators: &mut HashMap<String, jsonschema::Validator>,
        (method, path, operation): (&str, &str, &Value),
        call: &Call,
        reply: &Reply,
    ) {
        self.n_requests += 1;
        let sent = match &call.body {
            Body::Json(value) => value.to_string().chars().take(300).collect::<String>(),
            Body::Bytes { bytes, .. } => String::from_utf8_lossy(bytes).chars().take(300).collect(),
            Body::Empty => String::new(),
        };
        let what = format!(
            "{method} {} answered {} to {sent:?}",
            call.path, reply.status
        );
        let documented = operation["responses"]
            .get(reply.status.to_string())
            .is_some();
        if (reply.status >= 500 && !documented) || reply.status == 500 {
            self.failures
                .push(format!("{what}: a server error: {}", reply.body));
            return;
        }
        if !documented {
            self.undocumented
                .insert(format!("{method} {path} {}", reply.status));
        }
        if reply.status >= 400 {
            if !reply.content_type.starts_with("application/problem+json") {
                self.failures.push(format!(
                    "{what}: not a problem document ({})",
                    reply.content_type
                ));
                return;
            }
            let body = &reply.body;
            let filled = |field: &str| body[field].as_str().is_some_and(|text| !text.is_empty());
            if !(filled("type") && filled("title") && filled("detail"))
                || body["status"] != json!(reply.status)
            {
                self.failures
                    .push(format!("{what}: an incomplete problem document: {body}"));
            }
        }
        let is_json = reply.content_type.starts_with("application/json")
            || reply.content_type.starts_with("application/problem+json");
        if !is_json {
            return;
        }
        let key = format!("{method} {path} {} {}", reply.status, reply.content_type);
        if !validators.contains_key(&key) {
            let schema = response_schema(document, operation, reply.status, &reply.content_type)
                .or_else(|| {
                    // An undocumented error is still held to the problem document's schema.
                    (reply.status >= 400).then(|| {
                        json!({"allOf": [{"$ref": "#/components/schemas/Problem"}],
                               "components": document["components"].clone()})
                    })
                });
            let Some(schema) = schema else {
                self.failures.push(format!(
                    "{what}: no schema documented for {}",
                    reply.content_type
                ));
                return;
            };
            let validator = jsonschema::validator_for(&schema)
                .unwrap_or_else(|error| panic!("{key}: the documented schema compiles: {error}"));
            validators.insert(key.clone(), validator);
        }
        let validator = &validators[&key];
        let errors: Vec<String> = validator
            .iter_errors(&reply.body)
            .take(3)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect();
        self.n_validated += 1;
        if !errors.is_empty() {
            let body: String = reply.body.to_string().chars().take(400).collect();
            self.failures.push(format!(
                "{what}: the body does not match its documented schema: {errors:?} in {body}"
            ));
        }
    }
}

/// A variation of the valid request `valid` of `operation`.
fn vary(document: &Value, operation: &Value, valid: &Call, cases: &mut Cases) -> Call {
    let mut call = valid.clone();
    match cases.next() % 6 {
        // A body generated from the operation's schema.
        0 | 1 => {
            if let Some(schema) =
                operation["requestBody"]["content"]["application/json"].get("schema")
            {
                call.body = Body::Json(generate(document, schema, cases, 0));
            }
        }
        // One field of the valid body replaced by a generated value, or removed.
        2 => {
            if let Body::Json(Value::Object(body)) = &mut call.body
                && !body.is_empty()
            {
                let keys: Vec<String> = body.keys().cloned().collect();
                let key = cases.pick(&keys).clone();
                if cases.chance(3) {
                    body.remove(&key);
                } else {
                    // Past the depth limit `generate` answers one of its odd values.
                    body.insert(key, generate(document, &json!({}), cases, 7));
                }
            }
        }
        // Garbage in place of the body.
        3 => {
            if !matches!(call.body, Body::Empty) {
                let garbage = cases.pick(&["", "{", "[]", "null", "{\"items\": 5}", "\u{0}"]);
                call.body = Body::Bytes {
                    content_type: "application/json",
                    bytes: garbage.as_bytes().to_vec(),
                };
            }
        }
        // An id no record has in place of the last path parameter.
        4 => {
            let (path, query) = match call.path.split_once('?') {
                Some((path, query)) => (path.to_owned(), format!("?{query}")),
                None => (call.path.clone(), String::new()),
            };
            if let Some((head, _)) = path.rsplit_once('/')
                && operation["parameters"]
                    .as_array()
                    .is_some_and(|parameters| parameters.iter().any(|p| p["in"] == "path"))
            {
                let id = cases.pick(&[
                    "x",
                    "%20",
                    "01a22a67-ffce-7312-add1-7b41f82b9fa1",
                    "PF-999999-99-Z",
                ]);
                call.path = format!("{head}/{id}{query}");
            }
        }
        // Query parameters generated from their schemas.
        _ => {
            let base = call.path.split('?').next().unwrap_or("").to_owned();
            let mut query = Vec::new();
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                if parameter["in"] == "query" && !cases.chance(3) {
                    let value = generate(document, &parameter["schema"], cases, 0);
                    let text = match value {
                        Value::String(text) => text,
                        other => other.to_string(),
                    };
                    let name = parameter["name"].as_str().unwrap_or("q");
                    query.push(format!("{name}={}", urlencode(&text)));
                }
            }
            call.path = if query.is_empty() {
                base
            } else {
                format!("{base}?{}", query.join("&"))
            };
        }
    }
    call
}

#[tokio::test]
async fn every_operation_answers_real_and_generated_requests_within_its_documented_schemas() {
    let app = spawn_seeded_app().await;
    let world = World::build(&app, None).await;
    let document: Value =
        serde_json::from_str(&paform_http::openapi_json()).expect("the document is JSON");
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            operations.push((method.clone(), path.clone(), operation.clone()));
        }
    }
    // Whatever removes a record runs after everything that reads or changes one.
    operations.sort_by_key(|(method, path, _)| (method == "delete", path.clone(), method.clone()));
    let mut cases = Cases(0x005e_ed0f_fa12);
    let mut validators = HashMap::new();
    let mut findings = Findings::default();
    let mut reached = Vec::new();
    for (method, path, operation) in &operations {
        for round in 0..ROUNDS {
            let Some(valid) = world.call(&app, method, path).await else {
                findings
                    .failures
                    .push(format!("{method} {path}: no valid request is known"));
                break;
            };
            let call = if round == 0 {
                valid
            } else {
                vary(&document, operation, &valid, &mut cases)
            };
            let reply = send(&app, None, &call).await;
            if round == 0 && (200..300).contains(&reply.status) {
                reached.push(format!("{method} {path}"));
            }
            findings.check(
                &document,
                &mut validators,
                (method.as_str(), path.as_str(), operation),
                &call,
                &reply,
            );
        }
    }
    if !findings.undocumented.is_empty() {
        eprintln!(
            "api_fuzz: {} answers with a status the document does not list (#20): {:?}",
            findings.undocumented.len(),
            findings.undocumented
        );
    }
    assert!(
        findings.failures.is_empty(),
        "{} of {} requests failed:\n{}",
        findings.failures.len(),
        findings.n_requests,
        findings.failures.join("\n")
    );
    // The funnel's operations were reached with real records, not only refused.
    for operation in [
        "post /api/quote/generate",
        "post /api/quotes/{id}/accept",
        "post /api/v1/exports/cnc",
        "post /api/parts/{code}/scan",
        "post /api/payments/{id}/transactions",
    ] {
        assert!(
            reached.contains(&operation.to_owned()),
            "{operation} was never reached"
        );
    }
    assert!(
        findings.n_requests >= operations.len() * ROUNDS,
        "only {} requests",
        findings.n_requests
    );
    eprintln!(
        "api_fuzz: {} requests over {} operations, {} bodies validated against their schemas",
        findings.n_requests,
        operations.len(),
        findings.n_validated
    );
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}
