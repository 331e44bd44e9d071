//! `carnet import` and `carnet export` through the real binary on temporary database files:
//! reports (text and `--json`), exit codes, `--dry-run`, `--partial`, `--on-duplicate`,
//! `--map`, and export to stdout or `--out` that imports back into another database.

mod common;
use common::Cli;

use std::path::Path;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../carnet-core/tests/fixtures")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

impl Cli {
    fn count(&self) -> usize {
        self.json(&["people", "list", "--json", "--limit", "100"])
            .as_array()
            .unwrap()
            .len()
    }
}

#[test]
fn import_vcard_prints_a_report_and_is_idempotent() {
    let cli = Cli::new();
    let out = cli.ok(&["import", &fixture("google_contacts.vcf")]);
    assert!(out.starts_with("3 records: 3 created, 0 updated"), "{out}");
    assert_eq!(cli.count(), 3);
    let r = cli.json(&["import", &fixture("google_contacts.vcf"), "--json"]);
    assert_eq!(r["created"], 0);
    assert_eq!(
        r["updated"].as_u64().unwrap() + r["unchanged"].as_u64().unwrap(),
        3
    );
    let r = cli.json(&[
        "import",
        &fixture("google_contacts.vcf"),
        "--json",
        "--on-duplicate",
        "skip",
    ]);
    assert_eq!(r["skipped"], 3);
    assert_eq!(cli.count(), 3);
}

#[test]
fn invalid_records_are_listed_and_nothing_is_written_without_partial() {
    let cli = Cli::new();
    let o = cli.run(&["import", &fixture("broken.vcf")]);
    assert_eq!(o.status.code(), Some(2));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("rejected card 2 (line 7): firstName: a person needs a name or an email address [validation]"), "{out}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("--partial"));
    assert_eq!(cli.count(), 0);
    let r = cli.json(&["import", &fixture("broken.vcf"), "--partial", "--json"]);
    assert_eq!(
        (
            r["created"].as_u64(),
            r["invalid"].as_u64(),
            r["committed"].as_bool()
        ),
        (Some(3), Some(1), Some(true))
    );
    assert_eq!(r["rejected"][0]["error"]["field"], "firstName");
    assert_eq!(cli.count(), 3);
}

#[test]
fn dry_run_reports_without_writing() {
    let cli = Cli::new();
    let out = cli.ok(&["import", &fixture("apple_icloud.vcf"), "--dry-run"]);
    assert!(out.contains("2 would be created"), "{out}");
    assert!(out.contains("dry run: nothing was written"));
    assert_eq!(cli.count(), 0);
}

#[test]
fn csv_with_a_mapping_and_a_forced_format() {
    let cli = Cli::new();
    let args = [
        "import",
        &fixture("generic_semicolon.csv"),
        "--format",
        "csv",
        "--partial",
        "--json",
        "--map",
        "Courriel=emails",
        "--map",
        "Société=company",
        "--map",
        "Portable=phones",
        "--map",
        "Étiquette=tags",
    ];
    let r = cli.json(&args);
    assert_eq!(r["created"], 2);
    assert_eq!(r["rejected"][0]["location"], "line 3");
    let o = cli.run(&[
        "import",
        &fixture("generic_semicolon.csv"),
        "--map",
        "Courriel",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--map"));
}

#[test]
fn export_vcard_csv_json_and_import_into_another_database() {
    let cli = Cli::new();
    cli.ok(&["import", &fixture("apple_icloud.vcf")]);
    cli.ok(&["import", &fixture("outlook_contacts.csv")]);
    let v3 = cli.ok(&["export", "--format", "vcard", "--version", "3"]);
    assert_eq!(v3.matches("BEGIN:VCARD").count(), 4);
    assert!(v3.contains("VERSION:3.0\r\n"));
    let v4 = cli.ok(&["export", "--format", "vcard"]);
    assert!(v4.contains("VERSION:4.0\r\n"));
    let csv = cli.ok(&["export", "--format", "csv"]);
    assert!(csv.starts_with("First Name,Middle Name,Last Name"));
    let backup = cli.dir.path().join("backup.json");
    let o = cli.run(&[
        "export",
        "--format",
        "json",
        "--out",
        backup.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("4 people written"));

    let other = Cli::new();
    let r = other.json(&["import", backup.to_str().unwrap(), "--json"]);
    assert_eq!(r["created"], 4);
    assert_eq!(
        other.ok(&["export", "--format", "json"]),
        std::fs::read_to_string(&backup).unwrap(),
        "the backup restores everything"
    );
    let vcf = cli.dir.path().join("all.vcf");
    std::fs::write(&vcf, &v4).unwrap();
    let third = Cli::new();
    assert_eq!(
        third.json(&["import", vcf.to_str().unwrap(), "--json"])["created"],
        4
    );

    let o = cli.run(&["export", "--format", "vcard", "--version", "5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("3 or 4"));
}
