//! Order use cases (SPEC §5): accepting a quote into an order that freezes its terms, the
//! status machine with its guards and audit trail, and the production outbox.
//!
//! Every transition runs in one store write: version check, guards, the status change, the
//! index move, the audit event and (for `production_ready`) the outbox jobs land together
//! or not at all. Writes are serialized, so of two racing requests for one step exactly
//! one wins and the other sees the moved order and gets a 409.

use jiff::Timestamp;
use paform_core::catalog::Name;
use paform_core::money::Money;
use paform_core::order::ledger::{self, LedgerEntry};
use paform_core::order::projection::ORDER_CREATED;
use paform_core::order::state::{self, GuardFacts, OrderStatus};
use paform_core::problem::Problems;
use paform_store::audit::{
    NewEvent, OrderMismatch, append_order_event, check_order, order_created_data, project_events,
    sequence_key, status_data,
};
use paform_store::chain::{PRODUCTION_EVENTS, RECEIVED_ORDERS};
use paform_store::records::v3::{
    ActorRecord, BuyerRecord, DiscountRecord, FrozenProductionRecord, JobRecord, OrderEventRecord,
    OrderLineRecord, OrderRecord,
};
use paform_store::specs::panel_grain;
use paform_store::tables_v3::{
    CUSTOMERS, DESIGN_REQUESTS_BY_ORDER, DESIGN_VERSIONS, DESIGN_VERSIONS_BY_REQUEST, JOBS,
    JOBS_BY_STATUS, LEDGER, ORDER_EVENTS, ORDERS, ORDERS_BY_CUSTOMER, ORDERS_BY_NUMBER,
    ORDERS_BY_STATUS, QUOTE_ACCEPTANCES, QUOTES,
};
use paform_store::{ReadTx, StoreError, WriteTx};

use crate::catalog::paging;
use crate::convert;
use crate::dto::DeviceToken;
use crate::dto::{
    AcceptQuoteRequest, Actor, ActorInput, AuditQuery, AuditReport, BrokenLink, BrokenReason,
    Buyer, Dimensions, FinishOverride, FrozenPanel, FrozenProduction, ListQuery, Order, OrderEvent,
    OrderLineItem, OrderListQuery, Page, TransitionRequest,
};
use crate::ledger_view::ledger_entries;
use crate::production_check::{
    MeasuredModels, PRODUCTION_CHECK_OVERRIDDEN, check_order_lines, override_data, refusal,
};
use crate::{App, AppError, Role};

/// The job kinds the move to `production_ready` enqueues, one of each.
pub(crate) const JOB_KINDS: [&str; 2] = ["manufacturing", "logistics"];

pub(crate) fn parse_actor(field: &str, input: &ActorInput, problems: &mut Problems) -> ActorRecord {
    let (id, name, role) = match input {
        ActorInput::Full(actor) => (actor.id.as_str(), actor.name.as_str(), actor.role.as_str()),
        ActorInput::Name(name) => (name.as_str(), name.as_str(), "staff"),
    };
    let mut text = |part: &str, value: &str| {
        problems
            .check(&format!("{field}.{part}"), Name::parse(value))
            .map(Name::into_string)
    };
    ActorRecord {
        id: text("id", id).unwrap_or_default(),
        name: text("name", name).unwrap_or_default(),
        role: text("role", role).unwrap_or_default(),
    }
}

/// The shape of an email address (`name@example.com`); buyers and customers share it.
pub(crate) fn is_email(email: &str) -> bool {
    email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !email.contains(char::is_whitespace)
}

/// A phone number of digits, spaces and `+ - ( ) .`.
pub(crate) fn is_phone(phone: &str) -> bool {
    phone.len() <= 40
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        && phone.chars().any(|c| c.is_ascii_digit())
}

fn parse_buyer(buyer: &Buyer, problems: &mut Problems) -> BuyerRecord {
    let name = problems
        .check("buyer.name", Name::parse(&buyer.name))
        .map(Name::into_string);
    let email = buyer.email.trim();
    if !is_email(email) {
        problems.push(
            "buyer.email",
            "must be an email address such as name@example.com",
        );
    }
    let phone = buyer
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|phone| !phone.is_empty());
    if !phone.is_none_or(is_phone) {
        problems.push(
            "buyer.phone",
            "must be a phone number of digits, spaces and + - ( )",
        );
    }
    BuyerRecord {
        name: name.unwrap_or_default(),
        email: email.to_owned(),
        phone: phone.map(str::to_owned),
    }
}

