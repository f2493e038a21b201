//! Last-used tracking: off the request path, at most one write per token per interval.
//!
//! The first use of a token is written at once. Later uses inside the interval only
//! raise an atomic in the token's [`UseSlot`]; a background task writes the newest one
//! when the interval is over, and [`TokenManager::shutdown`](crate::TokenManager::shutdown)
//! writes whatever is still pending. Stores never move `last_used_at` backwards, so
//! writes may land in any order.
//!
//! A cached verification holds its token's slot, so a warm request records its use with
//! two atomic operations and takes no lock.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio_util::task::TaskTracker;
use uuid::Uuid;

use crate::store::TokenStore;

/// The uses of one token seen by this process, as microseconds since the epoch.
#[derive(Debug)]
pub(crate) struct UseSlot {
    id: Uuid,
    /// The newest use seen, written or not (or the stored `last_used_at` it started from).
    seen: AtomicI64,
    /// The newest use handed to a write.
    written: AtomicI64,
    /// When the latest write was started.
    last_write: AtomicI64,
}

impl UseSlot {
    /// The newest use seen by this process, or the stored value the slot started from.
    pub(crate) fn seen(&self) -> DateTime<Utc> {
        from_micros(self.seen.load(Ordering::Relaxed))
    }

    fn has_pending(&self) -> bool {
        self.seen.load(Ordering::Acquire) > self.written.load(Ordering::Acquire)
    }
}

pub(crate) struct LastUsedTracker {
    store: Arc<dyn TokenStore>,
    interval_micros: i64,
    interval: Duration,
    slots: Mutex<HashMap<Uuid, Arc<UseSlot>>>,
    writes: TaskTracker,
    flusher_started: AtomicBool,
    writes_started: AtomicU64,
}

impl LastUsedTracker {
    pub(crate) fn new(store: Arc<dyn TokenStore>, interval: Duration) -> Self {
        Self {
            store,
            interval_micros: i64::try_from(interval.as_micros()).unwrap_or(i64::MAX),
            interval,
            slots: Mutex::new(HashMap::new()),
            writes: TaskTracker::new(),
            flusher_started: AtomicBool::new(false),
            writes_started: AtomicU64::new(0),
        }
    }

    /// The slot of token `id`, created on first need. `stored` is the token's latest use
    /// known to the store (or its creation), so inactivity is measured from there.
    pub(crate) fn slot(&self, id: Uuid, stored: DateTime<Utc>) -> Arc<UseSlot> {
        let stored = stored.timestamp_micros();
        let mut slots = self.slots();
        let slot = slots.entry(id).or_insert_with(|| {
            Arc::new(UseSlot {
                id,
                seen: AtomicI64::new(stored),
                written: AtomicI64::new(stored),
                last_write: AtomicI64::new(i64::MIN),
            })
        });
        slot.seen.fetch_max(stored, Ordering::AcqRel);
        slot.written.fetch_max(stored, Ordering::AcqRel);
        Arc::clone(slot)
    }

