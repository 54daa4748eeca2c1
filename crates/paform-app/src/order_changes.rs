//! Order changes (SPEC §10): a change is requested and priced against the order as it
//! stands (`base_version`), then confirmed or declined. Confirming applies exactly what was
//! priced, in one transaction with the version bump and its audit event; if the order moved
//! in between, the change is refused (409) and must be requested again.
//!
//! Added lines are priced from the catalog as quotes are (`pricing::price_line`) and frozen at
//! that moment (`specs::freeze_production`); existing lines keep their frozen copy.

use jiff::civil::Date;
use paform_core::catalog::Name;
use paform_core::money::Money;
use paform_core::order::change::{
    self, Action, Discount, DiscountValue, FinishOverride, LineTerms, OrderTotals, Percent, Terms,
};
use paform_core::order::state::OrderStatus;
use paform_core::pricing::{self, TaxRate};
use paform_core::problem::Problems;
use paform_core::units::Quantity;
use paform_store::WriteTx;
use paform_store::audit::{NewEvent, append_order_event, change_data};
use paform_store::records::v3::{
    DiscountRecord, FinishOverrideRecord, OrderChangeRecord, OrderLineRecord, OrderRecord,
    TotalsRecord,
};
use paform_store::specs::freeze_production;
use paform_store::tables_v3::{ORDER_CHANGES, ORDER_CHANGES_BY_ORDER, ORDERS};
use serde_json::json;

use crate::catalog::{ResolvedItem, material_spec, module_spec, resolve_item};
use crate::convert;
use crate::dto::{
    OrderChange, OrderChangeAction, OrderChangeDecision, OrderChangeRequest,
    OrderTotals as TotalsDto,
};
use crate::orders::{actor_dto, corrupt, line_view, parse_actor, parse_note, stored_money};
use crate::{App, AppError};

/// The most actions one change may carry.
const MAX_ACTIONS: usize = 100;

fn check_changeable(order: &OrderRecord) -> Result<(), AppError> {
    let status =
        OrderStatus::parse(&order.status).map_err(|_| corrupt(ORDERS.name(), &order.id))?;
    if status.accepts_changes() {
        Ok(())
    } else {
        Err(AppError::Conflict(format!(
            "order {} is {}; changes are accepted only while it is draft, pending_payment or \
             design_review",
            order.number, order.status
        )))
    }
}

/// An action whose values are parsed; an added item is resolved against the catalog later,
/// inside the write transaction.
enum ParsedAction {
    Add {
        module_id: String,
        material_id: Option<String>,
        quantity: Quantity,
    },
    Core(Action),
}

fn parse_discount(
    field: &dyn Fn(&str) -> String,
    amount: &Option<String>,
    percent: &Option<String>,
    reason: &str,
    problems: &mut Problems,
) -> Option<Discount> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        problems.push(field("reason"), "must have 1 to 500 characters");
    }
    let value = match (amount, percent) {
        (Some(amount), None) => problems
            .check(&field("amount"), Money::parse(amount))
            .map(DiscountValue::Amount),
        (None, Some(percent)) => problems
            .check(&field("percent"), Percent::parse(percent))
            .map(DiscountValue::Percent),
        _ => {
            problems.push(field("amount"), "give exactly one of amount and percent");
            None
        }
    };
    value.map(|value| Discount {
        value,
        reason: reason.to_owned(),
    })
}

