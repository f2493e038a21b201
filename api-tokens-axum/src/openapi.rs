//! The OpenAPI 3.1 document of the token routes, generated from the handlers, so the
//! routes and their description cannot drift apart.

use api_tokens::TokenManager;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, LicenseBuilder, OpenApi, OpenApiBuilder};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ErrorBody;
use crate::handlers;

/// The name of the security scheme of the token routes: the host's session cookie.
pub const SESSION_SCHEME: &str = "session";

/// The name of the security scheme of routes behind
/// [`ApiTokenLayer`](api_tokens::ApiTokenLayer): `Authorization: Bearer sh_live_…`.
/// The token routes do not use it; a host references it from its own operations.
pub const BEARER_SCHEME: &str = "bearer";

/// The session cookie named by [`openapi`]: `id`, the default of tower-sessions.
pub const DEFAULT_SESSION_COOKIE: &str = "id";

/// The routes and their document, from one list of handlers.
pub(crate) fn routes() -> OpenApiRouter<TokenManager> {
    OpenApiRouter::with_openapi(base_document())
        .routes(routes!(handlers::create_token, handlers::list_tokens))
        .routes(routes!(handlers::revoke_token))
        .routes(routes!(handlers::get_token_policy))
}

/// The OpenAPI 3.1 document of the routes of [`router`](crate::router), with the
/// session cookie named `id` (tower-sessions' default).
///
/// Merge it into the host's own document and serve that:
///
/// ```
/// use utoipa::openapi::{InfoBuilder, OpenApiBuilder};
///
/// let host = OpenApiBuilder::new()
///     .info(InfoBuilder::new().title("My service").version("1.0.0").build())
///     .build();
/// let doc = host.merge_from(api_tokens_axum::openapi());
///
/// let json = doc.to_json()?;
/// assert!(json.contains("\"/api/tokens/{id}\""));
/// # Ok::<_, Box<dyn std::error::Error>>(())
/// ```
///
/// `components.securitySchemes` holds [`SESSION_SCHEME`], which every token operation
/// requires, and [`BEARER_SCHEME`] for the host's token-protected operations.
pub fn openapi() -> OpenApi {
    openapi_with_session_cookie(DEFAULT_SESSION_COOKIE)
}

/// [`openapi`] with the host's session cookie name in the [`SESSION_SCHEME`] scheme.
pub fn openapi_with_session_cookie(cookie: &str) -> OpenApi {
    let mut document = routes().into_openapi();

    let components = document.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        SESSION_SCHEME,
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            cookie,
            "The host's session cookie. The token routes act for the owner the host's \
             authentication sets; they never read an owner from the body or query.",
        ))),
    );
    components.add_security_scheme(
        BEARER_SCHEME,
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("sh_live_ followed by 32 alphanumeric characters")
                .description(Some(
                    "A personal API token, as created by POST /api/tokens, for the \
                     host's token-protected routes.",
                ))
                .build(),
        ),
    );
    document
}

fn base_document() -> OpenApi {
    let info = InfoBuilder::new()
        .title("api-tokens")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "Personal API tokens: create, list and revoke the signed-in owner's tokens.",
        ))
        .license(Some(
            LicenseBuilder::new()
                .name("MIT OR Apache-2.0")
                .identifier(Some("MIT OR Apache-2.0"))
                .build(),
        ))
        .build();
    let tag = TagBuilder::new()
        .name("tokens")
        .description(Some("Personal API tokens of the signed-in owner"))
        .build();
    let components = ComponentsBuilder::new().schema_from::<ErrorBody>().build();

    OpenApiBuilder::new()
        .info(info)
        .tags(Some([tag]))
        .components(Some(components))
        .build()
}
