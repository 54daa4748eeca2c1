//! The tamper-evident audit trail (SPEC §10): every event of an order is one link of a hash
//! chain, `hash = SHA-256(prev_hash ‖ canonical JSON of the event)`, starting from `GENESIS`.
//! Editing, removing or reordering any stored event changes a hash that a later link (or
//! the recomputation) no longer matches, so `verify` names the first broken `seq`.
//!
//! The canonical JSON is the event's fields (without `hash`) as an object with keys sorted at
//! every depth and no insignificant whitespace, so it does not depend on how a serializer
//! happens to order fields.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The `prev_hash` of an order's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The JSON text of `value` with object keys sorted at every depth.
pub fn canonical_json(value: &Value) -> String {
    let mut text = String::new();
    write_canonical(value, &mut text);
    text
}

fn write_canonical(value: &Value, text: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            text.push('{');
            for (index, key) in keys.into_iter().enumerate() {
                if index > 0 {
                    text.push(',');
                }
                text.push_str(&Value::String(key.clone()).to_string());
                text.push(':');
                write_canonical(&map[key], text);
            }
            text.push('}');
        }
        Value::Array(items) => {
            text.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    text.push(',');
                }
                write_canonical(item, text);
            }
            text.push(']');
        }
        scalar => text.push_str(&scalar.to_string()),
    }
}

/// The hash of the link that follows `prev_hash` and carries `event` (its fields without
/// `hash`), as lowercase hex.
pub fn link_hash(prev_hash: &str, event: &Value) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(canonical_json(event).as_bytes());
    hex::encode(hasher.finalize())
}

/// One stored link as `verify` sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub seq: u64,
    /// The event's fields without `hash` (`prev_hash` included).
    pub event: Value,
    pub prev_hash: String,
    pub hash: String,
}

/// Checks one order's chain; the first `seq` whose link does not hold, if any. Links must be
/// numbered 1, 2, 3, … in order, each pointing at the hash before it.
pub fn verify(links: &[Link]) -> Result<(), u64> {
    let mut expected_prev = GENESIS.to_owned();
    for (index, link) in links.iter().enumerate() {
        let intact = link.seq == index as u64 + 1
            && link.prev_hash == expected_prev
            && link.event.get("prev_hash").and_then(Value::as_str) == Some(&link.prev_hash)
            && link_hash(&link.prev_hash, &link.event) == link.hash;
        if !intact {
            return Err(link.seq);
        }
        expected_prev = link.hash.clone();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn chain(events: &[Value]) -> Vec<Link> {
        let mut prev = GENESIS.to_owned();
        events
            .iter()
            .enumerate()
            .map(|(index, event)| {
                let mut event = event.clone();
                event["seq"] = json!(index + 1);
                event["prev_hash"] = json!(prev);
                let hash = link_hash(&prev, &event);
                prev = hash.clone();
                Link {
                    seq: index as u64 + 1,
                    prev_hash: event["prev_hash"].as_str().unwrap_or_default().to_owned(),
                    event,
                    hash,
                }
            })
            .collect()
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_depth() {
        let value = json!({"b": 1, "a": {"d": [1, {"z": null, "y": "é"}], "c": true}});
        assert_eq!(
            canonical_json(&value),
            r#"{"a":{"c":true,"d":[1,{"y":"é","z":null}]},"b":1}"#
        );
    }

    #[test]
    fn an_intact_chain_verifies() {
        let links = chain(&[
            json!({"kind": "status_changed"}),
            json!({"kind": "payment"}),
        ]);
        assert_eq!(verify(&links), Ok(()));
    }

    #[test]
    fn an_edited_event_breaks_the_chain_at_its_seq() {
        let mut links = chain(&[
            json!({"amount": "10.00"}),
            json!({"amount": "20.00"}),
            json!({"amount": "30.00"}),
        ]);
        links[1].event["amount"] = json!("2000.00");
        assert_eq!(verify(&links), Err(2));
    }

    #[test]
    fn a_removed_event_breaks_the_chain() {
        let mut links = chain(&[json!({"a": 1}), json!({"a": 2}), json!({"a": 3})]);
        links.remove(1);
        assert_eq!(verify(&links), Err(3));
    }

    #[test]
    fn a_recomputed_hash_without_fixing_the_next_link_is_caught() {
        let mut links = chain(&[json!({"a": 1}), json!({"a": 2})]);
        links[0].event["a"] = json!(5);
        links[0].hash = link_hash(GENESIS, &links[0].event);
        assert_eq!(verify(&links), Err(2));
    }
}
