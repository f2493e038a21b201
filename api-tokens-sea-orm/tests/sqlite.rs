//! The store on SQLite files (and in memory): conformance, limits, concurrency, outages.

mod common;

use std::sync::Arc;
use std::time::Duration;

use api_tokens::{Error, NewToken, StoreError, VerifyError};
use api_tokens_sea_orm::SeaOrmTokenStore;
use common::{TestDb, impatient_options, manager, scenarios};
use sea_orm::{ConnectionTrait, Database, Statement};
use tokio::sync::Barrier;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_320_sqlite_file_conformance() {
    let db = TestDb::sqlite().await;
    scenarios::conformance(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_320_sqlite_memory_conformance() {
    let store = SeaOrmTokenStore::connect("sqlite::memory:")
        .await
        .expect("connect");
    api_tokens_sea_orm::migrate(store.connection())
        .await
        .expect("migrate");

    api_tokens::testing::run_all(|| {
        let store = store.clone();
        async move { store }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_321_sqlite_manager_limit_races() {
    let db = TestDb::sqlite().await;
    scenarios::manager_limit_races(&db).await;
}

/// 50 concurrent verifications of one token (each re-reading the record and writing its
/// last use) while another owner creates and revokes tokens: every call succeeds, and the
/// store's own pooled connections run in WAL mode with a busy timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_322_sqlite_verifications_while_another_owner_writes() {
    let db = TestDb::sqlite().await;
    let manager = manager(db.store.clone())
        .with_revalidate_after(Duration::ZERO)
        .with_last_used_interval(Duration::ZERO)
        .build()
        .expect("manager");
    let created = manager
        .create("reader", NewToken::named("busy"))
        .await
        .expect("create");
    let token: Arc<str> = created.token.expose_secret().into();
    let start = Arc::new(Barrier::new(51));

    let verifications: Vec<_> = (0..50)
        .map(|_| {
            let (manager, token, start) = (manager.clone(), Arc::clone(&token), Arc::clone(&start));
            tokio::spawn(async move {
                start.wait().await;
                for _ in 0..4 {
                    manager.verify(&token).await?;
                }
                Ok::<_, VerifyError>(())
            })
        })
        .collect();
    let writer = {
        let (manager, start) = (manager.clone(), Arc::clone(&start));
        tokio::spawn(async move {
            start.wait().await;
            for i in 0..15 {
                let created = manager
                    .create("writer", NewToken::named(format!("w{i}")))
                    .await?;
                manager.revoke("writer", created.record.id).await?;
            }
            Ok::<_, Error>(())
        })
    };

    for verification in verifications {
        let outcome = verification.await.expect("verification task");
        assert!(outcome.is_ok(), "a verification failed: {outcome:?}");
    }
    let written = writer.await.expect("writer task");
    assert!(written.is_ok(), "a write failed: {written:?}");
    manager.shutdown().await;
    let journal_mode = pragma(&db.store, "journal_mode").await;
    let busy_timeout = pragma(&db.store, "busy_timeout").await;
    assert_eq!(journal_mode, "wal");
    assert_ne!(busy_timeout, "0");
    assert_eq!(pragma(&db.store, "foreign_keys").await, "1");
}

async fn pragma(store: &SeaOrmTokenStore, name: &str) -> String {
    let connection = store.connection();
    let row = connection
        .query_one_raw(Statement::from_string(
            connection.get_database_backend(),
            format!("PRAGMA {name}"),
        ))
        .await
        .expect("pragma query")
        .expect("pragma row");
    row.try_get_by_index::<String>(0)
        .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
        .expect("pragma value")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_323_sqlite_unicode_round_trip() {
    let db = TestDb::sqlite().await;
    scenarios::unicode_round_trip(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_324_sqlite_expiry() {
    let db = TestDb::sqlite().await;
    scenarios::expiry(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_325_sqlite_offset_instants() {
    let db = TestDb::sqlite().await;
    scenarios::offset_instants(&db).await;
}

/// The database file's directory disappears: verification answers `StoreUnavailable` and
/// creation fails with `StoreError::Unavailable`; once the directory is back, the same
/// manager works again.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_327_sqlite_unreachable_then_back() {
    let db = TestDb::sqlite().await;
    let path = db.url.trim_start_matches("sqlite://").to_owned();
    let dir = std::path::Path::new(&path)
        .parent()
        .expect("a directory")
        .to_owned();
    let away = dir.with_extension("away");
    // An open SQLite connection keeps working on a moved file, so this store closes its
    // connections after each use: the next use must open the file again and cannot.
    let mut options = impatient_options(&db.url);
    options.max_lifetime(Duration::from_millis(1));
    let store = SeaOrmTokenStore::new(Database::connect(options).await.expect("connect"));
    let manager = manager(store).build().expect("manager");
    let created = manager
        .create("owner", NewToken::named("outage"))
        .await
        .expect("create");
    tokio::time::sleep(Duration::from_millis(20)).await;

    std::fs::rename(&dir, &away).expect("move the database away");
    let verified_during = manager.verify(created.token.expose_secret()).await;
    let created_during = manager.create("owner", NewToken::named("during")).await;
    std::fs::rename(&away, &dir).expect("move the database back");
    let verified_after = manager.verify(created.token.expose_secret()).await;

    assert!(
        matches!(verified_during, Err(VerifyError::StoreUnavailable)),
        "got {verified_during:?}"
    );
    assert!(
        matches!(
            created_during,
            Err(Error::Store(StoreError::Unavailable(_)))
        ),
        "got {created_during:?}"
    );
    assert!(verified_after.is_ok(), "got {verified_after:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_328_sqlite_migrations_revert_and_reapply() {
    let db = TestDb::sqlite().await;
    scenarios::migrations_revert_and_reapply(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_329_sqlite_unknown_tokens_read_no_record() {
    let db = TestDb::sqlite().await;
    scenarios::unknown_tokens_without_reads(&db).await;
}

/// On an SQLite file the store reads `PRAGMA data_version` on a connection of its own: a
/// commit through any other connection moves it, so unknown lookup ids are refused with
/// no query at all while nothing is written, and a token created through another pool (as
/// by another process) still verifies at once. An in-memory database reports none.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_330_sqlite_unknown_tokens_cost_no_query_while_nothing_is_written() {
    use api_tokens::{InvalidToken, TokenStore};

    let db = TestDb::sqlite().await;
    let elsewhere = db.another_store().await;
    // The store asks SQLite which file it is at its first listing of lookup ids.
    assert_eq!(db.store.data_version(), None);
    db.store
        .lookup_ids_created_since(None)
        .await
        .expect("list lookup ids");
    let version = db
        .store
        .data_version()
        .expect("an SQLite file has a data version");
    manager(elsewhere.clone())
        .build()
        .expect("manager")
        .create("someone", NewToken::named("first"))
        .await
        .expect("create elsewhere");
    let moved = db.store.data_version().expect("data version");
    assert_ne!(
        moved, version,
        "a commit through another pool went unnoticed"
    );
    assert_eq!(db.store.data_version(), Some(moved), "no write, no change");

    let here = manager(db.store.clone()).build().expect("manager");
    scenarios::until_lookup_ids_loaded(&here).await;
    let before = here.stats();

    for n in 1_000..1_200 {
        let refused = here.verify(&format!("sh_live_{n:0>32}")).await;
        assert!(
            matches!(refused, Err(VerifyError::Invalid(InvalidToken::Unknown))),
            "{refused:?}"
        );
    }
    let after = here.stats();
    assert_eq!(
        after.lookup_id_refreshes, before.lookup_id_refreshes,
        "{after:?}"
    );
    assert_eq!(after.store_lookups, before.store_lookups, "{after:?}");

    let theirs = manager(elsewhere)
        .build()
        .expect("manager")
        .create("someone", NewToken::named("second"))
        .await
        .expect("create elsewhere");
    let verified = here.verify(theirs.token.expose_secret()).await;
    assert!(verified.is_ok(), "a token made elsewhere: {verified:?}");
    assert_eq!(
        here.stats().lookup_id_refreshes,
        after.lookup_id_refreshes + 1
    );

    let memory = SeaOrmTokenStore::connect("sqlite::memory:")
        .await
        .expect("connect");
    api_tokens_sea_orm::migrate(memory.connection())
        .await
        .expect("migrate");
    memory
        .lookup_ids_created_since(None)
        .await
        .expect("list lookup ids");
    assert_eq!(
        memory.data_version(),
        None,
        "an in-memory database has no file"
    );
}
