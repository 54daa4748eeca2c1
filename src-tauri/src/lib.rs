//! Paform's desktop app: a Tauri 2 shell over `paform-app`, showing the UI export embedded
//! in the binary. The UI's API calls go through one command, `api_request`, into the same
//! axum router `paform serve` runs (in-process, no socket), so the desktop app and the server
//! cannot behave differently. The shell adds only what a desktop needs: native save and open
//! dialogs, progress events, and the optional local-network server.
//!
//! Invariants:
//! - This is the only crate that names tauri; it names neither axum nor redb.
//! - One instance per data directory: a second launch hands over to the running app, which
//!   brings its window to the front, and exits (`instance`).
//! - The store lives in the OS app-data folder (or `PAFORM_DATA_DIR`).
//! - The web view may call only the commands listed in `capabilities/main-window.json`.

mod bridge;
mod commands;
mod error;
mod files;
mod instance;
mod lan;

use std::path::PathBuf;

use paform_app::{App, AppConfig, AppError};
use paform_http::{LocalClient, ServerOptions};
use tauri::Manager;

/// What every command reaches through `State<Shell>`.
pub(crate) struct Shell {
    app: App,
    local: LocalClient,
    lan: lan::LanServer,
    saved: files::SavedFiles,
}

/// Overrides the store's folder (tests, several stores on one machine).
const DATA_DIR_ENV: &str = "PAFORM_DATA_DIR";
/// Set to report startup errors on stderr only, without a dialog (headless runs).
const NO_DIALOG_ENV: &str = "PAFORM_DESKTOP_NO_DIALOG";

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,tower_http=warn".into());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Shows a startup failure to the person who launched the app, then exits.
fn fail_to_start(message: &str) -> ! {
    eprintln!("paform-desktop: {message}");
    if std::env::var_os(NO_DIALOG_ENV).is_none() {
        rfd::MessageDialog::new()
            .set_level(rfd::MessageLevel::Error)
            .set_title("Paform cannot start")
            .set_description(message)
            .show();
    }
    std::process::exit(1);
}

fn open_store(data_dir: PathBuf) -> App {
    let config = AppConfig {
        data_dir: data_dir.clone(),
        seed_demo_catalog: true,
    };
    match tauri::async_runtime::block_on(App::open(&config)) {
        Ok(app) => app,
        Err(AppError::Unavailable(_)) => fail_to_start(&format!(
            "Paform is already open (its data in {} is in use by another Paform window or \
             server). Switch to that window, or close it and start again.",
            data_dir.display()
        )),
        Err(error) => fail_to_start(&format!(
            "the data in {} cannot be opened: {error}",
            data_dir.display()
        )),
    }
}

/// Brings the main window to the front (a second launch of the app asked for it).
fn focus_main_window(handle: &tauri::AppHandle) {
    if let Some(window) = handle.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    tracing::info!("a second launch brought the window to the front");
}

/// Starts the desktop app and returns when its last window has closed.
pub fn run() {
    init_logging();
    let builder = tauri::Builder::default()
        .setup(|tauri_app| {
            let data_dir = match std::env::var_os(DATA_DIR_ENV) {
                Some(dir) => PathBuf::from(dir),
                None => tauri_app.path().app_data_dir()?,
            };
            if instance::hand_over(&data_dir) {
                tracing::info!(
                    "Paform already runs on this data; its window was brought to the front"
                );
                std::process::exit(0);
            }
            let app = open_store(data_dir.clone());
            // Automatic backups run on the shell's runtime for as long as the app does.
            tauri::async_runtime::block_on(async {
                drop(app.spawn_automatic_backups());
                app.start_chain_push();
            });
            let handle = tauri_app.handle().clone();
            if let Err(error) = instance::listen(&data_dir, move || focus_main_window(&handle)) {
                tracing::warn!(%error, "a second launch will not find this window");
            }
            tracing::info!(data_dir = %data_dir.display(), "paform desktop started");
            tauri_app.manage(Shell {
                local: LocalClient::new(app.clone(), &ServerOptions::default()),
                app,
                lan: lan::LanServer::default(),
                saved: files::SavedFiles::default(),
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::api_request,
            commands::save_export,
            commands::open_folder,
            commands::pick_asset_file,
            commands::cnc_export,
            commands::lan_server_start,
            commands::lan_server_stop,
            commands::lan_server_status,
            commands::restart,
        ]);
    let context = tauri::generate_context!("../tauri.conf.json");
    if let Err(error) = builder.run(context) {
        fail_to_start(&format!("the window cannot be opened: {error}"));
    }
}
