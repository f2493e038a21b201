//! Users in the database: lookups, sign-up and the demo accounts.

use std::fmt;

use chrono::{SubsecRound, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set, SqlErr,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::entities::user;

/// A signed-in user as the rest of the app sees it: no password hash.
#[derive(Clone)]
pub struct User {
    /// UUID v7; also the owner id of the user's tokens and projects.
    pub id: String,
    /// Lower-cased email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// A digest of the password hash: a password change ends the user's other sessions.
    auth_hash: [u8; 32],
}

impl User {
    pub(crate) fn from_model(model: user::Model) -> Self {
        Self {
            auth_hash: Sha256::digest(model.password_hash.as_bytes()).into(),
            id: model.id,
            email: model.email,
            name: model.name,
        }
    }

    /// The digest axum-login compares on every request.
    pub(crate) fn auth_hash(&self) -> &[u8] {
        &self.auth_hash
    }

    /// What the routes answer with.
    pub fn view(&self) -> UserView {
        UserView {
            id: self.id.clone(),
            email: self.email.clone(),
            name: self.name.clone(),
        }
    }
}

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// The JSON form of a user.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserView {
    /// The user's id.
    #[schema(example = "0193f5a4-7c2e-7d11-9a3b-6f1c2d3e4f50")]
    pub id: String,
    /// The user's email, lower-cased.
    #[schema(example = "ada@example.com")]
    pub email: String,
    /// The user's display name.
    #[schema(example = "Ada Lovelace")]
    pub name: String,
}

/// Why a user could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    /// Another account has this email.
    #[error("an account with this email already exists")]
    EmailTaken,
    /// The password could not be hashed.
    #[error("could not hash the password: {0}")]
    Hashing(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// The user with this (already lower-cased) email, with its stored password hash.
///
/// # Errors
///
/// [`DbErr`] when the database fails.
pub(crate) async fn find_by_email(
    db: &DatabaseConnection,
    email: &str,
) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await
}

/// The user with this id.
///
/// # Errors
///
/// [`DbErr`] when the database fails.
pub(crate) async fn find_by_id(db: &DatabaseConnection, id: &str) -> Result<Option<User>, DbErr> {
    let found = user::Entity::find_by_id(id.to_owned()).one(db).await?;
    Ok(found.map(User::from_model))
}

/// Creates a user from checked input.
///
/// # Errors
///
/// [`CreateUserError::EmailTaken`] when the email is in use, even when another request took
/// it a moment ago; other variants when hashing or the database fails.
pub(crate) async fn create(
    db: &DatabaseConnection,
    name: &str,
    email: &str,
    password: String,
) -> Result<User, CreateUserError> {
    let password_hash = super::password::hash(password)
        .await
        .map_err(CreateUserError::Hashing)?;
    let row = user::ActiveModel {
        id: Set(Uuid::now_v7().to_string()),
        email: Set(email.to_owned()),
        name: Set(name.to_owned()),
        password_hash: Set(password_hash),
        created_at: Set(Utc::now().trunc_subsecs(6)),
    };

    match row.insert(db).await {
        Ok(model) => Ok(User::from_model(model)),
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Err(CreateUserError::EmailTaken)
        }
        Err(error) => Err(error.into()),
    }
}

/// The demo accounts created at start when missing.
pub const DEMO_ACCOUNTS: [(&str, &str); 2] = [
    ("Ada Lovelace", "ada@example.com"),
    ("Bob Builder", "bob@example.com"),
];

/// Creates the demo accounts that do not exist yet, with `password`, and sets `password`
/// on those that do, so the password printed at start is always the one that works.
///
/// # Errors
///
/// [`CreateUserError`] when an account cannot be created.
pub async fn seed_demo_accounts(
    db: &DatabaseConnection,
    password: &str,
) -> Result<(), CreateUserError> {
    for (name, email) in DEMO_ACCOUNTS {
        if let Some(existing) = find_by_email(db, email).await? {
            // DEMO_PASSWORD is authoritative: the start-up banner prints it as the password.
            // A hash that already matches stays, so starting another instance on the same
            // database does not sign the demo accounts out of the running ones.
            let current = existing.password_hash.clone();
            if super::password::verify(password.to_owned(), current).await {
                continue;
            }
            let password_hash = super::password::hash(password.to_owned())
                .await
                .map_err(CreateUserError::Hashing)?;
            let mut row: user::ActiveModel = existing.into();
            row.password_hash = Set(password_hash);
            row.update(db).await?;
            continue;
        }
        match create(db, name, email, password.to_owned()).await {
            // Another instance starting on the same database seeded it first.
            Ok(_) | Err(CreateUserError::EmailTaken) => {}
            Err(error) => return Err(error),
        }
        tracing::info!(email, "created a demo account");
    }
    Ok(())
}
