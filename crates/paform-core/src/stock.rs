//! A material's stock checked (SPEC §12): the board sizes it is cut from with their costs,
//! the saw's kerf, the trimmed edge, and how quotes price it (SPEC §17, `by_sheet` needs a
//! cost for every board). A site's stock screen and HQ's catalog check with this one
//! function, so a stock HQ accepts is one every site accepts.

use crate::money::{Money, Rate};
use crate::problem::{FieldProblem, Problems};
use crate::units::Millimetres;

/// Most board sizes one material may list.
pub const MAX_STOCK_SIZES: usize = 20;
/// Boards longer than this are typos.
pub const MAX_SHEET_MM: f64 = 10_000.0;
/// Kerf and trim above this are typos, not saw blades.
pub const MAX_MARGIN_MM: f64 = 100.0;

/// One board size as typed, before any check.
#[derive(Debug, Clone, Copy)]
pub struct SheetDraft<'a> {
    pub width: f64,
    pub height: f64,
    pub cost: Option<&'a str>,
}

/// A material's stock as typed, before any check.
#[derive(Debug, Clone, Copy)]
pub struct StockDraft<'a> {
    pub sheets: &'a [SheetDraft<'a>],
    pub kerf: f64,
    pub trim: f64,
    pub by_sheet: bool,
    pub saw_cut_per_m: &'a str,
    pub edge_banding_per_m: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidSheet {
    pub width: Millimetres,
    pub height: Millimetres,
    pub cost: Option<Money>,
}

/// A kerf or trim: zero is allowed, unlike `Millimetres`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Margin(Option<Millimetres>);

impl Margin {
    pub fn to_f64(self) -> f64 {
        self.0.map_or(0.0, Millimetres::to_f64)
    }
}

impl std::fmt::Display for Margin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(mm) => write!(f, "{mm}"),
            None => f.write_str("0"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidStock {
    pub sheets: Vec<ValidSheet>,
    pub kerf: Margin,
    pub trim: Margin,
    pub by_sheet: bool,
    pub saw_cut_per_m: Rate,
    pub edge_banding_per_m: Rate,
}

fn margin(field: &str, value: f64, problems: &mut Problems) -> Option<Margin> {
    if !(value.is_finite() && (0.0..=MAX_MARGIN_MM).contains(&value)) {
        problems.push(
            field,
            format!("must be a number from 0 to {MAX_MARGIN_MM} mm"),
        );
        return None;
    }
    if value == 0.0 {
        return Some(Margin(None));
    }
    problems
        .check(field, Millimetres::from_f64(value))
        .map(|mm| Margin(Some(mm)))
}

/// Checks a whole stock, naming every problem (`sheets[1].cost`, `pricing.mode`, …).
pub fn validate_stock(draft: &StockDraft<'_>) -> Result<ValidStock, Vec<FieldProblem>> {
    let mut problems = Problems::new();
    if draft.sheets.is_empty() || draft.sheets.len() > MAX_STOCK_SIZES {
        problems.push(
            "sheets",
            format!("must list 1 to {MAX_STOCK_SIZES} board sizes"),
        );
    }
    let kerf = margin("kerf", draft.kerf, &mut problems);
    let trim = margin("trim", draft.trim, &mut problems);
    let mut sheets = Vec::with_capacity(draft.sheets.len());
    for (index, sheet) in draft.sheets.iter().enumerate() {
        let field = |name: &str| format!("sheets[{index}].{name}");
        let mut length = |name: &str, value: f64| {
            let checked = problems.check(&field(name), Millimetres::from_f64(value));
            match checked {
                Some(_) if value > MAX_SHEET_MM => {
                    problems.push(field(name), format!("must be at most {MAX_SHEET_MM} mm"));
                    None
                }
                Some(_) if value <= 2.0 * draft.trim => {
                    problems.push(field(name), "leaves nothing inside the trimmed edges");
                    None
                }
                other => other,
            }
        };
        let width = length("width", sheet.width);
        let height = length("height", sheet.height);
        let cost = sheet
            .cost
            .and_then(|text| problems.check(&field("cost"), Money::parse(text)));
        if let (Some(width), Some(height)) = (width, height) {
            sheets.push(ValidSheet {
                width,
                height,
                cost,
            });
        }
    }
    let priced = draft
        .sheets
        .iter()
        .filter(|sheet| sheet.cost.is_some())
        .count();
    if priced > 0 && priced < draft.sheets.len() {
        for (index, sheet) in draft.sheets.iter().enumerate() {
            if sheet.cost.is_none() {
                problems.push(
                    format!("sheets[{index}].cost"),
                    "give a cost for every board size or for none",
                );
            }
        }
    }
    let saw_cut_per_m = problems.check("pricing.saw_cut_per_m", Rate::parse(draft.saw_cut_per_m));
    let edge_banding_per_m = problems.check(
        "pricing.edge_banding_per_m",
        Rate::parse(draft.edge_banding_per_m),
    );
    if draft.by_sheet && priced < draft.sheets.len() {
        problems.push(
            "pricing.mode",
            "by_sheet pricing needs a cost for every board size",
        );
    }
    problems.finish()?;
    match (kerf, trim, saw_cut_per_m, edge_banding_per_m) {
        (Some(kerf), Some(trim), Some(saw_cut_per_m), Some(edge_banding_per_m)) => Ok(ValidStock {
            sheets,
            kerf,
            trim,
            by_sheet: draft.by_sheet,
            saw_cut_per_m,
            edge_banding_per_m,
        }),
        _ => unreachable!("every missing value recorded a problem"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft<'a>(sheets: &'a [SheetDraft<'a>], by_sheet: bool) -> StockDraft<'a> {
        StockDraft {
            sheets,
            kerf: 4.0,
            trim: 0.0,
            by_sheet,
            saw_cut_per_m: "0.40",
            edge_banding_per_m: "1.20",
        }
    }

    #[test]
    fn a_priced_stock_may_be_priced_by_the_sheet() {
        let sheets = [SheetDraft {
            width: 2800.0,
            height: 2070.0,
            cost: Some("64.5"),
        }];
        let valid = validate_stock(&draft(&sheets, true)).unwrap();
        assert_eq!(valid.sheets[0].cost.unwrap().to_string(), "64.50");
        assert_eq!(valid.kerf.to_string(), "4");
        assert_eq!(valid.trim.to_string(), "0");
    }

    #[test]
    fn every_problem_is_named() {
        let sheets = [
            SheetDraft {
                width: 2800.0,
                height: 20_000.0,
                cost: Some("64.50"),
            },
            SheetDraft {
                width: 2440.0,
                height: 1220.0,
                cost: None,
            },
        ];
        let mut bad = draft(&sheets, true);
        bad.kerf = -1.0;
        bad.saw_cut_per_m = "cheap";
        let fields: Vec<String> = validate_stock(&bad)
            .unwrap_err()
            .into_iter()
            .map(|problem| problem.field)
            .collect();
        assert_eq!(
            fields,
            [
                "kerf",
                "sheets[0].height",
                "sheets[1].cost",
                "pricing.saw_cut_per_m",
                "pricing.mode"
            ]
        );
    }
}
