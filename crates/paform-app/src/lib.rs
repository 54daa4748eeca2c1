//! Paform's application layer: every use case, once. The REST handlers, the CLI and the
//! desktop shell all call these functions and nothing else, so a behaviour can never differ
//! between them.
//!
//! Invariants:
//! - Use cases take and return DTOs (`dto`), validate them through the domain core and
//!   persist through `paform_store`; they know nothing of HTTP or Tauri.
//! - Time and ids come from `App`'s clock and id generator, never from the core.
//! - A use case that fails leaves the store unchanged (checks happen before writes).

mod artifacts;
pub mod backups;
mod catalog;
mod chain;
mod cnc;
mod convert;
mod customers;
mod design;
mod designs;
mod documents;
mod durable;
mod error;
mod events;
mod jobs;
mod ledger_view;
mod media;
mod models;
mod numbering;
mod offcuts;
mod order_changes;
#[cfg(test)]
mod order_tests;
mod orders;
mod pairing;
mod part_code;
mod payments;
mod production;
mod production_check;
mod quotes;
mod seed;
mod settings;
mod share;
mod stock;
mod sync;
mod tokens;

pub use paform_api::dto;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use paform_store::Store;

pub use artifacts::{ExportFile, S3Config};
pub use cnc::nest;
pub use design::{AssetUpload, DEFAULT_MAX_ASSET_BYTES};
pub use designs::MAX_SNAPSHOT_BYTES;
pub use error::AppError;
pub use events::{EventHub, Resume};
pub use models::MAX_MODEL_UPLOAD_BYTES;
pub use paform_core::problem::FieldProblem;
pub use pairing::PAIRING_TTL;
pub use payments::Recorded;
pub use share::{MAX_SHARE_MODEL_BYTES, SHARE_TTL, ShareScope};
pub use sync::{HYGRAPH_SECRET_ENV, SyncConfig};
pub use tokens::Role;

/// The file that holds the store, inside the data directory.
pub const STORE_FILE: &str = "paform.redb";

/// Where time comes from: the system clock in production, a fixed one in tests.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// The store's committed changes, as live events; a commit that logged a chain entry also
/// wakes the push loop.
fn live_events(store: &Store, chain: &Arc<chain::ChainRuntime>) -> Result<Arc<EventHub>, AppError> {
    let hub = Arc::new(EventHub::new()?);
    let heard = Arc::clone(&hub);
    let chain = Arc::clone(chain);
    store.on_commit(move |changes| {
        heard.publish(changes);
        if changes
            .iter()
            .any(|change| change.table == paform_store::chain::NODE_LOG.name())
        {
            chain.wake.notify_one();
        }
    });
    Ok(hub)
}

/// How to open the application.
#[derive(Debug, Clone)]
pub struct AppConfig {
    pub data_dir: PathBuf,
    /// Seed the demo catalog when the store is new (on by default for `paform serve`).
    pub seed_demo_catalog: bool,
}

/// The application: the store plus the clock. Cheap to clone.
#[derive(Clone)]
pub struct App {
    store: Store,
    clock: Arc<dyn Clock>,
    data_dir: PathBuf,
    max_asset_bytes: u64,
    /// Where CNC exports are uploaded; `None` keeps them in the data directory.
    s3: Option<Arc<artifacts::S3Target>>,
    /// The Hygraph webhook's secret from the env and its freshness window.
    sync: Arc<SyncConfig>,
    /// Pending pairing codes and the addresses the app is served on.
    pairing: pairing::SharedPairing,
    /// Committed changes as live events, fed by the store's commit hook.
    events: Arc<EventHub>,
    /// Whether the Hygraph media download task runs (`media`).
    media_worker: Arc<std::sync::atomic::AtomicBool>,
    /// The chain's push loop state (`chain`).
    chain: Arc<chain::ChainRuntime>,
}

/// An `App` that does not keep its store open (`App::downgrade`).
pub(crate) struct WeakApp {
    store: paform_store::WeakStore,
    clock: Arc<dyn Clock>,
    data_dir: PathBuf,
    max_asset_bytes: u64,
    s3: Option<Arc<artifacts::S3Target>>,
    sync: Arc<SyncConfig>,
    events: Arc<EventHub>,
    media_worker: Arc<std::sync::atomic::AtomicBool>,
    pairing: pairing::SharedPairing,
    chain: Arc<chain::ChainRuntime>,
}

impl WeakApp {
    /// The app, while something else still holds it.
    pub(crate) fn upgrade(&self) -> Option<App> {
        Some(App {
            store: self.store.upgrade()?,
            clock: self.clock.clone(),
            data_dir: self.data_dir.clone(),
            max_asset_bytes: self.max_asset_bytes,
            s3: self.s3.clone(),
            sync: self.sync.clone(),
            events: self.events.clone(),
            media_worker: self.media_worker.clone(),
            pairing: self.pairing.clone(),
            chain: self.chain.clone(),
        })
    }
}

