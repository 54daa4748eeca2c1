//! Backups (SPEC §13, §17): one zstd-compressed tar archive (`.tar.zst`) holding a snapshot
//! of the store, every file of the data directory the app owns (`assets/`, `exports/`, the
//! export signing key, and any other subdirectory) and `manifest.json` with the SHA-256 and
//! size of each; listing, retention, the automatic schedule, and a restore that verifies
//! before it writes.
//!
//! Invariants:
//! - The manifest and its checks are those of the plain archives written before (format 1):
//!   compression wraps the tar stream and nothing inside it. Restore, listing and retention
//!   read both kinds; which one a file is comes from its first bytes (zstd's magic number),
//!   not from its name.
//! - The store part is `Store::snapshot_to`: one read transaction, so the archive holds the
//!   store as of one commit while writes go on. Files are copied after the snapshot: asset
//!   files are written before they are recorded and never change afterwards, so every file
//!   the snapshot references exists by then. Half-written files (`.part`, `.tmp`) and the
//!   backups themselves are left out.
//! - An archive appears under its final name only when complete and synced (written as a
//!   dot-file, renamed, directory synced), so a listed backup is a whole one.
//! - A restore reads the whole archive and checks every file against the manifest, the
//!   manifest's format and schema against this build, before it writes anything; it then
//!   extracts into a sibling temporary directory (checking again while writing) and swaps it
//!   in by rename, so the data directory is either untouched or the complete backup.
//! - Retention only ever deletes archives named like ours, oldest first, after a new one
//!   was written.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::dto::{Backup, BackupFile, BackupList};
use crate::{App, AppError, STORE_FILE, convert, durable};

mod pending;

use pending::PENDING_RESTORE_FILE;
pub use pending::apply_pending_restore;

/// The archive layout this build writes and the newest it restores.
pub const BACKUP_FORMAT: u32 = 1;
const MANIFEST: &str = "manifest.json";
/// The default backup folder, inside the data directory.
pub const BACKUPS_DIR: &str = "backups";
const NAME_PREFIX: &str = "paform-backup-";
/// The suffix of the archives this build writes.
const NAME_SUFFIX: &str = ".tar.zst";
/// The suffix of the plain archives written before backups were compressed.
const PLAIN_NAME_SUFFIX: &str = ".tar";
/// zstd's level 3 (its default): a store of priced quotes shrinks about fiftyfold in well
/// under a second; higher levels cost much more time for a few percent.
const ZSTD_LEVEL: i32 = 3;
/// The first four bytes of every zstd frame.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];
/// How often the schedule looks whether a backup is due (settings may change meanwhile).
const SCHEDULE_POLL: Duration = Duration::from_secs(600);

/// `manifest.json`: what the archive holds and how to check it.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    created_at: String,
    app_version: String,
    schema_version: u64,
    files: Vec<ManifestFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ManifestFile {
    path: String,
    size: u64,
    sha256: String,
}

/// Where and how often backups are made.
#[derive(Debug, Clone)]
pub(crate) struct BackupSchedule {
    folder: PathBuf,
    /// `None`: automatic backups are off.
    interval: Option<SignedDuration>,
    keep: usize,
}

/// What a restore put in place.
#[derive(Debug, Clone)]
pub struct RestoreSummary {
    pub created_at: String,
    pub n_files: usize,
    pub bytes: u64,
}

fn io_failure(context: String) -> impl FnOnce(io::Error) -> AppError {
    move |error| AppError::internal(anyhow::Error::new(error).context(context))
}

fn hex_digest(hasher: Sha256) -> String {
    format!("{:x}", hasher.finalize())
}