/// The buyer of an order accepted without one: the quote's customer, who must have the email
/// address every buyer needs.
fn customer_buyer(tx: &WriteTx, customer_id: Option<&str>) -> Result<BuyerRecord, AppError> {
    let Some(customer_id) = customer_id else {
        return Err(AppError::invalid_field(
            "buyer",
            "is required: this quote was not priced for a customer",
        ));
    };
    let customer = tx
        .get(&CUSTOMERS, customer_id)?
        .ok_or_else(|| corrupt(QUOTES.name(), customer_id))?;
    let mut problems = Problems::new();
    let buyer = parse_buyer(
        &Buyer {
            name: customer.name,
            email: customer.email.unwrap_or_default(),
            phone: customer.phone,
        },
        &mut problems,
    );
    if !problems.is_empty() {
        return Err(AppError::invalid_field(
            "buyer",
            format!(
                "is required: customer {customer_id} has no valid email address; give the buyer \
                 or add the email to the customer"
            ),
        ));
    }
    Ok(buyer)
}

fn parse_status(field: &str, text: &str) -> Result<OrderStatus, AppError> {
    OrderStatus::parse(text).map_err(|error| AppError::invalid_field(field, error))
}

pub(crate) fn actor_dto(record: ActorRecord) -> Actor {
    Actor {
        id: record.id,
        name: record.name,
        role: record.role,
    }
}

/// A stored amount; one that does not parse is a corrupt record, never zero.
pub(crate) fn stored_money(table: &'static str, key: &str, text: &str) -> Result<Money, AppError> {
    Money::parse_signed(text).map_err(|_| corrupt(table, key))
}

pub(crate) fn corrupt(table: &'static str, key: &str) -> AppError {
    AppError::from(StoreError::Corrupt {
        table,
        key: key.to_owned(),
    })
}

fn stored_status(record: &OrderRecord) -> Result<OrderStatus, AppError> {
    OrderStatus::parse(&record.status).map_err(|_| corrupt(ORDERS.name(), &record.id))
}

fn frozen_view(frozen: &FrozenProductionRecord) -> FrozenProduction {
    FrozenProduction {
        dimensions: Dimensions {
            width: convert::millimetres(&frozen.width_mm),
            height: convert::millimetres(&frozen.height_mm),
            depth: convert::millimetres(&frozen.depth_mm),
        },
        assembly_attributes: serde_json::from_str(&frozen.assembly_attributes)
            .unwrap_or(serde_json::Value::Null),
        base_price: frozen.base_price.clone(),
        material_cost_per_sq_ft: frozen.material_cost_per_sq_ft.clone(),
        material_thickness_mm: frozen
            .material_thickness_mm
            .as_deref()
            .map(convert::millimetres),
        material_texture_url: frozen.material_texture_url.clone(),
        panels: frozen
            .panels
            .iter()
            .map(|panel| FrozenPanel {
                name: panel.name.clone(),
                length: convert::millimetres(&panel.length_mm),
                width: convert::millimetres(&panel.width_mm),
                thickness: panel.thickness_mm.as_deref().map(convert::millimetres),
                grain: convert::part_grain(panel_grain(panel)),
                edge_banding: panel.edge_banding.clone(),
                quantity: panel.quantity,
            })
            .collect(),
    }
}

fn discount_reason(discount: &Option<DiscountRecord>) -> Option<String> {
    discount.as_ref().map(|discount| discount.reason.clone())
}

pub(crate) fn line_view(line: &OrderLineRecord) -> OrderLineItem {
    OrderLineItem {
        id: line.id.clone(),
        position: line.position,
        module_id: line.module_id.clone(),
        module_name: line.module_name.clone(),
        material_id: line.material_id.clone(),
        material_name: line.material_name.clone(),
        quantity: line.quantity,
        unit_price: line.unit_price.clone(),
        area_sq_ft: line.area_sq_ft.clone(),
        finish_override: line.finish_override.as_ref().map(|finish| FinishOverride {
            name: finish.name.clone(),
            price_delta: finish.price_delta.clone(),
        }),
        discount: line.discount_amount.clone(),
        discount_reason: discount_reason(&line.discount),
        line_total: line.line_total.clone(),
        production: line.production.as_ref().map(frozen_view),
    }
}

