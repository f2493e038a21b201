//! Settings of a [`TokenManager`] and the builder that checks them.

use std::sync::Arc;
use std::time::Duration;

use crate::error::ConfigError;
use crate::hash::BcryptCost;
use crate::manager::TokenManager;
use crate::permission::{PermissionSet, is_valid_permission_name};
use crate::record::ExpiryPolicy;
use crate::store::TokenStore;

/// The checked settings of a manager. Read them back with [`TokenManager::config`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ManagerConfig {
    /// Every permission a token may carry, in the host's order.
    pub permissions: Vec<String>,
    /// What a token gets when its creator names no permission.
    pub default_permissions: PermissionSet,
    /// Most active tokens one owner may hold.
    pub max_active: u32,
    /// The bcrypt work factor for new tokens.
    pub bcrypt_cost: BcryptCost,
    /// Expiry besides each token's own date.
    pub expiry: ExpiryPolicy,
    /// Longest lifetime a new token may ask for; tokens created without an expiry date get
    /// this lifetime when it is set.
    pub max_lifetime: Option<Duration>,
    /// Most verified tokens kept in the cache.
    pub cache_capacity: u64,
    /// How long a cached verification is trusted before the record is read again (a cheap
    /// read by id, never a new bcrypt). Bounds how long another process's revocation can
    /// go unnoticed here.
    pub revalidate_after: Duration,
    /// Shortest time between two last-used writes for one token.
    pub last_used_interval: Duration,
    /// Most bcrypt verifications at once, and apart from them, most hashes of new tokens
    /// at once.
    pub hashing_concurrency: usize,
    /// Whether to keep the store's lookup ids in memory and refuse unknown ones without a
    /// read, for stores that can list them
    /// ([`TokenStore::lookup_ids_created_since`]).
    pub lookup_id_filter: bool,
}

/// Builds a [`TokenManager`]; start with [`TokenManager::builder`].
#[derive(Debug)]
#[must_use]
pub struct TokenManagerBuilder {
    store: Arc<dyn TokenStore>,
    config: ManagerConfig,
    error: Option<ConfigError>,
}

impl TokenManagerBuilder {
    pub(crate) fn new(store: Arc<dyn TokenStore>) -> Self {
        // One CPU stays with the async workers, so a burst of cold tokens cannot take
        // every core from the requests that need no bcrypt.
        let hashing_concurrency = std::thread::available_parallelism()
            .map_or(1, |cpus| cpus.get().saturating_sub(1))
            .max(1);
        Self {
            store,
            config: ManagerConfig {
                permissions: vec!["read".into()],
                default_permissions: ["read"].into_iter().collect(),
                max_active: 10,
                bcrypt_cost: BcryptCost::default(),
                expiry: ExpiryPolicy::default(),
                max_lifetime: None,
                cache_capacity: 10_000,
                revalidate_after: Duration::from_secs(30),
                last_used_interval: Duration::from_secs(60),
                hashing_concurrency,
                lookup_id_filter: true,
            },
            error: None,
        }
    }

    /// The permission vocabulary (default: just `read`). Names are 1–64 characters of
    /// `a-z`, `0-9`, `_`, `-`, `.` and `:`.
    pub fn with_permissions<I, S>(mut self, permissions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut names: Vec<String> = Vec::new();
        for name in permissions.into_iter().map(Into::into) {
            if !is_valid_permission_name(&name) {
                self.error.get_or_insert(ConfigError::PermissionName(name));
                continue;
            }
            if !names.contains(&name) {
                names.push(name);
            }
        }
        self.config.permissions = names;
        self
    }

    /// What tokens get when their creator names no permission (default: `read`).
    pub fn with_default_permissions<I, S>(mut self, permissions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.config.default_permissions = permissions.into_iter().collect();
        self
    }

    /// Most active tokens per owner (default 10).
    pub fn with_max_active(mut self, max_active: u32) -> Self {
        self.config.max_active = max_active;
        self
    }

    /// The bcrypt cost of new tokens (default 12).
    pub fn with_bcrypt_cost(mut self, cost: BcryptCost) -> Self {
        self.config.bcrypt_cost = cost;
        self
    }

    /// Expire tokens unused for `period` (default 90 days); `None` switches it off.
    pub fn with_inactivity_expiry(mut self, period: Option<Duration>) -> Self {
        self.config.expiry.inactivity = period;
        self
    }

    /// The longest lifetime a token may have (default: unlimited).
    pub fn with_max_lifetime(mut self, lifetime: Option<Duration>) -> Self {
        self.config.max_lifetime = lifetime;
        self
    }

    /// Most verified tokens kept in memory (default 10,000).
    pub fn with_cache_capacity(mut self, capacity: u64) -> Self {
        self.config.cache_capacity = capacity;
        self
    }

    /// How long a cached verification is trusted before its record is read again
    /// (default 30 s).
    pub fn with_revalidate_after(mut self, interval: Duration) -> Self {
        self.config.revalidate_after = interval;
        self
    }

    /// Shortest time between two last-used writes for one token (default 60 s).
    pub fn with_last_used_interval(mut self, interval: Duration) -> Self {
        self.config.last_used_interval = interval;
        self
    }

    /// Most bcrypt verifications at once (default: one fewer than the CPUs, at least one).
    ///
    /// Each runs on its own thread of Tokio's blocking pool and keeps a CPU busy for as
    /// long as a bcrypt takes (about a quarter of a second at cost 12). The default leaves
    /// one CPU to the async workers, so requests that need no bcrypt keep their latency
    /// during a burst of first uses; raising it to the number of CPUs verifies such a
    /// burst faster at the price of that latency.
    ///
    /// Hashing a new token in [`TokenManager::create`] has a lane of its own with the same
    /// limit, so wrong tokens sent in bulk (whose bcrypt verifications queue up) never
    /// hold up creation; while both lanes are busy, twice the limit runs at once.
    pub fn with_hashing_concurrency(mut self, limit: usize) -> Self {
        self.config.hashing_concurrency = limit.max(1);
        self
    }

    /// Whether to refuse unknown lookup ids from an in-memory set instead of a store read
    /// (default: on, for stores that can list their lookup ids).
    ///
    /// The set is loaded at the first verification that misses the cache and costs
    /// 15–30 bytes per stored token (at most 30 MB for a million). A lookup id it lacks
    /// is refused at once if the store's [`data_version`](crate::TokenStore::data_version)
    /// shows that nothing was inserted since the set was last read (the in-memory store
    /// and SQLite files keep one); otherwise it is looked for again in the store, among
    /// the tokens created in the last few minutes, before the token is refused. Either
    /// way tokens created by other processes work at once; processes sharing a store must
    /// keep their clocks within a few minutes of each other.
    pub fn with_lookup_id_filter(mut self, enabled: bool) -> Self {
        self.config.lookup_id_filter = enabled;
        self
    }

    /// Checks the settings and builds the manager. Needs no runtime; background work
    /// starts on the runtime of the first request.
    ///
    /// # Errors
    ///
    /// The first [`ConfigError`] among the settings given.
    pub fn build(self) -> Result<TokenManager, ConfigError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let config = self.config;
        let defaults_known = config
            .default_permissions
            .iter()
            .all(|p| config.permissions.iter().any(|v| v == p));
        if config.default_permissions.is_empty() || !defaults_known {
            return Err(ConfigError::DefaultPermissions);
        }
        if config.max_active == 0 {
            return Err(ConfigError::MaxActive);
        }
        Ok(TokenManager::from_parts(self.store, config))
    }
}
