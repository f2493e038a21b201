//! The JSON bodies of the token routes.
//!
//! Instants are written as RFC 3339 in UTC with whole seconds and a `Z`
//! (`2029-12-31T18:30:00Z`); absent ones are `null`, never left out. Request instants may
//! carry any offset.

use std::fmt;

use api_tokens::{CreatedToken, NewToken, TokenManager, TokenRecord};
use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The body of `POST /api/tokens`. Any other field, such as a `user_id`, is ignored.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "name": "CI deploy",
    "description": "Production",
    "permissions": ["read", "update"],
    "expires_at": "2030-01-01T00:00:00+05:30"
}))]
pub struct CreateTokenRequest {
    /// 1–100 characters after trimming, no control characters.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 100)]
    pub name: String,
    /// A short note shown under the name, at most 100 characters.
    #[schema(max_length = 100)]
    pub description: Option<String>,
    /// Permissions from the vocabulary of `GET /api/tokens/policy`; omitted or `null`
    /// means the default permissions, an empty list is refused.
    #[schema(min_items = 1)]
    pub permissions: Option<Vec<String>>,
    /// When the token stops working: RFC 3339 with any offset, in the future. Fractions
    /// of a second are dropped. Omitted or `null`: never.
    pub expires_at: Option<DateTime<Utc>>,
}

impl CreateTokenRequest {
    /// The manager's form of this request.
    pub fn into_new_token(self) -> NewToken {
        let mut new = NewToken::named(self.name);
        new.description = self.description;
        new.permissions = self.permissions;
        new.expires_at = self.expires_at.map(|at| at.trunc_subsecs(0));
        new
    }
}

/// Where a token stands now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TokenStatus {
    /// Works.
    Active,
    /// Revoked by its owner; the record stays for the audit trail.
    Revoked,
    /// Past its expiry date, or unused for longer than the inactivity period.
    Expired,
}

impl From<api_tokens::TokenStatus> for TokenStatus {
    fn from(status: api_tokens::TokenStatus) -> Self {
        match status {
            api_tokens::TokenStatus::Active => Self::Active,
            api_tokens::TokenStatus::Revoked => Self::Revoked,
            api_tokens::TokenStatus::Expired => Self::Expired,
        }
    }
}

/// The 201 body of `POST /api/tokens`: the only response that ever holds the plaintext.
#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct CreatedTokenResponse {
    /// The token to present as `Authorization: Bearer …`. Shown this once; only a hash
    /// is kept.
    #[schema(
        example = "sh_live_AbCdEfGhIjKlMnOpQrStUvWxYz012345",
        pattern = "^sh_live_[A-Za-z0-9]{32}$"
    )]
    pub token: String,
    /// The token's id.
    pub id: Uuid,
    /// The token's name.
    pub name: String,
    /// The token's description.
    #[schema(required = true)]
    pub description: Option<String>,
    /// The token's permissions, sorted.
    pub permissions: Vec<String>,
    /// The masked form shown from now on: `sh_live_` + lookup id + `…`.
    #[schema(example = "sh_live_AbCdEfGhIjKl…")]
    pub prefix: String,
    /// Always `active` for a new token.
    pub status: TokenStatus,
    /// When the token was created.
    #[serde(serialize_with = "rfc3339::instant")]
    pub created_at: DateTime<Utc>,
    /// When the token stops working, or `null` for never.
    #[serde(serialize_with = "rfc3339::optional")]
    #[schema(required = true)]
    pub expires_at: Option<DateTime<Utc>>,
}

impl CreatedTokenResponse {
    /// The response for a token `manager` just created.
    pub fn new(manager: &TokenManager, created: &CreatedToken) -> Self {
        let record = &created.record;
        Self {
            token: created.token.expose_secret().to_owned(),
            id: record.id,
            name: record.name.clone(),
            description: record.description.clone(),
            permissions: permissions(record),
            prefix: record.display_prefix(),
            status: manager.status(record).into(),
            created_at: record.created_at,
            expires_at: record.expires_at,
        }
    }
}

