//! Order changes (SPEC §10): an order's commercial terms, how they are priced, and how a
//! list of change actions turns one set of terms into another.
//!
//! Pricing of terms, exactly as §4 with the additions of §10:
//! - a line's gross is `(unit_price + finish delta) × quantity`; a finish delta never takes
//!   the unit price below zero (`apply` refuses it);
//! - a line discount (an amount, or a percent of the gross rounded half-up to cents) is
//!   capped at the gross, so a line is never negative: `line_total = gross − discount`;
//! - `subtotal = Σ line_total`; an order discount is capped at the subtotal;
//! - tax is rounded once, on the discounted subtotal; shipping is added untaxed;
//!   `total = subtotal − discount + tax + shipping`.
//!
//! Nothing here reads a catalog: an added line arrives already priced by the caller, who
//! also froze its production data.

use rust_decimal::Decimal;

use crate::money::Money;
use crate::pricing::TaxRate;
use crate::problem::Problems;
use crate::units::Quantity;

/// A discount as the user gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiscountValue {
    Amount(Money),
    /// From 0 to 100.
    Percent(Percent),
}

/// A percentage from 0 to 100 with at most four fractional digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Percent(Decimal);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PercentError {
    #[error("must be a decimal string from 0 to 100 such as \"12.5\"")]
    Invalid,
}

impl Percent {
    pub fn parse(text: &str) -> Result<Percent, PercentError> {
        let well_formed = !text.is_empty()
            && text
                .bytes()
                .all(|byte| byte.is_ascii_digit() || byte == b'.')
            && text.split('.').count() <= 2
            && text.split('.').all(|part| !part.is_empty())
            && text
                .split('.')
                .nth(1)
                .is_none_or(|fraction| fraction.len() <= 4);
        let value: Decimal = if well_formed {
            text.parse().map_err(|_| PercentError::Invalid)?
        } else {
            return Err(PercentError::Invalid);
        };
        if value > Decimal::ONE_HUNDRED {
            return Err(PercentError::Invalid);
        }
        Ok(Percent(value))
    }

    pub fn value(self) -> Decimal {
        self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discount {
    pub value: DiscountValue,
    pub reason: String,
}

impl Discount {
    /// What this discount takes off `base`: never more than `base`, never negative.
    pub fn amount_of(&self, base: Money) -> Money {
        let base = base.clamp_at_zero();
        let wanted = match &self.value {
            DiscountValue::Amount(amount) => *amount,
            DiscountValue::Percent(percent) => {
                Money::round(base.amount() * percent.value() / Decimal::ONE_HUNDRED)
            }
        };
        wanted.min(base)
    }
}

/// A finish chosen instead of the standard one, with its price difference per unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinishOverride {
    pub name: String,
    /// May be negative (a cheaper finish).
    pub price_delta: Money,
}

/// The priced terms of one order line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineTerms {
    pub id: String,
    pub unit_price: Money,
    pub quantity: Quantity,
    pub finish: Option<FinishOverride>,
    pub discount: Option<Discount>,
}

impl LineTerms {
    fn unit_with_finish(&self) -> Money {
        self.unit_price + self.finish.as_ref().map_or(Money::ZERO, |f| f.price_delta)
    }

    /// `(unit_price + finish delta) × quantity`.
    pub fn gross(&self) -> Money {
        self.unit_with_finish()
            .clamp_at_zero()
            .times(self.quantity.get())
    }

    pub fn discount_amount(&self) -> Money {
        self.discount
            .as_ref()
            .map_or(Money::ZERO, |discount| discount.amount_of(self.gross()))
    }

    pub fn line_total(&self) -> Money {
        self.gross() - self.discount_amount()
    }
}

/// Everything an order's price depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub lines: Vec<LineTerms>,
    pub discount: Option<Discount>,
    pub shipping: Money,
    pub shipping_promised_date: Option<String>,
    pub tax_rate: TaxRate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderTotals {
    /// Σ line totals (after line discounts).
    pub subtotal: Money,
    /// The order-level discount.
    pub discount: Money,
    pub shipping: Money,
    pub tax: Money,
    pub total: Money,
}

impl Terms {
    pub fn totals(&self) -> OrderTotals {
        let subtotal: Money = self.lines.iter().map(LineTerms::line_total).sum();
        let discount = self
            .discount
            .as_ref()
            .map_or(Money::ZERO, |discount| discount.amount_of(subtotal));
        let taxable = subtotal - discount;
        let tax = Money::round(taxable.amount() * self.tax_rate.rate().value());
        OrderTotals {
            subtotal,
            discount,
            shipping: self.shipping,
            tax,
            total: taxable + tax + self.shipping,
        }
    }
}

