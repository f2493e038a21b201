//! Errors on the wire: every failure of these routes becomes a JSON body
//! `{"error": "…", "code": "…"}` with the matching status, never a bare 500.

use std::borrow::Cow;
use std::error::Error as StdError;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"error": "Token name is required", "code": "VALIDATION_ERROR", "field": "name"}))]
pub struct ErrorBody {
    /// What went wrong, meant for people.
    pub error: String,
    /// What went wrong, for programs: `UNAUTHENTICATED`, `NOT_FOUND`,
    /// `TOKEN_LIMIT_REACHED`, `VALIDATION_ERROR`, `INVALID_JSON`, `BAD_REQUEST`,
    /// `UNSUPPORTED_MEDIA_TYPE`, `PAYLOAD_TOO_LARGE`, `STORE_UNAVAILABLE` or
    /// `INTERNAL_ERROR`.
    pub code: String,
    /// The request field at fault, on validation errors where one is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// An error answered by the token routes and extractors of this crate.
///
/// It turns into a response with [`IntoResponse`]; hosts may use it in their own handlers
/// to answer in the same shape.
#[derive(Clone, Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: Cow<'static, str>,
    field: Option<String>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }

    fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// 401 `UNAUTHENTICATED`: the host set no [`TokenOwner`](crate::TokenOwner).
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "Authentication required",
        )
    }

    /// 404 `NOT_FOUND`, one body for unknown ids and other owners' tokens alike.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "NOT_FOUND", "Token not found")
    }

    /// 422 `VALIDATION_ERROR` about `field`.
    pub fn validation(field: impl Into<String>, message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
            message,
        )
        .with_field(field)
    }

    /// 503 `STORE_UNAVAILABLE`: the token store failed; the request may succeed later.
    pub fn store_unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "STORE_UNAVAILABLE",
            "Token store unavailable",
        )
    }

    /// 500 `INTERNAL_ERROR`: the server is set up wrongly; the details are only logged.
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "Internal server error",
        )
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The machine-readable `code` of the body.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The `error` message of the body.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The `field` of the body, if any.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// The body this error is answered with.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: self.message.clone().into_owned(),
            code: self.code.to_owned(),
            field: self.field.clone(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}

impl From<api_tokens::Error> for ApiError {
    fn from(error: api_tokens::Error) -> Self {
        match error {
            api_tokens::Error::Validation { field, message } => Self::validation(field, message),
            api_tokens::Error::TokenLimitReached { limit } => Self::new(
                StatusCode::CONFLICT,
                "TOKEN_LIMIT_REACHED",
                format!("Maximum {limit} tokens allowed"),
            ),
            api_tokens::Error::NotFound => Self::not_found(),
            api_tokens::Error::Store(error) => {
                tracing::error!(
                    error = &error as &dyn StdError,
                    "the token store failed; answered 503"
                );
                Self::store_unavailable()
            }
            error => {
                tracing::error!(
                    error = &error as &dyn StdError,
                    "unexpected token manager error; answered 500"
                );
                Self::internal()
            }
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(error) => match serde_error::<serde_json::Error>(&error) {
                Some((Some(field), detail)) => {
                    Self::validation(field.clone(), format!("Invalid {field}: {detail}"))
                }
                Some((None, detail)) => Self::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "VALIDATION_ERROR",
                    format!("Invalid request body: {detail}"),
                ),
                None => Self::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "VALIDATION_ERROR",
                    "Invalid request body",
                ),
            },
            JsonRejection::JsonSyntaxError(_) => Self::new(
                StatusCode::BAD_REQUEST,
                "INVALID_JSON",
                "The request body is not valid JSON",
            ),
            JsonRejection::MissingJsonContentType(_) => Self::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_MEDIA_TYPE",
                "Expected a JSON body with Content-Type: application/json",
            ),
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

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        match serde_error::<serde::de::value::Error>(&rejection) {
            Some((Some(field), detail)) => {
                Self::validation(field.clone(), format!("Invalid {field}: {detail}"))
            }
            _ => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "VALIDATION_ERROR",
                "Invalid query string",
            ),
        }
    }
}

/// Finds the deserializer's error in a rejection's sources: the path of the field at
/// fault (none at the top level) and the message.
fn serde_error<E>(rejection: &(dyn StdError + 'static)) -> Option<(Option<String>, String)>
where
    E: StdError + 'static,
{
    let mut current = Some(rejection);
    while let Some(error) = current {
        if let Some(found) = error.downcast_ref::<serde_path_to_error::Error<E>>() {
            let path = found.path().to_string();
            let field = (path != ".").then_some(path);
            return Some((field, found.inner().to_string()));
        }
        current = error.source();
    }
    None
}
