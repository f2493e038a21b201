//! The dashboard from the same origin, and the OpenAPI document.

use reqwest::StatusCode;
use serde_json::Value;

use crate::harness::{Options, Server};

fn content_type(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn tc_token_114_the_built_dashboard_is_served_with_a_client_route_fallback() {
    let dist = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>Hub</title>",
    )
    .expect("index.html is written");
    std::fs::write(dist.path().join("app.js"), "console.log('hub');").expect("app.js");
    std::fs::write(dist.path().join("app_bg.wasm"), b"\0asm\x01\0\0\0").expect("app_bg.wasm");
    std::fs::write(dist.path().join("style.css"), "body{}").expect("style.css");
    let server = Server::start_with(Options {
        env: vec![("DASHBOARD_DIR", dist.path().display().to_string())],
        ..Options::default()
    })
    .await;
    let client = reqwest::Client::new();

    for (path, mime) in [
        ("/", "text/html"),
        ("/app.js", "javascript"),
        ("/app_bg.wasm", "application/wasm"),
        ("/style.css", "text/css"),
        ("/settings/api-tokens", "text/html"),
    ] {
        let response = client.get(server.url(path)).send().await.expect("request");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(
            content_type(&response).contains(mime),
            "{path}: {}",
            content_type(&response)
        );
    }

    let unknown_api = client
        .get(server.url("/api/nothing"))
        .send()
        .await
        .expect("request");
    assert_eq!(unknown_api.status(), StatusCode::NOT_FOUND);
    assert!(content_type(&unknown_api).contains("application/json"));

    let too_long = client
        .get(server.url(&format!("/{}", "a".repeat(8_000))))
        .send()
        .await
        .expect("request");
    assert_eq!(
        too_long.status(),
        StatusCode::NOT_FOUND,
        "an overlong file name"
    );
}

#[tokio::test]
async fn tc_token_115_without_a_build_the_root_says_how_to_make_one() {
    let server = Server::start().await;

    let response = reqwest::get(server.url("/")).await.expect("request");

    assert_eq!(response.status(), StatusCode::OK);
    assert!(content_type(&response).contains("text/html"));
    let page = response.text().await.expect("a body");
    assert!(page.contains("scripts/build-dashboard"));
}

#[tokio::test]
async fn tc_token_116_the_openapi_document_describes_every_route() {
    let server = Server::start().await;

    let response = reqwest::get(server.url("/api/openapi.json"))
        .await
        .expect("request");

    assert_eq!(response.status(), StatusCode::OK);
    let document: Value = response.json().await.expect("JSON body");
    assert!(
        document["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1"))
    );
    let paths = document["paths"].as_object().expect("paths");
    for path in [
        "/healthz",
        "/api/openapi.json",
        "/auth/signup",
        "/auth/login",
        "/auth/logout",
        "/auth/me",
        "/api/tokens",
        "/api/tokens/{id}",
        "/api/projects",
        "/api/mcp/projects",
        "/api/mcp/projects/{id}",
        "/mcp",
    ] {
        assert!(paths.contains_key(path), "{path} is missing");
    }
    let schemes = &document["components"]["securitySchemes"];
    assert!(schemes["bearer"].is_object() && schemes["session"].is_object());
}
