//! HQ's catalog API (SPEC §15 "HQ's own API and screens"): the catalog part of §3 and §12 with
//! the site's contract, checked by the same rules, each edit a catalog version that a real
//! site joined to HQ pulls; the site's own catalog edits answer 409 naming HQ; an open quote
//! shows "Catalog changed" with its total and the new one, and a reprice is a new quote; an
//! empty HQ database is seeded with the demo catalog once.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::hq_support::{TestHq, call, spawn_hq};
use crate::support::spawn_seeded_app;

impl TestHq {
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> (u16, Value) {
        call(
            &self.client,
            method,
            self.url_of(path),
            Some(&self.admin),
            body,
        )
        .await
    }

    async fn newest_version(&self) -> u64 {
        let (status, versions) = self.get("/hq/v1/catalog?after=0", Some(&self.admin)).await;
        assert_eq!(status, 200, "{versions}");
        versions["versions"][0]["version"].as_u64().unwrap_or(0)
    }
}

fn fields(problem: &Value) -> Vec<&str> {
    problem["errors"]
        .as_array()
        .map(|errors| errors.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default()
}

fn oak(price: &str) -> Value {
    json!({"name": "Oak", "cost_per_sq_ft": price, "thickness_mm": 19})
}

fn base_600(material_id: &str) -> Value {
    json!({
        "name": "Base 600", "material_id": material_id, "base_price": "129",
        "dimensions": {"width": 600, "height": 720, "depth": 560},
        "assembly_attributes": {"shelves": 1, "doors": 2},
        "connection_points": [{"id": "left", "side": "left", "offset_mm": [0, 0, 0]}]
    })
}

#[tokio::test]
async fn hq_answers_the_catalog_api_with_the_sites_contract_and_rules() {
    use reqwest::Method;
    let Some(hq) = spawn_hq().await else { return };

    // Refused input writes nothing: no record, no version.
    let (status, problem) = hq
        .send(
            Method::POST,
            "/api/materials",
            Some(&json!({"name": " ", "cost_per_sq_ft": "-1"})),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(fields(&problem), ["name", "cost_per_sq_ft"], "{problem}");
    let (status, problem) = hq
        .send(Method::POST, "/api/materials", Some(&json!({"name": 7})))
        .await;
    assert_eq!(status, 422, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("name"),
        "{problem}"
    );
    assert_eq!(hq.newest_version().await, 0);

    let (status, material) = hq
        .send(Method::POST, "/api/materials", Some(&oak("7.4")))
        .await;
    assert_eq!(status, 201, "{material}");
    assert_eq!(material["cost_per_sq_ft"], "7.4", "a rate keeps its digits");
    assert_eq!(material["thickness_mm"], 19.0);
    let material_id = material["id"].as_str().expect("an id").to_owned();
    assert_eq!(hq.newest_version().await, 1);

    // A module names a material that exists; its connection points are checked per item.
    let (status, problem) = hq
        .send(
            Method::POST,
            "/api/modules",
            Some(&base_600("no-such-material")),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(fields(&problem), ["material_id"]);
    let mut bad_points = base_600(&material_id);
    bad_points["connection_points"] = json!([[null, null]]);
    let (status, problem) = hq
        .send(Method::POST, "/api/modules", Some(&bad_points))
        .await;
    assert_eq!(status, 422, "{problem}");
    assert!(!fields(&problem).is_empty(), "{problem}");
    assert!(
        fields(&problem)
            .iter()
            .all(|f| f.starts_with("connection_points[0]")),
        "{problem}"
    );
    let (status, module) = hq
        .send(Method::POST, "/api/modules", Some(&base_600(&material_id)))
        .await;
    assert_eq!(status, 201, "{module}");
    assert_eq!(module["base_price"], "129.00");
    assert_eq!(module["connection_points"][0]["side"], "left");
    let module_id = module["id"].as_str().expect("an id").to_owned();

    // Lists page and search like a site's.
    let (_, page) = hq.get("/api/modules?q=BASE&limit=1", Some(&hq.admin)).await;
    assert_eq!(
        (page["total"].clone(), page["limit"].clone()),
        (json!(1), json!(1)),
        "{page}"
    );
    assert_eq!(page["items"][0]["id"], module_id.as_str());
    let (status, problem) = hq.get("/api/materials?limit=0", Some(&hq.admin)).await;
    assert_eq!(
        (status, fields(&problem)),
        (422, vec!["limit"]),
        "{problem}"
    );
    let (status, _) = hq.get("/api/modules/nope", Some(&hq.admin)).await;
    assert_eq!(status, 404);

    // Stock: SPEC §6's board until set, checked by the same rules as a site's stock screen.
    let (_, stock) = hq
        .get(
            &format!("/api/materials/{material_id}/stock"),
            Some(&hq.admin),
        )
        .await;
    assert_eq!(
        stock["sheets"],
        json!([{"width": 2440.0, "height": 1220.0}])
    );
    let by_sheet = |cost: Value| {
        json!({"sheets": [{"width": 2800, "height": 2070, "cost": cost}], "kerf": 4, "trim": 10,
               "grain_direction": "length",
               "pricing": {"mode": "by_sheet", "saw_cut_per_m": "0.4", "edge_banding_per_m": "1.2"}})
    };
    let stock_path = format!("/api/materials/{material_id}/stock");
    let (status, problem) = hq
        .send(Method::PUT, &stock_path, Some(&by_sheet(Value::Null)))
        .await;
    assert_eq!(
        (status, fields(&problem)),
        (422, vec!["pricing.mode"]),
        "{problem}"
    );
    let (status, stock) = hq
        .send(Method::PUT, &stock_path, Some(&by_sheet(json!("64.5"))))
        .await;
    assert_eq!(status, 200, "{stock}");
    assert_eq!(stock["sheets"][0]["cost"], "64.50");
    assert_eq!(stock["pricing"]["saw_cut_per_m"], "0.4");

    // An edit keeps the stock; a material in use is not deleted.
    let (status, edited) = hq
        .send(
            Method::PUT,
            &format!("/api/materials/{material_id}"),
            Some(&oak("8.10")),
        )
        .await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(edited["created_at"], material["created_at"]);
    let (status, problem) = hq
        .send(
            Method::DELETE,
            &format!("/api/materials/{material_id}"),
            None,
        )
        .await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["status"], 409);

    // Every accepted edit is one version; sites get the whole catalog as of the newest.
    assert_eq!(hq.newest_version().await, 4);
    let (_, versions) = hq.get("/hq/v1/catalog?after=3", Some(&hq.admin)).await;
    let version = &versions["versions"][0];
    assert_eq!(version["version"], 4);
    assert_eq!(version["materials"][0]["cost_per_sq_ft"], "8.10");
    assert_eq!(
        version["materials"][0]["stock"]["sheets"][0]["cost"],
        "64.50"
    );
    assert_eq!(version["modules"][0]["id"], module_id.as_str());

    // Only HQ's admins edit it.
    let node = hq
        .hq
        .add_node("Lisbon", "showroom", None)
        .await
        .expect("a node");
    let (status, _) = call(
        &hq.client,
        Method::POST,
        hq.url_of("/api/materials"),
        Some(&node.token),
        Some(&oak("1.00")),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = hq.get("/api/materials", None).await;
    assert_eq!(status, 401);

    let (status, _) = hq
        .send(Method::DELETE, &format!("/api/modules/{module_id}"), None)
        .await;
    assert_eq!(status, 204);
    let (status, _) = hq
        .send(
            Method::DELETE,
            &format!("/api/materials/{material_id}"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (_, page) = hq.get("/api/materials", Some(&hq.admin)).await;
    assert_eq!(page["total"], 0, "{page}");
}

#[tokio::test]
async fn a_site_in_the_chain_takes_hqs_catalog_edits_and_refuses_its_own() {
    use reqwest::Method;
    let Some(hq) = spawn_hq().await else { return };
    assert!(hq.hq.seed_demo_catalog().await.expect("seeds"));
    assert!(
        !hq.hq.seed_demo_catalog().await.expect("runs"),
        "seeded once"
    );
    let (_, demo) = hq.get("/api/modules?limit=500", Some(&hq.admin)).await;
    let demo_modules = demo["total"].as_u64().expect("a total");
    assert!(demo_modules >= 10, "{demo}");

    let site = spawn_seeded_app().await;
    let node = hq
        .hq
        .add_node("Lisbon", "showroom", None)
        .await
        .expect("a node");
    let joined = site
        .post(
            "/api/sync/join",
            &json!({"hq_url": format!("http://{}", hq.address), "token": node.token}),
        )
        .await;
    assert_eq!(joined.status, 200, "{}", joined.body);

    let (_, materials) = hq.get("/api/materials?q=oak", Some(&hq.admin)).await;
    let oak = materials["items"][0].clone();
    let oak_id = oak["id"].as_str().expect("id");
    // A quote priced on HQ's catalog as the site holds it (version 1).
    let start = Instant::now();
    let module_id = loop {
        let modules = site.get("/api/modules?limit=500").await.body;
        let oak_module = modules["items"].as_array().and_then(|items| {
            items
                .iter()
                .find(|module| module["material_id"] == oak_id)
                .cloned()
        });
        if let Some(module) = oak_module {
            break module["id"].as_str().expect("id").to_owned();
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "HQ's catalog never arrived: {modules}"
        );
        site.post("/api/sync/now", &json!({})).await;
    };
    let quoted = site
        .post(
            "/api/quote/generate",
            &json!({"items": [{"module_id": module_id, "quantity": 2}]}),
        )
        .await;
    assert_eq!(quoted.status, 201, "{}", quoted.body);
    assert_eq!(quoted.body["catalog_version"], 1);
    let quote_id = quoted.body["id"].as_str().expect("id").to_owned();
    let unchanged = site
        .get(&format!("/api/quotes/{quote_id}/catalog-change"))
        .await;
    assert_eq!(unchanged.status, 204, "{}", unchanged.body);
    let mut input = oak.clone();
    input["cost_per_sq_ft"] = json!("7.95");
    let (status, edited) = hq
        .send(
            Method::PUT,
            &format!("/api/materials/{}", oak["id"].as_str().expect("id")),
            Some(&input),
        )
        .await;
    assert_eq!(status, 200, "{edited}");

    let start = Instant::now();
    let pulled = loop {
        let now = site.post("/api/sync/now", &json!({})).await;
        assert_eq!(now.status, 200, "{}", now.body);
        let material = site
            .get(&format!(
                "/api/materials/{}",
                oak["id"].as_str().expect("id")
            ))
            .await;
        if material.status == 200 && material.body["cost_per_sq_ft"] == "7.95" {
            break material.body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{}",
            material.body
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(pulled["name"], oak["name"]);
    let modules = site.get("/api/modules?limit=500").await;
    assert_eq!(
        modules.body["total"].as_u64(),
        Some(demo_modules),
        "HQ's catalog, not the site's own demo"
    );

    // The open quote keeps its price, says the catalog changed and what its items cost now;
    // a reprice is a new quote at that price.
    let change = site
        .get(&format!("/api/quotes/{quote_id}/catalog-change"))
        .await;
    assert_eq!(change.status, 200, "{}", change.body);
    assert_eq!(change.body["priced_on"], 1);
    assert_eq!(change.body["current"], 2);
    assert_eq!(change.body["quoted_total"], quoted.body["total"]);
    let new_total = change.body["total"]
        .as_str()
        .expect("a new total")
        .to_owned();
    let dearer = |total: &str| total.parse::<rust_decimal::Decimal>().expect("a decimal");
    assert!(
        dearer(&new_total) > dearer(quoted.body["total"].as_str().expect("total")),
        "{}",
        change.body
    );
    let kept = site.get(&format!("/api/quotes/{quote_id}")).await;
    assert_eq!(kept.body["total"], quoted.body["total"]);
    let repriced = site
        .post(&format!("/api/quotes/{quote_id}/reprice"), &json!({}))
        .await;
    assert_eq!(repriced.status, 201, "{}", repriced.body);
    assert_eq!(repriced.body["total"], new_total.as_str());
    assert_eq!(repriced.body["catalog_version"], 2);
    assert_ne!(repriced.body["number"], quoted.body["number"]);
    let current = site
        .get(&format!(
            "/api/quotes/{}/catalog-change",
            repriced.body["id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(current.status, 204);

    let refused = site
        .put(
            &format!("/api/materials/{}", oak["id"].as_str().expect("id")),
            &input,
        )
        .await;
    refused.assert_problem(409, None);
    assert!(
        refused.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("HQ"),
        "{}",
        refused.body
    );
}
