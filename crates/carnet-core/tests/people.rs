//! Integration tests of people on real SQLite files: every rule of the core issue
//! (the list, search and filters are in `people_list.rs`, companies in `people_companies.rs`).

mod common;

use carnet_core::{ErrorCode, FieldType, PeopleQuery, Store};
use common::people::*;
use common::store;
use serde_json::{json, Value};

#[test]
fn create_get_and_reopen() {
    let (dir, mut s) = store();
    let p = s
        .create_person(&json!({
            "firstName": "Jane", "lastName": "Doe", "jobTitle": "CTO",
            "emails": [{"value": "jane@acme.com", "label": "work"}, "jane@home.org"],
            "birthday": "--04-12", "tags": ["vip", "VIP", "friend"]
        }))
        .unwrap();
    assert_eq!(p.full_name, "Jane Doe");
    assert_eq!(p.emails[0].label.as_deref(), Some("work"));
    assert_eq!(
        p.tags,
        vec!["vip", "friend"],
        "tags are de-duplicated case-insensitively"
    );
    assert_eq!(uuid::Uuid::parse_str(&p.id).unwrap().get_version_num(), 7);
    drop(s);
    let s = Store::open(&dir.path().join("carnet.db")).unwrap();
    let again = s.get_person(&p.id).unwrap();
    assert_eq!(again, {
        let mut q = p.clone();
        q.warnings.clear();
        q
    });
}

#[test]
fn json_shape_is_camel_case() {
    let (_d, mut s) = store();
    let p = s
        .create_person(&json!({"firstName": "A", "email": "a@b.co"}))
        .unwrap();
    let v = serde_json::to_value(&p).unwrap();
    for k in [
        "id",
        "firstName",
        "lastName",
        "fullName",
        "jobTitle",
        "emails",
        "phones",
        "addresses",
        "urls",
        "companyId",
        "companies",
        "tags",
        "customFields",
        "createdAt",
        "updatedAt",
        "deletedAt",
    ] {
        assert!(v.get(k).is_some(), "missing {k} in {v}");
    }
}

#[test]
fn a_person_needs_a_name_or_an_email() {
    let (_d, mut s) = store();
    let e = s.create_person(&json!({"jobTitle": "CTO"})).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::Validation, Some("firstName"))
    );
    assert!(s.create_person(&json!({"email": "only@email.com"})).is_ok());
    assert!(s.create_person(&json!({"lastName": "Only"})).is_ok());
    // A PATCH cannot remove the last name and email either.
    let p = s.create_person(&json!({"firstName": "X"})).unwrap();
    let e = s
        .update_person(&p.id, &json!({"firstName": null}))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
}

#[test]
fn length_limits_name_the_field() {
    let (_d, mut s) = store();
    let long = "x".repeat(501);
    let e = s.create_person(&json!({"firstName": long})).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("firstName"));
    assert!(e.message.contains("501"), "{e}");
    let e = s
        .create_person(&json!({"firstName": "a", "lastName": "y".repeat(501)}))
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("lastName"));
    let e = s
        .create_person(&json!({"fullName": "z".repeat(1001)}))
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("fullName"));
    assert!(
        s.create_person(&json!({"firstName": "é".repeat(500)}))
            .is_ok(),
        "limits count characters, not bytes"
    );
    let emails: Vec<String> = (0..21).map(|i| format!("p{i}@x.io")).collect();
    let e = s
        .create_person(&json!({"firstName": "a", "emails": emails}))
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("emails"));
    assert_eq!(count(&s, "people"), 1);
}

