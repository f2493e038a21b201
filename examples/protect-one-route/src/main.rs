//! The smallest useful api-tokens setup: a tiny axum service whose `/api/secret` route
//! needs a personal API token, with tokens stored in SQLite.
//!
//! Run it with `cargo run -p protect-one-route`, then paste the `curl` line it prints.
//! Settings: `BIND_ADDR` (default `127.0.0.1:3000`) and `DATABASE_URL` (default
//! `sqlite://protect-one-route.db?mode=rwc`).

use std::error::Error;

use api_tokens::{ApiTokenLayer, AuthenticatedToken, NewToken, TokenManager};
use api_tokens_sea_orm::SeaOrmTokenStore;
use axum::routing::get;
use axum::{Extension, Router};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let bind_addr = std::env::var("BIND_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    let database_url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "sqlite://protect-one-route.db?mode=rwc".into());

    // 1. Storage. `migrate` creates the token table if it is not there yet.
    let db = sea_orm::Database::connect(api_tokens_sea_orm::connect_options(&database_url)).await?;
    api_tokens_sea_orm::migrate(&db).await?;

    // 2. The manager holds the rules: permissions, limits, expiry, the verification cache.
    //    The defaults (a `read` permission, 10 tokens per owner, bcrypt cost 12) suit us.
    let manager = TokenManager::builder(SeaOrmTokenStore::new(db)).build()?;

    // 3. Issue a token for a user. In a real service the signed-in user does this, and the
    //    plaintext is shown to them exactly once; only its bcrypt hash is stored.
    let created = manager
        .create("demo-user", NewToken::named("curl from the terminal"))
        .await?;

    // 4. Protect the route: `ApiTokenLayer` answers 401 without a valid
    //    `Authorization: Bearer …` header, and 429 past 100 requests a minute per token.
    //    `/` stays public because the layer wraps only the router it is applied to.
    let protected = Router::new()
        .route("/api/secret", get(secret))
        .layer(ApiTokenLayer::new(manager.clone()).with_realm("protect-one-route"));
    let app = Router::new().route("/", get(public)).merge(protected);

    // 5. Serve, and say how to call the protected route.
    let listener = tokio::net::TcpListener::bind(&bind_addr).await?;
    let address = listener.local_addr()?;
    println!("Listening on http://{address}");
    println!(
        "curl -H 'Authorization: Bearer {}' http://{address}/api/secret",
        created.token.expose_secret()
    );
    drop(created);

    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            // Ctrl-C. A failure to listen for it just means serving until killed.
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;

    // 6. Write the last-used times still held in memory before exiting.
    manager.shutdown().await;
    Ok(())
}

/// Anyone may call this.
async fn public() -> &'static str {
    "Hello! Try /api/secret with the token printed at start.\n"
}

/// Only a verified token reaches this handler; the layer put its identity in the request.
async fn secret(Extension(token): Extension<AuthenticatedToken>) -> String {
    format!(
        "Hello {}, your token \"{}\" works.\n",
        token.owner_id, token.name
    )
}
