//! End-to-end test of enrichment in the real window: the issue's person (only an email
//! and a phone) enriched from its panel with a progress bar, the values and their sources
//! shown; then "Enrich all" from the toolbar, and a conflict with what the user typed
//! reviewed on the Review screen (one suggestion accepted, one rejected); the CLI confirms.

use carnet_e2e::thirtyfour::prelude::*;
use carnet_e2e::*;
use serde_json::Value;

fn person(db: &std::path::Path, id: &str) -> Value {
    serde_json::from_str(&cli(db, &["people", "get", id, "--json"])).expect("person JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrich_a_person_from_the_panel_then_review_a_conflict() {
    let (_dir, db) = temp_db();
    cli(
        &db,
        &[
            "people",
            "add",
            "--json",
            r#"{"emails":["jane.doe@acme-robotics.com"],"phones":["(415) 555-0101"]}"#,
        ],
    );
    cli(
        &db,
        &[
            "people",
            "add",
            "--json",
            r#"{"firstName":"GRACE","lastName":"hopper","emails":["grace@navy-labs.org"]}"#,
        ],
    );
    let jane = cli_people(&db, Some("acme-robotics"))[0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let grace = cli_people(&db, Some("navy-labs"))[0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let db2 = db.clone();
    with_app(&db, |driver| async move {
        wait_count(&driver, "2 people").await?;

        // ---- one person, from the panel ---------------------------------------------------
        fill(&driver, "", "Search", "acme-robotics").await?;
        wait_count(&driver, "1 person match").await?;
        driver
            .query(By::Css(".data-row"))
            .first()
            .await?
            .click()
            .await?;
        let panel = "//aside[@aria-label='Person details']";
        button(&driver, panel, "Enrich").await?.click().await?;
        // The job runs in the backend's workers; the panel shows the result by itself.
        driver
            .query(By::XPath(format!(
                "{panel}//h2[normalize-space()='Jane Doe']"
            )))
            .first()
            .await?;
        let sources = driver
            .query(By::XPath(
                "//table[@aria-label='Enriched values and their sources']",
            ))
            .first()
            .await?;
        wait_for("the sources of the enriched values", 10, || async {
            let t = sources.text().await?;
            Ok(
                (t.contains("Acme Robotics")
                    && t.contains("+14155550101")
                    && t.contains("(local)"))
                .then_some(t),
            )
        })
        .await
        .map(|t| eprintln!("sources:\n{t}"))?;
        driver
            .execute(
                "arguments[0].scrollIntoView({block: 'end'});",
                vec![sources.to_json()?],
            )
            .await?;
        screenshot(&driver, "enrich-person").await?;
        button(&driver, panel, "Close panel").await?.click().await?;

        // ---- everyone, from the toolbar; a conflict goes to review --------------------------
        fill(&driver, "", "Search", "").await?;
        wait_count(&driver, "2 people").await?;
        button(&driver, "", "Enrich all").await?.click().await?;
        toast_contains(&driver, "Enriched 2 people").await?;
        go(&driver, "Review").await?;
        let accept_first = "Accept First name: Grace";
        button(&driver, "", accept_first).await?;
        driver
            .query(By::XPath(
                "//article[@aria-label='Suggestions for GRACE hopper']",
            ))
            .first()
            .await?;
        screenshot(&driver, "enrich-review").await?;
        button(&driver, "", accept_first).await?.click().await?;
        button(&driver, "", "Reject Last name: Hopper")
            .await?
            .click()
            .await?;
        wait_for("the review list to empty", 10, || async {
            Ok(driver
                .find_all(By::Css("[data-testid='suggestion']"))
                .await?
                .is_empty()
                .then_some(()))
        })
        .await?;
        // The finished jobs are listed.
        driver
            .query(By::XPath(
                "//table[contains(@class,'jobs-table')]//td[normalize-space()='Done']",
            ))
            .first()
            .await?;

        let csp = csp_violations(&driver).await?;
        assert!(csp.is_empty(), "CSP violations: {csp:?}");
        Ok(())
    })
    .await;

    // ---- the database, through the CLI ----------------------------------------------------
    let j = person(&db2, &jane);
    assert_eq!(j["firstName"], "Jane", "{j}");
    assert_eq!(j["lastName"], "Doe", "{j}");
    assert_eq!(j["company"], "Acme Robotics", "{j}");
    assert_eq!(j["phones"][0]["e164"], "+14155550101", "{j}");
    let g = person(&db2, &grace);
    assert_eq!(g["firstName"], "Grace", "accepted: {g}");
    assert_eq!(g["lastName"], "hopper", "rejected: {g}");
    let history = cli(&db2, &["history", &grace]);
    assert!(history.contains("Grace"), "history: {history}");
}
