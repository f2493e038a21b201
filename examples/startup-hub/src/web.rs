//! The built dashboard, served from the same origin as the API.
//!
//! Files come from `DASHBOARD_DIR` with their MIME types; any other path that is not an API
//! path gets `index.html`, so the dashboard's client-side routes survive a reload. Without
//! a build, `/` explains how to make one.

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::error::ApiError;

/// Adds the dashboard (or the page saying how to build it) as `router`'s fallback.
pub fn with_dashboard<S>(router: Router<S>, dir: &Path) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let index = dir.join("index.html");
    if !index.is_file() {
        tracing::warn!(
            dir = %dir.display(),
            "no built dashboard found; run scripts/build-dashboard or set DASHBOARD_DIR"
        );
        return router.fallback(build_instructions);
    }

    tracing::info!(dir = %dir.display(), "serving the dashboard");
    let files = ServeDir::new(dir).fallback(ServeFile::new(index));
    router.fallback(move |request: Request| {
        let files = files.clone();
        async move {
            let path = request.uri().path();
            if is_api_path(path) {
                return api_not_found();
            }
            // No file name is longer than 255 bytes, and the dashboard's paths are short;
            // asking the file system about a longer one would fail with "file name too
            // long" and turn into a 500.
            if path.len() > MAX_PATH_LEN || path.split('/').any(|segment| segment.len() > 255) {
                return StatusCode::NOT_FOUND.into_response();
            }
            match files.oneshot(request).await {
                Ok(response) => response.into_response(),
                Err(infallible) => match infallible {},
            }
        }
    })
}

/// The longest path looked up among the dashboard's files: far above any of its own,
/// well below the file system's limit on a whole path.
const MAX_PATH_LEN: usize = 1024;

/// Paths under these prefixes are API paths: an unknown one is a JSON 404, never the
/// dashboard's HTML.
fn is_api_path(path: &str) -> bool {
    ["/api", "/auth", "/mcp"]
        .iter()
        .any(|prefix| path == *prefix || path.starts_with(&format!("{prefix}/")))
}

fn api_not_found() -> Response {
    ApiError::not_found("Not found").into_response()
}

async fn build_instructions(request: Request) -> Response {
    let path = request.uri().path();
    if is_api_path(path) {
        return api_not_found();
    }
    if path != "/" {
        return (StatusCode::NOT_FOUND, Html(INSTRUCTIONS)).into_response();
    }
    ([(header::CACHE_CONTROL, "no-store")], Html(INSTRUCTIONS)).into_response()
}

const INSTRUCTIONS: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Startup Hub: build the dashboard</title>
<style>
  body { font-family: system-ui, sans-serif; background: #102216; color: #e5efe8;
         max-width: 40rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5; }
  code, pre { font-family: ui-monospace, monospace; background: #0b150f;
              border: 1px solid #2c4e39; border-radius: 6px; padding: 0.1rem 0.3rem; }
  pre { padding: 0.75rem 1rem; overflow-x: auto; }
  a { color: #13ec5b; }
</style>
</head>
<body>
<h1>Startup Hub is running</h1>
<p>The API is up, but the dashboard has not been built yet. From the repository root, run:</p>
<pre>scripts/build-dashboard</pre>
<p>then restart the server, or point <code>DASHBOARD_DIR</code> at a built
<code>dashboard-yew/dist</code> folder.</p>
<p>Meanwhile the API works: <a href="/healthz">/healthz</a>,
<a href="/api/openapi.json">/api/openapi.json</a>.</p>
</body>
</html>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_prefixes_match_whole_segments() {
        assert!(is_api_path("/api/unknown"));
        assert!(is_api_path("/mcp"));
        assert!(is_api_path("/auth/nothing"));
        assert!(!is_api_path("/apiary"));
        assert!(!is_api_path("/tokens"));
    }
}
