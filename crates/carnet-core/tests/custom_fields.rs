//! Integration tests of custom-field schemas on real SQLite files: every type filled on
//! people, errors that write nothing, schema changes, list filters and sorts, search,
//! persistence across reopen, and the migration that adopts pre-schema values.

use carnet_core::{
    ErrorCode, FieldChanges, FieldEntity, FieldFilter, FieldType, FilterOp, NewField, PeopleQuery,
    Store,
};
use serde_json::{json, Value};

mod common;

use common::people::{define, list as names};
use common::store;

fn filtered(s: &Store, filters: Vec<FieldFilter>) -> Vec<String> {
    names(
        s,
        PeopleQuery {
            filters,
            ..Default::default()
        },
    )
}

fn f(key: &str, op: FilterOp, value: Value) -> FieldFilter {
    FieldFilter {
        key: key.into(),
        op,
        value,
    }
}

/// A schema with one field of every type and three people filling them.
fn crm(s: &mut Store) -> (String, String) {
    define(s, "Nickname", FieldType::Text, &[]);
    define(s, "Bio", FieldType::LongText, &[]);
    define(s, "Deal size", FieldType::Number, &[]);
    define(s, "First met", FieldType::Date, &[]);
    define(s, "Newsletter", FieldType::Boolean, &[]);
    define(s, "Blog", FieldType::Url, &[]);
    define(s, "Assistant email", FieldType::Email, &[]);
    define(s, "Assistant phone", FieldType::Phone, &[]);
    define(
        s,
        "Stage",
        FieldType::SingleSelect,
        &["Lead", "Qualified", "Won"],
    );
    define(
        s,
        "Interests",
        FieldType::MultiSelect,
        &["AI", "Climate", "Fintech"],
    );
    define(s, "Introduced by", FieldType::PersonRef, &[]);
    define(s, "Investor", FieldType::CompanyRef, &[]);
    let boss = s
        .create_person(&json!({"fullName": "Ada Boss", "customFields": {"cf_stage": "won", "cf_deal_size": 900, "cf_newsletter": true}}))
        .unwrap();
    let fund = s.create_company(&json!({"name": "Fund One"})).unwrap();
    s.create_person(&json!({"fullName": "Bea Lead", "customFields": {
        "cf_nickname": "Bee", "cf_bio": "Long story.", "cf_deal_size": "1500.5", "cf_first_met": "2024-03-01",
        "cf_newsletter": "no", "cf_blog": "bea.example.com", "cf_assistant_email": "pa@bea.io",
        "cf_assistant_phone": "+33 6 12 34 56 78", "cf_stage": "LEAD", "cf_interests": ["climate", "ai"],
        "cf_introduced_by": boss.id, "cf_investor": {"id": fund.id}}}))
        .unwrap();
    s.create_person(&json!({"fullName": "Cy Nothing"})).unwrap();
    (boss.id, fund.id)
}

#[test]
fn every_type_is_stored_typed_and_survives_reopen() {
    let (dir, mut s) = store();
    let (boss, fund) = crm(&mut s);
    let bea = s
        .list_people(&PeopleQuery {
            search: Some("bea".into()),
            ..Default::default()
        })
        .unwrap()
        .items
        .remove(0);
    let expected = json!({
        "cf_nickname": "Bee", "cf_bio": "Long story.", "cf_deal_size": 1500.5, "cf_first_met": "2024-03-01",
        "cf_newsletter": false, "cf_blog": "bea.example.com", "cf_assistant_email": "pa@bea.io",
        "cf_assistant_phone": "+33 6 12 34 56 78", "cf_stage": "Lead", "cf_interests": ["Climate", "AI"],
        "cf_introduced_by": boss, "cf_investor": fund});
    assert_eq!(Value::Object(bea.custom_fields.clone()), expected);
    drop(s);
    let s = Store::open(&dir.path().join("carnet.db")).unwrap();
    assert_eq!(s.list_fields(Some(FieldEntity::Person)).unwrap().len(), 12);
    let again = s.get_person(&bea.id).unwrap();
    // The JSON of a person carries the typed values.
    let v = serde_json::to_value(&again).unwrap();
    assert_eq!(v["customFields"], expected);
}

