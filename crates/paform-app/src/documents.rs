//! Documents (SPEC §11, §12): the quote and order PDFs, and the labels of offcuts. This
//! module gathers what a document shows (business details from the settings, the customer or
//! buyer, lines with their frozen dimensions, adjustments, totals, the design's picture; an
//! offcut's size and material) and hands it to the pure renderer `paform_documents`;
//! rendering runs on a blocking thread.

use paform_core::money::Money;
use paform_core::problem::Problems;
use paform_documents::labels::{self, LabelFormat, OffcutLabel};
use paform_documents::{
    BoardSummary, Business, CommercialDocument, DocumentKind, DocumentLine, Party,
};
use paform_store::records::v3::QuoteRecord;
use paform_store::tables_v3::{CUSTOMERS, MATERIALS, QUOTES, SAVED_DESIGNS};

use crate::designs::SNAPSHOTS_DIR;
use crate::dto::{MaterialBoards, OffcutListQuery, Order, PricingMode, Quote};
use crate::quotes::quote_view;
use crate::{App, AppError};

/// `600 × 720 × 560` from stored millimetre strings.
fn dimensions(width: &str, height: &str, depth: &str) -> String {
    format!("{width} × {height} × {depth}")
}

/// A material's boards as the quote document lists them: what was used, and for a material
/// priced by the sheet every part of its charge.
fn board_summary(boards: &MaterialBoards) -> BoardSummary {
    let mm = |value: f64| format!("{value}");
    if let Some(reason) = &boards.unavailable {
        return BoardSummary {
            heading: format!("{}: not nested on its stock", boards.material_name),
            rows: vec![(reason.clone(), String::new())],
        };
    }
    let count: u32 = boards.boards.iter().map(|board| board.count).sum();
    let mut rows = Vec::new();
    for board in &boards.boards {
        let size = format!("{} × {} mm", mm(board.width), mm(board.height));
        match (&board.offcut_code, &board.unit_cost) {
            (Some(code), _) => {
                rows.push((format!("Offcut {code} from stock, {size}"), String::new()))
            }
            (None, Some(cost)) if boards.pricing == PricingMode::BySheet => {
                let amount = Money::parse(cost).map_or_else(
                    |_| String::new(),
                    |cost| cost.times(board.count).to_string(),
                );
                rows.push((format!("{} × board {size} at {cost}", board.count), amount));
            }
            (None, _) => rows.push((format!("{} × board {size}", board.count), String::new())),
        }
    }
    match &boards.charges {
        Some(charges) => {
            if boards
                .boards
                .iter()
                .any(|board| board.offcut_code.is_some())
            {
                rows.push((
                    "Offcuts from stock, at their area".to_owned(),
                    charges.offcuts.clone(),
                ));
            }
            rows.push((
                format!(
                    "Saw cuts, {} m at {} per m",
                    boards.cut_length_m, charges.saw_cut_per_m
                ),
                charges.saw_cuts.clone(),
            ));
            rows.push((
                format!(
                    "Edge banding, {} m at {} per m",
                    boards.edge_banding_m, charges.edge_banding_per_m
                ),
                charges.edge_banding.clone(),
            ));
            rows.push((
                "Board cost, in the lines' prices by panel area".to_owned(),
                charges.total.clone(),
            ));
        }
        None => rows.push((
            format!(
                "Saw cuts {} m, edge banding {} m; priced by panel area",
                boards.cut_length_m, boards.edge_banding_m
            ),
            String::new(),
        )),
    }
    BoardSummary {
        heading: format!(
            "{}: {count} board{}, yield {:.0} %",
            boards.material_name,
            if count == 1 { "" } else { "s" },
            boards.yield_ratio * 100.0
        ),
        rows,
    }
}

fn date(timestamp: &str) -> String {
    timestamp.get(..10).unwrap_or(timestamp).to_owned()
}

/// `0.13` → `Tax (13%)`.
fn tax_label(rate: &str) -> String {
    match rate.parse::<rust_decimal::Decimal>() {
        Ok(rate) => format!(
            "Tax ({}%)",
            (rate * rust_decimal::Decimal::ONE_HUNDRED).normalize()
        ),
        Err(_) => "Tax".to_owned(),
    }
}

fn render_error(error: paform_documents::DocumentError) -> AppError {
    AppError::internal(anyhow::Error::new(error).context("a document could not be rendered"))
}

impl App {
    /// The business named on documents (settings).
    fn business(&self) -> Result<Business, AppError> {
        let settings = self.settings_record()?;
        let business = settings.business;
        Ok(Business {
            name: business.name,
            address: business.address,
            phone: business.phone,
            email: business.email,
        })
    }

