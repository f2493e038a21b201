//! Rules of the token lifecycle: limits, expiry, inactivity and last-used tracking.

mod common;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use api_tokens::{Error, InvalidToken, NewToken, TokenStatus, TokenStore, VerifyError};
use chrono::{SubsecRound, Utc};
use common::{InstrumentedStore, builder, create, eventually, manager};

#[tokio::test]
async fn tc_token_050_last_used_starts_empty_and_follows_successful_uses_only() {
    let (manager, store) = manager();
    let (token, id) = create(&manager, "owner", "ci").await;
    let last_used = || async {
        store
            .find_by_id(id)
            .await
            .expect("store")
            .expect("row")
            .last_used_at
    };
    assert_eq!(last_used().await, None);

    let wrong = format!(
        "{}{}",
        &token[..39],
        if token.ends_with('x') { 'y' } else { 'x' }
    );
    assert!(manager.verify(&wrong).await.is_err());
    manager.shutdown().await;
    assert_eq!(
        last_used().await,
        None,
        "a refused attempt counted as a use"
    );

    // Uses are kept in whole microseconds, as SQL databases keep them.
    let before = Utc::now().trunc_subsecs(6);
    manager.verify(&token).await.expect("valid");
    manager.shutdown().await;
    let first = last_used().await.expect("recorded");
    assert!(first >= before && first <= Utc::now());

    manager.revoke("owner", id).await.expect("revoke");
    assert!(manager.verify(&token).await.is_err());
    manager.shutdown().await;
    assert_eq!(
        last_used().await,
        Some(first),
        "a revoked attempt counted as a use"
    );
}

#[tokio::test]
async fn tc_token_051_thousand_uses_in_one_interval_write_once() {
    let (manager, store) = manager();
    let (token, _) = create(&manager, "owner", "ci").await;

    for _ in 0..1_000 {
        manager.verify(&token).await.expect("valid");
    }
    let written = eventually(Duration::from_secs(2), || {
        store.touches.load(Ordering::SeqCst) >= 1
    })
    .await;

    assert!(written, "the first use was not written promptly");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(store.touches.load(Ordering::SeqCst), 1);
    assert_eq!(manager.stats().last_used_writes, 1);
}

#[tokio::test]
async fn tc_token_052_deferred_use_is_written_after_the_interval_and_never_backwards() {
    let store = Arc::new(InstrumentedStore::default());
    let manager = builder(&store)
        .with_last_used_interval(Duration::from_millis(200))
        .build()
        .expect("config");
    let (token, id) = create(&manager, "owner", "ci").await;

    manager.verify(&token).await.expect("first use");
    tokio::time::sleep(Duration::from_millis(20)).await;
    manager.verify(&token).await.expect("second use, deferred");
    let second_use = Utc::now();
    let flushed = eventually(Duration::from_secs(3), || {
        store.touches.load(Ordering::SeqCst) >= 2
    })
    .await;

    assert!(flushed, "the deferred use was never written");
    let stored = store
        .find_by_id(id)
        .await
        .expect("store")
        .expect("row")
        .last_used_at;
    assert!(stored.expect("set") <= second_use);
    store
        .touch_last_used(id, Utc::now() - chrono::Duration::hours(1))
        .await
        .expect("touch");
    let after = store
        .find_by_id(id)
        .await
        .expect("store")
        .expect("row")
        .last_used_at;
    assert_eq!(after, stored, "an older write moved last_used_at backwards");
}

