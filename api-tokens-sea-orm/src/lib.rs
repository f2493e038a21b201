//! SeaORM storage for [`api_tokens`]: personal API tokens in SQLite, PostgreSQL or
//! MySQL/MariaDB.
//!
//! - [`SeaOrmTokenStore`]: the [`TokenStore`](api_tokens::TokenStore) for all three
//!   backends, chosen by the connection URL (`sqlite:`, `postgres://`, `mysql://`).
//! - The per-owner limit on active tokens holds under concurrency, across processes,
//!   inside the database: a row lock per owner on PostgreSQL and MySQL/MariaDB, the write
//!   lock on SQLite.
//! - [`migrate`] creates the tables (`api_tokens`, `api_token_owners`) with SeaORM
//!   migrations, each reversible; its history lives in `api_tokens_migrations`, apart from
//!   the host's own.
//! - Every instant is stored in UTC with microsecond precision; names keep any Unicode
//!   (`utf8mb4` on MySQL/MariaDB); owner ids compare byte for byte on every backend.
//! - [`connect_options`] gives pools suited to the hot path, and SQLite in WAL mode with a
//!   busy timeout so concurrent requests never fail with `database is locked`.
//! - An unreachable database is
//!   [`StoreError::Unavailable`](api_tokens::StoreError::Unavailable) (the layer answers
//!   503, not 401), and the store recovers by itself once the database is back.
//!
//! # Example
//!
//! ```
//! use api_tokens::{NewToken, TokenManager};
//! use api_tokens_sea_orm::SeaOrmTokenStore;
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let store = SeaOrmTokenStore::connect("sqlite::memory:").await?;
//! api_tokens_sea_orm::migrate(store.connection()).await?;
//!
//! let manager = TokenManager::builder(store)
//!     .with_permissions(["read", "write"])
//!     .build()?;
//! let created = manager.create("user-42", NewToken::named("CI deploy")).await?;
//!
//! let token = manager.verify(created.token.expose_secret()).await?;
//! assert_eq!(token.owner_id, "user-42");
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! For PostgreSQL or MySQL/MariaDB, pass their URL instead, for example
//! `postgres://app@db.internal/app` or `mysql://app@db.internal/app`.

#![warn(missing_docs)]

mod connect;
pub mod entity;
mod error;
mod migration;
mod store;

pub use connect::{SQLITE_BUSY_TIMEOUT, connect_options};
pub use error::SeaOrmStoreError;
pub use migration::Migrator;
pub use store::SeaOrmTokenStore;

use sea_orm::DatabaseConnection;
use sea_orm_migration::MigratorTrait;

/// Applies every pending migration of this crate. Run it once at start-up, before the
/// store is used; it does nothing when the schema is current.
///
/// # Errors
///
/// [`SeaOrmStoreError`] when the database cannot be reached or refuses a migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), SeaOrmStoreError> {
    Migrator::up(db, None).await?;
    Ok(())
}
