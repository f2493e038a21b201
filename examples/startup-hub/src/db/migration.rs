//! Migrations of the example's own tables, `users` and `projects`.
//!
//! They are recorded in `startup_hub_migrations`, apart from the token crate's migrations,
//! so each migrator only ever sees its own history.

use sea_orm::DatabaseBackend;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string_len, string_len_uniq, text};

/// Creates and upgrades `users` and `projects`.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(CreateUsers), Box::new(CreateProjects)]
    }

    fn migration_table_name() -> DynIden {
        "startup_hub_migrations".into_iden()
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    Name,
    PasswordHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Projects {
    Table,
    Id,
    OwnerId,
    Title,
    Description,
    Pitch,
    Status,
    CreatedAt,
    UpdatedAt,
}

struct CreateUsers;

impl MigrationName for CreateUsers {
    fn name(&self) -> &str {
        "m0001_create_users"
    }
}

// The trait elides `SchemaManager`'s lifetime; spelling it out here would not match.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for CreateUsers {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        manager
            .create_table(
                with_options(backend, Table::create())
                    .table(Users::Table)
                    .if_not_exists()
                    .col(string_len(Users::Id, 36).primary_key())
                    .col(string_len_uniq(Users::Email, 254))
                    .col(string_len(Users::Name, 100))
                    .col(string_len(Users::PasswordHash, 255))
                    .col(instant(backend, Users::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Users::Table).to_owned())
            .await
    }
}

struct CreateProjects;

impl MigrationName for CreateProjects {
    fn name(&self) -> &str {
        "m0002_create_projects"
    }
}

// The trait elides `SchemaManager`'s lifetime; spelling it out here would not match.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for CreateProjects {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        manager
            .create_table(
                with_options(backend, Table::create())
                    .table(Projects::Table)
                    .if_not_exists()
                    .col(string_len(Projects::Id, 36).primary_key())
                    .col(string_len(Projects::OwnerId, 36))
                    .col(string_len(Projects::Title, 100))
                    .col(string_len(Projects::Description, 280))
                    .col(text(Projects::Pitch))
                    .col(string_len(Projects::Status, 16))
                    .col(instant(backend, Projects::CreatedAt))
                    .col(instant(backend, Projects::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        // Every query of the example filters projects by owner.
        manager
            .create_index(
                Index::create()
                    .name("idx_projects_owner_id")
                    .table(Projects::Table)
                    .col(Projects::OwnerId)
                    .if_not_exists()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Projects::Table).to_owned())
            .await
    }
}

/// An instant in UTC. MySQL/MariaDB get `datetime(6)`: their `timestamp` ends in 2038 and
/// converts through the session time zone.
fn instant(backend: DatabaseBackend, column: impl IntoIden) -> ColumnDef {
    let mut column = ColumnDef::new(column);
    match backend {
        DatabaseBackend::MySql => column.custom("datetime(6)".into_iden()),
        _ => column.timestamp_with_time_zone(),
    };
    column.not_null().take()
}

/// MySQL/MariaDB tables use full Unicode whatever the server's default character set is.
fn with_options(backend: DatabaseBackend, mut table: TableCreateStatement) -> TableCreateStatement {
    if backend == DatabaseBackend::MySql {
        table
            .engine("InnoDB")
            .character_set("utf8mb4")
            .collate("utf8mb4_unicode_ci");
    }
    table
}
