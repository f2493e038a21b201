//! The verification path: bcrypt counts, single flight, the cache and revocation.

mod common;

use std::sync::Arc;
use std::sync::atomic::Ordering;
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

/// A well-formed token no store knows: `sh_live_` and 32 characters from `seed`.
fn unknown_token(seed: usize) -> String {
    format!("sh_live_{seed:0>32}")
}

/// Sends unknown tokens until one is refused without a record read: the set of lookup ids
/// has loaded (it loads in the background after the first cache miss).
async fn until_lookup_ids_loaded(manager: &TokenManager, store: &InstrumentedStore) {
    for attempt in 0..400 {
        let reads = store.lookups.load(Ordering::SeqCst);
        let _ = manager.verify(&unknown_token(1_000_000 + attempt)).await;
        if store.lookups.load(Ordering::SeqCst) == reads {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("the set of lookup ids never loaded");
}

#[tokio::test]
async fn tc_token_071_unknown_lookup_ids_are_refused_without_a_read_per_token() {
    let store = InstrumentedStore::listing();
    let manager = builder(&store).build().expect("config");
    let (token, _) = create(&manager, "owner", "ci").await;
    until_lookup_ids_loaded(&manager, &store).await;
    let reads_before = store.lookups.load(Ordering::SeqCst);
    let refreshes_before = manager.stats().lookup_id_refreshes;
    store.listing_delay_ms.store(20, Ordering::SeqCst);

    let refused = futures_util::future::join_all((0..200).map(|n| {
        let manager = manager.clone();
        async move { manager.verify(&unknown_token(n)).await }
    }))
    .await;

    for result in refused {
        assert_eq!(invalid(result), InvalidToken::Unknown);
    }
    let stats = manager.stats();
    let refreshes = stats.lookup_id_refreshes - refreshes_before;
    assert_eq!(
        store.lookups.load(Ordering::SeqCst),
        reads_before,
        "a record was read"
    );
    assert_eq!(stats.bcrypt_verifications, 0);
    assert!(
        (1..=3).contains(&refreshes),
        "200 concurrent unknown tokens took {refreshes} refreshes"
    );
    assert!(
        manager.verify(&token).await.is_ok(),
        "the real token is refused"
    );
}

#[tokio::test]
async fn tc_token_072_a_token_created_by_another_process_works_at_once() {
    let store = InstrumentedStore::listing();
    let here = builder(&store).build().expect("config");
    let elsewhere = builder(&store).build().expect("config");
    let (mine, _) = create(&here, "owner", "mine").await;
    assert!(here.verify(&mine).await.is_ok());
    until_lookup_ids_loaded(&here, &store).await;
    let loaded = here.stats().lookup_id_refreshes;
    let reads = store.lookups.load(Ordering::SeqCst);

    let (theirs, _) = create(&elsewhere, "owner", "theirs").await;
    let verified = here.verify(&theirs).await;

    assert!(
        verified.is_ok(),
        "another process's new token: {verified:?}"
    );
    assert!(here.stats().lookup_id_refreshes > loaded);
    assert_eq!(
        store.lookups.load(Ordering::SeqCst),
        reads + 1,
        "one read for the new token"
    );
}

#[tokio::test]
async fn tc_token_077_with_a_data_version_unknown_ids_are_refused_without_a_refresh() {
    let store = InstrumentedStore::versioned();
    let here = builder(&store).build().expect("config");
    let elsewhere = builder(&store).build().expect("config");
    let (mine, _) = create(&here, "owner", "mine").await;
    until_lookup_ids_loaded(&here, &store).await;
    let refreshes = here.stats().lookup_id_refreshes;
    let listings = store.listings.load(Ordering::SeqCst);
    let reads = store.lookups.load(Ordering::SeqCst);

    for n in 0..100 {
        assert_eq!(
            invalid(here.verify(&unknown_token(n)).await),
            InvalidToken::Unknown
        );
    }
    assert_eq!(
        here.stats().lookup_id_refreshes,
        refreshes,
        "nothing was inserted"
    );
    assert_eq!(store.listings.load(Ordering::SeqCst), listings);
    assert_eq!(
        store.lookups.load(Ordering::SeqCst),
        reads,
        "a record was read"
    );

    // Another process inserts: the version moves, and one refresh finds the new id.
    let (theirs, _) = create(&elsewhere, "owner", "theirs").await;
    let verified = here.verify(&theirs).await;
    assert!(
        verified.is_ok(),
        "another process's new token: {verified:?}"
    );
    assert_eq!(here.stats().lookup_id_refreshes, refreshes + 1);

    for n in 100..200 {
        assert_eq!(
            invalid(here.verify(&unknown_token(n)).await),
            InvalidToken::Unknown
        );
    }
    assert_eq!(here.stats().lookup_id_refreshes, refreshes + 1);
    assert_eq!(here.stats().bcrypt_verifications, 1, "only the new token's");
    assert!(here.verify(&mine).await.is_ok());
}

#[tokio::test]
async fn tc_token_073_a_failed_refresh_falls_back_to_reading_the_token() {
    let store = InstrumentedStore::listing();
    let manager = builder(&store).build().expect("config");
    store.fail_listings.store(true, Ordering::SeqCst);

    let (token, _) = create(&manager, "owner", "ci").await;
    let verified = manager.verify(&token).await;
    let unknown = manager.verify(&unknown_token(7)).await;

    assert!(verified.is_ok(), "{verified:?}");
    assert_eq!(invalid(unknown), InvalidToken::Unknown);
    assert_eq!(store.lookups.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn tc_token_074_the_filter_can_be_switched_off() {
    let store = InstrumentedStore::listing();
    let manager = builder(&store)
        .with_lookup_id_filter(false)
        .build()
        .expect("config");

    let unknown = manager.verify(&unknown_token(3)).await;

    assert_eq!(invalid(unknown), InvalidToken::Unknown);
    assert_eq!(store.listings.load(Ordering::SeqCst), 0);
    assert_eq!(store.lookups.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn tc_token_075_revoke_after_a_revalidation_refuses_at_once() {
    let store = Arc::new(InstrumentedStore::default());
    let manager = builder(&store)
        .with_revalidate_after(Duration::from_millis(30))
        .build()
        .expect("config");
    let (token, id) = create(&manager, "owner", "ci").await;
    manager.verify(&token).await.expect("cold");
    tokio::time::sleep(Duration::from_millis(50)).await;
    manager.verify(&token).await.expect("revalidated");
    assert_eq!(manager.stats().revalidations, 1);

    manager.revoke("owner", id).await.expect("revoked");

    assert_eq!(invalid(manager.verify(&token).await), InvalidToken::Revoked);
}

#[tokio::test]
async fn tc_token_076_a_cold_verification_racing_a_revocation_caches_nothing() {
    let (manager, store) = manager();
    let (token, id) = create(&manager, "owner", "ci").await;
    // The cold verification reads the record while it is active, then stalls while the
    // revocation lands, then finishes its bcrypt.
    store.lookup_delay_ms.store(200, Ordering::SeqCst);
    let racing = {
        let manager = manager.clone();
        let token = token.clone();
        tokio::spawn(async move { manager.verify(&token).await })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    manager.revoke("owner", id).await.expect("revoked");
    let raced = racing.await.expect("task");
    store.lookup_delay_ms.store(0, Ordering::SeqCst);

    assert_eq!(invalid(raced), InvalidToken::Revoked);

    for _ in 0..3 {
        assert_eq!(invalid(manager.verify(&token).await), InvalidToken::Revoked);
    }
}

#[tokio::test]
async fn tc_token_331_bcrypt_leaves_a_cpu_to_the_async_workers_by_default() {
    let manager = TokenManager::builder(api_tokens::MemoryTokenStore::new())
        .build()
        .expect("the defaults are valid");
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);

    let concurrency = manager.config().hashing_concurrency;
    assert!(concurrency >= 1, "bcrypt must be able to run at all");
    assert_eq!(concurrency, cpus.saturating_sub(1).max(1), "{cpus} CPUs");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tc_token_332_wrong_tokens_in_bulk_do_not_hold_up_creating_a_token() {
    const WRONG: usize = 40;
    let store = Arc::new(InstrumentedStore::default());
    let manager = builder(&store)
        .with_bcrypt_cost(api_tokens::BcryptCost::insecure_for_tests(8))
        .with_hashing_concurrency(1)
        .build()
        .expect("valid config");
    let (token, _) = create(&manager, "owner", "known").await;

    // Distinct wrong tokens with the real token's lookup id (it is in the display
    // prefix): each one costs a bcrypt verification, queued one at a time.
    let verified = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut wrong = tokio::task::JoinSet::new();
    for n in 0..WRONG {
        let (manager, verified) = (manager.clone(), Arc::clone(&verified));
        let presented = format!("{}{n:0>20}", &token[..20]);
        wrong.spawn(async move {
            let outcome = manager.verify(&presented).await;
            verified.fetch_add(1, Ordering::SeqCst);
            invalid(outcome)
        });
    }
    while manager.stats().store_lookups < WRONG as u64 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }

    create(&manager, "owner", "made during the flood").await;
    let verified_before_creation = verified.load(Ordering::SeqCst);

    while let Some(reason) = wrong.join_next().await {
        assert_eq!(reason.expect("task"), InvalidToken::Mismatch);
    }
    assert_eq!(manager.stats().bcrypt_verifications, WRONG as u64);
    assert!(
        verified_before_creation < WRONG / 2,
        "creating waited for {verified_before_creation} of {WRONG} queued verifications"
    );
}