fn parse_actions(actions: &[OrderChangeAction], problems: &mut Problems) -> Vec<ParsedAction> {
    if actions.is_empty() {
        problems.push("actions", "must list at least one action");
    }
    if actions.len() > MAX_ACTIONS {
        problems.push(
            "actions",
            format!("must list at most {MAX_ACTIONS} actions"),
        );
    }
    let mut parsed = Vec::with_capacity(actions.len());
    for (index, action) in actions.iter().enumerate() {
        let field = |name: &str| format!("actions[{index}].{name}");
        let quantity = |value: i64, problems: &mut Problems| {
            problems.check(&field("quantity"), Quantity::parse(value))
        };
        let next = match action {
            OrderChangeAction::AddItem {
                module_id,
                material_id,
                quantity: value,
            } => quantity(*value, problems).map(|quantity| ParsedAction::Add {
                module_id: module_id.clone(),
                material_id: material_id.clone(),
                quantity,
            }),
            OrderChangeAction::RemoveItem { line_item_id } => {
                Some(ParsedAction::Core(Action::RemoveItem {
                    line_id: line_item_id.clone(),
                }))
            }
            OrderChangeAction::SetQuantity {
                line_item_id,
                quantity: value,
            } => quantity(*value, problems).map(|quantity| {
                ParsedAction::Core(Action::SetQuantity {
                    line_id: line_item_id.clone(),
                    quantity,
                })
            }),
            OrderChangeAction::Discount {
                line_item_id,
                amount,
                percent,
                reason,
            } => parse_discount(&field, amount, percent, reason, problems).map(|discount| {
                ParsedAction::Core(Action::Discount {
                    line_id: line_item_id.clone(),
                    discount,
                })
            }),
            OrderChangeAction::FinishOverride {
                line_item_id,
                name,
                price_delta,
            } => {
                let name = problems.check(&field("name"), Name::parse(name));
                let delta = problems.check(&field("price_delta"), Money::parse_signed(price_delta));
                name.zip(delta).map(|(name, price_delta)| {
                    ParsedAction::Core(Action::FinishOverride {
                        line_id: line_item_id.clone(),
                        finish: FinishOverride {
                            name: name.into_string(),
                            price_delta,
                        },
                    })
                })
            }
            OrderChangeAction::Shipping {
                amount,
                promised_date,
            } => {
                let amount = problems.check(&field("amount"), Money::parse(amount));
                let date = match promised_date.as_deref().map(str::trim) {
                    None | Some("") => Some(None),
                    Some(text) => match text.parse::<Date>() {
                        Ok(date) => Some(Some(date.to_string())),
                        Err(_) => {
                            problems.push(field("promised_date"), "must be a date YYYY-MM-DD");
                            None
                        }
                    },
                };
                amount.zip(date).map(|(amount, promised_date)| {
                    ParsedAction::Core(Action::Shipping {
                        amount,
                        promised_date,
                    })
                })
            }
        };
        parsed.extend(next);
    }
    parsed
}

fn discount_from_record(record: &DiscountRecord, key: &str) -> Result<Discount, AppError> {
    let value = match (&record.amount, &record.percent) {
        (Some(amount), None) => Money::parse(amount).map(DiscountValue::Amount).ok(),
        (None, Some(percent)) => Percent::parse(percent).map(DiscountValue::Percent).ok(),
        _ => None,
    };
    Ok(Discount {
        value: value.ok_or_else(|| corrupt(ORDERS.name(), key))?,
        reason: record.reason.clone(),
    })
}

fn discount_record(discount: &Discount) -> DiscountRecord {
    let (amount, percent) = match &discount.value {
        DiscountValue::Amount(amount) => (Some(amount.to_string()), None),
        DiscountValue::Percent(percent) => (None, Some(percent.value().to_string())),
    };
    DiscountRecord {
        amount,
        percent,
        reason: discount.reason.clone(),
    }
}

/// The order's terms as the core prices them.
/// A line's terms as the core prices them (a corrupt value names the order).
fn line_terms(line: &OrderLineRecord, key: &str) -> Result<LineTerms, AppError> {
    let money = |text: &str| stored_money(ORDERS.name(), key, text);
    Ok(LineTerms {
        id: line.id.clone(),
        unit_price: money(&line.unit_price)?,
        quantity: Quantity::parse(i64::from(line.quantity))
            .map_err(|_| corrupt(ORDERS.name(), key))?,
        finish: line
            .finish_override
            .as_ref()
            .map(|finish| {
                Ok::<_, AppError>(FinishOverride {
                    name: finish.name.clone(),
                    price_delta: money(&finish.price_delta)?,
                })
            })
            .transpose()?,
        discount: line
            .discount
            .as_ref()
            .map(|discount| discount_from_record(discount, key))
            .transpose()?,
    })
}

