//! Production progress (SPEC §12): physical parts scanned at stations as they pass the shop.
//!
//! Every physical part has its own code (`part_code`), the one its label prints: a panel
//! cut once keeps its panel code (`PF-000042-03-B`), a panel cut q times (panel quantity ×
//! line quantity) has the copy codes `PF-000042-03-B1` … `PF-000042-03-Bq`. A station is
//! recorded once per copy code, under `{order id}/{code}` in `PART_SCANS`, and a repeat scan
//! changes nothing. Scanning the bare panel code of a panel cut several times (a label
//! printed before copies had codes) records the station on every copy that lacks it, in one
//! transaction. Scans stored under such a bare code before copies had codes count for every
//! copy when read, so nothing recorded is lost; no new scan is stored under it.
//!
//! Who recorded a station is the actor object of SPEC §5: the operator named with the scan
//! and the paired device whose token sent it (SPEC §17), kept beside the scan under
//! `{order id}/{code}/{station}` in `PART_SCAN_ACTORS`; the scan itself keeps a name.
//! A scan that records a station appends `part_scanned` (the scanned code, the station and
//! the copies it recorded) to the order's audit chain; a repeat scan appends nothing.
//!
//! An order's percentage counts, over its physical parts, the furthest station each
//! reached; the scan that makes every part `assemble`d appends `production_complete` to the
//! order's audit chain and enqueues a `production_complete` job in the same transaction.

use paform_core::problem::Problems;
use paform_store::StoreError;
use paform_store::audit::{NewEvent, append_order_event};
use paform_store::records::floor::{PartScansRecord, ScanActorsRecord, StationScanRecord};
use paform_store::records::v3::{ActorRecord, JobRecord, OrderEventRecord, OrderRecord};
use paform_store::tables_v3::{
    JOBS, JOBS_BY_STATUS, ORDERS, ORDERS_BY_NUMBER, PART_SCAN_ACTORS, PART_SCANS,
};
use paform_store::{ReadTx, WriteTx};
use serde_json::json;

use crate::convert;
use crate::dto::{
    ActorInput, DeviceToken, OrderProduction, PartProgress, ScanRequest, Station, StationScan,
};
use crate::orders::{actor_dto, parse_actor};
use crate::part_code;
use crate::{App, AppError};

/// The job kind enqueued when an order's last part is assembled.
pub(crate) const PRODUCTION_COMPLETE: &str = "production_complete";
/// The role of a paired device as an actor.
const DEVICE_ROLE: &str = "device";
/// The audit event of a scan that recorded a station on at least one part (SPEC §15).
const PART_SCANNED: &str = "part_scanned";

/// One physical part of an order: one copy of a panel.
struct OrderPart {
    code: String,
    panel_code: String,
    /// From 1 to `copies`.
    copy: u32,
    copies: u32,
    module_name: String,
    name: String,
}

/// Every physical part of `order`, in line, panel and copy order.
fn order_parts(order: &OrderRecord) -> Vec<OrderPart> {
    let mut parts = Vec::new();
    for line in &order.line_items {
        let Some(production) = &line.production else {
            continue;
        };
        let line_code = part_code::line_code(&order.number, line.position);
        for (index, panel) in production.panels.iter().enumerate() {
            let panel_code = part_code::panel_code(&line_code, index);
            let copies = panel.quantity.saturating_mul(line.quantity);
            for (copy, code) in (1..).zip(part_code::copy_codes(&panel_code, copies)) {
                parts.push(OrderPart {
                    code,
                    panel_code: panel_code.clone(),
                    copy,
                    copies,
                    module_name: line.module_name.clone(),
                    name: panel.name.clone(),
                });
            }
        }
    }
    parts
}

/// The physical parts a scanned `code` names: every copy of a panel for its panel code
/// (one part when the panel is cut once), one copy for a copy code, none for a code of no
/// part of `order`. A panel code ends in a letter and a copy code of a panel cut several
/// times in a digit, so the two kinds never match the same code.
fn scanned_parts(order: &OrderRecord, code: &str) -> Vec<OrderPart> {
    order_parts(order)
        .into_iter()
        .filter(|part| part.panel_code == code || part.code == code)
        .collect()
}

fn scan_key(order_id: &str, code: &str) -> String {
    format!("{order_id}/{code}")
}

