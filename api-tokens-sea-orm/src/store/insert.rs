//! The atomic "count the owner's active tokens, then insert" step.

use api_tokens::{ActiveFilter, StoreError};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, LockType, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, IntoActiveModel, IsolationLevel, PaginatorTrait,
    QueryFilter, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use super::active;
use crate::entity::{Column, Entity, Model};
use crate::error::{is_transient_conflict, store_error};

/// How often a transaction that lost a deadlock or serialization race is run again.
const ATTEMPTS: u32 = 3;

enum Outcome {
    Inserted,
    Full,
}

pub(super) async fn insert(
    db: &DatabaseConnection,
    model: Model,
    max_active: u32,
    filter: ActiveFilter,
) -> Result<(), StoreError> {
    let mut attempt = 1;
    loop {
        match try_insert(db, &model, max_active, filter).await {
            Ok(Outcome::Inserted) => return Ok(()),
            Ok(Outcome::Full) => return Err(StoreError::LimitReached),
            Err(error) if attempt < ATTEMPTS && is_transient_conflict(&error) => {
                tracing::debug!(token.id = %model.id, attempt, "token insert lost a race, retrying");
                attempt += 1;
            }
            Err(error) => return Err(store_error(error)),
        }
    }
}

async fn try_insert(
    db: &DatabaseConnection,
    model: &Model,
    max_active: u32,
    filter: ActiveFilter,
) -> Result<Outcome, DbErr> {
    let txn = match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            db.begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            })
            .await?
        }
        _ => {
            ensure_owner_row(db, &model.owner_id).await?;
            let txn = db
                .begin_with_config(Some(IsolationLevel::ReadCommitted), None)
                .await?;
            lock_owner(&txn, &model.owner_id).await?;
            txn
        }
    };

    let taken = Entity::find()
        .filter(Column::OwnerId.eq(model.owner_id.as_str()))
        .filter(active(filter))
        .count(&txn)
        .await?;
    if taken >= u64::from(max_active) {
        txn.rollback().await?;
        return Ok(Outcome::Full);
    }

    // A duplicate id or lookup id fails here on the primary key or the unique index; the
    // transaction is then rolled back when dropped.
    Entity::insert(model.clone().into_active_model().reset_all())
        .exec_without_returning(&txn)
        .await?;
    txn.commit().await?;
    Ok(Outcome::Inserted)
}

fn owners_table() -> Alias {
    Alias::new("api_token_owners")
}

fn owner_column() -> Alias {
    Alias::new("owner_id")
}

/// Creates the owner's lock row unless it exists, in a statement of its own: two first
/// creates inserting the same new row inside their transactions could deadlock on MySQL.
async fn ensure_owner_row(db: &DatabaseConnection, owner_id: &str) -> Result<(), DbErr> {
    let upsert = Query::insert()
        .into_table(owners_table())
        .columns([owner_column()])
        .values_panic([owner_id.into()])
        .on_conflict(
            OnConflict::column(owner_column())
                .do_nothing_on([owner_column()])
                .to_owned(),
        )
        .to_owned();
    db.execute(&upsert).await?;
    Ok(())
}

/// Locks the owner's row until the transaction ends.
async fn lock_owner(txn: &DatabaseTransaction, owner_id: &str) -> Result<(), DbErr> {
    let lock = Query::select()
        .column(owner_column())
        .from(owners_table())
        .and_where(Expr::col(owner_column()).eq(owner_id))
        .lock(LockType::Update)
        .to_owned();
    txn.query_one(&lock).await?;
    Ok(())
}
