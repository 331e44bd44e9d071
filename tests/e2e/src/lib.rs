//! Harness for the end-to-end tests of the real Carnet window.
//!
//! Each test gets its own database file, its own `tauri-driver` on free loopback ports,
//! and its own app instance (launched by WebKitWebDriver with `CARNET_DB` set). Elements
//! are found the way a person finds them: inputs by their visible `<label>`, buttons by
//! their accessible name. The `carnet` CLI checks what reached the database.
//!
//! Pitfalls handled here (see shared/recipes): tauri-driver is stopped with SIGTERM so it
//! stops WebKitWebDriver too; a failing body never unwinds past a live session (the body
//! runs in its own task and the session is always quit first); WebDriver "clear" does not
//! fire React's onChange, so fields are emptied with Backspace.

pub mod seed;

use std::future::Future;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use thirtyfour::prelude::*;

pub use thirtyfour;

/// The workspace root (tests/e2e/../..).
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn built(env: &str, name: &str) -> PathBuf {
    if let Ok(p) = std::env::var(env) {
        return PathBuf::from(p);
    }
    let p = workspace().join("target/debug").join(name);
    // WebKitWebDriver needs an absolute path.
    p.canonicalize().unwrap_or_else(|_| {
        panic!("{name} not found at {p:?}: build it first (scripts/test-desktop.sh does)")
    })
}

/// The desktop app binary (`APP_BIN` overrides).
pub fn app_binary() -> PathBuf {
    built("APP_BIN", "carnet-app")
}

/// The CLI binary (`CARNET_BIN` overrides).
pub fn cli_binary() -> PathBuf {
    built("CARNET_BIN", "carnet")
}

