//! Unit tests of schema changes on an in-memory store: label and option renames, option
//! removal, type conversions, `required`, delete.

use serde_json::{json, Value};

use super::tests::{field, person, store};
use super::*;
use crate::{ErrorCode, PeopleQuery};

#[test]
fn rename_label_keeps_values() {
    let mut s = store();
    field(&mut s, "Color", FieldType::Text, &[]);
    let p = person(&mut s, "P", json!({"cf_color": "blue"}));
    let r = s
        .update_field(
            "cf_color",
            &FieldChanges {
                label: Some("Colour".into()),
                ..Default::default()
            },
            false,
        )
        .unwrap();
    assert_eq!(
        (r.field.key.as_str(), r.field.label.as_str()),
        ("cf_color", "Colour")
    );
    assert_eq!((r.values, r.values_changed, r.values_removed), (1, 0, 0));
    assert_eq!(
        s.get_person(&p.id).unwrap().custom_fields["cf_color"],
        "blue"
    );
}

#[test]
fn rename_option_updates_values_and_search() {
    let mut s = store();
    field(&mut s, "Stage", FieldType::SingleSelect, &["Lead", "Won"]);
    field(&mut s, "Tags2", FieldType::MultiSelect, &["a", "b"]);
    let p = person(
        &mut s,
        "P",
        json!({"cf_stage": "Lead", "cf_tags2": ["a", "b"]}),
    );
    person(&mut s, "Q", json!({"cf_stage": "Won"}));
    let r = s
        .update_field(
            "cf_stage",
            &FieldChanges {
                rename_options: vec![OptionRename {
                    from: "lead".into(),
                    to: "Prospect".into(),
                }],
                ..Default::default()
            },
            false,
        )
        .unwrap();
    assert_eq!((r.values, r.values_changed), (2, 1));
    assert_eq!(r.field.options[0].label, "Prospect");
    let got = s.get_person(&p.id).unwrap();
    assert_eq!(got.custom_fields["cf_stage"], "Prospect");
    assert_eq!(
        got.updated_at, p.updated_at,
        "a schema change is not an edit"
    );
    let found = s
        .list_people(&PeopleQuery {
            search: Some("prospect".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        found.total, 1,
        "select labels are searchable after a rename"
    );
    s.update_field(
        "cf_tags2",
        &FieldChanges {
            rename_options: vec![OptionRename {
                from: "b".into(),
                to: "Bee".into(),
            }],
            ..Default::default()
        },
        false,
    )
    .unwrap();
    assert_eq!(
        s.get_person(&p.id).unwrap().custom_fields["cf_tags2"],
        json!(["a", "Bee"])
    );
    for (from, to, at) in [
        ("nope", "x", "renameOptions[0].from"),
        ("Won", "prospect", "renameOptions[0].to"),
    ] {
        let e = s
            .update_field(
                "cf_stage",
                &FieldChanges {
                    rename_options: vec![OptionRename {
                        from: from.into(),
                        to: to.into(),
                    }],
                    ..Default::default()
                },
                false,
            )
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some(at), "{e}");
    }
}

#[test]
fn removing_an_option_reports_and_needs_force() {
    let mut s = store();
    field(
        &mut s,
        "Stage",
        FieldType::SingleSelect,
        &["Lead", "Won", "Lost"],
    );
    field(&mut s, "Langs", FieldType::MultiSelect, &["Rust", "Go"]);
    let a = person(
        &mut s,
        "A",
        json!({"cf_stage": "Lost", "cf_langs": ["Rust", "Go"]}),
    );
    let b = person(&mut s, "B", json!({"cf_stage": "Won", "cf_langs": ["Go"]}));
    let drop_lost = FieldChanges {
        options: Some(vec![FieldOption::new("Lead"), FieldOption::new("Won")]),
        ..Default::default()
    };
    let plan = s.plan_field_update("cf_stage", &drop_lost).unwrap();
    assert_eq!((plan.applied, plan.values_removed), (false, 1));
    assert_eq!(plan.problems[0].record_id, a.id);
    let e = s.update_field("cf_stage", &drop_lost, false).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("options"));
    assert!(e.message.starts_with("1 value"), "{e}");
    assert_eq!(
        s.get_field("cf_stage").unwrap().options.len(),
        3,
        "refused: unchanged"
    );
    let r = s.update_field("cf_stage", &drop_lost, true).unwrap();
    assert_eq!((r.applied, r.values_removed), (true, 1));
    assert!(!s
        .get_person(&a.id)
        .unwrap()
        .custom_fields
        .contains_key("cf_stage"));
    assert_eq!(
        s.get_person(&b.id).unwrap().custom_fields["cf_stage"],
        "Won"
    );
    // Multi-select: the option leaves the lists; an emptied list is removed.
    let r = s
        .update_field(
            "cf_langs",
            &FieldChanges {
                options: Some(vec![FieldOption::new("Rust")]),
                ..Default::default()
            },
            true,
        )
        .unwrap();
    assert_eq!((r.values_changed, r.values_removed), (1, 1));
    assert_eq!(
        s.get_person(&a.id).unwrap().custom_fields["cf_langs"],
        json!(["Rust"])
    );
    assert!(!s
        .get_person(&b.id)
        .unwrap()
        .custom_fields
        .contains_key("cf_langs"));
    // Adding and reordering options loses nothing and needs no force.
    let r = s
        .update_field(
            "cf_stage",
            &FieldChanges {
                options: Some(vec![
                    FieldOption::new("Won"),
                    FieldOption::new("Lead"),
                    FieldOption::new("New"),
                ]),
                ..Default::default()
            },
            false,
        )
        .unwrap();
    assert_eq!(r.values_removed, 0);
    assert_eq!(r.field.options[2].label, "New");
}

