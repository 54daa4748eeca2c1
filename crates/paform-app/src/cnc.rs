//! CNC use cases (SPEC §6): nesting parts on sheets (`nest`, also behind `paform nest`),
//! the panel list of a set of modules, and the production export (cut list CSV, nesting
//! SVG and DXF per material) stored locally or on S3.
//!
//! Invariants:
//! - Panels come from `paform_core::cnc::panelize`, the function pricing takes its area
//!   from, with the same material thickness, so a cut list never disagrees with a quote.
//! - Input problems are reported all at once and name the field (`parts[3].width`,
//!   `items[0].module_id`); a part or panel that fits no sheet names its id.
//! - Exports are byte-identical for the same order and settings: panels keep the order of
//!   the line items, materials are sorted by name and id, the nesting seed is fixed and the
//!   renderers are pure. Only a nesting cut short by its time limit (huge jobs on a slow
//!   machine) can differ between runs.
//! - Nesting is CPU-bound and runs on tokio's blocking threads, never on the async ones.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;
use std::time::Duration;

use paform_core::cnc::nesting::{
    self, Grain, MAX_PART_INSTANCES, NestLayout, NestMode, NestingError, PartSpec,
};
use paform_core::cnc::panelize::{self, EdgeBanding};
use paform_core::problem::Problems;
use paform_core::units::{Millimetres, Quantity};
use paform_export::{CutListRow, cut_list_csv, nesting_dxf, nesting_svg};
use paform_store::records::v1::{MaterialRecord, ModuleRecord};
use paform_store::tables_v1::{MATERIALS, MODULES};
use tokio::sync::Semaphore;

use crate::artifacts::{self, Destination, ExportFile};
use crate::catalog::{material_spec, module_spec};
use crate::dto::{
    ArtifactKind, CncExport, CncExportRequest, CncItem, CncPanel, CncPanelList, CncPanelsRequest,
    ExportArtifact, ExportLinkQuery, ExportProgress, ExportSummary, MaterialPanels,
    NestMode as NestModeDto, NestPlacement, NestRequest, NestResult, NestedSheet, PartGrain,
};
use crate::quotes::MAX_QUOTE_LINES;
use crate::{App, AppError};

/// The search time of `nest` when the request names none.
pub(crate) const DEFAULT_NEST_TIME_LIMIT_MS: u64 = 2_000;
/// The longest search a request may ask for.
pub(crate) const MAX_NEST_TIME_LIMIT_MS: u64 = 60_000;
/// The most part entries (before quantities) one nesting request may list.
const MAX_NEST_PART_ENTRIES: usize = 5_000;
const MAX_PART_ID_CHARS: usize = 100;
/// Kerf and trim above this are typos, not saw blades.
const MAX_MARGIN_MM: f64 = 1_000.0;

/// Stock sheets of every material (a settings field later; SPEC §6's defaults for now).
const STOCK_SHEET_WIDTH: f64 = 2440.0;
const STOCK_SHEET_HEIGHT: f64 = 1220.0;
const STOCK_KERF: f64 = 4.0;
/// Generous, so that an export's search ends on its own budget (and is reproducible)
/// rather than on the clock.
const EXPORT_NEST_TIME_LIMIT: Duration = Duration::from_secs(20);
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

/// Nests `request` (SPEC §6's format) and returns the layout. Pure and CPU-bound: callers
/// on an async runtime use `App::nest`, which runs this on a blocking thread.
pub fn nest(request: &NestRequest) -> Result<NestResult, AppError> {
    let core_request = core_nest_request(request)?;
    let layout = nesting::nest(&core_request).map_err(|error| {
        nesting_problem(error, |id| {
            request
                .parts
                .iter()
                .position(|part| part.id == id)
                .map(|index| format!("parts[{index}]"))
        })
    })?;
    Ok(nest_result(layout))
}

