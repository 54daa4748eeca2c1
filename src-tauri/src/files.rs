//! Native files: `save_export` writes a file the UI holds (cut list, drawing, PDF) where the
//! user chooses in a native save dialog, `open_folder` shows a saved file's folder in the
//! file manager, and `pick_asset_file` reads a design asset the user picks. Dialogs run on
//! the main (GTK) thread; the commands wait for them asynchronously.
//!
//! Invariants:
//! - Only a bare file name is accepted from the web view, never a path: the location is the
//!   user's choice in the dialog (or `PAFORM_DESKTOP_SAVE_DIR`, which tests set to bypass the
//!   dialog; everything after the choice is the same code).
//! - A file is written to a temporary sibling, synced and renamed, so a crash never leaves a
//!   half-written export under the chosen name; progress is reported as `export-progress`.
//! - `open_folder` opens only folders of files saved in this session, so the web view
//!   cannot make the file manager open arbitrary locations.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use paform_app::AppError;
use paform_app::dto::{PickedAsset, SaveProgress, SavedExport};
use tauri::{AppHandle, Emitter};

use crate::error::CommandResult;

/// Skips the save dialog and saves into this folder (tests and kiosk setups).
pub(crate) const SAVE_DIR_ENV: &str = "PAFORM_DESKTOP_SAVE_DIR";
/// Skips the open dialog and picks this file (tests).
pub(crate) const PICK_FILE_ENV: &str = "PAFORM_DESKTOP_PICK_FILE";
/// The event that reports how much of a saved export is on disk.
pub(crate) const SAVE_PROGRESS_EVENT: &str = "export-progress";
const CHUNK: usize = 256 * 1024;

/// `name` if it is a plain file name (no folders, not `.` or `..`).
pub(crate) fn parse_file_name(name: &str) -> Result<String, AppError> {
    let plain = Path::new(name)
        .file_name()
        .and_then(|file| file.to_str())
        .is_some_and(|file| file == name);
    if !plain || name.len() > 255 || name.starts_with('.') || name.contains(['/', '\\']) {
        return Err(AppError::invalid_field(
            "filename",
            "must be a plain file name such as cut-list.csv, with no folder",
        ));
    }
    Ok(name.to_owned())
}

/// The dialog filter of an export kind: the UI's `kind` names what it saves.
fn filter_of(kind: &str, filename: &str) -> (String, Vec<String>) {
    let extension = Path::new(filename)
        .extension()
        .and_then(|ext| ext.to_str())
        .unwrap_or("")
        .to_owned();
    let label = match kind {
        "cut_list" | "cut-list" | "cut_list_csv" => "Cut list",
        "nesting_svg" | "svg" => "Nesting drawing (SVG)",
        "nesting_dxf" | "dxf" => "Nesting drawing (DXF)",
        "pdf" => "PDF document",
        "design_asset" => "Design asset",
        _ => "Export",
    };
    (label.to_owned(), vec![extension])
}

/// Runs a blocking dialog on the main thread and waits for its answer.
async fn on_main_thread<T: Send + 'static>(
    handle: &AppHandle,
    dialog: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let (answer, answered) = tokio::sync::oneshot::channel();
    handle
        .run_on_main_thread(move || {
            let _ = answer.send(dialog());
        })
        .map_err(|error| AppError::internal(anyhow::anyhow!("cannot show a dialog: {error}")))?;
    answered
        .await
        .map_err(|_| AppError::internal(anyhow::anyhow!("the dialog was dropped")))
}

/// The files saved in this session: the only ones whose folder `open_folder` opens.
#[derive(Default)]
pub(crate) struct SavedFiles(Mutex<HashSet<PathBuf>>);

impl SavedFiles {
    fn remember(&self, path: &Path) {
        if let Ok(mut saved) = self.0.lock() {
            saved.insert(path.to_path_buf());
        }
    }

    fn contains(&self, path: &Path) -> bool {
        self.0.lock().is_ok_and(|saved| saved.contains(path))
    }
}

pub(crate) async fn save_export(
    handle: &AppHandle,
    saved: &SavedFiles,
    kind: &str,
    filename: &str,
    bytes_base64: &str,
) -> CommandResult<SavedExport> {
    let filename = parse_file_name(filename)?;
    let bytes = STANDARD
        .decode(bytes_base64.as_bytes())
        .map_err(|_| AppError::invalid_field("bytes_base64", "must be standard base64"))?;
    let chosen = match std::env::var_os(SAVE_DIR_ENV) {
        Some(dir) => Some(PathBuf::from(dir).join(&filename)),
        None => {
            let (label, extensions) = filter_of(kind, &filename);
            let suggested = filename.clone();
            on_main_thread(handle, move || {
                let mut dialog = rfd::FileDialog::new()
                    .set_title(format!("Save {label}"))
                    .set_file_name(suggested);
                if extensions.iter().any(|ext| !ext.is_empty()) {
                    dialog = dialog.add_filter(label, &extensions);
                }
                dialog.save_file()
            })
            .await?
        }
    };
    let Some(path) = chosen else {
        return Ok(SavedExport {
            path: None,
            bytes: 0,
        });
    };
    let total = bytes.len() as u64;
    let report = |written: u64| {
        let progress = SaveProgress {
            filename: filename.clone(),
            written,
            total,
        };
        let _ = handle.emit(SAVE_PROGRESS_EVENT, progress);
    };
    write_atomically(&path, &bytes, report).map_err(|error| {
        AppError::internal(
            anyhow::anyhow!(error).context(format!("cannot save {}", path.display())),
        )
    })?;
    tracing::info!(path = %path.display(), bytes = total, "export saved");
    saved.remember(&path);
    Ok(SavedExport {
        path: Some(path.display().to_string()),
        bytes: total,
    })
}

