//! TC-TOKEN-203: the pictures in the README, taken from the real app at desktop and phone
//! widths. They land in `docs/screenshots/` when `UPDATE_SCREENSHOTS=1` (or when one is
//! missing there); otherwise in the target folder, so a routine test run leaves the
//! checkout untouched.

use std::path::PathBuf;

use api_tokens_e2e::browser::{Browser, DESKTOP, png_size};
use api_tokens_e2e::{ADA, Suite};

use crate::common::{generate, rows};

const PHONE: (u32, u32) = (375, 812);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tc_token_203_screenshots_of_the_tokens_and_sign_in_pages_at_1440_and_375() {
    let Some(suite) = Suite::start().await else {
        return;
    };
    let browser = &suite.browser;
    let api = suite.api_as(ADA).await;
    let retired = api.create_token("Legacy CI runner", &["read"]).await;
    api.revoke(retired["id"].as_str().unwrap_or_default()).await;
    api.create_token("Claude Desktop", &["read", "create", "update"])
        .await;
    suite.sign_in_ui(ADA).await;
    generate(browser, "deploy-bot", &["create"], "30").await;
    rows(browser, 3).await;

    shoot(browser, "tokens", DESKTOP, "token-success-alert").await;
    shoot(browser, "tokens", PHONE, "token-success-alert").await;

    browser
        .client
        .delete_all_cookies()
        .await
        .expect("cookies cleared");
    browser.resize_viewport(DESKTOP.0, DESKTOP.1).await;
    browser.goto("/login").await;
    shoot(browser, "login", DESKTOP, "auth-submit").await;
    shoot(browser, "login", PHONE, "auth-submit").await;

    suite.finish().await;
}

/// Takes `page` at `size` once `ready` shows, checks the picture, and saves it as
/// `<page>-<width>.png`.
async fn shoot(browser: &Browser, page: &str, (width, height): (u32, u32), ready: &str) {
    browser.resize_viewport(width, height).await;
    browser.wait_for(ready).await;
    // Fonts and layout settle before the picture is taken.
    browser
        .wait_until("fonts to load", "document.fonts.status === 'loaded'")
        .await;

    let png = browser.screenshot_page().await;

    let (shot_width, shot_height) = png_size(&png).expect("a PNG");
    assert_eq!(shot_width, width, "{page} at {width} px");
    assert!(
        shot_height >= height,
        "{page}: the whole page, {shot_height} px tall"
    );
    let file = folder(page, width).join(format!("{page}-{width}.png"));
    std::fs::write(&file, png).unwrap_or_else(|error| panic!("{}: {error}", file.display()));
}

/// `docs/screenshots/` when it should be updated, else a folder under the target dir.
fn folder(page: &str, width: u32) -> PathBuf {
    let docs = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/screenshots"));
    let update = std::env::var("UPDATE_SCREENSHOTS").is_ok_and(|value| value == "1");
    let dir = if update || !docs.join(format!("{page}-{width}.png")).is_file() {
        docs
    } else {
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots")
    };
    std::fs::create_dir_all(&dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
    dir
}
