//! Accounts and sessions: sign-up, sign-in, sign-out, and what needs a session.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{DEMO_PASSWORD, Server, error_of};

/// A fresh email, so scenarios can share a server.
pub(crate) fn unique_email(name: &str) -> String {
    format!("{name}-{}@example.com", uuid_fragment())
}

fn uuid_fragment() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_nanos())
        .unwrap_or_default();
    format!("{nanos:x}")
}

/// Without credentials: `/healthz` answers, the session routes refuse.
pub(crate) async fn anonymous_scenario(server: &Server) {
    let anonymous = server.browser();

    let health = anonymous
        .client
        .get(server.url("/healthz"))
        .send()
        .await
        .expect("healthz request");
    assert_eq!(health.status(), StatusCode::OK);
    let body: Value = health.json().await.expect("JSON body");
    assert_eq!(body, json!({ "status": "ok" }));

    for path in ["/api/tokens", "/api/projects", "/auth/me"] {
        let response = anonymous
            .client
            .get(server.url(path))
            .send()
            .await
            .expect("request");
        let (status, error, code) = error_of(response).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(error, "Authentication required", "{path}");
        assert_eq!(code, "UNAUTHENTICATED", "{path}");
    }

    let create = anonymous
        .client
        .post(server.url("/api/tokens"))
        .json(&json!({ "name": "no session" }))
        .send()
        .await
        .expect("request");
    assert_eq!(create.status(), StatusCode::UNAUTHORIZED);
}

/// Sign-up signs in; sign-out ends the session; wrong passwords are refused.
pub(crate) async fn signup_scenario(server: &Server) {
    let browser = server.browser();
    let email = unique_email("grace");

    let response = browser
        .client
        .post(server.url("/auth/signup"))
        .json(&json!({ "name": "Grace Hopper", "email": email, "password": "compilers-rule" }))
        .send()
        .await
        .expect("signup request");
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .expect("a session cookie is set")
        .to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    let user: Value = response.json().await.expect("JSON body");
    assert_eq!(user["email"], email.as_str());
    assert_eq!(user["name"], "Grace Hopper");
    assert!(user["id"].as_str().is_some_and(|id| !id.is_empty()));
    assert_eq!(
        user.as_object().map(|o| o.len()),
        Some(3),
        "only id, email, name"
    );

    let me: Value = browser
        .client
        .get(server.url("/auth/me"))
        .send()
        .await
        .expect("me request")
        .json()
        .await
        .expect("JSON body");
    assert_eq!(me, user);

    let logout = browser
        .client
        .post(server.url("/auth/logout"))
        .send()
        .await
        .expect("logout request");
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    let me = browser
        .client
        .get(server.url("/auth/me"))
        .send()
        .await
        .expect("me request");
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);

    let (status, error, code) = error_of(browser.login(&email, "not-the-password").await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(error, "Invalid email or password");
    assert_eq!(code, "INVALID_CREDENTIALS");
    let (status, _, code) = error_of(browser.login("nobody@example.com", "whatever1").await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNAUTHORIZED, "INVALID_CREDENTIALS")
    );

    let again = browser.login(&email.to_uppercase(), "compilers-rule").await;
    assert_eq!(
        again.status(),
        StatusCode::OK,
        "emails compare case-insensitively"
    );
    let demo = server
        .browser()
        .login("ada@example.com", DEMO_PASSWORD)
        .await;
    let ada: Value = demo.json().await.expect("JSON body");
    assert_eq!(ada["name"], "Ada Lovelace");
}

/// Taken emails and invalid input are refused with the documented bodies.
pub(crate) async fn signup_errors_scenario(server: &Server) {
    let browser = server.browser();

    let taken = browser
        .client
        .post(server.url("/auth/signup"))
        .json(
            &json!({ "name": "Ada Again", "email": "ADA@example.com", "password": "long enough" }),
        )
        .send()
        .await
        .expect("signup request");
    let (status, error, code) = error_of(taken).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error, "An account with this email already exists");
    assert_eq!(code, "EMAIL_TAKEN");

    let cases = [
        (
            json!({ "name": "", "email": unique_email("x"), "password": "long enough" }),
            "name",
        ),
        (
            json!({ "name": "X", "email": "not-an-email", "password": "long enough" }),
            "email",
        ),
        (
            json!({ "name": "X", "email": unique_email("x"), "password": "short" }),
            "password",
        ),
    ];
    for (body, field) in cases {
        let response = browser
            .client
            .post(server.url("/auth/signup"))
            .json(&body)
            .send()
            .await
            .expect("signup request");
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}"
        );
        let error: Value = response.json().await.expect("JSON body");
        assert_eq!(error["code"], "VALIDATION_ERROR");
        assert_eq!(error["field"], field);
    }
}

