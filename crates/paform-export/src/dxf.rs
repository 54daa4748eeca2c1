//! The nesting drawing as DXF for CAM software: one AutoCAD R12 (AC1009) ASCII file with
//! each sheet's outline on layer `SHEET`, each part as a closed polyline on layer `PARTS`
//! with its id as TEXT, and the sheets side by side along X.
//!
//! Why by hand: R12 is the DXF every CAM package reads, and writing it directly keeps the
//! output byte-stable (no creation timestamps or handles) and infallible. Invariants: units
//! are millimetres with the origin at the first sheet's lower-left corner, entities are
//! written in layout order, text is plain ASCII (other characters become `\U+XXXX`, the
//! escape AutoCAD understands, and control characters become spaces), and lines end in CRLF.

use paform_core::cnc::nesting::NestLayout;

use crate::number::mm;

/// Gap between neighbouring sheets along X, in mm.
const SHEET_GAP: f64 = 100.0;
const CAPTION_HEIGHT: f64 = 40.0;
const MAX_TEXT_HEIGHT: f64 = 30.0;

/// Renders `layout`, each sheet at its own stock size, as R12 DXF bytes.
pub fn nesting_dxf(layout: &NestLayout) -> Vec<u8> {
    let mut dxf = Dxf(String::new());
    dxf.header();
    dxf.pair(0, "SECTION");
    dxf.pair(2, "ENTITIES");
    let n_sheets = layout.sheets.len();
    let mut next_offset = 0.0;
    for (sheet_index, sheet) in layout.sheets.iter().enumerate() {
        let (sheet_width, sheet_height) = (sheet.stock.width, sheet.stock.height);
        let offset = next_offset;
        next_offset += sheet_width + SHEET_GAP;
        dxf.rectangle("SHEET", offset, 0.0, sheet_width, sheet_height);
        let caption = format!(
            "Sheet {} of {} - {:.1} % used",
            sheet_index + 1,
            n_sheets,
            sheet.utilization * 100.0
        );
        dxf.text(
            "SHEET",
            offset,
            sheet_height + CAPTION_HEIGHT / 2.0,
            CAPTION_HEIGHT,
            &caption,
        );
        for placement in &sheet.placements {
            let x = offset + placement.x;
            dxf.rectangle("PARTS", x, placement.y, placement.width, placement.height);
            let height = (placement.height / 3.0).min(MAX_TEXT_HEIGHT);
            let inset = (placement.width.min(placement.height) * 0.1).min(10.0);
            dxf.text(
                "PARTS",
                x + inset,
                placement.y + inset,
                height,
                &placement.id,
            );
        }
    }
    dxf.pair(0, "ENDSEC");
    dxf.pair(0, "EOF");
    dxf.0.into_bytes()
}

struct Dxf(String);

impl Dxf {
    fn pair(&mut self, code: u16, value: &str) {
        self.0.push_str(&format!("{code:>3}\r\n{value}\r\n"));
    }

    fn number(&mut self, code: u16, value: f64) {
        self.pair(code, &mm(value));
    }

    fn header(&mut self) {
        self.pair(0, "SECTION");
        self.pair(2, "HEADER");
        self.pair(9, "$ACADVER");
        self.pair(1, "AC1009");
        self.pair(0, "ENDSEC");
        self.pair(0, "SECTION");
        self.pair(2, "TABLES");
        self.pair(0, "TABLE");
        self.pair(2, "LTYPE");
        self.pair(70, "1");
        self.pair(0, "LTYPE");
        self.pair(2, "CONTINUOUS");
        self.pair(70, "0");
        self.pair(3, "Solid line");
        self.pair(72, "65");
        self.pair(73, "0");
        self.pair(40, "0");
        self.pair(0, "ENDTAB");
        self.pair(0, "TABLE");
        self.pair(2, "LAYER");
        self.pair(70, "2");
        for (name, colour) in [("SHEET", "7"), ("PARTS", "3")] {
            self.pair(0, "LAYER");
            self.pair(2, name);
            self.pair(70, "0");
            self.pair(62, colour);
            self.pair(6, "CONTINUOUS");
        }
        self.pair(0, "ENDTAB");
        self.pair(0, "ENDSEC");
    }

    /// A closed R12 POLYLINE with four vertices, counter-clockwise from the lower-left.
    fn rectangle(&mut self, layer: &str, x: f64, y: f64, width: f64, height: f64) {
        self.pair(0, "POLYLINE");
        self.pair(8, layer);
        self.pair(66, "1");
        self.number(10, 0.0);
        self.number(20, 0.0);
        self.number(30, 0.0);
        self.pair(70, "1");
        for (vx, vy) in [
            (x, y),
            (x + width, y),
            (x + width, y + height),
            (x, y + height),
        ] {
            self.pair(0, "VERTEX");
            self.pair(8, layer);
            self.number(10, vx);
            self.number(20, vy);
            self.number(30, 0.0);
        }
        self.pair(0, "SEQEND");
        self.pair(8, layer);
    }

    fn text(&mut self, layer: &str, x: f64, y: f64, height: f64, value: &str) {
        self.pair(0, "TEXT");
        self.pair(8, layer);
        self.number(10, x);
        self.number(20, y);
        self.number(30, 0.0);
        self.number(40, height);
        self.pair(1, &ascii_text(value));
    }
}

