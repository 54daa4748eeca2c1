//! The quote and the order document: a business letterhead, the customer, the reference and
//! its dates, every line with its dimensions and material, adjustments and totals, and the
//! design's picture when there is one. Lines that overflow a page continue on the next, under
//! a repeated table header; every page carries "page N of M".

use krilla::Document;
use krilla::geom::Size;
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;

use crate::DocumentError;
use crate::canvas::{
    ACCENT, BAND, Canvas, INK, MUTED, RULE, WHITE, Weight, fit, group_digits, wrap,
};

const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 48.0;
const RIGHT: f32 = PAGE_WIDTH - MARGIN;
const ROW: f32 = 18.0;
const DISCOUNT_ROW: f32 = 12.0;
const FOOTER_TOP: f32 = PAGE_HEIGHT - 40.0;
const TOTALS_ROW: f32 = 16.0;
const PICTURE_MAX_HEIGHT: f32 = 190.0;

// Columns of the lines table: left edges of text columns, right edges of number columns.
const COL_ITEM: f32 = MARGIN + 6.0;
const COL_DIMENSIONS: f32 = 215.0;
const COL_MATERIAL: f32 = 302.0;
const COL_QUANTITY_RIGHT: f32 = 418.0;
const COL_UNIT_RIGHT: f32 = 474.0;
const COL_TOTAL_RIGHT: f32 = RIGHT - 6.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Quote,
    Order,
}

/// The business issuing the document (settings); empty fields are left out.
#[derive(Debug, Clone, Default)]
pub struct Business {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
}

/// The customer or buyer the document is addressed to.
#[derive(Debug, Clone, Default)]
pub struct Party {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DocumentLine {
    pub name: String,
    /// `600 × 720 × 560` (mm), or empty when unknown.
    pub dimensions: String,
    pub material: String,
    pub quantity: u32,
    pub unit_price: String,
    /// A line discount: its description and the amount it takes off (a decimal string).
    pub discount: Option<(String, String)>,
    pub line_total: String,
}

#[derive(Debug, Clone)]
pub struct CommercialDocument {
    pub kind: DocumentKind,
    /// The order number, or the quote number (the id of a quote made before quote numbers).
    pub reference: String,
    pub business: Business,
    pub customer: Option<Party>,
    /// Label and value pairs under the reference: dates, validity, status.
    pub facts: Vec<(String, String)>,
    pub currency: String,
    pub lines: Vec<DocumentLine>,
    pub subtotal: String,
    /// Order-level adjustments between subtotal and tax: discount, shipping (label, amount).
    pub adjustments: Vec<(String, String)>,
    /// `Tax (13 %)`.
    pub tax_label: String,
    pub tax: String,
    pub total: String,
    /// After the total: paid so far, balance due (orders).
    pub settlement: Vec<(String, String)>,
    /// PNG bytes of the design's picture.
    pub picture: Option<Vec<u8>>,
    /// What the boards of a quote are (SPEC §17): one summary per material.
    pub boards: Vec<BoardSummary>,
    /// Closing remarks (validity terms, a thank-you).
    pub notes: Vec<String>,
}

/// One material's boards: a heading (`White oak: 3 boards, yield 78 %`) and its rows (what
/// is charged and its amount, or a fact with an empty amount).
#[derive(Debug, Clone)]
pub struct BoardSummary {
    pub heading: String,
    pub rows: Vec<(String, String)>,
}

const BOARD_HEADING_ROW: f32 = 15.0;
const BOARD_ROW: f32 = 12.0;

fn boards_height(boards: &[BoardSummary]) -> f32 {
    if boards.is_empty() {
        return 0.0;
    }
    24.0 + boards
        .iter()
        .map(|board| BOARD_HEADING_ROW + board.rows.len() as f32 * BOARD_ROW + 4.0)
        .sum::<f32>()
}

impl DocumentKind {
    fn title(self) -> &'static str {
        match self {
            DocumentKind::Quote => "Quote",
            DocumentKind::Order => "Order confirmation",
        }
    }

    fn reference_label(self) -> &'static str {
        match self {
            DocumentKind::Quote => "Quote no.",
            DocumentKind::Order => "Order no.",
        }
    }
}

fn line_height(line: &DocumentLine) -> f32 {
    ROW + if line.discount.is_some() {
        DISCOUNT_ROW
    } else {
        0.0
    }
}

/// Splits the lines into pages: the first page's table starts at `first_top`, later ones at
/// `other_top`; the last page must also hold the totals (else they get a page of their own).
fn paginate(
    lines: &[DocumentLine],
    first_top: f32,
    other_top: f32,
    totals_height: f32,
) -> Vec<std::ops::Range<usize>> {
    let bottom = FOOTER_TOP - 12.0;
    let mut pages = Vec::new();
    let mut start = 0;
    let mut y = first_top + ROW;
    for (index, line) in lines.iter().enumerate() {
        let height = line_height(line);
        if y + height > bottom && index > start {
            pages.push(start..index);
            start = index;
            y = other_top + ROW;
        }
        y += height;
    }
    pages.push(start..lines.len());
    if y + totals_height > bottom {
        pages.push(lines.len()..lines.len());
    }
    pages
}

