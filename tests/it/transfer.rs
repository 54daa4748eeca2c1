//! How responses travel (SPEC §17): text compressed when the client asks, the event stream
//! and binary files never, and the UI's hashed build files cached as immutable while its
//! pages are revalidated.

use std::io::Read;
use std::path::Path;

use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE};

use crate::support::spawn_app_with_ui;

const SCRIPT: &str = "/_next/static/chunks/app-3f9a1c.js";

/// A small UI export: a page, a hashed script, a picture.
fn write_ui(dir: &Path) -> String {
    let script = "export function greet(name) { return `Hello, ${name}!`; }\n".repeat(200);
    let page = format!(
        "<!DOCTYPE html><html><head><script src=\"{SCRIPT}\"></script></head><body>{}</body></html>",
        "<p>Paform</p>".repeat(100)
    );
    std::fs::create_dir_all(dir.join("_next/static/chunks")).expect("the folders are made");
    std::fs::write(dir.join("index.html"), page).expect("the page is written");
    std::fs::write(dir.join(&SCRIPT[1..]), &script).expect("the script is written");
    // PNG bytes: already compressed, never compressed again.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(std::iter::repeat_n(0u8, 4096));
    std::fs::write(dir.join("logo.png"), png).expect("the picture is written");
    script
}

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .expect("the body is gzip");
    text
}

#[tokio::test]
async fn text_is_compressed_when_the_client_asks_and_not_otherwise() {
    let ui = tempfile::tempdir().expect("a temporary directory can be made");
    let script = write_ui(ui.path());
    let app = spawn_app_with_ui(ui.path().to_path_buf()).await;

    let plain = app
        .client
        .get(app.url(SCRIPT))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(plain.headers().get(CONTENT_ENCODING), None);
    assert_eq!(plain.text().await.expect("a body"), script);

    let gzipped = app
        .client
        .get(app.url(SCRIPT))
        .header(ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .expect("the server answers");
    assert_eq!(gzipped.status(), 200);
    assert_eq!(gzipped.headers()[CONTENT_ENCODING], "gzip");
    let body = gzipped.bytes().await.expect("a body");
    assert!(body.len() < script.len() / 4, "{} bytes", body.len());
    assert_eq!(gunzip(&body), script);

    for path in ["/", "/api/openapi.json"] {
        let reply = app
            .client
            .get(app.url(path))
            .header(ACCEPT_ENCODING, "br, gzip")
            .send()
            .await
            .expect("the server answers");
        assert_eq!(reply.status(), 200, "{path}");
        assert_eq!(reply.headers()[CONTENT_ENCODING], "br", "{path}");
    }
}

#[tokio::test]
async fn the_event_stream_and_pictures_are_never_compressed() {
    let ui = tempfile::tempdir().expect("a temporary directory can be made");
    write_ui(ui.path());
    let app = spawn_app_with_ui(ui.path().to_path_buf()).await;

    let picture = app
        .client
        .get(app.url("/logo.png"))
        .header(ACCEPT_ENCODING, "br, gzip")
        .send()
        .await
        .expect("the server answers");
    assert_eq!(picture.status(), 200);
    assert_eq!(picture.headers().get(CONTENT_ENCODING), None);

    let events = app
        .client
        .get(app.url("/api/events"))
        .header(ACCEPT_ENCODING, "br, gzip")
        .send()
        .await
        .expect("the server answers");
    assert_eq!(events.status(), 200);
    assert_eq!(events.headers()[CONTENT_TYPE], "text/event-stream");
    assert_eq!(events.headers().get(CONTENT_ENCODING), None);
}

#[tokio::test]
async fn hashed_build_files_are_immutable_and_pages_are_revalidated() {
    let ui = tempfile::tempdir().expect("a temporary directory can be made");
    write_ui(ui.path());
    let app = spawn_app_with_ui(ui.path().to_path_buf()).await;
    let cache_control = |path: &'static str| {
        let request = app.client.get(app.url(path));
        async move {
            let reply = request.send().await.expect("the server answers");
            let value = reply
                .headers()
                .get(CACHE_CONTROL)
                .map(|value| value.to_str().unwrap_or_default().to_owned());
            (reply.status().as_u16(), value)
        }
    };

    let immutable = Some("public, max-age=31536000, immutable".to_owned());
    assert_eq!(cache_control(SCRIPT).await, (200, immutable.clone()));
    let revalidate = Some("no-cache".to_owned());
    assert_eq!(cache_control("/").await, (200, revalidate.clone()));
    assert_eq!(
        cache_control("/orders/view/").await,
        (200, revalidate.clone())
    );
    assert_eq!(cache_control("/logo.png").await, (200, revalidate));
    // A hashed name that is not there is a 404, not the page cached for a year.
    let (status, value) = cache_control("/_next/static/chunks/gone-000000.js").await;
    assert_eq!(status, 404);
    assert_ne!(value, immutable);
    // The API's answers are not the UI's to cache.
    assert_eq!(cache_control("/api/health").await.1, None);
}
