//! The axum-login backend: checks email and password, and loads the session's user.

use std::fmt;

use axum_login::{AuthUser, AuthnBackend, UserId};
use sea_orm::{DatabaseConnection, DbErr};

use super::password;
use super::users::{self, User};

/// Authenticates against the `users` table.
#[derive(Clone, Debug)]
pub struct Backend {
    db: DatabaseConnection,
}

impl Backend {
    /// A backend over `db`.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// What a user signs in with.
#[derive(Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    /// The account's email; case does not matter.
    #[schema(example = "ada@example.com")]
    pub email: String,
    /// The account's password.
    #[schema(example = "demo-password")]
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("email", &self.email)
            .field("password", &"<redacted>")
            .finish()
    }
}

impl AuthUser for User {
    type Id = String;

    fn id(&self) -> Self::Id {
        self.id.clone()
    }

    fn session_auth_hash(&self) -> &[u8] {
        self.auth_hash()
    }
}

impl AuthnBackend for Backend {
    type User = User;
    type Credentials = Credentials;
    type Error = DbErr;

    async fn authenticate(&self, credentials: Credentials) -> Result<Option<User>, DbErr> {
        let email = super::normalize_email(&credentials.email);
        let Some(found) = users::find_by_email(&self.db, &email).await? else {
            password::verify_nothing(credentials.password).await;
            return Ok(None);
        };

        let matches = password::verify(credentials.password, found.password_hash.clone()).await;
        Ok(matches.then(|| User::from_model(found)))
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<User>, DbErr> {
        users::find_by_id(&self.db, id).await
    }
}

/// The session of a request, as axum-login extracts it.
pub type AuthSession = axum_login::AuthSession<Backend>;
