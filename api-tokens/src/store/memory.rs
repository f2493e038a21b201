//! An in-memory store, for tests, examples and single-process services that can afford to
//! lose their tokens on restart.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::TokenStore;
use crate::error::StoreError;
use crate::record::{ActiveFilter, TokenPage, TokenRecord};

/// A [`TokenStore`] in process memory. Everything is lost when the process exits.
///
/// One mutex guards all tokens, which makes the limit check trivially atomic; lookups by
/// lookup id go through a hash index. Inserts count up a version, so the manager refuses
/// an unknown lookup id without taking the lock.
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    inner: Mutex<Tokens>,
    /// Tokens inserted so far; bumped under the lock, after the insert.
    inserts: AtomicU64,
}

#[derive(Debug, Default)]
struct Tokens {
    by_id: BTreeMap<Uuid, TokenRecord>,
    id_by_lookup: HashMap<String, Uuid>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn tokens(&self) -> MutexGuard<'_, Tokens> {
        // A panic while holding the lock cannot leave a half-written record behind (every
        // write is a single map operation), so the data is still consistent.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl TokenStore for MemoryTokenStore {
    async fn insert(
        &self,
        record: TokenRecord,
        max_active: u32,
        active: ActiveFilter,
    ) -> Result<(), StoreError> {
        let mut tokens = self.tokens();

        if tokens.by_id.contains_key(&record.id)
            || tokens.id_by_lookup.contains_key(&record.lookup_id)
        {
            return Err(StoreError::Conflict);
        }
        let owned_active = tokens
            .by_id
            .values()
            .filter(|t| t.owner_id == record.owner_id && active.matches(t))
            .count();
        if owned_active >= max_active as usize {
            return Err(StoreError::LimitReached);
        }

        tokens
            .id_by_lookup
            .insert(record.lookup_id.clone(), record.id);
        tokens.by_id.insert(record.id, record);
        self.inserts.fetch_add(1, Ordering::Release);
        Ok(())
    }

    async fn find_by_lookup_id(&self, lookup_id: &str) -> Result<Option<TokenRecord>, StoreError> {
        let tokens = self.tokens();
        let found = tokens
            .id_by_lookup
            .get(lookup_id)
            .and_then(|id| tokens.by_id.get(id));
        Ok(found.cloned())
    }

    async fn find_by_id(&self, id: Uuid) -> Result<Option<TokenRecord>, StoreError> {
        Ok(self.tokens().by_id.get(&id).cloned())
    }

    async fn list_by_owner(
        &self,
        owner_id: &str,
        offset: u64,
        limit: u64,
    ) -> Result<TokenPage, StoreError> {
        let tokens = self.tokens();
        let owned = || {
            tokens
                .by_id
                .values()
                .rev()
                .filter(|t| t.owner_id == owner_id)
        };

        let total = owned().count() as u64;
        let page = owned()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .cloned()
            .collect();
        Ok(TokenPage {
            tokens: page,
            total,
        })
    }

    async fn count_active(&self, owner_id: &str, active: ActiveFilter) -> Result<u64, StoreError> {
        let tokens = self.tokens();
        let count = tokens
            .by_id
            .values()
            .filter(|t| t.owner_id == owner_id && active.matches(t))
            .count();
        Ok(count as u64)
    }

    async fn revoke(
        &self,
        owner_id: &str,
        id: Uuid,
        at: DateTime<Utc>,
    ) -> Result<Option<TokenRecord>, StoreError> {
        let mut tokens = self.tokens();
        let Some(token) = tokens.by_id.get_mut(&id).filter(|t| t.owner_id == owner_id) else {
            return Ok(None);
        };
        token.revoked_at.get_or_insert(at);
        Ok(Some(token.clone()))
    }

    async fn touch_last_used(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
        if let Some(token) = self.tokens().by_id.get_mut(&id) {
            token.last_used_at = token.last_used_at.max(Some(at));
        }
        Ok(())
    }

    /// A scan of every token: this store is meant for a modest number of them, and the
    /// manager asks again only after an insert.
    async fn lookup_ids_created_since(
        &self,
        since: Option<DateTime<Utc>>,
    ) -> Result<Option<Vec<String>>, StoreError> {
        let tokens = self.tokens();
        let ids = tokens
            .by_id
            .values()
            .filter(|t| since.is_none_or(|since| t.created_at >= since))
            .map(|t| t.lookup_id.clone())
            .collect();
        Ok(Some(ids))
    }

    fn data_version(&self) -> Option<u64> {
        Some(self.inserts.load(Ordering::Acquire))
    }
}
