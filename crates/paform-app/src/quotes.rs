//! Quote use cases (SPEC §4, §17): price a list of modules exactly, persist the quote with
//! its number (`Q-000123`), and find quotes by number.
//! A quote is immutable once written; accepting it into an order is recorded elsewhere.
//! Its number lives beside it (`quote_numbers`), written in the quote's own transaction;
//! quotes written before quote numbers have none, and are shown by id. In a chain the HQ
//! catalog version it was priced on lives beside it too (`quote_catalog_versions`), so a
//! newer version shows as "Catalog changed" with the total the same items have now, and a
//! reprice makes a new quote (SPEC §15).

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use paform_api::chain::EntryKind;
use paform_core::pricing::{self, PricedLine, TaxRate};
use paform_core::problem::Problems;
use paform_core::units::Quantity;
use paform_store::ReadTx;
use paform_store::chain::chain_state;
use paform_store::records::floor::{MaterialBoardsRecord, QuoteBoardsRecord};
use paform_store::records::v3::{FrozenProductionRecord, QuoteLineRecord, QuoteRecord};
use paform_store::specs::freeze_production;
use paform_store::tables_v3::{
    QUOTE_BOARDS, QUOTE_CATALOG_VERSIONS, QUOTE_NUMBERS, QUOTES, QUOTES_BY_CUSTOMER,
    QUOTES_BY_NUMBER,
};

use crate::catalog::{ResolvedItem, material_spec, module_spec, paging, resolve_item};
use crate::cnc::{MaterialSupply, quote_boards};
use crate::convert;
use crate::dto::{
    BoardCharges, BoardCount, CatalogChange, ListQuery, MaterialBoards, Page, PricingMode, Quote,
    QuoteItemRequest, QuoteLine, QuoteRequest,
};
use crate::offcuts::material_offcuts;
use crate::settings::parse_currency;
use crate::stock::read_stock;
use crate::{App, AppError};

/// The most lines one quote may have.
pub(crate) const MAX_QUOTE_LINES: usize = 500;

/// A request priced on the catalog as it is now, before anything is written.
struct Priced {
    lines: Vec<QuoteLineRecord>,
    boards: QuoteBoardsRecord,
    totals: pricing::Totals,
    currency: String,
    tax_rate: TaxRate,
    /// The HQ catalog version the site held (0 outside a chain).
    catalog_version: u64,
}

/// What a quote was priced for: a customer, and the saved design (and version) it prices.
#[derive(Debug, Clone, Default)]
pub(crate) struct QuoteLinks {
    pub(crate) customer_id: Option<String>,
    pub(crate) design_id: Option<String>,
    pub(crate) design_version: Option<u64>,
}

impl App {
    pub async fn generate_quote(&self, request: QuoteRequest) -> Result<Quote, AppError> {
        self.generate_linked_quote(request, QuoteLinks::default())
            .await
    }

