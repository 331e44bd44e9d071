//! End-to-end test of Import / Export in the real window: a real iPhone export (from
//! shared/vcard-samples) with a broken card appended is chosen, previewed (the bad card's
//! number, line and reason shown), refused as a whole, then imported keeping the valid
//! cards with a progress bar; the people appear in the table and the CLI; then an export
//! through the save dialog writes every person.
//!
//! WebDriver cannot drive the GTK file dialogs, so the test sets the debug-build-only
//! stand-ins `CARNET_E2E_PICK_OPEN` / `CARNET_E2E_PICK_SAVE` (see the app's
//! commands/interchange.rs); everything after the dialog is the real path.

use carnet_e2e::thirtyfour::prelude::*;
use carnet_e2e::*;

/// A card with neither a name nor an email: the one thing an import cannot keep. (A bad
/// email or birthday is not fatal: the importer keeps it in the card's extras and notes it.)
const BAD_CARD: &str =
    "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:Broken record\\, no name\r\nEND:VCARD\r\n";

async fn count_of(driver: &WebDriver, what: &str) -> WebDriverResult<String> {
    let el = driver
        .query(By::Css(format!("[data-testid='import-{what}'] dd")))
        .first()
        .await?;
    el.text().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_a_real_export_with_a_bad_card_then_export_everyone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sample = workspace().join("../shared/vcard-samples/John_Doe_IPHONE.vcf");
    let mut data =
        std::fs::read_to_string(&sample).unwrap_or_else(|e| panic!("{}: {e}", sample.display()));
    // Two more people, so the import has several cards besides the broken one.
    data.push_str("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\nEMAIL;TYPE=WORK:ada@analytical.org\r\nEMAIL;TYPE=HOME:not-an-email\r\nEND:VCARD\r\n");
    data.push_str(BAD_CARD);
    data.push_str("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Zoë Ørsted\r\nN:Ørsted;Zoë;;;\r\nTEL;TYPE=cell:+45 32 12 34 56\r\nEND:VCARD\r\n");
    let file = dir.path().join("contacts.vcf");
    std::fs::write(&file, data).expect("write the file");
    let out = dir.path().join("export.vcf");
    std::env::set_var("CARNET_E2E_PICK_OPEN", &file);
    std::env::set_var("CARNET_E2E_PICK_SAVE", &out);

    let (_db_dir, db) = temp_db();
    let db2 = db.clone();
    with_app(&db, |driver| async move {
        wait_count(&driver, "0 people").await?;
        go(&driver, "Import / Export").await?;
        button(&driver, "", "Choose file…").await?.click().await?;
        let picked = text_of(&driver, By::Css("[data-testid='picked-file']")).await?;
        assert!(picked.contains("contacts.vcf") && picked.contains("vCard"), "{picked}");

        // ---- preview: counts and the bad card's place and reason ---------------------------
        button(&driver, "", "Preview").await?.click().await?;
        wait_for("the preview", 20, || async {
            Ok(driver
                .find_all(By::XPath("//section[@aria-label='Import preview']"))
                .await?
                .into_iter()
                .next())
        })
        .await?;
        assert_eq!(count_of(&driver, "created").await?, "3");
        assert_eq!(count_of(&driver, "invalid").await?, "1");
        let bad = text_of(&driver, By::Css("[data-testid='rejected-row']")).await?;
        eprintln!("rejected: {bad}");
        assert!(bad.contains("card 3") && bad.contains("line"), "{bad}");
        assert!(bad.contains("firstName"), "the field is named: {bad}");
        screenshot(&driver, "import-preview").await?;

        // ---- import without keeping the valid ones: nothing written ------------------------
        button(&driver, "", "Import").await?.click().await?;
        driver
            .query(By::XPath("//p[contains(@class,'verdict') and starts-with(normalize-space(),'Nothing was written')]"))
            .first()
            .await?;

        // ---- keep the valid ones -----------------------------------------------------------
        driver
            .query(By::XPath("//label[normalize-space()='Keep the valid records when some are invalid']/input"))
            .first()
            .await?
            .click()
            .await?;
        button(&driver, "", "Import").await?.click().await?;
        driver
            .query(By::XPath("//p[contains(@class,'verdict') and starts-with(normalize-space(),'Imported 3 of 4')]"))
            .first()
            .await?;
        screenshot(&driver, "import-result").await?;

        go(&driver, "People").await?;
        wait_count(&driver, "3 people").await?;
        row(&driver, "Zoë Ørsted").await?;

        // ---- export everyone through the save dialog ---------------------------------------
        go(&driver, "Import / Export").await?;
        button(&driver, "", "Export…").await?.click().await?;
        let done = text_of(&driver, By::Css("[data-testid='export-result']")).await?;
        assert_eq!(done, "Exported 3 people to export.vcf.");

        let csp = csp_violations(&driver).await?;
        assert!(csp.is_empty(), "CSP violations: {csp:?}");
        Ok(())
    })
    .await;

    let people = cli_people(&db2, None);
    assert_eq!(people.len(), 3, "{people:?}");
    assert!(
        cli_people(&db2, Some("ibm.com")).len() == 1,
        "John Doe from the iPhone card"
    );
    assert!(
        cli_people(&db2, Some("Broken")).is_empty(),
        "the bad card was not imported"
    );
    let exported = std::fs::read_to_string(&out).expect("the exported file");
    assert_eq!(exported.matches("BEGIN:VCARD").count(), 3);
    assert!(
        exported.contains("VERSION:4.0") && exported.contains("Zoë"),
        "{exported}"
    );
    assert!(
        !out.with_extension("vcf.part").exists(),
        "no temporary file left"
    );
}