/// Records at the showroom that sold an order the stations a factory's `part_scanned` event
/// (received from HQ, SPEC §15) says its parts reached, so the order page shows the factory's
/// progress. A station already recorded for a part stays as it was.
pub(crate) fn record_received_scan(
    tx: &mut WriteTx,
    event: &OrderEventRecord,
) -> Result<(), AppError> {
    if event.kind != PART_SCANNED {
        return Ok(());
    }
    let data: serde_json::Value = serde_json::from_str(&event.data).map_err(|_| {
        AppError::Unavailable(format!(
            "scan {}/{} from HQ is unreadable",
            event.order_id, event.seq
        ))
    })?;
    let station = data["station"].as_str().unwrap_or_default().to_owned();
    let actor = data["scanned_by"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| event.actor.as_ref().map(|actor| actor.name.clone()))
        .unwrap_or_default();
    let codes = data["parts"].as_array().cloned().unwrap_or_default();
    for code in codes.iter().filter_map(serde_json::Value::as_str) {
        let key = scan_key(&event.order_id, code);
        let mut record = tx.get(&PART_SCANS, &key)?.unwrap_or(PartScansRecord {
            order_id: event.order_id.clone(),
            part_code: code.to_owned(),
            stations: Vec::new(),
        });
        if record.stations.iter().any(|scan| scan.station == station) {
            continue;
        }
        record.stations.push(StationScanRecord {
            station: station.clone(),
            actor: actor.clone(),
            at: event.at.clone(),
        });
        tx.insert(&PART_SCANS, &key, &record)?;
        // The event names one actor: the operator when there was one, else the device.
        let by_device = event.actor.as_ref().is_some_and(|a| a.role == DEVICE_ROLE);
        let actors = ScanActorsRecord {
            operator: event.actor.clone().filter(|_| !by_device),
            device: event.actor.clone().filter(|_| by_device),
        };
        let actors_key = scan_actors_key(&event.order_id, code, &station);
        tx.insert(&PART_SCAN_ACTORS, &actors_key, &actors)?;
    }
    Ok(())
}

fn scan_actors_key(order_id: &str, code: &str, station: &str) -> String {
    format!("{order_id}/{code}/{station}")
}

/// The stations recorded for `part`: under its own code and, for a copy of a panel cut
/// several times, under the bare panel code (scans recorded before copies had codes count
/// for every copy). A station recorded under both is taken from the part's own record.
fn recorded_scans(
    mut get: impl FnMut(&str) -> Result<Option<PartScansRecord>, StoreError>,
    order_id: &str,
    part: &OrderPart,
) -> Result<Vec<StationScanRecord>, AppError> {
    let stations_under =
        |record: Option<PartScansRecord>| record.map(|record| record.stations).unwrap_or_default();
    let mut scans = stations_under(get(&scan_key(order_id, &part.code))?);
    if part.code != part.panel_code {
        for scan in stations_under(get(&scan_key(order_id, &part.panel_code))?) {
            if !scans.iter().any(|known| known.station == scan.station) {
                scans.push(scan);
            }
        }
    }
    Ok(scans)
}

/// A recorded station and who recorded it (`None`: recorded before actor objects).
type Scan = (StationScanRecord, Option<ScanActorsRecord>);

/// The actor objects of `part`'s stations, read beside `scans` through `get`.
fn with_actors(
    mut get: impl FnMut(&str) -> Result<Option<ScanActorsRecord>, StoreError>,
    order_id: &str,
    part: &OrderPart,
    scans: Vec<StationScanRecord>,
) -> Result<Vec<Scan>, AppError> {
    scans
        .into_iter()
        .map(|scan| {
            let mut actors = get(&scan_actors_key(order_id, &part.code, &scan.station))?;
            if actors.is_none() && part.code != part.panel_code {
                actors = get(&scan_actors_key(order_id, &part.panel_code, &scan.station))?;
            }
            Ok((scan, actors))
        })
        .collect()
}

fn stations_of(scans: Vec<Scan>) -> Vec<StationScan> {
    let mut stations: Vec<StationScan> = scans
        .into_iter()
        .filter_map(|(scan, actors)| {
            let (operator, device) = actors
                .map(|actors| (actors.operator, actors.device))
                .unwrap_or_default();
            Some(StationScan {
                station: Station::parse(&scan.station)?,
                actor: scan.actor,
                operator: operator.map(actor_dto),
                device: device.map(actor_dto),
                at: scan.at,
            })
        })
        .collect();
    stations.sort_by_key(|scan| scan.station);
    stations
}

