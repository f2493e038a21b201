//! [`SeaOrmTokenStore`]: the [`TokenStore`] over a SeaORM connection.

mod insert;
mod version;

use std::sync::Arc;

use api_tokens::{ActiveFilter, StoreError, TokenPage, TokenRecord, TokenStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, Database, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::connect::connect_options;
use crate::entity::{Column, Entity, micros};
use crate::error::{SeaOrmStoreError, store_error};
use version::SqliteDataVersion;

/// A [`TokenStore`] in an SQL database through SeaORM: SQLite, PostgreSQL or
/// MySQL/MariaDB, chosen by the connection URL.
///
/// Build it with [`SeaOrmTokenStore::connect`], or from a connection you configured with
/// [`connect_options`](crate::connect_options), and run [`migrate`](crate::migrate) once
/// at start-up. Clones share the connection pool.
///
/// The per-owner limit is enforced inside the database, so any number of processes may
/// share one database; the documentation of its `insert` says how each backend keeps the
/// count and the insert one atomic step.
#[derive(Clone, Debug)]
pub struct SeaOrmTokenStore {
    db: DatabaseConnection,
    /// SQLite files only: commits noticed without a query.
    version: Option<Arc<SqliteDataVersion>>,
}

impl SeaOrmTokenStore {
    /// A store over an open connection.
    ///
    /// For SQLite, build the connection from [`connect_options`](crate::connect_options)
    /// (or set WAL mode and a busy timeout yourself): with SQLite's defaults, concurrent
    /// requests fail with `database is locked`.
    pub fn new(db: DatabaseConnection) -> Self {
        let version = SqliteDataVersion::for_connection(&db).map(Arc::new);
        Self { db, version }
    }

    /// Connects to `url` with [`connect_options`](crate::connect_options).
    ///
    /// # Errors
    ///
    /// [`SeaOrmStoreError::Unavailable`] when the database cannot be reached,
    /// [`SeaOrmStoreError::Database`] for a malformed URL or any other failure.
    pub async fn connect(url: &str) -> Result<Self, SeaOrmStoreError> {
        let db = Database::connect(connect_options(url)).await?;
        Ok(Self::new(db))
    }

    /// The connection the store uses, for running migrations or the host's own queries.
    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }
}

/// The largest offset or limit SQL databases accept.
const SQL_MAX: u64 = i64::MAX as u64;

/// The SQL form of [`ActiveFilter::matches`].
fn active(filter: ActiveFilter) -> Condition {
    let unexpired = Condition::any()
        .add(Column::ExpiresAt.is_null())
        .add(Column::ExpiresAt.gt(micros(filter.now)));
    let mut condition = Condition::all()
        .add(Column::RevokedAt.is_null())
        .add(unexpired);
    // The later of created_at and last_used_at is after the cutoff when either one is.
    if let Some(cutoff) = filter.inactive_before.map(micros) {
        condition = condition.add(
            Condition::any()
                .add(Column::CreatedAt.gt(cutoff))
                .add(Column::LastUsedAt.gt(cutoff)),
        );
    }
    condition
}

#[async_trait]
impl TokenStore for SeaOrmTokenStore {
    /// Counts and inserts in one transaction that other creates for the same owner cannot
    /// interleave with:
    ///
    /// - **PostgreSQL and MySQL/MariaDB**: the owner's row in `api_token_owners` is created
    ///   if missing (in a statement of its own, so concurrent first creates do not
    ///   deadlock), then locked with `SELECT … FOR UPDATE` inside a `READ COMMITTED`
    ///   transaction. A second create for that owner waits at the lock until the first
    ///   commits, and its count then sees the first one's token. Creates for other owners
    ///   lock other rows and do not wait. The lock is a row lock, so it ends with the
    ///   transaction however the transaction ends, a dropped connection included.
    /// - **SQLite**: `BEGIN IMMEDIATE` takes the database's write lock before counting;
    ///   writers serialize, and wait for each other within the busy timeout.
    ///
    /// A transaction that loses a deadlock or serialization race is run again (up to three
    /// times) rather than reported.
    async fn insert(
        &self,
        record: TokenRecord,
        max_active: u32,
        active: ActiveFilter,
    ) -> Result<(), StoreError> {
        insert::insert(&self.db, record.into(), max_active, active).await
    }

    async fn find_by_lookup_id(&self, lookup_id: &str) -> Result<Option<TokenRecord>, StoreError> {
        let found = Entity::find()
            .filter(Column::LookupId.eq(lookup_id))
            .one(&self.db)
            .await
            .map_err(store_error)?;
        Ok(found.map(TokenRecord::from))
    }

    async fn find_by_id(&self, id: Uuid) -> Result<Option<TokenRecord>, StoreError> {
        let found = Entity::find_by_id(id)
            .one(&self.db)
            .await
            .map_err(store_error)?;
        Ok(found.map(TokenRecord::from))
    }

