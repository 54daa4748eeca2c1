//! Tests for sheet nesting: table-driven validation and layout cases through one `check`
//! helper, and property tests on random instances asserting the layout rules (every part
//! placed exactly its quantity, no overlap, kerf and trim respected, nothing off the sheet,
//! grain respected, guillotine layouts really guillotine-cuttable) and determinism.

use std::collections::BTreeMap;
use std::time::Duration;

use proptest::prelude::*;

use super::*;

/// Rounding slack for comparing sums of millimetre values.
const EPS: f64 = 1e-6;

fn part(id: &str, width: f64, height: f64, quantity: u32) -> PartSpec {
    PartSpec {
        id: id.to_owned(),
        width,
        height,
        quantity,
        grain: Grain::None,
    }
}

fn money(text: &str) -> Money {
    Money::parse(text).unwrap_or_else(|error| panic!("{error}"))
}

/// The default time limit: its work budget ends these small searches long before the clock.
fn request(parts: Vec<PartSpec>) -> NestRequest {
    NestRequest {
        parts,
        ..NestRequest::default()
    }
}

/// Every rule the layout must keep; returns the first broken one.
fn layout_problems(request: &NestRequest, layout: &NestLayout) -> Result<(), String> {
    let mut placed_counts: BTreeMap<&str, u32> = BTreeMap::new();
    let specs: BTreeMap<&str, &PartSpec> = request
        .parts
        .iter()
        .map(|spec| (spec.id.as_str(), spec))
        .collect();
    let mut boards_used: BTreeMap<usize, u32> = BTreeMap::new();
    for (sheet_index, sheet) in layout.sheets.iter().enumerate() {
        let stock = request
            .stock
            .get(sheet.stock_index)
            .ok_or("unknown stock index")?;
        if (sheet.stock.width, sheet.stock.height) != (stock.width, stock.height)
            || sheet.offcut != stock.offcut
        {
            return Err(format!("sheet {sheet_index} misnames its stock"));
        }
        let used = boards_used.entry(sheet.stock_index).or_default();
        *used += 1;
        let available = match stock.offcut {
            Some(_) => Some(1),
            None => stock.quantity,
        };
        if available.is_some_and(|available| *used > available) {
            return Err(format!("stock {} used too often", sheet.stock_index));
        }
        for placement in &sheet.placements {
            *placed_counts.entry(placement.id.as_str()).or_default() += 1;
            let spec = specs.get(placement.id.as_str()).ok_or("unknown part id")?;
            let expected = if placement.rotated {
                (spec.height, spec.width)
            } else {
                (spec.width, spec.height)
            };
            if (placement.width, placement.height) != expected {
                return Err(format!("{placement:?} has the wrong size"));
            }
            if placement.rotated && (!request.allow_rotation || spec.grain == Grain::Length) {
                return Err(format!(
                    "{placement:?} was rotated against grain or request"
                ));
            }
            let t = request.trim;
            if placement.x < t - EPS
                || placement.y < t - EPS
                || placement.x + placement.width > stock.width - t + EPS
                || placement.y + placement.height > stock.height - t + EPS
            {
                return Err(format!(
                    "{placement:?} leaves the trimmed sheet {sheet_index}"
                ));
            }
        }
        for (index, a) in sheet.placements.iter().enumerate() {
            for b in &sheet.placements[index + 1..] {
                let k = request.kerf;
                let apart = a.x + a.width + k <= b.x + EPS
                    || b.x + b.width + k <= a.x + EPS
                    || a.y + a.height + k <= b.y + EPS
                    || b.y + b.height + k <= a.y + EPS;
                if !apart {
                    return Err(format!(
                        "{a:?} and {b:?} overlap or are closer than the kerf"
                    ));
                }
            }
        }
        if request.mode == NestMode::Guillotine {
            let rects: Vec<&Placement> = sheet.placements.iter().collect();
            if !guillotine_cuttable(&rects, request.kerf) {
                return Err(format!("sheet {sheet_index} is not guillotine-cuttable"));
            }
            saw_problems(sheet, request.kerf)
                .map_err(|problem| format!("sheet {sheet_index}: {problem}"))?;
        } else if !sheet.cuts.is_empty() {
            return Err(format!("free sheet {sheet_index} has saw cuts"));
        }
    }
    for spec in &request.parts {
        let placed = placed_counts.get(spec.id.as_str()).copied().unwrap_or(0);
        let wanted: u32 = request
            .parts
            .iter()
            .filter(|other| other.id == spec.id)
            .map(|p| p.quantity)
            .sum();
        if placed != wanted {
            return Err(format!(
                "part {} placed {placed} times, wanted {wanted}",
                spec.id
            ));
        }
    }
    Ok(())
}

