//! Hygraph webhook deliveries, the pure part (SPEC §7): verifying the `gcms-signature`
//! header, reading the body into a typed `Delivery`, the idempotency key of a delivery, and
//! the rule that orders deliveries about one entry so that any arrival order converges.
//!
//! Invariants kept by omission: nothing here reads a clock (callers pass `now_ms`), touches
//! the network or the store, or decides an HTTP status; `SignatureError::is_malformed` and
//! `PayloadError` give the caller what it needs to choose one.

mod ordering;
mod payload;
mod revision;
mod signature;

use sha2::{Digest, Sha256};

pub use ordering::supersedes;
pub use payload::{
    Content, Delivery, EntryId, EntryIdError, Material, Module, PayloadError, Stage, Typename,
    parse_delivery,
};
pub use revision::{Operation, Revision};
pub use signature::{
    HeaderPart, MAX_AGE_MS, MAX_FUTURE_MS, SignatureError, SignatureHeader, sign, signature_header,
    verify,
};

/// The idempotency key of a delivery: the lowercase hex SHA-256 of the raw body.
///
/// Hygraph retries a failed delivery (up to 5 tries) with the identical body, so the body
/// alone identifies the delivery. The signature header is deliberately left out: Hygraph signs
/// every retry afresh, with a new `t`, so a key over the header would differ per retry and let
/// a retry be applied twice. Two different bodies for one entry (an edit, then another) get
/// different keys, as they should.
pub fn delivery_key(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_key_is_the_hex_sha256_of_the_body() {
        // Known answers of SHA-256 (FIPS 180-2 examples and the empty input).
        let cases: [(&[u8], &str); 2] = [
            (
                b"",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (
                b"abc",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(delivery_key(body), expected);
        }
    }

    #[test]
    fn an_edit_of_the_same_entry_gets_a_new_delivery_key() {
        let first = r#"{"operation":"publish","data":{"id":"m","name":"Oak"}}"#;
        let edited = r#"{"operation":"publish","data":{"id":"m","name":"Oak "}}"#;
        assert_ne!(
            delivery_key(first.as_bytes()),
            delivery_key(edited.as_bytes())
        );
    }

    #[test]
    fn a_signed_delivery_verifies_and_parses_end_to_end() {
        let body = r#"{"operation":"delete","data":{"__typename":"Module","id":"clmod0001"}}"#;
        let header = signature_header(b"secret", body, "master", 1_700_000_000_000);
        let header = SignatureHeader::parse(&header).expect("generated header is valid");
        let verified = verify(
            &header,
            b"secret",
            body.as_bytes(),
            1_700_000_001_000,
            MAX_AGE_MS,
            MAX_FUTURE_MS,
        );
        assert_eq!(verified, Ok(()));
        let delivery = parse_delivery(body.as_bytes()).expect("delete body is valid");
        assert_eq!(delivery.key(), delivery_key(body.as_bytes()));
        assert_eq!(delivery.revision().operation, Operation::Delete);
    }
}
