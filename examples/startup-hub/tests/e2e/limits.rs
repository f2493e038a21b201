//! The per-token rate limit, shared by the REST API and `/mcp`.

use std::time::Instant;

use reqwest::StatusCode;
use serde_json::json;

use crate::harness::{Server, error_of};
use crate::mcp;

#[tokio::test]
async fn tc_token_107_the_101st_request_in_a_minute_is_rate_limited_per_token() {
    let server = Server::start().await;
    let ada = server.browser();
    ada.login_demo("ada@example.com").await;
    let busy = ada.create_token("busy agent", &["read"]).await;
    let calm = ada.create_token("calm agent", &["read"]).await;
    let agent = server.agent();

    // The limit is a steady 100 a minute with a burst of 100: one request more is allowed
    // for every 0.6 s the loop takes, so count until the first refusal.
    let started = Instant::now();
    let mut served = 0_u32;
    let refusal = loop {
        let response = agent.get("/api/mcp/projects", Some(&busy.token)).await;
        if response.status() == StatusCode::OK {
            served += 1;
            assert!(served < 200, "the limit never applied");
            continue;
        }
        break response;
    };
    let refilled = (started.elapsed().as_secs_f64() / 0.6).ceil() as u32;

    assert!(served >= 100, "only {served} requests were served");
    assert!(
        served <= 100 + refilled,
        "{served} served in {:?}",
        started.elapsed()
    );
    let retry_after: u64 = refusal
        .headers()
        .get("retry-after")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok())
        .expect("a numeric Retry-After header");
    assert!((1..=60).contains(&retry_after));
    let (status, error, code) = error_of(refusal).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        (error.as_str(), code.as_str()),
        ("Rate limit exceeded", "RATE_LIMITED")
    );

    // The same limiter guards /mcp.
    let over_mcp = reqwest::Client::new()
        .post(server.url("/mcp"))
        .bearer_auth(&busy.token)
        .header("accept", "application/json, text/event-stream")
        .json(&json!({ "jsonrpc": "2.0", "id": 1, "method": "ping" }))
        .send()
        .await
        .expect("request");
    assert_eq!(over_mcp.status(), StatusCode::TOO_MANY_REQUESTS);

    // Another token of the same owner has its own budget.
    let response = agent.get("/api/mcp/projects", Some(&calm.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let client = mcp::connect(&server, Some(&calm.token))
        .await
        .expect("the other token opens an MCP session");
    let listed = mcp::call(&client, "list_projects", json!({})).await;
    assert_ne!(listed.is_error, Some(true));
    let _ = client.cancel().await;
}