/// Applies the saw sequence to the board: each cut must run exactly across one current piece
/// (from edge to edge) with its kerf band clear of every part, and in the end every part
/// lies inside exactly one piece that holds no other part; the lengths must add up.
fn saw_problems(sheet: &SheetLayout, kerf: f64) -> Result<(), String> {
    // Pieces as (x, y, right, top).
    let mut pieces: Vec<(f64, f64, f64, f64)> =
        vec![(0.0, 0.0, sheet.stock.width, sheet.stock.height)];
    let near = |a: f64, b: f64| (a - b).abs() <= EPS;
    for (number, cut) in sheet.cuts.iter().enumerate() {
        let horizontal = cut.direction == CutDirection::Horizontal;
        let matches: Vec<usize> = pieces
            .iter()
            .enumerate()
            .filter(|(_, piece)| {
                let (low, high, start, end) = if horizontal {
                    (piece.1, piece.3, piece.0, piece.2)
                } else {
                    (piece.0, piece.2, piece.1, piece.3)
                };
                near(start, cut.from)
                    && near(end, cut.to)
                    && cut.position >= low - EPS
                    && cut.position < high - EPS
            })
            .map(|(index, _)| index)
            .collect();
        let [index] = matches[..] else {
            return Err(format!(
                "cut {} {cut:?} runs across {} pieces",
                number + 1,
                matches.len()
            ));
        };
        let piece = pieces.remove(index);
        let (band_low, band_high) = (cut.position, cut.position + kerf);
        for part in &sheet.placements {
            let (low, high) = if horizontal {
                (part.y, part.y + part.height)
            } else {
                (part.x, part.x + part.width)
            };
            let (start, end) = if horizontal {
                (part.x, part.x + part.width)
            } else {
                (part.y, part.y + part.height)
            };
            let along = start < cut.to - EPS && end > cut.from + EPS;
            if along && low < band_high - EPS && high > band_low + EPS {
                return Err(format!("cut {} {cut:?} crosses {part:?}", number + 1));
            }
        }
        if horizontal {
            pieces.push((piece.0, piece.1, piece.2, cut.position));
            pieces.push((piece.0, band_high, piece.2, piece.3));
        } else {
            pieces.push((piece.0, piece.1, cut.position, piece.3));
            pieces.push((band_high, piece.1, piece.2, piece.3));
        }
    }
    let inside = |part: &Placement, piece: &(f64, f64, f64, f64)| {
        part.x >= piece.0 - EPS
            && part.y >= piece.1 - EPS
            && part.x + part.width <= piece.2 + EPS
            && part.y + part.height <= piece.3 + EPS
    };
    for part in &sheet.placements {
        let holders = pieces.iter().filter(|piece| inside(part, piece)).count();
        if holders != 1 {
            return Err(format!("{part:?} lies inside {holders} pieces"));
        }
    }
    for piece in &pieces {
        if sheet
            .placements
            .iter()
            .filter(|part| inside(part, piece))
            .count()
            > 1
        {
            return Err(format!("piece {piece:?} still holds several parts"));
        }
    }
    let total: f64 = sheet.cuts.iter().map(Cut::length).sum();
    if !near(total, sheet.cut_length) {
        return Err(format!("cut length {} ≠ {total}", sheet.cut_length));
    }
    Ok(())
}

/// Recursive edge-to-edge splitting: a set of parts is guillotine-cuttable if it has at most
/// one part, or one straight cut of kerf width separates it into two non-empty sets that are
/// both guillotine-cuttable. Taking any separating cut is enough, because restricting a
/// guillotine pattern to one side of a full cut leaves a guillotine pattern.
fn guillotine_cuttable(parts: &[&Placement], kerf: f64) -> bool {
    if parts.len() <= 1 {
        return true;
    }
    type Span = fn(&Placement) -> (f64, f64);
    let axes: [Span; 2] = [|p| (p.x, p.x + p.width), |p| (p.y, p.y + p.height)];
    for span in axes {
        for cut in parts.iter().map(|p| span(p).1) {
            let (before, after): (Vec<&Placement>, Vec<&Placement>) =
                parts.iter().partition(|p| span(p).1 <= cut + EPS);
            let clean = after.iter().all(|p| span(p).0 >= cut + kerf - EPS);
            if clean && !before.is_empty() && !after.is_empty() {
                return guillotine_cuttable(&before, kerf) && guillotine_cuttable(&after, kerf);
            }
        }
    }
    false
}

