//! The customer's phone (SPEC §17): sales share one design or quote as a 24-hour link; the
//! phone reads it, and the models and textures it draws, without a device token; the link
//! opens nothing else, and a forged or expired one is a 401 naming why.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use jiff::{SignedDuration, Timestamp};
use paform_app::dto::DeviceTokenInput;
use paform_app::{App, Clock};
use serde_json::{Value, json};

use crate::support::{Reply, TestApp, spawn_app_requiring_tokens};

/// A clock that tests can move forward.
#[derive(Default)]
struct MovableClock {
    offset_secs: AtomicI64,
}

impl Clock for MovableClock {
    fn now(&self) -> Timestamp {
        Timestamp::now() + SignedDuration::from_secs(self.offset_secs.load(Ordering::SeqCst))
    }
}

/// A server requiring device tokens (as on the showroom's network) with the demo catalog,
/// a sales token, the movable clock and two saved designs of demo modules that have models.
struct Showroom {
    server: TestApp,
    app: App,
    clock: Arc<MovableClock>,
    sales: String,
    admin: String,
    kitchen: String,
    other_design: String,
    /// Modules with a model: the kitchen's, and one only the other design has.
    kitchen_module: String,
    other_module: String,
}

async fn token(app: &App, role: &str) -> String {
    app.create_device_token(DeviceTokenInput {
        name: format!("{role}-device"),
        role: Some(role.into()),
    })
    .await
    .expect("a token is created")
    .token
}

