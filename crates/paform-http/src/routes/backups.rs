//! Backups (SPEC §13), admin only (see `permissions`): write one now, list the folder, and
//! choose one to restore at the next start (SPEC §17).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use paform_app::App;
use paform_app::dto::{Backup, BackupList, PendingRestore, Problem, RestoreRequest};

use crate::extract::ApiJson;
use crate::problem::ApiResult;

#[utoipa::path(post, path = "/api/backups", tag = "backups",
    description = "Writes a consistent archive of the store and the data directory's files \
        into the settings' backup folder, then deletes archives beyond the number to keep.",
    responses((status = 201, description = "The archive", body = Backup),
        (status = 507, body = Problem)))]
pub(crate) async fn create_backup(State(app): State<App>) -> ApiResult<(StatusCode, Json<Backup>)> {
    Ok((StatusCode::CREATED, Json(app.create_backup().await?)))
}

#[utoipa::path(get, path = "/api/backups", tag = "backups",
    responses((status = 200, description = "The folder, its schedule and its archives, newest \
        first", body = BackupList)))]
pub(crate) async fn list_backups(State(app): State<App>) -> ApiResult<Json<BackupList>> {
    Ok(Json(app.list_backups()?))
}

#[utoipa::path(post, path = "/api/backups/restore", tag = "backups", request_body = RestoreRequest,
    description = "Verifies an archive of the backup folder whole and restores it when Paform \
        next starts: everything in the data directory is replaced by it (the backup folder is \
        kept). A running Paform cannot swap its own store.",
    responses((status = 202, description = "Restored at the next start", body = PendingRestore),
        (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub(crate) async fn request_restore(
    State(app): State<App>,
    ApiJson(request): ApiJson<RestoreRequest>,
) -> ApiResult<(StatusCode, Json<PendingRestore>)> {
    Ok((
        StatusCode::ACCEPTED,
        Json(app.request_restore(&request.file).await?),
    ))
}

#[utoipa::path(delete, path = "/api/backups/restore", tag = "backups",
    responses((status = 204, description = "No restore waits for the next start")))]
pub(crate) async fn cancel_restore(State(app): State<App>) -> ApiResult<StatusCode> {
    app.cancel_restore()?;
    Ok(StatusCode::NO_CONTENT)
}