fn check(request: &NestRequest, expected_sheets: usize) {
    let layout = nest(request).unwrap_or_else(|error| panic!("nest failed: {error}"));
    if let Err(problem) = layout_problems(request, &layout) {
        panic!("{problem}\n{layout:#?}");
    }
    assert_eq!(layout.sheets.len(), expected_sheets, "{layout:#?}");
}

fn check_error(request: &NestRequest, expected: NestingError) {
    assert_eq!(nest(request), Err(expected));
}

#[test]
fn layouts_use_the_expected_number_of_sheets() {
    let cases: Vec<(&str, NestRequest, usize)> = vec![
        (
            "one small part",
            request(vec![part("p1", 500.0, 300.0, 1)]),
            1,
        ),
        (
            "a part filling the sheet",
            request(vec![part("p1", 2440.0, 1220.0, 3)]),
            3,
        ),
        (
            "four quarters do not fit one sheet because of the kerf",
            request(vec![part("q", 1220.0, 610.0, 4)]),
            2,
        ),
        (
            "four quarters less half a kerf fit one sheet",
            request(vec![part("q", 1218.0, 608.0, 4)]),
            1,
        ),
        (
            "two halves rotated side by side",
            NestRequest {
                stock: vec![StockSpec::sheet(1000.0, 1000.0)],
                kerf: 0.0,
                ..request(vec![
                    part("tall", 500.0, 1000.0, 1),
                    part("wide", 1000.0, 500.0, 1),
                ])
            },
            1,
        ),
        (
            "a cabinet cut list",
            request(vec![
                part("side", 720.0, 560.0, 8),
                part("bottom", 564.0, 560.0, 4),
                part("shelf", 562.0, 540.0, 4),
                part("back", 716.0, 596.0, 4),
                part("door", 716.0, 596.0, 4),
            ]),
            4,
        ),
    ];
    for (name, request, expected_sheets) in cases {
        eprintln!("case: {name}");
        check(&request, expected_sheets);
        check(
            &NestRequest {
                mode: NestMode::Free,
                ..request
            },
            expected_sheets,
        );
    }
}

#[test]
fn grain_along_the_length_keeps_parts_unrotated() {
    let mut tall = part("tall", 400.0, 1500.0, 1);
    tall.grain = Grain::Length;
    check_error(
        &request(vec![tall.clone()]),
        NestingError::PartTooLarge {
            id: "tall".to_owned(),
            width: 400.0,
            height: 1500.0,
            rotation_allowed: false,
        },
    );
    tall.grain = Grain::None;
    let layout = nest(&request(vec![tall])).unwrap_or_else(|e| panic!("{e}"));
    assert!(layout.sheets[0].placements[0].rotated);
}

