//! Pricing (SPEC §4): a module's unit price is its base price plus the board area its panels
//! take (in square feet) times the material's cost per square foot, rounded half-up to
//! cents; line totals are exact multiples of it; tax is rounded once, on the subtotal.
//! A material priced by the sheet (SPEC §17, `board`) replaces the area term with the line's
//! share of what its boards cost.

pub mod board;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::catalog::{MaterialSpec, ModuleSpec};
use crate::cnc::panelize::{PanelizeError, panelize, total_area_mm2};
use crate::money::{Money, MoneyError, Rate};
use crate::units::Quantity;

/// 1 sq ft = 304.8 mm × 304.8 mm, exactly.
pub const MM2_PER_SQ_FT: Decimal = Decimal::from_parts(9_290_304, 0, 0, false, 2);

/// How many fractional digits of a line's area are reported (the price uses the exact area).
pub const AREA_REPORT_DIGITS: u32 = 6;

/// A tax rate between 0 and 1 inclusive, at most six fractional digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaxRate(Rate);

impl TaxRate {
    pub fn parse(text: &str) -> Result<TaxRate, MoneyError> {
        let rate = Rate::parse(text)?;
        if rate.value() > Decimal::ONE {
            return Err(MoneyError::TooLarge);
        }
        Ok(TaxRate(rate))
    }

    pub fn zero() -> TaxRate {
        TaxRate(Rate::zero())
    }

