//! Hygraph media (SPEC §11): texture and model URLs that arrive with a synced entry point at
//! Hygraph's CDN; they are downloaded once into the data directory and the catalog then points
//! at the local served path, so a synced showroom works offline and the UI never fetches a
//! foreign origin.
//!
//! The webhook stays fast: applying a delivery only records a `media_downloads` job in the
//! same transaction (keeping the CDN URL in the catalog, which the viewer ignores), and a
//! background task downloads after the commit. A failed download is retried with exponential
//! backoff (1 s doubling to 10 min, 12 tries) and then given up, leaving the CDN URL recorded
//! and unused; a file the standard refuses (a GLB) or that is no image (a texture) is given
//! up at once. Pending jobs are resumed when the app opens.
//!
//! Textures are content-addressed (`media/<sha256>.<ext>`, served at `/api/media/{file}`);
//! models go through the module model use case (checked, `models/<module-id>.glb`). The local
//! path replaces the CDN URL only while the field still holds that URL, so a newer delivery
//! is never overwritten by an older download.

use std::sync::atomic::Ordering;
use std::time::Duration;

use paform_store::records::v3::{MaterialRecord, MediaDownloadRecord, ModuleRecord};
use paform_store::tables_v3::{MATERIALS, MEDIA_DOWNLOADS};
use paform_store::{StoreError, WriteTx};
use sha2::{Digest, Sha256};

use crate::durable::{self, MEDIA_DIR};
use crate::{App, AppError, WeakApp};

const MAX_ATTEMPTS: u32 = 12;
const FIRST_RETRY: Duration = Duration::from_secs(1);
const LAST_RETRY: Duration = Duration::from_secs(600);
const MAX_DOWNLOAD_BYTES: usize = 50 * 1024 * 1024;
const TIMEOUT: Duration = Duration::from_secs(30);

const MATERIAL: &str = "material";
const MODULE: &str = "module";
const TEXTURE_URL: &str = "texture_url";
const GLB_URL: &str = "glb_url";

fn is_foreign(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

fn job_key(owner_kind: &str, owner_id: &str, field: &str) -> String {
    format!("{owner_kind}/{owner_id}/{field}")
}

/// Within a delivery's transaction: points a synced material at its local texture when that
/// URL was downloaded before, or records a download job. True when a job was recorded.
pub(crate) fn adopt_material_media(
    tx: &mut WriteTx,
    record: &mut MaterialRecord,
) -> Result<bool, StoreError> {
    let Some(url) = record.texture_url.clone().filter(|url| is_foreign(url)) else {
        return Ok(false);
    };
    match adopt(tx, MATERIAL, &record.id, TEXTURE_URL, &url)? {
        Some(local) => {
            record.texture_url = Some(local);
            Ok(false)
        }
        None => Ok(true),
    }
}

/// Within a delivery's transaction: the same for a module's `assembly_attributes.glb_url`.
pub(crate) fn adopt_module_media(
    tx: &mut WriteTx,
    record: &mut ModuleRecord,
) -> Result<bool, StoreError> {
    let mut attributes: serde_json::Value =
        serde_json::from_str(&record.assembly_attributes).unwrap_or_default();
    let Some(url) = attributes
        .get(GLB_URL)
        .and_then(serde_json::Value::as_str)
        .filter(|url| is_foreign(url))
        .map(str::to_owned)
    else {
        return Ok(false);
    };
    match adopt(tx, MODULE, &record.id, GLB_URL, &url)? {
        Some(local) => {
            attributes[GLB_URL] = local.into();
            record.assembly_attributes = attributes.to_string();
            Ok(false)
        }
        None => Ok(true),
    }
}

/// The local path of `url` if this field already downloaded it; otherwise a fresh job.
fn adopt(
    tx: &mut WriteTx,
    owner_kind: &str,
    owner_id: &str,
    field: &str,
    url: &str,
) -> Result<Option<String>, StoreError> {
    let key = job_key(owner_kind, owner_id, field);
    if let Some(job) = tx.get(&MEDIA_DOWNLOADS, &key)?
        && job.url == url
        && let Some(local) = job.local_url
    {
        return Ok(Some(local));
    }
    let job = MediaDownloadRecord {
        url: url.to_owned(),
        owner_kind: owner_kind.to_owned(),
        owner_id: owner_id.to_owned(),
        field: field.to_owned(),
        status: "pending".to_owned(),
        attempts: 0,
        next_attempt_ms: 0,
        last_error: None,
        local_url: None,
    };
    tx.insert(&MEDIA_DOWNLOADS, &key, &job)?;
    Ok(None)
}

/// Why one try failed, and whether another try may succeed.
struct Failure {
    message: String,
    retry: bool,
}

impl Failure {
    fn retry(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            retry: true,
        }
    }

    fn refuse(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            retry: false,
        }
    }
}

