//! Error answers in the shape every route shares: `{"error": "…", "code": "…"}`, plus
//! `field` on validation errors.

use std::borrow::Cow;
use std::time::Duration;

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// An error answer of the example's own routes.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: Cow<'static, str>,
    field: Option<&'static str>,
    retry_after: Option<Duration>,
}

/// The JSON body of every error answer; the same type the token routes answer with.
pub use api_tokens_axum::ErrorBody;

impl ApiError {
    /// 422 `VALIDATION_ERROR` about `field`.
    pub fn validation(field: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "VALIDATION_ERROR",
            message: message.into(),
            field: Some(field),
            retry_after: None,
        }
    }

    /// 401 `UNAUTHENTICATED`: the route needs a signed-in user.
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "Authentication required",
        )
    }

    /// 404 `NOT_FOUND` with `message`.
    pub fn not_found(message: &'static str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "NOT_FOUND", message)
    }

    /// 500 `INTERNAL_ERROR`. The cause is logged by the caller, never sent.
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "Internal server error",
        )
    }

    /// Any other answer.
    pub fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
            retry_after: None,
        }
    }

    /// Adds `Retry-After`, in whole seconds rounded up (at least 1).
    pub fn with_retry_after(mut self, wait: Duration) -> Self {
        self.retry_after = Some(wait);
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The message for people.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(error: sea_orm::DbErr) -> Self {
        tracing::error!(error = &error as &dyn std::error::Error, "database error");
        Self::internal()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.message.into_owned(),
            code: self.code.to_owned(),
            field: self.field.map(str::to_owned),
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(wait) = self.retry_after {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        }
        response
    }
}

/// `axum::Json`, answering a body it cannot read with a JSON error instead of plain text.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(rejection.into()),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => Self::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_MEDIA_TYPE",
                "Expected a JSON body with Content-Type: application/json",
            ),
            JsonRejection::JsonDataError(error) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "VALIDATION_ERROR",
                error.body_text(),
            ),
            JsonRejection::JsonSyntaxError(_) => Self::new(
                StatusCode::BAD_REQUEST,
                "INVALID_JSON",
                "The request body is not valid JSON",
            ),
            // The body limit surfaces as a failure to buffer the body, which axum nests
            // inside a generic bytes rejection; only the status tells it apart.
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                "The request body is too large",
            ),
            _ => Self::new(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "The request body could not be read",
            ),
        }
    }
}

/// `axum::extract::Path`, answering a path it cannot decode (an id that is not valid
/// UTF-8 once percent-decoded, say) with a JSON error instead of plain text.
#[derive(Debug, Clone, Copy, Default)]
pub struct PathParam<T>(pub T);

impl<S, T> FromRequestParts<S> for PathParam<T>
where
    Path<T>: FromRequestParts<S, Rejection = PathRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Self(value)),
            Err(rejection) => Err(rejection.into()),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        if rejection.status().is_server_error() {
            // The route and the handler disagree about the path's parameters.
            tracing::error!(error = %rejection.body_text(), "path parameters do not fit the handler");
            return Self::internal();
        }
        Self::new(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            rejection.body_text(),
        )
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::header::CONTENT_TYPE;

    use super::*;

    async fn extract(body: impl Into<Body>) -> Result<serde_json::Value, ApiError> {
        let request = Request::builder()
            .method("POST")
            .header(CONTENT_TYPE, "application/json")
            .body(body.into())
            .expect("a valid request");

        let JsonBody(value) = JsonBody::<serde_json::Value>::from_request(request, &()).await?;
        Ok(value)
    }

    #[tokio::test]
    async fn a_body_over_the_default_limit_is_413() {
        let body = format!("\"{}\"", "x".repeat(2 * 1024 * 1024));

        let error = extract(body).await.expect_err("the body is refused");

        assert_eq!(error.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(error.code, "PAYLOAD_TOO_LARGE");
    }

    #[tokio::test]
    async fn malformed_json_is_400_and_a_wrong_shape_is_422() {
        let malformed = extract("{").await.expect_err("refused");
        let wrong_shape = JsonBody::<Vec<u8>>::from_request(
            Request::builder()
                .header(CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .expect("a valid request"),
            &(),
        )
        .await
        .expect_err("refused");

        assert_eq!(
            (malformed.status(), malformed.code),
            (StatusCode::BAD_REQUEST, "INVALID_JSON")
        );
        assert_eq!(
            (wrong_shape.status(), wrong_shape.code),
            (StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR")
        );
    }

    #[tokio::test]
    async fn an_undecodable_path_is_a_json_400() {
        let app = axum::Router::new().route(
            "/things/{id}",
            axum::routing::get(|PathParam(id): PathParam<String>| async move { id }),
        );
        let request = Request::builder()
            .uri("/things/%FF")
            .body(Body::empty())
            .expect("a valid request");

        let response = tower::ServiceExt::oneshot(app, request)
            .await
            .expect("infallible");

        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .expect("a body");
        let body: serde_json::Value = serde_json::from_slice(&body).expect("a JSON body");
        assert_eq!(body["code"], "BAD_REQUEST");
        assert_eq!(body["error"], "Invalid URL: Invalid UTF-8 in `id`");
    }
}