/// A reader that hashes and counts what passes through it.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R> Hashing<R> {
    fn new(inner: R) -> Hashing<R> {
        Hashing {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buffer)?;
        self.hasher.update(&buffer[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buffer: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buffer)?;
        self.hasher.update(&buffer[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// `paform-backup-20261130T054012.345Z.tar.zst` for `at`; the name sorts by time.
fn archive_name(at: Timestamp) -> String {
    format!(
        "{NAME_PREFIX}{}{NAME_SUFFIX}",
        at.strftime("%Y%m%dT%H%M%S%.3fZ")
    )
}

/// The time in one of our archive names (compressed or plain), or `None` for any other file.
fn archive_time(name: &str) -> Option<Timestamp> {
    let rest = name.strip_prefix(NAME_PREFIX)?;
    let stamp = rest
        .strip_suffix(NAME_SUFFIX)
        .or_else(|| rest.strip_suffix(PLAIN_NAME_SUFFIX))?;
    Timestamp::strptime("%Y%m%dT%H%M%S%.fZ%z", format!("{stamp}+0000")).ok()
}

/// Our archives in `folder`, oldest first; a missing folder holds none.
fn archives_in(folder: &Path) -> Result<Vec<BackupFile>, AppError> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => {
            return Err(io_failure(format!("cannot list {}", folder.display()))(
                error,
            ));
        }
    };
    let mut archives = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io_failure(format!("cannot list {}", folder.display())))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(created_at) = archive_time(&name) else {
            continue;
        };
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        archives.push(BackupFile {
            file: name,
            created_at: convert::timestamp(created_at),
            size: metadata.len(),
        });
    }
    // The name starts with its time, so name order is time order for both suffixes.
    archives.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(archives)
}

/// The tar stream of `archive`: decompressed when the file is zstd, as it is otherwise (the
/// plain archives written before).
fn open_archive(archive: &Path) -> io::Result<Box<dyn Read>> {
    let mut file = BufReader::new(File::open(archive)?);
    let is_zstd = file.fill_buf()?.starts_with(&ZSTD_MAGIC);
    if is_zstd {
        Ok(Box::new(zstd::stream::read::Decoder::with_buffer(file)?))
    } else {
        Ok(Box::new(file))
    }
}

/// The archive path of `relative` (a path under the data directory), `/`-separated, or
/// `None` when it is not plain UTF-8 names.
fn archive_path(relative: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = relative
        .components()
        .map(|component| match component {
            Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect();
    parts.map(|parts| parts.join("/"))
}

/// Every file under `data_dir` a backup holds besides the store: sorted, without the store
/// file and its upgrade copies, leftovers of interrupted writes, or `skip` (backup folders).
fn data_files(data_dir: &Path, skip: &[PathBuf]) -> Result<Vec<(PathBuf, String)>, AppError> {
    let mut files = Vec::new();
    let mut pending = vec![data_dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        if skip.iter().any(|skipped| skipped == &dir) {
            continue;
        }
        let entries = std::fs::read_dir(&dir)
            .map_err(io_failure(format!("cannot list {}", dir.display())))?;
        for entry in entries {
            let entry = entry.map_err(io_failure(format!("cannot list {}", dir.display())))?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let kind = entry
                .file_type()
                .map_err(io_failure(format!("cannot inspect {}", path.display())))?;
            if kind.is_dir() {
                pending.push(path);
                continue;
            }
            let interrupted = name.ends_with(".part") || name.ends_with(".tmp");
            let store = dir == data_dir && name.starts_with(STORE_FILE);
            let note = dir == data_dir && name == PENDING_RESTORE_FILE;
            if !kind.is_file() || interrupted || store || note {
                continue;
            }
            let relative = path.strip_prefix(data_dir).unwrap_or(&path);
            if let Some(in_archive) = archive_path(relative) {
                files.push((path, in_archive));
            }
        }
    }
    files.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(files)
}

/// Adds `source` to the archive as `name`, hashing it on the way; a file that vanished since
/// it was listed (an export cleaned up) is skipped.
fn append_file(
    archive: &mut tar::Builder<impl Write>,
    source: &Path,
    name: &str,
) -> Result<Option<ManifestFile>, AppError> {
    let file = match File::open(source) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(io_failure(format!("cannot read {}", source.display()))(
                error,
            ));
        }
    };
    let size = file
        .metadata()
        .map_err(io_failure(format!("cannot inspect {}", source.display())))?
        .len();
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o600);
    header.set_entry_type(tar::EntryType::Regular);
    let mut reader = Hashing::new(BufReader::new(file).take(size));
    archive
        .append_data(&mut header, name, &mut reader)
        .map_err(io_failure(format!("cannot archive {}", source.display())))?;
    Ok(Some(ManifestFile {
        path: name.to_owned(),
        size: reader.bytes,
        sha256: hex_digest(reader.hasher),
    }))
}

