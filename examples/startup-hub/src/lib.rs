//! Startup Hub, the example product of `api-tokens`: founders list early-stage projects and
//! let AI agents manage them with personal API tokens.
//!
//! One server holds it all:
//!
//! - accounts with sessions in cookies (`/auth/*`, tower-sessions and axum-login);
//! - the token routes of `api-tokens-axum` (`/api/tokens`), owned by the signed-in user;
//! - the agents' REST API (`/api/mcp/projects`) and an MCP server (`/mcp`), both behind
//!   one [`ApiTokenLayer`] with a per-token rate limit;
//! - the dashboard's own routes (`/api/projects`), `/healthz`, `/api/openapi.json`;
//! - the built Yew dashboard, from the same origin.
//!
//! The binary is a thin `main` over [`serve`]; tests can build the same app in-process with
//! [`StartupHub::build`].

pub mod accounts;
pub mod config;
pub mod db;
pub mod error;
pub mod mcp;
pub mod openapi;
pub mod projects;
mod server;
pub mod web;

pub use config::{Config, ConfigError};
pub use server::{StartError, serve, shutdown_signal};

use std::num::NonZeroU32;

use api_tokens::{ApiTokenLayer, BcryptCost, RateLimit, TokenManager};
use api_tokens_axum::TokenOwner;
use api_tokens_sea_orm::SeaOrmTokenStore;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use sea_orm::DatabaseConnection;
use tokio_util::sync::CancellationToken;
use tower_http::csrf::{CsrfLayer, ProtectionError};
use tower_http::sensitive_headers::{
    SetSensitiveRequestHeadersLayer, SetSensitiveResponseHeadersLayer,
};
use tower_http::trace::TraceLayer;

use crate::accounts::AuthSession;

/// The realm named in `WWW-Authenticate` challenges.
pub const REALM: &str = "startup-hub";

/// The permissions a token can carry, in the order the dashboard shows them.
pub const PERMISSIONS: [&str; 4] = ["read", "create", "update", "delete"];

/// A built Startup Hub: its router and the token manager to flush on shutdown.
#[derive(Debug, Clone)]
pub struct StartupHub {
    router: Router,
    manager: TokenManager,
    db: DatabaseConnection,
    streams: CancellationToken,
}

impl StartupHub {
    /// Connects to the database, runs the migrations, seeds the demo accounts and builds
    /// the router.
    ///
    /// # Errors
    ///
    /// [`StartError`] when the database cannot be reached or migrated, the demo accounts
    /// cannot be created, or the token settings are refused.
    pub async fn build(config: &Config) -> Result<Self, StartError> {
        let db = db::connect(&config.database_url).await?;
        db::migrate(&db).await?;
        accounts::seed_demo_accounts(&db, &config.demo_password).await?;

        let manager = TokenManager::builder(SeaOrmTokenStore::new(db.clone()))
            .with_permissions(PERMISSIONS)
            .with_default_permissions(["read"])
            .with_bcrypt_cost(BcryptCost::new(config.bcrypt_cost)?)
            .with_last_used_interval(config.last_used_interval)
            .build()?;
        let streams = CancellationToken::new();
        let router = router(config, db.clone(), manager.clone(), streams.clone());

        Ok(Self {
            router,
            manager,
            db,
            streams,
        })
    }

    /// The whole app, ready to serve.
    pub fn router(&self) -> Router {
        self.router.clone()
    }

    /// The token manager behind every route.
    pub fn token_manager(&self) -> &TokenManager {
        &self.manager
    }

