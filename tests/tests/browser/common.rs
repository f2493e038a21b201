//! Steps several browser tests share: generating a token through the dialog, finding a
//! row, and checking that a secret has left every place a page could keep it.

use api_tokens_e2e::browser::{Browser, selector};
use fantoccini::Locator;
use fantoccini::elements::Element;
use serde_json::Value;

/// Whether `token` has the documented shape: `sh_live_` and 32 ASCII letters or digits.
pub(crate) fn is_token(token: &str) -> bool {
    token.strip_prefix("sh_live_").is_some_and(|random| {
        random.len() == 32 && random.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

/// Generates a token through the dialog: `name`, the default `read` plus `extra`
/// permissions, `expiry` one of the dialog's choices (`"30"`, `"never"`, …). Returns the
/// plaintext the success alert shows.
pub(crate) async fn generate(
    browser: &Browser,
    name: &str,
    extra: &[&str],
    expiry: &str,
) -> String {
    browser.click("generate-token-button").await;
    browser.wait_for("generate-dialog").await;
    browser.fill("token-name-input", name).await;
    for permission in extra {
        browser.click(&format!("permission-{permission}")).await;
    }
    let expiration = browser.wait_for("token-expiration").await;
    expiration
        .select_by_value(expiry)
        .await
        .unwrap_or_else(|error| panic!("choosing expiry {expiry:?}: {error}"));

    browser.click("generate-submit").await;

    browser.wait_gone("generate-dialog").await;
    let token = browser.text("new-token").await;
    assert!(
        is_token(&token),
        "the alert shows a well-formed token, got {token:?}"
    );
    token
}

/// Waits for exactly `count` token rows on the page and returns them.
pub(crate) async fn rows(browser: &Browser, count: usize) -> Vec<Element> {
    browser
        .eventually(&format!("{count} token rows"), || async {
            let rows = browser.all("token-row").await;
            (rows.len() == count).then_some(rows)
        })
        .await
}

/// The row whose name reads exactly `name`.
pub(crate) async fn row_named(browser: &Browser, name: &str) -> Element {
    browser
        .eventually(&format!("a row named {name:?}"), || async {
            for row in browser.all("token-row").await {
                let shown = row.find(Locator::Css(&selector("token-name"))).await.ok()?;
                if shown.text().await.ok()? == name {
                    return Some(row);
                }
            }
            None
        })
        .await
}

/// The visible text of the element `testid` inside `row`.
pub(crate) async fn text_in(row: &Element, testid: &str) -> String {
    let element = row
        .find(Locator::Css(&selector(testid)))
        .await
        .unwrap_or_else(|error| panic!("[data-testid={testid}] in the row: {error}"));
    element.text().await.unwrap_or_default()
}

/// Asserts that neither `token` nor its secret tail appears in the page source, the DOM
/// text, field values, the URL, `localStorage`, `sessionStorage` or any cookie.
pub(crate) async fn assert_token_gone(browser: &Browser, token: &str, when: &str) {
    // The last 16 characters lie past the lookup id, which the prefix legitimately shows.
    let tail = &token[token.len() - 16..];
    let mut places = vec![(
        "page source",
        browser.client.source().await.unwrap_or_default(),
    )];
    let dump = browser
        .js(
            "const storage = (area) => JSON.stringify(Object.entries(area));
             const fields = [...document.querySelectorAll('input, textarea')].map((f) => f.value);
             return {
               dom: document.documentElement.outerHTML,
               text: document.body.innerText,
               fields: JSON.stringify(fields),
               url: location.href,
               local: storage(localStorage),
               session: storage(sessionStorage),
               cookie: document.cookie,
             };",
            vec![],
        )
        .await;
    for key in ["dom", "text", "fields", "url", "local", "session", "cookie"] {
        let value = dump[key].as_str().map(str::to_owned).unwrap_or_default();
        places.push((key, value));
    }
    let cookies = browser.client.get_all_cookies().await.unwrap_or_default();
    let cookies = cookies.iter().map(ToString::to_string).collect::<Vec<_>>();
    places.push(("WebDriver cookies", cookies.join("; ")));

    for (place, content) in places {
        assert!(
            !content.contains(token) && !content.contains(tail),
            "{when}: the token is still in the {place}"
        );
    }
}

/// The `permissions` of an API token entry, sorted.
pub(crate) fn permissions_of(token: &Value) -> Vec<String> {
    let mut permissions: Vec<String> = token["permissions"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    permissions.sort();
    permissions
}
