//! The append-only payment ledger of one order: transactions that mirror the gateway
//! (authorizations, captures, voids) and adjustments that take money back (refunds,
//! chargebacks), each tagged with the payment it belongs to.
//!
//! Nothing is ever updated in place. A payment's status, what it has captured, what is
//! still refundable, the order's amount paid and its balance due are all derived from the
//! entries by the functions below, and a new entry is admitted only if `check_transaction`
//! or `check_adjustment` accepts it. Invariants kept by those checks, per payment: the
//! succeeded captures never exceed the payment's amount, and the adjustments never exceed
//! the succeeded captures; hence `0 ≤ amount_paid ≤ Σ succeeded captures` for the order.
//!
//! Rules chosen where the spec is silent:
//! - every entry's amount must be greater than zero;
//! - a failed transaction is always recorded and counts for nothing;
//! - a capture needs no prior authorization (gateways sometimes charge directly), but a
//!   succeeded capture or authorization may not exceed what is still uncaptured on the
//!   payment (its amount minus its succeeded captures);
//! - a succeeded void is only accepted while the payment is `authorized` (an uncaptured
//!   authorization that was not already voided); it releases the hold and changes nothing
//!   paid, and its amount is recorded as given;
//! - a refund and a chargeback count the same: both reduce the amount paid.

use crate::money::Money;

wire_names! {
    /// What a payment is for.
    pub enum PaymentKind as "payment kind" {
        Deposit => "deposit",
        Balance => "balance",
        ChangeOrder => "change_order",
    }
}

wire_names! {
    /// A gateway operation mirrored by a transaction entry.
    pub enum TransactionType as "transaction type" {
        Authorization => "authorization",
        Capture => "capture",
        Void => "void",
    }
}

wire_names! {
    /// The gateway's outcome of a transaction.
    pub enum TransactionStatus as "transaction status" {
        Succeeded => "succeeded",
        Failed => "failed",
    }
}

wire_names! {
    /// Money taken back after it was captured.
    pub enum AdjustmentType as "adjustment type" {
        Refund => "refund",
        Chargeback => "chargeback",
    }
}

wire_names! {
    /// A payment's status, derived from its entries by `payment_status`, never stored.
    pub enum PaymentStatus as "payment status" {
        /// Nothing has happened yet.
        Pending => "pending",
        /// An uncaptured authorization holds the money.
        Authorized => "authorized",
        /// Some, not all, of the payment's amount is captured and nothing was taken back.
        PartiallyCaptured => "partially_captured",
        /// The whole amount is captured and nothing was taken back.
        Captured => "captured",
        /// Part of what was captured was refunded or charged back.
        PartiallyRefunded => "partially_refunded",
        /// Everything captured was refunded or charged back.
        Refunded => "refunded",
        /// The last authorization was voided and nothing was captured.
        Voided => "voided",
        /// Only failed transactions were recorded.
        Failed => "failed",
    }
}

/// One record of the ledger. Plain data: what makes it admissible is checked by
/// `check_transaction` / `check_adjustment` before it is written, not by construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerEntry {
    Transaction {
        payment_id: String,
        kind: TransactionType,
        status: TransactionStatus,
        amount: Money,
    },
    Adjustment {
        payment_id: String,
        kind: AdjustmentType,
        amount: Money,
    },
}

impl LedgerEntry {
    pub fn payment_id(&self) -> &str {
        match self {
            LedgerEntry::Transaction { payment_id, .. } => payment_id,
            LedgerEntry::Adjustment { payment_id, .. } => payment_id,
        }
    }

    pub fn amount(&self) -> Money {
        match self {
            LedgerEntry::Transaction { amount, .. } | LedgerEntry::Adjustment { amount, .. } => {
                *amount
            }
        }
    }

    fn is_succeeded_capture(&self) -> bool {
        matches!(
            self,
            LedgerEntry::Transaction {
                kind: TransactionType::Capture,
                status: TransactionStatus::Succeeded,
                ..
            }
        )
    }
}

