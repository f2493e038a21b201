//! Nothing secret is printed: `Debug`/`Display` of public types and every log line at TRACE.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use api_tokens::{ApiTokenLayer, NewToken, RequirePermissionLayer};
use axum::Router;
use axum::routing::get;
use common::{bearer, get_with, manager};
use tracing_subscriber::fmt::MakeWriter;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Self;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn tc_token_064_no_plaintext_or_hash_in_debug_display_or_trace_logs() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(logs.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("first subscriber");
    let (manager, store) = manager();
    let app = Router::new()
        .route("/read", get(|| async { "ok" }))
        .route(
            "/create",
            get(|| async { "ok" }).layer(RequirePermissionLayer::new("create")),
        )
        .layer(ApiTokenLayer::new(manager.clone()));

    let created = manager
        .create("owner", NewToken::named("ci"))
        .await
        .expect("create");
    let token = created.token.expose_secret().to_owned();
    let hash = created.record.hash.as_str().to_owned();
    let wrong = format!(
        "{}{}",
        &token[..39],
        if token.ends_with('q') { 'r' } else { 'q' }
    );
    for presented in [&token, &token, &wrong, "garbage"] {
        bearer(&app, presented).await;
    }
    get_with(&app, "/create", &[format!("Bearer {token}").as_bytes()]).await;
    store
        .unavailable
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let outage = manager.verify(&wrong).await;
    store
        .unavailable
        .store(false, std::sync::atomic::Ordering::SeqCst);
    let revoked = manager
        .revoke("owner", created.record.id)
        .await
        .expect("revoke");
    let refused = manager.verify(&token).await;
    manager.shutdown().await;

    let printed = [
        format!("{:?} {}", created.token, created.token),
        format!("{created:?}"),
        format!("{:?}", created.record),
        format!("{revoked:?} {:?}", created.record.hash),
        format!("{refused:?} {outage:?}"),
        format!("{manager:?}"),
        format!("{:?}", manager.config()),
        format!("{:?}", ApiTokenLayer::new(manager.clone())),
        String::from_utf8(logs.0.lock().expect("lock").clone()).expect("utf-8 logs"),
    ];
    let logged = &printed[printed.len() - 1];
    assert!(
        logged.contains("refused a bearer token"),
        "the capture saw no log lines"
    );
    for text in &printed {
        assert!(!text.contains(&token), "plaintext in {text}");
        assert!(!text.contains(&token[20..]), "secret part in {text}");
        assert!(!text.contains(&wrong[20..]), "presented value in {text}");
        assert!(!text.contains(&hash), "hash in {text}");
        assert!(!text.contains("$2b$"), "a bcrypt hash in {text}");
    }
}
