//! `spawn_app()`: the real server (same router, same store) on 127.0.0.1:0 with a fresh
//! data directory, plus small HTTP helpers that return status and JSON together.

use std::net::SocketAddr;
use std::path::PathBuf;

use paform_app::{App, AppConfig, AppError, SyncConfig};
use paform_http::ServerOptions;
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::sync::oneshot;

pub(crate) struct TestApp {
    pub(crate) address: SocketAddr,
    pub(crate) client: reqwest::Client,
    /// Held so the directory lives as long as the server; dropping it deletes the files.
    _data_dir: TempDir,
    /// Dropping the sender stops the server.
    _shutdown: oneshot::Sender<()>,
    /// The server task, awaited by `stop`.
    server: tokio::task::JoinHandle<()>,
}

/// A server over an empty catalog.
pub(crate) async fn spawn_app() -> TestApp {
    spawn_with(false).await
}

/// A server over the demo catalog, as a fresh install has it.
pub(crate) async fn spawn_seeded_app() -> TestApp {
    spawn_with(true).await
}

async fn spawn_with(seed_demo_catalog: bool) -> TestApp {
    let data_dir = tempfile::tempdir().expect("a temporary directory can be made");
    let config = AppConfig {
        data_dir: data_dir.path().to_path_buf(),
        seed_demo_catalog,
    };
    let app = App::open(&config)
        .await
        .expect("the app opens on an empty directory");
    serve(app, data_dir).await
}

/// A server over an empty catalog whose design assets may be at most `max_asset_bytes`.
pub(crate) async fn spawn_app_with_asset_limit(max_asset_bytes: u64) -> TestApp {
    let data_dir = tempfile::tempdir().expect("a temporary directory can be made");
    let config = AppConfig {
        data_dir: data_dir.path().to_path_buf(),
        seed_demo_catalog: false,
    };
    let app = App::open(&config)
        .await
        .expect("the app opens on an empty directory");
    serve(app.with_max_asset_bytes(max_asset_bytes), data_dir).await
}

/// A server over an empty catalog with this sync configuration (e.g. a Hygraph secret), over
/// `data_dir`, or a fresh directory when `None`, so a test can restart over the same files.
pub(crate) async fn spawn_app_with(sync: SyncConfig, data_dir: Option<TempDir>) -> TestApp {
    let data_dir =
        data_dir.unwrap_or_else(|| tempfile::tempdir().expect("a temporary directory can be made"));
    let config = AppConfig {
        data_dir: data_dir.path().to_path_buf(),
        seed_demo_catalog: false,
    };
    // A server stopped a moment ago may hold the store's lock until its writer thread ends.
    let mut attempts = 0;
    let app = loop {
        match App::open(&config).await {
            Ok(app) => break app,
            Err(AppError::Unavailable(_)) if attempts < 500 => attempts += 1,
            Err(error) => panic!("the app does not open: {error}"),
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    };
    serve(app.with_sync_config(sync), data_dir).await
}

/// A server that requires device tokens, as on the local network (but on 127.0.0.1), over
/// the demo catalog, and its app (to mint tokens and move its clock).
pub(crate) async fn spawn_app_requiring_tokens(
    clock: Option<std::sync::Arc<dyn paform_app::Clock>>,
) -> (TestApp, App) {
    let data_dir = tempfile::tempdir().expect("a temporary directory can be made");
    let config = AppConfig {
        data_dir: data_dir.path().to_path_buf(),
        seed_demo_catalog: true,
    };
    let mut app = App::open(&config)
        .await
        .expect("the app opens on an empty directory");
    if let Some(clock) = clock {
        app = app.with_clock(clock);
    }
    let options = ServerOptions {
        require_token: true,
        ..ServerOptions::default()
    };
    (serve_with(app.clone(), data_dir, options).await, app)
}

async fn serve(app: App, data_dir: TempDir) -> TestApp {
    serve_with(app, data_dir, ServerOptions::default()).await
}

async fn serve_with(app: App, data_dir: TempDir, options: ServerOptions) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port 0 binds");
    let address = listener
        .local_addr()
        .expect("a bound listener has an address");
    let (shutdown, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let shutdown = async move {
            let _ = stopped.await;
        };
        paform_http::serve(listener, app, &options, shutdown)
            .await
            .expect("the server runs");
    });
    TestApp {
        address,
        client: reqwest::Client::new(),
        _data_dir: data_dir,
        _shutdown: shutdown,
        server,
    }
}

pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: String,
    pub(crate) body: Value,
}

impl TestApp {
    /// Stops the server, waits until it has finished, and hands back its data directory.
    pub(crate) async fn stop(self) -> TempDir {
        // Closing the client's keep-alive connections lets the graceful shutdown finish.
        drop(self.client);
        drop(self._shutdown);
        self.server.await.expect("the server task ends cleanly");
        self._data_dir
    }

    /// The data directory the server runs on.
    pub(crate) fn data_dir(&self) -> &std::path::Path {
        self._data_dir.path()
    }

    /// Sends `request` with `Authorization: Bearer token`.
    pub(crate) async fn send_as(&self, token: &str, request: reqwest::RequestBuilder) -> Reply {
        self.send(request.bearer_auth(token)).await
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }

    pub(crate) async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let text = response.text().await.expect("the body is readable");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            status,
            content_type,
            body,
        }
    }

    pub(crate) async fn get(&self, path: &str) -> Reply {
        self.send(self.client.get(self.url(path))).await
    }

    pub(crate) async fn post(&self, path: &str, body: &Value) -> Reply {
        self.send(self.client.post(self.url(path)).json(body)).await
    }

    pub(crate) async fn put(&self, path: &str, body: &Value) -> Reply {
        self.send(self.client.put(self.url(path)).json(body)).await
    }

    pub(crate) async fn delete(&self, path: &str) -> Reply {
        self.send(self.client.delete(self.url(path))).await
    }

    /// A GET whose body is kept as bytes (PDFs, pictures): status, content type and body.
    pub(crate) async fn get_bytes(&self, path: &str) -> (u16, String, Vec<u8>) {
        let response = self
            .client
            .get(self.url(path))
            .send()
            .await
            .expect("the server answers");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let bytes = response.bytes().await.expect("the body is readable");
        (status, content_type, bytes.to_vec())
    }

    pub(crate) async fn put_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> Reply {
        let request = self
            .client
            .put(self.url(path))
            .header("content-type", content_type)
            .body(body);
        self.send(request).await
    }

    pub(crate) async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> Reply {
        let request = self
            .client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body);
        self.send(request).await
    }

    /// Creates a material and returns its id.
    pub(crate) async fn material(&self, name: &str, cost: &str, thickness: Option<f64>) -> String {
        let reply = self
            .post(
                "/api/materials",
                &json!({"name": name, "cost_per_sq_ft": cost, "thickness_mm": thickness}),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.body);
        reply.body["id"]
            .as_str()
            .expect("a material has an id")
            .to_owned()
    }

    /// Creates a module (width, height, depth in mm) and returns its id.
    pub(crate) async fn module(
        &self,
        name: &str,
        size: [f64; 3],
        price: &str,
        material_id: &str,
    ) -> String {
        let body = json!({
            "name": name,
            "dimensions": {"width": size[0], "height": size[1], "depth": size[2]},
            "base_price": price,
            "material_id": material_id,
        });
        let reply = self.post("/api/modules", &body).await;
        assert_eq!(reply.status, 201, "{}", reply.body);
        reply.body["id"]
            .as_str()
            .expect("a module has an id")
            .to_owned()
    }
}

impl Reply {
    /// Asserts a problem+json answer with this status whose field errors include `field`.
    pub(crate) fn assert_problem(&self, status: u16, field: Option<&str>) {
        assert_eq!(self.status, status, "body: {}", self.body);
        assert!(
            self.content_type.starts_with("application/problem+json"),
            "{}",
            self.content_type
        );
        assert_eq!(self.body["status"], status);
        assert!(self.body["title"].is_string() && self.body["type"].is_string());
        assert!(
            self.body["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{}",
            self.body
        );
        if let Some(field) = field {
            let fields: Vec<&str> = self.body["errors"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e["field"].as_str())
                .collect();
            assert!(
                fields.contains(&field),
                "expected an error on {field}, got {fields:?}"
            );
        }
    }
}

/// The path of the built `paform` binary, for tests that run it as a process.
pub(crate) fn paform_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_paform"))
}