/// Writes one archive of `app`'s data into `folder`; blocking.
fn write_archive(app: &App, folder: &Path, at: Timestamp) -> Result<Backup, AppError> {
    let failed = |what: String| io_failure(what);
    durable::create_dir_all_synced(folder).map_err(|error| {
        app.write_error(error, format!("cannot create {}", folder.display()), folder)
    })?;
    let name = archive_name(at);
    let staging = folder.join(format!(".{name}.staging"));
    std::fs::create_dir_all(&staging)
        .map_err(failed(format!("cannot create {}", staging.display())))?;
    let result = (|| {
        let snapshot = staging.join(STORE_FILE);
        app.store().snapshot_to(&snapshot)?;
        let partial = folder.join(format!(".{name}.part"));
        let output = File::create(&partial).map_err(|error| {
            app.write_error(
                error,
                format!("cannot create {}", partial.display()),
                folder,
            )
        })?;
        let compressed =
            zstd::stream::write::Encoder::new(Hashing::new(BufWriter::new(output)), ZSTD_LEVEL)
                .and_then(|mut encoder| {
                    encoder.include_checksum(true)?;
                    Ok(encoder)
                })
                .map_err(failed(format!("cannot compress {}", partial.display())))?;
        let mut archive = tar::Builder::new(compressed);
        let mut files = Vec::new();
        files.extend(append_file(&mut archive, &snapshot, STORE_FILE)?);
        let skip = [app.data_dir().join(BACKUPS_DIR), folder.to_path_buf()];
        for (path, in_archive) in data_files(app.data_dir(), &skip)? {
            files.extend(append_file(&mut archive, &path, &in_archive)?);
        }
        let manifest = Manifest {
            format: BACKUP_FORMAT,
            created_at: convert::timestamp(at),
            app_version: env!("CARGO_PKG_VERSION").into(),
            schema_version: app.store().schema_version()?,
            files,
        };
        let manifest_bytes = serde_json::to_vec_pretty(&manifest)
            .map_err(|error| AppError::internal(anyhow::Error::new(error)))?;
        let mut header = tar::Header::new_gnu();
        header.set_size(manifest_bytes.len() as u64);
        header.set_mode(0o600);
        archive
            .append_data(&mut header, MANIFEST, manifest_bytes.as_slice())
            .map_err(failed(format!("cannot write {}", partial.display())))?;
        let hashing = archive
            .into_inner()
            .and_then(zstd::stream::write::Encoder::finish)
            .map_err(|error| {
                app.write_error(error, format!("cannot write {}", partial.display()), folder)
            })?;
        let (size, sha256) = (hashing.bytes, hex_digest(hashing.hasher));
        let output = hashing.inner.into_inner().map_err(|error| {
            app.write_error(
                error.into_error(),
                format!("cannot write {}", partial.display()),
                folder,
            )
        })?;
        output.sync_all().map_err(|error| {
            app.write_error(error, format!("cannot sync {}", partial.display()), folder)
        })?;
        let path = folder.join(&name);
        std::fs::rename(&partial, &path)
            .map_err(failed(format!("cannot rename {}", partial.display())))?;
        durable::sync_dir(folder).map_err(failed(format!("cannot sync {}", folder.display())))?;
        Ok(Backup {
            file: name.clone(),
            path: path.display().to_string(),
            created_at: convert::timestamp(at),
            size,
            sha256,
        })
    })();
    let _ = std::fs::remove_dir_all(&staging);
    if result.is_err() {
        let _ = std::fs::remove_file(folder.join(format!(".{name}.part")));
    }
    result
}

impl App {
    /// The backup folder, interval and retention from the settings.
    pub(crate) fn backup_schedule(&self) -> Result<BackupSchedule, AppError> {
        let settings = self.settings_record()?;
        let folder = settings
            .backup_folder
            .filter(|folder| !folder.trim().is_empty())
            .map_or_else(|| self.data_dir().join(BACKUPS_DIR), PathBuf::from);
        Ok(BackupSchedule {
            folder,
            interval: (settings.backup_interval_hours > 0)
                .then(|| SignedDuration::from_hours(i64::from(settings.backup_interval_hours))),
            keep: usize::try_from(settings.backup_keep).unwrap_or(usize::MAX),
        })
    }

