//! The agents' REST API: bearer tokens, permissions and the error bodies on the wire.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::{Server, error_of};

/// A well-formed token that was never issued.
pub(crate) const MADE_UP_TOKEN: &str = "sh_live_AbCdEfGhIjKlMnOpQrStUvWxYz012345";

/// Ada's `read` token may read but not write; her full token may do everything. Returns
/// the plaintexts created.
pub(crate) async fn permissions_scenario(server: &Server) -> Vec<String> {
    let ada = server.browser();
    ada.login_demo("ada@example.com").await;
    let read = ada.create_token("agent (read)", &["read"]).await;
    let full = ada
        .create_token("agent (full)", &["read", "create", "update", "delete"])
        .await;
    let agent = server.agent();

    for token in [&read.token, &full.token] {
        let response = agent.get("/api/mcp/projects", Some(token)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.expect("JSON body");
        assert!(body["projects"].is_array());
    }

    let denied = agent
        .send(
            Method::POST,
            "/api/mcp/projects",
            &read.token,
            Some(json!({ "title": "Not allowed" })),
        )
        .await;
    let challenge = denied
        .headers()
        .get("www-authenticate")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let (status, error, code) = error_of(denied).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error, "Insufficient permissions");
    assert_eq!(code, "INSUFFICIENT_PERMISSIONS");
    assert!(challenge.contains("insufficient_scope"), "{challenge}");
    assert!(challenge.contains("scope=\"create\""), "{challenge}");

    let project = agent.create_project(&full.token, "Solar Kiosk").await;
    assert_eq!(project["title"], "Solar Kiosk");
    assert_eq!(project["status"], "IDEA");
    let id = project["id"].as_str().expect("an id").to_owned();
    let path = format!("/api/mcp/projects/{id}");

    let shown: Value = agent
        .get(&path, Some(&read.token))
        .await
        .json()
        .await
        .expect("JSON body");
    assert_eq!(shown["id"], id.as_str());

    for (method, body) in [
        (Method::PUT, Some(json!({ "status": "MVP" }))),
        (Method::DELETE, None),
    ] {
        let response = agent.send(method.clone(), &path, &read.token, body).await;
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "{method} with read"
        );
    }

    let invalid = agent
        .send(
            Method::PUT,
            &path,
            &full.token,
            Some(json!({ "status": "DONE" })),
        )
        .await;
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = invalid.json().await.expect("JSON body");
    assert_eq!(body["code"], "VALIDATION_ERROR");
    assert_eq!(body["field"], "status");

    let too_long = agent
        .send(
            Method::POST,
            "/api/mcp/projects",
            &full.token,
            Some(json!({ "title": "x".repeat(101) })),
        )
        .await;
    assert_eq!(too_long.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let updated = agent
        .send(
            Method::PUT,
            &path,
            &full.token,
            Some(json!({ "status": "MVP", "pitch": "Markets run late; phones die early." })),
        )
        .await;
    assert_eq!(updated.status(), StatusCode::OK);
    let updated: Value = updated.json().await.expect("JSON body");
    assert_eq!(updated["status"], "MVP");
    assert_eq!(updated["title"], "Solar Kiosk", "fields left out stay");

    let deleted = agent.send(Method::DELETE, &path, &full.token, None).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = agent.get(&path, Some(&full.token)).await;
    let (status, error, code) = error_of(gone).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        (error.as_str(), code.as_str()),
        ("Project not found", "NOT_FOUND")
    );

    vec![read.token, full.token]
}

/// No token and a made-up token get the documented 401 bodies and challenges.
pub(crate) async fn refusals_scenario(server: &Server) {
    let agent = server.agent();

    let missing = agent.get("/api/mcp/projects", None).await;
    let challenge = missing
        .headers()
        .get("www-authenticate")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let (status, error, code) = error_of(missing).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(error, "Authorization header required");
    assert_eq!(code, "MISSING_TOKEN");
    assert_eq!(challenge, "Bearer realm=\"startup-hub\"");

    let made_up = agent.get("/api/mcp/projects", Some(MADE_UP_TOKEN)).await;
    let (status, error, code) = error_of(made_up).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(error, "Invalid or expired token");
    assert_eq!(code, "INVALID_TOKEN");

    let malformed = agent.get("/api/mcp/projects/anything", Some("nope")).await;
    assert_eq!(malformed.status(), StatusCode::UNAUTHORIZED);

    // The methods of a path are public knowledge (see the OpenAPI document).
    let wrong_method = agent
        .send(Method::PATCH, "/api/mcp/projects", MADE_UP_TOKEN, None)
        .await;
    let (status, _, code) = error_of(wrong_method).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(code, "METHOD_NOT_ALLOWED");
}

#[tokio::test]
async fn tc_token_103_read_tokens_read_and_full_tokens_write() {
    let server = Server::start().await;

    permissions_scenario(&server).await;
}

#[tokio::test]
async fn tc_token_104_missing_and_made_up_tokens_are_refused() {
    let server = Server::start().await;

    refusals_scenario(&server).await;
}

#[tokio::test]
async fn tc_token_118_a_project_id_that_cannot_be_decoded_is_a_json_400() {
    let server = Server::start().await;
    let ada = server.browser();
    ada.login_demo("ada@example.com").await;
    let full = ada
        .create_token("odd ids", &["read", "update", "delete"])
        .await;
    let agent = server.agent();
    let path = "/api/mcp/projects/%FF";

    let get = agent.get(path, Some(&full.token)).await;
    let put = agent
        .send(
            Method::PUT,
            path,
            &full.token,
            Some(json!({ "status": "MVP" })),
        )
        .await;
    let delete = agent.send(Method::DELETE, path, &full.token, None).await;

    for (method, response) in [("GET", get), ("PUT", put), ("DELETE", delete)] {
        let (status, error, code) = error_of(response).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{method}");
        assert_eq!(code, "BAD_REQUEST", "{method}");
        assert!(error.contains("Invalid UTF-8"), "{error}");
    }
}
