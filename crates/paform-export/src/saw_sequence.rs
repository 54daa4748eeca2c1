//! The saw sequence CSV: one row per saw cut of every guillotine sheet, in the order the
//! panel saw makes them, with each sheet's stock, offcut and total cut length as summary
//! columns, so the operator can follow a sheet from one row block and the office can add up
//! saw time. A file of its own keeps the cut list one table of panels.
//!
//! Invariants: the same quoting, formula guard, CRLF line ends and number format as the cut
//! list; sheets are numbered from 1 within their material, as in the drawings.

use paform_core::cnc::nesting::{CutDirection, NestLayout};

use crate::cut_list::{neutralize_formula, push_record};
use crate::number::mm;

/// One material's layout, named as the operator sees it.
#[derive(Debug, Clone, Copy)]
pub struct SawSection<'a> {
    pub material_name: &'a str,
    pub layout: &'a NestLayout,
}

const HEADER: [&str; 11] = [
    "material",
    "sheet",
    "stock_mm",
    "offcut",
    "sheet_cut_length_mm",
    "cut",
    "direction",
    "position_mm",
    "from_mm",
    "to_mm",
    "length_mm",
];

/// Renders the saw cuts of `sections` as UTF-8 CSV with a header row.
pub fn saw_sequence_csv(sections: &[SawSection<'_>]) -> Vec<u8> {
    let mut out = String::new();
    push_record(&mut out, HEADER.iter().map(|name| (*name).to_owned()));
    for section in sections {
        for (sheet_index, sheet) in section.layout.sheets.iter().enumerate() {
            let stock = format!("{}×{}", mm(sheet.stock.width), mm(sheet.stock.height));
            let offcut = sheet
                .offcut
                .as_ref()
                .map(|offcut| neutralize_formula(&offcut.code))
                .unwrap_or_default();
            for (number, cut) in sheet.cuts.iter().enumerate() {
                let direction = match cut.direction {
                    CutDirection::Horizontal => "horizontal",
                    CutDirection::Vertical => "vertical",
                };
                push_record(
                    &mut out,
                    [
                        neutralize_formula(section.material_name),
                        (sheet_index + 1).to_string(),
                        stock.clone(),
                        offcut.clone(),
                        mm(sheet.cut_length),
                        (number + 1).to_string(),
                        direction.to_owned(),
                        mm(cut.position),
                        mm(cut.from),
                        mm(cut.to),
                        mm(cut.length()),
                    ]
                    .into_iter(),
                );
            }
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use expect_test::expect;
    use paform_core::cnc::nesting::{Cut, OffcutRef, SheetLayout, StockSize};

    use super::*;

    #[test]
    fn the_saw_sequence_matches_its_snapshot() {
        let cut = |direction, position, from, to| Cut {
            direction,
            position,
            from,
            to,
        };
        let layout = NestLayout {
            sheets: vec![SheetLayout {
                stock: StockSize {
                    width: 1000.0,
                    height: 500.0,
                },
                stock_index: 0,
                offcut: Some(OffcutRef {
                    id: "o1".to_owned(),
                    code: "=OC-7".to_owned(),
                }),
                placements: Vec::new(),
                utilization: 0.5,
                cuts: vec![
                    cut(CutDirection::Horizontal, 300.0, 0.0, 1000.0),
                    cut(CutDirection::Vertical, 400.0, 0.0, 300.0),
                ],
                cut_length: 1300.0,
            }],
            utilization: 0.5,
            cut_length: 1300.0,
        };
        let csv = saw_sequence_csv(&[SawSection {
            material_name: "Oak, 18 mm",
            layout: &layout,
        }]);
        expect![[r#"
            material,sheet,stock_mm,offcut,sheet_cut_length_mm,cut,direction,position_mm,from_mm,to_mm,length_mm
            "Oak, 18 mm",1,1000×500,'=OC-7,1300,1,horizontal,300,0,1000,1000
            "Oak, 18 mm",1,1000×500,'=OC-7,1300,2,vertical,400,0,300,300
        "#]]
        .assert_eq(&String::from_utf8(csv).unwrap_or_default().replace("\r\n", "\n"));
    }
}