    /// Notes a successful use. Never waits for the store and takes no lock unless a
    /// write is due.
    pub(crate) fn record(self: &Arc<Self>, slot: &Arc<UseSlot>, at: DateTime<Utc>) {
        let at = at.timestamp_micros();
        // Uses within one microsecond need no second write to the shared line.
        if slot.seen.load(Ordering::Relaxed) < at {
            slot.seen.fetch_max(at, Ordering::AcqRel);
        }

        let last_write = slot.last_write.load(Ordering::Acquire);
        // A use stamped just before a write started (by the flusher, on another thread)
        // is not due. A clock that stepped back by more than an interval is: writes must
        // not stall until it catches up.
        let elapsed = at.saturating_sub(last_write);
        let due = elapsed >= self.interval_micros || elapsed < -self.interval_micros;
        if due
            && slot
                .last_write
                .compare_exchange(last_write, at, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
        {
            self.write_newest(slot);
            // A slot dropped as idle by the flusher comes back, so its later uses flush.
            self.slots()
                .entry(slot.id)
                .or_insert_with(|| Arc::clone(slot));
            self.start_flusher();
        }
    }

    /// The newest use of `id` seen by this process, written or not.
    pub(crate) fn pending(&self, id: Uuid) -> Option<DateTime<Utc>> {
        self.slots()
            .get(&id)
            // The first use is always written at once, so a slot never written saw no use.
            .filter(|slot| slot.last_write.load(Ordering::Acquire) != i64::MIN)
            .map(|slot| slot.seen())
    }

    /// How many writes this tracker has started.
    pub(crate) fn writes_started(&self) -> u64 {
        self.writes_started.load(Ordering::Relaxed)
    }

    /// Writes every pending use now and waits for all writes in flight.
    pub(crate) async fn flush(&self) {
        let pending: Vec<_> = self
            .slots()
            .values()
            .filter(|slot| slot.has_pending())
            .cloned()
            .collect();
        for slot in pending {
            self.write_newest(&slot);
        }

        self.writes.close();
        self.writes.wait().await;
        self.writes.reopen();
    }

    /// Writes the uses whose interval is over and forgets idle tokens.
    fn flush_due(&self) {
        let now = Utc::now().timestamp_micros();
        let due: Vec<_> = {
            let mut slots = self.slots();
            slots.retain(|_, slot| {
                let idle = now.saturating_sub(slot.last_write.load(Ordering::Acquire));
                slot.has_pending() || idle < self.interval_micros.saturating_mul(2)
            });
            slots
                .values()
                .filter(|slot| slot.has_pending())
                .filter(|slot| {
                    let last_write = slot.last_write.load(Ordering::Acquire);
                    now.saturating_sub(last_write) >= self.interval_micros
                        && slot
                            .last_write
                            .compare_exchange(last_write, now, Ordering::AcqRel, Ordering::Acquire)
                            .is_ok()
                })
                .cloned()
                .collect()
        };
        for slot in due {
            self.write_newest(&slot);
        }
    }

    /// Starts a write of the newest use seen in `slot`.
    fn write_newest(&self, slot: &UseSlot) {
        let at = slot.seen.load(Ordering::Acquire);
        slot.written.fetch_max(at, Ordering::AcqRel);
        self.write(slot.id, from_micros(at));
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
        if self.flusher_started.load(Ordering::Acquire)
            || self.flusher_started.swap(true, Ordering::AcqRel)
        {
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

    fn slots(&self) -> MutexGuard<'_, HashMap<Uuid, Arc<UseSlot>>> {
        // Every critical section leaves the map consistent, so a poisoned lock is safe.
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn from_micros(micros: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

#[cfg(test)]
mod tests {
    use chrono::SubsecRound;

    use super::*;
    use crate::store::MemoryTokenStore;

    fn tracker() -> Arc<LastUsedTracker> {
        Arc::new(LastUsedTracker::new(
            Arc::new(MemoryTokenStore::new()),
            Duration::from_secs(60),
        ))
    }

    #[tokio::test]
    async fn a_use_stamped_just_before_the_last_write_writes_nothing() {
        let tracker = tracker();
        let at = Utc::now().trunc_subsecs(6);
        let slot = tracker.slot(Uuid::now_v7(), at - chrono::Duration::days(1));

        tracker.record(&slot, at);
        tracker.record(&slot, at - chrono::Duration::microseconds(50));
        tracker.record(&slot, at + chrono::Duration::seconds(59));

        assert_eq!(tracker.writes_started(), 1);
        assert_eq!(slot.seen(), at + chrono::Duration::seconds(59));
    }

    #[tokio::test]
    async fn uses_after_the_interval_or_after_a_clock_step_back_are_written() {
        let tracker = tracker();
        let at = Utc::now();
        let slot = tracker.slot(Uuid::now_v7(), at - chrono::Duration::days(1));

        tracker.record(&slot, at);
        tracker.record(&slot, at + chrono::Duration::seconds(60));
        tracker.record(&slot, at - chrono::Duration::hours(2));

        assert_eq!(tracker.writes_started(), 3);
        tracker.flush().await;
    }
}
