//! Creates `api_tokens`, its unique lookup-id index and the index for listing by owner.

use sea_orm_migration::prelude::*;

use super::{instant, with_table_options};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0001_create_api_tokens"
    }
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    OwnerId,
    Name,
    Description,
    Permissions,
    LookupId,
    Hash,
    CreatedAt,
    LastUsedAt,
    ExpiresAt,
    RevokedAt,
}

// The trait's methods take `&SchemaManager` with its lifetime elided; async-trait needs
// the implementation to spell it the same way.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let mut table = Table::create();
        table
            .table(ApiTokens::Table)
            .col(
                ColumnDef::new(ApiTokens::Id)
                    .uuid()
                    .not_null()
                    .primary_key(),
            )
            .col(
                ColumnDef::new(ApiTokens::OwnerId)
                    .string_len(255)
                    .not_null(),
            )
            .col(ColumnDef::new(ApiTokens::Name).text().not_null())
            .col(ColumnDef::new(ApiTokens::Description).text().null())
            .col(ColumnDef::new(ApiTokens::Permissions).text().not_null())
            .col(
                ColumnDef::new(ApiTokens::LookupId)
                    .string_len(32)
                    .not_null(),
            )
            .col(ColumnDef::new(ApiTokens::Hash).string_len(60).not_null())
            .col(instant(backend, ApiTokens::CreatedAt).not_null())
            .col(instant(backend, ApiTokens::LastUsedAt).null())
            .col(instant(backend, ApiTokens::ExpiresAt).null())
            .col(instant(backend, ApiTokens::RevokedAt).null());
        with_table_options(manager, &mut table).await?;
        manager.create_table(table).await?;

        // The hot path's only read, and the guard against duplicate lookup ids.
        manager
            .create_index(
                Index::create()
                    .name("api_tokens_lookup_id_key")
                    .table(ApiTokens::Table)
                    .col(ApiTokens::LookupId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Listing newest first and counting an owner's active tokens.
        manager
            .create_index(
                Index::create()
                    .name("api_tokens_owner_id_id_idx")
                    .table(ApiTokens::Table)
                    .col(ApiTokens::OwnerId)
                    .col(ApiTokens::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApiTokens::Table).to_owned())
            .await
    }
}
