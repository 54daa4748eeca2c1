//! Real records for the tests that walk every operation of the OpenAPI document (`api_roles`,
//! `api_fuzz`; SPEC §16): the seeded catalog, a customer with a saved design, an order taken
//! through the whole funnel (quote, acceptance, payment captured, design request approved,
//! production ready with its jobs, a CNC export confirmed as cut, its part codes and offcuts),
//! a downloaded media file and a Hygraph secret.
//!
//! `World::call(operation)` builds a valid request of any documented operation, with every path
//! parameter filled with a real id; where an operation consumes what it acts on (an accept, a
//! delete, a confirmation) it first makes a fresh record of its own, so calls can repeat.
//! An operation this file does not know gets `None`, so a new endpoint fails the tests that
//! use it until it has a valid request here.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use paform_core::webhook::signature_header;
use serde_json::{Value, json};

use crate::api_designs::tiny_png;
use crate::support::{Reply, TestApp};

/// The Hygraph secret the world's settings hold.
pub(crate) const HYGRAPH_SECRET: &str = "whsec-world-0001";

/// What a request carries.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    Empty,
    Json(Value),
    Bytes {
        content_type: &'static str,
        bytes: Vec<u8>,
    },
}

/// One request: method (lower case, as in the document), path with query, body, headers.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) body: Body,
    pub(crate) headers: Vec<(&'static str, String)>,
}

impl Call {
    fn new(method: &str, path: impl Into<String>, body: Body) -> Call {
        Call {
            method: method.to_owned(),
            path: path.into(),
            body,
            headers: Vec::new(),
        }
    }
}

fn actor() -> Value {
    json!({"id": "u-20", "name": "Wendy World", "role": "sales"})
}

fn buyer() -> Value {
    json!({"name": "Ada Lovelace", "email": "ada@example.com", "phone": "+44 20 7946 0000"})
}

