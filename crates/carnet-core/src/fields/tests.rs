//! Unit tests of custom-field values on an in-memory store: every type and every error.
//! Schema changes are in `tests_schema.rs`.

use serde_json::{json, Value};

use super::*;
use crate::{ErrorCode, PeopleQuery, Store};

pub(super) fn store() -> Store {
    Store::open_in_memory().unwrap()
}

pub(super) fn field(s: &mut Store, label: &str, ty: FieldType, options: &[&str]) -> FieldDef {
    let mut n = NewField::new(label, ty);
    n.options = options.iter().map(|o| FieldOption::new(*o)).collect();
    s.create_field(&n).unwrap()
}

pub(super) fn person(s: &mut Store, name: &str, cf: Value) -> crate::Person {
    s.create_person(&json!({"fullName": name, "customFields": cf}))
        .unwrap()
}

/// The error of writing `value` to `key` on a new person.
fn bad(s: &mut Store, key: &str, value: Value) -> crate::Error {
    let e = s
        .create_person(&json!({"fullName": "X", "customFields": {key: value}}))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation, "{e}");
    assert_eq!(
        e.field.as_deref(),
        Some(format!("customFields.{key}").as_str()),
        "{e}"
    );
    e
}

fn stored(s: &mut Store, key: &str, value: Value) -> Value {
    let p = person(s, "Ok", json!({ key: value }));
    p.custom_fields.get(key).cloned().unwrap_or(Value::Null)
}

#[test]
fn keys_come_from_labels_and_never_collide() {
    let mut s = store();
    let a = field(&mut s, "Favorite color", FieldType::Text, &[]);
    assert_eq!(a.key, "cf_favorite_color");
    assert_eq!(a.position, 0);
    let b = field(&mut s, "Année d'entrée", FieldType::Date, &[]);
    assert_eq!((b.key.as_str(), b.position), ("cf_annee_d_entree", 1));
    // Same key from another label, or on companies: suffixed (keys are unique overall).
    let c = field(&mut s, "favorite-color!", FieldType::Text, &[]);
    assert_eq!(c.key, "cf_favorite_color_2");
    let mut n = NewField::new("Favorite color", FieldType::Text);
    n.entity = FieldEntity::Company;
    assert_eq!(s.create_field(&n).unwrap().key, "cf_favorite_color_3");
    let long = s
        .create_field(&NewField::new("x".repeat(90), FieldType::Text))
        .unwrap();
    assert!(crate::validate::custom_key(&long.key).is_ok());
    let e = s
        .create_field(&NewField::new("!!!", FieldType::Text))
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("label"));
    let e = s
        .create_field(&NewField::new("  ", FieldType::Text))
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("label"));
}

#[test]
fn labels_are_unique_per_entity() {
    let mut s = store();
    field(&mut s, "Status", FieldType::Text, &[]);
    let e = s
        .create_field(&NewField::new("STATUS", FieldType::Text))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert_eq!(e.existing_id.as_deref(), Some("cf_status"));
    let mut n = NewField::new("Status", FieldType::Text);
    n.entity = FieldEntity::Company;
    assert!(
        s.create_field(&n).is_ok(),
        "another entity may reuse a label"
    );
}

#[test]
fn create_checks_options_group_and_description() {
    let mut s = store();
    let e = s
        .create_field(&NewField {
            options: vec![FieldOption::new("A")],
            ..NewField::new("T", FieldType::Text)
        })
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("options"));
    let e = s
        .create_field(&NewField {
            options: vec![FieldOption::new("A"), FieldOption::new("a")],
            ..NewField::new("S", FieldType::SingleSelect)
        })
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("options[1].label"));
    let e = s
        .create_field(&NewField {
            options: vec![FieldOption::new(" ")],
            ..NewField::new("S", FieldType::SingleSelect)
        })
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("options[0].label"));
    let d = s
        .create_field(&NewField {
            group: Some("  Sales ".into()),
            description: Some("".into()),
            required: true,
            ..NewField::new("Deal", FieldType::Number)
        })
        .unwrap();
    assert_eq!(
        (d.group.as_deref(), d.description, d.required),
        (Some("Sales"), None, true)
    );
    let e = s
        .create_field(&NewField {
            group: Some("g".repeat(101)),
            ..NewField::new("G", FieldType::Text)
        })
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("group"));
}

