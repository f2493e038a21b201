//! Projects in the database. Every query is scoped to one owner: another owner's project
//! is indistinguishable from one that does not exist.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::model::{Project, ValidChanges};
use crate::db::entities::project;

/// The owner's projects, newest first.
///
/// # Errors
///
/// [`DbErr`] when the database fails.
pub async fn list(db: &DatabaseConnection, owner_id: &str) -> Result<Vec<Project>, DbErr> {
    let rows = project::Entity::find()
        .filter(project::Column::OwnerId.eq(owner_id))
        .order_by_desc(project::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Project::from).collect())
}

/// The owner's project `id`, if there is one.
///
/// # Errors
///
/// [`DbErr`] when the database fails.
pub async fn get(
    db: &DatabaseConnection,
    owner_id: &str,
    id: &str,
) -> Result<Option<Project>, DbErr> {
    Ok(find(db, owner_id, id).await?.map(Project::from))
}

/// Stores a new project for the owner. `changes` comes from
/// [`NewProject::validate`](super::NewProject::validate), so every field is set.
///
/// # Errors
///
/// [`DbErr`] when the database fails.
pub async fn create(
    db: &DatabaseConnection,
    owner_id: &str,
    changes: ValidChanges,
) -> Result<Project, DbErr> {
    let now = now();
    let row = project::ActiveModel {
        id: Set(Uuid::now_v7().to_string()),
        owner_id: Set(owner_id.to_owned()),
        title: Set(changes.title.unwrap_or_default()),
        description: Set(changes.description.unwrap_or_default()),
        pitch: Set(changes.pitch.unwrap_or_default()),
        status: Set(changes
            .status
            .unwrap_or(super::ProjectStatus::Idea)
            .as_str()
            .to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    Ok(row.insert(db).await?.into())
}

/// Applies `changes` to the owner's project `id`; `None` when the owner has no such project.
///
/// # Errors
///
/// [`DbErr`] when the database fails.
pub async fn update(
    db: &DatabaseConnection,
    owner_id: &str,
    id: &str,
    changes: ValidChanges,
) -> Result<Option<Project>, DbErr> {
    let Some(found) = find(db, owner_id, id).await? else {
        return Ok(None);
    };

    let mut row = found.into_active_model();
    if let Some(title) = changes.title {
        row.title = Set(title);
    }
    if let Some(description) = changes.description {
        row.description = Set(description);
    }
    if let Some(pitch) = changes.pitch {
        row.pitch = Set(pitch);
    }
    if let Some(status) = changes.status {
        row.status = Set(status.as_str().to_owned());
    }
    row.updated_at = Set(now());
    Ok(Some(row.update(db).await?.into()))
}

/// Deletes the owner's project `id`; `false` when the owner has no such project.
///
/// # Errors
///
/// [`DbErr`] when the database fails.
pub async fn delete(db: &DatabaseConnection, owner_id: &str, id: &str) -> Result<bool, DbErr> {
    let result = project::Entity::delete_many()
        .filter(project::Column::OwnerId.eq(owner_id))
        .filter(project::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// The current instant at the microsecond precision every backend stores, so a project
/// reads back exactly as it was answered.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

async fn find(
    db: &DatabaseConnection,
    owner_id: &str,
    id: &str,
) -> Result<Option<project::Model>, DbErr> {
    project::Entity::find()
        .filter(project::Column::OwnerId.eq(owner_id))
        .filter(project::Column::Id.eq(id))
        .one(db)
        .await
}
