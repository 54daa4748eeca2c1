//! `paform token create|list|revoke`: device tokens from the command line (SPEC §8), through
//! the same use cases as `/api/tokens` and the desktop app. `create` prints the token alone
//! on standard output, so `TOKEN=$(paform token create --name tablet)` works; everything
//! else a person should read goes to standard error.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use paform_app::dto::DeviceTokenInput;
use paform_app::{App, AppConfig, AppError};

#[derive(Subcommand)]
pub(crate) enum TokenCommand {
    /// Create a device token and print it (shown once; only its hash is stored).
    Create {
        /// Who holds the token, e.g. "showroom-tablet".
        #[arg(long)]
        name: String,
        /// What the token may do: admin (everything), sales or production.
        #[arg(long, default_value = "admin")]
        role: String,
        #[arg(long, env = "PAFORM_DATA_DIR")]
        data_dir: Option<PathBuf>,
    },
    /// List device tokens (never their secrets).
    List {
        /// Also list revoked tokens.
        #[arg(long)]
        all: bool,
        #[arg(long, env = "PAFORM_DATA_DIR")]
        data_dir: Option<PathBuf>,
    },
    /// Revoke a device token by id (revoking twice is harmless).
    Revoke {
        id: String,
        #[arg(long, env = "PAFORM_DATA_DIR")]
        data_dir: Option<PathBuf>,
    },
}

pub(crate) async fn run(command: TokenCommand, default_data_dir: PathBuf) -> anyhow::Result<()> {
    match command {
        TokenCommand::Create {
            name,
            role,
            data_dir,
        } => {
            let app = open(data_dir.unwrap_or(default_data_dir)).await?;
            let created = app
                .create_device_token(DeviceTokenInput {
                    name,
                    role: Some(role),
                })
                .await
                .map_err(explain)?;
            eprintln!(
                "created device token {} ({}, role {}); it is shown only now:",
                created.id, created.name, created.role
            );
            println!("{}", created.token);
        }
        TokenCommand::List { all, data_dir } => {
            let app = open(data_dir.unwrap_or(default_data_dir)).await?;
            let tokens = app.list_device_tokens(all).map_err(explain)?;
            if tokens.is_empty() {
                eprintln!("no device tokens");
            }
            for token in tokens {
                let last_used = token.last_used_at.as_deref().unwrap_or("never used");
                let revoked = token
                    .revoked_at
                    .map(|at| format!("\trevoked {at}"))
                    .unwrap_or_default();
                println!(
                    "{}\t{}\t{}\tcreated {}\t{last_used}{revoked}",
                    token.id, token.name, token.role, token.created_at
                );
            }
        }
        TokenCommand::Revoke { id, data_dir } => {
            let app = open(data_dir.unwrap_or(default_data_dir)).await?;
            let token = app.revoke_device_token(&id).await.map_err(explain)?;
            eprintln!("revoked device token {} ({})", token.id, token.name);
        }
    }
    Ok(())
}

/// Opens the store as `paform serve` would (seeding a new one alike, so the order of first
/// commands does not matter), explaining the lock a running server or desktop app holds.
pub(crate) async fn open(data_dir: PathBuf) -> anyhow::Result<App> {
    let config = AppConfig {
        data_dir: data_dir.clone(),
        seed_demo_catalog: true,
    };
    match App::open(&config).await {
        Ok(app) => Ok(app),
        Err(AppError::Unavailable(_)) => anyhow::bail!(
            "the store in {} is locked by a running Paform (server or desktop app); \
             stop it first, or use the desktop app's settings \
             or the API (/api/tokens, /api/backups) while it runs",
            data_dir.display()
        ),
        Err(error) => {
            Err(error).with_context(|| format!("cannot open the store in {}", data_dir.display()))
        }
    }
}

pub(crate) fn explain(error: AppError) -> anyhow::Error {
    match error {
        AppError::Invalid { problems } => {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            anyhow::anyhow!("{}", lines.join("\n"))
        }
        other => anyhow::Error::new(other),
    }
}
