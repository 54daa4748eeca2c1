//! Backups (SPEC §13), admin only (see `permissions`): write one now, list the folder.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use paform_app::App;
use paform_app::dto::{Backup, BackupList, Problem};

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
