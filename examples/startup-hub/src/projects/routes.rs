//! `/api/mcp/projects` for agents holding a token, and `/api/projects` for the dashboard.

use api_tokens::{ApiTokenLayer, AuthenticatedToken, RequirePermissionLayer};
use axum::extract::State;
use axum::handler::Handler;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Extension, Json, Router};
use sea_orm::DatabaseConnection;

use super::model::{NewProject, Project, ProjectChanges, ProjectList};
use super::store;
use crate::accounts::AuthSession;
use crate::error::{ApiError, ErrorBody, JsonBody, PathParam};

/// The agents' API. Every route needs a bearer token (checked by `bearer`, shared with
/// `/mcp` so one rate limit covers both) carrying the permission of its method.
pub fn agents_router(bearer: ApiTokenLayer) -> Router<DatabaseConnection> {
    Router::new()
        .route(
            "/api/mcp/projects",
            get(list.layer(requires("read"))).post(create.layer(requires("create"))),
        )
        .route(
            "/api/mcp/projects/{id}",
            get(show.layer(requires("read")))
                .put(update.layer(requires("update")))
                .delete(remove.layer(requires("delete"))),
        )
        .route_layer(bearer)
}

/// What the bearer layer in front of every project route can answer before the handler
/// runs (the permission layer's 403 names the route's permission, so each route lists it).
#[derive(utoipa::IntoResponses)]
#[allow(
    dead_code,
    reason = "never built: only its OpenAPI description is used"
)]
enum TokenRefusals {
    #[response(
        status = 401,
        description = "No token (`MISSING_TOKEN`), or one that is malformed, unknown, \
            revoked or expired (`INVALID_TOKEN`)",
        headers(("WWW-Authenticate" = String, description = "The Bearer challenge"))
    )]
    Unauthorized(ErrorBody),
    #[response(
        status = 429,
        description = "The token's rate limit is used up (`RATE_LIMITED`)",
        headers(("Retry-After" = u64, description = "Seconds until the next request passes"))
    )]
    RateLimited(ErrorBody),
    #[response(
        status = 503,
        description = "The token store cannot be asked (`STORE_UNAVAILABLE`)"
    )]
    StoreUnavailable(ErrorBody),
}

/// The dashboard's view of the signed-in user's projects.
pub fn session_router() -> Router<DatabaseConnection> {
    Router::new().route("/api/projects", get(list_for_session))
}

fn requires(permission: &'static str) -> RequirePermissionLayer {
    RequirePermissionLayer::new(permission).with_realm(crate::REALM)
}

fn not_found() -> ApiError {
    ApiError::not_found("Project not found")
}

impl From<super::model::InvalidField> for ApiError {
    fn from(invalid: super::model::InvalidField) -> Self {
        ApiError::validation(invalid.field, invalid.message)
    }
}

/// The token owner's projects, newest first.
#[utoipa::path(
    get,
    path = "/api/mcp/projects",
    tag = "agents",
    security(("bearer" = ["read"])),
    responses(
        (status = 200, description = "The token owner's projects", body = ProjectList),
        TokenRefusals,
        (status = 403, description = "The token lacks `read` (`INSUFFICIENT_PERMISSIONS`)",
            body = ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`insufficient_scope`"))),
        (status = 500, description = "The database failed (`INTERNAL_ERROR`)", body = ErrorBody),
    )
)]
pub(crate) async fn list(
    State(db): State<DatabaseConnection>,
    Extension(token): Extension<AuthenticatedToken>,
) -> Result<Json<ProjectList>, ApiError> {
    let projects = store::list(&db, &token.owner_id).await?;
    Ok(Json(ProjectList { projects }))
}

/// Creates a project for the token's owner.
#[utoipa::path(
    post,
    path = "/api/mcp/projects",
    tag = "agents",
    security(("bearer" = ["create"])),
    request_body = NewProject,
    responses(
        (status = 201, description = "Created", body = Project),
        (status = 400, description = "The body is not JSON (`INVALID_JSON`)", body = ErrorBody),
        TokenRefusals,
        (status = 403, description = "The token lacks `create` (`INSUFFICIENT_PERMISSIONS`)",
            body = ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`insufficient_scope`"))),
        (status = 413, description = "The body is over 2 MiB (`PAYLOAD_TOO_LARGE`)",
            body = ErrorBody),
        (status = 415, description = "The body is not `application/json` \
            (`UNSUPPORTED_MEDIA_TYPE`)", body = ErrorBody),
        (status = 422, description = "A field is missing or invalid (`VALIDATION_ERROR`, with \
            `field` when known)", body = ErrorBody),
        (status = 500, description = "The database failed (`INTERNAL_ERROR`)", body = ErrorBody),
    )
)]
pub(crate) async fn create(
    State(db): State<DatabaseConnection>,
    Extension(token): Extension<AuthenticatedToken>,
    JsonBody(new): JsonBody<NewProject>,
) -> Result<(StatusCode, Json<Project>), ApiError> {
    let valid = new.validate()?;

    let project = store::create(&db, &token.owner_id, valid).await?;
    tracing::info!(token.id = %token.id, project.id = %project.id, "project created");
    Ok((StatusCode::CREATED, Json(project)))
}

