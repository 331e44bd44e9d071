//! Shared by the per-CRM sync tests: a deterministic generator of varied people in a
//! temporary Store, the fault plan, the test config (short delays) and the assertions
//! every provider must pass (exactly once, every skip reported, second push writes
//! nothing, an edit is one update to the right id).
// The generator reads as modular arithmetic on purpose.
#![allow(dead_code, clippy::manual_is_multiple_of)]

use std::collections::HashSet;
use std::time::Duration;

use carnet_core::{FieldOption, FieldType, NewField, Person, Store};
use carnet_fakecrm::{Counts, FakeCrm, FakeCrmHandle, Fault, Options, Provider};
use carnet_sync::{
    headless_account, push, Account, ProviderKind, PushOptions, RunReport, SyncConfig, Token,
};
use serde_json::{json, Value};

pub const TOKEN: &str = "s3cr3t-test-token-7f1e";
pub const PEOPLE: usize = 240;

const FIRST: &[&str] = &[
    "Zoë",
    "Łukasz",
    "Мария",
    "José",
    "Anaïs",
    "Søren",
    "Ümit",
    "Chloé",
    "Björn",
    "Nguyễn",
    "Ana",
    "O'Neil",
];
const LAST: &[&str] = &[
    "Åberg",
    "Wójcik",
    "Иванова",
    "García",
    "Dubois",
    "Jørgensen",
    "Yılmaz",
    "Lefèvre",
    "Smith",
    "Trần",
    "Müller",
    "李",
];
const COMPANIES: &[&str] = &["Acme", "Société Générale", "Müller GmbH", "株式会社テスト"];

/// A temp database with the local custom-field schema and `n` varied people.
pub struct Fixture {
    pub _dir: tempfile::TempDir,
    pub path: std::path::PathBuf,
    pub store: Store,
}

pub fn fixture(n: usize) -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("carnet.db");
    let mut store = Store::open(&path).expect("open store");
    store
        .create_field(&NewField::new("Favorite color", FieldType::Text))
        .expect("field");
    store
        .create_field(&NewField::new("Budget", FieldType::Number))
        .expect("field");
    let mut tier = NewField::new("Tier", FieldType::SingleSelect);
    tier.options = vec![FieldOption::new("Gold"), FieldOption::new("Silver")];
    store.create_field(&tier).expect("field");
    for i in 0..n {
        let body = person_body(i);
        if let Err(e) = store.create_person(&body) {
            panic!("generator person {i} refused: {e}\n{body}");
        }
    }
    Fixture {
        _dir: dir,
        path,
        store,
    }
}

