//! A graceful shutdown writes the last-used times still held in memory.

use std::time::Duration;

use chrono::{SubsecRound, Utc};
use reqwest::StatusCode;

use crate::harness::{Options, Server};
use crate::revocation::instant;

#[tokio::test]
async fn tc_token_113_sigterm_flushes_last_used_from_the_final_burst() {
    // An hour between writes: after the first use, only the shutdown flush can write.
    let server = Server::start_with(Options {
        env: vec![("LAST_USED_INTERVAL_SECS", "3600".into())],
        ..Options::default()
    })
    .await;
    let ada = server.browser();
    ada.login_demo("ada@example.com").await;
    let token = ada.create_token("bursty agent", &["read"]).await;
    let agent = server.agent();

    let first = agent.get("/api/mcp/projects", Some(&token.token)).await;
    assert_eq!(first.status(), StatusCode::OK);
    // The list shows whole seconds; two seconds apart, the first use and the burst differ.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let burst_started = Utc::now().trunc_subsecs(0);
    for _ in 0..20 {
        let response = agent.get("/api/mcp/projects", Some(&token.token)).await;
        assert_eq!(response.status(), StatusCode::OK);
    }

    let (output, restarted) = server.restart().await;
    assert!(
        output.contains("pending last-used times written"),
        "{output}"
    );

    let ada = restarted.browser();
    ada.login_demo("ada@example.com").await;
    let stored = ada.token(&token.id).await;
    let last_used = instant(&stored["last_used_at"]).expect("last_used_at survived the restart");
    assert!(
        last_used >= burst_started,
        "last_used_at {last_used} is from before the burst ({burst_started}): the flush was lost"
    );
}
