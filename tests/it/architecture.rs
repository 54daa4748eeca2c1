//! The dependency direction, checked from `cargo metadata` (rust-analyzer's tidy model):
//! core ← store ← app ← {http, desktop, paform}, and the I/O crates stay out of the core.

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::Value;

fn workspace_dependencies() -> BTreeMap<String, Vec<String>> {
    let output = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("cargo metadata is JSON");
    metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|package| {
            let dependencies = package["dependencies"]
                .as_array()
                .expect("dependencies")
                .iter()
                .filter(|dependency| dependency["kind"].is_null())
                .map(|dependency| dependency["name"].as_str().expect("name").to_owned())
                .collect();
            (
                package["name"].as_str().expect("name").to_owned(),
                dependencies,
            )
        })
        .collect()
}

#[test]
fn dependencies_point_towards_the_core() {
    let graph = workspace_dependencies();
    let allowed: &[(&str, &[&str])] = &[
        ("paform-core", &[]),
        // The wire contract: plain serde types, no workspace crate.
        ("paform-api", &[]),
        ("paform-store", &["paform-core"]),
        // HQ: its own PostgreSQL store and router, on the core's pure rules and the contract.
        ("paform-hq", &["paform-core", "paform-api"]),
        (
            "paform-app",
            &[
                "paform-core",
                "paform-api",
                "paform-store",
                "paform-export",
                "paform-glb",
                "paform-documents",
            ],
        ),
        ("paform-glb", &[]),
        ("paform-export", &["paform-core"]),
        // Pure renderers of PDFs: no workspace crate, not even the core's types.
        ("paform-documents", &[]),
        ("paform-http", &["paform-app", "paform-api"]),
        (
            "paform",
            &[
                "paform-app",
                "paform-api",
                "paform-http",
                "paform-hq",
                "paform-core",
                "paform-glb",
            ],
        ),
        (
            "paform-desktop",
            &["paform-app", "paform-http", "paform-core"],
        ),
    ];
    for (package, dependencies) in &graph {
        let permitted = allowed
            .iter()
            .find(|(name, _)| name == package)
            .unwrap_or_else(|| panic!("{package} is not in the architecture test's map"))
            .1;
        for dependency in dependencies
            .iter()
            .filter(|name| name.starts_with("paform"))
        {
            assert!(
                permitted.contains(&dependency.as_str()),
                "{package} must not depend on {dependency}"
            );
        }
    }
}

#[test]
fn the_core_knows_no_io_runtime_database_or_http() {
    let graph = workspace_dependencies();
    let core = &graph["paform-core"];
    for forbidden in [
        "tokio", "axum", "redb", "bincode", "tauri", "reqwest", "hyper", "serde", "utoipa",
    ] {
        assert!(
            !core.iter().any(|name| name == forbidden),
            "paform-core depends on {forbidden}"
        );
    }
    for (package, dependencies) in &graph {
        if package != "paform-store" {
            assert!(
                !dependencies.iter().any(|name| name == "redb"),
                "{package} names redb"
            );
        }
    }
}

#[test]
fn every_rust_file_opens_with_a_module_doc() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut missing = Vec::new();
    for folder in ["src", "crates", "tests", "src-tauri/src"] {
        visit(&root.join(folder), &mut missing);
    }
    assert!(
        missing.is_empty(),
        "files without a //! paragraph: {missing:?}"
    );
}

fn visit(path: &std::path::Path, missing: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if !path.ends_with("target") {
                visit(&path, missing);
            }
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if !text.trim_start().starts_with("//!") {
                missing.push(path.display().to_string());
            }
        }
    }
}
