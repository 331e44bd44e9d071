//! End-to-end test of custom fields in the real window: define fields on the Fields
//! screen, fill them in the person panel (with the backend's inline error for a bad
//! number), pick them in the column chooser, filter the list by one, rename one, see the
//! delete confirmation's count, then check the database through the CLI.

use carnet_e2e::thirtyfour::prelude::*;
use carnet_e2e::*;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn define_a_custom_field_then_fill_it_in_the_panel_and_filter_by_it() {
    let (_dir, db) = temp_db();
    cli(
        &db,
        &[
            "people",
            "add",
            "--json",
            r#"{"firstName":"Ada","lastName":"Lovelace","emails":[{"value":"ada@example.com"}]}"#,
        ],
    );
    cli(
        &db,
        &[
            "people",
            "add",
            "--json",
            r#"{"firstName":"Alan","lastName":"Turing"}"#,
        ],
    );
    let id = cli_people(&db, Some("Lovelace"))[0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let db2 = db.clone();
    with_app(&db, |driver| async move {
        wait_count(&driver, "2 people").await?;

        // ---- define two fields on the Fields screen --------------------------------------
        go(&driver, "Fields").await?;
        driver
            .query(By::XPath("//h2[normalize-space()='No custom fields yet']"))
            .first()
            .await?;
        let form = "//form[@aria-label='Add a field']";
        fill(&driver, form, "Field label", "Plan").await?;
        choose(&driver, form, "Type", "Single select").await?;
        fill(&driver, form, "Options", "Free, Pro, Enterprise").await?;
        fill(&driver, form, "Group", "Account").await?;
        button(&driver, form, "Add field").await?.click().await?;
        toast_contains(&driver, "Added the field “Plan” (cf_plan)").await?;
        fill(&driver, form, "Field label", "Seats").await?;
        // The group stays filled for the next field; this one has none.
        fill(&driver, form, "Group", "").await?;
        choose(&driver, form, "Type", "Number").await?;
        button(&driver, form, "Add field").await?.click().await?;
        toast_contains(&driver, "(cf_seats)").await?;
        // The same label twice: the backend's conflict shows under the label input.
        fill(&driver, form, "Field label", "seats").await?;
        button(&driver, form, "Add field").await?.click().await?;
        let msg = error_of_text(&driver, form).await?;
        eprintln!("duplicate label: {msg:?}");
        fill(&driver, form, "Field label", "").await?;
        // Both are listed in their groups.
        driver
            .query(By::XPath(
                "//section[@aria-label='Account']//li[@data-field-key='cf_plan']",
            ))
            .first()
            .await?;
        driver
            .query(By::XPath(
                "//section[@aria-label='No group']//li[@data-field-key='cf_seats']",
            ))
            .first()
            .await?;

        eprintln!("step: fields defined");
        // ---- fill them in the person panel ----------------------------------------------
        go(&driver, "People").await?;
        row(&driver, "Ada Lovelace").await?.click().await?;
        choose(&driver, "//aside", "Plan", "Pro").await?;
        fill(&driver, "//aside", "Seats", "twelve").await?;
        button(&driver, "//aside", "Save changes")
            .await?
            .click()
            .await?;
        eprintln!("step: saved bad seats");
        let msg = error_of(&driver, "//aside", "Seats").await?;
        eprintln!("inline error under Seats: {msg:?}");
        fill(&driver, "//aside", "Seats", "12").await?;
        button(&driver, "//aside", "Save changes")
            .await?
            .click()
            .await?;
        toast_contains(&driver, "Saved Ada Lovelace").await?;
        button(&driver, "//aside", "Close panel")
            .await?
            .click()
            .await?;

        eprintln!("step: panel saved");
        // ---- the column chooser offers them; the toolbar filters by them ----------------
        driver
            .query(By::Css("summary[aria-label='Choose columns']"))
            .first()
            .await?
            .click()
            .await?;
        // The webview keeps the column choice between runs: show Plan unless it is shown.
        let plan = driver
            .query(By::XPath(
                "//div[@aria-label='Custom fields']//label[normalize-space()='Plan']",
            ))
            .first()
            .await?;
        if !plan.find(By::Css("input")).await?.is_selected().await? {
            plan.click().await?;
        }
        driver
            .query(By::Css("summary[aria-label='Choose columns']"))
            .first()
            .await?
            .click()
            .await?;
        wait_xpath(
            &driver,
            "a Plan column",
            10,
            "//div[@role='columnheader' and normalize-space()='Plan']",
        )
        .await?;
        choose(&driver, "", "Field", "Plan").await?;
        choose(&driver, "", "Value", "Pro").await?;
        wait_count(&driver, "1 person match").await?;
        row(&driver, "Ada Lovelace").await?;
        choose(&driver, "", "Condition", "is empty").await?;
        wait_count(&driver, "1 person match").await?;
        row(&driver, "Alan Turing").await?;

        // ---- deleting the field says how many values go --------------------------------
        go(&driver, "Fields").await?;
        button(&driver, "", "Edit Seats").await?.click().await?;
        fill(&driver, "//li", "Field label", "Licences").await?;
        button(&driver, "//li", "Save field").await?.click().await?;
        toast_contains(&driver, "Saved “Licences”").await?;
        button(&driver, "", "Delete Plan").await?.click().await?;
        let confirm = driver
            .query(By::XPath("//*[@role='alertdialog']"))
            .first()
            .await?
            .text()
            .await?;
        assert!(confirm.contains("1 person"), "{confirm}");
        button(&driver, "", "Cancel").await?.click().await?;

        let csp = csp_violations(&driver).await?;
        assert!(csp.is_empty(), "CSP violations: {csp:?}");
        Ok(())
    })
    .await;

    // ---- the database, through the CLI --------------------------------------------------
    let p: Value =
        serde_json::from_str(&cli(&db2, &["people", "get", &id, "--json"])).expect("json");
    assert_eq!(p["customFields"]["cf_plan"], "Pro", "{p:#}");
    assert_eq!(p["customFields"]["cf_seats"], 12, "{p:#}");
    let fields = cli(&db2, &["fields", "list", "--json"]);
    assert!(
        fields.contains("\"Licences\""),
        "renamed label kept: {fields}"
    );
    eprintln!("CLI sees custom fields: {}", p["customFields"]);
}

/// The text of the first inline error (`role=alert` under an input) inside `scope`.
async fn error_of_text(driver: &WebDriver, scope: &str) -> WebDriverResult<String> {
    let xp = format!("{scope}//*[contains(@class, 'field-error')]");
    wait_for("an inline error", 10, || async {
        Ok(
            match driver.find_all(By::XPath(&xp)).await?.into_iter().next() {
                Some(el) => Some(el.text().await?),
                None => None,
            },
        )
    })
    .await
}
