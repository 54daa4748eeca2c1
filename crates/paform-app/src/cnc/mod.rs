//! CNC use cases (SPEC §6): nesting parts on sheets (`nest`, also behind `paform nest`),
//! the panel list of a set of modules, and the production export (cut list CSV, nesting
//! SVG and DXF per material) stored locally or on S3.
//!
//! Invariants:
//! - Panels come from the production data frozen when a line was quoted (made by
//!   `paform_core::cnc::panelize`, the function pricing takes its area from), so a cut list
//!   never disagrees with the price, and no catalog edit reaches an accepted order.
//! - Input problems are reported all at once and name the field (`parts[3].width`,
//!   `items[0].module_id`); a part or panel that fits no sheet names its id.
//! - Modules: `request` (the nesting format), `production` (lines → labelled panels grouped
//!   by material), `render` (CSV, SVG, DXF); this file runs them and stores the files.
//! - Exports are byte-identical for the same order and settings: panels keep the order of
//!   the line items, materials are sorted by name and id, the nesting seed is fixed and the
//!   renderers are pure. Only a nesting cut short by its time limit (huge jobs on a slow
//!   machine) can differ between runs.
//! - Nesting is CPU-bound and runs on tokio's blocking threads, never on the async ones.

use std::sync::LazyLock;
use std::time::Duration;

use paform_core::cnc::nesting::{self};
use paform_core::problem::Problems;
use paform_store::specs::freeze_production;
use tokio::sync::Semaphore;

use crate::artifacts::{self, Destination, ExportFile};
use crate::catalog::{ResolvedItem, resolve_item};
use crate::dto::{
    ArtifactKind, CncExport, CncExportRequest, CncItem, CncPanel, CncPanelList, CncPanelsRequest,
    ExportArtifact, ExportLinkQuery, ExportProgress, ExportSummary, MaterialLayout, MaterialPanels,
    MaterialStock, NestMode as NestModeDto, NestPlacement, NestRequest, NestResult, NestedSheet,
    PartGrain, StockGrain,
};
use crate::offcuts::material_offcuts;
use crate::part_code;
use crate::quotes::MAX_QUOTE_LINES;
use crate::stock::read_stock;
use crate::{App, AppError};

mod labels;
mod production;
mod quote_boards;
mod render;
mod request;

use production::*;
pub(crate) use quote_boards::{MaterialSupply, quote_boards};
use render::*;
pub use request::nest;
use request::nest_result;

/// The search time of `nest` when the request names none.
pub(crate) const DEFAULT_NEST_TIME_LIMIT_MS: u64 = 2_000;
/// The longest search a request may ask for.
pub(crate) const MAX_NEST_TIME_LIMIT_MS: u64 = 60_000;
/// The most part entries (before quantities) one nesting request may list.
const MAX_NEST_PART_ENTRIES: usize = 5_000;
const MAX_PART_ID_CHARS: usize = 100;
/// Kerf and trim above this are typos, not saw blades.
const MAX_MARGIN_MM: f64 = 1_000.0;

/// The nester's work budget grows with its time limit (about a quarter of it in a release
/// build), so this buys about two seconds of search per material and leaves the clock a wide
/// margin: an export's search ends on its own budget (and is reproducible), not the clock.
const EXPORT_NEST_TIME_LIMIT: Duration = Duration::from_secs(8);
const EXPORT_NEST_SEED: u64 = 0;
/// The order id of an export of loose items.
const ADHOC_ORDER_ID: &str = "adhoc";

/// One nesting per core at a time across the process: more would only slow each other
/// down and starve the blocking pool the store's callers also use.
static NESTING_SLOTS: LazyLock<Semaphore> = LazyLock::new(|| {
    Semaphore::new(std::thread::available_parallelism().map_or(2, |cores| cores.get()))
});

/// Runs CPU-bound nesting work on a blocking thread once a slot is free. The slot travels
/// with the work, so a caller that gives up does not free it before the work ends.
async fn run_nesting<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let slot = NESTING_SLOTS
        .acquire()
        .await
        .map_err(|error| artifacts::internal(error, "the nesting slots were closed".to_owned()))?;
    tokio::task::spawn_blocking(move || {
        let result = work();
        drop(slot);
        result
    })
    .await
    .map_err(artifacts::join_error)
}

impl App {
    /// `nest` on a blocking thread.
    pub async fn nest(&self, request: NestRequest) -> Result<NestResult, AppError> {
        run_nesting(move || nest(&request)).await?
    }