    /// Prices `request` on the catalog as it is now, writing nothing: its lines (with
    /// their production data frozen), its boards and its totals.
    async fn price(&self, request: &QuoteRequest) -> Result<Priced, AppError> {
        let settings = self.settings_record()?;
        let mut problems = Problems::new();
        if request.items.is_empty() {
            problems.push("items", "must list at least one module");
        }
        if request.items.len() > MAX_QUOTE_LINES {
            problems.push(
                "items",
                format!("must list at most {MAX_QUOTE_LINES} modules"),
            );
        }
        let currency = request.currency.as_deref().unwrap_or(&settings.currency);
        let currency = parse_currency("currency", currency, &mut problems);
        let tax_rate = request.tax_rate.as_deref().unwrap_or(&settings.tax_rate);
        let tax_rate = problems.check("tax_rate", TaxRate::parse(tax_rate));

        let (mut lines, bases, supplies, catalog_version) = self.store().read(|tx| {
            let mut lines = Vec::with_capacity(request.items.len());
            let mut bases = Vec::with_capacity(request.items.len());
            let mut supplies = BTreeMap::new();
            for (index, item) in request.items.iter().enumerate() {
                let field = |name: &str| format!("items[{index}].{name}");
                let Some(ResolvedItem {
                    module,
                    material,
                    quantity,
                }) = resolve_item(
                    tx,
                    &field,
                    &item.module_id,
                    item.material_id.as_deref(),
                    item.quantity,
                    &mut problems,
                )?
                else {
                    continue;
                };
                let spec = (module_spec(&module)?, material_spec(&material)?);
                match pricing::price_line(&spec.0, &spec.1, quantity) {
                    Ok(priced) => {
                        if !supplies.contains_key(&material.id) {
                            let supply = MaterialSupply {
                                stock: read_stock(tx, &material.id)?,
                                offcuts: material_offcuts(tx, &material.id)?,
                            };
                            supplies.insert(material.id.clone(), supply);
                        }
                        let production = freeze_production(&module, &material)?;
                        lines.push(line_record(
                            &module, &material, quantity, &priced, production,
                        ));
                        bases.push(spec.0.base_price);
                    }
                    Err(error) => problems.push(field("material_id"), error),
                }
            }
            let catalog_version = chain_state(tx)?.catalog_version;
            Ok::<_, AppError>((lines, bases, supplies, catalog_version))
        })?;
        problems.finish()?;
        let boards = quote_boards(&lines, supplies).await?;
        for (((line, priced), base_price), share) in lines.iter_mut().zip(bases).zip(&boards.shares)
        {
            if let Some(share) = share {
                *priced = pricing::price_line_by_sheet(
                    base_price,
                    priced.area_mm2,
                    *share,
                    Quantity::parse(i64::from(line.quantity))
                        .map_err(|error| AppError::internal(anyhow::Error::new(error)))?,
                );
                line.unit_price = priced.unit_price.to_string();
                line.line_total = priced.line_total.to_string();
            }
        }
        let (Some(currency), Some(tax_rate)) = (currency, tax_rate) else {
            unreachable!("a missing currency or tax rate recorded a problem");
        };
        let priced: Vec<PricedLine> = lines.iter().map(|(_, priced)| *priced).collect();
        Ok(Priced {
            totals: pricing::totals(&priced, tax_rate),
            lines: lines.into_iter().map(|(line, _)| line).collect(),
            boards: QuoteBoardsRecord {
                materials: boards.materials,
            },
            currency,
            tax_rate,
            catalog_version,
        })
    }

    pub(crate) async fn generate_linked_quote(
        &self,
        request: QuoteRequest,
        links: QuoteLinks,
    ) -> Result<Quote, AppError> {
        let settings = self.settings_record()?;
        let Priced {
            lines,
            boards,
            totals,
            currency,
            tax_rate,
            catalog_version,
        } = self.price(&request).await?;
        let created_at = self.now();
        let validity = SignedDuration::from_hours(24 * i64::from(settings.quote_validity_days));
        let expires_at = created_at.checked_add(validity).unwrap_or(Timestamp::MAX);
        let record = QuoteRecord {
            id: self.new_id(),
            currency,
            tax_rate: tax_rate.rate().to_string(),
            lines,
            subtotal: totals.subtotal.to_string(),
            tax: totals.tax.to_string(),
            total: totals.total.to_string(),
            created_at: convert::timestamp(created_at),
            expires_at: convert::timestamp(expires_at),
            customer_id: links.customer_id.clone(),
            design_id: links.design_id,
            design_version: links.design_version,
        };
        let catalog_version = (catalog_version > 0).then_some(catalog_version);
        let stored = (record.clone(), boards.clone());
        let number = self
            .store()
            .write(move |tx| {
                let (stored, boards) = &stored;
                if let Some(customer_id) = &links.customer_id {
                    tx.index_insert(&QUOTES_BY_CUSTOMER, customer_id, &stored.id)?;
                }
                let number = crate::numbering::assign_quote_number(tx, &stored.id)?;
                tx.insert(&QUOTES, &stored.id, stored)?;
                tx.insert(&QUOTE_BOARDS, &stored.id, boards)?;
                if let Some(version) = catalog_version {
                    tx.insert(&QUOTE_CATALOG_VERSIONS, &stored.id, &version)?;
                }
                let view = quote(
                    stored.clone(),
                    Some(number.clone()),
                    Some(boards.clone()),
                    catalog_version,
                )?;
                crate::chain::log(tx, EntryKind::Quote, &stored.id, &view)?;
                Ok::<_, AppError>(number)
            })
            .await?;
        quote(record, Some(number), Some(boards), catalog_version)
    }

