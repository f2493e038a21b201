//! Scenarios every backend runs, through the store and through a `TokenManager`.

use std::sync::Arc;
use std::time::Duration;

use api_tokens::{Error, NewToken, TokenManager, TokenStatus, VerifyError};
use api_tokens_sea_orm::Migrator;
use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm_migration::MigratorTrait;
use tokio::sync::Barrier;
use uuid::Uuid;

use super::{TestDb, manager};

fn owner() -> String {
    format!("owner-{}", Uuid::now_v7())
}

/// Every conformance check, on stores sharing this test's database.
pub async fn conformance(db: &TestDb) {
    let store = db.store.clone();

    api_tokens::testing::run_all(|| {
        let store = store.clone();
        async move { store }
    })
    .await;
}

/// Limit races through the manager: from 9 active, 10 simultaneous creates admit
/// exactly one; from zero, 25 admit exactly 10; every refusal is `TokenLimitReached`.
pub async fn manager_limit_races(db: &TestDb) {
    let manager = manager(db.store.clone()).build().expect("manager");
    let nine = owner();
    for i in 0..9 {
        let created = manager
            .create(&nine, NewToken::named(format!("token {i}")))
            .await;
        created.expect("one of the first nine tokens");
    }

    let from_nine = create_concurrently(&manager, &nine, 10).await;
    let fresh = owner();
    let from_zero = create_concurrently(&manager, &fresh, 25).await;

    assert_eq!(from_nine, (1, 9), "from nine active tokens");
    assert_eq!(from_zero, (10, 15), "from no tokens");
    assert_eq!(manager.count_active(&nine).await.expect("count"), 10);
    assert_eq!(manager.count_active(&fresh).await.expect("count"), 10);
}

/// Runs `n` creates at once; returns (created, refused for the limit). Panics on any
/// other outcome, a database error above all.
async fn create_concurrently(manager: &TokenManager, owner: &str, n: usize) -> (u32, u32) {
    let start = Arc::new(Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let (manager, start, owner) = (manager.clone(), Arc::clone(&start), owner.to_owned());
            tokio::spawn(async move {
                start.wait().await;
                manager
                    .create(&owner, NewToken::named(format!("race {i}")))
                    .await
            })
        })
        .collect();

    let (mut created, mut refused) = (0, 0);
    for task in tasks {
        match task.await.expect("create task") {
            Ok(_) => created += 1,
            Err(Error::TokenLimitReached { limit: 10 }) => refused += 1,
            Err(other) => panic!("a concurrent create failed with {other:?}"),
        }
    }
    (created, refused)
}

/// Names and descriptions in any Unicode come back byte for byte through the manager; a
/// name with a NUL character is refused by validation and never reaches the database.
pub async fn unicode_round_trip(db: &TestDb) {
    let manager = manager(db.store.clone()).build().expect("manager");
    let owner = owner();
    let names = [
        "🔑 prod — déploiement",
        "<img src=x onerror=alert(1)>",
        "日本語のトークン",
        "Ωmega \u{1F9EA} ℵ",
    ];
    for name in names {
        let new = NewToken {
            description: Some(format!("für {name}")),
            ..NewToken::named(name)
        };
        manager.create(&owner, new).await.expect("create");
    }

    let refused = manager.create(&owner, NewToken::named("nul\0byte")).await;
    let listed = manager.list(&owner, 1, 20).await.expect("list");

    assert!(
        matches!(refused, Err(Error::Validation { field: "name", .. })),
        "got {refused:?}"
    );
    assert_eq!(
        listed.total,
        names.len() as u64,
        "the NUL name was not stored"
    );
    let mut read: Vec<_> = listed.tokens.iter().map(|t| t.name.as_str()).collect();
    read.reverse();
    assert_eq!(read, names);
    for token in &listed.tokens {
        assert_eq!(
            token.description.as_deref(),
            Some(&*format!("für {}", token.name))
        );
    }
}

/// A token created to expire in two seconds is Active, then Expired, and then no longer
/// counts toward the limit.
pub async fn expiry(db: &TestDb) {
    let manager = manager(db.store.clone())
        .with_max_active(1)
        .build()
        .expect("manager");
    let owner = owner();
    let new = NewToken {
        expires_at: Some(Utc::now() + Duration::from_secs(2)),
        ..NewToken::named("short-lived")
    };
    let created = manager.create(&owner, new).await.expect("create");

    let full = manager.create(&owner, NewToken::named("second")).await;
    let before = manager.status(&created.record);
    let verified_before = manager.verify(created.token.expose_secret()).await;
    tokio::time::sleep(Duration::from_millis(2300)).await;
    let stored = manager.list(&owner, 1, 10).await.expect("list").tokens;
    let after = manager.status(&stored[0]);
    let verified_after = manager.verify(created.token.expose_secret()).await;
    let replacement = manager.create(&owner, NewToken::named("replacement")).await;

    assert!(
        matches!(full, Err(Error::TokenLimitReached { limit: 1 })),
        "got {full:?}"
    );
    assert_eq!(before, TokenStatus::Active);
    assert!(verified_before.is_ok(), "got {verified_before:?}");
    assert_eq!(after, TokenStatus::Expired);
    assert!(
        matches!(verified_after, Err(VerifyError::Invalid(_))),
        "got {verified_after:?}"
    );
    assert_eq!(manager.count_active(&owner).await.expect("count"), 1);
    assert!(
        replacement.is_ok(),
        "expired token still counted: {replacement:?}"
    );
}

