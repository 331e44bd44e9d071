//! CLI scenarios for custom fields, running the real `carnet` binary on a temporary
//! database file: define fields of every type, fill them, get each error, change and
//! delete fields, filter and sort the people list.

mod common;
use common::Cli;

use serde_json::{json, Value};

impl Cli {
    fn add_person(&self, body: Value) -> Value {
        self.json(&["people", "add", "--json", &body.to_string()])
    }

    fn names(&self, extra: &[&str]) -> Vec<String> {
        let mut args = vec!["people", "list", "--json"];
        args.extend_from_slice(extra);
        self.json(&args)
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["fullName"].as_str().unwrap().to_string())
            .collect()
    }
}

#[test]
fn add_list_show_every_type() {
    let c = Cli::new();
    for (label, ty) in [
        ("Nickname", "text"),
        ("Bio", "long_text"),
        ("Deal size", "number"),
        ("First met", "date"),
        ("Newsletter", "boolean"),
        ("Blog", "url"),
        ("Assistant email", "email"),
        ("Assistant phone", "phone"),
        ("Introduced by", "person_ref"),
        ("Investor", "company_ref"),
    ] {
        let out = c.ok(&["fields", "add", "--label", label, "--type", ty]);
        assert!(out.contains("created"), "{out}");
    }
    let stage = c.json(&[
        "fields",
        "add",
        "--label",
        "Stage",
        "--type",
        "single-select",
        "--options",
        "Lead,Won",
        "--group",
        "Sales",
        "--required",
        "--description",
        "Pipeline",
        "--json",
    ]);
    assert_eq!(stage["key"], "cf_stage");
    assert_eq!(stage["type"], "single_select");
    assert_eq!(
        stage["options"],
        json!([{"label": "Lead"}, {"label": "Won"}])
    );
    assert_eq!(
        (stage["required"].as_bool(), stage["group"].as_str()),
        (Some(true), Some("Sales"))
    );
    c.ok(&[
        "fields",
        "add",
        "--label",
        "Tier",
        "--type",
        "multi_select",
        "--options",
        "A,B",
        "--entity",
        "company",
    ]);
    let people = c.json(&["fields", "list", "--entity", "person", "--json"]);
    assert_eq!(people.as_array().unwrap().len(), 11);
    assert_eq!(
        c.json(&["fields", "list", "--entity", "company", "--json"])[0]["key"],
        "cf_tier"
    );
    let table = c.ok(&["fields", "list"]);
    assert!(
        table.contains("cf_stage")
            && table.contains("Lead, Won")
            && table.contains("cf_tier (company)"),
        "{table}"
    );
    let shown = c.ok(&["fields", "show", "cf_stage"]);
    assert!(
        shown.contains("Pipeline") && shown.contains("Values       0"),
        "{shown}"
    );
    assert_eq!(
        c.json(&["fields", "show", "cf_deal_size", "--json"])["type"],
        "number"
    );
    // Errors: unknown type, unknown key, duplicate label.
    let e = c.fails(&["fields", "add", "--label", "X", "--type", "blob"], 2);
    assert!(e.contains("one of: text"), "{e}");
    let e = c.fails(&["fields", "show", "cf_nope"], 3);
    assert!(e.contains("error[not_found]"), "{e}");
    let e = c.fails(&["fields", "add", "--label", "stage", "--type", "text"], 4);
    assert!(e.contains("error[conflict] label"), "{e}");
}

#[test]
fn values_are_validated_with_clear_errors() {
    let c = Cli::new();
    c.ok(&["fields", "add", "--label", "Score", "--type", "number"]);
    c.ok(&[
        "fields",
        "add",
        "--label",
        "Stage",
        "--type",
        "single_select",
        "--options",
        "Lead,Won",
    ]);
    c.ok(&["fields", "add", "--label", "Met", "--type", "date"]);
    c.ok(&["fields", "add", "--label", "Mentor", "--type", "person_ref"]);
    let p = c.add_person(json!({"fullName": "Ann", "customFields": {"cf_score": "12", "cf_stage": "won", "cf_met": "2024-05-06"}}));
    assert_eq!(
        p["customFields"],
        json!({"cf_score": 12, "cf_stage": "Won", "cf_met": "2024-05-06"})
    );
    for (cf, needle) in [
        (
            json!({"cf_nope": 1}),
            "error[validation] customFields.cf_nope: cf_nope is not a custom field",
        ),
        (
            json!({"cf_score": "many"}),
            "error[validation] customFields.cf_score: cf_score (\"Score\") is a number field",
        ),
        (
            json!({"cf_stage": "Lost"}),
            "\"Lost\" is not an option (Lead, Won)",
        ),
        (json!({"cf_met": "06/05/2024"}), "YYYY-MM-DD"),
        (
            json!({"cf_mentor": "0190a0a0-0000-7000-8000-000000000001"}),
            "no person has id",
        ),
    ] {
        let body = json!({"fullName": "Bad", "customFields": cf}).to_string();
        let e = c.fails(&["people", "add", "--json", &body], 2);
        assert!(e.contains(needle), "{needle}: {e}");
    }
    let id = p["id"].as_str().unwrap();
    let ok = c.json(&[
        "people",
        "update",
        id,
        "--json",
        &json!({"customFields": {"cf_mentor": id, "cf_score": null}}).to_string(),
    ]);
    assert_eq!(
        ok["customFields"],
        json!({"cf_stage": "Won", "cf_met": "2024-05-06", "cf_mentor": id})
    );
    assert_eq!(c.names(&[]), ["Ann"], "refused writes wrote nothing");
}