fn ascii_text(value: &str) -> String {
    let mut text = String::with_capacity(value.len());
    for character in value.chars() {
        match character {
            c if c.is_control() => text.push(' '),
            c if c.is_ascii() => text.push(c),
            c => text.push_str(&format!("\\U+{:04X}", u32::from(c))),
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use dxf::Drawing;
    use dxf::entities::EntityType;
    use expect_test::expect;
    use paform_core::cnc::nesting::{Placement, SheetLayout, StockSize};

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
        let sheet = |placements: Vec<Placement>, utilization: f64| SheetLayout {
            stock: StockSize {
                width: 1000.0,
                height: 600.0,
            },
            stock_index: 0,
            offcut: None,
            placements,
            utilization,
            cuts: Vec::new(),
            cut_length: 0.0,
        };
        NestLayout {
            sheets: vec![
                sheet(
                    vec![
                        placement("p1", 0.0, 0.0, 500.0, 300.0),
                        placement("Tür\n2", 504.0, 0.0, 300.0, 500.0),
                    ],
                    0.5,
                ),
                sheet(vec![placement("p1", 0.0, 0.0, 500.0, 300.0)], 0.25),
            ],
            utilization: 0.375,
            cut_length: 0.0,
        }
    }

    #[test]
    fn the_dxf_parses_back_with_sheets_parts_and_ids() {
        let bytes = nesting_dxf(&fixture());
        let drawing = match Drawing::load(&mut bytes.as_slice()) {
            Ok(drawing) => drawing,
            Err(error) => panic!("dxf does not parse: {error}"),
        };
        let mut outlines = Vec::new();
        let mut texts = Vec::new();
        for entity in drawing.entities() {
            match &entity.specific {
                EntityType::Polyline(polyline) => {
                    let first = polyline
                        .vertices()
                        .next()
                        .map(|v| (v.location.x, v.location.y));
                    outlines.push((
                        entity.common.layer.clone(),
                        polyline.vertices().count(),
                        first,
                    ));
                }
                EntityType::Text(text) => {
                    texts.push((entity.common.layer.clone(), text.value.clone()))
                }
                other => panic!("unexpected entity {other:?}"),
            }
        }
        assert_eq!(
            outlines,
            vec![
                ("SHEET".to_owned(), 4, Some((0.0, 0.0))),
                ("PARTS".to_owned(), 4, Some((0.0, 0.0))),
                ("PARTS".to_owned(), 4, Some((504.0, 0.0))),
                ("SHEET".to_owned(), 4, Some((1100.0, 0.0))),
                ("PARTS".to_owned(), 4, Some((1100.0, 0.0))),
            ]
        );
        let part_ids: Vec<&str> = texts
            .iter()
            .filter(|(layer, _)| layer == "PARTS")
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(part_ids, vec!["p1", "Tür 2", "p1"]);
        let layers: Vec<String> = drawing.layers().map(|layer| layer.name.clone()).collect();
        assert!(layers.contains(&"SHEET".to_owned()) && layers.contains(&"PARTS".to_owned()));
    }

    #[test]
    fn the_dxf_matches_its_snapshot() {
        let one_sheet = NestLayout {
            sheets: fixture().sheets[1..].to_vec(),
            utilization: 0.25,
            cut_length: 0.0,
        };
        let text = String::from_utf8(nesting_dxf(&one_sheet)).unwrap_or_default();
        expect![[r#"
              0
            SECTION
              2
            HEADER
              9
            $ACADVER
              1
            AC1009
              0
            ENDSEC
              0
            SECTION
              2
            TABLES
              0
            TABLE
              2
            LTYPE
             70
            1
              0
            LTYPE
              2
            CONTINUOUS
             70
            0
              3
            Solid line
             72
            65
             73
            0
             40
            0
              0
            ENDTAB
              0
            TABLE
              2
            LAYER
             70
            2
              0
            LAYER
              2
            SHEET
             70
            0
             62
            7
              6
            CONTINUOUS
              0
            LAYER
              2
            PARTS
             70
            0
             62
            3
              6
            CONTINUOUS
              0
            ENDTAB
              0
            ENDSEC
              0
            SECTION
              2
            ENTITIES
              0
            POLYLINE
              8
            SHEET
             66
            1
             10
            0
             20
            0
             30
            0
             70
            1
              0
            VERTEX
              8
            SHEET
             10
            0
             20
            0
             30
            0
              0
            VERTEX
              8
            SHEET
             10
            1000
             20
            0
             30
            0
              0
            VERTEX
              8
            SHEET
             10
            1000
             20
            600
             30
            0
              0
            VERTEX
              8
            SHEET
             10
            0
             20
            600
             30
            0
              0
            SEQEND
              8
            SHEET
              0
            TEXT
              8
            SHEET
             10
            0
             20
            620
             30
            0
             40
            40
              1
            Sheet 1 of 1 - 25.0 % used
              0
            POLYLINE
              8
            PARTS
             66
            1
             10
            0
             20
            0
             30
            0
             70
            1
              0
            VERTEX
              8
            PARTS
             10
            0
             20
            0
             30
            0
              0
            VERTEX
              8
            PARTS
             10
            500
             20
            0
             30
            0
              0
            VERTEX
              8
            PARTS
             10
            500
             20
            300
             30
            0
              0
            VERTEX
              8
            PARTS
             10
            0
             20
            300
             30
            0
              0
            SEQEND
              8
            PARTS
              0
            TEXT
              8
            PARTS
             10
            10
             20
            10
             30
            0
             40
            30
              1
            p1
              0
            ENDSEC
              0
            EOF
        "#]]
        .assert_eq(&text.replace("\r\n", "\n"));
    }

    #[test]
    fn identical_input_gives_identical_dxf() {
        assert_eq!(nesting_dxf(&fixture()), nesting_dxf(&fixture()));
    }
}