    pub fn rate(self) -> Rate {
        self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PricedLine {
    /// Board area of one module, in mm² (exact).
    pub area_mm2: Decimal,
    pub unit_price: Money,
    pub line_total: Money,
}

impl PricedLine {
    /// The area as reported to people: rounded half-up to `AREA_REPORT_DIGITS`.
    pub fn reported_area(&self) -> Decimal {
        (self.area_mm2 / MM2_PER_SQ_FT)
            .round_dp_with_strategy(AREA_REPORT_DIGITS, RoundingStrategy::MidpointAwayFromZero)
            .normalize()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub subtotal: Money,
    pub tax: Money,
    pub total: Money,
}

pub fn price_line(
    module: &ModuleSpec,
    material: &MaterialSpec,
    quantity: Quantity,
) -> Result<PricedLine, PanelizeError> {
    let panels = panelize(module, material.thickness)?;
    let area_mm2 = total_area_mm2(&panels);
    // area_mm2 × cost is exact; dividing once keeps a single rounding before the cent.
    let board_cost = area_mm2 * material.cost_per_sq_ft.value() / MM2_PER_SQ_FT;
    let unit_price = Money::round(module.base_price.amount() + board_cost);
    Ok(PricedLine {
        area_mm2,
        unit_price,
        line_total: unit_price.times(quantity.get()),
    })
}

/// A line of a material priced by the sheet: its module's base price plus its share of the
/// material's board charge (`board::board_shares`), for each module of the line.
pub fn price_line_by_sheet(
    base_price: Money,
    area_mm2: Decimal,
    board_share: Money,
    quantity: Quantity,
) -> PricedLine {
    let unit_price = base_price + board_share;
    PricedLine {
        area_mm2,
        unit_price,
        line_total: unit_price.times(quantity.get()),
    }
}

pub fn totals(lines: &[PricedLine], tax_rate: TaxRate) -> Totals {
    let subtotal: Money = lines.iter().map(|line| line.line_total).sum();
    let tax = Money::round(subtotal.amount() * tax_rate.rate().value());
    Totals {
        subtotal,
        tax,
        total: subtotal + tax,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Dimensions;
    use crate::units::Millimetres;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn module(width: f64, height: f64, depth: f64, base_price: &str) -> ModuleSpec {
        let mm = |value| Millimetres::from_f64(value).expect("test length is valid");
        ModuleSpec {
            dimensions: Dimensions {
                width: mm(width),
                height: mm(height),
                depth: mm(depth),
            },
            base_price: Money::parse(base_price).expect("test price is valid"),
            shelves: 0,
        }
    }

    fn material(cost: &str) -> MaterialSpec {
        MaterialSpec {
            cost_per_sq_ft: Rate::parse(cost).expect("test rate is valid"),
            thickness: None,
        }
    }

    fn check(module: ModuleSpec, cost: &str, quantity: i64, expected: (&str, &str, &str)) {
        let quantity = Quantity::parse(quantity).expect("test quantity is valid");
        let line = price_line(&module, &material(cost), quantity).expect("prices");
        let actual = (
            line.reported_area().to_string(),
            line.unit_price.to_string(),
            line.line_total.to_string(),
        );
        assert_eq!(
            actual,
            (expected.0.into(), expected.1.into(), expected.2.into())
        );
    }

    #[test]
    fn a_line_is_priced_from_the_six_faces_of_its_box() {
        // 2(600·720 + 600·560 + 720·560) = 2 342 400 mm² = 25.213384… sq ft.
        check(
            module(600.0, 720.0, 560.0, "120.00"),
            "4.50",
            2,
            ("25.213384", "233.46", "466.92"),
        );
        // One square foot of board per face pair: 304.8 mm cube → 6 sq ft.
        check(
            module(304.8, 304.8, 304.8, "0"),
            "1",
            1,
            ("6", "6.00", "6.00"),
        );
        check(
            module(304.8, 304.8, 304.8, "10.00"),
            "0",
            3,
            ("6", "10.00", "30.00"),
        );
    }

    #[test]
    fn unit_price_rounds_half_up_at_the_cent() {
        // 6 sq ft × 0.000833 = 0.004998 → 0.00; × 0.000834 = 0.005004 → 0.01.
        check(
            module(304.8, 304.8, 304.8, "0"),
            "0.000833",
            1,
            ("6", "0.00", "0.00"),
        );
        check(
            module(304.8, 304.8, 304.8, "0"),
            "0.000834",
            1,
            ("6", "0.01", "0.01"),
        );
        // A 304.8 × 304.8 × 152.4 box is exactly 4 sq ft: 4 × 0.00125 is exactly half a cent.
        check(
            module(304.8, 304.8, 152.4, "0"),
            "0.00125",
            1,
            ("4", "0.01", "0.01"),
        );
        check(
            module(304.8, 304.8, 152.4, "0"),
            "0.001249",
            1,
            ("4", "0.00", "0.00"),
        );
    }

    #[test]
    fn tax_is_rounded_once_on_the_subtotal() {
        let line = |total: &str| PricedLine {
            area_mm2: Decimal::ZERO,
            unit_price: Money::parse(total).expect("valid"),
            line_total: Money::parse(total).expect("valid"),
        };
        let tax = TaxRate::parse("0.13").expect("valid");
        let result = totals(&[line("0.05"), line("0.05")], tax);
        assert_eq!(result.subtotal.to_string(), "0.10");
        assert_eq!(result.tax.to_string(), "0.01"); // 0.013 → 0.01
        let result = totals(&[line("10.50")], TaxRate::parse("0.5").expect("valid"));
        assert_eq!(result.tax.to_string(), "5.25");
        let result = totals(&[line("0.01")], TaxRate::parse("0.5").expect("valid"));
        assert_eq!(result.tax.to_string(), "0.01"); // 0.005 → half-up
    }

    #[test]
    fn tax_rates_above_one_are_refused() {
        assert_eq!(TaxRate::parse("1.01"), Err(MoneyError::TooLarge));
        assert!(TaxRate::parse("1").is_ok());
    }

    proptest! {
        #[test]
        fn totals_add_up_exactly(
            lines in prop::collection::vec((1u32..3000, 1u32..3000, 1u32..3000, 0u64..100_000, 0u64..100_000, 1i64..50), 1..20),
            tax_millis in 0u64..=1000,
        ) {
            let tax_rate = TaxRate::parse(&format!("{}", Decimal::new(tax_millis as i64, 3))).expect("valid");
            let priced: Vec<PricedLine> = lines.iter().map(|&(w, h, d, base_cents, cost_thousandths, qty)| {
                let module = module(w as f64, h as f64, d as f64, &Decimal::new(base_cents as i64, 2).to_string());
                let material = material(&Decimal::new(cost_thousandths as i64, 3).to_string());
                price_line(&module, &material, Quantity::parse(qty).expect("valid")).expect("prices")
            }).collect();
            let result = totals(&priced, tax_rate);
            let sum: Decimal = priced.iter().map(|line| line.line_total.amount()).sum();
            prop_assert_eq!(result.subtotal.amount(), sum);
            prop_assert_eq!(result.total.amount(), result.subtotal.amount() + result.tax.amount());
            for line in &priced {
                prop_assert_eq!(line.unit_price.amount().scale(), 2);
                prop_assert!(line.line_total.amount() >= line.unit_price.amount());
            }
            let exact_tax = result.subtotal.amount() * tax_rate.rate().value();
            prop_assert!((result.tax.amount() - exact_tax).abs() <= Decimal::from_str("0.005").expect("literal"));
        }
    }
}
