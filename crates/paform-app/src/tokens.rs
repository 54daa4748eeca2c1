//! Device tokens (SPEC §8): the bearer tokens that tablets and shop-floor devices present to
//! the local-network API. The desktop app, the REST API and the CLI all create, list and
//! revoke them through these use cases, and the HTTP layer authenticates through
//! `authenticate_device_token`.
//!
//! Invariants:
//! - A token is 32 bytes from the operating system's RNG, written `pf_<base64url>`; it is
//!   returned once, by its creation, and only its SHA-256 is stored.
//! - Presented tokens are compared by digest in constant time, against every stored token,
//!   so neither the comparison nor the scan ends early on a match.
//! - A revoked token never authenticates again; revoking is idempotent.
//! - `last_used_at` is written at most about once a minute per token, so authenticating a
//!   request almost never costs a disk write.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::{SignedDuration, Timestamp};
use paform_store::records::v3::DeviceTokenRecord;
use paform_store::tables_v3::DEVICE_TOKENS;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::convert;
use crate::dto::{CreatedDeviceToken, DeviceToken, DeviceTokenInput};
use crate::{App, AppError};

/// Marks Paform tokens, so that a leaked one is recognizable (e.g. by secret scanners).
const TOKEN_PREFIX: &str = "pf_";
const SECRET_BYTES: usize = 32;
/// `pf_` plus the unpadded base64url text of 32 bytes.
const TOKEN_LEN: usize = TOKEN_PREFIX.len() + 43;
const MAX_NAME_CHARS: usize = 64;
/// How stale `last_used_at` may get before an authentication refreshes it.
const LAST_USED_RESOLUTION: SignedDuration = SignedDuration::from_secs(60);

/// The answer to every failed authentication: it does not say whether the token was unknown,
/// malformed or revoked.
const UNAUTHORIZED: &str =
    "this request needs a valid device token: send `Authorization: Bearer <token>`";

/// What a device token may do (SPEC §13). The HTTP layer decides which routes each role
/// reaches; here a role is only named, parsed and stored, and asked once more where a request
/// field, not a route, needs admin (overriding the check before production).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Sales,
    Production,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Sales, Role::Production];

    /// `admin`, `sales` or `production`; anything else is no role.
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.name() == text)
    }

    pub fn name(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Sales => "sales",
            Role::Production => "production",
        }
    }
}

/// A requested role; none means `admin`, as for every token made before roles existed.
pub(crate) fn parse_role(role: Option<&str>) -> Result<Role, AppError> {
    match role.map(str::trim) {
        None | Some("") => Ok(Role::Admin),
        Some(text) => Role::parse(text).ok_or_else(|| {
            AppError::invalid_field("role", "must be one of admin, sales, production")
        }),
    }
}

/// Lowercase hex SHA-256 of a token's text, as stored in `DeviceTokenRecord::sha256`.
fn token_digest(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

fn new_token_text() -> Result<String, AppError> {
    let mut secret = [0u8; SECRET_BYTES];
    getrandom::fill(&mut secret)
        .map_err(|error| AppError::internal(anyhow::anyhow!("the system RNG failed: {error}")))?;
    Ok(format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(secret)))
}

