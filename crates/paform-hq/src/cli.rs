//! `paform hq …`: serve HQ, manage nodes and admin tokens. The binary only parses these and
//! calls `run`.

use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;

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

/// Runs one `paform hq` command; `shutdown` ends `serve` gracefully.
pub async fn run(
    command: HqCommand,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    match command {
        HqCommand::Serve {
            database,
            bind,
            no_demo: _,
        } => {
            let hq = Hq::open(&database).await?;
            let listener = tokio::net::TcpListener::bind(bind).await?;
            let address = listener.local_addr()?;
            tracing::info!(%address, "paform hq listening on http://{address}");
            println!("paform hq listening on http://{address}");
            std::io::stdout().flush()?;
            crate::http::serve(listener, hq, shutdown).await?;
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