/// One of the token owner's projects.
#[utoipa::path(
    get,
    path = "/api/mcp/projects/{id}",
    tag = "agents",
    security(("bearer" = ["read"])),
    params(("id" = String, Path, description = "The project's id")),
    responses(
        (status = 200, description = "The project", body = Project),
        (status = 400, description = "The id cannot be decoded (`BAD_REQUEST`)", body = ErrorBody),
        TokenRefusals,
        (status = 403, description = "The token lacks `read` (`INSUFFICIENT_PERMISSIONS`)",
            body = ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`insufficient_scope`"))),
        (status = 404, description = "Unknown, or another owner's (`NOT_FOUND`)", body = ErrorBody),
        (status = 500, description = "The database failed (`INTERNAL_ERROR`)", body = ErrorBody),
    )
)]
pub(crate) async fn show(
    State(db): State<DatabaseConnection>,
    Extension(token): Extension<AuthenticatedToken>,
    PathParam(id): PathParam<String>,
) -> Result<Json<Project>, ApiError> {
    let project = store::get(&db, &token.owner_id, &id).await?;
    project.map(Json).ok_or_else(not_found)
}

/// Changes the fields given; the others stay as they are.
#[utoipa::path(
    put,
    path = "/api/mcp/projects/{id}",
    tag = "agents",
    security(("bearer" = ["update"])),
    params(("id" = String, Path, description = "The project's id")),
    request_body = ProjectChanges,
    responses(
        (status = 200, description = "The changed project", body = Project),
        (status = 400, description = "The id cannot be decoded (`BAD_REQUEST`) or the body is \
            not JSON (`INVALID_JSON`)", body = ErrorBody),
        TokenRefusals,
        (status = 403, description = "The token lacks `update` (`INSUFFICIENT_PERMISSIONS`)",
            body = ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`insufficient_scope`"))),
        (status = 404, description = "Unknown, or another owner's (`NOT_FOUND`)", body = ErrorBody),
        (status = 413, description = "The body is over 2 MiB (`PAYLOAD_TOO_LARGE`)",
            body = ErrorBody),
        (status = 415, description = "The body is not `application/json` \
            (`UNSUPPORTED_MEDIA_TYPE`)", body = ErrorBody),
        (status = 422, description = "A field is missing or invalid (`VALIDATION_ERROR`, with \
            `field` when known)", body = ErrorBody),
        (status = 500, description = "The database failed (`INTERNAL_ERROR`)", body = ErrorBody),
    )
)]
pub(crate) async fn update(
    State(db): State<DatabaseConnection>,
    Extension(token): Extension<AuthenticatedToken>,
    PathParam(id): PathParam<String>,
    JsonBody(changes): JsonBody<ProjectChanges>,
) -> Result<Json<Project>, ApiError> {
    let valid = changes.validate()?;

    let project = store::update(&db, &token.owner_id, &id, valid)
        .await?
        .ok_or_else(not_found)?;
    tracing::info!(token.id = %token.id, project.id = %project.id, "project updated");
    Ok(Json(project))
}

/// Deletes one of the token owner's projects.
#[utoipa::path(
    delete,
    path = "/api/mcp/projects/{id}",
    tag = "agents",
    security(("bearer" = ["delete"])),
    params(("id" = String, Path, description = "The project's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "The id cannot be decoded (`BAD_REQUEST`)", body = ErrorBody),
        TokenRefusals,
        (status = 403, description = "The token lacks `delete` (`INSUFFICIENT_PERMISSIONS`)",
            body = ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`insufficient_scope`"))),
        (status = 404, description = "Unknown, or another owner's (`NOT_FOUND`)", body = ErrorBody),
        (status = 500, description = "The database failed (`INTERNAL_ERROR`)", body = ErrorBody),
    )
)]
pub(crate) async fn remove(
    State(db): State<DatabaseConnection>,
    Extension(token): Extension<AuthenticatedToken>,
    PathParam(id): PathParam<String>,
) -> Result<StatusCode, ApiError> {
    if !store::delete(&db, &token.owner_id, &id).await? {
        return Err(not_found());
    }
    tracing::info!(token.id = %token.id, project.id = %id, "project deleted");
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user's projects, for the dashboard.
#[utoipa::path(
    get,
    path = "/api/projects",
    tag = "dashboard",
    security(("session" = [])),
    responses(
        (status = 200, description = "The signed-in user's projects", body = ProjectList),
        (status = 401, description = "No session (`UNAUTHENTICATED`)", body = ErrorBody),
        (status = 500, description = "The database failed (`INTERNAL_ERROR`)", body = ErrorBody),
    )
)]
pub(crate) async fn list_for_session(
    State(db): State<DatabaseConnection>,
    auth: AuthSession,
) -> Result<Json<ProjectList>, ApiError> {
    let user = auth.user.ok_or_else(ApiError::unauthenticated)?;

    let projects = store::list(&db, &user.id).await?;
    Ok(Json(ProjectList { projects }))
}
