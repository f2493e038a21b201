//! Runs the real `startup-hub` binary on a free port and talks to it over HTTP.

use std::process::Stdio;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::oneshot;

pub(crate) const DEMO_PASSWORD: &str = "demo-password-for-tests";

/// How a server should be started.
#[derive(Clone, Debug, Default)]
pub(crate) struct Options {
    /// `DATABASE_URL`; a fresh SQLite file when `None`.
    pub(crate) database_url: Option<String>,
    /// Extra environment variables, e.g. `RUST_LOG`.
    pub(crate) env: Vec<(&'static str, String)>,
}

/// A running server, killed when dropped.
pub(crate) struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub(crate) base: String,
    /// The `DATABASE_URL` it runs on, for a restart on the same data.
    pub(crate) database_url: String,
    output: Arc<Mutex<String>>,
    /// Keeps the SQLite file and the empty dashboard folder alive.
    dir: Arc<TempDir>,
    options: Options,
}

impl Server {
    /// A server on a fresh SQLite database.
    pub(crate) async fn start() -> Server {
        Self::start_with(Options::default()).await
    }

    pub(crate) async fn start_with(options: Options) -> Server {
        let dir = Arc::new(tempfile::tempdir().expect("a temporary directory"));
        Self::spawn(options, dir).await
    }

    /// Stops with SIGTERM, waits for the exit and starts again on the same database.
    pub(crate) async fn restart(self) -> (String, Server) {
        let options = Options {
            database_url: Some(self.database_url.clone()),
            ..self.options.clone()
        };
        let dir = Arc::clone(&self.dir);
        let output = self.terminate().await;
        (output, Self::spawn(options, dir).await)
    }

    async fn spawn(options: Options, dir: Arc<TempDir>) -> Server {
        let database_url = options.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("startup-hub.db").display()
            )
        });
        let mut command = Command::new(env!("CARGO_BIN_EXE_startup-hub"));
        command
            .current_dir(dir.path())
            .env("BIND_ADDR", "127.0.0.1:0")
            .env("DATABASE_URL", &database_url)
            .env("BCRYPT_COST", "10")
            .env("DEMO_PASSWORD", DEMO_PASSWORD)
            .env("DASHBOARD_DIR", dir.path().join("no-dashboard"))
            .env("RUST_LOG", "info")
            .env_remove("RATE_LIMIT_PER_MINUTE")
            .env_remove("LAST_USED_INTERVAL_SECS")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        for (name, value) in &options.env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("the startup-hub binary starts");

        let output = Arc::new(Mutex::new(String::new()));
        let (address_tx, address_rx) = oneshot::channel();
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        tokio::spawn(collect(stdout, Arc::clone(&output), Some(address_tx)));
        tokio::spawn(collect(stderr, Arc::clone(&output), None));

        let base = match tokio::time::timeout(Duration::from_secs(120), address_rx).await {
            Ok(Ok(base)) => base,
            _ => panic!(
                "the server did not say where it listens; its output:\n{}",
                lock(&output)
            ),
        };
        let server = Server {
            child,
            base,
            database_url,
            output,
            dir,
            options,
        };
        server.wait_healthy().await;
        server
    }

    async fn wait_healthy(&self) {
        let client = Client::new();
        for _ in 0..100 {
            if let Ok(response) = client.get(self.url("/healthz")).send().await
                && response.status() == StatusCode::OK
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("/healthz never answered 200; output:\n{}", self.output());
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Everything the server printed so far, stdout and stderr.
    pub(crate) fn output(&self) -> String {
        lock(&self.output).clone()
    }

    /// Sends SIGTERM, waits for a clean exit and returns the whole output.
    pub(crate) async fn terminate(mut self) -> String {
        let pid = self.child.id().expect("the server is running");
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -TERM failed");

        let exit = tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .expect("the server exits within 30 s of SIGTERM")
            .expect("the exit status is readable");
        // Let the readers drain the pipes.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let output = self.output();
        assert!(
            exit.success(),
            "the server exited with {exit}; output:\n{output}"
        );
        output
    }

    /// A client with its own cookie jar, as a browser would have.
    pub(crate) fn browser(&self) -> Browser {
        Browser {
            client: Client::builder()
                .cookie_store(true)
                .build()
                .expect("a reqwest client"),
            base: self.base.clone(),
        }
    }

    /// A client without cookies, as a script or an agent would have.
    pub(crate) fn agent(&self) -> Agent {
        Agent {
            client: Client::new(),
            base: self.base.clone(),
        }
    }
}

async fn collect(
    stream: impl AsyncRead + Unpin,
    output: Arc<Mutex<String>>,
    mut address: Option<oneshot::Sender<String>>,
) {
    let mut lines = BufReader::new(stream).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if let Some(rest) = line.split("Open ").nth(1)
            && rest.starts_with("http://")
            && let Some(sender) = address.take()
        {
            let _ = sender.send(rest.trim().to_owned());
        }
        let mut output = lock(&output);
        output.push_str(&line);
        output.push('\n');
    }
}

