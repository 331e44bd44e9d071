//! End-to-end test of custom fields on a company, in the company panel: a select and a
//! number defined for companies (through the CLI) are edited in the window, a bad number
//! gets the backend's inline error, the save reaches the database (checked with the CLI).

use carnet_e2e::*;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_a_companys_custom_fields_in_its_panel() {
    let (_dir, db) = temp_db();
    for args in [
        &[
            "fields",
            "add",
            "--label",
            "Tier",
            "--type",
            "single_select",
            "--options",
            "Gold,Silver",
            "--entity",
            "company",
        ][..],
        &[
            "fields",
            "add",
            "--label",
            "Employees",
            "--type",
            "number",
            "--entity",
            "company",
        ][..],
    ] {
        cli(&db, args);
    }
    let company: Value = serde_json::from_str(&cli(
        &db,
        &[
            "companies",
            "add",
            "--json",
            r#"{"name":"Analytical Engines","domain":"analytical.org"}"#,
        ],
    ))
    .expect("company JSON");
    let id = company["id"].as_str().expect("company id").to_string();
    let db2 = db.clone();
    with_app(&db, |driver| async move {
        go(&driver, "Companies").await?;
        button(&driver, "", "Analytical Engines")
            .await?
            .click()
            .await?;
        let panel = "//aside[@aria-label='Company details']";
        wait_xpath(
            &driver,
            "company panel",
            10,
            &format!("{panel}//h2[normalize-space()='Analytical Engines']"),
        )
        .await?;
        choose(&driver, panel, "Tier", "Gold").await?;
        fill(&driver, panel, "Employees", "many").await?;
        button(&driver, panel, "Save changes")
            .await?
            .click()
            .await?;
        let msg = error_of(&driver, panel, "Employees").await?;
        eprintln!("bad number: {msg}");
        assert!(msg.to_lowercase().contains("number"), "{msg}");
        fill(&driver, panel, "Employees", "42").await?;
        button(&driver, panel, "Save changes")
            .await?
            .click()
            .await?;
        toast_contains(&driver, "Saved Analytical Engines").await?;
        screenshot(&driver, "company-custom-fields").await?;
        Ok(())
    })
    .await;

    let c: Value = serde_json::from_str(&cli(&db2, &["companies", "get", &id, "--json"]))
        .expect("company JSON");
    assert_eq!(c["customFields"]["cf_tier"], "Gold", "{c}");
    assert_eq!(c["customFields"]["cf_employees"], 42, "{c}");
}
