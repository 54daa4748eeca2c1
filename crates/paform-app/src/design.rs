//! Design collaboration (SPEC §5): design requests on an order (optionally on one line),
//! numbered versions, and their assets (GLB, DXF, PDF).
//!
//! Asset bytes live as files under `<data dir>/assets/`, never in the store: an upload is
//! streamed to a temporary file while its size and sha256 are computed, flushed to disk,
//! renamed into place, its directory synced (so the new name survives a power cut), and only
//! then recorded. A failed or oversized upload leaves no file and no record behind; a full
//! disk answers 507.

use std::path::PathBuf;

use paform_core::problem::Problems;
use paform_store::ReadTx;
use paform_store::records::v3::{DesignAssetRecord, DesignRequestRecord, DesignVersionRecord};
use paform_store::tables_v3::{
    DESIGN_ASSETS, DESIGN_ASSETS_BY_VERSION, DESIGN_REQUESTS, DESIGN_REQUESTS_BY_ORDER,
    DESIGN_VERSIONS, DESIGN_VERSIONS_BY_REQUEST, ORDERS,
};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::dto::{
    AssetUploadQuery, DesignAsset, DesignRequest, DesignRequestInput, DesignVersion,
    DesignVersionInput,
};
use crate::{App, AppError};
use crate::{convert, durable};

/// The default largest design asset: 200 MiB (`PAFORM_MAX_ASSET_BYTES` overrides it).
pub const DEFAULT_MAX_ASSET_BYTES: u64 = 200 * 1024 * 1024;

/// The asset kinds the CAD pipeline exchanges, with their content types.
const ASSET_KINDS: &[(&str, &str, &str)] = &[
    ("glb", "model/gltf-binary", ".glb"),
    ("dxf", "image/vnd.dxf", ".dxf"),
    ("pdf", "application/pdf", ".pdf"),
];

fn asset_view(record: DesignAssetRecord) -> DesignAsset {
    DesignAsset {
        id: record.id,
        kind: record.kind,
        filename: record.filename,
        content_type: record.content_type,
        size: record.size,
        sha256: record.sha256,
        created_at: record.created_at,
    }
}

fn version_view(tx: &ReadTx, record: DesignVersionRecord) -> Result<DesignVersion, AppError> {
    let mut assets = Vec::new();
    for id in tx.index_ids(&DESIGN_ASSETS_BY_VERSION, &record.id, 0, usize::MAX)? {
        if let Some(asset) = tx.get(&DESIGN_ASSETS, &id)? {
            assets.push(asset_view(asset));
        }
    }
    Ok(DesignVersion {
        id: record.id,
        request_id: record.request_id,
        number: record.number,
        notes: record.notes,
        approved: record.approved_at.is_some(),
        approved_at: record.approved_at,
        assets,
        created_at: record.created_at,
    })
}

fn request_view(tx: &ReadTx, record: DesignRequestRecord) -> Result<DesignRequest, AppError> {
    let mut versions = Vec::new();
    for id in tx.index_ids(&DESIGN_VERSIONS_BY_REQUEST, &record.id, 0, usize::MAX)? {
        if let Some(version) = tx.get(&DESIGN_VERSIONS, &id)? {
            versions.push(version_view(tx, version)?);
        }
    }
    Ok(DesignRequest {
        approved: versions.iter().any(|version| version.approved),
        id: record.id,
        order_id: record.order_id,
        line_item_id: record.line_item_id,
        description: record.description,
        versions,
        created_at: record.created_at,
    })
}

/// A file name safe to show and to offer for download: no path, no control characters.
fn parse_filename(name: &str, extension: &str, problems: &mut Problems) -> String {
    let name = name.trim();
    let bad = name.is_empty()
        || name.len() > 255
        || name.contains(['/', '\\'])
        || name.chars().any(char::is_control)
        || name.starts_with('.');
    if bad {
        problems.push(
            "filename",
            "must be a plain file name (no folders), 1 to 255 characters",
        );
    } else if !name.to_ascii_lowercase().ends_with(extension) {
        problems.push(
            "filename",
            format!("must end in {extension} for this kind of asset"),
        );
    }
    name.to_owned()
}

