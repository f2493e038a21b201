//! Extractors for handlers behind [`ApiTokenLayer`](api_tokens::ApiTokenLayer).

use std::convert::Infallible;
use std::ops::Deref;

use api_tokens::AuthenticatedToken;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;

use crate::error::ApiError;

/// The token that authenticated the request, as verified by
/// [`ApiTokenLayer`](api_tokens::ApiTokenLayer).
///
/// The layer refuses requests without a valid token before they reach the handler, so in
/// a handler behind it this extractor always succeeds. On a route the layer does not
/// cover it answers 500 `{"error":"Internal server error","code":"INTERNAL_ERROR"}` and
/// logs an error saying that `ApiTokenLayer` is not installed: a wiring mistake to fix,
/// not a client error.
///
/// `Option<Token>` never fails: it is `None` when no token was verified.
///
/// ```
/// use api_tokens::{ApiTokenLayer, MemoryTokenStore, TokenManager};
/// use api_tokens_axum::Token;
/// use axum::{Router, routing::get};
///
/// async fn whoami(Token(token): Token) -> String {
///     format!("{} acting for {}", token.name, token.owner_id)
/// }
///
/// let manager = TokenManager::builder(MemoryTokenStore::new()).build()?;
/// let app: Router = Router::new()
///     .route("/api/whoami", get(whoami))
///     .layer(ApiTokenLayer::new(manager));
/// # Ok::<_, Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token(pub AuthenticatedToken);

impl Deref for Token {
    type Target = AuthenticatedToken;

    fn deref(&self) -> &AuthenticatedToken {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Token {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<AuthenticatedToken>() {
            Some(token) => Ok(Self(token.clone())),
            None => {
                tracing::error!(
                    path = %parts.uri.path(),
                    "ApiTokenLayer is not installed on this route: the Token extractor found \
                     no authenticated token; answered 500"
                );
                Err(ApiError::internal())
            }
        }
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for Token {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<AuthenticatedToken>()
            .cloned()
            .map(Self))
    }
}