/// Where screenshots go: `E2E_SCREENSHOT_DIR`, else docs/screenshots.
pub fn screenshot_dir() -> PathBuf {
    let dir = std::env::var_os("E2E_SCREENSHOT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("docs/screenshots"));
    std::fs::create_dir_all(&dir).expect("create screenshot dir");
    dir
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind loopback")
        .local_addr()
        .expect("local addr")
        .port()
}

/// Runs `carnet --db DB ARGS...` and returns stdout; panics with stderr on failure.
pub fn cli(db: &Path, args: &[&str]) -> String {
    let out = Command::new(cli_binary())
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run carnet CLI");
    assert!(
        out.status.success(),
        "carnet {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// `carnet people list --json [--search Q]`, parsed.
pub fn cli_people(db: &Path, search: Option<&str>) -> Vec<Value> {
    let mut args = vec!["people", "list", "--json", "--limit", "100"];
    if let Some(q) = search {
        args.extend(["--search", q]);
    }
    let v: Value = serde_json::from_str(&cli(db, &args)).expect("people list --json is JSON");
    match v {
        Value::Array(items) => items,
        Value::Object(mut o) => match o.remove("items") {
            Some(Value::Array(items)) => items,
            other => panic!("unexpected people list shape: {other:?}"),
        },
        other => panic!("unexpected people list shape: {other:?}"),
    }
}

/// tauri-driver process guard: SIGTERM on drop (SIGKILL would orphan WebKitWebDriver).
struct TauriDriver {
    child: Child,
    port: u16,
}

impl TauriDriver {
    async fn start(db: &Path) -> Self {
        let port = free_port();
        let native_port = free_port();
        let bin = std::env::var("TAURI_DRIVER").unwrap_or_else(|_| {
            let local = workspace().join(".tools/bin/tauri-driver");
            if local.exists() {
                local.display().to_string()
            } else {
                "tauri-driver".into()
            }
        });
        let child = Command::new(&bin)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            // Inherited by WebKitWebDriver and then by the app.
            .env("CARNET_DB", db)
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {bin}: {e} (scripts/setup-desktop.sh installs it)"));
        let me = TauriDriver { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not start listening"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        me
    }
}

impl Drop for TauriDriver {
    fn drop(&mut self) {
        // SAFETY: plain kill(2) on our own child's pid.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}

/// Starts the app on `db`, runs `body`, always quits the session, then re-raises a failure.
pub async fn with_app<F, Fut>(db: &Path, body: F)
where
    F: FnOnce(WebDriver) -> Fut,
    Fut: Future<Output = WebDriverResult<()>> + Send + 'static,
{
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "no DISPLAY: run under xvfb-run (scripts/test-desktop.sh)"
    );
    let tauri_driver = TauriDriver::start(db).await;
    let url = format!("http://127.0.0.1:{}", tauri_driver.port);

    let mut caps = Capabilities::new();
    caps.set("browserName", "wry").expect("caps");
    caps.set("tauri:options", json!({ "application": app_binary() }))
        .expect("caps");
    // tauri-driver may accept before WebKitWebDriver is ready: retry the session a little.
    let mut attempt = 0;
    let driver = loop {
        match WebDriver::new(&url, caps.clone()).await {
            Ok(d) => break d,
            Err(e) if attempt < 20 => {
                attempt += 1;
                eprintln!("new session failed ({e}); retrying");
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            Err(e) => panic!("new WebDriver session: {e}"),
        }
    };

    let outcome = tokio::spawn(body(driver.clone())).await;
    let quit = driver.quit().await;
    drop(tauri_driver);
    match outcome {
        Err(join_err) if join_err.is_panic() => std::panic::resume_unwind(join_err.into_panic()),
        Err(join_err) => panic!("test task failed: {join_err}"),
        Ok(Err(e)) => panic!("WebDriver error: {e}"),
        Ok(Ok(())) => quit.expect("quit session"),
    }
}

/// Polls `check` every 100 ms until it returns `Some`, or fails after `secs` seconds.
pub async fn wait_for<T, F, Fut>(what: &str, secs: u64, mut check: F) -> WebDriverResult<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = WebDriverResult<Option<T>>>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = check().await? {
            return Ok(v);
        }
        if Instant::now() > deadline {
            return Err(WebDriverError::FatalError(format!(
                "timed out waiting for {what}"
            )));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Wait up to `secs` seconds for an element matching `xpath`.
pub async fn wait_xpath(
    driver: &WebDriver,
    what: &str,
    secs: u64,
    xpath: &str,
) -> WebDriverResult<WebElement> {
    wait_for(what, secs, || async {
        Ok(driver.find_all(By::XPath(xpath)).await?.into_iter().next())
    })
    .await
}

/// XPath string literal for arbitrary text.
fn xpath_literal(s: &str) -> String {
    if !s.contains('\'') {
        format!("'{s}'")
    } else {
        format!("concat('{}')", s.replace('\'', "', \"'\", '"))
    }
}

/// The input, textarea or select whose visible `<label>` reads `label`, inside `scope`
/// (an XPath prefix such as `//dialog[@open]` or `//aside`; empty for the whole page).
pub async fn field(driver: &WebDriver, scope: &str, label: &str) -> WebDriverResult<WebElement> {
    let lit = xpath_literal(label);
    let xp = format!("{scope}//*[@id=(//label[normalize-space()={lit}]/@for)]");
    let what = format!("field labelled {label:?}");

    wait_for(&what, 10, || async {
        let found = driver.find_all(By::XPath(&xp)).await?;
        for el in found {
            if el.is_displayed().await.unwrap_or(false) {
                return Ok(Some(el));
            }
        }
        Ok(None)
    })
    .await
}

/// The visible button whose accessible name (aria-label, else text) is `name`.
pub async fn button(driver: &WebDriver, scope: &str, name: &str) -> WebDriverResult<WebElement> {
    let lit = xpath_literal(name);
    let xp = format!(
        "{scope}//button[@aria-label={lit} or (not(@aria-label) and normalize-space()={lit})]"
    );
    let what = format!("button {name:?}");

    wait_for(&what, 10, || async {
        for el in driver.find_all(By::XPath(&xp)).await? {
            if el.is_displayed().await.unwrap_or(false) && el.is_enabled().await.unwrap_or(false) {
                return Ok(Some(el));
            }
        }
        Ok(None)
    })
    .await
}

/// Empties an input the way a person would (Backspace), so React sees the change.
pub async fn clear(el: &WebElement) -> WebDriverResult<()> {
    let len = el
        .prop("value")
        .await?
        .map(|v| v.chars().count())
        .unwrap_or(0);
    if len > 0 {
        el.send_keys(Key::End + &"\u{E003}".repeat(len)).await?;
    }
    Ok(())
}

/// Replaces the text of the input labelled `label`.
pub async fn fill(driver: &WebDriver, scope: &str, label: &str, text: &str) -> WebDriverResult<()> {
    let el = field(driver, scope, label).await?;
    clear(&el).await?;
    if text.is_empty() {
        return Ok(());
    }
    el.send_keys(text).await
}

/// The text of the people count in the toolbar ("3 people", "1 person match").
pub async fn people_count(driver: &WebDriver) -> WebDriverResult<String> {
    driver
        .find(By::Css("[data-testid='people-count']"))
        .await?
        .text()
        .await
}

/// Waits until the people count reads `expected`.
pub async fn wait_count(driver: &WebDriver, expected: &str) -> WebDriverResult<()> {
    let what = format!("people count {expected:?}");
    wait_for(&what, 20, || async {
        // Until the first render there is no count at all.
        let Some(el) = driver
            .find_all(By::Css("[data-testid='people-count']"))
            .await?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        Ok((el.text().await? == expected).then_some(()))
    })
    .await
}

/// The table row that shows `name`, once it is rendered.
pub async fn row(driver: &WebDriver, name: &str) -> WebDriverResult<WebElement> {
    let xp = format!(
        "//div[@role='grid']//div[@role='row' and .//span[normalize-space()={}]]",
        xpath_literal(name)
    );
    let what = format!("row {name:?}");
    wait_for(&what, 10, || async {
        Ok(driver.find_all(By::XPath(&xp)).await?.into_iter().next())
    })
    .await
}

/// Whether any row currently shows `name`.
pub async fn has_row(driver: &WebDriver, name: &str) -> WebDriverResult<bool> {
    let xp = format!(
        "//div[@role='grid']//div[@role='row' and .//span[normalize-space()={}]]",
        xpath_literal(name)
    );
    Ok(!driver.find_all(By::XPath(&xp)).await?.is_empty())
}

/// Clicks a sidebar section (People, Companies, Trash).
pub async fn go(driver: &WebDriver, section: &str) -> WebDriverResult<()> {
    button(driver, "//nav", section).await?.click().await
}

/// Saves a screenshot of the window content as `<dir>/<name>.png`, once the UI is idle.
pub async fn screenshot(driver: &WebDriver, name: &str) -> WebDriverResult<PathBuf> {
    // Let pending renders and fonts settle.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let path = screenshot_dir().join(format!("{name}.png"));
    driver.screenshot(&path).await?;
    eprintln!("screenshot: {}", path.display());
    Ok(path)
}

/// CSP violations the page recorded (main.tsx listens for them).
pub async fn csp_violations(driver: &WebDriver) -> WebDriverResult<Vec<String>> {
    let v = driver
        .execute("return window.__cspViolations ?? [];", vec![])
        .await?;
    v.convert()
}

/// A fresh database path in a temp folder (kept while the returned guard lives).
pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("carnet.db");
    (dir, db)
}

/// The text of the visible inline error tied (aria-describedby) to the input labelled `label`.
pub async fn error_of(driver: &WebDriver, scope: &str, label: &str) -> WebDriverResult<String> {
    let what = format!("an error under {label:?}");
    wait_for(&what, 10, || async {
        let input = field(driver, scope, label).await?;
        if input.attr("aria-invalid").await?.as_deref() != Some("true") {
            return Ok(None);
        }
        let Some(id) = input.attr("aria-describedby").await? else {
            return Ok(None);
        };
        let msg = driver
            .find(By::XPath(format!("//*[@id='{id}']")))
            .await?
            .text()
            .await?;
        Ok((!msg.is_empty()).then_some(msg))
    })
    .await
}

/// The text of the first element `by` finds, once there is one (`query` polls).
pub async fn text_of(driver: &WebDriver, by: By) -> WebDriverResult<String> {
    driver.query(by).first().await?.text().await
}

/// Waits until the toast shows `text`.
pub async fn toast_contains(driver: &WebDriver, text: &str) -> WebDriverResult<()> {
    let what = format!("toast {text:?}");
    wait_for(&what, 10, || async {
        let t = match driver.find(By::Css("[data-testid='toast']")).await {
            Ok(el) => el.text().await?,
            Err(_) => String::new(),
        };
        Ok(t.contains(text).then_some(()))
    })
    .await
}

/// Picks the option shown as `text` in the select labelled `label`.
pub async fn choose(
    driver: &WebDriver,
    scope: &str,
    label: &str,
    text: &str,
) -> WebDriverResult<()> {
    let el = field(driver, scope, label).await?;
    // Clicking an option scrolls it into view; keep the select clear of sticky bars.
    driver
        .execute(
            "arguments[0].scrollIntoView({block: 'center'});",
            vec![el.to_json()?],
        )
        .await?;
    thirtyfour::components::SelectElement::new(&el)
        .await?
        .select_by_exact_text(text)
        .await
}
