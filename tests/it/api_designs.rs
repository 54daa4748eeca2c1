//! Saved designs (SPEC §11): versions under optimistic concurrency, old versions readable,
//! listing by customer, pricing into a quote that records the design, and the snapshot.

use serde_json::{Value, json};

use crate::support::{TestApp, spawn_app};

struct Catalog {
    base: String,
    wall: String,
    walnut: String,
}

async fn catalog(app: &TestApp) -> Catalog {
    let oak = app.material("Oak", "4.50", Some(18.0)).await;
    let walnut = app.material("Walnut", "9.99", Some(18.0)).await;
    Catalog {
        base: app
            .module("Base 600", [600.0, 720.0, 560.0], "120.00", &oak)
            .await,
        wall: app
            .module("Wall 400", [400.0, 700.0, 320.0], "80.00", &oak)
            .await,
        walnut,
    }
}

async fn customer(app: &TestApp, name: &str) -> String {
    let reply = app
        .post(
            "/api/customers",
            &json!({"name": name, "email": "buyer@example.com", "phone": "+1 555 0100"}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

fn id(reply: &Value) -> String {
    reply["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_design_keeps_every_version_and_refuses_a_stale_write() {
    let app = spawn_app().await;
    let catalog = catalog(&app).await;
    let items_v1 = json!([
        {"module_id": catalog.wall, "material_id": null, "quantity": 2, "options": null},
        {"module_id": catalog.base, "material_id": catalog.walnut, "quantity": 1,
         "options": {"handle": "bar", "hinge": "left"}},
    ]);
    let created = app
        .post(
            "/api/designs",
            &json!({"name": "Kitchen", "items": items_v1}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["version"], 1);
    assert_eq!(
        created.body["items"], items_v1,
        "items come back exactly, in order"
    );
    let design = id(&created.body);

    let items_v2 = json!([{"module_id": catalog.base, "quantity": 3}]);
    let updated = app
        .put(
            &format!("/api/designs/{design}"),
            &json!({"name": "Kitchen, smaller", "items": items_v2, "expected_version": 1}),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.body);
    assert_eq!(updated.body["version"], 2);

    let stale = app
        .put(
            &format!("/api/designs/{design}"),
            &json!({"name": "Lost edit", "items": items_v1, "expected_version": 1}),
        )
        .await;
    stale.assert_problem(409, None);
    app.put(
        &format!("/api/designs/{design}"),
        &json!({"name": "No version", "items": items_v1}),
    )
    .await
    .assert_problem(422, Some("expected_version"));

    let current = app.get(&format!("/api/designs/{design}")).await;
    assert_eq!(current.body["version"], 2);
    assert_eq!(current.body["name"], "Kitchen, smaller");
    let first = app.get(&format!("/api/designs/{design}?version=1")).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body["name"], "Kitchen");
    assert_eq!(first.body["items"], items_v1);
    app.get(&format!("/api/designs/{design}?version=3"))
        .await
        .assert_problem(404, None);

    let versions = app.get(&format!("/api/designs/{design}/versions")).await;
    let listed: Vec<u64> = versions
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_u64().unwrap())
        .collect();
    assert_eq!(listed, [1, 2]);
}

#[tokio::test]
async fn an_invalid_design_is_422_naming_each_item() {
    let app = spawn_app().await;
    let catalog = catalog(&app).await;
    let reply = app
        .post(
            "/api/designs",
            &json!({"name": "", "customer_id": "nobody", "items": [
                {"module_id": catalog.base, "quantity": 0},
                {"module_id": "missing", "quantity": 1},
                {"module_id": catalog.base, "material_id": "missing", "quantity": 1},
            ]}),
        )
        .await;
    for field in [
        "name",
        "customer_id",
        "items[0].quantity",
        "items[1].module_id",
        "items[2].material_id",
    ] {
        reply.assert_problem(422, Some(field));
    }
    assert_eq!(app.get("/api/designs").await.body["total"], 0);
}

#[tokio::test]
async fn designs_are_listed_by_customer_and_name() {
    let app = spawn_app().await;
    let catalog = catalog(&app).await;
    let ada = customer(&app, "Ada").await;
    let bob = customer(&app, "Bob").await;
    for (name, owner) in [
        ("Ada kitchen", &ada),
        ("Ada utility", &ada),
        ("Bob bath", &bob),
    ] {
        let reply = app
            .post(
                "/api/designs",
                &json!({"name": name, "customer_id": owner,
                    "items": [{"module_id": catalog.base, "quantity": 1}]}),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.body);
    }
    let names = |reply: &crate::support::Reply| -> Vec<String> {
        reply.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let adas = app.get(&format!("/api/designs?customer_id={ada}")).await;
    assert_eq!(names(&adas), ["Ada utility", "Ada kitchen"], "newest first");
    let kitchen = app
        .get(&format!("/api/designs?customer_id={ada}&q=KITCHEN"))
        .await;
    assert_eq!(names(&kitchen), ["Ada kitchen"]);
    assert_eq!(app.get("/api/designs").await.body["total"], 3);
}

#[tokio::test]
async fn a_design_is_priced_into_a_quote_for_its_customer() {
    let app = spawn_app().await;
    let catalog = catalog(&app).await;
    let ada = customer(&app, "Ada Lovelace").await;
    let created = app
        .post(
            "/api/designs",
            &json!({"name": "Kitchen", "customer_id": ada, "items": [
                {"module_id": catalog.base, "quantity": 2},
                {"module_id": catalog.wall, "quantity": 1},
            ]}),
        )
        .await;
    let design = id(&created.body);
    app.put(
        &format!("/api/designs/{design}"),
        &json!({"name": "Kitchen", "customer_id": ada, "expected_version": 1, "items": [
            {"module_id": catalog.base, "quantity": 2},
            {"module_id": catalog.wall, "quantity": 3},
        ]}),
    )
    .await;
    let quote = app
        .post(&format!("/api/designs/{design}/quote"), &json!({}))
        .await;
    assert_eq!(quote.status, 201, "{}", quote.body);
    assert_eq!(
        quote.body["lines"][1]["quantity"], 3,
        "the current version is priced"
    );
    assert_eq!(quote.body["design_id"], design.as_str());
    assert_eq!(quote.body["design_version"], 2);
    assert_eq!(quote.body["customer_id"], ada.as_str());
    let quote_id = id(&quote.body);

    let history = app.get(&format!("/api/customers/{ada}/history")).await;
    assert_eq!(history.body["quotes"][0]["id"], quote_id.as_str());

    // Accepting without a buyer takes the customer's details.
    let order = app
        .post(
            &format!("/api/quotes/{quote_id}/accept"),
            &json!({"actor": "Sam"}),
        )
        .await;
    assert_eq!(order.status, 201, "{}", order.body);
    assert_eq!(order.body["buyer"]["name"], "Ada Lovelace");
    assert_eq!(order.body["buyer"]["email"], "buyer@example.com");
    assert_eq!(order.body["customer_id"], ada.as_str());
    let history = app.get(&format!("/api/customers/{ada}/history")).await;
    assert_eq!(history.body["orders"][0]["id"], order.body["id"]);
}

#[tokio::test]
async fn a_snapshot_is_stored_as_a_png_and_served_back() {
    let app = spawn_app().await;
    let catalog = catalog(&app).await;
    let created = app
        .post(
            "/api/designs",
            &json!({"name": "Kitchen", "items": [{"module_id": catalog.base, "quantity": 1}]}),
        )
        .await;
    let design = id(&created.body);
    let path = format!("/api/designs/{design}/snapshot");
    app.get(&path).await.assert_problem(404, None);

    app.put_raw(&path, "image/png", b"GIF89a not a png".to_vec())
        .await
        .assert_problem(422, Some("body"));
    let mut too_big = b"\x89PNG\r\n\x1a\n".to_vec();
    too_big.resize(5 * 1024 * 1024 + 1, 0);
    app.put_raw(&path, "image/png", too_big)
        .await
        .assert_problem(413, None);

    let png = tiny_png();
    let stored = app.put_raw(&path, "image/png", png.clone()).await;
    assert_eq!(stored.status, 204, "{}", stored.body);
    let (status, content_type, bytes) = app.get_bytes(&path).await;
    assert_eq!((status, content_type.as_str()), (200, "image/png"));
    assert_eq!(bytes, png);
    let design_now = app.get(&format!("/api/designs/{design}")).await;
    assert_eq!(design_now.body["has_snapshot"], true);
    assert_eq!(design_now.body["version"], 1, "a picture adds no version");
}

/// A valid 1 × 1 PNG.
pub(crate) fn tiny_png() -> Vec<u8> {
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90,
        0x77, 0x53, 0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8,
        0xcf, 0xc0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0xc9, 0xfe, 0x92, 0xef, 0x00, 0x00, 0x00,
        0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];
    PNG.to_vec()
}
