//! The chain's nodes and HQ's tokens: adding a node (its join token is shown once, only its
//! SHA-256 is stored), joining with a prefix, revoking, and admin tokens. Resolving a
//! bearer token to who is calling lives here too.

use paform_api::chain::{JoinReply, JoinRequest, NodeRole};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::Hq;
use crate::error::{HqError, HqResult};

/// Who a valid token belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// An HQ admin token: the admin and read APIs.
    Admin,
    /// A node's token: `/hq/v1/*` for its own data.
    Node(String),
}

/// A node as HQ's admin API lists it (never its token).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeView {
    pub id: String,
    pub name: String,
    pub role: NodeRole,
    pub number_prefix: Option<String>,
    pub held_seq: u64,
    pub revoked: bool,
    pub created_at: String,
    pub joined_at: Option<String>,
    pub last_push_at: Option<String>,
    /// Entries of this node HQ keeps in quarantine.
    pub quarantined: u64,
}

/// A node just added: the only time its token is seen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewNode {
    pub node_id: String,
    pub token: String,
}

/// An admin token just created: the only time it is seen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewToken {
    pub token_id: String,
    pub token: String,
}

pub(crate) fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    getrandom::getrandom(&mut buffer).expect("the operating system supplies random bytes");
    hex::encode(buffer)
}

fn parse_role(role: &str) -> HqResult<NodeRole> {
    match role {
        "showroom" => Ok(NodeRole::Showroom),
        "factory" => Ok(NodeRole::Factory),
        other => Err(HqError::Invalid(format!(
            "role must be showroom or factory, not {other:?}"
        ))),
    }
}

/// A prefix is 1–12 capital letters or digits (`LDS` in `LDS-000042`).
pub(crate) fn check_prefix(prefix: &str) -> HqResult<()> {
    let ok = !prefix.is_empty()
        && prefix.len() <= 12
        && prefix
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(HqError::Invalid(format!(
            "number_prefix must be 1 to 12 capital letters or digits, not {prefix:?}"
        )))
    }
}

