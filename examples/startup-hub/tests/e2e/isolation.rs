//! One user's tokens and projects are invisible to another.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::{Server, error_of};

/// Bob sees none of Ada's tokens or projects and cannot touch them. Returns the plaintexts
/// created.
pub(crate) async fn scenario(server: &Server) -> Vec<String> {
    let ada = server.browser();
    ada.login_demo("ada@example.com").await;
    let bob = server.browser();
    bob.login_demo("bob@example.com").await;
    let ada_token = ada
        .create_token("ada's agent", &["read", "create", "update", "delete"])
        .await;
    let bob_token = bob
        .create_token("bob's agent", &["read", "create", "update", "delete"])
        .await;
    let agent = server.agent();
    let ada_project = agent.create_project(&ada_token.token, "Ada's engine").await;
    let ada_project_id = ada_project["id"].as_str().expect("an id").to_owned();
    agent.create_project(&bob_token.token, "Bob's shed").await;

    let bob_tokens = bob.tokens().await;
    assert!(bob_tokens.iter().all(|t| t["id"] != ada_token.id.as_str()));
    assert!(bob_tokens.iter().any(|t| t["id"] == bob_token.id.as_str()));

    for projects in [
        agent
            .get("/api/mcp/projects", Some(&bob_token.token))
            .await
            .json::<Value>()
            .await
            .expect("JSON body"),
        bob.client
            .get(bob.url("/api/projects"))
            .send()
            .await
            .expect("request")
            .json::<Value>()
            .await
            .expect("JSON body"),
    ] {
        let titles: Vec<&str> = projects["projects"]
            .as_array()
            .expect("a projects array")
            .iter()
            .filter_map(|p| p["title"].as_str())
            .collect();
        assert!(titles.contains(&"Bob's shed"));
        assert!(!titles.contains(&"Ada's engine"), "{titles:?}");
    }

    let (status, error, code) = error_of(
        bob.client
            .delete(bob.url(&format!("/api/tokens/{}", ada_token.id)))
            .send()
            .await
            .expect("request"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        (error.as_str(), code.as_str()),
        ("Token not found", "NOT_FOUND")
    );

    let path = format!("/api/mcp/projects/{ada_project_id}");
    for (method, body) in [
        (Method::GET, None),
        (Method::PUT, Some(json!({ "title": "Bob's now" }))),
        (Method::DELETE, None),
    ] {
        let response = agent
            .send(method.clone(), &path, &bob_token.token, body)
            .await;
        let (status, error, code) = error_of(response).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method}");
        assert_eq!(
            (error.as_str(), code.as_str()),
            ("Project not found", "NOT_FOUND")
        );
    }

    // Ada's token and project are untouched.
    assert_eq!(ada.token(&ada_token.id).await["status"], "active");
    let still: Value = agent
        .get(&path, Some(&ada_token.token))
        .await
        .json()
        .await
        .expect("JSON body");
    assert_eq!(still["title"], "Ada's engine");

    vec![ada_token.token, bob_token.token]
}

#[tokio::test]
async fn tc_token_108_users_see_and_touch_only_their_own_tokens_and_projects() {
    let server = Server::start().await;

    scenario(&server).await;
}
