//! Pairing by QR (SPEC §13): an admin asks for a short code, the settings screen shows its
//! claim link as a QR code, and the tablet that opens it exchanges the code for a device
//! token with the role chosen up front.
//!
//! Invariants:
//! - A code is 8 Crockford base32 characters (40 bits) from the operating system's RNG, lives
//!   `PAIRING_TTL` by the app's clock, and is claimed at most once: the claim takes it out of
//!   the pending set under one lock before the token is made.
//! - Codes live only in memory: a restart forgets them, which only means pairing again.
//! - Guessing is slowed down by the HTTP layer's failure limiter (a wrong code counts as a
//!   wrong token), so 40 bits are plenty for a code that lives 5 minutes.
//! - The link names an address a tablet can reach: one a running server listens on
//!   (`note_listening`), a non-loopback one when there is any; when there is none the
//!   answer says so (`reachable_from_network: false`), so no screen shows a QR code that no
//!   tablet can open.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use jiff::{SignedDuration, Timestamp};

use crate::dto::{CreatedDeviceToken, DeviceTokenInput, Pairing, PairingClaim, PairingInput};
use crate::tokens::parse_role;
use crate::{App, AppError, convert};

/// How long a pairing code can be claimed.
pub const PAIRING_TTL: SignedDuration = SignedDuration::from_mins(5);
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LEN: usize = 8;
/// Used and expired codes are remembered this long, to answer 410 rather than 404.
const REMEMBER_FOR: SignedDuration = SignedDuration::from_hours(1);

/// The pending codes and the addresses the app is served on; shared by every clone of `App`.
#[derive(Default)]
pub(crate) struct PairingState {
    codes: HashMap<String, Pending>,
    /// Base URLs (`http://192.168.1.20:8000`) of the running servers, by server.
    listening: Vec<(u64, Vec<String>)>,
    next_server: u64,
}

struct Pending {
    name: String,
    role: String,
    expires_at: Timestamp,
    claimed: bool,
}

pub(crate) type SharedPairing = Arc<Mutex<PairingState>>;

fn new_code() -> Result<String, AppError> {
    let mut bytes = [0u8; CODE_LEN];
    getrandom::fill(&mut bytes)
        .map_err(|error| AppError::internal(anyhow::anyhow!("the system RNG failed: {error}")))?;
    Ok(bytes
        .iter()
        .map(|byte| char::from(CODE_ALPHABET[usize::from(byte % 32)]))
        .collect())
}

