//! `/api/openapi.json`: one OpenAPI 3.1 document for every route of the server, the token
//! routes of `api-tokens-axum` merged with the example's own.

use std::sync::OnceLock;

use api_tokens_axum::{BEARER_SCHEME, ErrorBody};
use axum::Json;
use utoipa::OpenApi;
use utoipa::openapi::path::{HttpMethod, OperationBuilder};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{Content, Ref};

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

/// `/mcp` speaks JSON-RPC over Streamable HTTP, which OpenAPI cannot describe message by
/// message; the operation says where to read more and what the bearer layer answers.
fn mcp_operation() -> utoipa::openapi::path::Operation {
    let error = || {
        ResponseBuilder::new().content(
            "application/json",
            Content::new(Some(Ref::from_schema_name("ErrorBody"))),
        )
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
            "401",
            error()
                .description("`MISSING_TOKEN` or `INVALID_TOKEN`")
                .build(),
        )
        .response("429", error().description("`RATE_LIMITED`").build())
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
}
