//! CNC exports to S3 (SPEC §6) against a real S3 implementation: `s3s-fs` (installed by
//! `make setup`) on a random loopback port, which checks SigV4 signatures of presigned URLs,
//! so a tampered link is really refused.
//!
//! The server is started per test and counted ready when it logs that it runs (no sleeps);
//! it is killed when the test ends.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use paform_app::dto::{CncExportRequest, CncItem};
use paform_app::{App, AppConfig, S3Config};

use crate::api_cnc::small_catalog;

const ACCESS_KEY: &str = "paform-test";
const SECRET_KEY: &str = "paform-test-secret";

/// A running `s3s-fs`, killed on drop.
struct S3Server {
    endpoint: String,
    child: Child,
    _root: tempfile::TempDir,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn s3s_fs_binary() -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_default();
    let installed = cargo_home.join("bin/s3s-fs");
    assert!(
        installed.is_file(),
        "{} is missing: run `make setup` (it installs s3s-fs 0.14.1)",
        installed.display()
    );
    installed
}

async fn start_s3s_fs() -> S3Server {
    let root = tempfile::tempdir().expect("a temporary directory");
    // Ask the OS for a free port, then hand it to s3s-fs (which cannot report one itself).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let mut child = Command::new(s3s_fs_binary())
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
        .arg(root.path())
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("s3s-fs starts");
    let stdout = child.stdout.take().expect("piped stdout");
    // Ready once it logs "server is running"; its output is drained afterwards so that
    // it never blocks on a full pipe.
    let ready = tokio::task::spawn_blocking(move || {
        let mut lines = std::io::BufReader::new(stdout).lines();
        let running = lines
            .by_ref()
            .map_while(Result::ok)
            .any(|line| line.contains("server is running"));
        std::thread::spawn(move || lines.for_each(drop));
        running
    });
    let running = tokio::time::timeout(Duration::from_secs(30), ready)
        .await
        .expect("s3s-fs starts within 30 s")
        .expect("the reader thread ends");
    let mut server = S3Server {
        endpoint: format!("http://127.0.0.1:{port}"),
        child,
        _root: root,
    };
    assert!(
        running,
        "s3s-fs exited before it ran: {:?}",
        server.child.try_wait()
    );
    server
}

#[tokio::test]
async fn an_export_to_s3_downloads_through_presigned_links_and_refuses_tampered_ones() {
    let s3 = start_s3s_fs().await;
    let data_dir = tempfile::tempdir().expect("a temporary directory");
    let config = AppConfig {
        data_dir: data_dir.path().to_path_buf(),
        seed_demo_catalog: false,
    };
    let s3_config = S3Config {
        endpoint: s3.endpoint.clone(),
        region: "us-east-1".to_owned(),
        bucket: "paform-exports".to_owned(),
        access_key: ACCESS_KEY.to_owned(),
        secret_key: SECRET_KEY.to_owned(),
    };
    let app = App::open(&config)
        .await
        .expect("the app opens")
        .with_s3(&s3_config)
        .expect("the S3 settings are usable");
    let (base, wall) = small_catalog(&app).await;
    let request = CncExportRequest {
        order_id: None,
        items: Some(vec![
            CncItem {
                module_id: base,
                material_id: None,
                quantity: 2,
            },
            CncItem {
                module_id: wall,
                material_id: None,
                quantity: 1,
            },
        ]),
    };
    let steps = std::sync::Mutex::new(Vec::new());
    let export = app
        .export_cnc(request.clone(), |step| {
            steps.lock().expect("not poisoned").push(step)
        })
        .await
        .expect("the export succeeds (and creates the bucket)");
    let steps = steps.into_inner().expect("not poisoned");
    assert!(
        matches!(
            steps.first(),
            Some(paform_app::dto::ExportProgress::Panelize { .. })
        ),
        "{steps:?}"
    );
    assert!(matches!(
        steps.last(),
        Some(paform_app::dto::ExportProgress::Done { .. })
    ));
    assert_eq!(export.artifacts.len(), 7);

    let client = reqwest::Client::new();
    let mut first_bytes = Vec::new();
    for artifact in &export.artifacts {
        assert_eq!(artifact.bucket, "paform-exports");
        assert!(
            artifact
                .key
                .starts_with(&format!("cnc/adhoc/{}/", export.export_id))
        );
        assert!(artifact.url.starts_with(&s3.endpoint), "{}", artifact.url);
        let response = client.get(&artifact.url).send().await.expect("s3 answers");
        assert_eq!(response.status().as_u16(), 200, "{}", artifact.url);
        let bytes = response.bytes().await.expect("a body").to_vec();
        assert_eq!(bytes.len() as u64, artifact.size);
        first_bytes.push(bytes);
    }
    assert!(first_bytes[0].starts_with(b"label,order_id,line_item_id"));

    // A second export (the bucket now exists) stores the same bytes under a new key.
    let again = app
        .export_cnc(request, |_| {})
        .await
        .expect("the second export succeeds");
    for (artifact, first) in again.artifacts.iter().zip(&first_bytes) {
        let response = client.get(&artifact.url).send().await.expect("s3 answers");
        assert_eq!(&response.bytes().await.expect("a body").to_vec(), first);
    }

    let url = &export.artifacts[0].url;
    let (head, signature) = url
        .split_once("X-Amz-Signature=")
        .expect("a SigV4 presigned url");
    let flipped = format!(
        "{head}X-Amz-Signature={}{}",
        if signature.starts_with('0') { "1" } else { "0" },
        &signature[1..]
    );
    let other_key = url.replace("cut-list.csv", "nesting-01-oak-18-mm.svg");
    for tampered in [flipped, other_key] {
        let response = client.get(&tampered).send().await.expect("s3 answers");
        assert_eq!(response.status().as_u16(), 403, "{tampered}");
    }
}
