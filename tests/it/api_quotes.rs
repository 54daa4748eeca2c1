//! Quote generation (SPEC §4) and quote numbers (SPEC §17) through the real server.

use serde_json::json;

use crate::support::{TestApp, spawn_app};

#[tokio::test]
async fn a_quote_is_priced_exactly_and_persisted() {
    let app = spawn_app().await;
    let oak = app.material("Oak", "4.50", None).await;
    let walnut = app.material("Walnut", "9.99", None).await;
    let base = app
        .module("Base 600", [600.0, 720.0, 560.0], "120.00", &oak)
        .await;
    let cube = app
        .module("Cube", [304.8, 304.8, 304.8], "10.00", &oak)
        .await;
    let request = json!({"items": [
        {"module_id": base, "quantity": 2},
        {"module_id": cube, "quantity": 3, "material_id": walnut},
    ], "tax_rate": "0.13", "currency": "EUR"});
    let quote = app.post("/api/quote/generate", &request).await;
    assert_eq!(quote.status, 201, "{}", quote.body);
    let body = &quote.body;
    // 2 342 400 mm² = 25.213384… sq ft → 120 + 113.460… = 233.46.
    assert_eq!(body["lines"][0]["area_sq_ft"], "25.213384");
    assert_eq!(body["lines"][0]["unit_price"], "233.46");
    assert_eq!(body["lines"][0]["line_total"], "466.92");
    // Six square feet of walnut: 10 + 59.94 = 69.94.
    assert_eq!(body["lines"][1]["area_sq_ft"], "6");
    assert_eq!(body["lines"][1]["material_id"], walnut);
    assert_eq!(body["lines"][1]["unit_price"], "69.94");
    assert_eq!(body["lines"][1]["line_total"], "209.82");
    assert_eq!(body["subtotal"], "676.74");
    assert_eq!(body["tax"], "87.98"); // 87.9762
    assert_eq!(body["total"], "764.72");
    assert_eq!(body["currency"], "EUR");
    assert_eq!(body["tax_rate"], "0.13");
    assert!(body["expires_at"].as_str().unwrap() > body["created_at"].as_str().unwrap());

    let id = body["id"].as_str().unwrap();
    let again = app.get(&format!("/api/quotes/{id}")).await;
    assert_eq!(again.status, 200);
    assert_eq!(&again.body, body);
}

#[tokio::test]
async fn quote_defaults_come_from_the_settings() {
    let app = spawn_app().await;
    let oak = app.material("Oak", "1", None).await;
    let cube = app.module("Cube", [304.8, 304.8, 304.8], "0", &oak).await;
    let quote = app
        .post(
            "/api/quote/generate",
            &json!({"items": [{"module_id": cube, "quantity": 1}]}),
        )
        .await;
    assert_eq!(
        (quote.body["currency"].as_str(), quote.body["tax"].as_str()),
        (Some("USD"), Some("0.00"))
    );

    let settings = json!({"currency": "CAD", "tax_rate": "0.05", "quote_validity_days": 14});
    assert_eq!(app.put("/api/settings", &settings).await.status, 200);
    let quote = app
        .post(
            "/api/quote/generate",
            &json!({"items": [{"module_id": cube, "quantity": 1}]}),
        )
        .await;
    assert_eq!(quote.body["currency"], "CAD");
    assert_eq!(quote.body["tax"], "0.30");
    assert_eq!(quote.body["total"], "6.30");
    app.put(
        "/api/settings",
        &json!({"currency": "usd", "tax_rate": "2", "quote_validity_days": 0}),
    )
    .await
    .assert_problem(422, Some("tax_rate"));
}

