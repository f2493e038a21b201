//! chromedriver on a free loopback port, in a process group of its own so that dropping it
//! also ends the Chromium processes it started, and the WebDriver commands fantoccini
//! does not wrap.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use http::Method;
use serde_json::Value;
use url::{ParseError, Url};

/// How long chromedriver may take to answer `/status` after it starts.
const STARTUP: Duration = Duration::from_secs(30);

/// A running chromedriver; dropping it kills its whole process group.
#[derive(Debug)]
pub(crate) struct Driver {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub(crate) url: String,
    log: PathBuf,
}

impl Driver {
    /// Starts `chromedriver` and waits until it accepts sessions. Its log goes to `log`.
    pub(crate) async fn start(chromedriver: &Path, log: &Path) -> Driver {
        let port = free_port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|error| panic!("{} does not start: {error}", chromedriver.display()));
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log: log.to_owned(),
        };

        driver.wait_ready().await;
        driver
    }

    async fn wait_ready(&self) {
        let client = reqwest::Client::new();
        let started = Instant::now();
        while started.elapsed() < STARTUP {
            let status = client.get(format!("{}/status", self.url)).send().await;
            if let Ok(response) = status
                && let Ok(body) = response.json::<Value>().await
                && body["value"]["ready"] == Value::Bool(true)
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "chromedriver did not become ready within {STARTUP:?}; its log:\n{}",
            self.log()
        );
    }

    /// What chromedriver logged so far, for failure messages.
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The negative id names the group: chromedriver and every browser it launched.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on right now. Another process could take it before chromedriver
/// binds it; on a test machine that race is rare enough to accept.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}

/// A WebDriver command by path under the session, for endpoints fantoccini has no method
/// for (the Permissions extension, Chromium's DevTools bridge).
#[derive(Debug)]
pub(crate) struct SessionCommand {
    /// The path under `/session/{id}/`, e.g. `permissions`.
    pub(crate) path: &'static str,
    /// The JSON body, sent with `POST`.
    pub(crate) body: Value,
}

impl WebDriverCompatibleCommand for SessionCommand {
    fn endpoint(&self, base_url: &Url, session_id: Option<&str>) -> Result<Url, ParseError> {
        let session = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session}/{}", self.path))
    }

    fn method_and_body(&self, _request_url: &Url) -> (Method, Option<String>) {
        (Method::POST, Some(self.body.to_string()))
    }
}
