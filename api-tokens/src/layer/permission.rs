//! Requiring a permission on a route or a group of routes.

use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::future::{Either, Ready, ready};
use http::{Request, Response, StatusCode};
use tower_layer::Layer;
use tower_service::Service;

use super::AuthRejection;
use crate::authenticated::AuthenticatedToken;

/// Lets a request through only if its token carries a permission; otherwise answers 403
/// with `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"`.
///
/// Put it inside an [`ApiTokenLayer`](crate::ApiTokenLayer), which authenticates the
/// request first. Without that layer every request is answered 500 and an error is logged.
#[derive(Clone, Debug)]
pub struct RequirePermissionLayer {
    permission: Arc<str>,
    realm: Arc<str>,
}

impl RequirePermissionLayer {
    /// Requires `permission`.
    pub fn new(permission: impl Into<Arc<str>>) -> Self {
        Self {
            permission: permission.into(),
            realm: Arc::from(super::DEFAULT_REALM),
        }
    }

    /// The realm named in the challenge (default `api`); use the auth layer's.
    pub fn with_realm(mut self, realm: impl Into<Arc<str>>) -> Self {
        self.realm = realm.into();
        self
    }
}

impl<S> Layer<S> for RequirePermissionLayer {
    type Service = RequirePermission<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequirePermission {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service of [`RequirePermissionLayer`].
#[derive(Clone, Debug)]
pub struct RequirePermission<S> {
    inner: S,
    layer: RequirePermissionLayer,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for RequirePermission<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: From<String>,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = Either<S::Future, Ready<Result<Response<ResBody>, S::Error>>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let permission = &*self.layer.permission;
        let Some(token) = request.extensions().get::<AuthenticatedToken>() else {
            tracing::error!(
                permission,
                "RequirePermissionLayer found no AuthenticatedToken: add ApiTokenLayer outside it"
            );
            let body = super::ErrorBody {
                error: "Internal server error",
                code: "INTERNAL_ERROR",
            };
            let mut response = Response::new(ResBody::from(body.to_json()));
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            response.headers_mut().insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/json"),
            );
            return Either::Right(ready(Ok(response)));
        };

        if token.has_permission(permission) {
            return Either::Left(self.inner.call(request));
        }
        tracing::warn!(token.id = %token.id, permission, "token lacks the permission the route needs");
        let rejection = AuthRejection::InsufficientPermissions {
            scope: permission.to_owned(),
        };
        Either::Right(ready(Ok(rejection.into_response(&self.layer.realm))))
    }
}
