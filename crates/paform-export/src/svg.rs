//! The nesting drawing as SVG: every sheet to scale, stacked top to bottom under a caption
//! ("Sheet 2 of 5 — 2440 × 1220 mm — 87.1 % used — 7 cuts, 9.8 m"), waste hatched behind
//! white parts labelled with id and size ("p1 500×300"), and the saw cuts of guillotine
//! sheets as red lines numbered in saw order.
//!
//! Invariants: the viewBox is in millimetres (one user unit per mm) and the physical size
//! is given in mm, so the file prints to scale; the title and the captions are sized to fit
//! the drawing's width, so no line runs past its right edge; sheet coordinates have their origin at the
//! lower-left corner like the layout, flipped here into SVG's top-down axis; all text is
//! XML-escaped; output depends only on the arguments.

use std::fmt::Write;

use paform_core::cnc::nesting::{Cut, CutDirection, NestLayout, Placement};

use crate::number::mm;

/// Space around and between sheets, in mm.
const MARGIN: f64 = 40.0;
/// Height of the band above each sheet holding its caption, in mm.
const CAPTION_BAND: f64 = 90.0;
const CAPTION_SIZE: f64 = 50.0;
const TITLE_BAND: f64 = 110.0;
const TITLE_SIZE: f64 = 64.0;
/// The largest and smallest label font size for parts, in mm.
const LABEL_MAX: f64 = 40.0;
const LABEL_MIN: f64 = 6.0;
/// Font size of the cut numbers, in mm.
const CUT_NUMBER_SIZE: f64 = 24.0;
/// A generous advance per character, in em, for regular and bold sans-serif text (DejaVu
/// Sans, the widest common sans, averages about 0.6 em over digits, letters and dashes), so
/// a line sized by it stays inside the width it was given in any viewer's font.
const EM_PER_CHAR: f64 = 0.64;
const EM_PER_CHAR_BOLD: f64 = 0.7;

/// The font size at most `largest` at which `text` fits in `available` mm.
fn fitted_size(text: &str, largest: f64, available: f64, em_per_char: f64) -> f64 {
    let n_chars = text.chars().count().max(1) as f64;
    largest.min(available / (em_per_char * n_chars))
}

/// Renders `layout`, each sheet at its own stock size, as a standalone SVG.
pub fn nesting_svg(layout: &NestLayout, title: &str) -> String {
    let n_sheets = layout.sheets.len();
    let widest = layout
        .sheets
        .iter()
        .map(|sheet| sheet.stock.width)
        .fold(0.0, f64::max);
    let total_width = widest + 2.0 * MARGIN;
    let total_height = MARGIN
        + TITLE_BAND
        + layout
            .sheets
            .iter()
            .map(|sheet| CAPTION_BAND + sheet.stock.height + MARGIN)
            .sum::<f64>();
    let mut out = String::new();
    // Writing to a String cannot fail, so the fmt::Result values below carry no information.
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}mm\" height=\"{h}mm\" \
         viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\">",
        w = mm(total_width),
        h = mm(total_height),
    );
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    out.push_str(
        "<defs><pattern id=\"waste\" width=\"20\" height=\"20\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><rect width=\"20\" height=\"20\" fill=\"#d9d9d9\"/>\
         <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"20\" stroke=\"#a6a6a6\" stroke-width=\"4\"/>\
         </pattern></defs>\n",
    );
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\" font-weight=\"bold\">{}</text>",
        mm(MARGIN),
        mm(MARGIN + TITLE_SIZE),
        mm(fitted_size(title, TITLE_SIZE, widest, EM_PER_CHAR_BOLD)),
        escape(title),
    );
    let mut top = MARGIN + TITLE_BAND;
    for (sheet_index, sheet) in layout.sheets.iter().enumerate() {
        let (sheet_width, sheet_height) = (sheet.stock.width, sheet.stock.height);
        let sheet_top = top + CAPTION_BAND;
        top = sheet_top + sheet_height + MARGIN;
        let offcut = sheet
            .offcut
            .as_ref()
            .map(|offcut| format!(" — offcut {}", offcut.code))
            .unwrap_or_default();
        let cuts = if sheet.cuts.is_empty() {
            String::new()
        } else {
            format!(
                " — {} cuts, {:.1} m",
                sheet.cuts.len(),
                sheet.cut_length / 1000.0
            )
        };
        let _ = writeln!(out, "<g id=\"sheet-{}\">", sheet_index + 1);
        let caption = format!(
            "Sheet {} of {} — {} × {} mm{offcut} — {:.1} % used{cuts}",
            sheet_index + 1,
            n_sheets,
            mm(sheet_width),
            mm(sheet_height),
            sheet.utilization * 100.0,
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\">{}</text>",
            mm(MARGIN),
            mm(sheet_top - (CAPTION_BAND - CAPTION_SIZE) / 2.0),
            mm(fitted_size(&caption, CAPTION_SIZE, widest, EM_PER_CHAR)),
            escape(&caption),
        );
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"url(#waste)\" \
             stroke=\"#000\" stroke-width=\"3\"/>",
            mm(MARGIN),
            mm(sheet_top),
            mm(sheet_width),
            mm(sheet_height),
        );
        for placement in &sheet.placements {
            push_part(&mut out, placement, MARGIN, sheet_top + sheet_height);
        }
        for (number, cut) in sheet.cuts.iter().enumerate() {
            push_cut(&mut out, cut, number + 1, MARGIN, sheet_top + sheet_height);
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

/// Draws one part; `left` and `bottom` are the SVG coordinates of the sheet's lower-left
/// corner.
fn push_part(out: &mut String, placement: &Placement, left: f64, bottom: f64) {
    let x = left + placement.x;
    let y = bottom - placement.y - placement.height;
    let label = format!(
        "{} {}×{}",
        placement.id,
        mm(placement.width),
        mm(placement.height)
    );
    // Fit the label inside the part: about 0.6 em per character across, 1.5 em tall.
    let by_width = placement.width * 0.9 / (0.6 * label.chars().count().max(1) as f64);
    let by_height = placement.height / 1.5;
    let size = by_width.min(by_height).min(LABEL_MAX);
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fff\" stroke=\"#1f4e79\" \
         stroke-width=\"2\"/>",
        mm(x),
        mm(y),
        mm(placement.width),
        mm(placement.height),
    );
    if size >= LABEL_MIN {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"middle\" \
             dominant-baseline=\"central\">{}</text>",
            mm(x + placement.width / 2.0),
            mm(y + placement.height / 2.0),
            mm(size),
            escape(&label),
        );
    } else {
        // Too small to read on paper; keep the label as a tooltip.
        let _ = writeln!(out, "<title>{}</title>", escape(&label));
    }
}