/// Person `i`: names with non-ASCII, 0-2 emails, 0-3 phones in mixed formats (some with
/// no E.164 form), companies, job titles, custom fields, a few edge cases.
pub fn person_body(i: usize) -> Value {
    let mut p = serde_json::Map::new();
    let first = FIRST[i % FIRST.len()];
    let last = LAST[(i / 3) % LAST.len()];
    let no_name = i % 17 == 5;
    if !no_name && i % 13 != 4 {
        let first = if i == 50 {
            "X".repeat(150)
        } else {
            first.to_string()
        };
        p.insert("firstName".into(), json!(first));
    }
    if !no_name {
        p.insert("lastName".into(), json!(last));
    }
    let mut emails = Vec::new();
    if no_name || i % 5 != 0 {
        emails.push(json!({"value": format!("p{i}.{}@example.com", i % 7), "label": "work"}));
    }
    if i % 7 == 1 {
        emails.push(json!({"value": format!("home{i}@mail.example.org"), "label": "home"}));
    }
    if !emails.is_empty() {
        p.insert("emails".into(), json!(emails));
    }
    let mut phones = Vec::new();
    let a = 10 + (i * 7) % 90;
    let b = 10 + (i * 13) % 90;
    let c = 10 + i % 90;
    match i % 6 {
        0 => {}
        1 => phones.push(json!({"value": format!("+33 6 12 {a} {b} {c}"), "label": "mobile"})),
        2 => phones.push(json!({"value": format!("+1 (212) 555-{:04}", 1000 + i)})),
        3 => {
            phones.push(json!({"value": format!("0033 6 {a}.{b}.{c}.{a}"), "label": "work"}));
            phones.push(json!({"value": format!("555-{c}"), "label": "home"}));
        }
        4 => phones.push(json!({"value": format!("555-{a}{b}")})),
        _ => {
            phones.push(json!({"value": format!("+44 7700 9{:05}", i)}));
            phones.push(json!({"value": format!("+49 151 {:08}", 20000000 + i)}));
        }
    }
    // A few people share a number with their neighbour (allowed locally, flagged).
    if i % 31 == 7 {
        phones.push(json!({"value": format!("+33 6 12 {} {} {}", 10 + ((i - 6) * 7) % 90, 10 + ((i - 6) * 13) % 90, 10 + (i - 6) % 90)}));
    }
    if !phones.is_empty() {
        p.insert("phones".into(), json!(phones));
    }
    if i % 3 != 2 {
        p.insert("companyName".into(), json!(COMPANIES[i % COMPANIES.len()]));
    }
    if i % 2 == 0 {
        p.insert("jobTitle".into(), json!(format!("Ingénieure {}", i % 5)));
    }
    if i % 9 == 0 {
        p.insert(
            "description".into(),
            json!("Met at the conférence; likes ☕."),
        );
    }
    if i % 10 == 0 {
        let d = if i % 20 == 0 {
            "--05-12".to_string()
        } else {
            format!("1980-05-{:02}", 1 + i % 28)
        };
        p.insert("birthday".into(), json!(d));
    }
    if i % 6 == 0 {
        p.insert(
            "urls".into(),
            json!([{"value": format!("https://example.com/{i}")}]),
        );
    }
    if i % 8 == 0 {
        p.insert(
            "addresses".into(),
            json!([{"value": format!("{i} rue de Rivoli, 75001 Paris, France")}]),
        );
    }
    if i % 12 == 0 {
        p.insert("tags".into(), json!(["vip"]));
    }
    let mut cf = serde_json::Map::new();
    if i % 4 == 1 {
        cf.insert(
            "cf_favorite_color".into(),
            json!(["blue", "vert", "赤"][i % 3]),
        );
    }
    if i % 5 == 2 {
        cf.insert("cf_budget".into(), json!(1000 * i));
    }
    if i % 3 == 0 {
        cf.insert(
            "cf_tier".into(),
            json!(if i % 2 == 0 { "Gold" } else { "Silver" }),
        );
    }
    if !cf.is_empty() {
        p.insert("customFields".into(), Value::Object(cf));
    }
    Value::Object(p)
}

/// Every live person of the store.
pub fn all_people(store: &Store) -> Vec<Person> {
    let mut out = Vec::new();
    let mut q = carnet_core::PeopleQuery {
        limit: 100,
        ..Default::default()
    };
    loop {
        let page = store.list_people(&q).expect("list");
        let n = page.items.len();
        out.extend(page.items);
        if n < 100 {
            return out;
        }
        q.offset += 100;
    }
}

pub fn test_config() -> SyncConfig {
    SyncConfig {
        concurrency: 4,
        timeout: Duration::from_millis(1500),
        max_attempts: 8,
        min_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(80),
        max_retry_after: Duration::from_secs(5),
    }
}

pub fn options() -> PushOptions {
    PushOptions {
        config: test_config(),
        ..PushOptions::default()
    }
}

pub fn kind(p: Provider) -> ProviderKind {
    p.as_str().parse().expect("provider")
}

pub async fn start(p: Provider, options: Options) -> FakeCrmHandle {
    FakeCrm::start(p, options).await.expect("fake crm")
}

