//! Matching before create: a record already on the CRM (same email, or for Allo the same
//! number) is linked and brought up to date, never duplicated.

mod common;

use carnet_fakecrm::{Provider, Seed};
use carnet_sync::Outcome;
use serde_json::{json, Value};

const EMAIL: &str = "p1.1@example.com";
const NUMBER: &str = "+33612172311";

fn seed(p: Provider) -> Value {
    match p {
        Provider::Introzy => json!({"email": EMAIL, "firstName": "Old", "lastName": null,
            "phoneNumber": null, "customFields": {}, "isFullUser": false}),
        Provider::Folk => json!({"firstName": "Old", "lastName": "", "fullName": "Old",
            "emails": [EMAIL], "phones": [], "groups": [], "companies": [], "customFieldValues": {}}),
        Provider::Allo => {
            json!({"name": "Old", "last_name": null, "numbers": [NUMBER], "emails": []})
        }
        Provider::Pipedrive => json!({"name": "Old",
            "email": [{"value": EMAIL, "primary": true, "label": "work"}],
            "phone": [{"value": "", "primary": true}]}),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn existing_remote_records_are_linked_not_duplicated() {
    for provider in Provider::ALL {
        let mut options = common::fake_options(provider);
        options.seed = Seed {
            people: vec![seed(provider)],
            ..options.seed
        };
        let crm = common::start(provider, options).await;
        let seeded = common::record_id(&crm.people()[0]);
        let mut fx = common::fixture(12);
        let account = common::account(&mut fx.store, &crm);
        let run = common::push_all(&mut fx.store, &account).await;
        assert_eq!(run.summary.failed, 0, "{provider}: {:?}", run.items);
        let item = run
            .items
            .iter()
            .find(|i| i.remote_id.as_deref() == Some(seeded.as_str()))
            .unwrap_or_else(|| panic!("{provider}: seeded record not linked: {:#?}", run.items));
        assert_eq!(item.outcome, Outcome::Updated, "{provider}");
        assert!(
            item.reason.as_deref().unwrap_or("").contains("linked"),
            "{provider}"
        );
        let sent = (run.summary.created + run.summary.updated) as usize;
        assert_eq!(
            crm.people().len(),
            sent,
            "{provider}: one record per person"
        );
        assert_eq!(crm.counts().creates as usize, sent - 1, "{provider}");
        assert_ne!(crm.person(&seeded).expect("kept")["name"], json!("Old"));
    }
}
