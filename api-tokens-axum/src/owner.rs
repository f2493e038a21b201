//! Who is managing tokens: the owner id the host's own authentication sets.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::error::ApiError;

/// The owner of the tokens a request manages, usually the signed-in user's id.
///
/// The token routes never read an owner from the body or the query string: the host's
/// session or authentication middleware inserts a `TokenOwner` into the request
/// extensions, and the routes use it. A request without one (or with an empty one) is
/// answered 401 `{"error":"Authentication required","code":"UNAUTHENTICATED"}`.
///
/// ```
/// use api_tokens_axum::TokenOwner;
/// use axum::{extract::Request, middleware::Next, response::Response};
///
/// async fn set_owner(mut request: Request, next: Next) -> Response {
///     // Look the user up in the host's session here.
///     let user_id = "user-42".to_owned();
///     request.extensions_mut().insert(TokenOwner::new(user_id));
///     next.run(request).await
/// }
/// ```
///
/// It is an extractor too, answering the same 401 when missing.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TokenOwner(pub String);

impl TokenOwner {
    /// The owner with this id.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The owner id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for TokenOwner {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<TokenOwner>()
            .filter(|owner| !owner.0.is_empty())
            .cloned()
            .ok_or_else(ApiError::unauthenticated)
    }
}
