//! The store on PostgreSQL: conformance, limits, shared databases, outages.
//!
//! Each test creates a database of its own on the server at
//! `API_TOKENS_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`)
//! and drops it at the end.

mod common;

use std::time::Duration;

use api_tokens::{Error, NewToken, StoreError, VerifyError};
use api_tokens_sea_orm::{SeaOrmStoreError, SeaOrmTokenStore};
use chrono::Utc;
use common::proxy::Proxy;
use common::{TestDb, impatient_options, manager, scenarios};
use sea_orm::Database;
use tokio::net::lookup_host;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_320_postgres_conformance() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    scenarios::conformance(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_321_postgres_manager_limit_races() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    scenarios::manager_limit_races(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_323_postgres_unicode_round_trip() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    scenarios::unicode_round_trip(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_324_postgres_expiry() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    scenarios::expiry(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_325_postgres_offset_instants() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    scenarios::offset_instants(&db).await;
}

/// Two managers (two processes, in effect) on one database: a token revoked through the
/// first is refused by the second within its revalidation interval, and last-used writes
/// from both never move the timestamp backwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_326_postgres_two_managers_share_one_database() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let interval = Duration::from_millis(200);
    let build = |store| {
        manager(store)
            .with_revalidate_after(interval)
            .with_last_used_interval(Duration::from_millis(50))
            .build()
            .expect("manager")
    };
    let first = build(db.store.clone());
    let second = build(db.another_store().await);
    let used = first
        .create("owner", NewToken::named("shared"))
        .await
        .expect("create");
    let doomed = first
        .create("owner", NewToken::named("doomed"))
        .await
        .expect("create");
    let (used_token, doomed_token) = (used.token.expose_secret(), doomed.token.expose_secret());
    second
        .verify(doomed_token)
        .await
        .expect("second manager accepts the token");

    let mut seen = Vec::new();
    for round in 0..12 {
        let manager = if round % 2 == 0 { &first } else { &second };
        manager.verify(used_token).await.expect("verify");
        tokio::time::sleep(Duration::from_millis(30)).await;
        let stored = db.store_record(used.record.id).await;
        seen.extend(stored.last_used_at);
    }
    let last_use = Utc::now();
    second.verify(used_token).await.expect("verify");
    first
        .revoke("owner", doomed.record.id)
        .await
        .expect("revoke");
    tokio::time::sleep(interval + Duration::from_millis(100)).await;
    let after_revoke = second.verify(doomed_token).await;
    first.shutdown().await;
    second.shutdown().await;
    let finally = db.store_record(used.record.id).await.last_used_at;

    assert!(
        matches!(after_revoke, Err(VerifyError::Invalid(_))),
        "second manager still accepts a revoked token: {after_revoke:?}"
    );
    assert!(!seen.is_empty(), "no last use was written");
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "last use moved backwards: {seen:?}"
    );
    let finally = finally.expect("a last use");
    assert!(
        finally >= *seen.last().expect("seen"),
        "final write moved backwards"
    );
    assert!(finally >= last_use - chrono::Duration::milliseconds(1));
}

/// A server nobody listens for: the store is built lazily, then every call reports the
/// store as unavailable (503), never as an invalid token.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_327_postgres_closed_port_is_unavailable() {
    let url = "postgres://postgres@127.0.0.1:1/x";
    let mut lazy = impatient_options(url);
    lazy.connect_lazy(true);
    let store = SeaOrmTokenStore::new(Database::connect(lazy).await.expect("lazy pool"));
    let manager = manager(store).build().expect("manager");
    let token = api_tokens::TokenSecret::generate();

    let verified = manager.verify(token.expose_secret()).await;
    let created = manager.create("owner", NewToken::named("nowhere")).await;
    let connected = Database::connect(impatient_options(url)).await;

    assert!(
        matches!(verified, Err(VerifyError::StoreUnavailable)),
        "got {verified:?}"
    );
    assert!(
        matches!(created, Err(Error::Store(StoreError::Unavailable(_)))),
        "got {created:?}"
    );
    let error = SeaOrmStoreError::from(connected.expect_err("nothing listens on port 1"));
    assert!(
        matches!(error, SeaOrmStoreError::Unavailable(_)),
        "got {error:?}"
    );
}

/// The server goes away behind a proxy and comes back: the manager answers
/// `StoreUnavailable` meanwhile and works again afterwards, without being rebuilt.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_327_postgres_outage_and_recovery() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let proxy = Proxy::start(server_address(&db.url).await);
    let through_proxy = db
        .url
        .replacen(&authority(&db.url), &proxy.addr.to_string(), 1);
    let store = Database::connect(impatient_options(&through_proxy))
        .await
        .expect("connect");
    let manager = manager(SeaOrmTokenStore::new(store))
        .build()
        .expect("manager");
    let before = manager
        .create("owner", NewToken::named("before"))
        .await
        .expect("create");
    let cold = manager
        .create("owner", NewToken::named("cold"))
        .await
        .expect("create");
    manager
        .verify(before.token.expose_secret())
        .await
        .expect("verify");

    proxy.stop();
    let during = manager.verify(cold.token.expose_secret()).await;
    let created_during = manager.create("owner", NewToken::named("during")).await;
    proxy.resume();
    let after = manager.verify(cold.token.expose_secret()).await;
    let created_after = manager.create("owner", NewToken::named("after")).await;

    assert!(
        matches!(during, Err(VerifyError::StoreUnavailable)),
        "got {during:?}"
    );
    assert!(
        matches!(
            created_during,
            Err(Error::Store(StoreError::Unavailable(_)))
        ),
        "got {created_during:?}"
    );
    assert!(after.is_ok(), "got {after:?}");
    assert!(created_after.is_ok(), "got {created_after:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_328_postgres_migrations_revert_and_reapply() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    scenarios::migrations_revert_and_reapply(&db).await;
}

/// `host:port` of a URL such as `postgres://user@host:port/db`.
fn authority(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host_port = rest.split('/').next().unwrap_or(rest);
    host_port.rsplit('@').next().unwrap_or(host_port).to_owned()
}

async fn server_address(url: &str) -> std::net::SocketAddr {
    let mut authority = authority(url);
    if !authority.contains(':') {
        authority.push_str(":5432");
    }
    lookup_host(&authority)
        .await
        .expect("resolve the server")
        .find(std::net::SocketAddr::is_ipv4)
        .expect("an IPv4 address")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_329_postgres_unknown_tokens_read_no_record() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    scenarios::unknown_tokens_without_reads(&db).await;
}
