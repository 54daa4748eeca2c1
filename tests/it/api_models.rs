//! Module models (SPEC §11, GLB pipeline): `PUT/GET /api/modules/{id}/model` through the real
//! server and `paform glb check` as a process, over the fixtures `tools/glb/build.mjs` builds.

use std::process::Command;

use paform_app::MAX_MODEL_UPLOAD_BYTES;

use crate::support::{TestApp, paform_binary, spawn_app, spawn_seeded_app};

const GLB: &str = "model/gltf-binary";

fn fixture_path(name: &str) -> String {
    format!(
        "{}/crates/paform-glb/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).expect("the fixture exists")
}

async fn module_of_size(app: &TestApp, size: [f64; 3]) -> String {
    let material = app.material("Oak", "4.00", Some(18.0)).await;
    app.module("Base 600", size, "100.00", &material).await
}

#[tokio::test]
async fn a_valid_model_is_stored_served_and_linked_from_the_module() {
    let app = spawn_app().await;
    let id = module_of_size(&app, [600.0, 720.0, 560.0]).await;
    let bytes = fixture("valid-draco-lods.glb");
    let path = format!("/api/modules/{id}/model");

    let (status, _, _) = app.get_bytes(&path).await;
    assert_eq!(status, 404, "no model yet");

    let stored = app.put_raw(&path, GLB, bytes.clone()).await;
    assert_eq!(stored.status, 201, "{}", stored.body);
    assert_eq!(stored.body["draco"], true);
    assert_eq!(stored.body["violations"], serde_json::json!([]));
    assert_eq!(
        stored.body["bounding_box_mm"]["width"]
            .as_f64()
            .map(f64::round),
        Some(600.0)
    );
    let url = stored.body["glb_url"]
        .as_str()
        .expect("a served path")
        .to_owned();
    assert!(url.starts_with(&format!("{path}?v=")), "{url}");

    let module = app.get(&format!("/api/modules/{id}")).await;
    assert_eq!(module.body["assembly_attributes"]["glb_url"], url.as_str());

    let (status, content_type, served) = app.get_bytes(&url).await;
    assert_eq!((status, content_type.as_str()), (200, GLB));
    assert_eq!(served, bytes);
}

#[tokio::test]
async fn a_model_of_the_wrong_size_is_refused_naming_the_bounding_box() {
    let app = spawn_app().await;
    let id = module_of_size(&app, [800.0, 720.0, 560.0]).await;
    let reply = app
        .put_raw(
            &format!("/api/modules/{id}/model"),
            GLB,
            fixture("valid.glb"),
        )
        .await;
    reply.assert_problem(422, Some("bounding-box"));
    reply.assert_problem(422, Some("dimensions-drift"));
    assert!(
        reply.body["detail"]
            .as_str()
            .unwrap()
            .contains("width 600 mm instead of 800 mm")
    );
    let module = app.get(&format!("/api/modules/{id}")).await;
    assert!(
        module.body["assembly_attributes"]["glb_url"].is_null(),
        "nothing stored"
    );
}

#[tokio::test]
async fn broken_files_are_refused_with_every_violation() {
    let app = spawn_app().await;
    let id = module_of_size(&app, [600.0, 720.0, 560.0]).await;
    let path = format!("/api/modules/{id}/model");
    app.put_raw(&path, GLB, b"not a model".to_vec())
        .await
        .assert_problem(422, Some("not-glb"));
    app.put_raw(&path, GLB, fixture("truncated.glb"))
        .await
        .assert_problem(422, Some("not-glb"));
    let names = app.put_raw(&path, GLB, fixture("material-slot.glb")).await;
    names.assert_problem(422, Some("material-slot"));
    names.assert_problem(422, Some("material-missing"));
    app.put_raw("/api/modules/nope/model", GLB, fixture("valid.glb"))
        .await
        .assert_problem(404, None);
}

#[tokio::test]
async fn a_body_over_fifty_mib_is_413() {
    let app = spawn_app().await;
    let id = module_of_size(&app, [600.0, 720.0, 560.0]).await;
    let reply = app
        .put_raw(
            &format!("/api/modules/{id}/model"),
            GLB,
            vec![0; MAX_MODEL_UPLOAD_BYTES + 1],
        )
        .await;
    reply.assert_problem(413, None);
}

#[tokio::test]
async fn the_demo_catalog_ships_draco_models() {
    let app = spawn_seeded_app().await;
    let modules = app.get("/api/modules?limit=500").await;
    let with_models: Vec<(&str, &str)> = modules.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| {
            Some((
                m["name"].as_str()?,
                m["assembly_attributes"]["glb_url"].as_str()?,
            ))
        })
        .collect();
    assert!(with_models.len() >= 2, "{with_models:?}");
    for (name, url) in with_models {
        let (status, content_type, bytes) = app.get_bytes(url).await;
        assert_eq!((status, content_type.as_str()), (200, GLB), "{name}");
        assert!(bytes.len() < 200 * 1024, "{name} is {} bytes", bytes.len());
        assert!(bytes.starts_with(b"glTF"), "{name}");
    }
}

fn glb_check(args: &[&str]) -> (i32, String) {
    let output = Command::new(paform_binary())
        .args(["glb", "check"])
        .args(args)
        .output()
        .expect("paform runs");
    let code = output.status.code().expect("an exit code");
    (code, String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn glb_check_models_prints_the_report_and_exits_by_verdict() {
    let valid = fixture_path("valid-draco-lods.glb");
    let (code, out) = glb_check(&[&valid, "--dimensions", "600x720x560"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("valid\n"), "{out}");

    let (code, out) = glb_check(&[&valid, "--dimensions", "800x720x560"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("bounding-box: "), "{out}");

    let (code, out) = glb_check(&[&fixture_path("units.glb")]);
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("units: "), "{out}");

    let (code, out) = glb_check(&[&fixture_path("node-names.glb")]);
    assert_eq!(code, 1);
    assert!(out.contains("node-name: node \"panel:side-left\""), "{out}");
    assert!(out.ends_with("4 violation(s)\n"), "{out}");

    let (code, _) = glb_check(&["/nonexistent.glb"]);
    assert_eq!(code, 2);
}