/// Writes `bytes` to a temporary sibling of `path` in chunks, syncs it and renames it.
pub(crate) fn write_atomically(
    path: &Path,
    bytes: &[u8],
    report: impl Fn(u64),
) -> std::io::Result<()> {
    let folder = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let mut file = tempfile::NamedTempFile::new_in(folder)?;
    let mut written = 0u64;
    report(0);
    for chunk in bytes.chunks(CHUNK) {
        file.write_all(chunk)?;
        written += chunk.len() as u64;
        report(written);
    }
    file.as_file().sync_all()?;
    file.persist(path).map_err(|error| error.error)?;
    Ok(())
}

/// The platform's "open this with the default application" program.
#[cfg(target_os = "macos")]
const OPENER: &str = "open";
#[cfg(target_os = "windows")]
const OPENER: &str = "explorer";
#[cfg(not(any(target_os = "macos", target_os = "windows")))]
const OPENER: &str = "xdg-open";

/// Opens the folder of `path`, a file saved in this session, in the file manager.
pub(crate) fn open_folder(saved: &SavedFiles, path: &str) -> CommandResult<()> {
    let path = Path::new(path);
    let folder = path
        .parent()
        .filter(|_| saved.contains(path))
        .ok_or_else(|| AppError::invalid_field("path", "must be a file saved in this session"))?;
    let mut child = std::process::Command::new(OPENER)
        .arg(folder)
        .spawn()
        .map_err(|error| {
            AppError::Conflict(format!(
                "cannot open {} ({OPENER}: {error})",
                folder.display()
            ))
        })?;
    // The file manager outlives the opener; reap the opener so it leaves no zombie.
    std::thread::spawn(move || child.wait());
    Ok(())
}

fn content_type_of(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|ext| ext.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match extension.as_str() {
        "glb" => "model/gltf-binary",
        "gltf" => "model/gltf+json",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "dxf" => "image/vnd.dxf",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

pub(crate) async fn pick_asset_file(
    handle: &AppHandle,
    max_bytes: u64,
) -> CommandResult<Option<PickedAsset>> {
    let chosen = match std::env::var_os(PICK_FILE_ENV) {
        Some(path) => Some(PathBuf::from(path)),
        None => {
            on_main_thread(handle, || {
                rfd::FileDialog::new()
                    .set_title("Choose a design asset")
                    .add_filter(
                        "Design assets",
                        &[
                            "glb", "gltf", "png", "jpg", "jpeg", "webp", "pdf", "dxf", "svg",
                        ],
                    )
                    .pick_file()
            })
            .await?
        }
    };
    let Some(path) = chosen else {
        return Ok(None);
    };
    let size = std::fs::metadata(&path)
        .map_err(|error| AppError::invalid_field("file", format!("cannot be read: {error}")))?
        .len();
    if size > max_bytes {
        return Err(AppError::TooLarge(format!(
            "the file has {size} bytes; design assets may have at most {max_bytes}"
        ))
        .into());
    }
    let bytes = std::fs::read(&path)
        .map_err(|error| AppError::invalid_field("file", format!("cannot be read: {error}")))?;
    Ok(Some(PickedAsset {
        filename: path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default(),
        content_type: content_type_of(&path).to_owned(),
        size,
        bytes_base64: STANDARD.encode(bytes),
    }))
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    #[test]
    fn only_plain_file_names_are_accepted() {
        for name in ["cut-list.csv", "nesting 1.svg", "order-0190.dxf"] {
            assert_eq!(parse_file_name(name).unwrap(), name);
        }
        for name in [
            "",
            ".",
            "..",
            "../x.csv",
            "/etc/passwd",
            "a/b.csv",
            "a\\b.csv",
            ".bashrc",
        ] {
            assert!(parse_file_name(name).is_err(), "{name:?}");
        }
    }

    #[test]
    fn a_file_is_written_whole_with_progress_and_replaces_an_older_one() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("sub").join("cut-list.csv");
        let bytes = vec![b'x'; CHUNK * 2 + 10];
        let seen = RefCell::new(Vec::new());
        write_atomically(&path, &bytes, |written| seen.borrow_mut().push(written)).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
        let total = bytes.len() as u64;
        assert_eq!(*seen.borrow(), [0, CHUNK as u64, 2 * CHUNK as u64, total]);
        write_atomically(&path, b"new", |_| {}).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }

    #[test]
    fn only_folders_of_saved_files_are_opened() {
        let saved = SavedFiles::default();
        let refused = open_folder(&saved, "/etc/passwd").unwrap_err();
        assert_eq!(refused.0.status, 422);
    }

    #[test]
    fn assets_get_their_content_type_from_the_extension() {
        assert_eq!(content_type_of(Path::new("chair.GLB")), "model/gltf-binary");
        assert_eq!(content_type_of(Path::new("x")), "application/octet-stream");
    }
}
