//! Payment use cases (SPEC §5): payments, the gateway transactions that mirror their
//! intents and charges, and adjustments (refunds, chargebacks). The ledger is append-only:
//! nothing is updated or deleted, and what was paid is always derived from its entries.

use paform_core::money::Money;
use paform_core::order::ledger::{
    self, AdjustmentType, LedgerEntry, NewTransaction, PaymentKind, TransactionStatus,
    TransactionType,
};
use paform_core::order::state::OrderStatus;
use paform_core::problem::Problems;
use paform_store::audit::{NewEvent, append_order_event, ledger_data, payment_data, sequence_key};
use paform_store::records::v3::{LedgerEntryKind, LedgerEntryRecord, PaymentRecord};
use paform_store::tables_v3::{
    LEDGER, LEDGER_BY_PROVIDER_REF, ORDERS, PAYMENTS, PAYMENTS_BY_ORDER,
};
use paform_store::{WriteTx, provider_ref_key};

use crate::convert;
use crate::dto::{
    AdjustmentInput, Payment, PaymentAdjustment, PaymentInput, PaymentTransaction, TransactionInput,
};
use crate::ledger_view::ledger_entries;
use crate::orders::{corrupt, stored_money};
use crate::{App, AppError};

/// The namespace of adjustment references in `ledger_by_provider_ref` (adjustments name no
/// provider).
pub(crate) const ADJUSTMENT_REFERENCES: &str = "adjustment";

/// Whether a write created a record or found the same one already recorded (idempotency).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    Created,
    AlreadyRecorded,
}

fn payment_view(
    payment: PaymentRecord,
    order_ledger: &[LedgerEntryRecord],
) -> Result<Payment, AppError> {
    let entries = ledger_entries(order_ledger)?;
    let amount = stored_money(PAYMENTS.name(), &payment.id, &payment.amount)?;
    let mine = order_ledger
        .iter()
        .filter(|record| record.payment_id == payment.id);
    let transactions = mine.clone().filter_map(transaction_view).collect();
    let adjustments = mine.filter_map(adjustment_view).collect();
    Ok(Payment {
        status: ledger::payment_status(&entries, &payment.id, amount)
            .as_str()
            .into(),
        captured: ledger::captured(&entries, &payment.id).to_string(),
        refunded: ledger::adjusted(&entries, &payment.id).to_string(),
        transactions,
        adjustments,
        id: payment.id,
        order_id: payment.order_id,
        kind: payment.kind,
        amount: payment.amount,
        currency: payment.currency,
        created_at: payment.created_at,
    })
}

fn transaction_view(record: &LedgerEntryRecord) -> Option<PaymentTransaction> {
    match &record.entry {
        LedgerEntryKind::Transaction {
            kind,
            status,
            provider,
            provider_ref,
        } => Some(PaymentTransaction {
            id: record.id.clone(),
            payment_id: record.payment_id.clone(),
            provider: provider.clone(),
            provider_ref: provider_ref.clone(),
            kind: kind.clone(),
            amount: record.amount.clone(),
            status: status.clone(),
            created_at: record.at.clone(),
        }),
        LedgerEntryKind::Adjustment { .. } => None,
    }
}

fn adjustment_view(record: &LedgerEntryRecord) -> Option<PaymentAdjustment> {
    match &record.entry {
        LedgerEntryKind::Adjustment {
            kind,
            reason,
            provider_ref,
        } => Some(PaymentAdjustment {
            id: record.id.clone(),
            payment_id: record.payment_id.clone(),
            kind: kind.clone(),
            amount: record.amount.clone(),
            reason: reason.clone(),
            provider_ref: provider_ref.clone(),
            created_at: record.at.clone(),
        }),
        LedgerEntryKind::Transaction { .. } => None,
    }
}

fn load_payment(tx: &WriteTx, id: &str) -> Result<PaymentRecord, AppError> {
    tx.get(&PAYMENTS, id)?
        .ok_or_else(|| AppError::not_found("payment", id))
}

fn order_ledger(tx: &WriteTx, order_id: &str) -> Result<Vec<LedgerEntryRecord>, AppError> {
    Ok(tx.scan_prefix(&LEDGER, &format!("{order_id}/"))?)
}

fn text_field(problems: &mut Problems, field: &str, value: &str, required: bool) -> String {
    let value = value.trim();
    if required && value.is_empty() {
        problems.push(field, "must not be empty");
    } else if value.chars().count() > 500 {
        problems.push(field, "must be at most 500 characters");
    } else if value.chars().any(char::is_control) {
        problems.push(field, "must not contain control characters");
    }
    value.to_owned()
}

