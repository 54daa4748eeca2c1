//! Stock per material (SPEC §12): the board sizes a material is cut from, their costs, the
//! saw's kerf, the trimmed edge and the boards' grain. A material without a stock record
//! is cut from SPEC §6's default board. The stock also says how quotes price the material
//! (SPEC §17, `by_area` unless set), since pricing by the sheet reads its boards' costs.

use paform_core::money::Rate;
use paform_core::pricing::board::SheetRates;
use paform_core::stock::{SheetDraft, StockDraft, validate_stock};
use paform_store::records::floor::{MaterialPricingRecord, StockRecord, StockSheetRecord};
use paform_store::tables_v3::{MATERIAL_PRICING, MATERIAL_STOCK, MATERIALS};
use paform_store::{ReadTx, WriteTx};

use crate::convert;
use crate::dto::{MaterialPricing, MaterialStock, PricingMode, StockGrain, StockSheet};
use crate::{App, AppError};

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
        .map_or_else(MaterialStock::default, stock_view);
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

/// Checks a stock with the core's rules (the same HQ's catalog applies) into records.
pub(crate) fn validate(stock: &MaterialStock) -> Result<ValidStock, AppError> {
    let sheets: Vec<SheetDraft<'_>> = stock
        .sheets
        .iter()
        .map(|sheet| SheetDraft {
            width: sheet.width,
            height: sheet.height,
            cost: sheet.cost.as_deref(),
        })
        .collect();
    let valid = validate_stock(&StockDraft {
        sheets: &sheets,
        kerf: stock.kerf,
        trim: stock.trim,
        by_sheet: stock.pricing.mode == PricingMode::BySheet,
        saw_cut_per_m: &stock.pricing.saw_cut_per_m,
        edge_banding_per_m: &stock.pricing.edge_banding_per_m,
    })?;
    Ok(ValidStock {
        stock: StockRecord {
            sheets: valid
                .sheets
                .iter()
                .map(|sheet| StockSheetRecord {
                    width_mm: sheet.width.to_string(),
                    height_mm: sheet.height.to_string(),
                    cost: sheet.cost.map(|cost| cost.to_string()),
                })
                .collect(),
            kerf_mm: valid.kerf.to_string(),
            trim_mm: valid.trim.to_string(),
            grain_direction: match stock.grain_direction {
                StockGrain::Length => "length",
                StockGrain::None => "none",
            }
            .to_owned(),
        },
        pricing: MaterialPricingRecord {
            mode: if valid.by_sheet {
                "by_sheet"
            } else {
                "by_area"
            }
            .to_owned(),
            saw_cut_per_m: valid.saw_cut_per_m.to_string(),
            edge_banding_per_m: valid.edge_banding_per_m.to_string(),
        },
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
