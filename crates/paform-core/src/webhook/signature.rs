//! The `gcms-signature` header: parsing it into a `SignatureHeader`, signing, and
//! verifying a delivery exactly as Hygraph's own `@hygraph/utils` package does.
//!
//! Invariants: the signed string is built from the raw body bytes, never from a re-serialized
//! parse; the MAC comparison is constant time (`hmac`'s `verify_slice`, built on `subtle`); a
//! `SignatureHeader` always holds a 32-byte decoded digest, an environment name and an integer
//! timestamp, so verification never meets a half-parsed header.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// SPEC §7: a delivery signed more than 5 minutes ago is rejected.
pub const MAX_AGE_MS: i64 = 5 * 60 * 1000;
/// SPEC §7: a delivery signed more than 1 minute in the future is rejected.
pub const MAX_FUTURE_MS: i64 = 60 * 1000;

/// The length of an HMAC-SHA256 digest.
const DIGEST_LEN: usize = 32;

type HmacSha256 = Hmac<Sha256>;

/// One of the three `key=value` parts of the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderPart {
    Sign,
    Env,
    Timestamp,
}

impl HeaderPart {
    /// The key as it appears in the header.
    pub fn key(self) -> &'static str {
        match self {
            HeaderPart::Sign => "sign",
            HeaderPart::Env => "env",
            HeaderPart::Timestamp => "t",
        }
    }
}

impl std::fmt::Display for HeaderPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// Why a header could not be read or a delivery was not accepted.
///
/// The first group (header and body that cannot be read) is a malformed request; the second
/// (a `sign` in the wrong encoding or of the wrong length, mismatch, stale, future) is an
/// unauthenticated one. `is_malformed` tells them apart so the caller can answer 400 or 401 as
/// SPEC §7 and §17 require: a signature that is present but not a valid digest (hex instead of
/// base64, say) is a bad signature like any other, not a malformed header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("gcms-signature: part `{0}` is missing")]
    MissingPart(HeaderPart),
    #[error("gcms-signature: part `{0}` appears more than once")]
    DuplicatePart(HeaderPart),
    #[error("gcms-signature: part `{0}` is empty")]
    EmptyPart(HeaderPart),
    #[error("gcms-signature: `{segment}` is not a `key=value` part")]
    MalformedPart { segment: String },
    #[error("gcms-signature: part `sign` is not standard base64")]
    SignNotBase64,
    #[error("gcms-signature: part `sign` decodes to {len} bytes, expected {DIGEST_LEN}")]
    SignWrongLength { len: usize },
    #[error("gcms-signature: part `t` is not a whole number of milliseconds")]
    TimestampNotInteger,
    #[error("signature does not match the body")]
    Mismatch,
    #[error("signature is {age_ms} ms old, more than the allowed {max_age_ms} ms")]
    Stale { age_ms: i128, max_age_ms: i64 },
    #[error("signature is {ahead_ms} ms in the future, more than the allowed {max_future_ms} ms")]
    FromTheFuture { ahead_ms: i128, max_future_ms: i64 },
}

impl SignatureError {
    /// True when the header or body could not be read at all (400), false when they were read
    /// but do not authenticate the delivery (401).
    pub fn is_malformed(&self) -> bool {
        !matches!(
            self,
            SignatureError::SignNotBase64
                | SignatureError::SignWrongLength { .. }
                | SignatureError::Mismatch
                | SignatureError::Stale { .. }
                | SignatureError::FromTheFuture { .. }
        )
    }
}

/// A parsed `gcms-signature` header: `sign=<base64>, env=<environment>, t=<unix ms>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeader {
    sign: Vec<u8>,
    env: String,
    timestamp_ms: i64,
}

