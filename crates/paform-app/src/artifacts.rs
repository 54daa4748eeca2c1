//! Where export artifacts go: an S3-compatible bucket when one is configured, otherwise the
//! data directory, under `exports/<export id>/<file>`, served back through expiring links.
//!
//! Invariants:
//! - A local file is written to a temporary name, synced and renamed into place, so a reader
//!   never sees half a file; then its directory (and any directory created for it) is synced,
//!   so the name a link was handed out for survives a power cut. A full disk answers 507.
//! - A local link is `/api/v1/exports/files/<export id>/<file>?expires=<unix>&sig=<hex>`
//!   where `sig` is HMAC-SHA256 over the export id, the file and `expires`, keyed with 32
//!   random bytes kept in `<data dir>/export-signing.key` (made once, never replaced while
//!   it exists). Links are checked in constant time, and a file is read only after its link
//!   verified, so a forged path never touches the disk.
//! - S3 uses path-style addressing (S3-compatible servers need it), creates the bucket if it
//!   is missing (once per process), and hands out presigned GET URLs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hmac::{Hmac, Mac};
use jiff::Timestamp;
use s3::creds::Credentials;
use s3::{Bucket, BucketConfiguration, Region};
use sha2::Sha256;

use crate::AppError;
use crate::durable::{self, EXPORTS_DIR};

/// How long a download link stays valid.
pub(crate) const LINK_LIFETIME_SECS: u32 = 24 * 60 * 60;
/// The bucket name reported for files kept in the data directory.
pub(crate) const LOCAL_BUCKET: &str = "local";
const SIGNING_KEY_FILE: &str = "export-signing.key";
const SIGNING_KEY_LEN: usize = 32;

/// An S3-compatible bucket to upload exports to.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Config {
    /// E.g. `https://s3.eu-central-1.amazonaws.com` or `http://127.0.0.1:9000`.
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    pub access_key: String,
    pub secret_key: String,
}

impl std::fmt::Debug for S3Config {
    /// Never prints the secret key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("bucket", &self.bucket)
            .field("access_key", &self.access_key)
            .finish_non_exhaustive()
    }
}

impl S3Config {
    /// Reads `PAFORM_S3_ENDPOINT`, `_REGION` (default `us-east-1`), `_BUCKET`, `_ACCESS_KEY`
    /// and `_SECRET_KEY`. No endpoint means no S3; an endpoint without the rest is an error.
    pub fn from_env() -> Result<Option<S3Config>, AppError> {
        let read = |name: &str| {
            std::env::var(name)
                .ok()
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty())
        };
        let Some(endpoint) = read("PAFORM_S3_ENDPOINT") else {
            return Ok(None);
        };
        let required = |name: &str| {
            read(name).ok_or_else(|| {
                AppError::Unavailable(format!("{name} must be set when PAFORM_S3_ENDPOINT is"))
            })
        };
        Ok(Some(S3Config {
            endpoint: endpoint.trim_end_matches('/').to_owned(),
            region: read("PAFORM_S3_REGION").unwrap_or_else(|| "us-east-1".to_owned()),
            bucket: required("PAFORM_S3_BUCKET")?,
            access_key: required("PAFORM_S3_ACCESS_KEY")?,
            secret_key: required("PAFORM_S3_SECRET_KEY")?,
        }))
    }
}

/// A connected S3 target: the bucket handle and whether the bucket is known to exist.
pub(crate) struct S3Target {
    bucket: Box<Bucket>,
    ready: tokio::sync::OnceCell<()>,
}

impl S3Target {
    pub(crate) fn new(config: &S3Config) -> Result<Arc<S3Target>, AppError> {
        let invalid = |error: &dyn std::fmt::Display| {
            AppError::Unavailable(format!("the S3 settings are not usable: {error}"))
        };
        let credentials = Credentials::new(
            Some(&config.access_key),
            Some(&config.secret_key),
            None,
            None,
            None,
        )
        .map_err(|error| invalid(&error))?;
        let bucket = Bucket::new(&config.bucket, region(config), credentials)
            .map_err(|error| invalid(&error))?
            .with_path_style();
        Ok(Arc::new(S3Target {
            bucket,
            ready: tokio::sync::OnceCell::new(),
        }))
    }

