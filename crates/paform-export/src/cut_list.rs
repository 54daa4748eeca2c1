//! The cut list CSV: a header row and one row per panel, each row tying the panel to its
//! order, line item and module through `label`.
//!
//! Invariants: fields are quoted per RFC 4180 whenever they contain a comma, quote, or line
//! break; rows end in CRLF as RFC 4180 asks; text fields that a spreadsheet would run as a
//! formula (leading `=`, `+`, `-`, `@`, tab or carriage return) get a leading apostrophe,
//! the OWASP guard against CSV injection.

use paform_core::cnc::nesting::Grain;

use crate::number::mm;

/// One panel of the cut list; plain data.
#[derive(Debug, Clone, PartialEq)]
pub struct CutListRow {
    /// Ties the panel to its order, line item and module, e.g.
    /// `ORD-1234/L2/M-base-600/side-L`.
    pub label: String,
    pub order_id: String,
    pub line_item_id: String,
    pub module_id: String,
    pub module_name: String,
    pub panel_name: String,
    pub material_name: String,
    pub length_mm: f64,
    pub width_mm: f64,
    pub thickness_mm: f64,
    pub grain: Grain,
    /// Free text such as `front 1 mm ABS white`; empty when the panel has none.
    pub edge_banding: String,
    pub quantity: u32,
}

const HEADER: [&str; 13] = [
    "label",
    "order_id",
    "line_item_id",
    "module_id",
    "module_name",
    "panel",
    "material",
    "length_mm",
    "width_mm",
    "thickness_mm",
    "grain",
    "edge_banding",
    "quantity",
];

/// Renders the cut list as UTF-8 CSV with a header row.
pub fn cut_list_csv(rows: &[CutListRow]) -> Vec<u8> {
    let mut out = String::new();
    push_record(&mut out, HEADER.iter().map(|name| (*name).to_owned()));
    for row in rows {
        let grain = match row.grain {
            Grain::None => "none",
            Grain::Length => "length",
        };
        let text = [
            &row.label,
            &row.order_id,
            &row.line_item_id,
            &row.module_id,
            &row.module_name,
            &row.panel_name,
            &row.material_name,
        ]
        .map(|field| neutralize_formula(field));
        let numbers = [mm(row.length_mm), mm(row.width_mm), mm(row.thickness_mm)];
        let tail = [grain.to_owned(), neutralize_formula(&row.edge_banding)];
        let fields = text
            .into_iter()
            .chain(numbers)
            .chain(tail)
            .chain([row.quantity.to_string()]);
        push_record(&mut out, fields);
    }
    out.into_bytes()
}

pub(crate) fn neutralize_formula(field: &str) -> String {
    if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{field}")
    } else {
        field.to_owned()
    }
}

pub(crate) fn push_record(out: &mut String, fields: impl Iterator<Item = String>) {
    for (index, field) in fields.enumerate() {
        if index > 0 {
            out.push(',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&field);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    fn row(label: &str, panel_name: &str, quantity: u32) -> CutListRow {
        CutListRow {
            label: label.to_owned(),
            order_id: "ORD-1234".to_owned(),
            line_item_id: "L2".to_owned(),
            module_id: "M-base-600".to_owned(),
            module_name: "Base cabinet 600".to_owned(),
            panel_name: panel_name.to_owned(),
            material_name: "Oak veneer, 18 mm".to_owned(),
            length_mm: 720.0,
            width_mm: 560.0,
            thickness_mm: 18.0,
            grain: Grain::Length,
            edge_banding: "front 1 mm \"ABS\"".to_owned(),
            quantity,
        }
    }

    fn fixture() -> Vec<CutListRow> {
        vec![
            row("ORD-1234/L2/M-base-600/side-L", "side-L", 1),
            CutListRow {
                width_mm: 0.1 + 0.2,
                grain: Grain::None,
                edge_banding: String::new(),
                ..row("ORD-1234/L2/M-base-600/shelf", "=shelf", 2)
            },
        ]
    }

    #[test]
    fn the_cut_list_matches_its_snapshot() {
        let csv = String::from_utf8(cut_list_csv(&fixture())).unwrap_or_default();
        expect![[r#"
            label,order_id,line_item_id,module_id,module_name,panel,material,length_mm,width_mm,thickness_mm,grain,edge_banding,quantity
            ORD-1234/L2/M-base-600/side-L,ORD-1234,L2,M-base-600,Base cabinet 600,side-L,"Oak veneer, 18 mm",720,560,18,length,"front 1 mm ""ABS""",1
            ORD-1234/L2/M-base-600/shelf,ORD-1234,L2,M-base-600,Base cabinet 600,'=shelf,"Oak veneer, 18 mm",720,0.3,18,none,,2
        "#]]
        .assert_eq(&csv.replace("\r\n", "\n"));
    }

    #[test]
    fn the_cut_list_parses_back_with_one_record_per_panel() {
        let bytes = cut_list_csv(&fixture());
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let headers = reader.headers().map(|h| h.len()).unwrap_or_default();
        assert_eq!(headers, HEADER.len());
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(records.len(), 2);
        assert_eq!(&records[0][6], "Oak veneer, 18 mm");
        assert_eq!(&records[0][11], "front 1 mm \"ABS\"");
    }

    #[test]
    fn an_empty_cut_list_is_just_the_header() {
        let csv = cut_list_csv(&[]);
        assert_eq!(csv, format!("{}\r\n", HEADER.join(",")).into_bytes());
    }

    #[test]
    fn identical_input_gives_identical_bytes() {
        assert_eq!(cut_list_csv(&fixture()), cut_list_csv(&fixture()));
    }
}
