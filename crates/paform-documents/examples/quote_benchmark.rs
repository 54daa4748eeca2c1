//! Quote PDFs per second for a 20-line quote (issue 11's target: at least 50 per second).
//! `cargo run --release -p paform-documents --example quote_benchmark [SECONDS] [OUT_DIR]`;
//! with `OUT_DIR`, the sample quote, a long one and a labels sheet are written there to look at.

use std::time::{Duration, Instant};

use paform_documents::labels::{self, Label, LabelFormat};
use paform_documents::{Business, CommercialDocument, DocumentKind, DocumentLine, Party, render};

fn sample(n_lines: usize) -> CommercialDocument {
    let modules = [
        (
            "Base unit 600, two doors",
            "600 × 720 × 560",
            "Oak veneer, natural",
            "412.80",
        ),
        (
            "Drawer base 800",
            "800 × 720 × 560",
            "Matt lacquer, sage",
            "689.00",
        ),
        (
            "Wall unit 400",
            "400 × 700 × 320",
            "Oak veneer, natural",
            "236.45",
        ),
        (
            "Tall larder 600",
            "600 × 2100 × 580",
            "White melamine",
            "1245.10",
        ),
    ];
    CommercialDocument {
        kind: DocumentKind::Quote,
        reference: "0193a4f2-7c1e-7b2d-9a51-3f0c2e8d4b17".to_owned(),
        business: Business {
            name: "Northwood Kitchens".to_owned(),
            address: "Unit 4, Mill Lane Works\nLeeds LS1 4AB".to_owned(),
            phone: "+44 113 496 0000".to_owned(),
            email: "sales@northwood.example".to_owned(),
        },
        customer: Some(Party {
            name: "Ada Lovelace".to_owned(),
            email: Some("ada@example.com".to_owned()),
            phone: Some("+44 20 7946 0000".to_owned()),
            address: Some("12 St James's Square\nLondon SW1Y 4JH".to_owned()),
        }),
        facts: vec![
            ("Date".to_owned(), "2026-11-30".to_owned()),
            ("Valid until".to_owned(), "2026-12-30".to_owned()),
        ],
        currency: "GBP".to_owned(),
        lines: (0..n_lines)
            .map(|index| {
                let (name, dimensions, material, price) = modules[index % modules.len()];
                let quantity = (index % 3 + 1) as u32;
                let unit: f64 = price.parse().expect("a sample price");
                DocumentLine {
                    name: name.to_owned(),
                    dimensions: dimensions.to_owned(),
                    material: material.to_owned(),
                    quantity,
                    unit_price: price.to_owned(),
                    discount: None,
                    line_total: format!("{:.2}", unit * f64::from(quantity)),
                }
            })
            .collect(),
        subtotal: "14210.70".to_owned(),
        adjustments: vec![("Shipping".to_owned(), "95.00".to_owned())],
        tax_label: "Tax (20%)".to_owned(),
        tax: "2861.14".to_owned(),
        total: "17166.84".to_owned(),
        settlement: Vec::new(),
        picture: None,
        boards: Vec::new(),
        notes: vec![
            "This quote is valid until 2026-12-30. Prices are in GBP and include the tax shown."
                .to_owned(),
        ],
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: f64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(3.0);
    if let Some(out) = args.next() {
        let out = std::path::PathBuf::from(out);
        std::fs::write(out.join("quote.pdf"), render(&sample(20)).expect("renders"))
            .expect("writes");
        std::fs::write(
            out.join("quote-long.pdf"),
            render(&sample(70)).expect("renders"),
        )
        .expect("writes");
        let parts: Vec<Label> = (0..30)
            .map(|index| Label {
                order_number: "PF-000042".to_owned(),
                part_code: format!(
                    "PF-000042-{:02}-{}",
                    index / 7 + 1,
                    (b'A' + (index % 7) as u8) as char
                ),
                part_name: ["side", "top-bottom", "back", "shelf"][index % 4].to_owned(),
                module_name: "Base unit 600, two doors".to_owned(),
                size: "720 × 560 × 18".to_owned(),
                material: "Oak veneer, natural".to_owned(),
                edge_banding: "front edge".to_owned(),
                sheet: Some(index as u32 / 12 + 1),
            })
            .collect();
        std::fs::write(
            out.join("labels-a4.pdf"),
            labels::render(&parts, LabelFormat::A4ThreeByEight).expect("renders"),
        )
        .expect("writes");
        std::fs::write(
            out.join("labels-roll.pdf"),
            labels::render(&parts[..2], LabelFormat::Roll62mm).expect("renders"),
        )
        .expect("writes");
    }
    let document = sample(20);
    let budget = Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let mut n_documents = 0_u32;
    let mut n_bytes = 0;
    while started.elapsed() < budget {
        n_bytes = render(&document).expect("the sample renders").len();
        n_documents += 1;
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{n_documents} quote PDFs of 20 lines in {elapsed:.2} s: {:.1} documents/s ({n_bytes} bytes each)",
        f64::from(n_documents) / elapsed
    );
}
