//! The storage contract and the in-memory store.

mod memory;

pub use memory::MemoryTokenStore;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::StoreError;
use crate::record::{ActiveFilter, TokenPage, TokenRecord};

/// Where tokens live.
///
/// A store is a plain persistence layer: the [`TokenManager`](crate::TokenManager) owns the
/// rules and calls these methods. Every method is one atomic step from the caller's point
/// of view, and every store must pass the conformance suite in `api_tokens::testing`
/// (feature `testing`).
///
/// # Contract
///
/// - [`insert`](TokenStore::insert) counts the owner's active tokens with the given
///   [`ActiveFilter`] and inserts only while that count is below `max_active`, as **one
///   atomic step**: any number of concurrent inserts for one owner never leave more than
///   `max_active` active tokens. A full owner gives [`StoreError::LimitReached`]; a
///   duplicate `id` or `lookup_id` gives [`StoreError::Conflict`].
/// - [`find_by_lookup_id`](TokenStore::find_by_lookup_id) is the hot path's only read: it
///   must be an indexed lookup.
/// - [`revoke`](TokenStore::revoke) sets `revoked_at` only if it is unset, and returns the
///   record as stored afterwards; an unknown id or another owner's token gives `None`.
/// - [`touch_last_used`](TokenStore::touch_last_used) never moves `last_used_at` backwards.
/// - Strings come back byte for byte; instants come back as the same instant in UTC.
/// - Failures to reach the backend are [`StoreError::Unavailable`], so callers answer 503,
///   never 401.
///
/// # Example
///
/// A store over a `HashMap`, enough to show the shape (the crate's own
/// [`MemoryTokenStore`] is a complete version):
///
/// ```
/// use std::collections::HashMap;
/// use std::sync::Mutex;
///
/// use api_tokens::{ActiveFilter, StoreError, TokenPage, TokenRecord, TokenStore};
/// use async_trait::async_trait;
/// use chrono::{DateTime, Utc};
/// use uuid::Uuid;
///
/// #[derive(Default)]
/// struct HashMapStore(Mutex<HashMap<Uuid, TokenRecord>>);
///
/// #[async_trait]
/// impl TokenStore for HashMapStore {
///     async fn insert(
///         &self,
///         record: TokenRecord,
///         max_active: u32,
///         active: ActiveFilter,
///     ) -> Result<(), StoreError> {
///         // One lock around count and insert makes the limit check atomic.
///         let mut tokens = self.0.lock().unwrap();
///         let taken = tokens.values().any(|t| t.id == record.id || t.lookup_id == record.lookup_id);
///         if taken {
///             return Err(StoreError::Conflict);
///         }
///         let owned = tokens
///             .values()
///             .filter(|t| t.owner_id == record.owner_id && active.matches(t))
///             .count();
///         if owned >= max_active as usize {
///             return Err(StoreError::LimitReached);
///         }
///         tokens.insert(record.id, record);
///         Ok(())
///     }
///
///     async fn find_by_lookup_id(&self, lookup_id: &str) -> Result<Option<TokenRecord>, StoreError> {
///         let tokens = self.0.lock().unwrap();
///         Ok(tokens.values().find(|t| t.lookup_id == lookup_id).cloned())
///     }
///
///     async fn find_by_id(&self, id: Uuid) -> Result<Option<TokenRecord>, StoreError> {
///         Ok(self.0.lock().unwrap().get(&id).cloned())
///     }
///
///     async fn list_by_owner(
///         &self,
///         owner_id: &str,
///         offset: u64,
///         limit: u64,
///     ) -> Result<TokenPage, StoreError> {
///         let tokens = self.0.lock().unwrap();
///         let mut owned: Vec<_> = tokens.values().filter(|t| t.owner_id == owner_id).cloned().collect();
///         owned.sort_by(|a, b| b.id.cmp(&a.id));
///         let total = owned.len() as u64;
///         let page = owned.into_iter().skip(offset as usize).take(limit as usize).collect();
///         Ok(TokenPage { tokens: page, total })
///     }
///
///     async fn count_active(&self, owner_id: &str, active: ActiveFilter) -> Result<u64, StoreError> {
///         let tokens = self.0.lock().unwrap();
///         Ok(tokens.values().filter(|t| t.owner_id == owner_id && active.matches(t)).count() as u64)
///     }
///
///     async fn revoke(
///         &self,
///         owner_id: &str,
///         id: Uuid,
///         at: DateTime<Utc>,
///     ) -> Result<Option<TokenRecord>, StoreError> {
///         let mut tokens = self.0.lock().unwrap();
///         let Some(token) = tokens.get_mut(&id).filter(|t| t.owner_id == owner_id) else {
///             return Ok(None);
///         };
///         token.revoked_at.get_or_insert(at);
///         Ok(Some(token.clone()))
///     }
///
///     async fn touch_last_used(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
///         if let Some(token) = self.0.lock().unwrap().get_mut(&id) {
///             token.last_used_at = token.last_used_at.max(Some(at));
///         }
///         Ok(())
///     }
/// }
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let manager = api_tokens::TokenManager::builder(HashMapStore::default()).build().unwrap();
/// # });
/// ```
#[async_trait]
pub trait TokenStore: Send + Sync + 'static {
    /// Inserts `record` if its owner has fewer than `max_active` tokens matching `active`,
    /// as one atomic step.
    ///
    /// # Errors
    ///
    /// [`StoreError::LimitReached`] when the owner is full, [`StoreError::Conflict`] on a
    /// duplicate id or lookup id, [`StoreError::Unavailable`] or [`StoreError::Backend`]
    /// when the backend fails. Nothing is written in any of these cases.
    async fn insert(
        &self,
        record: TokenRecord,
        max_active: u32,
        active: ActiveFilter,
    ) -> Result<(), StoreError>;

    /// The token with this lookup id, revoked and expired ones included.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] or [`StoreError::Backend`] when the backend fails.
    async fn find_by_lookup_id(&self, lookup_id: &str) -> Result<Option<TokenRecord>, StoreError>;

    /// The token with this id, whoever owns it.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] or [`StoreError::Backend`] when the backend fails.
    async fn find_by_id(&self, id: Uuid) -> Result<Option<TokenRecord>, StoreError>;

    /// A page of the owner's tokens, newest first (descending `id`, which is UUID v7),
    /// skipping `offset` and returning at most `limit`, with the owner's total count.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] or [`StoreError::Backend`] when the backend fails.
    async fn list_by_owner(
        &self,
        owner_id: &str,
        offset: u64,
        limit: u64,
    ) -> Result<TokenPage, StoreError>;

    /// How many of the owner's tokens match `active`.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] or [`StoreError::Backend`] when the backend fails.
    async fn count_active(&self, owner_id: &str, active: ActiveFilter) -> Result<u64, StoreError>;

    /// Sets `revoked_at = at` on the owner's token `id` unless it is already set, and
    /// returns the record as stored afterwards; `None` when there is no such token or it
    /// belongs to someone else.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] or [`StoreError::Backend`] when the backend fails.
    async fn revoke(
        &self,
        owner_id: &str,
        id: Uuid,
        at: DateTime<Utc>,
    ) -> Result<Option<TokenRecord>, StoreError>;

    /// Sets `last_used_at = at` unless the stored value is already later. An unknown id
    /// is not an error.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] or [`StoreError::Backend`] when the backend fails.
    async fn touch_last_used(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError>;

    /// The lookup ids of tokens created at or after `since` (of every token when `None`),
    /// revoked and expired ones included; returning more is allowed, fewer is not. `None`
    /// means the store does not offer this, which is the default.
    ///
    /// A store that answers lets the manager keep the set of lookup ids in memory and
    /// refuse unknown ones without calling
    /// [`find_by_lookup_id`](TokenStore::find_by_lookup_id) (and, with
    /// [`data_version`](TokenStore::data_version), without any call at all). After the
    /// first call, `since` is a few minutes before the previous call, so the answer is
    /// small; it should be an indexed range read (token ids are UUID v7, ordered by
    /// creation time, so a range of ids serves).
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] or [`StoreError::Backend`] when the backend fails.
    async fn lookup_ids_created_since(
        &self,
        since: Option<DateTime<Utc>>,
    ) -> Result<Option<Vec<String>>, StoreError> {
        let _ = since;
        Ok(None)
    }

    /// A marker of the store's contents, read without leaving the process: two answers
    /// differ whenever a token was inserted between the two calls, by this process or by
    /// any other. It may change more often (on any write, say), never less. `None` means
    /// the store cannot tell cheaply, which is the default.
    ///
    /// With [`lookup_ids_created_since`](TokenStore::lookup_ids_created_since), this lets
    /// the manager refuse an unknown lookup id at once when nothing was inserted since its
    /// last read of the lookup ids; without it, each refusal waits for a fresh (shared)
    /// read of the newest ids. It is called for every unknown lookup id, so it must cost
    /// microseconds and never wait on the network.
    fn data_version(&self) -> Option<u64> {
        None
    }
}

impl std::fmt::Debug for dyn TokenStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("dyn TokenStore")
    }
}
