//! End-to-end test of a create that hits an existing person (same email): the form shows
//! the conflict with "Open existing" and "Merge into existing" instead of a dead end; a
//! merge fills the existing person (typed single values, added list entries, stored ones
//! kept) and never creates a second person. The CLI confirms.

use carnet_e2e::thirtyfour::prelude::*;
use carnet_e2e::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_email_offers_open_or_merge() {
    let (_dir, db) = temp_db();
    cli(
        &db,
        &[
            "people",
            "add",
            "--json",
            r#"{"firstName":"Ada","lastName":"Lovelace","emails":["ada@analytical.org"],"phones":["+44 20 7946 0018"],"tags":["math"]}"#,
        ],
    );
    let db2 = db.clone();
    with_app(&db, |driver| async move {
        wait_count(&driver, "1 person").await?;
        let dlg = "//dialog[@open]";

        // ---- merge ----------------------------------------------------------------------
        button(&driver, "//nav", "New person")
            .await?
            .click()
            .await?;
        fill(&driver, dlg, "First name", "Ada").await?;
        fill(&driver, dlg, "Last name", "Lovelace").await?;
        fill(&driver, dlg, "Email", "ADA@analytical.org").await?;
        fill(&driver, dlg, "Phone", "+44 20 7946 0999").await?;
        fill(&driver, dlg, "Job title", "Countess").await?;
        fill(&driver, dlg, "Tags", "poet").await?;
        button(&driver, dlg, "Create person").await?.click().await?;
        let msg = driver
            .query(By::XPath(format!(
                "{dlg}//div[contains(@class,'conflict-box')]"
            )))
            .first()
            .await?
            .text()
            .await?;
        assert!(
            msg.contains("ada@analytical.org") || msg.to_lowercase().contains("already"),
            "{msg}"
        );
        screenshot(&driver, "create-conflict").await?;
        button(&driver, dlg, "Merge into existing")
            .await?
            .click()
            .await?;
        wait_xpath(
            &driver,
            "the merged person",
            10,
            "//aside//h2[normalize-space()='Ada Lovelace']",
        )
        .await?;
        toast_contains(&driver, "Merged into Ada Lovelace").await?;
        wait_count(&driver, "1 person").await?;
        button(&driver, "//aside", "Close panel")
            .await?
            .click()
            .await?;

        // ---- open existing ----------------------------------------------------------------
        button(&driver, "//nav", "New person")
            .await?
            .click()
            .await?;
        fill(&driver, dlg, "First name", "Someone").await?;
        fill(&driver, dlg, "Email", "ada@analytical.org").await?;
        button(&driver, dlg, "Create person").await?.click().await?;
        button(&driver, dlg, "Open existing").await?.click().await?;
        wait_xpath(
            &driver,
            "the existing person",
            10,
            "//aside//h2[normalize-space()='Ada Lovelace']",
        )
        .await?;
        assert!(
            driver.find_all(By::XPath(dlg)).await?.is_empty(),
            "dialog still open"
        );
        Ok(())
    })
    .await;

    let people = cli_people(&db2, None);
    assert_eq!(people.len(), 1, "no second person: {people:?}");
    let ada = &people[0];
    assert_eq!(ada["jobTitle"], "Countess", "{ada}");
    let tags: Vec<&str> = ada["tags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    assert_eq!(tags, ["math", "poet"], "{ada}");
    let phones: Vec<&str> = ada["phones"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["value"].as_str())
        .collect();
    assert_eq!(phones, ["+44 20 7946 0018", "+44 20 7946 0999"], "{ada}");
    assert_eq!(
        ada["emails"].as_array().unwrap().len(),
        1,
        "the same email is not added twice: {ada}"
    );
}
