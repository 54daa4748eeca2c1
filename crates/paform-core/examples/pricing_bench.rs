//! Prices a 200-line quote in-process, many times, and prints the time per quote.
//! Run with `make bench-pricing` (`cargo run --release -p paform-core --example pricing_bench`).

use std::hint::black_box;
use std::time::Instant;

use paform_core::catalog::{Dimensions, MaterialSpec, ModuleSpec};
use paform_core::money::{Money, Rate};
use paform_core::pricing::{TaxRate, price_line, totals};
use paform_core::units::{Millimetres, Quantity};

fn main() {
    let mm = |value: f64| Millimetres::from_f64(value).expect("valid length");
    let lines: Vec<(ModuleSpec, MaterialSpec, Quantity)> = (0..200)
        .map(|i| {
            let module = ModuleSpec {
                dimensions: Dimensions {
                    width: mm(300.0 + f64::from(i % 8) * 100.0),
                    height: mm(720.0 + f64::from(i % 3) * 0.5),
                    depth: mm(560.0),
                },
                base_price: Money::parse("129.99").expect("valid price"),
                shelves: i % 4,
            };
            let thickness = if i % 2 == 0 { Some(mm(18.0)) } else { None };
            let material = MaterialSpec {
                cost_per_sq_ft: Rate::parse("4.123456").expect("valid rate"),
                thickness,
            };
            (
                module,
                material,
                Quantity::parse(i64::from(1 + i % 5)).expect("valid quantity"),
            )
        })
        .collect();
    let tax_rate = TaxRate::parse("0.0825").expect("valid tax rate");
    let price_all = || {
        let priced: Vec<_> = lines
            .iter()
            .map(|(module, material, quantity)| {
                price_line(module, material, *quantity).expect("prices")
            })
            .collect();
        totals(&priced, tax_rate)
    };
    for _ in 0..1_000 {
        black_box(price_all());
    }
    let mut samples = Vec::with_capacity(20_000);
    for _ in 0..20_000 {
        let started = Instant::now();
        black_box(price_all());
        samples.push(started.elapsed());
    }
    samples.sort();
    let mean = samples.iter().sum::<std::time::Duration>() / samples.len() as u32;
    let p99 = samples[samples.len() * 99 / 100];
    println!(
        "pricing a 200-line quote in-process: mean {mean:?}, median {:?}, p99 {p99:?}",
        samples[samples.len() / 2]
    );
}
