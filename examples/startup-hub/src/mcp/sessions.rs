//! Binds each MCP session to the token that opened it.
//!
//! rmcp names a session by the `Mcp-Session-Id` it hands out on `initialize` and serves
//! any request carrying that id. The tools act for the token of each request, so another
//! token holding the id reaches no data it could not reach anyway; still, it could send
//! into the session, listen to its event stream or close it. This middleware sits inside
//! the bearer layer, remembers which token opened each session, and answers a request that
//! presents a session with another token exactly as rmcp answers an unknown session id.
//!
//! An event stream (`text/event-stream`, the answer to `GET /mcp` and to some posts) can
//! stay open for hours, long after the request that opened it passed the bearer layer.
//! Each one re-verifies its token every [`RECHECK_EVERY`] and ends once the token is
//! refused (revoked or expired): a revocation through this process ends it within that
//! time, one through another process sharing the database within the manager's
//! revalidation interval as well.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use std::time::Duration;

use api_tokens::{AuthenticatedToken, TokenManager, VerifyError};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use uuid::Uuid;
use zeroize::Zeroizing;

/// The header rmcp carries the session id in.
const SESSION_HEADER: &str = "mcp-session-id";

/// How often an open event stream re-verifies the token that opened it.
pub(crate) const RECHECK_EVERY: Duration = Duration::from_secs(1);

/// Forget the bindings of ended sessions after this many new ones.
const SWEEP_EVERY: u64 = 64;

/// Which token opened each live session.
#[derive(Debug)]
pub(crate) struct SessionOwners {
    sessions: Arc<LocalSessionManager>,
    owners: Mutex<HashMap<String, Uuid>>,
    opened: AtomicU64,
    /// Re-verifies the tokens of open event streams.
    manager: TokenManager,
}

impl SessionOwners {
    /// Bindings for the sessions of `sessions`, whose tokens `manager` verifies.
    pub(crate) fn new(sessions: Arc<LocalSessionManager>, manager: TokenManager) -> Self {
        Self {
            sessions,
            owners: Mutex::default(),
            opened: AtomicU64::new(0),
            manager,
        }
    }

    fn owner(&self, session: &str) -> Option<Uuid> {
        self.lock().get(session).copied()
    }

    async fn bind(&self, session: String, token: Uuid) {
        if self.opened.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.sweep().await;
        }
        self.lock().insert(session, token);
    }

    fn forget(&self, session: &str) {
        self.lock().remove(session);
    }

    /// Drops the bindings of sessions rmcp has closed (on request, on idle timeout or
    /// at shutdown), so the map holds no more entries than rmcp holds sessions.
    async fn sweep(&self) {
        let live = self.sessions.sessions.read().await;
        self.lock()
            .retain(|session, _| live.contains_key(session.as_str()));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Uuid>> {
        self.owners.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Refuses requests that name a session another token opened (or one this server never
/// handed out), and records the owner of each session `initialize` opens.
pub(crate) async fn bind_to_token(
    State(owners): State<Arc<SessionOwners>>,
    request: Request,
    next: Next,
) -> Response {
    let token = request
        .extensions()
        .get::<AuthenticatedToken>()
        .map(|token| token.id);
    let session = session_id(request.headers());

    if let Some(session) = &session
        && (token.is_none() || owners.owner(session) != token)
    {
        tracing::warn!(
            token.id = ?token,
            "an MCP request named a session its token did not open; answered as unknown"
        );
        return session_not_found();
    }
    let closing = request.method() == Method::DELETE;
    let presented = bearer(request.headers());

    let response = next.run(request).await;

    if !response.status().is_success() {
        return response;
    }
    let response = match presented {
        Some(presented) if is_event_stream(&response) => {
            ends_when_refused(response, owners.manager.clone(), presented)
        }
        _ => response,
    };
    match (session, token) {
        (Some(session), _) if closing => owners.forget(&session),
        (None, Some(token)) => {
            if let Some(opened) = session_id(response.headers()) {
                owners.bind(opened, token).await;
            }
        }
        _ => {}
    }
    response
}

/// The bearer token the layer verified, kept only while its stream is open.
fn bearer(headers: &HeaderMap) -> Option<Zeroizing<String>> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (_scheme, token) = value.split_once(' ')?;
    Some(Zeroizing::new(token.trim_start_matches(' ').to_owned()))
}

fn is_event_stream(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/event-stream"))
}

/// Ends `response`'s body once `presented` no longer verifies. A store that cannot be
/// asked does not end it: the token may well still be valid.
fn ends_when_refused(
    response: Response,
    manager: TokenManager,
    presented: Zeroizing<String>,
) -> Response {
    let refused = async move {
        loop {
            tokio::time::sleep(RECHECK_EVERY).await;
            if let Err(VerifyError::Invalid(reason)) = manager.verify(&presented).await {
                tracing::info!(%reason, "ended an MCP event stream: its token is no longer valid");
                return;
            }
        }
    };
    let (parts, body) = response.into_parts();
    let frames = body.into_data_stream().take_until(refused);
    Response::from_parts(parts, Body::from_stream(frames))
}

fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get(SESSION_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// The answer rmcp gives for a session id it does not know, so a session of another
/// token cannot be told apart from one that does not exist.
fn session_not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not Found: Session not found").into_response()
}

#[cfg(test)]
mod tests {
    use rmcp::transport::streamable_http_server::session::SessionManager;

    use super::*;

    #[tokio::test]
    async fn a_sweep_forgets_the_owners_of_closed_sessions() {
        let sessions = Arc::new(LocalSessionManager::default());
        let owners = SessionOwners::new(
            Arc::clone(&sessions),
            TokenManager::builder(api_tokens::MemoryTokenStore::new())
                .build()
                .expect("a manager"),
        );
        let (open, _open_transport) = sessions.create_session().await.expect("a session");
        let (closed, _closed_transport) = sessions.create_session().await.expect("a session");
        let token = Uuid::now_v7();
        owners.bind(open.to_string(), token).await;
        owners.bind(closed.to_string(), token).await;

        sessions.close_session(&closed).await.expect("closed");
        owners.sweep().await;

        assert_eq!(owners.owner(&open), Some(token));
        assert_eq!(owners.owner(&closed), None);
    }
}
