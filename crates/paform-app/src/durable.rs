//! Durability of the data directory's file tree (SPEC §14).
//!
//! A file's bytes are durable after `sync_all` on the file, but its *name* is durable only
//! after the directory holding it is synced (POSIX; btrfs behaves so). So every directory the
//! app creates is followed by a sync of its parent, and every rename into a directory by a
//! sync of that directory, before anything that points at the new name is committed.
//!
//! Invariants:
//! - `prepare_data_dir` runs before the store opens: it refuses a data directory that holds
//!   assets or exports but no store (a store lost to a power cut must not be silently
//!   replaced by an empty one), and removes the `.part`/`.tmp` leftovers of interrupted
//!   writes, which nothing points at.
//! - A write that fails for lack of space is `AppError::InsufficientStorage` naming the
//!   directory, never a generic internal error.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::AppError;

/// Where design asset files live, inside the data directory.
pub(crate) const ASSETS_DIR: &str = "assets";
/// Where local CNC exports live, inside the data directory.
pub(crate) const EXPORTS_DIR: &str = "exports";
/// Where modules' GLB models live, inside the data directory (`<module-id>.glb`).
pub(crate) const MODELS_DIR: &str = "models";
/// Where textures downloaded from Hygraph live, inside the data directory (`media`).
pub(crate) const MEDIA_DIR: &str = "media";
/// Where the GLBs sales screens upload for share links live, inside the data directory
/// (`share`).
pub(crate) const SHARES_DIR: &str = "shares";

/// Makes the entries of `dir` (new names, renames, removals) durable.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// `create_dir_all`, then a sync of the parent of every directory it created, so the whole
/// new chain survives a power cut.
pub(crate) fn create_dir_all_synced(dir: &Path) -> io::Result<()> {
    let mut missing = Vec::new();
    let mut probe = Some(dir);
    while let Some(path) = probe {
        if path.as_os_str().is_empty() || path.is_dir() {
            break;
        }
        missing.push(path.to_path_buf());
        probe = path.parent();
    }
    if missing.is_empty() {
        return Ok(());
    }
    std::fs::create_dir_all(dir)?;
    // Sync each new directory (its own entries) and the parent that names it.
    for created in missing.iter().rev() {
        sync_dir(created)?;
        if let Some(parent) = created.parent().filter(|p| !p.as_os_str().is_empty()) {
            sync_dir(parent)?;
        }
    }
    Ok(())
}

/// Readies `data_dir` for opening the store in it; see the module's invariants.
pub(crate) fn prepare_data_dir(data_dir: &Path, store_file: &str) -> Result<(), AppError> {
    let failed = |error: io::Error, what: String| io_error(error, what, data_dir);
    create_dir_all_synced(data_dir).map_err(|error| {
        failed(
            error,
            format!("cannot create the data directory {}", data_dir.display()),
        )
    })?;
    let store_path = data_dir.join(store_file);
    if !store_path.exists() {
        for dir in [ASSETS_DIR, EXPORTS_DIR] {
            let path = data_dir.join(dir);
            if has_entries(&path) {
                return Err(AppError::Conflict(format!(
                    "the data directory {} holds {} but no store ({}); the store may have been \
                     lost or moved; restore {} from a backup, or move the data directory aside \
                     to start afresh",
                    data_dir.display(),
                    path.display(),
                    store_file,
                    store_path.display()
                )));
            }
        }
    }
    remove_leftovers(&data_dir.join(ASSETS_DIR))
        .and_then(|()| remove_leftovers(&data_dir.join(EXPORTS_DIR)))
        .and_then(|()| remove_leftovers(&data_dir.join(MODELS_DIR)))
        .and_then(|()| remove_leftovers(&data_dir.join(MEDIA_DIR)))
        .and_then(|()| remove_leftovers(&data_dir.join(SHARES_DIR)))
        .and_then(|()| remove_leftovers(data_dir))
        .map_err(|error| failed(error, format!("cannot clean up {}", data_dir.display())))
}

/// After the store file exists: makes its name durable, and creates the asset and export
/// directories durably.
pub(crate) fn finish_data_dir(data_dir: &Path) -> Result<(), AppError> {
    let failed = |error: io::Error| {
        io_error(
            error,
            format!("cannot sync the data directory {}", data_dir.display()),
            data_dir,
        )
    };
    sync_dir(data_dir).map_err(failed)?;
    for dir in [ASSETS_DIR, EXPORTS_DIR] {
        create_dir_all_synced(&data_dir.join(dir)).map_err(failed)?;
    }
    Ok(())
}

