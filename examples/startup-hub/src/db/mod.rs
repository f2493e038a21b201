//! The database: one connection pool for the token tables and the example's own tables.

pub mod entities;
mod migration;

pub use migration::Migrator;

use api_tokens_sea_orm::SeaOrmStoreError;
use sea_orm::{Database, DatabaseConnection, DbErr};
use sea_orm_migration::MigratorTrait;

/// Why the schema could not be brought up to date.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    /// The token tables of `api-tokens-sea-orm`.
    #[error("token tables: {0}")]
    Tokens(#[from] SeaOrmStoreError),
    /// The `users` and `projects` tables.
    #[error("users and projects tables: {0}")]
    Own(#[from] DbErr),
}

/// Connects to `url` (`sqlite://`, `postgres://` or `mysql://`) with the pool settings of
/// `api-tokens-sea-orm`: SQLite in WAL mode with a busy timeout, short acquire timeouts,
/// no statement logging.
///
/// # Errors
///
/// [`DbErr`] when the database cannot be reached.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    Database::connect(api_tokens_sea_orm::connect_options(url)).await
}

/// Creates or upgrades every table: the token tables first, then `users` and `projects`.
///
/// # Errors
///
/// [`MigrateError`] when a migration fails.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), MigrateError> {
    api_tokens_sea_orm::migrate(db).await?;
    Migrator::up(db, None).await?;
    Ok(())
}
