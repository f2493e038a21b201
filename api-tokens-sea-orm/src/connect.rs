//! Connection settings suited to a token store, for each backend.

use std::time::Duration;

use sea_orm::ConnectOptions;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};

/// How long an SQLite writer waits for the database lock before giving up.
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Connection settings for `url` (`sqlite:`, `postgres://` or `mysql://`), ready for
/// [`sea_orm::Database::connect`] and open to adjustment before that.
///
/// - Pools of up to 10 connections; a connection idle for ten minutes is closed, and
///   every connection is replaced after half an hour. Each PostgreSQL or MySQL
///   connection is checked before it is handed out, so the pool recovers by itself once a
///   restarted server is back; SQLite has no server to lose, so it skips that round trip.
/// - Waiting for a connection gives up after 5 seconds: the store then reports
///   [`StoreError::Unavailable`](api_tokens::StoreError::Unavailable) and the
///   authentication layer answers 503 rather than making requests hang.
/// - Statement logging is off: the verification path would log a line per request.
/// - SQLite: every pooled connection runs in WAL mode (readers never wait for the writer,
///   and the writer never waits for readers), waits up to [`SQLITE_BUSY_TIMEOUT`] for the
///   write lock instead of failing with `database is locked`, uses `synchronous = NORMAL`
///   (durable across application crashes; the latest commits may be lost on power loss, the
///   usual trade in WAL mode), enforces foreign keys, and creates the file if missing.
///   An in-memory database (`sqlite::memory:`) lives only as long as its connections, so
///   it gets one connection that is never closed.
pub fn connect_options(url: &str) -> ConnectOptions {
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(10)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(5))
        .idle_timeout(Duration::from_secs(600))
        .max_lifetime(Duration::from_secs(1800))
        .test_before_acquire(true)
        .sqlx_logging(false);

    if url.starts_with("sqlite:") {
        options.map_sqlx_sqlite_opts(|sqlite| {
            sqlite
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .foreign_keys(true)
                .create_if_missing(true)
        });
        options.test_before_acquire(false);
        if is_sqlite_in_memory(url) {
            options
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None);
        }
    }
    options
}

fn is_sqlite_in_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_memory_sqlite_keeps_one_connection() {
        let memory = connect_options("sqlite::memory:");
        let file = connect_options("sqlite:///tmp/tokens.db");

        assert_eq!(memory.get_max_connections(), Some(1));
        assert_eq!(memory.get_min_connections(), Some(1));
        assert_eq!(memory.get_idle_timeout(), Some(None));
        assert_eq!(file.get_max_connections(), Some(10));
        assert!(!file.get_sqlx_logging());
        assert!(!file.get_test_before_acquire());
        assert!(connect_options("postgres://db/tokens").get_test_before_acquire());
    }
}