/// Renders the document as PDF bytes.
pub fn render(document: &CommercialDocument) -> Result<Vec<u8>, DocumentError> {
    let picture = document
        .picture
        .as_ref()
        .map(|png| Image::from_png(png.clone().into(), true).map_err(DocumentError::Picture))
        .transpose()?;
    let picture_size = picture.as_ref().map(|image| {
        let (width, height) = image.size();
        let scale = (PICTURE_MAX_HEIGHT / height as f32).min((RIGHT - MARGIN) / width as f32);
        (width as f32 * scale, height as f32 * scale)
    });

    let header_bottom = header_height(document);
    let first_top = header_bottom + picture_size.map_or(0.0, |(_, height)| height + 18.0);
    let other_top = MARGIN + 40.0;
    let totals_height = TOTALS_ROW
        * (3 + document.adjustments.len() + document.settlement.len()) as f32
        + 24.0
        + document.notes.len() as f32 * 13.0
        + boards_height(&document.boards)
        + 20.0;
    let pages = paginate(&document.lines, first_top, other_top, totals_height);
    let n_pages = pages.len();

    let mut pdf = Document::new();
    pdf.set_metadata(
        Metadata::new()
            .title(format!("{} {}", document.kind.title(), document.reference))
            .creator("Paform".to_owned()),
    );
    for (page_index, rows) in pages.iter().enumerate() {
        let settings =
            PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).expect("A4 is a valid page size");
        let mut page = pdf.start_page_with(settings);
        let mut surface = page.surface();
        let mut canvas = Canvas::new(&mut surface);
        let mut y = if page_index == 0 {
            draw_header(&mut canvas, document);
            if let (Some(image), Some((width, height))) = (picture.clone(), picture_size) {
                let top = header_bottom;
                canvas.rect(MARGIN, top, RIGHT - MARGIN, height + 8.0, BAND);
                let x = MARGIN + (RIGHT - MARGIN - width) / 2.0;
                let surface = canvas.surface();
                surface.push_transform(&krilla::geom::Transform::from_translate(x, top + 4.0));
                surface.draw_image(
                    image,
                    Size::from_wh(width, height).expect("a picture has a size"),
                );
                surface.pop();
            }
            first_top
        } else {
            draw_running_header(&mut canvas, document);
            other_top
        };
        if !rows.is_empty() || page_index + 1 < n_pages {
            y = draw_table_header(&mut canvas, y, &document.currency);
            for line in &document.lines[rows.clone()] {
                y = draw_line(&mut canvas, y, line);
            }
        }
        if page_index + 1 == n_pages {
            draw_totals(&mut canvas, y + 8.0, document);
        }
        draw_footer(&mut canvas, document, page_index + 1, n_pages);
        surface.finish();
        page.finish();
    }
    pdf.finish()
        .map_err(|error| DocumentError::Pdf(format!("{error:?}")))
}

fn business_lines(business: &Business) -> Vec<String> {
    let mut lines: Vec<String> = business
        .address
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    let contact: Vec<&str> = [business.phone.as_str(), business.email.as_str()]
        .into_iter()
        .filter(|text| !text.is_empty())
        .collect();
    if !contact.is_empty() {
        lines.push(contact.join("  ·  "));
    }
    lines
}

fn party_lines(party: &Party) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(address) = &party.address {
        lines.extend(
            address
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned),
        );
    }
    lines.extend(party.email.clone());
    lines.extend(party.phone.clone());
    lines
}

fn header_height(document: &CommercialDocument) -> f32 {
    let left = 30.0 + 12.0 * business_lines(&document.business).len() as f32;
    let right = 40.0 + 13.0 * (1 + document.facts.len()) as f32;
    let customer = document
        .customer
        .as_ref()
        .map_or(0.0, |party| 34.0 + 12.0 * party_lines(party).len() as f32);
    MARGIN + left.max(right) + 16.0 + customer + 10.0
}

