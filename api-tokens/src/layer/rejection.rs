//! The responses the layers answer refused requests with ("errors on the wire").

use std::sync::Arc;
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
        self.respond(&Prepared::new(realm))
    }

    /// The full response, with the parts that depend only on the realm taken ready-made.
    pub(crate) fn respond<B: From<String>>(self, prepared: &Prepared) -> Response<B> {
        let body = match &self {
            Self::MissingToken => prepared.missing_body.to_string(),
            Self::InvalidToken => prepared.invalid_body.to_string(),
            _ => self.body(),
        };
        let mut response = Response::new(B::from(body));
        *response.status_mut() = self.status();

        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let challenge = match &self {
            Self::MissingToken => prepared.missing_challenge.clone(),
            Self::InvalidToken => prepared.invalid_challenge.clone(),
            Self::InsufficientPermissions { scope } => header_value(format!(
                "Bearer realm=\"{}\", error=\"insufficient_scope\", scope=\"{scope}\"",
                prepared.realm
            )),
            Self::RateLimited { .. } | Self::StoreUnavailable => None,
        };
        if let Some(value) = challenge {
            headers.insert(WWW_AUTHENTICATE, value);
        }
        if let Self::RateLimited { retry_after } = self {
            let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
            headers.insert(RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        }
        response
    }

    fn body(&self) -> String {
        ErrorBody {
            error: self.message(),
            code: self.code(),
        }
        .to_json()
    }
}

/// What the two most common refusals (no token, an invalid one) send, built once per
/// realm, so that a flood of bad tokens costs no serializing or formatting per request.
#[derive(Clone, Debug)]
pub(crate) struct Prepared {
    realm: Arc<str>,
    missing_body: Arc<str>,
    invalid_body: Arc<str>,
    missing_challenge: Option<HeaderValue>,
    invalid_challenge: Option<HeaderValue>,
}

impl Prepared {
    pub(crate) fn new(realm: &str) -> Self {
        Self {
            realm: Arc::from(realm),
            missing_body: AuthRejection::MissingToken.body().into(),
            invalid_body: AuthRejection::InvalidToken.body().into(),
            missing_challenge: header_value(format!("Bearer realm=\"{realm}\"")),
            invalid_challenge: header_value(format!(
                "Bearer realm=\"{realm}\", error=\"invalid_token\""
            )),
        }
    }

    /// The realm named in the challenges.
    pub(crate) fn realm(&self) -> &str {
        &self.realm
    }
}

fn header_value(text: String) -> Option<HeaderValue> {
    HeaderValue::try_from(text).ok()
}
