//! The `/api/tokens` REST routes of [`api_tokens`] for axum, with their OpenAPI
//! document and extractors.
//!
//! - [`router`]: a [`Router<S>`](axum::Router) to `merge` or `nest` into a host's app,
//!   serving `POST /api/tokens` (create; the only response holding a plaintext),
//!   `GET /api/tokens?page=1&per_page=20` (list, newest first),
//!   `DELETE /api/tokens/{id}` (revoke) and `GET /api/tokens/policy` (permissions and
//!   limits, for forms).
//! - [`TokenOwner`]: whose tokens a request manages. The host's session or
//!   authentication middleware inserts it into the request extensions; it never comes
//!   from the body or query string. Without it every route answers 401
//!   `{"error":"Authentication required","code":"UNAUTHENTICATED"}`.
//! - [`openapi`]: an OpenAPI 3.1 document of these routes, generated from the handlers
//!   with utoipa, to merge into the host's document.
//! - [`Token`]: the extractor for the [`AuthenticatedToken`](api_tokens::AuthenticatedToken)
//!   that [`ApiTokenLayer`](api_tokens::ApiTokenLayer) verified; `Option<Token>` for
//!   routes where a token is optional.
//! - Errors are JSON `{"error": "…", "code": "…"}` ([`ErrorBody`]): 401
//!   `UNAUTHENTICATED`, 404 `NOT_FOUND` (unknown and foreign ids alike), 409
//!   `TOKEN_LIMIT_REACHED`, 422 `VALIDATION_ERROR` with a `field` (including `page` below
//!   1 and `per_page` outside 1–100; without one for a body that is not a JSON object),
//!   400 `INVALID_JSON` for malformed JSON
//!   (`BAD_REQUEST` for a body that cannot be read at all), 413 `PAYLOAD_TOO_LARGE` for
//!   a body over the size limit, 415 `UNSUPPORTED_MEDIA_TYPE` for a body that is not
//!   `application/json`, 503 `STORE_UNAVAILABLE` when the store fails (logged with
//!   `tracing`).
//!
//! The crate has no optional features.
//!
//! # Example
//!
//! ```
//! use api_tokens::{ApiTokenLayer, MemoryTokenStore, TokenManager};
//! use api_tokens_axum::{Token, TokenOwner};
//! use axum::{
//!     Router, body::Body, extract::Request, middleware::{self, Next}, response::Response,
//!     routing::get,
//! };
//! use http_body_util::BodyExt;
//! use tower::ServiceExt;
//!
//! // The host's authentication decides who is signed in; a real host reads its session.
//! async fn signed_in_user(mut request: Request, next: Next) -> Response {
//!     request.extensions_mut().insert(TokenOwner::new("user-42"));
//!     next.run(request).await
//! }
//!
//! async fn whoami(Token(token): Token) -> String {
//!     token.owner_id
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {
//! let manager = TokenManager::builder(MemoryTokenStore::new())
//!     .with_permissions(["read", "write"])
//!     .build()?;
//!
//! let app = Router::new()
//!     .merge(api_tokens_axum::router(manager.clone()).layer(middleware::from_fn(signed_in_user)))
//!     .merge(Router::new().route("/api/whoami", get(whoami)).layer(ApiTokenLayer::new(manager)));
//!
//! // The signed-in user creates a token …
//! let request = Request::post("/api/tokens")
//!     .header("Content-Type", "application/json")
//!     .body(Body::from(r#"{"name": "laptop"}"#))?;
//! let response = app.clone().oneshot(request).await?;
//! assert_eq!(response.status(), 201);
//! let body = response.into_body().collect().await?.to_bytes();
//! let created: api_tokens_axum::CreatedTokenResponse = serde_json::from_slice(&body)?;
//!
//! // … and a script uses it.
//! let request = Request::get("/api/whoami")
//!     .header("Authorization", format!("Bearer {}", created.token))
//!     .body(Body::empty())?;
//! let response = app.oneshot(request).await?;
//! let body = response.into_body().collect().await?.to_bytes();
//! assert_eq!(&body[..], b"user-42");
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! # })?;
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

mod error;
mod extract;
mod handlers;
mod input;
mod openapi;
mod owner;
mod types;

pub use error::{ApiError, ErrorBody};
pub use extract::Token;
pub use openapi::{
    BEARER_SCHEME, DEFAULT_SESSION_COOKIE, SESSION_SCHEME, openapi, openapi_with_session_cookie,
};
pub use owner::TokenOwner;
pub use types::{
    CreateTokenRequest, CreatedTokenResponse, ListTokensQuery, TokenListResponse,
    TokenPolicyResponse, TokenResponse, TokenStatus,
};

use api_tokens::TokenManager;
use axum::Router;

/// The token routes, managing the tokens of the request's [`TokenOwner`] with `manager`.
///
/// The router serves the full paths (`/api/tokens`, `/api/tokens/{id}`,
/// `/api/tokens/policy`); `merge` it into the host's router, or `nest` it to put a
/// prefix in front (the paths in [`openapi`] stay as they are; give the document a
/// server URL with the prefix). Put the host's authentication, which inserts the
/// [`TokenOwner`], in a layer around it.
///
/// The state type `S` is the host's; the routes keep their own state.
pub fn router<S>(manager: TokenManager) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let (routes, _document) = openapi::routes().split_for_parts();
    routes.with_state(manager)
}
