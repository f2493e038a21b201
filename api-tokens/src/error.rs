//! Errors of the token manager, the stores and the verification path.

use std::error::Error as StdError;

/// A boxed error from a store's backend.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Why a manager operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input broke a rule; `message` is meant for people, `field` names the input.
    #[error("{message}")]
    Validation {
        /// The request field at fault, such as `name`.
        field: &'static str,
        /// What is wrong, for example "Token name is required".
        message: String,
    },
    /// The owner already has the maximum number of active tokens.
    #[error("Maximum {limit} tokens allowed")]
    TokenLimitReached {
        /// The configured maximum.
        limit: u32,
    },
    /// No token with that id belongs to the caller (unknown and foreign ids look alike).
    #[error("Token not found")]
    NotFound,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Error {
    pub(crate) fn validation(field: &'static str, message: impl Into<String>) -> Self {
        Self::Validation {
            field,
            message: message.into(),
        }
    }
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The owner already has the maximum number of active tokens; nothing was written.
    #[error("the owner already has the maximum number of active tokens")]
    LimitReached,
    /// A token with the same id or lookup id exists; nothing was written.
    #[error("a token with the same id or lookup id already exists")]
    Conflict,
    /// The backend could not be reached (connection refused, pool timed out, …). The
    /// operation may succeed later.
    #[error("token store unavailable")]
    Unavailable(#[source] BoxError),
    /// Any other backend failure.
    #[error("token store failed")]
    Backend(#[source] BoxError),
}

impl StoreError {
    /// Wraps a backend error that means the store cannot be reached.
    pub fn unavailable(error: impl Into<BoxError>) -> Self {
        Self::Unavailable(error.into())
    }

    /// Wraps any other backend error.
    pub fn backend(error: impl Into<BoxError>) -> Self {
        Self::Backend(error.into())
    }
}

/// A setting given to the manager builder is out of range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The bcrypt cost is below 10 or above 31.
    #[error("bcrypt cost {0} is outside 10..=31")]
    BcryptCost(u32),
    /// A permission name is not 1–64 characters of `a-z`, `0-9`, `_`, `-`, `.`, `:`.
    #[error("invalid permission name {0:?}")]
    PermissionName(String),
    /// The default permissions are empty or not all in the vocabulary.
    #[error("default permissions must be a non-empty subset of the vocabulary")]
    DefaultPermissions,
    /// The maximum number of active tokens is zero.
    #[error("the maximum number of active tokens must be at least 1")]
    MaxActive,
}

/// Why a presented token was refused. The layer answers every variant of
/// [`InvalidToken`] with one identical 401 body; the kind is only logged.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The token is not valid now.
    #[error("invalid token ({0})")]
    Invalid(InvalidToken),
    /// The store could not be asked; the token may be fine.
    #[error("token store unavailable")]
    StoreUnavailable,
}

/// The reason a token is invalid, for logs and metrics only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidToken {
    /// Not the `sh_live_` + 32 alphanumeric characters shape.
    #[error("malformed")]
    Malformed,
    /// Well formed, but no token has this lookup id.
    #[error("unknown lookup id")]
    Unknown,
    /// The lookup id exists but the rest of the token does not match its hash.
    #[error("hash mismatch")]
    Mismatch,
    /// The token was revoked.
    #[error("revoked")]
    Revoked,
    /// The token is past its expiry date or unused for too long.
    #[error("expired")]
    Expired,
}