#[test]
fn update_renames_converts_and_refuses_without_force() {
    let c = Cli::new();
    c.ok(&[
        "fields",
        "add",
        "--label",
        "Stage",
        "--type",
        "single_select",
        "--options",
        "Lead,Won,Lost",
    ]);
    c.ok(&["fields", "add", "--label", "Score", "--type", "text"]);
    let a = c.add_person(
        json!({"fullName": "Ann", "customFields": {"cf_stage": "Lead", "cf_score": "7"}}),
    );
    c.add_person(
        json!({"fullName": "Bob", "customFields": {"cf_stage": "Lost", "cf_score": "high"}}),
    );
    // Rename the label: key and values stay.
    c.ok(&["fields", "update", "cf_stage", "--label", "Pipeline stage"]);
    assert_eq!(
        c.json(&["fields", "show", "cf_stage", "--json"])["label"],
        "Pipeline stage"
    );
    // Rename an option: values follow.
    let out = c.ok(&[
        "fields",
        "update",
        "cf_stage",
        "--rename-option",
        "lead=Prospect",
    ]);
    assert!(out.contains("1 changed"), "{out}");
    let ann = c.json(&["people", "get", a["id"].as_str().unwrap(), "--json"]);
    assert_eq!(ann["customFields"]["cf_stage"], "Prospect");
    // Remove an option in use: refused with the count, then forced.
    let e = c.fails(
        &["fields", "update", "cf_stage", "--options", "Prospect,Won"],
        2,
    );
    assert!(
        e.contains("error[validation] options: 1 value(s)") && e.contains("--force"),
        "{e}"
    );
    let dry = c.ok(&[
        "fields",
        "update",
        "cf_stage",
        "--options",
        "Prospect,Won",
        "--dry-run",
    ]);
    assert!(
        dry.contains("dry run") && dry.contains("1 removed") && dry.contains("Bob"),
        "{dry}"
    );
    c.ok(&[
        "fields",
        "update",
        "cf_stage",
        "--options",
        "Prospect,Won",
        "--force",
    ]);
    assert_eq!(c.names(&["--filter", "cf_stage="]), ["Bob"]);
    // Type change: refused with the count, forced converts what converts.
    let e = c.fails(&["fields", "update", "cf_score", "--type", "number"], 2);
    assert!(
        e.contains("error[validation] type: 1 value(s)") && e.contains("high"),
        "{e}"
    );
    let r = c.json(&[
        "fields", "update", "cf_score", "--type", "number", "--force", "--json",
    ]);
    assert_eq!(
        (r["valuesChanged"].as_u64(), r["valuesRemoved"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(c.names(&["--filter", "cf_score>=7"]), ["Ann"]);
    // Required, group and description.
    let out = c.ok(&[
        "fields",
        "update",
        "cf_score",
        "--required",
        "true",
        "--group",
        "Deal",
        "--description",
        "0-10",
    ]);
    assert!(out.contains("1 live record(s) have no value"), "{out}");
    let e = c.fails(&["people", "add", "--json", r#"{"fullName": "Cy"}"#], 2);
    assert!(
        e.contains("customFields.cf_score") && e.contains("required"),
        "{e}"
    );
    let e = c.fails(&["fields", "update", "cf_nope", "--label", "x"], 3);
    assert!(e.contains("not_found"), "{e}");
    let e = c.fails(
        &["fields", "update", "cf_stage", "--rename-option", "nope"],
        2,
    );
    assert!(e.contains("OLD=NEW"), "{e}");
}

#[test]
fn delete_needs_force_and_reports_the_count() {
    let c = Cli::new();
    c.ok(&["fields", "add", "--label", "Old", "--type", "text"]);
    c.ok(&["fields", "add", "--label", "Keep", "--type", "text"]);
    let a =
        c.add_person(json!({"fullName": "Ann", "customFields": {"cf_old": "x", "cf_keep": "y"}}));
    let e = c.fails(&["fields", "delete", "cf_old"], 2);
    assert!(e.contains("1 people") && e.contains("--force"), "{e}");
    let dry = c.json(&["fields", "delete", "cf_old", "--dry-run", "--json"]);
    assert_eq!(
        (dry["applied"].as_bool(), dry["valuesRemoved"].as_u64()),
        (Some(false), Some(1))
    );
    let out = c.ok(&["fields", "delete", "cf_old", "--force"]);
    assert!(
        out.contains("cf_old deleted: 1 value(s), 0 changed, 1 removed"),
        "{out}"
    );
    c.fails(&["fields", "show", "cf_old"], 3);
    let ann = c.json(&["people", "get", a["id"].as_str().unwrap(), "--json"]);
    assert_eq!(ann["customFields"], json!({"cf_keep": "y"}));
}

#[test]
fn people_list_filters_and_sorts_by_a_field() {
    let c = Cli::new();
    c.ok(&[
        "fields",
        "add",
        "--label",
        "Stage",
        "--type",
        "single_select",
        "--options",
        "Lead,Qualified,Won",
    ]);
    c.ok(&["fields", "add", "--label", "Deal", "--type", "number"]);
    c.ok(&[
        "fields",
        "add",
        "--label",
        "Langs",
        "--type",
        "multi_select",
        "--options",
        "Rust,Go",
    ]);
    c.ok(&["fields", "add", "--label", "City", "--type", "text"]);
    c.add_person(json!({"fullName": "Ann", "customFields": {"cf_stage": "Won", "cf_deal": 10, "cf_langs": ["Rust"], "cf_city": "Paris"}}));
    c.add_person(json!({"fullName": "Bob", "customFields": {"cf_stage": "Lead", "cf_deal": 30, "cf_langs": ["Go", "Rust"]}}));
    c.add_person(
        json!({"fullName": "Cat", "customFields": {"cf_stage": "Qualified", "cf_deal": 20}}),
    );
    c.add_person(json!({"fullName": "Dan"}));
    assert_eq!(c.names(&["--filter", "cf_stage=won"]), ["Ann"]);
    assert_eq!(c.names(&["--filter", "cf_langs=rust"]), ["Ann", "Bob"]);
    assert_eq!(
        c.names(&["--filter", "cf_langs=rust", "--filter", "cf_deal>15"]),
        ["Bob"]
    );
    assert_eq!(c.names(&["--filter", "cf_deal<=20"]), ["Ann", "Cat"]);
    assert_eq!(c.names(&["--filter", "cf_city~par"]), ["Ann"]);
    assert_eq!(c.names(&["--filter", "cf_city!="]), ["Ann"]);
    assert_eq!(
        c.names(&["--filter", "cf_stage!=Won"]),
        ["Bob", "Cat", "Dan"]
    );
    assert_eq!(
        c.names(&["--sort-field", "cf_deal"]),
        ["Ann", "Cat", "Bob", "Dan"]
    );
    assert_eq!(
        c.names(&["--sort-field", "cf_deal", "--desc"]),
        ["Bob", "Cat", "Ann", "Dan"]
    );
    assert_eq!(
        c.names(&["--sort-field", "cf_stage"]),
        ["Bob", "Cat", "Ann", "Dan"]
    );
    assert_eq!(
        c.names(&["--search", "qualified"]),
        ["Cat"],
        "select labels are searchable"
    );
    let table = c.ok(&["people", "list", "--filter", "cf_deal>25"]);
    assert!(table.contains("Bob") && !table.contains("Ann"), "{table}");
    let e = c.fails(&["people", "list", "--filter", "cf_nope=1"], 2);
    assert!(e.contains("filters[0].key") && e.contains("cf_nope"), "{e}");
    let e = c.fails(&["people", "list", "--filter", "cf_deal>lots"], 2);
    assert!(e.contains("filters[0].value"), "{e}");
    let e = c.fails(&["people", "list", "--filter", "cf_deal"], 2);
    assert!(e.contains("--filter[0]"), "{e}");
    let e = c.fails(&["people", "list", "--sort-field", "cf_nope"], 2);
    assert!(e.contains("sortField"), "{e}");
}
