//! The token manager: the rules of the token lifecycle on top of a [`TokenStore`].

mod builder;
mod hot;
mod known;
mod validate;
mod verify;

pub use builder::{ManagerConfig, TokenManagerBuilder};

use std::sync::Arc;

use chrono::{DateTime, SubsecRound, Utc};
use tokio::sync::Semaphore;
use uuid::Uuid;

use crate::error::{Error, StoreError};
use crate::hash::hash_token;
use crate::last_used::LastUsedTracker;
use crate::record::{TokenPage, TokenRecord, TokenStatus};
use crate::store::TokenStore;
use crate::token::TokenSecret;
use verify::Verifier;
pub(crate) use verify::Warm;

/// What a new token should look like. Only `name` is required.
#[derive(Clone, Debug, Default)]
pub struct NewToken {
    /// 1–100 characters after trimming, no control characters.
    pub name: String,
    /// At most 100 characters; blank means none.
    pub description: Option<String>,
    /// Permissions from the vocabulary; `None` means the defaults, an empty list is refused.
    pub permissions: Option<Vec<String>>,
    /// When the token stops working; must be in the future. `None`: never, unless the
    /// manager has a maximum lifetime.
    pub expires_at: Option<DateTime<Utc>>,
}

impl NewToken {
    /// A token with this name and every other field at its default.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }
}

/// A token just created: the only moment its plaintext exists.
#[derive(Debug)]
pub struct CreatedToken {
    /// The plaintext; hand it to the owner once and drop it.
    pub token: TokenSecret,
    /// The stored record.
    pub record: TokenRecord,
}

/// Counters of the verification path, for metrics and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifyStats {
    /// bcrypt verifications run (cold verifications that reached the hash check).
    pub bcrypt_verifications: u64,
    /// Verifications answered from the cache.
    pub cache_hits: u64,
    /// Reads by lookup id (cold path).
    pub store_lookups: u64,
    /// Reads by id to revalidate a cached verification.
    pub revalidations: u64,
    /// Last-used writes started.
    pub last_used_writes: u64,
    /// Reads of new lookup ids for the in-memory filter (the first one loads them all).
    pub lookup_id_refreshes: u64,
}

/// Issues, lists, revokes and verifies tokens. Cheap to clone; clones share everything.
///
/// ```
/// use api_tokens::{MemoryTokenStore, NewToken, TokenManager};
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let manager = TokenManager::builder(MemoryTokenStore::new())
///     .with_permissions(["read", "write"])
///     .build()?;
///
/// let created = manager.create("user-1", NewToken::named("CI")).await?;
/// let auth = manager.verify(created.token.expose_secret()).await?;
/// assert_eq!(auth.owner_id, "user-1");
/// # Ok::<_, Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct TokenManager {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    store: Arc<dyn TokenStore>,
    config: ManagerConfig,
    /// Hashing for new tokens, a lane apart from verification's: presented tokens are
    /// the caller's to choose, so a flood of wrong ones must not hold up creation.
    creating: Semaphore,
    verifier: Verifier,
    last_used: Arc<LastUsedTracker>,
}

impl std::fmt::Debug for LastUsedTracker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LastUsedTracker").finish_non_exhaustive()
    }
}

impl TokenManager {
    /// Starts building a manager over `store`.
    pub fn builder(store: impl TokenStore) -> TokenManagerBuilder {
        TokenManagerBuilder::new(Arc::new(store))
    }

    /// Starts building a manager over a shared store.
    pub fn builder_shared(store: Arc<dyn TokenStore>) -> TokenManagerBuilder {
        TokenManagerBuilder::new(store)
    }

    fn from_parts(store: Arc<dyn TokenStore>, config: ManagerConfig) -> Self {
        let creating = Semaphore::new(config.hashing_concurrency);
        let verifier = Verifier::new(&config);
        let last_used = Arc::new(LastUsedTracker::new(
            Arc::clone(&store),
            config.last_used_interval,
        ));
        Self {
            inner: Arc::new(Inner {
                store,
                config,
                creating,
                verifier,
                last_used,
            }),
        }
    }

    /// The settings this manager runs with.
    pub fn config(&self) -> &ManagerConfig {
        &self.inner.config
    }

    /// The store behind this manager.
    pub fn store(&self) -> &Arc<dyn TokenStore> {
        &self.inner.store
    }

