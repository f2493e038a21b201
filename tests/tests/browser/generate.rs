//! Generating a token in the dialog, the one-time success alert, and copying from it.

use api_tokens_e2e::{ADA, Suite};
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;
use tokio::process::Command;

use crate::common::{generate, is_token, permissions_of};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tc_token_001_031_generate_shows_a_well_formed_token_once_with_the_chosen_rules() {
    let Some(suite) = Suite::start().await else {
        return;
    };
    let browser = &suite.browser;
    suite.sign_in_ui(ADA).await;

    let token = generate(browser, "deploy-bot", &["create"], "30").await;

    let alert = browser.text("token-success-alert").await;
    assert!(
        alert.contains("Token generated successfully!"),
        "alert: {alert:?}"
    );
    assert!(is_token(&token) && token.len() == 40, "token: {token:?}");

    let api = suite.api_as(ADA).await;
    let tokens = api.tokens().await;
    assert_eq!(tokens.len(), 1, "one token exists: {tokens:?}");
    let listed = &tokens[0];
    assert_eq!(listed["name"], "deploy-bot");
    assert_eq!(listed["status"], "active");
    assert_eq!(permissions_of(listed), ["create", "read"]);
    let prefix = listed["prefix"].as_str().unwrap_or_default();
    assert!(
        token.starts_with(prefix.trim_end_matches('…')),
        "the listed prefix {prefix:?} begins the token"
    );
    assert!(
        listed.get("token").is_none(),
        "the list never holds the plaintext"
    );
    let expires_at = listed["expires_at"].as_str().unwrap_or_default();
    let expires_at = DateTime::parse_from_rfc3339(expires_at)
        .unwrap_or_else(|error| panic!("expires_at {expires_at:?}: {error}"))
        .with_timezone(&Utc);
    let off_by = (expires_at - (Utc::now() + TimeDelta::days(30))).abs();
    assert!(
        off_by < TimeDelta::hours(1),
        "expires about 30 days ahead, got {expires_at}"
    );

    suite.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tc_token_003_copy_puts_the_whole_token_on_the_clipboard_and_says_copied() {
    let Some(suite) = Suite::start().await else {
        return;
    };
    let browser = &suite.browser;
    suite.sign_in_ui(ADA).await;
    browser.grant_clipboard().await;
    let token = generate(browser, "clipboard-check", &[], "30").await;

    browser.click("copy-token").await;

    browser.wait_text("copy-token", "Copied!").await;
    let state = browser
        .wait_for("copy-token")
        .await
        .attr("data-copy-state")
        .await;
    assert_eq!(state.ok().flatten().as_deref(), Some("copied"));
    let copied = browser.clipboard_text().await;
    assert_eq!(copied.len(), 40, "exactly 40 characters: {copied:?}");
    assert_eq!(copied, token);

    suite.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tc_token_200_the_quickstart_curl_command_works_exactly_as_copied() {
    let Some(suite) = Suite::start().await else {
        return;
    };
    if api_tokens_e2e::prereq::find_program("curl").is_none() {
        api_tokens_e2e::prereq::unavailable("curl is not installed");
        return;
    }
    let browser = &suite.browser;
    suite.sign_in_ui(ADA).await;
    browser.grant_clipboard().await;
    let token = generate(browser, "quickstart", &[], "30").await;

    browser.click("copy-curl").await;
    browser.wait_text("copy-curl", "Copied!").await;
    let command = browser.clipboard_text().await;

    assert!(
        command.contains(&token),
        "the copied command carries the new token"
    );
    let output = Command::new("sh")
        .arg("-c")
        .arg(&command)
        .output()
        .await
        .expect("sh runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the command exits 0: {:?}, stderr {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let body: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|error| panic!("the output is JSON ({error}): {stdout}"));
    assert!(body["projects"].is_array(), "the project list: {body}");

    suite.finish().await;
}