/// Prints the display prefix in place of the plaintext.
impl fmt::Debug for CreatedTokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedTokenResponse")
            .field("token", &self.prefix)
            .field("id", &self.id)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// A token as listed: everything but secret material.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    /// The token's id (UUID v7).
    pub id: Uuid,
    /// The token's name, byte for byte as created (trimmed).
    pub name: String,
    /// The token's description.
    #[schema(required = true)]
    pub description: Option<String>,
    /// The token's permissions, sorted.
    pub permissions: Vec<String>,
    /// The masked form: `sh_live_` + lookup id + `…`.
    #[schema(example = "sh_live_AbCdEfGhIjKl…")]
    pub prefix: String,
    /// Active, revoked or expired, as of this response.
    pub status: TokenStatus,
    /// When the token was created.
    #[serde(serialize_with = "rfc3339::instant")]
    pub created_at: DateTime<Utc>,
    /// When the token last authenticated a request, or `null` if never.
    #[serde(serialize_with = "rfc3339::optional")]
    #[schema(required = true)]
    pub last_used_at: Option<DateTime<Utc>>,
    /// When the token stops working, or `null` for never.
    #[serde(serialize_with = "rfc3339::optional")]
    #[schema(required = true)]
    pub expires_at: Option<DateTime<Utc>>,
    /// When the token was revoked, or `null`.
    #[serde(serialize_with = "rfc3339::optional")]
    #[schema(required = true)]
    pub revoked_at: Option<DateTime<Utc>>,
}

impl TokenResponse {
    /// The listed form of `record`, with its status under `manager`'s policy.
    pub fn new(manager: &TokenManager, record: &TokenRecord) -> Self {
        Self {
            id: record.id,
            name: record.name.clone(),
            description: record.description.clone(),
            permissions: permissions(record),
            prefix: record.display_prefix(),
            status: manager.status(record).into(),
            created_at: record.created_at,
            last_used_at: record.last_used_at,
            expires_at: record.expires_at,
            revoked_at: record.revoked_at,
        }
    }
}

/// The query of `GET /api/tokens`. Any other parameter, such as a `user_id`, is ignored.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListTokensQuery {
    /// The page, from 1 (default 1).
    #[param(minimum = 1, default = 1)]
    pub page: Option<u64>,
    /// Tokens per page, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<u64>,
}

/// The 200 body of `GET /api/tokens`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TokenListResponse {
    /// This page of the owner's tokens, newest first, revoked and expired ones included.
    pub tokens: Vec<TokenResponse>,
    /// How many tokens the owner has in all.
    pub total: u64,
    /// This page's number, from 1.
    pub page: u64,
    /// The page size asked for.
    pub per_page: u64,
    /// How many of the owner's tokens are active now.
    pub active_count: u64,
    /// The most active tokens an owner may hold.
    pub max_active: u32,
}

/// The 200 body of `GET /api/tokens/policy`: the rules a client needs to render a form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "permissions": ["read", "create", "update", "delete"],
    "default_permissions": ["read"],
    "max_active": 10,
    "inactivity_days": 90
}))]
pub struct TokenPolicyResponse {
    /// Every permission a token may carry, in the host's order.
    pub permissions: Vec<String>,
    /// What a token gets when its creator names none, sorted.
    pub default_permissions: Vec<String>,
    /// The most active tokens an owner may hold.
    pub max_active: u32,
    /// Days without use after which a token expires (rounded up to whole days), or
    /// `null` when tokens never expire from inactivity.
    #[schema(required = true)]
    pub inactivity_days: Option<u64>,
}

impl TokenPolicyResponse {
    /// The policy `manager` enforces.
    pub fn new(manager: &TokenManager) -> Self {
        const DAY_SECS: u64 = 24 * 60 * 60;
        let config = manager.config();
        let inactivity_days = config.expiry.inactivity.map(|period| {
            let secs = period.as_secs() + u64::from(period.subsec_nanos() > 0);
            secs.div_ceil(DAY_SECS)
        });
        Self {
            permissions: config.permissions.clone(),
            default_permissions: config
                .default_permissions
                .iter()
                .map(str::to_owned)
                .collect(),
            max_active: config.max_active,
            inactivity_days,
        }
    }
}

fn permissions(record: &TokenRecord) -> Vec<String> {
    record.permissions.iter().map(str::to_owned).collect()
}

/// RFC 3339 in UTC with whole seconds and `Z`, the one format every response uses.
mod rfc3339 {
    use chrono::{DateTime, SecondsFormat, Utc};
    use serde::Serializer;

    pub(super) fn instant<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&at.to_rfc3339_opts(SecondsFormat::Secs, true))
    }

    pub(super) fn optional<S: Serializer>(
        at: &Option<DateTime<Utc>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => instant(at, s),
            None => s.serialize_none(),
        }
    }
}