fn core_nest_request(request: &NestRequest) -> Result<nesting::NestRequest, AppError> {
    let mut problems = Problems::new();
    problems.check("sheet.width", Millimetres::from_f64(request.sheet.width));
    problems.check("sheet.height", Millimetres::from_f64(request.sheet.height));
    for (field, value) in [("kerf", request.kerf), ("trim", request.trim)] {
        if !(value.is_finite() && (0.0..=MAX_MARGIN_MM).contains(&value)) {
            problems.push(
                field,
                format!("must be a number from 0 to {MAX_MARGIN_MM} mm"),
            );
        }
    }
    let time_limit_ms = request.time_limit_ms.unwrap_or(DEFAULT_NEST_TIME_LIMIT_MS);
    if time_limit_ms > MAX_NEST_TIME_LIMIT_MS {
        problems.push(
            "time_limit_ms",
            format!("must be at most {MAX_NEST_TIME_LIMIT_MS} ms"),
        );
    }
    if request.parts.is_empty() {
        problems.push("parts", "must list at least one part");
    }
    if request.parts.len() > MAX_NEST_PART_ENTRIES {
        problems.push(
            "parts",
            format!("must list at most {MAX_NEST_PART_ENTRIES} parts"),
        );
    }
    let mut first_index_of_id: HashMap<&str, usize> = HashMap::new();
    let mut instances = 0_u64;
    let mut parts = Vec::with_capacity(request.parts.len());
    for (index, part) in request.parts.iter().enumerate() {
        let field = |name: &str| format!("parts[{index}].{name}");
        let id_chars = part.id.chars().count();
        if id_chars == 0 || id_chars > MAX_PART_ID_CHARS {
            problems.push(
                field("id"),
                format!("must have 1 to {MAX_PART_ID_CHARS} characters"),
            );
        } else if let Some(first) = first_index_of_id.insert(&part.id, index) {
            first_index_of_id.insert(&part.id, first);
            problems.push(
                field("id"),
                format!("repeats the id {:?} of parts[{first}]", part.id),
            );
        }
        problems.check(&field("width"), Millimetres::from_f64(part.width));
        problems.check(&field("height"), Millimetres::from_f64(part.height));
        let quantity = problems.check(&field("quantity"), Quantity::parse(part.quantity));
        instances += u64::from(quantity.map_or(0, Quantity::get));
        parts.push(PartSpec {
            id: part.id.clone(),
            width: part.width,
            height: part.height,
            quantity: quantity.map_or(0, Quantity::get),
            grain: match part.grain {
                PartGrain::None => Grain::None,
                PartGrain::Length => Grain::Length,
            },
        });
    }
    if instances > u64::from(MAX_PART_INSTANCES) {
        problems.push(
            "parts",
            format!(
                "ask for {instances} pieces in all; at most {MAX_PART_INSTANCES} can be nested at once"
            ),
        );
    }
    problems.finish()?;
    Ok(nesting::NestRequest {
        sheet_width: request.sheet.width,
        sheet_height: request.sheet.height,
        kerf: request.kerf,
        trim: request.trim,
        allow_rotation: request.allow_rotation,
        mode: match request.mode {
            NestModeDto::Guillotine => NestMode::Guillotine,
            NestModeDto::Free => NestMode::Free,
        },
        parts,
        time_limit: Duration::from_millis(time_limit_ms),
        seed: request.seed.unwrap_or(0),
    })
}