#[test]
fn invalid_values_name_their_path() {
    let (_d, mut s) = store();
    let cases = [
        (
            json!({"firstName": "a", "emails": ["ok@x.io", "nope"]}),
            "emails[1].value",
        ),
        (
            json!({"firstName": "a", "phones": ["call me"]}),
            "phones[0].value",
        ),
        (
            json!({"firstName": "a", "urls": ["not a url"]}),
            "urls[0].value",
        ),
        (
            json!({"firstName": "a", "birthday": "1990-02-30"}),
            "birthday",
        ),
        (
            json!({"firstName": "a", "latitude": 91, "longitude": 0}),
            "latitude",
        ),
        (
            json!({"firstName": "a", "companyId": "nope"}),
            "companies[0].id",
        ),
        (
            json!({"firstName": "a", "emails": ["a@x.io", "A@x.io"]}),
            "emails[1].value",
        ),
        (json!({"firstName": "a", "nickname": "b"}), "nickname"),
    ];
    for (body, field) in cases {
        let e = s.create_person(&body).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::Validation, Some(field)),
            "{body}: {e}"
        );
        assert!(!e.message.is_empty());
    }
    assert_eq!(count(&s, "people"), 0);
}

#[test]
fn bad_input_writes_nothing_not_even_a_company() {
    let (_d, mut s) = store();
    let e = s
        .create_person(&json!({"firstName": "a", "companyName": "NewCo", "emails": ["bad"]}))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert_eq!(count(&s, "companies"), 0);
    assert_eq!(count(&s, "people"), 0);
    assert_eq!(count(&s, "people_fts"), 0);
    // A conflict found after the company was resolved rolls the company back too.
    s.create_person(&json!({"email": "taken@x.io"})).unwrap();
    let e = s
        .create_person(&json!({"email": "TAKEN@x.io", "companyName": "OtherCo"}))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert_eq!(count(&s, "companies"), 0);
}

#[test]
fn same_email_on_a_second_live_person_is_a_conflict_naming_the_first() {
    let (_d, mut s) = store();
    let a = s
        .create_person(&json!({"firstName": "Ann", "email": "ann@acme.com"}))
        .unwrap();
    let e = s
        .create_person(&json!({"firstName": "Other", "emails": ["x@y.io", "ANN@Acme.com"]}))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert_eq!(e.field.as_deref(), Some("emails[1].value"));
    assert_eq!(e.existing_id.as_deref(), Some(a.id.as_str()));
    assert!(
        e.message.contains(&a.id) && e.message.contains("Ann"),
        "{e}"
    );
    // Updating someone else to that email conflicts too; updating Ann herself does not.
    let b = s.create_person(&json!({"firstName": "Bob"})).unwrap();
    assert_eq!(
        s.update_person(&b.id, &json!({"email": "ann@acme.com"}))
            .unwrap_err()
            .code,
        ErrorCode::Conflict
    );
    assert!(s
        .update_person(&a.id, &json!({"emails": ["ANN@acme.com"]}))
        .is_ok());
    // Trashed people do not hold their email; restoring then conflicts.
    s.trash_person(&a.id).unwrap();
    let c = s
        .create_person(&json!({"firstName": "Cat", "email": "ann@acme.com"}))
        .unwrap();
    let e = s.restore_person(&a.id).unwrap_err();
    assert_eq!(
        (e.code, e.existing_id.as_deref()),
        (ErrorCode::Conflict, Some(c.id.as_str()))
    );
}

#[test]
fn phones_get_e164_and_equal_numbers_are_flagged() {
    let (_d, mut s) = store();
    let a = s
        .create_person(&json!({"firstName": "A", "phones": ["(415) 555-0101"]}))
        .unwrap();
    assert_eq!(a.phones[0].e164.as_deref(), Some("+14155550101"));
    assert_eq!(a.phones[0].value, "(415) 555-0101", "raw text is kept");
    let b = s
        .create_person(
            &json!({"firstName": "B", "phones": [{"value": "+1 415-555-0101", "label": "mobile"}]}),
        )
        .unwrap();
    assert_eq!(
        b.warnings.len(),
        1,
        "same number in another format is recognised"
    );
    assert_eq!(b.warnings[0].code, "duplicate_phone");
    assert_eq!(b.warnings[0].other_id.as_deref(), Some(a.id.as_str()));
    assert_eq!(count(&s, "people"), 2, "a shared phone is allowed");
}

