//! The responses the layers answer refused requests with ("errors on the wire").

use std::time::Duration;

use http::header::{CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use http::{HeaderValue, Response, StatusCode};

/// The JSON body of every error answer: `{"error": "…", "code": "…"}`, in that order.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct ErrorBody<'a> {
    /// A message for people.
    pub error: &'a str,
    /// A stable machine-readable code, such as `INVALID_TOKEN`.
    pub code: &'a str,
}

impl ErrorBody<'_> {
    /// The body as a JSON string.
    pub fn to_json(&self) -> String {
        // Serializing two string fields cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Why a request was refused before reaching the protected service.
///
/// Every variant becomes a JSON body `{"error": "…", "code": "…"}` with the status and
/// headers RFC 6750 asks for. All invalid tokens (malformed, unknown, wrong, revoked,
/// expired) share one variant and so one byte-identical body.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthRejection {
    /// No `Authorization` header: 401 `MISSING_TOKEN`.
    MissingToken,
    /// A token that is malformed, unknown, wrong, revoked or expired: 401 `INVALID_TOKEN`.
    InvalidToken,
    /// The token lacks the permission the route needs: 403 `INSUFFICIENT_PERMISSIONS`.
    InsufficientPermissions {
        /// The permission the route needs.
        scope: String,
    },
    /// The token made too many requests: 429 `RATE_LIMITED`.
    RateLimited {
        /// How long until the next request may pass.
        retry_after: Duration,
    },
    /// The token store could not be asked: 503 `STORE_UNAVAILABLE`.
    StoreUnavailable,
}

impl AuthRejection {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::MissingToken | Self::InvalidToken => StatusCode::UNAUTHORIZED,
            Self::InsufficientPermissions { .. } => StatusCode::FORBIDDEN,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::StoreUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The machine-readable `code` of the body.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingToken => "MISSING_TOKEN",
            Self::InvalidToken => "INVALID_TOKEN",
            Self::InsufficientPermissions { .. } => "INSUFFICIENT_PERMISSIONS",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::StoreUnavailable => "STORE_UNAVAILABLE",
        }
    }

    /// The `error` message of the body, meant for people.
    pub fn message(&self) -> &'static str {
        match self {
            Self::MissingToken => "Authorization header required",
            Self::InvalidToken => "Invalid or expired token",
            Self::InsufficientPermissions { .. } => "Insufficient permissions",
            Self::RateLimited { .. } => "Rate limit exceeded",
            Self::StoreUnavailable => "Token store unavailable",
        }
    }

    /// The full response. `realm` goes into `WWW-Authenticate` on 401 answers.
    pub fn into_response<B: From<String>>(self, realm: &str) -> Response<B> {
        let body = ErrorBody {
            error: self.message(),
            code: self.code(),
        }
        .to_json();
        let mut response = Response::new(B::from(body));
        *response.status_mut() = self.status();

        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let challenge = match &self {
            Self::MissingToken => Some(format!("Bearer realm=\"{realm}\"")),
            Self::InvalidToken => {
                Some(format!("Bearer realm=\"{realm}\", error=\"invalid_token\""))
            }
            Self::InsufficientPermissions { scope } => Some(format!(
                "Bearer realm=\"{realm}\", error=\"insufficient_scope\", scope=\"{scope}\""
            )),
            Self::RateLimited { .. } | Self::StoreUnavailable => None,
        };
        if let Some(value) = challenge.and_then(|c| HeaderValue::try_from(c).ok()) {
            headers.insert(WWW_AUTHENTICATE, value);
        }
        if let Self::RateLimited { retry_after } = self {
            let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
            headers.insert(RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        }
        response
    }
}
