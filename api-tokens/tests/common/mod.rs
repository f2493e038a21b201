//! Shared test fixtures: an instrumented store and request helpers.

#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use api_tokens::{
    ActiveFilter, ApiTokenLayer, AuthenticatedToken, BcryptCost, MemoryTokenStore, NewToken,
    RateLimit, StoreError, TokenManager, TokenManagerBuilder, TokenPage, TokenRecord, TokenStore,
};
use async_trait::async_trait;
use axum::Router;
use axum::body::Body;
use axum::routing::get;
use chrono::{DateTime, Utc};
use http::{Request, Response};
use http_body_util::BodyExt;
use tower::ServiceExt;
use uuid::Uuid;

/// A memory store that counts last-used writes and can be told to fail. With `listing`
/// set it offers `lookup_ids_created_since`, the way an SQL store does; with `versioned`
/// too, also `data_version`, the way the memory store and SQLite files do.
#[derive(Default)]
pub struct InstrumentedStore {
    inner: MemoryTokenStore,
    pub touches: AtomicU64,
    pub lookups: AtomicU64,
    pub fail_touches: AtomicBool,
    pub unavailable: AtomicBool,
    pub listing: AtomicBool,
    pub versioned: AtomicBool,
    pub listings: AtomicU64,
    pub fail_listings: AtomicBool,
    /// How long each listing takes, in milliseconds.
    pub listing_delay_ms: AtomicU64,
    /// How long `find_by_lookup_id` waits after reading, in milliseconds.
    pub lookup_delay_ms: AtomicU64,
}

impl InstrumentedStore {
    /// A store that lists its lookup ids.
    pub fn listing() -> Arc<Self> {
        let store = Self::default();
        store.listing.store(true, Ordering::SeqCst);
        Arc::new(store)
    }

    /// A store that lists its lookup ids and keeps a data version.
    pub fn versioned() -> Arc<Self> {
        let store = Self::default();
        store.listing.store(true, Ordering::SeqCst);
        store.versioned.store(true, Ordering::SeqCst);
        Arc::new(store)
    }
}

impl InstrumentedStore {
    fn check(&self) -> Result<(), StoreError> {
        if self.unavailable.load(Ordering::SeqCst) {
            return Err(StoreError::unavailable(std::io::Error::from(
                std::io::ErrorKind::ConnectionRefused,
            )));
        }
        Ok(())
    }
}

#[async_trait]
impl TokenStore for InstrumentedStore {
    async fn insert(&self, r: TokenRecord, max: u32, a: ActiveFilter) -> Result<(), StoreError> {
        self.check()?;
        self.inner.insert(r, max, a).await
    }

    async fn find_by_lookup_id(&self, lookup_id: &str) -> Result<Option<TokenRecord>, StoreError> {
        self.check()?;
        self.lookups.fetch_add(1, Ordering::SeqCst);
        let found = self.inner.find_by_lookup_id(lookup_id).await;
        let delay = self.lookup_delay_ms.load(Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(delay)).await;
        found
    }

    async fn find_by_id(&self, id: Uuid) -> Result<Option<TokenRecord>, StoreError> {
        self.check()?;
        self.inner.find_by_id(id).await
    }

    async fn list_by_owner(&self, o: &str, off: u64, lim: u64) -> Result<TokenPage, StoreError> {
        self.check()?;
        self.inner.list_by_owner(o, off, lim).await
    }

    async fn count_active(&self, owner_id: &str, a: ActiveFilter) -> Result<u64, StoreError> {
        self.check()?;
        self.inner.count_active(owner_id, a).await
    }

    async fn revoke(
        &self,
        owner_id: &str,
        id: Uuid,
        at: DateTime<Utc>,
    ) -> Result<Option<TokenRecord>, StoreError> {
        self.check()?;
        self.inner.revoke(owner_id, id, at).await
    }

    async fn touch_last_used(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.touches.fetch_add(1, Ordering::SeqCst);
        if self.fail_touches.load(Ordering::SeqCst) {
            return Err(StoreError::backend("disk full"));
        }
        self.check()?;
        self.inner.touch_last_used(id, at).await
    }

    async fn lookup_ids_created_since(
        &self,
        since: Option<DateTime<Utc>>,
    ) -> Result<Option<Vec<String>>, StoreError> {
        if !self.listing.load(Ordering::SeqCst) {
            return Ok(None);
        }
        self.listings.fetch_add(1, Ordering::SeqCst);
        let delay = self.listing_delay_ms.load(Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(delay)).await;
        self.check()?;
        if self.fail_listings.load(Ordering::SeqCst) {
            return Err(StoreError::backend("listing failed"));
        }
        self.inner.lookup_ids_created_since(since).await
    }

    fn data_version(&self) -> Option<u64> {
        if self.versioned.load(Ordering::SeqCst) {
            self.inner.data_version()
        } else {
            None
        }
    }
}

/// A builder with a fast bcrypt cost and Startup Hub's vocabulary.
pub fn builder(store: &Arc<InstrumentedStore>) -> TokenManagerBuilder {
    TokenManager::builder_shared(Arc::clone(store) as Arc<dyn TokenStore>)
        .with_bcrypt_cost(BcryptCost::insecure_for_tests(4))
        .with_permissions(["read", "create", "update", "delete"])
}

pub fn manager() -> (TokenManager, Arc<InstrumentedStore>) {
    let store = Arc::new(InstrumentedStore::default());
    let manager = builder(&store).build().expect("valid config");
    (manager, store)
}

pub async fn create(manager: &TokenManager, owner: &str, name: &str) -> (String, Uuid) {
    let created = manager
        .create(owner, NewToken::named(name))
        .await
        .expect("create");
    (created.token.expose_secret().to_owned(), created.record.id)
}

/// A router with `/read` (any token) and the layer in front, no rate limit.
pub fn app(manager: &TokenManager) -> Router {
    app_with(
        ApiTokenLayer::new(manager.clone())
            .with_realm("test")
            .with_rate_limit(None),
    )
}

pub fn app_with(layer: ApiTokenLayer) -> Router {
    Router::new()
        .route(
            "/read",
            get(
                |axum::Extension(token): axum::Extension<AuthenticatedToken>| async move {
                    token.owner_id
                },
            ),
        )
        .layer(layer)
}

pub fn rate_limited(manager: &TokenManager, per_minute: u32) -> ApiTokenLayer {
    let limit = RateLimit::per_minute(std::num::NonZeroU32::new(per_minute).expect("non-zero"));
    ApiTokenLayer::new(manager.clone())
        .with_realm("test")
        .with_rate_limit(Some(limit))
}

/// Sends `GET path` with the given `Authorization` values.
pub async fn get_with(app: &Router, path: &str, authorization: &[&[u8]]) -> Response<Body> {
    let mut request = Request::get(path);
    for value in authorization {
        request = request.header(http::header::AUTHORIZATION, *value);
    }
    let request = request.body(Body::empty()).expect("request");
    app.clone().oneshot(request).await.expect("infallible")
}

pub async fn bearer(app: &Router, token: &str) -> Response<Body> {
    get_with(app, "/read", &[format!("Bearer {token}").as_bytes()]).await
}

pub async fn body_text(response: Response<Body>) -> String {
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    String::from_utf8(bytes.to_vec()).expect("utf-8 body")
}

/// Polls `check` until it holds, for at most `limit`.
pub async fn eventually(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + limit;
    while tokio::time::Instant::now() < deadline {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    check()
}