fn draw_header(canvas: &mut Canvas, document: &CommercialDocument) {
    let business = &document.business;
    let name = if business.name.is_empty() {
        "Paform"
    } else {
        &business.name
    };
    canvas.rect(0.0, 0.0, PAGE_WIDTH, 6.0, ACCENT);
    canvas.text(
        MARGIN,
        MARGIN + 12.0,
        17.0,
        Weight::Bold,
        ACCENT,
        &fit(name, Weight::Bold, 17.0, 280.0),
    );
    let mut y = MARGIN + 30.0;
    for line in business_lines(business) {
        canvas.text(
            MARGIN,
            y,
            8.5,
            Weight::Regular,
            MUTED,
            &fit(&line, Weight::Regular, 8.5, 280.0),
        );
        y += 12.0;
    }
    let title = document.kind.title().to_uppercase();
    canvas.text_right(RIGHT, MARGIN + 12.0, 17.0, Weight::Bold, INK, &title);
    let mut facts = vec![(
        document.kind.reference_label().to_owned(),
        document.reference.clone(),
    )];
    facts.extend(document.facts.iter().cloned());
    let mut fact_y = MARGIN + 34.0;
    for (label, value) in &facts {
        canvas.text_right(RIGHT - 214.0, fact_y, 8.5, Weight::Regular, MUTED, label);
        canvas.text(
            RIGHT - 206.0,
            fact_y,
            8.5,
            Weight::Bold,
            INK,
            &fit(value, Weight::Bold, 8.5, 206.0),
        );
        fact_y += 13.0;
    }
    let mut y = y.max(fact_y) + 14.0;
    canvas.line(MARGIN, y - 8.0, RIGHT, y - 8.0, 0.5, RULE);
    if let Some(party) = &document.customer {
        let label = match document.kind {
            DocumentKind::Quote => "PREPARED FOR",
            DocumentKind::Order => "BUYER",
        };
        canvas.text(MARGIN, y + 6.0, 7.5, Weight::Bold, MUTED, label);
        canvas.text(
            MARGIN,
            y + 20.0,
            10.5,
            Weight::Bold,
            INK,
            &fit(&party.name, Weight::Bold, 10.5, 300.0),
        );
        y += 34.0;
        for line in party_lines(party) {
            canvas.text(
                MARGIN,
                y,
                8.5,
                Weight::Regular,
                INK,
                &fit(&line, Weight::Regular, 8.5, 300.0),
            );
            y += 12.0;
        }
    }
}

fn draw_running_header(canvas: &mut Canvas, document: &CommercialDocument) {
    canvas.rect(0.0, 0.0, PAGE_WIDTH, 6.0, ACCENT);
    let name = if document.business.name.is_empty() {
        "Paform"
    } else {
        &document.business.name
    };
    canvas.text(MARGIN, MARGIN + 8.0, 10.0, Weight::Bold, ACCENT, name);
    let title = format!(
        "{} {} (continued)",
        document.kind.title(),
        document.reference
    );
    canvas.text_right(RIGHT, MARGIN + 8.0, 9.0, Weight::Regular, MUTED, &title);
}

fn draw_table_header(canvas: &mut Canvas, y: f32, currency: &str) -> f32 {
    canvas.rect(MARGIN, y, RIGHT - MARGIN, ROW, BAND);
    let baseline = y + 12.0;
    canvas.text(COL_ITEM, baseline, 7.5, Weight::Bold, MUTED, "ITEM");
    canvas.text(
        COL_DIMENSIONS,
        baseline,
        7.5,
        Weight::Bold,
        MUTED,
        "W × H × D (mm)",
    );
    canvas.text(COL_MATERIAL, baseline, 7.5, Weight::Bold, MUTED, "MATERIAL");
    canvas.text_right(
        COL_QUANTITY_RIGHT,
        baseline,
        7.5,
        Weight::Bold,
        MUTED,
        "QTY",
    );
    canvas.text_right(
        COL_UNIT_RIGHT,
        baseline,
        7.5,
        Weight::Bold,
        MUTED,
        "UNIT PRICE",
    );
    canvas.text_right(
        COL_TOTAL_RIGHT,
        baseline,
        7.5,
        Weight::Bold,
        MUTED,
        &format!("AMOUNT ({currency})"),
    );
    y + ROW
}

