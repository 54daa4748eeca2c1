//! Stock per material (SPEC §12): the board sizes a material is cut from, their costs, the
//! saw's kerf, the trimmed edge and the boards' grain. A material without a stock record
//! is cut from SPEC §6's default board.

use paform_core::money::Money;
use paform_core::problem::Problems;
use paform_core::units::Millimetres;
use paform_store::ReadTx;
use paform_store::records::floor::{StockRecord, StockSheetRecord};
use paform_store::tables_v3::{MATERIAL_STOCK, MATERIALS};

use crate::convert;
use crate::dto::{MaterialStock, StockGrain, StockSheet};
use crate::{App, AppError};

/// SPEC §6's board and blade, for materials whose stock was never set.
const DEFAULT_SHEET_WIDTH: f64 = 2440.0;
const DEFAULT_SHEET_HEIGHT: f64 = 1220.0;
const DEFAULT_KERF: f64 = 4.0;
const MAX_STOCK_SIZES: usize = 20;
/// Boards longer than this are typos.
const MAX_SHEET_MM: f64 = 10_000.0;
/// Kerf and trim above this are typos, not saw blades.
const MAX_MARGIN_MM: f64 = 100.0;

fn default_stock() -> MaterialStock {
    MaterialStock {
        sheets: vec![StockSheet {
            width: DEFAULT_SHEET_WIDTH,
            height: DEFAULT_SHEET_HEIGHT,
            cost: None,
        }],
        kerf: DEFAULT_KERF,
        trim: 0.0,
        grain_direction: StockGrain::Length,
    }
}

/// The stock of `material_id` (the default when never set).
pub(crate) fn read_stock(tx: &ReadTx, material_id: &str) -> Result<MaterialStock, AppError> {
    Ok(tx
        .get(&MATERIAL_STOCK, material_id)?
        .map_or_else(default_stock, stock_view))
}

fn stock_view(record: StockRecord) -> MaterialStock {
    MaterialStock {
        sheets: record
            .sheets
            .into_iter()
            .map(|sheet| StockSheet {
                width: convert::millimetres(&sheet.width_mm),
                height: convert::millimetres(&sheet.height_mm),
                cost: sheet.cost,
            })
            .collect(),
        kerf: convert::millimetres(&record.kerf_mm),
        trim: convert::millimetres(&record.trim_mm),
        grain_direction: match record.grain_direction.as_str() {
            "none" => StockGrain::None,
            _ => StockGrain::Length,
        },
    }
}

/// A margin as exact text: zero is allowed, unlike `Millimetres`.
fn margin(field: &str, value: f64, problems: &mut Problems) -> String {
    if !(value.is_finite() && (0.0..=MAX_MARGIN_MM).contains(&value)) {
        problems.push(
            field,
            format!("must be a number from 0 to {MAX_MARGIN_MM} mm"),
        );
        return String::new();
    }
    if value == 0.0 {
        return "0".to_owned();
    }
    Millimetres::from_f64(value).map_or_else(|_| String::new(), |mm| mm.to_string())
}

pub(crate) fn validate(stock: &MaterialStock) -> Result<StockRecord, AppError> {
    let mut problems = Problems::new();
    if stock.sheets.is_empty() || stock.sheets.len() > MAX_STOCK_SIZES {
        problems.push(
            "sheets",
            format!("must list 1 to {MAX_STOCK_SIZES} board sizes"),
        );
    }
    let kerf_mm = margin("kerf", stock.kerf, &mut problems);
    let trim_mm = margin("trim", stock.trim, &mut problems);
    let mut sheets = Vec::with_capacity(stock.sheets.len());
    for (index, sheet) in stock.sheets.iter().enumerate() {
        let field = |name: &str| format!("sheets[{index}].{name}");
        let mut length = |name: &str, value: f64| {
            let checked = problems.check(&field(name), Millimetres::from_f64(value));
            match checked {
                Some(_) if value > MAX_SHEET_MM => {
                    problems.push(field(name), format!("must be at most {MAX_SHEET_MM} mm"));
                    None
                }
                Some(_) if value <= 2.0 * stock.trim => {
                    problems.push(field(name), "leaves nothing inside the trimmed edges");
                    None
                }
                other => other,
            }
        };
        let width = length("width", sheet.width);
        let height = length("height", sheet.height);
        let cost = match &sheet.cost {
            Some(text) => match Money::parse(text) {
                Ok(money) => Some(money.to_string()),
                Err(error) => {
                    problems.push(field("cost"), error);
                    None
                }
            },
            None => None,
        };
        if let (Some(width), Some(height)) = (width, height) {
            sheets.push(StockSheetRecord {
                width_mm: width.to_string(),
                height_mm: height.to_string(),
                cost,
            });
        }
    }
    let priced = stock
        .sheets
        .iter()
        .filter(|sheet| sheet.cost.is_some())
        .count();
    if priced > 0 && priced < stock.sheets.len() {
        for (index, sheet) in stock.sheets.iter().enumerate() {
            if sheet.cost.is_none() {
                problems.push(
                    format!("sheets[{index}].cost"),
                    "give a cost for every board size or for none",
                );
            }
        }
    }
    problems.finish()?;
    Ok(StockRecord {
        sheets,
        kerf_mm,
        trim_mm,
        grain_direction: match stock.grain_direction {
            StockGrain::Length => "length",
            StockGrain::None => "none",
        }
        .to_owned(),
    })
}

impl App {
    pub fn material_stock(&self, material_id: &str) -> Result<MaterialStock, AppError> {
        self.store().read(|tx| {
            if !tx.contains(&MATERIALS, material_id)? {
                return Err(AppError::not_found("material", material_id));
            }
            read_stock(tx, material_id)
        })
    }

    /// Replaces a material's stock; every problem is named at once.
    pub async fn set_material_stock(
        &self,
        material_id: &str,
        stock: MaterialStock,
    ) -> Result<MaterialStock, AppError> {
        let record = validate(&stock)?;
        let material_id = material_id.to_owned();
        self.store()
            .write(move |tx| {
                crate::chain::refuse_catalog_edit(tx)?;
                if !tx.contains(&MATERIALS, &material_id)? {
                    return Err(AppError::not_found("material", &material_id));
                }
                tx.insert(&MATERIAL_STOCK, &material_id, &record)?;
                Ok(stock_view(record))
            })
            .await
    }
}
