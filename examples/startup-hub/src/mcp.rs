//! `/mcp`: a Model Context Protocol server (Streamable HTTP) with tools for projects.
//!
//! The endpoint sits behind the same [`ApiTokenLayer`](api_tokens::ApiTokenLayer) as the
//! agents' REST API, so every MCP request carries a verified token. rmcp hands each tool
//! the HTTP request parts of the call, and the tool reads the
//! [`AuthenticatedToken`] the layer put there to check its permission. A session answers
//! only the token that opened it (see `sessions`).

mod sessions;

use std::sync::Arc;

use api_tokens::{AuthenticatedToken, TokenManager};
use axum::Router;
use axum::middleware;
use http::request::Parts;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::Extension;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock, Implementation, ServerCapabilities, ServerConfig};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{ErrorData, ServerHandler, tool, tool_handler, tool_router};
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use crate::projects::{InvalidField, NewProject, ProjectChanges, ProjectList, store};

/// The MCP service behind `/mcp`.
pub type McpService = StreamableHttpService<ProjectTools, LocalSessionManager>;

/// `/mcp`, to be put behind the bearer layer that verifies tokens with `manager`.
/// `allowed_hosts` are the `Host` values accepted (a guard against DNS rebinding; `None`
/// accepts any); cancelling `shutdown` ends open event streams so a graceful shutdown
/// does not wait for clients to hang up. An event stream also ends once the token that
/// opened it no longer verifies (revoked or expired).
pub fn router<S>(
    db: DatabaseConnection,
    manager: TokenManager,
    allowed_hosts: Option<Vec<String>>,
    shutdown: CancellationToken,
) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let config = StreamableHttpServerConfig::default().with_cancellation_token(shutdown);
    let config = match allowed_hosts {
        Some(hosts) => config.with_allowed_hosts(hosts),
        None => config.disable_allowed_hosts(),
    };
    let sessions = Arc::new(LocalSessionManager::default());
    let owners = Arc::new(sessions::SessionOwners::new(Arc::clone(&sessions), manager));

    let service: McpService =
        StreamableHttpService::new(move || Ok(ProjectTools::new(db.clone())), sessions, config);
    Router::new()
        .route_service("/mcp", service)
        .route_layer(middleware::from_fn_with_state(
            owners,
            sessions::bind_to_token,
        ))
}

/// The tools: list, get, create, update and delete the token owner's projects.
#[derive(Clone, Debug)]
pub struct ProjectTools {
    db: DatabaseConnection,
    tool_router: ToolRouter<Self>,
}

/// Names one project.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ProjectId {
    /// The project's id.
    pub id: String,
}

/// Names one project and the fields to change; fields left out stay as they are.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ProjectUpdate {
    /// The project's id.
    pub id: String,
    /// The changes.
    #[serde(flatten)]
    pub changes: ProjectChanges,
}

type ToolResult = Result<CallToolResult, ErrorData>;

