//! HQ's protocol from the site's side (`paform_api::chain`): a reqwest client over rustls
//! that sends the node token with every request. The HQ URL must be `https://` except on
//! loopback; a CA PEM may be trusted for a self-signed HQ.

use std::net::IpAddr;
use std::time::Duration;

use paform_api::chain::{
    CatalogVersions, ChainHeads, FeedPage, JoinReply, JoinRequest, PushBatch, PushGap, PushReply,
    RestorePage,
};
use reqwest::{StatusCode, Url};

use crate::AppError;

const TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What a push met, beyond an acknowledged batch.
#[derive(Debug)]
pub(crate) enum PushError {
    /// HQ expects another `node_seq` next (409 with `PushGap`).
    Gap(u64),
    /// HQ refuses the token (401/403).
    Refused(String),
    /// HQ unreachable, failing or answering nonsense: retry later.
    Offline(String),
}

impl From<PushError> for AppError {
    fn from(error: PushError) -> AppError {
        match error {
            PushError::Refused(reason) | PushError::Offline(reason) => {
                AppError::Unavailable(reason)
            }
            PushError::Gap(expected) => {
                AppError::Unavailable(format!("HQ expects node_seq {expected} next"))
            }
        }
    }
}

/// A client of one HQ for one node.
pub(crate) struct HqClient {
    http: reqwest::Client,
    base: Url,
    token: String,
}

/// Whether `url` may be used: `https`, or `http` to a loopback host.
pub(crate) fn check_hq_url(url: &str) -> Result<Url, AppError> {
    let parsed = Url::parse(url.trim())
        .map_err(|error| AppError::invalid_field("hq_url", format!("is not a URL: {error}")))?;
    let Some(host) = parsed.host_str().filter(|host| !host.is_empty()) else {
        return Err(AppError::invalid_field("hq_url", "names no host"));
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if loopback => Ok(parsed),
        "http" => Err(AppError::invalid_field(
            "hq_url",
            "must be https:// (plain http:// is allowed on loopback only)",
        )),
        other => Err(AppError::invalid_field(
            "hq_url",
            format!("must be https://, not {other}://"),
        )),
    }
}

impl HqClient {
    pub(crate) fn new(url: &str, token: &str, ca_pem: Option<&str>) -> Result<HqClient, AppError> {
        let base = check_hq_url(url)?;
        if token.trim().is_empty() {
            return Err(AppError::invalid_field("token", "is required"));
        }
        let mut builder = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .use_rustls_tls();
        if let Some(pem) = ca_pem.filter(|pem| !pem.trim().is_empty()) {
            let certificates = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
                .ok()
                .filter(|certificates| !certificates.is_empty())
                .ok_or_else(|| AppError::invalid_field("ca_pem", "holds no PEM certificate"))?;
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        let http = builder
            .build()
            .map_err(|error| AppError::internal(anyhow::Error::new(error)))?;
        Ok(HqClient {
            http,
            base,
            token: token.trim().to_owned(),
        })
    }

    /// The HQ URL without a trailing slash, as stored.
    pub(crate) fn base_url(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }

    fn endpoint(&self, path: &str) -> String {
        format!("{}{path}", self.base_url())
    }

    /// `POST /hq/v1/join`; a held prefix is 409, a refused token 422 naming `token`, an
    /// unreachable HQ 503.
    pub(crate) async fn join(&self, request: &JoinRequest) -> Result<JoinReply, AppError> {
        let url = self.endpoint("/hq/v1/join");
        let response = self
            .http
            .post(&url)
            .bearer_auth(&self.token)
            .json(request)
            .send()
            .await
            .map_err(|error| {
                AppError::Unavailable(format!("cannot reach HQ at {}: {error}", self.base_url()))
            })?;
        let status = response.status();
        match status {
            StatusCode::OK | StatusCode::CREATED => response.json().await.map_err(|error| {
                AppError::Unavailable(format!("HQ's answer to the join is unreadable: {error}"))
            }),
            StatusCode::CONFLICT => {
                let reason = response
                    .json::<serde_json::Value>()
                    .await
                    .ok()
                    .and_then(|problem| {
                        let detail = problem["detail"].as_str()?;
                        Some(detail.trim_start_matches("conflict: ").to_owned())
                    })
                    .unwrap_or_else(|| "another site of the chain holds it".into());
                Err(AppError::Conflict(format!(
                    "HQ refuses the order-number prefix {}: {reason}; change the prefix in \
                     Settings and join again",
                    request.number_prefix.as_deref().unwrap_or("(none)")
                )))
            }
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Err(AppError::invalid_field(
                "token",
                "HQ refuses this token (wrong, used or revoked)",
            )),
            other => Err(AppError::Unavailable(format!(
                "HQ answered the join with {other}: {}",
                response.text().await.unwrap_or_default()
            ))),
        }
    }

    /// `POST /hq/v1/push`: HQ's `held_seq` after the batch.
    pub(crate) async fn push(&self, batch: &PushBatch) -> Result<PushReply, PushError> {
        let response = self
            .http
            .post(self.endpoint("/hq/v1/push"))
            .bearer_auth(&self.token)
            .json(batch)
            .send()
            .await
            .map_err(|error| PushError::Offline(format!("cannot reach HQ: {error}")))?;
        let status = response.status();
        match status {
            StatusCode::OK => response
                .json()
                .await
                .map_err(|error| PushError::Offline(format!("unreadable push reply: {error}"))),
            StatusCode::CONFLICT => {
                let gap: PushGap = response.json().await.map_err(|error| {
                    PushError::Offline(format!("unreadable 409 from HQ: {error}"))
                })?;
                Err(PushError::Gap(gap.expected_seq))
            }
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Err(PushError::Refused(format!(
                "HQ refuses this node's token ({status}); join again with a new token"
            ))),
            other => Err(PushError::Offline(format!("HQ answered {other}"))),
        }
    }

    /// `GET /hq/v1/heads`: the last link HQ holds of each contract chain this node wrote.
    pub(crate) async fn heads(&self) -> Result<ChainHeads, PushError> {
        self.page("/hq/v1/heads", "chain heads", 0).await
    }

    /// `GET /hq/v1/catalog?after=VERSION`: the catalog versions after `after`, oldest first.
    pub(crate) async fn catalog(&self, after: u64) -> Result<CatalogVersions, PushError> {
        self.page("/hq/v1/catalog", "catalog", after).await
    }

    /// `GET /hq/v1/feed?after=CURSOR`: what HQ holds for this node from other nodes.
    pub(crate) async fn feed(&self, after: u64) -> Result<FeedPage, PushError> {
        self.page("/hq/v1/feed", "feed", after).await
    }

    /// `GET /hq/v1/restore?after=NODE_SEQ`: what this node owned, to rebuild it.
    pub(crate) async fn restore(&self, after: u64) -> Result<RestorePage, PushError> {
        self.page("/hq/v1/restore", "restore", after).await
    }

    /// One page of a `?after=` endpoint.
    async fn page<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        what: &str,
        after: u64,
    ) -> Result<T, PushError> {
        let response = self
            .http
            .get(self.endpoint(path))
            .query(&[("after", after)])
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|error| PushError::Offline(format!("cannot reach HQ: {error}")))?;
        match response.status() {
            StatusCode::OK => response
                .json()
                .await
                .map_err(|error| PushError::Offline(format!("unreadable {what}: {error}"))),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                Err(PushError::Refused("HQ refuses this node's token".into()))
            }
            other => Err(PushError::Offline(format!(
                "HQ answered the {what} with {other}"
            ))),
        }
    }
}
