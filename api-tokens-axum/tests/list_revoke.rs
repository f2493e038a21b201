//! `GET /api/tokens`, `DELETE /api/tokens/{id}`, `GET /api/tokens/policy`, owner
//! isolation and the missing-owner answer.

#[macro_use]
mod common;

use std::collections::HashSet;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::{TestApp, empty, request, secret_leaks};
use serde_json::{Value, json};

const A: &str = "user-a";
const B: &str = "user-b";
const NOT_FOUND: &str = r#"{"error":"Token not found","code":"NOT_FOUND"}"#;

on_every_store!(
    tc_token_010_list_has_the_documented_shape_newest_first,
    tc_token_002_after_creation_only_the_prefix_is_shown,
    tc_token_012_last_used_is_null_until_the_first_use,
    tc_token_081_twenty_five_tokens_page_without_duplicates,
    tc_token_082_lists_show_only_the_owners_tokens,
    tc_token_083_page_and_per_page_out_of_range_are_422,
    tc_token_084_another_owners_token_is_not_found,
    tc_token_085_malformed_ids_are_json_404s,
    tc_token_086_user_id_in_query_or_body_is_ignored,
    tc_token_020_revoke_is_idempotent_and_immediate,
    tc_token_092_policy_describes_the_rules,
    tc_token_093_every_route_needs_an_owner,
);

fn str_of(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

fn tokens(list: &Value) -> Vec<Value> {
    list["tokens"].as_array().cloned().unwrap_or_default()
}

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k.clone())
        .collect();
    keys.sort_unstable();
    keys
}

async fn tc_token_010_list_has_the_documented_shape_newest_first(app: TestApp) {
    let mut created = Vec::new();
    for name in ["first", "second", "third"] {
        created.push(app.create_named(A, name).await["id"].clone());
    }

    let response = app.list(A, "").await;

    assert_eq!(response.status, StatusCode::OK);
    let list = response.json();
    assert_eq!(
        keys(&list),
        [
            "active_count",
            "max_active",
            "page",
            "per_page",
            "tokens",
            "total"
        ]
    );
    assert_eq!(
        (
            &list["total"],
            &list["page"],
            &list["per_page"],
            &list["active_count"],
            &list["max_active"]
        ),
        (&json!(3), &json!(1), &json!(20), &json!(3), &json!(10))
    );
    let listed: Vec<Value> = tokens(&list).iter().map(|t| t["id"].clone()).collect();
    created.reverse();
    assert_eq!(listed, created);
    for token in tokens(&list) {
        assert_eq!(
            keys(&token),
            [
                "created_at",
                "description",
                "expires_at",
                "id",
                "last_used_at",
                "name",
                "permissions",
                "prefix",
                "revoked_at",
                "status"
            ]
        );
        assert_eq!(
            (&token["status"], &token["revoked_at"]),
            (&json!("active"), &Value::Null)
        );
    }
}

async fn tc_token_002_after_creation_only_the_prefix_is_shown(app: TestApp) {
    let created = app.create_named(A, "laptop").await;

    let list = app.list(A, "").await;

    let token = str_of(&created["token"]);
    assert!(!list.text().contains(token));
    assert!(secret_leaks(&list.text()).is_empty());
    assert_eq!(tokens(&list.json())[0]["prefix"], created["prefix"]);
}

async fn tc_token_012_last_used_is_null_until_the_first_use(app: TestApp) {
    let created = app.create_named(A, "agent").await;
    let before = app.list(A, "").await.json();

    let used = app.whoami(str_of(&created["token"])).await;
    let after = app.list(A, "").await.json();

    assert_eq!(tokens(&before)[0]["last_used_at"], Value::Null);
    assert_eq!(used.status, StatusCode::OK);
    let last_used = str_of(&tokens(&after)[0]["last_used_at"]).to_owned();
    assert!(
        last_used.ends_with('Z') && last_used.len() == 20,
        "{last_used:?}"
    );
    assert!(last_used.as_str() >= str_of(&created["created_at"]));
}