pub(crate) fn parse_name(name: &str) -> Result<String, AppError> {
    let trimmed = name.trim();
    let n_chars = trimmed.chars().count();
    if n_chars == 0 || n_chars > MAX_NAME_CHARS || trimmed.chars().any(char::is_control) {
        return Err(AppError::invalid_field(
            "name",
            format!("must have 1 to {MAX_NAME_CHARS} characters and no control characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

fn to_dto(record: DeviceTokenRecord) -> DeviceToken {
    DeviceToken {
        id: record.id,
        name: record.name,
        role: record.role,
        created_at: record.created_at,
        last_used_at: record.last_used_at,
        revoked_at: record.revoked_at,
    }
}

/// Whether `last_used_at` is old enough (or unreadable enough) to be written again.
fn needs_refresh(last_used_at: Option<&str>, now: Timestamp) -> bool {
    last_used_at
        .and_then(|text| text.parse::<Timestamp>().ok())
        .is_none_or(|last| now.duration_since(last) >= LAST_USED_RESOLUTION)
}

impl App {
    /// Creates a token and returns it with its secret, which is never shown again.
    pub async fn create_device_token(
        &self,
        input: DeviceTokenInput,
    ) -> Result<CreatedDeviceToken, AppError> {
        let name = parse_name(&input.name)?;
        let role = parse_role(input.role.as_deref())?;
        let token = new_token_text()?;
        let record = DeviceTokenRecord {
            id: self.new_id(),
            name,
            sha256: token_digest(&token),
            role: role.name().to_owned(),
            created_at: convert::timestamp(self.now()),
            last_used_at: None,
            revoked_at: None,
        };
        let stored = record.clone();
        self.store()
            .write(move |tx| {
                tx.insert(&DEVICE_TOKENS, &stored.id, &stored)
                    .map_err(AppError::from)
            })
            .await?;
        Ok(CreatedDeviceToken {
            id: record.id,
            name: record.name,
            role: record.role,
            created_at: record.created_at,
            token,
        })
    }

    /// Tokens in creation order; revoked ones only when asked for.
    pub fn list_device_tokens(&self, include_revoked: bool) -> Result<Vec<DeviceToken>, AppError> {
        let mut tokens = Vec::new();
        self.store().read(|tx| {
            tx.scan(&DEVICE_TOKENS, None, |record| {
                if include_revoked || record.revoked_at.is_none() {
                    tokens.push(to_dto(record));
                }
                true
            })
            .map_err(AppError::from)
        })?;
        Ok(tokens)
    }

    /// Whether any token can authenticate (the precondition of serving beyond loopback).
    pub fn has_active_device_tokens(&self) -> Result<bool, AppError> {
        let mut found = false;
        self.store().read(|tx| {
            tx.scan(&DEVICE_TOKENS, None, |record| {
                found = record.revoked_at.is_none();
                !found
            })
            .map_err(AppError::from)
        })?;
        Ok(found)
    }

    /// Revokes a token. Revoking a revoked token changes nothing and succeeds.
    pub async fn revoke_device_token(&self, id: &str) -> Result<DeviceToken, AppError> {
        let id = id.to_owned();
        let now = convert::timestamp(self.now());
        let record = self
            .store()
            .write(move |tx| {
                let mut record = tx
                    .get(&DEVICE_TOKENS, &id)?
                    .ok_or_else(|| AppError::not_found("device token", &id))?;
                if record.revoked_at.is_none() {
                    record.revoked_at = Some(now);
                    tx.insert(&DEVICE_TOKENS, &id, &record)?;
                }
                Ok::<_, AppError>(record)
            })
            .await?;
        Ok(to_dto(record))
    }

    /// The token that `presented` is, if it is a live one; `Unauthorized` otherwise.
    pub async fn authenticate_device_token(
        &self,
        presented: &str,
    ) -> Result<DeviceToken, AppError> {
        // The shape check leaks nothing: every real token has this prefix and length.
        if presented.len() != TOKEN_LEN || !presented.starts_with(TOKEN_PREFIX) {
            return Err(AppError::Unauthorized(UNAUTHORIZED.into()));
        }
        let digest = token_digest(presented);
        let mut matched: Option<DeviceTokenRecord> = None;
        self.store().read(|tx| {
            tx.scan(&DEVICE_TOKENS, None, |record| {
                let equal: bool = record.sha256.as_bytes().ct_eq(digest.as_bytes()).into();
                if equal {
                    matched = Some(record);
                }
                true
            })
            .map_err(AppError::from)
        })?;
        let record = matched
            .filter(|record| record.revoked_at.is_none())
            .ok_or_else(|| AppError::Unauthorized(UNAUTHORIZED.into()))?;
        let now = self.now();
        if needs_refresh(record.last_used_at.as_deref(), now) {
            let id = record.id.clone();
            let used_at = convert::timestamp(now);
            self.store()
                .write(move |tx| {
                    // Re-read: the token may have been revoked or used since the snapshot.
                    if let Some(mut current) = tx.get(&DEVICE_TOKENS, &id)?
                        && current.revoked_at.is_none()
                        && needs_refresh(current.last_used_at.as_deref(), now)
                    {
                        current.last_used_at = Some(used_at);
                        tx.insert(&DEVICE_TOKENS, &id, &current)?;
                    }
                    Ok::<_, AppError>(())
                })
                .await?;
        }
        Ok(to_dto(record))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::Clock;

    struct FixedClock(Mutex<Timestamp>);

    impl Clock for FixedClock {
        fn now(&self) -> Timestamp {
            *self.0.lock().expect("the clock's lock is never poisoned")
        }
    }

    fn start() -> Timestamp {
        "2026-11-24T10:00:00Z".parse().expect("a valid timestamp")
    }

    async fn app() -> (App, Arc<FixedClock>) {
        let clock = Arc::new(FixedClock(Mutex::new(start())));
        let app = App::in_memory(clock.clone(), false)
            .await
            .expect("an in-memory app opens");
        (app, clock)
    }

    fn named(name: &str) -> DeviceTokenInput {
        DeviceTokenInput {
            name: name.into(),
            role: None,
        }
    }

    #[tokio::test]
    async fn a_created_token_authenticates_and_is_stored_only_as_a_hash() {
        let (app, _) = app().await;
        let created = app.create_device_token(named(" tablet ")).await.unwrap();
        assert_eq!(created.name, "tablet");
        assert!(created.token.starts_with("pf_"));
        assert_eq!(created.token.len(), TOKEN_LEN);
        let stored = app
            .store()
            .read(|tx| tx.get(&DEVICE_TOKENS, &created.id))
            .unwrap()
            .unwrap();
        assert_eq!(stored.sha256, token_digest(&created.token));
        assert!(!stored.sha256.contains(&created.token[3..]));
        let listed = app.list_device_tokens(false).unwrap();
        assert_eq!(listed.len(), 1);
        let json = serde_json::to_string(&listed).unwrap();
        assert!(!json.contains(&created.token));
        let authenticated = app.authenticate_device_token(&created.token).await.unwrap();
        assert_eq!(authenticated.id, created.id);
        assert!(app.has_active_device_tokens().unwrap());
    }

    #[tokio::test]
    async fn tokens_are_random() {
        let (app, _) = app().await;
        let first = app.create_device_token(named("a")).await.unwrap();
        let second = app.create_device_token(named("a")).await.unwrap();
        assert_ne!(first.token, second.token);
        assert_ne!(first.id, second.id);
    }

    #[tokio::test]
    async fn unknown_malformed_and_revoked_tokens_are_unauthorized() {
        let (app, _) = app().await;
        let created = app.create_device_token(named("tablet")).await.unwrap();
        let mut altered = created.token.clone();
        let last = altered.pop().unwrap();
        altered.push(if last == 'A' { 'B' } else { 'A' });
        for presented in ["", "pf_", "Bearer x", altered.as_str(), &created.token[1..]] {
            let error = app.authenticate_device_token(presented).await.unwrap_err();
            assert!(matches!(error, AppError::Unauthorized(_)), "{presented}");
        }
        let revoked = app.revoke_device_token(&created.id).await.unwrap();
        assert!(revoked.revoked_at.is_some());
        let error = app
            .authenticate_device_token(&created.token)
            .await
            .unwrap_err();
        assert!(matches!(error, AppError::Unauthorized(_)));
        assert!(!app.has_active_device_tokens().unwrap());
        assert!(app.list_device_tokens(false).unwrap().is_empty());
        assert_eq!(app.list_device_tokens(true).unwrap().len(), 1);
    }

    #[tokio::test]
    async fn revoking_twice_keeps_the_first_revocation_and_unknown_ids_are_not_found() {
        let (app, clock) = app().await;
        let created = app.create_device_token(named("tablet")).await.unwrap();
        let first = app.revoke_device_token(&created.id).await.unwrap();
        *clock.0.lock().unwrap() = start() + SignedDuration::from_hours(1);
        let second = app.revoke_device_token(&created.id).await.unwrap();
        assert_eq!(first.revoked_at, second.revoked_at);
        let error = app.revoke_device_token("nope").await.unwrap_err();
        assert!(matches!(error, AppError::NotFound { .. }));
    }

    #[tokio::test]
    async fn names_are_validated() {
        let (app, _) = app().await;
        for name in ["", "   ", "a\nb", &"x".repeat(65)] {
            let error = app.create_device_token(named(name)).await.unwrap_err();
            let AppError::Invalid { problems } = error else {
                panic!("{name:?} was accepted");
            };
            assert_eq!(problems[0].field, "name");
        }
    }

    #[tokio::test]
    async fn last_used_at_is_written_at_most_once_a_minute() {
        let (app, clock) = app().await;
        let created = app.create_device_token(named("tablet")).await.unwrap();
        let last_used = |app: &App| {
            app.list_device_tokens(false).unwrap()[0]
                .last_used_at
                .clone()
        };
        assert_eq!(last_used(&app), None);
        app.authenticate_device_token(&created.token).await.unwrap();
        let first = last_used(&app).expect("the first use is recorded");
        *clock.0.lock().unwrap() = start() + SignedDuration::from_secs(30);
        app.authenticate_device_token(&created.token).await.unwrap();
        assert_eq!(last_used(&app).as_deref(), Some(first.as_str()));
        *clock.0.lock().unwrap() = start() + SignedDuration::from_secs(61);
        app.authenticate_device_token(&created.token).await.unwrap();
        assert_ne!(last_used(&app).as_deref(), Some(first.as_str()));
    }
}
