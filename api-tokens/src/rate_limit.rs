//! Per-token rate limiting on top of `governor`.
//!
//! The limiter lives in process memory: with several instances behind a load balancer each
//! instance counts on its own, so a token may make up to `instances × limit` requests.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use uuid::Uuid;

/// How many requests one token may make per minute, as a steady rate with a burst of the
/// same size (a GCRA, as implemented by `governor`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    per_minute: NonZeroU32,
}

impl RateLimit {
    /// `requests` per minute, per token.
    pub const fn per_minute(requests: NonZeroU32) -> Self {
        Self {
            per_minute: requests,
        }
    }

    /// The number of requests per minute.
    pub const fn requests_per_minute(self) -> NonZeroU32 {
        self.per_minute
    }
}

impl Default for RateLimit {
    /// 100 requests a minute.
    fn default() -> Self {
        Self {
            per_minute: NonZeroU32::new(100).unwrap_or(NonZeroU32::MIN),
        }
    }
}

/// The shared state of one limit: one bucket per token id.
#[derive(Clone)]
pub(crate) struct TokenRateLimiter {
    limiter: Arc<DefaultKeyedRateLimiter<Uuid>>,
    checks: Arc<AtomicU64>,
}

impl std::fmt::Debug for TokenRateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRateLimiter").finish_non_exhaustive()
    }
}

impl TokenRateLimiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Self {
            limiter: Arc::new(DefaultKeyedRateLimiter::keyed(Quota::per_minute(
                limit.per_minute,
            ))),
            checks: Arc::default(),
        }
    }

    /// Takes one request from the token's bucket, or says how long to wait.
    pub(crate) fn check(&self, token: Uuid) -> Result<(), Duration> {
        // Buckets of tokens that went quiet are dropped now and then, to bound memory.
        if self.checks.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&token)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}
