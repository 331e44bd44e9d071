//! Introzy: a few hundred varied people pushed to the strict fake, with and without
//! faults: exactly once, every skip reported, idempotent second push, one update per edit.

mod common;

use carnet_core::Person;
use carnet_fakecrm::Provider;
use serde_json::{json, Value};

fn acceptable(p: &Person) -> bool {
    !p.emails.is_empty()
        && p.first_name
            .as_deref()
            .is_some_and(|f| !f.is_empty() && f.encode_utf16().count() <= 100)
}

fn check(p: &Person, r: &Value) {
    assert_eq!(r["email"], json!(p.emails[0].value));
    assert_eq!(r["firstName"], json!(p.first_name));
    assert_eq!(r["lastName"], json!(p.last_name));
    let phone = p
        .phones
        .first()
        .map(|ph| ph.e164.clone().unwrap_or(ph.value.clone()));
    assert_eq!(r["phoneNumber"], json!(phone));
    assert_eq!(r["company"]["name"].as_str(), p.company.as_deref());
    let cf = &r["customFields"];
    assert_eq!(cf["cf_job_title"].as_str(), p.job_title.as_deref());
    assert_eq!(
        cf.get("cf_favorite_color"),
        p.custom_fields.get("cf_favorite_color")
    );
    assert_eq!(cf.get("cf_tier"), p.custom_fields.get("cf_tier"));
    assert_eq!(
        cf.get("cf_budget").and_then(Value::as_f64),
        p.custom_fields.get("cf_budget").and_then(Value::as_f64)
    );
}

fn edit() -> Value {
    json!({"jobTitle": "Chief Ünicode Officer", "lastName": "Neu"})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn introzy_push_exactly_once() {
    let crm = common::start(Provider::Introzy, common::fake_options(Provider::Introzy)).await;
    common::full_scenario(&crm, false, acceptable, check, edit()).await;
    // The sync defined the custom fields it needed, once each.
    let keys: Vec<String> = crm
        .custom_fields()
        .iter()
        .map(|f| f["key"].as_str().unwrap_or("").to_string())
        .collect();
    for k in [
        "cf_job_title",
        "cf_favorite_color",
        "cf_budget",
        "cf_tier",
        "cf_birthday",
        "cf_website",
    ] {
        assert_eq!(
            keys.iter().filter(|x| *x == k).count(),
            1,
            "{k} in {keys:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn introzy_push_exactly_once_under_faults() {
    let crm = common::start(Provider::Introzy, common::fake_options(Provider::Introzy)).await;
    common::full_scenario(&crm, true, acceptable, check, edit()).await;
}
