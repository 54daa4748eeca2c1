//! Benchmark for `paform_core::cnc::nesting::nest` against the classic greedy baselines on
//! the standard 2D bin-packing instance classes and on realistic cabinet cut lists.
//!
//! Run with `cargo run --release -p paform-core --example nest_bench [instances-per-cell]
//! [time-limit-seconds] [--groups 3,5,8,10,cabinets] [--sizes 20,100] [--instances 0,7]
//! [--modes G,F] [--no-timings] [--each]` (defaults 5 and 2, every group, size, instance
//! and mode, with timings; `--instances` takes indices within each group).
//! The instances are generated for every group and size in any case, so a subset run sees
//! exactly the instances of a full run; `--each` prints one line per instance.
//!
//! Instances: Berkey–Wang classes 1–6 and Martello–Vigo classes 7–10 (as described by
//! Martello & Vigo 1998 and Lodi, Martello & Vigo 1999), n = 20, 40, 60, 80, 100, generated
//! from a fixed seed with their published integer size distributions:
//! class 1 w,h ∈ U[1,10] on a 10×10 bin; 2: U[1,10] on 30×30; 3: U[1,35] on 40×40;
//! 4: U[1,35] on 100×100; 5: U[1,100] on 100×100; 6: U[1,100] on 300×300;
//! classes 7–10 on 100×100 mix four item types (1: w ∈ U[67,100], h ∈ U[1,50];
//! 2: w ∈ U[1,50], h ∈ U[67,100]; 3: w ∈ U[50,100], h ∈ U[50,100]; 4: w,h ∈ U[1,50]),
//! class 7 being 70 % type 1 and 10 % of each other type, class 8 70 % type 2, class 9
//! 70 % type 3, class 10 70 % type 4.
//! Mapping onto the 2440 × 1220 mm sheet: an item w×h on a W×H bin becomes
//! (w·2440/W) × (h·1220/H) mm, so every item keeps its share of the bin in each axis;
//! rotation is allowed (the 2BP|R|F variant) and the kerf is 4 mm, which the generated
//! sizes do not account for (a full-width item still fits; two half-width items no longer do).
//!
//! Baselines (implemented here, independently of the library): MaxRects BSSF/BAF/BL,
//! Skyline BL/MinWaste and Guillotine BAF with the six split rules, each with the sort orders
//! area, longer side and perimeter (descending), packed first-fit over open sheets. Kerf is
//! modelled by inflating every part and the sheet by one kerf. The table reports, per class,
//! the mean of sheets ÷ ⌈total part area ÷ sheet area⌉, the mean of sheets ÷ the library's
//! stronger lower bound (`sheets_lower_bound`) and the total sheets.

use std::time::{Duration, Instant};

use paform_core::cnc::nesting::{
    Grain, NestMode, NestRequest, PartSpec, StockSpec, nest, nest_with_budget, sheets_lower_bound,
};

const SHEET_W: f64 = 2440.0;
const SHEET_H: f64 = 1220.0;
const KERF: f64 = 4.0;
const SEED: u64 = 20_240_611;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform integer in `low..=high`.
    fn int(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }
}

fn class_instance(class: u32, n: usize, rng: &mut Rng) -> Vec<PartSpec> {
    let (bin, sizes): (u64, Vec<(u64, u64)>) = match class {
        1..=6 => {
            let (bin, max) = [
                (10, 10),
                (30, 10),
                (40, 35),
                (100, 35),
                (100, 100),
                (300, 100),
            ][class as usize - 1];
            (
                bin,
                (0..n).map(|_| (rng.int(1, max), rng.int(1, max))).collect(),
            )
        }
        _ => {
            let main_type = class - 6;
            let sizes = (0..n)
                .map(|_| {
                    let roll = rng.int(1, 10);
                    let item_type = if roll <= 7 {
                        main_type
                    } else {
                        // The three other types, 10 % each.
                        let others: Vec<u32> = (1..=4).filter(|t| *t != main_type).collect();
                        others[(roll - 8) as usize]
                    };
                    match item_type {
                        1 => (rng.int(67, 100), rng.int(1, 50)),
                        2 => (rng.int(1, 50), rng.int(67, 100)),
                        3 => (rng.int(50, 100), rng.int(50, 100)),
                        _ => (rng.int(1, 50), rng.int(1, 50)),
                    }
                })
                .collect();
            (100, sizes)
        }
    };
    sizes
        .into_iter()
        .enumerate()
        .map(|(index, (w, h))| PartSpec {
            id: format!("c{class}-{index}"),
            width: w as f64 * SHEET_W / bin as f64,
            height: h as f64 * SHEET_H / bin as f64,
            quantity: 1,
            grain: Grain::None,
        })
        .collect()
}

