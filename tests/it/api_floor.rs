//! The shop floor (SPEC §12): stock per material, cut confirmation and offcuts, part scans
//! with production progress and completion, and the live event stream with resume.

use std::time::Duration;

use paform_app::dto::{AcceptQuoteRequest, MaterialInput, ModuleInput, QuoteRequest};
use paform_documents::labels::LabelFormat;
use serde_json::{Value, json};

use crate::api_documents::{decode_label, render_page};
use crate::support::{TestApp, spawn_app, spawn_app_requiring_tokens};

/// A material with one module of it, quoted and accepted: (order id, order number, material
/// id), the order has 2 of the module.
async fn order_of_one_module(app: &TestApp) -> (Value, String) {
    let material = app.material("Birch", "3.00", Some(18.0)).await;
    let module = app
        .module("Base 600", [600.0, 720.0, 560.0], "100.00", &material)
        .await;
    let quote = app
        .post(
            "/api/quote/generate",
            &json!({"items": [{"module_id": module, "quantity": 2}]}),
        )
        .await;
    assert_eq!(quote.status, 201, "{}", quote.body);
    let quote_id = quote.body["id"].as_str().expect("a quote id");
    let accept = json!({"buyer": {"name": "Ada", "email": "ada@example.com"}, "actor": "Sam"});
    let order = app
        .post(&format!("/api/quotes/{quote_id}/accept"), &accept)
        .await;
    assert_eq!(order.status, 201, "{}", order.body);
    (order.body, material)
}

/// An order of one small module (its panels fit an offcut) of `material`.
async fn small_order(app: &TestApp, material: &str) -> String {
    let module = app
        .module("Small 300", [300.0, 300.0, 300.0], "50.00", material)
        .await;
    let quote = app
        .post(
            "/api/quote/generate",
            &json!({"items": [{"module_id": module, "quantity": 1}]}),
        )
        .await;
    assert_eq!(quote.status, 201, "{}", quote.body);
    let quote_id = quote.body["id"].as_str().expect("a quote id");
    let accept = json!({"buyer": {"name": "Bo", "email": "bo@example.com"}, "actor": "Sam"});
    let accepted = app
        .post(&format!("/api/quotes/{quote_id}/accept"), &accept)
        .await;
    assert_eq!(accepted.status, 201, "{}", accepted.body);
    accepted.body["id"]
        .as_str()
        .expect("an order id")
        .to_owned()
}

#[tokio::test]
async fn stock_defaults_to_the_spec_board_and_is_replaced_and_validated() {
    let app = spawn_app().await;
    let material = app.material("Oak", "3.00", None).await;
    let path = format!("/api/materials/{material}/stock");
    let default = app.get(&path).await;
    assert_eq!(default.status, 200, "{}", default.body);
    assert_eq!(
        default.body,
        json!({"sheets": [{"width": 2440.0, "height": 1220.0}], "kerf": 4.0, "trim": 0.0,
            "grain_direction": "length",
            "pricing": {"mode": "by_area", "saw_cut_per_m": "0", "edge_banding_per_m": "0"}})
    );

    let stock = json!({"sheets": [{"width": 2800, "height": 2070, "cost": "61.5"},
        {"width": 2440, "height": 1220, "cost": "40"}], "kerf": 3.2, "trim": 10, "grain_direction": "none"});
    let put = app.put(&path, &stock).await;
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!(put.body["sheets"][0]["cost"], "61.50");
    assert_eq!(app.get(&path).await.body, put.body);

    let mixed = json!({"sheets": [{"width": 2800, "height": 2070, "cost": "61.50"},
        {"width": 2440, "height": 1220}], "kerf": 4, "trim": 0, "grain_direction": "length"});
    app.put(&path, &mixed)
        .await
        .assert_problem(422, Some("sheets[1].cost"));
    let bad = json!({"sheets": [{"width": -1, "height": 20000, "cost": "x"}], "kerf": 500,
        "trim": -1, "grain_direction": "length"});
    let refused = app.put(&path, &bad).await;
    refused.assert_problem(422, None);
    let fields: Vec<&str> = refused.body["errors"]
        .as_array()
        .expect("a list of problems")
        .iter()
        .filter_map(|problem| problem["field"].as_str())
        .collect();
    for field in [
        "kerf",
        "trim",
        "sheets[0].width",
        "sheets[0].height",
        "sheets[0].cost",
    ] {
        assert!(fields.contains(&field), "{field} missing from {fields:?}");
    }
    let empty = json!({"sheets": [], "kerf": 4, "trim": 0, "grain_direction": "length"});
    app.put(&path, &empty)
        .await
        .assert_problem(422, Some("sheets"));
    app.get("/api/materials/nope/stock")
        .await
        .assert_problem(404, None);
    assert_eq!(
        app.get(&path).await.body,
        put.body,
        "a refused put changes nothing"
    );
}

