//! What every HTTP benchmark shares: the real server on a loopback port over a fresh store,
//! a separate client runtime (so client and server do not share worker threads), and one
//! way of printing latency percentiles.

// Each benchmark uses a different part of this module.
#![allow(dead_code)]

use std::time::Duration;

use paform_app::{App, AppConfig};
use paform_http::ServerOptions;
use tempfile::TempDir;
use tokio::runtime::Runtime;

/// A running server; dropping it stops the server and deletes its data.
pub(crate) struct BenchServer {
    pub(crate) runtime: Runtime,
    pub(crate) app: App,
    pub(crate) base: String,
    _data_dir: TempDir,
}

/// Starts the server over a fresh store; `configure` may adjust the app (e.g. a secret).
pub(crate) fn start_server(
    seed_demo_catalog: bool,
    configure: impl FnOnce(App) -> App,
) -> BenchServer {
    let data_dir = tempfile::tempdir().expect("a temporary directory");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (app, base) = runtime.block_on(async {
        let config = AppConfig {
            data_dir: data_dir.path().to_path_buf(),
            seed_demo_catalog,
        };
        let app = configure(App::open(&config).await.expect("the app opens"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds");
        let address = listener.local_addr().expect("address");
        let served = app.clone();
        tokio::spawn(async move {
            let options = ServerOptions::default();
            paform_http::serve(listener, served, &options, std::future::pending()).await
        });
        (app, format!("http://{address}"))
    });
    BenchServer {
        runtime,
        app,
        base,
        _data_dir: data_dir,
    }
}

/// A one-worker runtime for the load generator.
pub(crate) fn client_runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime")
}

/// `p50 …, p99 …, max …` of a set of latencies (sorted in place).
pub(crate) fn percentiles(latencies: &mut [Duration]) -> String {
    latencies.sort();
    let at = |p: usize| {
        latencies
            .get((latencies.len() * p / 100).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    format!(
        "p50 {:?}, p99 {:?}, max {:?}",
        at(50),
        at(99),
        latencies.last().copied().unwrap_or_default()
    )
}