#[test]
fn phone_region_comes_from_the_address_or_the_setting() {
    let (_d, mut s) = store();
    let p = s.create_person(&json!({"firstName": "Luc", "phones": ["06 12 34 56 78"], "addresses": [{"street": "1 rue X", "city": "Paris", "country": "France"}]})).unwrap();
    assert_eq!(p.phones[0].e164.as_deref(), Some("+33612345678"));
    let q = s
        .create_person(&json!({"firstName": "Max", "phones": ["030 1234567"]}))
        .unwrap();
    assert_eq!(q.phones[0].e164, None, "not a valid US number");
    s.set_default_region("de").unwrap();
    let r = s
        .create_person(&json!({"firstName": "Max2", "phones": ["030 1234567"]}))
        .unwrap();
    assert_eq!(r.phones[0].e164.as_deref(), Some("+49301234567"));
    assert_eq!(
        s.set_default_region("XX").unwrap_err().field.as_deref(),
        Some("defaultRegion")
    );
}

#[test]
fn patch_changes_only_given_fields_merges_custom_fields_and_null_unsets() {
    let (_d, mut s) = store();
    // Custom values need a field definition (issue 3); the keys come from the labels.
    define(&mut s, "a", FieldType::Text, &[]);
    define(&mut s, "b", FieldType::Number, &[]);
    define(&mut s, "c", FieldType::Boolean, &[]);
    let p = s
        .create_person(&json!({"firstName": "Jo", "lastName": "March", "jobTitle": "Writer", "email": "jo@march.com",
            "customFields": {"cf_a": "1", "cf_b": 2}}))
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    let u = s
        .update_person(
            &p.id,
            &json!({"jobTitle": null, "customFields": {"cf_b": null, "cf_c": true}}),
        )
        .unwrap();
    assert_eq!(u.first_name.as_deref(), Some("Jo"));
    assert_eq!(u.emails, p.emails);
    assert_eq!(u.job_title, None);
    assert_eq!(
        Value::Object(u.custom_fields.clone()),
        json!({"cf_a": "1", "cf_c": true})
    );
    assert!(u.updated_at > p.updated_at);
    assert_eq!(u.created_at, p.created_at);
    // An explicit full name wins until it is unset, then it is derived again.
    let u = s
        .update_person(&p.id, &json!({"fullName": "Josephine March"}))
        .unwrap();
    assert_eq!(u.full_name, "Josephine March");
    let u = s
        .update_person(&p.id, &json!({"lastName": "Bhaer"}))
        .unwrap();
    assert_eq!(u.full_name, "Josephine March");
    let u = s.update_person(&p.id, &json!({"fullName": null})).unwrap();
    assert_eq!(u.full_name, "Jo Bhaer");
    // A PATCH that changes nothing does not bump updatedAt.
    let again = s.update_person(&p.id, &json!({"firstName": "Jo"})).unwrap();
    assert_eq!(again.updated_at, u.updated_at);
    assert_eq!(
        s.update_person("nope", &json!({})).unwrap_err().code,
        ErrorCode::NotFound
    );
}