    /// Backs up now into the settings' folder, then deletes the oldest archives beyond the
    /// number to keep.
    pub async fn create_backup(&self) -> Result<Backup, AppError> {
        let schedule = self.backup_schedule()?;
        let backup = self.create_backup_in(&schedule.folder).await?;
        let app = self.clone();
        tokio::task::spawn_blocking(move || app.prune_backups(&schedule))
            .await
            .map_err(crate::artifacts::join_error)??;
        Ok(backup)
    }

    /// Backs up now into `folder` (the CLI's `--to`), keeping every older archive.
    pub async fn create_backup_in(&self, folder: &Path) -> Result<Backup, AppError> {
        let app = self.clone();
        let folder = folder.to_path_buf();
        // To the millisecond, as the archive's name carries it.
        let at = Timestamp::from_millisecond(self.now().as_millisecond())
            .map_err(|error| AppError::internal(anyhow::Error::new(error)))?;
        tokio::task::spawn_blocking(move || write_archive(&app, &folder, at))
            .await
            .map_err(crate::artifacts::join_error)?
    }

    fn prune_backups(&self, schedule: &BackupSchedule) -> Result<(), AppError> {
        let archives = archives_in(&schedule.folder)?;
        let n_old = archives.len().saturating_sub(schedule.keep.max(1));
        for old in &archives[..n_old] {
            let path = schedule.folder.join(&old.file);
            std::fs::remove_file(&path)
                .map_err(io_failure(format!("cannot delete {}", path.display())))?;
        }
        if n_old > 0 {
            durable::sync_dir(&schedule.folder).map_err(io_failure(format!(
                "cannot sync {}",
                schedule.folder.display()
            )))?;
        }
        Ok(())
    }

    /// The archives in the settings' folder, newest first, and whether one is overdue.
    pub fn list_backups(&self) -> Result<BackupList, AppError> {
        let schedule = self.backup_schedule()?;
        let mut backups = archives_in(&schedule.folder)?;
        backups.reverse();
        let last = backups
            .first()
            .and_then(|newest| newest.created_at.parse::<Timestamp>().ok());
        let overdue = schedule.interval.is_some_and(|interval| {
            last.is_none_or(|last| self.now().duration_since(last) > interval)
        });
        Ok(BackupList {
            folder: schedule.folder.display().to_string(),
            interval_hours: schedule.interval.map_or(0, |interval| {
                u32::try_from(interval.as_hours()).unwrap_or(u32::MAX)
            }),
            keep: u32::try_from(schedule.keep).unwrap_or(u32::MAX),
            last_backup_at: last.map(convert::timestamp),
            overdue,
            backups,
            pending_restore: self.pending_restore()?,
        })
    }

    /// Backs up whenever the last archive is older than the settings' interval, checking at
    /// least every ten minutes, until the returned task is aborted. Failures are logged and
    /// retried at the next check.
    pub fn spawn_automatic_backups(&self) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            loop {
                let wait = match app.list_backups() {
                    Ok(list) if list.overdue => {
                        match app.create_backup().await {
                            Ok(backup) => tracing::info!(file = %backup.path, size = backup.size,
                                "automatic backup written"),
                            Err(error) => tracing::error!(%error, "automatic backup failed"),
                        }
                        SCHEDULE_POLL
                    }
                    Ok(_) => SCHEDULE_POLL,
                    Err(error) => {
                        tracing::error!(%error, "cannot list backups");
                        SCHEDULE_POLL
                    }
                };
                tokio::time::sleep(wait).await;
            }
        })
    }
}

