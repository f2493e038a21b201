//! What the browser suite needs on the machine, and what a test does when it is missing:
//! print `skipped: …` and pass, or fail when `API_TOKENS_REQUIRE_BROWSER=1` (as CI sets it).

use std::env;
use std::path::{Path, PathBuf};

/// Where `scripts/build-dashboard` puts the dashboard.
const DASHBOARD_DIST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../dashboard-yew/dist");

/// The programs and files a browser test runs with.
#[derive(Debug, Clone)]
pub struct Tools {
    /// The Chromium executable (`CHROMIUM`, else `chromium` on `PATH`).
    pub chromium: PathBuf,
    /// The chromedriver executable (`CHROMEDRIVER`, else `chromedriver` on `PATH`).
    pub chromedriver: PathBuf,
    /// The built dashboard, a folder holding `index.html`.
    pub dashboard: PathBuf,
}

/// Finds Chromium, chromedriver and the dashboard build.
///
/// # Errors
///
/// A sentence saying what is missing and how to get it.
pub fn browser_tools() -> Result<Tools, String> {
    let chromium = program("CHROMIUM", &["chromium", "chromium-browser"]).ok_or(
        "Chromium is not installed (run scripts/setup-tools, or set CHROMIUM to its path)",
    )?;
    let chromedriver = program("CHROMEDRIVER", &["chromedriver"]).ok_or(
        "chromedriver is not installed (run scripts/setup-tools, or set CHROMEDRIVER to its path)",
    )?;
    let dashboard = Path::new(DASHBOARD_DIST);
    if !dashboard.join("index.html").is_file() {
        return Err(format!(
            "the dashboard is not built: {} has no index.html (run scripts/build-dashboard)",
            dashboard.display()
        ));
    }

    Ok(Tools {
        chromium,
        chromedriver,
        dashboard: dashboard
            .canonicalize()
            .unwrap_or_else(|_| dashboard.to_owned()),
    })
}

/// The source of axe-core: `AXE_CORE_JS`, else where `scripts/setup-tools` installs it.
///
/// # Errors
///
/// A sentence saying where it was looked for and how to install it.
pub fn axe_core_script() -> Result<String, String> {
    let path = match env::var_os("AXE_CORE_JS") {
        Some(path) => PathBuf::from(path),
        None => env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default()
            .join(".cache/api-tokens/axe/node_modules/axe-core/axe.min.js"),
    };
    std::fs::read_to_string(&path).map_err(|error| {
        format!(
            "axe-core is not available at {} ({error}); run scripts/setup-tools or set AXE_CORE_JS",
            path.display()
        )
    })
}

/// Whether a missing browser, driver, build or axe-core fails the test instead of skipping.
pub fn required() -> bool {
    env::var("API_TOKENS_REQUIRE_BROWSER").is_ok_and(|value| value.trim() == "1")
}

/// Reports that a test cannot run here: skips it, or fails it when [`required`].
///
/// # Panics
///
/// When [`required`].
pub fn unavailable(reason: &str) {
    assert!(
        !required(),
        "the browser suite cannot run: {reason} (API_TOKENS_REQUIRE_BROWSER=1 makes this fatal)"
    );
    println!("skipped: {reason}");
}

/// The first file called `name` in a folder on `PATH`.
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// `variable` when it is set, else the first of `names` found on `PATH`.
fn program(variable: &str, names: &[&str]) -> Option<PathBuf> {
    match env::var_os(variable).map(PathBuf::from) {
        Some(path) => path.is_file().then_some(path),
        None => names.iter().find_map(|name| find_program(name)),
    }
}