#[tokio::test]
async fn document_label_offcut_and_backup_settings_are_kept_until_changed() {
    let app = spawn_app().await;
    let defaults = app.get("/api/settings").await.body;
    assert_eq!(defaults["label_format"], "a4_3x8");
    assert_eq!(defaults["offcut_min_width_mm"], 300);
    assert_eq!(defaults["backup_interval_hours"], 24);
    assert_eq!(defaults["backup_keep"], 14);
    assert_eq!(defaults["business"]["name"], "");

    let changed = json!({
        "currency": "EUR", "tax_rate": "0.2", "quote_validity_days": 30,
        "business": {"name": "Atelier Nord", "address": "Kaistraße 4\n24103 Kiel",
                     "phone": "+49 431 000", "email": "hallo@atelier-nord.example"},
        "label_format": "roll_62mm", "offcut_min_width_mm": 250, "offcut_min_height_mm": 120,
        "backup_folder": "/srv/paform-backups", "backup_interval_hours": 6, "backup_keep": 30,
    });
    assert_eq!(app.put("/api/settings", &changed).await.status, 200);
    // Saving only the quote defaults keeps everything else.
    let quote_defaults = json!({"currency": "EUR", "tax_rate": "0.19", "quote_validity_days": 30});
    let saved = app.put("/api/settings", &quote_defaults).await.body;
    assert_eq!(saved["tax_rate"], "0.19");
    assert_eq!(saved["business"]["name"], "Atelier Nord");
    assert_eq!(saved["label_format"], "roll_62mm");
    assert_eq!(
        (
            &saved["offcut_min_width_mm"],
            &saved["offcut_min_height_mm"]
        ),
        (&json!(250), &json!(120))
    );
    assert_eq!(saved["backup_folder"], "/srv/paform-backups");
    assert_eq!(
        (&saved["backup_interval_hours"], &saved["backup_keep"]),
        (&json!(6), &json!(30))
    );

    let bad = json!({
        "currency": "EUR", "tax_rate": "0.2", "quote_validity_days": 30,
        "label_format": "a5", "offcut_min_width_mm": 0, "backup_keep": 0,
        "backup_folder": "relative/dir",
    });
    let reply = app.put("/api/settings", &bad).await;
    for field in [
        "label_format",
        "offcut_min_width_mm",
        "backup_keep",
        "backup_folder",
    ] {
        reply.assert_problem(422, Some(field));
    }
    assert_eq!(
        app.get("/api/settings").await.body["label_format"],
        "roll_62mm"
    );
}

#[tokio::test]
async fn a_material_with_a_thickness_is_priced_from_its_carcass() {
    let app = spawn_app().await;
    let board = app.material("Board", "10", Some(18.0)).await;
    let base = app.module("Base", [600.0, 720.0, 560.0], "0", &board).await;
    let quote = app
        .post(
            "/api/quote/generate",
            &json!({"items": [{"module_id": base, "quantity": 1}]}),
        )
        .await;
    // sides 2·720·560 + top/bottom 2·564·560 + back 684·564 = 1 823 856 mm².
    assert_eq!(quote.body["lines"][0]["area_sq_ft"], "19.631823");
    assert_eq!(quote.body["lines"][0]["unit_price"], "196.32");
}

#[tokio::test]
async fn bad_quote_requests_name_the_item_and_field() {
    let app = spawn_app().await;
    let oak = app.material("Oak", "1", None).await;
    let cube = app.module("Cube", [304.8, 304.8, 304.8], "0", &oak).await;
    let cases = [
        (json!({"items": []}), 422, "items"),
        (
            json!({"items": [{"module_id": cube, "quantity": 1}, {"module_id": "ghost", "quantity": 1}]}),
            422,
            "items[1].module_id",
        ),
        (
            json!({"items": [{"module_id": cube, "quantity": 1, "material_id": "ghost"}]}),
            422,
            "items[0].material_id",
        ),
        (
            json!({"items": [{"module_id": cube, "quantity": 0}]}),
            422,
            "items[0].quantity",
        ),
        (
            json!({"items": [{"module_id": cube, "quantity": -3}]}),
            422,
            "items[0].quantity",
        ),
        (
            json!({"items": [{"module_id": cube, "quantity": 1.5}]}),
            400,
            "items[0].quantity",
        ),
        (
            json!({"items": [{"module_id": cube, "quantity": "2"}]}),
            400,
            "items[0].quantity",
        ),
        (json!({"items": [{"quantity": 1}]}), 400, "items[0]"),
        (
            json!({"items": [{"module_id": cube, "quantity": 1}], "tax_rate": "1.5"}),
            422,
            "tax_rate",
        ),
        (
            json!({"items": [{"module_id": cube, "quantity": 1}], "tax_rate": "0.1234567"}),
            422,
            "tax_rate",
        ),
        (
            json!({"items": [{"module_id": cube, "quantity": 1}], "currency": "dollars"}),
            422,
            "currency",
        ),
    ];
    for (body, status, field) in cases {
        let reply = app.post("/api/quote/generate", &body).await;
        if status == 400 && field == "items[0]" {
            reply.assert_problem(400, None);
        } else {
            reply.assert_problem(status, Some(field));
        }
    }
    app.get("/api/quotes/nope").await.assert_problem(404, None);
}

