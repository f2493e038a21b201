//! Throttling of failed sign-ins, per account and client address.
//!
//! Five failed sign-ins for one account from one client address are allowed in a burst;
//! after that, every attempt for that account from that address, with a right password or
//! a wrong one, is answered 429 with `Retry-After` until the budget refills at one attempt
//! every 12 seconds (all five after a quiet minute). Only failures count: a user signing in
//! successfully again and again is never throttled, and nobody can lock an account out for
//! everyone, only for their own address.
//!
//! The failures are counted by a `governor` rate limiter. Governor has no way to ask
//! whether a key could pass without spending from its budget, and the gate in front of the
//! password check must not spend (a right password would otherwise use up the budget of
//! failures), so keys whose budget ran out are remembered separately until it refills.
//!
//! Both maps are swept now and then. A key enters them only through a failed attempt,
//! and every failed attempt costs a full Argon2 verification, so their size is bounded by
//! what the server can hash in the minute and a bit that a key is kept.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use governor::clock::{Clock, DefaultClock, Reference};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use sha2::{Digest, Sha256};

/// Failed sign-ins allowed per account and address before attempts are refused.
pub const FAILED_SIGN_INS_PER_MINUTE: u32 = 5;

/// Sweep stale keys after this many recorded failures.
const SWEEP_EVERY: u64 = 256;

/// Whose attempts are counted together: one account (by normalized email, hashed so the
/// map holds neither addresses people typed nor unbounded strings) from one client address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct AttemptKey {
    email: [u8; 32],
    address: Option<IpAddr>,
}

impl AttemptKey {
    /// The key of a sign-in for `email` (as typed) from `address`.
    pub(crate) fn new(email: &str, address: Option<IpAddr>) -> Self {
        let normalized = super::normalize_email(email);
        Self {
            email: Sha256::digest(normalized.as_bytes()).into(),
            address,
        }
    }
}

type FailureLimiter<C> =
    RateLimiter<AttemptKey, DefaultKeyedStateStore<AttemptKey>, C, StateInformationMiddleware>;

/// Counts failed sign-ins and refuses attempts once an account and address used up their
/// budget. One per app; share it behind an `Arc`.
pub(crate) struct LoginThrottle<C: Clock = DefaultClock> {
    failures: FailureLimiter<C>,
    /// Keys refused until the given instant.
    locked: Mutex<HashMap<AttemptKey, C::Instant>>,
    clock: C,
    recorded: AtomicU64,
}

impl LoginThrottle {
    /// [`FAILED_SIGN_INS_PER_MINUTE`] failures per account and address per minute.
    pub(crate) fn new() -> Self {
        Self::with_clock(
            NonZeroU32::new(FAILED_SIGN_INS_PER_MINUTE).unwrap_or(NonZeroU32::MIN),
            DefaultClock::default(),
        )
    }
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self::new()
    }
}

impl<C: Clock> std::fmt::Debug for LoginThrottle<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginThrottle").finish_non_exhaustive()
    }
}

impl<C: Clock + Clone> LoginThrottle<C> {
    fn with_clock(per_minute: NonZeroU32, clock: C) -> Self {
        let failures =
            RateLimiter::dashmap_with_clock(Quota::per_minute(per_minute), clock.clone())
                .with_middleware::<StateInformationMiddleware>();
        Self {
            failures,
            locked: Mutex::default(),
            clock,
            recorded: AtomicU64::new(0),
        }
    }

    /// Lets an attempt through to the password check, or says how long to wait. Spends
    /// nothing from the budget.
    pub(crate) fn check(&self, key: &AttemptKey) -> Result<(), Duration> {
        let now = self.clock.now();
        match self.lock().get(key) {
            Some(until) if *until > now => Err(until.duration_since(now).into()),
            _ => Ok(()),
        }
    }

    /// Counts a failed attempt. Returns how long the key is now refused for when this
    /// failure used up its budget.
    pub(crate) fn record_failure(&self, key: &AttemptKey) -> Option<Duration> {
        if self.recorded.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.sweep();
        }

