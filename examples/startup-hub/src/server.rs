//! Running the server: bind, say where to open it, serve until a signal, shut down cleanly.

use std::future::Future;

use tokio::net::TcpListener;

use crate::{Config, StartupHub, accounts};

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// A setting is unusable.
    #[error(transparent)]
    Config(#[from] crate::ConfigError),
    /// The token manager refused its settings.
    #[error("token settings: {0}")]
    Tokens(#[from] api_tokens::ConfigError),
    /// The database is unreachable.
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    /// The schema could not be brought up to date.
    #[error("migrations: {0}")]
    Migrate(#[from] crate::db::MigrateError),
    /// A demo account could not be created.
    #[error("demo accounts: {0}")]
    Seed(#[from] accounts::CreateUserError),
    /// Binding or serving failed.
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// Serves Startup Hub until `shutdown` completes, then stops accepting connections, lets
/// requests in flight finish, ends MCP event streams and writes pending last-used times.
///
/// # Errors
///
/// [`StartError`] when the app cannot be built, the address cannot be bound or serving
/// fails.
pub async fn serve(
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let hub = StartupHub::build(&config).await?;
    let listener = TcpListener::bind(config.bind_addr).await?;
    let address = listener.local_addr()?;
    announce(&config, address);

    let streams = hub.clone();
    // The client's address keys the sign-in throttle.
    let app = hub
        .router()
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("shutting down: finishing requests in flight");
            streams.close_streams();
        })
        .await?;

    hub.shutdown().await;
    tracing::info!("stopped; pending last-used times written");
    Ok(())
}

/// Completes on Ctrl-C or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };

    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// Says where to open the app and how to sign in.
fn announce(config: &Config, address: std::net::SocketAddr) {
    let shown = if address.ip().is_unspecified() {
        format!("http://127.0.0.1:{}", address.port())
    } else {
        format!("http://{address}")
    };
    let accounts = accounts::DEMO_ACCOUNTS
        .iter()
        .map(|(_, email)| *email)
        .collect::<Vec<_>>()
        .join(" or ");

    tracing::info!(
        database = %crate::config::redact_url(&config.database_url),
        rate_limit_per_minute = config.rate_limit_per_minute,
        "Startup Hub is listening on {address}"
    );
    tracing::warn!("sessions are kept in memory; a restart signs everyone out");
    println!();
    println!("  Startup Hub is running. Open {shown}");
    println!(
        "  Sign in as {accounts} with the password \"{}\"",
        config.demo_password
    );
    println!();
    if config.uses_default_demo_password() {
        tracing::warn!(
            "the demo accounts use the published default password; set DEMO_PASSWORD \
             before exposing this server to anyone"
        );
    } else {
        tracing::warn!("the demo password is printed above; keep this log private");
    }
}
