//! The UI's static export served next to the API. Client-side routes that have no file of
//! their own fall back to the export's `index.html`, so refreshing any page works; the
//! content-hashed files under `/_next/static/` never do (see `transfer` for their caching).

use std::path::Path;

use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

pub(crate) fn with_ui(router: Router, ui_dir: Option<&Path>) -> Router {
    match ui_dir {
        Some(dir) if dir.join("index.html").is_file() => {
            let fallback = ServeFile::new(dir.join("index.html"));
            // A hashed build file that is not there is a 404, never the page: the page
            // served under a script's name would be cached as immutable.
            let hashed = ServeDir::new(dir.join("_next").join("static"));
            router
                .nest_service("/_next/static", hashed)
                .fallback_service(ServeDir::new(dir).fallback(fallback))
        }
        _ => router,
    }
}
