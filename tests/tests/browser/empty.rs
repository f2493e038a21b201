//! TC-TOKEN-013: a person without tokens is invited to create one and still sees how to
//! call the API.

use api_tokens_e2e::{ADA, Suite};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tc_token_013_no_tokens_shows_an_empty_state_with_a_call_to_action_and_the_quickstart() {
    let Some(suite) = Suite::start().await else {
        return;
    };
    let browser = &suite.browser;

    suite.sign_in_ui(ADA).await;

    let empty = browser.text("tokens-empty").await;
    assert!(
        empty.contains("No API tokens yet"),
        "empty state: {empty:?}"
    );
    assert_eq!(browser.all("token-row").await.len(), 0);
    let quickstart = browser.text("quickstart-curl").await;
    assert!(
        quickstart.contains("/api/mcp/projects") && quickstart.contains("YOUR_TOKEN"),
        "quickstart: {quickstart:?}"
    );
    browser.wait_for("quickstart-placeholder-note").await;

    browser.click("empty-generate-button").await;
    browser.wait_for("generate-dialog").await;

    suite.finish().await;
}
