//! `/auth/*`: sign up, sign in, sign out and who am I.

use std::fmt;
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use sea_orm::DatabaseConnection;

use super::backend::{AuthSession, Credentials};
use super::throttle::{AttemptKey, ClientAddress, LoginThrottle};
use super::users::{self, CreateUserError, UserView};
use crate::error::{ApiError, ErrorBody, JsonBody};

/// The account routes; they need the session layers around them.
pub fn router() -> Router<DatabaseConnection> {
    Router::new()
        .route("/auth/signup", post(signup))
        .route(
            "/auth/login",
            post(login).layer(Extension(Arc::new(LoginThrottle::new()))),
        )
        .route("/auth/logout", post(logout))
        .route("/auth/me", get(me))
}

/// What a new user signs up with.
#[derive(Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct SignupRequest {
    /// Display name, 1–100 characters.
    #[schema(example = "Grace Hopper")]
    pub name: String,
    /// A valid email address, unique among accounts.
    #[schema(example = "grace@example.com")]
    pub email: String,
    /// At least 8 characters.
    #[schema(example = "a long passphrase")]
    pub password: String,
}

impl fmt::Debug for SignupRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignupRequest")
            .field("name", &self.name)
            .field("email", &self.email)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Creates an account and signs it in.
#[utoipa::path(
    post,
    path = "/auth/signup",
    tag = "accounts",
    request_body = SignupRequest,
    responses(
        (status = 201, description = "Account created and signed in", body = UserView),
        (status = 400, description = "The body is not JSON (`INVALID_JSON`)", body = ErrorBody),
        (status = 403, description = "A cross-site request from a browser \
            (`CROSS_SITE_REQUEST`)", body = ErrorBody),
        (status = 409, description = "Email taken (`EMAIL_TAKEN`)", body = ErrorBody),
        (status = 413, description = "The body is over 2 MiB (`PAYLOAD_TOO_LARGE`)",
            body = ErrorBody),
        (status = 415, description = "The body is not `application/json` \
            (`UNSUPPORTED_MEDIA_TYPE`)", body = ErrorBody),
        (status = 422, description = "Invalid input (`VALIDATION_ERROR`)", body = ErrorBody),
        (status = 500, description = "The database or the session failed (`INTERNAL_ERROR`)",
            body = ErrorBody),
    )
)]
pub(crate) async fn signup(
    State(db): State<DatabaseConnection>,
    mut auth: AuthSession,
    JsonBody(request): JsonBody<SignupRequest>,
) -> Result<Response, ApiError> {
    let input = super::validate_signup(request)?;

    if users::find_by_email(&db, &input.email).await?.is_some() {
        return Err(email_taken());
    }
    let user = match users::create(&db, &input.name, &input.email, input.password).await {
        Ok(user) => user,
        Err(CreateUserError::EmailTaken) => return Err(email_taken()),
        Err(error) => {
            tracing::error!(error = &error as &dyn std::error::Error, "sign-up failed");
            return Err(ApiError::internal());
        }
    };

    auth.login(&user).await.map_err(session_failed)?;
    tracing::info!(user.id = %user.id, "account created");
    Ok((StatusCode::CREATED, Json(user.view())).into_response())
}

/// Signs in with email and password.
///
/// Failed attempts are counted per account and client address: after five, attempts for
/// that account from that address are refused with 429 until `Retry-After` has passed,
/// whatever the password; one more is allowed every 12 seconds, and five again after a
/// minute without failures. Successful sign-ins are not counted.
#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "accounts",
    request_body = Credentials,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = UserView),
        (status = 400, description = "The body is not JSON (`INVALID_JSON`)", body = ErrorBody),
        (status = 401, description = "Wrong email or password (`INVALID_CREDENTIALS`)",
            body = ErrorBody),
        (status = 403, description = "A cross-site request from a browser \
            (`CROSS_SITE_REQUEST`)", body = ErrorBody),
        (status = 413, description = "The body is over 2 MiB (`PAYLOAD_TOO_LARGE`)",
            body = ErrorBody),
        (status = 415, description = "The body is not `application/json` \
            (`UNSUPPORTED_MEDIA_TYPE`)", body = ErrorBody),
        (status = 422, description = "`email` or `password` is missing (`VALIDATION_ERROR`)",
            body = ErrorBody),
        (status = 429, description = "Too many failed sign-ins for this account from this \
            address (`RATE_LIMITED`); refused whatever the password until `Retry-After` passes",
            body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until the next attempt passes"))),
        (status = 500, description = "The database or the session failed (`INTERNAL_ERROR`)",
            body = ErrorBody),
    )
)]
pub(crate) async fn login(
    mut auth: AuthSession,
    Extension(throttle): Extension<Arc<LoginThrottle>>,
    ClientAddress(address): ClientAddress,
    JsonBody(credentials): JsonBody<Credentials>,
) -> Result<Json<UserView>, ApiError> {
    let key = AttemptKey::new(&credentials.email, address);
    throttle.check(&key).map_err(too_many_attempts)?;

    let authenticated = auth
        .authenticate(credentials)
        .await
        .map_err(session_failed)?;
    let Some(user) = authenticated else {
        if let Some(wait) = throttle.record_failure(&key) {
            let address = address.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
            tracing::warn!(
                client.address = %address,
                retry_after_secs = wait.as_secs(),
                "too many failed sign-ins for one account from this address; refusing it for now"
            );
        }
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "INVALID_CREDENTIALS",
            "Invalid email or password",
        ));
    };

    auth.login(&user).await.map_err(session_failed)?;
    tracing::info!(user.id = %user.id, "signed in");
    Ok(Json(user.view()))
}

/// Signs out; succeeds without a session too.
#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "accounts",
    responses(
        (status = 204, description = "Signed out"),
        (status = 403, description = "A cross-site request from a browser \
            (`CROSS_SITE_REQUEST`)", body = ErrorBody),
        (status = 500, description = "The database or the session failed (`INTERNAL_ERROR`)",
            body = ErrorBody),
    )
)]
pub(crate) async fn logout(mut auth: AuthSession) -> Result<StatusCode, ApiError> {
    if let Some(user) = auth.logout().await.map_err(session_failed)? {
        tracing::info!(user.id = %user.id, "signed out");
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user.
#[utoipa::path(
    get,
    path = "/auth/me",
    tag = "accounts",
    responses(
        (status = 200, description = "The signed-in user", body = UserView),
        (status = 401, description = "No session (`UNAUTHENTICATED`)", body = ErrorBody),
    )
)]
pub(crate) async fn me(auth: AuthSession) -> Result<Json<UserView>, ApiError> {
    auth.user
        .map(|user| Json(user.view()))
        .ok_or_else(ApiError::unauthenticated)
}

fn email_taken() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "EMAIL_TAKEN",
        "An account with this email already exists",
    )
}

fn too_many_attempts(wait: std::time::Duration) -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "RATE_LIMITED",
        "Too many failed sign-in attempts; try again later",
    )
    .with_retry_after(wait)
}

fn session_failed(error: axum_login::Error<super::Backend>) -> ApiError {
    tracing::error!(error = %error, "session or account lookup failed");
    ApiError::internal()
}