/// Appends one entry to its order's ledger after `check` accepts it against the ledger as it
/// stands, with its audit event; the check and the append share one transaction, so they
/// cannot race. An entry whose reference (`reference`) is already recorded is answered with
/// the recorded one when it says the same (`same`), or 409 when it does not.
fn append_to_ledger(
    tx: &mut WriteTx,
    payment_id: &str,
    reference: Option<String>,
    same: impl FnOnce(&LedgerEntryRecord) -> bool,
    check: impl FnOnce(&[LedgerEntry], Money) -> Result<(), ledger::LedgerError>,
    draft: LedgerEntryRecord,
) -> Result<(LedgerEntryRecord, Recorded), AppError> {
    let payment = load_payment(tx, payment_id)?;
    if let Some(reference) = &reference
        && let Some(key) = tx.get(&LEDGER_BY_PROVIDER_REF, reference)?
    {
        let existing = tx
            .get(&LEDGER, &key)?
            .ok_or_else(|| corrupt(LEDGER_BY_PROVIDER_REF.name(), reference))?;
        if existing.payment_id == payment_id && same(&existing) {
            return Ok((existing, Recorded::AlreadyRecorded));
        }
        return Err(AppError::Conflict(format!(
            "provider reference {:?} is already recorded as entry {} with other values",
            reference.split('\u{1f}').nth(1).unwrap_or(reference),
            existing.id
        )));
    }
    let ledger_records = order_ledger(tx, &payment.order_id)?;
    let entries = ledger_entries(&ledger_records)?;
    let payment_amount = stored_money(PAYMENTS.name(), &payment.id, &payment.amount)?;
    check(&entries, payment_amount).map_err(|error| AppError::invalid_field("amount", error))?;
    let entry = LedgerEntryRecord {
        order_id: payment.order_id,
        payment_id: payment_id.to_owned(),
        seq: ledger_records.len() as u64 + 1,
        ..draft
    };
    let key = sequence_key(&entry.order_id, entry.seq);
    tx.insert(&LEDGER, &key, &entry)?;
    if let Some(reference) = &reference {
        tx.insert(&LEDGER_BY_PROVIDER_REF, reference, &key)?;
    }
    let (kind, data) = ledger_data(&entry);
    append_order_event(
        tx,
        NewEvent {
            order_id: &entry.order_id,
            kind,
            actor: None,
            note: None,
            data,
            at: &entry.at,
        },
    )?;
    Ok((entry, Recorded::Created))
}

impl App {
    pub async fn create_payment(
        &self,
        order_id: &str,
        input: PaymentInput,
    ) -> Result<Payment, AppError> {
        let mut problems = Problems::new();
        let kind = problems.check("kind", PaymentKind::parse(&input.kind));
        let amount = problems.check("amount", Money::parse_positive(&input.amount));
        problems.finish()?;
        let (Some(kind), Some(amount)) = (kind, amount) else {
            unreachable!("problems recorded")
        };
        let at = convert::timestamp(self.now());
        let id = self.new_id();
        let order_id = order_id.to_owned();
        self.store()
            .write(move |tx| {
                let order = tx
                    .get(&ORDERS, &order_id)?
                    .ok_or_else(|| AppError::not_found("order", &order_id))?;
                let status = OrderStatus::parse(&order.status)
                    .map_err(|_| corrupt(ORDERS.name(), &order_id))?;
                if status.is_final() {
                    return Err(AppError::Conflict(format!(
                        "order {} is {}; it takes no new payments",
                        order.number,
                        status.as_str()
                    )));
                }
                if kind == PaymentKind::ChangeOrder {
                    // A change order payment settles what a confirmed change added, no more.
                    let total = stored_money(ORDERS.name(), &order_id, &order.total)?;
                    let entries = ledger_entries(&order_ledger(tx, &order_id)?)?;
                    let balance = ledger::balance_due(total, &entries);
                    if amount > balance {
                        return Err(AppError::invalid_field(
                            "amount",
                            format!(
                                "a change_order payment of {amount} exceeds the balance due of {balance}"
                            ),
                        ));
                    }
                }
                let payment = PaymentRecord {
                    id,
                    order_id: order_id.clone(),
                    kind: kind.as_str().into(),
                    amount: amount.to_string(),
                    currency: order.currency,
                    created_at: at.clone(),
                };
                tx.insert(&PAYMENTS, &payment.id, &payment)?;
                tx.index_insert(&PAYMENTS_BY_ORDER, &order_id, &payment.id)?;
                append_order_event(
                    tx,
                    NewEvent {
                        order_id: &order_id,
                        kind: "payment_created",
                        actor: None,
                        note: None,
                        data: payment_data(&payment),
                        at: &at,
                    },
                )?;
                payment_view(payment, &[])
            })
            .await
    }

