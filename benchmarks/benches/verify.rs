//! Micro-benchmarks of the verification path, with criterion.
//!
//! ```text
//! cargo bench -p api-tokens-bench --bench verify
//! ```
//!
//! - `parse/*`: the shape check every presented token goes through first.
//! - `verify/warm`: a token whose verification is cached.
//! - `verify/unknown_lookup_id`: a well-formed token whose lookup id is not stored.
//! - `bcrypt_cost_12/cold_verify` against `bcrypt_cost_12/bare_bcrypt`: a first
//!   verification (fresh manager, empty cache: one lookup and one bcrypt on the blocking
//!   pool) next to a bare `bcrypt::non_truncating_verify` of the same token and hash.
//!   Criterion runs the two one after the other, so on a busy machine their estimates drift
//!   apart; each cold verification is therefore also paired with a bare bcrypt right after
//!   it, and the median of those per-pair ratios is printed.
//! - `layer/*`: one request through an axum router with `tower::ServiceExt::oneshot`,
//!   without auth and behind `ApiTokenLayer`, no network involved. Every request carries
//!   an `Authorization` header, so the difference is the layer's work alone.
//!   `layer/warm_token_rate_limited` adds the per-token rate limiter, at a limit the
//!   benchmark never reaches.

use std::hint::black_box;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::{Duration, Instant};

use api_tokens::{
    ApiTokenLayer, MemoryTokenStore, NewToken, RateLimit, TokenManager, TokenSecret, TokenStore,
    is_well_formed,
};
use api_tokens_bench::hello;
use axum::Router;
use axum::body::Body;
use axum::routing::get;
use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use http::Request;
use tokio::runtime::Runtime;
use tower::ServiceExt;

/// A store holding one token at the default cost (12), and a manager that has verified it.
struct Fixture {
    runtime: Runtime,
    store: Arc<dyn TokenStore>,
    manager: TokenManager,
    token: String,
    hash: String,
    /// Well-formed tokens whose lookup ids are not in the store.
    unknown: Vec<String>,
}

impl Fixture {
    fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("a Tokio runtime");
        let store: Arc<dyn TokenStore> = Arc::new(MemoryTokenStore::new());
        let manager = TokenManager::builder_shared(Arc::clone(&store))
            .build()
            .expect("a manager");

        let created = runtime
            .block_on(manager.create("bench", NewToken::named("bench")))
            .expect("a token");
        let token = created.token.expose_secret().to_owned();
        runtime
            .block_on(manager.verify(&token))
            .expect("the token verifies");

        let unknown = (0..4096)
            .map(|_| TokenSecret::generate().expose_secret().to_owned())
            .collect();
        Self {
            runtime,
            store,
            manager,
            token,
            hash: created.record.hash.as_str().to_owned(),
            unknown,
        }
    }

    fn get(&self, token: &str) -> Request<Body> {
        Request::get("/")
            .header("Authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .expect("a request")
    }
}

fn parse(c: &mut Criterion, fixture: &Fixture) {
    let mut group = c.benchmark_group("parse");
    let malformed = format!("{}!", &fixture.token[..39]);

    group.bench_function("well_formed", |b| {
        b.iter(|| is_well_formed(black_box(&fixture.token)));
    });
    group.bench_function("malformed", |b| {
        b.iter(|| is_well_formed(black_box(&malformed)));
    });
    group.finish();
}

fn verify(c: &mut Criterion, fixture: &Fixture) {
    let mut group = c.benchmark_group("verify");
    let manager = &fixture.manager;

    group.bench_function("warm", |b| {
        b.to_async(&fixture.runtime)
            .iter(|| async { manager.verify(black_box(&fixture.token)).await });
    });

    let mut next = 0;
    group.bench_function("unknown_lookup_id", |b| {
        b.to_async(&fixture.runtime).iter(|| {
            next = (next + 1) % fixture.unknown.len();
            let token = &fixture.unknown[next];
            async move { manager.verify(black_box(token)).await }
        });
    });
    group.finish();

    let stats = manager.stats();
    println!(
        "verify counters: {} cache hits, {} store lookups, {} bcrypt verifications (1 expected: \
         the fixture's first use)",
        stats.cache_hits, stats.store_lookups, stats.bcrypt_verifications
    );
}

fn bcrypt_cost_12(c: &mut Criterion, fixture: &Fixture) {
    let mut group = c.benchmark_group("bcrypt_cost_12");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(15));

    // Each timed cold verification is paired with an untimed bare bcrypt right after it,
    // so their ratio is taken under the same machine load, pair by pair.
    let pairs = std::sync::Mutex::new(Vec::new());
    let shared = &pairs;
    group.bench_function("cold_verify", |b| {
        b.to_async(&fixture.runtime)
            .iter_custom(|iters| async move {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    // A fresh manager has an empty cache; building it is not timed.
                    let manager = TokenManager::builder_shared(Arc::clone(&fixture.store))
                        .build()
                        .expect("a manager");
                    let start = Instant::now();
                    let verified = manager.verify(&fixture.token).await;
                    let cold = start.elapsed();
                    assert!(verified.is_ok(), "a cold verification failed");

                    let start = Instant::now();
                    let _ = bcrypt::non_truncating_verify(&fixture.token, &fixture.hash);
                    let bare = start.elapsed();
                    shared
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push(cold.as_secs_f64() / bare.as_secs_f64());
                    total += cold;
                }
                total
            });
    });
    let ratios = pairs
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    println!(
        "cold ÷ bare bcrypt, interleaved pairs: median {:.3}× over {} pairs",
        api_tokens_bench::report::median(&ratios),
        ratios.len()
    );
    group.bench_function("bare_bcrypt", |b| {
        b.iter(|| bcrypt::non_truncating_verify(black_box(&fixture.token), &fixture.hash));
    });
    group.finish();
}

fn layer(c: &mut Criterion, fixture: &Fixture) {
    let mut group = c.benchmark_group("layer");
    let bare = Router::new().route("/", get(hello));
    let guarded = Router::new()
        .route("/", get(hello))
        .layer(ApiTokenLayer::new(fixture.manager.clone()).with_rate_limit(None));
    // The per-token limiter on, at a limit the benchmark never reaches.
    let limited = Router::new().route("/", get(hello)).layer(
        ApiTokenLayer::new(fixture.manager.clone())
            .with_rate_limit(Some(RateLimit::per_minute(NonZeroU32::MAX))),
    );

    // The same header on every request, so building requests costs every variant alike.
    group.bench_function("no_auth", |b| {
        b.to_async(&fixture.runtime)
            .iter(|| bare.clone().oneshot(fixture.get(&fixture.token)));
    });
    group.bench_function("warm_token", |b| {
        b.to_async(&fixture.runtime)
            .iter(|| guarded.clone().oneshot(fixture.get(&fixture.token)));
    });
    group.bench_function("warm_token_rate_limited", |b| {
        b.to_async(&fixture.runtime)
            .iter(|| limited.clone().oneshot(fixture.get(&fixture.token)));
    });
    let mut next = 0;
    group.bench_function("unknown_token", |b| {
        b.to_async(&fixture.runtime).iter(|| {
            next = (next + 1) % fixture.unknown.len();
            guarded.clone().oneshot(fixture.get(&fixture.unknown[next]))
        });
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let fixture = Fixture::new();

    parse(c, &fixture);
    verify(c, &fixture);
    layer(c, &fixture);
    bcrypt_cost_12(c, &fixture);
}

criterion_group!(verification, benches);
criterion_main!(verification);
