//! The token table: its columns, badges and "Last used" (TC-TOKEN-010, 011, 012), and its
//! pagination (TC-TOKEN-202).

use api_tokens_e2e::{ADA, Suite};
use fantoccini::Locator;
use tokio::process::Command;

use crate::common::{row_named, rows, text_in};
use api_tokens_e2e::browser::selector;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tc_token_010_011_012_table_columns_badges_and_last_used_without_a_reload() {
    let Some(suite) = Suite::start().await else {
        return;
    };
    if api_tokens_e2e::prereq::find_program("curl").is_none() {
        api_tokens_e2e::prereq::unavailable("curl is not installed");
        return;
    }
    let browser = &suite.browser;
    let api = suite.api_as(ADA).await;
    let live = api.create_token("Production API", &["read"]).await;
    let old = api.create_token("Old CI", &["read"]).await;
    api.revoke(old["id"].as_str().unwrap_or_default()).await;
    let token = live["token"].as_str().unwrap_or_default().to_owned();

    suite.sign_in_ui(ADA).await;

    rows(browser, 2).await;
    let headers = browser
        .js(
            "return [...document.querySelectorAll('[data-testid=tokens-table] thead th')]
                .map((th) => th.textContent.trim());",
            vec![],
        )
        .await;
    assert_eq!(
        headers,
        serde_json::json!([
            "TOKEN NAME",
            "STATUS",
            "CREATED DATE",
            "LAST USED",
            "ACTIONS"
        ])
    );
    let active = row_named(browser, "Production API").await;
    let badge = active
        .find(Locator::Css(&selector("token-status")))
        .await
        .expect("a status badge");
    assert_eq!(badge.text().await.unwrap_or_default(), "Active");
    assert_eq!(
        browser.computed_style(&badge, "background-color").await,
        "rgb(21, 55, 34)"
    );
    assert_eq!(text_in(&active, "token-last-used").await, "Never");
    assert!(!text_in(&active, "token-created").await.is_empty());
    let revoked = row_named(browser, "Old CI").await;
    let badge = revoked
        .find(Locator::Css(&selector("token-status")))
        .await
        .expect("a status badge");
    assert_eq!(badge.text().await.unwrap_or_default(), "Revoked");
    assert_eq!(
        browser.computed_style(&badge, "background-color").await,
        "rgb(31, 41, 55)"
    );

    // Marks this document: a reload would lose the mark.
    browser.js("window.__sameDocument = true;", vec![]).await;
    let status = Command::new("curl")
        .args(["--silent", "--show-error", "--output", "/dev/null"])
        .args(["--write-out", "%{http_code}"])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .arg(suite.hub.url("/api/mcp/projects"))
        .output()
        .await
        .expect("curl runs");
    assert_eq!(String::from_utf8_lossy(&status.stdout), "200");

    browser
        .eventually("a recent last-used time in the row", || async {
            let row = row_named(browser, "Production API").await;
            let shown = text_in(&row, "token-last-used").await.to_lowercase();
            (shown.contains("just now") || shown.ends_with(" ago")).then_some(())
        })
        .await;
    let same = browser
        .js("return window.__sameDocument === true;", vec![])
        .await;
    assert_eq!(same, true, "the page updated itself without a reload");

    suite.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tc_token_202_twenty_five_tokens_page_by_twenty() {
    let Some(suite) = Suite::start().await else {
        return;
    };
    let browser = &suite.browser;
    let api = suite.api_as(ADA).await;
    // Only 10 may be active at once: make 10, revoke them, twice, then 5 more.
    let mut number = 0;
    for batch in [10, 10, 5] {
        let mut ids = Vec::new();
        for _ in 0..batch {
            number += 1;
            let created = api
                .create_token(&format!("token-{number:02}"), &["read"])
                .await;
            ids.push(created["id"].as_str().unwrap_or_default().to_owned());
        }
        if batch == 10 {
            for id in &ids {
                api.revoke(id).await;
            }
        }
    }
    assert_eq!(api.list().await["total"], 25);

    suite.sign_in_ui(ADA).await;

    let summary = browser
        .wait_text("pagination-summary", "Showing 1 to 20 of 25 results")
        .await;
    assert_eq!(summary, "Showing 1 to 20 of 25 results");
    rows(browser, 20).await;

    browser.click("page-next").await;

    browser
        .wait_text("pagination-summary", "Showing 21 to 25 of 25 results")
        .await;
    rows(browser, 5).await;

    suite.finish().await;
}
