//! Offcuts (SPEC §12): every export's layout is kept with the export, so confirming it as
//! cut reads exactly what was exported. Confirming turns each sheet's remnants of at least
//! the minimum size (the core's `remnants`) into offcuts with codes, and consumes the
//! offcuts the layout was nested on, in one transaction and at most once.

use paform_api::chain::EntryKind;
use paform_core::cnc::remnants::{CutSheet, Rect, remnants};
use paform_store::records::floor::{
    ExportLayoutRecord, ExportRecord, ExportSheetRecord, OffcutRecord, PlacedRecord,
};
use paform_store::records::v3::SettingsRecord;
use paform_store::tables_v3::{COUNTERS, EXPORTS, OFFCUTS, OFFCUTS_BY_MATERIAL, SETTINGS};
use paform_store::{ReadTx, WriteTx};

use crate::convert;
use crate::dto::{CutConfirmation, MaterialLayout, MaterialStock, Offcut, OffcutListQuery};
use crate::{App, AppError};

const OFFCUT_COUNTER: &str = "offcut_code";

/// Lengths come from the nester as floats; they are stored as their shortest exact text.
fn length_text(value: f64) -> String {
    value.to_string()
}

fn offcut_view(record: OffcutRecord) -> Offcut {
    Offcut {
        width: convert::millimetres(&record.width_mm),
        height: convert::millimetres(&record.height_mm),
        id: record.id,
        code: record.code,
        material_id: record.material_id,
        from_export: record.from_export,
        created_at: record.created_at,
    }
}

/// The remnants of every sheet of `export`, with the material they are of.
fn export_remnants(export: &ExportRecord, minimum: (f64, f64)) -> Vec<(String, Rect)> {
    let length = |text: &str| convert::millimetres(text);
    let mut found = Vec::new();
    for layout in &export.layouts {
        for sheet in &layout.sheets {
            let cut = CutSheet {
                width: length(&sheet.width_mm),
                height: length(&sheet.height_mm),
                trim: length(&layout.trim_mm),
                kerf: length(&layout.kerf_mm),
                parts: sheet
                    .placements
                    .iter()
                    .map(|placed| Rect {
                        x: length(&placed.x_mm),
                        y: length(&placed.y_mm),
                        width: length(&placed.width_mm),
                        height: length(&placed.height_mm),
                    })
                    .collect(),
            };
            found.extend(
                remnants(&cut, minimum.0, minimum.1)
                    .into_iter()
                    .map(|rect| (layout.material_id.clone(), rect)),
            );
        }
    }
    found
}

fn confirmation(export: &ExportRecord, tx: &WriteTx) -> Result<CutConfirmation, AppError> {
    let mut offcuts = Vec::new();
    let mut consumed = Vec::new();
    for layout in &export.layouts {
        consumed.extend(
            layout
                .sheets
                .iter()
                .filter_map(|sheet| sheet.offcut_id.clone()),
        );
    }
    for id in &export.offcut_ids {
        if let Some(record) = tx.get(&OFFCUTS, id)? {
            offcuts.push(offcut_view(record));
        }
    }
    Ok(CutConfirmation {
        export_id: export.id.clone(),
        cut_at: export.cut_at.clone().unwrap_or_default(),
        offcuts,
        consumed,
    })
}

/// A material's offcuts, oldest first (the nester fills them before new boards).
pub(crate) fn material_offcuts(tx: &ReadTx, material_id: &str) -> Result<Vec<Offcut>, AppError> {
    let mut records = Vec::new();
    for id in tx.index_ids(&OFFCUTS_BY_MATERIAL, material_id, 0, usize::MAX)? {
        records.extend(tx.get(&OFFCUTS, &id)?);
    }
    // Ids are UUID v7, so their order is the order offcuts were made in.
    records.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(records.into_iter().map(offcut_view).collect())
}