    /// The picture of a saved design, if it has one and the file is readable.
    fn design_picture(&self, design_id: Option<&str>) -> Result<Option<Vec<u8>>, AppError> {
        let Some(design_id) = design_id else {
            return Ok(None);
        };
        let design = self.store().read(|tx| tx.get(&SAVED_DESIGNS, design_id))?;
        let Some(snapshot) = design.and_then(|design| design.snapshot) else {
            return Ok(None);
        };
        let path = self.data_dir().join(SNAPSHOTS_DIR).join(&snapshot.file);
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(error) => {
                tracing::warn!(file = %path.display(), %error, "a design snapshot is missing; the document is made without it");
                Ok(None)
            }
        }
    }

    fn customer_party(&self, customer_id: Option<&str>) -> Result<Option<Party>, AppError> {
        let Some(customer_id) = customer_id else {
            return Ok(None);
        };
        let customer = self.store().read(|tx| tx.get(&CUSTOMERS, customer_id))?;
        Ok(customer.map(|customer| Party {
            name: customer.name,
            email: customer.email,
            phone: customer.phone,
            address: customer.address,
        }))
    }

    /// The quote as a PDF.
    pub async fn quote_document(&self, id: &str) -> Result<Vec<u8>, AppError> {
        let (record, view): (QuoteRecord, Quote) = self
            .store()
            .read(|tx| {
                let Some(record) = tx.get(&QUOTES, id)? else {
                    return Ok(None);
                };
                let view = quote_view(tx, id)?;
                Ok::<_, AppError>(view.map(|view| (record, view)))
            })?
            .ok_or_else(|| AppError::not_found("quote", id))?;
        let number = view.number.clone();
        let document = CommercialDocument {
            kind: DocumentKind::Quote,
            // A quote made before quote numbers is known by its id.
            reference: number.unwrap_or_else(|| record.id.clone()),
            business: self.business()?,
            customer: self.customer_party(record.customer_id.as_deref())?,
            facts: vec![
                ("Date".to_owned(), date(&record.created_at)),
                ("Valid until".to_owned(), date(&record.expires_at)),
            ],
            currency: record.currency.clone(),
            lines: record
                .lines
                .iter()
                .map(|line| DocumentLine {
                    name: line.module_name.clone(),
                    dimensions: line.production.as_ref().map_or_else(String::new, |frozen| {
                        dimensions(&frozen.width_mm, &frozen.height_mm, &frozen.depth_mm)
                    }),
                    material: line.material_name.clone(),
                    quantity: line.quantity,
                    unit_price: line.unit_price.clone(),
                    discount: None,
                    line_total: line.line_total.clone(),
                })
                .collect(),
            subtotal: record.subtotal.clone(),
            adjustments: Vec::new(),
            tax_label: tax_label(&record.tax_rate),
            tax: record.tax.clone(),
            total: record.total.clone(),
            settlement: Vec::new(),
            picture: self.design_picture(record.design_id.as_deref())?,
            boards: view.boards.iter().map(board_summary).collect(),
            notes: vec![format!(
                "This quote is valid until {}. Prices are in {} and include the tax shown. \
                 Shipping and installation are quoted separately.",
                date(&record.expires_at),
                record.currency
            )],
        };
        render(document).await
    }

    /// The order as a PDF (its current terms, payments and balance), with its number.
    pub async fn order_document(&self, id: &str) -> Result<(String, Vec<u8>), AppError> {
        let order: Order = self.get_order(id)?;
        let (customer_id, design_id) = self.store().read(|tx| {
            let record = tx.get(&paform_store::tables_v3::ORDERS, id)?;
            let customer_id = record.as_ref().and_then(|order| order.customer_id.clone());
            let quote = match &record {
                Some(order) => tx.get(&QUOTES, &order.quote_id)?,
                None => None,
            };
            Ok::<_, AppError>((customer_id, quote.and_then(|quote| quote.design_id)))
        })?;
        let customer = self.customer_party(customer_id.as_deref())?;
        let buyer = Party {
            name: order.buyer.name.clone(),
            email: Some(order.buyer.email.clone()).filter(|email| !email.is_empty()),
            phone: order.buyer.phone.clone(),
            address: customer.and_then(|customer| customer.address),
        };
        let mut facts = vec![
            ("Date".to_owned(), date(&order.created_at)),
            ("Status".to_owned(), order.status.replace('_', " ")),
        ];
        if let Some(promised) = &order.shipping_promised_date {
            facts.push(("Delivery by".to_owned(), promised.clone()));
        }
        let mut adjustments = Vec::new();
        if order.discount != "0.00" {
            let label = match &order.discount_reason {
                Some(reason) => format!("Discount ({reason})"),
                None => "Discount".to_owned(),
            };
            adjustments.push((label, format!("-{}", order.discount)));
        }
        adjustments.push(("Shipping".to_owned(), order.shipping.clone()));
        let document = CommercialDocument {
            kind: DocumentKind::Order,
            reference: order.number.clone(),
            business: self.business()?,
            customer: Some(buyer),
            facts,
            currency: order.currency.clone(),
            lines: order
                .line_items
                .iter()
                .map(|line| DocumentLine {
                    name: match &line.finish_override {
                        Some(finish) => format!("{} ({})", line.module_name, finish.name),
                        None => line.module_name.clone(),
                    },
                    dimensions: line.production.as_ref().map_or_else(String::new, |frozen| {
                        let size = &frozen.dimensions;
                        format!("{} × {} × {}", size.width, size.height, size.depth)
                    }),
                    material: line.material_name.clone(),
                    quantity: line.quantity,
                    unit_price: line.unit_price.clone(),
                    discount: (line.discount != "0.00").then(|| {
                        (
                            line.discount_reason.clone().unwrap_or_default(),
                            line.discount.clone(),
                        )
                    }),
                    line_total: line.line_total.clone(),
                })
                .collect(),
            subtotal: order.subtotal.clone(),
            adjustments,
            tax_label: tax_label(&order.tax_rate),
            tax: order.tax.clone(),
            total: order.total.clone(),
            settlement: vec![
                ("Paid".to_owned(), order.amount_paid.clone()),
                ("Balance due".to_owned(), order.balance_due.clone()),
            ],
            picture: self.design_picture(design_id.as_deref())?,
            boards: Vec::new(),
            notes: vec![format!(
                "Order {} of {}. Please quote the order number with every payment.",
                order.number,
                date(&order.created_at)
            )],
        };
        Ok((order.number.clone(), render(document).await?))
    }
}