#[tokio::test]
async fn an_export_nests_on_the_stock_and_its_cut_leaves_offcuts_once() {
    let app = spawn_app().await;
    let (order, material) = order_of_one_module(&app).await;
    let stock = json!({"sheets": [{"width": 1500, "height": 1000}], "kerf": 3, "trim": 5,
        "grain_direction": "length"});
    let path = format!("/api/materials/{material}/stock");
    assert_eq!(app.put(&path, &stock).await.status, 200);

    let export = app
        .post("/api/v1/exports/cnc", &json!({"order_id": order["id"]}))
        .await;
    assert_eq!(export.status, 201, "{}", export.body);
    let layout = &export.body["layouts"][0];
    assert_eq!(layout["material_id"], material.as_str());
    let sheets = layout["sheets"].as_array().expect("sheets");
    assert_eq!(sheets.len() as u64, export.body["summary"]["sheets"]);
    for sheet in sheets {
        assert_eq!(sheet["stock"], json!({"width": 1500.0, "height": 1000.0}));
        assert!(sheet.get("offcut").is_none(), "no offcuts exist yet");
    }
    for placement in sheets
        .iter()
        .flat_map(|sheet| sheet["placements"].as_array().expect("placements"))
    {
        let right =
            placement["x"].as_f64().unwrap_or(0.0) + placement["width"].as_f64().unwrap_or(0.0);
        let top =
            placement["y"].as_f64().unwrap_or(0.0) + placement["height"].as_f64().unwrap_or(0.0);
        assert!(
            right <= 1495.0 && top <= 995.0,
            "{placement} leaves the trimmed board"
        );
    }

    let export_id = export.body["export_id"].as_str().expect("an export id");
    let cut = app
        .post(&format!("/api/v1/exports/{export_id}/cut"), &json!({}))
        .await;
    assert_eq!(cut.status, 200, "{}", cut.body);
    let offcuts = cut.body["offcuts"].as_array().expect("offcuts").clone();
    assert!(
        !offcuts.is_empty(),
        "a 1500 × 1000 board has remnants: {}",
        cut.body
    );
    for offcut in &offcuts {
        assert!(
            offcut["code"]
                .as_str()
                .is_some_and(|code| code.starts_with("OC-"))
        );
        assert_eq!(offcut["material_id"], material.as_str());
        assert_eq!(offcut["from_export"], export_id);
        let (width, height) = (
            offcut["width"].as_f64().unwrap_or(0.0),
            offcut["height"].as_f64().unwrap_or(0.0),
        );
        assert!(width >= 300.0 && height >= 300.0, "{offcut}");
    }
    let again = app
        .post(&format!("/api/v1/exports/{export_id}/cut"), &json!({}))
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(
        again.body, cut.body,
        "a repeated confirmation changes nothing"
    );

    let listed = app
        .get(&format!("/api/offcuts?material_id={material}"))
        .await;
    assert_eq!(listed.body, Value::Array(offcuts.clone()));
    let other = app.material("Other", "3.00", None).await;
    assert_eq!(
        app.get(&format!("/api/offcuts?material_id={other}"))
            .await
            .body,
        json!([])
    );

    // The offcuts' labels: one per offcut, each QR code its code, in list order.
    let (status, content_type, pdf) = app
        .get_bytes(&format!("/api/offcuts/labels.pdf?material_id={material}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/pdf");
    let page = render_page(&pdf, 0, 200);
    let decoded: Vec<Vec<String>> = (0..offcuts.len())
        .map(|index| decode_label(&page, LabelFormat::A4ThreeByEight, index))
        .collect();
    let codes: Vec<Vec<String>> = offcuts
        .iter()
        .map(|offcut| vec![offcut["code"].as_str().unwrap_or_default().to_owned()])
        .collect();
    assert_eq!(decoded, codes);
    app.get(&format!("/api/offcuts/labels.pdf?material_id={other}"))
        .await
        .assert_problem(422, Some("material_id"));

    // The next order of the same material is nested on the offcuts first, and cutting it
    // consumes the ones it used.
    let second = app
        .post(
            "/api/v1/exports/cnc",
            &json!({"order_id": small_order(&app, &material).await}),
        )
        .await;
    assert_eq!(second.status, 201, "{}", second.body);
    let used: Vec<String> = second.body["layouts"][0]["sheets"]
        .as_array()
        .expect("sheets")
        .iter()
        .filter_map(|sheet| sheet["offcut"]["id"].as_str().map(str::to_owned))
        .collect();
    assert!(
        !used.is_empty(),
        "the offcuts are used first: {}",
        second.body["layouts"]
    );
    for sheet in second.body["layouts"][0]["sheets"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if let Some(code) = sheet["offcut"]["code"].as_str() {
            assert!(offcuts.iter().any(|offcut| offcut["code"] == code));
        }
    }
    let second_id = second.body["export_id"].as_str().expect("an export id");
    let second_cut = app
        .post(&format!("/api/v1/exports/{second_id}/cut"), &json!({}))
        .await;
    assert_eq!(second_cut.status, 200, "{}", second_cut.body);
    assert_eq!(second_cut.body["consumed"], json!(used));
    let left = app.get("/api/offcuts").await.body;
    for id in &used {
        assert!(
            left.as_array()
                .expect("a list")
                .iter()
                .all(|offcut| offcut["id"] != id.as_str()),
            "offcut {id} was consumed"
        );
    }

    let first = left[0]["id"].as_str().expect("an id");
    assert_eq!(
        app.delete(&format!("/api/offcuts/{first}")).await.status,
        204
    );
    app.delete(&format!("/api/offcuts/{first}"))
        .await
        .assert_problem(404, None);
    assert_eq!(
        app.get("/api/offcuts").await.body.as_array().map(Vec::len),
        left.as_array().map(|all| all.len() - 1)
    );
    app.post("/api/v1/exports/nope/cut", &json!({}))
        .await
        .assert_problem(404, None);
}

#[tokio::test]
async fn scans_are_idempotent_and_the_last_assembly_completes_the_order() {
    let app = spawn_app().await;
    let (order, _) = order_of_one_module(&app).await;
    let order_id = order["id"].as_str().expect("an order id");
    let production_path = format!("/api/orders/{order_id}/production");
    let production = app.get(&production_path).await;
    assert_eq!(production.status, 200, "{}", production.body);
    assert_eq!(production.body["percentage"], 0);
    assert_eq!(production.body["complete"], false);
    let codes: Vec<String> = production.body["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .map(|part| part["code"].as_str().expect("a code").to_owned())
        .collect();
    let number = order["number"].as_str().expect("a number");
    assert_eq!(codes[0], format!("{number}-01-A1"));
    assert!(codes.len() > 1);

    let unknown = app
        .post(
            &format!("/api/parts/{number}-01-ZZ/scan"),
            &json!({"station": "cut", "actor": "Saw"}),
        )
        .await;
    unknown.assert_problem(404, None);
    assert!(
        unknown.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains(&format!("{number}-01-ZZ")))
    );
    app.post(
        &format!("/api/parts/{}/scan", codes[0]),
        &json!({"station": "polish", "actor": "Saw"}),
    )
    .await
    .assert_problem(400, Some("station"));
    app.post(
        &format!("/api/parts/{}/scan", codes[0]),
        &json!({"station": "cut", "actor": " "}),
    )
    .await
    .assert_problem(422, Some("actor"));
    // This machine itself has no device token: a scan from it must name its actor.
    app.post(
        &format!("/api/parts/{}/scan", codes[0]),
        &json!({"station": "cut"}),
    )
    .await
    .assert_problem(422, Some("actor"));

    let scan = |code: &str, station: &str| {
        let path = format!("/api/parts/{code}/scan");
        let body = json!({"station": station, "actor": "Tablet 1"});
        let app = &app;
        async move { app.post(&path, &body).await }
    };
    let first = scan(&codes[0], "cut").await;
    assert_eq!(first.status, 200, "{}", first.body);
    let repeat = scan(&codes[0], "cut").await;
    assert_eq!(repeat.body, first.body, "a repeated scan changes nothing");
    let progress = app.get(&production_path).await.body;
    let expected = 100 / (4 * codes.len() as u64);
    assert_eq!(progress["percentage"], expected);
    assert_eq!(progress["parts"][0]["stations"][0]["station"], "cut");

    for code in &codes {
        assert_eq!(scan(code, "assemble").await.status, 200);
    }
    // The last scan again: completion is recorded once.
    assert_eq!(scan(&codes[codes.len() - 1], "assemble").await.status, 200);
    let done = app.get(&production_path).await.body;
    assert_eq!(done["percentage"], 100);
    assert_eq!(done["complete"], true);

    assert_completed_once(&app, order_id).await;
    let audit = app.get("/api/audit/verify").await;
    assert_eq!(audit.status, 200);
    assert_eq!(audit.body["ok"], true, "{}", audit.body);
    // Each scan that recorded a station is on the chain with its part code and station; the
    // repeated scans recorded nothing and appended nothing.
    let events = app
        .get(&format!("/api/orders/{order_id}/events"))
        .await
        .body;
    let scans: Vec<(&str, &str)> = events
        .as_array()
        .expect("events")
        .iter()
        .filter(|event| event["kind"] == "part_scanned")
        .map(|event| {
            (
                event["data"]["part_code"].as_str().unwrap(),
                event["data"]["station"].as_str().unwrap(),
            )
        })
        .collect();
    let mut expected_scans = vec![(codes[0].as_str(), "cut")];
    expected_scans.extend(codes.iter().map(|code| (code.as_str(), "assemble")));
    assert_eq!(scans, expected_scans);
}

/// The order's audit chain has exactly one `production_complete` event and one such job.
async fn assert_completed_once(app: &TestApp, order_id: &str) {
    let events = app.get(&format!("/api/orders/{order_id}/events")).await;
    let completions = events.body["items"]
        .as_array()
        .or(events.body.as_array())
        .expect("events")
        .iter()
        .filter(|event| event["kind"] == "production_complete")
        .count();
    assert_eq!(completions, 1, "{}", events.body);
    let jobs = app.get("/api/jobs?kind=production_complete").await;
    assert_eq!(jobs.status, 200, "{}", jobs.body);
    assert_eq!(jobs.body["total"], 1, "{}", jobs.body);
    assert_eq!(jobs.body["items"][0]["order_id"], order_id);
}

/// The parts of an order's production, as (code, stations passed).
async fn parts_passed(app: &TestApp, order_id: &str) -> Vec<(String, Vec<String>)> {
    let production = app.get(&format!("/api/orders/{order_id}/production")).await;
    assert_eq!(production.status, 200, "{}", production.body);
    production.body["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .map(|part| {
            let stations = part["stations"]
                .as_array()
                .expect("stations")
                .iter()
                .map(|scan| scan["station"].as_str().expect("a station").to_owned())
                .collect();
            (part["code"].as_str().expect("a code").to_owned(), stations)
        })
        .collect()
}

