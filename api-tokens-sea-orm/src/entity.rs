//! The `api_tokens` table as a SeaORM entity, and its conversion to and from
//! [`TokenRecord`].
//!
//! Hosts may query the table through this entity (for reports, say); writes should go
//! through [`SeaOrmTokenStore`](crate::SeaOrmTokenStore) so the per-owner limit holds.

use api_tokens::{PermissionSet, TokenHash, TokenRecord};
use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::entity::prelude::*;

/// One stored token. Column meanings follow [`TokenRecord`].
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_tokens")]
pub struct Model {
    /// UUID v7, the primary key.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The owner, as chosen by the host.
    pub owner_id: String,
    /// The token's name.
    pub name: String,
    /// The optional note under the name.
    pub description: Option<String>,
    /// Permissions joined by single spaces ([`PermissionSet::to_scope_string`]).
    pub permissions: String,
    /// The clear, unique part of the token.
    #[sea_orm(unique)]
    pub lookup_id: String,
    /// The bcrypt hash of the whole token.
    pub hash: String,
    /// When the token was created.
    pub created_at: DateTime<Utc>,
    /// When the token last authenticated a request.
    pub last_used_at: Option<DateTime<Utc>>,
    /// When the token stops working.
    pub expires_at: Option<DateTime<Utc>>,
    /// When the token was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// The table has no relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl From<Model> for TokenRecord {
    fn from(model: Model) -> Self {
        Self {
            id: model.id,
            owner_id: model.owner_id,
            name: model.name,
            description: model.description,
            permissions: PermissionSet::from_scope_string(&model.permissions),
            lookup_id: model.lookup_id,
            hash: TokenHash::from_stored(model.hash),
            created_at: model.created_at,
            last_used_at: model.last_used_at,
            expires_at: model.expires_at,
            revoked_at: model.revoked_at,
        }
    }
}

impl From<TokenRecord> for Model {
    /// Instants are cut to whole microseconds, the precision every backend keeps, so a
    /// record reads back the same from SQLite, PostgreSQL and MySQL.
    fn from(record: TokenRecord) -> Self {
        Self {
            id: record.id,
            owner_id: record.owner_id,
            name: record.name,
            description: record.description,
            permissions: record.permissions.to_scope_string(),
            lookup_id: record.lookup_id,
            hash: record.hash.as_str().to_owned(),
            created_at: micros(record.created_at),
            last_used_at: record.last_used_at.map(micros),
            expires_at: record.expires_at.map(micros),
            revoked_at: record.revoked_at.map(micros),
        }
    }
}

/// `at` in whole microseconds.
pub(crate) fn micros(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}
