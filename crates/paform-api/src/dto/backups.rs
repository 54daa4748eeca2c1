//! Backup DTOs (SPEC §13): a written archive and the list of archives in the backup folder.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An archive just written (`POST /api/backups`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Backup {
    /// The archive's file name, e.g. `paform-backup-20261130T054012.345Z.tar.zst` (`.tar`: a
    /// plain archive of an earlier build).
    pub file: String,
    /// Where it was written.
    pub path: String,
    pub created_at: String,
    /// Bytes.
    pub size: u64,
    /// Lowercase hex SHA-256 of the whole archive.
    pub sha256: String,
}

/// An archive in the backup folder.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BackupFile {
    pub file: String,
    pub created_at: String,
    pub size: u64,
}

/// `GET /api/backups`: the backup folder, its schedule and its archives, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BackupList {
    pub folder: String,
    /// Hours between automatic backups; 0 when they are off.
    pub interval_hours: u32,
    pub keep: u32,
    /// The newest archive's time, if there is one.
    pub last_backup_at: Option<String>,
    /// True when automatic backups are on and there is no backup or the newest is older
    /// than the interval.
    pub overdue: bool,
    pub backups: Vec<BackupFile>,
    /// A restore chosen in Settings, applied when Paform next starts (or why it failed).
    pub pending_restore: Option<PendingRestore>,
}

/// `POST /api/backups/restore`: the archive to restore at the next start.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RestoreRequest {
    /// An archive's file name in the backup folder, as `GET /api/backups` lists it.
    #[schema(example = "paform-backup-20261130T054012.345Z.tar.zst")]
    pub file: String,
}

/// A restore waiting for the next start: everything in the data directory is replaced by
/// the archive then (the backup folder is kept).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PendingRestore {
    pub file: String,
    pub backup_created_at: String,
    pub requested_at: String,
    /// Why the restore failed at the last start; the data was left as it was.
    pub error: Option<String>,
}