    /// SPEC §15: whether the catalog changed since quote `id` was priced (a newer catalog
    /// version from HQ), and what the same items cost now. `None` for a quote priced on the
    /// catalog the site still holds, or by a site outside a chain. The quote itself never
    /// changes; accepting it within its validity honours its price.
    pub async fn quote_catalog_change(&self, id: &str) -> Result<Option<CatalogChange>, AppError> {
        let (record, priced_on, current) = self.store().read(|tx| {
            let record = tx
                .get(&QUOTES, id)?
                .ok_or_else(|| AppError::not_found("quote", id))?;
            let priced_on = tx.get(&QUOTE_CATALOG_VERSIONS, id)?;
            Ok::<_, AppError>((record, priced_on, chain_state(tx)?.catalog_version))
        })?;
        let Some(priced_on) = priced_on.filter(|version| *version < current) else {
            return Ok(None);
        };
        let request = same_items(&record);
        let (total, unavailable) = match self.price(&request).await {
            Ok(priced) => (Some(priced.totals.total.to_string()), None),
            Err(AppError::Invalid { problems }) => (
                None,
                Some(
                    problems
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            ),
            Err(error) => return Err(error),
        };
        Ok(Some(CatalogChange {
            priced_on,
            current,
            quoted_total: record.total,
            total,
            unavailable,
        }))
    }

    /// Reprices quote `id` on the catalog as it is now: a new quote of the same items for the
    /// same customer and design; the old one stays as it was.
    pub async fn reprice_quote(&self, id: &str) -> Result<Quote, AppError> {
        let record = self
            .store()
            .read(|tx| tx.get(&QUOTES, id))?
            .ok_or_else(|| AppError::not_found("quote", id))?;
        let request = same_items(&record);
        let links = QuoteLinks {
            customer_id: record.customer_id,
            design_id: record.design_id,
            design_version: record.design_version,
        };
        self.generate_linked_quote(request, links).await
    }

    pub fn get_quote(&self, id: &str) -> Result<Quote, AppError> {
        self.store()
            .read(|tx| quote_view(tx, id))?
            .ok_or_else(|| AppError::not_found("quote", id))
    }

    /// Quotes in the order they were made; `q` finds them by number (`Q-000123`, or its
    /// digits, `123`).
    pub fn list_quotes(&self, query: &ListQuery) -> Result<Page<Quote>, AppError> {
        let paging = paging(query)?;
        self.store().read(|tx| {
            let mut ids = Vec::new();
            let mut total = 0_u64;
            match &paging.needle {
                Some(needle) => {
                    // An exact number is a key lookup, anything else a scan of the numbers.
                    if let Some(id) = tx.get(&QUOTES_BY_NUMBER, &needle.to_uppercase())? {
                        total = 1;
                        if paging.offset == 0 {
                            ids.push(id);
                        }
                    } else {
                        tx.scan_entries(&QUOTE_NUMBERS, None, |id, number| {
                            if number_matches(&number, needle) {
                                if total as usize >= paging.offset && ids.len() < paging.limit {
                                    ids.push(id.to_owned());
                                }
                                total += 1;
                            }
                            true
                        })?;
                    }
                }
                None => {
                    tx.scan_entries(&QUOTES, None, |id, _| {
                        if total as usize >= paging.offset {
                            ids.push(id.to_owned());
                        }
                        total += 1;
                        ids.len() < paging.limit
                    })?;
                    total = tx.count(&QUOTES)?;
                }
            }
            let mut items = Vec::with_capacity(ids.len());
            for id in ids {
                items.extend(quote_view(tx, &id)?);
            }
            Ok::<_, AppError>(Page {
                items,
                total,
                limit: paging.limit as u64,
                offset: paging.offset as u64,
            })
        })
    }
}

/// Whether quote `number` answers the search `needle` (lowercase), as order numbers do: the
/// number itself, or its digits without leading zeros (`123` finds `Q-000123`).
fn number_matches(number: &str, needle: &str) -> bool {
    if number.to_lowercase() == needle {
        return true;
    }
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let wanted = needle.trim_start_matches('0');
    !wanted.is_empty()
        && wanted.bytes().all(|byte| byte.is_ascii_digit())
        && digits.trim_start_matches('0') == wanted
}

/// A request for the items of a stored quote, in its currency and at its tax rate.
fn same_items(record: &QuoteRecord) -> QuoteRequest {
    QuoteRequest {
        items: record
            .lines
            .iter()
            .map(|line| QuoteItemRequest {
                module_id: line.module_id.clone(),
                quantity: i64::from(line.quantity),
                material_id: Some(line.material_id.clone()),
            })
            .collect(),
        currency: Some(record.currency.clone()),
        tax_rate: Some(record.tax_rate.clone()),
    }
}

/// The quote `id` with its number, if it exists.
pub(crate) fn quote_view(tx: &ReadTx, id: &str) -> Result<Option<Quote>, AppError> {
    let Some(record) = tx.get(&QUOTES, id)? else {
        return Ok(None);
    };
    let number = tx.get(&QUOTE_NUMBERS, id)?;
    let boards = tx.get(&QUOTE_BOARDS, id)?;
    let catalog_version = tx.get(&QUOTE_CATALOG_VERSIONS, id)?;
    quote(record, number, boards, catalog_version).map(Some)
}

fn line_record(
    module: &paform_store::records::v3::ModuleRecord,
    material: &paform_store::records::v3::MaterialRecord,
    quantity: Quantity,
    priced: &PricedLine,
    production: Option<FrozenProductionRecord>,
) -> (QuoteLineRecord, PricedLine) {
    let record = QuoteLineRecord {
        module_id: module.id.clone(),
        module_name: module.name.clone(),
        material_id: material.id.clone(),
        material_name: material.name.clone(),
        quantity: quantity.get(),
        area_sq_ft: priced.reported_area().to_string(),
        unit_price: priced.unit_price.to_string(),
        line_total: priced.line_total.to_string(),
        production,
    };
    (record, *priced)
}

fn quote(
    record: QuoteRecord,
    number: Option<String>,
    boards: Option<QuoteBoardsRecord>,
    catalog_version: Option<u64>,
) -> Result<Quote, AppError> {
    let boards = match boards {
        Some(boards) => boards
            .materials
            .into_iter()
            .map(|boards| material_boards(&record.id, boards))
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    Ok(Quote {
        id: record.id,
        number,
        currency: record.currency,
        tax_rate: record.tax_rate,
        lines: record
            .lines
            .into_iter()
            .map(|line| QuoteLine {
                module_id: line.module_id,
                module_name: line.module_name,
                material_id: line.material_id,
                material_name: line.material_name,
                quantity: line.quantity,
                area_sq_ft: line.area_sq_ft,
                unit_price: line.unit_price,
                line_total: line.line_total,
            })
            .collect(),
        subtotal: record.subtotal,
        tax: record.tax,
        total: record.total,
        created_at: record.created_at,
        expires_at: record.expires_at,
        customer_id: record.customer_id,
        design_id: record.design_id,
        design_version: record.design_version,
        boards,
        catalog_version,
    })
}

fn material_boards(
    quote_id: &str,
    record: MaterialBoardsRecord,
) -> Result<MaterialBoards, AppError> {
    let yield_ratio = record.yield_ratio.parse().map_err(|_| {
        AppError::internal(anyhow::anyhow!(
            "quote {quote_id} has the stored yield {:?}",
            record.yield_ratio
        ))
    })?;
    Ok(MaterialBoards {
        material_id: record.material_id,
        material_name: record.material_name,
        pricing: if record.pricing == "by_sheet" {
            PricingMode::BySheet
        } else {
            PricingMode::ByArea
        },
        boards: record
            .boards
            .into_iter()
            .map(|board| BoardCount {
                width: convert::millimetres(&board.width_mm),
                height: convert::millimetres(&board.height_mm),
                count: board.count,
                unit_cost: board.unit_cost,
                offcut_code: board.offcut_code,
            })
            .collect(),
        yield_ratio,
        cut_length_m: record.cut_length_m,
        edge_banding_m: record.edge_banding_m,
        charges: record.charges.map(|charges| BoardCharges {
            sheets: charges.sheets,
            offcuts: charges.offcuts,
            saw_cuts: charges.saw_cuts,
            edge_banding: charges.edge_banding,
            total: charges.total,
            saw_cut_per_m: charges.saw_cut_per_m,
            edge_banding_per_m: charges.edge_banding_per_m,
        }),
        unavailable: record.unavailable,
    })
}

#[cfg(test)]
mod tests {
    use super::number_matches;
    use crate::dto::{ListQuery, QuoteItemRequest, QuoteRequest};
    use crate::{App, AppConfig};

    /// The quote kept in the schema-2 fixture, written before quotes had numbers.
    const V2_QUOTE: &str = "01a22ae0-907f-71dc-8263-b9d2a69b01af";

    #[tokio::test]
    async fn a_quote_stored_before_quote_numbers_reads_without_one_and_new_ones_start_at_one() {
        let data_dir = tempfile::tempdir().expect("a temporary directory");
        let fixture = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../paform-store/tests/fixtures/v2.redb"
        );
        std::fs::copy(fixture, data_dir.path().join(crate::STORE_FILE)).expect("copied");
        let config = AppConfig {
            data_dir: data_dir.path().to_path_buf(),
            seed_demo_catalog: false,
        };
        let app = App::open(&config).await.expect("the old store opens");
        let old = app.get_quote(V2_QUOTE).expect("the old quote reads");
        assert_eq!(old.number, None);
        let listed = app
            .list_quotes(&ListQuery {
                limit: None,
                offset: None,
                q: None,
            })
            .expect("quotes list");
        assert!(listed.items.iter().any(|quote| quote.id == V2_QUOTE));
        assert!(app.quote_document(V2_QUOTE).await.is_ok());

        let material = app
            .create_material(
                serde_json::from_value(
                    serde_json::json!({"name": "Birch", "cost_per_sq_ft": "1.00"}),
                )
                .expect("a material input"),
            )
            .await
            .expect("a material");
        let module = app
            .create_module(
                serde_json::from_value(serde_json::json!({
                    "name": "Cube", "dimensions": {"width": 300, "height": 300, "depth": 300},
                    "base_price": "10.00", "material_id": material.id,
                }))
                .expect("a module input"),
            )
            .await
            .expect("a module");
        let new = app
            .generate_quote(QuoteRequest {
                items: vec![QuoteItemRequest {
                    module_id: module.id,
                    quantity: 1,
                    material_id: None,
                }],
                currency: None,
                tax_rate: None,
            })
            .await
            .expect("a new quote");
        assert_eq!(new.number.as_deref(), Some("Q-000001"));
    }

    #[test]
    fn a_quote_is_found_by_its_number_or_its_digits() {
        let cases = [
            ("q-000123", true),
            ("000123", true),
            ("123", true),
            ("q-0001", false),
            ("12", false),
            ("1234", false),
            ("0", false),
            ("pf-000123", false),
        ];
        for (needle, expected) in cases {
            assert_eq!(number_matches("Q-000123", needle), expected, "{needle}");
        }
    }
}