    fn name(&self) -> &str {
        &self.bucket.name
    }

    /// Creates the bucket unless it exists; done once per process.
    async fn ensure_bucket(&self) -> Result<(), AppError> {
        self.ready
            .get_or_try_init(|| async {
                match self.bucket.exists().await {
                    Ok(true) => return Ok(()),
                    Ok(false) => {}
                    // Listing buckets may be forbidden while creating is not needed;
                    // try to create and let "already exists" count as success.
                    Err(error) => tracing::debug!(%error, "cannot list S3 buckets"),
                }
                let credentials = self.bucket.credentials().await.map_err(s3_error)?;
                let created = Bucket::create_with_path_style(
                    self.name(),
                    self.bucket.region.clone(),
                    credentials,
                    BucketConfiguration::default(),
                )
                .await;
                match created {
                    Ok(_) => Ok(()),
                    Err(s3::error::S3Error::HttpFailWithBody(409, _)) => Ok(()),
                    Err(error) => Err(s3_error(error)),
                }
            })
            .await
            .map(|_| ())
    }
}

fn region(config: &S3Config) -> Region {
    Region::Custom {
        region: config.region.clone(),
        endpoint: config.endpoint.clone(),
    }
}

fn s3_error(error: impl std::fmt::Display) -> AppError {
    AppError::Unavailable(format!("the S3 storage failed: {error}"))
}

/// One artifact as stored.
pub(crate) struct StoredArtifact {
    pub(crate) bucket: String,
    pub(crate) key: String,
    pub(crate) url: String,
}

/// Where an export's files go.
pub(crate) enum Destination<'a> {
    Local { data_dir: &'a Path },
    S3(&'a S3Target),
}

impl Destination<'_> {
    /// Stores one file of export `export_id`; `key_prefix` is the object path before the
    /// file name on S3 (local files live under the export id only).
    pub(crate) async fn put(
        &self,
        key_prefix: &str,
        export_id: &str,
        file: &str,
        bytes: Vec<u8>,
        content_type: &str,
        now: Timestamp,
    ) -> Result<StoredArtifact, AppError> {
        match self {
            Destination::Local { data_dir } => {
                let data_dir = data_dir.to_path_buf();
                let (export_id, file) = (export_id.to_owned(), file.to_owned());
                let blocking = tokio::task::spawn_blocking(move || {
                    let path = local_path(&data_dir, &export_id, &file);
                    durable::write_atomically(&path, &bytes).map_err(|error| {
                        let context = format!("cannot write {}", path.display());
                        durable::io_error(error, context, &data_dir)
                    })?;
                    let url = local_url(&data_dir, &export_id, &file, now)?;
                    Ok::<_, AppError>(StoredArtifact {
                        bucket: LOCAL_BUCKET.to_owned(),
                        key: format!("{EXPORTS_DIR}/{export_id}/{file}"),
                        url,
                    })
                });
                blocking.await.map_err(join_error)?
            }
            Destination::S3(target) => {
                target.ensure_bucket().await?;
                let key = format!("{key_prefix}/{export_id}/{file}");
                target
                    .bucket
                    .put_object_with_content_type(&key, &bytes, content_type)
                    .await
                    .map_err(s3_error)?;
                let url = target
                    .bucket
                    .presign_get(&key, LINK_LIFETIME_SECS, None)
                    .await
                    .map_err(s3_error)?;
                Ok(StoredArtifact {
                    bucket: target.name().to_owned(),
                    key,
                    url,
                })
            }
        }
    }
}

pub(crate) fn internal(error: impl Into<anyhow::Error>, context: String) -> AppError {
    AppError::internal(error.into().context(context))
}

pub(crate) fn join_error(error: tokio::task::JoinError) -> AppError {
    internal(error, "a blocking task failed".to_owned())
}

fn local_path(data_dir: &Path, export_id: &str, file: &str) -> PathBuf {
    data_dir.join(EXPORTS_DIR).join(export_id).join(file)
}

