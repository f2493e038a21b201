//! Logs never hold a token or a hash, even at `trace`.

use crate::databases::whole_flow;
use crate::harness::{Options, Server};

#[tokio::test]
async fn tc_token_112_trace_logs_hold_no_plaintext_token_and_no_hash() {
    let server = Server::start_with(Options {
        env: vec![("RUST_LOG", "trace".into())],
        ..Options::default()
    })
    .await;

    let secrets = whole_flow(&server).await;
    // A token in the query string is not a credential here, and not logged either.
    let in_query = reqwest::Client::new()
        .get(server.url(&format!("/api/mcp/projects?access_token={}", secrets[0])))
        .send()
        .await
        .expect("request");
    assert_eq!(in_query.status(), reqwest::StatusCode::UNAUTHORIZED);
    let output = server.terminate().await;

    assert!(secrets.len() >= 8, "the flow created tokens");
    assert!(output.lines().count() > 100, "trace logging was on");
    for secret in &secrets {
        assert!(
            !output.contains(secret.as_str()),
            "a plaintext token was logged"
        );
        // Nor the random part alone, in case a prefix was stripped.
        assert!(
            !output.contains(&secret["sh_live_".len()..]),
            "a token's random part was logged"
        );
    }
    assert!(!output.contains("$2b$"), "a bcrypt hash was logged");
    assert!(!output.contains("$argon2"), "a password hash was logged");
}
