//! Calls to the Startup Hub server. Same origin, so the session cookie rides
//! along; every failure comes back as an [`ApiError`] the page can show.

mod types;

use std::fmt;

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use web_sys::RequestCache;

pub(crate) use types::{
    CreatedToken, NewToken, Policy, Project, TokenPage, TokenStatus, TokenSummary, User,
};
use types::{Credentials, ErrorBody, ProjectList};

/// Why a call failed, in terms a page can act on.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ApiError {
    /// 401: the session is gone; the app sends the person to `/login`.
    Unauthorized { message: String },
    /// Any other error status, with the server's JSON body when it sent one.
    Status {
        status: u16,
        message: String,
        code: Option<String>,
        field: Option<String>,
    },
    /// The request never got an answer (server down, offline, blocked).
    Network,
    /// The answer was not the JSON we expected.
    Unexpected,
}

impl ApiError {
    pub(crate) fn is_unauthorized(&self) -> bool {
        matches!(self, Self::Unauthorized { .. })
    }

    /// The field a validation error points at, if the server named one.
    pub(crate) fn field(&self) -> Option<&str> {
        match self {
            Self::Status { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    pub(crate) fn code(&self) -> Option<&str> {
        match self {
            Self::Status { code, .. } => code.as_deref(),
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unauthorized { message } | Self::Status { message, .. } => f.write_str(message),
            Self::Network => {
                f.write_str("Could not reach the server. Check your connection and try again.")
            }
            Self::Unexpected => f.write_str("The server sent an answer this page cannot read."),
        }
    }
}

pub(crate) async fn me() -> Result<User, ApiError> {
    json(fresh(Request::get("/auth/me"))).await
}

pub(crate) async fn login(email: &str, password: &str) -> Result<User, ApiError> {
    let body = Credentials {
        name: None,
        email,
        password,
    };
    json(Request::post("/auth/login").json(&body)).await
}

pub(crate) async fn signup(name: &str, email: &str, password: &str) -> Result<User, ApiError> {
    let body = Credentials {
        name: Some(name),
        email,
        password,
    };
    json(Request::post("/auth/signup").json(&body)).await
}

pub(crate) async fn logout() -> Result<(), ApiError> {
    empty(Request::post("/auth/logout").build()).await
}

pub(crate) async fn token_policy() -> Result<Policy, ApiError> {
    json(fresh(Request::get("/api/tokens/policy"))).await
}

pub(crate) async fn list_tokens(page: u32, per_page: u32) -> Result<TokenPage, ApiError> {
    let url = format!("/api/tokens?page={page}&per_page={per_page}");
    json(fresh(Request::get(&url))).await
}

pub(crate) async fn create_token(new_token: &NewToken) -> Result<CreatedToken, ApiError> {
    json(Request::post("/api/tokens").json(new_token)).await
}

pub(crate) async fn revoke_token(id: &str) -> Result<(), ApiError> {
    let url = format!(
        "/api/tokens/{}",
        String::from(js_sys::encode_uri_component(id))
    );
    empty(Request::delete(&url).build()).await
}

pub(crate) async fn projects() -> Result<Vec<Project>, ApiError> {
    let list: ProjectList = json(fresh(Request::get("/api/projects"))).await?;
    Ok(list.projects)
}

/// Lists must show what the server holds now, never a cached copy.
fn fresh(builder: RequestBuilder) -> Result<Request, gloo_net::Error> {
    builder.cache(RequestCache::NoStore).build()
}

async fn json<T: DeserializeOwned>(
    request: Result<Request, gloo_net::Error>,
) -> Result<T, ApiError> {
    let response = send(request).await?;
    response.json::<T>().await.map_err(|_| ApiError::Unexpected)
}

async fn empty(request: Result<Request, gloo_net::Error>) -> Result<(), ApiError> {
    send(request).await.map(drop)
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiError> {
    let request = request.map_err(|_| ApiError::Unexpected)?;
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    if response.ok() {
        return Ok(response);
    }

    let status = response.status();
    let body = response.json::<ErrorBody>().await.ok();
    Err(error_from(status, body))
}

fn error_from(status: u16, body: Option<ErrorBody>) -> ApiError {
    let fallback = match status {
        401 => "Your session has ended. Sign in again.",
        404 => "Not found.",
        429 => "Too many requests. Wait a moment and try again.",
        500..=599 => "The server had a problem. Try again in a moment.",
        _ => "The request was refused.",
    };

    let (message, code, field) = match body {
        Some(body) => (body.error, body.code, body.field),
        None => (fallback.to_owned(), None, None),
    };

    if status == 401 {
        ApiError::Unauthorized { message }
    } else {
        ApiError::Status {
            status,
            message,
            code,
            field,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_message_is_kept() {
        let body = ErrorBody {
            error: "Maximum 10 tokens allowed".to_owned(),
            code: Some("TOKEN_LIMIT_REACHED".to_owned()),
            field: None,
        };

        let error = error_from(409, Some(body));

        assert_eq!(error.to_string(), "Maximum 10 tokens allowed");
        assert_eq!(error.code(), Some("TOKEN_LIMIT_REACHED"));
    }

    #[test]
    fn unauthorized_without_body_still_reads_well() {
        let error = error_from(401, None);

        assert!(error.is_unauthorized());
        assert!(error.to_string().contains("Sign in again"));
    }
}