#[test]
fn invalid_requests_name_the_offending_field_or_part() {
    let base = request(vec![part("p1", 500.0, 300.0, 1)]);
    let cases: Vec<(NestRequest, NestingError)> = vec![
        (
            NestRequest {
                stock: vec![StockSpec::sheet(0.0, 1220.0)],
                ..base.clone()
            },
            NestingError::InvalidSheetSize {
                index: 0,
                field: "width",
            },
        ),
        (
            NestRequest {
                stock: vec![
                    StockSpec::sheet(2440.0, 1220.0),
                    StockSpec::sheet(2800.0, f64::NAN),
                ],
                ..base.clone()
            },
            NestingError::InvalidSheetSize {
                index: 1,
                field: "height",
            },
        ),
        (
            NestRequest {
                stock: vec![],
                ..base.clone()
            },
            NestingError::NoStock,
        ),
        (
            NestRequest {
                stock: vec![StockSpec {
                    quantity: Some(0),
                    ..StockSpec::sheet(2440.0, 1220.0)
                }],
                ..base.clone()
            },
            NestingError::ZeroStockQuantity { index: 0 },
        ),
        (
            NestRequest {
                stock: vec![
                    StockSpec {
                        cost: Some(money("40.00")),
                        ..StockSpec::sheet(2440.0, 1220.0)
                    },
                    StockSpec::sheet(2800.0, 2070.0),
                ],
                ..base.clone()
            },
            NestingError::MixedStockCosts { index: 1 },
        ),
        (
            NestRequest {
                stock: vec![StockSpec {
                    quantity: Some(1),
                    ..StockSpec::sheet(2440.0, 1220.0)
                }],
                ..request(vec![part("p", 1500.0, 1000.0, 2)])
            },
            NestingError::NotEnoughStock,
        ),
        (
            NestRequest {
                kerf: -1.0,
                ..base.clone()
            },
            NestingError::InvalidMargin { field: "kerf" },
        ),
        (
            NestRequest {
                trim: f64::INFINITY,
                ..base.clone()
            },
            NestingError::InvalidMargin { field: "trim" },
        ),
        (
            NestRequest {
                trim: 610.0,
                ..base.clone()
            },
            NestingError::TrimLeavesNoSheet {
                index: 0,
                trim: 610.0,
            },
        ),
        (
            NestRequest {
                parts: vec![],
                ..base.clone()
            },
            NestingError::NoParts,
        ),
        (
            request(vec![
                part("p1", 500.0, 300.0, 1),
                part("p2", -5.0, 300.0, 1),
            ]),
            NestingError::InvalidPartSize {
                id: "p2".to_owned(),
                field: "width",
            },
        ),
        (
            request(vec![part("p3", 500.0, f64::NAN, 1)]),
            NestingError::InvalidPartSize {
                id: "p3".to_owned(),
                field: "height",
            },
        ),
        (
            request(vec![part("p4", 500.0, 300.0, 0)]),
            NestingError::ZeroQuantity {
                id: "p4".to_owned(),
            },
        ),
        (
            request(vec![part("big", 2500.0, 1000.0, 1)]),
            NestingError::PartTooLarge {
                id: "big".to_owned(),
                width: 2500.0,
                height: 1000.0,
                rotation_allowed: true,
            },
        ),
        (
            NestRequest {
                allow_rotation: false,
                ..request(vec![part("turned", 1000.0, 2000.0, 1)])
            },
            NestingError::PartTooLarge {
                id: "turned".to_owned(),
                width: 1000.0,
                height: 2000.0,
                rotation_allowed: false,
            },
        ),
        (
            NestRequest {
                trim: 10.0,
                ..request(vec![part("edge", 2430.0, 100.0, 1)])
            },
            NestingError::PartTooLarge {
                id: "edge".to_owned(),
                width: 2430.0,
                height: 100.0,
                rotation_allowed: true,
            },
        ),
        (
            request(vec![
                part("a", 10.0, 10.0, 15_000),
                part("b", 10.0, 10.0, 5_001),
            ]),
            NestingError::TooManyParts {
                count: 20_001,
                max: MAX_PART_INSTANCES,
            },
        ),
    ];
    for (request, expected) in cases {
        check_error(&request, expected);
    }
}

#[test]
fn trim_keeps_parts_off_the_sheet_edges() {
    let request = NestRequest {
        trim: 15.0,
        ..request(vec![part("p", 600.0, 400.0, 12)])
    };
    check(&request, 2);
}

#[test]
fn a_zero_time_limit_still_returns_the_greedy_layout() {
    let request = NestRequest {
        time_limit: Duration::ZERO,
        ..request(vec![
            part("a", 700.0, 300.0, 30),
            part("b", 450.0, 450.0, 20),
        ])
    };
    let layout = nest(&request).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(layout_problems(&request, &layout), Ok(()));
}

#[test]
fn utilization_is_part_area_over_sheet_area() {
    let request = request(vec![part("p", 1220.0, 610.0, 3)]);
    let layout = nest(&request).unwrap_or_else(|e| panic!("{e}"));
    let sheet_area = 2440.0 * 1220.0;
    let expected = 3.0 * 1220.0 * 610.0 / (layout.sheets.len() as f64 * sheet_area);
    assert!((layout.utilization - expected).abs() < 1e-12);
    let last = layout.sheets.last().map(|sheet| sheet.utilization);
    assert!(
        layout
            .sheets
            .iter()
            .all(|sheet| Some(sheet.utilization) >= last)
    );
}