fn draw_line(canvas: &mut Canvas, y: f32, line: &DocumentLine) -> f32 {
    let baseline = y + 12.5;
    let size = 8.5;
    canvas.text(
        COL_ITEM,
        baseline,
        size,
        Weight::Bold,
        INK,
        &fit(
            &line.name,
            Weight::Bold,
            size,
            COL_DIMENSIONS - COL_ITEM - 8.0,
        ),
    );
    canvas.text(
        COL_DIMENSIONS,
        baseline,
        size,
        Weight::Regular,
        INK,
        &line.dimensions,
    );
    canvas.text(
        COL_MATERIAL,
        baseline,
        size,
        Weight::Regular,
        INK,
        &fit(
            &line.material,
            Weight::Regular,
            size,
            COL_QUANTITY_RIGHT - COL_MATERIAL - 22.0,
        ),
    );
    canvas.text_right(
        COL_QUANTITY_RIGHT,
        baseline,
        size,
        Weight::Regular,
        INK,
        &line.quantity.to_string(),
    );
    canvas.text_right(
        COL_UNIT_RIGHT,
        baseline,
        size,
        Weight::Regular,
        INK,
        &group_digits(&line.unit_price),
    );
    canvas.text_right(
        COL_TOTAL_RIGHT,
        baseline,
        size,
        Weight::Bold,
        INK,
        &group_digits(&line.line_total),
    );
    let mut bottom = y + ROW;
    if let Some((reason, amount)) = &line.discount {
        let text = format!("Discount: {reason}");
        canvas.text(
            COL_ITEM + 8.0,
            bottom + 7.0,
            7.5,
            Weight::Regular,
            MUTED,
            &fit(&text, Weight::Regular, 7.5, 300.0),
        );
        canvas.text_right(
            COL_UNIT_RIGHT,
            bottom + 7.0,
            7.5,
            Weight::Regular,
            MUTED,
            &format!("−{}", group_digits(amount)),
        );
        bottom += DISCOUNT_ROW;
    }
    canvas.line(MARGIN, bottom, RIGHT, bottom, 0.4, RULE);
    bottom
}

fn draw_totals(canvas: &mut Canvas, y: f32, document: &CommercialDocument) {
    let label_right = RIGHT - 110.0;
    let mut y = y + 6.0;
    let row = |canvas: &mut Canvas, y: &mut f32, label: &str, amount: &str, weight: Weight| {
        *y += TOTALS_ROW;
        canvas.text_right(
            label_right,
            *y,
            9.0,
            weight,
            if weight == Weight::Bold { INK } else { MUTED },
            label,
        );
        canvas.text_right(COL_TOTAL_RIGHT, *y, 9.0, weight, INK, &group_digits(amount));
    };
    row(
        canvas,
        &mut y,
        "Subtotal",
        &document.subtotal,
        Weight::Regular,
    );
    for (label, amount) in &document.adjustments {
        row(canvas, &mut y, label, amount, Weight::Regular);
    }
    row(
        canvas,
        &mut y,
        &document.tax_label,
        &document.tax,
        Weight::Regular,
    );
    y += 7.0;
    canvas.rect(
        label_right - 90.0,
        y,
        RIGHT - label_right + 90.0,
        22.0,
        ACCENT,
    );
    canvas.text_right(
        label_right,
        y + 15.0,
        11.0,
        Weight::Bold,
        WHITE,
        &format!("Total ({})", document.currency),
    );
    canvas.text_right(
        COL_TOTAL_RIGHT,
        y + 15.0,
        11.0,
        Weight::Bold,
        WHITE,
        &group_digits(&document.total),
    );
    y += 22.0;
    for (label, amount) in &document.settlement {
        row(canvas, &mut y, label, amount, Weight::Regular);
    }
    let mut y = y + 24.0;
    if !document.boards.is_empty() {
        canvas.text(MARGIN, y, 10.0, Weight::Bold, INK, "Boards");
        y += 6.0;
        for board in &document.boards {
            y += BOARD_HEADING_ROW;
            canvas.text(MARGIN, y, 9.0, Weight::Bold, INK, &board.heading);
            for (label, amount) in &board.rows {
                y += BOARD_ROW;
                canvas.text(MARGIN + 10.0, y, 8.5, Weight::Regular, MUTED, label);
                if !amount.is_empty() {
                    canvas.text_right(
                        COL_TOTAL_RIGHT,
                        y,
                        8.5,
                        Weight::Regular,
                        INK,
                        &group_digits(amount),
                    );
                }
            }
            y += 4.0;
        }
        y += 18.0;
    }
    for note in &document.notes {
        for line in wrap(note, Weight::Regular, 8.0, RIGHT - MARGIN) {
            canvas.text(MARGIN, y, 8.0, Weight::Regular, MUTED, &line);
            y += 11.0;
        }
        y += 2.0;
    }
}

fn draw_footer(canvas: &mut Canvas, document: &CommercialDocument, page: usize, n_pages: usize) {
    canvas.line(MARGIN, FOOTER_TOP, RIGHT, FOOTER_TOP, 0.5, RULE);
    let left = format!(
        "{} · {} {}",
        document.business.name,
        document.kind.title(),
        document.reference
    );
    let left = left.trim_start_matches(" · ").to_owned();
    canvas.text(
        MARGIN,
        FOOTER_TOP + 14.0,
        7.5,
        Weight::Regular,
        MUTED,
        &fit(&left, Weight::Regular, 7.5, 400.0),
    );
    let pages = format!("Page {page} of {n_pages}");
    canvas.text_right(
        RIGHT,
        FOOTER_TOP + 14.0,
        7.5,
        Weight::Regular,
        MUTED,
        &pages,
    );
}
