//! The verification path: parse, cache, one indexed read, one bcrypt, off the workers.
//!
//! The cache maps the SHA-256 digest of a presented token to what its verification
//! proved. moka holds it; a sharded map mirrors it for cache hits, which are answered
//! without awaiting anything ([`TokenManager::verify_warm`]). Concurrent cold
//! verifications of one token share a single lookup and bcrypt through moka's
//! `try_get_with`. bcrypt runs on Tokio's blocking pool, never on an async worker, and at
//! most `hashing_concurrency` at a time.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use moka::future::Cache;
use tokio::sync::Semaphore;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::hot::{Digest, HotMap};
use super::known::{KnownLookupIds, Presence};
use super::{ManagerConfig, TokenManager, VerifyStats};
use crate::authenticated::AuthenticatedToken;
use crate::error::{InvalidToken, VerifyError};
use crate::hash::verify_token;
use crate::last_used::UseSlot;
use crate::record::{ExpiryPolicy, TokenRecord, TokenStatus};
use crate::token::ParsedToken;

/// What a successful verification proved, kept in the cache.
#[derive(Debug)]
struct Verified {
    auth: AuthenticatedToken,
    created_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    /// The token's uses; its newest one drives inactivity expiry.
    uses: Arc<UseSlot>,
    /// When the record behind this value was read, in microseconds since the epoch.
    checked_at: i64,
    /// Set by a revocation in this process, for a value that reached the cache after the
    /// revocation evicted its digest.
    revoked: AtomicBool,
}

impl Verified {
    fn new(record: &TokenRecord, uses: Arc<UseSlot>, now: DateTime<Utc>) -> Self {
        Self {
            auth: AuthenticatedToken {
                id: record.id,
                owner_id: record.owner_id.clone(),
                name: record.name.clone(),
                permissions: record.permissions.clone(),
            },
            created_at: record.created_at,
            expires_at: record.expires_at,
            uses,
            checked_at: now.timestamp_micros(),
            revoked: AtomicBool::new(false),
        }
    }

    /// Whether the record behind this value was read less than `revalidate_after`
    /// microseconds before `now`. A clock that stepped backwards also revalidates: the
    /// age is then unknown.
    fn is_fresh(&self, now: DateTime<Utc>, revalidate_after: i64) -> bool {
        let age = now.timestamp_micros().saturating_sub(self.checked_at);
        (0..revalidate_after).contains(&age)
    }