impl SignatureHeader {
    /// Reads the header value.
    ///
    /// Hygraph writes the parts as `sign=…, env=…, t=…`; this also accepts them in any order
    /// and with any whitespace around the commas and the `=`. Unknown parts are ignored so a
    /// part Hygraph might add later does not break verification; a repeated part is rejected
    /// because it would make the header ambiguous.
    pub fn parse(header: &str) -> Result<SignatureHeader, SignatureError> {
        let mut sign_text = None;
        let mut env_text = None;
        let mut timestamp_text = None;
        for segment in header.split(',') {
            let segment = segment.trim();
            if segment.is_empty() {
                continue;
            }
            let Some((key, value)) = segment.split_once('=') else {
                return Err(SignatureError::MalformedPart {
                    segment: segment.to_owned(),
                });
            };
            let (part, slot) = match key.trim() {
                "sign" => (HeaderPart::Sign, &mut sign_text),
                "env" => (HeaderPart::Env, &mut env_text),
                "t" => (HeaderPart::Timestamp, &mut timestamp_text),
                _ => continue,
            };
            if slot.is_some() {
                return Err(SignatureError::DuplicatePart(part));
            }
            let value = value.trim();
            if value.is_empty() {
                return Err(SignatureError::EmptyPart(part));
            }
            *slot = Some(value);
        }

        let sign_text = sign_text.ok_or(SignatureError::MissingPart(HeaderPart::Sign))?;
        let env = env_text.ok_or(SignatureError::MissingPart(HeaderPart::Env))?;
        let timestamp_text =
            timestamp_text.ok_or(SignatureError::MissingPart(HeaderPart::Timestamp))?;

        let sign = BASE64
            .decode(sign_text)
            .map_err(|_| SignatureError::SignNotBase64)?;
        if sign.len() != DIGEST_LEN {
            return Err(SignatureError::SignWrongLength { len: sign.len() });
        }
        // `i64::from_str` alone would accept a leading `+`; Hygraph never writes one.
        if !timestamp_text
            .bytes()
            .all(|byte| byte.is_ascii_digit() || byte == b'-')
        {
            return Err(SignatureError::TimestampNotInteger);
        }
        let timestamp_ms = timestamp_text
            .parse::<i64>()
            .map_err(|_| SignatureError::TimestampNotInteger)?;

        Ok(SignatureHeader {
            sign,
            env: env.to_owned(),
            timestamp_ms,
        })
    }

    /// The decoded HMAC-SHA256 digest (always 32 bytes).
    pub fn sign(&self) -> &[u8] {
        &self.sign
    }

    /// The Hygraph environment name, e.g. `master`.
    pub fn env(&self) -> &str {
        &self.env
    }

    /// When Hygraph signed the delivery, in Unix milliseconds.
    pub fn timestamp_ms(&self) -> i64 {
        self.timestamp_ms
    }
}

/// The base64 signature Hygraph would send for `body` in environment `env` at `timestamp_ms`.
///
/// `body` is a `&str` because Hygraph only ever signs text; `verify` is the place where raw
/// bytes of unknown encoding arrive.
pub fn sign(secret: &[u8], body: &str, env: &str, timestamp_ms: i64) -> String {
    let mut mac = keyed_mac(secret);
    mac.update(signed_message(body, env, timestamp_ms).as_bytes());
    BASE64.encode(mac.finalize().into_bytes())
}

/// The full `gcms-signature` header value, in the form and part order Hygraph writes.
pub fn signature_header(secret: &[u8], body: &str, env: &str, timestamp_ms: i64) -> String {
    let signature = sign(secret, body, env, timestamp_ms);
    format!("sign={signature}, env={env}, t={timestamp_ms}")
}

/// Accepts a delivery when `header` authenticates the raw `body` under `secret` and was signed
/// no more than `max_age_ms` before `now_ms` and no more than `max_future_ms` after it.
///
/// The MAC is checked before the clock so that `Stale` and `FromTheFuture` are only ever
/// reported about genuine deliveries; both bounds are inclusive.
pub fn verify(
    header: &SignatureHeader,
    secret: &[u8],
    body: &[u8],
    now_ms: i64,
    max_age_ms: i64,
    max_future_ms: i64,
) -> Result<(), SignatureError> {
    // Hygraph signs text, so bytes that are not UTF-8 cannot carry a genuine signature: they
    // are refused as a mismatch, like any other body the signature was not made for.
    let body = std::str::from_utf8(body).map_err(|_| SignatureError::Mismatch)?;
    let mut mac = keyed_mac(secret);
    mac.update(signed_message(body, &header.env, header.timestamp_ms).as_bytes());
    mac.verify_slice(&header.sign)
        .map_err(|_| SignatureError::Mismatch)?;

    // i128 so that no pair of i64 instants can overflow the difference.
    let age_ms = i128::from(now_ms) - i128::from(header.timestamp_ms);
    if age_ms > i128::from(max_age_ms) {
        return Err(SignatureError::Stale { age_ms, max_age_ms });
    }
    if -age_ms > i128::from(max_future_ms) {
        return Err(SignatureError::FromTheFuture {
            ahead_ms: -age_ms,
            max_future_ms,
        });
    }
    Ok(())
}

fn keyed_mac(secret: &[u8]) -> HmacSha256 {
    // HMAC hashes keys longer than a block and pads shorter ones, so every length is valid.
    HmacSha256::new_from_slice(secret).expect("HMAC accepts a key of any length")
}

