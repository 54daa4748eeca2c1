//! The order status machine of SPEC §5: which status may follow which, and the guards a
//! step must pass. `check_transition` is the single place where these rules live; the UI
//! asks `allowed_next`, and optimistic concurrency is `check_version`.
//!
//! Invariants: the only path is `draft → pending_payment → design_review →
//! production_ready → fulfilled`, plus `cancelled` from any non-final status. No step is
//! skipped, nothing leaves `fulfilled` or `cancelled`, and a "transition" to the current
//! status is illegal rather than a no-op (it would append a meaningless audit event).
//! Guards are only consulted for a step that is legal in the first place, and cancelling
//! is never guarded.

use crate::money::Money;

wire_names! {
    /// Where an order is in its lifecycle.
    pub enum OrderStatus as "order status" {
        Draft => "draft",
        PendingPayment => "pending_payment",
        DesignReview => "design_review",
        ProductionReady => "production_ready",
        Fulfilled => "fulfilled",
        Cancelled => "cancelled",
    }
}

impl OrderStatus {
    /// A final status has no successor at all.
    pub fn is_final(self) -> bool {
        matches!(self, OrderStatus::Fulfilled | OrderStatus::Cancelled)
    }

    /// SPEC §10: an order takes changes until production starts.
    pub fn accepts_changes(self) -> bool {
        matches!(
            self,
            OrderStatus::Draft | OrderStatus::PendingPayment | OrderStatus::DesignReview
        )
    }
}

/// The statuses an order in `from` may move to next, in the order a UI should offer them
/// (the forward step first, then `cancelled`). Empty for a final status.
pub fn allowed_next(from: OrderStatus) -> &'static [OrderStatus] {
    use OrderStatus::*;
    match from {
        Draft => &[PendingPayment, Cancelled],
        PendingPayment => &[DesignReview, Cancelled],
        DesignReview => &[ProductionReady, Cancelled],
        ProductionReady => &[Fulfilled, Cancelled],
        Fulfilled | Cancelled => &[],
    }
}

/// What the guards need to know about an order, gathered by the caller from the ledger
/// and the design requests at the moment of the transition. Plain data: it carries no
/// invariant of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuardFacts {
    /// `amount_paid > 0`, or at least one succeeded capture (see `ledger::has_captured`).
    pub has_captured_payment: bool,
    pub design_requests_total: usize,
    pub design_requests_approved: usize,
    /// `total − amount_paid`; may be negative if the order was overpaid.
    pub balance_due: Money,
}

/// Why a legal step was refused by its guard.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuardFailure {
    #[error("a captured payment is required before design review")]
    PaymentNotCaptured,
    #[error("{unapproved} of {total} design {}", not_approved(*unapproved, *total))]
    DesignRequestsNotApproved { unapproved: usize, total: usize },
    #[error("balance due is {balance_due}, must be 0.00")]
    BalanceNotZero { balance_due: Money },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("an order cannot move from {from} to {to}; {}", describe_next(*from))]
    Illegal { from: OrderStatus, to: OrderStatus },
    #[error("an order cannot move from {from} to {to} yet: {reason}")]
    GuardFailed {
        from: OrderStatus,
        to: OrderStatus,
        reason: GuardFailure,
    },
    #[error(
        "the order was changed meanwhile: expected version {expected}, it is now at version \
         {current}"
    )]
    StaleVersion { expected: u64, current: u64 },
}

/// Decides whether an order may move from `from` to `to` given `facts`: first whether the
/// step exists at all, then its guard.
///
/// Guards: `pending_payment → design_review` needs a captured payment;
/// `design_review → production_ready` needs every design request approved, and an order
/// with no design requests passes (there is nothing left to review, and refusing would
/// strand it); `→ fulfilled` needs a balance due of exactly zero, so an overpaid order
/// (negative balance) must be refunded before it can be fulfilled.
pub fn check_transition(
    from: OrderStatus,
    to: OrderStatus,
    facts: &GuardFacts,
) -> Result<(), TransitionError> {
    if !allowed_next(from).contains(&to) {
        return Err(TransitionError::Illegal { from, to });
    }
    let guard = match to {
        OrderStatus::DesignReview => payment_guard(facts),
        OrderStatus::ProductionReady => design_guard(facts),
        OrderStatus::Fulfilled => balance_guard(facts),
        OrderStatus::Draft | OrderStatus::PendingPayment | OrderStatus::Cancelled => Ok(()),
    };
    guard.map_err(|reason| TransitionError::GuardFailed { from, to, reason })
}

