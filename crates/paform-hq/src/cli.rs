//! `paform hq …`: serve HQ, manage nodes and admin tokens. The binary only parses these and
//! calls `run`.

use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::Subcommand;

use crate::Hq;

#[derive(Debug, Subcommand)]
pub enum HqCommand {
    /// Serve HQ's API over a PostgreSQL database (migrations are applied at start).
    Serve {
        /// `postgres://user@host:port/database`
        #[arg(long, env = "PAFORM_DATABASE_URL")]
        database: String,
        /// Address and port to listen on.
        #[arg(long, env = "PAFORM_BIND", default_value = "127.0.0.1:8100")]
        bind: SocketAddr,
        /// Do not seed the demo catalog into an empty database.
        #[arg(long)]
        no_demo: bool,
        /// The UI's static export (`ui/out`), served as the chain view; by default the one
        /// installed with Paform, if any.
        #[arg(long, env = "PAFORM_UI_DIR")]
        ui_dir: Option<PathBuf>,
    },
    /// The chain's nodes (showrooms and factories).
    #[command(subcommand)]
    Node(NodeCommand),
    /// HQ admin tokens.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Debug, Subcommand)]
pub enum NodeCommand {
    /// Adds a node and prints its id and join token (shown once).
    Add {
        #[arg(long, env = "PAFORM_DATABASE_URL")]
        database: String,
        #[arg(long)]
        name: String,
        /// showroom or factory
        #[arg(long)]
        role: String,
        /// Reserve the node's order-number prefix now (else it is taken when the node joins).
        #[arg(long)]
        prefix: Option<String>,
        /// Print `{node_id, token}` as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Lists the nodes.
    List {
        #[arg(long, env = "PAFORM_DATABASE_URL")]
        database: String,
        #[arg(long)]
        json: bool,
    },
    /// Revokes a node's token: it writes nothing from then on.
    Revoke {
        /// The node's id.
        id: String,
        #[arg(long, env = "PAFORM_DATABASE_URL")]
        database: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Creates an HQ admin token and prints it (shown once).
    Create {
        #[arg(long, env = "PAFORM_DATABASE_URL")]
        database: String,
        #[arg(long)]
        json: bool,
    },
}

/// Runs one `paform hq` command; `shutdown` ends `serve` gracefully. `with_ui` adds the
/// UI's static files to HQ's router (the binary passes the site server's, so both serve
/// the UI alike).
pub async fn run(
    command: HqCommand,
    shutdown: impl Future<Output = ()> + Send + 'static,
    with_ui: impl FnOnce(axum::Router, Option<&Path>) -> axum::Router,
) -> anyhow::Result<()> {
    match command {
        HqCommand::Serve {
            database,
            bind,
            no_demo,
            ui_dir,
        } => {
            let hq = Hq::open(&database).await?;
            if !no_demo && hq.seed_demo_catalog().await? {
                tracing::info!("seeded the demo catalog into an empty HQ database");
            }
            let router = with_ui(crate::http::router(hq), ui_dir.as_deref());
            let listener = tokio::net::TcpListener::bind(bind).await?;
            let address = listener.local_addr()?;
            tracing::info!(%address, "paform hq listening on http://{address}");
            println!("paform hq listening on http://{address}");
            std::io::stdout().flush()?;
            crate::http::serve_router(listener, router, shutdown).await?;
        }
        HqCommand::Node(NodeCommand::Add {
            database,
            name,
            role,
            prefix,
            json,
        }) => {
            let hq = Hq::open_with(&database, 2).await?;
            let node = hq.add_node(&name, &role, prefix.as_deref()).await?;
            if json {
                println!("{}", serde_json::to_string(&node)?);
            } else {
                println!("node id: {}\ntoken:   {}", node.node_id, node.token);
                println!("The token is shown only this once; give it to the site to join.");
            }
        }
        HqCommand::Node(NodeCommand::List { database, json }) => {
            let hq = Hq::open_with(&database, 2).await?;
            let nodes = hq.list_nodes().await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&nodes)?);
            } else {
                for node in nodes {
                    println!(
                        "{}\t{}\t{}\t{}\theld {}{}",
                        node.id,
                        node.role.as_str(),
                        node.number_prefix.as_deref().unwrap_or("-"),
                        node.name,
                        node.held_seq,
                        if node.revoked { "\trevoked" } else { "" }
                    );
                }
            }
        }
        HqCommand::Node(NodeCommand::Revoke { id, database, json }) => {
            let hq = Hq::open_with(&database, 2).await?;
            hq.revoke_node(&id).await?;
            if json {
                println!("{}", serde_json::json!({"node_id": id, "revoked": true}));
            } else {
                println!("node {id} revoked");
            }
        }
        HqCommand::Token(TokenCommand::Create { database, json }) => {
            let hq = Hq::open_with(&database, 2).await?;
            let token = hq.create_admin_token().await?;
            if json {
                println!("{}", serde_json::to_string(&token)?);
            } else {
                println!("{}", token.token);
            }
        }
    }
    Ok(())
}