pub fn fake_options(p: Provider) -> Options {
    let mut o = Options::with_token(TOKEN);
    if p == Provider::Folk {
        o.seed.groups = vec![json!({
            "name": "Carnet",
            "customFields": [
                {"name": "Favorite color", "type": "textField"},
                {"name": "Budget", "type": "numericField"},
                {"name": "Tier", "type": "singleSelect", "options": ["Gold", "Silver"]}
            ]
        })];
    }
    o
}

pub fn account(store: &mut Store, crm: &FakeCrmHandle) -> Account {
    let mut a = headless_account(store, kind(crm.provider()), &crm.base_url()).expect("account");
    if crm.provider() == Provider::Folk {
        a.settings = json!({"group": "Carnet"});
    }
    a
}

pub async fn push_all(store: &mut Store, account: &Account) -> RunReport {
    push(store, account, &Token::new(TOKEN), &options())
        .await
        .expect("push")
}

/// The remote id linked to each local person.
pub fn links(store: &Store, account: &Account) -> Vec<(String, String)> {
    let conn = store.connection();
    let mut stmt = conn
        .prepare("SELECT person_id, remote_id FROM sync_links WHERE account_id = ?1 AND remote_id IS NOT NULL")
        .expect("prepare");
    let rows = stmt
        .query_map([&account.id], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query");
    rows.map(|r| r.expect("row")).collect()
}

pub fn remote_id(store: &Store, account: &Account, person: &str) -> Option<String> {
    links(store, account)
        .into_iter()
        .find(|(p, _)| p == person)
        .map(|(_, r)| r)
}

pub fn record_id(v: &Value) -> String {
    match &v["id"] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Faults on creates and reads: 429 with Retry-After, 500/503, a slow answer beyond
/// the client timeout (processed), a drop before and drops after processing.
pub fn inject_faults(crm: &FakeCrmHandle) {
    let path = crm.provider().people_path().to_string();
    let path = path.as_str();
    crm.push_fault(Fault::rate_limited(1).on("POST", path).times(2));
    crm.push_fault(Fault::status(503).on("POST", path).skip(3));
    crm.push_fault(Fault::status(500).on("POST", path).skip(4).times(2));
    crm.push_fault(
        Fault::delay(Duration::from_millis(2500))
            .on("POST", path)
            .skip(6),
    );
    crm.push_fault(Fault::drop_before().on("POST", path).skip(9));
    crm.push_fault(Fault::drop_after().on("POST", path).skip(12).times(3));
    crm.push_fault(Fault::drop_after().on("POST", path).skip(40));
    // Allo reads through POST .../people/search, already covered above.
    if crm.provider() != Provider::Allo {
        crm.push_fault(Fault::status(502).on("GET", "/").skip(20));
    }
}

/// The checks every provider passes. `acceptable` says which local people the CRM can
/// take; `check` compares one local person with its remote record.
pub async fn full_scenario(
    crm: &FakeCrmHandle,
    faults: bool,
    acceptable: impl Fn(&Person) -> bool,
    check: impl Fn(&Person, &Value),
    edit: Value,
) {
    let mut fx = fixture(PEOPLE);
    let people = all_people(&fx.store);
    assert_eq!(people.len(), PEOPLE);
    let ok: HashSet<String> = people
        .iter()
        .filter(|p| acceptable(p))
        .map(|p| p.id.clone())
        .collect();
    assert!(ok.len() > 60, "varied data: {}", ok.len());
    let account = account(&mut fx.store, crm);
    if faults {
        inject_faults(crm);
    }
    let run = push_all(&mut fx.store, &account).await;
    let s = run.summary;
    assert_eq!(
        s.failed,
        0,
        "failures: {:#?}",
        run.items
            .iter()
            .filter(|i| i.reason.is_some() && i.outcome == carnet_sync::Outcome::Failed)
            .collect::<Vec<_>>()
    );
    assert_eq!(s.created as usize, ok.len(), "{s:?}");
    assert_eq!(s.skipped as usize, PEOPLE - ok.len(), "{s:?}");
    for item in &run.items {
        let acceptable = ok.contains(&item.person_id);
        assert_eq!(
            item.outcome == carnet_sync::Outcome::Skipped,
            !acceptable,
            "{item:?}"
        );
        if !acceptable {
            assert!(
                item.reason.as_deref().is_some_and(|r| !r.is_empty()),
                "{item:?}"
            );
        }
    }
    // What a CRM has no place for is reported, never silently dropped: no CRM has tags.
    for p in people
        .iter()
        .filter(|p| ok.contains(&p.id) && !p.tags.is_empty())
    {
        let item = run
            .items
            .iter()
            .find(|i| i.person_id == p.id)
            .expect("item");
        assert!(
            item.dropped
                .iter()
                .any(|d| d.field == "tags" && !d.reason.is_empty()),
            "{item:?}"
        );
    }
    // Exactly once: one stored record per acceptable person, distinct ids.
    let counts = crm.counts();
    assert_eq!(counts.creates as usize, ok.len(), "{counts:?}");
    assert_eq!(crm.people().len(), ok.len());
    let linked = links(&fx.store, &account);
    assert_eq!(linked.len(), ok.len());
    let distinct: HashSet<&String> = linked.iter().map(|(_, r)| r).collect();
    assert_eq!(distinct.len(), ok.len());
    if faults {
        assert!(
            crm.pending_faults().is_empty(),
            "unused faults: {:?}",
            crm.pending_faults()
        );
    }
    // Right fields.
    let remote = crm.people();
    for p in people.iter().filter(|p| ok.contains(&p.id)) {
        let id = remote_id(&fx.store, &account, &p.id).expect("linked");
        let record = remote.iter().find(|r| record_id(r) == id).expect("stored");
        check(p, record);
    }
    // A second push writes nothing.
    let before: Counts = crm.counts();
    let again = push_all(&mut fx.store, &account).await;
    assert_eq!(crm.counts(), before);
    assert_eq!(again.summary.unchanged as usize, ok.len());
    assert_eq!(
        again.summary.created + again.summary.updated + again.summary.failed,
        0
    );
    // An edit is exactly one update, to the right remote id (with a lost answer when
    // faults are on: the update is retried, which is safe, and still one record).
    let target = people
        .iter()
        .find(|p| ok.contains(&p.id) && p.job_title.is_some())
        .expect("someone to edit");
    fx.store.update_person(&target.id, &edit).expect("edit");
    let target_remote = remote_id(&fx.store, &account, &target.id).expect("linked");
    if faults {
        crm.push_fault(Fault::status(503).on("PUT", "/"));
        crm.push_fault(Fault::rate_limited(1).on("PATCH", "/"));
    }
    let n_requests = crm.requests().len();
    let third = push_all(&mut fx.store, &account).await;
    assert_eq!(
        third.summary.updated,
        1,
        "{:?} {:?}",
        third.summary,
        third
            .items
            .iter()
            .filter(|i| i.outcome != carnet_sync::Outcome::Unchanged
                && i.outcome != carnet_sync::Outcome::Skipped)
            .collect::<Vec<_>>()
    );
    assert_eq!(third.summary.unchanged as usize, ok.len() - 1);
    assert_eq!(crm.counts().updates, before.updates + 1);
    assert_eq!(crm.counts().creates, before.creates);
    let writes: Vec<_> = crm.requests()[n_requests..]
        .iter()
        .filter(|r| r.method == "PUT" || r.method == "PATCH")
        .filter(|r| r.status.is_some_and(|s| s < 300))
        .cloned()
        .collect();
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert!(
        writes[0].path.ends_with(&format!("/{target_remote}")),
        "{:?}",
        writes[0]
    );
    let edited = fx.store.get_person(&target.id).expect("person");
    let record = crm.person(&target_remote).expect("remote");
    check(&edited, &record);
}
