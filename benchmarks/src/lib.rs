//! Benchmarks of `api-tokens`: what token authentication costs per request.
//!
//! The targets live beside this library:
//!
//! - `benches/verify.rs` (criterion): parsing, warm and cold verification, bare bcrypt at
//!   the same cost, unknown lookup ids, and the layer through `tower::ServiceExt::oneshot`.
//! - `benches/cache_memory.rs`: bytes held per verified token, counted by an instrumented
//!   global allocator.
//! - `src/bin/http_load.rs` (`http-load`): servers on loopback driven by `wrk`, every
//!   variant interleaved round after round, medians compared with a no-auth baseline
//!   measured in the same run.
//! - `src/bin/store_scale.rs` (`store-scale`): lookups, listing and cold verification with
//!   100 and 100,000 tokens in SQLite and PostgreSQL.
//!
//! This library holds what those programs share. None of it is meant for production use,
//! and nothing here runs as a test: wall-clock numbers are reported, never asserted.
//! `BENCHMARKS.md` at the repository root has the commands and the latest results.

pub mod cli;
pub mod client;
pub mod counting;
pub mod naive;
pub mod report;
pub mod wrk;

use std::net::SocketAddr;

use axum::Router;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The trivial handler every variant serves, so only the middleware differs.
pub async fn hello() -> &'static str {
    "ok"
}

/// Serves `router` on an ephemeral loopback port until the returned task is aborted.
///
/// # Errors
///
/// When no loopback port can be bound.
pub async fn serve(router: Router) -> std::io::Result<(SocketAddr, JoinHandle<()>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            eprintln!("server on {addr} stopped: {error}");
        }
    });
    Ok((addr, task))
}
