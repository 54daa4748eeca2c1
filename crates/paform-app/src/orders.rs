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
use paform_core::order::state::{self, GuardFacts, OrderStatus};
use paform_core::problem::Problems;
use paform_store::records::v1::{
    ActorRecord, BuyerRecord, JobRecord, OrderEventRecord, OrderLineRecord, OrderRecord,
};
use paform_store::tables_v1::{
    DESIGN_REQUESTS_BY_ORDER, DESIGN_VERSIONS, DESIGN_VERSIONS_BY_REQUEST, JOBS, JOBS_BY_STATUS,
    ORDER_EVENTS, ORDERS, ORDERS_BY_STATUS, QUOTE_ACCEPTANCES, QUOTES,
};
use paform_store::{ReadTx, WriteTx};

use crate::catalog::paging;
use crate::convert;
use crate::dto::{
    AcceptQuoteRequest, Actor, ActorInput, Buyer, ListQuery, Order, OrderLineItem, OrderListQuery,
    OrderStatusEvent, Page, TransitionRequest,
};
use crate::payments::ledger_entries;
use crate::{App, AppError};

/// What production needs of one order line (the CNC export reads orders through this).
#[derive(Debug, Clone)]
pub(crate) struct ProductionItem {
    pub(crate) line_item_id: String,
    pub(crate) module_id: String,
    pub(crate) material_id: String,
    pub(crate) quantity: u32,
}

/// The job kinds the move to `production_ready` enqueues, one of each.
pub(crate) const JOB_KINDS: [&str; 2] = ["manufacturing", "logistics"];

pub(crate) fn event_key(order_id: &str, seq: u64) -> String {
    format!("{order_id}/{seq:010}")
}

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

