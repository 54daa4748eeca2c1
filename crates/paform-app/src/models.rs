//! Modules' 3D models (SPEC §11, GLB pipeline): an uploaded GLB is checked against
//! `GLB_ASSET_STANDARD.md` with the module's catalog dimensions (`paform-glb`), and only a file
//! that breaks no rule is kept.
//!
//! The file is `<data dir>/models/<module-id>.glb`, written to a temporary file, synced,
//! renamed and its directory synced before the module's `assembly_attributes.glb_url` is
//! committed, so a recorded URL never points at a half-written file. The URL carries the
//! file's digest (`?v=`), so a replaced model is never served from a cache.

use std::path::PathBuf;

use paform_core::problem::FieldProblem;
use paform_store::tables_v3::MODULES;
use sha2::{Digest, Sha256};

use crate::dto::{Dimensions, ModelReport};
use crate::{App, AppError, convert, durable};

/// The largest upload `PUT /api/modules/{id}/model` reads (413 above it); the standard's own
/// limit (5 MiB) is a rule of the check, answered 422 like any other.
pub const MAX_MODEL_UPLOAD_BYTES: usize = 50 * 1024 * 1024;

/// The served path of a module's model.
pub(crate) fn model_path(module_id: &str) -> String {
    format!("/api/modules/{module_id}/model")
}

impl App {
    fn model_file(&self, module_id: &str) -> PathBuf {
        self.data_dir()
            .join(durable::MODELS_DIR)
            .join(format!("{module_id}.glb"))
    }

    /// Checks `bytes` against the standard and the module's dimensions; stores the file and
    /// points the module at it, or answers 422 with every violation and stores nothing.
    pub async fn put_module_model(
        &self,
        module_id: &str,
        bytes: Vec<u8>,
    ) -> Result<ModelReport, AppError> {
        let module = self.get_module(module_id)?;
        let Dimensions {
            width,
            height,
            depth,
        } = module.dimensions;
        let expected = paform_glb::Dimensions {
            width,
            height,
            depth,
        };
        let (report, bytes) = tokio::task::spawn_blocking(move || {
            let report = paform_glb::check(&bytes, Some(expected));
            (report, bytes)
        })
        .await
        .map_err(crate::artifacts::join_error)?;
        if !report.is_valid() {
            return Err(AppError::invalid(
                report
                    .violations
                    .iter()
                    .map(|violation| FieldProblem::new(violation.code, &violation.message))
                    .collect(),
            ));
        }
        let sha256 = format!("{:x}", Sha256::digest(&bytes));
        let glb_url = format!("{}?v={}", model_path(module_id), &sha256[..12]);
        let path = self.model_file(module_id);
        self.write_data_file(path, bytes, "the model").await?;
        let now = convert::timestamp(self.now());
        let (id, url) = (module_id.to_owned(), glb_url.clone());
        self.store()
            .write(move |tx| {
                crate::chain::refuse_catalog_edit(tx)?;
                let mut record = tx
                    .get(&MODULES, &id)?
                    .ok_or_else(|| AppError::not_found("module", &id))?;
                let mut attributes: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_str(&record.assembly_attributes).unwrap_or_default();
                attributes.insert("glb_url".into(), url.into());
                record.assembly_attributes = serde_json::Value::Object(attributes).to_string();
                record.updated_at = now;
                tx.insert(&MODULES, &id, &record)?;
                Ok::<_, AppError>(())
            })
            .await?;
        let dimensions = |size: paform_glb::Dimensions| Dimensions {
            width: size.width,
            height: size.height,
            depth: size.depth,
        };
        Ok(ModelReport {
            module_id: module_id.to_owned(),
            glb_url,
            size_bytes: report.size_bytes as u64,
            sha256,
            draco: report.draco,
            bounding_box_mm: report.bounding_box_mm.map(dimensions),
            triangles: report.triangles,
            violations: Vec::new(),
        })
    }

    /// The bytes of a module's model; 404 when the module has none.
    pub async fn module_model(&self, module_id: &str) -> Result<Vec<u8>, AppError> {
        self.get_module(module_id)?;
        match tokio::fs::read(self.model_file(module_id)).await {
            Ok(bytes) => Ok(bytes),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                Err(AppError::not_found("module model", module_id))
            }
            Err(error) => Err(AppError::internal(
                anyhow::Error::new(error)
                    .context(format!("cannot read the model of module {module_id}")),
            )),
        }
    }
}
