//! The in-memory store passes the store conformance suite.

use api_tokens::MemoryTokenStore;

api_tokens::store_conformance_tests!(async { MemoryTokenStore::new() });

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn run_all_passes_on_the_memory_store() {
    api_tokens::testing::run_all(|| async { MemoryTokenStore::new() }).await;
}
