//! Pipedrive: a few hundred varied people pushed to the strict fake, with and without
//! faults; job title, company and custom fields land in personFields the sync defines.

mod common;

use carnet_core::Person;
use carnet_fakecrm::{FakeCrmHandle, Provider};
use serde_json::{json, Value};

fn acceptable(p: &Person) -> bool {
    !p.full_name.trim().is_empty()
}

fn values(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["value"].as_str())
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

fn checker(crm: &FakeCrmHandle) -> impl Fn(&Person, &Value) {
    let fields = crm.custom_fields();
    let key = move |name: &str| {
        let found: Vec<&Value> = fields.iter().filter(|f| f["name"] == json!(name)).collect();
        assert_eq!(found.len(), 1, "one personField {name}");
        found[0]["key"].as_str().unwrap().to_string()
    };
    let (job, company, color) = (key("Job title"), key("Company"), key("Favorite color"));
    move |p: &Person, r: &Value| {
        assert_eq!(r["name"], json!(p.full_name));
        let emails: Vec<String> = p.emails.iter().map(|e| e.value.clone()).collect();
        assert_eq!(values(&r["email"]), emails);
        let phones: Vec<String> = p
            .phones
            .iter()
            .map(|ph| ph.e164.clone().unwrap_or(ph.value.clone()))
            .collect();
        assert_eq!(values(&r["phone"]), phones);
        assert_eq!(r[&job].as_str(), p.job_title.as_deref());
        assert_eq!(
            r[&company].as_str(),
            p.companies.first().map(|c| c.name.as_str())
        );
        assert_eq!(
            r.get(&color).filter(|v| !v.is_null()),
            p.custom_fields.get("cf_favorite_color")
        );
    }
}

fn edit() -> Value {
    json!({"jobTitle": "Chief Ünicode Officer", "lastName": "Neu"})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipedrive_push_exactly_once() {
    let crm = common::start(
        Provider::Pipedrive,
        common::fake_options(Provider::Pipedrive),
    )
    .await;
    let crm2 = &crm;
    let check = move |p: &Person, r: &Value| checker(crm2)(p, r);
    common::full_scenario(&crm, false, acceptable, check, edit()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipedrive_push_exactly_once_under_faults() {
    let crm = common::start(
        Provider::Pipedrive,
        common::fake_options(Provider::Pipedrive),
    )
    .await;
    let crm2 = &crm;
    let check = move |p: &Person, r: &Value| checker(crm2)(p, r);
    common::full_scenario(&crm, true, acceptable, check, edit()).await;
}