/// This install's signing key, made on first use. Two processes racing to make it both end
/// up with the one that was linked into place first.
fn signing_key(data_dir: &Path) -> Result<[u8; SIGNING_KEY_LEN], AppError> {
    let path = data_dir.join(SIGNING_KEY_FILE);
    let failed = |error: std::io::Error| {
        durable::io_error(error, format!("cannot use {}", path.display()), data_dir)
    };
    if !path.exists() {
        let mut key = [0_u8; SIGNING_KEY_LEN];
        getrandom::fill(&mut key).map_err(|error| {
            internal(
                anyhow::anyhow!("{error}"),
                "no randomness for a key".to_owned(),
            )
        })?;
        let temporary = data_dir.join(format!(".{SIGNING_KEY_FILE}.{}.tmp", uuid::Uuid::now_v7()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options.open(&temporary).and_then(|mut handle| {
            handle.write_all(&key)?;
            handle.sync_all()
        });
        // A hard link fails if the key appeared meanwhile, so an existing key is never
        // replaced (links already handed out stay valid).
        let linked = written.and_then(|()| match std::fs::hard_link(&temporary, &path) {
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            other => other,
        });
        let _ = std::fs::remove_file(&temporary);
        // The key signs links handed out from now on, so its name must survive a power cut.
        linked
            .and_then(|()| durable::sync_dir(data_dir))
            .map_err(failed)?;
    }
    let bytes = std::fs::read(&path).map_err(failed)?;
    bytes.try_into().map_err(|_| {
        internal(
            anyhow::anyhow!("the key must be {SIGNING_KEY_LEN} bytes"),
            format!("{} is damaged; delete it to make a new one", path.display()),
        )
    })
}

/// HMAC-SHA256 keyed with this install's signing key over `message`. Every signed thing
/// (export links here, share links in `share`) starts its message with its own
/// `paform-<purpose>-v<n>` line, so a signature made for one purpose never verifies as another.
pub(crate) fn install_mac(data_dir: &Path, message: &str) -> Result<Hmac<Sha256>, AppError> {
    let key = signing_key(data_dir)?;
    Ok(keyed_mac(&key, message))
}

fn keyed_mac(key: &[u8], message: &str) -> Hmac<Sha256> {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC-SHA256 takes a key of any length");
    mac.update(message.as_bytes());
    mac
}

fn mac(key: &[u8], export_id: &str, file: &str, expires: i64) -> Hmac<Sha256> {
    keyed_mac(
        key,
        &format!("paform-export-v1\n{export_id}\n{file}\n{expires}"),
    )
}

fn local_url(
    data_dir: &Path,
    export_id: &str,
    file: &str,
    now: Timestamp,
) -> Result<String, AppError> {
    let key = signing_key(data_dir)?;
    let expires = now.as_second() + i64::from(LINK_LIFETIME_SECS);
    let signature = mac(&key, export_id, file, expires).finalize().into_bytes();
    let hex = hex::encode(signature);
    Ok(format!(
        "/api/v1/exports/files/{export_id}/{file}?expires={expires}&sig={hex}"
    ))
}

/// A file served back through a local link.
#[derive(Debug, Clone)]
pub struct ExportFile {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Checks a local link and reads its file: 403 for a missing, tampered or expired link,
/// 404 for a valid link whose file is gone.
pub(crate) fn read_local(
    data_dir: &Path,
    export_id: &str,
    file: &str,
    expires: Option<&str>,
    signature: Option<&str>,
    now: Timestamp,
) -> Result<ExportFile, AppError> {
    let refused = || AppError::Forbidden("this download link is not valid".to_owned());
    let expires: i64 = expires.and_then(|e| e.parse().ok()).ok_or_else(refused)?;
    let signature = signature.and_then(parse_hex).ok_or_else(refused)?;
    if !is_safe_name(export_id) || !is_safe_name(file) {
        return Err(refused());
    }
    let key = signing_key(data_dir)?;
    mac(&key, export_id, file, expires)
        .verify_slice(&signature)
        .map_err(|_| refused())?;
    if now.as_second() > expires {
        return Err(AppError::Forbidden(
            "this download link has expired; export again for a new one".to_owned(),
        ));
    }
    let path = local_path(data_dir, export_id, file);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(AppError::not_found(
                "export file",
                &format!("{export_id}/{file}"),
            ));
        }
        Err(error) => return Err(internal(error, format!("cannot read {}", path.display()))),
    };
    Ok(ExportFile {
        file_name: file.to_owned(),
        content_type: content_type_of(file),
        bytes,
    })
}

/// A single path component of letters, digits, `-`, `_` and `.`, not starting with a dot.
fn is_safe_name(name: &str) -> bool {
    (1..=128).contains(&name.len())
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'))
}

/// A link signature: 64 hex digits (a SHA-256 HMAC).
pub(crate) fn parse_hex(text: &str) -> Option<Vec<u8>> {
    (text.len() == 64).then(|| hex::decode(text).ok()).flatten()
}

pub(crate) const CSV_CONTENT_TYPE: &str = "text/csv; charset=utf-8";
pub(crate) const SVG_CONTENT_TYPE: &str = "image/svg+xml";
pub(crate) const DXF_CONTENT_TYPE: &str = "image/vnd.dxf";
pub(crate) const PDF_CONTENT_TYPE: &str = "application/pdf";

fn content_type_of(file: &str) -> &'static str {
    match file.rsplit('.').next() {
        Some("csv") => CSV_CONTENT_TYPE,
        Some("svg") => SVG_CONTENT_TYPE,
        Some("dxf") => DXF_CONTENT_TYPE,
        Some("pdf") => PDF_CONTENT_TYPE,
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(second: i64) -> Timestamp {
        Timestamp::from_second(second).expect("valid test time")
    }

    fn query(url: &str) -> (String, String) {
        let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let mut expires = String::new();
        let mut signature = String::new();
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some(("expires", value)) => expires = value.to_owned(),
                Some(("sig", value)) => signature = value.to_owned(),
                _ => {}
            }
        }
        (expires, signature)
    }

    #[test]
    fn a_local_link_round_trips_and_refuses_tampering_and_expiry() {
        let folder = tempfile::tempdir().expect("temporary directory");
        let data_dir = folder.path();
        let path = local_path(data_dir, "e1", "cut-list.csv");
        durable::write_atomically(&path, b"a,b\r\n").expect("writes");
        let url = local_url(data_dir, "e1", "cut-list.csv", at(1_000)).expect("signs");
        let (expires, signature) = query(&url);
        assert_eq!(expires, (1_000 + 86_400).to_string());
        let read = |export_id: &str, file: &str, expires: &str, signature: &str, now| {
            read_local(
                data_dir,
                export_id,
                file,
                Some(expires),
                Some(signature),
                at(now),
            )
        };
        let file = read("e1", "cut-list.csv", &expires, &signature, 2_000).expect("valid");
        assert_eq!(file.bytes, b"a,b\r\n");
        assert_eq!(file.content_type, CSV_CONTENT_TYPE);

        let mut flipped = signature.clone().into_bytes();
        flipped[0] = if flipped[0] == b'0' { b'1' } else { b'0' };
        let flipped = String::from_utf8(flipped).expect("hex");
        let later = (1_000 + 2 * 86_400).to_string();
        for (export_id, file, expires, signature, now) in [
            (
                "e1",
                "cut-list.csv",
                expires.as_str(),
                flipped.as_str(),
                2_000,
            ),
            (
                "e1",
                "cut-list.csv",
                later.as_str(),
                signature.as_str(),
                2_000,
            ),
            (
                "e2",
                "cut-list.csv",
                expires.as_str(),
                signature.as_str(),
                2_000,
            ),
            (
                "e1",
                "../paform.redb",
                expires.as_str(),
                signature.as_str(),
                2_000,
            ),
            (
                "e1",
                "cut-list.csv",
                expires.as_str(),
                signature.as_str(),
                90_000,
            ),
            ("e1", "cut-list.csv", "soon", signature.as_str(), 2_000),
        ] {
            let error = read(export_id, file, expires, signature, now).expect_err("refused");
            assert!(matches!(error, AppError::Forbidden(_)), "{error:?}");
        }
    }

    #[test]
    fn the_signing_key_is_made_once_and_kept() {
        let folder = tempfile::tempdir().expect("temporary directory");
        let first = signing_key(folder.path()).expect("made");
        let second = signing_key(folder.path()).expect("read");
        assert_eq!(first, second);
        assert_ne!(first, [0; SIGNING_KEY_LEN]);
    }
}
