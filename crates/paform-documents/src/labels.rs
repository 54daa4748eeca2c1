//! Labels (SPEC §12): one label per physical part, each with a QR code holding the part's
//! code (`PF-000042-03-B`), and one per offcut with its code (`OC-000001`), drawn as vector
//! squares so it stays sharp at any printer resolution. Two formats: A4 sheets of 3 × 8
//! labels, and a 62 mm roll with one label per page.

use krilla::Document;
use krilla::geom::{PathBuilder, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use qrcode::{Color, EcLevel, QrCode};

use crate::DocumentError;
use crate::canvas::{Canvas, Colour, INK, MUTED, RULE, Weight, fit};

const MM: f32 = 72.0 / 25.4;

/// One physical part.
#[derive(Debug, Clone)]
pub struct Label {
    pub order_number: String,
    /// `PF-000042-03-B`; the QR code holds exactly this.
    pub part_code: String,
    pub part_name: String,
    pub module_name: String,
    /// `L × W × T` in mm, as printed.
    pub size: String,
    pub material: String,
    pub edge_banding: String,
    /// The nesting sheet the part is cut from (1-based), when it was nested.
    pub sheet: Option<u32>,
}

/// One offcut on the rack.
#[derive(Debug, Clone)]
pub struct OffcutLabel {
    /// `OC-000001`; the QR code holds exactly this.
    pub code: String,
    /// `W × H × T` in mm, as printed.
    pub size: String,
    pub material: String,
    /// Where it came from, as printed (`from export 3f2a…`).
    pub origin: String,
    /// The day it was recorded, as printed.
    pub recorded: String,
}

/// One line of a label's text: the text, its size, weight and colour, and how far the next
/// line sits below it.
type Line = (String, f32, Weight, Colour, f32);

impl Label {
    fn lines(&self) -> Vec<Line> {
        let sheet = self
            .sheet
            .map_or_else(|| "not nested".to_owned(), |sheet| format!("sheet {sheet}"));
        vec![
            (self.part_code.clone(), 7.5, Weight::Bold, INK, 9.5),
            (self.part_name.clone(), 7.0, Weight::Bold, INK, 8.5),
            (self.module_name.clone(), 6.5, Weight::Regular, INK, 8.5),
            (format!("{} mm", self.size), 6.5, Weight::Regular, INK, 8.0),
            (self.material.clone(), 6.0, Weight::Regular, MUTED, 7.5),
            (
                format!("Edge: {}", self.edge_banding),
                6.0,
                Weight::Regular,
                MUTED,
                7.5,
            ),
            (
                format!("{} · {sheet}", self.order_number),
                6.0,
                Weight::Regular,
                MUTED,
                0.0,
            ),
        ]
    }
}

impl OffcutLabel {
    fn lines(&self) -> Vec<Line> {
        vec![
            (self.code.clone(), 7.5, Weight::Bold, INK, 9.5),
            ("Offcut".to_owned(), 7.0, Weight::Bold, INK, 8.5),
            (format!("{} mm", self.size), 6.5, Weight::Regular, INK, 8.5),
            (self.material.clone(), 6.0, Weight::Regular, MUTED, 7.5),
            (self.origin.clone(), 6.0, Weight::Regular, MUTED, 7.5),
            (self.recorded.clone(), 6.0, Weight::Regular, MUTED, 0.0),
        ]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelFormat {
    /// A4 sheets, 3 columns × 8 rows of 70 × 37 mm labels.
    A4ThreeByEight,
    /// A continuous 62 mm roll (label printers), one 62 × 40 mm label per page.
    Roll62mm,
}

impl LabelFormat {
    /// `a4_3x8` or `roll_62mm` (the settings' `label_format`).
    pub fn parse(text: &str) -> Option<LabelFormat> {
        match text {
            "a4_3x8" => Some(LabelFormat::A4ThreeByEight),
            "roll_62mm" => Some(LabelFormat::Roll62mm),
            _ => None,
        }
    }
}

/// Where each label sits: its page and its box in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelBox {
    pub page: usize,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

struct Geometry {
    page_width: f32,
    page_height: f32,
    columns: usize,
    rows: usize,
    label_width: f32,
    label_height: f32,
    left: f32,
    top: f32,
}

fn geometry(format: LabelFormat) -> Geometry {
    match format {
        LabelFormat::A4ThreeByEight => Geometry {
            page_width: 210.0 * MM,
            page_height: 297.0 * MM,
            columns: 3,
            rows: 8,
            label_width: 70.0 * MM,
            label_height: 37.125 * MM,
            left: 0.0,
            top: 0.0,
        },
        LabelFormat::Roll62mm => Geometry {
            page_width: 62.0 * MM,
            page_height: 40.0 * MM,
            columns: 1,
            rows: 1,
            label_width: 62.0 * MM,
            label_height: 40.0 * MM,
            left: 0.0,
            top: 0.0,
        },
    }
}

/// The box of the `index`-th label in `format`; tests use it to find each label on a page.
pub fn label_box(format: LabelFormat, index: usize) -> LabelBox {
    let geometry = geometry(format);
    let per_page = geometry.columns * geometry.rows;
    let slot = index % per_page;
    LabelBox {
        page: index / per_page,
        x: geometry.left + (slot % geometry.columns) as f32 * geometry.label_width,
        y: geometry.top + (slot / geometry.columns) as f32 * geometry.label_height,
        width: geometry.label_width,
        height: geometry.label_height,
    }
}

/// The page size of `format` in points (width, height).
pub fn page_size(format: LabelFormat) -> (f32, f32) {
    let geometry = geometry(format);
    (geometry.page_width, geometry.page_height)
}

/// Renders every label, in order, as PDF bytes (an empty list gives one empty page).
pub fn render(labels: &[Label], format: LabelFormat) -> Result<Vec<u8>, DocumentError> {
    let labels: Vec<(&str, Vec<Line>)> = labels
        .iter()
        .map(|label| (label.part_code.as_str(), label.lines()))
        .collect();
    render_labels(&labels, format, "Part labels")
}

/// The labels PDF of offcuts, in the given order.
pub fn render_offcuts(
    labels: &[OffcutLabel],
    format: LabelFormat,
) -> Result<Vec<u8>, DocumentError> {
    let labels: Vec<(&str, Vec<Line>)> = labels
        .iter()
        .map(|label| (label.code.as_str(), label.lines()))
        .collect();
    render_labels(&labels, format, "Offcut labels")
}

/// Labels of (QR code text, text lines), filled in reading order.
fn render_labels(
    labels: &[(&str, Vec<Line>)],
    format: LabelFormat,
    title: &str,
) -> Result<Vec<u8>, DocumentError> {
    let geometry = geometry(format);
    let per_page = geometry.columns * geometry.rows;
    let codes = labels
        .iter()
        .map(|(code, _)| {
            QrCode::with_error_correction_level(code.as_bytes(), EcLevel::M)
                .map_err(|_| DocumentError::QrCode((*code).to_owned()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut pdf = Document::new();
    pdf.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .creator("Paform".to_owned()),
    );
    let n_pages = labels.len().div_ceil(per_page).max(1);
    for page_index in 0..n_pages {
        let settings = PageSettings::from_wh(geometry.page_width, geometry.page_height)
            .expect("label pages have a size");
        let mut page = pdf.start_page_with(settings);
        let mut surface = page.surface();
        let mut canvas = Canvas::new(&mut surface);
        let first = page_index * per_page;
        let last = (first + per_page).min(labels.len());
        for index in first..last {
            let place = label_box(format, index);
            draw_label(&mut canvas, &labels[index].1, &codes[index], place, format);
        }
        surface.finish();
        page.finish();
    }
    pdf.finish()
        .map_err(|error| DocumentError::Pdf(format!("{error:?}")))
}

fn draw_label(
    canvas: &mut Canvas,
    lines: &[Line],
    code: &QrCode,
    place: LabelBox,
    format: LabelFormat,
) {
    let padding = 3.0 * MM;
    if format == LabelFormat::A4ThreeByEight {
        // Cut guides, light enough not to confuse a scanner.
        canvas.line(
            place.x,
            place.y + place.height,
            place.x + place.width,
            place.y + place.height,
            0.25,
            RULE,
        );
        canvas.line(
            place.x + place.width,
            place.y,
            place.x + place.width,
            place.y + place.height,
            0.25,
            RULE,
        );
    }
    // On the narrow roll the code gives the text room; 20 mm still scans from arm's length.
    let qr_size = (place.height - 2.0 * padding).min(place.width * 0.36);
    let qr_top = place.y + (place.height - qr_size) / 2.0;
    draw_qr(canvas, code, place.x + padding, qr_top, qr_size);
    let text_x = place.x + padding + qr_size + 2.5 * MM;
    let width = place.x + place.width - padding - text_x;
    let mut y = place.y + padding + 7.0;
    for (text, size, weight, colour, advance) in lines {
        canvas.text(
            text_x,
            y,
            *size,
            *weight,
            *colour,
            &fit(text, *weight, *size, width),
        );
        y += advance;
    }
}

/// The QR code as one path of black squares (runs of a row merged) in a `size` square at
/// (`x`, `y`); `size` includes the quiet zone of four modules the standard asks for.
fn draw_qr(canvas: &mut Canvas, code: &QrCode, x: f32, y: f32, size: f32) {
    let modules = code.width();
    let colors = code.to_colors();
    let module = size / (modules + 8) as f32;
    let origin_x = x + 4.0 * module;
    let origin_y = y + 4.0 * module;
    let mut builder = PathBuilder::new();
    for row in 0..modules {
        let mut column = 0;
        while column < modules {
            if colors[row * modules + column] == Color::Dark {
                let start = column;
                while column < modules && colors[row * modules + column] == Color::Dark {
                    column += 1;
                }
                if let Some(rect) = Rect::from_xywh(
                    origin_x + start as f32 * module,
                    origin_y + row as f32 * module,
                    (column - start) as f32 * module,
                    module,
                ) {
                    builder.push_rect(rect);
                }
            } else {
                column += 1;
            }
        }
    }
    if let Some(path) = builder.finish() {
        let surface = canvas.surface();
        surface.set_stroke(None);
        surface.set_fill(Some(Fill::default()));
        surface.draw_path(&path);
    }
}