#[tokio::test]
async fn tc_token_053_failed_last_used_write_does_not_fail_the_request() {
    let (manager, store) = manager();
    let (token, _) = create(&manager, "owner", "ci").await;
    store.fail_touches.store(true, Ordering::SeqCst);

    let verified = manager.verify(&token).await;
    manager.shutdown().await;

    assert!(verified.is_ok());
    assert_eq!(store.touches.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn tc_token_004_eleventh_active_token_is_refused_with_the_limit() {
    let (manager, _store) = manager();
    for n in 0..10 {
        create(&manager, "owner", &format!("token {n}")).await;
    }

    let refused = manager.create("owner", NewToken::named("eleventh")).await;

    let error = refused.expect_err("over the limit");
    assert!(matches!(error, Error::TokenLimitReached { limit: 10 }));
    assert_eq!(error.to_string(), "Maximum 10 tokens allowed");
    assert!(
        manager
            .create("someone else", NewToken::named("first"))
            .await
            .is_ok()
    );
    assert_eq!(manager.list("owner", 1, 100).await.expect("list").total, 10);
}

#[tokio::test]
async fn tc_token_054_revoked_and_expired_tokens_free_a_slot() {
    let (manager, _store) = manager();
    let mut ids = Vec::new();
    for n in 0..9 {
        ids.push(create(&manager, "owner", &format!("token {n}")).await.1);
    }
    let soon = NewToken {
        expires_at: Some(Utc::now() + chrono::Duration::milliseconds(300)),
        ..NewToken::named("short-lived")
    };
    manager.create("owner", soon).await.expect("tenth");
    assert!(
        manager
            .create("owner", NewToken::named("full"))
            .await
            .is_err()
    );

    manager.revoke("owner", ids[0]).await.expect("revoke");
    manager
        .create("owner", NewToken::named("after revoke"))
        .await
        .expect("slot freed by revoke");
    tokio::time::sleep(Duration::from_millis(400)).await;
    manager
        .create("owner", NewToken::named("after expiry"))
        .await
        .expect("slot freed by expiry");

    assert!(
        manager
            .create("owner", NewToken::named("full again"))
            .await
            .is_err()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_055_concurrent_creates_never_exceed_the_limit() {
    let (manager, _store) = manager();

    let attempts: Vec<_> = (0..25)
        .map(|n| {
            let manager = manager.clone();
            tokio::spawn(async move {
                manager
                    .create("owner", NewToken::named(format!("t{n}")))
                    .await
            })
        })
        .collect();
    let mut created = 0;
    for attempt in attempts {
        match attempt.await.expect("task") {
            Ok(_) => created += 1,
            Err(Error::TokenLimitReached { .. }) => {}
            Err(other) => panic!("unexpected error {other:?}"),
        }
    }

    assert_eq!(created, 10);
    assert_eq!(manager.count_active("owner").await.expect("count"), 10);
}

#[tokio::test]
async fn tc_token_056_inactive_tokens_expire_unless_switched_off() {
    let store = Arc::new(InstrumentedStore::default());
    let short = builder(&store)
        .with_inactivity_expiry(Some(Duration::from_millis(300)))
        .build()
        .expect("config");
    let off = builder(&store)
        .with_inactivity_expiry(None)
        .build()
        .expect("config");
    let (token, id) = create(&short, "owner", "ci").await;

    tokio::time::sleep(Duration::from_millis(400)).await;
    let record = store.find_by_id(id).await.expect("store").expect("row");

    assert_eq!(short.status(&record), TokenStatus::Expired);
    assert!(matches!(
        short.verify(&token).await,
        Err(VerifyError::Invalid(InvalidToken::Expired))
    ));
    assert_eq!(off.status(&record), TokenStatus::Active);
    assert!(off.verify(&token).await.is_ok());
}

#[tokio::test]
async fn tc_token_057_expiry_and_permissions_are_validated() {
    let (manager, _store) = manager();
    let past = NewToken {
        expires_at: Some(Utc::now()),
        ..NewToken::named("old")
    };
    let empty = NewToken {
        permissions: Some(vec![]),
        ..NewToken::named("none")
    };
    let unknown = NewToken {
        permissions: Some(vec!["admin".into()]),
        ..NewToken::named("x")
    };

    for (new, field) in [
        (past, "expires_at"),
        (empty, "permissions"),
        (unknown, "permissions"),
    ] {
        match manager.create("owner", new).await {
            Err(Error::Validation { field: got, .. }) => assert_eq!(got, field),
            other => panic!("expected a validation error on {field}, got {other:?}"),
        }
    }
    assert_eq!(
        manager.list("owner", 1, 10).await.expect("list").total,
        0,
        "something was stored"
    );
}

#[tokio::test]
async fn tc_token_078_an_expiry_that_passes_while_hashing_creates_nothing() {
    // Cost 10 takes tens of milliseconds to hash, longer than the expiry is away.
    let store = Arc::new(InstrumentedStore::default());
    let manager = builder(&store)
        .with_bcrypt_cost(api_tokens::BcryptCost::insecure_for_tests(10))
        .build()
        .expect("valid config");
    let new = NewToken {
        expires_at: Some(Utc::now() + chrono::Duration::milliseconds(5)),
        ..NewToken::named("short-lived")
    };

    let refused = manager.create("owner", new).await;

    match refused {
        Err(Error::Validation { field, message, .. }) => {
            assert_eq!(field, "expires_at");
            assert_eq!(message, "Expiry date must be in the future");
        }
        other => panic!("a token that expired before creation returned: {other:?}"),
    }
    let page = manager.list("owner", 1, 20).await.expect("list");
    assert_eq!(page.total, 0, "the expired token was stored");
}