#[test]
fn list_get_and_positions() {
    let mut s = store();
    field(&mut s, "A", FieldType::Text, &[]);
    field(&mut s, "B", FieldType::Text, &[]);
    s.create_field(&NewField {
        position: Some(0),
        ..NewField::new("C", FieldType::Text)
    })
    .unwrap();
    let mut co = NewField::new("D", FieldType::Text);
    co.entity = FieldEntity::Company;
    s.create_field(&co).unwrap();
    let keys = |s: &Store, e| {
        s.list_fields(e)
            .unwrap()
            .into_iter()
            .map(|d| d.key)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        keys(&s, Some(FieldEntity::Person)),
        ["cf_c", "cf_a", "cf_b"]
    );
    assert_eq!(keys(&s, Some(FieldEntity::Company)), ["cf_d"]);
    assert_eq!(keys(&s, None), ["cf_c", "cf_a", "cf_b", "cf_d"]);
    s.update_field(
        "cf_c",
        &FieldChanges {
            position: Some(9),
            ..Default::default()
        },
        false,
    )
    .unwrap();
    assert_eq!(
        keys(&s, Some(FieldEntity::Person)),
        ["cf_a", "cf_b", "cf_c"]
    );
    assert_eq!(s.get_field("cf_c").unwrap().position, 2);
    assert_eq!(s.get_field("cf_zz").unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn text_and_long_text() {
    let mut s = store();
    field(&mut s, "Nick", FieldType::Text, &[]);
    field(&mut s, "Bio", FieldType::LongText, &[]);
    assert_eq!(stored(&mut s, "cf_nick", json!("  Bo  ")), json!("Bo"));
    let e = bad(&mut s, "cf_nick", json!(42));
    assert!(
        e.message.contains("cf_nick") && e.message.contains("text"),
        "{e}"
    );
    bad(&mut s, "cf_nick", json!({"a": 1}));
    bad(&mut s, "cf_nick", json!("x".repeat(1001)));
    assert_eq!(
        stored(&mut s, "cf_bio", json!("y".repeat(5000))),
        json!("y".repeat(5000))
    );
    bad(&mut s, "cf_bio", json!("y".repeat(10_001)));
}

#[test]
fn numbers_accept_numeric_strings() {
    let mut s = store();
    field(&mut s, "Score", FieldType::Number, &[]);
    assert_eq!(stored(&mut s, "cf_score", json!(42)), json!(42));
    assert_eq!(stored(&mut s, "cf_score", json!("42")), json!(42));
    assert_eq!(stored(&mut s, "cf_score", json!(" -3.5 ")), json!(-3.5));
    assert_eq!(stored(&mut s, "cf_score", json!("1e3")), json!(1000.0));
    for b in [
        json!("abc"),
        json!("NaN"),
        json!("inf"),
        json!(true),
        json!([1]),
    ] {
        let e = bad(&mut s, "cf_score", b.clone());
        assert!(e.message.contains("a number"), "{b}: {e}");
    }
}

#[test]
fn dates_are_yyyy_mm_dd() {
    let mut s = store();
    field(&mut s, "Met", FieldType::Date, &[]);
    assert_eq!(
        stored(&mut s, "cf_met", json!("2024-02-29")),
        json!("2024-02-29")
    );
    assert_eq!(
        stored(&mut s, "cf_met", json!("2999-01-01")),
        json!("2999-01-01")
    );
    for b in [
        "2023-02-29",
        "2024/01/01",
        "01-02-2024",
        "2024-1-1",
        "yesterday",
    ] {
        let e = bad(&mut s, "cf_met", json!(b));
        assert!(e.message.contains("YYYY-MM-DD"), "{b}: {e}");
    }
    bad(&mut s, "cf_met", json!(20240101));
}

#[test]
fn booleans() {
    let mut s = store();
    field(&mut s, "Vip", FieldType::Boolean, &[]);
    assert_eq!(stored(&mut s, "cf_vip", json!(true)), json!(true));
    assert_eq!(stored(&mut s, "cf_vip", json!(false)), json!(false));
    assert_eq!(stored(&mut s, "cf_vip", json!("Yes")), json!(true));
    assert_eq!(stored(&mut s, "cf_vip", json!("0")), json!(false));
    bad(&mut s, "cf_vip", json!("maybe"));
    bad(&mut s, "cf_vip", json!(2));
}

#[test]
fn urls_emails_phones_reuse_the_person_rules() {
    let mut s = store();
    field(&mut s, "Site", FieldType::Url, &[]);
    field(&mut s, "Backup email", FieldType::Email, &[]);
    field(&mut s, "Assistant phone", FieldType::Phone, &[]);
    assert_eq!(
        stored(&mut s, "cf_site", json!("acme.com/x")),
        json!("acme.com/x")
    );
    bad(&mut s, "cf_site", json!("not a url"));
    assert_eq!(
        stored(&mut s, "cf_backup_email", json!("a@b.co")),
        json!("a@b.co")
    );
    bad(&mut s, "cf_backup_email", json!("a@b"));
    assert_eq!(
        stored(&mut s, "cf_assistant_phone", json!("+1 415 555 0101")),
        json!("+1 415 555 0101")
    );
    bad(&mut s, "cf_assistant_phone", json!("call me"));
}

#[test]
fn single_select_matches_labels_case_insensitively() {
    let mut s = store();
    field(
        &mut s,
        "Stage",
        FieldType::SingleSelect,
        &["Lead", "Won", "Perdu"],
    );
    assert_eq!(stored(&mut s, "cf_stage", json!("won")), json!("Won"));
    assert_eq!(stored(&mut s, "cf_stage", json!("PERDU")), json!("Perdu"));
    let e = bad(&mut s, "cf_stage", json!("Lost"));
    assert!(e.message.contains("Lead, Won, Perdu"), "{e}");
    bad(&mut s, "cf_stage", json!(["Won"]));
}

#[test]
fn multi_select_stores_canonical_unique_labels() {
    let mut s = store();
    field(
        &mut s,
        "Langs",
        FieldType::MultiSelect,
        &["Rust", "Go", "Python"],
    );
    assert_eq!(
        stored(&mut s, "cf_langs", json!(["python", "RUST", "rust"])),
        json!(["Python", "Rust"])
    );
    assert_eq!(stored(&mut s, "cf_langs", json!("go")), json!(["Go"]));
    // A CSV cell: options joined by commas.
    assert_eq!(
        stored(&mut s, "cf_langs", json!("go, Python")),
        json!(["Go", "Python"])
    );
    let e = bad(&mut s, "cf_langs", json!(["Rust", "Cobol"]));
    assert!(e.message.contains("item 1"), "{e}");
    bad(&mut s, "cf_langs", json!([1]));
    bad(&mut s, "cf_langs", json!(5));
}

#[test]
fn references_must_name_live_records() {
    let mut s = store();
    field(&mut s, "Mentor", FieldType::PersonRef, &[]);
    field(&mut s, "Investor", FieldType::CompanyRef, &[]);
    let m = person(&mut s, "Mentor One", json!({}));
    let c = s.create_company(&json!({"name": "Fund"})).unwrap();
    assert_eq!(
        stored(&mut s, "cf_mentor", json!(m.id.to_uppercase())),
        json!(m.id)
    );
    assert_eq!(
        stored(&mut s, "cf_mentor", json!({"id": m.id})),
        json!(m.id)
    );
    assert_eq!(stored(&mut s, "cf_investor", json!(c.id)), json!(c.id));
    bad(&mut s, "cf_mentor", json!("nope"));
    let e = bad(&mut s, "cf_mentor", json!(c.id));
    assert!(e.message.contains("no person"), "{e}");
    bad(&mut s, "cf_investor", json!(m.id));
    s.trash_person(&m.id).unwrap();
    let e = bad(&mut s, "cf_mentor", json!(m.id));
    assert!(e.message.contains("trash"), "{e}");
}

#[test]
fn unknown_keys_are_refused_by_name() {
    let mut s = store();
    let e = bad(&mut s, "cf_nope", json!("x"));
    assert!(
        e.message.contains("cf_nope") && e.message.contains("no custom fields"),
        "{e}"
    );
    field(&mut s, "Known", FieldType::Text, &[]);
    let e = bad(&mut s, "cf_nope", json!("x"));
    assert!(e.message.contains("cf_known"), "{e}");
    // Nothing was written by the refused creates.
    assert_eq!(s.list_people(&PeopleQuery::default()).unwrap().total, 0);
    // A person field is unknown on companies.
    let e = s
        .create_company(&json!({"name": "A", "customFields": {"cf_known": "x"}}))
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("customFields.cf_known"));
}

#[test]
fn a_key_may_be_given_as_a_label_snake_case() {
    let mut s = store();
    let f = field(&mut s, "Color", FieldType::Text, &[]);
    s.update_field(
        &f.key,
        &FieldChanges {
            label: Some("Favorite color".into()),
            ..Default::default()
        },
        false,
    )
    .unwrap();
    // folk names fields by label: `customFieldValues` flattens "Favorite color".
    let p = s
        .create_person(
            &json!({"fullName": "F", "customFieldValues": {"grp": {"Favorite color": "Blue"}}}),
        )
        .unwrap();
    assert_eq!(p.custom_fields["cf_color"], "Blue");
}

#[test]
fn null_empty_string_and_empty_list_unset() {
    let mut s = store();
    field(&mut s, "A", FieldType::Text, &[]);
    field(&mut s, "B", FieldType::MultiSelect, &["x"]);
    field(&mut s, "C", FieldType::Number, &[]);
    let p = person(&mut s, "P", json!({"cf_a": "1", "cf_b": ["x"], "cf_c": 3}));
    let u = s
        .update_person(
            &p.id,
            &json!({"customFields": {"cf_a": null, "cf_b": [], "cf_c": ""}}),
        )
        .unwrap();
    assert!(u.custom_fields.is_empty(), "{:?}", u.custom_fields);
    // Unsetting an unknown key is still an error (it names a typo).
    let e = s
        .update_person(&p.id, &json!({"customFields": {"cf_zz": null}}))
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("customFields.cf_zz"));
}

