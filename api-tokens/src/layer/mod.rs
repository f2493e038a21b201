//! Tower middleware: bearer authentication, permissions and rate limits.

mod header;
mod permission;
mod rejection;

pub use permission::{RequirePermission, RequirePermissionLayer};
use rejection::Prepared;
pub use rejection::{AuthRejection, ErrorBody};

use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::future::BoxFuture;
use http::{Request, Response};
use tower_layer::Layer;
use tower_service::Service;
use tracing::Instrument;

use crate::error::VerifyError;
use crate::manager::TokenManager;
use crate::rate_limit::{RateLimit, TokenRateLimiter};
use header::{Credentials, bearer_token};

pub(crate) const DEFAULT_REALM: &str = "api";

/// Authenticates requests by `Authorization: Bearer <token>`.
///
/// A verified request reaches the inner service with an
/// [`AuthenticatedToken`](crate::AuthenticatedToken) in its extensions; any other is
/// answered with the matching [`AuthRejection`]. Each token may make 100 requests a
/// minute by default ([`ApiTokenLayer::with_rate_limit`]); the count is kept per layer
/// value, in this process only.
///
/// Refusals (invalid tokens, rate limits) are logged at `DEBUG`, one event each with the
/// reason and never the token: at `INFO` a flood of bad tokens would otherwise write a
/// line per request. Count refusals by status code in your HTTP metrics or access log.
/// A store failure is logged at `ERROR`.
///
/// ```
/// use api_tokens::{ApiTokenLayer, MemoryTokenStore, TokenManager};
/// use axum::{Router, routing::get};
///
/// let manager = TokenManager::builder(MemoryTokenStore::new()).build().unwrap();
/// let app: Router = Router::new()
///     .route("/api/data", get(|| async { "secret data" }))
///     .layer(ApiTokenLayer::new(manager).with_realm("example"));
/// ```
#[derive(Clone, Debug)]
pub struct ApiTokenLayer {
    // One shared allocation, so each request clones a single pointer.
    settings: Arc<Settings>,
}

#[derive(Clone, Debug)]
struct Settings {
    manager: TokenManager,
    refusals: Prepared,
    rate_limiter: Option<TokenRateLimiter>,
}

impl ApiTokenLayer {
    /// Authenticates with `manager`, at the default limit of 100 requests a minute per token.
    pub fn new(manager: TokenManager) -> Self {
        Self {
            settings: Arc::new(Settings {
                manager,
                refusals: Prepared::new(DEFAULT_REALM),
                rate_limiter: Some(TokenRateLimiter::new(RateLimit::default())),
            }),
        }
    }

    /// The realm named in `WWW-Authenticate` (default `api`). Characters other than
    /// printable ASCII, `"` and `\` are dropped.
    pub fn with_realm(mut self, realm: &str) -> Self {
        let clean: String = realm
            .chars()
            .filter(|c| c.is_ascii_graphic() || *c == ' ')
            .filter(|c| !"\"\\".contains(*c))
            .collect();
        Arc::make_mut(&mut self.settings).refusals = Prepared::new(&clean);
        self
    }

    /// Limits each token to `limit`; `None` switches rate limiting off.
    pub fn with_rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        Arc::make_mut(&mut self.settings).rate_limiter = limit.map(TokenRateLimiter::new);
        self
    }

    /// The realm this layer names in its challenges.
    pub fn realm(&self) -> &str {
        self.settings.refusals.realm()
    }
}

impl<S> Layer<S> for ApiTokenLayer {
    type Service = ApiTokenAuth<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ApiTokenAuth {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service of [`ApiTokenLayer`].
#[derive(Clone, Debug)]
pub struct ApiTokenAuth<S> {
    inner: S,
    layer: ApiTokenLayer,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for ApiTokenAuth<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    ReqBody: Send + 'static,
    ResBody: From<String> + Send + 'static,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Response<ResBody>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        // The clone that was polled ready serves this request; a fresh clone stays behind.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let settings = Arc::clone(&self.layer.settings);
        let span = tracing::debug_span!("api_token", token.id = tracing::field::Empty);

        Box::pin(
            async move {
                match authenticate(&settings, request.headers()).await {
                    Ok(token) => {
                        tracing::Span::current()
                            .record("token.id", tracing::field::display(token.id));
                        request.extensions_mut().insert(token);
                        inner.call(request).await
                    }
                    Err(rejection) => Ok(rejection.respond(&settings.refusals)),
                }
            }
            .instrument(span),
        )
    }
}

async fn authenticate(
    layer: &Settings,
    headers: &http::HeaderMap,
) -> Result<crate::AuthenticatedToken, AuthRejection> {
    let presented = match bearer_token(headers) {
        Credentials::Bearer(token) => token,
        Credentials::Missing => return Err(AuthRejection::MissingToken),
        Credentials::Malformed => {
            tracing::debug!(
                reason = "malformed authorization header",
                "refused a bearer token"
            );
            return Err(AuthRejection::InvalidToken);
        }
    };

    let token = match layer.manager.verify(presented).await {
        Ok(token) => token,
        Err(VerifyError::Invalid(reason)) => {
            tracing::debug!(%reason, "refused a bearer token");
            return Err(AuthRejection::InvalidToken);
        }
        Err(VerifyError::StoreUnavailable) => return Err(AuthRejection::StoreUnavailable),
    };

    if let Some(limiter) = &layer.rate_limiter
        && let Err(retry_after) = limiter.check(token.id)
    {
        tracing::debug!(token.id = %token.id, "token exceeded its rate limit");
        return Err(AuthRejection::RateLimited { retry_after });
    }
    Ok(token)
}