/// The exact text Hygraph feeds to HMAC, which is what JavaScript's
/// `JSON.stringify({ Body, EnvironmentName, TimeStamp })` produces: keys in this order, no
/// whitespace, and the timestamp as a bare integer.
fn signed_message(body: &str, env: &str, timestamp_ms: i64) -> String {
    let mut message = String::with_capacity(body.len() + env.len() + 64);
    message.push_str("{\"Body\":");
    push_json_string(&mut message, body);
    message.push_str(",\"EnvironmentName\":");
    push_json_string(&mut message, env);
    message.push_str(",\"TimeStamp\":");
    message.push_str(&timestamp_ms.to_string());
    message.push('}');
    message
}

/// Appends `text` as a JSON string literal escaped the way `JSON.stringify` escapes it: only
/// `"`, `\` and the C0 control characters, with short escapes where JSON has them and
/// lowercase `\u00xx` otherwise. DEL and all non-ASCII characters are kept as they are.
fn push_json_string(out: &mut String, text: &str) {
    const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            control if control < '\u{20}' => {
                // Below 0x20, so the code is one byte and its two nibbles index the table.
                let code = control as u8;
                out.push_str("\\u00");
                out.push(char::from(LOWER_HEX[usize::from(code >> 4)]));
                out.push(char::from(LOWER_HEX[usize::from(code & 0x0f)]));
            }
            other => out.push(other),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    // Known-answer vectors generated with Hygraph's own npm package `@hygraph/utils` v1.2.1
    // (`generateWebhookSignature({ rawPayload, secret, environmentName })` with `Date.now`
    // pinned to the timestamp, on Node v20.20.2); its `verifyWebhookSignature` accepted each.
    struct Vector {
        secret: &'static str,
        body: &'static str,
        env: &'static str,
        timestamp_ms: i64,
        header: &'static str,
    }

    const SECRET: &str = "rCNwyiloY3oJYYkxgpBXaleIiUv5MYlx";

    const VECTORS: [Vector; 4] = [
        Vector {
            secret: SECRET,
            body: r#"{"operation":"publish","data":{"__typename":"Material","id":"clmat0001","stage":"PUBLISHED","name":"Oak","costPerSqFt":"12.50"}}"#,
            env: "master",
            timestamp_ms: 1_700_000_000_000,
            header: "sign=rNHxyVfT4lJQuMJ2dwvLHa9foWxIkRr9SH3jqVYLLpo=, env=master, t=1700000000000",
        },
        Vector {
            secret: SECRET,
            body: r#"{"operation":"publish","data":{"__typename":"Module","id":"clmod0001","name":"Küche Unterschrank – 60 cm","note":"Eiche geölt 🪵"}}"#,
            env: "master",
            timestamp_ms: 1_700_000_123_456,
            header: "sign=SBv7Rmygfnm9HaqDOQU4SZVa8Ncvz+hMqK5tWcNno1M=, env=master, t=1700000123456",
        },
        Vector {
            secret: "s3cr3t",
            body: "{\"text\":\"say \\\"hi\\\"\\n\",\"path\":\"C:\\\\temp\"}\n\tline2 \"quoted\" \
                   back\\slash \u{1}\u{1f}\u{7f}\r\n",
            env: "staging",
            timestamp_ms: 1_712_345_678_901,
            header: "sign=SxBFXa97CS0txK8RWCFMrmx1AV+6+uuHl6UvlJ/+GEU=, env=staging, t=1712345678901",
        },
        Vector {
            secret: "Geheimnis-ä",
            body: r#"{"operation":"delete","data":{"__typename":"Material","id":"x"}}"#,
            env: "dev",
            timestamp_ms: 0,
            header: "sign=NX4WUpwKZ5InkdpZMn1fPqWXw/X14UGVhgJ5DqHUwW8=, env=dev, t=0",
        },
    ];

    fn verify_now(
        header: &str,
        secret: &str,
        body: &[u8],
        now_ms: i64,
    ) -> Result<(), SignatureError> {
        let header = SignatureHeader::parse(header)?;
        verify(
            &header,
            secret.as_bytes(),
            body,
            now_ms,
            MAX_AGE_MS,
            MAX_FUTURE_MS,
        )
    }

    #[test]
    fn signature_header_reproduces_every_hygraph_utils_vector() {
        for vector in &VECTORS {
            let header = signature_header(
                vector.secret.as_bytes(),
                vector.body,
                vector.env,
                vector.timestamp_ms,
            );
            assert_eq!(header, vector.header, "body {:?}", vector.body);
        }
    }

    #[test]
    fn verify_accepts_every_hygraph_utils_vector_at_its_signing_time() {
        for vector in &VECTORS {
            let outcome = verify_now(
                vector.header,
                vector.secret,
                vector.body.as_bytes(),
                vector.timestamp_ms,
            );
            assert_eq!(outcome, Ok(()), "body {:?}", vector.body);
        }
    }

    #[test]
    fn signed_message_escapes_only_quotes_backslashes_and_control_characters() {
        let message = signed_message("a\"b\\c\nd\u{1}é\u{7f}", "master", 42);
        assert_eq!(
            message,
            "{\"Body\":\"a\\\"b\\\\c\\nd\\u0001é\u{7f}\",\"EnvironmentName\":\"master\",\"TimeStamp\":42}"
        );
    }

    #[test]
    fn verify_rejects_a_body_changed_by_one_byte() {
        let vector = &VECTORS[0];
        let tampered = vector.body.replace("12.50", "12.51");
        let outcome = verify_now(
            vector.header,
            vector.secret,
            tampered.as_bytes(),
            vector.timestamp_ms,
        );
        assert_eq!(outcome, Err(SignatureError::Mismatch));
    }

    #[test]
    fn verify_rejects_a_reserialized_body_with_different_whitespace() {
        let vector = &VECTORS[0];
        let reformatted = vector.body.replace(",", ", ");
        let outcome = verify_now(
            vector.header,
            vector.secret,
            reformatted.as_bytes(),
            vector.timestamp_ms,
        );
        assert_eq!(outcome, Err(SignatureError::Mismatch));
    }

    #[test]
    fn verify_rejects_the_wrong_secret() {
        let vector = &VECTORS[0];
        let outcome = verify_now(
            vector.header,
            "not-the-secret",
            vector.body.as_bytes(),
            vector.timestamp_ms,
        );
        assert_eq!(outcome, Err(SignatureError::Mismatch));
    }

    #[test]
    fn verify_rejects_a_header_whose_environment_was_changed() {
        let vector = &VECTORS[0];
        let header = vector.header.replace("env=master", "env=prod");
        let outcome = verify_now(
            &header,
            vector.secret,
            vector.body.as_bytes(),
            vector.timestamp_ms,
        );
        assert_eq!(outcome, Err(SignatureError::Mismatch));
    }

    #[test]
    fn verify_rejects_a_header_whose_timestamp_was_changed() {
        let vector = &VECTORS[0];
        let header = vector.header.replace("t=1700000000000", "t=1700000000001");
        let outcome = verify_now(
            &header,
            vector.secret,
            vector.body.as_bytes(),
            1_700_000_000_001,
        );
        assert_eq!(outcome, Err(SignatureError::Mismatch));
    }

    #[test]
    fn verify_refuses_a_body_that_is_not_utf8_as_a_mismatch() {
        let vector = &VECTORS[0];
        let outcome = verify_now(
            vector.header,
            vector.secret,
            b"{\"a\":\"\xff\"}",
            vector.timestamp_ms,
        );
        assert_eq!(outcome, Err(SignatureError::Mismatch));
    }

    #[test]
    fn verify_applies_the_freshness_window_with_inclusive_bounds() {
        let vector = &VECTORS[0];
        let signed_at = vector.timestamp_ms;
        let cases = [
            (signed_at + MAX_AGE_MS, Ok(())),
            (
                signed_at + MAX_AGE_MS + 1,
                Err(SignatureError::Stale {
                    age_ms: 300_001,
                    max_age_ms: MAX_AGE_MS,
                }),
            ),
            (signed_at - MAX_FUTURE_MS, Ok(())),
            (
                signed_at - MAX_FUTURE_MS - 1,
                Err(SignatureError::FromTheFuture {
                    ahead_ms: 60_001,
                    max_future_ms: MAX_FUTURE_MS,
                }),
            ),
        ];
        for (now_ms, expected) in cases {
            assert_eq!(
                verify_now(vector.header, vector.secret, vector.body.as_bytes(), now_ms),
                expected
            );
        }
    }

    #[test]
    fn verify_does_not_overflow_at_extreme_clocks() {
        let header = signature_header(b"k", "{}", "master", i64::MIN);
        let outcome = verify_now(&header, "k", b"{}", i64::MAX);
        assert!(matches!(outcome, Err(SignatureError::Stale { .. })));
    }

    #[test]
    fn stale_and_mismatch_are_unauthorized_while_header_problems_are_malformed() {
        assert!(!SignatureError::Mismatch.is_malformed());
        assert!(
            !SignatureError::Stale {
                age_ms: 1,
                max_age_ms: 0
            }
            .is_malformed()
        );
        assert!(
            !SignatureError::FromTheFuture {
                ahead_ms: 1,
                max_future_ms: 0
            }
            .is_malformed()
        );
        assert!(SignatureError::MissingPart(HeaderPart::Sign).is_malformed());
    }

    #[test]
    fn a_sign_in_the_wrong_encoding_is_unauthorized_not_malformed() {
        // A hex digest (64 characters) is valid base64 of 48 bytes; other hex is not base64.
        let hex = "7b7d".repeat(16);
        let error = SignatureHeader::parse(&format!("sign={hex}, env=master, t=5"))
            .expect_err("a hex digest is not a base64 one");
        assert_eq!(error, SignatureError::SignWrongLength { len: 48 });
        assert!(!error.is_malformed());
        assert!(!SignatureError::SignNotBase64.is_malformed());
        assert!(SignatureError::TimestampNotInteger.is_malformed());
    }

    fn check_parse(header: &str, expected: Result<(&str, i64), SignatureError>) {
        let parsed = SignatureHeader::parse(header);
        let parsed = parsed.map(|header| (header.env().to_owned(), header.timestamp_ms()));
        let expected = expected.map(|(env, timestamp_ms)| (env.to_owned(), timestamp_ms));
        assert_eq!(parsed, expected, "header {header:?}");
    }

    const GOOD_SIGN: &str = "rNHxyVfT4lJQuMJ2dwvLHa9foWxIkRr9SH3jqVYLLpo=";

    #[test]
    fn parse_accepts_any_order_and_whitespace() {
        check_parse(
            &format!("sign={GOOD_SIGN}, env=master, t=5"),
            Ok(("master", 5)),
        );
        check_parse(
            &format!("t=5,env=master,sign={GOOD_SIGN}"),
            Ok(("master", 5)),
        );
        check_parse(
            &format!("  env = master ,\tsign= {GOOD_SIGN} ,t =5  "),
            Ok(("master", 5)),
        );
        check_parse(
            &format!("sign={GOOD_SIGN}, env=master, t=5, v=2"),
            Ok(("master", 5)),
        );
    }

    #[test]
    fn parse_keeps_the_decoded_digest() {
        let header = SignatureHeader::parse(VECTORS[0].header).expect("vector header is valid");
        assert_eq!(BASE64.encode(header.sign()), GOOD_SIGN);
    }

    #[test]
    fn parse_names_each_malformed_part() {
        use HeaderPart::{Env, Sign, Timestamp};
        let cases = [
            (
                "env=master, t=5".to_owned(),
                SignatureError::MissingPart(Sign),
            ),
            (
                format!("sign={GOOD_SIGN}, t=5"),
                SignatureError::MissingPart(Env),
            ),
            (
                format!("sign={GOOD_SIGN}, env=master"),
                SignatureError::MissingPart(Timestamp),
            ),
            (String::new(), SignatureError::MissingPart(Sign)),
            (
                format!("sign={GOOD_SIGN}, env=a, env=b, t=5"),
                SignatureError::DuplicatePart(Env),
            ),
            (
                format!("sign={GOOD_SIGN}, env=, t=5"),
                SignatureError::EmptyPart(Env),
            ),
            (
                "sign=, env=master, t=5".to_owned(),
                SignatureError::EmptyPart(Sign),
            ),
            (
                format!("sign={GOOD_SIGN} env=master t=5"),
                SignatureError::MissingPart(Env),
            ),
            (
                format!("sign={GOOD_SIGN}, master, t=5"),
                SignatureError::MalformedPart {
                    segment: "master".to_owned(),
                },
            ),
            (
                "sign=not*base64, env=master, t=5".to_owned(),
                SignatureError::SignNotBase64,
            ),
            (
                "sign=rNHxyVfT4lJQuMJ2dwvLHa9foWxIkRr9SH3jqVYLLpo, env=master, t=5".to_owned(),
                SignatureError::SignNotBase64,
            ),
            (
                "sign=AAAA, env=master, t=5".to_owned(),
                SignatureError::SignWrongLength { len: 3 },
            ),
            (
                format!("sign={GOOD_SIGN}, env=master, t=soon"),
                SignatureError::TimestampNotInteger,
            ),
            (
                format!("sign={GOOD_SIGN}, env=master, t=1.5e12"),
                SignatureError::TimestampNotInteger,
            ),
            (
                format!("sign={GOOD_SIGN}, env=master, t=+5"),
                SignatureError::TimestampNotInteger,
            ),
            (
                format!("sign={GOOD_SIGN}, env=master, t=99999999999999999999"),
                SignatureError::TimestampNotInteger,
            ),
        ];
        for (header, expected) in cases {
            check_parse(&header, Err(expected));
        }
    }
}
