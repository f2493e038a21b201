//! `/api/openapi.json`: one OpenAPI 3.1 document for every route of the server, the token
//! routes of `api-tokens-axum` merged with the example's own.

use std::sync::OnceLock;

use api_tokens_axum::{BEARER_SCHEME, ErrorBody};
use axum::Json;
use utoipa::OpenApi;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{HttpMethod, OperationBuilder};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{Content, Object, Ref, Type};

use crate::accounts::{self, Credentials, SignupRequest, UserView};
use crate::projects::{NewProject, Project, ProjectChanges, ProjectList, ProjectStatus};
use crate::{Health, PERMISSIONS};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Startup Hub",
        description = "The example product of api-tokens: accounts, personal API tokens, \
                       the agents' projects API and an MCP endpoint.",
    ),
    paths(
        crate::healthz,
        openapi_json,
        accounts::routes::signup,
        accounts::routes::login,
        accounts::routes::logout,
        accounts::routes::me,
        crate::projects::routes::list,
        crate::projects::routes::create,
        crate::projects::routes::show,
        crate::projects::routes::update,
        crate::projects::routes::remove,
        crate::projects::routes::list_for_session,
    ),
    components(schemas(
        ErrorBody,
        Health,
        UserView,
        SignupRequest,
        Credentials,
        Project,
        ProjectList,
        ProjectStatus,
        NewProject,
        ProjectChanges,
    )),
    tags(
        (name = "service", description = "Liveness and this document"),
        (name = "accounts", description = "Sign-up and sign-in; sessions in an HttpOnly cookie"),
        (name = "dashboard", description = "The dashboard's own routes, with the session cookie"),
        (name = "agents", description = "The projects API for agents, with a bearer token"),
        (name = "mcp", description = "The Model Context Protocol endpoint, with a bearer token"),
    )
)]
struct HubApi;

/// The whole document.
pub fn document() -> utoipa::openapi::OpenApi {
    let tokens = api_tokens_axum::openapi_with_session_cookie(accounts::SESSION_COOKIE);
    let mut document = HubApi::openapi().merge_from(tokens);
    add_cross_site_refusals(&mut document);
    document.paths.add_path_operation(
        "/mcp",
        vec![HttpMethod::Post, HttpMethod::Get, HttpMethod::Delete],
        mcp_operation(),
    );
    document
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "service",
    responses((status = 200, description = "The OpenAPI 3.1 document of every route"))
)]
pub(crate) async fn openapi_json() -> Json<&'static utoipa::openapi::OpenApi> {
    static DOCUMENT: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    Json(DOCUMENT.get_or_init(document))
}

