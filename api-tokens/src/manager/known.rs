//! The lookup ids this process knows exist, so an unknown one is refused without a read.
//!
//! A flood of well-formed random tokens would otherwise cost one indexed store read per
//! request. Stores that can list their lookup ids
//! ([`TokenStore::lookup_ids_created_since`]) get this filter: the ids are loaded once, in
//! the background after the first cache miss (until then every miss reads the record, as
//! without the filter), and kept fresh incrementally.
//!
//! It never refuses a token that exists. An id the set lacks may belong to a token another
//! process created a moment ago. When the store keeps a [`data_version`] and it has not
//! moved since the latest refresh began, nothing was inserted since, and the id is refused
//! at once. Otherwise the request waits for a refresh that *started after it arrived*, and
//! is refused only if that refresh does not find the id either. Requests that miss at the
//! same time share one refresh: under a flood, the store sees one small range read per
//! refresh round instead of one read per request.
//!
//! [`data_version`]: TokenStore::data_version

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::error::StoreError;
use crate::store::TokenStore;
use crate::token::LOOKUP_ID_LEN;

/// How far back each refresh reaches before the previous one started, so a token whose
/// row was committed late, or stamped by a process whose clock runs behind, is still read.
pub(crate) const REFRESH_OVERLAP: Duration = Duration::from_secs(5 * 60);

type LookupId = [u8; LOOKUP_ID_LEN];

#[derive(Debug, Default)]
struct Known {
    ids: HashSet<LookupId>,
    /// When the latest successful refresh started; `None` before the first load.
    refreshed_from: Option<DateTime<Utc>>,
    /// The store's data version read just before that refresh; `None` when the store
    /// keeps none.
    version: Option<u64>,
}

/// The latest refreshes that ended, by their number.
#[derive(Debug, Default)]
struct Rounds {
    finished: u64,
    succeeded: u64,
}

#[derive(Debug, Default)]
pub(super) struct KnownLookupIds {
    known: RwLock<Known>,
    /// Held while a refresh runs; waiters queue here and share its result.
    refreshing: tokio::sync::Mutex<Rounds>,
    /// Refreshes started. A request that read `n` here is answered by refresh `n + 1` or
    /// a later one.
    started: AtomicU64,
    /// Set when the store answered that it cannot list lookup ids.
    unsupported: AtomicBool,
    /// Set while the first load runs, or once it has succeeded.
    loading: AtomicBool,
}

/// What the filter says about a lookup id.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Presence {
    /// The id exists (or the filter cannot tell): read the record.
    Possible,
    /// No token has this id.
    Absent,
}

impl KnownLookupIds {
    /// Whether a token with `lookup_id` can exist, refreshing from `store` when this process
    /// has not seen it.
    pub(super) async fn check(
        self: &Arc<Self>,
        store: &Arc<dyn TokenStore>,
        lookup_id: &str,
    ) -> Presence {
        if self.unsupported.load(Ordering::Relaxed) {
            return Presence::Possible;
        }
        let Some(id) = to_key(lookup_id) else {
            return Presence::Possible;
        };
        // Read the round before looking: any refresh numbered above it started after now.
        let round = self.started.load(Ordering::Acquire);
        {
            let known = self.read();
            if known.refreshed_from.is_none() {
                drop(known);
                self.start_loading(store);
                return Presence::Possible;
            }
            if known.ids.contains(&id) {
                return Presence::Possible;
            }
        }
        // Everything inserted before the latest refresh began is in the set; an unchanged
        // version means nothing was inserted after. (Read outside the lock: the store may
        // take a moment the first time.)
        if let Some(version) = store.data_version()
            && self.read().version == Some(version)
        {
            return Presence::Absent;
        }

        let mut rounds = self.refreshing.lock().await;
        if rounds.finished <= round {
            let number = self.started.fetch_add(1, Ordering::AcqRel) + 1;
            let refreshed = self.refresh(store.as_ref()).await;
            rounds.finished = number;
            if let Err(error) = refreshed {
                tracing::error!(
                    error = &error as &dyn std::error::Error,
                    "could not read the store's lookup ids; reading the token instead"
                );
            } else {
                rounds.succeeded = number;
            }
        }
        // A refresh that started after this request arrived has ended. If it failed, the
        // set may be stale: only a read of the record can tell.
        if rounds.succeeded <= round
            || self.unsupported.load(Ordering::Relaxed)
            || self.read().ids.contains(&id)
        {
            Presence::Possible
        } else {
            Presence::Absent
        }
    }

