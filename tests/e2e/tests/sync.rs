//! End-to-end test of the Sync screen in the real window, against the strict fake Introzy
//! server (crates/carnet-fakecrm) on 127.0.0.1: add the account (a bad base URL first,
//! shown inline), preview (nothing written), push (each acceptable person created once,
//! the one without an email skipped with its reason), push again (nothing written), edit
//! one person in the window and push (exactly one update). The CLI's status agrees.
//!
//! The token takes the documented headless path: the app is started with
//! `CARNET_SYNC_TOKEN` (CI has no Secret Service for the keyring).

use carnet_e2e::thirtyfour::prelude::*;
use carnet_e2e::*;
use carnet_fakecrm::{FakeCrm, Options, Provider};
use serde_json::Value;

const TOKEN: &str = "e2e-introzy-token";

async fn summary(driver: &WebDriver, outcome: &str) -> WebDriverResult<String> {
    text_of(
        driver,
        By::Css(format!("[data-testid='summary-{outcome}']")),
    )
    .await
}

/// Waits until the report's `outcome` chip reads `text` ("created 3").
async fn wait_summary(driver: &WebDriver, outcome: &str, text: &str) -> WebDriverResult<()> {
    let what = format!("report {outcome} {text:?}");
    wait_for(&what, 20, || async {
        let t = match driver
            .find_all(By::Css(format!("[data-testid='summary-{outcome}']")))
            .await?
            .into_iter()
            .next()
        {
            Some(el) => el.text().await?,
            None => String::new(),
        };
        Ok((t == text).then_some(()))
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_an_account_preview_push_and_push_an_edit_exactly_once() {
    let crm = std::sync::Arc::new(
        FakeCrm::start(Provider::Introzy, Options::with_token(TOKEN))
            .await
            .expect("fake Introzy"),
    );
    let base_url = crm.base_url();
    // Inherited by tauri-driver, WebKitWebDriver and the app.
    std::env::set_var("CARNET_SYNC_TOKEN", TOKEN);
    let (_dir, db) = temp_db();
    for body in [
        r#"{"firstName":"Ada","lastName":"Lovelace","emails":["ada@analytical.org"],"jobTitle":"Analyst"}"#,
        r#"{"firstName":"Grace","lastName":"Hopper","emails":["grace@navy.mil"],"phones":["+1 202 555 0100"]}"#,
        r#"{"firstName":"Søren","lastName":"Kierkegaard","emails":["soren@example.dk"]}"#,
        r#"{"firstName":"Nomail","lastName":"Person","phones":["+44 20 7946 0000"]}"#,
    ] {
        cli(&db, &["people", "add", "--json", body]);
    }
    let db2 = db.clone();
    let crm_ref = crm.clone();
    let url = base_url.clone();
    with_app(&db, |driver| async move {
        wait_count(&driver, "4 people").await?;
        go(&driver, "Sync").await?;
        driver
            .query(By::XPath("//h2[normalize-space()='No CRM account yet']"))
            .first()
            .await?;

        // ---- add the account; a bad base URL is refused inline ------------------------------
        button(&driver, "", "Add account").await?.click().await?;
        let form = "//form[@aria-label='Add a CRM account']";
        choose(&driver, form, "Provider", "Introzy").await?;
        fill(&driver, form, "Display name", "Introzy team").await?;
        fill(&driver, form, "Base URL", "ftp://crm.example").await?;
        button(&driver, form, "Add account").await?.click().await?;
        let msg = error_of(&driver, form, "Base URL").await?;
        assert!(msg.contains("https://"), "base URL error: {msg}");
        fill(&driver, form, "Base URL", &url).await?;
        button(&driver, form, "Add account").await?.click().await?;
        let counts = driver
            .query(By::Css("[data-testid='account-counts']"))
            .first()
            .await?;
        wait_for("the pending count", 10, || async {
            let t = counts.text().await?;
            Ok(t.contains("4 pending").then_some(()))
        })
        .await?;

        // ---- preview: what would be sent, nothing written -----------------------------------
        button(&driver, "", "Preview Introzy team")
            .await?
            .click()
            .await?;
        wait_summary(&driver, "created", "would be created 3").await?;
        wait_summary(&driver, "skipped", "skipped 1").await?;
        let skipped_row = text_of(
            &driver,
            By::XPath("//tr[@data-testid='report-row'][td[normalize-space()='Nomail Person']]"),
        )
        .await?;
        assert!(
            skipped_row.contains("Introzy needs an email address"),
            "skipped row: {skipped_row}"
        );
        screenshot(&driver, "sync").await?;
        assert_eq!(crm_ref.counts().creates, 0, "a preview writes nothing");

        // ---- push: each acceptable person once ----------------------------------------------
        button(&driver, "", "Push Introzy team")
            .await?
            .click()
            .await?;
        wait_summary(&driver, "created", "created 3").await?;
        assert_eq!(summary(&driver, "skipped").await?, "skipped 1");
        screenshot(&driver, "sync-report").await?;
        assert_eq!(crm_ref.people().len(), 3);

        // ---- push again: nothing to write ---------------------------------------------------
        button(&driver, "", "Push Introzy team")
            .await?
            .click()
            .await?;
        wait_summary(&driver, "unchanged", "unchanged 3").await?;
        assert_eq!(summary(&driver, "created").await?, "created 0");

        // ---- an edit in the window is exactly one update ------------------------------------
        go(&driver, "People").await?;
        row(&driver, "Ada Lovelace").await?.click().await?;
        fill(&driver, "//aside", "Job title", "Countess").await?;
        button(&driver, "//aside", "Save changes")
            .await?
            .click()
            .await?;
        toast_contains(&driver, "Saved Ada Lovelace").await?;
        button(&driver, "//aside", "Close panel")
            .await?
            .click()
            .await?;
        go(&driver, "Sync").await?;
        button(&driver, "", "Push Introzy team")
            .await?
            .click()
            .await?;
        wait_summary(&driver, "updated", "updated 1").await?;
        assert_eq!(summary(&driver, "unchanged").await?, "unchanged 2");

        let csp = csp_violations(&driver).await?;
        assert!(csp.is_empty(), "CSP violations: {csp:?}");
        Ok(())
    })
    .await;

    let counts = crm.counts();
    assert_eq!((counts.creates, counts.updates), (3, 1), "{counts:?}");
    let ada = crm
        .people()
        .into_iter()
        .find(|p| p["email"] == "ada@analytical.org")
        .expect("Ada on the CRM");
    eprintln!("Ada on Introzy: {ada}");
    let status: Value =
        serde_json::from_str(&cli(&db2, &["sync", "status", "--json"])).expect("status JSON");
    assert_eq!(status[0]["synced"], 3, "{status}");
    assert_eq!(
        status[0]["pending"], 1,
        "the skipped person stays pending: {status}"
    );
}