/// An upload in progress. Dropping it before `finish` removes the partial file.
pub struct AssetUpload {
    app: App,
    version_id: String,
    record: DesignAssetRecord,
    temp_path: PathBuf,
    final_path: PathBuf,
    file: Option<tokio::fs::File>,
    hasher: Sha256,
    limit: u64,
}

impl AssetUpload {
    /// The most bytes this upload may carry.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), AppError> {
        self.record.size += chunk.len() as u64;
        if self.record.size > self.limit {
            return Err(AppError::TooLarge(format!(
                "design assets may be at most {} bytes",
                self.limit
            )));
        }
        self.hasher.update(chunk);
        let file = self
            .file
            .as_mut()
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("upload closed")))?;
        let written = file.write_all(chunk).await;
        written.map_err(|error| self.file_error(error))
    }

    fn file_error(&self, error: std::io::Error) -> AppError {
        let context = format!("cannot write {}", self.temp_path.display());
        let dir = durable::owning_dir(&self.final_path);
        self.app.write_error(error, context, &dir)
    }

    pub async fn finish(mut self) -> Result<DesignAsset, AppError> {
        if self.record.size == 0 {
            return Err(AppError::invalid_field("body", "the asset file is empty"));
        }
        let mut file = self
            .file
            .take()
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("upload closed")))?;
        let synced = match file.flush().await {
            Ok(()) => file.sync_all().await,
            Err(error) => Err(error),
        };
        // Put back, so a failure from here on removes the temporary file (see `Drop`).
        self.file = Some(file);
        synced.map_err(|error| self.file_error(error))?;
        self.file = None;
        let renamed = tokio::fs::rename(&self.temp_path, &self.final_path).await;
        if let Err(error) = renamed {
            let _ = tokio::fs::remove_file(&self.temp_path).await;
            return Err(self.file_error(error));
        }
        // The new name must be durable before the record that points at it is committed.
        let dir = durable::owning_dir(&self.final_path);
        let synced = tokio::task::spawn_blocking(move || durable::sync_dir(&dir)).await;
        let synced = synced.map_err(crate::artifacts::join_error)?;
        if let Err(error) = synced {
            let _ = tokio::fs::remove_file(&self.final_path).await;
            return Err(self.file_error(error));
        }
        self.record.sha256 = format!("{:x}", std::mem::take(&mut self.hasher).finalize());
        let record = self.record.clone();
        let version_id = self.version_id.clone();
        let written = self
            .app
            .store()
            .write(move |tx| {
                if !tx.contains(&DESIGN_VERSIONS, &version_id)? {
                    return Err(AppError::not_found("design version", &version_id));
                }
                tx.insert(&DESIGN_ASSETS, &record.id, &record)?;
                tx.index_insert(&DESIGN_ASSETS_BY_VERSION, &version_id, &record.id)?;
                Ok::<_, AppError>(record)
            })
            .await;
        if written.is_err() {
            let _ = tokio::fs::remove_file(&self.final_path).await;
        }
        written.map(asset_view)
    }
}

impl Drop for AssetUpload {
    fn drop(&mut self) {
        if self.file.is_some() {
            let _ = std::fs::remove_file(&self.temp_path);
        }
    }
}

impl App {
    fn assets_dir(&self) -> PathBuf {
        self.data_dir().join(durable::ASSETS_DIR)
    }

