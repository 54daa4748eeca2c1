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
use paform_store::records::v1::{LedgerEntryKind, LedgerEntryRecord, PaymentRecord};
use paform_store::tables_v1::{LEDGER, ORDERS, PAYMENTS, PAYMENTS_BY_ORDER};
use paform_store::{StoreError, WriteTx};

use crate::convert;
use crate::dto::{
    AdjustmentInput, Payment, PaymentAdjustment, PaymentInput, PaymentTransaction, TransactionInput,
};
use crate::orders::event_key;
use crate::{App, AppError};

/// The core's view of stored ledger records.
pub(crate) fn ledger_entries(records: &[LedgerEntryRecord]) -> Result<Vec<LedgerEntry>, AppError> {
    records
        .iter()
        .map(|record| {
            let corrupt = || StoreError::Corrupt {
                table: LEDGER.name(),
                key: record.id.clone(),
            };
            let amount = Money::parse(&record.amount).map_err(|_| corrupt())?;
            let payment_id = record.payment_id.clone();
            Ok(match &record.entry {
                LedgerEntryKind::Transaction { kind, status, .. } => LedgerEntry::Transaction {
                    payment_id,
                    kind: TransactionType::parse(kind).map_err(|_| corrupt())?,
                    status: TransactionStatus::parse(status).map_err(|_| corrupt())?,
                    amount,
                },
                LedgerEntryKind::Adjustment { kind, .. } => LedgerEntry::Adjustment {
                    payment_id,
                    kind: AdjustmentType::parse(kind).map_err(|_| corrupt())?,
                    amount,
                },
            })
        })
        .collect()
}

fn payment_view(
    payment: PaymentRecord,
    order_ledger: &[LedgerEntryRecord],
) -> Result<Payment, AppError> {
    let entries = ledger_entries(order_ledger)?;
    let amount = Money::parse(&payment.amount).unwrap_or(Money::ZERO);
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
        LedgerEntryKind::Adjustment { kind, reason } => Some(PaymentAdjustment {
            id: record.id.clone(),
            payment_id: record.payment_id.clone(),
            kind: kind.clone(),
            amount: record.amount.clone(),
            reason: reason.clone(),
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
    }
    value.to_owned()
}

/// Appends one entry to its order's ledger after `check` accepts it against the ledger as it
/// stands; the check and the append share one transaction, so they cannot race.
fn append_to_ledger(
    tx: &mut WriteTx,
    payment_id: &str,
    check: impl FnOnce(&[LedgerEntry], Money) -> Result<(), ledger::LedgerError>,
    draft: LedgerEntryRecord,
) -> Result<LedgerEntryRecord, AppError> {
    let payment = load_payment(tx, payment_id)?;
    let ledger_records = order_ledger(tx, &payment.order_id)?;
    let entries = ledger_entries(&ledger_records)?;
    let payment_amount = Money::parse(&payment.amount).unwrap_or(Money::ZERO);
    check(&entries, payment_amount).map_err(|error| AppError::invalid_field("amount", error))?;
    let entry = LedgerEntryRecord {
        order_id: payment.order_id,
        payment_id: payment_id.to_owned(),
        seq: ledger_records.len() as u64 + 1,
        ..draft
    };
    tx.insert(&LEDGER, &event_key(&entry.order_id, entry.seq), &entry)?;
    Ok(entry)
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
                let status = OrderStatus::parse(&order.status).unwrap_or(OrderStatus::Draft);
                if status.is_final() {
                    return Err(AppError::Conflict(format!(
                        "order {order_id} is {}; it takes no new payments",
                        status.as_str()
                    )));
                }
                let payment = PaymentRecord {
                    id,
                    order_id: order_id.clone(),
                    kind: kind.as_str().into(),
                    amount: amount.to_string(),
                    currency: order.currency,
                    created_at: at,
                };
                tx.insert(&PAYMENTS, &payment.id, &payment)?;
                tx.index_insert(&PAYMENTS_BY_ORDER, &order_id, &payment.id)?;
                payment_view(payment, &[])
            })
            .await
    }

    pub async fn record_transaction(
        &self,
        payment_id: &str,
        input: TransactionInput,
    ) -> Result<PaymentTransaction, AppError> {
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
                let entry = append_to_ledger(tx, &payment_id, check, draft)?;
                transaction_view(&entry)
                    .ok_or_else(|| AppError::internal(anyhow::anyhow!("built a transaction entry")))
            })
            .await
    }

    pub async fn record_adjustment(
        &self,
        payment_id: &str,
        input: AdjustmentInput,
    ) -> Result<PaymentAdjustment, AppError> {
        let mut problems = Problems::new();
        let kind = problems.check("type", AdjustmentType::parse(&input.kind));
        let amount = problems.check("amount", Money::parse_positive(&input.amount));
        let reason = text_field(&mut problems, "reason", &input.reason, false);
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
                let draft = LedgerEntryRecord {
                    id,
                    order_id: String::new(),
                    payment_id: String::new(),
                    seq: 0,
                    entry: LedgerEntryKind::Adjustment {
                        kind: kind.as_str().into(),
                        reason,
                    },
                    amount: amount.to_string(),
                    at,
                };
                let entry = append_to_ledger(tx, &payment_id, check, draft)?;
                adjustment_view(&entry)
                    .ok_or_else(|| AppError::internal(anyhow::anyhow!("built an adjustment entry")))
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