    /// The database connection pool.
    pub fn database(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Ends open MCP event streams, so connections can close, and writes pending
    /// last-used times. Call it once the server has stopped accepting requests.
    pub async fn shutdown(&self) {
        self.streams.cancel();
        self.manager.shutdown().await;
    }

    /// Ends open MCP event streams without waiting for anything.
    pub fn close_streams(&self) {
        self.streams.cancel();
    }
}

/// Builds the app for `config`: [`StartupHub::build`] without keeping the manager.
///
/// # Errors
///
/// As [`StartupHub::build`].
pub async fn app(config: &Config) -> Result<Router, StartError> {
    Ok(StartupHub::build(config).await?.router())
}

fn router(
    config: &Config,
    db: DatabaseConnection,
    manager: TokenManager,
    streams: CancellationToken,
) -> Router {
    // One layer value for the REST API and /mcp: its rate limiter counts each token's
    // requests across both.
    let bearer = ApiTokenLayer::new(manager.clone())
        .with_realm(REALM)
        .with_rate_limit(NonZeroU32::new(config.rate_limit_per_minute).map(RateLimit::per_minute));

    let session_routes = Router::new()
        .merge(accounts::router())
        .merge(projects::session_router())
        .merge(api_tokens_axum::router(manager.clone()))
        .route_layer(middleware::from_fn(insert_token_owner))
        .route_layer(accounts::auth_layer(db.clone()))
        // Cookies ride along on cross-site requests a browser makes; refuse those writes.
        .route_layer(CsrfLayer::new().with_rejection_response(refuse_cross_site));

    let mcp_routes = mcp::router(db.clone(), manager.clone(), mcp_hosts(config), streams)
        .route_layer(bearer.clone());

    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/api/openapi.json", get(openapi::openapi_json))
        .merge(session_routes)
        .merge(projects::agents_router(bearer))
        .merge(mcp_routes)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(db);

    web::with_dashboard(app, &config.dashboard_dir)
        // Response headers are marked inside the trace layer, request headers outside it,
        // so no trace output ever holds a token, a session cookie or a Set-Cookie value.
        .layer(SetSensitiveResponseHeadersLayer::new([header::SET_COOKIE]))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(SetSensitiveRequestHeadersLayer::new([
            header::AUTHORIZATION,
            header::COOKIE,
        ]))
}

/// The span of each request: its method and path. Not the query string, which a client
/// may have put a token into (`?access_token=…`, which these routes ignore).
fn request_span<B>(request: &http::Request<B>) -> tracing::Span {
    tracing::debug_span!(
        "request",
        method = %request.method(),
        path = request.uri().path(),
        version = ?request.version(),
    )
}

/// Tells the token routes whose tokens they manage: the signed-in user's.
async fn insert_token_owner(auth: AuthSession, mut request: Request, next: Next) -> Response {
    if let Some(user) = &auth.user {
        request
            .extensions_mut()
            .insert(TokenOwner::new(user.id.clone()));
    }
    next.run(request).await
}

/// The cross-site guard's refusal, in the JSON shape of every other error answer (the
/// layer's own answer has an empty body).
fn refuse_cross_site(refused: ProtectionError) -> Response {
    tracing::debug!(reason = %refused, "cross-site write to a session route refused");
    error::ApiError::new(
        axum::http::StatusCode::FORBIDDEN,
        "CROSS_SITE_REQUEST",
        "Cross-site request refused",
    )
    .into_response()
}

/// The `Host` values `/mcp` accepts: the loopback names plus a specific bind address.
/// Bound to every interface, the server cannot know its public names, so any host is
/// accepted; the DNS-rebinding guard matters little here, as every request needs a
/// bearer token a browser never adds on its own.
fn mcp_hosts(config: &Config) -> Option<Vec<String>> {
    let ip = config.bind_addr.ip();
    if ip.is_unspecified() {
        return None;
    }
    let mut hosts = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    if !ip.is_loopback() {
        hosts.push(ip.to_string());
    }
    Some(hosts)
}

async fn method_not_allowed() -> error::ApiError {
    error::ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        "Method not allowed",
    )
}

/// Liveness: answers without credentials and without touching the database.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "service",
    responses((status = 200, description = "The server is up", body = Health))
)]
pub(crate) async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// The answer of `/healthz`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `ok`.
    #[schema(example = "ok")]
    pub status: &'static str,
}