#[test]
fn the_search_beats_or_matches_a_single_greedy_pass() {
    // Strips of three widths that first-fit by area packs badly.
    let request = NestRequest {
        mode: NestMode::Free,
        ..request(vec![
            part("a", 1300.0, 500.0, 7),
            part("b", 1100.0, 400.0, 9),
            part("c", 700.0, 350.0, 11),
        ])
    };
    let searched = nest(&request).unwrap_or_else(|e| panic!("{e}"));
    let greedy = nest_within(&request, 0, 0).unwrap_or_else(|e| panic!("{e}"));
    assert!(searched.sheets.len() <= greedy.sheets.len());
    assert_eq!(layout_problems(&request, &searched), Ok(()));
}

fn offcut(id: &str, width: f64, height: f64) -> StockSpec {
    StockSpec {
        offcut: Some(OffcutRef {
            id: id.to_owned(),
            code: format!("OC-{id}"),
        }),
        ..StockSpec::sheet(width, height)
    }
}

#[test]
fn offcuts_are_filled_before_new_sheets_and_unused_ones_are_left_out() {
    let request = NestRequest {
        stock: vec![
            StockSpec::sheet(2440.0, 1220.0),
            offcut("tiny", 150.0, 150.0),
            offcut("o1", 1000.0, 800.0),
        ],
        ..request(vec![part("p", 300.0, 200.0, 8)])
    };
    let layout = nest(&request).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(layout_problems(&request, &layout), Ok(()));
    assert_eq!(layout.sheets.len(), 1, "{layout:#?}");
    assert_eq!(layout.sheets[0].stock_index, 2);
    assert_eq!(
        layout.sheets[0].offcut.as_ref().map(|o| o.code.as_str()),
        Some("OC-o1")
    );
    let more = NestRequest {
        parts: vec![part("p", 300.0, 200.0, 20)],
        ..request
    };
    let layout = nest(&more).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(layout_problems(&more, &layout), Ok(()));
    assert_eq!(layout.sheets[0].stock_index, 2, "offcuts come first");
    assert_eq!(layout.sheets.len(), 2, "{layout:#?}");
}

#[test]
fn the_cheapest_mix_of_sizes_wins() {
    let priced = |width: f64, height: f64, cost: &str| StockSpec {
        cost: Some(money(cost)),
        ..StockSpec::sheet(width, height)
    };
    let request = NestRequest {
        stock: vec![
            priced(2440.0, 1220.0, "40.00"),
            priced(2800.0, 2070.0, "90.00"),
            priced(1220.0, 1220.0, "25.00"),
        ],
        ..request(vec![part("a", 1200.0, 1000.0, 3)])
    };
    let layout = nest(&request).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(layout_problems(&request, &layout), Ok(()));
    let mut used: Vec<usize> = layout.sheets.iter().map(|s| s.stock_index).collect();
    used.sort_unstable();
    // One 2440 × 1220 holds two parts (40.00), the third goes on a 1220 × 1220 (25.00).
    assert_eq!(used, [0, 2]);
}

fn arbitrary_request() -> impl Strategy<Value = NestRequest> {
    let part_strategy = (
        20.0..1300.0_f64,
        20.0..900.0_f64,
        1..4_u32,
        prop::bool::weighted(0.3),
    );
    (
        prop::collection::vec(part_strategy, 1..9),
        0.0..8.0_f64,
        prop_oneof![Just(0.0), 0.0..25.0_f64],
        any::<bool>(),
        any::<bool>(),
        any::<u64>(),
    )
        .prop_map(
            |(parts, kerf, trim, allow_rotation, free, seed)| NestRequest {
                stock: vec![StockSpec::sheet(2440.0, 1220.0)],
                kerf: kerf.round(),
                trim: trim.round(),
                allow_rotation,
                mode: if free {
                    NestMode::Free
                } else {
                    NestMode::Guillotine
                },
                parts: parts
                    .into_iter()
                    .enumerate()
                    .map(
                        |(index, (width, height, quantity, length_grain))| PartSpec {
                            id: format!("p{index}"),
                            width: width.round(),
                            height: height.round(),
                            quantity,
                            grain: if length_grain {
                                Grain::Length
                            } else {
                                Grain::None
                            },
                        },
                    )
                    .collect(),
                time_limit: Duration::from_secs(30),
                seed,
            },
        )
}

