//! The test app shared by the suites: the token routes behind a header-driven "session",
//! a route behind `ApiTokenLayer`, and a recorder that scans every response for secrets.

#![allow(dead_code, unreachable_pub)]

use std::sync::{Arc, Mutex, PoisonError};

use api_tokens::{ApiTokenLayer, BcryptCost, MemoryTokenStore, TokenManager, TokenStore};
use api_tokens_axum::{Token, TokenOwner};
use api_tokens_sea_orm::SeaOrmTokenStore;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use http_body_util::BodyExt;
use regex::Regex;
use serde_json::{Value, json};
use tower::ServiceExt;

/// The header the test "session" reads the signed-in user from.
pub const USER_HEADER: &str = "x-test-user";

/// The permission vocabulary of Startup Hub.
pub const PERMISSIONS: [&str; 4] = ["read", "create", "update", "delete"];

/// A manager over `store` with the example product's settings and a fast bcrypt.
pub fn manager(store: impl TokenStore) -> TokenManager {
    TokenManager::builder(store)
        .with_permissions(PERMISSIONS)
        .with_bcrypt_cost(BcryptCost::insecure_for_tests(4))
        .build()
        .expect("valid test settings")
}

/// One response, read whole.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl TestResponse {
    /// The body as JSON; panics with the body when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "expected a JSON body ({error}), got {:?}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

struct Recorded {
    creation: bool,
    body: String,
}

/// The app under test. Every response is recorded; when the app is dropped, every body
/// except those of successful creations is scanned for secret material.
pub struct TestApp {
    pub manager: TokenManager,
    router: Router,
    recorded: Arc<Mutex<Vec<Recorded>>>,
}

impl TestApp {
    /// The app over an in-memory store.
    pub fn memory() -> Self {
        Self::new(manager(MemoryTokenStore::new()))
    }

    /// The app over a fresh in-memory SQLite database, migrated.
    pub async fn sqlite() -> Self {
        let store = SeaOrmTokenStore::connect("sqlite::memory:")
            .await
            .expect("SQLite opens");
        api_tokens_sea_orm::migrate(store.connection())
            .await
            .expect("the migrations run");
        Self::new(manager(store))
    }

    /// The app over `manager`.
    pub fn new(manager: TokenManager) -> Self {
        let tokens = api_tokens_axum::router(manager.clone()).layer(middleware::from_fn(session));
        let protected = Router::new()
            .route("/api/whoami", get(whoami))
            .layer(ApiTokenLayer::new(manager.clone()).with_rate_limit(None));

        Self {
            manager,
            router: Router::new().merge(tokens).merge(protected),
            recorded: Arc::default(),
        }
    }

    /// Sends `request` and records its response.
    pub async fn send(&self, request: Request) -> TestResponse {
        let creation = request.method() == Method::POST && request.uri().path() == "/api/tokens";
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router is infallible");

        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("a readable body")
            .to_bytes();

        self.recorded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Recorded {
                creation: creation && status == StatusCode::CREATED,
                body: String::from_utf8_lossy(&body).into_owned(),
            });
        TestResponse {
            status,
            headers,
            body,
        }
    }

    /// `POST /api/tokens` as `user` with a JSON body.
    pub async fn create(&self, user: &str, body: Value) -> TestResponse {
        self.send(
            request(Method::POST, "/api/tokens", Some(user))
                .header("content-type", "application/json")
                .body(Body::from(body.to_string()))
                .expect("a valid request"),
        )
        .await
    }

    /// Creates a token named `name` as `user`; panics unless it is created.
    pub async fn create_named(&self, user: &str, name: &str) -> Value {
        let response = self.create(user, json!({ "name": name })).await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
        response.json()
    }

    /// `GET /api/tokens?{query}` as `user`.
    pub async fn list(&self, user: &str, query: &str) -> TestResponse {
        let uri = if query.is_empty() {
            "/api/tokens".to_owned()
        } else {
            format!("/api/tokens?{query}")
        };
        self.send(empty(Method::GET, &uri, Some(user))).await
    }

    /// `DELETE /api/tokens/{id}` as `user`.
    pub async fn revoke(&self, user: &str, id: &str) -> TestResponse {
        self.send(empty(
            Method::DELETE,
            &format!("/api/tokens/{id}"),
            Some(user),
        ))
        .await
    }

    /// `GET /api/whoami` with `Authorization: Bearer {token}`, behind `ApiTokenLayer`.
    pub async fn whoami(&self, token: &str) -> TestResponse {
        self.send(
            request(Method::GET, "/api/whoami", None)
                .header("authorization", format!("Bearer {token}"))
                .body(Body::empty())
                .expect("a valid request"),
        )
        .await
    }

    /// Every recorded body that must hold no secret.
    pub fn scanned_bodies(&self) -> Vec<String> {
        self.recorded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter(|recorded| !recorded.creation)
            .map(|recorded| recorded.body.clone())
            .collect()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let leaks: Vec<String> = self
            .scanned_bodies()
            .iter()
            .flat_map(|body| secret_leaks(body))
            .collect();
        assert!(leaks.is_empty(), "secret material in responses: {leaks:?}");
    }
}

/// What in `body` looks like secret material: a whole token, a bcrypt hash, or a JSON
/// key named like `hash` or `secret`.
pub fn secret_leaks(body: &str) -> Vec<String> {
    let patterns = Regex::new(r"sh_live_[A-Za-z0-9]{32}|\$2[aby]\$").expect("a valid pattern");
    let mut leaks: Vec<String> = patterns
        .find_iter(body)
        .map(|found| found.as_str().to_owned())
        .collect();

    if let Ok(value) = serde_json::from_str::<Value>(body) {
        collect_secret_keys(&value, &mut leaks);
    }
    leaks
}

fn collect_secret_keys(value: &Value, leaks: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, nested) in map {
                let lower = key.to_ascii_lowercase();
                if lower.contains("hash") || lower.contains("secret") {
                    leaks.push(format!("key {key:?}"));
                }
                collect_secret_keys(nested, leaks);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| collect_secret_keys(item, leaks)),
        _ => {}
    }
}

/// A request builder with the test session's user header when `user` is given.
pub fn request(method: Method, uri: &str, user: Option<&str>) -> axum::http::request::Builder {
    let builder = Request::builder().method(method).uri(uri);
    match user {
        Some(user) => builder.header(USER_HEADER, user),
        None => builder,
    }
}

/// A request without a body.
pub fn empty(method: Method, uri: &str, user: Option<&str>) -> Request {
    request(method, uri, user)
        .body(Body::empty())
        .expect("a valid request")
}

/// The host's "session": the signed-in user comes from a header.
async fn session(mut request: Request, next: Next) -> Response {
    let user = request
        .headers()
        .get(USER_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(TokenOwner::new);
    if let Some(owner) = user {
        request.extensions_mut().insert(owner);
    }
    next.run(request).await
}

async fn whoami(Token(token): Token) -> String {
    token.owner_id
}

/// Runs each listed `async fn(TestApp)` once per store, as `memory::<name>` and
/// `sqlite::<name>`.
#[allow(unused_macros)]
macro_rules! on_every_store {
    ($($test:ident),* $(,)?) => {
        mod memory {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test(super::common::TestApp::memory()).await;
                }
            )*
        }

        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test(super::common::TestApp::sqlite().await).await;
                }
            )*
        }
    };
}
