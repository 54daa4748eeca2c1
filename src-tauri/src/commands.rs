//! The commands the web view may call (each granted in `capabilities/main-window.json`).
//! Each is a thin wrapper: take the input, make one call into `paform-app` (or the router
//! over it, or the file and server helpers), map the result.

use paform_app::dto::{
    CncExport, CncExportRequest, DesktopApiAnswer, DesktopApiRequest, LanServerStatus, PickedAsset,
    SavedExport,
};
use tauri::{AppHandle, Emitter, State};

use crate::error::CommandResult;
use crate::{Shell, bridge, files};

/// The event that reports each step of a CNC export started by `cnc_export`.
pub(crate) const CNC_PROGRESS_EVENT: &str = "cnc-export-progress";

/// One REST call answered in-process by the same router as `paform serve` (see
/// `ui/lib/api/tauri.ts` for the contract). Errors are answers, never rejections.
#[tauri::command(rename_all = "snake_case")]
pub(crate) async fn api_request(
    shell: State<'_, Shell>,
    request: DesktopApiRequest,
) -> CommandResult<DesktopApiAnswer> {
    Ok(match bridge::to_local(request) {
        Ok(local) => bridge::to_answer(shell.local.send(local).await),
        Err(answer) => answer,
    })
}

/// Saves a file the UI holds (an export, a PDF) where the user chooses; `path` is null when
/// cancelled.
#[tauri::command(rename_all = "snake_case")]
pub(crate) async fn save_export(
    handle: AppHandle,
    shell: State<'_, Shell>,
    kind: String,
    filename: String,
    bytes_base64: String,
) -> CommandResult<SavedExport> {
    files::save_export(&handle, &shell.saved, &kind, &filename, &bytes_base64).await
}

/// Shows the folder of a file `save_export` wrote in the file manager.
#[tauri::command(rename_all = "snake_case")]
pub(crate) fn open_folder(shell: State<'_, Shell>, path: String) -> CommandResult<()> {
    files::open_folder(&shell.saved, &path)
}

/// Starts the app again, e.g. to apply a backup chosen in Settings, which a running app
/// cannot swap under its own store.
#[tauri::command(rename_all = "snake_case")]
pub(crate) fn restart(handle: AppHandle) {
    handle.restart();
}

/// Lets the user pick a design asset and hands its bytes to the UI for upload.
#[tauri::command(rename_all = "snake_case")]
pub(crate) async fn pick_asset_file(
    handle: AppHandle,
    shell: State<'_, Shell>,
) -> CommandResult<Option<PickedAsset>> {
    files::pick_asset_file(&handle, shell.app.max_asset_bytes()).await
}

/// The CNC export of `POST /api/v1/exports/cnc`, reporting each step as an event.
#[tauri::command(rename_all = "snake_case")]
pub(crate) async fn cnc_export(
    handle: AppHandle,
    shell: State<'_, Shell>,
    request: CncExportRequest,
) -> CommandResult<CncExport> {
    let report = move |step| {
        let _ = handle.emit(CNC_PROGRESS_EVENT, step);
    };
    Ok(shell.app.export_cnc(request, report).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub(crate) async fn lan_server_start(
    handle: AppHandle,
    shell: State<'_, Shell>,
    bind: String,
) -> CommandResult<LanServerStatus> {
    shell.lan.start(&handle, &shell.app, &bind).await
}

#[tauri::command(rename_all = "snake_case")]
pub(crate) async fn lan_server_stop(shell: State<'_, Shell>) -> CommandResult<LanServerStatus> {
    shell.lan.stop(&shell.app).await
}

#[tauri::command(rename_all = "snake_case")]
pub(crate) async fn lan_server_status(shell: State<'_, Shell>) -> CommandResult<LanServerStatus> {
    shell.lan.status(&shell.app).await
}
