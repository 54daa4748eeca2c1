//! Quote use cases (SPEC §4): price a list of modules exactly and persist the quote.
//! A quote is immutable once written; accepting it into an order is recorded elsewhere.

use jiff::{SignedDuration, Timestamp};
use paform_api::chain::EntryKind;
use paform_core::pricing::{self, PricedLine, TaxRate};
use paform_core::problem::Problems;
use paform_core::units::Quantity;
use paform_store::records::v3::{FrozenProductionRecord, QuoteLineRecord, QuoteRecord};
use paform_store::specs::freeze_production;
use paform_store::tables_v3::{QUOTES, QUOTES_BY_CUSTOMER};

use crate::catalog::{ResolvedItem, material_spec, module_spec, resolve_item};
use crate::convert;
use crate::dto::{Quote, QuoteLine, QuoteRequest};
use crate::settings::parse_currency;
use crate::{App, AppError};

/// The most lines one quote may have.
pub(crate) const MAX_QUOTE_LINES: usize = 500;

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

    pub(crate) async fn generate_linked_quote(
        &self,
        request: QuoteRequest,
        links: QuoteLinks,
    ) -> Result<Quote, AppError> {
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

        let lines = self.store().read(|tx| {
            let mut lines = Vec::with_capacity(request.items.len());
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
                        let production = freeze_production(&module, &material)?;
                        lines.push(line_record(
                            &module, &material, quantity, &priced, production,
                        ));
                    }
                    Err(error) => problems.push(field("material_id"), error),
                }
            }
            Ok::<_, AppError>(lines)
        })?;
        problems.finish()?;
        let (Some(currency), Some(tax_rate)) = (currency, tax_rate) else {
            unreachable!("a missing currency or tax rate recorded a problem");
        };

        let priced: Vec<PricedLine> = lines.iter().map(|(_, priced)| *priced).collect();
        let totals = pricing::totals(&priced, tax_rate);
        let created_at = self.now();
        let validity = SignedDuration::from_hours(24 * i64::from(settings.quote_validity_days));
        let expires_at = created_at.checked_add(validity).unwrap_or(Timestamp::MAX);
        let record = QuoteRecord {
            id: self.new_id(),
            currency,
            tax_rate: tax_rate.rate().to_string(),
            lines: lines.into_iter().map(|(line, _)| line).collect(),
            subtotal: totals.subtotal.to_string(),
            tax: totals.tax.to_string(),
            total: totals.total.to_string(),
            created_at: convert::timestamp(created_at),
            expires_at: convert::timestamp(expires_at),
            customer_id: links.customer_id.clone(),
            design_id: links.design_id,
            design_version: links.design_version,
        };
        let stored = record.clone();
        self.store()
            .write(move |tx| {
                if let Some(customer_id) = &links.customer_id {
                    tx.index_insert(&QUOTES_BY_CUSTOMER, customer_id, &stored.id)?;
                }
                tx.insert(&QUOTES, &stored.id, &stored)?;
                crate::chain::log(tx, EntryKind::Quote, &stored.id, &quote(stored.clone()))
            })
            .await?;
        Ok(quote(record))
    }

    pub fn get_quote(&self, id: &str) -> Result<Quote, AppError> {
        let record = self.store().read(|tx| tx.get(&QUOTES, id))?;
        record
            .map(quote)
            .ok_or_else(|| AppError::not_found("quote", id))
    }
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

pub(crate) fn quote(record: QuoteRecord) -> Quote {
    Quote {
        id: record.id,
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
    }
}