fn lock(output: &Mutex<String>) -> std::sync::MutexGuard<'_, String> {
    output.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A signed-in (or not yet signed-in) dashboard user.
pub(crate) struct Browser {
    pub(crate) client: Client,
    base: String,
}

/// A token created in a test: its id and the plaintext shown once.
#[derive(Clone, Debug)]
pub(crate) struct CreatedToken {
    pub(crate) id: String,
    pub(crate) token: String,
}

impl Browser {
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub(crate) async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.client
            .post(self.url("/auth/login"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .expect("login request")
    }

    /// Signs in as a seeded demo account, asserting success.
    pub(crate) async fn login_demo(&self, email: &str) {
        let response = self.login(email, DEMO_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "demo login of {email}");
    }

    pub(crate) async fn create_token(&self, name: &str, permissions: &[&str]) -> CreatedToken {
        let response = self
            .client
            .post(self.url("/api/tokens"))
            .json(&json!({ "name": name, "permissions": permissions }))
            .send()
            .await
            .expect("create token request");
        assert_eq!(response.status(), StatusCode::CREATED, "token creation");
        let body: Value = response.json().await.expect("JSON body");
        CreatedToken {
            id: body["id"].as_str().expect("an id").to_owned(),
            token: body["token"]
                .as_str()
                .expect("a plaintext token")
                .to_owned(),
        }
    }

    /// The signed-in user's tokens (first page).
    pub(crate) async fn tokens(&self) -> Vec<Value> {
        let response = self
            .client
            .get(self.url("/api/tokens"))
            .send()
            .await
            .expect("list tokens request");
        assert_eq!(response.status(), StatusCode::OK, "token list");
        let body: Value = response.json().await.expect("JSON body");
        body["tokens"].as_array().expect("a tokens array").clone()
    }

    pub(crate) async fn token(&self, id: &str) -> Value {
        self.tokens()
            .await
            .into_iter()
            .find(|token| token["id"] == id)
            .expect("the token is listed")
    }

    pub(crate) async fn revoke(&self, id: &str) -> StatusCode {
        self.client
            .delete(self.url(&format!("/api/tokens/{id}")))
            .send()
            .await
            .expect("revoke request")
            .status()
    }
}

/// An HTTP client calling the agents' API with a bearer token.
pub(crate) struct Agent {
    pub(crate) client: Client,
    base: String,
}

impl Agent {
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub(crate) async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = self.client.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("GET request")
    }

    pub(crate) async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("request")
    }

    /// Creates a project with `token`, asserting 201, and returns it.
    pub(crate) async fn create_project(&self, token: &str, title: &str) -> Value {
        let response = self
            .send(
                reqwest::Method::POST,
                "/api/mcp/projects",
                token,
                Some(json!({ "title": title, "description": "Made by a test" })),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "project creation");
        response.json().await.expect("JSON body")
    }
}

/// The `error` and `code` of an error body.
pub(crate) async fn error_of(response: reqwest::Response) -> (StatusCode, String, String) {
    let status = response.status();
    let body: Value = response.json().await.expect("a JSON error body");
    (
        status,
        body["error"].as_str().unwrap_or_default().to_owned(),
        body["code"].as_str().unwrap_or_default().to_owned(),
    )
}
