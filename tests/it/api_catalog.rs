//! Catalog endpoints (SPEC §3) through the real server.

use serde_json::json;

use crate::support::{spawn_app, spawn_seeded_app};

#[tokio::test]
async fn a_fresh_install_serves_the_demo_catalog() {
    let app = spawn_seeded_app().await;
    let materials = app.get("/api/materials").await;
    assert_eq!(materials.status, 200);
    assert!(materials.body["total"].as_u64().unwrap() >= 5);
    let modules = app.get("/api/modules?limit=500").await;
    assert!(modules.body["total"].as_u64().unwrap() >= 15);
    let names: Vec<&str> = modules.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(
        names.iter().any(|n| n.contains("Kitchen")) && names.iter().any(|n| n.contains("Wardrobe"))
    );
}

#[tokio::test]
async fn materials_are_created_read_updated_and_deleted() {
    let app = spawn_app().await;
    let created = app
        .post(
            "/api/materials",
            &json!({"name": "Oak", "cost_per_sq_ft": "4.250", "thickness_mm": 18,
                    "external_ids": {"hygraph": "ck1"}, "texture_url": "/textures/oak.jpg"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        created.body["cost_per_sq_ft"], "4.250",
        "a rate keeps its digits"
    );
    assert_eq!(created.body["external_ids"]["hygraph"], "ck1");
    assert!(created.body["created_at"].as_str().unwrap().ends_with('Z'));

    let read = app.get(&format!("/api/materials/{id}")).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body, created.body);

    let updated = app
        .put(
            &format!("/api/materials/{id}"),
            &json!({"name": "Oak Natural", "cost_per_sq_ft": "5"}),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.body);
    assert_eq!(updated.body["name"], "Oak Natural");
    assert_eq!(updated.body["created_at"], created.body["created_at"]);

    assert_eq!(
        app.delete(&format!("/api/materials/{id}")).await.status,
        204
    );
    app.get(&format!("/api/materials/{id}"))
        .await
        .assert_problem(404, None);
    app.delete(&format!("/api/materials/{id}"))
        .await
        .assert_problem(404, None);
}

#[tokio::test]
async fn lists_page_and_search_by_name() {
    let app = spawn_app().await;
    for name in ["Alpine White", "Black Ash", "Cherry", "Dark Walnut", "Elm"] {
        app.material(name, "1", None).await;
    }
    let page = app.get("/api/materials?limit=2&offset=1").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.body["total"], 5);
    let names: Vec<&str> = page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Black Ash", "Cherry"]);

    let search = app.get("/api/materials?q=WAL").await;
    assert_eq!(search.body["total"], 1);
    assert_eq!(search.body["items"][0]["name"], "Dark Walnut");

    app.get("/api/materials?limit=0")
        .await
        .assert_problem(422, Some("limit"));
    app.get("/api/materials?limit=abc")
        .await
        .assert_problem(400, Some("limit"));
    app.get("/api/materials?offset=-1")
        .await
        .assert_problem(422, Some("offset"));
}

#[tokio::test]
async fn modules_are_created_read_updated_and_deleted() {
    let app = spawn_app().await;
    let oak = app.material("Oak", "4.5", None).await;
    let walnut = app.material("Walnut", "9", None).await;
    let body = json!({
        "name": "Base 600", "dimensions": {"width": 600, "height": 720, "depth": 560},
        "base_price": "120", "material_id": oak,
        "assembly_attributes": {"shelves": 1}, "placement_constraints": {"mount": "floor"},
        "connection_points": [{"id": "left", "side": "left", "offset_mm": [0, 0, 0]}],
        "external_ids": {"hygraph": "m1"}
    });
    let created = app.post("/api/modules", &body).await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["base_price"], "120.00");
    assert_eq!(created.body["dimensions"]["width"], 600.0);
    assert_eq!(created.body["assembly_attributes"]["shelves"], 1);
    assert_eq!(
        created.body["connection_points"],
        json!([{"id": "left", "side": "left", "offset_mm": [0.0, 0.0, 0.0]}])
    );
    let id = created.body["id"].as_str().unwrap().to_owned();

    let mut changed = body.clone();
    changed["material_id"] = json!(walnut);
    let updated = app.put(&format!("/api/modules/{id}"), &changed).await;
    assert_eq!(updated.status, 200, "{}", updated.body);
    // Oak is free again once the module moved to walnut; walnut is now in use.
    assert_eq!(
        app.delete(&format!("/api/materials/{oak}")).await.status,
        204
    );
    app.delete(&format!("/api/materials/{walnut}"))
        .await
        .assert_problem(409, None);

    assert_eq!(app.get("/api/modules?q=base").await.body["total"], 1);
    assert_eq!(app.delete(&format!("/api/modules/{id}")).await.status, 204);
    app.get(&format!("/api/modules/{id}"))
        .await
        .assert_problem(404, None);
    assert_eq!(
        app.delete(&format!("/api/materials/{walnut}")).await.status,
        204
    );
}