/// A core nesting error as a 422 naming the field; `part_field` finds the field of a part
/// by its id.
fn nesting_problem(error: NestingError, part_field: impl Fn(&str) -> Option<String>) -> AppError {
    let part = |id: &str, suffix: &str| {
        part_field(id).map_or_else(|| "parts".to_owned(), |field| format!("{field}{suffix}"))
    };
    let field = match &error {
        NestingError::InvalidSheetSize { field } => field.replace("sheet_", "sheet."),
        NestingError::InvalidMargin { field } => (*field).to_owned(),
        NestingError::TrimLeavesNoSheet { .. } => "trim".to_owned(),
        NestingError::NoParts | NestingError::TooManyParts { .. } => "parts".to_owned(),
        NestingError::InvalidPartSize { id, field } => part(id, &format!(".{field}")),
        NestingError::ZeroQuantity { id } => part(id, ".quantity"),
        NestingError::PartTooLarge { id, .. } => part(id, ""),
        NestingError::NoLayoutFound => {
            return AppError::internal(anyhow::Error::new(error));
        }
    };
    AppError::invalid_field(&field, error)
}

fn nest_result(layout: NestLayout) -> NestResult {
    NestResult {
        sheets: layout
            .sheets
            .into_iter()
            .map(|sheet| NestedSheet {
                placements: sheet
                    .placements
                    .into_iter()
                    .map(|placement| NestPlacement {
                        id: placement.id,
                        x: placement.x,
                        y: placement.y,
                        width: placement.width,
                        height: placement.height,
                        rotated: placement.rotated,
                    })
                    .collect(),
                utilization: sheet.utilization,
            })
            .collect(),
        utilization: layout.utilization,
    }
}

/// One line of production, resolved against the catalog.
struct ProductionLine {
    /// The request field this line came from (`items[2]`, or `order_id`).
    field: String,
    line_item_id: String,
    module: ModuleRecord,
    material: MaterialRecord,
    quantity: u32,
}

/// One panel to cut, `quantity` times in all.
struct CutPanel {
    label: String,
    /// Index into the production lines.
    line: usize,
    name: &'static str,
    length: Millimetres,
    width: Millimetres,
    grain: panelize::Grain,
    edge_banding: EdgeBanding,
    quantity: u32,
}

impl CutPanel {
    /// The part id on the nesting drawings: unique within a material.
    fn part_id(&self, lines: &[ProductionLine]) -> String {
        format!("{}/{}", lines[self.line].line_item_id, self.name)
    }
}

struct MaterialGroup {
    material: MaterialRecord,
    thickness: Option<Millimetres>,
    panels: Vec<CutPanel>,
}

fn edge_banding_text(edge_banding: EdgeBanding) -> &'static str {
    match edge_banding {
        EdgeBanding::None => "",
        EdgeBanding::FrontEdge => "front edge",
    }
}

fn nest_grain(grain: panelize::Grain) -> Grain {
    match grain {
        panelize::Grain::None => Grain::None,
        panelize::Grain::Length => Grain::Length,
    }
}

/// Panelizes every line and groups the panels by material (sorted by name, then id), each
/// group in line order.
fn material_groups(
    order_id: &str,
    lines: &[ProductionLine],
) -> Result<Vec<MaterialGroup>, AppError> {
    let mut problems = Problems::new();
    let mut groups: BTreeMap<(String, String), MaterialGroup> = BTreeMap::new();
    for (line_index, line) in lines.iter().enumerate() {
        let module = module_spec(&line.module)?;
        let material = material_spec(&line.material)?;
        let panels = match panelize::panelize(&module, material.thickness) {
            Ok(panels) => panels,
            Err(error) => {
                problems.push(format!("{}.material_id", line.field), error);
                continue;
            }
        };
        let key = (line.material.name.clone(), line.material.id.clone());
        let group = groups.entry(key).or_insert_with(|| MaterialGroup {
            material: line.material.clone(),
            thickness: material.thickness,
            panels: Vec::new(),
        });
        for panel in panels {
            let Some(quantity) = panel.quantity.checked_mul(line.quantity) else {
                problems.push(
                    format!("{}.quantity", line.field),
                    "asks for too many panels",
                );
                continue;
            };
            group.panels.push(CutPanel {
                label: format!(
                    "{order_id}/{}/{}/{}",
                    line.line_item_id, line.module.id, panel.name
                ),
                line: line_index,
                name: panel.name,
                length: panel.length,
                width: panel.width,
                grain: panel.grain,
                edge_banding: panel.edge_banding,
                quantity,
            });
        }
    }
    problems.finish()?;
    Ok(groups.into_values().collect())
}

