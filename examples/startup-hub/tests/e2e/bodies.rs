//! Request bodies over the size limit: a JSON 413 on every JSON route, and nothing done.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::{DEMO_PASSWORD, Server, error_of};

/// Just over axum's default limit of 2 MiB, so the server stops reading early but the
/// client still finishes sending before the answer arrives.
const OVERSIZED: usize = 2 * 1024 * 1024 + 1024;

/// A JSON object that would be valid but for one overlong string field.
fn oversized(mut body: Value, field: &str) -> Value {
    body[field] = Value::String("x".repeat(OVERSIZED));
    body
}

async fn assert_too_large(response: reqwest::Response, what: &str) {
    let (status, error, code) = error_of(response).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{what}");
    assert_eq!(code, "PAYLOAD_TOO_LARGE", "{what}");
    assert_eq!(error, "The request body is too large", "{what}");
}

#[tokio::test]
async fn tc_token_117_an_oversized_body_is_a_json_413_and_changes_nothing() {
    let server = Server::start().await;
    let ada = server.browser();
    ada.login_demo("ada@example.com").await;
    let full = ada
        .create_token("big bodies", &["read", "create", "update"])
        .await;
    let agent = server.agent();
    let project = agent.create_project(&full.token, "Tiny Forge").await;
    let path = format!(
        "/api/mcp/projects/{}",
        project["id"].as_str().expect("an id")
    );

    let create = agent
        .send(
            Method::POST,
            "/api/mcp/projects",
            &full.token,
            Some(oversized(json!({ "title": "Too big" }), "pitch")),
        )
        .await;
    let update = agent
        .send(
            Method::PUT,
            &path,
            &full.token,
            Some(oversized(json!({ "title": "Renamed" }), "pitch")),
        )
        .await;
    let login = server
        .browser()
        .client
        .post(server.url("/auth/login"))
        .json(&oversized(
            json!({ "email": "ada@example.com", "password": DEMO_PASSWORD }),
            "padding",
        ))
        .send()
        .await
        .expect("login request");
    let signup = server
        .browser()
        .client
        .post(server.url("/auth/signup"))
        .json(&oversized(
            json!({ "email": "big@example.com", "password": "long enough" }),
            "name",
        ))
        .send()
        .await
        .expect("signup request");

    assert_too_large(create, "POST /api/mcp/projects").await;
    assert_too_large(update, "PUT /api/mcp/projects/{id}").await;
    assert_too_large(login, "POST /auth/login").await;
    assert_too_large(signup, "POST /auth/signup").await;

    let listed: Value = agent
        .get("/api/mcp/projects", Some(&full.token))
        .await
        .json()
        .await
        .expect("JSON body");
    let titles: Vec<&str> = listed["projects"]
        .as_array()
        .expect("a projects array")
        .iter()
        .filter_map(|project| project["title"].as_str())
        .collect();
    assert_eq!(titles, ["Tiny Forge"], "nothing created, nothing renamed");
    let signed_up = server
        .browser()
        .login("big@example.com", "long enough")
        .await;
    assert_eq!(signed_up.status(), StatusCode::UNAUTHORIZED, "no account");
}