    /// The panels of `request.items`, grouped by material.
    pub fn cnc_panels(&self, request: CncPanelsRequest) -> Result<CncPanelList, AppError> {
        let lines = self.lines_from_items(&request.items)?;
        let groups = material_groups(&lines)?;
        Ok(panel_list(&groups, &lines))
    }

    /// Panelizes an order (or loose items), nests every material on its stock sheets, renders
    /// the cut list and drawings and stores them; `progress` hears each step as it starts.
    pub async fn export_cnc(
        &self,
        request: CncExportRequest,
        progress: impl Fn(ExportProgress) + Send + Sync,
    ) -> Result<CncExport, AppError> {
        let report = |step: ExportProgress| {
            tracing::info!(?step, "cnc export");
            progress(step);
        };
        let (order_id, order_title, lines) = match (request.order_id, request.items) {
            (Some(order_id), None) => {
                let (number, lines) = self.lines_from_order(&order_id)?;
                (order_id, format!("Order {number}"), lines)
            }
            (None, Some(items)) => (
                ADHOC_ORDER_ID.to_owned(),
                "Loose items".to_owned(),
                self.lines_from_items(&items)?,
            ),
            (Some(_), Some(_)) => {
                return Err(AppError::invalid_field(
                    "order_id",
                    "give order_id or items, not both",
                ));
            }
            (None, None) => {
                return Err(AppError::invalid_field(
                    "order_id",
                    "give order_id or items",
                ));
            }
        };
        let groups = material_groups(&lines)?;
        let n_panels = groups
            .iter()
            .flat_map(|group| &group.panels)
            .fold(0_u32, |sum, panel| sum.saturating_add(panel.quantity));
        report(ExportProgress::Panelize {
            panels: n_panels,
            materials: groups.len() as u32,
        });

        // Each material's stock, and its offcuts when an order is cut (loose items are a
        // what-if, so they are nested on new boards only).
        let use_offcuts = order_id != ADHOC_ORDER_ID;
        let (stocks, offcuts) = self.store().read(|tx| {
            let mut stocks = Vec::with_capacity(groups.len());
            let mut offcuts = Vec::with_capacity(groups.len());
            for group in &groups {
                stocks.push(read_stock(tx, &group.material_id)?);
                offcuts.push(if use_offcuts {
                    material_offcuts(tx, &group.material_id)?
                } else {
                    Vec::new()
                });
            }
            Ok::<_, AppError>((stocks, offcuts))
        })?;
        let mut layouts = Vec::with_capacity(groups.len());
        for (index, ((group, stock), offcuts)) in
            groups.iter().zip(&stocks).zip(&offcuts).enumerate()
        {
            report(ExportProgress::Nest {
                material_id: group.material_id.clone(),
                material_name: group.material_name.clone(),
                index: index as u32 + 1,
                total: groups.len() as u32,
            });
            let nest_request = material_nest_request(group, stock, offcuts);
            let layout = run_nesting(move || nesting::nest(&nest_request))
                .await?
                .map_err(|error| export_nesting_problem(error, group, stock, &lines))?;
            layouts.push(layout);
        }

        let mut files = render_files(&order_id, &order_title, &groups, &layouts, &lines);
        let label_format = self.settings_record()?.label_format;
        files.push(labels::labels_file(
            &groups,
            &layouts,
            &lines,
            &label_format,
        )?);
        report(ExportProgress::Render {
            artifacts: files.len() as u32,
        });
        let destination = match &self.s3 {
            Some(target) => Destination::S3(target),
            None => Destination::Local {
                data_dir: &self.data_dir,
            },
        };
        let export_id = self.new_id();
        let key_prefix = format!("cnc/{order_id}");
        let now = self.now();
        let n_files = files.len() as u32;
        let mut stored = Vec::with_capacity(files.len());
        for (index, file) in files.into_iter().enumerate() {
            report(ExportProgress::Upload {
                key: file.file.clone(),
                index: index as u32 + 1,
                total: n_files,
            });
            let size = file.bytes.len() as u64;
            let artifact = destination
                .put(
                    &key_prefix,
                    &export_id,
                    &file.file,
                    file.bytes,
                    file.content_type,
                    now,
                )
                .await
                .map_err(|error| self.noting_disk_full(error))?;
            stored.push(ExportArtifact {
                kind: file.kind,
                bucket: artifact.bucket,
                key: artifact.key,
                url: artifact.url,
                content_type: file.content_type.to_owned(),
                size,
                material_id: file.material_id,
            });
        }

        let n_sheets: usize = layouts.iter().map(|layout| layout.sheets.len()).sum();
        let used_area: f64 = layouts.iter().map(layout_area).sum();
        let sheet_area: f64 = layouts.iter().map(stock_area).sum();
        let layouts: Vec<MaterialLayout> = groups
            .iter()
            .zip(layouts)
            .map(|(group, layout)| MaterialLayout {
                material_id: group.material_id.clone(),
                sheets: nest_result(layout, NestModeDto::Guillotine).sheets,
            })
            .collect();
        self.record_export(&export_id, &order_id, &layouts, &stocks)
            .await?;
        report(ExportProgress::Done {
            sheets: n_sheets as u32,
        });
        Ok(CncExport {
            export_id,
            layouts,
            artifacts: stored,
            summary: ExportSummary {
                panels: n_panels,
                sheets: n_sheets as u32,
                utilization: if sheet_area > 0.0 {
                    used_area / sheet_area
                } else {
                    0.0
                },
            },
        })
    }

