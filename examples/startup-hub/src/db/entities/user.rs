//! An account: email, display name and an Argon2 password hash.

use sea_orm::entity::prelude::*;

/// A row of `users`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    /// UUID v7, as text so every backend stores it alike.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// Lower-cased, unique.
    #[sea_orm(unique)]
    pub email: String,
    /// The name shown in the dashboard.
    pub name: String,
    /// A PHC string (`$argon2id$…`); never leaves the server.
    pub password_hash: String,
    /// When the account was created.
    pub created_at: DateTimeUtc,
}

/// Users relate to nothing the ORM needs to join.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