/// The order's terms as the core prices them.
fn terms_of(order: &OrderRecord) -> Result<Terms, AppError> {
    let key = order.id.as_str();
    let lines = order
        .line_items
        .iter()
        .map(|line| line_terms(line, key))
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(Terms {
        lines,
        discount: order
            .discount
            .as_ref()
            .map(|discount| discount_from_record(discount, key))
            .transpose()?,
        shipping: stored_money(ORDERS.name(), key, &order.shipping)?,
        shipping_promised_date: order.shipping_promised_date.clone(),
        tax_rate: TaxRate::parse(&order.tax_rate).map_err(|_| corrupt(ORDERS.name(), key))?,
    })
}

fn totals_record(totals: &OrderTotals) -> TotalsRecord {
    TotalsRecord {
        subtotal: totals.subtotal.to_string(),
        discount: totals.discount.to_string(),
        shipping: totals.shipping.to_string(),
        tax: totals.tax.to_string(),
        total: totals.total.to_string(),
    }
}

fn totals_view(record: &TotalsRecord) -> TotalsDto {
    TotalsDto {
        subtotal: record.subtotal.clone(),
        discount: record.discount.clone(),
        shipping: record.shipping.clone(),
        tax: record.tax.clone(),
        total: record.total.clone(),
    }
}

fn change_view(record: OrderChangeRecord) -> Result<OrderChange, AppError> {
    let actions = serde_json::from_str(&record.actions)
        .map_err(|_| corrupt(ORDER_CHANGES.name(), &record.id))?;
    Ok(OrderChange {
        actions,
        lines_after: record
            .order_after
            .line_items
            .iter()
            .map(line_view)
            .collect(),
        totals_before: totals_view(&record.totals_before),
        totals_after: totals_view(&record.totals_after),
        requested_by: actor_dto(record.requested_by),
        decided_by: record.decided_by.map(actor_dto),
        id: record.id,
        order_id: record.order_id,
        status: record.status,
        note: record.note,
        base_version: record.base_version,
        price_delta: record.price_delta,
        created_at: record.created_at,
        decided_at: record.decided_at,
    })
}

/// Prices a new line from the catalog and freezes its production data.
fn added_line(
    tx: &WriteTx,
    order: &mut OrderRecord,
    index: usize,
    module_id: &str,
    material_id: Option<&str>,
    quantity: Quantity,
    problems: &mut Problems,
) -> Result<Option<OrderLineRecord>, AppError> {
    let field = |name: &str| format!("actions[{index}].{name}");
    let resolved = resolve_item(
        tx,
        &field,
        module_id,
        material_id,
        i64::from(quantity.get()),
        problems,
    )?;
    let Some(ResolvedItem {
        module, material, ..
    }) = resolved
    else {
        return Ok(None);
    };
    let priced =
        match pricing::price_line(&module_spec(&module)?, &material_spec(&material)?, quantity) {
            Ok(priced) => priced,
            Err(error) => {
                problems.push(field("material_id"), error);
                return Ok(None);
            }
        };
    let position = order.next_position;
    order.next_position += 1;
    Ok(Some(OrderLineRecord {
        id: format!("{}-{position:03}", order.id),
        position,
        module_id: module.id.clone(),
        module_name: module.name.clone(),
        material_id: material.id.clone(),
        material_name: material.name.clone(),
        quantity: quantity.get(),
        unit_price: priced.unit_price.to_string(),
        area_sq_ft: priced.reported_area().to_string(),
        finish_override: None,
        discount: None,
        discount_amount: Money::ZERO.to_string(),
        line_total: priced.line_total.to_string(),
        production: freeze_production(&module, &material)?,
    }))
}

