//! What the layers answer: permissions, rate limits and the error table.

mod common;

use std::sync::atomic::Ordering;
use std::time::Duration;

use api_tokens::{ApiTokenLayer, NewToken, RequirePermissionLayer};
use axum::Router;
use axum::routing::get;
use chrono::Utc;
use common::{app, app_with, bearer, body_text, create, get_with, manager, rate_limited};
use http::StatusCode;
use http::header::{RETRY_AFTER, WWW_AUTHENTICATE};

fn scoped(manager: &api_tokens::TokenManager) -> Router {
    Router::new()
        .route(
            "/read",
            get(|| async { "read" }).layer(RequirePermissionLayer::new("read")),
        )
        .route(
            "/create",
            get(|| async { "created" }).layer(RequirePermissionLayer::new("create")),
        )
        .layer(ApiTokenLayer::new(manager.clone()).with_rate_limit(None))
}

#[tokio::test]
async fn tc_token_058_missing_permission_is_403_insufficient_scope() {
    let (manager, _store) = manager();
    let app = scoped(&manager);
    let (token, _) = create(&manager, "owner", "read-only").await;
    let header = format!("Bearer {token}");

    let read = get_with(&app, "/read", &[header.as_bytes()]).await;
    let denied = get_with(&app, "/create", &[header.as_bytes()]).await;

    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(denied.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        denied.headers()[WWW_AUTHENTICATE],
        r#"Bearer realm="api", error="insufficient_scope", scope="create""#
    );
    assert_eq!(
        body_text(denied).await,
        r#"{"error":"Insufficient permissions","code":"INSUFFICIENT_PERMISSIONS"}"#
    );
}

#[tokio::test]
async fn tc_token_059_rate_limit_is_per_token() {
    let (manager, _store) = manager();
    let app = app_with(rate_limited(&manager, 5));
    let (first, _) = create(&manager, "owner", "busy").await;
    let (second, _) = create(&manager, "owner", "quiet").await;

    for n in 0..5 {
        assert_eq!(
            bearer(&app, &first).await.status(),
            StatusCode::OK,
            "request {n}"
        );
    }
    let limited = bearer(&app, &first).await;

    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = limited.headers()[RETRY_AFTER]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&retry_after), "Retry-After {retry_after}");
    assert_eq!(
        body_text(limited).await,
        r#"{"error":"Rate limit exceeded","code":"RATE_LIMITED"}"#
    );
    assert_eq!(bearer(&app, &second).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn tc_token_061_every_invalid_token_gets_one_identical_answer() {
    let (manager, _store) = manager();
    let app = app(&manager);
    let (wrong_base, _) = create(&manager, "owner", "wrong").await;
    let (revoked, revoked_id) = create(&manager, "owner", "revoked").await;
    let expiring = NewToken {
        expires_at: Some(Utc::now() + chrono::Duration::milliseconds(200)),
        ..NewToken::named("expiring")
    };
    let expired = manager.create("owner", expiring).await.expect("create");
    let expired = expired.token.expose_secret().to_owned();
    manager.revoke("owner", revoked_id).await.expect("revoke");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let last = if wrong_base.ends_with('a') { 'b' } else { 'a' };
    let wrong = format!("{}{last}", &wrong_base[..39]);
    let unknown = api_tokens::TokenSecret::generate()
        .expose_secret()
        .to_owned();

    let mut answers = Vec::new();
    for token in ["not-a-token", &unknown, &wrong, &revoked, &expired] {
        let response = bearer(&app, token).await;
        let status = response.status();
        let challenge = response.headers()[WWW_AUTHENTICATE].clone();
        let content_type = response.headers()[http::header::CONTENT_TYPE].clone();
        answers.push((status, challenge, content_type, body_text(response).await));
    }

    let first = &answers[0];
    assert_eq!(first.0, StatusCode::UNAUTHORIZED);
    assert_eq!(first.1, r#"Bearer realm="test", error="invalid_token""#);
    assert_eq!(
        first.3,
        r#"{"error":"Invalid or expired token","code":"INVALID_TOKEN"}"#
    );
    assert!(answers.iter().all(|answer| answer == first), "{answers:?}");
}

#[tokio::test]
async fn tc_token_062_store_outage_answers_503() {
    let (manager, store) = manager();
    let app = app(&manager);
    let (token, _) = create(&manager, "owner", "ci").await;
    store.unavailable.store(true, Ordering::SeqCst);

    let during = bearer(&app, &token).await;
    store.unavailable.store(false, Ordering::SeqCst);
    let after = bearer(&app, &token).await;

    assert_eq!(during.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(during.headers().get(WWW_AUTHENTICATE).is_none());
    assert_eq!(
        body_text(during).await,
        r#"{"error":"Token store unavailable","code":"STORE_UNAVAILABLE"}"#
    );
    assert_eq!(after.status(), StatusCode::OK);
}

#[tokio::test]
async fn tc_token_063_permission_layer_without_auth_layer_is_a_500() {
    let app: Router = Router::new().route(
        "/create",
        get(|| async { "created" }).layer(RequirePermissionLayer::new("create")),
    );

    let response = get_with(&app, "/create", &[]).await;

    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        body_text(response).await,
        r#"{"error":"Internal server error","code":"INTERNAL_ERROR"}"#
    );
}