impl App {
    /// Starts the background download task unless it runs already. It ends when no job is
    /// pending, and holds the app (and so the store's file) only while it reads or records,
    /// never while it downloads or waits: a closed app is never kept open by it.
    fn wake_media_downloads(&self) {
        if self.media_worker.swap(true, Ordering::AcqRel) {
            return;
        }
        let weak = self.downgrade();
        tokio::spawn(async move {
            loop {
                match download_due_media(&weak).await {
                    Ok(Some(wait)) => tokio::time::sleep(wait).await,
                    Ok(None) => {
                        let Some(app) = weak.upgrade() else { return };
                        app.media_worker.store(false, Ordering::Release);
                        // A job recorded between the last pass and the flag going down.
                        if !app.has_pending_media().unwrap_or(false)
                            || app.media_worker.swap(true, Ordering::AcqRel)
                        {
                            return;
                        }
                    }
                    Err(error) => {
                        tracing::warn!(%error, "media downloads stopped; they resume on restart");
                        if let Some(app) = weak.upgrade() {
                            app.media_worker.store(false, Ordering::Release);
                        }
                        return;
                    }
                }
            }
        });
    }

    /// Wakes the download task when jobs are pending (after a delivery, or on opening).
    pub(crate) fn resume_media_downloads(&self) -> Result<(), AppError> {
        if self.has_pending_media()? {
            self.wake_media_downloads();
        }
        Ok(())
    }

    fn has_pending_media(&self) -> Result<bool, AppError> {
        Ok(!self.pending_media()?.is_empty())
    }

    fn pending_media(&self) -> Result<Vec<(String, MediaDownloadRecord)>, AppError> {
        let jobs = self.store().read(|tx| {
            let mut jobs = Vec::new();
            tx.scan(&MEDIA_DOWNLOADS, None, |job: MediaDownloadRecord| {
                if job.status == "pending" {
                    jobs.push(job);
                }
                true
            })?;
            Ok::<_, StoreError>(jobs)
        })?;
        Ok(jobs
            .into_iter()
            .map(|job| (job_key(&job.owner_kind, &job.owner_id, &job.field), job))
            .collect())
    }

    /// Stores a downloaded file locally; the served path.
    async fn store_download(
        &self,
        job: &MediaDownloadRecord,
        bytes: Vec<u8>,
    ) -> Result<String, Failure> {
        if job.field == GLB_URL {
            return match self.put_module_model(&job.owner_id, bytes).await {
                Ok(report) => Ok(report.glb_url),
                Err(AppError::Invalid { problems }) => Err(Failure::refuse(format!(
                    "the model breaks GLB_ASSET_STANDARD.md: {}",
                    problems
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                ))),
                Err(AppError::NotFound { .. }) => {
                    Err(Failure::refuse("the module left the catalog"))
                }
                Err(error) => Err(Failure::retry(error.to_string())),
            };
        }
        let Some(extension) = image_extension(&bytes) else {
            return Err(Failure::refuse(
                "the texture is not a PNG, JPEG, WebP or KTX2 image",
            ));
        };
        let name = format!("{:x}.{extension}", Sha256::digest(&bytes));
        let path = self.data_dir().join(MEDIA_DIR).join(&name);
        let written = tokio::task::spawn_blocking(move || durable::write_atomically(&path, &bytes))
            .await
            .map_err(|error| Failure::retry(error.to_string()))?;
        written.map_err(|error| Failure::retry(format!("cannot write {name}: {error}")))?;
        Ok(format!("/api/media/{name}"))
    }

    /// Records a try's outcome; the time of the next try when one is due.
    async fn finish_media_job(
        &self,
        key: String,
        job: MediaDownloadRecord,
        outcome: Result<String, Failure>,
    ) -> Result<Option<i64>, AppError> {
        let mut updated = job.clone();
        updated.attempts += 1;
        let mut next = None;
        match outcome {
            Ok(local) => {
                updated.status = "done".to_owned();
                updated.last_error = None;
                updated.local_url = Some(local);
            }
            Err(failure) => {
                tracing::warn!(url = %job.url, error = %failure.message, attempt = updated.attempts,
                    "a Hygraph media download failed");
                updated.last_error = Some(failure.message);
                if failure.retry && updated.attempts < MAX_ATTEMPTS {
                    let delay = FIRST_RETRY
                        .saturating_mul(1 << (updated.attempts - 1).min(20))
                        .min(LAST_RETRY);
                    let at = now_ms() + i64::try_from(delay.as_millis()).unwrap_or(i64::MAX);
                    updated.next_attempt_ms = at;
                    next = Some(at);
                } else {
                    updated.status = "failed".to_owned();
                }
            }
        }
        self.store()
            .write(move |tx| {
                // A newer delivery replaced the job: its own download decides.
                if tx.get(&MEDIA_DOWNLOADS, &key)?.as_ref() != Some(&job) {
                    return Ok::<_, AppError>(());
                }
                if let Some(local) = &updated.local_url {
                    point_at_local(tx, &updated, local)?;
                }
                tx.insert(&MEDIA_DOWNLOADS, &key, &updated)?;
                Ok(())
            })
            .await?;
        Ok(next)
    }

