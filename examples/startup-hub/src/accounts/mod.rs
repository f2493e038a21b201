//! Accounts: sign-up and sign-in with email and password, sessions in cookies.
//!
//! Sessions come from tower-sessions and axum-login. They are kept in memory: a restart
//! signs everyone out. (A database-backed session store for tower-sessions exists only
//! for another version of sqlx than the one SeaORM uses here.)
//!
//! Failed sign-ins are throttled per account and client address: after
//! [`FAILED_SIGN_INS_PER_MINUTE`] of them, `/auth/login` answers 429 with `Retry-After`
//! for that account from that address, whatever the password.

mod backend;
mod password;
pub(crate) mod routes;
mod throttle;
mod users;

pub use backend::{AuthSession, Backend, Credentials};
pub use routes::{SignupRequest, router};
pub use throttle::FAILED_SIGN_INS_PER_MINUTE;
pub use users::{CreateUserError, DEMO_ACCOUNTS, User, UserView, seed_demo_accounts};

use axum_login::{AuthManagerLayer, AuthManagerLayerBuilder};
use sea_orm::DatabaseConnection;
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration;
use tower_sessions::{Expiry, MemoryStore, SessionManagerLayer};

use crate::error::ApiError;

/// The shortest password accepted at sign-up.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Longer passwords are refused rather than hashed, to bound the work of one request.
const MAX_PASSWORD_CHARS: usize = 1024;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "startup_hub_session";

/// The session and sign-in layers: an HttpOnly, SameSite=Lax cookie naming an in-memory
/// session that ends after a week without requests.
pub fn auth_layer(db: DatabaseConnection) -> AuthManagerLayer<Backend, MemoryStore> {
    let sessions = SessionManagerLayer::new(MemoryStore::default())
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        // The example serves plain HTTP on localhost; behind TLS, mark the cookie Secure.
        .with_secure(false)
        .with_expiry(Expiry::OnInactivity(Duration::days(7)));
    AuthManagerLayerBuilder::new(Backend::new(db), sessions).build()
}

/// Sign-up input after checking: trimmed name, lower-cased email.
#[derive(Clone)]
pub(crate) struct ValidSignup {
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) password: String,
}

/// Emails are compared trimmed and lower-cased.
pub(crate) fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Checks sign-up input, naming the first field at fault.
pub(crate) fn validate_signup(request: SignupRequest) -> Result<ValidSignup, ApiError> {
    let name = request.name.trim();
    if name.is_empty() {
        return Err(ApiError::validation("name", "Name is required"));
    }
    if name.chars().count() > 100 {
        return Err(ApiError::validation(
            "name",
            "Name must be at most 100 characters",
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(ApiError::validation(
            "name",
            "Name must not contain control characters",
        ));
    }

    let email = normalize_email(&request.email);
    if email.is_empty() {
        return Err(ApiError::validation("email", "Email is required"));
    }
    if !looks_like_email(&email) {
        return Err(ApiError::validation("email", "Enter a valid email address"));
    }

    let length = request.password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        return Err(ApiError::validation(
            "password",
            format!("Password must be at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if length > MAX_PASSWORD_CHARS {
        return Err(ApiError::validation(
            "password",
            format!("Password must be at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }

    Ok(ValidSignup {
        name: name.to_owned(),
        email,
        password: request.password,
    })
}

/// A deliberately loose check: one `@`, something before it, a dotted domain after it, no
/// spaces or control characters, at most 254 bytes. Delivery is the only real test.
fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signup(name: &str, email: &str, password: &str) -> SignupRequest {
        SignupRequest {
            name: name.into(),
            email: email.into(),
            password: password.into(),
        }
    }

    #[test]
    fn valid_input_is_trimmed_and_lower_cased() {
        let valid = validate_signup(signup("  Grace ", " Grace@Example.COM ", "long enough"))
            .expect("valid input");

        assert_eq!(valid.name, "Grace");
        assert_eq!(valid.email, "grace@example.com");
    }

    #[test]
    fn each_field_is_checked_in_order() {
        let cases = [
            (signup(" ", "a@b.co", "long enough"), "Name is required"),
            (
                signup("A", "nope", "long enough"),
                "Enter a valid email address",
            ),
            (
                signup("A", "a@b", "long enough"),
                "Enter a valid email address",
            ),
            (
                signup("A", "a@b.co", "short"),
                "Password must be at least 8 characters",
            ),
        ];

        for (input, message) in cases {
            let error = validate_signup(input).err().expect("invalid input");
            assert_eq!(error.message(), message);
        }
    }
}
