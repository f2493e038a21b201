//! The verification path: parse, cache, one indexed read, one bcrypt, off the workers.
//!
//! The cache maps the SHA-256 digest of a presented token to what its verification
//! proved. Concurrent cold verifications of one token share a single lookup and bcrypt
//! through moka's `try_get_with`. bcrypt runs on Tokio's blocking pool, never on an async
//! worker, and at most `hashing_concurrency` at a time.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use moka::future::Cache;
use tokio::sync::Semaphore;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::{ManagerConfig, TokenManager, VerifyStats};
use crate::authenticated::AuthenticatedToken;
use crate::error::{InvalidToken, VerifyError};
use crate::hash::verify_token;
use crate::record::{ExpiryPolicy, TokenRecord, TokenStatus};
use crate::token::ParsedToken;

type Digest = [u8; 32];

/// What a successful verification proved, kept in the cache.
#[derive(Debug)]
struct Verified {
    auth: AuthenticatedToken,
    created_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    /// Milliseconds since the epoch of the latest use seen; drives inactivity expiry.
    last_seen_ms: AtomicI64,
    checked_at: Instant,
}

impl Verified {
    fn new(record: &TokenRecord) -> Self {
        let last_seen = record
            .last_used_at
            .map_or(record.created_at, |u| u.max(record.created_at));
        Self {
            auth: AuthenticatedToken {
                id: record.id,
                owner_id: record.owner_id.clone(),
                name: record.name.clone(),
                permissions: record.permissions.clone(),
            },
            created_at: record.created_at,
            expires_at: record.expires_at,
            last_seen_ms: AtomicI64::new(last_seen.timestamp_millis()),
            checked_at: Instant::now(),
        }
    }

    fn status(&self, policy: &ExpiryPolicy, now: DateTime<Utc>) -> TokenStatus {
        let last_seen = DateTime::from_timestamp_millis(self.last_seen_ms.load(Ordering::Relaxed));
        policy.status(self.created_at, last_seen, self.expires_at, None, now)
    }
}

#[derive(Debug, Default)]
struct Counters {
    bcrypt: AtomicU64,
    hits: AtomicU64,
    lookups: AtomicU64,
    revalidations: AtomicU64,
}

#[derive(Debug)]
pub(super) struct Verifier {
    cache: Cache<Digest, Arc<Verified>>,
    /// Digests cached per token id, so revocation can evict them.
    digests: Arc<Mutex<HashMap<Uuid, Vec<Digest>>>>,
    /// Ids revoked here lately. A cold verification that read the record just before the
    /// revocation may still insert its result; this set refuses it until the next
    /// revalidation would.
    revoked: moka::sync::Cache<Uuid, ()>,
    /// Digests of presented tokens whose bcrypt check failed. A wrong token stays wrong
    /// (a record's hash never changes), so repeating one costs no further bcrypt.
    mismatched: moka::sync::Cache<Digest, ()>,
    hashing: Arc<Semaphore>,
    revalidate_after: Duration,
    counters: Counters,
}

impl Verifier {
    pub(super) fn new(config: &ManagerConfig, hashing: Arc<Semaphore>) -> Self {
        let digests: Arc<Mutex<HashMap<Uuid, Vec<Digest>>>> = Arc::default();
        let on_evict = Arc::clone(&digests);
        let cache = Cache::builder()
            .max_capacity(config.cache_capacity)
            .eviction_listener(
                move |digest: Arc<Digest>, verified: Arc<Verified>, _cause| {
                    let mut digests = lock(&on_evict);
                    if let Some(list) = digests.get_mut(&verified.auth.id) {
                        list.retain(|d| d != digest.as_ref());
                        if list.is_empty() {
                            digests.remove(&verified.auth.id);
                        }
                    }
                },
            )
            .build();
        let revoked = moka::sync::Cache::builder()
            .time_to_live((config.revalidate_after * 2).max(Duration::from_secs(1)))
            .build();

        let mismatched = moka::sync::Cache::builder()
            .max_capacity(config.cache_capacity)
            .time_to_live(Duration::from_secs(10 * 60))
            .build();

        Self {
            cache,
            digests,
            revoked,
            mismatched,
            hashing,
            revalidate_after: config.revalidate_after,
            counters: Counters::default(),
        }
    }

    pub(super) fn stats(&self) -> VerifyStats {
        VerifyStats {
            bcrypt_verifications: self.counters.bcrypt.load(Ordering::Relaxed),
            cache_hits: self.counters.hits.load(Ordering::Relaxed),
            store_lookups: self.counters.lookups.load(Ordering::Relaxed),
            revalidations: self.counters.revalidations.load(Ordering::Relaxed),
            last_used_writes: 0,
        }
    }

    /// Evicts every cached verification of token `id`, before returning.
    pub(super) async fn forget(&self, id: Uuid) {
        self.revoked.insert(id, ());
        let digests = lock(&self.digests).remove(&id).unwrap_or_default();
        for digest in digests {
            self.cache.invalidate(&digest).await;
        }
    }
}

