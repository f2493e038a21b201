//! The Startup Hub server, built in-process through its library on a fresh SQLite file
//! and served on a free loopback port, with the built dashboard at `/`.

use std::path::Path;

use startup_hub::{Config, StartupHub};
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running server; dropping it stops serving.
#[derive(Debug)]
pub struct Hub {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
    /// Holds the SQLite file.
    _dir: TempDir,
}

impl Hub {
    /// The password of the seeded demo accounts.
    pub const DEMO_PASSWORD: &'static str = "demo-password-for-browsers";

    /// Builds the app on a fresh database and serves `dashboard` from it.
    ///
    /// # Panics
    ///
    /// When the app cannot be built or the port cannot be bound.
    pub async fn start(dashboard: &Path) -> Hub {
        let dir = tempfile::tempdir().expect("a temporary directory for the database");
        let database_url = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("startup-hub.db").display()
        );
        let dashboard = dashboard.display().to_string();
        let settings = [
            ("BIND_ADDR", "127.0.0.1:0"),
            ("DATABASE_URL", database_url.as_str()),
            ("DEMO_PASSWORD", Self::DEMO_PASSWORD),
            ("DASHBOARD_DIR", dashboard.as_str()),
            // The lowest cost the server accepts keeps creating tokens quick.
            ("BCRYPT_COST", "10"),
        ];
        let config = Config::from_lookup(|name| {
            settings
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        })
        .expect("the test settings are valid");

        let hub = StartupHub::build(&config)
            .await
            .expect("Startup Hub builds on a fresh SQLite database");
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free loopback port");
        let address = listener.local_addr().expect("the bound address");

        let (stop, stopped) = oneshot::channel::<()>();
        let router = hub.router();
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
            if let Err(error) = served {
                eprintln!("Startup Hub stopped serving: {error}");
            }
            hub.shutdown().await;
        });

        Hub {
            base: format!("http://{address}"),
            stop: Some(stop),
            task,
            _dir: dir,
        }
    }

    /// The absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // Open connections (the browser's keep-alive ones) would hold a graceful stop.
        self.task.abort();
    }
}