/// Optimistic concurrency: a caller that names the version it read must still be looking
/// at the current one. A caller that names none accepts whatever is current.
pub fn check_version(current: u64, expected: Option<u64>) -> Result<(), TransitionError> {
    match expected {
        Some(expected) if expected != current => {
            Err(TransitionError::StaleVersion { expected, current })
        }
        _ => Ok(()),
    }
}

fn payment_guard(facts: &GuardFacts) -> Result<(), GuardFailure> {
    if facts.has_captured_payment {
        Ok(())
    } else {
        Err(GuardFailure::PaymentNotCaptured)
    }
}

fn design_guard(facts: &GuardFacts) -> Result<(), GuardFailure> {
    // Approved counts above the total are inconsistent facts; they cannot make an
    // unapproved request approved, so the subtraction saturates at zero.
    let unapproved = facts
        .design_requests_total
        .saturating_sub(facts.design_requests_approved);
    if unapproved == 0 {
        Ok(())
    } else {
        Err(GuardFailure::DesignRequestsNotApproved {
            unapproved,
            total: facts.design_requests_total,
        })
    }
}

fn balance_guard(facts: &GuardFacts) -> Result<(), GuardFailure> {
    if facts.balance_due.is_zero() {
        Ok(())
    } else {
        Err(GuardFailure::BalanceNotZero {
            balance_due: facts.balance_due,
        })
    }
}

/// The grammatical tail of "2 of 3 design requests are not approved".
fn not_approved(unapproved: usize, total: usize) -> &'static str {
    match (unapproved, total) {
        (_, 1) => "request is not approved",
        (1, _) => "requests is not approved",
        _ => "requests are not approved",
    }
}