    /// A file of a local export, if its link (`query`) is genuine and unexpired.
    pub async fn export_file(
        &self,
        export_id: &str,
        file: &str,
        query: ExportLinkQuery,
    ) -> Result<ExportFile, AppError> {
        let data_dir = self.data_dir.clone();
        let (export_id, file) = (export_id.to_owned(), file.to_owned());
        let now = self.now();
        tokio::task::spawn_blocking(move || {
            artifacts::read_local(
                &data_dir,
                &export_id,
                &file,
                query.expires.as_deref(),
                query.sig.as_deref(),
                now,
            )
        })
        .await
        .map_err(artifacts::join_error)?
    }

    /// Resolves loose items against the catalog; their line ids are `item-1`, `item-2`, ….
    fn lines_from_items(&self, items: &[CncItem]) -> Result<Vec<ProductionLine>, AppError> {
        let mut problems = Problems::new();
        if items.is_empty() {
            problems.push("items", "must list at least one module");
        }
        if items.len() > MAX_QUOTE_LINES {
            problems.push(
                "items",
                format!("must list at most {MAX_QUOTE_LINES} modules"),
            );
        }
        let lines = self.store().read(|tx| {
            let mut lines = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                let field = |name: &str| format!("items[{index}].{name}");
                let Some(ResolvedItem {
                    module,
                    material,
                    quantity,
                }) = resolve_item(
                    tx,
                    &field,
                    &item.module_id,
                    item.material_id.as_deref(),
                    item.quantity,
                    &mut problems,
                )?
                else {
                    continue;
                };
                let Some(production) = freeze_production(&module, &material)? else {
                    problems.push(
                        field("material_id"),
                        format!(
                            "the board of material {} is too thick for module {}",
                            material.name, module.name
                        ),
                    );
                    continue;
                };
                lines.push(ProductionLine {
                    field: format!("items[{index}]"),
                    line_item_id: format!("item-{}", index + 1),
                    label: part_code::line_code("ITEM", index as u32 + 1),
                    module_id: module.id,
                    module_name: module.name,
                    material_id: material.id,
                    material_name: material.name,
                    quantity: quantity.get(),
                    production,
                });
            }
            Ok::<_, AppError>(lines)
        })?;
        problems.finish()?;
        Ok(lines)
    }

    /// An order's number and its frozen lines: the catalog is never read, so no edit or
    /// deletion of a module or material changes what an accepted order cuts.
    fn lines_from_order(&self, order_id: &str) -> Result<(String, Vec<ProductionLine>), AppError> {
        let order = self.order_record(order_id)?;
        let lines = order
            .line_items
            .into_iter()
            .map(|line| {
                let production = line.production.ok_or_else(|| {
                    AppError::Conflict(format!(
                        "line {} of order {} was accepted before production data was frozen \
                         and its module has since left the catalog",
                        line.position, order.number
                    ))
                })?;
                Ok(ProductionLine {
                    field: "order_id".to_owned(),
                    label: part_code::line_code(&order.number, line.position),
                    line_item_id: line.id,
                    module_id: line.module_id,
                    module_name: line.module_name,
                    material_id: line.material_id,
                    material_name: line.material_name,
                    quantity: line.quantity,
                    production,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        Ok((order.number, lines))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::dto::{NestPart, NestSheet, NestStock};

    fn request(parts: Vec<NestPart>) -> NestRequest {
        NestRequest {
            sheet: Some(NestSheet {
                width: 2440.0,
                height: 1220.0,
            }),
            sheets: None,
            kerf: 4.0,
            allow_rotation: true,
            mode: NestModeDto::Guillotine,
            parts,
            trim: 0.0,
            time_limit_ms: None,
            seed: None,
        }
    }

    fn part(id: &str, width: f64, height: f64, quantity: i64) -> NestPart {
        NestPart {
            id: id.to_owned(),
            width,
            height,
            quantity,
            grain: PartGrain::None,
        }
    }

    fn fields(error: AppError) -> Vec<String> {
        match error {
            AppError::Invalid { problems } => problems.into_iter().map(|p| p.field).collect(),
            other => panic!("expected a 422, got {other:?}"),
        }
    }

    #[test]
    fn nesting_problems_name_every_field_at_once() {
        let mut bad = request(vec![
            part("p1", 500.0, 300.0, 1),
            part("p2", 0.0, -3.0, 0),
            part("p1", 100.0, 100.0, 1),
        ]);
        bad.sheet = Some(NestSheet {
            width: -1.0,
            height: 1220.0,
        });
        bad.kerf = f64::NAN;
        bad.time_limit_ms = Some(60_001);
        let error = nest(&bad).expect_err("invalid");
        assert_eq!(
            fields(error),
            [
                "sheet.width",
                "kerf",
                "time_limit_ms",
                "parts[1].width",
                "parts[1].height",
                "parts[1].quantity",
                "parts[2].id",
            ]
        );
    }

    #[test]
    fn a_part_larger_than_the_sheet_is_named_by_index_and_id() {
        let error = nest(&request(vec![
            part("ok", 100.0, 100.0, 1),
            part("door", 3000.0, 1300.0, 1),
        ]))
        .expect_err("too large");
        let AppError::Invalid { problems } = error else {
            panic!("expected a 422");
        };
        assert_eq!(problems[0].field, "parts[1]");
        assert!(
            problems[0].message.contains("door"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn nesting_places_every_piece_once() {
        let result = nest(&request(vec![
            part("a", 500.0, 300.0, 4),
            part("b", 1200.0, 600.0, 2),
        ]))
        .expect("nests");
        let mut counts = BTreeMap::new();
        for placement in result.sheets.iter().flat_map(|sheet| &sheet.placements) {
            *counts.entry(placement.id.as_str()).or_insert(0) += 1;
        }
        assert_eq!(counts, BTreeMap::from([("a", 4), ("b", 2)]));
        assert!(result.utilization > 0.0 && result.utilization <= 1.0);
    }

    fn stock(width: f64, height: f64, cost: Option<&str>, quantity: Option<i64>) -> NestStock {
        NestStock {
            width,
            height,
            cost: cost.map(str::to_owned),
            quantity,
        }
    }

    #[test]
    fn sheet_sizes_are_checked_by_index() {
        let mut bad = request(vec![part("p1", 500.0, 300.0, 1)]);
        bad.sheet = None;
        bad.sheets = Some(vec![
            stock(2440.0, 1220.0, Some("40.00"), Some(0)),
            stock(-2.0, 2070.0, Some("x"), None),
            stock(2800.0, 2070.0, None, None),
        ]);
        assert_eq!(
            fields(nest(&bad).expect_err("invalid")),
            [
                "sheets[0].quantity",
                "sheets[1].width",
                "sheets[1].cost",
                "sheets[2].cost",
            ]
        );
        bad.sheets = None;
        assert_eq!(fields(nest(&bad).expect_err("no stock")), ["sheet"]);
    }

    #[test]
    fn several_sizes_name_their_stock_and_limited_stock_runs_out() {
        let mut with_sizes = request(vec![part("a", 1000.0, 500.0, 2)]);
        with_sizes.sheet = None;
        with_sizes.sheets = Some(vec![
            stock(2440.0, 1220.0, Some("40.00"), None),
            stock(1220.0, 1220.0, Some("15.00"), None),
        ]);
        let result = nest(&with_sizes).expect("nests");
        assert_eq!(result.sheets.len(), 1);
        assert_eq!(
            result.sheets[0].stock,
            NestSheet {
                width: 1220.0,
                height: 1220.0
            }
        );
        with_sizes.sheets = Some(vec![stock(1220.0, 1220.0, None, Some(1))]);
        with_sizes.parts = vec![part("a", 1000.0, 1000.0, 2)];
        assert_eq!(fields(nest(&with_sizes).expect_err("short")), ["sheets"]);
    }

    #[test]
    fn material_slugs_are_safe_file_names() {
        for (name, expected) in [
            ("Oak veneer, 18 mm", "oak-veneer-18-mm"),
            ("  Birch/Plywood  ", "birch-plywood"),
            ("Ölbaum", "lbaum"),
            ("***", "material"),
        ] {
            assert_eq!(slug(name), expected, "{name}");
        }
    }
}
