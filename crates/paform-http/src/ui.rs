//! The UI's static export served next to the API. Client-side routes that have no file of
//! their own fall back to the export's `index.html`, so refreshing any page works.

use std::path::Path;

use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

pub(crate) fn with_ui(router: Router, ui_dir: Option<&Path>) -> Router {
    match ui_dir {
        Some(dir) if dir.join("index.html").is_file() => {
            let fallback = ServeFile::new(dir.join("index.html"));
            router.fallback_service(ServeDir::new(dir).fallback(fallback))
        }
        _ => router,
    }
}
