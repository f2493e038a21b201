//! Revoking through the confirmation dialog (TC-TOKEN-020, 021, 022).

use api_tokens_e2e::{ADA, Suite};
use reqwest::StatusCode;

use crate::common::{rows, text_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tc_token_020_021_022_revoke_asks_first_cancel_keeps_confirm_revokes() {
    let Some(suite) = Suite::start().await else {
        return;
    };
    let browser = &suite.browser;
    let api = suite.api_as(ADA).await;
    let created = api.create_token("ci-runner", &["read"]).await;
    let token = created["token"].as_str().unwrap_or_default().to_owned();
    suite.sign_in_ui(ADA).await;
    rows(browser, 1).await;

    browser.click("revoke-button").await;

    let dialog = browser.text("revoke-dialog").await;
    assert!(
        dialog.contains("ci-runner"),
        "the dialog names the token: {dialog:?}"
    );
    assert_eq!(browser.text("revoke-token-name").await, "ci-runner");

    browser.click("revoke-cancel").await;

    browser.wait_gone("revoke-dialog").await;
    let row = &rows(browser, 1).await[0];
    assert_eq!(
        row.attr("data-status").await.ok().flatten().as_deref(),
        Some("active")
    );
    assert_eq!(text_in(row, "token-status").await, "Active");
    assert_eq!(api.projects_with(&token).await.0, StatusCode::OK);

    browser.click("revoke-button").await;
    browser.click("revoke-confirm").await;

    browser.wait_gone("revoke-dialog").await;
    browser
        .wait_until(
            "the row to turn Revoked",
            "document.querySelector('[data-testid=token-row][data-status=revoked]')",
        )
        .await;
    let row = &rows(browser, 1).await[0];
    assert_eq!(text_in(row, "token-status").await, "Revoked");
    assert!(
        browser.all("revoke-button").await.is_empty(),
        "no revoke action remains"
    );
    let (status, body) = api.projects_with(&token).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the API refuses the token: {body}"
    );
    assert!(body.contains("INVALID_TOKEN"), "body: {body}");

    suite.finish().await;
}