fn parse_buyer(buyer: &Buyer, problems: &mut Problems) -> BuyerRecord {
    let name = problems
        .check("buyer.name", Name::parse(&buyer.name))
        .map(Name::into_string);
    let email = buyer.email.trim();
    let valid_email = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !email.contains(char::is_whitespace);
    if !valid_email {
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
    let valid_phone = phone.is_none_or(|phone| {
        phone.len() <= 40
            && phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c))
            && phone.chars().any(|c| c.is_ascii_digit())
    });
    if !valid_phone {
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

fn parse_status(field: &str, text: &str) -> Result<OrderStatus, AppError> {
    OrderStatus::parse(text).map_err(|error| AppError::invalid_field(field, error))
}

fn actor_dto(record: ActorRecord) -> Actor {
    Actor {
        id: record.id,
        name: record.name,
        role: record.role,
    }
}

fn money(text: &str) -> Money {
    // Stored amounts were produced by `Money`'s own Display, so they always parse.
    Money::parse(text).unwrap_or(Money::ZERO)
}

/// The order as the API shows it, with what has been paid derived from its ledger.
pub(crate) fn order_view<T: OrderReads>(tx: &T, record: OrderRecord) -> Result<Order, AppError> {
    let entries = tx.ledger_of(&record.id)?;
    let total = money(&record.total);
    let status = OrderStatus::parse(&record.status).unwrap_or(OrderStatus::Draft);
    Ok(Order {
        amount_paid: ledger::amount_paid(&entries).to_string(),
        balance_due: ledger::balance_due(total, &entries).to_string(),
        allowed_next: state::allowed_next(status)
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
        id: record.id,
        quote_id: record.quote_id,
        status: record.status,
        version: record.version,
        buyer: Buyer {
            name: record.buyer.name,
            email: record.buyer.email,
            phone: record.buyer.phone,
        },
        currency: record.currency,
        subtotal: record.subtotal,
        tax: record.tax,
        total: record.total,
        line_items: record
            .line_items
            .into_iter()
            .map(|line| OrderLineItem {
                id: line.id,
                module_id: line.module_id,
                module_name: line.module_name,
                material_id: line.material_id,
                material_name: line.material_name,
                quantity: line.quantity,
                unit_price: line.unit_price,
                line_total: line.line_total,
                area_sq_ft: line.area_sq_ft,
                discount: line.discount,
                finish_override: line.finish_override,
                shipping_promise: line.shipping_promise,
            })
            .collect(),
        created_by: actor_dto(record.created_by),
        created_at: record.created_at,
        updated_at: record.updated_at,
    })
}

/// Reads shared by both kinds of transaction, so views can be built inside a write.
pub(crate) trait OrderReads {
    fn ledger_of(&self, order_id: &str) -> Result<Vec<LedgerEntry>, AppError>;
}

impl OrderReads for ReadTx {
    fn ledger_of(&self, order_id: &str) -> Result<Vec<LedgerEntry>, AppError> {
        ledger_entries(
            &self.scan_prefix(&paform_store::tables_v1::LEDGER, &format!("{order_id}/"))?,
        )
    }
}

impl OrderReads for WriteTx {
    fn ledger_of(&self, order_id: &str) -> Result<Vec<LedgerEntry>, AppError> {
        ledger_entries(
            &self.scan_prefix(&paform_store::tables_v1::LEDGER, &format!("{order_id}/"))?,
        )
    }
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
        balance_due: ledger::balance_due(money(&order.total), &entries),
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
    let mut module_ids: Vec<String> = order
        .line_items
        .iter()
        .map(|line| line.module_id.clone())
        .collect();
    module_ids.sort();
    module_ids.dedup();
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

impl App {
    pub async fn accept_quote(
        &self,
        quote_id: &str,
        request: AcceptQuoteRequest,
    ) -> Result<Order, AppError> {
        let mut problems = Problems::new();
        let buyer = parse_buyer(&request.buyer, &mut problems);
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
                if let Some(existing) = tx.get(&QUOTE_ACCEPTANCES, &quote_id)? {
                    return Err(AppError::Conflict(format!(
                        "quote {quote_id} was already accepted as order {existing}"
                    )));
                }
                let expires_at: Timestamp = quote.expires_at.parse().map_err(|_| {
                    AppError::internal(anyhow::anyhow!("quote {quote_id} has an unreadable expiry"))
                })?;
                if now >= expires_at {
                    return Err(AppError::Conflict(format!(
                        "quote {quote_id} expired at {}; generate a new quote",
                        quote.expires_at
                    )));
                }
                let at = convert::timestamp(now);
                let order = OrderRecord {
                    id: order_id.clone(),
                    quote_id: quote.id.clone(),
                    status: OrderStatus::Draft.as_str().into(),
                    version: 1,
                    buyer,
                    currency: quote.currency,
                    subtotal: quote.subtotal,
                    tax: quote.tax,
                    total: quote.total,
                    line_items: quote
                        .lines
                        .into_iter()
                        .enumerate()
                        .map(|(index, line)| OrderLineRecord {
                            id: format!("{order_id}-{:03}", index + 1),
                            module_id: line.module_id,
                            module_name: line.module_name,
                            material_id: line.material_id,
                            material_name: line.material_name,
                            quantity: line.quantity,
                            unit_price: line.unit_price,
                            line_total: line.line_total,
                            area_sq_ft: line.area_sq_ft,
                            discount: Money::ZERO.to_string(),
                            finish_override: None,
                            shipping_promise: None,
                        })
                        .collect(),
                    created_by: actor,
                    created_at: at.clone(),
                    updated_at: at,
                };
                tx.insert(&QUOTE_ACCEPTANCES, &quote.id, &order.id)?;
                tx.insert(&ORDERS, &order.id, &order)?;
                tx.index_insert(&ORDERS_BY_STATUS, &order.status, &order.id)?;
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
            q: None,
        };
        let paging = paging(&list_query)?;
        let status = query
            .status
            .as_deref()
            .map(|text| parse_status("status", text))
            .transpose()?;
        self.store().read(|tx| {
            let (ids, total) = match status {
                Some(status) => (
                    tx.index_ids(
                        &ORDERS_BY_STATUS,
                        status.as_str(),
                        paging.offset,
                        paging.limit,
                    )?,
                    tx.index_len(&ORDERS_BY_STATUS, status.as_str())?,
                ),
                None => {
                    let mut ids = Vec::new();
                    let mut seen = 0usize;
                    tx.scan(&ORDERS, None, |order| {
                        if seen >= paging.offset {
                            ids.push(order.id);
                        }
                        seen += 1;
                        ids.len() < paging.limit
                    })?;
                    (ids, tx.count(&ORDERS)?)
                }
            };
            let mut items = Vec::with_capacity(ids.len());
            for id in ids {
                if let Some(record) = tx.get(&ORDERS, &id)? {
                    items.push(order_view(tx, record)?);
                }
            }
            Ok(Page {
                items,
                total,
                limit: paging.limit as u64,
                offset: paging.offset as u64,
            })
        })
    }

    pub async fn transition_order(
        &self,
        id: &str,
        request: TransitionRequest,
    ) -> Result<Order, AppError> {
        let mut problems = Problems::new();
        let to = problems.check("to", OrderStatus::parse(&request.to));
        let actor = parse_actor("actor", &request.actor, &mut problems);
        let note = request
            .note
            .map(|note| note.trim().to_owned())
            .filter(|note| !note.is_empty());
        if note
            .as_ref()
            .is_some_and(|note| note.chars().count() > 2000)
        {
            problems.push("note", "must be at most 2000 characters");
        }
        problems.finish()?;
        let Some(to) = to else {
            unreachable!("a bad status recorded a problem")
        };
        let at = convert::timestamp(self.now());
        let job_ids = [self.new_id(), self.new_id()];
        let id = id.to_owned();
        self.store()
            .write(move |tx| {
                let mut order = tx
                    .get(&ORDERS, &id)?
                    .ok_or_else(|| AppError::not_found("order", &id))?;
                let from = parse_status("status", &order.status)?;
                state::check_version(order.version, request.expected_version)
                    .map_err(|error| AppError::Conflict(error.to_string()))?;
                let facts = guard_facts(tx, &order)?;
                state::check_transition(from, to, &facts)
                    .map_err(|error| AppError::Conflict(error.to_string()))?;
                let seq = tx.scan_prefix(&ORDER_EVENTS, &format!("{id}/"))?.len() as u64 + 1;
                let event = OrderEventRecord {
                    order_id: id.clone(),
                    seq,
                    from: from.as_str().into(),
                    to: to.as_str().into(),
                    actor,
                    note,
                    at: at.clone(),
                };
                tx.index_remove(&ORDERS_BY_STATUS, from.as_str(), &id)?;
                tx.index_insert(&ORDERS_BY_STATUS, to.as_str(), &id)?;
                order.status = to.as_str().into();
                order.version += 1;
                order.updated_at = at.clone();
                tx.insert(&ORDERS, &id, &order)?;
                tx.insert(&ORDER_EVENTS, &event_key(&id, seq), &event)?;
                if to == OrderStatus::ProductionReady {
                    enqueue_production_jobs(tx, &order, &job_ids, &at)?;
                }
                order_view(tx, order)
            })
            .await
    }

    pub fn order_events(&self, id: &str) -> Result<Vec<OrderStatusEvent>, AppError> {
        self.store().read(|tx| {
            if !tx.contains(&ORDERS, id)? {
                return Err(AppError::not_found("order", id));
            }
            let events = tx.scan_prefix(&ORDER_EVENTS, &format!("{id}/"))?;
            Ok(events
                .into_iter()
                .map(|event| OrderStatusEvent {
                    seq: event.seq,
                    from: event.from,
                    to: event.to,
                    actor: actor_dto(event.actor),
                    note: event.note,
                    at: event.at,
                })
                .collect())
        })
    }

    /// The frozen lines of an order as production needs them.
    pub(crate) fn order_production_items(
        &self,
        order_id: &str,
    ) -> Result<Vec<ProductionItem>, AppError> {
        let order = self
            .store()
            .read(|tx| tx.get(&ORDERS, order_id))?
            .ok_or_else(|| AppError::not_found("order", order_id))?;
        Ok(order
            .line_items
            .into_iter()
            .map(|line| ProductionItem {
                line_item_id: line.id,
                module_id: line.module_id,
                material_id: line.material_id,
                quantity: line.quantity,
            })
            .collect())
    }
}
