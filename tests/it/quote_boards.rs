//! Quotes that know the board (SPEC §17): per material the sheets its panels take on that
//! material's stock and the yield; a material priced `by_sheet` charges sheets at their cost,
//! saw cuts and edge banding at its rates per metre, listed on the quote and its PDF, and the
//! same request on the same stock gives the same nest and the same price.
//!
//! The kitchen's expected figures follow from SPEC §6's carcass rule for an 18 mm board: a
//! 600 × 720 × 560 module is two sides 720 × 560 and a top and bottom 564 × 560 (front
//! edges banded: 2 × 720 + 2 × 564 = 2,568 mm) and a back 684 × 564, 1,823,856 mm² in
//! all. Two of them need more than one 2440 × 1220 board (2,976,800 mm²), and one module's
//! panels fit one board (a row 720 + 720 + 564 and a row 564 + 684, kerf included), so
//! the nest takes exactly two boards.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::api_documents::{pdf_text, squash};
use crate::support::{TestApp, spawn_app};

fn money(value: &Value) -> Decimal {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{value} is a money string"))
        .parse()
        .expect("a decimal")
}

/// A material on 2440 × 1220 boards at 50.00, and a 600 × 720 × 560 module of it at 100.00.
async fn birch(app: &TestApp, pricing: Value) -> (String, String) {
    let material = app.material("Birch ply", "3.00", Some(18.0)).await;
    let stock = json!({"sheets": [{"width": 2440, "height": 1220, "cost": "50.00"}],
        "kerf": 4, "trim": 0, "grain_direction": "none", "pricing": pricing});
    let put = app
        .put(&format!("/api/materials/{material}/stock"), &stock)
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    let module = app
        .module("Base 600", [600.0, 720.0, 560.0], "100.00", &material)
        .await;
    (material, module)
}

async fn quote(app: &TestApp, module: &str, quantity: u32) -> Value {
    let reply = app
        .post(
            "/api/quote/generate",
            &json!({"items": [{"module_id": module, "quantity": quantity}], "tax_rate": "0"}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.body
}

#[tokio::test]
async fn a_material_priced_by_the_sheet_charges_the_boards_its_nest_takes() {
    let app = spawn_app().await;
    let pricing =
        json!({"mode": "by_sheet", "saw_cut_per_m": "0.50", "edge_banding_per_m": "1.00"});
    let (material, module) = birch(&app, pricing).await;
    let first = quote(&app, &module, 2).await;

    let boards = &first["boards"];
    assert_eq!(boards.as_array().map(Vec::len), Some(1), "{boards}");
    let birch = &boards[0];
    assert_eq!(birch["material_id"], material);
    assert_eq!(birch["pricing"], "by_sheet");
    assert_eq!(
        birch["boards"],
        json!([{"width": 2440.0, "height": 1220.0, "count": 2, "unit_cost": "50.00", "offcut_code": null}])
    );
    // 2 × 1,823,856 mm² of panels on 2 × 2,976,800 mm² of board.
    let yield_ratio = birch["yield_ratio"].as_f64().expect("a yield");
    assert!((yield_ratio - 0.6127).abs() < 0.0001, "yield {yield_ratio}");
    assert_eq!(birch["edge_banding_m"], "5.136");
    let cut_m = money(&birch["cut_length_m"]);
    assert!(cut_m > Decimal::ZERO, "a guillotine nest has saw cuts");

    let charges = &birch["charges"];
    assert_eq!(charges["sheets"], "100.00");
    assert_eq!(charges["offcuts"], "0.00");
    assert_eq!(charges["edge_banding"], "5.14"); // 5.136 m × 1.00, half-up
    let saw = (cut_m * Decimal::new(50, 2))
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    assert_eq!(money(&charges["saw_cuts"]), saw);
    let total = money(&charges["total"]);
    assert_eq!(total, Decimal::new(10514, 2) + saw);

    // The one line carries the charge: its base price plus half the boards per module.
    let line = &first["lines"][0];
    let unit = Decimal::new(10000, 2)
        + (total / Decimal::TWO)
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    assert_eq!(money(&line["unit_price"]), unit);
    assert_eq!(money(&line["line_total"]), unit * Decimal::TWO);
    assert_eq!(money(&first["total"]), unit * Decimal::TWO);

    // Same request, same stock: same nest, same price.
    let second = quote(&app, &module, 2).await;
    assert_eq!(second["boards"], first["boards"]);
    assert_eq!(second["lines"], first["lines"]);
    let id = first["id"].as_str().expect("an id");
    assert_eq!(
        app.get(&format!("/api/quotes/{id}")).await.body["boards"],
        first["boards"]
    );

    // The PDF lists every part of the board charge.
    let (status, _, bytes) = app
        .get_bytes(&format!("/api/quotes/{id}/document.pdf"))
        .await;
    assert_eq!(status, 200);
    let text = squash(&pdf_text(&bytes).0);
    for expected in [
        "Boards",
        "Birch ply: 2 boards, yield 61 %",
        "2 × board 2440 × 1220 mm at 50.00",
        "100.00",
        "Edge banding, 5.136 m at 1.00 per m",
        "5.14",
        &format!("Saw cuts, {cut_m} m at 0.50 per m"),
    ] {
        assert!(text.contains(expected), "{expected:?} missing from {text}");
    }
}

#[tokio::test]
async fn a_material_priced_by_area_reports_its_boards_and_keeps_its_area_price() {
    let app = spawn_app().await;
    let (_, module) = birch(&app, json!({"mode": "by_area"})).await;
    let priced = quote(&app, &module, 2).await;
    let birch = &priced["boards"][0];
    assert_eq!(birch["pricing"], "by_area");
    assert_eq!(birch["boards"][0]["count"], 2);
    assert_eq!(birch["charges"], Value::Null);
    // SPEC §4: 100.00 + 1,823,856 mm² (19.631977… sq ft) × 3.00 = 158.90 per module.
    assert_eq!(priced["lines"][0]["unit_price"], "158.90");
    assert_eq!(priced["lines"][0]["line_total"], "317.80");
}

#[tokio::test]
async fn pricing_by_the_sheet_is_refused_without_board_costs_or_with_bad_rates() {
    let app = spawn_app().await;
    let material = app.material("Oak", "3.00", Some(18.0)).await;
    let path = format!("/api/materials/{material}/stock");
    let unpriced = json!({"sheets": [{"width": 2440, "height": 1220}], "kerf": 4, "trim": 0,
        "grain_direction": "length", "pricing": {"mode": "by_sheet"}});
    app.put(&path, &unpriced)
        .await
        .assert_problem(422, Some("pricing.mode"));
    let bad_rates = json!({"sheets": [{"width": 2440, "height": 1220, "cost": "40"}], "kerf": 4,
        "trim": 0, "grain_direction": "length",
        "pricing": {"mode": "by_sheet", "saw_cut_per_m": "x", "edge_banding_per_m": "-1"}});
    let refused = app.put(&path, &bad_rates).await;
    refused.assert_problem(422, None);
    let fields: Vec<&str> = refused.body["errors"]
        .as_array()
        .expect("problems")
        .iter()
        .filter_map(|problem| problem["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        ["pricing.saw_cut_per_m", "pricing.edge_banding_per_m"]
    );
    assert_eq!(
        app.get(&path).await.body["pricing"]["mode"],
        "by_area",
        "a refused put changes nothing"
    );
}
