//! `/mcp` through an MCP client built on rmcp, with the token in the Authorization header.

use std::time::Duration;

use reqwest::StatusCode;
use rmcp::ServiceExt;
use rmcp::model::{CallToolRequestParams, CallToolResult, ClientConfig};
use rmcp::service::{ClientInitializeError, RoleClient, RunningService};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use serde_json::{Map, Value, json};

use crate::harness::Server;

type Client = RunningService<RoleClient, ClientConfig>;

/// Connects and initializes an MCP session, sending `token` as a bearer token.
pub(crate) async fn connect(
    server: &Server,
    token: Option<&str>,
) -> Result<Client, ClientInitializeError> {
    let mut config = StreamableHttpClientTransportConfig::with_uri(server.url("/mcp"));
    if let Some(token) = token {
        config = config.auth_header(token);
    }
    ClientConfig::default()
        .serve(StreamableHttpClientTransport::from_config(config))
        .await
}

pub(crate) async fn call(client: &Client, tool: &'static str, arguments: Value) -> CallToolResult {
    let arguments: Map<String, Value> = match arguments {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    client
        .call_tool(CallToolRequestParams::new(tool).with_arguments(arguments))
        .await
        .expect("the tool call is answered")
}

fn text_of(result: &CallToolResult) -> String {
    result
        .content
        .iter()
        .filter_map(|block| block.as_text().map(|text| text.text.clone()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lists the tools, creates and lists a project with a full token; a `read` token cannot
/// create. Returns the plaintexts created.
pub(crate) async fn tools_scenario(server: &Server) -> Vec<String> {
    let ada = server.browser();
    ada.login_demo("ada@example.com").await;
    let full = ada
        .create_token("mcp (full)", &["read", "create", "update", "delete"])
        .await;
    let read = ada.create_token("mcp (read)", &["read"]).await;

    let client = connect(server, Some(&full.token))
        .await
        .expect("the MCP session starts");
    let mut tools: Vec<String> = client
        .list_all_tools()
        .await
        .expect("tools are listed")
        .into_iter()
        .map(|tool| tool.name.to_string())
        .collect();
    tools.sort();
    assert_eq!(
        tools,
        [
            "create_project",
            "delete_project",
            "get_project",
            "list_projects",
            "update_project"
        ]
    );

    let created = call(
        &client,
        "create_project",
        json!({ "title": "Orbital Bakery", "status": "BETA" }),
    )
    .await;
    assert_ne!(created.is_error, Some(true), "{}", text_of(&created));
    let project = created
        .structured_content
        .clone()
        .expect("the project as structured content");
    assert_eq!(project["title"], "Orbital Bakery");
    assert_eq!(project["status"], "BETA");
    let id = project["id"].as_str().expect("an id").to_owned();

    let listed = call(&client, "list_projects", json!({})).await;
    let listed = listed.structured_content.expect("structured content");
    let ids: Vec<&str> = listed["projects"]
        .as_array()
        .expect("a projects array")
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert!(ids.contains(&id.as_str()));

    let updated = call(
        &client,
        "update_project",
        json!({ "id": id, "status": "LAUNCHED" }),
    )
    .await;
    assert_eq!(
        updated.structured_content.expect("structured")["status"],
        "LAUNCHED"
    );
    let invalid = call(&client, "create_project", json!({ "title": " " })).await;
    assert_eq!(invalid.is_error, Some(true));
    assert!(text_of(&invalid).contains("Title is required"));
    let _ = client.cancel().await;

    let reader = connect(server, Some(&read.token))
        .await
        .expect("the MCP session starts");
    let refused = call(&reader, "create_project", json!({ "title": "Sneaky" })).await;
    assert_eq!(refused.is_error, Some(true));
    assert_eq!(
        text_of(&refused),
        "Insufficient permissions: requires `create`"
    );
    let refused = call(&reader, "delete_project", json!({ "id": id })).await;
    assert_eq!(
        text_of(&refused),
        "Insufficient permissions: requires `delete`"
    );
    let fetched = call(&reader, "get_project", json!({ "id": id })).await;
    assert_ne!(fetched.is_error, Some(true), "{}", text_of(&fetched));
    let _ = reader.cancel().await;

    vec![full.token, read.token]
}

/// Without a token, or with a revoked one, the session never starts: 401.
pub(crate) async fn refusals_scenario(server: &Server) -> Vec<String> {
    let ada = server.browser();
    ada.login_demo("ada@example.com").await;
    let token = ada.create_token("mcp (soon revoked)", &["read"]).await;

    let Err(anonymous) = connect(server, None).await else {
        panic!("an MCP session started without a token");
    };
    let shown = format!("{anonymous:?}");
    assert!(shown.contains("AuthRequired"), "{shown}");
    assert!(shown.contains("realm=\\\"startup-hub\\\""), "{shown}");

    let client = connect(server, Some(&token.token))
        .await
        .expect("the session starts");
    assert_eq!(ada.revoke(&token.id).await, StatusCode::NO_CONTENT);
    let after = client
        .call_tool(CallToolRequestParams::new("list_projects"))
        .await;
    assert!(
        after.is_err(),
        "an open session stops working once its token is revoked"
    );
    let _ = client.cancel().await;

    let Err(revoked) = connect(server, Some(&token.token)).await else {
        panic!("an MCP session started with a revoked token");
    };
    let shown = format!("{revoked:?}");
    assert!(shown.contains("AuthRequired"), "{shown}");
    assert!(shown.contains("invalid_token"), "{shown}");

    let raw = reqwest::Client::new()
        .post(server.url("/mcp"))
        .bearer_auth(&token.token)
        .header("accept", "application/json, text/event-stream")
        .json(&json!({ "jsonrpc": "2.0", "id": 1, "method": "tools/list" }))
        .send()
        .await
        .expect("request");
    assert_eq!(raw.status(), StatusCode::UNAUTHORIZED);

    vec![token.token]
}

#[tokio::test]
async fn tc_token_105_mcp_client_lists_tools_and_manages_projects() {
    let server = Server::start().await;

    tools_scenario(&server).await;
}

#[tokio::test]
async fn tc_token_106_mcp_refuses_missing_and_revoked_tokens() {
    let server = Server::start().await;

    refusals_scenario(&server).await;
}

/// One raw JSON-RPC message to `/mcp` with `token`, in `session` if given.
async fn post_raw(
    server: &Server,
    token: &str,
    session: Option<&str>,
    message: Value,
) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(server.url("/mcp"))
        .bearer_auth(token)
        .header("accept", "application/json, text/event-stream")
        .json(&message);
    if let Some(session) = session {
        request = request.header("mcp-session-id", session);
    }
    request.send().await.expect("request")
}

/// Opens an MCP session with `token` by raw JSON-RPC (`initialize`, then
/// `notifications/initialized`) and returns its `Mcp-Session-Id`.
async fn open_session(server: &Server, token: &str) -> String {
    let initialize = json!({
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-03-26",
            "capabilities": {},
            "clientInfo": { "name": "e2e", "version": "1" }
        }
    });
    let opened = post_raw(server, token, None, initialize).await;
    assert_eq!(opened.status(), StatusCode::OK);
    let session = opened
        .headers()
        .get("mcp-session-id")
        .and_then(|value| value.to_str().ok())
        .expect("a session id")
        .to_owned();
    let _ = opened.text().await;
    let initialized = json!({ "jsonrpc": "2.0", "method": "notifications/initialized" });
    let accepted = post_raw(server, token, Some(&session), initialized).await;
    assert!(accepted.status().is_success(), "{}", accepted.status());
    session
}

fn ping(id: u32) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "method": "ping" })
}