/// A new gateway reference for each call, so a repeat is never taken for the same charge.
fn next_reference(prefix: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!(
        "{prefix}_{}_{}",
        now_ms(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

fn now_ms() -> i64 {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970");
    i64::try_from(since_epoch.as_millis()).expect("milliseconds fit in i64")
}

/// Sends `call` as the holder of `token` (none: a loopback caller). An event stream's body is
/// never read (it does not end); any other body is read whole.
pub(crate) async fn send(app: &TestApp, token: Option<&str>, call: &Call) -> Reply {
    let url = app.url(&call.path);
    let mut request = match call.method.as_str() {
        "get" => app.client.get(&url),
        "post" => app.client.post(&url),
        "put" => app.client.put(&url),
        "delete" => app.client.delete(&url),
        other => panic!("{other} is not a method the document uses"),
    };
    request = match &call.body {
        Body::Empty => request,
        Body::Json(value) => request
            .header("content-type", "application/json")
            .body(value.to_string()),
        Body::Bytes {
            content_type,
            bytes,
        } => request
            .header("content-type", *content_type)
            .body(bytes.clone()),
    };
    for (name, value) in &call.headers {
        request = request.header(*name, value);
    }
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_owned();
    if content_type.starts_with("text/event-stream") {
        return Reply {
            status,
            content_type,
            body: Value::Null,
        };
    }
    let bytes = response.bytes().await.expect("the body is readable");
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    Reply {
        status,
        content_type,
        body,
    }
}

/// The ids of the world's records, all made through the API.
pub(crate) struct World {
    /// The admin token the world is built with (none on a server without tokens).
    pub(crate) token: Option<String>,
    pub(crate) material: String,
    pub(crate) module: String,
    pub(crate) model: Vec<u8>,
    pub(crate) customer: String,
    pub(crate) design: String,
    pub(crate) quote: String,
    /// The order taken through the funnel to `production_ready`.
    pub(crate) order: String,
    pub(crate) payment: String,
    pub(crate) design_request: String,
    pub(crate) design_version: String,
    pub(crate) design_asset: String,
    pub(crate) job: String,
    pub(crate) export: String,
    /// A file of the export, as its signed link's path and query.
    pub(crate) export_file: String,
    pub(crate) part_code: String,
    pub(crate) media_file: String,
}

fn id_of(reply: &Reply, what: &str) -> String {
    assert!(
        (200..300).contains(&reply.status),
        "making {what} answered {}: {}",
        reply.status,
        reply.body
    );
    reply.body["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{what} has an id: {}", reply.body))
        .to_owned()
}

impl World {
    /// Builds every record through `app` as the holder of `token` (an admin's).
    pub(crate) async fn build(app: &TestApp, token: Option<String>) -> World {
        let as_admin = |call: Call| {
            let token = token.clone();
            async move { send(app, token.as_deref(), &call).await }
        };
        let get = |path: &str| Call::new("get", path, Body::Empty);
        let post = |path: &str, body: Value| Call::new("post", path, Body::Json(body));

        let settings = as_admin(get("/api/settings")).await;
        assert_eq!(settings.status, 200, "{}", settings.body);
        let mut settings = settings.body;
        settings["hygraph_secret"] = json!(HYGRAPH_SECRET);
        let saved = as_admin(Call::new("put", "/api/settings", Body::Json(settings))).await;
        assert_eq!(saved.status, 200, "{}", saved.body);

        let modules = as_admin(get("/api/modules?limit=100")).await;
        let mut with_model = None;
        for module in modules.body["items"].as_array().expect("modules") {
            let id = module["id"].as_str().expect("a module id").to_owned();
            let path = format!("/api/modules/{id}/model");
            let (status, _, bytes) = app.get_bytes_as(token.as_deref(), &path).await;
            if status == 200 {
                let material = module["material_id"].as_str().expect("a material id");
                with_model = Some((id, bytes, material.to_owned()));
                break;
            }
        }
        let (module, model, material) = with_model.expect("a seeded module has a GLB model");

        let customer = id_of(
            &as_admin(post(
                "/api/customers",
                json!({"name": "Ada Lovelace", "email": "ada@example.com"}),
            ))
            .await,
            "a customer",
        );
        let design = id_of(
            &as_admin(post(
                "/api/designs",
                json!({"name": "Kitchen", "customer_id": customer,
                       "items": [{"module_id": module, "quantity": 1}]}),
            ))
            .await,
            "a design",
        );
        let snapshot = as_admin(Call::new(
            "put",
            format!("/api/designs/{design}/snapshot"),
            Body::Bytes {
                content_type: "image/png",
                bytes: tiny_png(),
            },
        ))
        .await;
        assert_eq!(snapshot.status, 204, "{}", snapshot.body);

        let quote_body = json!({"items": [{"module_id": module, "quantity": 1}]});
        let quote = id_of(
            &as_admin(post("/api/quote/generate", quote_body.clone())).await,
            "a quote",
        );
        let sold = id_of(
            &as_admin(post("/api/quote/generate", quote_body)).await,
            "a quote",
        );
        let order = id_of(
            &as_admin(post(
                &format!("/api/quotes/{sold}/accept"),
                json!({"buyer": buyer(), "actor": actor()}),
            ))
            .await,
            "an order",
        );
        let transition = |to: &str| {
            post(
                &format!("/api/orders/{order}/transitions"),
                json!({"to": to, "actor": actor()}),
            )
        };
        let moved = as_admin(transition("pending_payment")).await;
        assert_eq!(moved.status, 200, "{}", moved.body);
        let payment = id_of(
            &as_admin(post(
                &format!("/api/orders/{order}/payments"),
                json!({"kind": "deposit", "amount": "10.00"}),
            ))
            .await,
            "a payment",
        );
        let captured = as_admin(post(
            &format!("/api/payments/{payment}/transactions"),
            json!({"provider": "stripe", "provider_ref": "ch_world_1", "type": "capture",
                   "amount": "10.00", "status": "succeeded"}),
        ))
        .await;
        assert_eq!(captured.status, 201, "{}", captured.body);
        let moved = as_admin(transition("design_review")).await;
        assert_eq!(moved.status, 200, "{}", moved.body);
        let design_request = id_of(
            &as_admin(post(
                &format!("/api/orders/{order}/design-requests"),
                json!({"description": "Handle-less fronts"}),
            ))
            .await,
            "a design request",
        );
        let design_version = id_of(
            &as_admin(post(
                &format!("/api/design-requests/{design_request}/versions"),
                json!({"notes": "v1"}),
            ))
            .await,
            "a design version",
        );
        let design_asset = id_of(
            &as_admin(Call::new(
                "post",
                format!("/api/design-versions/{design_version}/assets?kind=glb&filename=a.glb"),
                Body::Bytes {
                    content_type: "application/octet-stream",
                    bytes: vec![7; 2048],
                },
            ))
            .await,
            "a design asset",
        );
        let approved = as_admin(post(
            &format!("/api/design-versions/{design_version}/approve"),
            json!({}),
        ))
        .await;
        assert_eq!(approved.status, 200, "{}", approved.body);
        let moved = as_admin(transition("production_ready")).await;
        assert_eq!(moved.status, 200, "{}", moved.body);
        let jobs = as_admin(get("/api/jobs")).await;
        let job = jobs.body["items"][0]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("production_ready made jobs: {}", jobs.body))
            .to_owned();

        let exported = as_admin(post("/api/v1/exports/cnc", json!({"order_id": order}))).await;
        assert_eq!(exported.status, 201, "{}", exported.body);
        let export = exported.body["export_id"]
            .as_str()
            .expect("an export id")
            .to_owned();
        let link = exported.body["artifacts"][0]["url"]
            .as_str()
            .expect("an artifact link")
            .to_owned();
        let export_file = link.trim_start_matches(&app.url("")).to_owned();
        let cut = as_admin(post(&format!("/api/v1/exports/{export}/cut"), json!({}))).await;
        assert_eq!(cut.status, 200, "{}", cut.body);
        let production = as_admin(get(&format!("/api/orders/{order}/production"))).await;
        let part_code = production.body["parts"][0]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("the order has parts: {}", production.body))
            .to_owned();

        let media_dir = app.data_dir().join("media");
        std::fs::create_dir_all(&media_dir).expect("the media folder can be made");
        let media_file = "0123456789abcdef.png".to_owned();
        std::fs::write(media_dir.join(&media_file), tiny_png()).expect("a media file");

        World {
            token,
            material,
            module,
            model,
            customer,
            design,
            quote,
            order,
            payment,
            design_request,
            design_version,
            design_asset,
            job,
            export,
            export_file,
            part_code,
            media_file,
        }
    }

    async fn admin(&self, app: &TestApp, call: Call) -> Reply {
        send(app, self.token.as_deref(), &call).await
    }

    async fn fresh(&self, app: &TestApp, what: &str, path: &str, body: Value) -> String {
        id_of(
            &self
                .admin(app, Call::new("post", path, Body::Json(body)))
                .await,
            what,
        )
    }

    async fn fresh_order(&self, app: &TestApp) -> String {
        let quote = self
            .fresh(
                app,
                "a quote",
                "/api/quote/generate",
                json!({"items": [{"module_id": self.module, "quantity": 1}]}),
            )
            .await;
        self.fresh(
            app,
            "an order",
            &format!("/api/quotes/{quote}/accept"),
            json!({"buyer": buyer(), "actor": actor()}),
        )
        .await
    }

    /// An offcut of a fresh export of a fresh order, confirmed as cut.
    async fn fresh_offcut(&self, app: &TestApp) -> String {
        let order = self.fresh_order(app).await;
        let exported = self
            .admin(
                app,
                Call::new(
                    "post",
                    "/api/v1/exports/cnc",
                    Body::Json(json!({"order_id": order})),
                ),
            )
            .await;
        assert_eq!(exported.status, 201, "{}", exported.body);
        let export = exported.body["export_id"].as_str().expect("an export id");
        let cut = self
            .admin(
                app,
                Call::new(
                    "post",
                    format!("/api/v1/exports/{export}/cut"),
                    Body::Json(json!({})),
                ),
            )
            .await;
        cut.body["offcuts"][0]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("a cut leaves an offcut: {}", cut.body))
            .to_owned()
    }

    fn module_body(&self, name: &str) -> Value {
        json!({"name": name, "dimensions": {"width": 600, "height": 720, "depth": 560},
               "base_price": "120.00", "material_id": self.material,
               "assembly_attributes": {"shelves": 1}, "placement_constraints": {"mount": "floor"},
               "connection_points": [{"id": "left", "side": "left", "offset_mm": [0, 0, 0]}]})
    }

    /// A valid request of `method template` (as the document spells them) with real records,
    /// or `None` for an operation this file does not know yet.
    pub(crate) async fn call(&self, app: &TestApp, method: &str, template: &str) -> Option<Call> {
        let json = |method: &str, path: String, body: Value| {
            Some(Call::new(method, path, Body::Json(body)))
        };
        let get = |path: String| Some(Call::new("get", path, Body::Empty));
        let (order, design, customer) = (&self.order, &self.design, &self.customer);
        match (method, template) {
            ("get", "/api/audit/verify") => get(format!("/api/audit/verify?order_id={order}")),
            ("get", "/api/backups") => get("/api/backups".into()),
            ("post", "/api/backups") => json("post", "/api/backups".into(), json!({})),
            ("get", "/api/customers") => get("/api/customers?q=Ada".into()),
            ("post", "/api/customers") => json(
                "post",
                "/api/customers".into(),
                json!({"name": "Grace Hopper", "email": "grace@example.com"}),
            ),
            ("get", "/api/customers/{id}") => get(format!("/api/customers/{customer}")),
            ("put", "/api/customers/{id}") => json(
                "put",
                format!("/api/customers/{customer}"),
                json!({"name": "Ada Lovelace", "email": "ada@example.com", "phone": "+44 1"}),
            ),
            ("get", "/api/customers/{id}/history") => {
                get(format!("/api/customers/{customer}/history"))
            }
            ("get", "/api/design-assets/{id}") => {
                get(format!("/api/design-assets/{}", self.design_asset))
            }
            ("get", "/api/design-requests/{id}/latest-approved") => get(format!(
                "/api/design-requests/{}/latest-approved",
                self.design_request
            )),
            ("post", "/api/design-requests/{id}/versions") => json(
                "post",
                format!("/api/design-requests/{}/versions", self.design_request),
                json!({"notes": "another try"}),
            ),
            ("post", "/api/design-versions/{id}/approve") => {
                let version = self
                    .fresh(
                        app,
                        "a design version",
                        &format!("/api/design-requests/{}/versions", self.design_request),
                        json!({"notes": "to approve"}),
                    )
                    .await;
                json(
                    "post",
                    format!("/api/design-versions/{version}/approve"),
                    json!({}),
                )
            }
            ("post", "/api/design-versions/{id}/assets") => Some(Call::new(
                "post",
                format!(
                    "/api/design-versions/{}/assets?kind=glb&filename=b.glb",
                    self.design_version
                ),
                Body::Bytes {
                    content_type: "application/octet-stream",
                    bytes: vec![9; 1024],
                },
            )),
            ("get", "/api/designs") => get(format!("/api/designs?customer_id={customer}")),
            ("post", "/api/designs") => json(
                "post",
                "/api/designs".into(),
                json!({"name": "Wardrobe", "items": [{"module_id": self.module, "quantity": 2}]}),
            ),
            ("get", "/api/designs/{id}") => get(format!("/api/designs/{design}")),
            ("put", "/api/designs/{id}") => {
                let current = self
                    .admin(
                        app,
                        Call::new("get", format!("/api/designs/{design}"), Body::Empty),
                    )
                    .await;
                json(
                    "put",
                    format!("/api/designs/{design}"),
                    json!({"name": "Kitchen", "customer_id": customer,
                           "expected_version": current.body["version"],
                           "items": [{"module_id": self.module, "quantity": 1}]}),
                )
            }
            ("post", "/api/designs/{id}/quote") => Some(Call::new(
                "post",
                format!("/api/designs/{design}/quote"),
                Body::Empty,
            )),
            ("get", "/api/designs/{id}/snapshot") => get(format!("/api/designs/{design}/snapshot")),
            ("put", "/api/designs/{id}/snapshot") => Some(Call::new(
                "put",
                format!("/api/designs/{design}/snapshot"),
                Body::Bytes {
                    content_type: "image/png",
                    bytes: tiny_png(),
                },
            )),
            ("get", "/api/designs/{id}/versions") => get(format!("/api/designs/{design}/versions")),
            ("get", "/api/events") => get("/api/events".into()),
            ("get", "/api/events/token") => get("/api/events/token".into()),
            ("get", "/api/health") => get("/api/health".into()),
            ("get", "/api/jobs") => get("/api/jobs?status=pending".into()),
            ("post", "/api/jobs/{id}/ack") => {
                json("post", format!("/api/jobs/{}/ack", self.job), json!({}))
            }
            ("get", "/api/materials") => get("/api/materials?limit=5".into()),
            ("post", "/api/materials") => json(
                "post",
                "/api/materials".into(),
                json!({"name": "Ash", "cost_per_sq_ft": "4.50", "thickness_mm": 18}),
            ),
            ("get", "/api/materials/{id}") => get(format!("/api/materials/{}", self.material)),
            ("put", "/api/materials/{id}") | ("delete", "/api/materials/{id}") => {
                let material = self
                    .fresh(
                        app,
                        "a material",
                        "/api/materials",
                        json!({"name": "Elm", "cost_per_sq_ft": "3.00"}),
                    )
                    .await;
                let body = if method == "put" {
                    Body::Json(json!({"name": "Elm, oiled", "cost_per_sq_ft": "3.25"}))
                } else {
                    Body::Empty
                };
                Some(Call::new(
                    method,
                    format!("/api/materials/{material}"),
                    body,
                ))
            }
            ("get", "/api/materials/{id}/stock") => {
                get(format!("/api/materials/{}/stock", self.material))
            }
            ("put", "/api/materials/{id}/stock") => {
                let current = self
                    .admin(
                        app,
                        Call::new(
                            "get",
                            format!("/api/materials/{}/stock", self.material),
                            Body::Empty,
                        ),
                    )
                    .await;
                json(
                    "put",
                    format!("/api/materials/{}/stock", self.material),
                    current.body,
                )
            }
            ("get", "/api/media/{file}") => get(format!("/api/media/{}", self.media_file)),
            ("get", "/api/modules") => get("/api/modules?q=base".into()),
            ("post", "/api/modules") => {
                json("post", "/api/modules".into(), self.module_body("Base 450"))
            }
            ("get", "/api/modules/{id}") => get(format!("/api/modules/{}", self.module)),
            ("put", "/api/modules/{id}") | ("delete", "/api/modules/{id}") => {
                let module = self
                    .fresh(app, "a module", "/api/modules", self.module_body("Spare"))
                    .await;
                let body = if method == "put" {
                    Body::Json(self.module_body("Spare, renamed"))
                } else {
                    Body::Empty
                };
                Some(Call::new(method, format!("/api/modules/{module}"), body))
            }
            ("get", "/api/modules/{id}/model") => {
                get(format!("/api/modules/{}/model", self.module))
            }
            ("put", "/api/modules/{id}/model") => Some(Call::new(
                "put",
                format!("/api/modules/{}/model", self.module),
                Body::Bytes {
                    content_type: "model/gltf-binary",
                    bytes: self.model.clone(),
                },
            )),
            ("get", "/api/offcuts") => get(format!("/api/offcuts?material_id={}", self.material)),
            ("get", "/api/offcuts/labels.pdf") => get(format!(
                "/api/offcuts/labels.pdf?material_id={}",
                self.material
            )),
            ("delete", "/api/offcuts/{id}") => {
                let offcut = self.fresh_offcut(app).await;
                Some(Call::new(
                    "delete",
                    format!("/api/offcuts/{offcut}"),
                    Body::Empty,
                ))
            }
            ("post", "/api/order-changes/{id}/confirm")
            | ("post", "/api/order-changes/{id}/decline") => {
                let changed = self.fresh_order(app).await;
                let change = self
                    .fresh(
                        app,
                        "an order change",
                        &format!("/api/orders/{changed}/changes"),
                        json!({"actions": [{"type": "shipping", "amount": "40.00"}],
                               "actor": actor()}),
                    )
                    .await;
                let decision = template.rsplit('/').next().unwrap_or("confirm");
                json(
                    "post",
                    format!("/api/order-changes/{change}/{decision}"),
                    json!({"actor": actor(), "note": "as agreed"}),
                )
            }
            ("get", "/api/orders") => get("/api/orders?status=production_ready".into()),
            ("get", "/api/orders/{id}") => get(format!("/api/orders/{order}")),
            ("get", "/api/orders/{id}/changes") => get(format!("/api/orders/{order}/changes")),
            ("post", "/api/orders/{id}/changes") => {
                let changed = self.fresh_order(app).await;
                json(
                    "post",
                    format!("/api/orders/{changed}/changes"),
                    json!({"actions": [{"type": "shipping", "amount": "25.00"}],
                           "actor": actor(), "note": "delivery"}),
                )
            }
            ("get", "/api/orders/{id}/design-requests") => {
                get(format!("/api/orders/{order}/design-requests"))
            }
            ("post", "/api/orders/{id}/design-requests") => {
                let reviewed = self.fresh_order(app).await;
                json(
                    "post",
                    format!("/api/orders/{reviewed}/design-requests"),
                    json!({"description": "A second look at the plinth"}),
                )
            }
            ("get", "/api/orders/{id}/document.pdf") => {
                get(format!("/api/orders/{order}/document.pdf"))
            }
            ("get", "/api/orders/{id}/events") => get(format!("/api/orders/{order}/events")),
            ("get", "/api/orders/{id}/payments") => get(format!("/api/orders/{order}/payments")),
            ("post", "/api/orders/{id}/payments") => json(
                "post",
                format!("/api/orders/{order}/payments"),
                json!({"kind": "balance", "amount": "5.00"}),
            ),
            ("get", "/api/orders/{id}/production") => {
                get(format!("/api/orders/{order}/production"))
            }
            ("post", "/api/orders/{id}/transitions") => {
                let moved = self.fresh_order(app).await;
                json(
                    "post",
                    format!("/api/orders/{moved}/transitions"),
                    json!({"to": "pending_payment", "actor": actor()}),
                )
            }
            ("post", "/api/pairing") => json(
                "post",
                "/api/pairing".into(),
                json!({"name": "floor tablet", "role": "production"}),
            ),
            ("post", "/api/pairing/claim") => {
                let pairing = self
                    .admin(
                        app,
                        Call::new(
                            "post",
                            "/api/pairing",
                            Body::Json(json!({"name": "tablet", "role": "sales"})),
                        ),
                    )
                    .await;
                assert_eq!(pairing.status, 201, "{}", pairing.body);
                json(
                    "post",
                    "/api/pairing/claim".into(),
                    json!({"code": pairing.body["code"]}),
                )
            }
            ("post", "/api/parts/{code}/scan") => json(
                "post",
                format!("/api/parts/{}/scan", self.part_code),
                json!({"station": "cut", "actor": "Saw 1"}),
            ),
            ("post", "/api/payments/{id}/adjustments") => json(
                "post",
                format!("/api/payments/{}/adjustments", self.payment),
                json!({"type": "refund", "amount": "0.01", "reason": "a scratch",
                       "provider_ref": next_reference("re")}),
            ),
            ("post", "/api/payments/{id}/transactions") => json(
                "post",
                format!("/api/payments/{}/transactions", self.payment),
                json!({"provider": "stripe", "provider_ref": next_reference("auth"),
                       "type": "authorization", "amount": "1.00", "status": "succeeded"}),
            ),
            ("post", "/api/quote/generate") => json(
                "post",
                "/api/quote/generate".into(),
                json!({"items": [{"module_id": self.module, "quantity": 2}]}),
            ),
            ("get", "/api/quotes/{id}") => get(format!("/api/quotes/{}", self.quote)),
            ("post", "/api/quotes/{id}/accept") => {
                let quote = self
                    .fresh(
                        app,
                        "a quote",
                        "/api/quote/generate",
                        json!({"items": [{"module_id": self.module, "quantity": 1}]}),
                    )
                    .await;
                json(
                    "post",
                    format!("/api/quotes/{quote}/accept"),
                    json!({"buyer": buyer(), "actor": actor()}),
                )
            }
            ("get", "/api/quotes/{id}/document.pdf") => {
                get(format!("/api/quotes/{}/document.pdf", self.quote))
            }
            ("get", "/api/settings") => get("/api/settings".into()),
            ("put", "/api/settings") => {
                let mut current = self
                    .admin(app, Call::new("get", "/api/settings", Body::Empty))
                    .await
                    .body;
                // Absent keeps the stored secret, which the webhook's call needs.
                if let Some(settings) = current.as_object_mut() {
                    settings.remove("hygraph_secret");
                }
                json("put", "/api/settings".into(), current)
            }
            ("post", "/api/sync/hygraph") => {
                let body = json!({"operation": "publish", "data": {"__typename": "Material",
                    "id": next_reference("hg").replace('_', ""), "stage": "PUBLISHED",
                    "updatedAt": "2026-01-01T00:00:01Z", "name": "Hygraph oak",
                    "costPerSqFt": "5.00", "thicknessMm": 18}})
                .to_string();
                let signature =
                    signature_header(HYGRAPH_SECRET.as_bytes(), &body, "master", now_ms());
                let mut call = Call::new(
                    "post",
                    "/api/sync/hygraph",
                    Body::Bytes {
                        content_type: "application/json",
                        bytes: body.into_bytes(),
                    },
                );
                call.headers.push(("gcms-signature", signature));
                Some(call)
            }
            ("get", "/api/sync/hygraph/deliveries") => get("/api/sync/hygraph/deliveries".into()),
            ("get", "/api/tokens") => get("/api/tokens".into()),
            ("post", "/api/tokens") => json(
                "post",
                "/api/tokens".into(),
                json!({"name": "office", "role": "sales"}),
            ),
            ("delete", "/api/tokens/{id}") => {
                let token = self
                    .fresh(
                        app,
                        "a device token",
                        "/api/tokens",
                        json!({"name": "spare", "role": "production"}),
                    )
                    .await;
                Some(Call::new(
                    "delete",
                    format!("/api/tokens/{token}"),
                    Body::Empty,
                ))
            }
            ("post", "/api/v1/cnc/nest") => json(
                "post",
                "/api/v1/cnc/nest".into(),
                json!({"sheet": {"width": 2440, "height": 1220}, "kerf": 4,
                       "parts": [{"id": "side", "width": 720, "height": 560, "quantity": 2}],
                       "time_limit_ms": 200}),
            ),
            ("post", "/api/v1/cnc/panels") => json(
                "post",
                "/api/v1/cnc/panels".into(),
                json!({"items": [{"module_id": self.module, "quantity": 1}]}),
            ),
            ("post", "/api/v1/exports/cnc") => json(
                "post",
                "/api/v1/exports/cnc".into(),
                json!({"order_id": order}),
            ),
            ("get", "/api/v1/exports/files/{export_id}/{file}") => get(self.export_file.clone()),
            ("post", "/api/v1/exports/{id}/cut") => json(
                "post",
                format!("/api/v1/exports/{}/cut", self.export),
                json!({}),
            ),
            _ => None,
        }
    }
}