#[tool_router]
impl ProjectTools {
    fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            tool_router: Self::tool_router(),
        }
    }

    /// Lists the token owner's projects, newest first.
    #[tool(
        description = "List your Startup Hub projects, newest first. Needs the `read` permission."
    )]
    async fn list_projects(&self, Extension(parts): Extension<Parts>) -> ToolResult {
        let token = match authorize(&parts, "read") {
            Ok(token) => token,
            Err(refusal) => return Ok(refusal),
        };

        let projects = store::list(&self.db, &token.owner_id)
            .await
            .map_err(db_failed)?;
        structured(&ProjectList { projects })
    }

    /// One of the token owner's projects.
    #[tool(description = "Get one of your projects by id. Needs the `read` permission.")]
    async fn get_project(
        &self,
        Extension(parts): Extension<Parts>,
        Parameters(ProjectId { id }): Parameters<ProjectId>,
    ) -> ToolResult {
        let token = match authorize(&parts, "read") {
            Ok(token) => token,
            Err(refusal) => return Ok(refusal),
        };

        match store::get(&self.db, &token.owner_id, &id).await {
            Ok(Some(project)) => structured(&project),
            Ok(None) => Ok(not_found()),
            Err(error) => Err(db_failed(error)),
        }
    }

    /// Creates a project for the token's owner.
    #[tool(
        description = "Create a project. `title` (up to 100 characters) is required; \
                       `description` (280), `pitch` (2000) and `status` (IDEA, MVP, BETA, \
                       LAUNCHED or PAUSED; default IDEA) are optional. Needs the `create` \
                       permission."
    )]
    async fn create_project(
        &self,
        Extension(parts): Extension<Parts>,
        Parameters(new): Parameters<NewProject>,
    ) -> ToolResult {
        let token = match authorize(&parts, "create") {
            Ok(token) => token,
            Err(refusal) => return Ok(refusal),
        };
        let valid = match new.validate() {
            Ok(valid) => valid,
            Err(invalid) => return Ok(invalid_input(invalid)),
        };

        let project = store::create(&self.db, &token.owner_id, valid)
            .await
            .map_err(db_failed)?;
        tracing::info!(token.id = %token.id, project.id = %project.id, "project created over MCP");
        structured(&project)
    }

    /// Changes the given fields of one of the token owner's projects.
    #[tool(
        description = "Change a project's title, description, pitch or status; fields left \
                       out stay as they are. Needs the `update` permission."
    )]
    async fn update_project(
        &self,
        Extension(parts): Extension<Parts>,
        Parameters(ProjectUpdate { id, changes }): Parameters<ProjectUpdate>,
    ) -> ToolResult {
        let token = match authorize(&parts, "update") {
            Ok(token) => token,
            Err(refusal) => return Ok(refusal),
        };
        let valid = match changes.validate() {
            Ok(valid) => valid,
            Err(invalid) => return Ok(invalid_input(invalid)),
        };

        match store::update(&self.db, &token.owner_id, &id, valid).await {
            Ok(Some(project)) => {
                tracing::info!(token.id = %token.id, project.id = %id, "project updated over MCP");
                structured(&project)
            }
            Ok(None) => Ok(not_found()),
            Err(error) => Err(db_failed(error)),
        }
    }

    /// Deletes one of the token owner's projects.
    #[tool(description = "Delete one of your projects by id. Needs the `delete` permission.")]
    async fn delete_project(
        &self,
        Extension(parts): Extension<Parts>,
        Parameters(ProjectId { id }): Parameters<ProjectId>,
    ) -> ToolResult {
        let token = match authorize(&parts, "delete") {
            Ok(token) => token,
            Err(refusal) => return Ok(refusal),
        };

        match store::delete(&self.db, &token.owner_id, &id).await {
            Ok(true) => {
                tracing::info!(token.id = %token.id, project.id = %id, "project deleted over MCP");
                Ok(CallToolResult::success(vec![ContentBlock::text(format!(
                    "Deleted project {id}"
                ))]))
            }
            Ok(false) => Ok(not_found()),
            Err(error) => Err(db_failed(error)),
        }
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for ProjectTools {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new(
                "startup-hub",
                env!("CARGO_PKG_VERSION"),
            ))
            .with_instructions(
                "Manage the Startup Hub projects of the user who owns this API token. \
                 Each tool needs the permission its description names.",
            )
    }
}

/// The verified token of the call, if it carries `permission`; otherwise the tool error
/// to answer with.
fn authorize(parts: &Parts, permission: &str) -> Result<AuthenticatedToken, CallToolResult> {
    let Some(token) = parts.extensions.get::<AuthenticatedToken>() else {
        tracing::error!(
            "an MCP call arrived without a verified token; is ApiTokenLayer in front of /mcp?"
        );
        return Err(tool_error("Authentication required".into()));
    };
    if !token.has_permission(permission) {
        tracing::warn!(
            token.id = %token.id,
            permission,
            "token lacks the permission an MCP tool needs"
        );
        return Err(tool_error(format!(
            "Insufficient permissions: requires `{permission}`"
        )));
    }
    Ok(token.clone())
}

fn structured(value: &impl serde::Serialize) -> ToolResult {
    let value = serde_json::to_value(value)
        .map_err(|error| ErrorData::internal_error(error.to_string(), None))?;
    Ok(CallToolResult::structured(value))
}

fn tool_error(message: String) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(message)])
}

fn not_found() -> CallToolResult {
    tool_error("Project not found".into())
}

fn invalid_input(invalid: InvalidField) -> CallToolResult {
    tool_error(format!("Invalid {}: {}", invalid.field, invalid.message))
}

fn db_failed(error: sea_orm::DbErr) -> ErrorData {
    tracing::error!(
        error = &error as &dyn std::error::Error,
        "database error in an MCP tool"
    );
    ErrorData::internal_error("Internal server error", None)
}
