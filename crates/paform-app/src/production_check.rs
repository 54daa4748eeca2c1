//! The three-way check before production (SPEC §17), app side: what the core's
//! `cnc::conformance::check` compares is gathered here, and its mismatches become the 409's
//! list and, when an admin overrides, the facts of `production_check_overridden`.
//!
//! Which model is checked: the module's model as it is now, the file `models/<id>.glb` that
//! `GET /api/modules/{id}/model` serves. The store keeps one model per module, and the frozen
//! `glb_url` (with its `?v=` digest) names a file that a later upload replaced, so "as frozen"
//! cannot be read back; and the model as it is now is what the order page, the customer's
//! phone and the factory are shown, so it is the one that must agree with what is cut. A
//! module edited and re-modelled after an order froze it is exactly what the check exists to
//! catch. A module that left the catalog, or whose model is still a foreign URL waiting to
//! be downloaded, has no model to check: that line is checked two ways.
//!
//! The files are read and measured before the write (never on the writer thread); inside the
//! transition's transaction each module's `glb_url` must still be the one seen then, so a
//! model replaced in between answers 409 instead of being checked against a stale box.

use std::collections::BTreeMap;

use paform_core::catalog::{Axis, Dimensions, shelf_count};
use paform_core::cnc::conformance::{
    self, CutListPanel, Disagreement, LineFacts, Mismatch, ModelBox, Pair,
};
use paform_store::WriteTx;
use paform_store::records::v3::{OrderLineRecord, OrderRecord};
use paform_store::specs::stored_length;
use paform_store::tables_v3::{MODULES, ORDERS};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use serde_json::{Value, json};

use crate::dto::{CheckMismatch, CheckMismatchKind, CheckPair, ModuleAxis};
use crate::{App, AppError};

/// The kind of the event an override appends just before its `status_changed`.
pub(crate) const PRODUCTION_CHECK_OVERRIDDEN: &str = "production_check_overridden";

/// A module's model as it was measured: the URL it was served under and its bounding box.
pub(crate) struct MeasuredModel {
    glb_url: String,
    size: ModelBox,
}

/// Per module id, its measured model; a module without one is absent.
pub(crate) type MeasuredModels = BTreeMap<String, MeasuredModel>;

fn glb_url_of(assembly_attributes: &str) -> Option<String> {
    let attributes: Value = serde_json::from_str(assembly_attributes).ok()?;
    attributes.get("glb_url")?.as_str().map(str::to_owned)
}

/// Whether `glb_url` is the module's own stored model (not a CDN URL awaiting download).
fn is_stored_model(module_id: &str, glb_url: &str) -> bool {
    let path = crate::models::model_path(module_id);
    glb_url == path || glb_url.starts_with(&format!("{path}?"))
}

fn millimetres(value: f64) -> Option<Decimal> {
    Decimal::from_f64(value).map(|value| value.round_dp(3))
}

impl App {
    /// Measures the stored models of the modules of `order_id`'s lines. An order that does
    /// not exist measures nothing (the transition then answers 404 itself).
    pub(crate) async fn measure_order_models(
        &self,
        order_id: &str,
    ) -> Result<MeasuredModels, AppError> {
        let Some(order) = self.store().read(|tx| tx.get(&ORDERS, order_id))? else {
            return Ok(MeasuredModels::new());
        };
        let module_ids = crate::orders::module_ids(&order);
        let mut models = MeasuredModels::new();
        for module_id in module_ids {
            let Some(module) = self.store().read(|tx| tx.get(&MODULES, &module_id))? else {
                continue;
            };
            let Some(glb_url) = glb_url_of(&module.assembly_attributes)
                .filter(|url| is_stored_model(&module_id, url))
            else {
                continue;
            };
            let bytes = match self.module_model(&module_id).await {
                Ok(bytes) => bytes,
                Err(AppError::NotFound { .. }) => continue,
                Err(other) => return Err(other),
            };
            let report = tokio::task::spawn_blocking(move || {
                paform_glb::check(&bytes, None).bounding_box_mm
            })
            .await
            .map_err(crate::artifacts::join_error)?;
            let Some(size) = report.and_then(|size| {
                Some(ModelBox {
                    width: millimetres(size.width)?,
                    height: millimetres(size.height)?,
                    depth: millimetres(size.depth)?,
                })
            }) else {
                continue;
            };
            models.insert(module_id, MeasuredModel { glb_url, size });
        }
        Ok(models)
    }
}

/// Inside the transition's transaction: every mismatch of `order`'s lines. 409 when a
/// measured model was replaced since it was measured, or a module gained a model.
pub(crate) fn check_order_lines(
    tx: &WriteTx,
    order: &OrderRecord,
    models: &MeasuredModels,
) -> Result<Vec<CheckMismatch>, AppError> {
    let mut module_ids: Vec<&str> = order
        .line_items
        .iter()
        .map(|line| line.module_id.as_str())
        .collect();
    module_ids.sort();
    module_ids.dedup();
    for module_id in module_ids {
        let now = tx
            .get(&MODULES, module_id)?
            .and_then(|module| glb_url_of(&module.assembly_attributes))
            .filter(|url| is_stored_model(module_id, url));
        let measured = models.get(module_id).map(|model| &model.glb_url);
        if now.as_ref() != measured {
            return Err(AppError::Conflict(format!(
                "the model of module {module_id} changed while the order was being checked; \
                 try again"
            )));
        }
    }
    let mut facts = Vec::new();
    for line in &order.line_items {
        // A line with no frozen production data (a schema 1 quote whose module had left the
        // catalog) has neither dimensions nor a cut list to compare.
        if let Some(line_facts) = line_facts(order, line, models)? {
            facts.push(line_facts);
        }
    }
    Ok(conformance::check(&facts)
        .iter()
        .map(mismatch_view)
        .collect())
}

