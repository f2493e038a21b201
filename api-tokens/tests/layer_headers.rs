//! `Authorization` parsing through the layer. CI runs this file in release mode too.

mod common;

use common::{app, bearer, body_text, create, get_with, manager};
use http::StatusCode;
use http::header::WWW_AUTHENTICATE;

#[tokio::test]
async fn tc_token_040_accepted_header_forms() {
    let (manager, _store) = manager();
    let app = app(&manager);
    let (token, _) = create(&manager, "owner-a", "ci").await;

    for value in [
        format!("Bearer {token}"),
        format!("bearer {token}"),
        format!("BEARER {token}"),
        format!("Bearer  {token}"),
    ] {
        let response = get_with(&app, "/read", &[value.as_bytes()]).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "refused {:?}",
            value.replace(&token, "T")
        );
        assert_eq!(body_text(response).await, "owner-a");
    }

    // Header names are case-insensitive on the wire; `http` stores them lower-cased.
    let request = http::Request::get("/read")
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .expect("request");
    let response = tower::ServiceExt::oneshot(app.clone(), request)
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn tc_token_041_malformed_headers_are_refused_without_bcrypt() {
    let (manager, _store) = manager();
    let app = app(&manager);
    let (token, _) = create(&manager, "owner-a", "ci").await;
    let (other, _) = create(&manager, "owner-a", "other").await;
    let before = manager.stats().bcrypt_verifications;

    let long = format!("Bearer sh_live_{}", "A".repeat(8_000));
    let cases: Vec<(&str, Vec<Vec<u8>>)> = vec![
        ("Basic T", vec![format!("Basic {token}").into_bytes()]),
        ("T alone", vec![token.clone().into_bytes()]),
        ("BearerT", vec![format!("Bearer{token}").into_bytes()]),
        ("Bearer", vec![b"Bearer".to_vec()]),
        ("Bearer and a space", vec![b"Bearer ".to_vec()]),
        (
            "a list",
            vec![format!("Bearer {token}, Bearer {other}").into_bytes()],
        ),
        (
            "two headers",
            vec![
                format!("Bearer {token}").into_bytes(),
                format!("Bearer {token}").into_bytes(),
            ],
        ),
        (
            "trailing word",
            vec![format!("Bearer {token} x").into_bytes()],
        ),
        (
            "one character more",
            vec![format!("Bearer {token}A").into_bytes()],
        ),
        (
            "one character less",
            vec![format!("Bearer {}", &token[..39]).into_bytes()],
        ),
        ("Xbearer", vec![format!("Xbearer {token}").into_bytes()]),
        ("8,000 characters", vec![long.into_bytes()]),
        (
            "non-UTF-8 bytes",
            vec![b"Bearer sh_live_\xff\xfe\xfd".to_vec()],
        ),
    ];

    for (label, values) in cases {
        let values: Vec<&[u8]> = values.iter().map(Vec::as_slice).collect();
        let response = get_with(&app, "/read", &values).await;

        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{label}");
        let challenge = response.headers().get(WWW_AUTHENTICATE).expect("challenge");
        assert_eq!(
            challenge, r#"Bearer realm="test", error="invalid_token""#,
            "{label}"
        );
        assert_eq!(
            body_text(response).await,
            r#"{"error":"Invalid or expired token","code":"INVALID_TOKEN"}"#,
            "{label}"
        );
    }

    assert_eq!(
        manager.stats().bcrypt_verifications,
        before,
        "bcrypt ran for a malformed header"
    );
    assert_eq!(bearer(&app, &token).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn tc_token_042_missing_header_asks_for_credentials() {
    let (manager, _store) = manager();
    let app = app(&manager);

    let response = get_with(&app, "/read", &[]).await;

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        response.headers()[WWW_AUTHENTICATE],
        r#"Bearer realm="test""#
    );
    assert_eq!(
        response.headers()[http::header::CONTENT_TYPE],
        "application/json"
    );
    assert_eq!(
        body_text(response).await,
        r#"{"error":"Authorization header required","code":"MISSING_TOKEN"}"#
    );
}