    pub async fn create_design_request(
        &self,
        order_id: &str,
        input: DesignRequestInput,
    ) -> Result<DesignRequest, AppError> {
        let mut problems = Problems::new();
        let description = input.description.trim().to_owned();
        if description.is_empty() || description.chars().count() > 5000 {
            problems.push("description", "must have 1 to 5000 characters");
        }
        problems.finish()?;
        let record = DesignRequestRecord {
            id: self.new_id(),
            order_id: order_id.to_owned(),
            line_item_id: input.line_item_id,
            description,
            created_at: convert::timestamp(self.now()),
        };
        let stored = record.clone();
        self.store()
            .write(move |tx| {
                let order = tx
                    .get(&ORDERS, &stored.order_id)?
                    .ok_or_else(|| AppError::not_found("order", &stored.order_id))?;
                if let Some(line) = &stored.line_item_id
                    && !order.line_items.iter().any(|item| &item.id == line)
                {
                    return Err(AppError::invalid_field(
                        "line_item_id",
                        format!("order {} has no line item {line}", order.id),
                    ));
                }
                tx.insert(&DESIGN_REQUESTS, &stored.id, &stored)?;
                tx.index_insert(&DESIGN_REQUESTS_BY_ORDER, &stored.order_id, &stored.id)?;
                Ok(())
            })
            .await?;
        self.store().read(|tx| request_view(tx, record.clone()))
    }

    pub fn list_design_requests(&self, order_id: &str) -> Result<Vec<DesignRequest>, AppError> {
        self.store().read(|tx| {
            if !tx.contains(&ORDERS, order_id)? {
                return Err(AppError::not_found("order", order_id));
            }
            let mut requests = Vec::new();
            for id in tx.index_ids(&DESIGN_REQUESTS_BY_ORDER, order_id, 0, usize::MAX)? {
                if let Some(request) = tx.get(&DESIGN_REQUESTS, &id)? {
                    requests.push(request_view(tx, request)?);
                }
            }
            Ok(requests)
        })
    }

    pub async fn create_design_version(
        &self,
        request_id: &str,
        input: DesignVersionInput,
    ) -> Result<DesignVersion, AppError> {
        let notes = input.notes.trim().to_owned();
        if notes.chars().count() > 5000 {
            return Err(AppError::invalid_field(
                "notes",
                "must be at most 5000 characters",
            ));
        }
        let id = self.new_id();
        let at = convert::timestamp(self.now());
        let request_id = request_id.to_owned();
        let record = self
            .store()
            .write(move |tx| {
                let request = tx
                    .get(&DESIGN_REQUESTS, &request_id)?
                    .ok_or_else(|| AppError::not_found("design request", &request_id))?;
                let number = tx.index_len(&DESIGN_VERSIONS_BY_REQUEST, &request_id)? as u32 + 1;
                let record = DesignVersionRecord {
                    id,
                    request_id: request_id.clone(),
                    order_id: request.order_id,
                    number,
                    notes,
                    approved_at: None,
                    created_at: at,
                };
                tx.insert(&DESIGN_VERSIONS, &record.id, &record)?;
                tx.index_insert(&DESIGN_VERSIONS_BY_REQUEST, &request_id, &record.id)?;
                Ok::<_, AppError>(record)
            })
            .await?;
        self.store().read(|tx| version_view(tx, record.clone()))
    }