/// One requested change to an order's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A new line, priced by the caller.
    AddItem(LineTerms),
    RemoveItem {
        line_id: String,
    },
    SetQuantity {
        line_id: String,
        quantity: Quantity,
    },
    /// On one line, or with no line on the whole order. Replaces an earlier discount.
    Discount {
        line_id: Option<String>,
        discount: Discount,
    },
    FinishOverride {
        line_id: String,
        finish: FinishOverride,
    },
    Shipping {
        amount: Money,
        promised_date: Option<String>,
    },
}

/// Applies `actions` in order to `terms`. Every problem is reported, named by the action's
/// index (`actions[2].line_item_id`); on any problem nothing is returned.
pub fn apply(terms: &Terms, actions: &[Action]) -> Result<Terms, Problems> {
    let mut problems = Problems::new();
    let mut next = terms.clone();
    for (index, action) in actions.iter().enumerate() {
        let field = |name: &str| format!("actions[{index}].{name}");
        let line_index = |line_id: &str, problems: &mut Problems| {
            let found = next.lines.iter().position(|line| line.id == line_id);
            if found.is_none() {
                problems.push(
                    field("line_item_id"),
                    format!("line item {line_id} is not on this order (any more)"),
                );
            }
            found
        };
        match action {
            Action::AddItem(line) => next.lines.push(line.clone()),
            Action::RemoveItem { line_id } => {
                if let Some(position) = line_index(line_id, &mut problems) {
                    next.lines.remove(position);
                }
            }
            Action::SetQuantity { line_id, quantity } => {
                if let Some(position) = line_index(line_id, &mut problems) {
                    next.lines[position].quantity = *quantity;
                }
            }
            Action::Discount { line_id, discount } => match line_id {
                None => next.discount = Some(discount.clone()),
                Some(line_id) => {
                    if let Some(position) = line_index(line_id, &mut problems) {
                        next.lines[position].discount = Some(discount.clone());
                    }
                }
            },
            Action::FinishOverride { line_id, finish } => {
                if let Some(position) = line_index(line_id, &mut problems) {
                    let line = &mut next.lines[position];
                    if (line.unit_price + finish.price_delta).is_negative() {
                        problems.push(
                            field("price_delta"),
                            format!(
                                "would take the unit price of {} below zero",
                                line.unit_price
                            ),
                        );
                    } else {
                        line.finish = Some(finish.clone());
                    }
                }
            }
            Action::Shipping {
                amount,
                promised_date,
            } => {
                next.shipping = *amount;
                next.shipping_promised_date = promised_date.clone();
            }
        }
    }
    if next.lines.is_empty() {
        problems.push(
            "actions",
            "would leave the order without lines; cancel the order instead",
        );
    }
    if problems.is_empty() {
        Ok(next)
    } else {
        Err(problems)
    }
}