#[test]
fn type_change_converts_what_converts() {
    let mut s = store();
    field(&mut s, "Score", FieldType::Text, &[]);
    let a = person(&mut s, "A", json!({"cf_score": "42"}));
    let b = person(&mut s, "B", json!({"cf_score": "high"}));
    let to_number = FieldChanges {
        field_type: Some(FieldType::Number),
        ..Default::default()
    };
    let e = s.update_field("cf_score", &to_number, false).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("type"));
    assert!(
        e.message.contains("1 value") && e.message.contains("high"),
        "{e}"
    );
    assert_eq!(s.get_field("cf_score").unwrap().field_type, FieldType::Text);
    assert_eq!(
        s.get_person(&b.id).unwrap().custom_fields["cf_score"],
        "high"
    );
    let r = s.update_field("cf_score", &to_number, true).unwrap();
    assert_eq!((r.values, r.values_changed, r.values_removed), (2, 1, 1));
    assert_eq!(
        s.get_person(&a.id).unwrap().custom_fields["cf_score"],
        json!(42)
    );
    assert!(!s
        .get_person(&b.id)
        .unwrap()
        .custom_fields
        .contains_key("cf_score"));
    // Back to text: numbers print.
    let r = s
        .update_field(
            "cf_score",
            &FieldChanges {
                field_type: Some(FieldType::Text),
                ..Default::default()
            },
            false,
        )
        .unwrap();
    assert_eq!(r.values_changed, 1);
    assert_eq!(s.get_person(&a.id).unwrap().custom_fields["cf_score"], "42");
}

#[test]
fn text_to_select_adopts_values_as_options() {
    let mut s = store();
    field(&mut s, "Team", FieldType::Text, &[]);
    let a = person(&mut s, "A", json!({"cf_team": "Sales"}));
    person(&mut s, "B", json!({"cf_team": "sales"}));
    person(&mut s, "C", json!({"cf_team": "Ops, Sales"}));
    let r = s
        .update_field(
            "cf_team",
            &FieldChanges {
                field_type: Some(FieldType::MultiSelect),
                ..Default::default()
            },
            false,
        )
        .unwrap();
    assert_eq!(r.values_removed, 0);
    assert_eq!(r.options_added, ["Sales", "Ops"]);
    assert_eq!(
        s.get_person(&a.id).unwrap().custom_fields["cf_team"],
        json!(["Sales"])
    );
    // Multi to single: lists of one convert; longer lists do not.
    let e = s
        .update_field(
            "cf_team",
            &FieldChanges {
                field_type: Some(FieldType::SingleSelect),
                ..Default::default()
            },
            false,
        )
        .unwrap_err();
    assert!(e.message.contains("1 value"), "{e}");
    // Back to text: lists print joined.
    let plan = s
        .plan_field_update(
            "cf_team",
            &FieldChanges {
                field_type: Some(FieldType::Text),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!((plan.values_changed, plan.values_removed), (3, 0));
}

#[test]
fn other_conversions() {
    let mut s = store();
    field(&mut s, "When", FieldType::Text, &[]);
    field(&mut s, "Flag", FieldType::Text, &[]);
    field(&mut s, "Ref", FieldType::Text, &[]);
    let m = person(&mut s, "M", json!({}));
    let p = person(
        &mut s,
        "P",
        json!({"cf_when": "2024-01-02", "cf_flag": "yes", "cf_ref": m.id}),
    );
    person(
        &mut s,
        "Q",
        json!({"cf_when": "soon", "cf_flag": "maybe", "cf_ref": "x"}),
    );
    for (key, ty) in [
        ("cf_when", FieldType::Date),
        ("cf_flag", FieldType::Boolean),
        ("cf_ref", FieldType::PersonRef),
    ] {
        let ch = FieldChanges {
            field_type: Some(ty),
            ..Default::default()
        };
        let plan = s.plan_field_update(key, &ch).unwrap();
        assert_eq!((plan.values, plan.values_removed), (2, 1), "{key}");
        s.update_field(key, &ch, true).unwrap();
    }
    let got = s.get_person(&p.id).unwrap().custom_fields;
    assert_eq!(got["cf_when"], "2024-01-02");
    assert_eq!(got["cf_flag"], json!(true));
    assert_eq!(got["cf_ref"], json!(m.id));
    let e = s
        .update_field(
            "cf_flag",
            &FieldChanges {
                options: Some(vec![FieldOption::new("x")]),
                ..Default::default()
            },
            false,
        )
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("options"));
}

#[test]
fn making_a_field_required_counts_the_records_without_it() {
    let mut s = store();
    field(&mut s, "Src", FieldType::Text, &[]);
    person(&mut s, "A", json!({"cf_src": "x"}));
    person(&mut s, "B", json!({}));
    let r = s
        .update_field(
            "cf_src",
            &FieldChanges {
                required: Some(true),
                group: Some(Some("Origin".into())),
                description: Some(Some("Where we met".into())),
                ..Default::default()
            },
            false,
        )
        .unwrap();
    assert_eq!(r.missing_required, 1);
    assert!(r.field.required);
    assert_eq!(r.field.group.as_deref(), Some("Origin"));
    let r = s
        .update_field(
            "cf_src",
            &FieldChanges {
                group: Some(None),
                ..Default::default()
            },
            false,
        )
        .unwrap();
    assert_eq!(r.field.group, None);
}

#[test]
fn delete_reports_and_needs_force() {
    let mut s = store();
    field(&mut s, "Old", FieldType::Text, &[]);
    field(&mut s, "Keep", FieldType::Text, &[]);
    let a = person(&mut s, "A", json!({"cf_old": "1", "cf_keep": "k"}));
    person(&mut s, "B", json!({"cf_old": "2"}));
    s.trash_person(&a.id).unwrap();
    let plan = s.plan_field_delete("cf_old").unwrap();
    assert_eq!((plan.applied, plan.values_removed), (false, 2));
    let e = s.delete_field("cf_old", false).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("force"));
    assert!(e.message.contains("2 people"), "{e}");
    assert!(s.get_field("cf_old").is_ok());
    let r = s.delete_field("cf_old", true).unwrap();
    assert_eq!((r.applied, r.values_removed), (true, 2));
    assert_eq!(s.get_field("cf_old").unwrap_err().code, ErrorCode::NotFound);
    let a = s.get_person(&a.id).unwrap();
    assert_eq!(Value::Object(a.custom_fields), json!({"cf_keep": "k"}));
    assert_eq!(s.get_field("cf_keep").unwrap().position, 0);
    assert_eq!(
        s.delete_field("cf_old", true).unwrap_err().code,
        ErrorCode::NotFound
    );
    // The key is free again for a new field.
    assert_eq!(field(&mut s, "Old", FieldType::Number, &[]).key, "cf_old");
}