/// The order as the API shows it, with what has been paid derived from its ledger.
pub(crate) fn order_view<T: OrderReads>(tx: &T, record: OrderRecord) -> Result<Order, AppError> {
    let total = stored_money(ORDERS.name(), &record.id, &record.total)?;
    let status = stored_status(&record)?;
    let sold_by = tx.seller_of(&record.id)?;
    let (amount_paid, balance_due) = paid(tx, &record, total, sold_by.as_deref())?;
    // Only the site that sold an order moves it.
    let allowed_next = match sold_by {
        Some(_) => Vec::new(),
        None => state::allowed_next(status)
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
    };
    let accepts_changes = sold_by.is_none() && status.accepts_changes();
    Ok(Order {
        accepts_changes,
        amount_paid: amount_paid.to_string(),
        balance_due: balance_due.to_string(),
        allowed_next,
        sold_by,
        line_items: record.line_items.iter().map(line_view).collect(),
        discount_reason: discount_reason(&record.discount),
        id: record.id,
        number: record.number,
        quote_id: record.quote_id,
        customer_id: record.customer_id,
        status: record.status,
        version: record.version,
        buyer: Buyer {
            name: record.buyer.name,
            email: record.buyer.email,
            phone: record.buyer.phone,
        },
        currency: record.currency,
        tax_rate: record.tax_rate,
        subtotal: record.subtotal,
        discount: record.discount_amount,
        shipping: record.shipping,
        shipping_promised_date: record.shipping_promised_date,
        tax: record.tax,
        total: record.total,
        created_by: actor_dto(record.created_by),
        created_at: record.created_at,
        updated_at: record.updated_at,
    })
}

/// Reads shared by both kinds of transaction, so views can be built inside a write.
pub(crate) trait OrderReads {
    fn ledger_of(&self, order_id: &str) -> Result<Vec<LedgerEntry>, AppError>;
    /// The node that sold an order this site received from HQ (`None` for its own).
    fn seller_of(&self, order_id: &str) -> Result<Option<String>, AppError>;
    fn contract_of(&self, order_id: &str) -> Result<Vec<OrderEventRecord>, AppError>;
}

macro_rules! order_reads {
    ($tx:ty) => {
        impl OrderReads for $tx {
            fn ledger_of(&self, order_id: &str) -> Result<Vec<LedgerEntry>, AppError> {
                ledger_entries(&self.scan_prefix(&LEDGER, &format!("{order_id}/"))?)
            }
            fn seller_of(&self, order_id: &str) -> Result<Option<String>, AppError> {
                Ok(self.get(&RECEIVED_ORDERS, order_id)?)
            }
            fn contract_of(&self, order_id: &str) -> Result<Vec<OrderEventRecord>, AppError> {
                Ok(self.scan_prefix(&ORDER_EVENTS, &format!("{order_id}/"))?)
            }
        }
    };
}
order_reads!(ReadTx);
order_reads!(WriteTx);

/// What was paid on an order: from its ledger, or, for an order received from HQ (whose
/// payments stay at the site that sold it), from the transactions its contract chain records.
fn paid<T: OrderReads>(
    tx: &T,
    record: &OrderRecord,
    total: Money,
    sold_by: Option<&str>,
) -> Result<(Money, Money), AppError> {
    if sold_by.is_none() {
        let entries = tx.ledger_of(&record.id)?;
        return Ok((
            ledger::amount_paid(&entries),
            ledger::balance_due(total, &entries),
        ));
    }
    let order = project_events(&tx.contract_of(&record.id)?)
        .map_err(|_| corrupt(ORDER_EVENTS.name(), &record.id))?;
    Ok((order.amount_paid(), order.balance_due()))
}