    /// The bytes and content type of a downloaded texture.
    pub async fn media_file(&self, name: &str) -> Result<(&'static str, Vec<u8>), AppError> {
        let content_type = name
            .rsplit_once('.')
            .filter(|(stem, _)| !stem.is_empty() && stem.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|(_, extension)| content_type(extension))
            .ok_or_else(|| AppError::not_found("media file", name))?;
        match tokio::fs::read(self.data_dir().join(MEDIA_DIR).join(name)).await {
            Ok(bytes) => Ok((content_type, bytes)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                Err(AppError::not_found("media file", name))
            }
            Err(error) => Err(AppError::internal(
                anyhow::Error::new(error).context(format!("cannot read media file {name}")),
            )),
        }
    }
}

/// Tries every due job once; the wait until the next pending one, if any. `Ok(None)` also
/// when the app is gone.
async fn download_due_media(weak: &WeakApp) -> Result<Option<Duration>, AppError> {
    let Some(app) = weak.upgrade() else {
        return Ok(None);
    };
    let jobs = app.pending_media()?;
    drop(app);
    let mut next: Option<i64> = None;
    for (key, job) in jobs {
        if job.next_attempt_ms > now_ms() {
            next = Some(next.map_or(job.next_attempt_ms, |n| n.min(job.next_attempt_ms)));
            continue;
        }
        let fetched = fetch(&job.url).await;
        let Some(app) = weak.upgrade() else {
            return Ok(None);
        };
        let outcome = match fetched {
            Ok(bytes) => app.store_download(&job, bytes).await,
            Err(failure) => Err(failure),
        };
        if let Some(at) = app.finish_media_job(key, job, outcome).await? {
            next = Some(next.map_or(at, |n| n.min(at)));
        }
    }
    Ok(next.map(|at| Duration::from_millis(u64::try_from(at - now_ms()).unwrap_or(0))))
}

/// Replaces the CDN URL by the local path, if the field still holds that URL.
fn point_at_local(
    tx: &mut WriteTx,
    job: &MediaDownloadRecord,
    local: &str,
) -> Result<(), StoreError> {
    match job.owner_kind.as_str() {
        MATERIAL => {
            if let Some(mut material) = tx.get(&MATERIALS, &job.owner_id)?
                && material.texture_url.as_deref() == Some(job.url.as_str())
            {
                material.texture_url = Some(local.to_owned());
                tx.insert(&MATERIALS, &job.owner_id, &material)?;
            }
        }
        _ => {
            // The model use case has already pointed the module at its local file.
        }
    }
    Ok(())
}

async fn fetch(url: &str) -> Result<Vec<u8>, Failure> {
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .build()
        .map_err(|error| Failure::retry(error.to_string()))?;
    let mut response = client
        .get(url)
        .send()
        .await
        .map_err(|error| Failure::retry(format!("cannot reach {url}: {error}")))?;
    let status = response.status();
    if !status.is_success() {
        // 4xx other than 408/429 will not get better by waiting.
        let retry = status.is_server_error() || status.as_u16() == 408 || status.as_u16() == 429;
        return Err(Failure {
            message: format!("{url} answered {status}"),
            retry,
        });
    }
    if response
        .content_length()
        .is_some_and(|length| length > MAX_DOWNLOAD_BYTES as u64)
    {
        return Err(Failure::refuse(format!(
            "{url} is larger than {MAX_DOWNLOAD_BYTES} bytes"
        )));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| Failure::retry(format!("the download of {url} broke off: {error}")))?
    {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_DOWNLOAD_BYTES {
            return Err(Failure::refuse(format!(
                "{url} is larger than {MAX_DOWNLOAD_BYTES} bytes"
            )));
        }
    }
    Ok(bytes)
}

/// The file extension of an image format the viewer reads, from its magic bytes.
fn image_extension(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpg")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else if bytes.starts_with(b"\xabKTX 20\xbb\r\n\x1a\n") {
        Some("ktx2")
    } else {
        None
    }
}

fn content_type(extension: &str) -> Option<&'static str> {
    match extension {
        "png" => Some("image/png"),
        "jpg" => Some("image/jpeg"),
        "webp" => Some("image/webp"),
        "ktx2" => Some("image/ktx2"),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
