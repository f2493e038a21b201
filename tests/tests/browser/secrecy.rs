//! TC-TOKEN-002: once the alert is dismissed, or the page reloaded, the plaintext is gone
//! from everything the browser holds; only the masked prefix remains.

use api_tokens_e2e::{ADA, Suite};

use crate::common::{assert_token_gone, generate, rows, text_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tc_token_002_after_dismissal_and_reload_only_the_masked_prefix_remains() {
    let Some(suite) = Suite::start().await else {
        return;
    };
    let browser = &suite.browser;
    suite.sign_in_ui(ADA).await;
    let token = generate(browser, "one-time", &[], "30").await;
    let api = suite.api_as(ADA).await;
    let prefix = api.tokens().await[0]["prefix"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_default();
    assert!(prefix.ends_with('…') && token.starts_with(prefix.trim_end_matches('…')));

    browser.click("dismiss-alert").await;

    browser.wait_gone("token-success-alert").await;
    let note = browser.text("token-hidden-note").await;
    assert!(
        note.contains("cannot be retrieved") && note.contains(&prefix),
        "the note explains the value is gone: {note:?}"
    );
    browser.wait_text("quickstart-curl", "YOUR_TOKEN").await;
    let row = &rows(browser, 1).await[0];
    assert_eq!(text_in(row, "token-prefix").await, prefix);
    assert_token_gone(browser, &token, "after dismissing the alert").await;

    browser.client.refresh().await.expect("the page reloads");

    let row = &rows(browser, 1).await[0];
    assert_eq!(text_in(row, "token-prefix").await, prefix);
    assert!(browser.all("token-success-alert").await.is_empty());
    let caption = browser
        .js(
            "return document.querySelector('[data-testid=tokens-table] caption').textContent;",
            vec![],
        )
        .await;
    let caption = caption.as_str().unwrap_or_default();
    assert!(
        caption.contains("cannot be retrieved"),
        "the table says values cannot be retrieved: {caption:?}"
    );
    let hint = browser.text("quickstart-placeholder-note").await;
    assert!(
        hint.contains("shown only once"),
        "quickstart hint: {hint:?}"
    );
    assert_token_gone(browser, &token, "after a reload").await;

    suite.finish().await;
}