#[test]
fn purging_a_record_removes_the_references_to_it() {
    let mut s = store();
    field(&mut s, "Mentor", FieldType::PersonRef, &[]);
    field(&mut s, "Investor", FieldType::CompanyRef, &[]);
    let mut n = NewField::new("Parent", FieldType::CompanyRef);
    n.entity = FieldEntity::Company;
    s.create_field(&n).unwrap();
    let m = person(&mut s, "M", json!({}));
    let c = s.create_company(&json!({"name": "Fund"})).unwrap();
    let sub = s
        .create_company(&json!({"name": "Sub", "customFields": {"cf_parent": c.id}}))
        .unwrap();
    let p = person(&mut s, "P", json!({"cf_mentor": m.id, "cf_investor": c.id}));
    s.trash_person(&m.id).unwrap();
    assert_eq!(
        s.get_person(&p.id).unwrap().custom_fields["cf_mentor"],
        json!(m.id),
        "a trashed record keeps its links"
    );
    s.purge_person(&m.id).unwrap();
    s.trash_company(&c.id).unwrap();
    s.purge_company(&c.id).unwrap();
    assert!(s.get_person(&p.id).unwrap().custom_fields.is_empty());
    assert!(s.get_company(&sub.id).unwrap().custom_fields.is_empty());
}

#[test]
fn respelling_an_option_in_the_list_renames_its_values() {
    let mut s = store();
    field(&mut s, "Stage", FieldType::SingleSelect, &["lead", "Won"]);
    let p = person(&mut s, "P", json!({"cf_stage": "LEAD"}));
    assert_eq!(p.custom_fields["cf_stage"], "lead");
    let r = s
        .update_field(
            "cf_stage",
            &FieldChanges {
                rename_options: vec![OptionRename {
                    from: "won".into(),
                    to: "Closed".into(),
                }],
                options: Some(vec![FieldOption::new("Lead"), FieldOption::new("closed")]),
                ..Default::default()
            },
            false,
        )
        .unwrap();
    assert_eq!((r.values_changed, r.values_removed), (1, 0));
    assert!(r.options_added.is_empty());
    assert_eq!(
        s.get_person(&p.id).unwrap().custom_fields["cf_stage"],
        "Lead"
    );
    let q = person(&mut s, "Q", json!({"cf_stage": "CLOSED"}));
    assert_eq!(q.custom_fields["cf_stage"], "closed");
}
