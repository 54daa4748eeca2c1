//! The committed OpenAPI document (`ui/lib/api/openapi.json`, from which the UI's types are
//! generated) must equal what the code produces. Set `PAFORM_UPDATE_OPENAPI=1` to rewrite it.
//! The document also states the whole contract (SPEC §16): the answers of the edges on every
//! operation, and links from creates to what they created.

#[test]
fn the_committed_openapi_document_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/lib/api/openapi.json");
    let current = paform_http::openapi_json() + "\n";
    if std::env::var_os("PAFORM_UPDATE_OPENAPI").is_some() {
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("folder is writable");
        std::fs::write(&path, &current).expect("file is writable");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == current,
        "ui/lib/api/openapi.json is out of date: run `PAFORM_UPDATE_OPENAPI=1 cargo test --test it openapi` \
         and then `npm run gen:api` in ui/"
    );
}

fn document() -> serde_json::Value {
    serde_json::from_str(&paform_http::openapi_json()).expect("the document is JSON")
}

/// SPEC §16: every operation lists the answers of the edges it passes through, and every error
/// answer is a problem document.
#[test]
fn every_operation_declares_its_edge_answers_as_problem_documents() {
    let document = document();
    let public = [
        ("get", "/api/health"),
        ("post", "/api/sync/hygraph"),
        ("post", "/api/pairing/claim"),
    ];
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            let responses = operation["responses"].as_object().expect("responses");
            let mut wanted = Vec::new();
            if !public.contains(&(method.as_str(), path.as_str())) {
                wanted.extend(["401", "403"]);
            }
            if path.contains('{') {
                wanted.push("404");
            }
            if method != "get" {
                wanted.push("507");
            }
            if operation["requestBody"]["content"]
                .get("application/json")
                .is_some()
            {
                wanted.extend(["400", "413", "415"]);
            }
            for status in wanted {
                assert!(
                    responses.contains_key(status),
                    "{method} {path} does not declare {status}"
                );
            }
            for (status, response) in responses {
                if status.as_str() >= "400" && path != "/api/health" {
                    let content = response["content"].as_object().expect("content");
                    assert_eq!(
                        content.keys().collect::<Vec<_>>(),
                        ["application/problem+json"],
                        "{method} {path} {status}"
                    );
                }
            }
        }
    }
}

/// SPEC §16: what a create returns feeds the get, update, delete and sub-resources of what it
/// created, so a stateful fuzzer reaches real records.
#[test]
fn creates_link_to_the_operations_on_what_they_created() {
    let document = document();
    let links = |method: &str, path: &str, status: &str| -> Vec<String> {
        document["paths"][path][method]["responses"][status]["links"]
            .as_object()
            .map(|links| links.keys().cloned().collect())
            .unwrap_or_default()
    };
    let operation_id = |method: &str, path: &str| {
        document["paths"][path][method]["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path} has an operationId"))
            .to_owned()
    };
    for (create, status, targets) in [
        (
            ("post", "/api/modules"),
            "201",
            vec![
                ("get", "/api/modules/{id}"),
                ("put", "/api/modules/{id}"),
                ("delete", "/api/modules/{id}"),
                ("put", "/api/modules/{id}/model"),
            ],
        ),
        (
            ("post", "/api/quotes/{id}/accept"),
            "201",
            vec![
                ("get", "/api/orders/{id}"),
                ("post", "/api/orders/{id}/transitions"),
                ("post", "/api/orders/{id}/payments"),
            ],
        ),
        (
            ("post", "/api/v1/exports/cnc"),
            "201",
            vec![("post", "/api/v1/exports/{id}/cut")],
        ),
    ] {
        let declared = links(create.0, create.1, status);
        for (method, path) in targets {
            let target = operation_id(method, path);
            assert!(
                declared.contains(&target),
                "{} {} does not link to {method} {path}: {declared:?}",
                create.0,
                create.1
            );
        }
    }
}
