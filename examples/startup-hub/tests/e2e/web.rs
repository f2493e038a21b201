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

    let long_name = format!("/{}", "a".repeat(8_000));
    // Each segment a valid file name, the whole longer than a path may be.
    let long_path = format!("/{}", vec!["a".repeat(250); 17].join("/"));
    for (path, what) in [
        (long_name, "an overlong file name"),
        (long_path, "an overlong path"),
    ] {
        let response = client.get(server.url(&path)).send().await.expect("request");
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{what}");
    }
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

    let bearer = ["401", "403", "429", "500", "503"];
    let body = ["400", "413", "415", "422"];
    let by_id = ["400", "404"];
    let expected: [(&str, &str, &str, &[&[&str]]); 9] = [
        ("/api/mcp/projects", "get", "200", &[&bearer]),
        ("/api/mcp/projects", "post", "201", &[&bearer, &body]),
        ("/api/mcp/projects/{id}", "get", "200", &[&bearer, &by_id]),
        (
            "/api/mcp/projects/{id}",
            "put",
            "200",
            &[&bearer, &by_id, &body],
        ),
        (
            "/api/mcp/projects/{id}",
            "delete",
            "204",
            &[&bearer, &by_id],
        ),
        ("/api/projects", "get", "200", &[&["401", "500"]]),
        (
            "/auth/signup",
            "post",
            "201",
            &[&body, &["403", "409", "500"]],
        ),
        (
            "/auth/login",
            "post",
            "200",
            &[&body, &["401", "403", "429", "500"]],
        ),
        (
            "/mcp",
            "post",
            "200",
            &[&[
                "202", "400", "401", "403", "404", "406", "413", "415", "429", "503",
            ]],
        ),
    ];
    for (path, method, success, errors) in expected {
        let responses = document["paths"][path][method]["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{method} {path} has no responses"));
        let mut listed: Vec<&str> = responses.keys().map(String::as_str).collect();
        let mut wanted: Vec<&str> = errors.concat();
        wanted.push(success);
        listed.sort_unstable();
        wanted.sort_unstable();
        wanted.dedup();

        assert_eq!(listed, wanted, "{method} {path}");
        if path.starts_with("/api/mcp/") {
            let limited = &responses["429"];
            assert!(
                limited["headers"]["Retry-After"].is_object(),
                "{method} {path}"
            );
            assert_eq!(
                limited["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ErrorBody",
                "{method} {path}"
            );
            assert!(responses["401"]["headers"]["WWW-Authenticate"].is_object());
        }
    }
}
