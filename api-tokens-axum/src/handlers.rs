//! The handlers of `/api/tokens`, each with the OpenAPI description of its operation.

use api_tokens::TokenManager;
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;
use zeroize::Zeroize;

use crate::error::{ApiError, ErrorBody};
use crate::input::{JsonBody, QueryParams};
use crate::owner::TokenOwner;
use crate::types::{
    CreateTokenRequest, CreatedTokenResponse, ListTokensQuery, TokenListResponse,
    TokenPolicyResponse, TokenResponse,
};

const DEFAULT_PER_PAGE: u64 = 20;

/// Create a token
///
/// Creates a token for the signed-in owner and returns its plaintext, the only time it
/// is ever shown. The response is marked `Cache-Control: no-store`.
#[utoipa::path(
    post,
    path = "/api/tokens",
    tag = "tokens",
    request_body(content = CreateTokenRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Created; the body holds the plaintext token, shown once",
            body = CreatedTokenResponse,
            headers(("Cache-Control" = String, description = "Always `no-store`"))),
        (status = 400, description = "The body is not valid JSON", body = ErrorBody,
            example = json!({"error": "The request body is not valid JSON", "code": "INVALID_JSON"})),
        (status = 401, description = "No signed-in owner", body = ErrorBody,
            example = json!({"error": "Authentication required", "code": "UNAUTHENTICATED"})),
        (status = 409, description = "The owner already has the maximum number of active tokens",
            body = ErrorBody,
            example = json!({"error": "Maximum 10 tokens allowed", "code": "TOKEN_LIMIT_REACHED"})),
        (status = 413, description = "The body is over the size limit: 2 MiB, axum's default, \
            unless the host sets another with `DefaultBodyLimit`", body = ErrorBody,
            example = json!({"error": "The request body is too large", "code": "PAYLOAD_TOO_LARGE"})),
        (status = 415, description = "The body is not `application/json`", body = ErrorBody,
            example = json!({
                "error": "Expected a JSON body with Content-Type: application/json",
                "code": "UNSUPPORTED_MEDIA_TYPE"
            })),
        (status = 422, description = "A field is invalid", body = ErrorBody,
            example = json!({"error": "Token name is required", "code": "VALIDATION_ERROR", "field": "name"})),
        (status = 503, description = "The token store is unavailable", body = ErrorBody,
            example = json!({"error": "Token store unavailable", "code": "STORE_UNAVAILABLE"})),
    ),
    security(("session" = []))
)]
#[tracing::instrument(name = "POST /api/tokens", skip_all, fields(owner.id = owner.as_str()))]
pub(crate) async fn create_token(
    owner: TokenOwner,
    State(manager): State<TokenManager>,
    JsonBody(request): JsonBody<CreateTokenRequest>,
) -> Result<Response, ApiError> {
    let created = manager
        .create(owner.as_str(), request.into_new_token())
        .await?;

    // Serialize here so the one owned copy of the plaintext can be wiped right after.
    let mut body = CreatedTokenResponse::new(&manager, &created);
    let json = serde_json::to_vec(&body);
    body.token.zeroize();
    let json = json.map_err(|error| {
        tracing::error!(%error, "could not serialize a created token");
        ApiError::internal()
    })?;

    let headers = [
        (CONTENT_TYPE, HeaderValue::from_static("application/json")),
        (CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    Ok((StatusCode::CREATED, headers, json).into_response())
}

/// List tokens
///
/// A page of the signed-in owner's tokens, newest first, revoked and expired ones
/// included, with the owner's active count and limit. `page` starts at 1; `per_page` is
/// 1–100. Out-of-range values are answered 422.
#[utoipa::path(
    get,
    path = "/api/tokens",
    tag = "tokens",
    params(ListTokensQuery),
    responses(
        (status = 200, description = "A page of the owner's tokens", body = TokenListResponse),
        (status = 401, description = "No signed-in owner", body = ErrorBody,
            example = json!({"error": "Authentication required", "code": "UNAUTHENTICATED"})),
        (status = 422, description = "`page` or `per_page` is out of range", body = ErrorBody,
            example = json!({
                "error": "per_page must be between 1 and 100",
                "code": "VALIDATION_ERROR",
                "field": "per_page"
            })),
        (status = 503, description = "The token store is unavailable", body = ErrorBody,
            example = json!({"error": "Token store unavailable", "code": "STORE_UNAVAILABLE"})),
    ),
    security(("session" = []))
)]
#[tracing::instrument(name = "GET /api/tokens", skip_all, fields(owner.id = owner.as_str()))]
pub(crate) async fn list_tokens(
    owner: TokenOwner,
    State(manager): State<TokenManager>,
    QueryParams(query): QueryParams<ListTokensQuery>,
) -> Result<Json<TokenListResponse>, ApiError> {
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(DEFAULT_PER_PAGE);

    let listed = manager.list(owner.as_str(), page, per_page).await?;
    let active_count = manager.count_active(owner.as_str()).await?;

    Ok(Json(TokenListResponse {
        tokens: listed
            .tokens
            .iter()
            .map(|record| TokenResponse::new(&manager, record))
            .collect(),
        total: listed.total,
        page,
        per_page,
        active_count,
        max_active: manager.config().max_active,
    }))
}

/// Revoke a token
///
/// Revokes one of the signed-in owner's tokens; it is refused from then on. Revoking a
/// revoked token succeeds again. Another owner's token and an unknown or malformed id
/// get the same 404.
#[utoipa::path(
    delete,
    path = "/api/tokens/{id}",
    tag = "tokens",
    params(("id" = Uuid, Path, description = "The token's id")),
    responses(
        (status = 204, description = "Revoked (now or before)"),
        (status = 401, description = "No signed-in owner", body = ErrorBody,
            example = json!({"error": "Authentication required", "code": "UNAUTHENTICATED"})),
        (status = 404, description = "No such token among the owner's", body = ErrorBody,
            example = json!({"error": "Token not found", "code": "NOT_FOUND"})),
        (status = 503, description = "The token store is unavailable", body = ErrorBody,
            example = json!({"error": "Token store unavailable", "code": "STORE_UNAVAILABLE"})),
    ),
    security(("session" = []))
)]
#[tracing::instrument(name = "DELETE /api/tokens/{id}", skip_all, fields(owner.id = owner.as_str()))]
pub(crate) async fn revoke_token(
    owner: TokenOwner,
    State(manager): State<TokenManager>,
    id: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    // Anything that is not a UUID cannot name a token: the same 404 as an unknown id.
    let id = id
        .ok()
        .and_then(|Path(raw)| Uuid::try_parse(&raw).ok())
        .ok_or_else(ApiError::not_found)?;

    manager.revoke(owner.as_str(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Token policy
///
/// The permission vocabulary, the default permissions, the active-token limit and the
/// inactivity period, for clients that render a token form.
#[utoipa::path(
    get,
    path = "/api/tokens/policy",
    tag = "tokens",
    responses(
        (status = 200, description = "The policy tokens are created under",
            body = TokenPolicyResponse),
        (status = 401, description = "No signed-in owner", body = ErrorBody,
            example = json!({"error": "Authentication required", "code": "UNAUTHENTICATED"})),
    ),
    security(("session" = []))
)]
pub(crate) async fn get_token_policy(
    _owner: TokenOwner,
    State(manager): State<TokenManager>,
) -> Json<TokenPolicyResponse> {
    Json(TokenPolicyResponse::new(&manager))
}
