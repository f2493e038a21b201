//! Conformance checks of the per-owner limit: counting active tokens, refusing the
//! owner who is full, and staying exact under concurrent inserts.

use std::sync::Arc;

use chrono::Duration;

use super::{default_filter, fresh_owner, insert_ok, new_record, now, stored};
use crate::error::StoreError;
use crate::record::ActiveFilter;
use crate::store::TokenStore;

/// An owner at `max_active` gets [`StoreError::LimitReached`] and nothing is written.
pub async fn full_owner_gets_limit_reached<S: TokenStore>(store: S) {
    let owner = fresh_owner();
    for _ in 0..3 {
        insert_ok(&store, &new_record(&owner), 3).await;
    }
    let extra = new_record(&owner);

    let result = store.insert(extra.clone(), 3, default_filter(now())).await;

    assert!(
        matches!(result, Err(StoreError::LimitReached)),
        "got {result:?}"
    );
    assert_eq!(stored(&store, extra.id).await, None);
    let count = store.count_active(&owner, default_filter(now())).await;
    assert_eq!(count.expect("count succeeds"), 3);
}

/// Revoked, expired and inactive tokens do not count toward the limit; a token created
/// long ago but used recently does.
pub async fn inactive_tokens_do_not_count<S: TokenStore>(store: S) {
    let owner = fresh_owner();
    let at = now();
    let mut revoked = new_record(&owner);
    revoked.revoked_at = Some(at - Duration::minutes(1));
    let mut expired = new_record(&owner);
    expired.expires_at = Some(at - Duration::seconds(1));
    let mut idle = new_record(&owner);
    idle.created_at = at - Duration::days(200);
    idle.last_used_at = Some(at - Duration::days(91));
    let mut old_but_used = new_record(&owner);
    old_but_used.created_at = at - Duration::days(200);
    old_but_used.last_used_at = Some(at - Duration::days(1));
    for record in [&revoked, &expired, &idle, &old_but_used] {
        insert_ok(&store, record, 10).await;
    }

    let second = new_record(&owner);
    let admitted = store.insert(second, 2, default_filter(now())).await;
    let third = new_record(&owner);
    let refused = store.insert(third.clone(), 2, default_filter(now())).await;

    assert!(
        admitted.is_ok(),
        "second active token refused: {admitted:?}"
    );
    assert!(
        matches!(refused, Err(StoreError::LimitReached)),
        "got {refused:?}"
    );
    assert_eq!(stored(&store, third.id).await, None);
    let count = store.count_active(&owner, default_filter(now())).await;
    assert_eq!(count.expect("count succeeds"), 2);
}

/// 25 concurrent inserts for one owner with no tokens and a limit of 10: exactly 10
/// succeed and 15 get [`StoreError::LimitReached`], never another error.
pub async fn concurrent_inserts_from_zero_stop_at_the_limit<S: TokenStore>(store: S) {
    let owner = fresh_owner();

    let (admitted, refused) = insert_concurrently(store, &owner, 25, 10).await;

    assert_eq!((admitted, refused), (10, 15));
}

/// Ten concurrent inserts for an owner holding 9 of 10 active tokens: exactly one
/// succeeds.
pub async fn concurrent_inserts_from_nine_admit_one<S: TokenStore>(store: S) {
    let owner = fresh_owner();
    for _ in 0..9 {
        insert_ok(&store, &new_record(&owner), 10).await;
    }

    let (admitted, refused) = insert_concurrently(store, &owner, 10, 10).await;

    assert_eq!((admitted, refused), (1, 9));
}

/// Runs `n` inserts at once on separate tasks; returns (admitted, refused) after checking
/// that the owner holds exactly `max` active tokens.
async fn insert_concurrently<S: TokenStore>(
    store: S,
    owner: &str,
    n: usize,
    max: u32,
) -> (u32, u32) {
    let store = Arc::new(store);
    let records: Vec<_> = (0..n).map(|_| new_record(owner)).collect();
    let start = Arc::new(tokio::sync::Barrier::new(n));

    let tasks: Vec<_> = records
        .into_iter()
        .map(|record| {
            let (store, start) = (Arc::clone(&store), Arc::clone(&start));
            tokio::spawn(async move {
                start.wait().await;
                store.insert(record, max, default_filter(now())).await
            })
        })
        .collect();
    let (mut admitted, mut refused) = (0, 0);
    for task in tasks {
        match task.await.expect("insert task panicked") {
            Ok(()) => admitted += 1,
            Err(StoreError::LimitReached) => refused += 1,
            Err(other) => panic!("concurrent insert failed with {other:?}"),
        }
    }

    let count = store.count_active(owner, default_filter(now())).await;
    assert_eq!(count.expect("count succeeds"), u64::from(max));
    (admitted, refused)
}

/// `count_active` counts the owner's tokens the filter calls active, at its exact
/// boundaries: `expires_at` must be later than `now`, the last sighting later than
/// `inactive_before`.
pub async fn count_active_follows_the_filter<S: TokenStore>(store: S) {
    let owner = fresh_owner();
    let at = now();
    let cutoff = at - Duration::days(90);
    let mut expiring_now = new_record(&owner);
    expiring_now.expires_at = Some(at);
    let mut expiring_later = new_record(&owner);
    expiring_later.expires_at = Some(at + Duration::microseconds(1));
    let mut seen_at_cutoff = new_record(&owner);
    seen_at_cutoff.created_at = cutoff - Duration::days(1);
    seen_at_cutoff.last_used_at = Some(cutoff);
    let mut created_after_cutoff = new_record(&owner);
    created_after_cutoff.created_at = cutoff + Duration::microseconds(1);
    let mut revoked = new_record(&owner);
    revoked.revoked_at = Some(at);
    let all = [
        &expiring_now,
        &expiring_later,
        &seen_at_cutoff,
        &created_after_cutoff,
        &revoked,
    ];
    for record in all {
        insert_ok(&store, record, 10).await;
    }
    insert_ok(&store, &new_record(&fresh_owner()), 10).await;
    let idle_aware = ActiveFilter {
        now: at,
        inactive_before: Some(cutoff),
    };
    let never_idle = ActiveFilter {
        now: at,
        inactive_before: None,
    };

    let with_inactivity = store.count_active(&owner, idle_aware).await.expect("count");
    let without_inactivity = store.count_active(&owner, never_idle).await.expect("count");
    let nobody = store
        .count_active(&fresh_owner(), never_idle)
        .await
        .expect("count");

    let expected = all.iter().filter(|r| never_idle.matches(r)).count() as u64;
    assert_eq!(
        with_inactivity, 2,
        "expiring later and created after the cutoff"
    );
    assert_eq!(without_inactivity, expected);
    assert_eq!(without_inactivity, 3);
    assert_eq!(nobody, 0);
}
