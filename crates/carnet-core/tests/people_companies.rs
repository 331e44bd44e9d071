//! Companies of people on real SQLite files: created once by name and reused whatever
//! the case, and the rules of a company of its own.

mod common;

use carnet_core::{ErrorCode, PeopleQuery};
use common::people::*;
use common::store;
use serde_json::json;

#[test]
fn companies_by_name_are_created_once_and_reused_case_insensitively() {
    let (_d, mut s) = store();
    let a = s
        .create_person(&json!({"firstName": "A", "companyName": "Acme Robotics"}))
        .unwrap();
    let b = s
        .create_person(&json!({"firstName": "B", "companies": ["ACME robotics", {"name": "Beta"}]}))
        .unwrap();
    assert_eq!(a.company_id, b.company_id);
    assert_eq!(b.companies.len(), 2);
    assert_eq!(b.company.as_deref(), Some("Acme Robotics"));
    assert_eq!(count(&s, "companies"), 2);
    // A page of the list gives each person's companies in their order, primary first,
    // whatever the order of the company rows (Beta, created last, first here).
    let d = s
        .create_person(&json!({"firstName": "D", "companies": ["Beta", "Acme Robotics"]}))
        .unwrap();
    let page = s.list_people(&PeopleQuery::default()).unwrap();
    let names = |id: &str| -> Vec<String> {
        let p = page.items.iter().find(|p| p.id == id).unwrap();
        p.companies.iter().map(|c| c.name.clone()).collect()
    };
    assert_eq!(names(&b.id), ["Acme Robotics", "Beta"]);
    assert_eq!(names(&d.id), ["Beta", "Acme Robotics"]);
    let listed_d = page.items.iter().find(|p| p.id == d.id).unwrap();
    assert_eq!(listed_d.company.as_deref(), Some("Beta"));
    s.trash_person(&d.id).unwrap();
    s.purge_person(&d.id).unwrap();
    let c = s
        .create_person(&json!({"firstName": "C", "companyId": a.company_id}))
        .unwrap();
    assert_eq!(c.company.as_deref(), Some("Acme Robotics"));
    let acme = s.get_company(a.company_id.as_deref().unwrap()).unwrap();
    assert_eq!(acme.people_count, 3);
    // Trashing the company hides it on people; restoring brings it back.
    s.trash_company(&acme.id).unwrap();
    assert_eq!(s.get_person(&a.id).unwrap().company, None);
    s.restore_company(&acme.id).unwrap();
    assert_eq!(
        s.get_person(&a.id).unwrap().company.as_deref(),
        Some("Acme Robotics")
    );
}

#[test]
fn company_rules() {
    let (_d, mut s) = store();
    let c = s.create_company(&json!({"name": "Acme", "domain": "ACME.com", "website": "https://acme.com", "industry": "Robots"})).unwrap();
    assert_eq!(c.domain.as_deref(), Some("acme.com"));
    let e = s.create_company(&json!({"name": "acme"})).unwrap_err();
    assert_eq!(
        (e.code, e.existing_id.as_deref()),
        (ErrorCode::Conflict, Some(c.id.as_str()))
    );
    assert_eq!(
        s.create_company(&json!({"domain": "x.com"}))
            .unwrap_err()
            .field
            .as_deref(),
        Some("name")
    );
    assert_eq!(
        s.create_company(&json!({"name": "X", "domain": "https://x.com"}))
            .unwrap_err()
            .field
            .as_deref(),
        Some("domain")
    );
    assert_eq!(
        s.create_company(&json!({"name": "X", "size": 3}))
            .unwrap_err()
            .field
            .as_deref(),
        Some("size")
    );
    let u = s.update_company(&c.id, &json!({"industry": null})).unwrap();
    assert_eq!((u.industry, u.domain.as_deref()), (None, Some("acme.com")));
    s.trash_company(&c.id).unwrap();
    let again = s.create_company(&json!({"name": "ACME"})).unwrap();
    assert_eq!(
        s.restore_company(&c.id).unwrap_err().code,
        ErrorCode::Conflict
    );
    s.trash_company(&again.id).unwrap();
    s.purge_company(&again.id).unwrap();
    s.restore_company(&c.id).unwrap();
    let page = s.list_companies(&Default::default()).unwrap();
    assert_eq!(
        page.items
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        vec!["Acme"]
    );
}