/// A transaction the caller wants to record on a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewTransaction {
    pub kind: TransactionType,
    pub status: TransactionStatus,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("amount must be greater than zero, got {amount}")]
    NotPositive { amount: Money },
    #[error("{kind} of {amount} exceeds the {uncaptured} still to be captured on this payment")]
    ExceedsUncaptured {
        kind: TransactionType,
        amount: Money,
        uncaptured: Money,
    },
    #[error("only an uncaptured authorization can be voided, and this payment is {status}")]
    NothingToVoid { status: PaymentStatus },
    #[error("{kind} of {amount} exceeds the {refundable} still refundable on this payment")]
    ExceedsRefundable {
        kind: AdjustmentType,
        amount: Money,
        refundable: Money,
    },
}

/// The sum of the succeeded captures of one payment.
pub fn captured(entries: &[LedgerEntry], payment_id: &str) -> Money {
    of_payment(entries, payment_id)
        .filter(|entry| entry.is_succeeded_capture())
        .map(LedgerEntry::amount)
        .sum()
}

/// The sum of the refunds and chargebacks of one payment.
pub fn adjusted(entries: &[LedgerEntry], payment_id: &str) -> Money {
    of_payment(entries, payment_id)
        .filter(|entry| matches!(entry, LedgerEntry::Adjustment { .. }))
        .map(LedgerEntry::amount)
        .sum()
}

/// What may still be refunded or charged back on one payment: its succeeded captures
/// minus its adjustments, never below zero.
pub fn refundable(entries: &[LedgerEntry], payment_id: &str) -> Money {
    (captured(entries, payment_id) - adjusted(entries, payment_id)).max(Money::ZERO)
}

/// What may still be captured on one payment: its amount minus its succeeded captures,
/// never below zero.
pub fn uncaptured(entries: &[LedgerEntry], payment_id: &str, payment_amount: Money) -> Money {
    (payment_amount - captured(entries, payment_id)).max(Money::ZERO)
}

/// The order's amount paid: all succeeded captures minus all adjustments.
pub fn amount_paid(entries: &[LedgerEntry]) -> Money {
    let captures: Money = entries
        .iter()
        .filter(|entry| entry.is_succeeded_capture())
        .map(LedgerEntry::amount)
        .sum();
    let adjustments: Money = entries
        .iter()
        .filter(|entry| matches!(entry, LedgerEntry::Adjustment { .. }))
        .map(LedgerEntry::amount)
        .sum();
    captures - adjustments
}

/// `total − amount_paid`, exactly. Negative when the order is overpaid.
pub fn balance_due(total: Money, entries: &[LedgerEntry]) -> Money {
    total - amount_paid(entries)
}

/// Whether the order has at least one succeeded capture, the fact the
/// `pending_payment → design_review` guard needs. A capture that was later refunded
/// still counts: the guard asks whether money was ever taken, not whether it was kept.
pub fn has_captured(entries: &[LedgerEntry]) -> bool {
    entries.iter().any(LedgerEntry::is_succeeded_capture)
}

/// Decides whether `transaction` may be appended to the entries of `payment_id`, a
/// payment of `payment_amount`. See the module documentation for the rules.
pub fn check_transaction(
    entries: &[LedgerEntry],
    payment_id: &str,
    payment_amount: Money,
    transaction: NewTransaction,
) -> Result<(), LedgerError> {
    let NewTransaction {
        kind,
        status,
        amount,
    } = transaction;
    check_positive(amount)?;
    if status == TransactionStatus::Failed {
        return Ok(());
    }
    match kind {
        TransactionType::Authorization | TransactionType::Capture => {
            let uncaptured = uncaptured(entries, payment_id, payment_amount);
            if amount > uncaptured {
                return Err(LedgerError::ExceedsUncaptured {
                    kind,
                    amount,
                    uncaptured,
                });
            }
            Ok(())
        }
        TransactionType::Void => match payment_status(entries, payment_id, payment_amount) {
            PaymentStatus::Authorized => Ok(()),
            status => Err(LedgerError::NothingToVoid { status }),
        },
    }
}