#[tokio::test]
async fn connection_points_that_are_not_id_side_and_offset_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let oak = app.material("Oak", "4.5", None).await;
    let module = |points: serde_json::Value| {
        json!({"name": "Base", "dimensions": {"width": 600, "height": 720, "depth": 560},
               "base_price": "1", "material_id": oak, "connection_points": points})
    };
    // GLB_ASSET_STANDARD.md §8: `{ "id", "side": "left" | "right" | …, "offset_mm": [x, y, z] }`.
    for (points, field) in [
        (json!([[null, null]]), "connection_points[0]"),
        (
            json!([{"side": "left", "offset_mm": [0, 0, 0]}]),
            "connection_points[0].id",
        ),
        (
            json!([{"id": "a", "side": "up", "offset_mm": [0, 0, 0]}]),
            "connection_points[0].side",
        ),
        (
            json!([{"id": "a", "side": "left", "offset_mm": [0, 0]}]),
            "connection_points[0].offset_mm",
        ),
        (json!({"id": "a"}), "connection_points"),
    ] {
        app.post("/api/modules", &module(points.clone()))
            .await
            .assert_problem(422, Some(field));
    }
    let created = app
        .post(
            "/api/modules",
            &module(json!([{"id": "r", "side": "right", "offset_mm": [600, 0, 0]}])),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    app.put(
        &format!("/api/modules/{id}"),
        &module(json!([[null, null]])),
    )
    .await
    .assert_problem(422, Some("connection_points[0]"));
}

#[tokio::test]
async fn a_module_must_reference_an_existing_material() {
    let app = spawn_app().await;
    let body = json!({"name": "Base", "dimensions": {"width": 1, "height": 1, "depth": 1},
                      "base_price": "1", "material_id": "nope"});
    app.post("/api/modules", &body)
        .await
        .assert_problem(422, Some("material_id"));
    assert_eq!(app.get("/api/modules").await.body["total"], 0);
}

#[tokio::test]
async fn a_material_in_use_cannot_be_deleted() {
    let app = spawn_app().await;
    let oak = app.material("Oak", "4.5", None).await;
    app.module("Base", [600.0, 720.0, 560.0], "100", &oak).await;
    let reply = app.delete(&format!("/api/materials/{oak}")).await;
    reply.assert_problem(409, None);
    assert!(reply.body["detail"].as_str().unwrap().contains("1 module"));
    assert_eq!(app.get(&format!("/api/materials/{oak}")).await.status, 200);
}

#[tokio::test]
async fn invalid_catalog_input_names_every_bad_field() {
    let app = spawn_app().await;
    let oak = app.material("Oak", "4.5", None).await;
    let cases = [
        (json!({"name": "", "cost_per_sq_ft": "1"}), "name"),
        (
            json!({"name": "X", "cost_per_sq_ft": "-1"}),
            "cost_per_sq_ft",
        ),
        (
            json!({"name": "X", "cost_per_sq_ft": "1.1234567"}),
            "cost_per_sq_ft",
        ),
        (
            json!({"name": "X", "cost_per_sq_ft": "abc"}),
            "cost_per_sq_ft",
        ),
        (
            json!({"name": "X", "cost_per_sq_ft": "1", "thickness_mm": 0}),
            "thickness_mm",
        ),
    ];
    for (body, field) in cases {
        app.post("/api/materials", &body)
            .await
            .assert_problem(422, Some(field));
    }
    app.post("/api/materials", &json!({"cost_per_sq_ft": "1"}))
        .await
        .assert_problem(400, None);
    app.post(
        "/api/materials",
        &json!({"name": "X", "cost_per_sq_ft": 1.5}),
    )
    .await
    .assert_problem(400, Some("cost_per_sq_ft"));

    let module = |width: serde_json::Value, price: &str| {
        json!({"name": "M", "dimensions": {"width": width, "height": 720, "depth": 560},
               "base_price": price, "material_id": oak})
    };
    app.post("/api/modules", &module(json!(0), "1"))
        .await
        .assert_problem(422, Some("dimensions.width"));
    app.post("/api/modules", &module(json!(-600), "1"))
        .await
        .assert_problem(422, Some("dimensions.width"));
    app.post("/api/modules", &module(json!(600), "1.234"))
        .await
        .assert_problem(422, Some("base_price"));
    app.post("/api/modules", &module(json!("wide"), "1"))
        .await
        .assert_problem(400, Some("dimensions.width"));
    assert_eq!(app.get("/api/materials").await.body["total"], 1);
    assert_eq!(app.get("/api/modules").await.body["total"], 0);
}
