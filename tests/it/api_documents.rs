//! Documents (SPEC §11, §12): the quote and order PDFs carry their lines and totals as real
//! text, run onto more pages when long, and each CNC export has a labels PDF whose QR codes
//! decode, label by label, to the part codes (offcut labels: `api_floor`).

use std::process::Command;

use paform_documents::labels::{LabelFormat, label_box, page_size};
use serde_json::{Value, json};

use crate::api_designs::tiny_png;
use crate::support::{TestApp, spawn_app};

/// The text of every page, in page order, and the number of pages.
pub(crate) fn pdf_text(bytes: &[u8]) -> (String, usize) {
    let document = lopdf::Document::load_mem(bytes).expect("the PDF parses");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let text = document
        .extract_text(&pages)
        .expect("the PDF's text extracts");
    (text, pages.len())
}

pub(crate) fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn business(app: &TestApp) {
    let mut settings = app.get("/api/settings").await.body;
    settings["business"] = json!({"name": "Northwood Kitchens", "address": "1 Mill Lane\nLeeds LS1 4AB",
        "phone": "+44 113 496 0000", "email": "sales@northwood.example"});
    settings["tax_rate"] = json!("0.2");
    settings["currency"] = json!("GBP");
    let reply = app.put("/api/settings", &settings).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
}

async fn kitchen_quote(app: &TestApp, n_lines: usize) -> (Value, String) {
    let oak = app.material("Oak veneer", "4.50", Some(18.0)).await;
    let base = app
        .module("Base 600", [600.0, 720.0, 560.0], "1200.00", &oak)
        .await;
    let wall = app
        .module("Wall 400", [400.0, 700.0, 320.0], "80.00", &oak)
        .await;
    let customer = app
        .post(
            "/api/customers",
            &json!({"name": "Ada Lovelace", "email": "ada@example.com", "address": "12 St James's Square\nLondon"}),
        )
        .await;
    let customer_id = customer.body["id"].as_str().unwrap().to_owned();
    let items: Vec<Value> = (0..n_lines)
        .map(|index| {
            let module = if index % 2 == 0 { &base } else { &wall };
            json!({"module_id": module, "quantity": index % 3 + 1})
        })
        .collect();
    let design = app
        .post(
            "/api/designs",
            &json!({"name": "Kitchen", "customer_id": customer_id, "items": items}),
        )
        .await;
    assert_eq!(design.status, 201, "{}", design.body);
    let design_id = design.body["id"].as_str().unwrap().to_owned();
    let snapshot = app
        .put_raw(
            &format!("/api/designs/{design_id}/snapshot"),
            "image/png",
            tiny_png(),
        )
        .await;
    assert_eq!(snapshot.status, 204);
    let quote = app
        .post(&format!("/api/designs/{design_id}/quote"), &json!({}))
        .await;
    assert_eq!(quote.status, 201, "{}", quote.body);
    (quote.body, customer_id)
}

#[tokio::test]
async fn the_quote_pdf_carries_business_customer_lines_and_totals_as_text() {
    let app = spawn_app().await;
    business(&app).await;
    let (quote, _) = kitchen_quote(&app, 2).await;
    let id = quote["id"].as_str().unwrap();
    let (status, content_type, bytes) = app
        .get_bytes(&format!("/api/quotes/{id}/document.pdf"))
        .await;
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"));
    let (text, n_pages) = pdf_text(&bytes);
    let text = squash(&text);
    assert_eq!(n_pages, 1);
    for expected in [
        "Northwood Kitchens",
        "Leeds LS1 4AB",
        "sales@northwood.example",
        "Ada Lovelace",
        "12 St James's Square",
        // SPEC §17: a number a person can read over the phone, not the id.
        "Quote no. Q-000001",
        "Valid until",
        "Base 600",
        "600 × 720 × 560",
        "Wall 400",
        "400 × 700 × 320",
        "Oak veneer",
        "Tax (20%)",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} is missing from {text}"
        );
    }
    assert!(!text.contains(id), "the quote's id is on the page: {text}");
    for line in quote["lines"].as_array().unwrap() {
        for field in ["unit_price", "line_total"] {
            let amount = grouped(line[field].as_str().unwrap());
            assert!(text.contains(&amount), "{amount} is missing from {text}");
        }
    }
    for field in ["subtotal", "tax", "total"] {
        let amount = grouped(quote[field].as_str().unwrap());
        assert!(
            text.contains(&amount),
            "{field} {amount} is missing from {text}"
        );
    }
    app.get_bytes("/api/quotes/nope/document.pdf").await;
    app.get("/api/quotes/nope/document.pdf")
        .await
        .assert_problem(404, None);
}

