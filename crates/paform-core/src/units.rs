//! Lengths and counts with invariants: `Millimetres` is finite, positive and below a
//! physical bound; `Quantity` is a whole number from 1 to `Quantity::MAX`. Both hold exact
//! decimals so that areas (and therefore prices) computed from them are exact.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

/// The shortest length a person can give: 1 mm (derived lengths, such as a carcass's inner
/// width, may be shorter but are never zero).
pub const MIN_MILLIMETRES: f64 = 1.0;
/// The longest length Paform accepts: 20 m, beyond any furniture module or stock sheet.
pub const MAX_MILLIMETRES: f64 = 20_000.0;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnitError {
    #[error("must be a finite number of millimetres")]
    NotFinite,
    #[error("must be greater than 0 mm")]
    NotPositive,
    #[error("must be at least {MIN_MILLIMETRES} mm")]
    TooShort,
    #[error("must be at most {MAX_MILLIMETRES} mm")]
    TooLong,
    #[error("must be a whole number from 1 to {max}")]
    QuantityOutOfRange { max: u32 },
}

/// A strictly positive length in millimetres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Millimetres(Decimal);

impl Millimetres {
    /// Takes a JSON number. Its shortest decimal spelling (`600.5`, not the binary
    /// expansion of the float) becomes the exact value.
    pub fn from_f64(value: f64) -> Result<Millimetres, UnitError> {
        if !value.is_finite() {
            return Err(UnitError::NotFinite);
        }
        if value <= 0.0 {
            return Err(UnitError::NotPositive);
        }
        if value < MIN_MILLIMETRES {
            return Err(UnitError::TooShort);
        }
        if value > MAX_MILLIMETRES {
            return Err(UnitError::TooLong);
        }
        let exact = Decimal::from_str(&value.to_string()).map_err(|_| UnitError::NotFinite)?;
        Ok(Millimetres(exact.normalize()))
    }

    /// For lengths derived from other valid lengths (a carcass top is `W − 2t`).
    pub fn from_decimal(value: Decimal) -> Result<Millimetres, UnitError> {
        if value <= Decimal::ZERO {
            return Err(UnitError::NotPositive);
        }
        Ok(Millimetres(value.normalize()))
    }

    pub fn value(self) -> Decimal {
        self.0
    }

    /// For geometry (nesting, drawing), where exactness is not needed.
    pub fn to_f64(self) -> f64 {
        f64::try_from(self.0).unwrap_or(f64::MAX)
    }
}

impl fmt::Display for Millimetres {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// How many of something were ordered: 1 ≤ n ≤ `Quantity::MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity(u32);

impl Quantity {
    pub const MAX: u32 = 10_000;

    pub fn parse(value: i64) -> Result<Quantity, UnitError> {
        match u32::try_from(value) {
            Ok(count @ 1..=Self::MAX) => Ok(Quantity(count)),
            _ => Err(UnitError::QuantityOutOfRange { max: Self::MAX }),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millimetres_keep_the_decimal_a_person_typed() {
        assert_eq!(
            Millimetres::from_f64(600.0).map(|m| m.to_string()),
            Ok("600".into())
        );
        assert_eq!(
            Millimetres::from_f64(1.5).map(|m| m.to_string()),
            Ok("1.5".into())
        );
        assert_eq!(Millimetres::from_f64(0.1), Err(UnitError::TooShort));
        assert_eq!(Millimetres::from_f64(5e-324), Err(UnitError::TooShort));
        assert_eq!(Millimetres::from_f64(20_000.5), Err(UnitError::TooLong));
        assert_eq!(
            Millimetres::from_f64(720.25).map(|m| m.to_string()),
            Ok("720.25".into())
        );
    }

    #[test]
    fn millimetres_refuse_impossible_lengths() {
        assert_eq!(Millimetres::from_f64(0.0), Err(UnitError::NotPositive));
        assert_eq!(Millimetres::from_f64(-5.0), Err(UnitError::NotPositive));
        assert_eq!(Millimetres::from_f64(f64::NAN), Err(UnitError::NotFinite));
        assert_eq!(
            Millimetres::from_f64(f64::INFINITY),
            Err(UnitError::NotFinite)
        );
        assert_eq!(Millimetres::from_f64(1e9), Err(UnitError::TooLong));
    }

    #[test]
    fn quantity_is_a_positive_bounded_count() {
        assert_eq!(Quantity::parse(1).map(Quantity::get), Ok(1));
        assert_eq!(Quantity::parse(10_000).map(Quantity::get), Ok(10_000));
        for bad in [0, -1, 10_001, i64::MAX] {
            assert!(Quantity::parse(bad).is_err(), "{bad}");
        }
    }
}
