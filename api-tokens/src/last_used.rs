//! Last-used tracking: off the request path, at most one write per token per interval.
//!
//! The first use of a token is written at once. Later uses inside the interval only
//! remember the newest instant; a background task writes it when the interval is over,
//! and [`TokenManager::shutdown`](crate::TokenManager::shutdown) writes whatever is still
//! pending. Stores never move `last_used_at` backwards, so writes may land in any order.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio_util::task::TaskTracker;
use uuid::Uuid;

use crate::store::TokenStore;

pub(crate) struct LastUsedTracker {
    store: Arc<dyn TokenStore>,
    interval: Duration,
    slots: Mutex<HashMap<Uuid, Slot>>,
    writes: TaskTracker,
    flusher_started: AtomicBool,
    writes_started: AtomicU64,
}

struct Slot {
    last_write: Instant,
    /// The newest use not yet written.
    pending: Option<DateTime<Utc>>,
    /// The newest use seen, written or not: a use whose write is still in flight counts.
    seen: DateTime<Utc>,
}

impl LastUsedTracker {
    pub(crate) fn new(store: Arc<dyn TokenStore>, interval: Duration) -> Self {
        Self {
            store,
            interval,
            slots: Mutex::new(HashMap::new()),
            writes: TaskTracker::new(),
            flusher_started: AtomicBool::new(false),
            writes_started: AtomicU64::new(0),
        }
    }

    /// Notes a successful use. Never waits for the store.
    pub(crate) fn record(self: &Arc<Self>, id: Uuid, at: DateTime<Utc>) {
        let write_now = {
            let mut slots = self.slots();
            match slots.get_mut(&id) {
                Some(slot) if slot.last_write.elapsed() < self.interval => {
                    slot.pending = slot.pending.max(Some(at));
                    slot.seen = slot.seen.max(at);
                    false
                }
                Some(slot) => {
                    *slot = Slot {
                        last_write: Instant::now(),
                        pending: None,
                        seen: slot.seen.max(at),
                    };
                    true
                }
                None => {
                    slots.insert(
                        id,
                        Slot {
                            last_write: Instant::now(),
                            pending: None,
                            seen: at,
                        },
                    );
                    true
                }
            }
        };

        if write_now {
            self.write(id, at);
        }
        self.start_flusher();
    }

    /// The newest use of `id` seen by this process, written or not.
    pub(crate) fn pending(&self, id: Uuid) -> Option<DateTime<Utc>> {
        self.slots().get(&id).map(|slot| slot.seen)
    }

    /// How many writes this tracker has started.
    pub(crate) fn writes_started(&self) -> u64 {
        self.writes_started.load(Ordering::Relaxed)
    }

    /// Writes every pending use now and waits for all writes in flight.
    pub(crate) async fn flush(&self) {
        let pending: Vec<_> = {
            let mut slots = self.slots();
            slots
                .iter_mut()
                .filter_map(|(id, slot)| slot.pending.take().map(|at| (*id, at)))
                .collect()
        };
        for (id, at) in pending {
            self.write(id, at);
        }

        self.writes.close();
        self.writes.wait().await;
        self.writes.reopen();
    }

    /// Writes the uses whose interval is over and forgets idle tokens.
    fn flush_due(&self) {
        let due: Vec<_> = {
            let mut slots = self.slots();
            slots.retain(|_, slot| {
                slot.pending.is_some() || slot.last_write.elapsed() < self.interval * 2
            });
            slots
                .iter_mut()
                .filter(|(_, slot)| slot.last_write.elapsed() >= self.interval)
                .filter_map(|(id, slot)| {
                    let at = slot.pending.take()?;
                    slot.last_write = Instant::now();
                    Some((*id, at))
                })
                .collect()
        };
        for (id, at) in due {
            self.write(id, at);
        }
    }

    fn write(&self, id: Uuid, at: DateTime<Utc>) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::error!(token.id = %id, "no Tokio runtime to record a token's last use on");
            return;
        };
        self.writes_started.fetch_add(1, Ordering::Relaxed);

        let store = Arc::clone(&self.store);
        self.writes.spawn_on(
            async move {
                if let Err(error) = store.touch_last_used(id, at).await {
                    tracing::error!(
                        token.id = %id,
                        error = &error as &dyn std::error::Error,
                        "could not record a token's last use; the request was served anyway"
                    );
                }
            },
            &runtime,
        );
    }

    /// Starts the task that writes deferred uses, once, on the current runtime. The task
    /// holds only a weak reference and ends when the manager is dropped.
    fn start_flusher(self: &Arc<Self>) {
        if self.flusher_started.swap(true, Ordering::AcqRel) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            self.flusher_started.store(false, Ordering::Release);
            return;
        };

        let tracker: Weak<Self> = Arc::downgrade(self);
        let tick = (self.interval / 2).max(Duration::from_millis(10));
        runtime.spawn(async move {
            let mut ticks = tokio::time::interval(tick);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                let Some(tracker) = tracker.upgrade() else {
                    break;
                };
                tracker.flush_due();
            }
        });
    }

    fn slots(&self) -> MutexGuard<'_, HashMap<Uuid, Slot>> {
        // Every critical section leaves the map consistent, so a poisoned lock is safe.
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