/// The token routes come from `api-tokens-axum`, which knows nothing of the cross-site
/// guard the hub puts in front of its session routes; their writes can be refused by it.
fn add_cross_site_refusals(document: &mut utoipa::openapi::OpenApi) {
    let refusal = ResponseBuilder::new()
        .description("A cross-site request from a browser (`CROSS_SITE_REQUEST`)")
        .content(
            "application/json",
            Content::new(Some(Ref::from_schema_name("ErrorBody"))),
        )
        .build();

    let token_routes = document
        .paths
        .paths
        .iter_mut()
        .filter(|(path, _)| path.starts_with("/api/tokens"));
    for (_, item) in token_routes {
        let writes = [
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in writes.into_iter().flatten() {
            operation
                .responses
                .responses
                .entry("403".to_owned())
                .or_insert_with(|| refusal.clone().into());
        }
    }
}

/// `/mcp` speaks JSON-RPC over Streamable HTTP, which OpenAPI cannot describe message by
/// message; the operation says where to read more and what the bearer layer answers.
fn mcp_operation() -> utoipa::openapi::path::Operation {
    let error = || {
        ResponseBuilder::new().content(
            "application/json",
            Content::new(Some(Ref::from_schema_name("ErrorBody"))),
        )
    };

    // The MCP transport answers its own refusals in plain text.
    let transport = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(
                "text/plain",
                Content::new(Some(Object::with_type(Type::String))),
            )
            .build()
    };
    let header = |value: Type, description: &str| {
        HeaderBuilder::new()
            .schema(Some(Object::with_type(value)))
            .description(Some(description))
            .build()
    };

    OperationBuilder::new()
        .tag("mcp")
        .operation_id(Some("mcp"))
        .summary(Some("Model Context Protocol server (Streamable HTTP)"))
        .description(Some(format!(
            "An MCP server with the tools list_projects, get_project, create_project, \
             update_project and delete_project, acting on the projects of the token's owner. \
             Each tool needs one of the permissions {}; without it the tool answers \
             \"Insufficient permissions: requires `<permission>`\". Requests share the \
             per-token rate limit of /api/mcp/projects. See \
             https://modelcontextprotocol.io/ for the protocol.",
            PERMISSIONS.join(", ")
        )))
        .security(SecurityRequirement::new(
            BEARER_SCHEME,
            Vec::<String>::new(),
        ))
        .request_body(Some(
            RequestBodyBuilder::new()
                .description(Some("A JSON-RPC message (POST only)"))
                .content("application/json", Content::new(None::<Ref>))
                .build(),
        ))
        .response(
            "200",
            ResponseBuilder::new()
                .description("A JSON-RPC response, as JSON or an event stream")
                .build(),
        )
        .response(
            "202",
            ResponseBuilder::new()
                .description("A notification or a response from the client, accepted")
                .build(),
        )
        .response("400", transport("A session id missing where one is needed"))
        .response(
            "401",
            error()
                .description(
                    "No token (`MISSING_TOKEN`), or one that is malformed, unknown, revoked or \
                     expired (`INVALID_TOKEN`)",
                )
                .header(
                    "WWW-Authenticate",
                    header(Type::String, "The Bearer challenge"),
                )
                .build(),
        )
        .response(
            "403",
            transport("The `Host` header names none of the server's addresses"),
        )
        .response(
            "404",
            transport("The session id is unknown, the session ended, or another token opened it"),
        )
        .response(
            "406",
            transport("`Accept` does not list both `application/json` and `text/event-stream`"),
        )
        .response("413", transport("The body is over 4 MiB"))
        .response(
            "415",
            transport(
                "The body is not `application/json`, or it does not parse as a JSON-RPC \
                 message (the MCP transport answers both alike)",
            ),
        )
        .response(
            "429",
            error()
                .description("The token's rate limit is used up (`RATE_LIMITED`)")
                .header(
                    "Retry-After",
                    header(Type::Integer, "Seconds until the next request passes"),
                )
                .build(),
        )
        .response(
            "503",
            error()
                .description("The token store cannot be asked (`STORE_UNAVAILABLE`)")
                .build(),
        )
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_names_every_route() {
        let json = document().to_json().expect("the document serializes");

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
            assert!(json.contains(&format!("\"{path}\"")), "{path} is missing");
        }
    }

    /// Every write behind the session cookie passes the cross-site guard, which answers
    /// 403 `CROSS_SITE_REQUEST`.
    #[test]
    fn every_session_write_lists_the_cross_site_refusal() {
        let document = serde_json::to_value(document()).expect("the document serializes");
        let paths = document["paths"].as_object().expect("paths");

        let mut checked = 0;
        for (path, item) in paths {
            for (method, operation) in item.as_object().expect("a path item") {
                let session = operation["security"]
                    .as_array()
                    .is_some_and(|all| all.iter().any(|one| one.get("session").is_some()));
                let write = !matches!(method.as_str(), "get" | "head" | "options");
                if !(write && (session || path.starts_with("/auth/"))) {
                    continue;
                }

                let refusal = &operation["responses"]["403"];
                assert!(
                    refusal["description"]
                        .as_str()
                        .is_some_and(|text| text.contains("CROSS_SITE_REQUEST")),
                    "{method} {path}: 403"
                );
                checked += 1;
            }
        }

        assert_eq!(
            checked,
            3 + 2,
            "signup, login, logout, and the token routes' create and revoke"
        );
    }

    /// The bearer layer and the permission layer answer in front of every operation that
    /// needs a token, so each such operation lists their refusals.
    #[test]
    fn every_token_operation_lists_the_refusals_of_the_layers() {
        let document = serde_json::to_value(document()).expect("the document serializes");
        let paths = document["paths"].as_object().expect("paths");

        let mut checked = 0;
        for (path, item) in paths {
            for (method, operation) in item.as_object().expect("a path item") {
                let Some(scopes) = operation["security"]
                    .as_array()
                    .and_then(|all| all.iter().find_map(|one| one[BEARER_SCHEME].as_array()))
                else {
                    continue;
                };
                let responses = operation["responses"].as_object().expect("responses");

                for status in ["401", "429", "503"] {
                    assert!(responses.contains_key(status), "{method} {path}: {status}");
                }
                if !scopes.is_empty() {
                    assert!(responses.contains_key("403"), "{method} {path}: 403");
                }
                checked += 1;
            }
        }

        assert_eq!(
            checked,
            5 + 3,
            "the five project operations and /mcp's three methods"
        );
    }
}
