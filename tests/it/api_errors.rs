//! The error conventions of SPEC §2 that hold for every endpoint.

use serde_json::json;

use crate::support::spawn_app;

#[tokio::test]
async fn health_answers_ok_with_the_version() {
    let app = spawn_app().await;
    let reply = app.get("/api/health").await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")})
    );
}

#[tokio::test]
async fn malformed_json_is_a_400_problem() {
    let app = spawn_app().await;
    for body in [
        &b"{"[..],
        b"not json",
        b"",
        b"[1,2]",
        b"{\"name\": \"x\"} trailing",
        b"\xff\xfe",
    ] {
        app.post_raw("/api/materials", "application/json", body.to_vec())
            .await
            .assert_problem(400, None);
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_415_problem() {
    let app = spawn_app().await;
    app.post_raw("/api/materials", "text/plain", b"{}".to_vec())
        .await
        .assert_problem(415, None);
}

#[tokio::test]
async fn an_oversized_body_is_a_413_problem() {
    let app = spawn_app().await;
    let huge = format!(
        "{{\"name\": \"{}\", \"cost_per_sq_ft\": \"1\"}}",
        "x".repeat(2 * 1024 * 1024)
    );
    let reply = app
        .post_raw("/api/materials", "application/json", huge.into_bytes())
        .await;
    reply.assert_problem(413, None);
}

#[tokio::test]
async fn unknown_paths_and_methods_are_problems() {
    let app = spawn_app().await;
    app.get("/api/nothing-here").await.assert_problem(404, None);
    let reply = app.send(app.client.patch(app.url("/api/materials"))).await;
    reply.assert_problem(405, None);
}

#[tokio::test]
async fn the_openapi_document_and_docs_are_served() {
    let app = spawn_app().await;
    let reply = app.get("/api/openapi.json").await;
    assert_eq!(reply.status, 200);
    assert!(reply.body["paths"]["/api/quote/generate"]["post"].is_object());
    let docs = app.client.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), 200);
    let html = docs.text().await.unwrap();
    assert!(
        html.contains("swagger"),
        "docs page is the bundled Swagger UI"
    );
}