    pub async fn record_transaction(
        &self,
        payment_id: &str,
        input: TransactionInput,
    ) -> Result<(PaymentTransaction, Recorded), AppError> {
        let mut problems = Problems::new();
        let provider = text_field(&mut problems, "provider", &input.provider, true);
        let provider_ref = text_field(&mut problems, "provider_ref", &input.provider_ref, true);
        let kind = problems.check("type", TransactionType::parse(&input.kind));
        let status = problems.check("status", TransactionStatus::parse(&input.status));
        let amount = problems.check("amount", Money::parse_positive(&input.amount));
        problems.finish()?;
        let (Some(kind), Some(status), Some(amount)) = (kind, status, amount) else {
            unreachable!("problems recorded")
        };
        let at = convert::timestamp(self.now());
        let id = self.new_id();
        let payment_id = payment_id.to_owned();
        self.store()
            .write(move |tx| {
                let check = |entries: &[LedgerEntry], payment_amount| {
                    let transaction = NewTransaction {
                        kind,
                        status,
                        amount,
                    };
                    ledger::check_transaction(entries, &payment_id, payment_amount, transaction)
                };
                let same = |existing: &LedgerEntryRecord| {
                    existing.amount == amount.to_string()
                        && matches!(&existing.entry, LedgerEntryKind::Transaction {
                            kind: k, status: s, ..
                        } if k == kind.as_str() && s == status.as_str())
                };
                let reference = Some(provider_ref_key(&provider, &provider_ref));
                let draft = LedgerEntryRecord {
                    id,
                    order_id: String::new(),
                    payment_id: String::new(),
                    seq: 0,
                    entry: LedgerEntryKind::Transaction {
                        kind: kind.as_str().into(),
                        status: status.as_str().into(),
                        provider,
                        provider_ref,
                    },
                    amount: amount.to_string(),
                    at,
                };
                let (entry, recorded) =
                    append_to_ledger(tx, &payment_id, reference, same, check, draft)?;
                let view = transaction_view(&entry).ok_or_else(|| {
                    AppError::Conflict(format!(
                        "the reference is already recorded as adjustment {}",
                        entry.id
                    ))
                })?;
                Ok((view, recorded))
            })
            .await
    }

    pub async fn record_adjustment(
        &self,
        payment_id: &str,
        input: AdjustmentInput,
    ) -> Result<(PaymentAdjustment, Recorded), AppError> {
        let mut problems = Problems::new();
        let kind = problems.check("type", AdjustmentType::parse(&input.kind));
        let amount = problems.check("amount", Money::parse_positive(&input.amount));
        let reason = text_field(&mut problems, "reason", &input.reason, false);
        let provider_ref = input
            .provider_ref
            .as_deref()
            .map(|text| text_field(&mut problems, "provider_ref", text, true));
        problems.finish()?;
        let (Some(kind), Some(amount)) = (kind, amount) else {
            unreachable!("problems recorded")
        };
        let at = convert::timestamp(self.now());
        let id = self.new_id();
        let payment_id = payment_id.to_owned();
        self.store()
            .write(move |tx| {
                let check = |entries: &[LedgerEntry], _payment_amount| {
                    ledger::check_adjustment(entries, &payment_id, kind, amount)
                };
                let same = |existing: &LedgerEntryRecord| {
                    existing.amount == amount.to_string()
                        && matches!(&existing.entry, LedgerEntryKind::Adjustment { kind: k, .. }
                            if k == kind.as_str())
                };
                let reference = provider_ref
                    .as_deref()
                    .map(|text| provider_ref_key(ADJUSTMENT_REFERENCES, text));
                let draft = LedgerEntryRecord {
                    id,
                    order_id: String::new(),
                    payment_id: String::new(),
                    seq: 0,
                    entry: LedgerEntryKind::Adjustment {
                        kind: kind.as_str().into(),
                        reason,
                        provider_ref,
                    },
                    amount: amount.to_string(),
                    at,
                };
                let (entry, recorded) =
                    append_to_ledger(tx, &payment_id, reference, same, check, draft)?;
                let view = adjustment_view(&entry).ok_or_else(|| {
                    AppError::Conflict(format!(
                        "the reference is already recorded as transaction {}",
                        entry.id
                    ))
                })?;
                Ok((view, recorded))
            })
            .await
    }

    pub fn list_payments(&self, order_id: &str) -> Result<Vec<Payment>, AppError> {
        self.store().read(|tx| {
            if !tx.contains(&ORDERS, order_id)? {
                return Err(AppError::not_found("order", order_id));
            }
            let ledger_records = tx.scan_prefix(&LEDGER, &format!("{order_id}/"))?;
            let ids = tx.index_ids(&PAYMENTS_BY_ORDER, order_id, 0, usize::MAX)?;
            let mut payments = Vec::with_capacity(ids.len());
            for id in ids {
                if let Some(payment) = tx.get(&PAYMENTS, &id)? {
                    payments.push(payment_view(payment, &ledger_records)?);
                }
            }
            Ok(payments)
        })
    }
}
