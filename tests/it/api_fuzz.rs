//! Schemathesis-style fuzzing of the OpenAPI document: for every operation it documents, the
//! real server gets bodies and parameters generated from the operation's own schemas, with
//! boundary values mixed in (5e-324, 1e308, negative counts, huge integers, empty and very
//! long strings, unknown enum values) and plain garbage. No answer may be a 5xx, and every
//! error must be a problem document. Fixed seed: a failure reproduces.

use serde_json::{Map, Value, json};

use crate::support::spawn_seeded_app;

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

#[tokio::test]
async fn no_documented_operation_answers_5xx_to_generated_or_garbage_input() {
    let app = spawn_seeded_app().await;
    let document: Value =
        serde_json::from_str(&paform_http::openapi_json()).expect("the document is JSON");
    let known_id = app.get("/api/modules?limit=1").await.body["items"][0]["id"].clone();
    let mut cases = Cases(0x005e_ed0f_fa12);
    let mut checked = 0;
    for (path, operations) in document["paths"].as_object().expect("paths") {
        for (method, operation) in operations.as_object().expect("operations") {
            // The webhook needs a signature and the export files a signed link; both refuse
            // before reading input and are covered by their own tests. The event stream never
            // ends, so it cannot be read whole; `api_floor` tests it.
            if path.contains("sync/hygraph") && method == "post"
                || path.contains("/files/")
                || path == "/api/events"
            {
                continue;
            }
            for round in 0..25 {
                let id = if round % 2 == 0 {
                    known_id.as_str().unwrap_or("x").to_owned()
                } else {
                    cases
                        .pick(&["x", "%20", "01a22a67-ffce-7312-add1-7b41f82b9fa1"])
                        .to_string()
                };
                let mut url = path
                    .replace("{id}", &id)
                    .replace("{export_id}", &id)
                    .replace("{file}", "a.csv");
                let mut query = Vec::new();
                for parameter in operation["parameters"].as_array().into_iter().flatten() {
                    if parameter["in"] == "query" && !cases.chance(3) {
                        let value = generate(&document, &parameter["schema"], &mut cases, 0);
                        let text = match value {
                            Value::String(text) => text,
                            other => other.to_string(),
                        };
                        let name = parameter["name"].as_str().unwrap_or("q");
                        query.push(format!("{name}={}", urlencode(&text)));
                    }
                }
                if !query.is_empty() {
                    url = format!("{url}?{}", query.join("&"));
                }
                let body = match operation["requestBody"]["content"]["application/json"]["schema"]
                    .clone()
                {
                    Value::Null => None,
                    schema if round % 5 == 4 => Some(
                        cases
                            .pick(&["", "{", "[]", "null", "{\"items\": 5}"])
                            .to_string()
                            .into_bytes(),
                    )
                    .filter(|_| !schema.is_null()),
                    schema => Some(
                        generate(&document, &schema, &mut cases, 0)
                            .to_string()
                            .into_bytes(),
                    ),
                };
                let request = match method.as_str() {
                    "get" => app.client.get(app.url(&url)),
                    "post" => app.client.post(app.url(&url)),
                    "put" => app.client.put(app.url(&url)),
                    "delete" => app.client.delete(app.url(&url)),
                    other => panic!("undocumented method {other}"),
                };
                let request = match &body {
                    Some(bytes) => request
                        .header("content-type", "application/json")
                        .body(bytes.clone()),
                    None => request,
                };
                let reply = app.send(request).await;
                let sent = body.map(|bytes| {
                    String::from_utf8_lossy(&bytes)
                        .chars()
                        .take(400)
                        .collect::<String>()
                });
                assert!(
                    reply.status < 500,
                    "{method} {url} answered {} to {sent:?}: {}",
                    reply.status,
                    reply.body
                );
                if reply.status >= 400 {
                    assert!(
                        reply.content_type.starts_with("application/problem+json"),
                        "{method} {url} answered {} without a problem document",
                        reply.status
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "only {checked} requests were checked");
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