fn line_facts(
    order: &OrderRecord,
    line: &OrderLineRecord,
    models: &MeasuredModels,
) -> Result<Option<LineFacts>, AppError> {
    let Some(frozen) = &line.production else {
        return Ok(None);
    };
    let corrupt = || crate::orders::corrupt(ORDERS.name(), &order.id);
    let length = |text: &str| stored_length(text).ok_or_else(corrupt);
    let decimal = |text: &str| text.parse::<Decimal>().map_err(|_| corrupt());
    let attributes: Value =
        serde_json::from_str(&frozen.assembly_attributes).map_err(|_| corrupt())?;
    let thickness = match &frozen.material_thickness_mm {
        Some(text) => Some(length(text)?),
        None => None,
    };
    let cut_list = frozen
        .panels
        .iter()
        .map(|panel| {
            Ok(CutListPanel {
                name: panel.name.clone(),
                length: decimal(&panel.length_mm)?,
                width: decimal(&panel.width_mm)?,
                quantity: panel.quantity,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(Some(LineFacts {
        line_id: line.id.clone(),
        position: line.position,
        module_name: line.module_name.clone(),
        dimensions: Dimensions {
            width: length(&frozen.width_mm)?,
            height: length(&frozen.height_mm)?,
            depth: length(&frozen.depth_mm)?,
        },
        shelves: shelf_count(&attributes).map_err(|_| corrupt())?,
        thickness,
        model: models.get(&line.module_id).map(|model| model.size),
        cut_list,
    }))
}

fn number(value: Decimal) -> f64 {
    value.round_dp(3).to_f64().unwrap_or(f64::MAX)
}

fn mismatch_view(mismatch: &Mismatch) -> CheckMismatch {
    let pair = match mismatch.pair {
        Pair::ModelDimensions => CheckPair::ModelDimensions,
        Pair::DimensionsCutList => CheckPair::DimensionsCutList,
        Pair::ModelCutList => CheckPair::ModelCutList,
    };
    let mut view = CheckMismatch {
        line_item_id: mismatch.line_id.clone(),
        position: mismatch.position,
        module_name: mismatch.module_name.clone(),
        pair,
        kind: CheckMismatchKind::Extent,
        axis: None,
        panel: mismatch.panel.clone(),
        model_mm: None,
        dimensions_mm: None,
        cut_list_mm: None,
        difference_mm: None,
        message: mismatch.to_string(),
    };
    match mismatch.disagreement {
        Disagreement::Extent {
            axis,
            first_mm,
            second_mm,
        } => {
            view.axis = Some(match axis {
                Axis::Width => ModuleAxis::Width,
                Axis::Height => ModuleAxis::Height,
                Axis::Depth => ModuleAxis::Depth,
            });
            let (first, second) = (Some(number(first_mm)), Some(number(second_mm)));
            match mismatch.pair {
                Pair::ModelDimensions => (view.model_mm, view.dimensions_mm) = (first, second),
                Pair::DimensionsCutList => (view.dimensions_mm, view.cut_list_mm) = (first, second),
                Pair::ModelCutList => (view.model_mm, view.cut_list_mm) = (first, second),
            }
            view.difference_mm = Some(number((second_mm - first_mm).abs()));
        }
        Disagreement::MissingPanel => view.kind = CheckMismatchKind::MissingPanel,
        Disagreement::UnexpectedPanel => view.kind = CheckMismatchKind::UnexpectedPanel,
        Disagreement::Quantity { .. } => view.kind = CheckMismatchKind::Quantity,
        Disagreement::NotPanelizable => view.kind = CheckMismatchKind::NotPanelizable,
    }
    view
}

/// The 409's detail: how many mismatches, on how many lines.
pub(crate) fn refusal(mismatches: Vec<CheckMismatch>) -> AppError {
    let mut lines: Vec<&str> = mismatches
        .iter()
        .map(|mismatch| mismatch.line_item_id.as_str())
        .collect();
    lines.sort();
    lines.dedup();
    let plural = |count: usize, word: &str| match count {
        1 => format!("1 {word}"),
        _ => format!("{count} {word}es"),
    };
    let lines_text = match lines.len() {
        1 => "1 line".to_owned(),
        count => format!("{count} lines"),
    };
    let detail = format!(
        "the three-way check before production found {} on {lines_text}: the model, the \
         frozen dimensions and the cut list must agree within 1 mm; an admin may override \
         with a note",
        plural(mismatches.len(), "mismatch")
    );
    AppError::CheckFailed { detail, mismatches }
}

/// The facts of `production_check_overridden`: the mismatches overridden, lengths as exact
/// decimal text (the chain's canonical JSON holds no floats).
pub(crate) fn override_data(mismatches: &[CheckMismatch]) -> Value {
    let text = |value: Option<f64>| value.map(|value| value.to_string());
    let mismatches: Vec<Value> = mismatches
        .iter()
        .map(|mismatch| {
            json!({
                "line_item_id": mismatch.line_item_id,
                "position": mismatch.position,
                "module_name": mismatch.module_name,
                "pair": mismatch.pair,
                "kind": mismatch.kind,
                "axis": mismatch.axis,
                "panel": mismatch.panel,
                "model_mm": text(mismatch.model_mm),
                "dimensions_mm": text(mismatch.dimensions_mm),
                "cut_list_mm": text(mismatch.cut_list_mm),
                "difference_mm": text(mismatch.difference_mm),
                "message": mismatch.message,
            })
        })
        .collect();
    json!({ "mismatches": mismatches })
}