/// A kitchen-style cut list: `n_modules` carcasses of mixed widths with doors (grain along
/// their length), shelves and backs in one 18 mm board.
fn cabinet_list(n_modules: usize, rng: &mut Rng) -> Vec<PartSpec> {
    let widths = [300.0, 400.0, 450.0, 500.0, 600.0, 800.0, 900.0];
    let mut parts = Vec::new();
    for module in 0..n_modules {
        let width = widths[rng.int(0, widths.len() as u64 - 1) as usize];
        let (height, depth) = match rng.int(0, 5) {
            0..=2 => (720.0, 560.0),
            3..=4 => (720.0, 320.0),
            _ => (2100.0, 560.0),
        };
        let inner = width - 36.0;
        let mut add = |name: &str, w: f64, h: f64, quantity: u32, grain: Grain| {
            parts.push(PartSpec {
                id: format!("m{module}-{name}"),
                width: w,
                height: h,
                quantity,
                grain,
            });
        };
        add("side", height, depth, 2, Grain::Length);
        add("bottom", inner, depth, 1, Grain::None);
        add("top", inner, depth, 1, Grain::None);
        add(
            "shelf",
            inner - 2.0,
            depth - 20.0,
            if height > 1000.0 { 4 } else { 1 },
            Grain::None,
        );
        add("back", width - 4.0, height - 4.0, 1, Grain::None);
        if width >= 800.0 {
            add("door", height - 4.0, width / 2.0 - 4.0, 2, Grain::Length);
        } else {
            add("door", height - 4.0, width - 4.0, 1, Grain::Length);
        }
    }
    parts
}

// ---------------------------------------------------------------------------------------
// Baselines.