/// What an archive holds, read and checked whole: each file's path, size and digest, and
/// the manifest. Nothing is written.
fn verify_archive(archive: &Path) -> Result<Manifest, AppError> {
    let damaged = |detail: String| AppError::malformed(format!("{}: {detail}", archive.display()));
    let file =
        open_archive(archive).map_err(|error| damaged(format!("cannot be read: {error}")))?;
    let mut reader = tar::Archive::new(file);
    let mut found: BTreeMap<String, ManifestFile> = BTreeMap::new();
    let mut manifest_bytes = None;
    let entries = reader
        .entries()
        .map_err(|error| damaged(format!("is not a readable archive: {error}")))?;
    for entry in entries {
        let mut entry = entry.map_err(|error| damaged(format!("is damaged: {error}")))?;
        let path = entry
            .path()
            .ok()
            .and_then(|path| archive_path(&path))
            .ok_or_else(|| damaged("holds a path outside the data directory".into()))?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(damaged(format!("{path} is not a plain file")));
        }
        if path == MANIFEST {
            let mut bytes = Vec::new();
            entry
                .read_to_end(&mut bytes)
                .map_err(|error| damaged(format!("{MANIFEST} is damaged: {error}")))?;
            manifest_bytes = Some(bytes);
            continue;
        }
        let mut hashing = Hashing::new(&mut entry);
        io::copy(&mut hashing, &mut io::sink())
            .map_err(|error| damaged(format!("{path} is damaged: {error}")))?;
        let (size, sha256) = (hashing.bytes, hex_digest(hashing.hasher));
        found.insert(path.clone(), ManifestFile { path, size, sha256 });
    }
    let manifest_bytes =
        manifest_bytes.ok_or_else(|| damaged(format!("has no {MANIFEST}: not a Paform backup")))?;
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|error| damaged(format!("{MANIFEST} does not parse: {error}")))?;
    if manifest.format > BACKUP_FORMAT {
        return Err(damaged(format!(
            "was written in backup format {} by Paform {}; this build reads format {BACKUP_FORMAT} at most",
            manifest.format, manifest.app_version
        )));
    }
    if manifest.schema_version > paform_store::SCHEMA_VERSION {
        return Err(damaged(format!(
            "holds a store of schema {} (Paform {}); this build reads schema {} at most",
            manifest.schema_version,
            manifest.app_version,
            paform_store::SCHEMA_VERSION
        )));
    }
    for listed in &manifest.files {
        match found.remove(&listed.path) {
            None => {
                return Err(damaged(format!(
                    "{} is listed in {MANIFEST} but missing",
                    listed.path
                )));
            }
            Some(actual) if actual != *listed => {
                return Err(damaged(format!(
                    "{} does not match its SHA-256 or size in {MANIFEST}: the archive is corrupted",
                    listed.path
                )));
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = found.keys().next() {
        return Err(damaged(format!("{extra} is not listed in {MANIFEST}")));
    }
    if !manifest.files.iter().any(|file| file.path == STORE_FILE) {
        return Err(damaged(format!("holds no store ({STORE_FILE})")));
    }
    Ok(manifest)
}

fn is_empty_dir(dir: &Path) -> io::Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(true),
        Err(error) => Err(error),
    }
}

/// Writes the archive's files under `target` (a new directory), checking each against the
/// manifest again while writing; blocking.
fn extract(archive: &Path, target: &Path, manifest: &Manifest) -> Result<u64, AppError> {
    let expected: BTreeMap<&str, &ManifestFile> = manifest
        .files
        .iter()
        .map(|file| (file.path.as_str(), file))
        .collect();
    let file =
        open_archive(archive).map_err(io_failure(format!("cannot read {}", archive.display())))?;
    let mut reader = tar::Archive::new(file);
    let mut bytes = 0;
    let entries = reader
        .entries()
        .map_err(io_failure(format!("cannot read {}", archive.display())))?;
    for entry in entries {
        let mut entry = entry.map_err(io_failure(format!("cannot read {}", archive.display())))?;
        let Some(path) = entry.path().ok().and_then(|path| archive_path(&path)) else {
            return Err(AppError::malformed(format!(
                "{} changed while it was restored",
                archive.display()
            )));
        };
        let Some(listed) = expected.get(path.as_str()) else {
            continue;
        };
        let destination = target.join(&path);
        if let Some(parent) = destination.parent() {
            std::fs::create_dir_all(parent)
                .map_err(io_failure(format!("cannot create {}", parent.display())))?;
        }
        let output = File::create(&destination).map_err(io_failure(format!(
            "cannot create {}",
            destination.display()
        )))?;
        let mut writer = Hashing::new(BufWriter::new(output));
        io::copy(&mut entry, &mut writer).map_err(io_failure(format!(
            "cannot write {}",
            destination.display()
        )))?;
        if writer.bytes != listed.size || hex_digest(writer.hasher.clone()) != listed.sha256 {
            return Err(AppError::malformed(format!(
                "{}: {path} changed while it was restored",
                archive.display()
            )));
        }
        bytes += writer.bytes;
        let output = writer.inner.into_inner().map_err(|error| {
            io_failure(format!("cannot write {}", destination.display()))(error.into_error())
        })?;
        output
            .sync_all()
            .map_err(io_failure(format!("cannot sync {}", destination.display())))?;
    }
    sync_tree(target)?;
    Ok(bytes)
}

