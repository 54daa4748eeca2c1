//! Part codes (SPEC §12): what a label prints and its QR code carries, what the nesting
//! drawings write on a part and what a station scans. This is the one place their format is
//! decided; the CNC export, the labels and production progress all build codes here.
//!
//! - A line is `PF-000042-03`: the order number (or `ITEM` for loose items) and the line's
//!   position, two digits at least.
//! - A panel of the line is `PF-000042-03-B`: letters by the panel's index in the line
//!   (`A` … `Z`, `AA`, `AB`, …). The cut list has one row per panel code.
//! - A physical part is its copy's code. A panel cut `copies` times in all (panel quantity ×
//!   line quantity) has the codes `PF-000042-03-B1` … `PF-000042-03-B{copies}`, 1-based; a
//!   panel cut once keeps the panel code itself, so labels printed before copies had codes
//!   still name their part.
//!
//! A panel code ends in a letter and a copy code in a digit, so no copy code of one panel is
//! ever the panel code of another.

/// `PF-000042-03`: the code of line `position` of order `order_number`.
pub(crate) fn line_code(order_number: &str, position: u32) -> String {
    format!("{order_number}-{position:02}")
}

/// `A`, `B`, …, `Z`, `AA`, `AB`, …: the letters of a line's panel `index` (0-based).
fn panel_letters(index: usize) -> String {
    let mut index = index;
    let mut letters = Vec::new();
    loop {
        letters.push(char::from(b'A' + (index % 26) as u8));
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.into_iter().rev().collect()
}

/// `PF-000042-03-B`: the code of panel `panel_index` (0-based) of line `line_code`.
pub(crate) fn panel_code(line_code: &str, panel_index: usize) -> String {
    format!("{line_code}-{}", panel_letters(panel_index))
}

/// The code of copy `copy` (1-based) of a panel cut `copies` times: the panel code when it
/// is cut once, else the panel code and the copy number (`PF-000042-03-B2`).
pub(crate) fn copy_code(panel_code: &str, copy: u32, copies: u32) -> String {
    if copies == 1 {
        panel_code.to_owned()
    } else {
        format!("{panel_code}{copy}")
    }
}

/// Every copy code of a panel cut `copies` times, in copy order.
pub(crate) fn copy_codes(panel_code: &str, copies: u32) -> impl Iterator<Item = String> + '_ {
    (1..=copies).map(move |copy| copy_code(panel_code, copy, copies))
}

/// The order number a panel or copy code starts with (`PF-000042` of `PF-000042-03-B2`), or
/// `None` when the code has no line and panel part.
pub(crate) fn order_number(code: &str) -> Option<&str> {
    let mut pieces = code.rsplitn(3, '-');
    let (Some(_panel), Some(_line), number) = (pieces.next(), pieces.next(), pieces.next()) else {
        return None;
    };
    number.filter(|number| !number.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panels_are_lettered_like_spreadsheet_columns() {
        for (index, expected) in [
            (0, "A"),
            (1, "B"),
            (25, "Z"),
            (26, "AA"),
            (27, "AB"),
            (701, "ZZ"),
            (702, "AAA"),
        ] {
            assert_eq!(panel_letters(index), expected, "panel {index}");
        }
    }

    fn check(
        order_number: &str,
        position: u32,
        panel_index: usize,
        copies: u32,
        expected: &[&str],
    ) {
        let panel = panel_code(&line_code(order_number, position), panel_index);
        let codes: Vec<String> = copy_codes(&panel, copies).collect();
        assert_eq!(codes, expected, "{panel} × {copies}");
        for (copy, code) in (1..).zip(&codes) {
            assert_eq!(&copy_code(&panel, copy, copies), code);
        }
    }

    #[test]
    fn a_panel_cut_once_keeps_its_code_and_copies_are_numbered_from_one() {
        check("PF-000042", 3, 1, 1, &["PF-000042-03-B"]);
        check(
            "PF-000042",
            3,
            1,
            2,
            &["PF-000042-03-B1", "PF-000042-03-B2"],
        );
        check(
            "PF-000042",
            12,
            0,
            3,
            &["PF-000042-12-A1", "PF-000042-12-A2", "PF-000042-12-A3"],
        );
        check("ITEM", 1, 26, 1, &["ITEM-01-AA"]);
        check(
            "K-000007",
            105,
            2,
            2,
            &["K-000007-105-C1", "K-000007-105-C2"],
        );
        check("PF-000001", 1, 0, 0, &[]);
    }

    #[test]
    fn the_tenth_copy_is_not_the_first_copy_of_another_panel() {
        let codes: Vec<String> = copy_codes("PF-000042-03-B", 12).collect();
        assert_eq!(codes[9], "PF-000042-03-B10");
        assert_eq!(codes[11], "PF-000042-03-B12");
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 12);
    }

    #[test]
    fn the_order_number_is_the_code_without_line_and_panel() {
        for (code, expected) in [
            ("PF-000042-03-B", Some("PF-000042")),
            ("PF-000042-03-B12", Some("PF-000042")),
            ("K-000007-105-AA", Some("K-000007")),
            ("ITEM-01-AA", Some("ITEM")),
            ("03-B", None),
            ("-03-B", None),
            ("PF", None),
        ] {
            assert_eq!(order_number(code), expected, "{code}");
        }
    }
}