/// What a person may have typed: case, spaces and dashes do not matter, and the letters
/// Crockford base32 leaves out read as the digits they look like.
fn normalize_code(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

/// `path` (with its query) on every base a server listens on, loopback addresses last (a
/// tablet or a phone cannot reach them).
fn page_urls(listening: &[(u64, Vec<String>)], path: &str) -> Vec<String> {
    let mut bases: Vec<&String> = listening.iter().flat_map(|(_, bases)| bases).collect();
    bases.sort_by_key(|base| is_loopback_url(base));
    bases.dedup();
    bases
        .into_iter()
        .map(|base| format!("{base}{path}"))
        .collect()
}

pub(crate) fn is_loopback_url(base: &str) -> bool {
    base.contains("://127.") || base.contains("://[::1]") || base.contains("://localhost")
}

impl App {
    fn pairing(&self) -> std::sync::MutexGuard<'_, PairingState> {
        self.pairing
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// Records that a server now answers at `bases` (`http://host:port`); the returned
    /// number hands them back to `note_stopped`.
    pub fn note_listening(&self, bases: Vec<String>) -> u64 {
        let mut state = self.pairing();
        state.next_server += 1;
        let server = state.next_server;
        state.listening.push((server, bases));
        server
    }

    pub fn note_stopped(&self, server: u64) {
        self.pairing().listening.retain(|(id, _)| *id != server);
    }

    /// `path` on every address a running server listens on, the ones other devices can
    /// reach first (pairing links and share links both use it).
    pub(crate) fn reachable_urls(&self, path: &str) -> Vec<String> {
        page_urls(&self.pairing().listening, path)
    }

    /// A new single-use pairing code for a token named `input.name` with `input.role`.
    pub fn create_pairing(&self, input: PairingInput) -> Result<Pairing, AppError> {
        let name = crate::tokens::parse_name(&input.name)?;
        let role = parse_role(input.role.as_deref())?.name().to_owned();
        let code = new_code()?;
        let now = self.now();
        let expires_at = now + PAIRING_TTL;
        let mut state = self.pairing();
        let urls = page_urls(&state.listening, &format!("/pair/?code={code}"));
        let Some(url) = urls.first().cloned() else {
            return Err(AppError::Conflict(
                "no server is listening for tablets: start the local network server \
                 (Settings → Local network, or `paform serve --bind 0.0.0.0:8000`) first"
                    .into(),
            ));
        };
        state
            .codes
            .retain(|_, pending| now < pending.expires_at + REMEMBER_FOR);
        state.codes.insert(
            code.clone(),
            Pending {
                name: name.clone(),
                role: role.clone(),
                expires_at,
                claimed: false,
            },
        );
        Ok(Pairing {
            code,
            reachable_from_network: !is_loopback_url(&url),
            url,
            urls,
            name,
            role,
            expires_at: convert::timestamp(expires_at),
        })
    }

    /// Exchanges a live code for a new device token; the code can never be used again.
    pub async fn claim_pairing(&self, claim: PairingClaim) -> Result<CreatedDeviceToken, AppError> {
        let code = normalize_code(&claim.code);
        let now = self.now();
        let input = {
            let mut state = self.pairing();
            let pending = state
                .codes
                .get_mut(&code)
                .ok_or_else(|| AppError::not_found("pairing code", &code))?;
            if pending.claimed {
                return Err(AppError::Gone(
                    "this pairing code was already used; make a new one in Settings".into(),
                ));
            }
            if now >= pending.expires_at {
                return Err(AppError::Gone(format!(
                    "this pairing code expired at {}; make a new one in Settings",
                    convert::timestamp(pending.expires_at)
                )));
            }
            pending.claimed = true;
            DeviceTokenInput {
                name: pending.name.clone(),
                role: Some(pending.role.clone()),
            }
        };
        self.create_device_token(input).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_eight_characters_of_the_alphabet_and_typing_slips_are_forgiven() {
        let code = new_code().unwrap();
        assert_eq!(code.len(), CODE_LEN);
        assert!(code.bytes().all(|byte| CODE_ALPHABET.contains(&byte)));
        assert_eq!(normalize_code(" abcd-efoi "), "ABCDEF01");
    }

    #[tokio::test]
    async fn a_code_says_whether_a_tablet_on_the_local_network_can_open_its_link() {
        struct Clock;
        impl crate::Clock for Clock {
            fn now(&self) -> Timestamp {
                "2026-12-07T05:00:00Z".parse().expect("a timestamp")
            }
        }
        let app = App::in_memory(Arc::new(Clock), false)
            .await
            .expect("an app");
        let input = || PairingInput {
            name: "floor-tablet".into(),
            role: Some("production".into()),
        };
        let loopback = app.note_listening(vec!["http://127.0.0.1:8000".to_owned()]);
        let pairing = app.create_pairing(input()).expect("a code");
        assert!(!pairing.reachable_from_network);
        assert_eq!(
            pairing.url,
            format!("http://127.0.0.1:8000/pair/?code={}", pairing.code)
        );
        app.note_listening(vec!["http://192.168.1.20:8000".to_owned()]);
        let pairing = app.create_pairing(input()).expect("a code");
        assert!(pairing.reachable_from_network);
        assert!(pairing.url.starts_with("http://192.168.1.20:8000/pair/"));
        app.note_stopped(loopback);
    }

    #[test]
    fn links_prefer_addresses_beyond_loopback() {
        let listening = vec![
            (1, vec!["http://127.0.0.1:8000".to_owned()]),
            (2, vec!["http://192.168.1.20:8000".to_owned()]),
        ];
        assert_eq!(
            page_urls(&listening, "/pair/?code=X"),
            vec![
                "http://192.168.1.20:8000/pair/?code=X",
                "http://127.0.0.1:8000/pair/?code=X"
            ]
        );
    }
}