#[derive(Clone, Copy)]
struct R {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Base {
    MaxRects(u8),   // 0 BSSF, 1 BAF, 2 BL
    Skyline(u8),    // 0 BL, 1 MinWaste
    Guillotine(u8), // BAF with split rule 0..6
}

enum BinState {
    Free(Vec<R>),
    Sky(Vec<(f64, f64, f64)>),
}

struct Cand {
    r: R,
    score: (f64, f64),
    slot: usize,
}

fn better(score: (f64, f64), best: &Option<Cand>) -> bool {
    best.as_ref()
        .is_none_or(|b| score.0 < b.score.0 || (score.0 == b.score.0 && score.1 < b.score.1))
}

fn find(
    base: Base,
    state: &BinState,
    w0: f64,
    h0: f64,
    rot: bool,
    bw: f64,
    bh: f64,
) -> Option<Cand> {
    let mut best: Option<Cand> = None;
    let orients: Vec<(f64, f64)> = if rot && w0 != h0 {
        vec![(w0, h0), (h0, w0)]
    } else {
        vec![(w0, h0)]
    };
    match state {
        BinState::Free(free) => {
            for (slot, f) in free.iter().enumerate() {
                for &(w, h) in &orients {
                    if w > f.w || h > f.h {
                        continue;
                    }
                    let (lw, lh) = (f.w - w, f.h - h);
                    let score = match base {
                        Base::MaxRects(0) => (lw.min(lh), lw.max(lh)),
                        Base::MaxRects(1) => (f.w * f.h - w * h, lw.min(lh)),
                        Base::MaxRects(_) => (f.y + h, f.x),
                        _ => (f.w * f.h - w * h, 0.0),
                    };
                    if better(score, &best) {
                        best = Some(Cand {
                            r: R {
                                x: f.x,
                                y: f.y,
                                w,
                                h,
                            },
                            score,
                            slot,
                        });
                    }
                }
            }
        }
        BinState::Sky(nodes) => {
            for slot in 0..nodes.len() {
                for &(w, h) in &orients {
                    let x = nodes[slot].0;
                    if x + w > bw {
                        continue;
                    }
                    let mut y: f64 = 0.0;
                    let mut j = slot;
                    while j < nodes.len() && nodes[j].0 < x + w {
                        y = y.max(nodes[j].1);
                        j += 1;
                    }
                    if y + h > bh {
                        continue;
                    }
                    let waste: f64 = nodes[slot..j]
                        .iter()
                        .map(|n| ((n.0 + n.2).min(x + w) - n.0) * (y - n.1))
                        .sum();
                    let score = if base == Base::Skyline(0) {
                        (y + h, nodes[slot].2)
                    } else {
                        (waste, y + h)
                    };
                    if better(score, &best) {
                        best = Some(Cand {
                            r: R { x, y, w, h },
                            score,
                            slot,
                        });
                    }
                }
            }
        }
    }
    best
}

fn place(base: Base, state: &mut BinState, c: &Cand) {
    let u = c.r;
    match (base, state) {
        (Base::Guillotine(rule), BinState::Free(free)) => {
            let f = free.remove(c.slot);
            let (lw, lh) = (f.w - u.w, f.h - u.h);
            let horizontal = match rule {
                0 => lw <= lh,
                1 => lw > lh,
                2 => u.w * lh > lw * u.h,
                3 => u.w * lh <= lw * u.h,
                4 => f.w <= f.h,
                _ => f.w > f.h,
            };
            let (aw, rh) = if horizontal { (f.w, u.h) } else { (u.w, f.h) };
            for p in [
                R {
                    x: f.x,
                    y: u.y + u.h,
                    w: aw,
                    h: lh,
                },
                R {
                    x: u.x + u.w,
                    y: f.y,
                    w: lw,
                    h: rh,
                },
            ] {
                if p.w > 0.0 && p.h > 0.0 {
                    free.push(p);
                }
            }
        }
        (_, BinState::Free(free)) => {
            let mut pieces = Vec::new();
            free.retain(|f| {
                let hit = u.x < f.x + f.w && f.x < u.x + u.w && u.y < f.y + f.h && f.y < u.y + u.h;
                if !hit {
                    return true;
                }
                if u.x > f.x {
                    pieces.push(R { w: u.x - f.x, ..*f });
                }
                if u.x + u.w < f.x + f.w {
                    pieces.push(R {
                        x: u.x + u.w,
                        w: f.x + f.w - u.x - u.w,
                        ..*f
                    });
                }
                if u.y > f.y {
                    pieces.push(R { h: u.y - f.y, ..*f });
                }
                if u.y + u.h < f.y + f.h {
                    pieces.push(R {
                        y: u.y + u.h,
                        h: f.y + f.h - u.y - u.h,
                        ..*f
                    });
                }
                false
            });
            let inside = |a: &R, b: &R| {
                a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h
            };
            let mut kept = Vec::new();
            for (i, p) in pieces.iter().enumerate() {
                let dup = pieces
                    .iter()
                    .enumerate()
                    .any(|(j, o)| j != i && inside(p, o) && (!inside(o, p) || j < i));
                if !dup && !free.iter().any(|o| inside(p, o)) {
                    kept.push(*p);
                }
            }
            free.extend(kept);
        }
        (_, BinState::Sky(nodes)) => {
            let right = u.x + u.w;
            let mut rebuilt = nodes[..c.slot].to_vec();
            rebuilt.push((u.x, u.y + u.h, u.w));
            for n in &nodes[c.slot..] {
                let nr = n.0 + n.2;
                if nr <= right {
                    continue;
                }
                rebuilt.push(if n.0 < right {
                    (right, n.1, nr - right)
                } else {
                    *n
                });
            }
            let mut merged: Vec<(f64, f64, f64)> = Vec::new();
            for n in rebuilt {
                match merged.last_mut() {
                    Some(last) if last.1 == n.1 => last.2 = n.0 + n.2 - last.0,
                    _ => merged.push(n),
                }
            }
            *nodes = merged;
        }
    }
}

/// Sheets used by one baseline with one sort order (0 area, 1 longer side, 2 perimeter).
fn baseline(base: Base, sort: u8, parts: &[PartSpec]) -> usize {
    let (bw, bh) = (SHEET_W + KERF, SHEET_H + KERF);
    let mut items: Vec<(f64, f64, bool)> = parts
        .iter()
        .flat_map(|p| {
            std::iter::repeat_n(
                (p.width + KERF, p.height + KERF, p.grain == Grain::None),
                p.quantity as usize,
            )
        })
        .collect();
    let key = |i: &(f64, f64, bool)| match sort {
        0 => i.0 * i.1,
        1 => i.0.max(i.1),
        _ => i.0 + i.1,
    };
    items.sort_by(|a, b| key(b).total_cmp(&key(a)));
    let new_bin = || match base {
        Base::Skyline(_) => BinState::Sky(vec![(0.0, 0.0, bw)]),
        _ => BinState::Free(vec![R {
            x: 0.0,
            y: 0.0,
            w: bw,
            h: bh,
        }]),
    };
    let mut bins: Vec<(BinState, f64)> = Vec::new();
    for (w, h, rot) in items {
        let mut done = false;
        for (bin, used) in bins.iter_mut() {
            if bw * bh - *used < w * h {
                continue;
            }
            if let Some(c) = find(base, bin, w, h, rot, bw, bh) {
                place(base, bin, &c);
                *used += w * h;
                done = true;
                break;
            }
        }
        if !done {
            let mut bin = new_bin();
            let Some(c) = find(base, &bin, w, h, rot, bw, bh) else {
                panic!("part {w}×{h} fits no empty sheet");
            };
            place(base, &mut bin, &c);
            bins.push((bin, w * h));
        }
    }
    bins.len()
}

fn all_baselines() -> Vec<Base> {
    let mut all = vec![
        Base::MaxRects(0),
        Base::MaxRects(1),
        Base::MaxRects(2),
        Base::Skyline(0),
        Base::Skyline(1),
    ];
    all.extend((0..6).map(Base::Guillotine));
    all
}

/// Best sheet count over the baselines; `guillotine_only` keeps only guillotine packers.
fn best_baseline(parts: &[PartSpec], guillotine_only: bool) -> usize {
    all_baselines()
        .into_iter()
        .filter(|b| !guillotine_only || matches!(b, Base::Guillotine(_)))
        .flat_map(|b| (0..3).map(move |s| (b, s)))
        .map(|(b, s)| baseline(b, s, parts))
        .min()
        .unwrap_or(usize::MAX)
}

fn area_bound(parts: &[PartSpec]) -> usize {
    let area: f64 = parts
        .iter()
        .map(|p| p.width * p.height * f64::from(p.quantity))
        .sum();
    ((area / (SHEET_W * SHEET_H)) - 1e-9).ceil().max(1.0) as usize
}

/// The library's lower bound (large parts, L2 per axis, kerf included): what the search
/// stops at.
fn strong_bound(parts: &[PartSpec]) -> usize {
    let request = NestRequest {
        stock: vec![StockSpec::sheet(SHEET_W, SHEET_H)],
        kerf: KERF,
        parts: parts.to_vec(),
        ..NestRequest::default()
    };
    sheets_lower_bound(&request, 0).unwrap_or_else(|error| panic!("bound failed: {error}"))
}

fn request(parts: &[PartSpec], mode: NestMode, time_limit: Duration) -> NestRequest {
    NestRequest {
        stock: vec![StockSpec::sheet(SHEET_W, SHEET_H)],
        kerf: KERF,
        mode,
        parts: parts.to_vec(),
        time_limit,
        seed: SEED,
        ..NestRequest::default()
    }
}

/// Sheets with the work budget of a `budget` time limit and a deadline far away, so the
/// figures do not depend on how busy the machine is.
fn sheets_within_budget(parts: &[PartSpec], mode: NestMode, budget: Duration) -> usize {
    let request = request(parts, mode, Duration::from_secs(600));
    match nest_with_budget(&request, budget) {
        Ok(layout) => layout.sheets.len(),
        Err(error) => panic!("nest failed: {error}"),
    }
}

/// Sheets and wall time of a real `nest` call with its time limit.
fn run(parts: &[PartSpec], mode: NestMode, time_limit: Duration) -> (usize, Duration) {
    let request = request(parts, mode, time_limit);
    let started = Instant::now();
    let layout = match nest(&request) {
        Ok(layout) => layout,
        Err(error) => panic!("nest failed: {error}"),
    };
    (layout.sheets.len(), started.elapsed())
}

#[derive(Default)]
struct Row {
    n: usize,
    ratio: [f64; 4],
    strong_ratio: [f64; 2],
    sheets: [usize; 4],
    bound: usize,
    strong: usize,
    worse: [usize; 2],
    seconds: f64,
}

/// One benchmark instance: its size (parts, or modules for cabinets) and its parts.
type Instance = (usize, Vec<PartSpec>);

/// The command line: two positional numbers, then optional filters.
struct Options {
    per_cell: usize,
    limit: Duration,
    groups: Option<Vec<String>>,
    sizes: Option<Vec<usize>>,
    instances: Option<Vec<usize>>,
    guillotine: bool,
    free: bool,
    timings: bool,
    each: bool,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let positional: Vec<&String> = args
        .iter()
        .take_while(|arg| !arg.starts_with("--"))
        .collect();
    let value_of = |flag: &str| {
        args.iter()
            .position(|arg| arg == flag)
            .and_then(|index| args.get(index + 1))
            .map(|value| value.split(',').map(str::to_owned).collect::<Vec<_>>())
    };
    let modes = value_of("--modes").unwrap_or_else(|| vec!["G".to_owned(), "F".to_owned()]);
    Options {
        per_cell: positional.first().and_then(|a| a.parse().ok()).unwrap_or(5),
        limit: Duration::from_secs_f64(
            positional
                .get(1)
                .and_then(|a| a.parse().ok())
                .unwrap_or(2.0),
        ),
        groups: value_of("--groups").map(|groups| {
            groups
                .into_iter()
                .map(|group| match group.parse::<u32>() {
                    Ok(class) => format!("class {class}"),
                    Err(_) => group,
                })
                .collect()
        }),
        sizes: value_of("--sizes")
            .map(|sizes| sizes.iter().filter_map(|size| size.parse().ok()).collect()),
        instances: value_of("--instances").map(|indices| {
            indices
                .iter()
                .filter_map(|index| index.parse().ok())
                .collect()
        }),
        guillotine: modes.iter().any(|mode| mode == "G"),
        free: modes.iter().any(|mode| mode == "F"),
        timings: !args.iter().any(|arg| arg == "--no-timings"),
        each: args.iter().any(|arg| arg == "--each"),
    }
}

fn main() {
    let options = options();
    let per_cell = options.per_cell;
    let limit = options.limit;
    let mut rng = Rng(SEED);
    let mut groups: Vec<(String, Vec<Instance>)> = Vec::new();
    for class in 1..=10 {
        let mut instances = Vec::new();
        for n in [20, 40, 60, 80, 100] {
            for _ in 0..per_cell {
                instances.push((n, class_instance(class, n, &mut rng)));
            }
        }
        groups.push((format!("class {class}"), instances));
    }
    let cabinets = [8, 16, 32]
        .iter()
        .map(|&m| (m, cabinet_list(m, &mut rng)))
        .collect();
    groups.push(("cabinets".to_owned(), cabinets));

    println!(
        "{} instances per (class, n); kerf {KERF} mm; sheet {SHEET_W}×{SHEET_H}; work budget of a {:?} time limit",
        per_cell, limit
    );
    println!(
        "ratio = mean(sheets ÷ ⌈part area ÷ sheet area⌉); G = guillotine, F = free; base = best greedy baseline"
    );
    println!(
        "G/LB2, F/LB2 = mean(sheets ÷ the library's lower bound: large parts, L2 per axis, kerf); LB2 = its total"
    );
    println!(
        "{:<10} {:>4} | {:>7} {:>7} {:>7} {:>7} | {:>7} {:>7} | {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} | {:>6} {:>6} | {:>6}",
        "group",
        "inst",
        "G ours",
        "G base",
        "F ours",
        "F base",
        "G/LB2",
        "F/LB2",
        "LB",
        "LB2",
        "G ours",
        "G base",
        "F ours",
        "F base",
        "G wrs",
        "F wrs",
        "s/inst"
    );
    let mut total = Row::default();
    for (name, instances) in &groups {
        if options
            .groups
            .as_ref()
            .is_some_and(|wanted| !wanted.contains(name))
        {
            continue;
        }
        let instances: Vec<(usize, &Instance)> = instances
            .iter()
            .enumerate()
            .filter(|(instance_index, (size, _))| {
                (name == "cabinets"
                    || options
                        .sizes
                        .as_ref()
                        .is_none_or(|wanted| wanted.contains(size)))
                    && options
                        .instances
                        .as_ref()
                        .is_none_or(|wanted| wanted.contains(instance_index))
            })
            .collect();
        let mut row = Row {
            n: instances.len(),
            ..Row::default()
        };
        let started = Instant::now();
        for (instance_index, (size, parts)) in instances.iter().copied() {
            let instance_started = Instant::now();
            let bound = area_bound(parts);
            let strong = strong_bound(parts);
            // A mode left out counts as reaching the bound, so its columns read 1.0.
            let ours_g = if options.guillotine {
                sheets_within_budget(parts, NestMode::Guillotine, limit)
            } else {
                strong
            };
            let ours_f = if options.free {
                sheets_within_budget(parts, NestMode::Free, limit)
            } else {
                strong
            };
            if options.each {
                println!(
                    "  {name} n={size} #{instance_index}: LB2 {strong} G {ours_g} F {ours_f} ({:.2} s)",
                    instance_started.elapsed().as_secs_f64()
                );
            }
            row.strong_ratio[0] += ours_g as f64 / strong as f64;
            row.strong_ratio[1] += ours_f as f64 / strong as f64;
            row.strong += strong;
            let base_g = best_baseline(parts, true);
            let base_f = best_baseline(parts, false);
            for (slot, sheets) in [ours_g, base_g, ours_f, base_f].into_iter().enumerate() {
                row.ratio[slot] += sheets as f64 / bound as f64;
                row.sheets[slot] += sheets;
            }
            row.bound += bound;
            row.worse[0] += usize::from(ours_g > base_g);
            row.worse[1] += usize::from(ours_f > base_f);
        }
        row.seconds = started.elapsed().as_secs_f64() / row.n as f64;
        let ratio = |slot: usize| row.ratio[slot] / row.n as f64;
        println!(
            "{:<10} {:>4} | {:>7.4} {:>7.4} {:>7.4} {:>7.4} | {:>7.4} {:>7.4} | {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} | {:>6} {:>6} | {:>6.3}",
            name,
            row.n,
            ratio(0),
            ratio(1),
            ratio(2),
            ratio(3),
            row.strong_ratio[0] / row.n as f64,
            row.strong_ratio[1] / row.n as f64,
            row.bound,
            row.strong,
            row.sheets[0],
            row.sheets[1],
            row.sheets[2],
            row.sheets[3],
            row.worse[0],
            row.worse[1],
            row.seconds
        );
        total.n += row.n;
        total.bound += row.bound;
        total.strong += row.strong;
        total.strong_ratio[0] += row.strong_ratio[0];
        total.strong_ratio[1] += row.strong_ratio[1];
        for slot in 0..4 {
            total.ratio[slot] += row.ratio[slot];
            total.sheets[slot] += row.sheets[slot];
        }
        total.worse[0] += row.worse[0];
        total.worse[1] += row.worse[1];
    }
    let ratio = |slot: usize| total.ratio[slot] / total.n as f64;
    println!(
        "{:<10} {:>4} | {:>7.4} {:>7.4} {:>7.4} {:>7.4} | {:>7.4} {:>7.4} | {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} | {:>6} {:>6} |",
        "all",
        total.n,
        ratio(0),
        ratio(1),
        ratio(2),
        ratio(3),
        total.strong_ratio[0] / total.n as f64,
        total.strong_ratio[1] / total.n as f64,
        total.bound,
        total.strong,
        total.sheets[0],
        total.sheets[1],
        total.sheets[2],
        total.sheets[3],
        total.worse[0],
        total.worse[1]
    );
    println!(
        "(G wrs / F wrs = instances where ours used more sheets than the best baseline of that mode)"
    );

    if !options.timings {
        return;
    }
    println!();
    println!("timings with a {limit:?} time limit:");
    let timing_cases: Vec<(String, Vec<PartSpec>)> = vec![
        (
            "class 5, 100 parts".to_owned(),
            class_instance(5, 100, &mut rng),
        ),
        (
            "class 10, 100 parts".to_owned(),
            class_instance(10, 100, &mut rng),
        ),
        (
            "cabinets, ~100 parts".to_owned(),
            cabinet_list(12, &mut rng),
        ),
        (
            "class 5, 2000 parts".to_owned(),
            class_instance(5, 2000, &mut rng),
        ),
        (
            "class 10, 2000 parts".to_owned(),
            class_instance(10, 2000, &mut rng),
        ),
        (
            "cabinets, ~2000 parts".to_owned(),
            cabinet_list(230, &mut rng),
        ),
    ];
    for (name, parts) in timing_cases {
        let count: u32 = parts.iter().map(|p| p.quantity).sum();
        let (g, g_time) = run(&parts, NestMode::Guillotine, limit);
        let (f, f_time) = run(&parts, NestMode::Free, limit);
        let base = best_baseline(&parts, false);
        let base_g = best_baseline(&parts, true);
        println!(
            "{name:<22} n={count:>5} LB={:>4} | G {g:>4} sheets {:>6.3} s (base {base_g}) | F {f:>4} sheets {:>6.3} s (base {base})",
            area_bound(&parts),
            g_time.as_secs_f64(),
            f_time.as_secs_f64()
        );
    }
}
