//! folk: a few hundred varied people pushed to the strict fake, with and without faults.

mod common;

use carnet_core::Person;
use carnet_fakecrm::Provider;
use serde_json::{json, Value};

fn check(p: &Person, r: &Value) {
    assert_eq!(
        r["firstName"],
        json!(p.first_name.clone().unwrap_or_default())
    );
    assert_eq!(
        r["lastName"],
        json!(p.last_name.clone().unwrap_or_default())
    );
    let emails: Vec<&str> = p.emails.iter().map(|e| e.value.as_str()).collect();
    assert_eq!(r["emails"], json!(emails));
    let phones: Vec<String> = p
        .phones
        .iter()
        .map(|ph| ph.e164.clone().unwrap_or(ph.value.clone()))
        .collect();
    assert_eq!(r["phones"], json!(phones));
    assert_eq!(
        r["jobTitle"],
        json!(p.job_title.clone().unwrap_or_default())
    );
    let companies: Vec<&str> = r["companies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let local: Vec<&str> = p.companies.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(companies, local);
    let values = r["customFieldValues"].as_object().unwrap();
    let group = values.values().next().cloned().unwrap_or(json!({}));
    assert_eq!(
        group.get("Favorite color"),
        p.custom_fields.get("cf_favorite_color")
    );
    assert_eq!(group.get("Tier"), p.custom_fields.get("cf_tier"));
    assert_eq!(
        group
            .get("Budget")
            .and_then(|v| v.as_str())
            .and_then(|s| s.parse::<f64>().ok()),
        p.custom_fields.get("cf_budget").and_then(Value::as_f64)
    );
}

fn edit() -> Value {
    json!({"jobTitle": "Chief Ünicode Officer", "lastName": "Neu", "customFields": {"cf_tier": null}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn folk_push_exactly_once() {
    let crm = common::start(Provider::Folk, common::fake_options(Provider::Folk)).await;
    common::full_scenario(&crm, false, |_| true, check, edit()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn folk_push_exactly_once_under_faults() {
    let crm = common::start(Provider::Folk, common::fake_options(Provider::Folk)).await;
    common::full_scenario(&crm, true, |_| true, check, edit()).await;
}