    /// Creates a token for `owner_id`. The returned plaintext is the only copy.
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] for a bad name, description, permission list or expiry date;
    /// [`Error::TokenLimitReached`] when the owner already has the maximum number of
    /// active tokens; [`Error::Store`] when the store fails.
    #[tracing::instrument(name = "create_token", skip_all, fields(owner.id = owner_id, token.id))]
    pub async fn create(&self, owner_id: &str, new: NewToken) -> Result<CreatedToken, Error> {
        let config = &self.inner.config;
        // SQL databases keep microseconds: the returned record then equals the stored one.
        let now = Utc::now().trunc_subsecs(6);
        let valid = validate::new_token(config, new, now)?;

        // A lookup id collision is astronomically unlikely, but costs only a retry.
        for _ in 0..3 {
            let token = TokenSecret::generate();
            let hash = self.hash(&token).await?;
            validate::still_in_future(valid.expires_at, Utc::now())?;
            let record = TokenRecord {
                id: Uuid::now_v7(),
                owner_id: owner_id.to_owned(),
                name: valid.name.clone(),
                description: valid.description.clone(),
                permissions: valid.permissions.clone(),
                lookup_id: token.lookup_id().to_owned(),
                hash,
                created_at: now,
                last_used_at: None,
                expires_at: valid.expires_at,
                revoked_at: None,
            };

            let active = config.expiry.active_filter(now);
            match self
                .inner
                .store
                .insert(record.clone(), config.max_active, active)
                .await
            {
                Ok(()) => {
                    self.inner.verifier.created(&record.lookup_id);
                    tracing::Span::current().record("token.id", tracing::field::display(record.id));
                    tracing::info!("token created");
                    return Ok(CreatedToken { token, record });
                }
                Err(StoreError::Conflict) => continue,
                Err(StoreError::LimitReached) => {
                    return Err(Error::TokenLimitReached {
                        limit: config.max_active,
                    });
                }
                Err(error) => return Err(error.into()),
            }
        }
        Err(Error::Store(StoreError::Conflict))
    }

    /// A page of the owner's tokens, newest first. `page` starts at 1; `per_page` is
    /// 1–100. `last_used_at` includes uses this process has not written yet.
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] for a page below 1 or a page size outside 1–100;
    /// [`Error::Store`] when the store fails.
    pub async fn list(&self, owner_id: &str, page: u64, per_page: u64) -> Result<TokenPage, Error> {
        if page == 0 {
            return Err(Error::validation("page", "page must be at least 1"));
        }
        if !(1..=100).contains(&per_page) {
            return Err(Error::validation(
                "per_page",
                "per_page must be between 1 and 100",
            ));
        }

        // SQL databases take signed 64-bit offsets; past that no owner has tokens anyway.
        let offset = (page - 1).saturating_mul(per_page).min(i64::MAX as u64);
        let mut listed = self
            .inner
            .store
            .list_by_owner(owner_id, offset, per_page)
            .await?;
        for record in &mut listed.tokens {
            record.last_used_at = record
                .last_used_at
                .max(self.inner.last_used.pending(record.id));
        }
        Ok(listed)
    }

    /// How many active tokens the owner holds now.
    ///
    /// # Errors
    ///
    /// [`Error::Store`] when the store fails.
    pub async fn count_active(&self, owner_id: &str) -> Result<u64, Error> {
        let active = self.inner.config.expiry.active_filter(Utc::now());
        Ok(self.inner.store.count_active(owner_id, active).await?)
    }

    /// Revokes the owner's token `id`. Revoking a revoked token succeeds again. When this
    /// returns, this manager refuses the token; other managers on the same store refuse it
    /// within their revalidation interval.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when no such token belongs to `owner_id`; [`Error::Store`] when
    /// the store fails.
    #[tracing::instrument(name = "revoke_token", skip_all, fields(owner.id = owner_id, token.id = %id))]
    pub async fn revoke(&self, owner_id: &str, id: Uuid) -> Result<TokenRecord, Error> {
        let record = self
            .inner
            .store
            .revoke(owner_id, id, Utc::now())
            .await?
            .ok_or(Error::NotFound)?;
        self.inner.verifier.forget(id).await;
        tracing::info!("token revoked");
        Ok(record)
    }

    /// The status of `record` now, under this manager's expiry policy.
    pub fn status(&self, record: &TokenRecord) -> TokenStatus {
        record.status(&self.inner.config.expiry, Utc::now())
    }

    /// Counters of the verification path since this manager was built.
    pub fn stats(&self) -> VerifyStats {
        let mut stats = self.inner.verifier.stats();
        stats.last_used_writes = self.inner.last_used.writes_started();
        stats
    }

    /// Writes pending last-used times and waits for writes in flight. Call it on graceful
    /// shutdown; the manager keeps working afterwards.
    pub async fn shutdown(&self) {
        self.inner.last_used.flush().await;
    }

    async fn hash(&self, token: &TokenSecret) -> Result<crate::TokenHash, Error> {
        let _permit = self
            .inner
            .creating
            .acquire()
            .await
            .map_err(StoreError::backend)?;
        let plain = zeroize::Zeroizing::new(token.expose_secret().to_owned());
        let cost = self.inner.config.bcrypt_cost;

        tokio::task::spawn_blocking(move || hash_token(&plain, cost))
            .await
            .map_err(StoreError::backend)?
            .map_err(|error| Error::Store(StoreError::backend(error)))
    }
}