impl App {
    /// Keeps what an export nested, for its cut confirmation.
    pub(crate) async fn record_export(
        &self,
        export_id: &str,
        order_id: &str,
        layouts: &[MaterialLayout],
        stocks: &[MaterialStock],
    ) -> Result<(), AppError> {
        let record = ExportRecord {
            id: export_id.to_owned(),
            order_id: order_id.to_owned(),
            created_at: convert::timestamp(self.now()),
            layouts: layouts
                .iter()
                .zip(stocks)
                .map(|(layout, stock)| ExportLayoutRecord {
                    material_id: layout.material_id.clone(),
                    kerf_mm: length_text(stock.kerf),
                    trim_mm: length_text(stock.trim),
                    sheets: layout
                        .sheets
                        .iter()
                        .map(|sheet| ExportSheetRecord {
                            width_mm: length_text(sheet.stock.width),
                            height_mm: length_text(sheet.stock.height),
                            offcut_id: sheet.offcut.as_ref().map(|offcut| offcut.id.clone()),
                            placements: sheet
                                .placements
                                .iter()
                                .map(|placed| PlacedRecord {
                                    id: placed.id.clone(),
                                    x_mm: length_text(placed.x),
                                    y_mm: length_text(placed.y),
                                    width_mm: length_text(placed.width),
                                    height_mm: length_text(placed.height),
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
            cut_at: None,
            offcut_ids: Vec::new(),
        };
        self.store()
            .write(move |tx| {
                tx.insert(&EXPORTS, &record.id, &record)?;
                Ok::<_, AppError>(())
            })
            .await
    }

    /// Confirms an export's layout as cut: its remnants become offcuts, the offcuts it used
    /// are consumed. A repeat changes nothing and answers the same.
    pub async fn confirm_cut(&self, export_id: &str) -> Result<CutConfirmation, AppError> {
        let (export, settings) = self.store().read(|tx| {
            Ok::<_, AppError>((
                tx.get(&EXPORTS, export_id)?,
                tx.get(&SETTINGS, SettingsRecord::KEY)?,
            ))
        })?;
        let export = export.ok_or_else(|| AppError::not_found("export", export_id))?;
        // Remnants smaller than the settings' minimum either way are scrap.
        let minimum = settings.map_or((300.0, 300.0), |settings| {
            (
                f64::from(settings.offcut_min_width_mm),
                f64::from(settings.offcut_min_height_mm),
            )
        });
        let found = if export.cut_at.is_none() {
            export_remnants(&export, minimum)
        } else {
            Vec::new()
        };
        let at = convert::timestamp(self.now());
        let ids: Vec<String> = found.iter().map(|_| self.new_id()).collect();
        let export_id = export_id.to_owned();
        self.store()
            .write(move |tx| {
                let mut export = tx
                    .get(&EXPORTS, &export_id)?
                    .ok_or_else(|| AppError::not_found("export", &export_id))?;
                if export.cut_at.is_some() {
                    return confirmation(&export, tx);
                }
                for layout in &export.layouts {
                    for offcut_id in layout
                        .sheets
                        .iter()
                        .filter_map(|sheet| sheet.offcut_id.as_ref())
                    {
                        if tx.remove(&OFFCUTS, offcut_id)? {
                            tx.index_remove(&OFFCUTS_BY_MATERIAL, &layout.material_id, offcut_id)?;
                        }
                    }
                }
                let mut number = tx.get(&COUNTERS, OFFCUT_COUNTER)?.unwrap_or(0);
                for (id, (material_id, rect)) in ids.into_iter().zip(found) {
                    number += 1;
                    let record = OffcutRecord {
                        id,
                        code: format!("OC-{number:06}"),
                        material_id,
                        width_mm: length_text(rect.width),
                        height_mm: length_text(rect.height),
                        from_export: export_id.clone(),
                        created_at: at.clone(),
                    };
                    tx.insert(&OFFCUTS, &record.id, &record)?;
                    tx.index_insert(&OFFCUTS_BY_MATERIAL, &record.material_id, &record.id)?;
                    crate::chain::log(
                        tx,
                        EntryKind::Offcut,
                        &record.id,
                        &offcut_view(record.clone()),
                    )?;
                    export.offcut_ids.push(record.id);
                }
                tx.insert(&COUNTERS, OFFCUT_COUNTER, &number)?;
                export.cut_at = Some(at);
                tx.insert(&EXPORTS, &export_id, &export)?;
                confirmation(&export, tx)
            })
            .await
    }

    /// Offcuts, oldest first; of one material when asked.
    pub fn list_offcuts(&self, query: &OffcutListQuery) -> Result<Vec<Offcut>, AppError> {
        self.store().read(|tx| match &query.material_id {
            Some(material_id) => material_offcuts(tx, material_id),
            None => {
                let mut records = tx.scan_prefix(&OFFCUTS, "")?;
                records.sort_by(|a, b| a.id.cmp(&b.id));
                Ok(records.into_iter().map(offcut_view).collect())
            }
        })
    }

    /// Discards an offcut (thrown away, or used by hand).
    pub async fn delete_offcut(&self, id: &str) -> Result<(), AppError> {
        let id = id.to_owned();
        self.store()
            .write(move |tx| {
                let record = tx
                    .get(&OFFCUTS, &id)?
                    .ok_or_else(|| AppError::not_found("offcut", &id))?;
                tx.remove(&OFFCUTS, &id)?;
                tx.index_remove(&OFFCUTS_BY_MATERIAL, &record.material_id, &id)?;
                Ok(())
            })
            .await
    }
}
