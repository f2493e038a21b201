//! Harness of the end-to-end browser suite: it runs the real Startup Hub server in-process
//! on a fresh SQLite database, serves the built dashboard from it, and drives Debian's
//! headless Chromium through chromedriver.
//!
//! A test starts with [`Suite::start`], which answers `None` (after printing why) when the
//! machine lacks Chromium, chromedriver or the dashboard build, unless
//! `API_TOKENS_REQUIRE_BROWSER=1` asks for a failure instead.
//!
//! - [`prereq`]: finding the browser, the driver, the dashboard build and axe-core;
//! - [`hub`]: the server on a free loopback port;
//! - [`browser`]: chromedriver, the Chromium session and page helpers with explicit waits;
//! - [`api`]: the same server over HTTP, for preconditions and checks behind the page.

pub mod api;
pub mod browser;
pub mod hub;
pub mod prereq;

use api::Api;
use browser::Browser;
use hub::Hub;

/// The demo account every browser test signs in as; it starts with no tokens.
pub const ADA: &str = "ada@example.com";

/// A running server, a browser pointed at it and an HTTP client for the same server.
#[derive(Debug)]
pub struct Suite {
    /// The server.
    pub hub: Hub,
    /// The headless browser, its base URL set to the server.
    pub browser: Browser,
}

impl Suite {
    /// Starts the server and the browser, or explains why the suite cannot run here.
    ///
    /// # Panics
    ///
    /// When something needed is missing and `API_TOKENS_REQUIRE_BROWSER=1`, or when the
    /// server or the browser fails to start.
    pub async fn start() -> Option<Suite> {
        let tools = match prereq::browser_tools() {
            Ok(tools) => tools,
            Err(reason) => {
                prereq::unavailable(&reason);
                return None;
            }
        };

        let hub = Hub::start(&tools.dashboard).await;
        let browser = Browser::launch(&tools, &hub.base).await;
        Some(Suite { hub, browser })
    }

    /// An HTTP client signed in as `email` with the demo password.
    pub async fn api_as(&self, email: &str) -> Api {
        Api::sign_in(&self.hub.base, email, Hub::DEMO_PASSWORD).await
    }

    /// Signs in through the sign-in page and waits for the API Tokens page.
    pub async fn sign_in_ui(&self, email: &str) {
        self.browser.sign_in(email, Hub::DEMO_PASSWORD).await;
    }

    /// Ends the browser session cleanly; dropping the suite kills whatever is left.
    pub async fn finish(self) {
        self.browser.close().await;
    }
}