    async fn list_by_owner(
        &self,
        owner_id: &str,
        offset: u64,
        limit: u64,
    ) -> Result<TokenPage, StoreError> {
        // SQL takes signed 64-bit offsets and limits (and the driver panics beyond them);
        // no owner has that many tokens, so clamping changes no page.
        let (offset, limit) = (offset.min(SQL_MAX), limit.min(SQL_MAX));
        let owned = Entity::find().filter(Column::OwnerId.eq(owner_id));

        let total = owned.clone().count(&self.db).await.map_err(store_error)?;
        let page = owned
            .order_by_desc(Column::Id)
            .offset(offset)
            .limit(limit)
            .all(&self.db)
            .await
            .map_err(store_error)?;

        Ok(TokenPage {
            tokens: page.into_iter().map(TokenRecord::from).collect(),
            total,
        })
    }

    async fn count_active(&self, owner_id: &str, filter: ActiveFilter) -> Result<u64, StoreError> {
        Entity::find()
            .filter(Column::OwnerId.eq(owner_id))
            .filter(active(filter))
            .count(&self.db)
            .await
            .map_err(store_error)
    }

    async fn revoke(
        &self,
        owner_id: &str,
        id: Uuid,
        at: DateTime<Utc>,
    ) -> Result<Option<TokenRecord>, StoreError> {
        let owned = Condition::all()
            .add(Column::Id.eq(id))
            .add(Column::OwnerId.eq(owner_id));

        // Only a token not revoked yet is touched, so a second revoke keeps the first
        // instant.
        Entity::update_many()
            .col_expr(Column::RevokedAt, Expr::value(micros(at)))
            .filter(owned.clone())
            .filter(Column::RevokedAt.is_null())
            .exec(&self.db)
            .await
            .map_err(store_error)?;
        let stored = Entity::find()
            .filter(owned)
            .one(&self.db)
            .await
            .map_err(store_error)?;

        Ok(stored.map(TokenRecord::from))
    }

    async fn touch_last_used(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
        let at = micros(at);
        let earlier = Condition::any()
            .add(Column::LastUsedAt.is_null())
            .add(Column::LastUsedAt.lt(at));

        Entity::update_many()
            .col_expr(Column::LastUsedAt, Expr::value(at))
            .filter(Column::Id.eq(id))
            .filter(earlier)
            .exec(&self.db)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    /// A range read on the primary key: token ids are UUID v7, which sort by their
    /// creation time on every backend.
    async fn lookup_ids_created_since(
        &self,
        since: Option<DateTime<Utc>>,
    ) -> Result<Option<Vec<String>>, StoreError> {
        if let Some(version) = &self.version {
            version.locate(&self.db).await;
        }
        let mut query = Entity::find().select_only().column(Column::LookupId);
        if let Some(since) = since {
            query = query.filter(Column::Id.gte(first_v7_id_at(since)));
        }
        let ids = query
            .into_tuple::<String>()
            .all(&self.db)
            .await
            .map_err(store_error)?;
        Ok(Some(ids))
    }

    /// On an SQLite file, `PRAGMA data_version` read on a connection of the store's own:
    /// a few microseconds, no query through the pool. PostgreSQL and MySQL/MariaDB offer
    /// nothing as cheap, so there an unknown lookup id waits for a shared read of the
    /// newest ids.
    fn data_version(&self) -> Option<u64> {
        self.version.as_deref().and_then(SqliteDataVersion::read)
    }
}

/// The smallest UUID v7 with a timestamp at or after `at`: its 48-bit millisecond
/// timestamp, the version, the variant and zeros.
fn first_v7_id_at(at: DateTime<Utc>) -> Uuid {
    let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    let mut bytes = [0_u8; 16];
    bytes[..6].copy_from_slice(&millis.to_be_bytes()[2..]);
    bytes[6] = 0x70;
    bytes[8] = 0x80;
    Uuid::from_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_v7_id_sorts_before_every_id_of_its_millisecond_and_after_earlier_ones() {
        let at = DateTime::from_timestamp_millis(1_767_225_600_123).expect("instant");
        let bound = first_v7_id_at(at);
        let millis = |ms: i64| {
            let t = DateTime::from_timestamp_millis(ms).expect("instant");
            let secs = u64::try_from(t.timestamp()).expect("after 1970");
            uuid::Timestamp::from_unix(uuid::NoContext, secs, t.timestamp_subsec_nanos())
        };

        assert_eq!(bound.get_version_num(), 7);
        for _ in 0..1_000 {
            assert!(Uuid::new_v7(millis(1_767_225_600_123)) >= bound);
            assert!(Uuid::new_v7(millis(1_767_225_600_124)) > bound);
            assert!(Uuid::new_v7(millis(1_767_225_600_122)) < bound);
        }
    }
}