/// The modules an order's lines name, each once, in id order.
pub(crate) fn module_ids(order: &OrderRecord) -> Vec<String> {
    let mut ids: Vec<String> = order
        .line_items
        .iter()
        .map(|line| line.module_id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Writes an order and keeps its indexes (number, status, customer) true to it.
pub(crate) fn put_order(
    tx: &mut WriteTx,
    order: &OrderRecord,
    previous: Option<&OrderRecord>,
) -> Result<(), AppError> {
    if let Some(previous) = previous {
        if previous.status != order.status {
            tx.index_remove(&ORDERS_BY_STATUS, &previous.status, &previous.id)?;
        }
        if previous.number != order.number {
            tx.remove(&ORDERS_BY_NUMBER, &previous.number)?;
        }
        if let Some(customer_id) = &previous.customer_id
            && previous.customer_id != order.customer_id
        {
            tx.index_remove(&ORDERS_BY_CUSTOMER, customer_id, &previous.id)?;
        }
    }
    tx.insert(&ORDERS, &order.id, order)?;
    tx.insert(&ORDERS_BY_NUMBER, &order.number, &order.id)?;
    tx.index_insert(&ORDERS_BY_STATUS, &order.status, &order.id)?;
    if let Some(customer_id) = &order.customer_id {
        tx.index_insert(&ORDERS_BY_CUSTOMER, customer_id, &order.id)?;
    }
    Ok(())
}

/// The facts the status guards need, read inside the transition's own transaction.
fn guard_facts(tx: &WriteTx, order: &OrderRecord) -> Result<GuardFacts, AppError> {
    let entries = tx.ledger_of(&order.id)?;
    let request_ids = tx.index_ids(&DESIGN_REQUESTS_BY_ORDER, &order.id, 0, usize::MAX)?;
    let mut approved = 0;
    for request_id in &request_ids {
        let version_ids = tx.index_ids(&DESIGN_VERSIONS_BY_REQUEST, request_id, 0, usize::MAX)?;
        let mut request_approved = false;
        for version_id in &version_ids {
            if let Some(version) = tx.get(&DESIGN_VERSIONS, version_id)? {
                request_approved |= version.approved_at.is_some();
            }
        }
        approved += usize::from(request_approved);
    }
    Ok(GuardFacts {
        has_captured_payment: ledger::has_captured(&entries),
        design_requests_total: request_ids.len(),
        design_requests_approved: approved,
        balance_due: ledger::balance_due(
            stored_money(ORDERS.name(), &order.id, &order.total)?,
            &entries,
        ),
    })
}

fn enqueue_production_jobs(
    tx: &mut WriteTx,
    order: &OrderRecord,
    ids: &[String],
    at: &str,
) -> Result<(), AppError> {
    let line_item_ids: Vec<String> = order
        .line_items
        .iter()
        .map(|line| line.id.clone())
        .collect();
    let module_ids = module_ids(order);
    for (kind, id) in JOB_KINDS.iter().zip(ids) {
        let job = JobRecord {
            id: id.clone(),
            kind: (*kind).to_owned(),
            order_id: order.id.clone(),
            line_item_ids: line_item_ids.clone(),
            module_ids: module_ids.clone(),
            status: "pending".into(),
            created_at: at.to_owned(),
            acked_at: None,
        };
        tx.insert(&JOBS, &job.id, &job)?;
        tx.index_insert(&JOBS_BY_STATUS, &format!("pending/{kind}"), &job.id)?;
    }
    Ok(())
}

/// Whether `order` answers the search `needle` (lowercase): its number, the digits of its
/// number (`42` finds `PF-000042`), or part of the buyer's name.
fn matches_search(order: &OrderRecord, needle: &str) -> bool {
    let number = order.number.to_lowercase();
    if number == needle || order.buyer.name.to_lowercase().contains(needle) {
        return true;
    }
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    !needle.is_empty()
        && needle.bytes().all(|byte| byte.is_ascii_digit())
        && digits.trim_start_matches('0') == needle.trim_start_matches('0')
}

/// An event exactly as it is hashed (`docs/audit-chain.md`), plus its `hash`.
fn event_view(event: OrderEventRecord) -> Result<OrderEvent, AppError> {
    let data: serde_json::Value = serde_json::from_str(&event.data).map_err(|_| {
        corrupt(
            ORDER_EVENTS.name(),
            &sequence_key(&event.order_id, event.seq),
        )
    })?;
    Ok(OrderEvent {
        order_id: event.order_id,
        seq: event.seq,
        kind: event.kind,
        actor: event.actor.map(actor_dto),
        note: event.note,
        data,
        at: event.at,
        prev_hash: event.prev_hash,
        hash: event.hash,
    })
}

impl App {
    pub async fn accept_quote(
        &self,
        quote_id: &str,
        request: AcceptQuoteRequest,
    ) -> Result<Order, AppError> {
        let mut problems = Problems::new();
        let buyer = request
            .buyer
            .as_ref()
            .map(|buyer| parse_buyer(buyer, &mut problems));
        let actor = parse_actor("actor", &request.actor, &mut problems);
        problems.finish()?;
        let now = self.now();
        let order_id = self.new_id();
        let quote_id = quote_id.to_owned();
        self.store()
            .write(move |tx| {
                let quote = tx
                    .get(&QUOTES, &quote_id)?
                    .ok_or_else(|| AppError::not_found("quote", &quote_id))?;
                let buyer = match buyer {
                    Some(buyer) => buyer,
                    None => customer_buyer(tx, quote.customer_id.as_deref())?,
                };
                if let Some(existing) = tx.get(&QUOTE_ACCEPTANCES, &quote_id)? {
                    return Err(AppError::Conflict(format!(
                        "quote {quote_id} was already accepted as order {existing}"
                    )));
                }
                let expires_at: Timestamp = quote
                    .expires_at
                    .parse()
                    .map_err(|_| corrupt(QUOTES.name(), &quote_id))?;
                if now >= expires_at {
                    return Err(AppError::Conflict(format!(
                        "quote {quote_id} expired at {}; generate a new quote",
                        quote.expires_at
                    )));
                }
                let at = convert::timestamp(now);
                let number = crate::numbering::next_order_number(tx)?;
                let line_items: Vec<OrderLineRecord> = quote
                    .lines
                    .into_iter()
                    .enumerate()
                    .map(|(index, line)| OrderLineRecord {
                        id: format!("{order_id}-{:03}", index + 1),
                        position: index as u32 + 1,
                        module_id: line.module_id,
                        module_name: line.module_name,
                        material_id: line.material_id,
                        material_name: line.material_name,
                        quantity: line.quantity,
                        unit_price: line.unit_price,
                        area_sq_ft: line.area_sq_ft,
                        finish_override: None,
                        discount: None,
                        discount_amount: Money::ZERO.to_string(),
                        line_total: line.line_total,
                        production: line.production,
                    })
                    .collect();
                let order = OrderRecord {
                    id: order_id.clone(),
                    number,
                    quote_id: quote.id.clone(),
                    customer_id: quote.customer_id.clone(),
                    status: OrderStatus::Draft.as_str().into(),
                    version: 1,
                    buyer,
                    currency: quote.currency,
                    tax_rate: quote.tax_rate,
                    subtotal: quote.subtotal,
                    discount: None,
                    discount_amount: Money::ZERO.to_string(),
                    shipping: Money::ZERO.to_string(),
                    shipping_promised_date: None,
                    tax: quote.tax,
                    total: quote.total,
                    next_position: line_items.len() as u32 + 1,
                    line_items,
                    created_by: actor,
                    created_at: at.clone(),
                    updated_at: at,
                };
                tx.insert(&QUOTE_ACCEPTANCES, &quote.id, &order.id)?;
                put_order(tx, &order, None)?;
                append_order_event(
                    tx,
                    NewEvent {
                        order_id: &order.id,
                        kind: ORDER_CREATED,
                        actor: Some(order.created_by.clone()),
                        note: None,
                        data: order_created_data(&order, false)?,
                        at: &order.created_at,
                    },
                )?;
                order_view(tx, order)
            })
            .await
    }

    pub fn get_order(&self, id: &str) -> Result<Order, AppError> {
        self.store().read(|tx| {
            let record = tx
                .get(&ORDERS, id)?
                .ok_or_else(|| AppError::not_found("order", id))?;
            order_view(tx, record)
        })
    }

    pub fn list_orders(&self, query: &OrderListQuery) -> Result<Page<Order>, AppError> {
        let list_query = ListQuery {
            limit: query.limit,
            offset: query.offset,
            q: query.q.clone(),
        };
        let paging = paging(&list_query)?;
        let status = query
            .status
            .as_deref()
            .map(|text| parse_status("status", text))
            .transpose()?;
        self.store().read(|tx| {
            // An exact order number is a key lookup, not a scan.
            let exact = match &paging.needle {
                Some(needle) => tx
                    .get(&ORDERS_BY_NUMBER, &needle.to_uppercase())?
                    .map(|id| tx.get(&ORDERS, &id))
                    .transpose()?
                    .flatten()
                    .filter(|order| status.is_none_or(|status| order.status == status.as_str())),
                None => None,
            };
            let (records, total) = match (exact, &paging.needle, status) {
                (Some(order), _, _) => (std::iter::once(order).skip(paging.offset).collect(), 1),
                (None, None, Some(status)) => {
                    let ids = tx.index_ids(
                        &ORDERS_BY_STATUS,
                        status.as_str(),
                        paging.offset,
                        paging.limit,
                    )?;
                    let mut records = Vec::with_capacity(ids.len());
                    for id in ids {
                        if let Some(record) = tx.get(&ORDERS, &id)? {
                            records.push(record);
                        }
                    }
                    (records, tx.index_len(&ORDERS_BY_STATUS, status.as_str())?)
                }
                (None, needle, status) => {
                    let mut records = Vec::new();
                    let mut matched = 0_u64;
                    tx.scan(&ORDERS, None, |order| {
                        let wanted = status.is_none_or(|status| order.status == status.as_str())
                            && needle
                                .as_deref()
                                .is_none_or(|needle| matches_search(&order, needle));
                        if wanted {
                            if matched as usize >= paging.offset && records.len() < paging.limit {
                                records.push(order);
                            }
                            matched += 1;
                        }
                        // Without a filter the total is the table's size: stop at the page.
                        needle.is_some() || status.is_some() || records.len() < paging.limit
                    })?;
                    let total = if needle.is_none() && status.is_none() {
                        tx.count(&ORDERS)?
                    } else {
                        matched
                    };
                    (records, total)
                }
            };
            let items = records
                .into_iter()
                .map(|record| order_view(tx, record))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Page {
                items,
                total,
                limit: paging.limit as u64,
                offset: paging.offset as u64,
            })
        })
    }

    /// Moves an order one step. The move to `production_ready` first passes the three-way
    /// check (SPEC §17, `production_check`) inside the same transaction: mismatches answer
    /// 409 listing them, unless `override_check` is given by an admin (`device` is the
    /// caller's device token; none is the machine's owner, an admin), in which case they
    /// enter the chain with the note just before the status change.
    pub async fn transition_order(
        &self,
        id: &str,
        request: TransitionRequest,
        device: Option<&DeviceToken>,
    ) -> Result<Order, AppError> {
        if request.override_check.is_some()
            && let Some(device) = device
            && Role::parse(&device.role) != Some(Role::Admin)
        {
            return Err(AppError::Forbidden(format!(
                "only an admin may override the check before production; this device token \
                 has the role `{}`",
                device.role
            )));
        }
        let mut problems = Problems::new();
        let to = problems.check("to", OrderStatus::parse(&request.to));
        let actor = parse_actor("actor", &request.actor, &mut problems);
        let note = parse_note("note", request.note, &mut problems);
        let override_note = request.override_check.map(|check_override| {
            let note = parse_note(
                "override_check.note",
                Some(check_override.note),
                &mut problems,
            );
            if note.is_none() {
                problems.push("override_check.note", "must not be empty");
            }
            note
        });
        problems.finish()?;
        let Some(to) = to else {
            unreachable!("a bad status recorded a problem")
        };
        let override_note = override_note.flatten();
        let models = match to {
            OrderStatus::ProductionReady => self.measure_order_models(id).await?,
            _ => MeasuredModels::new(),
        };
        let at = convert::timestamp(self.now());
        let job_ids = [self.new_id(), self.new_id()];
        let id = id.to_owned();
        self.store()
            .write(move |tx| {
                let mut order = tx
                    .get(&ORDERS, &id)?
                    .ok_or_else(|| AppError::not_found("order", &id))?;
                let from = stored_status(&order)?;
                state::check_version(order.version, request.expected_version)
                    .map_err(|error| AppError::Conflict(error.to_string()))?;
                let facts = guard_facts(tx, &order)?;
                state::check_transition(from, to, &facts)
                    .map_err(|error| AppError::Conflict(error.to_string()))?;
                if to == OrderStatus::ProductionReady {
                    let mismatches = check_order_lines(tx, &order, &models)?;
                    match (&override_note, mismatches.is_empty()) {
                        (_, true) => {}
                        (None, false) => return Err(refusal(mismatches)),
                        (Some(override_note), false) => {
                            append_order_event(
                                tx,
                                NewEvent {
                                    order_id: &id,
                                    kind: PRODUCTION_CHECK_OVERRIDDEN,
                                    actor: Some(actor.clone()),
                                    note: Some(override_note.clone()),
                                    data: override_data(&mismatches),
                                    at: &at,
                                },
                            )?;
                        }
                    }
                }
                tx.index_remove(&ORDERS_BY_STATUS, from.as_str(), &id)?;
                tx.index_insert(&ORDERS_BY_STATUS, to.as_str(), &id)?;
                order.status = to.as_str().into();
                order.version += 1;
                order.updated_at = at.clone();
                tx.insert(&ORDERS, &id, &order)?;
                append_order_event(
                    tx,
                    NewEvent {
                        order_id: &id,
                        kind: "status_changed",
                        actor: Some(actor),
                        note,
                        data: status_data(from.as_str(), to.as_str()),
                        at: &at,
                    },
                )?;
                if to == OrderStatus::ProductionReady {
                    enqueue_production_jobs(tx, &order, &job_ids, &at)?;
                }
                order_view(tx, order)
            })
            .await
    }

    /// The order's production chain, oldest first (SPEC §15): what the factory recorded
    /// about an order another site sold. Empty until a factory works on it.
    pub fn order_production_events(&self, id: &str) -> Result<Vec<OrderEvent>, AppError> {
        self.store().read(|tx| {
            if !tx.contains(&ORDERS, id)? {
                return Err(AppError::not_found("order", id));
            }
            tx.scan_prefix(&PRODUCTION_EVENTS, &format!("{id}/"))?
                .into_iter()
                .map(event_view)
                .collect()
        })
    }

    /// The order's audit chain, oldest first.
    pub fn order_events(&self, id: &str) -> Result<Vec<OrderEvent>, AppError> {
        self.store().read(|tx| {
            if !tx.contains(&ORDERS, id)? {
                return Err(AppError::not_found("order", id));
            }
            tx.scan_prefix(&ORDER_EVENTS, &format!("{id}/"))?
                .into_iter()
                .map(event_view)
                .collect()
        })
    }

    /// Recomputes the hash chain of one order (`query.order_id`) or of every order, and
    /// compares each stored order with the projection of its events (`chain::audit` adds
    /// HQ's heads in a chain).
    pub(crate) fn verify_local_audit(&self, query: &AuditQuery) -> Result<AuditReport, AppError> {
        self.store().read(|tx| {
            let order_ids = match &query.order_id {
                Some(id) => {
                    if !tx.contains(&ORDERS, id)? {
                        return Err(AppError::not_found("order", id));
                    }
                    vec![id.clone()]
                }
                None => {
                    let mut ids = Vec::new();
                    tx.scan(&ORDERS, None, |order| {
                        ids.push(order.id);
                        true
                    })?;
                    ids
                }
            };
            let mut report = AuditReport {
                orders: order_ids.len() as u64,
                events: 0,
                ok: true,
                projected: 0,
                broken: Vec::new(),
                hq_heads: None,
                hq_error: None,
            };
            for order_id in order_ids {
                let Some(stored) = tx.get(&ORDERS, &order_id)? else {
                    continue;
                };
                let events = tx.scan_prefix(&ORDER_EVENTS, &format!("{order_id}/"))?;
                report.events += events.len() as u64;
                let broken = match check_order(&events, &stored) {
                    Ok(()) => {
                        report.projected += 1;
                        continue;
                    }
                    Err(OrderMismatch::Chain { seq }) => BrokenLink {
                        order_id,
                        seq,
                        reason: BrokenReason::Chain,
                        fields: Vec::new(),
                        detail: None,
                    },
                    Err(OrderMismatch::Projection { seq, detail }) => BrokenLink {
                        order_id,
                        seq,
                        reason: BrokenReason::Projection,
                        fields: Vec::new(),
                        detail: Some(detail),
                    },
                    Err(OrderMismatch::Record { seq, fields }) => BrokenLink {
                        order_id,
                        seq,
                        reason: BrokenReason::Record,
                        fields,
                        detail: None,
                    },
                };
                report.ok = false;
                report.broken.push(broken);
            }
            Ok(report)
        })
    }

    /// The stored order, for production, which reads only its lines' frozen copy.
    pub(crate) fn order_record(&self, order_id: &str) -> Result<OrderRecord, AppError> {
        self.store()
            .read(|tx| tx.get(&ORDERS, order_id))?
            .ok_or_else(|| AppError::not_found("order", order_id))
    }
}

/// An optional free-text note: trimmed, empty is none, at most 2000 characters.
pub(crate) fn parse_note(
    field: &str,
    note: Option<String>,
    problems: &mut Problems,
) -> Option<String> {
    let note = note
        .map(|note| note.trim().to_owned())
        .filter(|note| !note.is_empty());
    if note
        .as_ref()
        .is_some_and(|note| note.chars().count() > 2000)
    {
        problems.push(field, "must be at most 2000 characters");
    }
    note
}
