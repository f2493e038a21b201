//! bcrypt hashing of whole tokens.
//!
//! Tokens are hashed with bcrypt's non-truncating functions: a token is 40 bytes, well
//! under bcrypt's 72-byte input limit, but the non-truncating API turns any future longer
//! format into an error instead of silently ignoring the tail.

use std::fmt;

use crate::error::ConfigError;

/// The bcrypt hash of a token as stored (`$2b$12$…`, 60 ASCII bytes).
///
/// `Debug` prints only that a hash is present.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenHash(String);

impl TokenHash {
    /// Wraps a hash read back from storage.
    pub fn from_stored(hash: String) -> Self {
        Self(hash)
    }

    /// The stored form, for writing it to storage.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenHash(<redacted>)")
    }
}

/// The bcrypt work factor.
///
/// Defaults to 12 (about a quarter of a second per hash on a current server core).
/// Values below 10 are refused; tests may use [`BcryptCost::insecure_for_tests`] with the
/// `testing` feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BcryptCost(u32);

impl BcryptCost {
    /// The lowest cost accepted outside tests.
    pub const MIN: u32 = 10;

    /// The highest cost bcrypt supports.
    pub const MAX: u32 = 31;

    /// A checked cost.
    ///
    /// # Errors
    ///
    /// [`ConfigError::BcryptCost`] when `cost` is below [`BcryptCost::MIN`] or above
    /// [`BcryptCost::MAX`].
    pub fn new(cost: u32) -> Result<Self, ConfigError> {
        if (Self::MIN..=Self::MAX).contains(&cost) {
            Ok(Self(cost))
        } else {
            Err(ConfigError::BcryptCost(cost))
        }
    }

    /// A low cost (4–31) that makes test suites fast. Never use it in production.
    ///
    /// # Panics
    ///
    /// When `cost` is outside 4–31.
    #[cfg(any(test, feature = "testing"))]
    pub fn insecure_for_tests(cost: u32) -> Self {
        assert!(
            (4..=Self::MAX).contains(&cost),
            "bcrypt cost must be 4..=31"
        );
        Self(cost)
    }

    /// The numeric work factor.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for BcryptCost {
    fn default() -> Self {
        Self(12)
    }
}

/// Hashes a token. Runs for as long as the cost asks: call it off the async workers.
pub(crate) fn hash_token(token: &str, cost: BcryptCost) -> Result<TokenHash, bcrypt::BcryptError> {
    bcrypt::non_truncating_hash(token, cost.get()).map(TokenHash)
}

/// Checks a presented token against a stored hash. A malformed stored hash counts as a
/// mismatch. Runs for as long as the hash's cost asks: call it off the async workers.
pub(crate) fn verify_token(token: &str, hash: &TokenHash) -> bool {
    bcrypt::non_truncating_verify(token, hash.as_str()).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_below_ten_is_refused() {
        assert!(BcryptCost::new(9).is_err());
        assert!(BcryptCost::new(32).is_err());
        assert_eq!(BcryptCost::new(10).map(BcryptCost::get).ok(), Some(10));
        assert_eq!(BcryptCost::default().get(), 12);
    }

    #[test]
    fn hash_debug_is_redacted() {
        let hash = hash_token("sh_live_x", BcryptCost::insecure_for_tests(4)).expect("hash");

        assert_eq!(format!("{hash:?}"), "TokenHash(<redacted>)");
        assert!(verify_token("sh_live_x", &hash));
        assert!(!verify_token("sh_live_y", &hash));
    }
}
