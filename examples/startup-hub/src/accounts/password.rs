//! Password hashing with Argon2id, off the async workers.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// Hashes `password` into a PHC string (`$argon2id$…`) with a fresh random salt.
///
/// # Errors
///
/// A message when hashing fails, which only happens if the system has no randomness.
pub(crate) async fn hash(password: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|error| error.to_string())?
}

/// Whether `password` matches `stored`. An unreadable stored hash matches nothing.
pub(crate) async fn verify(password: String, stored: String) -> bool {
    tokio::task::spawn_blocking(move || verify_blocking(&password, &stored))
        .await
        .unwrap_or(false)
}

/// Spends the time of one verification on a hash that matches nothing, so that an unknown
/// email takes as long to refuse as a wrong password.
pub(crate) async fn verify_nothing(password: String) {
    let decoy = tokio::task::spawn_blocking(decoy_hash).await;
    if let Ok(Some(decoy)) = decoy {
        verify(password, decoy.to_owned()).await;
    }
}

fn hash_blocking(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|error| error.to_string())
}

fn verify_blocking(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        tracing::error!("a stored password hash could not be parsed");
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

fn decoy_hash() -> Option<&'static str> {
    static DECOY: OnceLock<Option<String>> = OnceLock::new();
    DECOY
        .get_or_init(|| hash_blocking("no account has this password").ok())
        .as_deref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse".into()).await.expect("hashing works");

        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse".into(), stored.clone()).await);
        assert!(!verify("wrong horse".into(), stored).await);
    }

    #[tokio::test]
    async fn a_garbled_hash_matches_nothing() {
        assert!(!verify("anything".into(), "not a hash".into()).await);
    }
}
