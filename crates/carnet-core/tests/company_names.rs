//! Pages of people name their companies from a per-connection cache (`company_names`): it
//! follows every change to a company, made on this connection or another, committed or
//! rolled back, and companies an import creates.

use carnet_core::{PeopleQuery, Store};
use serde_json::json;

/// `(person, company)` for every person on the first page, in name order.
fn page(s: &Store) -> Vec<(String, Option<String>)> {
    s.list_people(&PeopleQuery::default())
        .unwrap()
        .items
        .into_iter()
        .map(|p| (p.full_name, p.company))
        .collect()
}

/// The company id of every person on the first page.
fn page_ids(s: &Store) -> Vec<String> {
    s.list_people(&PeopleQuery::default())
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.company_id.unwrap_or_default())
        .collect()
}

fn pair(person: &str, company: Option<&str>) -> (String, Option<String>) {
    (person.to_string(), company.map(str::to_string))
}

#[test]
fn a_page_follows_renames_trash_and_other_connections() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut s = Store::open(&path).unwrap();
    let a = s
        .create_person(&json!({"fullName": "Ann", "company": "Acme"}))
        .unwrap();
    s.create_person(&json!({"fullName": "Bob", "companies": ["Beta", "Acme"]}))
        .unwrap();
    assert_eq!(
        page(&s),
        [pair("Ann", Some("Acme")), pair("Bob", Some("Beta"))]
    );
    let acme = a.company_id.unwrap();
    let beta = page_ids(&s)[1].clone();

    // Changes on this connection.
    s.update_company(&acme, &json!({"name": "Acme Robotics"}))
        .unwrap();
    assert_eq!(page(&s)[0], pair("Ann", Some("Acme Robotics")));
    s.trash_company(&beta).unwrap();
    assert_eq!(page(&s)[1], pair("Bob", Some("Acme Robotics")));
    s.restore_company(&beta).unwrap();
    assert_eq!(page(&s)[1], pair("Bob", Some("Beta")));

    // Changes on another connection, after this one's cache was filled.
    let mut other = Store::open(&path).unwrap();
    other
        .update_company(&beta, &json!({"name": "Beta Labs"}))
        .unwrap();
    assert_eq!(page(&s)[1], pair("Bob", Some("Beta Labs")));
    // A company this cache has never seen.
    other
        .create_person(&json!({"fullName": "Cy", "company": "Gamma"}))
        .unwrap();
    assert_eq!(page(&s)[2], pair("Cy", Some("Gamma")));
    // A person edit elsewhere changes no company; the page is still right.
    other
        .update_person(&a.id, &json!({"fullName": "Ann Lee"}))
        .unwrap();
    assert_eq!(page(&s)[0], pair("Ann Lee", Some("Acme Robotics")));
}

#[test]
fn a_rolled_back_rename_is_forgotten_even_when_another_change_follows() {
    let mut s = Store::open_in_memory().unwrap();
    let a = s
        .create_person(&json!({"fullName": "Ann", "company": "Acme"}))
        .unwrap();
    s.create_person(&json!({"fullName": "Bob", "company": "Beta"}))
        .unwrap();
    let acme = a.company_id.unwrap();
    let beta = page_ids(&s)[1].clone();
    // The page is read inside a transaction that renames Acme, then rolled back.
    s.connection()
        .execute_batch("BEGIN; UPDATE companies SET name = 'Acme Renamed' WHERE name = 'Acme';")
        .unwrap();
    assert_eq!(page(&s)[0], pair("Ann", Some("Acme Renamed")));
    s.connection().execute_batch("ROLLBACK").unwrap();
    // One other change: a counter would be back at the value the cache was filled under.
    s.update_company(&beta, &json!({"name": "Beta Labs"}))
        .unwrap();
    assert_eq!(
        page(&s),
        [pair("Ann", Some("Acme")), pair("Bob", Some("Beta Labs"))]
    );
    assert_eq!(s.get_company(&acme).unwrap().name, "Acme");
}

#[test]
fn companies_an_import_creates_are_named_on_the_next_page() {
    let mut s = Store::open_in_memory().unwrap();
    s.create_person(&json!({"fullName": "Ann", "company": "Acme"}))
        .unwrap();
    assert_eq!(page(&s), [pair("Ann", Some("Acme"))]);
    let csv = "Name,Organization Name\nBob,Beta\nCy,Gamma\n";
    let r = s
        .import_bytes(
            csv.as_bytes(),
            &carnet_core::ImportOptions {
                format: Some(carnet_core::Format::Csv),
                ..Default::default()
            },
            &mut |_, _| {},
            &std::sync::atomic::AtomicBool::new(false),
        )
        .unwrap();
    assert!(r.committed, "{r:?}");
    assert_eq!(
        page(&s),
        [
            pair("Ann", Some("Acme")),
            pair("Bob", Some("Beta")),
            pair("Cy", Some("Gamma"))
        ]
    );
}
