//! Personal API tokens for [tower] and [axum] services.
//!
//! [tower]: https://docs.rs/tower
//! [axum]: https://docs.rs/axum
//!
//! `api-tokens` issues, lists, revokes and verifies the kind of token a user pastes into
//! an MCP client, a CI job or `curl`: `sh_live_` followed by 32 random alphanumeric
//! characters, stored only as a bcrypt hash.
//!
//! - [`TokenManager`]: the rules. Names, descriptions, permissions from your vocabulary,
//!   expiry by date and by inactivity, at most 10 active tokens per owner (enforced
//!   atomically by the store), soft and idempotent revocation.
//! - [`TokenStore`]: the storage contract, with [`MemoryTokenStore`] here and SQL
//!   databases in `api-tokens-sea-orm`.
//! - The hot path: one indexed read and one bcrypt verify for a token's first request,
//!   then a cache hit costing microseconds; unknown tokens cost no bcrypt, and on stores
//!   that can list their lookup ids no read either; bcrypt runs off the async workers,
//!   once per token even under concurrent requests.
//! - Last-used tracking that never blocks a request and writes at most once per interval.
//! - [`ApiTokenLayer`]: `Authorization: Bearer` authentication with per-token rate limits,
//!   and [`RequirePermissionLayer`] for routes that need a permission.
//!
//! # Example
//!
//! ```
//! use api_tokens::{ApiTokenLayer, AuthenticatedToken, MemoryTokenStore, NewToken, TokenManager};
//! use axum::{Extension, Router, body::Body, routing::get};
//! use http::{Request, StatusCode};
//! use tower::ServiceExt;
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let manager = TokenManager::builder(MemoryTokenStore::new())
//!     .with_permissions(["read", "write"])
//!     .build()?;
//!
//! let app = Router::new()
//!     .route("/whoami", get(|Extension(token): Extension<AuthenticatedToken>| async move {
//!         token.owner_id
//!     }))
//!     .layer(ApiTokenLayer::new(manager.clone()));
//!
//! // Shown to its owner once; only the hash is stored.
//! let created = manager.create("user-42", NewToken::named("laptop")).await?;
//!
//! let request = Request::get("/whoami")
//!     .header("Authorization", format!("Bearer {}", created.token.expose_secret()))
//!     .body(Body::empty())?;
//! let response = app.oneshot(request).await?;
//! assert_eq!(response.status(), StatusCode::OK);
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! # Features
//!
//! - `testing`: the store conformance suite, [`testing`], and
//!   [`BcryptCost::insecure_for_tests`].

mod authenticated;
mod error;
mod hash;
mod last_used;
mod layer;
mod manager;
mod permission;
mod rate_limit;
mod record;
mod store;
#[cfg(feature = "testing")]
pub mod testing;
mod token;

pub use authenticated::AuthenticatedToken;
pub use error::{BoxError, ConfigError, Error, InvalidToken, StoreError, VerifyError};
pub use hash::{BcryptCost, TokenHash};
pub use layer::{
    ApiTokenAuth, ApiTokenLayer, AuthRejection, ErrorBody, RequirePermission,
    RequirePermissionLayer, ResponseFuture,
};
pub use manager::{
    CreatedToken, ManagerConfig, NewToken, TokenManager, TokenManagerBuilder, VerifyStats,
};
pub use permission::PermissionSet;
pub use rate_limit::RateLimit;
pub use record::{ActiveFilter, ExpiryPolicy, TokenPage, TokenRecord, TokenStatus};
pub use store::{MemoryTokenStore, TokenStore};
pub use token::{
    LOOKUP_ID_LEN, RANDOM_LEN, TOKEN_LEN, TOKEN_PREFIX, TokenSecret, display_prefix, is_well_formed,
};