#[tokio::test]
async fn a_long_quote_runs_onto_more_pages_with_every_line() {
    let app = spawn_app().await;
    let (quote, _) = kitchen_quote(&app, 60).await;
    let id = quote["id"].as_str().unwrap();
    let (_, _, bytes) = app
        .get_bytes(&format!("/api/quotes/{id}/document.pdf"))
        .await;
    let (text, n_pages) = pdf_text(&bytes);
    assert!(n_pages >= 2, "60 lines fit on {n_pages} page(s)");
    let text = squash(&text);
    assert_eq!(text.matches("Base 600").count(), 30);
    assert_eq!(text.matches("Wall 400").count(), 30);
    assert!(text.contains(&format!("Page {n_pages} of {n_pages}")));
    assert!(text.contains(&grouped(quote["total"].as_str().unwrap())));
}

#[tokio::test]
async fn the_order_pdf_names_its_number_buyer_and_balance() {
    let app = spawn_app().await;
    business(&app).await;
    let (quote, _) = kitchen_quote(&app, 3).await;
    let id = quote["id"].as_str().unwrap();
    let order = app
        .post(
            &format!("/api/quotes/{id}/accept"),
            &json!({"actor": "Sam"}),
        )
        .await;
    assert_eq!(order.status, 201, "{}", order.body);
    let order_id = order.body["id"].as_str().unwrap();
    let (status, content_type, bytes) = app
        .get_bytes(&format!("/api/orders/{order_id}/document.pdf"))
        .await;
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"));
    let text = squash(&pdf_text(&bytes).0);
    let number = order.body["number"].as_str().unwrap();
    for expected in [
        number,
        "Order confirmation",
        "Ada Lovelace",
        "ada@example.com",
        "Shipping",
        "Balance due",
        "Base 600",
        "Wall 400",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} is missing from {text}"
        );
    }
    assert!(text.contains(&grouped(order.body["total"].as_str().unwrap())));
    app.get("/api/orders/nope/document.pdf")
        .await
        .assert_problem(404, None);
}

/// `1234.50` → `1,234.50`, as documents print amounts.
fn grouped(amount: &str) -> String {
    let (whole, fraction) = amount.split_once('.').unwrap_or((amount, ""));
    let mut out = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    format!("{out}.{fraction}")
}

/// Renders page `page` (0-based) of `pdf` as a greyscale image at `dpi`.
pub(crate) fn render_page(pdf: &[u8], page: usize, dpi: u32) -> (usize, usize, Vec<u8>) {
    let folder = tempfile::tempdir().expect("a temporary directory");
    let input = folder.path().join("labels.pdf");
    std::fs::write(&input, pdf).expect("the PDF is written");
    let output = folder.path().join("page");
    let status = Command::new("pdftoppm")
        .args(["-gray", "-r", &dpi.to_string(), "-singlefile"])
        .args(["-f", &(page + 1).to_string(), "-l", &(page + 1).to_string()])
        .arg(&input)
        .arg(&output)
        .status()
        .expect("pdftoppm (poppler-utils) runs");
    assert!(status.success());
    let pgm = std::fs::read(folder.path().join("page.pgm")).expect("pdftoppm wrote a PGM");
    // Binary PGM: "P5\n<width> <height>\n<max>\n" then one byte per pixel.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..at]).into_owned());
    }
    let width: usize = fields[1].parse().unwrap();
    let height: usize = fields[2].parse().unwrap();
    (width, height, pgm[at + 1..].to_vec())
}

/// Decodes the QR code inside one label's box of a rendered page.
pub(crate) fn decode_label(
    page: &(usize, usize, Vec<u8>),
    format: LabelFormat,
    index: usize,
) -> Vec<String> {
    let (width, height, pixels) = page;
    let place = label_box(format, index);
    let (page_width, _) = page_size(format);
    let scale = *width as f32 / page_width;
    let x0 = (place.x * scale) as usize;
    let y0 = (place.y * scale) as usize;
    let w = ((place.width * scale) as usize).min(width - x0);
    let h = ((place.height * scale) as usize).min(height - y0);
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[(y0 + y) * width + x0 + x]);
    image
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, content)| content))
        .collect()
}

