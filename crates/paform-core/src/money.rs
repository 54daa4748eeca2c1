//! Exact money and rates. `Money` always carries exactly two fractional digits and rounds
//! half-up (away from zero at the midpoint) to cents; `Rate` is a non-negative decimal with
//! at most six fractional digits. No float ever enters or leaves these types: they are
//! parsed from and printed to decimal strings, the one wire format for both.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Sub};
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

/// The largest amount Paform accepts anywhere, so that no arithmetic on amounts
/// (quantity × price, sums of thousands of lines) can overflow a `Decimal`.
const MAX_AMOUNT: Decimal = Decimal::from_parts(276_447_231, 23_283, 0, false, 2);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("expected a decimal string such as \"1234.50\", got {0:?}")]
    NotADecimal(String),
    #[error("at most {max} fractional digits are allowed, got {text:?}")]
    TooPrecise { text: String, max: u32 },
    #[error("must not be negative")]
    Negative,
    #[error("must be greater than zero")]
    NotPositive,
    #[error("is larger than the largest supported amount")]
    TooLarge,
}

/// An amount of money in the quote's currency, exact to the cent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(Decimal);

impl Money {
    pub const ZERO: Money = Money(Decimal::from_parts(0, 0, 0, false, 2));

    /// Parses a non-negative amount with at most two fractional digits (`"12"`, `"12.5"`,
    /// `"12.50"`). Amounts with more digits are refused rather than silently rounded.
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        let value = parse_decimal(text, 2)?;
        if value.is_sign_negative() && !value.is_zero() {
            return Err(MoneyError::Negative);
        }
        if value > MAX_AMOUNT {
            return Err(MoneyError::TooLarge);
        }
        Ok(Money::round(value))
    }

    /// Parses an amount that may be negative (`"-20.00"`, a cheaper finish), at most two
    /// fractional digits, bounded like `parse` in both directions.
    pub fn parse_signed(text: &str) -> Result<Money, MoneyError> {
        let value = parse_decimal(text, 2)?;
        if value.abs() > MAX_AMOUNT {
            return Err(MoneyError::TooLarge);
        }
        Ok(Money::round(value))
    }

    /// Like `parse`, for amounts that must be strictly positive (payments, refunds).
    pub fn parse_positive(text: &str) -> Result<Money, MoneyError> {
        let money = Money::parse(text)?;
        if money.0.is_zero() {
            return Err(MoneyError::NotPositive);
        }
        Ok(money)
    }

    /// Rounds an exact intermediate value half-up to cents.
    pub fn round(value: Decimal) -> Money {
        let mut cents = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        cents.rescale(2);
        Money(cents)
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    /// The amount times a whole quantity; exact, no rounding needed.
    pub fn times(self, quantity: u32) -> Money {
        Money::exact(self.0 * Decimal::from(quantity))
    }

    /// Wraps a result of exact arithmetic on cents, restoring the two-digit scale that
    /// `Decimal` drops for some zero results.
    fn exact(mut value: Decimal) -> Money {
        value.rescale(2);
        Money(value)
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// The larger of zero and `self`.
    pub fn clamp_at_zero(self) -> Money {
        if self.is_negative() {
            Money::ZERO
        } else {
            self
        }
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money::exact(self.0 + other.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        Money::exact(self.0 - other.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The scale is always 2 (see `round`), so this prints "1234.50", never "1234.5".
        write!(f, "{}", self.0)
    }
}

/// A non-negative rate (`cost_per_sq_ft`, `tax_rate`) with at most six fractional digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(Decimal);

impl Rate {
    pub const MAX_FRACTION_DIGITS: u32 = 6;

    pub fn parse(text: &str) -> Result<Rate, MoneyError> {
        let value = parse_decimal(text, Self::MAX_FRACTION_DIGITS)?;
        if value.is_sign_negative() && !value.is_zero() {
            return Err(MoneyError::Negative);
        }
        if value > MAX_AMOUNT {
            return Err(MoneyError::TooLarge);
        }
        // The digits stay as given: "12.50" is stored and shown as "12.50", not "12.5".
        Ok(Rate(value))
    }

    pub fn zero() -> Rate {
        Rate(Decimal::ZERO)
    }

    pub fn value(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A plain decimal numeral: optional sign, digits, optional fraction. No exponent, no
/// spaces, no thousands separators, so what a person reads is exactly what is stored.
fn parse_decimal(text: &str, max_fraction_digits: u32) -> Result<Decimal, MoneyError> {
    let not_decimal = || MoneyError::NotADecimal(text.to_owned());
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let is_digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if whole.is_empty() || !is_digits(whole) || !is_digits(fraction) {
        return Err(not_decimal());
    }
    if unsigned.contains('.') && fraction.is_empty() {
        return Err(not_decimal());
    }
    if fraction.len() > max_fraction_digits as usize {
        return Err(MoneyError::TooPrecise {
            text: text.to_owned(),
            max: max_fraction_digits,
        });
    }
    if whole.trim_start_matches('0').len() > 15 {
        return Err(MoneyError::TooLarge);
    }
    Decimal::from_str(text).map_err(|_| not_decimal())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check_money(input: &str, expected: Result<&str, MoneyError>) {
        let actual = Money::parse(input).map(|money| money.to_string());
        assert_eq!(actual, expected.map(str::to_owned), "input {input:?}");
    }

    #[test]
    fn money_parses_plain_decimals_and_prints_two_digits() {
        check_money("0", Ok("0.00"));
        check_money("12", Ok("12.00"));
        check_money("12.5", Ok("12.50"));
        check_money("1234.56", Ok("1234.56"));
        check_money("007.10", Ok("7.10"));
        check_money("999999999999.99", Ok("999999999999.99"));
    }

    #[test]
    fn money_refuses_what_is_not_an_exact_amount() {
        let not = |text: &str| Err(MoneyError::NotADecimal(text.to_owned()));
        check_money("", not(""));
        check_money("abc", not("abc"));
        check_money("1e3", not("1e3"));
        check_money("12.", not("12."));
        check_money(".5", not(".5"));
        check_money(" 1", not(" 1"));
        check_money("1,000", not("1,000"));
        check_money("NaN", not("NaN"));
        check_money("-1", Err(MoneyError::Negative));
        check_money(
            "1.005",
            Err(MoneyError::TooPrecise {
                text: "1.005".into(),
                max: 2,
            }),
        );
        check_money("1000000000000", Err(MoneyError::TooLarge));
        check_money(
            "99999999999999999999999999999999",
            Err(MoneyError::TooLarge),
        );
    }

    #[test]
    fn rounding_is_half_up_to_cents() {
        let check = |input: &str, expected: &str| {
            let value = Decimal::from_str(input).expect("test literal is a decimal");
            assert_eq!(Money::round(value).to_string(), expected, "input {input}");
        };
        check("0.005", "0.01");
        check("0.004999", "0.00");
        check("2.675", "2.68");
        check("1.125", "1.13");
        check("1.135", "1.14");
        check("10", "10.00");
        check("0.0049999999999999999999", "0.00");
    }

    #[test]
    fn rates_keep_up_to_six_digits() {
        assert_eq!(
            Rate::parse("0.13").map(|r| r.to_string()),
            Ok("0.13".into())
        );
        assert_eq!(
            Rate::parse("0.123456").map(|r| r.to_string()),
            Ok("0.123456".into())
        );
        assert_eq!(
            Rate::parse("4.500").map(|r| r.to_string()),
            Ok("4.500".into()),
            "a rate keeps the digits it was given"
        );
        assert!(matches!(
            Rate::parse("0.1234567"),
            Err(MoneyError::TooPrecise { .. })
        ));
        assert_eq!(Rate::parse("-0.1"), Err(MoneyError::Negative));
    }

    proptest! {
        #[test]
        fn any_cent_amount_round_trips_through_its_text(cents in 0i64..99_999_999_999_999) {
            let text = format!("{}.{:02}", cents / 100, cents % 100);
            let money = Money::parse(&text).expect("generated text is a valid amount");
            prop_assert_eq!(money.to_string(), text);
        }
    }
}
