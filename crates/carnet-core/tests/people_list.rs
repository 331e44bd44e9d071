//! The people list on real SQLite files: Unicode-aware name order, created and updated
//! orders, limit and offset, search with accents folded, company and tag filters.

mod common;

use carnet_core::{PeopleQuery, PeopleSort};
use common::people::*;
use common::store;
use serde_json::json;

#[test]
fn list_sorts_by_unicode_aware_name_created_and_updated() {
    let (_d, mut s) = store();
    let mut ids = vec![];
    for n in ["Zed Zulu", "Åsa Åberg", "adam Smith", "Émile Zola", "bob"] {
        ids.push(s.create_person(&json!({"fullName": n})).unwrap().id);
    }
    assert_eq!(
        list(&s, PeopleQuery::default()),
        vec!["adam Smith", "Åsa Åberg", "bob", "Émile Zola", "Zed Zulu"]
    );
    let desc = list(
        &s,
        PeopleQuery {
            descending: true,
            ..Default::default()
        },
    );
    assert_eq!(desc.first().map(String::as_str), Some("Zed Zulu"));
    let created = list(
        &s,
        PeopleQuery {
            sort: PeopleSort::Created,
            ..Default::default()
        },
    );
    assert_eq!(
        created,
        vec!["Zed Zulu", "Åsa Åberg", "adam Smith", "Émile Zola", "bob"]
    );
    std::thread::sleep(std::time::Duration::from_millis(5));
    s.update_person(&ids[0], &json!({"jobTitle": "x"})).unwrap();
    let updated = list(
        &s,
        PeopleQuery {
            sort: PeopleSort::Updated,
            descending: true,
            ..Default::default()
        },
    );
    assert_eq!(updated[0], "Zed Zulu");
}

#[test]
fn limit_and_offset() {
    let (_d, mut s) = store();
    for i in 0..120 {
        s.create_person(&json!({"fullName": format!("P{i:03}")}))
            .unwrap();
    }
    let page = s.list_people(&PeopleQuery::default()).unwrap();
    assert_eq!((page.items.len(), page.total), (50, 120));
    let page = s
        .list_people(&PeopleQuery {
            limit: 100,
            offset: 100,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.items.len(), 20);
    assert_eq!(page.items[0].full_name, "P100");
    for bad in [0, 101] {
        let e = s
            .list_people(&PeopleQuery {
                limit: bad,
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("limit"));
    }
}

#[test]
fn search_by_name_email_phone_company_with_accents_folded() {
    let (_d, mut s) = store();
    s.create_person(&json!({"firstName": "Zoë", "lastName": "Ångström", "email": "zoe.a@nordic.se", "phones": ["+46 8 123 456 78"]})).unwrap();
    s.create_person(&json!({"firstName": "Jane", "lastName": "Doe", "email": "jane.doe@acme-robotics.com", "phones": ["(415) 555-0101"], "companyName": "Acme Robotics"})).unwrap();
    s.create_person(&json!({"firstName": "Straße", "lastName": "Müller"}))
        .unwrap();
    assert_eq!(search(&s, "zoe"), vec!["Zoë Ångström"]);
    assert_eq!(search(&s, "ANGST"), vec!["Zoë Ångström"]);
    assert_eq!(search(&s, "strasse"), vec!["Straße Müller"]);
    assert_eq!(search(&s, "jane.doe@acme"), vec!["Jane Doe"]);
    assert_eq!(search(&s, "robotics"), vec!["Jane Doe"]);
    for q in [
        "415 555 0101",
        "+1 (415) 555-0101",
        "4155550101",
        "555-0101",
    ] {
        assert_eq!(search(&s, q), vec!["Jane Doe"], "{q}");
    }
    assert_eq!(search(&s, "jane doe"), vec!["Jane Doe"]);
    assert!(search(&s, "jane zoe").is_empty(), "all words must match");
    assert!(
        search(&s, "\"*)(").is_empty(),
        "punctuation is not an FTS syntax error"
    );
}

#[test]
fn filter_by_company_and_tag() {
    let (_d, mut s) = store();
    let a = s
        .create_person(&json!({"fullName": "A", "companyName": "Acme", "tags": ["VIP"]}))
        .unwrap();
    s.create_person(&json!({"fullName": "B", "companyName": "Beta", "tags": ["vip"]}))
        .unwrap();
    s.create_person(&json!({"fullName": "C"})).unwrap();
    assert_eq!(
        list(
            &s,
            PeopleQuery {
                company_id: a.company_id.clone(),
                ..Default::default()
            }
        ),
        vec!["A"]
    );
    assert_eq!(
        list(
            &s,
            PeopleQuery {
                tag: Some("vip".into()),
                ..Default::default()
            }
        ),
        vec!["A", "B"]
    );
    // A company rename is searchable at once.
    s.update_company(
        a.company_id.as_deref().unwrap(),
        &json!({"name": "Acme Renamed"}),
    )
    .unwrap();
    assert_eq!(search(&s, "renamed"), vec!["A"]);
}
