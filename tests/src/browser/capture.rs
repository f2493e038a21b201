//! What a test takes away from a page: full-page screenshots and axe-core's findings.

use serde_json::{Value, json};

use super::Browser;

impl Browser {
    /// A PNG of the whole page at the current viewport width: the window is stretched to
    /// the document's height for the shot, then put back.
    ///
    /// # Panics
    ///
    /// When the browser cannot take the screenshot.
    pub async fn screenshot_page(&self) -> Vec<u8> {
        let size = self
            .js(
                "return [window.innerWidth, window.innerHeight,
                         Math.ceil(document.documentElement.scrollHeight)];",
                vec![],
            )
            .await;
        let read = |index: usize| {
            size[index]
                .as_u64()
                .and_then(|value| u32::try_from(value).ok())
                .unwrap_or(0)
        };
        let (width, height, full) = (read(0), read(1), read(2));

        if full > height {
            self.resize_viewport(width, full).await;
        }
        let png = self.client.screenshot().await.expect("a screenshot");
        if full > height {
            self.resize_viewport(width, height).await;
        }
        png
    }

    /// Runs axe-core (`source`, the text of `axe.min.js`) on the current page and returns
    /// its violations of impact `serious` or `critical`, each with up to five offending
    /// nodes.
    ///
    /// # Panics
    ///
    /// When axe-core cannot be loaded or fails.
    pub async fn serious_accessibility_violations(&self, source: &str) -> Vec<Value> {
        let loaded = self
            .js("return typeof window.axe === 'object';", vec![])
            .await;
        if loaded != json!(true) {
            let script = format!("{source}\nreturn typeof window.axe;");
            let kind = self.js(&script, vec![]).await;
            assert_eq!(kind, json!("object"), "axe-core did not load");
        }

        let run = "const done = arguments[arguments.length - 1];
            window.axe
              .run(document, { resultTypes: ['violations'] })
              .then((results) => done(results.violations
                .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                .map((v) => ({
                  id: v.id,
                  impact: v.impact,
                  help: v.help,
                  nodes: v.nodes.slice(0, 5).map((n) => ({
                    target: n.target,
                    html: n.html,
                    summary: n.failureSummary,
                  })),
                }))))
              .catch((error) => done({ error: String(error) }));";
        match self.client.execute_async(run, vec![]).await {
            Ok(Value::Array(violations)) => violations,
            other => panic!("axe-core failed: {other:?}"),
        }
    }
}

/// Width and height of a PNG, read from its header.
pub fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    let signature = b"\x89PNG\r\n\x1a\n";
    if png.len() < 24 || !png.starts_with(signature) || &png[12..16] != b"IHDR" {
        return None;
    }
    let number = |at: usize| {
        let bytes: [u8; 4] = png[at..at + 4].try_into().ok()?;
        Some(u32::from_be_bytes(bytes))
    };
    Some((number(16)?, number(20)?))
}