    /// Starts streaming an asset of `version_id` to disk.
    pub async fn begin_asset_upload(
        &self,
        version_id: &str,
        query: &AssetUploadQuery,
    ) -> Result<AssetUpload, AppError> {
        let mut problems = Problems::new();
        let kind = ASSET_KINDS.iter().find(|(name, _, _)| *name == query.kind);
        if kind.is_none() {
            problems.push("kind", "must be one of glb, dxf, pdf");
        }
        let extension = kind.map(|(_, _, extension)| *extension).unwrap_or("");
        let filename = parse_filename(&query.filename, extension, &mut problems);
        problems.finish()?;
        let Some(&(kind, content_type, _)) = kind else {
            unreachable!("problem recorded")
        };
        if !self
            .store()
            .read(|tx| tx.contains(&DESIGN_VERSIONS, version_id))?
        {
            return Err(AppError::not_found("design version", version_id));
        }
        let id = self.new_id();
        let dir = self.assets_dir();
        // Normally made at start; made again (durably) if it went missing since.
        let created = {
            let dir = dir.clone();
            tokio::task::spawn_blocking(move || durable::create_dir_all_synced(&dir)).await
        };
        let context = || format!("cannot create {}", dir.display());
        created
            .map_err(crate::artifacts::join_error)?
            .map_err(|error| self.write_error(error, context(), &dir))?;
        let temp_path = dir.join(format!(".{id}.part"));
        let file = tokio::fs::File::create(&temp_path)
            .await
            .map_err(|error| self.write_error(error, context(), &dir))?;
        Ok(AssetUpload {
            app: self.clone(),
            version_id: version_id.to_owned(),
            final_path: dir.join(&id),
            record: DesignAssetRecord {
                id,
                version_id: version_id.to_owned(),
                kind: kind.to_owned(),
                filename,
                content_type: content_type.to_owned(),
                size: 0,
                sha256: String::new(),
                created_at: convert::timestamp(self.now()),
            },
            temp_path,
            file: Some(file),
            hasher: Sha256::new(),
            limit: self.max_asset_bytes(),
        })
    }

    /// An asset's description and the file holding its bytes.
    pub fn design_asset_file(&self, id: &str) -> Result<(DesignAsset, PathBuf), AppError> {
        let record = self
            .store()
            .read(|tx| tx.get(&DESIGN_ASSETS, id))?
            .ok_or_else(|| AppError::not_found("design asset", id))?;
        let path = self.assets_dir().join(&record.id);
        Ok((asset_view(record), path))
    }

    pub async fn approve_design_version(
        &self,
        version_id: &str,
    ) -> Result<DesignVersion, AppError> {
        let at = convert::timestamp(self.now());
        let version_id = version_id.to_owned();
        let record = self
            .store()
            .write(move |tx| {
                let mut version = tx
                    .get(&DESIGN_VERSIONS, &version_id)?
                    .ok_or_else(|| AppError::not_found("design version", &version_id))?;
                // Approving twice keeps the first approval time.
                if version.approved_at.is_none() {
                    version.approved_at = Some(at.clone());
                    tx.insert(&DESIGN_VERSIONS, &version_id, &version)?;
                    let mut assets = Vec::new();
                    for asset_id in
                        tx.index_ids(&DESIGN_ASSETS_BY_VERSION, &version_id, 0, usize::MAX)?
                    {
                        if let Some(asset) = tx.get(&DESIGN_ASSETS, &asset_id)? {
                            assets.push(asset);
                        }
                    }
                    paform_store::audit::append_order_event(
                        tx,
                        paform_store::audit::NewEvent {
                            order_id: &version.order_id,
                            kind: "design_approved",
                            actor: None,
                            note: None,
                            data: paform_store::audit::approval_data_with_assets(&version, &assets),
                            at: &at,
                        },
                    )?;
                }
                Ok::<_, AppError>(version)
            })
            .await?;
        self.store().read(|tx| version_view(tx, record.clone()))
    }

    /// The newest approved version of a request: what the CAD pipeline builds from.
    pub fn latest_approved_version(&self, request_id: &str) -> Result<DesignVersion, AppError> {
        self.store().read(|tx| {
            if !tx.contains(&DESIGN_REQUESTS, request_id)? {
                return Err(AppError::not_found("design request", request_id));
            }
            let mut latest: Option<DesignVersionRecord> = None;
            for id in tx.index_ids(&DESIGN_VERSIONS_BY_REQUEST, request_id, 0, usize::MAX)? {
                if let Some(version) = tx.get(&DESIGN_VERSIONS, &id)?
                    && version.approved_at.is_some()
                    && latest.as_ref().is_none_or(|l| version.number > l.number)
                {
                    latest = Some(version);
                }
            }
            let latest = latest.ok_or_else(|| AppError::NotFound {
                kind: "approved version of design request",
                id: request_id.to_owned(),
            })?;
            version_view(tx, latest)
        })
    }
}