impl TokenManager {
    /// Verifies a presented token (the part after `Bearer `).
    ///
    /// A cached verification costs a hash-map lookup; a cold one costs one indexed read and
    /// one bcrypt verify on the blocking pool. A malformed token or an unknown lookup id
    /// costs no bcrypt at all. A successful use is recorded for last-used tracking without
    /// waiting for the store.
    ///
    /// # Errors
    ///
    /// [`VerifyError::Invalid`] when the token is malformed, unknown, wrong, revoked or
    /// expired; [`VerifyError::StoreUnavailable`] when the store could not be asked.
    pub async fn verify(&self, presented: &str) -> Result<AuthenticatedToken, VerifyError> {
        let token =
            ParsedToken::parse(presented).ok_or(VerifyError::Invalid(InvalidToken::Malformed))?;
        let verifier = &self.inner.verifier;
        let digest = token.digest();
        let now = Utc::now();

        let verified = match verifier.cache.get(&digest).await {
            Some(cached) => {
                verifier.counters.hits.fetch_add(1, Ordering::Relaxed);
                self.revalidate_if_due(digest, cached).await?
            }
            // Only a matching token is ever cached, so a known mismatch can only be a miss;
            // checking here keeps the lookup off the warm path.
            None if verifier.mismatched.contains_key(&digest) => {
                return Err(VerifyError::Invalid(InvalidToken::Mismatch));
            }
            None => verifier
                .cache
                .try_get_with(digest, self.verify_cold(token, digest))
                .await
                .map_err(|shared| VerifyError::clone(&shared))?,
        };

        if verifier.revoked.contains_key(&verified.auth.id) {
            return Err(VerifyError::Invalid(InvalidToken::Revoked));
        }
        if verified.status(&self.inner.config.expiry, now) != TokenStatus::Active {
            verifier.cache.invalidate(&digest).await;
            return Err(VerifyError::Invalid(InvalidToken::Expired));
        }

        verified
            .last_seen_ms
            .fetch_max(now.timestamp_millis(), Ordering::Relaxed);
        self.inner.last_used.record(verified.auth.id, now);
        Ok(verified.auth.clone())
    }

    /// One indexed read, then bcrypt on the blocking pool.
    async fn verify_cold(
        &self,
        token: ParsedToken<'_>,
        digest: Digest,
    ) -> Result<Arc<Verified>, VerifyError> {
        let verifier = &self.inner.verifier;

        verifier.counters.lookups.fetch_add(1, Ordering::Relaxed);
        let record = self
            .inner
            .store
            .find_by_lookup_id(token.lookup_id())
            .await
            .map_err(|error| store_unavailable(&error))?
            .ok_or(VerifyError::Invalid(InvalidToken::Unknown))?;

        // Refuse revoked and expired tokens before paying for bcrypt.
        match record.status(&self.inner.config.expiry, Utc::now()) {
            TokenStatus::Active => {}
            TokenStatus::Revoked => return Err(VerifyError::Invalid(InvalidToken::Revoked)),
            TokenStatus::Expired => return Err(VerifyError::Invalid(InvalidToken::Expired)),
        }

        let _permit = verifier
            .hashing
            .acquire()
            .await
            .map_err(|_| VerifyError::StoreUnavailable)?;
        verifier.counters.bcrypt.fetch_add(1, Ordering::Relaxed);
        let presented = Zeroizing::new(token.as_str().to_owned());
        let hash = record.hash.clone();
        let matches = tokio::task::spawn_blocking(move || verify_token(&presented, &hash))
            .await
            .unwrap_or(false);
        if !matches {
            verifier.mismatched.insert(digest, ());
            return Err(VerifyError::Invalid(InvalidToken::Mismatch));
        }

        lock(&verifier.digests)
            .entry(record.id)
            .or_default()
            .push(digest);
        Ok(Arc::new(Verified::new(&record)))
    }

    /// Re-reads a cached record by id once it is older than the revalidation interval, so
    /// revocations made by other processes are noticed. Never runs bcrypt.
    async fn revalidate_if_due(
        &self,
        digest: Digest,
        cached: Arc<Verified>,
    ) -> Result<Arc<Verified>, VerifyError> {
        let verifier = &self.inner.verifier;
        if cached.checked_at.elapsed() < verifier.revalidate_after {
            return Ok(cached);
        }

        verifier
            .counters
            .revalidations
            .fetch_add(1, Ordering::Relaxed);
        let fresh = self
            .inner
            .store
            .find_by_id(cached.auth.id)
            .await
            .map_err(|error| store_unavailable(&error))?;
        let Some(record) = fresh.filter(|r| r.revoked_at.is_none()) else {
            verifier.cache.invalidate(&digest).await;
            return Err(VerifyError::Invalid(InvalidToken::Revoked));
        };

        let refreshed = Arc::new(Verified::new(&record));
        let seen = cached.last_seen_ms.load(Ordering::Relaxed);
        refreshed.last_seen_ms.fetch_max(seen, Ordering::Relaxed);
        verifier.cache.insert(digest, Arc::clone(&refreshed)).await;
        Ok(refreshed)
    }
}

fn store_unavailable(error: &crate::StoreError) -> VerifyError {
    tracing::error!(
        error = error as &dyn std::error::Error,
        "token store failed during verification"
    );
    VerifyError::StoreUnavailable
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Critical sections here are single map operations; a poisoned lock is still consistent.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