/// Syncs every directory under `dir` (new names become durable).
fn sync_tree(dir: &Path) -> Result<(), AppError> {
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(io_failure(format!("cannot list {}", dir.display())))?;
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                pending.push(entry.path());
            }
        }
        durable::sync_dir(&dir).map_err(io_failure(format!("cannot sync {}", dir.display())))?;
    }
    Ok(())
}

/// Restores `archive` as the data directory `data_dir`: verified whole first, then written
/// beside it and swapped in. A non-empty `data_dir` is refused unless `force`, and always
/// while a running Paform holds its store.
pub fn restore_backup(
    archive: &Path,
    data_dir: &Path,
    force: bool,
) -> Result<RestoreSummary, AppError> {
    let manifest = verify_archive(archive)?;
    let empty = is_empty_dir(data_dir)
        .map_err(io_failure(format!("cannot list {}", data_dir.display())))?;
    if !empty && !force {
        return Err(AppError::Conflict(format!(
            "{} is not empty: restoring would replace what it holds; pass --force to replace it",
            data_dir.display()
        )));
    }
    if paform_store::is_store_open(&data_dir.join(STORE_FILE))? {
        return Err(AppError::Conflict(format!(
            "the store in {} is in use by a running Paform; stop it first",
            data_dir.display()
        )));
    }
    let parent = match data_dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let dir_name = data_dir
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .ok_or_else(|| AppError::invalid_field("data_dir", "must name a directory"))?;
    durable::create_dir_all_synced(&parent)
        .map_err(io_failure(format!("cannot create {}", parent.display())))?;
    let unique = uuid::Uuid::now_v7();
    let staging = parent.join(format!(".{dir_name}.restore-{unique}"));
    let replaced = parent.join(format!(".{dir_name}.replaced-{unique}"));
    std::fs::create_dir(&staging)
        .map_err(io_failure(format!("cannot create {}", staging.display())))?;
    let bytes = match extract(archive, &staging, &manifest) {
        Ok(bytes) => bytes,
        Err(error) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(error);
        }
    };
    let had_dir = data_dir.exists();
    // Archives never hold the default backup folder; the restored directory keeps it, or a
    // restore would delete the very archives it was made from.
    let kept_backups = data_dir.join(BACKUPS_DIR);
    if kept_backups.is_dir() && !staging.join(BACKUPS_DIR).exists() {
        std::fs::rename(&kept_backups, staging.join(BACKUPS_DIR)).map_err(io_failure(format!(
            "cannot keep {}",
            kept_backups.display()
        )))?;
    }
    if had_dir && let Err(error) = std::fs::rename(data_dir, &replaced) {
        // Put the archives back where they were before giving up.
        let _ = std::fs::rename(staging.join(BACKUPS_DIR), &kept_backups);
        return Err(io_failure(format!(
            "cannot move {} aside",
            data_dir.display()
        ))(error));
    }
    std::fs::rename(&staging, data_dir).map_err(io_failure(format!(
        "cannot move the restored files to {}",
        data_dir.display()
    )))?;
    durable::sync_dir(&parent).map_err(io_failure(format!("cannot sync {}", parent.display())))?;
    if had_dir {
        std::fs::remove_dir_all(&replaced)
            .map_err(io_failure(format!("cannot remove {}", replaced.display())))?;
    }
    Ok(RestoreSummary {
        created_at: manifest.created_at,
        n_files: manifest.files.len(),
        bytes,
    })
}

/// The archives in `folder` (the CLI's `backup list`), oldest first.
pub fn list_backup_folder(folder: &Path) -> Result<Vec<BackupFile>, AppError> {
    archives_in(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_names_carry_their_time_and_sort_by_it() {
        let at: Timestamp = "2026-11-30T05:40:12.345Z".parse().unwrap();
        let name = archive_name(at);
        assert_eq!(name, "paform-backup-20261130T054012.345Z.tar.zst");
        assert_eq!(archive_time(&name), Some(at));
        // The plain archives of earlier builds are still ours to list and prune.
        assert_eq!(
            archive_time("paform-backup-20261130T054012.345Z.tar"),
            Some(at)
        );
        assert_eq!(archive_time("notes.txt"), None);
        let later = archive_name(at + SignedDuration::from_millis(1));
        assert!(later > name);
    }
}
