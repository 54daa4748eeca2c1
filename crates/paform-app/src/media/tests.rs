//! Hygraph media against a tiny local HTTP server: a texture is downloaded once after a
//! failed first try, a model lands in `models/` after the standard's check, and a URL that
//! cannot be fetched leaves the CDN URL recorded and unused.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use paform_core::webhook::signature_header;
use paform_store::records::v3::MediaDownloadRecord;
use paform_store::tables_v3::MEDIA_DOWNLOADS;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{App, AppConfig, SyncConfig};

const SECRET: &str = "media-secret";
/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
    0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x08, 0xd7, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
    0x00, 0x03, 0x01, 0x01, 0x00, 0x18, 0xdd, 0x8d, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];
const GLB: &[u8] = include_bytes!("../../../paform-glb/tests/fixtures/valid.glb");

/// Serves `/oak.png` (503 on the first request, then the PNG), `/base.glb` and 404 else;
/// counts requests.
async fn cdn() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let base = format!("http://{}", listener.local_addr().expect("bound"));
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let hit = counter.fetch_add(1, Ordering::SeqCst);
            let mut request = vec![0; 4096];
            let read = socket.read(&mut request).await.unwrap_or(0);
            let line = String::from_utf8_lossy(&request[..read]).into_owned();
            let (status, body): (&str, &[u8]) = if line.starts_with("GET /oak.png ") {
                if hit == 0 {
                    ("503 Service Unavailable", b"")
                } else {
                    ("200 OK", PNG)
                }
            } else if line.starts_with("GET /base.glb ") {
                ("200 OK", GLB)
            } else {
                ("404 Not Found", b"")
            };
            let head = format!(
                "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(body).await;
        }
    });
    (base, hits)
}

async fn media_app(dir: &tempfile::TempDir) -> App {
    let config = AppConfig {
        data_dir: dir.path().to_path_buf(),
        seed_demo_catalog: false,
    };
    App::open(&config)
        .await
        .expect("the app opens")
        .with_sync_config(SyncConfig {
            hygraph_secret: Some(SECRET.to_owned()),
            ..SyncConfig::default()
        })
}

async fn deliver(app: &App, body: &Value) {
    let body = body.to_string();
    let now = jiff::Timestamp::now().as_millisecond();
    let header = signature_header(SECRET.as_bytes(), &body, "master", now);
    app.receive_hygraph_delivery(Some(header.as_bytes()), body.as_bytes())
        .await
        .expect("the delivery is applied");
}

fn material(seconds: i64, texture: &str) -> Value {
    let at = jiff::Timestamp::from_second(1_750_000_000 + seconds).expect("in range");
    json!({"operation": "publish", "data": {"__typename": "Material", "id": "mat-oak",
        "stage": "PUBLISHED", "updatedAt": at.to_string(), "name": "Oak", "costPerSqFt": "4.25",
        "thicknessMm": 18, "texture": {"url": texture}}})
}

fn material_id(app: &App) -> String {
    let page = app.list_materials(&Default::default()).expect("lists");
    page.items[0].id.clone()
}

async fn eventually<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    for _ in 0..200 {
        if let Some(value) = probe() {
            return value;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what} did not happen within 10 s");
}

fn job(app: &App, key: &str) -> MediaDownloadRecord {
    app.store()
        .read(|tx| tx.get(&MEDIA_DOWNLOADS, key))
        .expect("reads")
        .expect("the job exists")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_texture_is_downloaded_once_after_a_retry_and_served_locally() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = media_app(&dir).await;
    let (cdn, hits) = cdn().await;
    let url = format!("{cdn}/oak.png");

    deliver(&app, &material(1, &url)).await;
    let id = material_id(&app);
    assert_eq!(
        app.get_material(&id)
            .expect("exists")
            .texture_url
            .as_deref(),
        Some(url.as_str()),
        "the CDN URL stays recorded until the download succeeds"
    );

    let local = eventually("the download", || {
        let texture = app.get_material(&id).ok()?.texture_url?;
        texture.starts_with("/api/media/").then_some(texture)
    })
    .await;
    assert_eq!(hits.load(Ordering::SeqCst), 2, "one failed try, one retry");
    assert_eq!(job(&app, &format!("material/{id}/texture_url")).attempts, 2);
    let name = local.trim_start_matches("/api/media/");
    let (content_type, bytes) = app.media_file(name).await.expect("served");
    assert_eq!((content_type, bytes.as_slice()), ("image/png", PNG));

    // The same URL again: the local file is reused, nothing is fetched.
    deliver(&app, &material(2, &url)).await;
    assert_eq!(
        app.get_material(&id).expect("exists").texture_url,
        Some(local)
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_synced_model_is_checked_and_stored_like_an_upload() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = media_app(&dir).await;
    let (cdn, _) = cdn().await;
    deliver(&app, &material(1, &format!("{cdn}/missing.png"))).await;
    let at = jiff::Timestamp::from_second(1_750_000_010).expect("in range");
    deliver(&app, &json!({"operation": "publish", "data": {"__typename": "Module",
        "id": "mod-base", "stage": "PUBLISHED", "updatedAt": at.to_string(), "name": "Base 600",
        "width": 600, "height": 720, "depth": 560, "basePrice": "100", "material": {"id": "mat-oak"},
        "assemblyAttributes": {"doors": 2, "glb_url": format!("{cdn}/base.glb")}}}))
    .await;
    let module_id = app.list_modules(&Default::default()).expect("lists").items[0]
        .id
        .clone();
    let url = eventually("the model download", || {
        let module = app.get_module(&module_id).ok()?;
        let url = module.assembly_attributes["glb_url"].as_str()?.to_owned();
        url.starts_with("/api/modules/").then_some(url)
    })
    .await;
    assert!(
        url.starts_with(&format!("/api/modules/{module_id}/model?v=")),
        "{url}"
    );
    assert_eq!(app.module_model(&module_id).await.expect("stored"), GLB);
    assert!(
        dir.path()
            .join("models")
            .join(format!("{module_id}.glb"))
            .is_file()
    );

    // The texture's 404 is final: given up at once, the CDN URL kept and unused.
    let material_id = material_id(&app);
    let failed = eventually("the failed texture", || {
        let job = app
            .store()
            .read(|tx| {
                tx.get(
                    &MEDIA_DOWNLOADS,
                    &format!("material/{material_id}/texture_url"),
                )
            })
            .ok()??;
        (job.status == "failed").then_some(job)
    })
    .await;
    assert!(failed.last_error.expect("a reason").contains("404"));
    let texture = app.get_material(&material_id).expect("exists").texture_url;
    assert_eq!(texture, Some(format!("{cdn}/missing.png")));
}
