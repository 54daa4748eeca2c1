//! Customers (SPEC §11): create, read, update, validation naming every field, and search by
//! name, email or phone.

use serde_json::json;

use crate::support::spawn_app;

#[tokio::test]
async fn a_customer_is_created_read_and_updated() {
    let app = spawn_app().await;
    let created = app
        .post(
            "/api/customers",
            &json!({"name": "  Ada Lovelace ", "email": "ada@example.com", "phone": "+44 20 7946 0000",
                "address": "12 St James's Square\nLondon", "notes": "prefers oak"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(created.body["name"], "Ada Lovelace");
    assert_eq!(created.body["address"], "12 St James's Square\nLondon");

    let read = app.get(&format!("/api/customers/{id}")).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body, created.body);

    let updated = app
        .put(
            &format!("/api/customers/{id}"),
            &json!({"name": "Ada King", "email": "", "phone": null}),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.body);
    assert_eq!(updated.body["name"], "Ada King");
    assert_eq!(updated.body["email"], serde_json::Value::Null);
    assert_eq!(updated.body["created_at"], created.body["created_at"]);

    app.get("/api/customers/nope")
        .await
        .assert_problem(404, None);
    app.put("/api/customers/nope", &json!({"name": "X"}))
        .await
        .assert_problem(404, None);
}

#[tokio::test]
async fn an_invalid_customer_is_422_naming_every_field() {
    let app = spawn_app().await;
    let reply = app
        .post(
            "/api/customers",
            &json!({"name": "  ", "email": "not-an-email", "phone": "call me"}),
        )
        .await;
    reply.assert_problem(422, Some("name"));
    reply.assert_problem(422, Some("email"));
    reply.assert_problem(422, Some("phone"));
    app.post("/api/customers", &json!({"email": "a@b.co"}))
        .await
        .assert_problem(400, None);
    let listed = app.get("/api/customers").await;
    assert_eq!(listed.body["total"], 0);
}

#[tokio::test]
async fn customers_are_searched_by_name_email_or_phone_and_paged() {
    let app = spawn_app().await;
    for (name, email, phone) in [
        ("Grace Hopper", "grace@navy.mil", "+1 202 555 0101"),
        ("Alan Turing", "alan@bletchley.uk", "01908 640404"),
        ("Katherine Johnson", "kj@nasa.gov", "+1 757 555 0199"),
    ] {
        let reply = app
            .post(
                "/api/customers",
                &json!({"name": name, "email": email, "phone": phone}),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.body);
    }
    let names = |reply: &crate::support::Reply| -> Vec<String> {
        reply.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        names(&app.get("/api/customers?q=hopper").await),
        ["Grace Hopper"]
    );
    assert_eq!(
        names(&app.get("/api/customers?q=NASA.gov").await),
        ["Katherine Johnson"]
    );
    // Phone digits match whatever the spacing.
    assert_eq!(
        names(&app.get("/api/customers?q=640404").await),
        ["Alan Turing"]
    );
    assert_eq!(
        names(&app.get("/api/customers?q=%2B1%20757").await),
        ["Katherine Johnson"]
    );
    let page = app.get("/api/customers?limit=2&offset=1").await;
    assert_eq!(page.body["total"], 3);
    assert_eq!(names(&page), ["Alan Turing", "Katherine Johnson"]);
    app.get("/api/customers?limit=0")
        .await
        .assert_problem(422, Some("limit"));
}
