//! The `Token` extractors, and what operators see when wiring or the store fails.

mod common;

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use api_tokens::{
    ActiveFilter, ApiTokenLayer, MemoryTokenStore, StoreError, TokenPage, TokenRecord, TokenStore,
};
use api_tokens_axum::Token;
use async_trait::async_trait;
use axum::Router;
use axum::http::{Method, StatusCode};
use axum::routing::get;
use chrono::{DateTime, Utc};
use common::{TestApp, empty, manager};
use serde_json::json;
use tracing::subscriber::DefaultGuard;
use uuid::Uuid;

/// Log lines written while the guard lives, on this thread.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    fn capture() -> (Self, DefaultGuard) {
        let logs = Self::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_max_level(tracing::Level::DEBUG)
            .with_writer(move || writer.clone())
            .finish();
        (logs, tracing::subscriber::set_default(subscriber))
    }

    fn text(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

async fn whoami(Token(token): Token) -> String {
    token.owner_id
}

async fn maybe(token: Option<Token>) -> String {
    token.map_or_else(|| "anonymous".to_owned(), |Token(token)| token.owner_id)
}

#[tokio::test]
async fn tc_token_094_the_token_extractor_without_the_layer_is_a_logged_500() {
    let (logs, _guard) = Logs::capture();
    let app: Router = Router::new().route("/unprotected", get(whoami));

    let response = tower::ServiceExt::oneshot(app, empty(Method::GET, "/unprotected", None))
        .await
        .expect("infallible");

    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("a body")
        .to_bytes();
    assert_eq!(
        &body[..],
        br#"{"error":"Internal server error","code":"INTERNAL_ERROR"}"#
    );
    let logged = logs.text();
    let line = logged
        .lines()
        .find(|line| line.contains("ApiTokenLayer is not installed on this route"))
        .unwrap_or_else(|| panic!("no log line names the missing layer: {logged}"));
    assert!(line.contains("ERROR"), "{line}");
}

#[tokio::test]
async fn tc_token_095_the_optional_token_extractor_is_none_without_a_token() {
    let manager = manager(MemoryTokenStore::new());
    let created = manager
        .create("user-a", api_tokens::NewToken::named("agent"))
        .await
        .expect("created");
    let app: Router = Router::new().route("/open", get(maybe)).merge(
        Router::new()
            .route("/guarded", get(maybe))
            .layer(ApiTokenLayer::new(manager.clone())),
    );
    let send = |request| tower::ServiceExt::oneshot(app.clone(), request);
    let with_token = axum::http::Request::get("/guarded")
        .header(
            "authorization",
            format!("Bearer {}", created.token.expose_secret()),
        )
        .body(axum::body::Body::empty())
        .expect("a valid request");

    let open = send(empty(Method::GET, "/open", None))
        .await
        .expect("infallible");
    let guarded = send(with_token).await.expect("infallible");

    let read = |response: axum::response::Response| async move {
        let body = http_body_util::BodyExt::collect(response.into_body()).await;
        body.expect("a body").to_bytes()
    };
    assert_eq!(open.status(), StatusCode::OK);
    assert_eq!(&read(open).await[..], b"anonymous");
    assert_eq!(guarded.status(), StatusCode::OK);
    assert_eq!(&read(guarded).await[..], b"user-a");
}

/// A store whose backend is down.
struct DownStore;

fn down() -> StoreError {
    StoreError::unavailable(io::Error::new(
        io::ErrorKind::ConnectionRefused,
        "connection refused",
    ))
}

#[async_trait]
impl TokenStore for DownStore {
    async fn insert(&self, _: TokenRecord, _: u32, _: ActiveFilter) -> Result<(), StoreError> {
        Err(down())
    }

    async fn find_by_lookup_id(&self, _: &str) -> Result<Option<TokenRecord>, StoreError> {
        Err(down())
    }

    async fn find_by_id(&self, _: Uuid) -> Result<Option<TokenRecord>, StoreError> {
        Err(down())
    }

    async fn list_by_owner(&self, _: &str, _: u64, _: u64) -> Result<TokenPage, StoreError> {
        Err(down())
    }

    async fn count_active(&self, _: &str, _: ActiveFilter) -> Result<u64, StoreError> {
        Err(down())
    }

    async fn revoke(
        &self,
        _: &str,
        _: Uuid,
        _: DateTime<Utc>,
    ) -> Result<Option<TokenRecord>, StoreError> {
        Err(down())
    }

    async fn touch_last_used(&self, _: Uuid, _: DateTime<Utc>) -> Result<(), StoreError> {
        Err(down())
    }
}

#[tokio::test]
async fn tc_token_096_store_failures_are_logged_503s() {
    let (logs, _guard) = Logs::capture();
    let app = TestApp::new(manager(DownStore));
    let expected = r#"{"error":"Token store unavailable","code":"STORE_UNAVAILABLE"}"#;

    let create = app.create("user-a", json!({ "name": "agent" })).await;
    let list = app.list("user-a", "").await;
    let revoke = app.revoke("user-a", &Uuid::now_v7().to_string()).await;
    let policy = app
        .send(empty(Method::GET, "/api/tokens/policy", Some("user-a")))
        .await;

    for response in [&create, &list, &revoke] {
        assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.text(), expected);
    }
    assert_eq!(policy.status, StatusCode::OK);
    let logged = logs.text();
    let failures: Vec<&str> = logged
        .lines()
        .filter(|line| line.contains("ERROR") && line.contains("the token store failed"))
        .collect();
    assert_eq!(failures.len(), 3, "{logged}");
    assert!(
        failures
            .iter()
            .all(|line| line.contains("connection refused")),
        "{logged}"
    );
    assert!(common::secret_leaks(&logged).is_empty(), "{logged}");
    assert!(!logged.contains("sh_live_"), "{logged}");
}
