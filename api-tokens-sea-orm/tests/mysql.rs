//! The store on MySQL/MariaDB: conformance, limits, Unicode, instants, migrations.
//!
//! Each test creates a database of its own on the server at `API_TOKENS_TEST_MYSQL_URL`
//! (default `mysql://root@127.0.0.1:3306/test`) and drops it at the end.

mod common;

use common::{TestDb, scenarios};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_320_mysql_conformance() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    scenarios::conformance(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_321_mysql_manager_limit_races() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    scenarios::manager_limit_races(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_323_mysql_unicode_round_trip() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    scenarios::unicode_round_trip(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_324_mysql_expiry() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    scenarios::expiry(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_325_mysql_offset_instants() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    scenarios::offset_instants(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_328_mysql_migrations_revert_and_reapply() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    scenarios::migrations_revert_and_reapply(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tc_token_329_mysql_unknown_tokens_read_no_record() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    scenarios::unknown_tokens_without_reads(&db).await;
}
