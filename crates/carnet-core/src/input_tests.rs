//! Tests of input parsing: canonical keys, each CRM's aliases, and errors naming the field.

use super::*;
use serde_json::json;

#[test]
fn introzy_payload_maps_every_field() {
    let p = parse_person(&json!({
        "email": "john@acme.com", "firstName": "John", "lastName": "Doe",
        "phoneNumber": "+1 415 555 0101", "address": "1 Main St", "companyName": "Acme",
        "customFields": {"cf_favorite_color": "blue"}
    }))
    .unwrap();
    assert_eq!(p.first_name, Some(Some("John".into())));
    assert_eq!(p.emails.unwrap()[0].value, "john@acme.com");
    assert_eq!(p.phones.unwrap()[0].value, "+1 415 555 0101");
    assert_eq!(p.addresses.unwrap()[0].value, "1 Main St");
    assert_eq!(p.companies, Some(vec![CompanyInput::Name("Acme".into())]));
    assert_eq!(p.custom_fields.unwrap()["cf_favorite_color"], "blue");
}

#[test]
fn introzy_company_id_wins_over_name() {
    let p = parse_person(
        &json!({"email": "a@b.co", "firstName": "A", "companyId": "X", "companyName": "Y"}),
    )
    .unwrap();
    assert_eq!(p.companies, Some(vec![CompanyInput::Id("X".into())]));
}

#[test]
fn folk_payload_maps_lists_companies_and_grouped_custom_fields() {
    let p = parse_person(&json!({
        "firstName": "John", "lastName": "Doe", "fullName": "John Doe", "description": "d",
        "birthday": "1990-01-01", "jobTitle": "Engineer",
        "groups": [{"id": "grp_1"}],
        "companies": [{"name": "Tech Corp"}, {"id": "com_9"}],
        "addresses": ["123 Main St"], "emails": ["john@example.com", "john@techcorp.com"],
        "phones": ["+1234567890"], "urls": ["https://example.com"],
        "customFieldValues": {"grp_1": {"Favorite color": "Blue", "Favorite number": 42}}
    }))
    .unwrap();
    assert_eq!(
        p.companies.unwrap(),
        vec![
            CompanyInput::Name("Tech Corp".into()),
            CompanyInput::Id("com_9".into())
        ]
    );
    assert_eq!(p.emails.unwrap().len(), 2);
    let cf = p.custom_fields.unwrap();
    assert_eq!(cf["cf_favorite_color"], "Blue");
    assert_eq!(cf["cf_favorite_number"], 42);
}

#[test]
fn allo_name_is_the_first_name() {
    let p = parse_person(&json!({
        "name": "John", "last_name": "Doe", "job_title": "CEO", "website": "https://example.com",
        "address": "123 Main St", "numbers": ["+33612345678"], "emails": ["j@x.io"], "company_id": "com-1",
        "allow_duplicate_number": true
    }))
    .unwrap();
    assert_eq!(p.first_name, Some(Some("John".into())));
    assert_eq!(p.last_name, Some(Some("Doe".into())));
    assert_eq!(p.urls.unwrap()[0].value, "https://example.com");
    assert_eq!(p.phones.unwrap()[0].value, "+33612345678");
}

#[test]
fn pipedrive_name_is_the_full_name_and_primary_moves_first() {
    let p = parse_person(&json!({
        "name": "Will Smith", "owner_id": 1, "org_id": 2, "visible_to": "3",
        "email": [{"value": "a@x.io", "primary": false, "label": "home"}, {"value": "b@x.io", "primary": true, "label": "work"}],
        "phone": [{"value": "12345", "primary": true, "label": "work"}]
    }))
    .unwrap();
    assert_eq!(p.full_name, Some(Some("Will Smith".into())));
    let emails = p.emails.unwrap();
    assert_eq!(emails[0].value, "b@x.io");
    assert_eq!(emails[0].label.as_deref(), Some("work"));
}

#[test]
fn unknown_key_is_named() {
    let e = parse_person(&json!({"firstName": "A", "fristName": "B"})).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("fristName"));
}

#[test]
fn wrong_type_is_named_with_path() {
    let e = parse_person(&json!({"emails": [{"value": 3}]})).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("emails[0].value"));
    let e = parse_person(&json!({"firstName": 12})).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("firstName"));
}

#[test]
fn same_field_twice_is_refused() {
    let e = parse_person(&json!({"email": "a@b.co", "emails": ["c@d.co"]})).unwrap_err();
    assert!(e.message.contains("same field"), "{e}");
}

#[test]
fn null_unsets_and_absent_keeps() {
    let p = parse_person(&json!({"jobTitle": null})).unwrap();
    assert_eq!(p.job_title, Some(None));
    assert_eq!(p.first_name, None);
}

#[test]
fn custom_fields_are_parsed_not_checked() {
    // Parsing keeps any `cf_` key and value; the field definitions are checked on write
    // (`fields::values`), where an undefined key is a `validation` error.
    let p = parse_person(&json!({"customFields": {"cf_undefined": [1, "x"], "cf_gone": null}}))
        .unwrap();
    let cf = p.custom_fields.unwrap();
    assert_eq!(cf["cf_undefined"], json!([1, "x"]));
    assert!(
        cf["cf_gone"].is_null(),
        "null is kept so the write can unset"
    );
    assert_eq!(
        parse_person(&json!({"customFields": 3}))
            .unwrap_err()
            .field
            .as_deref(),
        Some("customFields")
    );
}

#[test]
fn field_keys_from_labels() {
    assert_eq!(field_key("Favorite color"), "cf_favorite_color");
    assert_eq!(field_key("Année d'entrée!"), "cf_annee_d_entree");
    assert_eq!(field_key("cf_x"), "cf_x");
}

#[test]
fn body_must_be_an_object() {
    assert_eq!(
        parse_person(&json!([1])).unwrap_err().field.as_deref(),
        Some("body")
    );
}
