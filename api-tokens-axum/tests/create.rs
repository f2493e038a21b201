//! `POST /api/tokens`: the created token, validation, expiry, the limit and bad input.

#[macro_use]
mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::{TestApp, TestResponse, request};
use regex::Regex;
use serde_json::{Value, json};

const A: &str = "user-a";

on_every_store!(
    tc_token_001_create_returns_every_field_and_a_working_token,
    tc_token_080_permissions_are_checked_and_sorted,
    tc_token_005_an_empty_name_is_refused_and_creates_nothing,
    tc_token_087_name_length_and_control_characters_are_checked,
    tc_token_088_names_are_kept_byte_for_byte,
    tc_token_089_descriptions_are_limited_to_100_characters,
    tc_token_090_malformed_bodies_get_json_4xx_answers,
    tc_token_091_expiry_is_validated_and_returned_in_utc,
    tc_token_004_an_eleventh_active_token_is_refused,
);

fn assert_rfc3339_utc(value: &Value) {
    let pattern = Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$").expect("a valid pattern");
    let text = value.as_str().unwrap_or_default();
    assert!(pattern.is_match(text), "not RFC 3339 UTC: {value}");
}

fn assert_validation_error(response: &TestResponse, field: &str) {
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text()
    );
    let body = response.json();
    assert_eq!(body["code"], "VALIDATION_ERROR");
    assert_eq!(body["field"], field);
    assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()));
}

async fn total(app: &TestApp, user: &str) -> u64 {
    app.list(user, "").await.json()["total"]
        .as_u64()
        .unwrap_or(u64::MAX)
}

async fn tc_token_001_create_returns_every_field_and_a_working_token(app: TestApp) {
    let response = app
        .create(
            A,
            json!({ "name": "CI deploy", "description": "Production" }),
        )
        .await;

    assert_eq!(response.status, StatusCode::CREATED);
    assert_eq!(response.header("cache-control"), Some("no-store"));
    assert_eq!(response.header("content-type"), Some("application/json"));
    let body = response.json();
    let mut keys: Vec<&str> = body
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k.as_str())
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "created_at",
            "description",
            "expires_at",
            "id",
            "name",
            "permissions",
            "prefix",
            "status",
            "token"
        ]
    );
    let token = body["token"].as_str().unwrap_or_default();
    assert!(
        Regex::new(r"^sh_live_[A-Za-z0-9]{32}$")
            .expect("a valid pattern")
            .is_match(token)
    );
    assert!(uuid::Uuid::try_parse(body["id"].as_str().unwrap_or_default()).is_ok());
    assert_eq!(body["name"], "CI deploy");
    assert_eq!(body["description"], "Production");
    assert_eq!(body["permissions"], json!(["read"]));
    assert_eq!(body["prefix"], format!("sh_live_{}…", &token[8..20]));
    assert_eq!(body["status"], "active");
    assert_rfc3339_utc(&body["created_at"]);
    assert_eq!(body["expires_at"], Value::Null);

    let used = app.whoami(token).await;
    assert_eq!(used.status, StatusCode::OK);
    assert_eq!(used.text(), A);
}

async fn tc_token_080_permissions_are_checked_and_sorted(app: TestApp) {
    let chosen = app
        .create(
            A,
            json!({ "name": "agent", "permissions": ["update", "read", "update"] }),
        )
        .await;
    let unknown = app
        .create(
            A,
            json!({ "name": "agent", "permissions": ["read", "admin"] }),
        )
        .await;
    let empty = app
        .create(A, json!({ "name": "agent", "permissions": [] }))
        .await;
    let default = app
        .create(A, json!({ "name": "agent", "permissions": null }))
        .await;

    assert_eq!(chosen.status, StatusCode::CREATED);
    assert_eq!(chosen.json()["permissions"], json!(["read", "update"]));
    assert_validation_error(&unknown, "permissions");
    assert_validation_error(&empty, "permissions");
    assert_eq!(default.json()["permissions"], json!(["read"]));
    assert_eq!(total(&app, A).await, 2);
}

async fn tc_token_005_an_empty_name_is_refused_and_creates_nothing(app: TestApp) {
    let expected = r#"{"error":"Token name is required","code":"VALIDATION_ERROR","field":"name"}"#;

    for body in [json!({ "name": "" }), json!({ "name": " \t  " }), json!({})] {
        let response = app.create(A, body).await;

        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(response.text(), expected);
    }
    assert_eq!(total(&app, A).await, 0);
}

async fn tc_token_087_name_length_and_control_characters_are_checked(app: TestApp) {
    let hundred = app.create(A, json!({ "name": "n".repeat(100) })).await;
    let hundred_wide = app.create(A, json!({ "name": "é".repeat(100) })).await;

    assert_eq!(hundred.status, StatusCode::CREATED);
    assert_eq!(hundred_wide.status, StatusCode::CREATED);
    for name in [
        "n".repeat(101),
        "n".repeat(10_000),
        "a\nb".into(),
        "a\0b".into(),
    ] {
        let response = app.create(A, json!({ "name": name })).await;

        assert_validation_error(&response, "name");
    }
    assert_eq!(total(&app, A).await, 2);
}

async fn tc_token_088_names_are_kept_byte_for_byte(app: TestApp) {
    let names = [
        "🔑 déploiement — prod",
        "Ünïcödé naïve façade",
        "<img src=x onerror=alert(1)>",
        "'; DROP TABLE api_tokens; --",
    ];

    for name in names {
        let response = app.create(A, json!({ "name": name })).await;

        assert_eq!(response.status, StatusCode::CREATED);
        assert_eq!(response.json()["name"], name);
    }
    let listed = app.list(A, "").await.json();
    let mut stored: Vec<String> = listed["tokens"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|token| token["name"].as_str().unwrap_or_default().to_owned())
        .collect();
    stored.reverse();
    assert_eq!(stored, names);
}