/// Decides whether an adjustment of `kind` and `amount` may be appended to the entries of
/// `payment_id`: the payment's adjustments may never exceed its succeeded captures.
pub fn check_adjustment(
    entries: &[LedgerEntry],
    payment_id: &str,
    kind: AdjustmentType,
    amount: Money,
) -> Result<(), LedgerError> {
    check_positive(amount)?;
    let refundable = refundable(entries, payment_id);
    if amount > refundable {
        return Err(LedgerError::ExceedsRefundable {
            kind,
            amount,
            refundable,
        });
    }
    Ok(())
}

/// The status of one payment of `payment_amount`, derived from its entries.
///
/// Once anything is captured, money decides: adjustments first (`refunded` when they
/// cover every capture, `partially_refunded` when they cover some), then how much was
/// captured. Before that, the latest succeeded authorization or void decides between
/// `authorized` and `voided`; with neither, any failed transaction makes it `failed`.
pub fn payment_status(
    entries: &[LedgerEntry],
    payment_id: &str,
    payment_amount: Money,
) -> PaymentStatus {
    let captured = captured(entries, payment_id);
    let adjusted = adjusted(entries, payment_id);
    if captured > Money::ZERO {
        return if adjusted >= captured {
            PaymentStatus::Refunded
        } else if adjusted > Money::ZERO {
            PaymentStatus::PartiallyRefunded
        } else if captured >= payment_amount {
            PaymentStatus::Captured
        } else {
            PaymentStatus::PartiallyCaptured
        };
    }
    let latest_hold = of_payment(entries, payment_id)
        .rev()
        .find_map(|entry| match entry {
            LedgerEntry::Transaction {
                kind: kind @ (TransactionType::Authorization | TransactionType::Void),
                status: TransactionStatus::Succeeded,
                ..
            } => Some(*kind),
            _ => None,
        });
    match latest_hold {
        Some(TransactionType::Void) => PaymentStatus::Voided,
        Some(_) => PaymentStatus::Authorized,
        None if of_payment(entries, payment_id).next().is_some() => PaymentStatus::Failed,
        None => PaymentStatus::Pending,
    }
}

fn of_payment<'a>(
    entries: &'a [LedgerEntry],
    payment_id: &'a str,
) -> impl DoubleEndedIterator<Item = &'a LedgerEntry> {
    entries
        .iter()
        .filter(move |entry| entry.payment_id() == payment_id)
}