/// Instants given with a `+05:30` offset come back as the same instant, in UTC.
pub async fn offset_instants(db: &TestDb) {
    let manager = manager(db.store.clone()).build().expect("manager");
    let owner = owner();
    let expires =
        DateTime::parse_from_rfc3339("2031-05-01T17:30:00.123456+05:30").expect("valid instant");
    let used =
        DateTime::parse_from_rfc3339("2026-01-02T03:04:05.000006+05:30").expect("valid instant");
    let new = NewToken {
        expires_at: Some(expires.with_timezone(&Utc)),
        ..NewToken::named("offset")
    };
    let created = manager.create(&owner, new).await.expect("create");

    let store = manager.store();
    store
        .touch_last_used(created.record.id, used.with_timezone(&Utc))
        .await
        .expect("touch");
    let read = store
        .find_by_id(created.record.id)
        .await
        .expect("find")
        .expect("present");

    let expires_at = read.expires_at.expect("expiry kept");
    let last_used_at = read.last_used_at.expect("last use kept");
    assert_eq!(expires_at, expires);
    assert_eq!(last_used_at, used);
    assert_eq!(
        expires_at.to_rfc3339_opts(SecondsFormat::Micros, true),
        "2031-05-01T12:00:00.123456Z"
    );
    assert_eq!(
        last_used_at.to_rfc3339_opts(SecondsFormat::Micros, true),
        "2026-01-01T21:34:05.000006Z"
    );
}

/// The migrations revert and apply again, and the store works afterwards.
pub async fn migrations_revert_and_reapply(db: &TestDb) {
    let connection = db.store.connection();
    let manager = manager(db.store.clone()).build().expect("manager");
    let owner = owner();
    manager
        .create(&owner, NewToken::named("before"))
        .await
        .expect("create");

    Migrator::down(connection, None)
        .await
        .expect("migrate down");
    let gone = manager.list(&owner, 1, 10).await;
    Migrator::up(connection, None).await.expect("migrate up");
    api_tokens_sea_orm::migrate(connection)
        .await
        .expect("migrate again is a no-op");
    let created = manager.create(&owner, NewToken::named("after")).await;

    assert!(
        matches!(gone, Err(Error::Store(_))),
        "tables still there: {gone:?}"
    );
    assert!(created.is_ok(), "got {created:?}");
    assert_eq!(manager.list(&owner, 1, 10).await.expect("list").total, 1);
}

/// Unknown lookup ids are refused from memory: 100 concurrent well-formed unknown tokens
/// read no record and run no bcrypt. A token created through another connection pool (as
/// another process would) verifies at once, and a revoked one stays refused.
pub async fn unknown_tokens_without_reads(db: &TestDb) {
    let here = manager(db.store.clone()).build().expect("manager");
    let elsewhere = manager(db.another_store().await).build().expect("manager");
    let owner = owner();
    let mine = here
        .create(&owner, NewToken::named("mine"))
        .await
        .expect("create");
    here.verify(mine.token.expose_secret())
        .await
        .expect("valid");
    until_lookup_ids_loaded(&here).await;
    let before = here.stats();

    let unknown = futures_util::future::join_all((0..100).map(|n| {
        let here = here.clone();
        async move { here.verify(&format!("sh_live_{n:0>32}")).await }
    }))
    .await;

    for result in unknown {
        assert!(
            matches!(
                result,
                Err(VerifyError::Invalid(api_tokens::InvalidToken::Unknown))
            ),
            "{result:?}"
        );
    }
    let after = here.stats();
    assert_eq!(
        after.store_lookups, before.store_lookups,
        "a record was read"
    );
    assert_eq!(after.bcrypt_verifications, before.bcrypt_verifications);
    assert!(after.lookup_id_refreshes < 50, "{after:?}");

    let theirs = elsewhere
        .create(&owner, NewToken::named("theirs"))
        .await
        .expect("create elsewhere");
    let verified = here.verify(theirs.token.expose_secret()).await;
    assert!(verified.is_ok(), "a token made elsewhere: {verified:?}");

    elsewhere
        .revoke(&owner, theirs.record.id)
        .await
        .expect("revoke elsewhere");
    let fresh = manager(db.store.clone()).build().expect("manager");
    assert!(matches!(
        fresh.verify(theirs.token.expose_secret()).await,
        Err(VerifyError::Invalid(api_tokens::InvalidToken::Revoked))
    ));
}

/// Sends unknown tokens until one is refused without a record read: the set of lookup ids
/// has loaded (it loads in the background after the first cache miss).
pub async fn until_lookup_ids_loaded(manager: &TokenManager) {
    for attempt in 0..400 {
        let lookups = manager.stats().store_lookups;
        let _ = manager.verify(&format!("sh_live_{attempt:0>32}")).await;
        if manager.stats().store_lookups == lookups {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("the lookup ids never loaded");
}