async fn showroom() -> Showroom {
    let clock = Arc::new(MovableClock::default());
    let (server, app) = spawn_app_requiring_tokens(Some(clock.clone())).await;
    let sales = token(&app, "sales").await;
    let admin = token(&app, "admin").await;
    let modules = server
        .send_as(&sales, server.client.get(server.url("/api/modules")))
        .await;
    assert_eq!(modules.status, 200, "{}", modules.body);
    let with_model: Vec<String> = modules.body["items"]
        .as_array()
        .expect("a page of modules")
        .iter()
        .filter(|module| module["assembly_attributes"]["glb_url"].is_string())
        .map(|module| module["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        with_model.len() >= 2,
        "the demo catalog has modelled modules"
    );
    let (kitchen_module, other_module) = (with_model[0].clone(), with_model[1].clone());
    let kitchen = design(&server, &sales, "Kitchen", &kitchen_module).await;
    let other_design = design(&server, &sales, "Pantry", &other_module).await;
    Showroom {
        server,
        app,
        clock,
        sales,
        admin,
        kitchen,
        other_design,
        kitchen_module,
        other_module,
    }
}

async fn design(server: &TestApp, token: &str, name: &str, module_id: &str) -> String {
    let body = json!({"name": name, "items": [{"module_id": module_id, "quantity": 2}]});
    let reply = server
        .send_as(
            token,
            server.client.post(server.url("/api/designs")).json(&body),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

async fn share(showroom: &Showroom, path: &str) -> Value {
    let server = &showroom.server;
    let reply = server
        .send_as(&showroom.sales, server.client.post(server.url(path)))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.body
}

/// A request as the phone sends it: no `Authorization` header.
async fn phone_get(server: &TestApp, path: &str) -> Reply {
    server.get(path).await
}

fn token_of(share: &Value) -> String {
    share["token"].as_str().expect("a token").to_owned()
}

fn detail(reply: &Reply) -> &str {
    reply.body["detail"].as_str().unwrap_or("")
}

#[tokio::test]
async fn a_shared_design_opens_read_only_on_a_phone_without_a_device_token() {
    let showroom = showroom().await;
    let server = &showroom.server;
    let before = Timestamp::now();
    let shared = share(
        &showroom,
        &format!("/api/designs/{}/share", showroom.kitchen),
    )
    .await;
    let token = token_of(&shared);
    assert_eq!(shared["scope"], "design");
    assert_eq!(shared["id"], showroom.kitchen.as_str());
    assert_eq!(
        shared["url_path"],
        format!("/share/?token={token}").as_str()
    );
    // The test server listens on loopback only: no phone can reach it, and the answer says so.
    assert_eq!(shared["reachable_from_network"], false);
    assert_eq!(
        shared["url"],
        format!("http://{}/share/?token={token}", server.address).as_str()
    );
    let expires: Timestamp = shared["expires_at"].as_str().unwrap().parse().unwrap();
    let lifetime = expires.duration_since(before);
    assert!(
        lifetime >= SignedDuration::from_hours(24) - SignedDuration::from_secs(5)
            && lifetime <= SignedDuration::from_hours(24) + SignedDuration::from_secs(5),
        "{lifetime:?}"
    );

    let view = phone_get(server, &format!("/api/share/{token}")).await;
    assert_eq!(view.status, 200, "{}", view.body);
    assert_eq!(view.body["scope"], "design");
    assert_eq!(view.body["name"], "Kitchen");
    assert_eq!(view.body["quote"], Value::Null);
    let items = view.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["module_id"], showroom.kitchen_module.as_str());
    assert_eq!(items[0]["quantity"], 2);
    let module = &view.body["modules"][0];
    assert_eq!(module["id"], showroom.kitchen_module.as_str());
    assert!(module["dimensions"]["width"].as_f64().unwrap() > 0.0);
    assert!(module["assembly_attributes"]["glb_url"].is_string());
    // The item's material is its module's own, and it is described.
    let material_id = items[0]["material_id"].as_str().unwrap();
    assert_eq!(view.body["materials"][0]["id"], material_id);
    // The customer's view carries no costs, base prices or external ids.
    let text = view.body.to_string();
    for secret in ["cost_per_sq_ft", "base_price", "external_ids"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }

    // The model the scene draws, with the share token instead of a device token.
    let (status, content_type, bytes) = server
        .get_bytes(&format!(
            "/api/modules/{}/model?v=1&share={token}",
            showroom.kitchen_module
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "model/gltf-binary");
    assert_eq!(&bytes[..4], b"glTF");
}

#[tokio::test]
async fn a_share_link_expires_after_24_hours_with_a_401_naming_the_expiry() {
    let showroom = showroom().await;
    let server = &showroom.server;
    let token = token_of(
        &share(
            &showroom,
            &format!("/api/designs/{}/share", showroom.kitchen),
        )
        .await,
    );
    showroom
        .clock
        .offset_secs
        .store(23 * 3600, Ordering::SeqCst);
    assert_eq!(
        phone_get(server, &format!("/api/share/{token}"))
            .await
            .status,
        200
    );
    showroom
        .clock
        .offset_secs
        .store(24 * 3600, Ordering::SeqCst);
    let expired = phone_get(server, &format!("/api/share/{token}")).await;
    expired.assert_problem(401, None);
    assert!(detail(&expired).contains("expired"), "{}", expired.body);
    let model = phone_get(
        server,
        &format!(
            "/api/modules/{}/model?share={token}",
            showroom.kitchen_module
        ),
    )
    .await;
    model.assert_problem(401, None);
    assert!(detail(&model).contains("expired"), "{}", model.body);
}

#[tokio::test]
async fn a_forged_or_altered_share_token_is_a_401_naming_the_reason() {
    let showroom = showroom().await;
    let server = &showroom.server;
    let token = token_of(
        &share(
            &showroom,
            &format!("/api/designs/{}/share", showroom.kitchen),
        )
        .await,
    );
    let parts: Vec<&str> = token.split('.').collect();
    let [_, _, expires, signature] = parts[..] else {
        panic!("a token has four parts: {token}");
    };
    let flipped = if signature.ends_with('0') { "1" } else { "0" };
    let forged = [
        // Another design under this design's signature.
        format!("d.{}.{expires}.{signature}", showroom.other_design),
        // The same design as a quote.
        format!("q.{}.{expires}.{signature}", showroom.kitchen),
        // A later expiry.
        format!(
            "d.{}.{}.{signature}",
            showroom.kitchen,
            expires.parse::<i64>().unwrap() + 3600
        ),
        // One changed digit of the signature.
        format!("{}{flipped}", &token[..token.len() - 1]),
    ];
    for forged in forged {
        let reply = phone_get(server, &format!("/api/share/{forged}")).await;
        reply.assert_problem(401, None);
        assert!(
            detail(&reply).contains("signature"),
            "{forged}: {}",
            reply.body
        );
    }
    for garbage in ["nonsense", "d.x.y.z", "d..1.00"] {
        let reply = phone_get(server, &format!("/api/share/{garbage}")).await;
        reply.assert_problem(401, None);
        assert!(
            detail(&reply).contains("not a Paform share token"),
            "{}",
            reply.body
        );
    }
}

#[tokio::test]
async fn a_design_share_opens_no_other_design_asset_or_api_path() {
    let showroom = showroom().await;
    let server = &showroom.server;
    let token = token_of(
        &share(
            &showroom,
            &format!("/api/designs/{}/share", showroom.kitchen),
        )
        .await,
    );
    // Not a device token: as a bearer it opens nothing, not even its own design (and it
    // counts as a wrong device token, so only two are tried here).
    for path in [
        format!("/api/designs/{}", showroom.kitchen),
        format!("/api/designs/{}", showroom.other_design),
    ] {
        let as_bearer = server
            .send_as(&token, server.client.get(server.url(&path)))
            .await;
        as_bearer.assert_problem(401, None);
    }
    // In the query it opens only the share's assets.
    for path in [
        format!("/api/designs/{}", showroom.kitchen),
        format!("/api/designs/{}", showroom.other_design),
        "/api/designs".to_owned(),
        "/api/materials".to_owned(),
        "/api/settings".to_owned(),
        format!("/api/designs/{}/snapshot", showroom.kitchen),
    ] {
        let in_query = phone_get(server, &format!("{path}?share={token}")).await;
        in_query.assert_problem(401, None);
    }
    let other_model = phone_get(
        server,
        &format!("/api/modules/{}/model?share={token}", showroom.other_module),
    )
    .await;
    other_model.assert_problem(401, None);
    assert!(
        detail(&other_model).contains("opens only"),
        "{}",
        other_model.body
    );
    let media = phone_get(server, &format!("/api/media/6a7b8c.jpg?share={token}")).await;
    media.assert_problem(401, None);
    // Writes are never let through, whatever the query says.
    let write = server
        .send(
            server
                .client
                .put(server.url(&format!(
                    "/api/modules/{}/model?share={token}",
                    showroom.kitchen_module
                )))
                .body(vec![0_u8; 8]),
        )
        .await;
    write.assert_problem(401, None);
    // Without a share at all, the model stays closed.
    let bare = phone_get(
        server,
        &format!("/api/modules/{}/model", showroom.kitchen_module),
    )
    .await;
    bare.assert_problem(401, None);
}

#[tokio::test]
async fn a_shared_design_s_textures_are_readable_with_its_token() {
    let showroom = showroom().await;
    let server = &showroom.server;
    let view = {
        let token = token_of(
            &share(
                &showroom,
                &format!("/api/designs/{}/share", showroom.kitchen),
            )
            .await,
        );
        phone_get(server, &format!("/api/share/{token}")).await
    };
    let material_id = view.body["items"][0]["material_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let material = server
        .send_as(
            &showroom.admin,
            server
                .client
                .get(server.url(&format!("/api/materials/{material_id}"))),
        )
        .await;
    let input = json!({
        "name": material.body["name"],
        "cost_per_sq_ft": material.body["cost_per_sq_ft"],
        "thickness_mm": material.body["thickness_mm"],
        "texture_url": "/api/media/0a1b2c.jpg?v=2",
    });
    let updated = server
        .send_as(
            &showroom.admin,
            server
                .client
                .put(server.url(&format!("/api/materials/{material_id}")))
                .json(&input),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.body);
    let token = token_of(
        &share(
            &showroom,
            &format!("/api/designs/{}/share", showroom.kitchen),
        )
        .await,
    );
    // Let through by the share (the file itself was never downloaded, hence 404, not 401).
    let texture = phone_get(server, &format!("/api/media/0a1b2c.jpg?share={token}")).await;
    texture.assert_problem(404, None);
    let other = phone_get(server, &format!("/api/media/3d4e5f.jpg?share={token}")).await;
    other.assert_problem(401, None);
}

#[tokio::test]
async fn a_shared_quote_shows_its_design_lines_and_exact_total() {
    let showroom = showroom().await;
    let server = &showroom.server;
    let quote = server
        .send_as(
            &showroom.sales,
            server
                .client
                .post(server.url(&format!("/api/designs/{}/quote", showroom.kitchen))),
        )
        .await;
    assert!(quote.status == 200 || quote.status == 201, "{}", quote.body);
    let quote_id = quote.body["id"].as_str().unwrap();
    let shared = share(&showroom, &format!("/api/quotes/{quote_id}/share")).await;
    assert_eq!(shared["scope"], "quote");
    let view = phone_get(server, &format!("/api/share/{}", token_of(&shared))).await;
    assert_eq!(view.status, 200, "{}", view.body);
    assert_eq!(view.body["scope"], "quote");
    assert_eq!(view.body["name"], quote.body["number"]);
    let shared_quote = &view.body["quote"];
    assert_eq!(shared_quote["total"], quote.body["total"]);
    assert_eq!(shared_quote["subtotal"], quote.body["subtotal"]);
    assert_eq!(shared_quote["currency"], quote.body["currency"]);
    assert_eq!(
        shared_quote["lines"][0]["line_total"],
        quote.body["lines"][0]["line_total"]
    );
    assert_eq!(
        view.body["items"][0]["module_id"],
        showroom.kitchen_module.as_str()
    );
    // A quote's token does not open the design it was priced from.
    let design = phone_get(
        server,
        &format!(
            "/api/designs/{}?share={}",
            showroom.kitchen,
            token_of(&shared)
        ),
    )
    .await;
    design.assert_problem(401, None);
}

#[tokio::test]
async fn sharing_what_does_not_exist_is_404_and_production_may_not_share() {
    let showroom = showroom().await;
    let server = &showroom.server;
    for path in [
        "/api/designs/no-such-design/share",
        "/api/quotes/no-such-quote/share",
    ] {
        let reply = server
            .send_as(&showroom.sales, server.client.post(server.url(path)))
            .await;
        reply.assert_problem(404, None);
    }
    let production = token(&showroom.app, "production").await;
    let refused = server
        .send_as(
            &production,
            server
                .client
                .post(server.url(&format!("/api/designs/{}/share", showroom.kitchen))),
        )
        .await;
    refused.assert_problem(403, None);
}

#[tokio::test]
async fn a_share_survives_a_restart_because_it_is_signed_with_the_install_key() {
    let showroom = showroom().await;
    let token = token_of(
        &share(
            &showroom,
            &format!("/api/designs/{}/share", showroom.kitchen),
        )
        .await,
    );
    let data_dir = showroom.server.stop().await;
    drop(showroom.app);
    let reopened = crate::support::spawn_app_with(Default::default(), Some(data_dir)).await;
    let view = reopened.get(&format!("/api/share/{token}")).await;
    assert_eq!(view.status, 200, "{}", view.body);
    assert_eq!(view.body["name"], "Kitchen");
}

#[tokio::test]
async fn a_sales_screen_stores_the_scene_s_glb_and_a_phone_reads_it_with_the_share_token() {
    let showroom = showroom().await;
    let server = &showroom.server;
    let token = token_of(
        &share(
            &showroom,
            &format!("/api/designs/{}/share", showroom.kitchen),
        )
        .await,
    );
    let before = phone_get(server, &format!("/api/share/{token}")).await;
    assert_eq!(before.body["model_url"], Value::Null);
    let model_path = format!("/api/share/{token}/model.glb");
    phone_get(server, &model_path)
        .await
        .assert_problem(404, None);
    // Any GLB will do here: the demo catalog's own model of the kitchen's module.
    let (_, _, glb) = server
        .get_bytes(&format!(
            "/api/modules/{}/model?share={token}",
            showroom.kitchen_module
        ))
        .await;
    let put = |token: Option<&str>, body: Vec<u8>| {
        let request = server
            .client
            .put(server.url(&model_path))
            .header("content-type", "model/gltf-binary")
            .body(body);
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    };
    // A phone cannot write, with or without its share token.
    server
        .send(put(None, glb.clone()))
        .await
        .assert_problem(401, None);
    let production = crate::api_share::token(&showroom.app, "production").await;
    server
        .send(put(Some(&production), glb.clone()))
        .await
        .assert_problem(403, None);
    server
        .send(put(Some(&showroom.sales), b"{\"asset\":{}}".to_vec()))
        .await
        .assert_problem(422, Some("body"));
    let stored = server.send(put(Some(&showroom.sales), glb.clone())).await;
    assert_eq!(stored.status, 204, "{}", stored.body);

    let after = phone_get(server, &format!("/api/share/{token}")).await;
    assert_eq!(after.body["model_url"], model_path.as_str());
    let (status, content_type, bytes) = server.get_bytes(&model_path).await;
    assert_eq!((status, content_type.as_str()), (200, "model/gltf-binary"));
    assert_eq!(bytes, glb);
    // A later share of the same design (another expiry) has a file of its own.
    showroom.clock.offset_secs.store(1, Ordering::SeqCst);
    let later = token_of(
        &share(
            &showroom,
            &format!("/api/designs/{}/share", showroom.kitchen),
        )
        .await,
    );
    assert_ne!(later, token);
    phone_get(server, &format!("/api/share/{later}/model.glb"))
        .await
        .assert_problem(404, None);
    showroom
        .clock
        .offset_secs
        .store(24 * 3600, Ordering::SeqCst);
    let expired = phone_get(server, &model_path).await;
    expired.assert_problem(401, None);
    assert!(detail(&expired).contains("expired"), "{}", expired.body);
}
