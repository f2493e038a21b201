//! Creates `api_token_owners`: one row per owner that has ever created a token, locked
//! with `SELECT … FOR UPDATE` to serialize that owner's creates on PostgreSQL and
//! MySQL/MariaDB (see `store::insert`). SQLite does not use it: its writers serialize on
//! the database lock.

use sea_orm_migration::prelude::*;

use super::with_table_options;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0002_create_api_token_owners"
    }
}

#[derive(DeriveIden)]
enum ApiTokenOwners {
    Table,
    OwnerId,
}

// The trait's methods take `&SchemaManager` with its lifetime elided; async-trait needs
// the implementation to spell it the same way.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut table = Table::create();
        table.table(ApiTokenOwners::Table).col(
            ColumnDef::new(ApiTokenOwners::OwnerId)
                .string_len(255)
                .not_null()
                .primary_key(),
        );
        with_table_options(manager, &mut table).await?;
        manager.create_table(table).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApiTokenOwners::Table).to_owned())
            .await
    }
}
