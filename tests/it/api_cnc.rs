//! CNC (SPEC §6) through the real server and binary: nesting (`POST /api/v1/cnc/nest` and
//! `paform nest`), the panel list, and local exports with their signed, expiring links.
//!
//! The export tests run their own server over an app whose clock they can move, so a link
//! can be tried after its expiry without waiting.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use jiff::{SignedDuration, Timestamp};
use paform_app::{App, AppConfig, Clock};
use paform_http::ServerOptions;
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::sync::oneshot;

use crate::support::{Reply, paform_binary, spawn_app};

const KERF: f64 = 4.0;

/// Checks a nesting result against its request: every sheet one of the stock sizes asked
/// for, every piece placed exactly once, on its sheet, at least a kerf apart, grain parts
/// never rotated, sizes as placed, and the utilization as reported.
fn check_layout(request: &Value, result: &Value) {
    let stock_sizes: Vec<&Value> = match request["sheets"].as_array() {
        Some(sheets) => sheets.iter().collect(),
        None => vec![&request["sheet"]],
    };
    let kerf = request["kerf"].as_f64().unwrap_or(KERF);
    let parts: BTreeMap<&str, &Value> = request["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .map(|part| (part["id"].as_str().expect("id"), part))
        .collect();
    let mut placed: BTreeMap<&str, u64> = BTreeMap::new();
    let sheets = result["sheets"].as_array().expect("sheets");
    assert!(!sheets.is_empty());
    let mut total_area = 0.0;
    let mut stock_area = 0.0;
    for sheet in sheets {
        let stock = &sheet["stock"];
        assert!(
            stock_sizes
                .iter()
                .any(|size| size["width"].as_f64() == stock["width"].as_f64()
                    && size["height"].as_f64() == stock["height"].as_f64()),
            "{stock} was not asked for"
        );
        let sheet_width = stock["width"].as_f64().expect("stock width");
        let sheet_height = stock["height"].as_f64().expect("stock height");
        stock_area += sheet_width * sheet_height;
        let rects: Vec<[f64; 4]> = sheet["placements"]
            .as_array()
            .expect("placements")
            .iter()
            .map(|placement| {
                let id = placement["id"].as_str().expect("placement id");
                *placed.entry(id).or_default() += 1;
                let part = parts[id];
                let (width, height) = (part["width"].as_f64(), part["height"].as_f64());
                let rotated = placement["rotated"].as_bool().expect("rotated");
                let (w, h) = (placement["width"].as_f64(), placement["height"].as_f64());
                if rotated {
                    assert_eq!((w, h), (height, width), "{placement}");
                    assert_ne!(part["grain"], "length", "a grain part was rotated");
                } else {
                    assert_eq!((w, h), (width, height), "{placement}");
                }
                let rect = [
                    placement["x"].as_f64().expect("x"),
                    placement["y"].as_f64().expect("y"),
                    w.expect("width"),
                    h.expect("height"),
                ];
                assert!(rect[0] >= 0.0 && rect[1] >= 0.0, "{placement}");
                assert!(rect[0] + rect[2] <= sheet_width + 1e-6, "{placement}");
                assert!(rect[1] + rect[3] <= sheet_height + 1e-6, "{placement}");
                rect
            })
            .collect();
        for (index, a) in rects.iter().enumerate() {
            for b in &rects[index + 1..] {
                let apart = a[0] + a[2] + kerf <= b[0] + 1e-6
                    || b[0] + b[2] + kerf <= a[0] + 1e-6
                    || a[1] + a[3] + kerf <= b[1] + 1e-6
                    || b[1] + b[3] + kerf <= a[1] + 1e-6;
                assert!(apart, "{a:?} and {b:?} are closer than the kerf");
            }
        }
        let used: f64 = rects.iter().map(|rect| rect[2] * rect[3]).sum();
        let utilization = sheet["utilization"].as_f64().expect("sheet utilization");
        assert!((utilization - used / (sheet_width * sheet_height)).abs() < 1e-9);
        total_area += used;
    }
    for (id, part) in &parts {
        let quantity = part["quantity"].as_u64().unwrap_or(1);
        assert_eq!(placed.get(id), Some(&quantity), "part {id}");
    }
    let utilization = result["utilization"].as_f64().expect("utilization");
    let expected = total_area / stock_area;
    assert!((utilization - expected).abs() < 1e-9);
}

fn cabinet_parts() -> Value {
    json!([
        {"id": "side", "width": 720, "height": 560, "quantity": 6, "grain": "length"},
        {"id": "top", "width": 564, "height": 560, "quantity": 6, "grain": "length"},
        {"id": "back", "width": 684, "height": 564, "quantity": 3},
        {"id": "shelf", "width": 564, "height": 542, "quantity": 5, "grain": "none"},
        {"id": "strip", "width": 2000, "height": 90, "quantity": 4},
    ])
}

#[tokio::test]
async fn nesting_places_every_part_on_the_sheet_a_kerf_apart() {
    let app = spawn_app().await;
    for mode in ["guillotine", "free"] {
        let request = json!({
            "sheet": {"width": 2440, "height": 1220}, "kerf": 4, "allow_rotation": true,
            "mode": mode, "parts": cabinet_parts(), "time_limit_ms": 500,
        });
        let reply = app.post("/api/v1/cnc/nest", &request).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        check_layout(&request, &reply.body);
    }
}

#[tokio::test]
async fn nesting_on_several_sizes_picks_the_cheapest_mix_within_the_quantities() {
    let app = spawn_app().await;
    let request = json!({
        "sheets": [
            {"width": 2440, "height": 1220, "cost": "40.00"},
            {"width": 1220, "height": 1220, "cost": "15.00", "quantity": 1},
        ],
        "parts": [{"id": "a", "width": 1000, "height": 1000, "quantity": 3}],
    });
    let reply = app.post("/api/v1/cnc/nest", &request).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    check_layout(&request, &reply.body);
    // Two big sheets (80.00) lose to one big and the one small board (55.00).
    let stock: Vec<&Value> = reply.body["sheets"]
        .as_array()
        .expect("sheets")
        .iter()
        .map(|sheet| &sheet["stock"]["width"])
        .collect();
    assert_eq!(stock, [&json!(2440.0), &json!(1220.0)]);
    let both = json!({"sheet": {"width": 100, "height": 100}, "sheets": [],
        "parts": [{"id": "a", "width": 10, "height": 10}]});
    app.post("/api/v1/cnc/nest", &both)
        .await
        .assert_problem(422, Some("sheets"));
}

#[tokio::test]
async fn nesting_defaults_follow_the_spec_and_are_reproducible() {
    let app = spawn_app().await;
    let request = json!({"sheet": {"width": 1000, "height": 500}, "parts": [
        {"id": "a", "width": 300, "height": 200, "quantity": 5},
        {"id": "b", "width": 480, "height": 120},
    ]});
    let first = app.post("/api/v1/cnc/nest", &request).await;
    assert_eq!(first.status, 200, "{}", first.body);
    // The default kerf of 4 mm is what check_layout assumes when the request names none.
    check_layout(&request, &first.body);
    let keys: Vec<&String> = first.body.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["sheets", "utilization"]);
    let second = app.post("/api/v1/cnc/nest", &request).await;
    assert_eq!(first.body, second.body);
}