impl App {
    /// Opens the store in `config.data_dir` (creating the directory) and seeds it on first start.
    /// The directory tree is made durable before anything is written into it (`durable`).
    pub async fn open(config: &AppConfig) -> Result<App, AppError> {
        backups::apply_pending_restore(&config.data_dir)?;
        durable::prepare_data_dir(&config.data_dir, STORE_FILE)?;
        let store = Store::open(&config.data_dir.join(STORE_FILE))?;
        durable::finish_data_dir(&config.data_dir)?;
        let chain = Arc::<chain::ChainRuntime>::default();
        let app = App {
            events: live_events(&store, &chain)?,
            chain,
            store,
            clock: Arc::new(SystemClock),
            data_dir: config.data_dir.clone(),
            max_asset_bytes: max_asset_bytes_from_env(),
            s3: S3Config::from_env()?
                .map(|s3| artifacts::S3Target::new(&s3))
                .transpose()?,
            sync: Arc::new(SyncConfig::from_env()),
            media_worker: Arc::default(),
            pairing: pairing::SharedPairing::default(),
        };
        app.initialize(config.seed_demo_catalog).await?;
        app.resume_media_downloads()?;
        Ok(app)
    }

    /// An app over an in-memory store and the given clock, for tests.
    pub async fn in_memory(
        clock: Arc<dyn Clock>,
        seed_demo_catalog: bool,
    ) -> Result<App, AppError> {
        let store = Store::in_memory()?;
        let chain = Arc::<chain::ChainRuntime>::default();
        let app = App {
            events: live_events(&store, &chain)?,
            chain,
            store,
            clock,
            data_dir: std::env::temp_dir(),
            max_asset_bytes: DEFAULT_MAX_ASSET_BYTES,
            s3: None,
            sync: Arc::new(SyncConfig::default()),
            media_worker: Arc::default(),
            pairing: pairing::SharedPairing::default(),
        };
        app.initialize(seed_demo_catalog).await?;
        Ok(app)
    }

    async fn initialize(&self, seed_demo_catalog: bool) -> Result<(), AppError> {
        let first_start = settings::initialize_settings(self).await?;
        if first_start && seed_demo_catalog {
            seed::seed_demo_catalog(self).await?;
        }
        Ok(())
    }

    /// This app, uploading CNC exports to `config` instead of what the environment said.
    pub fn with_s3(mut self, config: &S3Config) -> Result<App, AppError> {
        self.s3 = Some(artifacts::S3Target::new(config)?);
        Ok(self)
    }

    /// The same app with another upload limit for design assets.
    pub fn with_max_asset_bytes(mut self, max_asset_bytes: u64) -> App {
        self.max_asset_bytes = max_asset_bytes;
        self
    }

    /// This app with another clock (tests move time, e.g. past a link's expiry).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> App {
        self.clock = clock;
        self
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The largest design asset an upload may carry.
    pub fn max_asset_bytes(&self) -> u64 {
        self.max_asset_bytes
    }

    /// This app without keeping its store open, for a background task between passes.
    pub(crate) fn downgrade(&self) -> WeakApp {
        WeakApp {
            events: self.events.clone(),
            pairing: self.pairing.clone(),
            store: self.store.downgrade(),
            clock: self.clock.clone(),
            data_dir: self.data_dir.clone(),
            max_asset_bytes: self.max_asset_bytes,
            s3: self.s3.clone(),
            sync: self.sync.clone(),
            media_worker: self.media_worker.clone(),
            chain: self.chain.clone(),
        }
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub(crate) fn new_id(&self) -> String {
        uuid::Uuid::now_v7().to_string()
    }

    /// The same app with another sync configuration (tests and embedders; `open` reads the
    /// env's).
    pub fn with_sync_config(mut self, sync: SyncConfig) -> App {
        self.sync = Arc::new(sync);
        self
    }

    pub(crate) fn sync_config(&self) -> &SyncConfig {
        &self.sync
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn chain(&self) -> &chain::ChainRuntime {
        &self.chain
    }

    /// `ok`, or `degraded` with a reason while writes fail (a full disk): then a probe write
    /// checks whether there is room again, so health recovers without waiting for a client's
    /// write.
    pub async fn health(&self) -> dto::Health {
        let reason = self.store.probe_writes().await;
        dto::Health {
            status: if reason.is_some() { "degraded" } else { "ok" }.into(),
            version: env!("CARGO_PKG_VERSION").into(),
            reason,
        }
    }

    /// Writes `bytes` to the data file `path` on a blocking thread, atomically and durably
    /// (`durable::write_atomically`); a full disk is 507 naming the file's directory.
    pub(crate) async fn write_data_file(
        &self,
        path: PathBuf,
        bytes: Vec<u8>,
        what: &str,
    ) -> Result<(), AppError> {
        let target = path.clone();
        let written =
            tokio::task::spawn_blocking(move || durable::write_atomically(&target, &bytes))
                .await
                .map_err(artifacts::join_error)?;
        written.map_err(|error| {
            self.write_error(
                error,
                format!("cannot write {what} {}", path.display()),
                &durable::owning_dir(&path),
            )
        })
    }

    /// An I/O failure while writing under `dir`: 507 naming the directory when the disk is
    /// full (and health turns degraded), internal otherwise.
    pub(crate) fn write_error(
        &self,
        error: std::io::Error,
        context: String,
        dir: &Path,
    ) -> AppError {
        self.noting_disk_full(durable::io_error(error, context, dir))
    }

    /// Passes `error` on, first turning health degraded if it is a full disk.
    pub(crate) fn noting_disk_full(&self, error: AppError) -> AppError {
        if matches!(error, AppError::InsufficientStorage(_)) {
            self.store.note_disk_full();
        }
        error
    }
}

/// `PAFORM_MAX_ASSET_BYTES`, or the default of 200 MiB.
fn max_asset_bytes_from_env() -> u64 {
    std::env::var("PAFORM_MAX_ASSET_BYTES")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(DEFAULT_MAX_ASSET_BYTES)
}