impl App {
    /// One label per offcut `query` lists, oldest first, in the settings' label format; a
    /// list with nothing to label is a problem naming the filter.
    pub async fn offcut_labels(&self, query: &OffcutListQuery) -> Result<Vec<u8>, AppError> {
        let offcuts = self.list_offcuts(query)?;
        if offcuts.is_empty() {
            let mut problems = Problems::new();
            match &query.material_id {
                Some(_) => problems.push("material_id", "this material has no offcuts to label"),
                None => problems.push("offcuts", "there are no offcuts to label"),
            }
            problems.finish()?;
        }
        let materials = self.store().read(|tx| {
            let mut found = std::collections::HashMap::new();
            for offcut in &offcuts {
                if !found.contains_key(&offcut.material_id)
                    && let Some(material) = tx.get(&MATERIALS, &offcut.material_id)?
                {
                    found.insert(offcut.material_id.clone(), material);
                }
            }
            Ok::<_, AppError>(found)
        })?;
        let format = LabelFormat::parse(&self.settings_record()?.label_format)
            .unwrap_or(LabelFormat::A4ThreeByEight);
        let labels: Vec<OffcutLabel> = offcuts
            .into_iter()
            .map(|offcut| {
                let material = materials.get(&offcut.material_id);
                let thickness = material
                    .and_then(|material| material.thickness_mm.clone())
                    .unwrap_or_else(|| "?".to_owned());
                OffcutLabel {
                    size: format!("{} × {} × {thickness}", offcut.width, offcut.height),
                    material: material
                        .map_or_else(|| offcut.material_id.clone(), |m| m.name.clone()),
                    // The last characters of an id are its random part, as the UI shows it.
                    origin: format!(
                        "from export {}",
                        offcut
                            .from_export
                            .get(offcut.from_export.len().saturating_sub(8)..)
                            .unwrap_or(&offcut.from_export)
                    ),
                    recorded: date(&offcut.created_at),
                    code: offcut.code,
                }
            })
            .collect();
        tokio::task::spawn_blocking(move || labels::render_offcuts(&labels, format))
            .await
            .map_err(crate::artifacts::join_error)?
            .map_err(render_error)
    }
}

async fn render(document: CommercialDocument) -> Result<Vec<u8>, AppError> {
    tokio::task::spawn_blocking(move || paform_documents::render(&document))
        .await
        .map_err(crate::artifacts::join_error)?
        .map_err(render_error)
}
