//! Runs the example binary and calls its protected route with and without the token it
//! printed.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

#[tokio::test]
async fn tc_token_120_the_protected_route_needs_the_printed_token() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let database_url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("tokens.db").display()
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_protect-one-route"))
        .current_dir(dir.path())
        .env("BIND_ADDR", "127.0.0.1:0")
        .env("DATABASE_URL", &database_url)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("the example starts");

    // The example prints `curl -H 'Authorization: Bearer <token>' <url>`.
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut lines = BufReader::new(stdout).lines();
    let curl = tokio::time::timeout(Duration::from_secs(120), async {
        while let Some(line) = lines.next_line().await.expect("stdout is readable") {
            if line.starts_with("curl ") {
                return line;
            }
        }
        panic!("the example exited without printing a curl line");
    })
    .await
    .expect("the curl line is printed in time");
    let token = curl
        .split("Bearer ")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a token in the curl line")
        .to_owned();
    let url = curl
        .split_whitespace()
        .last()
        .expect("a URL at the end of the curl line")
        .to_owned();
    let client = reqwest::Client::new();

    let without = client.get(&url).send().await.expect("request");
    let wrong = client
        .get(&url)
        .bearer_auth("sh_live_AbCdEfGhIjKlMnOpQrStUvWxYz012345")
        .send()
        .await
        .expect("request");
    let with = client
        .get(&url)
        .bearer_auth(&token)
        .send()
        .await
        .expect("request");

    assert_eq!(without.status(), 401);
    assert_eq!(wrong.status(), 401);
    assert_eq!(with.status(), 200);
    let body = with.text().await.expect("a body");
    assert!(body.contains("demo-user"), "{body}");
    let public_url = url.trim_end_matches("/api/secret");
    let public = client.get(public_url).send().await.expect("request");
    assert_eq!(public.status(), 200, "the other route stays public");
}
