//! The three-way check before production (SPEC §17) through the real server: moving an order
//! to `production_ready` compares, per line, the module's model (`valid.glb`, a 600 × 720 ×
//! 560 mm carcass), the frozen dimensions and the frozen cut list within the GLB standard's
//! tolerance of 1 mm per axis; a disagreement is a 409 listing every mismatch and changes
//! nothing; only an admin may override, and the note enters the order's chain.
//!
//! Expected values come from the spec: a 10 mm or 1.5 mm difference disagrees, 0.9 mm agrees.

use serde_json::{Value, json};

use crate::support::{
    Reply, TestApp, spawn_app, spawn_app_requiring_tokens, spawn_app_with, spawn_seeded_app,
};

const GLB: &str = "model/gltf-binary";

/// Calls the server as a device token, or as the loopback owner when `token` is none.
struct Caller<'a> {
    app: &'a TestApp,
    token: Option<&'a str>,
}

impl Caller<'_> {
    async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        match self.token {
            Some(token) => self.app.send_as(token, request).await,
            None => self.app.send(request).await,
        }
    }

    async fn get(&self, path: &str) -> Reply {
        self.send(self.app.client.get(self.app.url(path))).await
    }

    async fn post(&self, path: &str, body: &Value) -> Reply {
        self.send(self.app.client.post(self.app.url(path)).json(body))
            .await
    }

    async fn put(&self, path: &str, body: &Value) -> Reply {
        self.send(self.app.client.put(self.app.url(path)).json(body))
            .await
    }

    async fn put_model(&self, module_id: &str) -> Reply {
        let path = format!(
            "{}/crates/paform-glb/tests/fixtures/valid.glb",
            env!("CARGO_MANIFEST_DIR")
        );
        let bytes = std::fs::read(path).expect("the fixture exists");
        let request = self
            .app
            .client
            .put(self.app.url(&format!("/api/modules/{module_id}/model")))
            .header("content-type", GLB)
            .body(bytes);
        self.send(request).await
    }

    fn created(reply: Reply) -> String {
        assert_eq!(reply.status, 201, "{}", reply.body);
        reply.body["id"].as_str().expect("an id").to_owned()
    }

    /// An 18 mm oak module of `size` (mm) with one shelf.
    async fn module(&self, size: [f64; 3]) -> String {
        let material = self
            .post(
                "/api/materials",
                &json!({"name": "Oak", "cost_per_sq_ft": "4.00", "thickness_mm": 18.0}),
            )
            .await;
        let material = Self::created(material);
        let module = self
            .post(
                "/api/modules",
                &json!({
                    "name": "Base 600",
                    "dimensions": {"width": size[0], "height": size[1], "depth": size[2]},
                    "base_price": "100.00",
                    "material_id": material,
                    "assembly_attributes": {"shelves": 1},
                }),
            )
            .await;
        Self::created(module)
    }

    /// Changes the module's width in the catalog.
    async fn resize(&self, module_id: &str, width: f64) {
        let path = format!("/api/modules/{module_id}");
        let mut module = self.get(&path).await.body;
        module["dimensions"]["width"] = json!(width);
        let reply = self.put(&path, &module).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
    }

    async fn transition(&self, order_id: &str, to: &str, extra: Value) -> Reply {
        let mut body =
            json!({"to": to, "actor": {"id": "u-1", "name": "Ada Admin", "role": "staff"}});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        self.post(&format!("/api/orders/{order_id}/transitions"), &body)
            .await
    }

    /// An order for one `module_id`, paid and in `design_review`: one step from production.
    async fn order_in_design_review(&self, module_id: &str) -> String {
        self.order_of_items_in_design_review(json!([{"module_id": module_id, "quantity": 1}]))
            .await
    }

    /// An order for the quote `items`, paid and in `design_review`.
    async fn order_of_items_in_design_review(&self, items: Value) -> String {
        let quote = self
            .post("/api/quote/generate", &json!({"items": items}))
            .await;
        let quote = Self::created(quote);
        let order = self
            .post(
                &format!("/api/quotes/{quote}/accept"),
                &json!({"buyer": {"name": "Ada Lovelace", "email": "ada@example.com"},
                        "actor": "Sam"}),
            )
            .await;
        let order = Self::created(order);
        let reply = self.transition(&order, "pending_payment", json!({})).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let amount = reply.body["total"].clone();
        let payment = self
            .post(
                &format!("/api/orders/{order}/payments"),
                &json!({"kind": "deposit", "amount": amount}),
            )
            .await;
        let payment = Self::created(payment);
        let capture = json!({"provider": "stripe", "provider_ref": format!("ch_{payment}"),
            "type": "capture", "amount": amount, "status": "succeeded"});
        let reply = self
            .post(&format!("/api/payments/{payment}/transactions"), &capture)
            .await;
        assert_eq!(reply.status, 201, "{}", reply.body);
        let reply = self.transition(&order, "design_review", json!({})).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        order
    }

    /// The order's status, version and number of chain events.
    async fn state(&self, order_id: &str) -> (Value, Value, usize) {
        let order = self.get(&format!("/api/orders/{order_id}")).await.body;
        let events = self.get(&format!("/api/orders/{order_id}/events")).await;
        let n_events = events.body.as_array().map_or(0, Vec::len);
        (order["status"].clone(), order["version"].clone(), n_events)
    }

    /// A module whose order froze it 590 mm wide, then widened to 600 mm in the catalog and
    /// given the 600 mm model: the model is 10 mm wider than the frozen line.
    async fn remodelled_order(&self) -> String {
        let module_id = self.module([590.0, 720.0, 560.0]).await;
        let order = self.order_in_design_review(&module_id).await;
        self.resize(&module_id, 600.0).await;
        let stored = self.put_model(&module_id).await;
        assert_eq!(stored.status, 201, "{}", stored.body);
        order
    }
}

