//! Numbers a person can say (`PF-000042`, `Q-000123`): one sequence per kind, each a counter
//! in the store's `counters` table and a table of the numbers taken, allocated inside the
//! write transaction of the record it numbers (SPEC §10, §17).
//!
//! Invariants: a number is handed out at most once per installation, because the counter
//! and the record are written in one transaction and a number already taken (possible only
//! after a prefix was changed back and forth) is skipped; numbers of one kind increase in
//! the order their records were committed.

use paform_store::records::v3::SettingsRecord;
use paform_store::tables_v3::{
    COUNTERS, ORDERS_BY_NUMBER, QUOTE_NUMBERS, QUOTES_BY_NUMBER, SETTING_TEXTS, SETTINGS,
};
use paform_store::{ORDER_NUMBER_COUNTER, QUOTE_NUMBER_COUNTER, Table, WriteTx};

use crate::AppError;

/// The quote number prefix when the settings name none.
pub(crate) const DEFAULT_QUOTE_NUMBER_PREFIX: &str = "Q";
/// The name of the quote number prefix in `SETTING_TEXTS`.
pub(crate) const QUOTE_NUMBER_PREFIX_SETTING: &str = "quote_number_prefix";

/// One kind of number: its counter, the table of numbers taken, and how a count is written.
struct Sequence {
    counter: &'static str,
    taken: &'static Table<String>,
    separator: &'static str,
}

const ORDERS: Sequence = Sequence {
    counter: ORDER_NUMBER_COUNTER,
    taken: &ORDERS_BY_NUMBER,
    // The order prefix carries its own dash (`PF-`).
    separator: "",
};

const QUOTES: Sequence = Sequence {
    counter: QUOTE_NUMBER_COUNTER,
    taken: &QUOTES_BY_NUMBER,
    // SPEC §17: prefix `Q` gives `Q-000123`.
    separator: "-",
};

/// The next free number of `sequence` under `prefix`; the counter moves in `tx`, so the
/// number is the caller's only if it also writes its record in `tx`.
fn next_number(tx: &mut WriteTx, sequence: &Sequence, prefix: &str) -> Result<String, AppError> {
    let mut counter = tx.get(&COUNTERS, sequence.counter)?.unwrap_or(0);
    loop {
        counter += 1;
        let number = format!("{prefix}{}{counter:06}", sequence.separator);
        if !tx.contains(sequence.taken, &number)? {
            tx.insert(&COUNTERS, sequence.counter, &counter)?;
            return Ok(number);
        }
    }
}

/// Hands out the next order number: the settings' prefix and six digits (`PF-000042`).
pub(crate) fn next_order_number(tx: &mut WriteTx) -> Result<String, AppError> {
    let prefix = tx
        .get(&SETTINGS, SettingsRecord::KEY)?
        .map(|settings| settings.order_number_prefix)
        .unwrap_or_else(|| SettingsRecord::DEFAULT_ORDER_NUMBER_PREFIX.to_owned());
    next_number(tx, &ORDERS, &prefix)
}

/// Hands out the next quote number, `Q-000123` with the default prefix, and records it as
/// quote `quote_id`'s in the same transaction.
pub(crate) fn assign_quote_number(tx: &mut WriteTx, quote_id: &str) -> Result<String, AppError> {
    let prefix = tx
        .get(&SETTING_TEXTS, QUOTE_NUMBER_PREFIX_SETTING)?
        .unwrap_or_else(|| DEFAULT_QUOTE_NUMBER_PREFIX.to_owned());
    let number = next_number(tx, &QUOTES, &prefix)?;
    tx.insert(&QUOTES_BY_NUMBER, &number, &quote_id.to_owned())?;
    tx.insert(&QUOTE_NUMBERS, quote_id, &number)?;
    Ok(number)
}

/// Whether `prefix` may start numbers: 1 to 10 of A–Z, 0–9 and `-`.
pub(crate) fn is_valid_prefix(prefix: &str) -> bool {
    (1..=10).contains(&prefix.len())
        && prefix
            .bytes()
            .all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit() || byte == b'-')
}
