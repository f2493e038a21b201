//! Tower middleware: bearer authentication, permissions and rate limits.

mod header;
mod permission;
mod rejection;

pub use permission::{RequirePermission, RequirePermissionLayer};
use rejection::Prepared;
pub use rejection::{AuthRejection, ErrorBody};

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::future::BoxFuture;
use http::{Request, Response};
use pin_project_lite::pin_project;
use tower_layer::Layer;
use tower_service::Service;
use tracing::Instrument;
use tracing::instrument::Instrumented;

use crate::AuthenticatedToken;
use crate::error::{InvalidToken, VerifyError};
use crate::manager::{TokenManager, Warm};
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
    type Future = ResponseFuture<S::Future, ResBody, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        let span = tracing::debug_span!("api_token", token.id = tracing::field::Empty);

        // Most requests are decided here, without a future of our own: a cached token, a
        // missing or malformed header.
        let decision = span.in_scope(|| decide_now(&self.layer.settings, request.headers()));
        let state = match decision {
            Decision::Pass(token) => {
                span.record("token.id", tracing::field::display(token.id));
                request.extensions_mut().insert(token);
                let future = span.in_scope(|| self.inner.call(request));
                State::Inner {
                    future: future.instrument(span),
                }
            }
            Decision::Refuse(rejection) => State::Refused {
                response: Some(rejection.respond(&self.layer.settings.refusals)),
            },
            Decision::Wait => {
                // The clone that was polled ready serves this request; a fresh clone stays.
                let clone = self.inner.clone();
                let mut inner = std::mem::replace(&mut self.inner, clone);
                let settings = Arc::clone(&self.layer.settings);
                let future = async move {
                    match authenticate(&settings, request.headers()).await {
                        Ok(token) => {
                            tracing::Span::current()
                                .record("token.id", tracing::field::display(token.id));
                            request.extensions_mut().insert(token);
                            inner.call(request).await
                        }
                        Err(rejection) => Ok(rejection.respond(&settings.refusals)),
                    }
                };
                State::Waiting {
                    future: Box::pin(future.instrument(span)),
                }
            }
        };
        ResponseFuture { state }
    }
}

pin_project! {
    /// The response future of [`ApiTokenAuth`].
    pub struct ResponseFuture<F, B, E> {
        #[pin]
        state: State<F, B, E>,
    }
}

pin_project! {
    #[project = StateProjection]
    enum State<F, B, E> {
        // Authenticated on the spot; the inner service answers.
        Inner {
            #[pin]
            future: Instrumented<F>,
        },
        // Refused on the spot.
        Refused {
            response: Option<Response<B>>,
        },
        // Verification has to wait: a cold token, a revalidation, a store.
        Waiting {
            future: BoxFuture<'static, Result<Response<B>, E>>,
        },
    }
}

impl<F, B, E> Future for ResponseFuture<F, B, E>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            StateProjection::Inner { future } => future.poll(cx),
            StateProjection::Refused { response } => Poll::Ready(Ok(response
                .take()
                .expect("ResponseFuture polled after completion"))),
            StateProjection::Waiting { future } => future.as_mut().poll(cx),
        }
    }
}

impl<F, B, E> std::fmt::Debug for ResponseFuture<F, B, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match &self.state {
            State::Inner { .. } => "inner",
            State::Refused { .. } => "refused",
            State::Waiting { .. } => "waiting",
        };
        f.debug_struct("ResponseFuture")
            .field("state", &state)
            .finish()
    }
}

/// What can be decided about a request without awaiting anything.
enum Decision {
    Pass(AuthenticatedToken),
    Refuse(AuthRejection),
    Wait,
}

fn decide_now(layer: &Settings, headers: &http::HeaderMap) -> Decision {
    let presented = match presented_token(headers) {
        Ok(presented) => presented,
        Err(rejection) => return Decision::Refuse(rejection),
    };
    match layer.manager.verify_warm(presented) {
        Warm::Hit(token) => match layer.within_limit(token) {
            Ok(token) => Decision::Pass(token),
            Err(rejection) => Decision::Refuse(rejection),
        },
        Warm::Refused(reason) => Decision::Refuse(refuse_invalid(reason)),
        Warm::Undecided(..) => Decision::Wait,
    }
}

async fn authenticate(
    layer: &Settings,
    headers: &http::HeaderMap,
) -> Result<AuthenticatedToken, AuthRejection> {
    let presented = presented_token(headers)?;
    let token = match layer.manager.verify(presented).await {
        Ok(token) => token,
        Err(VerifyError::Invalid(reason)) => return Err(refuse_invalid(reason)),
        Err(VerifyError::StoreUnavailable) => return Err(AuthRejection::StoreUnavailable),
    };
    layer.within_limit(token)
}

fn presented_token(headers: &http::HeaderMap) -> Result<&str, AuthRejection> {
    match bearer_token(headers) {
        Credentials::Bearer(token) => Ok(token),
        Credentials::Missing => Err(AuthRejection::MissingToken),
        Credentials::Malformed => {
            tracing::debug!(
                reason = "malformed authorization header",
                "refused a bearer token"
            );
            Err(AuthRejection::InvalidToken)
        }
    }
}

fn refuse_invalid(reason: InvalidToken) -> AuthRejection {
    tracing::debug!(%reason, "refused a bearer token");
    AuthRejection::InvalidToken
}

impl Settings {
    fn within_limit(&self, token: AuthenticatedToken) -> Result<AuthenticatedToken, AuthRejection> {
        if let Some(limiter) = &self.rate_limiter
            && let Err(retry_after) = limiter.check(token.id)
        {
            tracing::debug!(token.id = %token.id, "token exceeded its rate limit");
            return Err(AuthRejection::RateLimited { retry_after });
        }
        Ok(token)
    }
}