    fn status(&self, policy: &ExpiryPolicy, now: DateTime<Utc>) -> TokenStatus {
        let last_seen = Some(self.uses.seen());
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

/// The cached values of one token, by the digests they were verified under.
type Index = HashMap<Uuid, Vec<(Digest, Arc<Verified>)>>;

/// What a cache lookup that awaits nothing could tell about a presented token.
pub(crate) enum Warm<'a> {
    /// A fresh cached verification of an active token; its use is recorded.
    Hit(AuthenticatedToken),
    /// Refused at once: malformed, revoked here, known to be wrong, or a lookup id known
    /// to be absent.
    Refused(InvalidToken),
    /// Not answerable from the mirror: a miss, or a value due for revalidation or expired.
    Undecided(ParsedToken<'a>, Digest),
}

#[derive(Debug)]
pub(super) struct Verifier {
    cache: Cache<Digest, Arc<Verified>>,
    /// What `cache` holds, for hits that await nothing.
    hot: Arc<HotMap<Verified>>,
    /// Every cached value per token id, so a revocation can flag and evict them.
    index: Arc<Mutex<Index>>,
    /// Ids revoked here lately. A verification that read the record just before the
    /// revocation must not cache what it read; it checks this set while it registers its
    /// value in the index, under the same lock a revocation takes.
    revoked: moka::sync::Cache<Uuid, ()>,
    /// Digests of presented tokens whose bcrypt check failed. A wrong token stays wrong
    /// (a record's hash never changes), so repeating one costs no further bcrypt.
    mismatched: moka::sync::Cache<Digest, ()>,
    /// Lookup ids known to exist; `None` when switched off.
    pub(super) known: Option<Arc<KnownLookupIds>>,
    hashing: Semaphore,
    revalidate_after: i64,
    counters: Counters,
}

impl Verifier {
    pub(super) fn new(config: &ManagerConfig) -> Self {
        let index: Arc<Mutex<Index>> = Arc::default();
        let hot: Arc<HotMap<Verified>> = Arc::default();
        let on_evict = Arc::clone(&index);
        let hot_on_evict = Arc::clone(&hot);
        let cache = Cache::builder()
            .max_capacity(config.cache_capacity)
            .eviction_listener(move |digest: Arc<Digest>, evicted: Arc<Verified>, _cause| {
                // Under the index lock, as in `register`: a value enters the mirror before
                // moka stores it, so its eviction always comes after.
                let mut index = lock(&on_evict);
                hot_on_evict.remove_if_same(&digest, &evicted);
                if let Some(values) = index.get_mut(&evicted.auth.id) {
                    values.retain(|(_, value)| !Arc::ptr_eq(value, &evicted));
                    if values.is_empty() {
                        index.remove(&evicted.auth.id);
                    }
                }
            })
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
            hot,
            index,
            revoked,
            mismatched,
            known: config.lookup_id_filter.then(Arc::default),
            hashing: Semaphore::new(config.hashing_concurrency),
            revalidate_after: i64::try_from(config.revalidate_after.as_micros())
                .unwrap_or(i64::MAX),
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
            lookup_id_refreshes: self.known.as_deref().map_or(0, KnownLookupIds::refreshes),
        }
    }

    /// Refuses and evicts every cached verification of token `id`, before returning.
    pub(super) async fn forget(&self, id: Uuid) {
        let values = {
            let mut index = lock(&self.index);
            self.revoked.insert(id, ());
            index.remove(&id).unwrap_or_default()
        };
        for (digest, value) in values {
            value.revoked.store(true, Ordering::Release);
            self.hot.remove_if_same(&digest, &value);
            self.cache.invalidate(&digest).await;
        }
    }

    /// Notes the lookup id of a token this process created.
    pub(super) fn created(&self, lookup_id: &str) {
        if let Some(known) = &self.known {
            known.insert(lookup_id);
        }
    }

    /// Registers a value about to be cached under `digest`, and mirrors it for hits,
    /// unless its token was revoked here since its record was read.
    fn register(&self, digest: Digest, value: &Arc<Verified>) -> Result<(), VerifyError> {
        let mut index = lock(&self.index);
        if self.revoked.contains_key(&value.auth.id) {
            return Err(VerifyError::Invalid(InvalidToken::Revoked));
        }
        index
            .entry(value.auth.id)
            .or_insert_with(|| Vec::with_capacity(1))
            .push((digest, Arc::clone(value)));
        self.hot.insert(digest, Arc::clone(value));
        Ok(())
    }

    /// How many verifications the mirror holds.
    #[cfg(test)]
    pub(super) fn mirrored(&self) -> usize {
        self.hot.len()
    }

    /// Lets moka finish its pending evictions, so the mirror reflects them.
    #[cfg(test)]
    pub(super) async fn settle(&self) {
        self.cache.run_pending_tasks().await;
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
        match self.verify_warm(presented) {
            Warm::Hit(token) => Ok(token),
            Warm::Refused(reason) => Err(VerifyError::Invalid(reason)),
            // Boxed: that future is large (a store read, moka's single flight, bcrypt), and
            // inline it would make every warm request carry kilobytes it never uses.
            Warm::Undecided(token, digest) => Box::pin(self.verify_undecided(token, digest)).await,
        }
    }

    /// The part of [`TokenManager::verify`] that awaits nothing: a fresh cache hit, or a
    /// refusal that needs no lookup.
    pub(crate) fn verify_warm<'a>(&self, presented: &'a str) -> Warm<'a> {
        let Some(token) = ParsedToken::parse(presented) else {
            return Warm::Refused(InvalidToken::Malformed);
        };
        let verifier = &self.inner.verifier;
        let digest = token.digest();
        let Some(cached) = verifier.hot.get(&digest) else {
            // Only a matching token is ever cached, so these refusals need no cache lookup.
            if verifier.mismatched.contains_key(&digest) {
                return Warm::Refused(InvalidToken::Mismatch);
            }
            if let Some(known) = &verifier.known
                && known.absent_now(self.inner.store.as_ref(), token.lookup_id())
            {
                return Warm::Refused(InvalidToken::Unknown);
            }
            return Warm::Undecided(token, digest);
        };
        if cached.revoked.load(Ordering::Acquire) {
            return Warm::Refused(InvalidToken::Revoked);
        }
        // The one clock read of a warm verification.
        let now = Utc::now();
        if !cached.is_fresh(now, verifier.revalidate_after)
            || cached.status(&self.inner.config.expiry, now) != TokenStatus::Active
        {
            return Warm::Undecided(token, digest);
        }
        verifier.counters.hits.fetch_add(1, Ordering::Relaxed);
        self.inner.last_used.record(&cached.uses, now);
        Warm::Hit(cached.auth.clone())
    }

    /// Everything [`TokenManager::verify_warm`] left undecided.
    async fn verify_undecided(
        &self,
        token: ParsedToken<'_>,
        digest: Digest,
    ) -> Result<AuthenticatedToken, VerifyError> {
        let verifier = &self.inner.verifier;
        let now = Utc::now();
        let (verified, now) = match verifier.cache.get(&digest).await {
            Some(cached) => {
                verifier.counters.hits.fetch_add(1, Ordering::Relaxed);
                if cached.is_fresh(now, verifier.revalidate_after) {
                    (cached, now)
                } else {
                    (self.revalidate(digest, cached, now).await?, now)
                }
            }
            // `verify_warm` checked this too; asking again catches a bcrypt that failed
            // for this digest in between, which would otherwise run once more.
            None if verifier.mismatched.contains_key(&digest) => {
                return Err(VerifyError::Invalid(InvalidToken::Mismatch));
            }
            None => self.verify_miss(token, digest).await?,
        };

        if verified.revoked.load(Ordering::Acquire) {
            return Err(VerifyError::Invalid(InvalidToken::Revoked));
        }
        if verified.status(&self.inner.config.expiry, now) != TokenStatus::Active {
            verifier.hot.remove_if_same(&digest, &verified);
            verifier.cache.invalidate(&digest).await;
            return Err(VerifyError::Invalid(InvalidToken::Expired));
        }

        self.inner.last_used.record(&verified.uses, now);
        Ok(verified.auth.clone())
    }

    /// A cache miss: refused at once when the lookup id is known to be absent, otherwise
    /// verified cold, sharing the work with concurrent requests for the same token.
    /// Returns the verification and the time of the use.
    async fn verify_miss(
        &self,
        token: ParsedToken<'_>,
        digest: Digest,
    ) -> Result<(Arc<Verified>, DateTime<Utc>), VerifyError> {
        let verifier = &self.inner.verifier;
        if let Some(known) = &verifier.known
            && known.check(&self.inner.store, token.lookup_id()).await == Presence::Absent
        {
            return Err(VerifyError::Invalid(InvalidToken::Unknown));
        }
        let verified = verifier
            .cache
            .try_get_with(digest, self.verify_cold(token, digest))
            .await
            .map_err(|shared| VerifyError::clone(&shared))?;
        // A cold verification takes a bcrypt's time: the use happens now, not when the
        // request arrived, or the next last-used write would come early.
        Ok((verified, Utc::now()))
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
        let read_at = Utc::now();

        // Refuse revoked and expired tokens before paying for bcrypt.
        match record.status(&self.inner.config.expiry, read_at) {
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

        let verified = Arc::new(self.verified(&record, read_at));
        verifier.register(digest, &verified)?;
        Ok(verified)
    }

    /// Re-reads the record of a cached verification that is older than the revalidation
    /// interval, so revocations made by other processes are noticed. Never runs bcrypt.
    async fn revalidate(
        &self,
        digest: Digest,
        cached: Arc<Verified>,
        now: DateTime<Utc>,
    ) -> Result<Arc<Verified>, VerifyError> {
        let verifier = &self.inner.verifier;
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

        let refreshed = Arc::new(self.verified(&record, now));
        verifier.register(digest, &refreshed)?;
        verifier.cache.insert(digest, Arc::clone(&refreshed)).await;
        Ok(refreshed)
    }

    fn verified(&self, record: &TokenRecord, now: DateTime<Utc>) -> Verified {
        let stored_use = record
            .last_used_at
            .map_or(record.created_at, |used| used.max(record.created_at));
        let uses = self.inner.last_used.slot(record.id, stored_use);
        Verified::new(record, uses, now)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BcryptCost, MemoryTokenStore, NewToken};

    async fn manager_holding(capacity: u64, tokens: usize) -> (TokenManager, Vec<String>) {
        let manager = TokenManager::builder(MemoryTokenStore::new())
            .with_bcrypt_cost(BcryptCost::insecure_for_tests(4))
            .with_cache_capacity(capacity)
            .build()
            .expect("a manager");
        let mut presented = Vec::new();
        for n in 0..tokens {
            let created = manager
                .create(&format!("owner-{n}"), NewToken::named("t"))
                .await
                .expect("a token");
            presented.push(created.token.expose_secret().to_owned());
        }
        (manager, presented)
    }

    #[tokio::test]
    async fn the_mirror_holds_what_moka_holds() {
        let (manager, tokens) = manager_holding(3, 8).await;
        let verifier = &manager.inner.verifier;
        for token in &tokens {
            manager.verify(token).await.expect("verifies");
        }
        verifier.settle().await;
        let held = verifier.cache.entry_count();
        assert!(held <= 3, "moka holds {held} of a capacity of 3");
        assert_eq!(
            verifier.mirrored() as u64,
            held,
            "the mirror outlived evictions"
        );

        // Whatever the mirror answers, moka holds too.
        for token in &tokens {
            let digest = ParsedToken::parse(token).expect("well formed").digest();
            if matches!(manager.verify_warm(token), Warm::Hit(_)) {
                assert!(verifier.cache.contains_key(&digest));
            }
        }
    }

    #[tokio::test]
    async fn a_hit_awaits_nothing_and_revocation_ends_it() {
        let (manager, tokens) = manager_holding(10, 1).await;
        assert!(matches!(
            manager.verify_warm(&tokens[0]),
            Warm::Undecided(..)
        ));
        let verified = manager.verify(&tokens[0]).await.expect("verifies");
        let Warm::Hit(hit) = manager.verify_warm(&tokens[0]) else {
            panic!("a verified token is not answered from the mirror");
        };
        assert_eq!(hit, verified);
        assert_eq!(manager.stats().cache_hits, 1);

        manager
            .revoke(&verified.owner_id, verified.id)
            .await
            .expect("revoked");
        assert_eq!(manager.inner.verifier.mirrored(), 0);
        assert!(!matches!(manager.verify_warm(&tokens[0]), Warm::Hit(_)));
        assert!(matches!(
            manager.verify(&tokens[0]).await,
            Err(VerifyError::Invalid(InvalidToken::Revoked))
        ));
    }

    #[tokio::test]
    async fn known_refusals_await_nothing() {
        let (manager, tokens) = manager_holding(10, 1).await;
        let unknown = crate::TokenSecret::generate();
        let unknown = unknown.expose_secret();
        // The first miss loads the lookup ids in the background.
        assert!(manager.verify(unknown).await.is_err());
        let loaded = tokio::time::timeout(Duration::from_secs(10), async {
            while !matches!(
                manager.verify_warm(unknown),
                Warm::Refused(InvalidToken::Unknown)
            ) {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        });
        loaded.await.expect("the lookup ids never loaded");

        // A wrong token for a stored lookup id is bcrypt-checked once, then refused at once.
        let wrong = format!(
            "{}{}",
            &tokens[0][..39],
            if tokens[0].ends_with('x') { 'y' } else { 'x' }
        );
        assert!(matches!(manager.verify_warm(&wrong), Warm::Undecided(..)));
        assert!(manager.verify(&wrong).await.is_err());
        assert!(matches!(
            manager.verify_warm(&wrong),
            Warm::Refused(InvalidToken::Mismatch)
        ));

        // A token created since (by this manager or another on the store) is not refused.
        let created = manager
            .create("owner-new", NewToken::named("t"))
            .await
            .expect("a token");
        let fresh = created.token.expose_secret();
        assert!(matches!(manager.verify_warm(fresh), Warm::Undecided(..)));
        manager.verify(fresh).await.expect("a new token verifies");
        assert_eq!(manager.stats().bcrypt_verifications, 2);
    }

    #[tokio::test]
    async fn a_revalidated_value_replaces_the_mirrored_one() {
        let manager = TokenManager::builder(MemoryTokenStore::new())
            .with_bcrypt_cost(BcryptCost::insecure_for_tests(4))
            .with_revalidate_after(Duration::from_millis(1))
            .build()
            .expect("a manager");
        let created = manager
            .create("owner", NewToken::named("t"))
            .await
            .expect("a token");
        let token = created.token.expose_secret();
        manager.verify(token).await.expect("cold");
        tokio::time::sleep(Duration::from_millis(5)).await;
        // Due for revalidation: the mirror leaves it to the slow path.
        assert!(matches!(manager.verify_warm(token), Warm::Undecided(..)));
        let digest = ParsedToken::parse(token).expect("well formed").digest();
        let verifier = &manager.inner.verifier;
        let before = verifier.hot.get(&digest).expect("mirrored");
        manager.verify(token).await.expect("revalidated");
        assert_eq!(manager.stats().revalidations, 1);
        verifier.settle().await;

        // The replaced value's eviction left the new one in place, the same one moka holds.
        assert_eq!(verifier.mirrored(), 1);
        let mirrored = verifier.hot.get(&digest).expect("still mirrored");
        let held = verifier.cache.get(&digest).await.expect("cached");
        assert!(!Arc::ptr_eq(&mirrored, &before));
        assert!(Arc::ptr_eq(&mirrored, &held));
    }
}
