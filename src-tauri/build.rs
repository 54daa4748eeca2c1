//! Build script of the desktop shell: reads the root `tauri.conf.json` (the layout where the
//! config sits at the repository root and the crate in `src-tauri/`, driven by plain cargo),
//! declares the app's own commands so that each needs a capability, and checks that the UI
//! export exists, since it is embedded into the binary.

const COMMANDS: &[&str] = &[
    "api_request",
    "save_export",
    "open_folder",
    "pick_asset_file",
    "cnc_export",
    "lan_server_start",
    "lan_server_stop",
    "lan_server_status",
    "restart",
];

fn main() {
    let ui_index = std::path::Path::new("../ui/out/index.html");
    println!("cargo:rerun-if-changed=../ui/out/index.html");
    if !ui_index.is_file() {
        panic!("the UI export ui/out is missing: build it first with `make ui`");
    }
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}