        let now = self.clock.now();
        let until = match self.failures.check_key(key) {
            Ok(state) if state.remaining_burst_capacity() > 0 => return None,
            // The last failure of the budget: the next one is allowed after one interval
            // at the latest.
            Ok(state) => now + state.quota().replenish_interval().into(),
            // Another request spent the last of the budget between our check and now.
            Err(not_until) => not_until.earliest_possible(),
        };
        self.lock().insert(*key, until);
        Some(until.duration_since(now).into())
    }

    /// Forgets keys whose budget is full again and locks that have ended.
    fn sweep(&self) {
        self.failures.retain_recent();
        self.failures.shrink_to_fit();
        let now = self.clock.now();
        self.lock().retain(|_, until| *until > now);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<AttemptKey, C::Instant>> {
        self.locked.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The IP address of the client's connection, when the server records it (`serve` does;
/// a router driven without connection info sees `None`, and attempts are then counted per
/// account alone).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ClientAddress(pub(crate) Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(address)| address.ip());
        Ok(Self(address))
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use governor::clock::FakeRelativeClock;

    use super::*;

    const HOME: Option<IpAddr> = Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)));
    const CAFE: Option<IpAddr> = Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7)));

    fn throttle() -> (LoginThrottle<FakeRelativeClock>, FakeRelativeClock) {
        let clock = FakeRelativeClock::default();
        let per_minute = NonZeroU32::new(FAILED_SIGN_INS_PER_MINUTE).expect("non-zero");
        (LoginThrottle::with_clock(per_minute, clock.clone()), clock)
    }

    #[test]
    fn the_sixth_attempt_after_five_failures_is_refused_and_others_are_not() {
        let (throttle, _clock) = throttle();
        let ada = AttemptKey::new("ada@example.com", HOME);

        let mut locked_for = None;
        for _ in 0..FAILED_SIGN_INS_PER_MINUTE {
            assert_eq!(throttle.check(&ada), Ok(()));
            locked_for = throttle.record_failure(&ada);
        }

        assert_eq!(locked_for, Some(Duration::from_secs(12)));
        assert_eq!(throttle.check(&ada), Err(Duration::from_secs(12)));
        let same_account = AttemptKey::new(" ADA@Example.com ", HOME);
        assert!(
            throttle.check(&same_account).is_err(),
            "emails are normalized"
        );
        assert_eq!(
            throttle.check(&AttemptKey::new("bob@example.com", HOME)),
            Ok(())
        );
        assert_eq!(
            throttle.check(&AttemptKey::new("ada@example.com", CAFE)),
            Ok(())
        );
    }

    #[test]
    fn one_attempt_is_allowed_per_interval_and_all_after_a_quiet_minute() {
        let (throttle, clock) = throttle();
        let ada = AttemptKey::new("ada@example.com", HOME);
        for _ in 0..FAILED_SIGN_INS_PER_MINUTE {
            throttle.record_failure(&ada);
        }

        clock.advance(Duration::from_secs(12));
        assert_eq!(throttle.check(&ada), Ok(()));
        assert_eq!(throttle.record_failure(&ada), Some(Duration::from_secs(12)));
        assert!(throttle.check(&ada).is_err());

        clock.advance(Duration::from_secs(60));
        for _ in 1..FAILED_SIGN_INS_PER_MINUTE {
            assert_eq!(throttle.check(&ada), Ok(()));
            assert_eq!(throttle.record_failure(&ada), None);
        }
    }

    #[test]
    fn a_sweep_forgets_keys_once_their_budget_is_full_again() {
        let (throttle, clock) = throttle();
        for n in 0..100 {
            let key = AttemptKey::new(&format!("user{n}@example.com"), HOME);
            for _ in 0..FAILED_SIGN_INS_PER_MINUTE {
                throttle.record_failure(&key);
            }
        }
        assert_eq!(throttle.failures.len(), 100);
        assert_eq!(throttle.lock().len(), 100);

        // Governor keeps a key one replenish interval past the point its budget is full.
        clock.advance(Duration::from_secs(60 + 12 + 1));
        throttle.sweep();

        assert_eq!(throttle.failures.len(), 0);
        assert_eq!(throttle.lock().len(), 0);
    }

    #[test]
    fn recording_failures_sweeps_now_and_then() {
        let (throttle, clock) = throttle();
        for n in 0..100 {
            throttle.record_failure(&AttemptKey::new(&format!("u{n}@example.com"), CAFE));
        }
        clock.advance(Duration::from_secs(61));

        let busy = AttemptKey::new("busy@example.com", HOME);
        for _ in 0..SWEEP_EVERY {
            throttle.record_failure(&busy);
        }

        assert_eq!(throttle.failures.len(), 1, "only the busy key is left");
    }
}
