//! Pricing by the sheet (SPEC §17): a material priced `by_sheet` charges the boards its
//! panels really take on its stock (the quote's nest): every new sheet at its cost, every
//! offcut already in stock at its area (at the cheapest per-area rate of the material's
//! boards), the saw cut length and the edge banding at the material's rates per metre.
//! The charge is then shared among the quote's lines in proportion to their board area, so
//! each line still has one unit price and an order accepted from the quote keeps it.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::cnc::nesting::{NestLayout, NestRequest};
use crate::money::{Money, Rate};

/// Millimetres per metre.
const MM_PER_M: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);

/// A material's rates for the work on its boards, per metre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SheetRates {
    pub saw_cut_per_m: Rate,
    pub edge_banding_per_m: Rate,
}

/// Each part of a material's board charge, and their sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoardCharges {
    /// New sheets at their cost.
    pub sheets: Money,
    /// Offcuts from stock at their area.
    pub offcuts: Money,
    pub saw_cuts: Money,
    pub edge_banding: Money,
    pub total: Money,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BoardPricingError {
    #[error("the {width} × {height} mm board has no cost, so it cannot be priced by the sheet")]
    UnpricedBoard { width: Decimal, height: Decimal },
}

/// A nester length as an exact number of millimetres, to a tenth (the nester works in
/// floating point; tenths are finer than any saw).
pub fn exact_mm(length: f64) -> Decimal {
    Decimal::try_from(length)
        .unwrap_or_default()
        .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// A length in millimetres as metres, rounded half-up to whole millimetres.
pub fn metres(length_mm: Decimal) -> Decimal {
    (length_mm.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero) / MM_PER_M)
        .normalize()
}

/// What `layout` (the nest of `request`) costs: sheets, offcuts, saw cuts and
/// `edge_banding_mm` of banding. Each part is rounded to the cent once.
pub fn board_charges(
    request: &NestRequest,
    layout: &NestLayout,
    edge_banding_mm: Decimal,
    rates: SheetRates,
) -> Result<BoardCharges, BoardPricingError> {
    let unpriced = |width: f64, height: f64| BoardPricingError::UnpricedBoard {
        width: exact_mm(width),
        height: exact_mm(height),
    };
    let mut sheets = Decimal::ZERO;
    let mut offcut_area = Decimal::ZERO;
    for sheet in &layout.sheets {
        if sheet.offcut.is_some() {
            offcut_area += exact_mm(sheet.stock.width) * exact_mm(sheet.stock.height);
            continue;
        }
        let cost = request
            .stock
            .get(sheet.stock_index)
            .and_then(|stock| stock.cost)
            .ok_or_else(|| unpriced(sheet.stock.width, sheet.stock.height))?;
        sheets += cost.amount();
    }
    let mut cheapest_per_mm2: Option<Decimal> = None;
    for stock in request.stock.iter().filter(|stock| stock.offcut.is_none()) {
        let cost = stock
            .cost
            .ok_or_else(|| unpriced(stock.width, stock.height))?;
        let area = exact_mm(stock.width) * exact_mm(stock.height);
        if area > Decimal::ZERO {
            let rate = cost.amount() / area;
            cheapest_per_mm2 = Some(cheapest_per_mm2.map_or(rate, |cheapest| cheapest.min(rate)));
        }
    }
    let offcuts = Money::round(offcut_area * cheapest_per_mm2.unwrap_or_default());
    let saw_cuts = Money::round(metres(exact_mm(layout.cut_length)) * rates.saw_cut_per_m.value());
    let edge_banding = Money::round(metres(edge_banding_mm) * rates.edge_banding_per_m.value());
    let sheets = Money::round(sheets);
    Ok(BoardCharges {
        sheets,
        offcuts,
        saw_cuts,
        edge_banding,
        total: sheets + offcuts + saw_cuts + edge_banding,
    })
}

