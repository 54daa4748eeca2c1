//! Production progress (SPEC §12): parts scanned at stations as they pass the shop.
//!
//! A part code (`PF-000042-03-B`: order number, line position, panel letter, as the CNC
//! export and the labels print it) stands for every copy of that panel in its line: a
//! station is recorded once per code, and a repeat scan changes nothing. An order's
//! percentage counts, over its part codes, the furthest station each reached; the scan
//! that makes every part `assemble`d appends `production_complete` to the order's audit
//! chain and enqueues a `production_complete` job in the same transaction.

use paform_core::problem::Problems;
use paform_store::audit::{NewEvent, append_order_event};
use paform_store::records::floor::{PartScansRecord, StationScanRecord};
use paform_store::records::v3::{JobRecord, OrderRecord};
use paform_store::tables_v3::{JOBS, JOBS_BY_STATUS, ORDERS, ORDERS_BY_NUMBER, PART_SCANS};
use paform_store::{ReadTx, WriteTx};
use serde_json::json;

use crate::cnc::panel_letter;
use crate::convert;
use crate::dto::{OrderProduction, PartProgress, ScanRequest, Station, StationScan};
use crate::{App, AppError};

/// The job kind enqueued when an order's last part is assembled.
pub(crate) const PRODUCTION_COMPLETE: &str = "production_complete";
const MAX_ACTOR_CHARS: usize = 100;

/// One part code of an order.
struct OrderPart {
    code: String,
    module_name: String,
    name: String,
    quantity: u32,
}

/// Every part code of `order`, in line and panel order.
fn order_parts(order: &OrderRecord) -> Vec<OrderPart> {
    let mut parts = Vec::new();
    for line in &order.line_items {
        let Some(production) = &line.production else {
            continue;
        };
        for (index, panel) in production.panels.iter().enumerate() {
            parts.push(OrderPart {
                code: format!(
                    "{}-{:02}-{}",
                    order.number,
                    line.position,
                    panel_letter(index)
                ),
                module_name: line.module_name.clone(),
                name: panel.name.clone(),
                quantity: panel.quantity.saturating_mul(line.quantity),
            });
        }
    }
    parts
}

fn scan_key(order_id: &str, code: &str) -> String {
    format!("{order_id}/{code}")
}

fn stations_of(record: Option<PartScansRecord>) -> Vec<StationScan> {
    let mut stations: Vec<StationScan> = record
        .map(|record| record.stations)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|scan| {
            Some(StationScan {
                station: Station::parse(&scan.station)?,
                actor: scan.actor,
                at: scan.at,
            })
        })
        .collect();
    stations.sort_by_key(|scan| scan.station);
    stations
}

/// The order a part code belongs to, or a 404 naming the code.
fn order_of_code(tx: &ReadTx, code: &str) -> Result<OrderRecord, AppError> {
    let unknown = || AppError::not_found("part", code);
    let mut pieces = code.rsplitn(3, '-');
    let (Some(_letter), Some(_position), Some(number)) =
        (pieces.next(), pieces.next(), pieces.next())
    else {
        return Err(unknown());
    };
    let order_id = tx.get(&ORDERS_BY_NUMBER, number)?.ok_or_else(unknown)?;
    let order = tx.get(&ORDERS, &order_id)?.ok_or_else(unknown)?;
    if order_parts(&order).iter().any(|part| part.code == code) {
        Ok(order)
    } else {
        Err(unknown())
    }
}

fn production_view(order: &OrderRecord, tx: &ReadTx) -> Result<OrderProduction, AppError> {
    let mut parts = Vec::new();
    let mut reached = 0_u64;
    for part in order_parts(order) {
        let stations = stations_of(tx.get(&PART_SCANS, &scan_key(&order.id, &part.code))?);
        reached += stations
            .iter()
            .map(|scan| scan.station as u64 + 1)
            .max()
            .unwrap_or(0);
        parts.push(PartProgress {
            code: part.code,
            order_id: order.id.clone(),
            module_name: part.module_name,
            name: part.name,
            quantity: part.quantity,
            stations,
        });
    }
    let possible = parts.len() as u64 * Station::ALL.len() as u64;
    let complete = !parts.is_empty()
        && parts.iter().all(|part| {
            part.stations
                .iter()
                .any(|scan| scan.station == Station::Assemble)
        });
    Ok(OrderProduction {
        order_id: order.id.clone(),
        order_number: order.number.clone(),
        percentage: if complete {
            100
        } else {
            (reached * 100).checked_div(possible).unwrap_or(0).min(99) as u32
        },
        complete,
        parts,
    })
}

