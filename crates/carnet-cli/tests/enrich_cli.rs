//! `carnet enrich`, `jobs`, `suggestions`, `history` and `enrich-endpoint` on a temporary
//! database file, through the real binary. Offline: only local enrichers run unless an
//! endpoint is set, and none is.

mod common;
use common::Cli;

use serde_json::{json, Value};

impl Cli {
    /// JSON Lines output (enrich prints the queued job, then the finished one).
    fn lines(&self, args: &[&str]) -> Vec<Value> {
        self.ok(args)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn add(&self, person: Value) -> String {
        let p = self.json(&["people", "add", "--json", &person.to_string()]);
        p["id"].as_str().unwrap().to_string()
    }
}

#[test]
fn enrich_fills_the_done_when_person_and_records_sources() {
    let cli = Cli::new();
    let id =
        cli.add(json!({"emails": ["jane.doe@acme-robotics.com"], "phones": ["(415) 555-0101"]}));
    let out = cli.run(&["enrich", &id]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(lines[0]["personId"], id.as_str());
    assert_eq!(lines[0]["personEmail"], "jane.doe@acme-robotics.com");
    assert!(lines[0]["jobId"].is_string());
    assert_eq!(lines[1]["state"], "done");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("[1/1]"),
        "progress on stderr"
    );

    let p = cli.json(&["people", "get", &id, "--json"]);
    assert_eq!(p["firstName"], "Jane");
    assert_eq!(p["lastName"], "Doe");
    assert_eq!(p["company"], "Acme Robotics");
    assert_eq!(p["phones"][0]["e164"], "+14155550101");
    let c = cli.json(&[
        "companies",
        "get",
        p["companyId"].as_str().unwrap(),
        "--json",
    ]);
    assert_eq!(c["website"], "https://acme-robotics.com");

    let prov = cli.json(&["history", &id, "--provenance", "--json"]);
    let source = |f: &str| {
        prov.as_array()
            .unwrap()
            .iter()
            .find(|r| r["field"] == f)
            .map(|r| r["source"].as_str().unwrap().to_string())
    };
    assert_eq!(source("firstName").as_deref(), Some("local:email-name"));
    assert_eq!(source("lastName").as_deref(), Some("local:email-name"));
    assert_eq!(source("company").as_deref(), Some("local:email-domain"));
    assert_eq!(
        source("company.website").as_deref(),
        Some("local:email-domain")
    );
    assert_eq!(source("phones[0].e164").as_deref(), Some("local:phone"));
    let history = cli.json(&["history", &id, "--json"]);
    assert_eq!(history.as_array().unwrap().len(), 5);
}

#[test]
fn detached_jobs_run_later_and_cancel() {
    let cli = Cli::new();
    let a = cli.add(json!({"emails": ["ada.lovelace@analytical-engines.co.uk"]}));
    cli.add(json!({"firstName": "Bob", "emails": ["bob@gmail.com"]}));
    let queued = cli.lines(&["enrich", "--all", "--detach"]);
    assert_eq!(queued.len(), 1);
    let job_id = queued[0]["id"].as_str().unwrap().to_string();
    assert_eq!(queued[0]["state"], "queued");
    assert_eq!(queued[0]["total"], 2);
    assert_eq!(cli.json(&["jobs", "show", &job_id])["state"], "queued");

    let other = cli.lines(&["enrich", &a, "--detach"])[0]["jobId"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(cli.json(&["jobs", "cancel", &other])["state"], "cancelled");
    let again = cli.run(&["jobs", "cancel", &other]);
    assert_eq!(again.status.code(), Some(2));

    cli.ok(&["jobs", "run"]);
    let job = cli.json(&["jobs", "show", &job_id]);
    assert_eq!(job["state"], "done");
    assert_eq!(job["done"], 2);
    assert_eq!(cli.json(&["jobs", "show", &other])["state"], "cancelled");
    let list = cli.json(&["jobs", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    let p = cli.json(&["people", "get", &a, "--json"]);
    assert_eq!(p["company"], "Analytical Engines");
    assert_eq!(p["fullName"], "Ada Lovelace");

    let searched = cli.lines(&["enrich", "--search", "bob", "--detach"]);
    assert_eq!(searched[0]["kind"], "enrich_search");
    assert_eq!(searched[0]["total"], 1);
    assert_eq!(cli.run(&["enrich"]).status.code(), Some(2));
    assert_eq!(cli.run(&["enrich", "no-such-id"]).status.code(), Some(3));
}

#[test]
fn suggestions_are_reviewed_one_by_one_or_all() {
    let cli = Cli::new();
    let id = cli.add(json!({"firstName": "JANE", "lastName": "o'brien", "jobTitle": "cto", "emails": ["jane@acme-robotics.com"]}));
    cli.lines(&["enrich", &id]);
    let p = cli.json(&["people", "get", &id, "--json"]);
    assert_eq!(p["firstName"], "JANE", "nothing typed is overwritten");
    let pending = cli.json(&["suggestions", "list", &id, "--json"]);
    let list = pending.as_array().unwrap();
    assert_eq!(list.len(), 2, "{pending}");
    let last = list.iter().find(|s| s["field"] == "lastName").unwrap();
    assert_eq!(last["proposedValue"], "O'Brien");
    let first_id = list.iter().find(|s| s["field"] == "firstName").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    assert_eq!(
        cli.json(&["suggestions", "reject", &first_id])["state"],
        "rejected"
    );
    let accepted = cli.json(&["suggestions", "accept-all", &id]);
    assert_eq!(accepted.as_array().unwrap().len(), 1);
    let p = cli.json(&["people", "get", &id, "--json"]);
    assert_eq!(
        (p["firstName"].as_str(), p["lastName"].as_str()),
        (Some("JANE"), Some("O'Brien"))
    );
    assert!(cli
        .ok(&["suggestions", "list", &id])
        .contains("no suggestions"));
    let all = cli.json(&["suggestions", "list", "--all", "--json"]);
    assert_eq!(all.as_array().unwrap().len(), 2);
    let history = cli.json(&["history", &id, "--json"]);
    let h = history
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["origin"] == "suggestion")
        .unwrap();
    assert_eq!(
        (h["field"].as_str(), h["oldValue"].as_str()),
        (Some("lastName"), Some("o'brien"))
    );
    assert_eq!(
        cli.run(&["suggestions", "accept", &first_id]).status.code(),
        Some(2)
    );
}

#[test]
fn endpoint_setting() {
    let cli = Cli::new();
    assert_eq!(cli.json(&["enrich-endpoint"])["endpointUrl"], Value::Null);
    let set = cli.json(&["enrich-endpoint", "http://127.0.0.1:9/enrich"]);
    assert_eq!(set["endpointUrl"], "http://127.0.0.1:9/enrich");
    assert_eq!(
        cli.run(&["enrich-endpoint", "ftp://x.example"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        cli.json(&["enrich-endpoint", "--clear"])["endpointUrl"],
        Value::Null
    );
}