/// `after.total − before.total`: what the customer owes more (or, negative, less).
pub fn price_delta(before: &OrderTotals, after: &OrderTotals) -> Money {
    after.total - before.total
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn money(text: &str) -> Money {
        Money::parse_signed(text).expect("test amount is valid")
    }

    fn line(id: &str, unit: &str, quantity: u32) -> LineTerms {
        LineTerms {
            id: id.to_owned(),
            unit_price: money(unit),
            quantity: Quantity::parse(i64::from(quantity)).expect("valid"),
            finish: None,
            discount: None,
        }
    }

    fn terms(lines: Vec<LineTerms>, tax: &str) -> Terms {
        Terms {
            lines,
            discount: None,
            shipping: Money::ZERO,
            shipping_promised_date: None,
            tax_rate: TaxRate::parse(tax).expect("valid"),
        }
    }

    fn discount(value: DiscountValue) -> Discount {
        Discount {
            value,
            reason: "loyal customer".into(),
        }
    }

    #[test]
    fn tax_is_charged_on_the_discounted_subtotal_and_shipping_is_added_untaxed() {
        let before = terms(vec![line("a", "100.00", 2), line("b", "50.00", 1)], "0.1");
        let actions = [
            Action::Discount {
                line_id: None,
                discount: discount(DiscountValue::Amount(money("50.00"))),
            },
            Action::Shipping {
                amount: money("30.00"),
                promised_date: Some("2026-12-24".into()),
            },
        ];
        let after = apply(&before, &actions).expect("valid change");
        let totals = after.totals();
        assert_eq!(totals.subtotal, money("250.00"));
        assert_eq!(totals.discount, money("50.00"));
        assert_eq!(totals.tax, money("20.00"));
        assert_eq!(totals.total, money("250.00"));
        assert_eq!(price_delta(&before.totals(), &totals), money("-25.00"));
    }

    #[test]
    fn a_percent_discount_rounds_half_up_and_never_exceeds_the_line() {
        let mut terms = terms(vec![line("a", "33.33", 1)], "0");
        terms.lines[0].discount = Some(discount(DiscountValue::Percent(
            Percent::parse("12.5").expect("valid"),
        )));
        // 12.5 % of 33.33 = 4.16625 → 4.17
        assert_eq!(terms.lines[0].line_total(), money("29.16"));
        terms.lines[0].discount = Some(discount(DiscountValue::Amount(money("99.00"))));
        assert_eq!(terms.lines[0].line_total(), Money::ZERO);
    }

    #[test]
    fn actions_on_unknown_lines_and_negative_finishes_are_named() {
        let before = terms(vec![line("a", "10.00", 1)], "0");
        let actions = [
            Action::SetQuantity {
                line_id: "zzz".into(),
                quantity: Quantity::parse(2).expect("valid"),
            },
            Action::FinishOverride {
                line_id: "a".into(),
                finish: FinishOverride {
                    name: "Cheap".into(),
                    price_delta: money("-10.01"),
                },
            },
        ];
        let problems = apply(&before, &actions).expect_err("invalid").finish();
        let fields: Vec<String> = problems
            .expect_err("problems")
            .into_iter()
            .map(|problem| problem.field)
            .collect();
        assert_eq!(
            fields,
            ["actions[0].line_item_id", "actions[1].price_delta"]
        );
    }

    #[test]
    fn removing_every_line_is_refused() {
        let before = terms(vec![line("a", "10.00", 1)], "0");
        let actions = [Action::RemoveItem {
            line_id: "a".into(),
        }];
        assert!(apply(&before, &actions).is_err());
    }

    fn arbitrary_action(n_lines: usize) -> impl Strategy<Value = Action> {
        let line_id = (0..n_lines + 1).prop_map(|index| format!("l{index}"));
        let cents = 0_i64..500_000;
        prop_oneof![
            (cents.clone(), 1_u32..20).prop_map(|(cents, quantity)| {
                let mut added = line("new", "0", quantity);
                added.unit_price = Money::round(Decimal::new(cents, 2));
                Action::AddItem(added)
            }),
            line_id
                .clone()
                .prop_map(|line_id| Action::RemoveItem { line_id }),
            (line_id.clone(), 1_i64..50).prop_map(|(line_id, quantity)| {
                Action::SetQuantity {
                    line_id,
                    quantity: Quantity::parse(quantity).expect("valid"),
                }
            }),
            (
                proptest::option::of(line_id.clone()),
                cents.clone(),
                any::<bool>()
            )
                .prop_map(|(line_id, cents, percent)| {
                    let value = if percent {
                        DiscountValue::Percent(Percent(Decimal::new(cents % 10_001, 2)))
                    } else {
                        DiscountValue::Amount(Money::round(Decimal::new(cents, 2)))
                    };
                    Action::Discount {
                        line_id,
                        discount: discount(value),
                    }
                }),
            (line_id, -100_000_i64..100_000).prop_map(|(line_id, cents)| {
                Action::FinishOverride {
                    line_id,
                    finish: FinishOverride {
                        name: "Walnut".into(),
                        price_delta: Money::round(Decimal::new(cents, 2)),
                    },
                }
            }),
            cents.prop_map(|cents| Action::Shipping {
                amount: Money::round(Decimal::new(cents, 2)),
                promised_date: None,
            }),
        ]
    }

    proptest! {
        #[test]
        fn change_totals_always_add_up(
            units in proptest::collection::vec((0_i64..1_000_000, 1_u32..10), 1..6),
            actions in proptest::collection::vec(arbitrary_action(6), 0..8),
            tax_per_mille in 0_i64..300,
        ) {
            let lines = units
                .iter()
                .enumerate()
                .map(|(index, (cents, quantity))| {
                    let mut line = line(&format!("l{index}"), "0", *quantity);
                    line.unit_price = Money::round(Decimal::new(*cents, 2));
                    line
                })
                .collect();
            let tax = Decimal::new(tax_per_mille, 3).to_string();
            let before = terms(lines, &tax);
            let Ok(after) = apply(&before, &actions) else { return Ok(()) };
            let totals = after.totals();
            for line in &after.lines {
                prop_assert!(!line.line_total().is_negative(), "negative line {line:?}");
                prop_assert_eq!(line.gross() - line.discount_amount(), line.line_total());
            }
            let sum: Money = after.lines.iter().map(LineTerms::line_total).sum();
            prop_assert_eq!(totals.subtotal, sum);
            prop_assert!(totals.discount <= totals.subtotal);
            prop_assert_eq!(
                totals.total,
                totals.subtotal - totals.discount + totals.tax + totals.shipping
            );
            prop_assert!(!totals.total.is_negative());
            let delta = price_delta(&before.totals(), &totals);
            prop_assert_eq!(delta, totals.total - before.totals().total);
        }
    }
}