#[test]
fn trash_restore_purge() {
    let (_d, mut s) = store();
    let p = s
        .create_person(&json!({"firstName": "T", "email": "t@x.io"}))
        .unwrap();
    s.create_note(&p.id, "hello").unwrap();
    let t = s.trash_person(&p.id).unwrap();
    assert!(t.deleted_at.is_some());
    assert!(list(&s, PeopleQuery::default()).is_empty());
    assert_eq!(
        list(
            &s,
            PeopleQuery {
                trashed: true,
                ..Default::default()
            }
        ),
        vec!["T"]
    );
    assert!(
        search(&s, "t@x.io").is_empty(),
        "trash is not searched with live people"
    );
    assert_eq!(
        s.update_person(&p.id, &json!({"firstName": "U"}))
            .unwrap_err()
            .code,
        ErrorCode::Validation
    );
    assert_eq!(s.trash_person(&p.id).unwrap_err().code, ErrorCode::NotFound);
    s.restore_person(&p.id).unwrap();
    assert_eq!(list(&s, PeopleQuery::default()), vec!["T"]);
    assert_eq!(
        s.purge_person(&p.id).unwrap_err().code,
        ErrorCode::Validation,
        "purge only from the trash"
    );
    s.trash_person(&p.id).unwrap();
    s.purge_person(&p.id).unwrap();
    assert_eq!(s.get_person(&p.id).unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(count(&s, "notes"), 0);
    assert_eq!(count(&s, "person_emails"), 0);
}

#[test]
fn the_crm_seed_payloads_are_accepted_without_loss() {
    let (_d, mut s) = store();
    // The payloads' custom fields, defined as each CRM's workspace would have them.
    define(&mut s, "Favorite color", FieldType::Text, &[]);
    define(
        &mut s,
        "Status",
        FieldType::SingleSelect,
        &["Active", "Inactive"],
    );
    define(
        &mut s,
        "Programming languages",
        FieldType::MultiSelect,
        &["Javascript", "Python", "Rust"],
    );
    // Introzy POST /api/people example.
    let i = s
        .create_person(&json!({"email": "john@acme.com", "firstName": "John", "lastName": "Doe", "phoneNumber": "+1-555-123-4567",
            "companyName": "Acme Inc", "address": "123 Main St, Springfield", "customFields": {"cf_favorite_color": "blue"}}))
        .unwrap();
    assert_eq!(
        (
            i.emails[0].value.as_str(),
            i.company.as_deref(),
            i.addresses[0].value.as_str()
        ),
        (
            "john@acme.com",
            Some("Acme Inc"),
            "123 Main St, Springfield"
        )
    );
    assert_eq!(i.phones[0].value, "+1-555-123-4567");
    // folk POST /v1/people example.
    let f = s
        .create_person(&json!({"firstName": "John", "lastName": "Doe", "fullName": "John Doe", "description": "A brief description of the person.",
            "birthday": "1990-01-01", "jobTitle": "Software Engineer", "groups": [{"id": "grp_5fa60242-0756-4e31-8cca-30c2c5ff1ac2"}],
            "companies": [{"name": "Tech Corp"}], "addresses": ["123 Main St, Springfield, USA", "456 Main St, Springfield, USA"],
            "emails": ["john@example.com", "john@techcorp.com"], "phones": ["+1234567890", "+0987654321"],
            "urls": ["https://example.com", "https://example.com/about"],
            "customFieldValues": {"grp_5fa60242-0756-4e31-8cca-30c2c5ff1ac2": {"Status": "Active", "Programming languages": ["Javascript", "Python"]}}}))
        .unwrap();
    assert_eq!(
        (
            f.addresses.len(),
            f.emails.len(),
            f.phones.len(),
            f.urls.len()
        ),
        (2, 2, 2, 2)
    );
    assert_eq!(
        f.custom_fields["cf_programming_languages"],
        json!(["Javascript", "Python"])
    );
    assert_eq!(f.birthday.as_deref(), Some("1990-01-01"));
    // Allo POST /v2/api/crm/people example.
    let a = s
        .create_person(&json!({"name": "Jean", "last_name": "Dupont", "job_title": "CEO", "website": "https://example.com",
            "address": "123 Main St", "numbers": ["+33612345678"], "emails": ["jean@example.fr"]}))
        .unwrap();
    assert_eq!(
        (a.first_name.as_deref(), a.job_title.as_deref()),
        (Some("Jean"), Some("CEO"))
    );
    assert_eq!(a.phones[0].e164.as_deref(), Some("+33612345678"));
    // Pipedrive POST /persons example.
    let p = s
        .create_person(&json!({"name": "Will Smith", "owner_id": 123, "org_id": 1234, "visible_to": "3", "marketing_status": "no_consent",
            "email": [{"value": "will@email.com", "primary": true, "label": "work"}],
            "phone": [{"value": "12345", "primary": true, "label": "work"}]}))
        .unwrap();
    assert_eq!(p.full_name, "Will Smith");
    assert_eq!(p.phones[0].label.as_deref(), Some("work"));
}

#[test]
fn notes_newest_first() {
    let (_d, mut s) = store();
    let p = s.create_person(&json!({"firstName": "N"})).unwrap();
    let a = s.create_note(&p.id, "first").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(3));
    let b = s.create_note(&p.id, "second").unwrap();
    let notes = s.list_notes(&p.id).unwrap();
    assert_eq!(
        notes.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(),
        vec![b.id.as_str(), a.id.as_str()]
    );
    let e = s.create_note(&p.id, "   ").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("body"));
    assert_eq!(s.update_note(&a.id, "edited").unwrap().body, "edited");
    s.delete_note(&a.id).unwrap();
    assert_eq!(s.delete_note(&a.id).unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(
        s.create_note("missing", "x").unwrap_err().code,
        ErrorCode::NotFound
    );
}

