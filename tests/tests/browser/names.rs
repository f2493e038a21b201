//! TC-TOKEN-201: names are text, wherever they show. Markup in a name is displayed, never
//! parsed or run, and any Unicode comes back as typed.

use api_tokens_e2e::{ADA, Suite};
use fantoccini::Locator;

use crate::common::{generate, row_named, rows};
use api_tokens_e2e::browser::selector;

const MARKUP: &str = r#"<img src=x onerror="window.__xss=1">"#;
const UNICODE: &str = "🔑 prod — déploiement";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tc_token_201_markup_and_unicode_names_show_as_literal_text() {
    let Some(suite) = Suite::start().await else {
        return;
    };
    let browser = &suite.browser;
    let api = suite.api_as(ADA).await;
    // chromedriver types only the Basic Multilingual Plane, so the emoji goes by API.
    api.create_token(UNICODE, &["read"]).await;
    suite.sign_in_ui(ADA).await;

    generate(browser, MARKUP, &[], "30").await;
    browser.click("dismiss-alert").await;

    let note = browser.text("token-hidden-note").await;
    assert!(
        note.contains(MARKUP),
        "the note shows the name as text: {note:?}"
    );
    rows(browser, 2).await;
    for name in [MARKUP, UNICODE] {
        let row = row_named(browser, name).await;
        row.find(Locator::Css(&selector("revoke-button")))
            .await
            .expect("a revoke button")
            .click()
            .await
            .expect("the revoke button opens the dialog");
        assert_eq!(browser.text("revoke-token-name").await, name);
        let injected = browser
            .js(
                "return document.querySelectorAll('[data-testid=revoke-dialog] img').length;",
                vec![],
            )
            .await;
        assert_eq!(injected, 0, "no element made from the name in the dialog");
        browser.click("revoke-cancel").await;
        browser.wait_gone("revoke-dialog").await;
    }

    let found = browser
        .js(
            "return {
               tableImages: document.querySelectorAll('[data-testid=tokens-table] img').length,
               anyXImage: document.querySelectorAll('img[src=\"x\"]').length,
               sentinel: typeof window.__xss,
             };",
            vec![],
        )
        .await;
    assert_eq!(found["tableImages"], 0, "no img in the table");
    assert_eq!(found["anyXImage"], 0, "no img made from the name anywhere");
    assert_eq!(found["sentinel"], "undefined", "no script from a name ran");
    let api_names: Vec<String> = api
        .tokens()
        .await
        .iter()
        .filter_map(|token| token["name"].as_str().map(str::to_owned))
        .collect();
    assert!(
        api_names.iter().any(|name| name == MARKUP),
        "stored byte for byte"
    );
    assert!(
        api_names.iter().any(|name| name == UNICODE),
        "stored byte for byte"
    );

    suite.finish().await;
}
