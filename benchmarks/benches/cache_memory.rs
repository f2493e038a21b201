//! How many bytes the manager keeps per verified token.
//!
//! ```text
//! cargo bench -p api-tokens-bench --bench cache_memory [-- ENTRIES]
//! ```
//!
//! Stores ENTRIES tokens (100,000 by default), verifies each once so that each has a
//! cached verification, and reports the heap bytes still held afterwards, counted by an
//! instrumented global allocator (`stats_alloc`), plus the growth of the resident set as a
//! cross-check. Everything the manager keeps per token is included: the cache entry and
//! moka's bookkeeping for it, the index of digests per token id used for revocation, and
//! the last-used slot. The store's own records are allocated before counting starts.
//!
//! The tokens are hashed at bcrypt cost 4 (the cheapest) so that 200,000 bcrypt runs take
//! minutes, not hours; the cost does not change what is kept in memory. They live in a
//! lookup-only store built for this benchmark: `MemoryTokenStore` checks the per-owner
//! limit by scanning every token on insert, which makes loading 100,000 quadratic.

use std::alloc::System;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use api_tokens::{
    ActiveFilter, PermissionSet, StoreError, TokenHash, TokenManager, TokenPage, TokenRecord,
    TokenSecret, TokenStore,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};
use uuid::Uuid;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Verifications in flight at once while filling the cache.
const IN_FLIGHT: usize = 64;

fn main() {
    // `cargo bench` passes `--bench`; without it (`cargo test --all-targets`) this is only a
    // smoke run. The one positional argument is the number of entries.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let benchmarking = args.iter().any(|arg| arg == "--bench");
    let entries: usize = args
        .iter()
        .find(|arg| !arg.starts_with('-'))
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(if benchmarking { 100_000 } else { 200 });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime");

    println!("# Cache memory per verified token\n");
    println!("- machine: {}", api_tokens_bench::report::machine());
    let started = Instant::now();
    let tokens = hash_tokens(entries);
    eprintln!(
        "hashed {entries} tokens in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let store: Arc<dyn TokenStore> = Arc::new(LookupStore::new(
        tokens.iter().map(|(_, record)| record.clone()),
    ));
    let manager = TokenManager::builder_shared(Arc::clone(&store))
        .with_cache_capacity(entries as u64 + 1_000)
        .build()
        .expect("a manager");
    let plaintexts: Vec<String> = tokens.into_iter().map(|(token, _)| token).collect();

    // The first verification starts the background flusher and other one-time state;
    // it is not counted.
    runtime
        .block_on(manager.verify(&plaintexts[0]))
        .expect("the first token verifies");

    let rss_before = resident_kib();
    let before = GLOBAL.stats();
    let started = Instant::now();
    runtime.block_on(verify_all(&manager, &plaintexts[1..]));
    let after = GLOBAL.stats();
    let rss_after = resident_kib();
    eprintln!("verified in {:.1} s", started.elapsed().as_secs_f64());

    let counted = plaintexts.len() - 1;
    let held = (after.bytes_allocated as i128 + after.bytes_reallocated as i128
        - after.bytes_deallocated as i128)
        - (before.bytes_allocated as i128 + before.bytes_reallocated as i128
            - before.bytes_deallocated as i128);
    let stats = manager.stats();

    println!("- verified tokens counted: {counted}");
    println!(
        "- bcrypt verifications: {} (one per token), cache hits: {}",
        stats.bcrypt_verifications, stats.cache_hits
    );
    println!(
        "- heap held afterwards: {:.1} MiB, **{:.0} bytes per verified token**",
        held as f64 / 1024.0 / 1024.0,
        held as f64 / counted as f64
    );
    println!(
        "- resident set growth: {:.1} MiB, {:.0} bytes per verified token",
        (rss_after - rss_before) as f64 / 1024.0,
        (rss_after - rss_before) as f64 * 1024.0 / counted as f64
    );
    drop(plaintexts);
}