#[tokio::test]
async fn nesting_refuses_zero_and_negative_sizes_naming_each_field() {
    let app = spawn_app().await;
    let request = json!({"sheet": {"width": 0, "height": 1220}, "kerf": -1, "parts": [
        {"id": "a", "width": -5, "height": 200},
        {"id": "b", "width": 100, "height": 0, "quantity": 0},
    ]});
    let reply = app.post("/api/v1/cnc/nest", &request).await;
    for field in [
        "sheet.width",
        "kerf",
        "parts[0].width",
        "parts[1].height",
        "parts[1].quantity",
    ] {
        reply.assert_problem(422, Some(field));
    }
    let empty = json!({"sheet": {"width": 100, "height": 100}, "parts": []});
    app.post("/api/v1/cnc/nest", &empty)
        .await
        .assert_problem(422, Some("parts"));
    let slow = json!({"sheet": {"width": 100, "height": 100}, "time_limit_ms": 60001,
        "parts": [{"id": "a", "width": 10, "height": 10}]});
    app.post("/api/v1/cnc/nest", &slow)
        .await
        .assert_problem(422, Some("time_limit_ms"));
}

#[tokio::test]
async fn nesting_a_part_larger_than_the_sheet_names_the_part() {
    let app = spawn_app().await;
    let request = json!({"sheet": {"width": 2440, "height": 1220}, "parts": [
        {"id": "fits", "width": 500, "height": 300},
        {"id": "door-XL", "width": 2300, "height": 1300, "grain": "length"},
    ]});
    let reply = app.post("/api/v1/cnc/nest", &request).await;
    reply.assert_problem(422, Some("parts[1]"));
    assert!(
        reply.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("door-XL")),
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn nesting_five_thousand_parts_answers_within_its_time_limit_and_more_is_refused() {
    let app = spawn_app().await;
    let parts: Vec<Value> = (0..5000)
        .map(|index| {
            json!({"id": format!("p{index}"), "width": 40 + (index * 37) % 400,
                "height": 30 + (index * 53) % 300})
        })
        .collect();
    let request = json!({"sheet": {"width": 2440, "height": 1220}, "mode": "free",
        "time_limit_ms": 200, "parts": parts});
    let reply = app.post("/api/v1/cnc/nest", &request).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let n_placed: usize = reply.body["sheets"]
        .as_array()
        .expect("sheets")
        .iter()
        .map(|sheet| sheet["placements"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(n_placed, 5000);

    let mut too_many = request.clone();
    too_many["parts"]
        .as_array_mut()
        .expect("parts")
        .push(json!({"id": "one-more", "width": 10, "height": 10}));
    app.post("/api/v1/cnc/nest", &too_many)
        .await
        .assert_problem(422, Some("parts"));
    let pieces = json!({"sheet": {"width": 2440, "height": 1220},
        "parts": [{"id": "a", "width": 10, "height": 10, "quantity": 10000},
                  {"id": "b", "width": 10, "height": 10, "quantity": 10000},
                  {"id": "c", "width": 10, "height": 10, "quantity": 1}]});
    app.post("/api/v1/cnc/nest", &pieces)
        .await
        .assert_problem(422, Some("parts"));
}

#[tokio::test]
async fn nesting_malformed_json_is_a_problem_naming_the_field() {
    let app = spawn_app().await;
    app.post_raw(
        "/api/v1/cnc/nest",
        "application/json",
        b"{\"sheet\": {".to_vec(),
    )
    .await
    .assert_problem(400, None);
    let bad_mode = json!({"sheet": {"width": 100, "height": 100}, "mode": "diagonal",
        "parts": [{"id": "a", "width": 10, "height": 10}]});
    app.post("/api/v1/cnc/nest", &bad_mode)
        .await
        .assert_problem(400, Some("mode"));
    let text_width = json!({"sheet": {"width": 100, "height": 100},
        "parts": [{"id": "a", "width": "wide", "height": 10}]});
    app.post("/api/v1/cnc/nest", &text_width)
        .await
        .assert_problem(400, Some("parts[0].width"));
}

#[tokio::test]
async fn panels_come_from_the_catalog_grouped_by_material() {
    let app = spawn_app().await;
    let oak = app.material("Oak", "4.50", Some(18.0)).await;
    let plain = app.material("Plain", "1.00", None).await;
    let base = app
        .module("Base 600", [600.0, 720.0, 560.0], "120.00", &oak)
        .await;
    let request = json!({"items": [
        {"module_id": base, "quantity": 2},
        {"module_id": base, "quantity": 1, "material_id": plain},
    ]});
    let reply = app.post("/api/v1/cnc/panels", &request).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let materials = reply.body["materials"].as_array().expect("materials");
    let names: Vec<&str> = materials
        .iter()
        .map(|m| m["material_name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, ["Oak", "Plain"]);
    // A carcass from 18 mm board: two sides, top and bottom between them, an inset back.
    let oak_panels: Vec<(String, f64, f64, u64)> = materials[0]["panels"]
        .as_array()
        .expect("panels")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or("").to_owned(),
                p["length"].as_f64().unwrap_or(0.0),
                p["width"].as_f64().unwrap_or(0.0),
                p["quantity"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        oak_panels,
        [
            ("side".to_owned(), 720.0, 560.0, 4),
            ("top-bottom".to_owned(), 564.0, 560.0, 4),
            ("back".to_owned(), 684.0, 564.0, 2),
        ]
    );
    let first = &materials[0]["panels"][0];
    assert_eq!(first["label"], "ITEM-01-A");
    assert_eq!(first["line_item_id"], "item-1");
    // Without a thickness the module is its six box faces.
    assert_eq!(materials[1]["panels"].as_array().map(Vec::len), Some(3));
    assert_eq!(materials[1]["panels"][0]["line_item_id"], "item-2");
    assert_eq!(reply.body["total_panels"], 10 + 6);

    let unknown = json!({"items": [{"module_id": base, "quantity": 1},
        {"module_id": "nope", "quantity": 0}]});
    let reply = app.post("/api/v1/cnc/panels", &unknown).await;
    reply.assert_problem(422, Some("items[1].module_id"));
    reply.assert_problem(422, Some("items[1].quantity"));
}

/// A clock that tests can move forward.
struct MovableClock {
    offset_secs: AtomicI64,
}

impl Clock for MovableClock {
    fn now(&self) -> Timestamp {
        let offset = SignedDuration::from_secs(self.offset_secs.load(Ordering::SeqCst));
        Timestamp::now()
            .checked_add(offset)
            .unwrap_or(Timestamp::MAX)
    }
}

/// A server of its own over a fresh directory, with a movable clock and a small catalog.
struct ExportServer {
    address: SocketAddr,
    client: reqwest::Client,
    clock: Arc<MovableClock>,
    data_dir: TempDir,
    base_module: String,
    wall_module: String,
    _shutdown: oneshot::Sender<()>,
}

impl ExportServer {
    async fn start() -> ExportServer {
        let data_dir = tempfile::tempdir().expect("a temporary directory can be made");
        let config = AppConfig {
            data_dir: data_dir.path().to_path_buf(),
            seed_demo_catalog: false,
        };
        let clock = Arc::new(MovableClock {
            offset_secs: AtomicI64::new(0),
        });
        let app = App::open(&config)
            .await
            .expect("the app opens on an empty directory")
            .with_clock(clock.clone());
        let (base_module, wall_module) = small_catalog(&app).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("port 0 binds");
        let address = listener.local_addr().expect("a bound listener");
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let stopped = async move {
                let _ = stopped.await;
            };
            let options = ServerOptions::default();
            paform_http::serve(listener, app, &options, stopped)
                .await
                .expect("the server runs");
        });
        ExportServer {
            address,
            client: reqwest::Client::new(),
            clock,
            data_dir,
            base_module,
            wall_module,
            _shutdown: shutdown,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }

    async fn post(&self, path: &str, body: &Value) -> Reply {
        let response = self
            .client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("the server answers");
        let status = response.status().as_u16();
        let content_type = content_type(&response);
        let body = response.json().await.unwrap_or(Value::Null);
        Reply {
            status,
            content_type,
            body,
        }
    }

    /// Status, content type and bytes of a GET.
    async fn download(&self, path: &str) -> (u16, String, Vec<u8>) {
        let response = self
            .client
            .get(self.url(path))
            .send()
            .await
            .expect("the server answers");
        let status = response.status().as_u16();
        let content_type = content_type(&response);
        let bytes = response.bytes().await.expect("a body").to_vec();
        (status, content_type, bytes)
    }

    fn items(&self) -> Value {
        json!({"items": [
            {"module_id": self.base_module, "quantity": 3},
            {"module_id": self.wall_module, "quantity": 2},
        ]})
    }
}

fn content_type(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// Two materials (one with a thickness) and two modules; returns the modules' ids.
pub(crate) async fn small_catalog(app: &App) -> (String, String) {
    use paform_app::dto::{Dimensions, MaterialInput, ModuleInput};
    let material = |name: &str, thickness| MaterialInput {
        name: name.to_owned(),
        texture_url: None,
        cost_per_sq_ft: "3.00".to_owned(),
        thickness_mm: thickness,
        external_ids: Default::default(),
    };
    let oak = app
        .create_material(material("Oak, 18 mm", Some(18.0)))
        .await
        .expect("a material");
    let white = app
        .create_material(material("White", None))
        .await
        .expect("a material");
    let module = |name: &str, size: [f64; 3], material_id: &str| ModuleInput {
        name: name.to_owned(),
        dimensions: Dimensions {
            width: size[0],
            height: size[1],
            depth: size[2],
        },
        base_price: "100.00".to_owned(),
        material_id: material_id.to_owned(),
        assembly_attributes: json!({"shelves": 2}),
        placement_constraints: json!({}),
        connection_points: json!([]),
        external_ids: Default::default(),
    };
    let base = app
        .create_module(module("Base 600", [600.0, 720.0, 560.0], &oak.id))
        .await
        .expect("a module");
    let wall = app
        .create_module(module("Wall 400", [400.0, 700.0, 320.0], &white.id))
        .await
        .expect("a module");
    (base.id, wall.id)
}

/// Splits a local link into its path and query parameters.
fn link_parts(url: &str) -> (String, String, String) {
    let (path, query) = url.split_once('?').expect("a query");
    let mut expires = String::new();
    let mut signature = String::new();
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("expires", value)) => expires = value.to_owned(),
            Some(("sig", value)) => signature = value.to_owned(),
            _ => panic!("unexpected query part {pair}"),
        }
    }
    (path.to_owned(), expires, signature)
}

#[tokio::test]
async fn a_local_export_round_trips_through_its_signed_links_byte_for_byte() {
    let server = ExportServer::start().await;
    let reply = server.post("/api/v1/exports/cnc", &server.items()).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let artifacts = reply.body["artifacts"].as_array().expect("artifacts");
    let kinds: Vec<&str> = artifacts
        .iter()
        .map(|a| a["kind"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        kinds,
        [
            "cut_list_csv",
            "nesting_svg",
            "nesting_dxf",
            "nesting_svg",
            "nesting_dxf"
        ]
    );
    let summary = &reply.body["summary"];
    // Base: 2 sides, 2 top-bottom, 1 back, 2 shelves, × 3; wall: six box faces × 2.
    assert_eq!(summary["panels"], 7 * 3 + 6 * 2);
    assert!(summary["sheets"].as_u64().is_some_and(|n| n >= 2));
    assert!(
        summary["utilization"]
            .as_f64()
            .is_some_and(|u| u > 0.0 && u <= 1.0)
    );

    let export_id = reply.body["export_id"].as_str().expect("an export id");
    let mut first_bytes = Vec::new();
    for artifact in artifacts {
        assert_eq!(artifact["bucket"], "local");
        let url = artifact["url"].as_str().expect("a url");
        let (status, content_type, bytes) = server.download(url).await;
        assert_eq!(status, 200, "{url}");
        assert_eq!(
            content_type,
            artifact["content_type"].as_str().unwrap_or("")
        );
        let key = artifact["key"].as_str().expect("a key");
        assert!(key.starts_with(&format!("exports/{export_id}/")), "{key}");
        let on_disk = std::fs::read(server.data_dir.path().join(key)).expect("the file exists");
        assert_eq!(bytes, on_disk);
        assert_eq!(artifact["size"].as_u64(), Some(bytes.len() as u64));
        first_bytes.push(bytes);
    }
    let csv = String::from_utf8(first_bytes[0].clone()).expect("utf-8");
    let rows: Vec<&str> = csv.lines().collect();
    assert!(rows[0].starts_with("label,order_id,line_item_id,module_id"));
    assert_eq!(rows.len(), 1 + 4 + 3, "one header and one row per panel");
    assert!(
        rows[1].starts_with("ITEM-01-A,adhoc,item-1,"),
        "{}",
        rows[1]
    );
    let svg = String::from_utf8(first_bytes[1].clone()).expect("utf-8");
    assert!(svg.starts_with("<svg") && svg.contains("ITEM-01-A"));

    // The same items and settings export to the same bytes.
    let again = server.post("/api/v1/exports/cnc", &server.items()).await;
    assert_eq!(again.status, 201, "{}", again.body);
    assert_ne!(again.body["export_id"], reply.body["export_id"]);
    for (artifact, first) in again.body["artifacts"]
        .as_array()
        .expect("artifacts")
        .iter()
        .zip(&first_bytes)
    {
        let (_, _, bytes) = server
            .download(artifact["url"].as_str().expect("url"))
            .await;
        assert_eq!(&bytes, first);
    }
}

#[tokio::test]
async fn a_tampered_or_expired_export_link_is_refused_with_403() {
    let server = ExportServer::start().await;
    let reply = server.post("/api/v1/exports/cnc", &server.items()).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let url = reply.body["artifacts"][0]["url"].as_str().expect("a url");
    let (path, expires, signature) = link_parts(url);
    assert_eq!(server.download(url).await.0, 200);

    let flipped = format!(
        "{}{}",
        if signature.starts_with('0') { "1" } else { "0" },
        &signature[1..]
    );
    let later: i64 = expires.parse::<i64>().expect("unix seconds") + 3600;
    let other_file = path.replace("cut-list.csv", "nesting-01-oak-18-mm.svg");
    for tampered in [
        format!("{path}?expires={expires}&sig={flipped}"),
        format!("{path}?expires={later}&sig={signature}"),
        format!("{other_file}?expires={expires}&sig={signature}"),
        format!("{path}?expires={expires}"),
        path.clone(),
    ] {
        let (status, content_type, body) = server.download(&tampered).await;
        assert_eq!(status, 403, "{tampered}");
        assert!(content_type.starts_with("application/problem+json"));
        let problem: Value = serde_json::from_slice(&body).expect("a problem");
        assert_eq!(problem["status"], 403);
    }

    // A day and a bit later the genuine link has expired.
    server.clock.offset_secs.store(25 * 3600, Ordering::SeqCst);
    let (status, _, body) = server.download(url).await;
    assert_eq!(status, 403);
    let problem: Value = serde_json::from_slice(&body).expect("a problem");
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("expired")),
        "{problem}"
    );
}

#[tokio::test]
async fn an_export_needs_exactly_one_of_an_order_or_items() {
    let server = ExportServer::start().await;
    server
        .post("/api/v1/exports/cnc", &json!({}))
        .await
        .assert_problem(422, Some("order_id"));
    let mut both = server.items();
    both["order_id"] = json!("x");
    server
        .post("/api/v1/exports/cnc", &both)
        .await
        .assert_problem(422, Some("order_id"));
    server
        .post("/api/v1/exports/cnc", &json!({"order_id": "no-such-order"}))
        .await
        .assert_problem(404, None);
    let unknown = json!({"items": [{"module_id": "nope", "quantity": 1}]});
    server
        .post("/api/v1/exports/cnc", &unknown)
        .await
        .assert_problem(422, Some("items[0].module_id"));
}

#[test]
fn paform_nest_prints_the_layout_of_a_file_and_exits_2_for_a_bad_one() {
    let folder = tempfile::tempdir().expect("a temporary directory");
    let request = json!({"sheet": {"width": 2440, "height": 1220}, "kerf": 4,
        "allow_rotation": true, "mode": "guillotine", "parts": cabinet_parts()});
    let file = folder.path().join("job.json");
    std::fs::write(&file, request.to_string()).expect("writes");
    let output = std::process::Command::new(paform_binary())
        .args(["nest", "--time-limit", "300"])
        .arg(&file)
        .output()
        .expect("paform runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    check_layout(&request, &result);

    let cases = [
        (
            "broken.json",
            "{\"sheet\": ",
            "broken.json is not a nesting request",
        ),
        (
            "zero.json",
            r#"{"sheet": {"width": 0, "height": 10}, "parts": [{"id": "a", "width": 1, "height": 1}]}"#,
            "sheet.width",
        ),
    ];
    for (name, text, expected) in cases {
        let bad = folder.path().join(name);
        std::fs::write(&bad, text).expect("writes");
        let output = std::process::Command::new(paform_binary())
            .arg("nest")
            .arg(&bad)
            .output()
            .expect("paform runs");
        assert_eq!(output.status.code(), Some(2), "{name}");
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{stderr}");
    }
    let missing = std::process::Command::new(paform_binary())
        .args(["nest", "/no/such/file.json"])
        .output()
        .expect("paform runs");
    assert_eq!(missing.status.code(), Some(2));
}

#[tokio::test]
async fn an_order_exports_its_frozen_line_items_labelled_with_the_order() {
    let server = ExportServer::start().await;
    let quote = server.post("/api/quote/generate", &server.items()).await;
    assert_eq!(quote.status, 201, "{}", quote.body);
    let accept = json!({"buyer": {"name": "Ada", "email": "ada@example.com"}, "actor": "Sam"});
    let quote_id = quote.body["id"].as_str().expect("a quote id");
    let order = server
        .post(&format!("/api/quotes/{quote_id}/accept"), &accept)
        .await;
    assert_eq!(order.status, 201, "{}", order.body);
    let order_id = order.body["id"].as_str().expect("an order id");
    let line_id = order.body["line_items"][0]["id"]
        .as_str()
        .expect("a line item id");

    let reply = server
        .post("/api/v1/exports/cnc", &json!({"order_id": order_id}))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.body["summary"]["panels"], 7 * 3 + 6 * 2);
    let artifact = &reply.body["artifacts"][0];
    assert!(
        artifact["key"]
            .as_str()
            .is_some_and(|key| key.starts_with("exports/")),
        "{artifact}"
    );
    let (status, _, bytes) = server
        .download(artifact["url"].as_str().expect("a url"))
        .await;
    assert_eq!(status, 200);
    let csv = String::from_utf8(bytes).expect("utf-8");
    let first_row = csv.lines().nth(1).expect("a panel row");
    assert!(first_row.starts_with("PF-000001-01-A,"), "{first_row}");
    assert!(first_row.contains(&format!(",{order_id},{line_id},")));
}