fn check_positive(amount: Money) -> Result<(), LedgerError> {
    if amount > Money::ZERO {
        Ok(())
    } else {
        Err(LedgerError::NotPositive { amount })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order::NameError;
    use AdjustmentType::{Chargeback, Refund};
    use TransactionStatus::{Failed, Succeeded};
    use TransactionType::{Authorization, Capture, Void};
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    fn money(text: &str) -> Money {
        Money::parse(text).expect("test literal is a valid amount")
    }

    fn tx(
        payment_id: &str,
        kind: TransactionType,
        status: TransactionStatus,
        amount: &str,
    ) -> LedgerEntry {
        LedgerEntry::Transaction {
            payment_id: payment_id.to_owned(),
            kind,
            status,
            amount: money(amount),
        }
    }

    fn adjustment(payment_id: &str, kind: AdjustmentType, amount: &str) -> LedgerEntry {
        LedgerEntry::Adjustment {
            payment_id: payment_id.to_owned(),
            kind,
            amount: money(amount),
        }
    }

    fn capture(payment_id: &str, amount: &str) -> LedgerEntry {
        tx(payment_id, Capture, Succeeded, amount)
    }

    fn refund(payment_id: &str, amount: &str) -> LedgerEntry {
        adjustment(payment_id, Refund, amount)
    }

    #[test]
    fn amount_paid_is_succeeded_captures_minus_adjustments_over_the_whole_order() {
        let check = |entries: &[LedgerEntry], paid: &str, due: &str| {
            assert_eq!(amount_paid(entries), money(paid), "{entries:?}");
            assert_eq!(
                balance_due(money("100"), entries).to_string(),
                due,
                "{entries:?}"
            );
        };
        check(&[], "0", "100.00");
        check(&[capture("p1", "40")], "40", "60.00");
        check(&[capture("p1", "40"), capture("p2", "60")], "100", "0.00");
        check(&[capture("p1", "40"), capture("p2", "70")], "110", "-10.00");
        check(
            &[capture("p1", "40"), refund("p1", "15.50")],
            "24.50",
            "75.50",
        );
        check(
            &[capture("p1", "40"), adjustment("p1", Chargeback, "40")],
            "0",
            "100.00",
        );
        check(&[tx("p1", Capture, Failed, "40")], "0", "100.00");
        check(&[tx("p1", Authorization, Succeeded, "40")], "0", "100.00");
        check(
            &[
                tx("p1", Authorization, Succeeded, "40"),
                tx("p1", Void, Succeeded, "40"),
            ],
            "0",
            "100.00",
        );
        check(
            &[
                capture("p1", "0.10"),
                capture("p1", "0.20"),
                refund("p1", "0.30"),
            ],
            "0",
            "100.00",
        );
    }

    #[test]
    fn captured_refundable_and_uncaptured_are_per_payment() {
        let entries = [
            capture("p1", "30"),
            capture("p2", "20"),
            refund("p1", "10"),
            tx("p1", Capture, Failed, "5"),
            tx("p1", Authorization, Succeeded, "50"),
        ];
        let check = |payment_id: &str, expected: [&str; 4]| {
            let actual = [
                captured(&entries, payment_id),
                adjusted(&entries, payment_id),
                refundable(&entries, payment_id),
                uncaptured(&entries, payment_id, money("50")),
            ];
            assert_eq!(actual, expected.map(money), "{payment_id}");
        };
        check("p1", ["30", "10", "20", "20"]);
        check("p2", ["20", "0", "20", "30"]);
        check("p3", ["0", "0", "0", "50"]);
    }

    #[test]
    fn adjustments_may_not_exceed_what_is_still_refundable() {
        let entries = [
            capture("p1", "80"),
            refund("p1", "30"),
            capture("p2", "100"),
        ];
        let check = |kind: AdjustmentType, amount: &str, expected: Result<(), LedgerError>| {
            let actual = check_adjustment(&entries, "p1", kind, money(amount));
            assert_eq!(actual, expected, "{kind} of {amount}");
        };
        check(Refund, "50", Ok(()));
        check(Chargeback, "50", Ok(()));
        check(Refund, "0.01", Ok(()));
        check(
            Refund,
            "50.01",
            Err(LedgerError::ExceedsRefundable {
                kind: Refund,
                amount: money("50.01"),
                refundable: money("50"),
            }),
        );
        check(
            Chargeback,
            "60",
            Err(LedgerError::ExceedsRefundable {
                kind: Chargeback,
                amount: money("60"),
                refundable: money("50"),
            }),
        );
        check(
            Refund,
            "0",
            Err(LedgerError::NotPositive {
                amount: Money::ZERO,
            }),
        );
    }

    #[test]
    fn an_adjustment_on_a_payment_with_nothing_captured_is_refused() {
        let entries = [
            tx("p1", Authorization, Succeeded, "50"),
            tx("p1", Capture, Failed, "50"),
            capture("p2", "50"),
        ];
        assert_eq!(
            check_adjustment(&entries, "p1", Refund, money("1")),
            Err(LedgerError::ExceedsRefundable {
                kind: Refund,
                amount: money("1"),
                refundable: Money::ZERO,
            })
        );
    }

    #[test]
    fn transactions_follow_the_documented_rules() {
        let check = |entries: &[LedgerEntry],
                     kind: TransactionType,
                     status: TransactionStatus,
                     amount: &str,
                     expected: Result<(), LedgerError>| {
            let transaction = NewTransaction {
                kind,
                status,
                amount: money(amount),
            };
            let actual = check_transaction(entries, "p1", money("100"), transaction);
            assert_eq!(
                actual, expected,
                "{kind} {status} {amount} after {entries:?}"
            );
        };
        let exceeds = |kind: TransactionType, amount: &str, uncaptured: &str| {
            Err(LedgerError::ExceedsUncaptured {
                kind,
                amount: money(amount),
                uncaptured: money(uncaptured),
            })
        };
        let cannot_void = |status: PaymentStatus| Err(LedgerError::NothingToVoid { status });
        let authorized = [tx("p1", Authorization, Succeeded, "100")];
        let partly = [capture("p1", "60")];
        let full = [capture("p1", "100")];
        let other_payment = [capture("p2", "100")];

        // Captures need no authorization and stop at the payment's amount.
        check(&[], Capture, Succeeded, "100", Ok(()));
        check(
            &[],
            Capture,
            Succeeded,
            "100.01",
            exceeds(Capture, "100.01", "100"),
        );
        check(&authorized, Capture, Succeeded, "100", Ok(()));
        check(&partly, Capture, Succeeded, "40", Ok(()));
        check(
            &partly,
            Capture,
            Succeeded,
            "40.01",
            exceeds(Capture, "40.01", "40"),
        );
        check(
            &full,
            Capture,
            Succeeded,
            "0.01",
            exceeds(Capture, "0.01", "0"),
        );
        check(&other_payment, Capture, Succeeded, "100", Ok(()));
        // A refund does not make room for capturing the same money again.
        check(
            &[capture("p1", "100"), refund("p1", "100")],
            Capture,
            Succeeded,
            "1",
            exceeds(Capture, "1", "0"),
        );
        // Authorizations stop at what is still uncaptured too.
        check(&[], Authorization, Succeeded, "100", Ok(()));
        check(&partly, Authorization, Succeeded, "40", Ok(()));
        check(
            &partly,
            Authorization,
            Succeeded,
            "41",
            exceeds(Authorization, "41", "40"),
        );
        // Voids release an uncaptured, unvoided authorization and nothing else.
        check(&authorized, Void, Succeeded, "100", Ok(()));
        check(
            &[],
            Void,
            Succeeded,
            "100",
            cannot_void(PaymentStatus::Pending),
        );
        check(
            &partly,
            Void,
            Succeeded,
            "100",
            cannot_void(PaymentStatus::PartiallyCaptured),
        );
        check(
            &full,
            Void,
            Succeeded,
            "100",
            cannot_void(PaymentStatus::Captured),
        );
        check(
            &[
                tx("p1", Authorization, Succeeded, "100"),
                tx("p1", Void, Succeeded, "100"),
            ],
            Void,
            Succeeded,
            "100",
            cannot_void(PaymentStatus::Voided),
        );
        // Failed transactions are always recorded, whatever they attempted.
        check(&full, Capture, Failed, "500", Ok(()));
        check(&[], Void, Failed, "1", Ok(()));
        check(&full, Authorization, Failed, "100", Ok(()));
        // Every amount must be positive.
        check(
            &[],
            Capture,
            Succeeded,
            "0",
            Err(LedgerError::NotPositive {
                amount: Money::ZERO,
            }),
        );
        check(
            &[],
            Capture,
            Failed,
            "0",
            Err(LedgerError::NotPositive {
                amount: Money::ZERO,
            }),
        );
    }

    #[test]
    fn payment_status_is_derived_from_the_entries_of_that_payment() {
        let check = |entries: &[LedgerEntry], expected: PaymentStatus| {
            assert_eq!(
                payment_status(entries, "p1", money("100")),
                expected,
                "{entries:?}"
            );
        };
        let auth = tx("p1", Authorization, Succeeded, "100");
        let void = tx("p1", Void, Succeeded, "100");
        check(&[], PaymentStatus::Pending);
        check(&[capture("p2", "100")], PaymentStatus::Pending);
        check(
            &[tx("p1", Authorization, Failed, "100")],
            PaymentStatus::Failed,
        );
        check(&[tx("p1", Capture, Failed, "100")], PaymentStatus::Failed);
        check(std::slice::from_ref(&auth), PaymentStatus::Authorized);
        check(
            &[auth.clone(), tx("p1", Capture, Failed, "100")],
            PaymentStatus::Authorized,
        );
        check(&[auth.clone(), void.clone()], PaymentStatus::Voided);
        check(
            &[auth.clone(), void.clone(), auth.clone()],
            PaymentStatus::Authorized,
        );
        check(
            &[auth.clone(), capture("p1", "40")],
            PaymentStatus::PartiallyCaptured,
        );
        check(
            &[capture("p1", "40"), capture("p1", "60")],
            PaymentStatus::Captured,
        );
        check(&[auth, void, capture("p1", "100")], PaymentStatus::Captured);
        check(
            &[capture("p1", "100"), refund("p1", "1")],
            PaymentStatus::PartiallyRefunded,
        );
        check(
            &[capture("p1", "40"), refund("p1", "1")],
            PaymentStatus::PartiallyRefunded,
        );
        check(
            &[capture("p1", "40"), refund("p1", "40")],
            PaymentStatus::Refunded,
        );
        check(
            &[
                capture("p1", "100"),
                refund("p1", "30"),
                adjustment("p1", Chargeback, "70"),
            ],
            PaymentStatus::Refunded,
        );
    }

    #[test]
    fn only_a_succeeded_capture_counts_as_a_captured_payment() {
        let check = |entries: &[LedgerEntry], expected: bool| {
            assert_eq!(has_captured(entries), expected, "{entries:?}");
        };
        check(&[], false);
        check(&[tx("p1", Authorization, Succeeded, "10")], false);
        check(&[tx("p1", Capture, Failed, "10")], false);
        check(&[capture("p1", "10")], true);
        check(&[capture("p1", "10"), refund("p1", "10")], true);
    }

    #[test]
    fn error_messages_say_how_much_is_left() {
        let check = |error: LedgerError, expected: &str| assert_eq!(error.to_string(), expected);
        check(
            LedgerError::ExceedsRefundable {
                kind: Refund,
                amount: money("60"),
                refundable: money("50"),
            },
            "refund of 60.00 exceeds the 50.00 still refundable on this payment",
        );
        check(
            LedgerError::ExceedsUncaptured {
                kind: Capture,
                amount: money("60"),
                uncaptured: money("50"),
            },
            "capture of 60.00 exceeds the 50.00 still to be captured on this payment",
        );
        check(
            LedgerError::NothingToVoid {
                status: PaymentStatus::Captured,
            },
            "only an uncaptured authorization can be voided, and this payment is captured",
        );
        check(
            LedgerError::NotPositive {
                amount: Money::ZERO,
            },
            "amount must be greater than zero, got 0.00",
        );
    }

    #[test]
    fn every_wire_name_round_trips_and_unknown_ones_list_the_valid_names() {
        fn check<T: Copy + PartialEq + std::fmt::Debug>(
            all: &[T],
            as_str: fn(T) -> &'static str,
            parse: fn(&str) -> Result<T, NameError>,
            expected_names: &[&str],
            expected_error: &str,
        ) {
            let names: Vec<&str> = all.iter().map(|value| as_str(*value)).collect();
            assert_eq!(names, expected_names);
            for value in all {
                assert_eq!(parse(as_str(*value)), Ok(*value));
            }
            assert_eq!(
                parse("bogus").map_err(|error| error.to_string()),
                Err(expected_error.into())
            );
        }
        check(
            PaymentKind::ALL,
            PaymentKind::as_str,
            PaymentKind::parse,
            &["deposit", "balance", "change_order"],
            "unknown payment kind \"bogus\", expected one of: deposit, balance, change_order",
        );
        check(
            TransactionType::ALL,
            TransactionType::as_str,
            TransactionType::parse,
            &["authorization", "capture", "void"],
            "unknown transaction type \"bogus\", expected one of: authorization, capture, void",
        );
        check(
            TransactionStatus::ALL,
            TransactionStatus::as_str,
            TransactionStatus::parse,
            &["succeeded", "failed"],
            "unknown transaction status \"bogus\", expected one of: succeeded, failed",
        );
        check(
            AdjustmentType::ALL,
            AdjustmentType::as_str,
            AdjustmentType::parse,
            &["refund", "chargeback"],
            "unknown adjustment type \"bogus\", expected one of: refund, chargeback",
        );
        check(
            PaymentStatus::ALL,
            PaymentStatus::as_str,
            PaymentStatus::parse,
            &[
                "pending",
                "authorized",
                "partially_captured",
                "captured",
                "partially_refunded",
                "refunded",
                "voided",
                "failed",
            ],
            "unknown payment status \"bogus\", expected one of: pending, authorized, \
             partially_captured, captured, partially_refunded, refunded, voided, failed",
        );
    }

    const PAYMENT_IDS: [&str; 3] = ["p0", "p1", "p2"];

    fn cents(value: u32) -> Money {
        Money::round(Decimal::new(i64::from(value), 2))
    }

    /// One attempted append: which payment, which operation, its outcome and amount.
    fn attempt() -> impl Strategy<Value = (usize, u8, bool, u32)> {
        (0..PAYMENT_IDS.len(), 0u8..5, any::<bool>(), 0u32..6_000)
    }

    fn entry_for(payment_id: &str, operation: u8, succeeded: bool, amount: Money) -> LedgerEntry {
        let status = if succeeded { Succeeded } else { Failed };
        let payment_id = payment_id.to_owned();
        match operation {
            0 => LedgerEntry::Transaction {
                payment_id,
                kind: Authorization,
                status,
                amount,
            },
            1 => LedgerEntry::Transaction {
                payment_id,
                kind: Capture,
                status,
                amount,
            },
            2 => LedgerEntry::Transaction {
                payment_id,
                kind: Void,
                status,
                amount,
            },
            3 => LedgerEntry::Adjustment {
                payment_id,
                kind: Refund,
                amount,
            },
            _ => LedgerEntry::Adjustment {
                payment_id,
                kind: Chargeback,
                amount,
            },
        }
    }

    fn check_entry(
        entries: &[LedgerEntry],
        payment_amount: Money,
        entry: &LedgerEntry,
    ) -> Result<(), LedgerError> {
        match entry {
            LedgerEntry::Transaction {
                payment_id,
                kind,
                status,
                amount,
            } => {
                let transaction = NewTransaction {
                    kind: *kind,
                    status: *status,
                    amount: *amount,
                };
                check_transaction(entries, payment_id, payment_amount, transaction)
            }
            LedgerEntry::Adjustment {
                payment_id,
                kind,
                amount,
            } => check_adjustment(entries, payment_id, *kind, *amount),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn any_ledger_built_through_the_checks_keeps_its_arithmetic_exact(
            payment_cents in proptest::collection::vec(1u32..5_000, PAYMENT_IDS.len()),
            total_cents in 0u32..20_000,
            attempts in proptest::collection::vec(attempt(), 0..60),
        ) {
            let mut entries = Vec::new();
            for (payment_idx, operation, succeeded, amount_cents) in attempts {
                let payment_id = PAYMENT_IDS[payment_idx];
                let payment_amount = cents(payment_cents[payment_idx]);
                let entry = entry_for(payment_id, operation, succeeded, cents(amount_cents));
                if check_entry(&entries, payment_amount, &entry).is_ok() {
                    entries.push(entry);
                }
                // Per payment, the checks keep captures within the amount and adjustments
                // within the captures, after every append.
                for (idx, id) in PAYMENT_IDS.iter().enumerate() {
                    prop_assert!(captured(&entries, id) <= cents(payment_cents[idx]));
                    prop_assert!(adjusted(&entries, id) <= captured(&entries, id));
                }
            }

            let total = cents(total_cents);
            let all_captures: Money =
                PAYMENT_IDS.iter().map(|id| captured(&entries, id)).sum();
            let paid = amount_paid(&entries);
            prop_assert!(Money::ZERO <= paid && paid <= all_captures);
            prop_assert_eq!(balance_due(total, &entries).amount(), total.amount() - paid.amount());

            // The ledger's total is the signed sum of its entries, computed independently.
            let signed_sum: Decimal = entries.iter().map(|entry| match entry {
                LedgerEntry::Transaction { kind: Capture, status: Succeeded, amount, .. } => {
                    amount.amount()
                }
                LedgerEntry::Transaction { .. } => Decimal::ZERO,
                LedgerEntry::Adjustment { amount, .. } => -amount.amount(),
            }).sum();
            prop_assert_eq!(paid.amount(), signed_sum);

            // What is reported as refundable is exactly what the check admits.
            for id in PAYMENT_IDS {
                let refundable = refundable(&entries, id);
                let one_cent_more = refundable + cents(1);
                prop_assert!(check_adjustment(&entries, id, Refund, one_cent_more).is_err());
                if refundable > Money::ZERO {
                    prop_assert_eq!(check_adjustment(&entries, id, Chargeback, refundable), Ok(()));
                }
            }
        }
    }
}
