//! Headless Chromium driven through chromedriver, and the page helpers the tests share.
//! Every lookup waits explicitly (polling up to [`WAIT`]) instead of sleeping, so a slow
//! machine makes a test slower, never flaky.

mod capture;
mod driver;

pub use capture::png_size;

use std::future::Future;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::prereq::Tools;
use driver::{Driver, SessionCommand};

/// The longest any wait lasts before the test fails.
pub const WAIT: Duration = Duration::from_secs(15);
const POLL: Duration = Duration::from_millis(100);

/// Width and height of the window a session starts with.
pub const DESKTOP: (u32, u32) = (1440, 900);

/// A Chromium session on a server at `base`.
#[derive(Debug)]
pub struct Browser {
    /// The WebDriver client, for anything the helpers below do not cover.
    pub client: Client,
    base: String,
    driver: Driver,
    /// The Chromium profile and the chromedriver log; removed after the driver is gone.
    _dir: TempDir,
}

impl Browser {
    /// Starts chromedriver on a free port and opens a headless Chromium session with a
    /// fresh profile.
    ///
    /// # Panics
    ///
    /// When chromedriver or Chromium does not start.
    pub async fn launch(tools: &Tools, base: &str) -> Browser {
        let dir = tempfile::tempdir().expect("a temporary directory for the profile");
        let driver = Driver::start(&tools.chromedriver, &dir.path().join("chromedriver.log")).await;

        let profile = dir.path().join("profile");
        let args = [
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            format!("--user-data-dir={}", profile.display()),
            format!("--window-size={},{}", DESKTOP.0, DESKTOP.1),
        ];
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": tools.chromium, "args": args },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("a JSON object literal");
        };

        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url)
            .await
            .unwrap_or_else(|error| {
                panic!(
                    "Chromium did not start through chromedriver: {error}; its log:\n{}",
                    driver.log()
                )
            });

        Browser {
            client,
            base: base.to_owned(),
            driver,
            _dir: dir,
        }
    }

    /// Ends the session, which closes Chromium.
    pub async fn close(self) {
        let _ = self.client.close().await;
        drop(self.driver);
    }

    /// The absolute URL of `path` on the server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Opens `path` on the server.
    ///
    /// # Panics
    ///
    /// When the navigation fails.
    pub async fn goto(&self, path: &str) {
        let url = self.url(path);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|error| panic!("opening {url}: {error}"));
    }

    /// Signs in through the sign-in page and waits for the API Tokens page.
    pub async fn sign_in(&self, email: &str, password: &str) {
        self.goto("/login").await;
        self.fill("email-input", email).await;
        self.fill("password-input", password).await;
        self.click("auth-submit").await;
        self.wait_for("tokens-card").await;
    }

    /// Polls `probe` until it yields a value, for at most [`WAIT`].
    ///
    /// # Panics
    ///
    /// When the time is up; the message names `what` was awaited.
    pub async fn eventually<T, F, Fut>(&self, what: &str, mut probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        let started = Instant::now();
        loop {
            if let Some(value) = probe().await {
                return value;
            }
            assert!(started.elapsed() < WAIT, "waited {WAIT:?} for {what}");
            tokio::time::sleep(POLL).await;
        }
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its result.
    ///
    /// # Panics
    ///
    /// When the script throws.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|error| panic!("running script {script:?}: {error}"))
    }

    /// The computed value of the CSS `property` of `element`, as `getComputedStyle` gives it
    /// (colours as `rgb(r, g, b)`).
    pub async fn computed_style(&self, element: &Element, property: &str) -> String {
        let element = serde_json::to_value(element).expect("an element reference");
        let value = self
            .js(
                "return getComputedStyle(arguments[0]).getPropertyValue(arguments[1]);",
                vec![element, json!(property)],
            )
            .await;
        value.as_str().unwrap_or_default().to_owned()
    }

    /// Waits until the JavaScript expression `condition` is truthy.
    pub async fn wait_until(&self, what: &str, condition: &str) {
        let script = format!("return Boolean({condition});");
        self.eventually(what, || async {
            let value = self.client.execute(&script, vec![]).await.ok()?;
            (value == Value::Bool(true)).then_some(())
        })
        .await;
    }

    /// Every element carrying `data-testid="<testid>"`, without waiting.
    pub async fn all(&self, testid: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(&selector(testid)))
            .await
            .unwrap_or_default()
    }

    /// Waits for a displayed element with `data-testid="<testid>"`.
    pub async fn wait_for(&self, testid: &str) -> Element {
        self.eventually(&format!("[data-testid={testid}] to show"), || async {
            for element in self.all(testid).await {
                if element.is_displayed().await.unwrap_or(false) {
                    return Some(element);
                }
            }
            None
        })
        .await
    }

    /// Waits until no element with `data-testid="<testid>"` is displayed.
    pub async fn wait_gone(&self, testid: &str) {
        self.eventually(&format!("[data-testid={testid}] to go"), || async {
            for element in self.all(testid).await {
                if element.is_displayed().await.unwrap_or(false) {
                    return None;
                }
            }
            Some(())
        })
        .await;
    }

    /// Waits until the element `testid` shows text containing `expected`; returns the text.
    pub async fn wait_text(&self, testid: &str, expected: &str) -> String {
        let what = format!("[data-testid={testid}] to read {expected:?}");
        self.eventually(&what, || async {
            for element in self.all(testid).await {
                let text = element.text().await.unwrap_or_default();
                if text.contains(expected) {
                    return Some(text);
                }
            }
            None
        })
        .await
    }

    /// The visible text of the element `testid`, once it shows.
    pub async fn text(&self, testid: &str) -> String {
        let element = self.wait_for(testid).await;
        element.text().await.unwrap_or_default()
    }

    /// Clicks the element `testid` once it shows.
    ///
    /// # Panics
    ///
    /// When the click is refused, e.g. because the element is covered.
    pub async fn click(&self, testid: &str) {
        let element = self.wait_for(testid).await;
        element
            .click()
            .await
            .unwrap_or_else(|error| panic!("clicking [data-testid={testid}]: {error}"));
    }

    /// Types `text` into the field `testid` once it shows.
    ///
    /// # Panics
    ///
    /// When typing is refused.
    pub async fn fill(&self, testid: &str, text: &str) {
        let element = self.wait_for(testid).await;
        let _ = element.clear().await;
        element
            .send_keys(text)
            .await
            .unwrap_or_else(|error| panic!("typing into [data-testid={testid}]: {error}"));
    }

    /// Resizes the window so the page's viewport is `width` × `height` CSS pixels.
    ///
    /// The window is larger than its viewport by the browser's own frame, and a resize
    /// lands asynchronously, so this resizes, waits for the viewport to settle, and
    /// corrects by the difference until the viewport is right.
    pub async fn resize_viewport(&self, width: u32, height: u32) {
        let (mut outer_width, mut outer_height) = (i64::from(width), i64::from(height));
        for _ in 0..5 {
            let _ = self
                .client
                .set_window_size(
                    u32::try_from(outer_width.max(100)).unwrap_or(width),
                    u32::try_from(outer_height.max(100)).unwrap_or(height),
                )
                .await;
            let (inner_width, inner_height) = self.settled_viewport().await;
            if (inner_width, inner_height) == (i64::from(width), i64::from(height)) {
                return;
            }
            outer_width += i64::from(width) - inner_width;
            outer_height += i64::from(height) - inner_height;
        }
        let condition = format!("window.innerWidth === {width} && window.innerHeight === {height}");
        self.wait_until(&format!("a {width}×{height} viewport"), &condition)
            .await;
    }

    /// The viewport's size once two readings `POLL` apart agree.
    async fn settled_viewport(&self) -> (i64, i64) {
        let read = || async {
            let inner = self
                .js("return [window.innerWidth, window.innerHeight];", vec![])
                .await;
            (
                inner[0].as_i64().unwrap_or(0),
                inner[1].as_i64().unwrap_or(0),
            )
        };
        let mut last = read().await;
        let started = Instant::now();
        loop {
            tokio::time::sleep(POLL).await;
            let now = read().await;
            if now == last || started.elapsed() > WAIT {
                return now;
            }
            last = now;
        }
    }

    /// Lets pages read and write the real clipboard without a prompt.
    ///
    /// # Panics
    ///
    /// When chromedriver refuses the permissions.
    pub async fn grant_clipboard(&self) {
        for name in ["clipboard-read", "clipboard-write"] {
            let command = SessionCommand {
                path: "permissions",
                body: json!({ "descriptor": { "name": name }, "state": "granted" }),
            };
            if let Err(error) = self.client.issue_cmd(command).await {
                panic!("granting {name}: {error}");
            }
        }
    }

    /// What the system clipboard holds, read by the page through the Clipboard API.
    ///
    /// # Panics
    ///
    /// When the browser refuses to read it.
    pub async fn clipboard_text(&self) -> String {
        let script = "const done = arguments[arguments.length - 1];\
            navigator.clipboard.readText().then(done, (error) => done({ error: String(error) }));";
        match self.client.execute_async(script, vec![]).await {
            Ok(Value::String(text)) => text,
            other => panic!("reading the clipboard: {other:?}"),
        }
    }
}

/// The CSS selector of `data-testid="<testid>"`.
pub fn selector(testid: &str) -> String {
    format!("[data-testid=\"{testid}\"]")
}