impl Hq {
    /// Adds a node and returns its id and join token (shown once).
    pub async fn add_node(
        &self,
        name: &str,
        role: &str,
        prefix: Option<&str>,
    ) -> HqResult<NewNode> {
        let role = parse_role(role)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(HqError::Invalid("name must not be empty".into()));
        }
        if let Some(prefix) = prefix {
            check_prefix(prefix)?;
        }
        let node_id = format!("node-{}", random_hex(8));
        let token = format!("pfn_{}", random_hex(24));
        let inserted = sqlx::query(
            "INSERT INTO nodes (id, name, role, number_prefix, token_sha256) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (number_prefix) DO NOTHING",
        )
        .bind(&node_id)
        .bind(name)
        .bind(role.as_str())
        .bind(prefix)
        .bind(sha256_hex(&token))
        .execute(&self.pool)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(HqError::Conflict(format!(
                "another node holds the number prefix {}",
                prefix.unwrap_or_default()
            )));
        }
        Ok(NewNode { node_id, token })
    }

    /// Every node, oldest first.
    pub async fn list_nodes(&self) -> HqResult<Vec<NodeView>> {
        let rows = sqlx::query(
            "SELECT n.id, n.name, n.role, n.number_prefix, n.held_seq, n.revoked_at IS NOT NULL AS revoked, \
             to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at, \
             to_char(n.joined_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS joined_at, \
             to_char(n.last_push_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS last_push_at, \
             (SELECT count(*) FROM quarantine q WHERE q.node_id = n.id) AS quarantined \
             FROM nodes n ORDER BY n.created_at, n.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(NodeView {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    role: parse_role(row.try_get::<&str, _>("role")?)?,
                    number_prefix: row.try_get("number_prefix")?,
                    held_seq: row.try_get::<i64, _>("held_seq")? as u64,
                    revoked: row.try_get("revoked")?,
                    created_at: row.try_get("created_at")?,
                    joined_at: row.try_get("joined_at")?,
                    last_push_at: row.try_get("last_push_at")?,
                    quarantined: row.try_get::<i64, _>("quarantined")? as u64,
                })
            })
            .collect()
    }

    /// Revokes a node's token: from now on it writes nothing (401).
    pub async fn revoke_node(&self, node_id: &str) -> HqResult<()> {
        let done =
            sqlx::query("UPDATE nodes SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1")
                .bind(node_id)
                .execute(&self.pool)
                .await?;
        if done.rows_affected() == 0 {
            return Err(HqError::NotFound(format!("no node {node_id}")));
        }
        Ok(())
    }

    /// Creates an HQ admin token (shown once; only its SHA-256 is stored).
    pub async fn create_admin_token(&self) -> HqResult<NewToken> {
        let token_id = format!("tok-{}", random_hex(8));
        let token = format!("pfh_{}", random_hex(24));
        sqlx::query("INSERT INTO hq_tokens (id, token_sha256) VALUES ($1, $2)")
            .bind(&token_id)
            .bind(sha256_hex(&token))
            .execute(&self.pool)
            .await?;
        Ok(NewToken { token_id, token })
    }

    /// Who holds `token`; unknown and revoked tokens are `Unauthorized`.
    pub async fn authenticate(&self, token: &str) -> HqResult<Principal> {
        let digest = sha256_hex(token);
        let row = sqlx::query(
            "SELECT 'admin' AS who, '' AS id, revoked_at IS NOT NULL AS revoked FROM hq_tokens WHERE token_sha256 = $1 \
             UNION ALL \
             SELECT 'node', id, revoked_at IS NOT NULL FROM nodes WHERE token_sha256 = $1",
        )
        .bind(&digest)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Err(HqError::Unauthorized("unknown token".into()));
        };
        if row.try_get::<bool, _>("revoked")? {
            return Err(HqError::Unauthorized("the token was revoked".into()));
        }
        match row.try_get::<&str, _>("who")? {
            "admin" => Ok(Principal::Admin),
            _ => Ok(Principal::Node(row.try_get("id")?)),
        }
    }

    /// A node joins with its prefix; refused (409) when another node holds the prefix, or
    /// when HQ holds another one for this node, unless the site adopts that one (it has
    /// numbered nothing yet). Joining again with the same prefix answers the same.
    pub async fn join(&self, node_id: &str, request: &JoinRequest) -> HqResult<JoinReply> {
        if let Some(prefix) = &request.number_prefix {
            check_prefix(prefix)?;
        }
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "SELECT name, role, number_prefix, held_seq, revoked_at IS NOT NULL AS revoked \
             FROM nodes WHERE id = $1 FOR UPDATE",
        )
        .bind(node_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| HqError::Unauthorized("unknown node".into()))?;
        if row.try_get::<bool, _>("revoked")? {
            return Err(HqError::Unauthorized("the token was revoked".into()));
        }
        let current: Option<String> = row.try_get("number_prefix")?;
        let prefix = match (&request.number_prefix, &current) {
            (Some(_), Some(current)) if request.adopt_held_prefix => current.clone(),
            (Some(prefix), _) => prefix.clone(),
            (None, Some(current)) => current.clone(),
            (None, None) => {
                return Err(HqError::Invalid(
                    "this node has no number prefix yet: join with one".into(),
                ));
            }
        };
        if let Some(current) = &current
            && current != &prefix
        {
            return Err(HqError::Conflict(format!(
                "this node already joined with the prefix {current}"
            )));
        }
        let holder: Option<String> =
            sqlx::query_scalar("SELECT id FROM nodes WHERE number_prefix = $1 AND id <> $2")
                .bind(&prefix)
                .bind(node_id)
                .fetch_optional(&mut *tx)
                .await?;
        if holder.is_some() {
            return Err(HqError::Conflict(format!(
                "another node holds the number prefix {}",
                prefix
            )));
        }
        let updated = sqlx::query(
            "UPDATE nodes SET number_prefix = $2, joined_at = COALESCE(joined_at, now()) WHERE id = $1",
        )
        .bind(node_id)
        .bind(&prefix)
        .execute(&mut *tx)
        .await;
        match updated {
            Ok(_) => {}
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                return Err(HqError::Conflict(format!(
                    "another node holds the number prefix {}",
                    prefix
                )));
            }
            Err(error) => return Err(error.into()),
        }
        tx.commit().await?;
        Ok(JoinReply {
            node_id: node_id.to_owned(),
            node_name: row.try_get("name")?,
            role: parse_role(row.try_get::<&str, _>("role")?)?,
            held_seq: row.try_get::<i64, _>("held_seq")? as u64,
            number_prefix: Some(prefix),
        })
    }
}
