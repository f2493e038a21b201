//! The error type of this crate and how database errors are sorted.
//!
//! Errors are told apart by their kind and by the codes the databases document
//! (SQLSTATE on PostgreSQL, error numbers on MySQL/MariaDB, result codes on SQLite), never
//! by their message text.

use api_tokens::StoreError;
use sea_orm::sqlx::error::DatabaseError;
use sea_orm::{DbErr, RuntimeErr, SqlErr};

/// Why a [`SeaOrmTokenStore`](crate::SeaOrmTokenStore) operation failed.
///
/// Converts into the core [`StoreError`]: `Unavailable` becomes
/// [`StoreError::Unavailable`] (the layer answers 503), `Conflict` becomes
/// [`StoreError::Conflict`], anything else [`StoreError::Backend`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SeaOrmStoreError {
    /// The database could not be reached: connection refused or lost, pool timed out,
    /// server shutting down, SQLite file busy or unopenable. Retrying later may work.
    #[error("database unavailable")]
    Unavailable(#[source] DbErr),
    /// A token with the same id or lookup id exists.
    #[error("duplicate token id or lookup id")]
    Conflict(#[source] DbErr),
    /// Any other database error.
    #[error("database error")]
    Database(#[source] DbErr),
}

impl From<DbErr> for SeaOrmStoreError {
    fn from(error: DbErr) -> Self {
        if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
            Self::Conflict(error)
        } else if is_unavailable(&error) {
            Self::Unavailable(error)
        } else {
            Self::Database(error)
        }
    }
}

impl From<SeaOrmStoreError> for StoreError {
    fn from(error: SeaOrmStoreError) -> Self {
        match error {
            SeaOrmStoreError::Unavailable(_) => StoreError::unavailable(error),
            SeaOrmStoreError::Conflict(_) => StoreError::Conflict,
            SeaOrmStoreError::Database(_) => StoreError::backend(error),
        }
    }
}

/// Turns a database error into the core error, for the store's methods.
pub(crate) fn store_error(error: DbErr) -> StoreError {
    SeaOrmStoreError::from(error).into()
}

/// Whether `error` means the database cannot be reached right now.
fn is_unavailable(error: &DbErr) -> bool {
    use sea_orm::sqlx::Error;

    match error {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(sqlx)) | DbErr::Query(RuntimeErr::SqlxError(sqlx)) => {
            match sqlx.as_ref() {
                Error::Io(_)
                | Error::Tls(_)
                | Error::Protocol(_)
                | Error::PoolTimedOut
                | Error::PoolClosed
                | Error::WorkerCrashed => true,
                Error::Database(database) => database_unavailable(database.as_ref()),
                _ => false,
            }
        }
        _ => false,
    }
}

fn database_unavailable(error: &dyn DatabaseError) -> bool {
    if let Some(sqlite) = error.try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>() {
        // Extended result codes carry the primary code in their low byte: SQLITE_BUSY (5),
        // SQLITE_LOCKED (6), SQLITE_IOERR (10), SQLITE_CANTOPEN (14).
        let code = sqlite
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .unwrap_or(0);
        return matches!(code & 0xff, 5 | 6 | 10 | 14);
    }
    if let Some(mysql) = error.try_downcast_ref::<sea_orm::sqlx::mysql::MySqlDatabaseError>() {
        // Too many connections, server shutdown, lock wait timeout, connection killed.
        if matches!(mysql.number(), 1040 | 1053 | 1205 | 1927) {
            return true;
        }
    }
    // SQLSTATE class 08 (connection exception) on both servers; PostgreSQL's
    // too_many_connections, admin_shutdown, crash_shutdown and cannot_connect_now.
    let state = error.code().unwrap_or_default();
    state.starts_with("08") || matches!(&*state, "53300" | "57P01" | "57P02" | "57P03")
}

/// Whether a transaction failed only because it lost a race with another one (deadlock or
/// serialization failure) and can simply run again.
pub(crate) fn is_transient_conflict(error: &DbErr) -> bool {
    let (DbErr::Exec(RuntimeErr::SqlxError(sqlx)) | DbErr::Query(RuntimeErr::SqlxError(sqlx))) =
        error
    else {
        return false;
    };
    let Some(database) = sqlx.as_database_error() else {
        return false;
    };
    matches!(database.code().as_deref(), Some("40001" | "40P01"))
}
