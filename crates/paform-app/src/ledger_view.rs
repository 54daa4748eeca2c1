//! The ledger as the core sees it: stored ledger records parsed into `LedgerEntry` values.
//! Orders (amount paid, guards) and payments (status, checks) both read the ledger through
//! this one function; a record that does not parse is corrupt, never zero.

use paform_core::money::Money;
use paform_core::order::ledger::{AdjustmentType, LedgerEntry, TransactionStatus, TransactionType};
use paform_store::StoreError;
use paform_store::records::v3::{LedgerEntryKind, LedgerEntryRecord};
use paform_store::tables_v3::LEDGER;

use crate::AppError;

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