/// `count` tokens and their records, hashed at cost 4 on every CPU.
fn hash_tokens(count: usize) -> Vec<(String, TokenRecord)> {
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let per_thread = count.div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|worker| {
                let n = per_thread.min(count.saturating_sub(worker * per_thread));
                scope.spawn(move || (0..n).map(|_| token_record()).collect::<Vec<_>>())
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("a hashing thread"))
            .collect()
    })
}

fn token_record() -> (String, TokenRecord) {
    let secret = TokenSecret::generate();
    let token = secret.expose_secret().to_owned();
    let hash = bcrypt::non_truncating_hash(&token, 4).expect("bcrypt");
    let id = Uuid::now_v7();
    let record = TokenRecord {
        id,
        // Ten tokens per owner, like a full account.
        owner_id: format!("owner-{}", id.as_u128() % 10_000),
        name: "memory benchmark".to_owned(),
        description: None,
        permissions: PermissionSet::from_scope_string("read"),
        lookup_id: secret.lookup_id().to_owned(),
        hash: TokenHash::from_stored(hash),
        created_at: Utc::now(),
        last_used_at: None,
        expires_at: None,
        revoked_at: None,
    };
    (token, record)
}

async fn verify_all(manager: &TokenManager, tokens: &[String]) {
    for chunk in tokens.chunks(IN_FLIGHT) {
        let tasks: Vec<_> = chunk
            .iter()
            .map(|token| {
                let (manager, token) = (manager.clone(), token.clone());
                tokio::spawn(async move { manager.verify(&token).await.map(|_| ()) })
            })
            .collect();
        for task in tasks {
            task.await.expect("a task").expect("the token verifies");
        }
    }
}

/// The resident set size of this process, in KiB.
fn resident_kib() -> i64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Tokens indexed by id and by lookup id, loaded once; enough for verification and
/// last-used writes.
struct LookupStore {
    tokens: Mutex<Tokens>,
}

struct Tokens {
    by_id: HashMap<Uuid, TokenRecord>,
    id_by_lookup: HashMap<String, Uuid>,
}

impl LookupStore {
    fn new(records: impl Iterator<Item = TokenRecord>) -> Self {
        let mut tokens = Tokens {
            by_id: HashMap::new(),
            id_by_lookup: HashMap::new(),
        };
        for record in records {
            tokens
                .id_by_lookup
                .insert(record.lookup_id.clone(), record.id);
            tokens.by_id.insert(record.id, record);
        }
        Self {
            tokens: Mutex::new(tokens),
        }
    }

    fn tokens(&self) -> std::sync::MutexGuard<'_, Tokens> {
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl TokenStore for LookupStore {
    /// Loading happens in [`LookupStore::new`]; the benchmark creates no tokens.
    async fn insert(&self, _: TokenRecord, _: u32, _: ActiveFilter) -> Result<(), StoreError> {
        Err(StoreError::Conflict)
    }

    async fn find_by_lookup_id(&self, lookup_id: &str) -> Result<Option<TokenRecord>, StoreError> {
        let tokens = self.tokens();
        let id = tokens.id_by_lookup.get(lookup_id);
        Ok(id.and_then(|id| tokens.by_id.get(id)).cloned())
    }

    async fn find_by_id(&self, id: Uuid) -> Result<Option<TokenRecord>, StoreError> {
        Ok(self.tokens().by_id.get(&id).cloned())
    }

    async fn list_by_owner(&self, _: &str, _: u64, _: u64) -> Result<TokenPage, StoreError> {
        Ok(TokenPage {
            tokens: Vec::new(),
            total: 0,
        })
    }

    async fn count_active(&self, _: &str, _: ActiveFilter) -> Result<u64, StoreError> {
        Ok(0)
    }

    async fn revoke(
        &self,
        _: &str,
        _: Uuid,
        _: DateTime<Utc>,
    ) -> Result<Option<TokenRecord>, StoreError> {
        Ok(None)
    }

    async fn touch_last_used(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
        if let Some(token) = self.tokens().by_id.get_mut(&id) {
            token.last_used_at = token.last_used_at.max(Some(at));
        }
        Ok(())
    }
}