/// Row ids of a person's lookup rows: a row deleted and written again gets a new one.
fn lookup_rowids(s: &Store, id: &str) -> Vec<i64> {
    let mut out = vec![];
    for table in [
        "person_emails",
        "person_phones",
        "person_tags",
        "person_companies",
    ] {
        let sql = format!(
            "SELECT rowid FROM {table} WHERE person_seq = (SELECT seq FROM people WHERE id = ?1) ORDER BY rowid"
        );
        let mut st = s.connection().prepare(&sql).unwrap();
        let ids: Vec<i64> = st
            .query_map([id], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(!ids.is_empty(), "{table} has no row for the person");
        out.extend(ids);
    }
    out
}

#[test]
fn an_edit_rewrites_only_the_lookup_rows_and_search_entry_that_change() {
    let (_d, mut s) = store();
    let p = s
        .create_person(&json!({
            "firstName": "Ada", "lastName": "Byron", "companyName": "Analytical Engines",
            "emails": [{"value": "ada@example.com"}], "phones": [{"value": "+44 20 7946 0001"}],
            "tags": ["vip"]
        }))
        .unwrap();
    // Rows of a later person, so that Ada's written again would get new row ids.
    let filler = s
        .create_person(&json!({
            "firstName": "Filler", "companyName": "Analytical Engines",
            "emails": [{"value": "filler@example.com"}], "phones": [{"value": "+44 20 7946 0002"}],
            "tags": ["vip"]
        }))
        .unwrap();
    assert!(lookup_rowids(&s, &filler.id) > lookup_rowids(&s, &p.id));
    let before = lookup_rowids(&s, &p.id);
    // A new title: the lookup rows stay as they were, the search entry follows.
    s.update_person(&p.id, &json!({"jobTitle": "Countess"}))
        .unwrap();
    assert_eq!(lookup_rowids(&s, &p.id), before);
    assert_eq!(search(&s, "countess"), vec!["Ada Byron".to_string()]);
    // A new email: the lookup rows are written again, and the old email is free.
    s.update_person(
        &p.id,
        &json!({"emails": [{"value": "ada@lovelace.example"}]}),
    )
    .unwrap();
    assert_ne!(lookup_rowids(&s, &p.id), before);
    assert_eq!(search(&s, "lovelace"), vec!["Ada Byron".to_string()]);
    assert!(search(&s, "ada@example").is_empty());
    s.create_person(&json!({"firstName": "Other", "emails": [{"value": "ada@example.com"}]}))
        .unwrap();
    // A new company: its link is written, the person is found by it.
    s.update_person(&p.id, &json!({"companyName": "Difference Engines"}))
        .unwrap();
    assert_eq!(search(&s, "difference"), vec!["Ada Byron".to_string()]);
    assert_eq!(
        s.get_person(&p.id).unwrap().company.as_deref(),
        Some("Difference Engines")
    );
}