fn describe_next(from: OrderStatus) -> String {
    let names: Vec<&str> = allowed_next(from)
        .iter()
        .map(|status| status.as_str())
        .collect();
    if names.is_empty() {
        format!("{from} is final")
    } else {
        format!("from {from} it may only move to {}", names.join(" or "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order::NameError;
    use OrderStatus::*;

    fn money(text: &str) -> Money {
        Money::parse(text).expect("test literal is a valid amount")
    }

    /// Facts under which every guard passes, so only legality decides.
    fn all_guards_pass() -> GuardFacts {
        GuardFacts {
            has_captured_payment: true,
            design_requests_total: 2,
            design_requests_approved: 2,
            balance_due: Money::ZERO,
        }
    }

    /// Facts under which every guard fails.
    fn all_guards_fail() -> GuardFacts {
        GuardFacts {
            has_captured_payment: false,
            design_requests_total: 3,
            design_requests_approved: 1,
            balance_due: money("120"),
        }
    }

    #[derive(Debug, Clone, Copy)]
    enum Step {
        Legal,
        Illegal,
    }

    fn check(from: OrderStatus, to: OrderStatus, expected: Step) {
        let actual = check_transition(from, to, &all_guards_pass());
        let expected = match expected {
            Step::Legal => Ok(()),
            Step::Illegal => Err(TransitionError::Illegal { from, to }),
        };
        assert_eq!(actual, expected, "{from} → {to}");
        assert_eq!(
            allowed_next(from).contains(&to),
            expected.is_ok(),
            "{from} → {to}"
        );
    }

    #[test]
    fn every_pair_of_statuses_is_legal_exactly_when_the_spec_says_so() {
        use Step::{Illegal as No, Legal as Yes};
        let table = [
            (Draft, Draft, No),
            (Draft, PendingPayment, Yes),
            (Draft, DesignReview, No),
            (Draft, ProductionReady, No),
            (Draft, Fulfilled, No),
            (Draft, Cancelled, Yes),
            (PendingPayment, Draft, No),
            (PendingPayment, PendingPayment, No),
            (PendingPayment, DesignReview, Yes),
            (PendingPayment, ProductionReady, No),
            (PendingPayment, Fulfilled, No),
            (PendingPayment, Cancelled, Yes),
            (DesignReview, Draft, No),
            (DesignReview, PendingPayment, No),
            (DesignReview, DesignReview, No),
            (DesignReview, ProductionReady, Yes),
            (DesignReview, Fulfilled, No),
            (DesignReview, Cancelled, Yes),
            (ProductionReady, Draft, No),
            (ProductionReady, PendingPayment, No),
            (ProductionReady, DesignReview, No),
            (ProductionReady, ProductionReady, No),
            (ProductionReady, Fulfilled, Yes),
            (ProductionReady, Cancelled, Yes),
            (Fulfilled, Draft, No),
            (Fulfilled, PendingPayment, No),
            (Fulfilled, DesignReview, No),
            (Fulfilled, ProductionReady, No),
            (Fulfilled, Fulfilled, No),
            (Fulfilled, Cancelled, No),
            (Cancelled, Draft, No),
            (Cancelled, PendingPayment, No),
            (Cancelled, DesignReview, No),
            (Cancelled, ProductionReady, No),
            (Cancelled, Fulfilled, No),
            (Cancelled, Cancelled, No),
        ];
        assert_eq!(table.len(), OrderStatus::ALL.len() * OrderStatus::ALL.len());
        for (from, to, expected) in table {
            check(from, to, expected);
        }
    }

    fn check_guard(from: OrderStatus, to: OrderStatus, facts: GuardFacts, expected: &str) {
        let actual = match check_transition(from, to, &facts) {
            Ok(()) => "ok".to_owned(),
            Err(TransitionError::GuardFailed { reason, .. }) => reason.to_string(),
            Err(other) => panic!("{from} → {to} should reach its guard, got {other:?}"),
        };
        assert_eq!(actual, expected, "{from} → {to} with {facts:?}");
    }

    #[test]
    fn every_guard_passes_and_fails_on_its_own_fact() {
        let pass = all_guards_pass();
        let with = |change: fn(&mut GuardFacts)| {
            let mut facts = all_guards_pass();
            change(&mut facts);
            facts
        };
        let table = [
            // pending_payment → design_review needs a captured payment.
            (PendingPayment, DesignReview, pass, "ok"),
            (
                PendingPayment,
                DesignReview,
                with(|f| f.has_captured_payment = false),
                "a captured payment is required before design review",
            ),
            // design_review → production_ready needs every design request approved.
            (DesignReview, ProductionReady, pass, "ok"),
            (
                DesignReview,
                ProductionReady,
                with(|f| (f.design_requests_total, f.design_requests_approved) = (0, 0)),
                "ok",
            ),
            (
                DesignReview,
                ProductionReady,
                with(|f| (f.design_requests_total, f.design_requests_approved) = (3, 1)),
                "2 of 3 design requests are not approved",
            ),
            (
                DesignReview,
                ProductionReady,
                with(|f| (f.design_requests_total, f.design_requests_approved) = (3, 2)),
                "1 of 3 design requests is not approved",
            ),
            (
                DesignReview,
                ProductionReady,
                with(|f| (f.design_requests_total, f.design_requests_approved) = (1, 0)),
                "1 of 1 design request is not approved",
            ),
            (
                DesignReview,
                ProductionReady,
                with(|f| (f.design_requests_total, f.design_requests_approved) = (2, 5)),
                "ok",
            ),
            // → fulfilled needs a balance due of exactly zero.
            (ProductionReady, Fulfilled, pass, "ok"),
            (
                ProductionReady,
                Fulfilled,
                with(|f| f.balance_due = money("120")),
                "balance due is 120.00, must be 0.00",
            ),
            (
                ProductionReady,
                Fulfilled,
                with(|f| f.balance_due = money("0.01")),
                "balance due is 0.01, must be 0.00",
            ),
            (
                ProductionReady,
                Fulfilled,
                with(|f| f.balance_due = Money::ZERO - money("5")),
                "balance due is -5.00, must be 0.00",
            ),
            // Guards of other steps do not leak into these ones.
            (Draft, PendingPayment, all_guards_fail(), "ok"),
            (Draft, Cancelled, all_guards_fail(), "ok"),
            (PendingPayment, Cancelled, all_guards_fail(), "ok"),
            (DesignReview, Cancelled, all_guards_fail(), "ok"),
            (ProductionReady, Cancelled, all_guards_fail(), "ok"),
        ];
        for (from, to, facts, expected) in table {
            check_guard(from, to, facts, expected);
        }
    }

    #[test]
    fn illegal_steps_are_refused_before_any_guard_is_consulted() {
        let actual = check_transition(Draft, Fulfilled, &all_guards_fail());
        assert_eq!(
            actual,
            Err(TransitionError::Illegal {
                from: Draft,
                to: Fulfilled
            })
        );
    }

    #[test]
    fn error_messages_name_the_step_and_what_may_happen_instead() {
        let check = |error: TransitionError, expected: &str| {
            assert_eq!(error.to_string(), expected);
        };
        check(
            TransitionError::Illegal {
                from: Draft,
                to: DesignReview,
            },
            "an order cannot move from draft to design_review; \
             from draft it may only move to pending_payment or cancelled",
        );
        check(
            TransitionError::Illegal {
                from: Fulfilled,
                to: Cancelled,
            },
            "an order cannot move from fulfilled to cancelled; fulfilled is final",
        );
        check(
            TransitionError::GuardFailed {
                from: PendingPayment,
                to: DesignReview,
                reason: GuardFailure::PaymentNotCaptured,
            },
            "an order cannot move from pending_payment to design_review yet: \
             a captured payment is required before design review",
        );
        check(
            TransitionError::StaleVersion {
                expected: 3,
                current: 4,
            },
            "the order was changed meanwhile: expected version 3, it is now at version 4",
        );
    }

    #[test]
    fn a_stale_expected_version_is_refused_and_a_missing_one_is_not() {
        let check = |current: u64, expected: Option<u64>, outcome: Result<(), TransitionError>| {
            assert_eq!(
                check_version(current, expected),
                outcome,
                "{current} {expected:?}"
            );
        };
        check(3, None, Ok(()));
        check(3, Some(3), Ok(()));
        check(
            3,
            Some(2),
            Err(TransitionError::StaleVersion {
                expected: 2,
                current: 3,
            }),
        );
        check(
            3,
            Some(4),
            Err(TransitionError::StaleVersion {
                expected: 4,
                current: 3,
            }),
        );
        check(0, Some(0), Ok(()));
    }

    #[test]
    fn only_fulfilled_and_cancelled_are_final_and_they_have_no_successor() {
        for status in OrderStatus::ALL {
            let expected = matches!(status, Fulfilled | Cancelled);
            assert_eq!(status.is_final(), expected, "{status}");
            assert_eq!(allowed_next(*status).is_empty(), expected, "{status}");
        }
    }

    #[test]
    fn statuses_round_trip_through_their_wire_names() {
        let check = |input: &str, expected: Result<OrderStatus, NameError>| {
            assert_eq!(OrderStatus::parse(input), expected, "input {input:?}");
        };
        check("draft", Ok(Draft));
        check("pending_payment", Ok(PendingPayment));
        check("design_review", Ok(DesignReview));
        check("production_ready", Ok(ProductionReady));
        check("fulfilled", Ok(Fulfilled));
        check("cancelled", Ok(Cancelled));
        for status in OrderStatus::ALL {
            check(status.as_str(), Ok(*status));
        }
        let unknown = |text: &str| NameError::Unknown {
            what: "order status",
            value: text.to_owned(),
            valid: &[
                "draft",
                "pending_payment",
                "design_review",
                "production_ready",
                "fulfilled",
                "cancelled",
            ],
        };
        check("Draft", Err(unknown("Draft")));
        check("shipped", Err(unknown("shipped")));
        check("", Err(unknown("")));
    }

    #[test]
    fn an_unknown_status_message_lists_the_valid_ones() {
        let message = OrderStatus::parse("shipped").map_err(|error| error.to_string());
        assert_eq!(
            message,
            Err(
                "unknown order status \"shipped\", expected one of: draft, pending_payment, \
                 design_review, production_ready, fulfilled, cancelled"
                    .to_owned()
            )
        );
    }
}