/// The order with its terms replaced by `terms` (lines matched by id; new lines from `added`).
fn order_with_terms(
    order: &OrderRecord,
    terms: &Terms,
    added: &[OrderLineRecord],
) -> Result<OrderRecord, AppError> {
    let mut after = order.clone();
    after.line_items = terms
        .lines
        .iter()
        .map(|line| {
            let base = order
                .line_items
                .iter()
                .chain(added)
                .find(|record| record.id == line.id)
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("priced an unknown line")))?;
            Ok(OrderLineRecord {
                quantity: line.quantity.get(),
                finish_override: line.finish.as_ref().map(|finish| FinishOverrideRecord {
                    name: finish.name.clone(),
                    price_delta: finish.price_delta.to_string(),
                }),
                discount: line.discount.as_ref().map(discount_record),
                discount_amount: line.discount_amount().to_string(),
                line_total: line.line_total().to_string(),
                ..base.clone()
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let totals = terms.totals();
    after.discount = terms.discount.as_ref().map(discount_record);
    after.discount_amount = totals.discount.to_string();
    after.shipping = totals.shipping.to_string();
    after.shipping_promised_date = terms.shipping_promised_date.clone();
    after.subtotal = totals.subtotal.to_string();
    after.tax = totals.tax.to_string();
    after.total = totals.total.to_string();
    Ok(after)
}

impl App {
    /// Prices `request` against the order as it stands and records it as `requested`.
    pub async fn request_order_change(
        &self,
        order_id: &str,
        request: OrderChangeRequest,
    ) -> Result<OrderChange, AppError> {
        let mut problems = Problems::new();
        let parsed = parse_actions(&request.actions, &mut problems);
        let actor = parse_actor("actor", &request.actor, &mut problems);
        let note = parse_note("note", request.note, &mut problems);
        problems.finish()?;
        let actions_text = serde_json::to_string(&request.actions)
            .map_err(|error| AppError::internal(anyhow::anyhow!(error)))?;
        let at = convert::timestamp(self.now());
        let id = self.new_id();
        let order_id = order_id.to_owned();
        self.store()
            .write(move |tx| {
                let order = tx
                    .get(&ORDERS, &order_id)?
                    .ok_or_else(|| AppError::not_found("order", &order_id))?;
                check_changeable(&order)?;
                let before = terms_of(&order)?;
                let mut scratch = order.clone();
                let mut problems = Problems::new();
                let mut added = Vec::new();
                let mut actions = Vec::with_capacity(parsed.len());
                for (index, action) in parsed.into_iter().enumerate() {
                    match action {
                        ParsedAction::Core(action) => actions.push(action),
                        ParsedAction::Add {
                            module_id,
                            material_id,
                            quantity,
                        } => {
                            let line = added_line(
                                tx,
                                &mut scratch,
                                index,
                                &module_id,
                                material_id.as_deref(),
                                quantity,
                                &mut problems,
                            )?;
                            if let Some(line) = line {
                                actions.push(Action::AddItem(line_terms(&line, &order_id)?));
                                added.push(line);
                            }
                        }
                    }
                }
                problems.finish()?;
                let after = change::apply(&before, &actions).map_err(|problems| {
                    AppError::invalid(problems.finish().err().unwrap_or_default())
                })?;
                // `scratch` is the order with the positions the added lines took.
                let order_after = order_with_terms(&scratch, &after, &added)?;
                let (totals_before, totals_after) = (before.totals(), after.totals());
                let change = OrderChangeRecord {
                    id,
                    order_id: order_id.clone(),
                    status: "requested".into(),
                    actions: actions_text,
                    note,
                    requested_by: actor,
                    base_version: order.version,
                    totals_before: totals_record(&totals_before),
                    totals_after: totals_record(&totals_after),
                    price_delta: change::price_delta(&totals_before, &totals_after).to_string(),
                    order_after,
                    created_at: at,
                    decided_at: None,
                    decided_by: None,
                    decision_note: None,
                };
                tx.insert(&ORDER_CHANGES, &change.id, &change)?;
                tx.index_insert(&ORDER_CHANGES_BY_ORDER, &order_id, &change.id)?;
                change_view(change)
            })
            .await
    }

    /// Applies a requested change exactly as it was priced.
    pub async fn confirm_order_change(
        &self,
        change_id: &str,
        decision: OrderChangeDecision,
    ) -> Result<OrderChange, AppError> {
        self.decide_order_change(change_id, decision, true).await
    }

    /// Closes a requested change without applying it.
    pub async fn decline_order_change(
        &self,
        change_id: &str,
        decision: OrderChangeDecision,
    ) -> Result<OrderChange, AppError> {
        self.decide_order_change(change_id, decision, false).await
    }

    async fn decide_order_change(
        &self,
        change_id: &str,
        decision: OrderChangeDecision,
        confirm: bool,
    ) -> Result<OrderChange, AppError> {
        let mut problems = Problems::new();
        let actor = parse_actor("actor", &decision.actor, &mut problems);
        let note = parse_note("note", decision.note, &mut problems);
        problems.finish()?;
        let at = convert::timestamp(self.now());
        let change_id = change_id.to_owned();
        self.store()
            .write(move |tx| {
                let mut change = tx
                    .get(&ORDER_CHANGES, &change_id)?
                    .ok_or_else(|| AppError::not_found("order change", &change_id))?;
                if change.status != "requested" {
                    return Err(AppError::Conflict(format!(
                        "order change {change_id} is already {}",
                        change.status
                    )));
                }
                let order = tx
                    .get(&ORDERS, &change.order_id)?
                    .ok_or_else(|| corrupt(ORDER_CHANGES.name(), &change_id))?;
                let (kind, data) = if confirm {
                    check_changeable(&order)?;
                    if order.version != change.base_version {
                        return Err(AppError::Conflict(format!(
                            "order {} changed since this change was priced (version {} → {}); \
                             request the change again",
                            order.number, change.base_version, order.version
                        )));
                    }
                    let updated = OrderRecord {
                        status: order.status.clone(),
                        version: order.version + 1,
                        updated_at: at.clone(),
                        ..change.order_after.clone()
                    };
                    tx.insert(&ORDERS, &updated.id, &updated)?;
                    ("change_confirmed", change_data(&change, &order, &updated)?)
                } else {
                    (
                        "change_declined",
                        json!({
                            "change_id": change.id,
                            "totals_before": change.totals_before.total,
                            "totals_after": change.totals_after.total,
                            "price_delta": change.price_delta,
                        }),
                    )
                };
                change.status = if confirm { "confirmed" } else { "declined" }.into();
                change.decided_at = Some(at.clone());
                change.decided_by = Some(actor.clone());
                change.decision_note = note.clone();
                tx.insert(&ORDER_CHANGES, &change.id, &change)?;
                append_order_event(
                    tx,
                    NewEvent {
                        order_id: &change.order_id,
                        kind,
                        actor: Some(actor),
                        note,
                        data,
                        at: &at,
                    },
                )?;
                change_view(change)
            })
            .await
    }

    pub fn list_order_changes(&self, order_id: &str) -> Result<Vec<OrderChange>, AppError> {
        self.store().read(|tx| {
            if !tx.contains(&ORDERS, order_id)? {
                return Err(AppError::not_found("order", order_id));
            }
            let mut changes = Vec::new();
            for id in tx.index_ids(&ORDER_CHANGES_BY_ORDER, order_id, 0, usize::MAX)? {
                if let Some(change) = tx.get(&ORDER_CHANGES, &id)? {
                    changes.push(change_view(change)?);
                }
            }
            Ok(changes)
        })
    }
}