fn part_progress(order_id: &str, part: OrderPart, scans: Vec<Scan>) -> PartProgress {
    PartProgress {
        code: part.code,
        panel_code: part.panel_code,
        copy: Some(part.copy),
        copies: part.copies,
        order_id: order_id.to_owned(),
        module_name: part.module_name,
        name: part.name,
        quantity: 1,
        stations: stations_of(scans),
    }
}

/// The answer to a scan of a panel's bare code that names several copies: the panel as a
/// whole, with the stations every copy has passed (as its first copy recorded them).
fn whole_panel(copies: Vec<PartProgress>) -> Option<PartProgress> {
    let mut copies = copies.into_iter();
    let first = copies.next()?;
    let others: Vec<PartProgress> = copies.collect();
    let stations = first
        .stations
        .into_iter()
        .filter(|scan| {
            others.iter().all(|other| {
                other
                    .stations
                    .iter()
                    .any(|passed| passed.station == scan.station)
            })
        })
        .collect();
    Some(PartProgress {
        code: first.panel_code.clone(),
        panel_code: first.panel_code,
        copy: None,
        copies: first.copies,
        order_id: first.order_id,
        module_name: first.module_name,
        name: first.name,
        quantity: first.copies,
        stations,
    })
}

/// The order a part code belongs to, or a 404 naming the code.
fn order_of_code(tx: &ReadTx, code: &str) -> Result<OrderRecord, AppError> {
    let unknown = || AppError::not_found("part", code);
    let number = part_code::order_number(code).ok_or_else(unknown)?;
    let order_id = tx.get(&ORDERS_BY_NUMBER, number)?.ok_or_else(unknown)?;
    let order = tx.get(&ORDERS, &order_id)?.ok_or_else(unknown)?;
    if scanned_parts(&order, code).is_empty() {
        Err(unknown())
    } else {
        Ok(order)
    }
}