#[tokio::test]
async fn a_quote_of_two_hundred_lines_is_accepted() {
    let app = spawn_app().await;
    let oak = app.material("Oak", "3.333333", None).await;
    let cube = app
        .module("Cube", [333.3, 444.4, 555.5], "19.99", &oak)
        .await;
    let items: Vec<_> = (0..200)
        .map(|i| json!({"module_id": cube, "quantity": 1 + i % 7}))
        .collect();
    let quote = app
        .post(
            "/api/quote/generate",
            &json!({"items": items, "tax_rate": "0.0825"}),
        )
        .await;
    assert_eq!(quote.status, 201, "{}", quote.body);
    assert_eq!(quote.body["lines"].as_array().unwrap().len(), 200);
}

async fn cube_quote(app: &TestApp, cube: &str) -> serde_json::Value {
    let quote = app
        .post(
            "/api/quote/generate",
            &json!({"items": [{"module_id": cube, "quantity": 1}]}),
        )
        .await;
    assert_eq!(quote.status, 201, "{}", quote.body);
    quote.body
}

#[tokio::test]
async fn quotes_are_numbered_q_and_six_digits_in_order_and_found_by_number() {
    let app = spawn_app().await;
    let oak = app.material("Oak", "1", None).await;
    let cube = app.module("Cube", [304.8, 304.8, 304.8], "0", &oak).await;
    let first = cube_quote(&app, &cube).await;
    let second = cube_quote(&app, &cube).await;
    assert_eq!(first["number"], "Q-000001");
    assert_eq!(second["number"], "Q-000002");
    let id = second["id"].as_str().unwrap();
    assert_ne!(id, "Q-000002", "ids stay the API's keys");
    assert_eq!(app.get(&format!("/api/quotes/{id}")).await.body, second);

    for needle in ["Q-000002", "q-000002", "2", "000002"] {
        let found = app.get(&format!("/api/quotes?q={needle}")).await;
        assert_eq!(found.status, 200, "{}", found.body);
        assert_eq!(found.body["total"], 1, "{needle}: {}", found.body);
        assert_eq!(found.body["items"][0]["id"], id, "{needle}");
    }
    let all = app.get("/api/quotes").await.body;
    assert_eq!(all["total"], 2);
    assert_eq!(all["items"][0]["number"], "Q-000001");
    let none = app.get("/api/quotes?q=Q-000003").await.body;
    assert_eq!(none["total"], 0);
}

#[tokio::test]
async fn the_quote_number_prefix_comes_from_the_settings_and_numbers_stay_unique() {
    let app = spawn_app().await;
    let oak = app.material("Oak", "1", None).await;
    let cube = app.module("Cube", [304.8, 304.8, 304.8], "0", &oak).await;
    let mut settings = app.get("/api/settings").await.body;
    assert_eq!(settings["quote_number_prefix"], "Q");
    assert_eq!(cube_quote(&app, &cube).await["number"], "Q-000001");

    settings["quote_number_prefix"] = json!("LDS");
    let changed = app.put("/api/settings", &settings).await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(changed.body["quote_number_prefix"], "LDS");
    assert_eq!(cube_quote(&app, &cube).await["number"], "LDS-000002");

    // Back to `Q`: the sequence goes on, and no number is handed out twice.
    settings["quote_number_prefix"] = json!("Q");
    app.put("/api/settings", &settings).await;
    assert_eq!(cube_quote(&app, &cube).await["number"], "Q-000003");

    settings["quote_number_prefix"] = json!("q 1");
    app.put("/api/settings", &settings)
        .await
        .assert_problem(422, Some("quote_number_prefix"));
}

#[tokio::test]
async fn concurrent_quotes_get_distinct_numbers() {
    let app = std::sync::Arc::new(spawn_app().await);
    let oak = app.material("Oak", "1", None).await;
    let cube = app.module("Cube", [304.8, 304.8, 304.8], "0", &oak).await;
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (app, cube) = (app.clone(), cube.clone());
            tokio::spawn(async move { cube_quote(&app, &cube).await["number"].clone() })
        })
        .collect();
    let mut numbers = Vec::new();
    for task in tasks {
        numbers.push(task.await.unwrap().as_str().unwrap().to_owned());
    }
    numbers.sort();
    let expected: Vec<String> = (1..=20).map(|n| format!("Q-{n:06}")).collect();
    assert_eq!(numbers, expected);
}
