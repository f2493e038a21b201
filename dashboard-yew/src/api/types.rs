//! Wire types of the Startup Hub server, exactly as its JSON routes send and
//! receive them.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use zeroize::Zeroize;

/// The signed-in person, from `/auth/me`, `/auth/login` and `/auth/signup`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(crate) struct User {
    pub(crate) id: String,
    pub(crate) email: String,
    pub(crate) name: String,
}

/// How the server issues tokens: the permission vocabulary and the limits.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(crate) struct Policy {
    pub(crate) permissions: Vec<String>,
    pub(crate) default_permissions: Vec<String>,
    pub(crate) max_active: u32,
    /// `None` when inactivity expiry is switched off.
    pub(crate) inactivity_days: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum TokenStatus {
    Active,
    Revoked,
    Expired,
}

impl TokenStatus {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Active => "Active",
            Self::Revoked => "Revoked",
            Self::Expired => "Expired",
        }
    }
}

/// One row of the token list. It never holds the token itself, only its prefix.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(crate) struct TokenSummary {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) permissions: Vec<String>,
    pub(crate) prefix: String,
    pub(crate) status: TokenStatus,
    pub(crate) created_at: String,
    #[serde(default)]
    pub(crate) last_used_at: Option<String>,
    #[serde(default)]
    pub(crate) expires_at: Option<String>,
    #[serde(default)]
    pub(crate) revoked_at: Option<String>,
}

/// One page of `GET /api/tokens`, newest first.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(crate) struct TokenPage {
    pub(crate) tokens: Vec<TokenSummary>,
    pub(crate) total: u64,
    pub(crate) page: u32,
    pub(crate) per_page: u32,
    /// Sent by Startup Hub; a host using the bare router may leave it out.
    #[serde(default)]
    pub(crate) active_count: Option<u32>,
    #[serde(default)]
    pub(crate) max_active: Option<u32>,
}

/// Body of `POST /api/tokens`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct NewToken {
    pub(crate) name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<String>,
    pub(crate) permissions: Vec<String>,
    pub(crate) expires_at: Option<String>,
}

/// The plaintext token. It lives only in component memory: its `Debug` is
/// redacted and its bytes are wiped when the last copy is dropped.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct SecretToken(String);

impl SecretToken {
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretToken(<redacted>)")
    }
}

impl Drop for SecretToken {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<'de> Deserialize<'de> for SecretToken {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

/// The `201` answer of `POST /api/tokens`: the only time the plaintext is seen.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(crate) struct CreatedToken {
    pub(crate) token: SecretToken,
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) prefix: String,
    pub(crate) permissions: Vec<String>,
    #[serde(default)]
    pub(crate) expires_at: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub(crate) enum ProjectStatus {
    Idea,
    Mvp,
    Beta,
    Launched,
    Paused,
}

impl ProjectStatus {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Idea => "Idea",
            Self::Mvp => "MVP",
            Self::Beta => "Beta",
            Self::Launched => "Launched",
            Self::Paused => "Paused",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(crate) struct Project {
    pub(crate) id: String,
    pub(crate) title: String,
    #[serde(default)]
    pub(crate) description: Option<String>,
    #[serde(default)]
    pub(crate) pitch: Option<String>,
    pub(crate) status: ProjectStatus,
    pub(crate) updated_at: String,
}

#[derive(Deserialize)]
pub(super) struct ProjectList {
    pub(super) projects: Vec<Project>,
}

#[derive(Serialize)]
pub(super) struct Credentials<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) name: Option<&'a str>,
    pub(super) email: &'a str,
    pub(super) password: &'a str,
}

/// `{"error", "code", "field"?}`, the body of every error response.
#[derive(Deserialize)]
pub(super) struct ErrorBody {
    pub(super) error: String,
    #[serde(default)]
    pub(super) code: Option<String>,
    #[serde(default)]
    pub(super) field: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_token_debug_is_redacted() {
        let token = SecretToken("sh_live_abcdefghijklmnopqrstuvwxyz012345".to_owned());

        let printed = format!("{token:?}");

        assert!(!printed.contains("sh_live_"), "{printed}");
    }

    #[test]
    fn token_page_parses_the_server_shape() {
        let body = r#"{"tokens":[{"id":"1","name":"CI","description":null,
            "permissions":["read"],"prefix":"sh_live_AbCdEfGhIjKl…","status":"revoked",
            "created_at":"2026-12-03T10:00:00Z","last_used_at":null,"expires_at":null,
            "revoked_at":"2026-12-04T10:00:00Z"}],"total":1,"page":1,"per_page":20}"#;

        let page: TokenPage = serde_json::from_str(body).expect("valid page");

        assert_eq!(page.tokens[0].status, TokenStatus::Revoked);
        assert_eq!(page.active_count, None);
    }
}
