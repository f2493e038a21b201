//! A founder's project, the resource that API tokens protect.

use sea_orm::entity::prelude::*;

/// A row of `projects`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "projects")]
pub struct Model {
    /// UUID v7, as text.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The id of the owning user.
    pub owner_id: String,
    /// At most 100 characters.
    pub title: String,
    /// At most 280 characters.
    pub description: String,
    /// At most 2000 characters.
    #[sea_orm(column_type = "Text")]
    pub pitch: String,
    /// One of `IDEA`, `MVP`, `BETA`, `LAUNCHED`, `PAUSED`.
    pub status: String,
    /// When the project was created.
    pub created_at: DateTimeUtc,
    /// When the project last changed.
    pub updated_at: DateTimeUtc,
}

/// Projects relate to nothing the ORM needs to join.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
