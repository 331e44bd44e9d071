//! CLI scenarios running the real `carnet` binary on a temporary database file.

mod common;
use common::Cli;

use std::process::Command;

use serde_json::{json, Value};

#[test]
fn add_list_search_update_trash_restore() {
    let c = Cli::new();
    let p = c.json(&["people", "add", "--json", r#"{"firstName":"Jane","lastName":"Doe","email":"jane.doe@acme-robotics.com","phoneNumber":"(415) 555-0101","companyName":"Acme Robotics"}"#]);
    let id = p["id"].as_str().unwrap().to_string();
    assert_eq!(p["phones"][0]["e164"], "+14155550101");
    c.json(&[
        "people",
        "add",
        "--json",
        r#"{"fullName":"Åsa Berg","tags":["friend"]}"#,
    ]);

    let listed = c.json(&["people", "list", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(listed[0]["fullName"], "Åsa Berg", "Å sorts with the A's");
    let table = c.ok(&["people", "list"]);
    assert!(
        table.contains("Jane Doe") && table.contains("1-2 of 2"),
        "{table}"
    );

    let found = c.json(&["people", "list", "--search", "555 0101", "--json"]);
    assert_eq!(found[0]["id"], id.as_str());
    assert_eq!(
        c.json(&["people", "list", "--search", "asa", "--json"])[0]["fullName"],
        "Åsa Berg"
    );
    let company = p["companyId"].as_str().unwrap();
    assert_eq!(
        c.json(&["people", "list", "--company-id", company, "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        c.json(&["people", "list", "--tag", "FRIEND", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let u = c.json(&["people", "update", &id, "--json", r#"{"jobTitle":"CTO"}"#]);
    assert_eq!(
        (u["jobTitle"].as_str(), u["firstName"].as_str()),
        (Some("CTO"), Some("Jane"))
    );
    let got = c.json(&["people", "get", &id, "--json"]);
    assert_eq!(got["jobTitle"], "CTO");
    assert!(c.ok(&["people", "get", &id]).contains("CTO"));

    c.ok(&["people", "delete", &id]);
    assert_eq!(
        c.json(&["people", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        c.json(&["people", "list", "--trash", "--json"])[0]["id"],
        id.as_str()
    );
    c.ok(&["people", "restore", &id]);
    assert_eq!(
        c.json(&["people", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn errors_name_the_field_exit_non_zero_and_write_nothing() {
    let c = Cli::new();
    let err = c.fails(
        &[
            "people",
            "add",
            "--json",
            r#"{"firstName":"A","emails":["not-an-email"]}"#,
        ],
        2,
    );
    assert!(err.contains("error[validation] emails[0].value"), "{err}");
    let err = c.fails(&["people", "add", "--json", "{not json"], 2);
    assert!(
        err.contains("--json") && err.contains("not valid JSON"),
        "{err}"
    );
    let err = c.fails(&["people", "add", "--json", r#"{"jobTitle":"x"}"#], 2);
    assert!(err.contains("a name or an email"), "{err}");
    let err = c.fails(&["people", "list", "--limit", "101"], 2);
    assert!(err.contains("limit"), "{err}");
    c.fails(
        &["people", "get", "0190d7a4-0000-7000-8000-000000000000"],
        3,
    );
    assert_eq!(c.json(&["people", "list", "--json"]), json!([]));

    let first = c.json(&["people", "add", "--json", r#"{"email":"dup@x.io"}"#]);
    let err = c.fails(&["people", "add", "--json", r#"{"email":"DUP@x.io"}"#], 4);
    assert!(
        err.contains(first["id"].as_str().unwrap()),
        "conflict names the existing id: {err}"
    );
    assert_eq!(
        c.json(&["people", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn json_from_a_file_and_the_env_database() {
    let c = Cli::new();
    let body = c.dir.path().join("p.json");
    std::fs::write(
        &body,
        r#"{"name":"Jean","last_name":"Dupont","numbers":["+33612345678"]}"#,
    )
    .unwrap();
    let p = c.json(&["people", "add", "--json", &format!("@{}", body.display())]);
    assert_eq!(p["firstName"], "Jean");
    let o = Command::new(env!("CARGO_BIN_EXE_carnet"))
        .args(["people", "list", "--json"])
        .env("CARNET_DB", &c.db)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v[0]["lastName"], "Dupont",
        "CARNET_DB selects the same file"
    );
}

#[test]
fn companies_and_notes() {
    let c = Cli::new();
    let co = c.json(&[
        "companies",
        "add",
        "--json",
        r#"{"name":"Acme","domain":"acme.com"}"#,
    ]);
    let cid = co["id"].as_str().unwrap();
    let p = c.json(&[
        "people",
        "add",
        "--json",
        &json!({"firstName": "Ann", "companyId": cid}).to_string(),
    ]);
    let pid = p["id"].as_str().unwrap();
    assert_eq!(
        c.json(&["companies", "get", cid, "--json"])["peopleCount"],
        1
    );
    assert!(c.ok(&["companies", "list"]).contains("acme.com"));
    c.fails(&["companies", "add", "--json", r#"{"name":"ACME"}"#], 4);

    let n1 = c.json(&["notes", "add", pid, "--body", "met at the fair"]);
    std::thread::sleep(std::time::Duration::from_millis(3));
    c.json(&["notes", "add", pid, "--body", "follow up"]);
    let notes = c.json(&["notes", "list", pid, "--json"]);
    assert_eq!(notes[0]["body"], "follow up");
    c.json(&[
        "notes",
        "update",
        n1["id"].as_str().unwrap(),
        "--body",
        "met at the fair, 2026",
    ]);
    c.ok(&["notes", "delete", n1["id"].as_str().unwrap()]);
    assert_eq!(
        c.json(&["notes", "list", pid, "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    c.fails(&["notes", "add", pid, "--body", " "], 2);

    c.ok(&["companies", "delete", cid]);
    assert!(c.json(&["people", "get", pid, "--json"])["company"].is_null());
    c.ok(&["companies", "restore", cid]);
    assert_eq!(c.json(&["people", "get", pid, "--json"])["company"], "Acme");
}

#[test]
fn settings_region() {
    let c = Cli::new();
    assert!(c.ok(&["settings", "set-region", "fr"]).contains("FR"));
    let p = c.json(&[
        "people",
        "add",
        "--json",
        r#"{"firstName":"Luc","phones":["06 12 34 56 78"]}"#,
    ]);
    assert_eq!(p["phones"][0]["e164"], "+33612345678");
    c.fails(&["settings", "set-region", "ZZZ"], 2);
}

#[test]
fn tags_in_use_with_counts() {
    let c = Cli::new();
    for body in [
        r#"{"firstName":"A","tags":["VIP","Élan"]}"#,
        r#"{"firstName":"B","tags":["vip"]}"#,
        r#"{"firstName":"C","tags":["vip","gone"]}"#,
        r#"{"firstName":"D","tags":["vip"]}"#,
    ] {
        c.json(&["people", "add", "--json", body]);
    }
    let gone = c.json(&["people", "list", "--search", "C", "--json"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    c.ok(&["people", "delete", &gone]);
    let tags = c.json(&["people", "tags", "--json"]);
    assert_eq!(
        tags,
        json!([{"tag": "Élan", "count": 1}, {"tag": "vip", "count": 3}]),
        "trashed people's tags are left out; case folds; the commonest spelling shows"
    );
    assert_eq!(c.ok(&["people", "tags"]).lines().count(), 2);
}