    /// Whether `lookup_id` is known to be absent without awaiting anything: the set is
    /// loaded and lacks it, and the store's data version has not moved since. `false`
    /// leaves the question to [`KnownLookupIds::check`].
    pub(super) fn absent_now(&self, store: &dyn TokenStore, lookup_id: &str) -> bool {
        if self.unsupported.load(Ordering::Relaxed) {
            return false;
        }
        let Some(id) = to_key(lookup_id) else {
            return false;
        };
        let version = {
            let known = self.read();
            if known.refreshed_from.is_none() || known.ids.contains(&id) {
                return false;
            }
            known.version
        };
        // The version the set was refreshed at, read with the set: if a refresh ran since,
        // the versions differ and `check` decides.
        version.is_some() && store.data_version() == version
    }

    /// Adds the id of a token this process just created.
    pub(super) fn insert(&self, lookup_id: &str) {
        if let Some(id) = to_key(lookup_id) {
            let mut known = self.known.write().unwrap_or_else(PoisonError::into_inner);
            // Before the first load the set is not consulted; the load will bring it.
            if known.refreshed_from.is_some() {
                known.ids.insert(id);
            }
        }
    }

    /// Loads every lookup id on a task of its own, once; a failed load is tried again at
    /// a later miss.
    fn start_loading(self: &Arc<Self>, store: &Arc<dyn TokenStore>) {
        if self.loading.swap(true, Ordering::AcqRel) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            self.loading.store(false, Ordering::Release);
            return;
        };
        let (known, store) = (Arc::clone(self), Arc::clone(store));
        runtime.spawn(async move {
            let mut rounds = known.refreshing.lock().await;
            let number = known.started.fetch_add(1, Ordering::AcqRel) + 1;
            let loaded = known.refresh(store.as_ref()).await;
            rounds.finished = number;
            if loaded.is_ok() {
                rounds.succeeded = number;
            }
            if let Err(error) = loaded {
                tracing::error!(
                    error = &error as &dyn std::error::Error,
                    "could not load the store's lookup ids; unknown tokens cost a read until \
                     a later attempt succeeds"
                );
                known.loading.store(false, Ordering::Release);
            }
        });
    }

    /// Refreshes started so far.
    pub(super) fn refreshes(&self) -> u64 {
        self.started.load(Ordering::Relaxed)
    }

    /// Reads the ids created since the previous refresh (all of them the first time).
    /// Called with `refreshing` held.
    async fn refresh(&self, store: &dyn TokenStore) -> Result<(), StoreError> {
        // The version first: the read below then sees at least what it describes.
        let version = store.data_version();
        let started_at = Utc::now();
        let since = self
            .read()
            .refreshed_from
            .map(|from| from - REFRESH_OVERLAP);

        let Some(ids) = store.lookup_ids_created_since(since).await? else {
            self.unsupported.store(true, Ordering::Relaxed);
            return Ok(());
        };
        let mut known = self.known.write().unwrap_or_else(PoisonError::into_inner);
        known.ids.extend(ids.iter().filter_map(|id| to_key(id)));
        known.refreshed_from = Some(started_at);
        known.version = version;
        Ok(())
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Known> {
        // Writers only extend the set and move the instant forward: a poisoned lock still
        // holds a consistent set.
        self.known.read().unwrap_or_else(PoisonError::into_inner)
    }
}

fn to_key(lookup_id: &str) -> Option<LookupId> {
    lookup_id.as_bytes().try_into().ok()
}
