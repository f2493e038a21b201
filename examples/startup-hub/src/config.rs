//! Settings read from the environment, with the defaults a local run needs.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the dashboard build lands when `scripts/build-dashboard` runs in a checkout.
const BUILT_DASHBOARD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../dashboard-yew/dist");

/// Everything Startup Hub can be configured with.
#[derive(Clone)]
#[non_exhaustive]
pub struct Config {
    /// `BIND_ADDR`: where to listen (default `127.0.0.1:8080`).
    pub bind_addr: SocketAddr,
    /// `DATABASE_URL`: `sqlite://…`, `postgres://…` or `mysql://…` (default an SQLite file
    /// in the working directory).
    pub database_url: String,
    /// `RATE_LIMIT_PER_MINUTE`: requests per token per minute on the agents' API and
    /// `/mcp` together (default 100); `0` switches the limit off.
    pub rate_limit_per_minute: u32,
    /// `DEMO_PASSWORD`: the password of the seeded demo accounts.
    pub demo_password: String,
    /// `DASHBOARD_DIR`: the built dashboard to serve.
    pub dashboard_dir: PathBuf,
    /// `BCRYPT_COST`: the bcrypt work factor of new tokens (default 12, at least 10).
    pub bcrypt_cost: u32,
    /// `LAST_USED_INTERVAL_SECS`: shortest time between two last-used writes of one token
    /// (default 60).
    pub last_used_interval: Duration,
}

/// A setting that could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A variable holds something of the wrong shape.
    #[error("{name} is not valid: {reason}")]
    Invalid {
        /// The variable.
        name: &'static str,
        /// What is wrong, without repeating the value.
        reason: String,
    },
}

impl Config {
    /// The default demo password; the startup log warns when it is in use.
    pub const DEFAULT_DEMO_PASSWORD: &'static str = "demo-password";

    /// Reads the settings from the process environment.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] naming the first variable that cannot be used.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup`, which returns a variable's value if it is set.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] naming the first variable that cannot be used.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());

        let bind_addr = parse("BIND_ADDR", get("BIND_ADDR"), "127.0.0.1:8080".parse().ok())?;
        let database_url =
            get("DATABASE_URL").unwrap_or_else(|| "sqlite://startup-hub.db?mode=rwc".to_owned());
        let rate_limit_per_minute = parse(
            "RATE_LIMIT_PER_MINUTE",
            get("RATE_LIMIT_PER_MINUTE"),
            Some(100),
        )?;
        let demo_password =
            get("DEMO_PASSWORD").unwrap_or_else(|| Self::DEFAULT_DEMO_PASSWORD.to_owned());
        let dashboard_dir = get("DASHBOARD_DIR").map_or_else(default_dashboard_dir, PathBuf::from);
        let bcrypt_cost = parse("BCRYPT_COST", get("BCRYPT_COST"), Some(12))?;
        let last_used_secs = parse(
            "LAST_USED_INTERVAL_SECS",
            get("LAST_USED_INTERVAL_SECS"),
            Some(60),
        )?;

        if !(10..=31).contains(&bcrypt_cost) {
            return Err(ConfigError::Invalid {
                name: "BCRYPT_COST",
                reason: "must be between 10 and 31".into(),
            });
        }
        if demo_password.chars().count() < crate::accounts::MIN_PASSWORD_CHARS {
            return Err(ConfigError::Invalid {
                name: "DEMO_PASSWORD",
                reason: format!(
                    "must be at least {} characters",
                    crate::accounts::MIN_PASSWORD_CHARS
                ),
            });
        }

        Ok(Self {
            bind_addr,
            database_url,
            rate_limit_per_minute,
            demo_password,
            dashboard_dir,
            bcrypt_cost,
            last_used_interval: Duration::from_secs(last_used_secs),
        })
    }

    /// Whether the demo accounts use the published default password.
    pub fn uses_default_demo_password(&self) -> bool {
        self.demo_password == Self::DEFAULT_DEMO_PASSWORD
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("bind_addr", &self.bind_addr)
            .field("database_url", &redact_url(&self.database_url))
            .field("rate_limit_per_minute", &self.rate_limit_per_minute)
            .field("demo_password", &"<redacted>")
            .field("dashboard_dir", &self.dashboard_dir)
            .field("bcrypt_cost", &self.bcrypt_cost)
            .field("last_used_interval", &self.last_used_interval)
            .finish()
    }
}

/// The database URL with any password replaced, for logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}{path}")
        }
        None => url.to_owned(),
    }
}

fn parse<T: std::str::FromStr>(
    name: &'static str,
    value: Option<String>,
    default: Option<T>,
) -> Result<T, ConfigError>
where
    T::Err: fmt::Display,
{
    match value {
        Some(value) => value
            .trim()
            .parse()
            .map_err(|error: T::Err| ConfigError::Invalid {
                name,
                reason: error.to_string(),
            }),
        None => default.ok_or_else(|| ConfigError::Invalid {
            name,
            reason: "is required".into(),
        }),
    }
}

/// The dashboard built in this checkout if it is there, else `dashboard-yew/dist` under the
/// working directory.
fn default_dashboard_dir() -> PathBuf {
    let built = Path::new(BUILT_DASHBOARD);
    if built.is_dir() {
        return built.canonicalize().unwrap_or_else(|_| built.to_owned());
    }
    PathBuf::from("dashboard-yew/dist")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_lookup(|name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        })
    }

    #[test]
    fn defaults_suit_a_local_run() {
        let config = config(&[]).expect("defaults are valid");

        assert_eq!(config.bind_addr.to_string(), "127.0.0.1:8080");
        assert_eq!(config.database_url, "sqlite://startup-hub.db?mode=rwc");
        assert_eq!(config.rate_limit_per_minute, 100);
        assert_eq!(config.bcrypt_cost, 12);
        assert_eq!(config.last_used_interval, Duration::from_secs(60));
        assert!(config.uses_default_demo_password());
    }

    #[test]
    fn bcrypt_cost_below_ten_is_refused() {
        let error = config(&[("BCRYPT_COST", "4")]).expect_err("cost 4 is too low");

        assert!(error.to_string().contains("BCRYPT_COST"));
    }

    #[test]
    fn malformed_numbers_name_their_variable() {
        let error = config(&[("RATE_LIMIT_PER_MINUTE", "lots")]).expect_err("not a number");

        assert!(error.to_string().starts_with("RATE_LIMIT_PER_MINUTE"));
    }

    #[test]
    fn debug_hides_the_demo_password_and_database_password() {
        let config = config(&[
            ("DEMO_PASSWORD", "correct horse battery"),
            ("DATABASE_URL", "postgres://hub:s3cret@db.internal/hub"),
        ])
        .expect("valid settings");

        let printed = format!("{config:?}");

        assert!(!printed.contains("correct horse"));
        assert!(!printed.contains("s3cret"));
        assert!(printed.contains("postgres://hub:***@db.internal/hub"));
    }
}