fn panel_list(groups: &[MaterialGroup], lines: &[ProductionLine]) -> CncPanelList {
    let mut total_panels = 0_u32;
    let materials = groups
        .iter()
        .map(|group| MaterialPanels {
            material_id: group.material.id.clone(),
            material_name: group.material.name.clone(),
            thickness_mm: group.thickness.map(Millimetres::to_f64),
            panels: group
                .panels
                .iter()
                .map(|panel| {
                    let line = &lines[panel.line];
                    total_panels = total_panels.saturating_add(panel.quantity);
                    CncPanel {
                        label: panel.label.clone(),
                        line_item_id: line.line_item_id.clone(),
                        module_id: line.module.id.clone(),
                        module_name: line.module.name.clone(),
                        name: panel.name.to_owned(),
                        length: panel.length.to_f64(),
                        width: panel.width.to_f64(),
                        thickness: group.thickness.map(Millimetres::to_f64),
                        grain: match panel.grain {
                            panelize::Grain::None => PartGrain::None,
                            panelize::Grain::Length => PartGrain::Length,
                        },
                        edge_banding: edge_banding_text(panel.edge_banding).to_owned(),
                        quantity: panel.quantity,
                    }
                })
                .collect(),
        })
        .collect();
    CncPanelList {
        materials,
        total_panels,
    }
}

/// The nesting of one material's panels on its stock sheets. A panel's length (its grain
/// direction) runs along the sheet's width, the sheet's grain direction.
fn material_nest_request(group: &MaterialGroup, lines: &[ProductionLine]) -> nesting::NestRequest {
    nesting::NestRequest {
        sheet_width: STOCK_SHEET_WIDTH,
        sheet_height: STOCK_SHEET_HEIGHT,
        kerf: STOCK_KERF,
        trim: 0.0,
        allow_rotation: true,
        mode: NestMode::Guillotine,
        parts: group
            .panels
            .iter()
            .map(|panel| PartSpec {
                id: panel.part_id(lines),
                width: panel.length.to_f64(),
                height: panel.width.to_f64(),
                quantity: panel.quantity,
                grain: nest_grain(panel.grain),
            })
            .collect(),
        time_limit: EXPORT_NEST_TIME_LIMIT,
        seed: EXPORT_NEST_SEED,
    }
}

/// A nesting error of an export, named by the line whose panel caused it.
fn export_nesting_problem(
    error: NestingError,
    group: &MaterialGroup,
    lines: &[ProductionLine],
) -> AppError {
    let panel_of = |id: &str| group.panels.iter().find(|panel| panel.part_id(lines) == id);
    match &error {
        NestingError::PartTooLarge { id, .. } => match panel_of(id) {
            Some(panel) => {
                let line = &lines[panel.line];
                let message = format!(
                    "panel {} ({} × {} mm) of module {} does not fit a {STOCK_SHEET_WIDTH} × \
                     {STOCK_SHEET_HEIGHT} mm stock sheet",
                    panel.name, panel.length, panel.width, line.module.name
                );
                let field = if line.field == "order_id" {
                    line.field.clone()
                } else {
                    format!("{}.module_id", line.field)
                };
                AppError::invalid_field(&field, message)
            }
            None => AppError::internal(anyhow::Error::new(error)),
        },
        NestingError::TooManyParts { .. } => {
            let field = if lines.iter().any(|line| line.field == "order_id") {
                "order_id"
            } else {
                "items"
            };
            AppError::invalid_field(field, error)
        }
        _ => AppError::internal(anyhow::Error::new(error)),
    }
}