fn mismatches(reply: &Reply) -> &Vec<Value> {
    reply.body["mismatches"]
        .as_array()
        .unwrap_or_else(|| panic!("a list of mismatches: {}", reply.body))
}

fn near(value: &Value, expected: f64) -> bool {
    value
        .as_f64()
        .is_some_and(|value| (value - expected).abs() < 0.01)
}

/// The 409 of a failed check: a problem whose detail counts the listed mismatches.
fn assert_refused(reply: &Reply) {
    reply.assert_problem(409, None);
    let n = mismatches(reply).len();
    assert!(n > 0, "{}", reply.body);
    let detail = reply.body["detail"].as_str().unwrap_or_default();
    let count = if n == 1 {
        "1 mismatch".to_owned()
    } else {
        format!("{n} mismatches")
    };
    assert!(detail.contains(&count), "{detail}");
    for mismatch in mismatches(reply) {
        assert!(
            mismatch["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{mismatch}"
        );
        if mismatch["kind"] == "extent" {
            let difference = mismatch["difference_mm"].as_f64().unwrap_or_default();
            assert!(difference > 1.0, "within the tolerance: {mismatch}");
        }
    }
}

#[tokio::test]
async fn an_order_whose_model_dimensions_and_cut_list_agree_moves_to_production_ready() {
    let app = spawn_app().await;
    let caller = Caller {
        app: &app,
        token: None,
    };
    let module_id = caller.module([600.0, 720.0, 560.0]).await;
    assert_eq!(caller.put_model(&module_id).await.status, 201);
    let order = caller.order_in_design_review(&module_id).await;
    let ready = caller
        .transition(&order, "production_ready", json!({}))
        .await;
    assert_eq!(ready.status, 200, "{}", ready.body);
    assert_eq!(ready.body["status"], "production_ready");
    let events = caller.get(&format!("/api/orders/{order}/events")).await;
    let kinds: Vec<&str> = events
        .body
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|event| event["kind"].as_str())
        .collect();
    assert!(!kinds.contains(&"production_check_overridden"), "{kinds:?}");
    assert_eq!(kinds.last(), Some(&"status_changed"));
}

#[tokio::test]
async fn every_module_of_the_demo_catalog_goes_to_production_with_its_model() {
    let app = spawn_seeded_app().await;
    let caller = Caller {
        app: &app,
        token: None,
    };
    let modules = caller.get("/api/modules?limit=500").await.body;
    let modules = modules["items"].as_array().expect("modules");
    let n_models = modules
        .iter()
        .filter(|module| module["assembly_attributes"]["glb_url"].is_string())
        .count();
    assert!(n_models >= 3, "the demo catalog's models: {n_models}");
    let items: Vec<Value> = modules
        .iter()
        .map(|module| json!({"module_id": module["id"], "quantity": 1}))
        .collect();
    let order = caller
        .order_of_items_in_design_review(Value::Array(items))
        .await;
    let ready = caller
        .transition(&order, "production_ready", json!({}))
        .await;
    assert_eq!(ready.status, 200, "{}", ready.body);
}

#[tokio::test]
async fn a_module_remodelled_after_the_order_froze_it_answers_409_listing_the_mismatch_and_changes_nothing()
 {
    let app = spawn_app().await;
    let caller = Caller {
        app: &app,
        token: None,
    };
    let order = caller.remodelled_order().await;
    let before = caller.state(&order).await;

    let refused = caller
        .transition(&order, "production_ready", json!({}))
        .await;
    assert_refused(&refused);
    let listed = mismatches(&refused);
    // The model is 10 mm wider than the frozen dimensions, and than the cut list made of them;
    // the frozen dimensions and their cut list still agree, and height and depth are right.
    assert!(
        listed
            .iter()
            .any(|mismatch| mismatch["pair"] == "model_dimensions"
                && mismatch["axis"] == "width"
                && mismatch["position"] == 1
                && mismatch["module_name"] == "Base 600"
                && near(&mismatch["model_mm"], 600.0)
                && near(&mismatch["dimensions_mm"], 590.0)
                && near(&mismatch["difference_mm"], 10.0)),
        "{listed:?}"
    );
    assert!(
        listed
            .iter()
            .any(|mismatch| mismatch["pair"] == "model_cut_list"),
        "{listed:?}"
    );
    assert!(
        listed.iter().all(
            |mismatch| mismatch["axis"] == "width" && mismatch["pair"] != "dimensions_cut_list"
        ),
        "{listed:?}"
    );

    assert_eq!(caller.state(&order).await, before);
    assert_eq!(before.0, "design_review");
    let jobs = caller.get("/api/jobs?status=pending").await;
    assert_eq!(jobs.body["total"], 0, "{}", jobs.body);
}