/// A request on one to three sheet sizes (all priced or none), every part fitting each.
fn arbitrary_multi_size_request() -> impl Strategy<Value = NestRequest> {
    let size = (1300.0..2800.0_f64, 950.0..2070.0_f64, 10..120_u32);
    (
        arbitrary_request(),
        prop::collection::vec(size, 1..4),
        any::<bool>(),
    )
        .prop_map(|(base, sizes, priced)| NestRequest {
            stock: sizes
                .into_iter()
                .map(|(width, height, price)| StockSpec {
                    cost: priced.then(|| money(&format!("{price}.50"))),
                    ..StockSpec::sheet(width.round(), height.round())
                })
                .collect(),
            ..base
        })
}

/// A request on one sheet size plus up to three offcuts.
fn arbitrary_offcut_request() -> impl Strategy<Value = NestRequest> {
    let size = (100.0..1500.0_f64, 100.0..1200.0_f64);
    (arbitrary_request(), prop::collection::vec(size, 0..4)).prop_map(|(base, offcuts)| {
        let mut stock = base.stock.clone();
        stock.extend(
            offcuts
                .into_iter()
                .enumerate()
                .map(|(index, (width, height))| {
                    offcut(&format!("o{index}"), width.round(), height.round())
                }),
        );
        NestRequest { stock, ..base }
    })
}

/// The total price of a layout as the nester counts it: cents when priced, else area.
fn layout_price(request: &NestRequest, layout: &NestLayout) -> f64 {
    layout
        .sheets
        .iter()
        .map(|sheet| {
            let stock = &request.stock[sheet.stock_index];
            match (&stock.offcut, stock.cost) {
                (Some(_), _) => 0.0,
                (None, Some(cost)) => cents(cost),
                (None, None) => stock.width * stock.height,
            }
        })
        .sum()
}