#[tokio::test]
async fn each_export_has_a_labels_pdf_with_one_decodable_qr_code_per_physical_part() {
    let app = spawn_app().await;
    // Line 2 is two wall cabinets, each with two sides: four physical sides.
    let (quote, _) = kitchen_quote(&app, 2).await;
    let id = quote["id"].as_str().unwrap();
    let order = app
        .post(
            &format!("/api/quotes/{id}/accept"),
            &json!({"actor": "Sam"}),
        )
        .await;
    let order_id = order.body["id"].as_str().unwrap();
    let number = order.body["number"].as_str().unwrap();
    let export = app
        .post("/api/v1/exports/cnc", &json!({"order_id": order_id}))
        .await;
    assert_eq!(export.status, 201, "{}", export.body);
    let artifact = |kind: &str| {
        export.body["artifacts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|artifact| artifact["kind"] == kind)
            .unwrap_or_else(|| panic!("a {kind} artifact"))
            .clone()
    };
    let labels = artifact("labels_pdf");
    let (status, content_type, pdf) = app.get_bytes(labels["url"].as_str().unwrap()).await;
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"));

    // The parts: every frozen panel of every line, times the line's quantity, each with its
    // own code: the panel code when it is cut once, else the panel code and the copy number.
    let order = app.get(&format!("/api/orders/{order_id}")).await.body;
    let mut panels: Vec<(String, u64)> = Vec::new();
    for line in order["line_items"].as_array().unwrap() {
        let position = line["position"].as_u64().unwrap();
        let quantity = line["quantity"].as_u64().unwrap();
        for (index, panel) in line["production"]["panels"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            let code = format!("{number}-{position:02}-{}", (b'A' + index as u8) as char);
            panels.push((code, panel["quantity"].as_u64().unwrap() * quantity));
        }
    }
    let mut expected: Vec<String> = Vec::new();
    for (code, copies) in &panels {
        if *copies == 1 {
            expected.push(code.clone());
        } else {
            expected.extend((1..=*copies).map(|copy| format!("{code}{copy}")));
        }
    }
    assert!(
        expected.contains(&format!("{number}-02-A4")),
        "four sides on line 2: {expected:?}"
    );
    let (text, n_pages) = pdf_text(&pdf);
    assert_eq!(n_pages, expected.len().div_ceil(24));

    let format = LabelFormat::A4ThreeByEight;
    let mut decoded = Vec::new();
    let mut pages = Vec::new();
    for index in 0..expected.len() {
        let place = label_box(format, index);
        if pages.len() <= place.page {
            pages.push(render_page(&pdf, place.page, 200));
        }
        let codes = decode_label(&pages[place.page], format, index);
        assert_eq!(codes.len(), 1, "label {index} holds one QR code: {codes:?}");
        decoded.push(codes[0].clone());
    }
    let mut sorted_decoded = decoded.clone();
    sorted_decoded.sort();
    sorted_decoded.dedup();
    assert_eq!(
        sorted_decoded.len(),
        decoded.len(),
        "every QR code is distinct: {decoded:?}"
    );
    expected.sort();
    assert_eq!(sorted_decoded, expected);
    for code in &decoded {
        assert!(
            text.contains(code.as_str()),
            "{code} is printed as text too"
        );
    }
    assert!(text.contains("sheet 1"));
    // Labels follow the cutting order, so each panel's copies come in copy order.
    for (code, copies) in panels.iter().filter(|(_, copies)| *copies > 1) {
        let in_label_order: Vec<&str> = decoded
            .iter()
            .filter_map(|decoded| decoded.strip_prefix(code.as_str()))
            .collect();
        let numbers: Vec<String> = (1..=*copies).map(|copy| copy.to_string()).collect();
        assert_eq!(in_label_order, numbers, "copies of {code}");
    }

    // The drawing writes copy codes on the parts; the cut list keeps one row per panel, its
    // panel code and its quantity.
    let svg = artifact("nesting_svg");
    let (_, _, svg) = app.get_bytes(svg["url"].as_str().unwrap()).await;
    let svg = String::from_utf8(svg).unwrap();
    for code in &expected {
        assert!(svg.contains(&format!(">{code} ")), "{code} is drawn");
    }
    let csv = artifact("cut_list_csv");
    let (_, _, csv) = app.get_bytes(csv["url"].as_str().unwrap()).await;
    let csv = String::from_utf8(csv).unwrap();
    let rows: Vec<(String, u64)> = csv
        .lines()
        .skip(1)
        .map(|row| {
            let fields: Vec<&str> = row.split(',').collect();
            let quantity = fields[fields.len() - 1].parse().unwrap();
            (fields[0].to_owned(), quantity)
        })
        .collect();
    let mut sorted_panels = panels.clone();
    sorted_panels.sort();
    let mut sorted_rows = rows.clone();
    sorted_rows.sort();
    assert_eq!(sorted_rows, sorted_panels);

    // A decoded label is what the shop floor scans.
    let scanned = app
        .post(
            &format!("/api/parts/{}/scan", decoded[0]),
            &json!({"station": "cut", "actor": "Saw"}),
        )
        .await;
    assert_eq!(scanned.status, 200, "{}", scanned.body);
    assert_eq!(scanned.body["code"], decoded[0].as_str());
    assert_eq!(scanned.body["quantity"], 1);
}