#[tokio::test]
async fn frozen_dimensions_edited_behind_the_apps_back_disagree_beyond_one_millimetre_only() {
    let app = spawn_app().await;
    let caller = Caller {
        app: &app,
        token: None,
    };
    let module_id = caller.module([600.0, 720.0, 560.0]).await;
    assert_eq!(caller.put_model(&module_id).await.status, 201);
    let order = caller.order_in_design_review(&module_id).await;
    let dir = app.stop().await;
    crate::audit_chain::edit_stored_order(&dir.path().join("paform.redb"), &order, |record| {
        let frozen = record.line_items[0]
            .production
            .as_mut()
            .expect("frozen production data");
        frozen.width_mm = "601.5".into();
        frozen.depth_mm = "560.9".into();
    });
    let app = spawn_app_with(Default::default(), Some(dir)).await;
    let caller = Caller {
        app: &app,
        token: None,
    };
    let before = caller.state(&order).await;

    let refused = caller
        .transition(&order, "production_ready", json!({}))
        .await;
    assert_refused(&refused);
    let listed = mismatches(&refused);
    // Width is 1.5 mm off the model and the cut list; depth, 0.9 mm off, agrees.
    for pair in ["model_dimensions", "dimensions_cut_list"] {
        assert!(
            listed.iter().any(|mismatch| mismatch["pair"] == pair),
            "{pair}: {listed:?}"
        );
    }
    assert!(
        listed.iter().all(|mismatch| mismatch["axis"] == "width"
            && near(&mismatch["difference_mm"], 1.5)
            && mismatch["pair"] != "model_cut_list"),
        "{listed:?}"
    );
    assert_eq!(caller.state(&order).await, before);
}

#[tokio::test]
async fn only_an_admin_may_override_the_check_and_the_note_enters_the_chain() {
    let (server, app) = spawn_app_requiring_tokens(None).await;
    let mut tokens = Vec::new();
    for role in ["admin", "sales"] {
        let created = app
            .create_device_token(paform_app::dto::DeviceTokenInput {
                name: role.into(),
                role: Some(role.into()),
            })
            .await
            .expect("a token is created");
        tokens.push(created.token);
    }
    let admin = Caller {
        app: &server,
        token: Some(&tokens[0]),
    };
    let sales = Caller {
        app: &server,
        token: Some(&tokens[1]),
    };
    let order = admin.remodelled_order().await;
    let before = admin.state(&order).await;
    let note = "the carcass is cut from the 590 mm drawing; the model is only for show";
    let with_override = json!({"override_check": {"note": note}});

    // Sales moves orders, but gets the 409 and may not override it.
    assert_refused(
        &sales
            .transition(&order, "production_ready", json!({}))
            .await,
    );
    let forbidden = sales
        .transition(&order, "production_ready", with_override.clone())
        .await;
    forbidden.assert_problem(403, None);
    assert_eq!(admin.state(&order).await, before);

    // An override needs a note.
    admin
        .transition(
            &order,
            "production_ready",
            json!({"override_check": {"note": "  "}}),
        )
        .await
        .assert_problem(422, Some("override_check.note"));

    let refused = admin
        .transition(&order, "production_ready", json!({}))
        .await;
    assert_refused(&refused);
    let overridden = admin
        .transition(&order, "production_ready", with_override)
        .await;
    assert_eq!(overridden.status, 200, "{}", overridden.body);
    assert_eq!(overridden.body["status"], "production_ready");

    let events = admin.get(&format!("/api/orders/{order}/events")).await;
    let events = events.body.as_array().expect("events");
    assert_eq!(events.len(), before.2 + 2);
    let (check, moved) = (&events[events.len() - 2], &events[events.len() - 1]);
    assert_eq!(check["kind"], "production_check_overridden");
    assert_eq!(check["note"], note);
    assert_eq!(check["actor"]["name"], "Ada Admin");
    let recorded = check["data"]["mismatches"].as_array().expect("mismatches");
    assert_eq!(recorded.len(), mismatches(&refused).len());
    assert_eq!(recorded[0]["message"], mismatches(&refused)[0]["message"]);
    assert_eq!(moved["kind"], "status_changed");
    assert_eq!(moved["data"]["to"], "production_ready");

    // The chain still verifies and still folds into the stored order.
    let audit = admin
        .get(&format!("/api/audit/verify?order_id={order}"))
        .await;
    assert_eq!(audit.body["ok"], true, "{}", audit.body);
}