#[tokio::test]
async fn tc_token_121_an_mcp_session_answers_only_the_token_that_opened_it() {
    let server = Server::start().await;
    let ada = server.browser();
    ada.login_demo("ada@example.com").await;
    let bob = server.browser();
    bob.login_demo("bob@example.com").await;
    let opener = ada.create_token("mcp opener", &["read"]).await;
    let sibling = ada.create_token("mcp sibling", &["read"]).await;
    let stranger = bob.create_token("mcp stranger", &["read"]).await;

    let session = open_session(&server, &opener.token).await;

    for other in [&sibling.token, &stranger.token] {
        let refused = post_raw(&server, other, Some(&session), ping(2)).await;
        assert_eq!(refused.status(), StatusCode::NOT_FOUND, "a ping");
        let listen = reqwest::Client::new()
            .get(server.url("/mcp"))
            .bearer_auth(other)
            .header("accept", "text/event-stream")
            .header("mcp-session-id", &session)
            .send()
            .await
            .expect("request");
        assert_eq!(listen.status(), StatusCode::NOT_FOUND, "listening");
        let close = reqwest::Client::new()
            .delete(server.url("/mcp"))
            .bearer_auth(other)
            .header("mcp-session-id", &session)
            .send()
            .await
            .expect("request");
        assert_eq!(close.status(), StatusCode::NOT_FOUND, "closing");
    }

    let own = post_raw(&server, &opener.token, Some(&session), ping(3)).await;
    assert_eq!(own.status(), StatusCode::OK, "the session is still open");
    let body = own.text().await.expect("a body");
    assert!(body.contains("\"result\""), "{body}");
    let closed = reqwest::Client::new()
        .delete(server.url("/mcp"))
        .bearer_auth(&opener.token)
        .header("mcp-session-id", &session)
        .send()
        .await
        .expect("request");
    assert!(closed.status().is_success(), "{}", closed.status());
}

#[tokio::test]
async fn tc_token_122_an_open_event_stream_ends_when_its_token_is_revoked() {
    let server = Server::start().await;
    let ada = server.browser();
    ada.login_demo("ada@example.com").await;
    let token = ada.create_token("mcp listener", &["read"]).await;

    let session = open_session(&server, &token.token).await;

    let mut stream = reqwest::Client::new()
        .get(server.url("/mcp"))
        .bearer_auth(&token.token)
        .header("accept", "text/event-stream")
        .header("mcp-session-id", &session)
        .send()
        .await
        .expect("request");
    assert_eq!(stream.status(), StatusCode::OK);

    // While the token is valid the stream stays open through several re-verifications.
    let quiet = tokio::time::timeout(Duration::from_secs(3), async {
        while let Some(_frame) = stream.chunk().await.expect("a frame") {}
    })
    .await;
    assert!(quiet.is_err(), "the stream of a valid token ended");

    assert_eq!(ada.revoke(&token.id).await, StatusCode::NO_CONTENT);
    let ended = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            match stream.chunk().await {
                Ok(Some(_frame)) => {}
                Ok(None) | Err(_) => return,
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the stream outlived its token's revocation");
}
