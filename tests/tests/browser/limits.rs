//! What the dialog refuses: an empty name before anything is sent (TC-TOKEN-005), an 11th
//! active token (TC-TOKEN-004), and a second token from a double click.

use api_tokens_e2e::{ADA, Suite};
use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};

use crate::common::rows;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tc_token_005_empty_name_is_refused_unsent_and_a_double_click_makes_one_token() {
    let Some(suite) = Suite::start().await else {
        return;
    };
    let browser = &suite.browser;
    let api = suite.api_as(ADA).await;
    suite.sign_in_ui(ADA).await;
    browser.click("generate-token-button").await;

    for name in ["", "   "] {
        browser.fill("token-name-input", name).await;
        browser.click("generate-submit").await;

        let error = browser.text("token-name-error").await;
        assert_eq!(error, "Token name is required", "for the name {name:?}");
        browser.wait_for("generate-dialog").await;
    }
    assert_eq!(api.list().await["total"], 0, "nothing was created");

    browser.fill("token-name-input", "double-click").await;
    let submit = browser.wait_for("generate-submit").await;
    let double_click = MouseActions::new("mouse".to_owned())
        .then(PointerAction::MoveToElement {
            element: submit,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    browser
        .client
        .perform_actions(double_click)
        .await
        .expect("the double click is performed");

    browser.wait_for("token-success-alert").await;
    rows(browser, 1).await;
    let tokens = api.tokens().await;
    assert_eq!(tokens.len(), 1, "one token from a double click: {tokens:?}");
    assert_eq!(tokens[0]["name"], "double-click");

    suite.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tc_token_004_at_ten_active_tokens_no_eleventh_is_made() {
    let Some(suite) = Suite::start().await else {
        return;
    };
    let browser = &suite.browser;
    let api = suite.api_as(ADA).await;
    for number in 1..=9 {
        api.create_token(&format!("agent-{number}"), &["read"])
            .await;
    }
    suite.sign_in_ui(ADA).await;
    rows(browser, 9).await;
    let button = browser.wait_for("generate-token-button").await;
    assert!(
        button.is_enabled().await.unwrap_or(false),
        "9 active: the button works"
    );

    // The dialog is open while another tab takes the last slot.
    browser.click("generate-token-button").await;
    browser.fill("token-name-input", "one-too-many").await;
    api.create_token("agent-10", &["read"]).await;
    browser.click("generate-submit").await;

    browser
        .wait_text("generate-error", "Maximum 10 tokens allowed")
        .await;
    browser.click("generate-cancel").await;
    browser
        .wait_text("token-limit-note", "Maximum 10 tokens allowed")
        .await;
    let button = browser.wait_for("generate-token-button").await;
    assert!(
        !button.is_enabled().await.unwrap_or(true),
        "at the limit the button is disabled"
    );

    // Forced past the disabled button, the server still refuses.
    browser
        .js(
            "const button = document.getElementById('generate-token-button');
             button.removeAttribute('disabled');
             button.click();",
            vec![],
        )
        .await;
    browser.fill("token-name-input", "forced").await;
    browser.click("generate-submit").await;

    browser
        .wait_text("generate-error", "Maximum 10 tokens allowed")
        .await;
    let list = api.list().await;
    assert_eq!(list["total"], 10, "no 11th token: {list}");
    assert_eq!(list["active_count"], 10);

    suite.finish().await;
}