/// Each line's share of `charge` for one module: `charge × area ÷ Σ quantity × area`,
/// rounded half-up to the cent, for lines given as (board area of one module, quantity).
/// Like area pricing, the shares add up to the charge within the rounding of each line.
pub fn board_shares(charge: Money, lines: &[(Decimal, u32)]) -> Vec<Money> {
    let total_area: Decimal = lines
        .iter()
        .map(|&(area, quantity)| area * Decimal::from(quantity))
        .sum();
    lines
        .iter()
        .map(|&(area, _)| {
            if total_area.is_zero() {
                Money::round(Decimal::ZERO)
            } else {
                Money::round(charge.amount() * area / total_area)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cnc::nesting::{
        NestMode, OffcutRef, PartSpec, SheetLayout, StockSize, StockSpec, nest,
    };
    use std::str::FromStr;

    fn money(text: &str) -> Money {
        Money::parse(text).expect("test money is valid")
    }

    fn rates(saw: &str, banding: &str) -> SheetRates {
        SheetRates {
            saw_cut_per_m: Rate::parse(saw).expect("valid"),
            edge_banding_per_m: Rate::parse(banding).expect("valid"),
        }
    }

    fn sheet(width: f64, height: f64, stock_index: usize, offcut: bool) -> SheetLayout {
        SheetLayout {
            stock: StockSize { width, height },
            stock_index,
            offcut: offcut.then(|| OffcutRef {
                id: "o1".into(),
                code: "OC-000001".into(),
            }),
            placements: Vec::new(),
            utilization: 0.5,
            cuts: Vec::new(),
            cut_length: 0.0,
        }
    }

    fn request(costs: &[Option<&str>], offcut: Option<(f64, f64)>) -> NestRequest {
        let mut stock: Vec<StockSpec> = offcut
            .map(|(width, height)| StockSpec {
                offcut: Some(OffcutRef {
                    id: "o1".into(),
                    code: "OC-000001".into(),
                }),
                ..StockSpec::sheet(width, height)
            })
            .into_iter()
            .collect();
        stock.extend([(2800.0, 2070.0), (2440.0, 1220.0)].iter().zip(costs).map(
            |(&(width, height), cost)| StockSpec {
                cost: cost.map(money),
                ..StockSpec::sheet(width, height)
            },
        ));
        NestRequest {
            stock,
            ..NestRequest::default()
        }
    }

    #[test]
    fn sheets_cost_their_price_and_offcuts_their_area_at_the_cheapest_board_rate() {
        // 2800 × 2070 at 57.96 is 0.00001 per mm²; 2440 × 1220 at 59.54 is 0.0000200…
        let request = request(&[Some("57.96"), Some("59.54")], Some((1000.0, 500.0)));
        let layout = NestLayout {
            sheets: vec![
                sheet(1000.0, 500.0, 0, true),
                sheet(2800.0, 2070.0, 1, false),
                sheet(2800.0, 2070.0, 1, false),
                sheet(2440.0, 1220.0, 2, false),
            ],
            utilization: 0.8,
            // 12 345.6 mm → 12.346 m at 0.50 = 6.173 → 6.17.
            cut_length: 12_345.6,
        };
        let charges = board_charges(
            &request,
            &layout,
            Decimal::from(8_250),
            rates("0.50", "1.20"),
        )
        .expect("priced");
        assert_eq!(charges.sheets, money("175.46")); // 2 × 57.96 + 59.54
        assert_eq!(charges.offcuts, money("5.00")); // 500 000 mm² × 0.00001
        assert_eq!(charges.saw_cuts, money("6.17"));
        assert_eq!(charges.edge_banding, money("9.90")); // 8.25 m × 1.20
        assert_eq!(charges.total, money("196.53"));
    }

    #[test]
    fn a_board_without_a_cost_is_named() {
        let request = request(&[None, None], None);
        let layout = NestLayout {
            sheets: vec![sheet(2800.0, 2070.0, 0, false)],
            utilization: 0.5,
            cut_length: 0.0,
        };
        let error =
            board_charges(&request, &layout, Decimal::ZERO, rates("0", "0")).expect_err("unpriced");
        assert_eq!(
            error.to_string(),
            "the 2800 × 2070 mm board has no cost, so it cannot be priced by the sheet"
        );
    }

    #[test]
    fn shares_follow_board_area_and_round_per_line() {
        let area = |text: &str| Decimal::from_str(text).expect("literal");
        // 100 over 1 × 1 + 2 × 1.5 = 4 units of area: 25 per unit of area.
        let shares = board_shares(money("100.00"), &[(area("1"), 1), (area("1.5"), 2)]);
        assert_eq!(shares, vec![money("25.00"), money("37.50")]);
        // 10 over three equal lines: 3.333… rounds to 3.33 each.
        let shares = board_shares(money("10.00"), &[(area("2"), 1); 3]);
        assert_eq!(shares, vec![money("3.33"); 3]);
        assert_eq!(
            board_shares(money("10.00"), &[(Decimal::ZERO, 1)]),
            vec![money("0.00")]
        );
    }

    #[test]
    fn the_same_request_gives_the_same_nest_and_the_same_charge() {
        let mut request = request(&[Some("57.96"), Some("59.54")], None);
        request.mode = NestMode::Guillotine;
        request.parts = (0..12)
            .map(|index| PartSpec {
                id: format!("P{index}"),
                width: 560.0 + f64::from(index) * 10.0,
                height: 720.0,
                quantity: 2,
                grain: crate::cnc::nesting::Grain::None,
            })
            .collect();
        let price = || {
            let layout = nest(&request).expect("nests");
            board_charges(
                &request,
                &layout,
                Decimal::from(4_000),
                rates("0.40", "0.80"),
            )
            .expect("priced")
        };
        assert_eq!(price(), price());
    }
}
