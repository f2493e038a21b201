//! The whole flow on PostgreSQL and MariaDB, each in a database created for the run.

use std::future::Future;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

use crate::harness::{Options, Server};
use crate::{accounts, agents, isolation, mcp, revocation};

/// Every scenario of the SQLite tests, one after the other on one server.
pub(crate) async fn whole_flow(server: &Server) -> Vec<String> {
    let mut secrets = Vec::new();
    accounts::anonymous_scenario(server).await;
    accounts::signup_scenario(server).await;
    accounts::signup_errors_scenario(server).await;
    agents::refusals_scenario(server).await;
    secrets.extend(agents::permissions_scenario(server).await);
    secrets.extend(mcp::tools_scenario(server).await);
    secrets.extend(mcp::refusals_scenario(server).await);
    secrets.extend(isolation::scenario(server).await);
    secrets.extend(revocation::scenario(server).await);
    secrets
}

/// A database made for one test on a shared server, dropped afterwards.
struct ScratchDatabase {
    admin: DatabaseConnection,
    name: String,
    url: String,
    drop_sql: String,
}

impl ScratchDatabase {
    /// Creates `startup_hub_test_<random>` through `admin_url`. `None` (after saying why)
    /// when the server is unreachable and databases are not required.
    async fn create(kind: &str, admin_url: &str, url_for: impl Fn(&str) -> String) -> Option<Self> {
        let admin = match Database::connect(admin_url).await {
            Ok(admin) => admin,
            Err(error) => {
                let reason = format!("{kind} at {admin_url} is unreachable: {error}");
                if std::env::var("API_TOKENS_REQUIRE_DATABASES").as_deref() == Ok("1") {
                    panic!("{reason} (API_TOKENS_REQUIRE_DATABASES=1)");
                }
                eprintln!("skipped: {reason}");
                return None;
            }
        };
        let name = format!("startup_hub_test_{}", uuid::Uuid::now_v7().simple());
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("the test database is created");
        let drop_sql = if kind == "PostgreSQL" {
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        } else {
            format!("DROP DATABASE IF EXISTS {name}")
        };
        Some(Self {
            url: url_for(&name),
            admin,
            name,
            drop_sql,
        })
    }

    /// Runs `test` with the database's URL, then drops the database even if `test` panicked.
    async fn run<F, Fut>(self, test: F)
    where
        F: FnOnce(String) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let outcome = tokio::spawn(test(self.url.clone())).await;

        if let Err(error) = self.admin.execute_unprepared(&self.drop_sql).await {
            eprintln!("could not drop {}: {error}", self.name);
        }
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic.into_panic());
        }
    }
}

fn with_database(url: &str, name: &str) -> String {
    let (server, _) = url.rsplit_once('/').unwrap_or((url, ""));
    format!("{server}/{name}")
}

async fn flow_on(database_url: String) {
    let server = Server::start_with(Options {
        database_url: Some(database_url),
        ..Options::default()
    })
    .await;

    whole_flow(&server).await;

    // A restart on the same database keeps accounts and tokens.
    let (_, server) = server.restart().await;
    let ada = server.browser();
    ada.login_demo("ada@example.com").await;
    assert!(!ada.tokens().await.is_empty());
}

#[tokio::test]
async fn tc_token_110_the_whole_flow_passes_on_postgresql() {
    let admin_url = std::env::var("API_TOKENS_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let Some(database) = ScratchDatabase::create("PostgreSQL", &admin_url, |name| {
        with_database(&admin_url, name)
    })
    .await
    else {
        return;
    };

    database.run(flow_on).await;
}

#[tokio::test]
async fn tc_token_111_the_whole_flow_passes_on_mariadb() {
    let admin_url = std::env::var("API_TOKENS_TEST_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into());
    let Some(database) = ScratchDatabase::create("MariaDB", &admin_url, |name| {
        with_database(&admin_url, name)
    })
    .await
    else {
        return;
    };

    database.run(flow_on).await;
}
