//! Revocation takes effect at once, and the token list shows when a token was last used.

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::json;

use crate::harness::{Server, error_of};
use crate::mcp;

pub(crate) fn instant(value: &serde_json::Value) -> Option<DateTime<Utc>> {
    value.as_str()?.parse().ok()
}

/// Ada uses a token, revokes it, and both the REST API and `/mcp` refuse it immediately.
/// Returns the plaintext created.
pub(crate) async fn scenario(server: &Server) -> Vec<String> {
    let ada = server.browser();
    ada.login_demo("ada@example.com").await;
    let token = ada.create_token("to be revoked", &["read"]).await;
    let agent = server.agent();

    let listed = ada.token(&token.id).await;
    assert_eq!(listed["status"], "active");
    assert!(listed["last_used_at"].is_null(), "never used yet");
    assert!(
        listed.get("token").is_none() && !listed.to_string().contains(&token.token),
        "the list never holds the plaintext"
    );

    let before = Utc::now();
    for _ in 0..3 {
        let response = agent.get("/api/mcp/projects", Some(&token.token)).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let client = mcp::connect(server, Some(&token.token))
        .await
        .expect("the MCP session starts");
    let listed_over_mcp = mcp::call(&client, "list_projects", json!({})).await;
    assert_ne!(listed_over_mcp.is_error, Some(true));
    let _ = client.cancel().await;
    let after = Utc::now();

    let used = ada.token(&token.id).await;
    let last_used = instant(&used["last_used_at"]).expect("last_used_at is set after use");
    assert!(
        last_used >= before - chrono::Duration::seconds(1) && last_used <= after,
        "last_used_at {last_used} is not within the calls ({before} .. {after})"
    );

    assert_eq!(ada.revoke(&token.id).await, StatusCode::NO_CONTENT);

    let refused = agent.get("/api/mcp/projects", Some(&token.token)).await;
    let (status, error, code) = error_of(refused).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        (error.as_str(), code.as_str()),
        ("Invalid or expired token", "INVALID_TOKEN")
    );
    let over_mcp = mcp::connect(server, Some(&token.token)).await;
    assert!(over_mcp.is_err(), "/mcp refuses the revoked token");

    let revoked = ada.token(&token.id).await;
    assert_eq!(revoked["status"], "revoked");
    assert!(instant(&revoked["revoked_at"]).is_some());
    assert!(instant(&revoked["last_used_at"]).is_some_and(|at| at >= last_used));
    assert_eq!(
        ada.revoke(&token.id).await,
        StatusCode::NO_CONTENT,
        "revoking again succeeds"
    );

    vec![token.token]
}

#[tokio::test]
async fn tc_token_109_a_revoked_token_stops_at_once_and_last_used_shows_its_use() {
    let server = Server::start().await;

    scenario(&server).await;
}
