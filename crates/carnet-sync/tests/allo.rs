//! Allo: a few hundred varied people pushed to the strict fake, with and without faults;
//! people without an E.164 number or a name are skipped with the reason.

mod common;

use carnet_core::Person;
use carnet_fakecrm::Provider;
use serde_json::{json, Value};

fn numbers(p: &Person) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in p.phones.iter().filter_map(|ph| ph.e164.clone()) {
        if !out.contains(&e) {
            out.push(e);
        }
    }
    out
}

fn acceptable(p: &Person) -> bool {
    !numbers(p).is_empty() && !p.full_name.trim().is_empty()
}

fn check(p: &Person, r: &Value) {
    match (&p.first_name, &p.last_name) {
        (None, None) => assert_eq!(r["name"], json!(p.full_name)),
        (f, l) => {
            assert_eq!(r["name"], json!(f));
            assert_eq!(r["last_name"], json!(l));
        }
    }
    assert_eq!(r["numbers"], json!(numbers(p)));
    assert_eq!(r["job_title"], json!(p.job_title));
    let emails: Vec<&str> = p.emails.iter().map(|e| e.value.as_str()).collect();
    assert_eq!(r["emails"], json!(emails));
}

fn edit() -> Value {
    json!({"jobTitle": "Chief Ünicode Officer", "lastName": "Neu"})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allo_push_exactly_once() {
    let crm = common::start(Provider::Allo, common::fake_options(Provider::Allo)).await;
    common::full_scenario(&crm, false, acceptable, check, edit()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allo_push_exactly_once_under_faults() {
    let crm = common::start(Provider::Allo, common::fake_options(Provider::Allo)).await;
    common::full_scenario(&crm, true, acceptable, check, edit()).await;
}