#[tokio::test]
async fn tc_token_100_healthz_answers_and_session_routes_need_a_session() {
    let server = Server::start().await;

    anonymous_scenario(&server).await;
}

#[tokio::test]
async fn tc_token_101_signup_signs_in_and_a_wrong_password_is_refused() {
    let server = Server::start().await;

    signup_scenario(&server).await;
}

#[tokio::test]
async fn tc_token_102_taken_emails_and_invalid_signups_are_refused() {
    let server = Server::start().await;

    signup_errors_scenario(&server).await;
}

#[tokio::test]
async fn tc_token_119_failed_sign_ins_are_throttled_per_account_and_address() {
    let server = Server::start().await;
    let browser = server.browser();

    // Successful sign-ins are not counted.
    for _ in 0..6 {
        browser.login_demo("ada@example.com").await;
    }
    // Five failures pass through to the password check, whatever the email's case.
    for email in ["ada@example.com", "ADA@example.com", " ada@example.com"]
        .iter()
        .cycle()
        .take(5)
    {
        let (status, _, code) = error_of(browser.login(email, "wrong password").await).await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::UNAUTHORIZED, "INVALID_CREDENTIALS")
        );
    }
    // The sixth attempt is refused before the check, even with the right password.
    let refused = browser.login("ada@example.com", DEMO_PASSWORD).await;
    let retry_after: u64 = refused
        .headers()
        .get("retry-after")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok())
        .expect("a numeric Retry-After header");
    let (status, error, code) = error_of(refused).await;
    let other_account = server
        .browser()
        .login("bob@example.com", DEMO_PASSWORD)
        .await;
    let me = browser
        .client
        .get(server.url("/auth/me"))
        .send()
        .await
        .expect("me request");

    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        (error.as_str(), code.as_str()),
        (
            "Too many failed sign-in attempts; try again later",
            "RATE_LIMITED"
        )
    );
    assert!(
        (1..=12).contains(&retry_after),
        "Retry-After: {retry_after}"
    );
    assert_eq!(other_account.status(), StatusCode::OK, "another account");
    let me: Value = me.json().await.expect("JSON body");
    assert_eq!(
        me["email"], "ada@example.com",
        "the session from before stays signed in"
    );
    assert!(
        server
            .output()
            .contains("too many failed sign-ins for one account"),
        "the lock-out is logged"
    );
}

#[tokio::test]
async fn tc_token_122_another_instance_starting_keeps_demo_sessions() {
    let first = Server::start().await;
    let browser = first.browser();
    browser.login_demo("ada@example.com").await;

    let second = Server::start_with(crate::harness::Options {
        database_url: Some(first.database_url.clone()),
        ..Default::default()
    })
    .await;
    let me = browser
        .client
        .get(first.url("/auth/me"))
        .send()
        .await
        .expect("request");

    assert_eq!(
        me.status(),
        StatusCode::OK,
        "a second instance on the same database signed the demo account out"
    );
    assert_eq!(
        second
            .browser()
            .login("ada@example.com", DEMO_PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn tc_token_123_a_cross_site_write_is_a_json_403_and_creates_nothing() {
    let server = Server::start().await;
    let ada = server.browser();
    ada.login_demo("ada@example.com").await;
    let before = ada.tokens().await.len();

    let response = ada
        .client
        .post(server.url("/api/tokens"))
        .header("Sec-Fetch-Site", "cross-site")
        .header("Origin", "https://elsewhere.example")
        .json(&json!({ "name": "planted", "permissions": ["read"] }))
        .send()
        .await
        .expect("create token request");

    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let (status, error, code) = error_of(response).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(content_type.as_deref(), Some("application/json"));
    assert_eq!(error, "Cross-site request refused");
    assert_eq!(code, "CROSS_SITE_REQUEST");
    assert_eq!(ada.tokens().await.len(), before, "no token was created");
}
