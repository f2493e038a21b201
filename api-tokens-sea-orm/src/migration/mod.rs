//! The schema, as SeaORM migrations: one migration per change, each with `up` and `down`.
//!
//! The [`Migrator`] keeps its history in a table of its own, `api_tokens_migrations`, so a
//! host that runs its own SeaORM migrations on the same database keeps them apart.

mod m0001_create_api_tokens;
mod m0002_create_api_token_owners;

use sea_orm::{DatabaseBackend, DbErr, Statement};
use sea_orm_migration::prelude::*;

/// Applies and reverts this crate's migrations.
///
/// Run it through [`migrate`](crate::migrate) at start-up, or drive it like any SeaORM
/// migrator (`Migrator::down(&db, None)` drops the tables again).
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_create_api_tokens::Migration),
            Box::new(m0002_create_api_token_owners::Migration),
        ]
    }

    fn migration_table_name() -> DynIden {
        Alias::new("api_tokens_migrations").into_iden()
    }
}

/// A column for an instant, stored in UTC with microseconds on every backend.
///
/// PostgreSQL: `timestamp with time zone`. MySQL/MariaDB: `datetime(6)` holding UTC (its
/// `timestamp` type ends in 2038 and converts through the session time zone). SQLite: text
/// in RFC 3339 with a `+00:00` offset, which sorts like the instants it holds because the
/// store writes every instant in that one form.
fn instant(backend: DatabaseBackend, column: impl IntoIden) -> ColumnDef {
    let mut def = ColumnDef::new(column);
    match backend {
        DatabaseBackend::MySql => def.custom(Alias::new("datetime(6)")),
        _ => def.timestamp_with_time_zone(),
    };
    def
}

/// Table options for MySQL/MariaDB: InnoDB, full Unicode (`utf8mb4`) and a binary,
/// no-pad collation, so owner ids and lookup ids compare byte for byte (`Bob` is not
/// `bob`, and `bob ` with a trailing space is not `bob` either). Other backends compare
/// exactly already and take no options.
async fn with_table_options(
    manager: &SchemaManager<'_>,
    table: &mut TableCreateStatement,
) -> Result<(), DbErr> {
    let backend = manager.get_database_backend();
    if backend != DatabaseBackend::MySql {
        return Ok(());
    }

    let version = manager
        .get_connection()
        .query_one_raw(Statement::from_string(backend, "SELECT VERSION()"))
        .await?
        .map(|row| row.try_get_by_index::<String>(0))
        .transpose()?
        .unwrap_or_default();
    // MariaDB and MySQL 8 name their no-pad binary collations differently.
    let collation = if version.contains("MariaDB") {
        "utf8mb4_nopad_bin"
    } else {
        "utf8mb4_0900_bin"
    };
    table
        .engine("InnoDB")
        .character_set("utf8mb4")
        .collate(collation);
    Ok(())
}