/// Draws one saw cut as a red line with its number at the start; `left` and `bottom` are
/// the SVG coordinates of the sheet's lower-left corner.
fn push_cut(out: &mut String, cut: &Cut, number: usize, left: f64, bottom: f64) {
    let ((x1, y1), (x2, y2)) = match cut.direction {
        CutDirection::Horizontal => ((cut.from, cut.position), (cut.to, cut.position)),
        CutDirection::Vertical => ((cut.position, cut.from), (cut.position, cut.to)),
    };
    let _ = writeln!(
        out,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#c00000\" \
         stroke-width=\"2\" stroke-dasharray=\"12 6\"/>",
        mm(left + x1),
        mm(bottom - y1),
        mm(left + x2),
        mm(bottom - y2),
    );
    // The number sits just inside the cut's start, beside the line.
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"#c00000\">{number}</text>",
        mm(left + x1 + 4.0),
        mm(bottom - y1 - 4.0),
        mm(CUT_NUMBER_SIZE),
    );
}

fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            // XML 1.0 forbids most control characters even as references.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => escaped.push(' '),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use expect_test::expect;
    use paform_core::cnc::nesting::{OffcutRef, SheetLayout, StockSize};

    use super::*;

    fn fixture() -> NestLayout {
        let placement = |id: &str, x: f64, y: f64, width: f64, height: f64| Placement {
            id: id.to_owned(),
            x,
            y,
            width,
            height,
            rotated: false,
        };
        let cut = |direction, position, from, to| Cut {
            direction,
            position,
            from,
            to,
        };
        NestLayout {
            sheets: vec![
                SheetLayout {
                    stock: StockSize {
                        width: 1000.0,
                        height: 600.0,
                    },
                    stock_index: 0,
                    offcut: None,
                    placements: vec![
                        placement("p1", 0.0, 0.0, 500.0, 300.0),
                        placement("a<b>&\"c\"", 504.0, 0.0, 300.0, 500.0),
                        placement("tiny", 0.0, 304.0, 10.0, 10.0),
                    ],
                    utilization: 0.103_5,
                    cuts: vec![
                        cut(CutDirection::Vertical, 804.0, 0.0, 600.0),
                        cut(CutDirection::Vertical, 500.0, 0.0, 600.0),
                    ],
                    cut_length: 1200.0,
                },
                SheetLayout {
                    stock: StockSize {
                        width: 800.0,
                        height: 400.0,
                    },
                    stock_index: 1,
                    offcut: Some(OffcutRef {
                        id: "o1".to_owned(),
                        code: "OC-1".to_owned(),
                    }),
                    placements: vec![placement("p1", 0.0, 0.0, 500.0, 300.0)],
                    utilization: 0.050_4,
                    cuts: Vec::new(),
                    cut_length: 0.0,
                },
            ],
            utilization: 0.077,
            cut_length: 1200.0,
        }
    }

    #[test]
    fn the_svg_matches_its_snapshot() {
        let svg = nesting_svg(&fixture(), "Order <ORD-1> & co");
        expect![[r##"
            <svg xmlns="http://www.w3.org/2000/svg" width="1080mm" height="1410mm" viewBox="0 0 1080 1410" font-family="sans-serif">
            <title>Order &lt;ORD-1&gt; &amp; co</title>
            <defs><pattern id="waste" width="20" height="20" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="20" height="20" fill="#d9d9d9"/><line x1="0" y1="0" x2="0" y2="20" stroke="#a6a6a6" stroke-width="4"/></pattern></defs>
            <text x="40" y="104" font-size="64" font-weight="bold">Order &lt;ORD-1&gt; &amp; co</text>
            <g id="sheet-1">
            <text x="40" y="220" font-size="26.94">Sheet 1 of 2 — 1000 × 600 mm — 10.3 % used — 2 cuts, 1.2 m</text>
            <rect x="40" y="240" width="1000" height="600" fill="url(#waste)" stroke="#000" stroke-width="3"/>
            <rect x="40" y="540" width="500" height="300" fill="#fff" stroke="#1f4e79" stroke-width="2"/>
            <text x="290" y="690" font-size="40" text-anchor="middle" dominant-baseline="central">p1 500×300</text>
            <rect x="544" y="340" width="300" height="500" fill="#fff" stroke="#1f4e79" stroke-width="2"/>
            <text x="694" y="590" font-size="28.125" text-anchor="middle" dominant-baseline="central">a&lt;b&gt;&amp;&quot;c&quot; 300×500</text>
            <rect x="40" y="526" width="10" height="10" fill="#fff" stroke="#1f4e79" stroke-width="2"/>
            <title>tiny 10×10</title>
            <line x1="844" y1="840" x2="844" y2="240" stroke="#c00000" stroke-width="2" stroke-dasharray="12 6"/>
            <text x="848" y="836" font-size="24" fill="#c00000">1</text>
            <line x1="540" y1="840" x2="540" y2="240" stroke="#c00000" stroke-width="2" stroke-dasharray="12 6"/>
            <text x="544" y="836" font-size="24" fill="#c00000">2</text>
            </g>
            <g id="sheet-2">
            <text x="40" y="950" font-size="28.935">Sheet 2 of 2 — 800 × 400 mm — offcut OC-1 — 5.0 % used</text>
            <rect x="40" y="970" width="800" height="400" fill="url(#waste)" stroke="#000" stroke-width="3"/>
            <rect x="40" y="1070" width="500" height="300" fill="#fff" stroke="#1f4e79" stroke-width="2"/>
            <text x="290" y="1220" font-size="40" text-anchor="middle" dominant-baseline="central">p1 500×300</text>
            </g>
            </svg>
        "##]].assert_eq(&svg);
    }

    #[test]
    fn a_long_title_shrinks_to_stay_inside_the_drawing() {
        let title = "Nesting — PF-000123 — Kitchen for Alexandra Montgomery-Fitzgerald — \
                     White melamine 18 mm — 2 sheets";
        let svg = nesting_svg(&fixture(), title);
        let drawing_width = 1080.0;
        for line in svg
            .lines()
            .filter(|line| line.starts_with("<text x=\"40\""))
        {
            let size: f64 = attribute(line, "font-size")
                .parse()
                .expect("a numeric size");
            let text = &line[line.find('>').expect("a text element") + 1..line.len() - 7];
            let n_chars = text.chars().count() as f64;
            // At DejaVu Sans's generous average advance (0.64 em, bold 0.7 em) the line
            // still ends inside the drawing.
            let em_per_char = if line.contains("bold") { 0.7 } else { 0.64 };
            assert!(
                40.0 + em_per_char * size * n_chars <= drawing_width,
                "{line} runs past {drawing_width} mm"
            );
        }
    }

    fn attribute<'a>(line: &'a str, name: &str) -> &'a str {
        let start = line.find(&format!("{name}=\"")).expect("the attribute") + name.len() + 2;
        let length = line[start..].find('"').expect("a closing quote");
        &line[start..start + length]
    }

    #[test]
    fn identical_input_gives_identical_svg() {
        let first = nesting_svg(&fixture(), "t");
        assert_eq!(first, nesting_svg(&fixture(), "t"));
    }

    #[test]
    fn labels_are_xml_escaped() {
        assert_eq!(
            escape("a<b>&\"c\"'\u{1}"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos; "
        );
    }
}