/// Small budgets keep debug-build property tests quick and on the deterministic side.
const TEST_PROBES: u64 = 300_000;
const TEST_MOVES: u32 = 150;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_layouts_keep_every_rule(request in arbitrary_request()) {
        let layout = nest_within(&request, TEST_PROBES, TEST_MOVES);
        prop_assert!(layout.is_ok(), "{layout:?}");
        let layout = layout.unwrap_or_else(|e| panic!("{e}"));
        prop_assert_eq!(layout_problems(&request, &layout), Ok(()));
    }

    #[test]
    fn a_mix_of_sizes_is_valid_and_never_costlier_than_the_best_single_size(
        request in arbitrary_multi_size_request()
    ) {
        let layout = nest_within(&request, TEST_PROBES, TEST_MOVES);
        prop_assume!(!matches!(layout, Err(NestingError::PartTooLarge { .. })));
        let layout = layout.unwrap_or_else(|e| panic!("{e}"));
        prop_assert_eq!(layout_problems(&request, &layout), Ok(()));
        let price = layout_price(&request, &layout);
        for single in &request.stock {
            let alone = NestRequest { stock: vec![single.clone()], ..request.clone() };
            if let Ok(single_layout) = nest_within(&alone, TEST_PROBES, TEST_MOVES) {
                let single_price = layout_price(&alone, &single_layout);
                prop_assert!(price <= single_price + 1e-6, "{price} > {single_price}");
            }
        }
    }

    #[test]
    fn offcut_placements_lie_inside_their_offcut(request in arbitrary_offcut_request()) {
        let layout = nest_within(&request, TEST_PROBES, TEST_MOVES);
        prop_assert!(layout.is_ok(), "{layout:?}");
        let layout = layout.unwrap_or_else(|e| panic!("{e}"));
        // layout_problems checks every placement against its own board, offcuts included.
        prop_assert_eq!(layout_problems(&request, &layout), Ok(()));
        let first_new_sheet = layout.sheets.iter().position(|sheet| sheet.offcut.is_none());
        let last_offcut = layout.sheets.iter().rposition(|sheet| sheet.offcut.is_some());
        if let (Some(first_new), Some(last_offcut)) = (first_new_sheet, last_offcut) {
            prop_assert!(last_offcut < first_new, "offcuts are listed first");
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_layout(request in arbitrary_request()) {
        let first = nest_within(&request, TEST_PROBES, TEST_MOVES);
        let second = nest_within(&request, TEST_PROBES, TEST_MOVES);
        prop_assert_eq!(first, second);
    }
}

#[test]
fn a_strip_of_two_parts_is_cut_in_saw_order() {
    let request = NestRequest {
        stock: vec![StockSpec::sheet(1000.0, 500.0)],
        kerf: 4.0,
        allow_rotation: false,
        ..request(vec![part("p", 400.0, 300.0, 2)])
    };
    let layout = nest(&request).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(layout_problems(&request, &layout), Ok(()));
    let horizontal = |position: f64, from: f64, to: f64| Cut {
        direction: CutDirection::Horizontal,
        position,
        from,
        to,
    };
    let vertical = |position: f64, from: f64, to: f64| Cut {
        direction: CutDirection::Vertical,
        position,
        from,
        to,
    };
    // The strip off the top, the waste off the right, then the two parts apart.
    assert_eq!(
        layout.sheets[0].cuts,
        [
            horizontal(300.0, 0.0, 1000.0),
            vertical(804.0, 0.0, 300.0),
            vertical(400.0, 0.0, 300.0),
        ]
    );
    assert_eq!(layout.cut_length, 1600.0);
}

#[test]
fn the_checker_rejects_a_non_guillotine_pinwheel() {
    let placement = |x: f64, y: f64, width: f64, height: f64| Placement {
        id: "p".to_owned(),
        x,
        y,
        width,
        height,
        rotated: false,
    };
    let pinwheel = [
        placement(0.0, 0.0, 60.0, 40.0),
        placement(60.0, 0.0, 40.0, 60.0),
        placement(40.0, 60.0, 60.0, 40.0),
        placement(0.0, 40.0, 40.0, 60.0),
    ];
    let refs: Vec<&Placement> = pinwheel.iter().collect();
    assert!(!guillotine_cuttable(&refs, 0.0));
    let grid = [
        placement(0.0, 0.0, 50.0, 50.0),
        placement(54.0, 0.0, 50.0, 50.0),
    ];
    let refs: Vec<&Placement> = grid.iter().collect();
    assert!(guillotine_cuttable(&refs, 4.0));
    assert!(!guillotine_cuttable(&refs, 5.0));
}

/// The inflated items each sheet of `layout` holds, with the sheet's inflated size.
fn sheet_items(request: &NestRequest, layout: &NestLayout) -> Vec<(Vec<Item>, f64, f64)> {
    let items = validate(request).unwrap_or_else(|e| panic!("{e}"));
    let kinds = stock_kinds(request);
    layout
        .sheets
        .iter()
        .map(|sheet| {
            let on_sheet = sheet
                .placements
                .iter()
                .map(|placement| {
                    let spec = request
                        .parts
                        .iter()
                        .position(|part| part.id == placement.id)
                        .unwrap_or_else(|| panic!("unknown part {}", placement.id));
                    *items
                        .iter()
                        .find(|item| item.spec == spec)
                        .unwrap_or_else(|| panic!("no item of {spec}"))
                })
                .collect();
            let kind = &kinds[sheet.stock_index];
            (on_sheet, kind.width, kind.height)
        })
        .collect()
}

/// Splits `total` whole millimetres into pieces in proportion to `weights`, the last piece
/// taking what rounding leaves, so the pieces sum to `total` exactly.
fn split_exactly(total: f64, weights: &[u32]) -> Vec<f64> {
    let weight_sum: u32 = weights.iter().sum();
    let mut pieces: Vec<f64> = weights
        .iter()
        .map(|weight| (total * f64::from(*weight) / f64::from(weight_sum)).floor())
        .collect();
    let used: f64 = pieces.iter().sum();
    if let Some(last) = pieces.last_mut() {
        *last += total - used;
    }
    pieces
}

/// A request whose parts tile `n_sheets` boards exactly, kerf and trim included: the usable
/// board plus one kerf (the inflated frame) is cut into a grid of columns and rows, and each
/// cell, less one kerf each way, is a part. Returns the request and `n_sheets`, the number of
/// boards the tiling fills, which no valid bound may exceed.
fn exact_tiling_request() -> impl Strategy<Value = (NestRequest, usize)> {
    (
        (1500..2800_u32, 950..2070_u32),
        0..9_u32,
        prop_oneof![Just(0_u32), 1..25_u32],
        prop::collection::vec(1..10_u32, 1..5),
        prop::collection::vec(1..10_u32, 1..5),
        1..4_usize,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                (width, height),
                kerf,
                trim,
                column_weights,
                row_weights,
                n_sheets,
                rotation,
                free,
            )| {
                let (width, height) = (f64::from(width), f64::from(height));
                let (kerf, trim) = (f64::from(kerf), f64::from(trim));
                let columns = split_exactly(width - 2.0 * trim + kerf, &column_weights);
                let rows = split_exactly(height - 2.0 * trim + kerf, &row_weights);
                let mut parts = Vec::new();
                for (column_index, column) in columns.iter().enumerate() {
                    for (row_index, row) in rows.iter().enumerate() {
                        parts.push(part(
                            &format!("c{column_index}r{row_index}"),
                            column - kerf,
                            row - kerf,
                            n_sheets as u32,
                        ));
                    }
                }
                let request = NestRequest {
                    stock: vec![StockSpec::sheet(width, height)],
                    kerf,
                    trim,
                    allow_rotation: rotation,
                    mode: if free {
                        NestMode::Free
                    } else {
                        NestMode::Guillotine
                    },
                    parts,
                    time_limit: Duration::from_secs(30),
                    seed: 7,
                };
                (request, n_sheets)
            },
        )
}