async fn tc_token_081_twenty_five_tokens_page_without_duplicates(app: TestApp) {
    // Only 10 may be active at once, so most are revoked right after creation.
    let mut created = Vec::new();
    for n in 0..25 {
        let token = app.create_named(A, &format!("token {n}")).await;
        let id = str_of(&token["id"]).to_owned();
        if n < 20 {
            assert_eq!(app.revoke(A, &id).await.status, StatusCode::NO_CONTENT);
        }
        created.push(id);
    }

    let mut seen = Vec::new();
    for (page, expected) in [(1, 10), (2, 10), (3, 5)] {
        let list = app
            .list(A, &format!("page={page}&per_page=10"))
            .await
            .json();

        assert_eq!(
            (list["total"].as_u64(), list["page"].as_u64()),
            (Some(25), Some(page))
        );
        assert_eq!(list["active_count"], 5);
        let ids: Vec<String> = tokens(&list)
            .iter()
            .map(|t| str_of(&t["id"]).to_owned())
            .collect();
        assert_eq!(ids.len(), expected);
        seen.extend(ids);
    }
    let past_the_end = app.list(A, "page=4&per_page=10").await.json();

    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 25);
    created.reverse();
    assert_eq!(seen, created);
    assert!(tokens(&past_the_end).is_empty());
}

async fn tc_token_082_lists_show_only_the_owners_tokens(app: TestApp) {
    let a1 = app.create_named(A, "a one").await;
    let a2 = app.create_named(A, "a two").await;
    let b1 = app.create_named(B, "b one").await;

    let list = app.list(B, "").await.json();

    let ids: Vec<Value> = tokens(&list).iter().map(|t| t["id"].clone()).collect();
    assert_eq!(ids, [b1["id"].clone()]);
    assert_eq!(
        (&list["total"], &list["active_count"]),
        (&json!(1), &json!(1))
    );
    assert!(!ids.contains(&a1["id"]) && !ids.contains(&a2["id"]));
}

async fn tc_token_083_page_and_per_page_out_of_range_are_422(app: TestApp) {
    app.create_named(A, "one").await;

    for (query, field) in [
        ("page=0", "page"),
        ("per_page=0", "per_page"),
        ("per_page=1000", "per_page"),
        ("per_page=101", "per_page"),
        ("page=abc", "page"),
        ("page=-1", "page"),
        ("per_page=99999999999999999999999", "per_page"),
    ] {
        let response = app.list(A, query).await;

        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(
            (&response.json()["code"], &response.json()["field"]),
            (&json!("VALIDATION_ERROR"), &json!(field))
        );
    }
    assert_eq!(
        app.list(A, "page=1&per_page=100").await.status,
        StatusCode::OK
    );
    let far = app
        .list(A, &format!("page={}&per_page=100", u64::MAX))
        .await;
    assert_eq!(far.status, StatusCode::OK, "{}", far.text());
    assert!(tokens(&far.json()).is_empty());
}

async fn tc_token_084_another_owners_token_is_not_found(app: TestApp) {
    let created = app.create_named(A, "mine").await;
    let id = str_of(&created["id"]);

    let foreign = app.revoke(B, id).await;
    let unknown = app.revoke(B, &uuid::Uuid::now_v7().to_string()).await;

    assert_eq!(
        (foreign.status, unknown.status),
        (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND)
    );
    assert_eq!(foreign.body, unknown.body);
    assert_eq!(foreign.text(), NOT_FOUND);
    assert_eq!(
        app.whoami(str_of(&created["token"])).await.status,
        StatusCode::OK
    );
    assert_eq!(tokens(&app.list(A, "").await.json())[0]["status"], "active");
}

async fn tc_token_085_malformed_ids_are_json_404s(app: TestApp) {
    app.create_named(A, "mine").await;

    for id in ["abc", "-1", "123456789012345678901234567890", "%FF%FE", "0"] {
        let response = app.revoke(A, id).await;

        assert_eq!(response.status, StatusCode::NOT_FOUND, "{id}");
        assert_eq!(response.text(), NOT_FOUND, "{id}");
    }
}

async fn tc_token_086_user_id_in_query_or_body_is_ignored(app: TestApp) {
    let b_token = app.create_named(B, "b's").await;
    let spoofed = app
        .create(A, json!({ "name": "spoofed", "user_id": B, "owner_id": B }))
        .await
        .json();

    let a_list = app
        .list(A, &format!("user_id={B}&owner_id={B}"))
        .await
        .json();
    let b_list = app.list(B, "").await.json();
    let delete = request(
        Method::DELETE,
        &format!("/api/tokens/{}?user_id={B}", str_of(&b_token["id"])),
        Some(A),
    )
    .header("content-type", "application/json")
    .body(Body::from(json!({ "user_id": B }).to_string()))
    .expect("a valid request");
    let foreign_delete = app.send(delete).await;

    let a_ids: Vec<Value> = tokens(&a_list).iter().map(|t| t["id"].clone()).collect();
    assert_eq!(a_ids, [spoofed["id"].clone()]);
    assert_eq!(tokens(&b_list).len(), 1);
    assert_eq!(foreign_delete.text(), NOT_FOUND);
    assert_eq!(app.whoami(str_of(&spoofed["token"])).await.text(), A);
}

