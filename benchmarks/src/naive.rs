//! The reference point `ApiTokenLayer` is measured against: a middleware that runs bcrypt
//! on every request, as an implementation without a verification cache would.
//!
//! It is as kind to itself as it can be: one known hash, no store read, bcrypt on the
//! blocking pool so the async workers stay free, at most one bcrypt per CPU at a time so
//! queued work does not pile up past the end of a run. Its throughput is what "no cache"
//! costs.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

/// The single hash the naive middleware checks every request against.
#[derive(Clone, Debug)]
pub struct NaiveBcrypt {
    hash: Arc<str>,
    hashing: Arc<Semaphore>,
}

impl NaiveBcrypt {
    /// Checks every request against `hash` (a bcrypt hash of the one valid token).
    pub fn new(hash: &str) -> Self {
        let cpus = std::thread::available_parallelism().map_or(2, usize::from);
        Self {
            hash: Arc::from(hash),
            hashing: Arc::new(Semaphore::new(cpus)),
        }
    }
}

/// `axum::middleware::from_fn_with_state` body: bcrypt-verifies the bearer token of every
/// request.
pub async fn naive_bcrypt_auth(
    State(naive): State<NaiveBcrypt>,
    request: Request,
    next: Next,
) -> Response {
    let presented = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::to_owned);
    let Some(presented) = presented else {
        return StatusCode::UNAUTHORIZED.into_response();
    };

    let Ok(_permit) = naive.hashing.acquire().await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let hash = Arc::clone(&naive.hash);
    let verified = tokio::task::spawn_blocking(move || {
        bcrypt::non_truncating_verify(&presented, &hash).unwrap_or(false)
    })
    .await
    .unwrap_or(false);

    if verified {
        next.run(request).await
    } else {
        StatusCode::UNAUTHORIZED.into_response()
    }
}
