//! Live updates (SPEC §12): the changes of committed writes as a stream of numbered events.
//!
//! The store's commit hook hands every committed group's changed records to `EventHub`,
//! which turns them into events (order, part, job, catalog, offcut), numbers them, keeps
//! the last `RING` in memory and broadcasts them. A write that rolled back is never heard,
//! and an event is in the ring before the writer's caller is answered, so a client that
//! saw an answer and then (re)subscribes from an earlier id gets that write's event.
//!
//! Ids restart at 1 with the process: a client resuming from an id the ring no longer
//! holds (too old, or from before a restart) is told to `reset` and refetch.
//!
//! Browsers' `EventSource` cannot send an `Authorization` header, so a device-token holder
//! may ask for a short-lived token (`events_token`), an HMAC over its expiry with a key
//! made at start; it opens only the event stream.

use std::collections::{BTreeSet, VecDeque};
use std::sync::Mutex;

use hmac::{Hmac, Mac};
use paform_store::Change;
use sha2::Sha256;
use tokio::sync::broadcast;

use crate::dto::{EventsToken, LiveEvent};
use crate::{App, AppError};

/// How many recent events a reconnecting client can resume from.
const RING: usize = 1_000;
/// Events a slow subscriber may fall behind before it is told to reset.
const CHANNEL: usize = 4_096;
/// Seconds an events token stays valid.
const TOKEN_SECONDS: u64 = 60;

/// What a subscriber gets before the live events.
pub enum Resume {
    /// The events after the id it gave (none when it gave none).
    Replay(Vec<LiveEvent>),
    /// Its id is no longer held: it must refetch everything; `last_id` is the id of the last
    /// event so far, which the `reset` event carries.
    Reset { last_id: u64 },
}

struct Ring {
    last_id: u64,
    events: VecDeque<LiveEvent>,
}

pub struct EventHub {
    ring: Mutex<Ring>,
    sender: broadcast::Sender<LiveEvent>,
    key: [u8; 32],
}

/// The event a changed record makes, if any.
fn event_of(change: &Change) -> Option<(&'static str, String)> {
    let key = change.key.clone();
    let event = match change.table {
        "orders" => ("order", key),
        "order_events" => ("order", key.split('/').next()?.to_owned()),
        "part_scans" => ("part", key),
        "jobs" => ("job", key),
        "materials" | "modules" | "material_stock" => ("catalog", key),
        "offcuts" => ("offcut", key),
        _ => return None,
    };
    Some(event)
}

impl EventHub {
    pub(crate) fn new() -> Result<EventHub, AppError> {
        let mut key = [0_u8; 32];
        getrandom::fill(&mut key).map_err(|error| {
            AppError::internal(anyhow::anyhow!("no randomness for the events key: {error}"))
        })?;
        Ok(EventHub {
            ring: Mutex::new(Ring {
                last_id: 0,
                events: VecDeque::with_capacity(RING),
            }),
            sender: broadcast::channel(CHANNEL).0,
            key,
        })
    }

    /// Publishes the events of one committed group, each change once.
    pub(crate) fn publish(&self, changes: &[Change]) {
        let distinct: BTreeSet<(&'static str, String)> =
            changes.iter().filter_map(event_of).collect();
        if distinct.is_empty() {
            return;
        }
        let mut ring = self
            .ring
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        for (kind, subject) in distinct {
            ring.last_id += 1;
            let event = LiveEvent {
                id: ring.last_id,
                kind: kind.to_owned(),
                subject,
            };
            if ring.events.len() == RING {
                ring.events.pop_front();
            }
            ring.events.push_back(event.clone());
            // No subscriber is not an error.
            let _ = self.sender.send(event);
        }
    }

    /// The events after `last_event_id` and a receiver of every later one, taken together
    /// so that none is missed or repeated.
    pub fn subscribe(
        &self,
        last_event_id: Option<u64>,
    ) -> (Resume, broadcast::Receiver<LiveEvent>) {
        let ring = self
            .ring
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let receiver = self.sender.subscribe();
        let resume = match last_event_id {
            None => Resume::Replay(Vec::new()),
            Some(last) if last > ring.last_id => Resume::Reset {
                last_id: ring.last_id,
            },
            Some(last) => {
                let oldest_held = ring
                    .events
                    .front()
                    .map_or(ring.last_id + 1, |event| event.id);
                if last + 1 < oldest_held {
                    Resume::Reset {
                        last_id: ring.last_id,
                    }
                } else {
                    Resume::Replay(
                        ring.events
                            .iter()
                            .filter(|event| event.id > last)
                            .cloned()
                            .collect(),
                    )
                }
            }
        };
        (resume, receiver)
    }

    /// The `reset` event: refetch everything, then resume after `last_id`.
    pub fn reset_event(last_id: u64) -> LiveEvent {
        LiveEvent {
            id: last_id,
            kind: "reset".to_owned(),
            subject: String::new(),
        }
    }

    /// The `reset` event for a subscriber that fell behind now.
    pub fn reset_now(&self) -> LiveEvent {
        let ring = self
            .ring
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        EventHub::reset_event(ring.last_id)
    }

    fn mac(&self, expires: u64) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(format!("events:{expires}").as_bytes());
        mac
    }
}

impl App {
    /// The live event stream.
    pub fn events(&self) -> &EventHub {
        &self.events
    }

    /// A token that opens the event stream for `TOKEN_SECONDS`.
    pub fn events_token(&self) -> EventsToken {
        let expires = self.now().as_second().max(0) as u64 + TOKEN_SECONDS;
        let signature = hex::encode(self.events.mac(expires).finalize().into_bytes());
        EventsToken {
            token: format!("{expires}.{signature}"),
            expires_in: TOKEN_SECONDS,
        }
    }

    /// Whether `token` is a genuine, unexpired events token.
    pub fn check_events_token(&self, token: &str) -> bool {
        let Some((expires, signature)) = token.split_once('.') else {
            return false;
        };
        let (Ok(expires), Ok(signature)) = (expires.parse::<u64>(), hex::decode(signature)) else {
            return false;
        };
        let now = self.now().as_second().max(0) as u64;
        expires >= now && self.events.mac(expires).verify_slice(&signature).is_ok()
    }
}