/// A large import shows its progress bar while the window stays usable, and Cancel, pressed
/// after the last record while the import builds its indexes (its longest statements), stops
/// it with nothing written. The test fails if the import finished before Cancel (the verdict
/// would then be "Imported ...").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_a_large_import_while_it_builds_its_indexes_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Large enough that the import still runs a few seconds after the bar moves, and that
    // building its indexes takes a few seconds, on any machine (a debug build imports these
    // small cards at about 30,000 a second).
    let n = 500_000;
    let mut data = String::with_capacity(n * 120);
    for i in 0..n {
        data.push_str(&format!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Person{i};Test;;;\r\nFN:Test Person{i}\r\nEMAIL:p{i}@example.com\r\nEND:VCARD\r\n"
        ));
    }
    let file = dir.path().join("big.vcf");
    std::fs::write(&file, data).expect("write the file");
    std::env::set_var("CARNET_E2E_PICK_OPEN", &file);

    let (_db_dir, db) = temp_db();
    let db2 = db.clone();
    with_app(&db, |driver| async move {
        wait_count(&driver, "0 people").await?;
        go(&driver, "Import / Export").await?;
        button(&driver, "", "Choose file…").await?.click().await?;
        button(&driver, "", "Import").await?.click().await?;
        // The bar moves past zero before Cancel is pressed.
        let bar = driver
            .query(By::Css("[data-testid='import-progress'] progress"))
            .first()
            .await?;
        wait_for("import progress", 60, || async {
            let v: f64 = bar.prop("value").await?.and_then(|v| v.parse().ok()).unwrap_or(0.0);
            Ok((v > 0.0).then_some(v))
        })
        .await
        .map(|v| eprintln!("progress seen: {v} of {n}"))?;
        screenshot(&driver, "import-progress").await?;
        // The window still answers while the import runs: the sidebar switches screens.
        go(&driver, "People").await?;
        wait_count(&driver, "0 people").await?;
        go(&driver, "Import / Export").await?;
        // Every record is written: the bar says so while the indexes are built.
        let label = driver
            .query(By::Css("[data-testid='import-progress'] .job-label"))
            .first()
            .await?;
        wait_for("the index phase", 120, || async {
            Ok((label.text().await? == "Building the indexes").then_some(()))
        })
        .await?;
        screenshot(&driver, "import-building-indexes").await?;
        button(&driver, "", "Cancel import").await?.click().await?;
        driver
            .query(By::XPath("//p[contains(@class,'verdict') and normalize-space()='Cancelled: nothing was written.']"))
            .first()
            .await?;
        screenshot(&driver, "import-cancelled").await?;
        Ok(())
    })
    .await;
    assert!(
        cli_people(&db2, None).is_empty(),
        "a cancelled import writes nothing"
    );
}
