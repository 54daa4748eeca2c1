//! How responses travel (SPEC §17): text is compressed (brotli or gzip) when the client asks
//! for it, and the UI's files carry cache headers: the content-hashed files under
//! `/_next/static/` are immutable for a year, every other UI file is revalidated on each use.
//!
//! Invariants: only text-like bodies are compressed (HTML, JS, CSS, JSON, SVG, CSV, DXF,
//! XML), never the event stream (`text/event-stream`, which must flush event by event) nor
//! bodies that are already compressed or binary (PNG, GLB, PDF, archives); API responses get
//! no `Cache-Control` from here; an error status is never marked immutable.

use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, Version};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// The prefix of Next.js's content-hashed build output: a changed file gets a new name.
const HASHED_STATIC_PREFIX: &str = "/_next/static/";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The UI's HTML and other unhashed files: cacheable, but checked with the server each time
/// (ETag / Last-Modified), so a new build shows at the next load.
const REVALIDATE: &str = "no-cache";
/// Bodies smaller than this gain nothing from compression.
const MIN_COMPRESSED_BYTES: u16 = 256;
/// Brotli's and gzip's level 5: brotli's own default (11) takes hundreds of milliseconds on
/// the UI's largest script, level 5 a few and still beats gzip's default size.
const LEVEL: i32 = 5;

/// Compresses text responses for clients that send `Accept-Encoding: br` or `gzip`.
pub(crate) fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .quality(CompressionLevel::Precise(LEVEL))
        .compress_when(SizeAbove::new(MIN_COMPRESSED_BYTES).and(is_text))
}

/// Whether a response's content type is text worth compressing.
fn is_text(_: StatusCode, _: Version, headers: &HeaderMap, _: &Extensions) -> bool {
    let Some(content_type) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if essence == "text/event-stream" {
        return false;
    }
    essence.starts_with("text/")
        || essence.ends_with("+json")
        || essence.ends_with("+xml")
        || matches!(
            essence.as_str(),
            "application/json"
                | "application/javascript"
                | "application/xml"
                | "application/dxf"
                | "image/svg+xml"
                | "application/manifest+json"
        )
}

/// Adds `Cache-Control` to the UI's files: immutable for hashed static files that were
/// found, revalidate for the rest. `/api` and `/docs` answers keep their own headers.
pub(crate) async fn cache_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    if path.starts_with("/api/") || path == "/api" || path.starts_with("/docs") {
        return response;
    }
    if response.headers().contains_key(CACHE_CONTROL) {
        return response;
    }
    let value = if path.starts_with(HASHED_STATIC_PREFIX) && response.status() == StatusCode::OK {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(content_type: &str, expected: bool) {
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_str(content_type).expect("a valid header"),
        );
        let text = is_text(
            StatusCode::OK,
            Version::HTTP_11,
            &headers,
            &Extensions::new(),
        );
        assert_eq!(text, expected, "{content_type}");
    }

    #[test]
    fn text_is_compressed_and_streams_and_binaries_are_not() {
        check("text/html; charset=utf-8", true);
        check("text/javascript", true);
        check("application/javascript", true);
        check("text/css", true);
        check("application/json", true);
        check("application/problem+json", true);
        check("image/svg+xml", true);
        check("text/csv; charset=utf-8", true);
        check("text/event-stream", false);
        check("image/png", false);
        check("model/gltf-binary", false);
        check("application/pdf", false);
        check("application/octet-stream", false);
        check("application/zstd", false);
    }
}