async fn tc_token_089_descriptions_are_limited_to_100_characters(app: TestApp) {
    let fits = app
        .create(A, json!({ "name": "a", "description": "d".repeat(100) }))
        .await;
    let too_long = app
        .create(A, json!({ "name": "b", "description": "d".repeat(101) }))
        .await;

    assert_eq!(fits.status, StatusCode::CREATED);
    assert_eq!(fits.json()["description"], "d".repeat(100));
    assert_validation_error(&too_long, "description");
}

async fn tc_token_090_malformed_bodies_get_json_4xx_answers(app: TestApp) {
    let raw = |content_type: Option<&str>, body: &'static str| {
        let builder = request(Method::POST, "/api/tokens", Some(A));
        let builder = match content_type {
            Some(value) => builder.header("content-type", value),
            None => builder,
        };
        builder.body(Body::from(body)).expect("a valid request")
    };
    let cases = [
        (
            raw(Some("application/json"), r#"{"name": "#),
            StatusCode::BAD_REQUEST,
            "INVALID_JSON",
        ),
        (
            raw(Some("application/json"), ""),
            StatusCode::BAD_REQUEST,
            "INVALID_JSON",
        ),
        (
            raw(None, ""),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (
            raw(Some("text/plain"), r#"{"name": "x"}"#),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (
            raw(Some("application/json"), "[]"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        ),
        (
            raw(Some("application/json"), "null"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        ),
        // The fields as an array, in declaration order: a struct's other serde form.
        (
            raw(Some("application/json"), r#"["ci", null, ["read"], null]"#),
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        ),
    ];

    for (request, status, code) in cases {
        let response = app.send(request).await;

        assert_eq!(response.status, status, "{}", response.text());
        assert_eq!(response.json()["code"], code);
    }
    for (body, field) in [
        (json!({ "name": 5 }), "name"),
        (json!({ "name": "x", "permissions": "read" }), "permissions"),
        (
            json!({ "name": "x", "expires_at": "tomorrow" }),
            "expires_at",
        ),
        (json!({ "name": "x", "description": ["a"] }), "description"),
    ] {
        assert_validation_error(&app.create(A, body).await, field);
    }

    // Just over axum's default limit of 2 MiB, in a body that is otherwise valid.
    let oversized = json!({ "name": "big", "description": "x".repeat(2 * 1024 * 1024) });
    let too_large = app.create(A, oversized).await;

    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(too_large.header("content-type"), Some("application/json"));
    assert_eq!(
        too_large.json(),
        json!({ "error": "The request body is too large", "code": "PAYLOAD_TOO_LARGE" })
    );
    assert_eq!(total(&app, A).await, 0);
}

async fn tc_token_091_expiry_is_validated_and_returned_in_utc(app: TestApp) {
    let past = app
        .create(
            A,
            json!({ "name": "old", "expires_at": "2020-01-01T00:00:00Z" }),
        )
        .await;
    let offset = app
        .create(
            A,
            json!({ "name": "ist", "expires_at": "2030-01-01T00:00:00+05:30" }),
        )
        .await;
    let null = app
        .create(A, json!({ "name": "null", "expires_at": null }))
        .await;
    let omitted = app.create(A, json!({ "name": "omitted" })).await;

    assert_validation_error(&past, "expires_at");
    assert_eq!(offset.status, StatusCode::CREATED);
    assert_eq!(offset.json()["expires_at"], "2029-12-31T18:30:00Z");
    assert_eq!(null.json()["expires_at"], Value::Null);
    assert_eq!(omitted.json()["expires_at"], Value::Null);
    let listed = app.list(A, "").await.json();
    let ist = listed["tokens"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|token| token["name"] == "ist")
        .cloned()
        .unwrap_or_default();
    assert_eq!(ist["expires_at"], "2029-12-31T18:30:00Z");
}

async fn tc_token_004_an_eleventh_active_token_is_refused(app: TestApp) {
    let mut first = Value::Null;
    for n in 0..10 {
        let created = app.create_named(A, &format!("token {n}")).await;
        if n == 0 {
            first = created;
        }
    }

    let eleventh = app.create(A, json!({ "name": "one too many" })).await;

    assert_eq!(eleventh.status, StatusCode::CONFLICT);
    assert_eq!(
        eleventh.text(),
        r#"{"error":"Maximum 10 tokens allowed","code":"TOKEN_LIMIT_REACHED"}"#
    );
    let listed = app.list(A, "").await.json();
    assert_eq!(
        (listed["total"].as_u64(), listed["active_count"].as_u64()),
        (Some(10), Some(10))
    );

    let revoked = app
        .revoke(A, first["id"].as_str().unwrap_or_default())
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.create(A, json!({ "name": "room again" })).await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn tc_token_004_the_limit_message_names_the_configured_number() {
    let manager = api_tokens::TokenManager::builder(api_tokens::MemoryTokenStore::new())
        .with_max_active(3)
        .with_bcrypt_cost(api_tokens::BcryptCost::insecure_for_tests(4))
        .build()
        .expect("valid settings");
    let app = TestApp::new(manager);
    for n in 0..3 {
        app.create_named(A, &format!("token {n}")).await;
    }

    let fourth = app.create(A, json!({ "name": "fourth" })).await;

    assert_eq!(fourth.status, StatusCode::CONFLICT);
    assert_eq!(
        fourth.text(),
        r#"{"error":"Maximum 3 tokens allowed","code":"TOKEN_LIMIT_REACHED"}"#
    );
}