fn production_view(order: &OrderRecord, tx: &ReadTx) -> Result<OrderProduction, AppError> {
    let mut parts = Vec::new();
    for part in order_parts(order) {
        let scans = recorded_scans(|key| tx.get(&PART_SCANS, key), &order.id, &part)?;
        let scans = with_actors(
            |key| tx.get(&PART_SCAN_ACTORS, key),
            &order.id,
            &part,
            scans,
        )?;
        parts.push(part_progress(&order.id, part, scans));
    }
    let reached: u64 = parts
        .iter()
        .map(|part| {
            part.stations
                .iter()
                .map(|scan| scan.station as u64 + 1)
                .max()
                .unwrap_or(0)
        })
        .sum();
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

/// Whether every physical part of `order` is assembled, as written so far in `tx`.
fn all_assembled(tx: &WriteTx, order: &OrderRecord) -> Result<bool, AppError> {
    for part in order_parts(order) {
        let scans = recorded_scans(|key| tx.get(&PART_SCANS, key), &order.id, &part)?;
        if !scans
            .iter()
            .any(|scan| scan.station == Station::Assemble.as_str())
        {
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
    let module_ids = crate::orders::module_ids(order);
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
    /// Records that part `code` passed `request.station`; a repeat changes nothing. The bare
    /// panel code of a panel cut several times records the station on each of its copies.
    /// Who did it is `request.actor` (the operator) and `device`, the paired device whose
    /// token sent the scan; at least one of them must be known.
    pub async fn scan_part(
        &self,
        code: &str,
        request: ScanRequest,
        device: Option<&DeviceToken>,
    ) -> Result<PartProgress, AppError> {
        let mut problems = Problems::new();
        let operator = match &request.actor {
            // The plain name of earlier clients: blank is a missing actor, named as such.
            Some(ActorInput::Name(name)) if name.trim().is_empty() => {
                problems.push("actor", "must name who scanned");
                None
            }
            Some(actor) => Some(parse_actor("actor", actor, &mut problems)),
            None => None,
        };
        let device = device.map(|token| ActorRecord {
            id: token.id.clone(),
            name: token.name.clone(),
            role: DEVICE_ROLE.to_owned(),
        });
        if request.actor.is_none() && device.is_none() {
            problems.push(
                "actor",
                "is required without a device token: name who scanned, {id, name, role}",
            );
        }
        problems.finish()?;
        let actors = ScanActorsRecord { operator, device };
        let actor = actors
            .operator
            .as_ref()
            .or(actors.device.as_ref())
            .map(|actor| actor.name.clone())
            .unwrap_or_default();
        let code = code.trim().to_owned();
        let order_id = self.store().read(|tx| order_of_code(tx, &code))?.id;
        let at = convert::timestamp(self.now());
        let job_id = self.new_id();
        let station = request.station;
        self.store()
            .write(move |tx| {
                let unknown = || AppError::not_found("part", &code);
                let order = tx.get(&ORDERS, &order_id)?.ok_or_else(unknown)?;
                let mut recorded = false;
                let mut recorded_codes = Vec::new();
                let mut scanned = Vec::new();
                for part in scanned_parts(&order, &code) {
                    let mut scans =
                        recorded_scans(|key| tx.get(&PART_SCANS, key), &order.id, &part)?;
                    if !scans.iter().any(|scan| scan.station == station.as_str()) {
                        let scan = StationScanRecord {
                            station: station.as_str().to_owned(),
                            actor: actor.clone(),
                            at: at.clone(),
                        };
                        let key = scan_key(&order.id, &part.code);
                        let mut record = tx.get(&PART_SCANS, &key)?.unwrap_or(PartScansRecord {
                            order_id: order.id.clone(),
                            part_code: part.code.clone(),
                            stations: Vec::new(),
                        });
                        record.stations.push(scan.clone());
                        tx.insert(&PART_SCANS, &key, &record)?;
                        let actors_key = scan_actors_key(&order.id, &part.code, station.as_str());
                        tx.insert(&PART_SCAN_ACTORS, &actors_key, &actors)?;
                        scans.push(scan);
                        recorded = true;
                        recorded_codes.push(part.code.clone());
                    }
                    let scans = with_actors(
                        |key| tx.get(&PART_SCAN_ACTORS, key),
                        &order.id,
                        &part,
                        scans,
                    )?;
                    scanned.push(part_progress(&order.id, part, scans));
                }
                if recorded {
                    append_order_event(
                        tx,
                        NewEvent {
                            order_id: &order.id,
                            kind: PART_SCANNED,
                            actor: actors.operator.clone().or_else(|| actors.device.clone()),
                            note: None,
                            data: json!({
                                "part_code": code,
                                "station": station.as_str(),
                                "scanned_by": actor,
                                "parts": recorded_codes,
                            }),
                            at: &at,
                        },
                    )?;
                }
                if recorded && station == Station::Assemble && all_assembled(tx, &order)? {
                    enqueue_completion(tx, &order, job_id, &at)?;
                }
                if scanned.len() == 1 {
                    scanned.pop().ok_or_else(unknown)
                } else {
                    whole_panel(scanned).ok_or_else(unknown)
                }
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use jiff::Timestamp;

    use super::*;
    use crate::Clock;
    use crate::dto::Order;

    struct FixedClock;

    impl Clock for FixedClock {
        fn now(&self) -> Timestamp {
            "2026-11-30T09:00:00Z".parse().expect("valid timestamp")
        }
    }

    /// An app with one accepted order of one carcass (18 mm board: two sides, top and
    /// bottom, one back), its line `quantity` times.
    async fn order_of_one_carcass(quantity: i64) -> (App, Order) {
        let app = App::in_memory(Arc::new(FixedClock), false)
            .await
            .expect("in-memory app");
        let order = crate::order_tests::sold_order_of(&app, quantity).await;
        (app, order)
    }

    async fn scan(app: &App, code: &str, station: Station) -> Result<PartProgress, AppError> {
        let request = ScanRequest {
            station,
            actor: Some(crate::dto::ActorInput::Name("Tablet".into())),
        };
        app.scan_part(code, request, None).await
    }

    fn device_token() -> DeviceToken {
        DeviceToken {
            id: "tok-1".into(),
            name: "Saw tablet".into(),
            role: "production".into(),
            created_at: "2026-11-30T08:00:00Z".into(),
            last_used_at: None,
            revoked_at: None,
        }
    }

    #[tokio::test]
    async fn a_scan_records_the_operator_object_and_the_paired_device() {
        let (app, order) = order_of_one_carcass(1).await;
        let code = format!("{}-01-A", order.number);
        let operator: crate::dto::ActorInput = serde_json::from_value(serde_json::json!(
            {"id": "u-7", "name": "Rita", "role": "operator"}
        ))
        .expect("an actor object");
        let request = ScanRequest {
            station: Station::Cut,
            actor: Some(operator),
        };
        let progress = app
            .scan_part(&code, request, Some(&device_token()))
            .await
            .expect("recorded");
        let scan = &progress.stations[0];
        assert_eq!(scan.actor, "Rita");
        let expected_operator = crate::dto::Actor {
            id: "u-7".into(),
            name: "Rita".into(),
            role: "operator".into(),
        };
        assert_eq!(scan.operator.as_ref(), Some(&expected_operator));
        let expected_device = crate::dto::Actor {
            id: "tok-1".into(),
            name: "Saw tablet".into(),
            role: "device".into(),
        };
        assert_eq!(scan.device.as_ref(), Some(&expected_device));
        let production = app.order_production(&order.id).expect("production");
        assert_eq!(production.parts[0].stations[0], *scan);
    }

    #[tokio::test]
    async fn without_an_operator_the_paired_device_is_the_actor() {
        let (app, order) = order_of_one_carcass(1).await;
        let code = format!("{}-01-A", order.number);
        let request = ScanRequest {
            station: Station::Edge,
            actor: None,
        };
        let progress = app
            .scan_part(&code, request, Some(&device_token()))
            .await
            .expect("recorded");
        let scan = &progress.stations[0];
        assert_eq!(scan.actor, "Saw tablet");
        assert_eq!(scan.operator, None);
        assert_eq!(
            scan.device.as_ref().map(|device| device.role.as_str()),
            Some("device")
        );
    }

    #[tokio::test]
    async fn a_scan_without_actor_or_device_names_the_actor_field() {
        let (app, order) = order_of_one_carcass(1).await;
        let code = format!("{}-01-A", order.number);
        let request = ScanRequest {
            station: Station::Cut,
            actor: None,
        };
        let refused = app.scan_part(&code, request, None).await;
        match refused {
            Err(AppError::Invalid { problems }) => assert_eq!(problems[0].field, "actor"),
            other => panic!("expected a 422 naming actor, got {other:?}"),
        }
        let blank: crate::dto::ActorInput =
            serde_json::from_value(serde_json::json!({"id": "u-7", "name": " ", "role": "staff"}))
                .expect("an actor object");
        let request = ScanRequest {
            station: Station::Cut,
            actor: Some(blank),
        };
        match app.scan_part(&code, request, None).await {
            Err(AppError::Invalid { problems }) => assert_eq!(problems[0].field, "actor.name"),
            other => panic!("expected a 422 naming actor.name, got {other:?}"),
        }
    }

    /// Each part's code and the stations it passed, in the production view's order.
    fn passed(app: &App, order: &Order) -> Vec<(String, Vec<Station>)> {
        let production = app.order_production(&order.id).expect("production");
        production
            .parts
            .into_iter()
            .map(|part| {
                let stations = part.stations.iter().map(|scan| scan.station).collect();
                (part.code, stations)
            })
            .collect()
    }

    fn check_passed(app: &App, order: &Order, expected: &[(&str, &[Station])]) {
        let number = &order.number;
        let expected: Vec<(String, Vec<Station>)> = expected
            .iter()
            .map(|(suffix, stations)| (format!("{number}-01-{suffix}"), stations.to_vec()))
            .collect();
        assert_eq!(passed(app, order), expected);
    }

    fn percentage(app: &App, order: &Order) -> u32 {
        app.order_production(&order.id)
            .expect("production")
            .percentage
    }

    fn completions(app: &App) -> u64 {
        app.store()
            .read(|tx| tx.index_len(&JOBS_BY_STATUS, &format!("pending/{PRODUCTION_COMPLETE}")))
            .expect("jobs")
    }

    const NONE: &[Station] = &[];
    const CUT: &[Station] = &[Station::Cut];
    const CUT_EDGE: &[Station] = &[Station::Cut, Station::Edge];

    #[tokio::test]
    async fn every_copy_is_a_part_and_a_panel_cut_once_keeps_its_panel_code() {
        let (app, order) = order_of_one_carcass(1).await;
        check_passed(
            &app,
            &order,
            &[
                ("A1", NONE),
                ("A2", NONE),
                ("B1", NONE),
                ("B2", NONE),
                ("C", NONE),
            ],
        );
        let parts = app.order_production(&order.id).expect("production").parts;
        let side = &parts[1];
        assert_eq!(side.panel_code, format!("{}-01-A", order.number));
        assert_eq!((side.copy, side.copies, side.quantity), (Some(2), 2, 1));
        let back = &parts[4];
        assert_eq!(back.code, back.panel_code);
        assert_eq!((back.copy, back.copies, back.quantity), (Some(1), 1, 1));

        let (app, order) = order_of_one_carcass(2).await;
        check_passed(
            &app,
            &order,
            &[
                ("A1", NONE),
                ("A2", NONE),
                ("A3", NONE),
                ("A4", NONE),
                ("B1", NONE),
                ("B2", NONE),
                ("B3", NONE),
                ("B4", NONE),
                ("C1", NONE),
                ("C2", NONE),
            ],
        );
    }

    #[tokio::test]
    async fn a_copy_scan_records_that_copy_and_a_bare_panel_code_records_every_copy_once() {
        let (app, order) = order_of_one_carcass(1).await;
        let code = |suffix: &str| format!("{}-01-{suffix}", order.number);
        let first = scan(&app, &code("A1"), Station::Cut)
            .await
            .expect("scanned");
        assert_eq!(
            (first.code.as_str(), first.copy),
            (code("A1").as_str(), Some(1))
        );
        check_passed(
            &app,
            &order,
            &[
                ("A1", CUT),
                ("A2", NONE),
                ("B1", NONE),
                ("B2", NONE),
                ("C", NONE),
            ],
        );
        // One part of five at its first station of four.
        assert_eq!(percentage(&app, &order), 5);

        let whole = scan(&app, &code("A"), Station::Cut).await.expect("scanned");
        assert_eq!(whole.code, code("A"));
        assert_eq!((whole.copy, whole.copies, whole.quantity), (None, 2, 2));
        assert_eq!(whole.stations.len(), 1);
        assert_eq!(whole.stations[0].station, Station::Cut);
        check_passed(
            &app,
            &order,
            &[
                ("A1", CUT),
                ("A2", CUT),
                ("B1", NONE),
                ("B2", NONE),
                ("C", NONE),
            ],
        );
        let before = app.order_production(&order.id).expect("production");
        let again = scan(&app, &code("A"), Station::Cut).await.expect("scanned");
        assert_eq!(again, whole, "a repeated scan changes nothing");
        assert_eq!(app.order_production(&order.id).expect("production"), before);

        // A bare code answers with the stations every copy has passed.
        scan(&app, &code("A2"), Station::Edge)
            .await
            .expect("scanned");
        let partly = scan(&app, &code("A"), Station::Cut).await.expect("scanned");
        assert_eq!(partly.stations.len(), 1);
        // The back is cut once: its code is its panel code, and its copy is the panel.
        let back = scan(&app, &code("C"), Station::Cut).await.expect("scanned");
        assert_eq!((back.copy, back.quantity), (Some(1), 1));
        check_passed(
            &app,
            &order,
            &[
                ("A1", CUT),
                ("A2", CUT_EDGE),
                ("B1", NONE),
                ("B2", NONE),
                ("C", CUT),
            ],
        );
    }

    #[tokio::test]
    async fn a_code_of_no_part_is_a_404_naming_it() {
        let (app, order) = order_of_one_carcass(1).await;
        let number = &order.number;
        for suffix in ["A3", "A0", "A01", "C1", "D", "a1", ""] {
            let code = format!("{number}-01-{suffix}");
            match scan(&app, &code, Station::Cut).await {
                Err(AppError::NotFound { kind: "part", id }) => assert_eq!(id, code),
                other => panic!("{code}: expected a 404, got {other:?}"),
            }
        }
        check_passed(
            &app,
            &order,
            &[
                ("A1", NONE),
                ("A2", NONE),
                ("B1", NONE),
                ("B2", NONE),
                ("C", NONE),
            ],
        );
    }

    #[tokio::test]
    async fn scans_stored_under_a_bare_code_before_copies_had_codes_count_for_every_copy() {
        let (app, order) = order_of_one_carcass(1).await;
        let code = |suffix: &str| format!("{}-01-{suffix}", order.number);
        let legacy = PartScansRecord {
            order_id: order.id.clone(),
            part_code: code("A"),
            stations: vec![StationScanRecord {
                station: "cut".into(),
                actor: "Old tablet".into(),
                at: "2026-11-01T09:00:00Z".into(),
            }],
        };
        let key = scan_key(&order.id, &code("A"));
        app.store()
            .write(move |tx| tx.insert(&PART_SCANS, &key, &legacy))
            .await
            .expect("written");
        check_passed(
            &app,
            &order,
            &[
                ("A1", CUT),
                ("A2", CUT),
                ("B1", NONE),
                ("B2", NONE),
                ("C", NONE),
            ],
        );
        assert_eq!(percentage(&app, &order), 10);

        // The copy already passed the saw: the old scan stands.
        let repeat = scan(&app, &code("A1"), Station::Cut)
            .await
            .expect("scanned");
        assert_eq!(repeat.stations[0].actor, "Old tablet");
        scan(&app, &code("A2"), Station::Edge)
            .await
            .expect("scanned");
        check_passed(
            &app,
            &order,
            &[
                ("A1", CUT),
                ("A2", CUT_EDGE),
                ("B1", NONE),
                ("B2", NONE),
                ("C", NONE),
            ],
        );
        let stored = app
            .store()
            .read(|tx| tx.get(&PART_SCANS, &scan_key(&order.id, &code("A1"))))
            .expect("read");
        assert_eq!(stored, None, "no scan was added to the first copy");
    }

    #[tokio::test]
    async fn the_last_physical_part_assembled_completes_the_order_once() {
        let (app, order) = order_of_one_carcass(1).await;
        let code = |suffix: &str| format!("{}-01-{suffix}", order.number);
        for suffix in ["A", "B1", "C"] {
            scan(&app, &code(suffix), Station::Assemble)
                .await
                .expect("scanned");
        }
        let production = app.order_production(&order.id).expect("production");
        assert_eq!((production.percentage, production.complete), (80, false));
        assert_eq!(completions(&app), 0);

        scan(&app, &code("B2"), Station::Assemble)
            .await
            .expect("scanned");
        let production = app.order_production(&order.id).expect("production");
        assert_eq!((production.percentage, production.complete), (100, true));
        assert_eq!(completions(&app), 1);
        for suffix in ["B", "B2", "A1"] {
            scan(&app, &code(suffix), Station::Assemble)
                .await
                .expect("scanned");
        }
        assert_eq!(completions(&app), 1, "completion is recorded once");
    }

    #[test]
    fn only_the_stations_every_copy_passed_belong_to_the_whole_panel() {
        let copy = |copy: u32, stations: &[Station]| PartProgress {
            code: format!("PF-000001-01-A{copy}"),
            panel_code: "PF-000001-01-A".into(),
            copy: Some(copy),
            copies: 3,
            order_id: "order".into(),
            module_name: "Base".into(),
            name: "side".into(),
            quantity: 1,
            stations: stations
                .iter()
                .map(|station| StationScan {
                    station: *station,
                    actor: format!("copy {copy}"),
                    operator: None,
                    device: None,
                    at: "2026-11-30T09:00:00Z".into(),
                })
                .collect(),
        };
        let whole = whole_panel(vec![
            copy(1, CUT_EDGE),
            copy(2, &[Station::Cut, Station::Edge, Station::Drill]),
            copy(3, &[Station::Edge]),
        ])
        .expect("a panel");
        assert_eq!(whole.code, "PF-000001-01-A");
        assert_eq!((whole.copy, whole.quantity), (None, 3));
        let stations: Vec<(Station, &str)> = whole
            .stations
            .iter()
            .map(|scan| (scan.station, scan.actor.as_str()))
            .collect();
        assert_eq!(stations, [(Station::Edge, "copy 1")]);
        assert_eq!(whole_panel(Vec::new()), None);
    }
}
