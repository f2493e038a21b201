//! TC-TOKEN-204: axe-core finds nothing serious or critical on the tokens page, in the
//! generate dialog, or on the sign-in page.

use api_tokens_e2e::browser::Browser;
use api_tokens_e2e::{ADA, Suite, prereq};

use crate::common::{generate, rows};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tc_token_204_no_serious_accessibility_violations_on_tokens_dialog_and_sign_in() {
    let axe = match prereq::axe_core_script() {
        Ok(source) => source,
        Err(reason) => {
            prereq::unavailable(&reason);
            return;
        }
    };
    let Some(suite) = Suite::start().await else {
        return;
    };
    let browser = &suite.browser;
    let api = suite.api_as(ADA).await;
    let retired = api.create_token("Legacy CI runner", &["read"]).await;
    api.revoke(retired["id"].as_str().unwrap_or_default()).await;
    suite.sign_in_ui(ADA).await;
    generate(browser, "deploy-bot", &[], "30").await;
    rows(browser, 2).await;

    let mut findings = Vec::new();
    findings.extend(audit(browser, &axe, "the tokens page").await);

    browser.click("generate-token-button").await;
    browser.wait_for("generate-dialog").await;
    findings.extend(audit(browser, &axe, "the generate dialog").await);

    browser
        .client
        .delete_all_cookies()
        .await
        .expect("cookies cleared");
    browser.goto("/login").await;
    browser.wait_for("auth-submit").await;
    findings.extend(audit(browser, &axe, "the sign-in page").await);

    assert!(
        findings.is_empty(),
        "serious or critical problems:\n{}",
        findings.join("\n")
    );
    suite.finish().await;
}

async fn audit(browser: &Browser, axe: &str, page: &str) -> Vec<String> {
    let violations = browser.serious_accessibility_violations(axe).await;
    violations
        .iter()
        .map(|violation| format!("{page}: {violation:#}"))
        .collect()
}
