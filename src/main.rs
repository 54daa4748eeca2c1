//! `paform`: the headless server and command-line tools. Parses arguments, sets up logging
//! and hands over to the library crates; no behaviour lives here.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use paform_app::{App, AppConfig};
use paform_http::ServerOptions;
use tokio::net::TcpListener;

mod backup;
mod sync;
mod token;

#[derive(Parser)]
#[command(
    name = "paform",
    version,
    about = "Paform: modular furniture, from showroom to CNC"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the REST API and the UI.
    Serve {
        /// Address and port to listen on.
        #[arg(long, env = "PAFORM_BIND", default_value = "127.0.0.1:8000")]
        bind: SocketAddr,
        /// Where the store and files live (default: the per-user data directory).
        #[arg(long, env = "PAFORM_DATA_DIR")]
        data_dir: Option<PathBuf>,
        /// The UI's static export (default: ui/out if it exists).
        #[arg(long, env = "PAFORM_UI_DIR")]
        ui_dir: Option<PathBuf>,
    },
    /// Manage the device tokens of the local-network API.
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Back up, restore and list backups of a data directory.
    #[command(subcommand)]
    Backup(backup::BackupCommand),
    /// Join HQ and replicate to it (SPEC §15).
    #[command(subcommand)]
    Sync(sync::SyncCommand),
    /// Checks the tamper-evident audit trail of every order (exit status 1 when broken).
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Print the OpenAPI document.
    Openapi,
    /// Checks GLB models against GLB_ASSET_STANDARD.md.
    #[command(subcommand)]
    Glb(GlbCommand),
    /// Head office: the chain's PostgreSQL (`serve`), its nodes and admin tokens.
    #[command(subcommand)]
    Hq(paform_hq::cli::HqCommand),
    /// Nest parts on stock sheets: reads SPEC §6's request JSON, prints the layout JSON.
    Nest {
        /// The request file (`-` reads standard input).
        file: PathBuf,
        /// Search time limit in milliseconds (overrides the file's `time_limit_ms`).
        #[arg(long = "time-limit", value_name = "MS")]
        time_limit: Option<u64>,
    },
}

#[derive(Subcommand)]
enum GlbCommand {
    /// Prints every violation of the standard (exit status 1 when there is one, 2 when the
    /// file cannot be read).
    Check {
        /// The GLB file.
        file: PathBuf,
        /// The module's catalog size in millimetres, `WxHxD` (e.g. `600x720x560`); without it
        /// the model is measured against its own `extras.paform.dimensions_mm`.
        #[arg(long)]
        dimensions: Option<paform_glb::Dimensions>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recomputes every order's hash chain and prints the report as JSON.
    Verify {
        #[arg(long, env = "PAFORM_DATA_DIR")]
        data_dir: Option<PathBuf>,
    },
}

/// The per-user data directory (`$XDG_DATA_HOME/paform`, usually `~/.local/share/paform`).
fn default_data_dir() -> PathBuf {
    directories::BaseDirs::new()
        .map(|dirs| dirs.data_dir().join("paform"))
        .unwrap_or_else(|| PathBuf::from("paform-data"))
}

fn default_ui_dir() -> Option<PathBuf> {
    let candidates = [
        Some(PathBuf::from("ui/out")),
        std::env::current_exe()
            .ok()
            .and_then(|exe| Some(exe.parent()?.join("../../ui/out"))),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|dir| dir.join("index.html").is_file())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve {
            bind,
            data_dir,
            ui_dir,
        } => {
            init_logging();
            let data_dir = data_dir.unwrap_or_else(default_data_dir);
            let config = AppConfig {
                data_dir: data_dir.clone(),
                seed_demo_catalog: true,
            };
            let app = App::open(&config)
                .await
                .with_context(|| format!("cannot open the store in {}", data_dir.display()))?;
            // Beyond loopback the API needs device tokens (SPEC §8): refuse to start without one.
            let require_token = paform_http::requires_token(&bind);
            if require_token && !app.has_active_device_tokens()? {
                anyhow::bail!(
                    "refusing to serve on {bind}: beyond loopback every device needs a token, \
                     and none exists; create one first with \
                     `paform token create --name NAME --data-dir {}`",
                    data_dir.display()
                );
            }
            let options = ServerOptions {
                ui_dir: ui_dir.or_else(default_ui_dir),
                require_token,
                ..ServerOptions::default()
            };
            let listener = TcpListener::bind(bind)
                .await
                .with_context(|| format!("cannot listen on {bind}"))?;
            let address = listener.local_addr()?;
            let backups = app.spawn_automatic_backups();
            app.start_chain_push();
            tracing::info!(%address, data_dir = %data_dir.display(), ui = options.ui_dir.is_some(),
                "paform listening on http://{address}");
            paform_http::serve(listener, app, &options, shutdown_signal()).await?;
            backups.abort();
            tracing::info!("paform stopped");
        }
        Command::Hq(command) => {
            init_logging();
            paform_hq::cli::run(command, shutdown_signal(), |router, ui_dir| {
                let ui_dir = ui_dir.map(PathBuf::from).or_else(default_ui_dir);
                paform_http::with_static_ui(router, ui_dir.as_deref())
            })
            .await?;
        }
        Command::Token(command) => token::run(command, default_data_dir()).await?,
        Command::Backup(command) => backup::run(command, default_data_dir()).await?,
        Command::Sync(command) => sync::run(command, default_data_dir()).await?,
        Command::Audit(AuditCommand::Verify { data_dir }) => {
            let app = token::open(data_dir.unwrap_or_else(default_data_dir)).await?;
            let report = app
                .verify_audit(&paform_app::dto::AuditQuery::default())
                .await?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            if !report.ok {
                std::process::exit(1);
            }
        }
        Command::Openapi => println!("{}", paform_http::openapi_json()),
        Command::Glb(GlbCommand::Check { file, dimensions }) => {
            let bytes = match std::fs::read(&file) {
                Ok(bytes) => bytes,
                Err(error) => {
                    eprintln!("paform glb check: cannot read {}: {error}", file.display());
                    std::process::exit(2);
                }
            };
            let report = paform_glb::check(&bytes, dimensions);
            print!("{}", report.to_text());
            if !report.is_valid() {
                std::process::exit(1);
            }
        }
        Command::Nest { file, time_limit } => match nest_command(&file, time_limit) {
            Ok(json) => println!("{json}"),
            Err(error) => {
                eprintln!("paform nest: {error:#}");
                std::process::exit(2);
            }
        },
    }
    Ok(())
}

/// Reads, nests and prints as `paform nest` does; any failure is the file's fault (exit 2).
fn nest_command(file: &std::path::Path, time_limit_ms: Option<u64>) -> anyhow::Result<String> {
    let text = if file == std::path::Path::new("-") {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(file)
    }
    .with_context(|| format!("cannot read {}", file.display()))?;
    let mut request: paform_app::dto::NestRequest = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a nesting request", file.display()))?;
    request.time_limit_ms = time_limit_ms.or(request.time_limit_ms);
    let layout = paform_app::nest(&request).map_err(|error| match error {
        paform_app::AppError::Invalid { problems } => {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            anyhow::anyhow!("{}", lines.join("\n"))
        }
        other => anyhow::Error::new(other),
    })?;
    Ok(serde_json::to_string_pretty(&layout)?)
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,tower_http=warn".into());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

/// Resolves on SIGINT or SIGTERM, starting a graceful shutdown.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing open requests");
}