async fn tc_token_020_revoke_is_idempotent_and_immediate(app: TestApp) {
    let created = app.create_named(A, "to revoke").await;
    let token = str_of(&created["token"]);
    assert_eq!(app.whoami(token).await.status, StatusCode::OK);

    let first = app.revoke(A, str_of(&created["id"])).await;
    let again = app.revoke(A, str_of(&created["id"])).await;
    let refused = app.whoami(token).await;
    let list = app.list(A, "").await.json();

    assert_eq!(
        (first.status, again.status),
        (StatusCode::NO_CONTENT, StatusCode::NO_CONTENT)
    );
    assert!(first.body.is_empty() && again.body.is_empty());
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.json()["code"], "INVALID_TOKEN");
    let listed = &tokens(&list)[0];
    assert_eq!(listed["status"], "revoked");
    assert!(str_of(&listed["revoked_at"]).ends_with('Z'));
    assert_eq!(list["active_count"], 0);
}

async fn tc_token_092_policy_describes_the_rules(app: TestApp) {
    let response = app
        .send(empty(Method::GET, "/api/tokens/policy", Some(A)))
        .await;

    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        response.json(),
        json!({
            "permissions": ["read", "create", "update", "delete"],
            "default_permissions": ["read"],
            "max_active": 10,
            "inactivity_days": 90
        })
    );
}

#[tokio::test]
async fn tc_token_092_policy_without_inactivity_expiry_says_null() {
    let manager = api_tokens::TokenManager::builder(api_tokens::MemoryTokenStore::new())
        .with_inactivity_expiry(None)
        .build()
        .expect("valid settings");
    let app = TestApp::new(manager);

    let response = app
        .send(empty(Method::GET, "/api/tokens/policy", Some(A)))
        .await;

    assert_eq!(response.json()["inactivity_days"], Value::Null);
}

async fn tc_token_093_every_route_needs_an_owner(app: TestApp) {
    let created = app.create_named(A, "mine").await;
    let expected = r#"{"error":"Authentication required","code":"UNAUTHENTICATED"}"#;
    let create = request(Method::POST, "/api/tokens", None)
        .header("content-type", "application/json")
        .body(Body::from(r#"{"name": "x", "user_id": "user-a"}"#))
        .expect("a valid request");
    let requests = [
        create,
        empty(Method::GET, "/api/tokens?user_id=user-a", None),
        empty(
            Method::DELETE,
            &format!("/api/tokens/{}", str_of(&created["id"])),
            None,
        ),
        empty(Method::GET, "/api/tokens/policy", None),
        empty(Method::GET, "/api/tokens", Some("")),
    ];

    for request in requests {
        let response = app.send(request).await;

        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
        assert_eq!(response.text(), expected);
    }
    assert_eq!(app.list(A, "").await.json()["total"], 1);
}

#[test]
fn tc_token_099_the_secret_scan_finds_every_kind_of_leak() {
    let token = format!("sh_live_{}", "aB3".repeat(10) + "xy");
    let leaky = [
        format!(r#"{{"note":"{token}"}}"#),
        r#"{"stored":"$2b$12$abcdefghijklmnopqrstuv"}"#.to_owned(),
        "$2a$04$x".to_owned(),
        "$2y$10$x".to_owned(),
        r#"{"tokens":[{"hash":"x"}]}"#.to_owned(),
        r#"{"nested":{"client_secret":null}}"#.to_owned(),
    ];
    let clean = [
        r#"{"prefix":"sh_live_AbCdEfGhIjKl…","name":"hash browns"}"#,
        r#"{"error":"Token not found","code":"NOT_FOUND"}"#,
        "",
    ];

    for body in &leaky {
        assert!(!secret_leaks(body).is_empty(), "missed a leak in {body}");
    }
    for body in clean {
        assert!(secret_leaks(body).is_empty(), "false alarm on {body}");
    }
}