/// A file name part made of the material's name: lowercase ASCII letters, digits and `-`.
fn slug(name: &str) -> String {
    let mut slug = String::new();
    for character in name.chars() {
        if character.is_ascii_alphanumeric() {
            slug.push(character.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(40).collect();
    if slug.is_empty() {
        "material".to_owned()
    } else {
        slug
    }
}

fn layout_area(layout: &NestLayout) -> f64 {
    layout
        .sheets
        .iter()
        .flat_map(|sheet| &sheet.placements)
        .map(|placement| placement.width * placement.height)
        .sum()
}

/// One rendered file of an export.
struct RenderedFile {
    kind: ArtifactKind,
    file: String,
    bytes: Vec<u8>,
    content_type: &'static str,
    material_id: Option<String>,
}

fn render_files(
    order_id: &str,
    groups: &[MaterialGroup],
    layouts: &[NestLayout],
    lines: &[ProductionLine],
) -> Vec<RenderedFile> {
    let rows: Vec<CutListRow> = groups
        .iter()
        .flat_map(|group| {
            group.panels.iter().map(move |panel| {
                let line = &lines[panel.line];
                CutListRow {
                    label: panel.label.clone(),
                    order_id: order_id.to_owned(),
                    line_item_id: line.line_item_id.clone(),
                    module_id: line.module.id.clone(),
                    module_name: line.module.name.clone(),
                    panel_name: panel.name.to_owned(),
                    material_name: group.material.name.clone(),
                    length_mm: panel.length.to_f64(),
                    width_mm: panel.width.to_f64(),
                    // 0 stands for "not known": the material has no thickness on record.
                    thickness_mm: group.thickness.map_or(0.0, Millimetres::to_f64),
                    grain: nest_grain(panel.grain),
                    edge_banding: edge_banding_text(panel.edge_banding).to_owned(),
                    quantity: panel.quantity,
                }
            })
        })
        .collect();
    let mut files = vec![RenderedFile {
        kind: ArtifactKind::CutListCsv,
        file: "cut-list.csv".to_owned(),
        bytes: cut_list_csv(&rows),
        content_type: artifacts::CSV_CONTENT_TYPE,
        material_id: None,
    }];
    for (index, (group, layout)) in groups.iter().zip(layouts).enumerate() {
        let stem = format!("nesting-{:02}-{}", index + 1, slug(&group.material.name));
        let thickness = group
            .thickness
            .map(|thickness| format!(", {thickness} mm"))
            .unwrap_or_default();
        let title = format!(
            "Order {order_id}: {}{thickness}, {} sheet(s) of {STOCK_SHEET_WIDTH} × {STOCK_SHEET_HEIGHT} mm",
            group.material.name,
            layout.sheets.len()
        );
        let svg = nesting_svg(layout, STOCK_SHEET_WIDTH, STOCK_SHEET_HEIGHT, &title);
        files.push(RenderedFile {
            kind: ArtifactKind::NestingSvg,
            file: format!("{stem}.svg"),
            bytes: svg.into_bytes(),
            content_type: artifacts::SVG_CONTENT_TYPE,
            material_id: Some(group.material.id.clone()),
        });
        files.push(RenderedFile {
            kind: ArtifactKind::NestingDxf,
            file: format!("{stem}.dxf"),
            bytes: nesting_dxf(layout, STOCK_SHEET_WIDTH, STOCK_SHEET_HEIGHT),
            content_type: artifacts::DXF_CONTENT_TYPE,
            material_id: Some(group.material.id.clone()),
        });
    }
    files
}

impl App {
    /// `nest` on a blocking thread.
    pub async fn nest(&self, request: NestRequest) -> Result<NestResult, AppError> {
        run_nesting(move || nest(&request)).await?
    }

    /// The panels of `request.items`, grouped by material.
    pub fn cnc_panels(&self, request: CncPanelsRequest) -> Result<CncPanelList, AppError> {
        let lines = self.lines_from_items(&request.items)?;
        let groups = material_groups(ADHOC_ORDER_ID, &lines)?;
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
        let (order_id, lines) = match (request.order_id, request.items) {
            (Some(order_id), None) => {
                let lines = self.lines_from_order(&order_id)?;
                (order_id, lines)
            }
            (None, Some(items)) => (ADHOC_ORDER_ID.to_owned(), self.lines_from_items(&items)?),
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
        let groups = material_groups(&order_id, &lines)?;
        let n_panels = groups
            .iter()
            .flat_map(|group| &group.panels)
            .fold(0_u32, |sum, panel| sum.saturating_add(panel.quantity));
        report(ExportProgress::Panelize {
            panels: n_panels,
            materials: groups.len() as u32,
        });

        let mut layouts = Vec::with_capacity(groups.len());
        for (index, group) in groups.iter().enumerate() {
            report(ExportProgress::Nest {
                material_id: group.material.id.clone(),
                material_name: group.material.name.clone(),
                index: index as u32 + 1,
                total: groups.len() as u32,
            });
            let nest_request = material_nest_request(group, &lines);
            let layout = run_nesting(move || nesting::nest(&nest_request))
                .await?
                .map_err(|error| export_nesting_problem(error, group, &lines))?;
            layouts.push(layout);
        }

        let files = render_files(&order_id, &groups, &layouts, &lines);
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
        let sheet_area = STOCK_SHEET_WIDTH * STOCK_SHEET_HEIGHT * n_sheets as f64;
        report(ExportProgress::Done {
            sheets: n_sheets as u32,
        });
        Ok(CncExport {
            export_id,
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
                let quantity = problems.check(&field("quantity"), Quantity::parse(item.quantity));
                let Some(module) = tx.get(&MODULES, &item.module_id)? else {
                    let message = format!("module {} does not exist", item.module_id);
                    problems.push(field("module_id"), message);
                    continue;
                };
                let material_id = item.material_id.as_deref().unwrap_or(&module.material_id);
                let Some(material) = tx.get(&MATERIALS, material_id)? else {
                    let message = format!("material {material_id} does not exist");
                    problems.push(field("material_id"), message);
                    continue;
                };
                let Some(quantity) = quantity else { continue };
                lines.push(ProductionLine {
                    field: format!("items[{index}]"),
                    line_item_id: format!("item-{}", index + 1),
                    module,
                    material,
                    quantity: quantity.get(),
                });
            }
            Ok::<_, AppError>(lines)
        })?;
        problems.finish()?;
        Ok(lines)
    }

    /// Resolves an order's frozen lines. Its module or material may have left the catalog
    /// since; production then cannot proceed from the catalog alone (409).
    fn lines_from_order(&self, order_id: &str) -> Result<Vec<ProductionLine>, AppError> {
        let items = self.order_production_items(order_id)?;
        self.store().read(|tx| {
            items
                .into_iter()
                .map(|item| {
                    let gone = |kind: &str, id: &str| {
                        AppError::Conflict(format!(
                            "line item {} uses {kind} {id}, which is no longer in the catalog",
                            item.line_item_id
                        ))
                    };
                    let module = tx
                        .get(&MODULES, &item.module_id)?
                        .ok_or_else(|| gone("module", &item.module_id))?;
                    let material = tx
                        .get(&MATERIALS, &item.material_id)?
                        .ok_or_else(|| gone("material", &item.material_id))?;
                    Ok(ProductionLine {
                        field: "order_id".to_owned(),
                        line_item_id: item.line_item_id,
                        module,
                        material,
                        quantity: item.quantity,
                    })
                })
                .collect::<Result<Vec<_>, AppError>>()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::{NestPart, NestSheet};

    fn request(parts: Vec<NestPart>) -> NestRequest {
        NestRequest {
            sheet: NestSheet {
                width: 2440.0,
                height: 1220.0,
            },
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
        bad.sheet.width = -1.0;
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
