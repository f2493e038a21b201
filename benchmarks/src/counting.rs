//! A [`TokenStore`] wrapper that counts what reaches the store underneath.
//!
//! The manager's own counters say what it *started*; this says what the store actually
//! received, and when, so "at most one last-used write per interval" can be checked from
//! the store's side.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use api_tokens::{ActiveFilter, StoreError, TokenPage, TokenRecord, TokenStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// What a [`CountingStore`] has seen. Shared, so the benchmark keeps a handle while the
/// manager owns the store.
#[derive(Debug, Default)]
pub struct StoreCounters {
    lookups: AtomicU64,
    touches: Mutex<Vec<Instant>>,
}

impl StoreCounters {
    /// Reads by lookup id.
    pub fn lookups(&self) -> u64 {
        self.lookups.load(Ordering::Relaxed)
    }

    /// When each `touch_last_used` call arrived, in order.
    pub fn touches(&self) -> Vec<Instant> {
        self.touches
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Passes every call to the inner store and counts the interesting ones.
#[derive(Debug)]
pub struct CountingStore {
    inner: Arc<dyn TokenStore>,
    counters: Arc<StoreCounters>,
}

impl CountingStore {
    /// Wraps `inner`; read the counts through the returned handle.
    pub fn new(inner: impl TokenStore) -> (Self, Arc<StoreCounters>) {
        let counters = Arc::new(StoreCounters::default());
        let store = Self {
            inner: Arc::new(inner),
            counters: Arc::clone(&counters),
        };
        (store, counters)
    }
}

#[async_trait]
impl TokenStore for CountingStore {
    async fn insert(
        &self,
        record: TokenRecord,
        max_active: u32,
        active: ActiveFilter,
    ) -> Result<(), StoreError> {
        self.inner.insert(record, max_active, active).await
    }

    async fn find_by_lookup_id(&self, lookup_id: &str) -> Result<Option<TokenRecord>, StoreError> {
        self.counters.lookups.fetch_add(1, Ordering::Relaxed);
        self.inner.find_by_lookup_id(lookup_id).await
    }

    async fn find_by_id(&self, id: Uuid) -> Result<Option<TokenRecord>, StoreError> {
        self.inner.find_by_id(id).await
    }

    async fn list_by_owner(
        &self,
        owner_id: &str,
        offset: u64,
        limit: u64,
    ) -> Result<TokenPage, StoreError> {
        self.inner.list_by_owner(owner_id, offset, limit).await
    }

    async fn count_active(&self, owner_id: &str, active: ActiveFilter) -> Result<u64, StoreError> {
        self.inner.count_active(owner_id, active).await
    }

    async fn revoke(
        &self,
        owner_id: &str,
        id: Uuid,
        at: DateTime<Utc>,
    ) -> Result<Option<TokenRecord>, StoreError> {
        self.inner.revoke(owner_id, id, at).await
    }

    async fn touch_last_used(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.counters
            .touches
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Instant::now());
        self.inner.touch_last_used(id, at).await
    }
}
