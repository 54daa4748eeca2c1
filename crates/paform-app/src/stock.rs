//! Stock per material (SPEC §12): the board sizes a material is cut from, their costs, the
//! saw's kerf, the trimmed edge and the boards' grain. A material without a stock record
//! is cut from SPEC §6's default board. The stock also says how quotes price the material
//! (SPEC §17, `by_area` unless set), since pricing by the sheet reads its boards' costs.

use paform_core::money::{Money, Rate};
use paform_core::pricing::board::SheetRates;
use paform_core::problem::Problems;
use paform_core::units::Millimetres;
use paform_store::records::floor::{MaterialPricingRecord, StockRecord, StockSheetRecord};
use paform_store::tables_v3::{MATERIAL_PRICING, MATERIAL_STOCK, MATERIALS};
use paform_store::{ReadTx, WriteTx};

use crate::convert;
use crate::dto::{MaterialPricing, MaterialStock, PricingMode, StockGrain, StockSheet};
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
        pricing: MaterialPricing::default(),
    }
}

/// A material's stock and pricing as checked by `validate`, ready to store.
#[derive(Debug, Clone)]
pub(crate) struct ValidStock {
    stock: StockRecord,
    pricing: MaterialPricingRecord,
}

/// The stock of `material_id` (the default when never set), with its pricing.
pub(crate) fn read_stock(tx: &ReadTx, material_id: &str) -> Result<MaterialStock, AppError> {
    let mut stock = tx
        .get(&MATERIAL_STOCK, material_id)?
        .map_or_else(default_stock, stock_view);
    if let Some(record) = tx.get(&MATERIAL_PRICING, material_id)? {
        stock.pricing = pricing_view(material_id, record)?;
    }
    Ok(stock)
}

/// Stores a checked stock for `material_id`, pricing included.
pub(crate) fn put_stock(
    tx: &mut WriteTx,
    material_id: &str,
    valid: &ValidStock,
) -> Result<(), AppError> {
    tx.insert(&MATERIAL_STOCK, material_id, &valid.stock)?;
    tx.insert(&MATERIAL_PRICING, material_id, &valid.pricing)?;
    Ok(())
}

/// Forgets the stock and pricing of a material that left the catalog.
pub(crate) fn remove_stock(tx: &mut WriteTx, material_id: &str) -> Result<(), AppError> {
    tx.remove(&MATERIAL_STOCK, material_id)?;
    tx.remove(&MATERIAL_PRICING, material_id)?;
    Ok(())
}

/// The rates of a material priced by the sheet; they were checked when stored.
pub(crate) fn sheet_rates(pricing: &MaterialPricing) -> Result<SheetRates, AppError> {
    let rate = |text: &str| {
        Rate::parse(text).map_err(|error| {
            AppError::internal(anyhow::anyhow!("a stored pricing rate {text:?}: {error}"))
        })
    };
    Ok(SheetRates {
        saw_cut_per_m: rate(&pricing.saw_cut_per_m)?,
        edge_banding_per_m: rate(&pricing.edge_banding_per_m)?,
    })
}

fn pricing_view(
    material_id: &str,
    record: MaterialPricingRecord,
) -> Result<MaterialPricing, AppError> {
    let mode = match record.mode.as_str() {
        "by_area" => PricingMode::ByArea,
        "by_sheet" => PricingMode::BySheet,
        other => {
            return Err(AppError::internal(anyhow::anyhow!(
                "material {material_id} has the stored pricing mode {other:?}"
            )));
        }
    };
    Ok(MaterialPricing {
        mode,
        saw_cut_per_m: record.saw_cut_per_m,
        edge_banding_per_m: record.edge_banding_per_m,
    })
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
        pricing: MaterialPricing::default(),
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

pub(crate) fn validate(stock: &MaterialStock) -> Result<ValidStock, AppError> {
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
    let pricing = validate_pricing(&stock.pricing, priced == stock.sheets.len(), &mut problems);
    problems.finish()?;
    Ok(ValidStock {
        stock: StockRecord {
            sheets,
            kerf_mm,
            trim_mm,
            grain_direction: match stock.grain_direction {
                StockGrain::Length => "length",
                StockGrain::None => "none",
            }
            .to_owned(),
        },
        pricing,
    })
}

fn validate_pricing(
    pricing: &MaterialPricing,
    every_board_has_a_cost: bool,
    problems: &mut Problems,
) -> MaterialPricingRecord {
    let mut rate = |field: &str, text: &str| {
        problems
            .check(&format!("pricing.{field}"), Rate::parse(text))
            .map_or_else(String::new, |rate| rate.to_string())
    };
    let saw_cut_per_m = rate("saw_cut_per_m", &pricing.saw_cut_per_m);
    let edge_banding_per_m = rate("edge_banding_per_m", &pricing.edge_banding_per_m);
    let mode = match pricing.mode {
        PricingMode::ByArea => "by_area",
        PricingMode::BySheet => {
            if !every_board_has_a_cost {
                problems.push(
                    "pricing.mode",
                    "by_sheet pricing needs a cost for every board size",
                );
            }
            "by_sheet"
        }
    };
    MaterialPricingRecord {
        mode: mode.to_owned(),
        saw_cut_per_m,
        edge_banding_per_m,
    }
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
        let valid = validate(&stock)?;
        let material_id = material_id.to_owned();
        self.store()
            .write(move |tx| {
                crate::chain::refuse_catalog_edit(tx)?;
                if !tx.contains(&MATERIALS, &material_id)? {
                    return Err(AppError::not_found("material", &material_id));
                }
                put_stock(tx, &material_id, &valid)?;
                let mut view = stock_view(valid.stock);
                view.pricing = pricing_view(&material_id, valid.pricing)?;
                Ok(view)
            })
            .await
    }
}
