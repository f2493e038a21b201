//! What a store keeps about a token, and the status derived from it.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::hash::TokenHash;
use crate::permission::PermissionSet;
use crate::token::display_prefix;

/// A stored token: everything but the plaintext, which is never kept.
///
/// The `hash` field prints as `<redacted>` in `Debug`, and the type is not `Serialize`, so
/// it cannot end up in a response by accident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRecord {
    /// UUID v7: sorts by creation time.
    pub id: Uuid,
    /// The owner, an opaque string chosen by the host (usually its user id).
    pub owner_id: String,
    /// The name the owner gave the token, trimmed, kept byte for byte otherwise.
    pub name: String,
    /// An optional short note shown under the name.
    pub description: Option<String>,
    /// What the token may do.
    pub permissions: PermissionSet,
    /// The clear, unique, indexed part of the token used to find its record.
    pub lookup_id: String,
    /// The bcrypt hash of the whole token.
    pub hash: TokenHash,
    /// When the token was created.
    pub created_at: DateTime<Utc>,
    /// When the token last authenticated a request, as far as the store has been told.
    pub last_used_at: Option<DateTime<Utc>>,
    /// When the token stops working, if ever.
    pub expires_at: Option<DateTime<Utc>>,
    /// When the token was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl TokenRecord {
    /// The masked form shown after creation: `sh_live_` + lookup id + `…`.
    pub fn display_prefix(&self) -> String {
        display_prefix(&self.lookup_id)
    }

    /// The status at `now` under `policy`.
    pub fn status(&self, policy: &ExpiryPolicy, now: DateTime<Utc>) -> TokenStatus {
        policy.status(
            self.created_at,
            self.last_used_at,
            self.expires_at,
            self.revoked_at,
            now,
        )
    }
}

/// The status of a token, derived from its timestamps; never stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenStatus {
    /// Works.
    Active,
    /// Revoked by its owner. Revocation is final.
    Revoked,
    /// Past its expiry date, or unused for longer than the inactivity period.
    Expired,
}

impl fmt::Display for TokenStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Active => "active",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
        })
    }
}

/// When tokens expire besides their own `expires_at`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExpiryPolicy {
    /// A token unused for this long (counted from creation when never used) is expired.
    /// `None` switches inactivity expiry off.
    pub inactivity: Option<Duration>,
}

impl Default for ExpiryPolicy {
    /// Tokens expire after 90 days without use.
    fn default() -> Self {
        Self {
            inactivity: Some(Duration::from_secs(90 * 24 * 60 * 60)),
        }
    }
}

impl ExpiryPolicy {
    /// The status of a token with these timestamps at `now`.
    pub fn status(
        &self,
        created_at: DateTime<Utc>,
        last_used_at: Option<DateTime<Utc>>,
        expires_at: Option<DateTime<Utc>>,
        revoked_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> TokenStatus {
        if revoked_at.is_some() {
            return TokenStatus::Revoked;
        }
        if expires_at.is_some_and(|at| at <= now) {
            return TokenStatus::Expired;
        }

        let last_seen = last_used_at.map_or(created_at, |used| used.max(created_at));
        match self.inactive_before(now) {
            Some(cutoff) if last_seen <= cutoff => TokenStatus::Expired,
            _ => TokenStatus::Active,
        }
    }

    /// Tokens last seen at or before the returned instant count as inactive.
    pub fn inactive_before(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let period = chrono::Duration::from_std(self.inactivity?).ok()?;
        now.checked_sub_signed(period)
    }

    /// The filter a store applies to count active tokens at `now`.
    pub fn active_filter(&self, now: DateTime<Utc>) -> ActiveFilter {
        ActiveFilter {
            now,
            inactive_before: self.inactive_before(now),
        }
    }
}

/// Which tokens count as active, in terms a store can turn into a query.
///
/// A token is active when `revoked_at` is unset, `expires_at` is unset or later than
/// `now`, and, when `inactive_before` is set, the later of `last_used_at` and `created_at`
/// is later than `inactive_before`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActiveFilter {
    /// The instant the check is made at.
    pub now: DateTime<Utc>,
    /// Tokens last seen at or before this instant are inactive.
    pub inactive_before: Option<DateTime<Utc>>,
}

impl ActiveFilter {
    /// Whether `record` is active under this filter; stores that filter in memory use it.
    pub fn matches(&self, record: &TokenRecord) -> bool {
        let last_seen = record
            .last_used_at
            .map_or(record.created_at, |u| u.max(record.created_at));
        record.revoked_at.is_none()
            && record.expires_at.is_none_or(|at| at > self.now)
            && self.inactive_before.is_none_or(|cutoff| last_seen > cutoff)
    }
}

/// A page of an owner's tokens, newest first.
#[derive(Clone, Debug)]
pub struct TokenPage {
    /// The tokens on this page.
    pub tokens: Vec<TokenRecord>,
    /// How many tokens the owner has in all, revoked and expired ones included.
    pub total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, 0).expect("valid timestamp")
    }

    #[test]
    fn status_follows_revocation_expiry_and_inactivity() {
        let policy = ExpiryPolicy {
            inactivity: Some(Duration::from_secs(100)),
        };

        assert_eq!(
            policy.status(at(0), None, None, None, at(50)),
            TokenStatus::Active
        );
        assert_eq!(
            policy.status(at(0), None, None, None, at(100)),
            TokenStatus::Expired
        );
        assert_eq!(
            policy.status(at(0), Some(at(90)), None, None, at(150)),
            TokenStatus::Active
        );
        assert_eq!(
            policy.status(at(0), None, Some(at(40)), None, at(50)),
            TokenStatus::Expired
        );
        assert_eq!(
            policy.status(at(0), None, None, Some(at(1)), at(2)),
            TokenStatus::Revoked
        );

        let off = ExpiryPolicy { inactivity: None };
        assert_eq!(
            off.status(at(0), None, None, None, at(1_000_000)),
            TokenStatus::Active
        );
    }
}