fn has_entries(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some())
}

/// True for the names of interrupted writes: `.<id>.part` (assets) and `.<name>.<id>.tmp`
/// (exports, the signing key).
fn is_leftover(name: &str) -> bool {
    name.starts_with('.') && (name.ends_with(".part") || name.ends_with(".tmp"))
}

/// Removes leftovers in `dir` and, one level down, in its subdirectories (exports keep one
/// folder per export); then syncs what changed.
fn remove_leftovers(dir: &Path) -> io::Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let mut removed = false;
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let kind = entry.file_type()?;
        if kind.is_file() && is_leftover(&name) {
            tracing::info!(file = %path.display(), "removing the leftover of an interrupted write");
            std::fs::remove_file(&path)?;
            removed = true;
        } else if kind.is_dir() && dir.file_name().is_some_and(|n| n == EXPORTS_DIR) {
            remove_leftovers(&path)?;
        }
    }
    if removed {
        sync_dir(dir)?;
    }
    Ok(())
}

/// Writes `bytes` to a temporary file next to `path`, syncs it, renames it into place and
/// syncs the directories involved.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    create_dir_all_synced(folder)?;
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("file");
    let temporary = folder.join(format!(".{name}.{}.tmp", uuid::Uuid::now_v7()));
    let result = (|| {
        let mut handle = std::fs::File::create(&temporary)?;
        handle.write_all(bytes)?;
        handle.sync_all()?;
        std::fs::rename(&temporary, path)?;
        sync_dir(folder)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// An I/O failure while writing under `dir`: 507 if the disk is full, else internal.
pub(crate) fn io_error(error: io::Error, context: String, dir: &Path) -> AppError {
    if paform_store::is_disk_full(&error) {
        AppError::InsufficientStorage(disk_full_detail(dir))
    } else {
        AppError::internal(anyhow::Error::new(error).context(context))
    }
}

pub(crate) fn disk_full_detail(dir: &Path) -> String {
    format!(
        "the disk holding {} is full; free some space there and try again",
        dir.display()
    )
}

/// The data directory a path under it belongs to, for messages.
pub(crate) fn owning_dir(path: &Path) -> PathBuf {
    path.parent().unwrap_or(Path::new(".")).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_directory_with_assets_but_no_store_refuses_to_start() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join(ASSETS_DIR)).expect("mkdir");
        std::fs::write(dir.path().join(ASSETS_DIR).join("0190-asset"), b"glb").expect("write");
        let error = prepare_data_dir(dir.path(), "paform.redb").expect_err("refuses");
        let message = error.to_string();
        assert!(message.contains("no store"), "{message}");
        assert!(
            message.contains(&dir.path().display().to_string()),
            "{message}"
        );
    }

    #[test]
    fn leftovers_of_interrupted_writes_are_removed_and_real_files_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let assets = dir.path().join(ASSETS_DIR);
        let export = dir.path().join(EXPORTS_DIR).join("0190-export");
        std::fs::create_dir_all(&assets).expect("mkdir");
        std::fs::create_dir_all(&export).expect("mkdir");
        std::fs::write(dir.path().join("paform.redb"), b"").expect("write");
        std::fs::write(assets.join(".0190-a.part"), b"half").expect("write");
        std::fs::write(assets.join("0190-b"), b"whole").expect("write");
        std::fs::write(export.join(".cutlist.csv.0190.tmp"), b"half").expect("write");
        std::fs::write(export.join("cutlist.csv"), b"whole").expect("write");
        prepare_data_dir(dir.path(), "paform.redb").expect("prepares");
        assert!(!assets.join(".0190-a.part").exists());
        assert!(assets.join("0190-b").exists());
        assert!(!export.join(".cutlist.csv.0190.tmp").exists());
        assert!(export.join("cutlist.csv").exists());
    }

    #[test]
    fn a_new_nested_data_directory_is_created() {
        let dir = tempfile::tempdir().expect("temp dir");
        let nested = dir.path().join("a").join("b").join("data");
        prepare_data_dir(&nested, "paform.redb").expect("prepares");
        finish_data_dir(&nested).expect("finishes");
        assert!(nested.join(ASSETS_DIR).is_dir());
        assert!(nested.join(EXPORTS_DIR).is_dir());
    }
}