/// Whether every part of `order` is assembled, as written so far in `tx`.
fn all_assembled(tx: &WriteTx, order: &OrderRecord) -> Result<bool, AppError> {
    for part in order_parts(order) {
        let scans = tx.get(&PART_SCANS, &scan_key(&order.id, &part.code))?;
        let assembled = scans.is_some_and(|record| {
            record
                .stations
                .iter()
                .any(|scan| scan.station == Station::Assemble.as_str())
        });
        if !assembled {
            return Ok(false);
        }
    }
    Ok(true)
}

fn enqueue_completion(
    tx: &mut WriteTx,
    order: &OrderRecord,
    job_id: String,
    at: &str,
) -> Result<(), AppError> {
    append_order_event(
        tx,
        NewEvent {
            order_id: &order.id,
            kind: PRODUCTION_COMPLETE,
            actor: None,
            note: None,
            data: json!({"parts": order_parts(order).len()}),
            at,
        },
    )?;
    let mut module_ids: Vec<String> = order
        .line_items
        .iter()
        .map(|line| line.module_id.clone())
        .collect();
    module_ids.sort();
    module_ids.dedup();
    let job = JobRecord {
        id: job_id,
        kind: PRODUCTION_COMPLETE.to_owned(),
        order_id: order.id.clone(),
        line_item_ids: order
            .line_items
            .iter()
            .map(|line| line.id.clone())
            .collect(),
        module_ids,
        status: "pending".into(),
        created_at: at.to_owned(),
        acked_at: None,
    };
    tx.insert(&JOBS, &job.id, &job)?;
    tx.index_insert(
        &JOBS_BY_STATUS,
        &format!("pending/{PRODUCTION_COMPLETE}"),
        &job.id,
    )?;
    Ok(())
}

impl App {
    /// Records that part `code` passed `request.station`; a repeat changes nothing.
    pub async fn scan_part(
        &self,
        code: &str,
        request: ScanRequest,
    ) -> Result<PartProgress, AppError> {
        let mut problems = Problems::new();
        let actor = request.actor.trim().to_owned();
        let actor_chars = actor.chars().count();
        if actor_chars == 0 || actor_chars > MAX_ACTOR_CHARS {
            problems.push(
                "actor",
                format!("must have 1 to {MAX_ACTOR_CHARS} characters"),
            );
        }
        problems.finish()?;
        let code = code.trim().to_owned();
        let order_id = self.store().read(|tx| order_of_code(tx, &code))?.id;
        let at = convert::timestamp(self.now());
        let job_id = self.new_id();
        let station = request.station;
        self.store()
            .write(move |tx| {
                let order = tx
                    .get(&ORDERS, &order_id)?
                    .ok_or_else(|| AppError::not_found("part", &code))?;
                let part = order_parts(&order)
                    .into_iter()
                    .find(|part| part.code == code)
                    .ok_or_else(|| AppError::not_found("part", &code))?;
                let key = scan_key(&order.id, &code);
                let mut record = tx.get(&PART_SCANS, &key)?.unwrap_or(PartScansRecord {
                    order_id: order.id.clone(),
                    part_code: code.clone(),
                    stations: Vec::new(),
                });
                if !record
                    .stations
                    .iter()
                    .any(|scan| scan.station == station.as_str())
                {
                    record.stations.push(StationScanRecord {
                        station: station.as_str().to_owned(),
                        actor,
                        at: at.clone(),
                    });
                    tx.insert(&PART_SCANS, &key, &record)?;
                    if station == Station::Assemble && all_assembled(tx, &order)? {
                        enqueue_completion(tx, &order, job_id, &at)?;
                    }
                }
                Ok(PartProgress {
                    code: part.code,
                    order_id: order.id,
                    module_name: part.module_name,
                    name: part.name,
                    quantity: part.quantity,
                    stations: stations_of(Some(record)),
                })
            })
            .await
    }

    /// Each part of an order with its stations, and the order's percentage.
    pub fn order_production(&self, order_id: &str) -> Result<OrderProduction, AppError> {
        self.store().read(|tx| {
            let order = tx
                .get(&ORDERS, order_id)?
                .ok_or_else(|| AppError::not_found("order", order_id))?;
            production_view(&order, tx)
        })
    }
}