#[test]
fn a_bad_value_writes_nothing() {
    let (_d, mut s) = store();
    define(&mut s, "Score", FieldType::Number, &[]);
    let e = s
        .create_person(&json!({"fullName": "P", "companyName": "Brand New Co", "customFields": {"cf_score": "lots"}}))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert_eq!(e.field.as_deref(), Some("customFields.cf_score"));
    assert!(
        e.message.contains("cf_score") && e.message.contains("number"),
        "{e}"
    );
    assert_eq!(s.list_people(&PeopleQuery::default()).unwrap().total, 0);
    assert_eq!(
        s.list_companies(&Default::default()).unwrap().total,
        0,
        "no company was created"
    );
    let p = s
        .create_person(&json!({"fullName": "P", "customFields": {"cf_score": 1}}))
        .unwrap();
    let e = s
        .update_person(
            &p.id,
            &json!({"jobTitle": "CTO", "customFields": {"cf_score": [1]}}),
        )
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("customFields.cf_score"));
    let same = s.get_person(&p.id).unwrap();
    assert_eq!((same.job_title, same.updated_at), (None, p.updated_at));
}

#[test]
fn filters_by_every_kind_of_value() {
    let (_d, mut s) = store();
    let (boss, _) = crm(&mut s);
    use FilterOp::*;
    assert_eq!(
        filtered(&s, vec![f("cf_stage", Eq, json!("won"))]),
        ["Ada Boss"]
    );
    assert_eq!(
        filtered(&s, vec![f("cf_stage", Ne, json!("Won"))]),
        ["Bea Lead", "Cy Nothing"]
    );
    assert_eq!(
        filtered(&s, vec![f("cf_interests", Contains, json!("AI"))]),
        ["Bea Lead"]
    );
    assert_eq!(
        filtered(&s, vec![f("cf_interests", Eq, json!("climate"))]),
        ["Bea Lead"]
    );
    assert_eq!(
        filtered(&s, vec![f("cf_deal_size", Gt, json!("1000"))]),
        ["Bea Lead"]
    );
    assert_eq!(
        filtered(&s, vec![f("cf_deal_size", Lte, json!(900))]),
        ["Ada Boss"]
    );
    assert_eq!(
        filtered(&s, vec![f("cf_first_met", Gte, json!("2024-01-01"))]),
        ["Bea Lead"]
    );
    assert_eq!(
        filtered(&s, vec![f("cf_newsletter", Eq, json!(true))]),
        ["Ada Boss"]
    );
    assert_eq!(
        filtered(&s, vec![f("cf_newsletter", Eq, json!("false"))]),
        ["Bea Lead", "Cy Nothing"],
        "an unset checkbox reads as false"
    );
    assert_eq!(
        filtered(&s, vec![f("cf_nickname", Eq, json!("BEE"))]),
        ["Bea Lead"]
    );
    assert_eq!(
        filtered(&s, vec![f("cf_bio", Contains, json!("story"))]),
        ["Bea Lead"]
    );
    assert_eq!(
        filtered(&s, vec![f("cf_introduced_by", Eq, json!(boss))]),
        ["Bea Lead"]
    );
    assert_eq!(
        filtered(&s, vec![f("cf_nickname", IsEmpty, Value::Null)]),
        ["Ada Boss", "Cy Nothing"]
    );
    assert_eq!(
        filtered(&s, vec![f("cf_stage", IsSet, Value::Null)]),
        ["Ada Boss", "Bea Lead"]
    );
    assert_eq!(
        filtered(&s, vec![f("cf_stage", Eq, json!(""))]),
        ["Cy Nothing"]
    );
    // Filters combine with each other and with search.
    assert!(filtered(
        &s,
        vec![
            f("cf_stage", Eq, json!("Won")),
            f("cf_deal_size", Gt, json!(1000))
        ]
    )
    .is_empty());
    let page = s
        .list_people(&PeopleQuery {
            search: Some("ada".into()),
            filters: vec![f("cf_stage", IsSet, Value::Null)],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.total, 1);
}

#[test]
fn impossible_filters_name_the_problem() {
    let (_d, mut s) = store();
    crm(&mut s);
    let mut co = NewField::new("Tier", FieldType::Text);
    co.entity = FieldEntity::Company;
    s.create_field(&co).unwrap();
    let err = |fl: FieldFilter| {
        s.list_people(&PeopleQuery {
            filters: vec![fl],
            ..Default::default()
        })
        .unwrap_err()
    };
    let e = err(f("cf_nope", FilterOp::Eq, json!("x")));
    assert_eq!(e.field.as_deref(), Some("filters[0].key"));
    let e = err(f("cf_tier", FilterOp::Eq, json!("x")));
    assert!(e.message.contains("company field"), "{e}");
    let e = err(f("cf_stage", FilterOp::Eq, json!("Lost")));
    assert_eq!(e.field.as_deref(), Some("filters[0].value"));
    let e = err(f("cf_deal_size", FilterOp::Gt, json!("big")));
    assert_eq!(e.field.as_deref(), Some("filters[0].value"));
    let e = err(f("cf_interests", FilterOp::Lt, json!("AI")));
    assert_eq!(e.field.as_deref(), Some("filters[0].op"));
    let e = err(f("cf_newsletter", FilterOp::Contains, json!("t")));
    assert_eq!(e.field.as_deref(), Some("filters[0].op"));
}

#[test]
fn sorts_by_a_field_with_empty_values_last() {
    let (_d, mut s) = store();
    crm(&mut s);
    s.create_person(&json!({"fullName": "Di Mid", "customFields": {"cf_deal_size": 1000, "cf_stage": "Qualified"}}))
        .unwrap();
    let by = |key: &str, descending: bool| {
        names(
            &s,
            PeopleQuery {
                sort_field: Some(key.into()),
                descending,
                ..Default::default()
            },
        )
    };
    assert_eq!(
        by("cf_deal_size", false),
        ["Ada Boss", "Di Mid", "Bea Lead", "Cy Nothing"]
    );
    assert_eq!(
        by("cf_deal_size", true),
        ["Bea Lead", "Di Mid", "Ada Boss", "Cy Nothing"]
    );
    // A single select sorts in option order (Lead, Qualified, Won), not alphabetically.
    assert_eq!(
        by("cf_stage", false),
        ["Bea Lead", "Di Mid", "Ada Boss", "Cy Nothing"]
    );
    let e = s
        .list_people(&PeopleQuery {
            sort_field: Some("cf_nope".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("sortField"));
}

#[test]
fn select_labels_and_text_values_are_searchable() {
    let (_d, mut s) = store();
    crm(&mut s);
    let search = |q: &str| {
        names(
            &s,
            PeopleQuery {
                search: Some(q.into()),
                ..Default::default()
            },
        )
    };
    assert_eq!(search("qualified"), Vec::<String>::new());
    assert_eq!(search("climate"), ["Bea Lead"]);
    assert_eq!(search("won"), ["Ada Boss"]);
    assert_eq!(search("bee"), ["Bea Lead"]);
}

#[test]
fn schema_changes_keep_other_data_intact() {
    let (_d, mut s) = store();
    crm(&mut s);
    let before: Vec<_> = s.list_people(&PeopleQuery::default()).unwrap().items;
    // Rename a label, rename an option, delete another field.
    s.update_field(
        "cf_stage",
        &FieldChanges {
            label: Some("Pipeline stage".into()),
            rename_options: vec![carnet_core::OptionRename {
                from: "Won".into(),
                to: "Customer".into(),
            }],
            ..Default::default()
        },
        false,
    )
    .unwrap();
    let r = s.delete_field("cf_bio", true).unwrap();
    assert_eq!(r.values_removed, 1);
    let after = s.list_people(&PeopleQuery::default()).unwrap().items;
    for (a, b) in before.iter().zip(&after) {
        let mut expect = a.custom_fields.clone();
        expect.remove("cf_bio");
        if expect.get("cf_stage") == Some(&json!("Won")) {
            expect.insert("cf_stage".into(), json!("Customer"));
        }
        assert_eq!(b.custom_fields, expect, "{}", a.full_name);
        assert_eq!(
            (&b.emails, &b.full_name, &b.updated_at),
            (&a.emails, &a.full_name, &a.updated_at)
        );
    }
    assert_eq!(
        filtered(&s, vec![f("cf_stage", FilterOp::Eq, json!("customer"))]),
        ["Ada Boss"]
    );
}

#[test]
fn migration_adopts_values_written_before_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(include_str!("../src/migrations/0001_init.sql"))
            .unwrap();
        c.execute_batch(
            "INSERT INTO people (id, full_name, full_name_set, sort_key, custom_fields, created_at, updated_at) VALUES
               ('0190a0a0-0000-7000-8000-000000000001', 'Old One', 1, 'old one',
                '{\"cf_color\":\"blue\",\"cf_age\":41,\"cf_langs\":[\"Go\",\"Rust\"],\"cf_vip\":true}', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'),
               ('0190a0a0-0000-7000-8000-000000000002', 'Old Two', 1, 'old two',
                '{\"cf_color\":\"red\",\"cf_age\":\"n/a\",\"cf_langs\":[\"Python\"]}', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
             INSERT INTO companies (id, name, name_norm, custom_fields, created_at, updated_at) VALUES
               ('0190a0a0-0000-7000-8000-0000000000c1', 'Co', 'co', '{\"cf_size\":10,\"cf_color\":\"x\"}', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let mut s = Store::open(&path).unwrap();
    let types: Vec<(String, FieldType)> = s
        .list_fields(Some(FieldEntity::Person))
        .unwrap()
        .into_iter()
        .map(|d| (d.key, d.field_type))
        .collect();
    assert_eq!(
        types,
        [
            ("cf_age".to_string(), FieldType::LongText),
            ("cf_color".to_string(), FieldType::Text),
            ("cf_langs".to_string(), FieldType::MultiSelect),
            ("cf_vip".to_string(), FieldType::Boolean),
        ]
    );
    let langs = s.get_field("cf_langs").unwrap();
    assert_eq!(langs.label, "Langs");
    let opts: Vec<_> = langs.options.iter().map(|o| o.label.as_str()).collect();
    assert_eq!(opts, ["Go", "Python", "Rust"]);
    // cf_color is on both: keys are unique, so people keep it and the company's value
    // stays stored but undefined.
    let company_keys: Vec<String> = s
        .list_fields(Some(FieldEntity::Company))
        .unwrap()
        .into_iter()
        .map(|d| d.key)
        .collect();
    assert_eq!(company_keys, ["cf_size"]);
    let size = s.get_field("cf_size").unwrap();
    assert_eq!(
        (size.entity, size.field_type),
        (FieldEntity::Company, FieldType::Number)
    );
    // Old records stay editable, and their values writable.
    let p = s
        .update_person(
            "0190a0a0-0000-7000-8000-000000000001",
            &json!({"jobTitle": "CTO", "customFields": {"cf_langs": ["rust", "python"]}}),
        )
        .unwrap();
    assert_eq!(p.custom_fields["cf_langs"], json!(["Rust", "Python"]));
    assert_eq!(
        p.custom_fields["cf_age"],
        json!(41),
        "untouched legacy values are kept"
    );
    // The company's undefined legacy value cannot be set, but can be removed.
    let co = "0190a0a0-0000-7000-8000-0000000000c1";
    let e = s
        .update_company(co, &json!({"customFields": {"cf_color": "y"}}))
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("customFields.cf_color"));
    let c = s
        .update_company(co, &json!({"customFields": {"cf_color": null}}))
        .unwrap();
    assert_eq!(Value::Object(c.custom_fields), json!({"cf_size": 10}));
}