/// A request around half sheets: parts whose inflated width or height is half the inflated
/// board, exactly or one millimetre either side (two fit side by side only when not over),
/// with any length the other way.
fn half_sheet_request() -> impl Strategy<Value = NestRequest> {
    let half_part = (any::<bool>(), -1..2_i32, 0.05..1.0_f64, 1..4_u32);
    (
        0..9_u32,
        prop_oneof![Just(0_u32), 1..25_u32],
        prop::collection::vec(half_part, 1..7),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(kerf, trim, half_parts, rotation, free)| {
            let (kerf, trim) = (f64::from(kerf), f64::from(trim));
            let (width, height) = (2440.0, 1220.0);
            let inflated_width = width - 2.0 * trim + kerf;
            let inflated_height = height - 2.0 * trim + kerf;
            let parts = half_parts
                .into_iter()
                .enumerate()
                .map(|(index, (across_width, offset, share, quantity))| {
                    // Whole-millimetre boards with an odd inflated length have a half that
                    // ends in .5, which is as exact in binary as the bound needs.
                    let (half, other) = if across_width {
                        (inflated_width / 2.0, inflated_height)
                    } else {
                        (inflated_height / 2.0, inflated_width)
                    };
                    let half_length = half + f64::from(offset) - kerf;
                    let other_length = ((other - kerf) * share).round().max(1.0);
                    let (part_width, part_height) = if across_width {
                        (half_length, other_length)
                    } else {
                        (other_length, half_length)
                    };
                    part(&format!("h{index}"), part_width, part_height, quantity)
                })
                .collect();
            NestRequest {
                stock: vec![StockSpec::sheet(width, height)],
                kerf,
                trim,
                allow_rotation: rotation,
                mode: if free {
                    NestMode::Free
                } else {
                    NestMode::Guillotine
                },
                parts,
                time_limit: Duration::from_secs(30),
                seed: 11,
            }
        })
}

/// The bound must hold for every real layout of `request`: the parts of any one sheet need
/// one sheet, and a layout never beats the bound of its size.
fn check_bound_against_layout(request: &NestRequest) -> Result<(), TestCaseError> {
    let layout = nest_within(request, TEST_PROBES, TEST_MOVES).unwrap_or_else(|e| panic!("{e}"));
    for (items, width, height) in sheet_items(request, &layout) {
        prop_assert_eq!(bounds::sheet_lower_bound(&items, width, height), 1);
    }
    if request.stock.len() == 1 {
        let bound = sheets_lower_bound(request, 0).unwrap_or_else(|e| panic!("{e}"));
        prop_assert!(
            bound <= layout.sheets.len(),
            "bound {bound} > {}",
            layout.sheets.len()
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// On random requests, exact tilings and half-sheet parts alike. An exact tiling also
    /// checks the bound against the tiling itself, which exists whether or not the packers
    /// find it: this is where rounding a fit up instead of down would show.
    #[test]
    fn the_lower_bound_never_exceeds_a_real_layout(
        request in arbitrary_request(),
        (tiling, n_tiled_sheets) in exact_tiling_request(),
        half_sheets in half_sheet_request(),
    ) {
        check_bound_against_layout(&request)?;
        let tiling_bound = sheets_lower_bound(&tiling, 0).unwrap_or_else(|e| panic!("{e}"));
        prop_assert!(
            tiling_bound <= n_tiled_sheets,
            "bound {tiling_bound} > {n_tiled_sheets} tiled sheets"
        );
        check_bound_against_layout(&tiling)?;
        check_bound_against_layout(&half_sheets)?;
    }
}
