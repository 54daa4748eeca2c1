//! Restore on restart (SPEC §17): a running Paform holds its store, so Settings → Backups
//! cannot swap the data directory under it. It verifies the chosen archive whole and leaves
//! a note in the data directory (`restore-pending.json`); the next start applies it before
//! the store opens, with the same `restore_backup` as the CLI. A restore that fails at start
//! keeps the data as it was and leaves the note with its reason, so the failure is shown
//! rather than retried at every start.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{archives_in, restore_backup, verify_archive};
use crate::dto::PendingRestore;
use crate::{App, AppError, convert, durable};

/// The note of a restore waiting for the next start, in the data directory. Backups never
/// carry it, so restoring one cannot schedule another.
pub(crate) const PENDING_RESTORE_FILE: &str = "restore-pending.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct PendingNote {
    /// The archive's absolute path.
    archive: PathBuf,
    file: String,
    backup_created_at: String,
    requested_at: String,
    /// Why it failed at the last start; a failed note is not tried again.
    error: Option<String>,
}

impl PendingNote {
    fn view(self) -> PendingRestore {
        PendingRestore {
            file: self.file,
            backup_created_at: self.backup_created_at,
            requested_at: self.requested_at,
            error: self.error,
        }
    }
}

fn note_path(data_dir: &Path) -> PathBuf {
    data_dir.join(PENDING_RESTORE_FILE)
}

fn read_note(data_dir: &Path) -> Result<Option<PendingNote>, AppError> {
    let path = note_path(data_dir);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(AppError::internal(
                anyhow::Error::new(error).context(format!("cannot read {}", path.display())),
            ));
        }
    };
    serde_json::from_slice(&bytes).map(Some).map_err(|error| {
        AppError::internal(anyhow::anyhow!(
            "{} is not a restore note: {error}",
            path.display()
        ))
    })
}

fn write_note(data_dir: &Path, note: &PendingNote) -> Result<(), AppError> {
    let bytes = serde_json::to_vec_pretty(note)
        .map_err(|error| AppError::internal(anyhow::Error::new(error)))?;
    let path = note_path(data_dir);
    durable::write_atomically(&path, &bytes).map_err(|error| {
        AppError::internal(
            anyhow::Error::new(error).context(format!("cannot write {}", path.display())),
        )
    })
}

/// Applies the restore noted in `data_dir`, if any and not failed before; called at start,
/// before the store opens. A failure is written into the note and logged; the data stays.
pub fn apply_pending_restore(data_dir: &Path) -> Result<Option<PendingRestore>, AppError> {
    let Some(mut note) = read_note(data_dir)? else {
        return Ok(None);
    };
    if note.error.is_some() {
        return Ok(Some(note.view()));
    }
    // Another Paform still holds the store (or is just letting it go): opening will say so,
    // and the note waits for a start that owns the directory.
    if paform_store::is_store_open(&data_dir.join(crate::STORE_FILE))? {
        return Ok(Some(note.view()));
    }
    match restore_backup(&note.archive, data_dir, true) {
        // The note stayed in the directory that was replaced.
        Ok(summary) => {
            tracing::info!(archive = %note.archive.display(), files = summary.n_files,
                bytes = summary.bytes, "restored the backup chosen in Settings");
            Ok(None)
        }
        Err(error) => {
            tracing::error!(archive = %note.archive.display(), %error,
                "the backup chosen in Settings was not restored; the data is as it was");
            note.error = Some(error.to_string());
            write_note(data_dir, &note)?;
            Ok(Some(note.view()))
        }
    }
}

impl App {
    /// Verifies the archive `file` of the backup folder and notes it for the next start.
    pub async fn request_restore(&self, file: &str) -> Result<PendingRestore, AppError> {
        let folder = self.backup_schedule()?.folder;
        let listed = archives_in(&folder)?
            .into_iter()
            .find(|archive| archive.file == file)
            .ok_or_else(|| AppError::not_found("backup", file))?;
        let archive = folder.join(&listed.file);
        let archive = std::path::absolute(&archive).unwrap_or(archive);
        let checked = archive.clone();
        let manifest = tokio::task::spawn_blocking(move || verify_archive(&checked))
            .await
            .map_err(crate::artifacts::join_error)?
            // The request is well-formed; the archive it names is what is wrong.
            .map_err(|error| match error {
                AppError::Malformed { detail, .. } => AppError::invalid_field("file", detail),
                other => other,
            })?;
        let note = PendingNote {
            archive,
            file: listed.file,
            backup_created_at: manifest.created_at,
            requested_at: convert::timestamp(self.now()),
            error: None,
        };
        write_note(self.data_dir(), &note)?;
        Ok(note.view())
    }

    /// Forgets a noted restore (pending or failed).
    pub fn cancel_restore(&self) -> Result<(), AppError> {
        let path = note_path(self.data_dir());
        match std::fs::remove_file(&path) {
            Ok(()) => durable::sync_dir(self.data_dir()).map_err(|error| {
                AppError::internal(
                    anyhow::Error::new(error).context("cannot sync the data directory"),
                )
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(AppError::internal(
                anyhow::Error::new(error).context(format!("cannot remove {}", path.display())),
            )),
        }
    }

    pub(crate) fn pending_restore(&self) -> Result<Option<PendingRestore>, AppError> {
        Ok(read_note(self.data_dir())?.map(PendingNote::view))
    }
}
