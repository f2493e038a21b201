//! The verification path: bcrypt counts, single flight, the cache and revocation.

mod common;

use std::sync::Arc;
use std::time::Duration;

use api_tokens::{InvalidToken, TokenManager, TokenStore, VerifyError};
use common::{InstrumentedStore, builder, create, manager};

fn invalid(result: Result<api_tokens::AuthenticatedToken, VerifyError>) -> InvalidToken {
    match result {
        Err(VerifyError::Invalid(reason)) => reason,
        other => panic!("expected an invalid token, got {other:?}"),
    }
}

#[tokio::test]
async fn tc_token_043_tampered_tokens_fail() {
    let (manager, _store) = manager();
    let (token, _) = create(&manager, "owner", "ci").await;

    for position in 0..token.len() {
        let mut bytes = token.clone().into_bytes();
        bytes[position] = if bytes[position] == b'x' { b'y' } else { b'x' };
        let tampered = String::from_utf8(bytes).expect("ascii");

        assert!(
            manager.verify(&tampered).await.is_err(),
            "position {position} accepted"
        );
    }
    assert_eq!(
        invalid(manager.verify(&format!("{token}{}", "A".repeat(40))).await),
        InvalidToken::Malformed
    );
    assert!(manager.verify(&token.to_uppercase()).await.is_err());
    assert!(
        manager.verify(&token).await.is_ok(),
        "the original still works"
    );
}

#[tokio::test]
async fn tc_token_044_bcrypt_runs_once_cold_never_warm_never_for_unknown() {
    let (manager, _store) = manager();
    let mut tokens = Vec::new();
    for owner in ["owner-1", "owner-2", "owner-3"] {
        for n in 0..10 {
            tokens.push(create(&manager, owner, &format!("token {n}")).await.0);
        }
    }
    let unknown = api_tokens::TokenSecret::generate();
    let stats = manager.stats();

    manager.verify(&tokens[17]).await.expect("cold");
    let after_cold = manager.stats();
    manager.verify(&tokens[17]).await.expect("warm");
    let after_warm = manager.stats();
    let refused = manager.verify(unknown.expose_secret()).await;
    let after_unknown = manager.stats();

    assert_eq!(
        after_cold.bcrypt_verifications - stats.bcrypt_verifications,
        1
    );
    assert_eq!(
        after_warm.bcrypt_verifications,
        after_cold.bcrypt_verifications
    );
    assert_eq!(after_warm.cache_hits, after_cold.cache_hits + 1);
    assert_eq!(invalid(refused), InvalidToken::Unknown);
    assert_eq!(
        after_unknown.bcrypt_verifications,
        after_warm.bcrypt_verifications
    );
    assert_eq!(after_unknown.store_lookups, after_warm.store_lookups + 1);
}

#[tokio::test(flavor = "current_thread")]
async fn tc_token_045_cold_verification_does_not_stall_the_runtime() {
    // Cost 10 keeps the bcrypt call long (tens of milliseconds) next to a few task polls.
    let store = Arc::new(InstrumentedStore::default());
    let manager = builder(&store)
        .with_bcrypt_cost(api_tokens::BcryptCost::new(10).expect("cost"))
        .build()
        .expect("config");
    let (token, _) = create(&manager, "owner", "ci").await;
    let order = Arc::new(std::sync::Mutex::new(Vec::new()));

    // One worker thread: if bcrypt ran on it, the ticker could not run until it finished.
    let verifying = {
        let (manager, order) = (manager.clone(), Arc::clone(&order));
        tokio::spawn(async move {
            manager.verify(&token).await.expect("valid");
            order.lock().expect("lock").push("verified");
        })
    };
    let ticking = {
        let order = Arc::clone(&order);
        tokio::spawn(async move {
            for _ in 0..3 {
                tokio::task::yield_now().await;
            }
            order.lock().expect("lock").push("other task ran");
        })
    };
    ticking.await.expect("ticker");
    verifying.await.expect("verifier");

    assert_eq!(*order.lock().expect("lock"), ["other task ran", "verified"]);
    assert_eq!(manager.stats().bcrypt_verifications, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_046_concurrent_cold_requests_share_one_bcrypt() {
    let (manager, store) = manager();
    let (token, _) = create(&manager, "owner", "ci").await;

    let requests: Vec<_> = (0..64)
        .map(|_| {
            let (manager, token) = (manager.clone(), token.clone());
            tokio::spawn(async move { manager.verify(&token).await })
        })
        .collect();
    for request in requests {
        request.await.expect("task").expect("verified");
    }

    assert_eq!(manager.stats().bcrypt_verifications, 1);
    assert_eq!(store.lookups.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test]
async fn tc_token_047_revoke_takes_effect_before_it_returns() {
    let (manager, _store) = manager();
    let (token, id) = create(&manager, "owner", "ci").await;
    manager.verify(&token).await.expect("cached now");

    manager.revoke("owner", id).await.expect("revoked");

    assert_eq!(invalid(manager.verify(&token).await), InvalidToken::Revoked);
}

#[tokio::test]
async fn tc_token_048_second_manager_notices_revocation_within_its_interval() {
    let store = Arc::new(InstrumentedStore::default());
    let first = builder(&store).build().expect("config");
    let second: TokenManager = builder(&store)
        .with_revalidate_after(Duration::from_millis(200))
        .build()
        .expect("config");
    let (token, id) = create(&first, "owner", "ci").await;
    second
        .verify(&token)
        .await
        .expect("cached in the second manager");
    let bcrypt_before = second.stats().bcrypt_verifications;

    first.revoke("owner", id).await.expect("revoked");
    tokio::time::sleep(Duration::from_millis(250)).await;

    assert_eq!(invalid(second.verify(&token).await), InvalidToken::Revoked);
    assert_eq!(
        second.stats().bcrypt_verifications,
        bcrypt_before,
        "revalidation used bcrypt"
    );
    assert!(second.stats().revalidations >= 1);
}

#[tokio::test]
async fn tc_token_049_store_outage_is_not_an_invalid_token() {
    let (manager, store) = manager();
    let (token, _) = create(&manager, "owner", "ci").await;
    store
        .unavailable
        .store(true, std::sync::atomic::Ordering::SeqCst);

    let during = manager.verify(&token).await;
    store
        .unavailable
        .store(false, std::sync::atomic::Ordering::SeqCst);
    let after = manager.verify(&token).await;

    assert!(
        matches!(during, Err(VerifyError::StoreUnavailable)),
        "{during:?}"
    );
    assert!(after.is_ok(), "did not recover: {after:?}");
    assert!(
        store
            .find_by_lookup_id(&token[8..20])
            .await
            .expect("store")
            .is_some()
    );
}

#[tokio::test]
async fn tc_token_070_a_repeated_wrong_token_costs_one_bcrypt() {
    let (manager, _store) = manager();
    let (token, _) = create(&manager, "owner", "ci").await;
    let last = if token.ends_with('a') { 'b' } else { 'a' };
    let wrong = format!("{}{last}", &token[..39]);

    for _ in 0..5 {
        assert_eq!(
            invalid(manager.verify(&wrong).await),
            InvalidToken::Mismatch
        );
    }

    assert_eq!(manager.stats().bcrypt_verifications, 1);
    assert!(
        manager.verify(&token).await.is_ok(),
        "the right token is unaffected"
    );
}
