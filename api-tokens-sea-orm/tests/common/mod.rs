//! Fresh databases for each test, and the scenarios every backend runs.
//!
//! Each test gets a database of its own: a temporary SQLite file, or a new PostgreSQL or
//! MySQL/MariaDB database named `api_tokens_test_<uuid>` that is dropped when the test
//! ends, passed or failed. Server URLs come from `API_TOKENS_TEST_POSTGRES_URL` and
//! `API_TOKENS_TEST_MYSQL_URL`. An unreachable server skips the test with a printed
//! reason, unless `API_TOKENS_REQUIRE_DATABASES=1`, which makes it fail.

#![allow(dead_code, unreachable_pub)]

pub mod proxy;
pub mod scenarios;

use std::path::PathBuf;
use std::time::Duration;

use api_tokens::{BcryptCost, TokenManager, TokenManagerBuilder, TokenRecord, TokenStore};
use api_tokens_sea_orm::{SeaOrmTokenStore, connect_options};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use uuid::Uuid;

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const DEFAULT_MYSQL_URL: &str = "mysql://root@127.0.0.1:3306/test";

/// The server behind a [`TestDb`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
    MySql,
}

/// A database that exists for one test, with the store's tables migrated.
pub struct TestDb {
    pub backend: Backend,
    /// The URL of this test's database.
    pub url: String,
    pub store: SeaOrmTokenStore,
    /// Declared last, so it runs after the store's pool is dropped.
    _cleanup: Cleanup,
}

/// Removes a test's database when dropped.
enum Cleanup {
    Directory(PathBuf),
    Database {
        backend: Backend,
        admin_url: String,
        name: String,
    },
}

impl TestDb {
    /// A new SQLite database in a file of its own.
    pub async fn sqlite() -> Self {
        let dir = std::env::temp_dir().join(format!("api-tokens-test-{}", Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        let url = format!("sqlite://{}", dir.join("tokens.db").display());

        Self::open(Backend::Sqlite, url, Cleanup::Directory(dir)).await
    }

    /// A new PostgreSQL database, or `None` when the server is unreachable.
    pub async fn postgres() -> Option<Self> {
        Self::server(Backend::Postgres).await
    }

    /// A new MySQL/MariaDB database, or `None` when the server is unreachable.
    pub async fn mysql() -> Option<Self> {
        Self::server(Backend::MySql).await
    }

    async fn server(backend: Backend) -> Option<Self> {
        let (label, variable, default) = match backend {
            Backend::Postgres => (
                "PostgreSQL",
                "API_TOKENS_TEST_POSTGRES_URL",
                DEFAULT_POSTGRES_URL,
            ),
            Backend::MySql => ("MySQL", "API_TOKENS_TEST_MYSQL_URL", DEFAULT_MYSQL_URL),
            Backend::Sqlite => unreachable!("SQLite needs no server"),
        };
        let admin_url = std::env::var(variable).unwrap_or_else(|_| default.to_owned());
        let admin = match connect_quickly(&admin_url).await {
            Ok(admin) => admin,
            Err(error) => {
                let reason = format!("{label} not reachable at {admin_url} ({error})");
                if std::env::var("API_TOKENS_REQUIRE_DATABASES").as_deref() == Ok("1") {
                    panic!("{reason}; API_TOKENS_REQUIRE_DATABASES=1 requires it");
                }
                eprintln!("skipped: {reason}");
                return None;
            }
        };

        let name = format!("api_tokens_test_{}", Uuid::now_v7().simple());
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create the test database");
        admin.close().await.expect("close the admin connection");
        let url = with_database(&admin_url, &name);
        let cleanup = Cleanup::Database {
            backend,
            admin_url,
            name,
        };
        Some(Self::open(backend, url, cleanup).await)
    }

    async fn open(backend: Backend, url: String, cleanup: Cleanup) -> Self {
        // A panic below drops `cleanup`, which still removes what was created.
        let store = SeaOrmTokenStore::connect(&url)
            .await
            .expect("connect to the test database");
        api_tokens_sea_orm::migrate(store.connection())
            .await
            .expect("migrate the test database");
        Self {
            backend,
            url,
            store,
            _cleanup: cleanup,
        }
    }

    /// The stored record of token `id`, which must exist.
    pub async fn store_record(&self, id: Uuid) -> TokenRecord {
        self.store
            .find_by_id(id)
            .await
            .expect("find_by_id")
            .expect("the token exists")
    }

    /// Another store (its own pool) on this test's database.
    pub async fn another_store(&self) -> SeaOrmTokenStore {
        SeaOrmTokenStore::connect(&self.url)
            .await
            .expect("connect a second store")
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        match self {
            Cleanup::Directory(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Database {
                backend,
                admin_url,
                name,
            } => {
                let drop = match backend {
                    Backend::Postgres => format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                    _ => format!("DROP DATABASE IF EXISTS {name}"),
                };
                let admin_url = admin_url.clone();
                // Drop runs inside the test's runtime, which cannot be blocked on; a thread
                // with a runtime of its own can.
                let dropped = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()?;
                    runtime.block_on(async {
                        let admin = connect_quickly(&admin_url).await?;
                        admin.execute_unprepared(&drop).await?;
                        admin.close().await?;
                        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
                    })
                })
                .join();
                if !matches!(dropped, Ok(Ok(()))) {
                    eprintln!("could not drop test database {name}: {dropped:?}");
                }
            }
        }
    }
}

/// One connection that gives up after two seconds.
async fn connect_quickly(url: &str) -> Result<DatabaseConnection, sea_orm::DbErr> {
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(2))
        .sqlx_logging(false);
    Database::connect(options).await
}

/// `url` with its path replaced by `/database`.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_end = base
        .find("://")
        .map(|scheme| scheme + 3)
        .and_then(|start| base[start..].find('/').map(|slash| start + slash))
        .unwrap_or(base.len());
    let mut result = format!("{}/{database}", &base[..authority_end]);
    if let Some(query) = query {
        result.push('?');
        result.push_str(query);
    }
    result
}

/// A manager builder over `store` with cheap hashing and Startup Hub's permissions.
pub fn manager(store: SeaOrmTokenStore) -> TokenManagerBuilder {
    TokenManager::builder(store)
        .with_bcrypt_cost(BcryptCost::insecure_for_tests(4))
        .with_permissions(["read", "create", "update", "delete"])
}

/// Connection settings for `url` that give up quickly, for outage tests.
pub fn impatient_options(url: &str) -> ConnectOptions {
    let mut options = connect_options(url);
    options.acquire_timeout(Duration::from_millis(800));
    options
}
