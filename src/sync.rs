//! `paform sync join|restore|status|push|pull`: the chain from the command line (SPEC §15), through the
//! same use cases as `/api/sync/…`. Each opens the data directory itself, so no other Paform
//! process may hold it (a running server joins through `POST /api/sync/join` instead).

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use paform_app::dto::ChainJoin;

use crate::token::{explain, open};

#[derive(Subcommand)]
pub(crate) enum SyncCommand {
    /// Join HQ with the token `paform hq node add` printed; HQ names this site's role.
    Join {
        /// HQ's URL: `https://…` (plain `http://` on loopback only).
        #[arg(long)]
        hq: String,
        /// The node token.
        #[arg(long, env = "PAFORM_NODE_TOKEN")]
        token: String,
        /// A PEM file of the CA that signed a self-signed HQ's certificate.
        #[arg(long)]
        ca_file: Option<PathBuf>,
        #[arg(long, env = "PAFORM_DATA_DIR")]
        data_dir: Option<PathBuf>,
    },
    /// Rebuild a lost site from HQ into an empty data directory: rejoin with the node's token
    /// and take back everything it owned (JSON summary on stdout).
    Restore {
        /// HQ's URL: `https://…` (plain `http://` on loopback only).
        #[arg(long)]
        hq: String,
        /// The node token.
        #[arg(long, env = "PAFORM_NODE_TOKEN")]
        token: String,
        /// A PEM file of the CA that signed a self-signed HQ's certificate.
        #[arg(long)]
        ca_file: Option<PathBuf>,
        #[arg(long, env = "PAFORM_DATA_DIR")]
        data_dir: Option<PathBuf>,
    },
    /// Print where this site stands with HQ as JSON.
    Status {
        #[arg(long, env = "PAFORM_DATA_DIR")]
        data_dir: Option<PathBuf>,
    },
    /// Push the node log to HQ now, until HQ holds all of it (exit status 1 on failure).
    Push {
        #[arg(long, env = "PAFORM_DATA_DIR")]
        data_dir: Option<PathBuf>,
    },
    /// Pull from HQ now: newer catalog versions, and the feed (orders at a factory, their
    /// production at a showroom).
    Pull {
        #[arg(long, env = "PAFORM_DATA_DIR")]
        data_dir: Option<PathBuf>,
    },
}

pub(crate) async fn run(command: SyncCommand, default_data_dir: PathBuf) -> anyhow::Result<()> {
    match command {
        SyncCommand::Join {
            hq,
            token,
            ca_file,
            data_dir,
        } => {
            let app = open(data_dir.unwrap_or(default_data_dir)).await?;
            let status = app
                .join_chain(chain_join(hq, token, ca_file)?)
                .await
                .map_err(explain)?;
            eprintln!(
                "joined {} as {} ({:?}, node {}); {} entries wait to be pushed",
                status.hq_url.as_deref().unwrap_or_default(),
                status.node_name.as_deref().unwrap_or_default(),
                status.role,
                status.node_id.as_deref().unwrap_or_default(),
                status.pending_events
            );
            println!("{}", serde_json::to_string_pretty(&status)?);
        }
        SyncCommand::Restore {
            hq,
            token,
            ca_file,
            data_dir,
        } => {
            let app = open(data_dir.unwrap_or(default_data_dir)).await?;
            let restored = app
                .restore_from_hq(chain_join(hq, token, ca_file)?)
                .await
                .map_err(explain)?;
            eprintln!(
                "restored {} entries from HQ ({} customers, {} orders); this site carries on \
                 after node_seq {}",
                restored.entries, restored.customers, restored.orders, restored.held_seq
            );
            println!("{}", serde_json::to_string_pretty(&restored)?);
        }
        SyncCommand::Status { data_dir } => {
            let app = open(data_dir.unwrap_or(default_data_dir)).await?;
            let status = app.chain_status().map_err(explain)?;
            println!("{}", serde_json::to_string_pretty(&status)?);
        }
        SyncCommand::Push { data_dir } => {
            let app = open(data_dir.unwrap_or(default_data_dir)).await?;
            let held = app.push_chain_now().await.map_err(explain)?;
            eprintln!("HQ holds this site's log up to node_seq {held}");
        }
        SyncCommand::Pull { data_dir } => {
            let app = open(data_dir.unwrap_or(default_data_dir)).await?;
            let pulled = app.pull_chain_now().await.map_err(explain)?;
            eprintln!(
                "took back {} lost entr(ies), applied {} catalog version(s) and received {} \
                 order event(s) from HQ",
                pulled.taken_back, pulled.catalog_versions, pulled.received_events
            );
        }
    }
    Ok(())
}

fn chain_join(hq: String, token: String, ca_file: Option<PathBuf>) -> anyhow::Result<ChainJoin> {
    let ca_pem = ca_file
        .map(|path| {
            std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))
        })
        .transpose()?;
    Ok(ChainJoin {
        hq_url: hq,
        token,
        ca_pem,
    })
}