#[test]
fn required_on_create_and_update() {
    let mut s = store();
    let old = person(&mut s, "Before", json!({}));
    s.create_field(&NewField {
        required: true,
        ..NewField::new("Source", FieldType::Text)
    })
    .unwrap();
    let e = s.create_person(&json!({"fullName": "New"})).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("customFields.cf_source"));
    assert!(e.message.contains("required"), "{e}");
    let p = person(&mut s, "New", json!({"cf_source": "web"}));
    let e = s
        .update_person(&p.id, &json!({"customFields": {"cf_source": null}}))
        .unwrap_err();
    assert!(e.message.contains("cannot be removed"), "{e}");
    assert!(s.update_person(&p.id, &json!({"jobTitle": "CTO"})).is_ok());
    // A person from before the field became required stays editable, with a warning.
    let u = s
        .update_person(&old.id, &json!({"jobTitle": "CEO"}))
        .unwrap();
    assert_eq!(u.job_title.as_deref(), Some("CEO"));
    assert_eq!(u.warnings[0].code, "missing_required");
    assert_eq!(u.warnings[0].field, "customFields.cf_source");
}

#[test]
fn company_values_are_checked_and_required() {
    let mut s = store();
    let mut n = NewField::new("Tier", FieldType::SingleSelect);
    n.entity = FieldEntity::Company;
    n.options = vec![FieldOption::new("Gold"), FieldOption::new("Silver")];
    n.required = true;
    s.create_field(&n).unwrap();
    let e = s.create_company(&json!({"name": "A"})).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("customFields.cf_tier"));
    let c = s
        .create_company(&json!({"name": "A", "customFields": {"cf_tier": "gold"}}))
        .unwrap();
    assert_eq!(c.custom_fields["cf_tier"], "Gold");
    let e = s
        .update_company(&c.id, &json!({"customFields": {"cf_tier": "Bronze"}}))
        .unwrap_err();
    assert!(e.message.contains("Gold, Silver"), "{e}");
    let e = s
        .update_company(&c.id, &json!({"customFields": null}))
        .unwrap_err();
    assert!(e.message.contains("cannot be removed"), "{e}");
    // A company named on a person is created without its required values.
    let p = s
        .create_person(&json!({"fullName": "P", "companyName": "NewCo"}))
        .unwrap();
    assert_eq!(p.company.as_deref(), Some("NewCo"));
}

#[test]
fn field_types_round_trip_their_names() {
    for t in FieldType::ALL {
        assert_eq!(FieldType::parse(t.as_str()), Some(t));
        let v = serde_json::to_value(t).unwrap();
        assert_eq!(v, json!(t.as_str()));
    }
    assert_eq!(
        FieldType::parse("Multi-Select"),
        Some(FieldType::MultiSelect)
    );
    assert_eq!(FieldType::parse("blob"), None);
    assert_eq!(FieldEntity::parse("companies"), Some(FieldEntity::Company));
    let d = serde_json::to_value(NewField::new("A", FieldType::LongText)).unwrap();
    assert_eq!(d["type"], "long_text");
    let ch: FieldChanges =
        serde_json::from_value(json!({"group": null, "renameOptions": [{"from": "a", "to": "b"}]}))
            .unwrap();
    assert_eq!(ch.group, Some(None));
    assert_eq!(ch.description, None);
}