#[tokio::test]
async fn each_copy_of_a_panel_is_its_own_part_and_its_bare_panel_code_marks_every_copy() {
    let app = spawn_app().await;
    // Two carcasses, each with two sides, a top and a bottom, and a back.
    let (order, _) = order_of_one_module(&app).await;
    let order_id = order["id"].as_str().expect("an order id");
    let number = order["number"].as_str().expect("a number");
    let code = |suffix: &str| format!("{number}-01-{suffix}");
    let production_path = format!("/api/orders/{order_id}/production");
    let production = app.get(&production_path).await.body;
    let codes: Vec<String> = production["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .map(|part| part["code"].as_str().expect("a code").to_owned())
        .collect();
    let expected: Vec<String> = ["A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "C1", "C2"]
        .into_iter()
        .map(code)
        .collect();
    assert_eq!(codes, expected);
    let second_side = &production["parts"][1];
    assert_eq!(second_side["panel_code"], code("A"));
    assert_eq!(second_side["copy"], 2);
    assert_eq!(second_side["copies"], 4);
    assert_eq!(second_side["quantity"], 1);

    let scan = |code: String, station: &str| {
        let path = format!("/api/parts/{code}/scan");
        let body = json!({"station": station, "actor": "Tablet 1"});
        let app = &app;
        async move { app.post(&path, &body).await }
    };
    let one = scan(code("A1"), "assemble").await;
    assert_eq!(one.status, 200, "{}", one.body);
    assert_eq!(one.body["code"], code("A1"));
    assert_eq!(one.body["copy"], 1);
    let progress = app.get(&production_path).await.body;
    assert_eq!(
        progress["percentage"], 10,
        "one part of ten at its last station"
    );
    assert_eq!(progress["complete"], false);
    let passed = parts_passed(&app, order_id).await;
    assert_eq!(passed[0].1, ["assemble"]);
    assert!(passed[1].1.is_empty(), "its sibling copy is unscanned");

    // A label printed before copies had codes carries the bare panel code: it marks every
    // copy, once.
    let whole = scan(code("A"), "cut").await;
    assert_eq!(whole.status, 200, "{}", whole.body);
    assert_eq!(whole.body["code"], code("A"));
    assert_eq!(whole.body["quantity"], 4);
    assert!(whole.body.get("copy").is_none(), "{}", whole.body);
    assert_eq!(whole.body["stations"][0]["station"], "cut");
    let passed = parts_passed(&app, order_id).await;
    for (part, stations) in &passed[..4] {
        assert!(stations.contains(&"cut".to_owned()), "{part}: {stations:?}");
    }
    assert_eq!(passed[0].1, ["cut", "assemble"]);
    assert!(passed[4].1.is_empty());
    let repeat = scan(code("A"), "cut").await;
    assert_eq!(repeat.body, whole.body, "a repeated scan changes nothing");
    assert_eq!(parts_passed(&app, order_id).await, passed);

    // Copy numbers run from 1 to the panel's copies, written without leading zeros.
    for suffix in ["A5", "C3", "B0", "A01"] {
        let unknown = scan(code(suffix), "cut").await;
        unknown.assert_problem(404, None);
        assert!(
            unknown.body["detail"]
                .as_str()
                .is_some_and(|detail| detail.contains(&code(suffix))),
            "{}",
            unknown.body
        );
    }

    for part in &codes[..codes.len() - 1] {
        assert_eq!(scan(part.clone(), "assemble").await.status, 200);
    }
    let almost = app.get(&production_path).await.body;
    assert_eq!(
        (almost["percentage"].as_u64(), &almost["complete"]),
        (Some(90), &json!(false))
    );
    let last = scan(code("C"), "assemble").await;
    assert_eq!(last.status, 200, "{}", last.body);
    assert_eq!(last.body["quantity"], 2);
    let done = app.get(&production_path).await.body;
    assert_eq!(done["percentage"], 100);
    assert_eq!(done["complete"], true);
    assert_eq!(scan(code("C2"), "assemble").await.status, 200);
    assert_eq!(scan(code("B"), "assemble").await.status, 200);

    assert_completed_once(&app, order_id).await;
}

/// An open `GET /api/events` and the text read from it so far.
struct EventStream {
    response: reqwest::Response,
    buffer: String,
}

impl EventStream {
    async fn open(app: &TestApp, last_event_id: Option<u64>) -> EventStream {
        let mut request = app.client.get(app.url("/api/events"));
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        let response = request.send().await.expect("the stream opens");
        assert_eq!(response.status(), 200);
        assert!(
            response
                .headers()
                .get("content-type")
                .and_then(|value| value.to_str().ok())
                .is_some_and(|value| value.starts_with("text/event-stream"))
        );
        EventStream {
            response,
            buffer: String::new(),
        }
    }

    /// The next event as (id, name, data); comments (heartbeats) are skipped.
    async fn next(&mut self) -> (Option<u64>, String, Value) {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let (mut id, mut name, mut data) = (None, String::new(), Value::Null);
                for line in block.lines() {
                    if let Some(value) = line.strip_prefix("id:") {
                        id = value.trim().parse().ok();
                    } else if let Some(value) = line.strip_prefix("event:") {
                        name = value.trim().to_owned();
                    } else if let Some(value) = line.strip_prefix("data:") {
                        data = serde_json::from_str(value.trim()).unwrap_or(Value::Null);
                    }
                }
                if !name.is_empty() {
                    return (id, name, data);
                }
                continue;
            }
            let chunk = tokio::time::timeout(Duration::from_secs(5), self.response.chunk())
                .await
                .expect("an event within 5 s")
                .expect("the stream reads")
                .expect("the stream stays open");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

#[tokio::test]
async fn committed_writes_arrive_as_events_and_a_reconnect_resumes_after_its_last_id() {
    let app = spawn_app().await;
    let mut stream = EventStream::open(&app, None).await;
    let material = app.material("Walnut", "4.00", None).await;
    let (id, name, data) = stream.next().await;
    assert_eq!(name, "catalog");
    assert_eq!(data["subject"], material.as_str());
    let first_id = id.expect("an event id");
    drop(stream);

    // While disconnected: a stock change, and a write that fails (no event).
    let bad = json!({"sheets": [], "kerf": 4, "trim": 0, "grain_direction": "length"});
    app.put(&format!("/api/materials/{material}/stock"), &bad)
        .await
        .assert_problem(422, None);
    let stock = json!({"sheets": [{"width": 2000, "height": 1000}], "kerf": 4, "trim": 0,
        "grain_direction": "length"});
    assert_eq!(
        app.put(&format!("/api/materials/{material}/stock"), &stock)
            .await
            .status,
        200
    );

    let mut resumed = EventStream::open(&app, Some(first_id)).await;
    let (id, name, data) = resumed.next().await;
    assert_eq!((id, name.as_str()), (Some(first_id + 1), "catalog"));
    assert_eq!(data["subject"], material.as_str());
    app.material("Ash", "4.00", None).await;
    let (id, _, _) = resumed.next().await;
    assert_eq!(
        id,
        Some(first_id + 2),
        "live events follow the replay without a gap"
    );

    let mut from_the_future = EventStream::open(&app, Some(1_000_000)).await;
    let (id, name, data) = from_the_future.next().await;
    assert_eq!(name, "reset");
    // Like every event (the documented LiveEvent), a reset carries an id: the last one so far.
    assert_eq!(id, Some(first_id + 2));
    assert_eq!(
        data,
        json!({"id": first_id + 2, "kind": "reset", "subject": ""})
    );
}

#[tokio::test]
async fn a_scan_takes_the_actor_object_and_a_paired_tablet_is_the_actor_when_none_is_given() {
    let (server, app) = spawn_app_requiring_tokens(None).await;
    let material = app
        .create_material(
            serde_json::from_value::<MaterialInput>(
                json!({"name": "Birch", "cost_per_sq_ft": "3.00", "thickness_mm": 18}),
            )
            .expect("a material input"),
        )
        .await
        .expect("a material");
    let module = app
        .create_module(
            serde_json::from_value::<ModuleInput>(json!({"name": "Base 600",
                "dimensions": {"width": 600, "height": 720, "depth": 560},
                "base_price": "100.00", "material_id": material.id}))
            .expect("a module input"),
        )
        .await
        .expect("a module");
    let quote = app
        .generate_quote(
            serde_json::from_value::<QuoteRequest>(
                json!({"items": [{"module_id": module.id, "quantity": 1}]}),
            )
            .expect("a quote request"),
        )
        .await
        .expect("a quote");
    let order = app
        .accept_quote(
            &quote.id,
            serde_json::from_value::<AcceptQuoteRequest>(
                json!({"buyer": {"name": "Ada", "email": "ada@example.com"}, "actor": "Sam"}),
            )
            .expect("an acceptance"),
        )
        .await
        .expect("an order");
    let tablet = app
        .create_device_token(paform_app::dto::DeviceTokenInput {
            name: "Saw tablet".into(),
            role: Some("production".into()),
        })
        .await
        .expect("a production token");
    let scan = |code: String, body: Value| {
        let request = server
            .client
            .post(server.url(&format!("/api/parts/{code}/scan")));
        let (server, token) = (&server, tablet.token.clone());
        async move { server.send_as(&token, request.json(&body)).await }
    };
    let codes: Vec<String> = app
        .order_production(&order.id)
        .expect("the order's parts")
        .parts
        .into_iter()
        .map(|part| part.code)
        .collect();

    // SPEC §5's actor object, as every other write takes it.
    let operator = json!({"id": "u-7", "name": "Rita", "role": "operator"});
    let by_rita = scan(
        codes[0].clone(),
        json!({"station": "cut", "actor": operator}),
    )
    .await;
    assert_eq!(by_rita.status, 200, "{}", by_rita.body);
    let recorded = &by_rita.body["stations"][0];
    assert_eq!(recorded["actor"], "Rita");
    assert_eq!(recorded["operator"], operator);
    let device = json!({"id": tablet.id, "name": "Saw tablet", "role": "device"});
    assert_eq!(recorded["device"], device);

    // No operator named: the paired tablet is the actor.
    let by_tablet = scan(codes[1].clone(), json!({"station": "cut"})).await;
    assert_eq!(by_tablet.status, 200, "{}", by_tablet.body);
    let recorded = &by_tablet.body["stations"][0];
    assert_eq!(recorded["actor"], "Saw tablet");
    assert_eq!(recorded["operator"], Value::Null);
    assert_eq!(recorded["device"], device);

    // The plain name of earlier clients is still an operator.
    let by_name = scan(codes[2].clone(), json!({"station": "cut", "actor": "Sam"})).await;
    assert_eq!(by_name.status, 200, "{}", by_name.body);
    let recorded = &by_name.body["stations"][0];
    assert_eq!(
        recorded["operator"],
        json!({"id": "Sam", "name": "Sam", "role": "staff"})
    );
}
