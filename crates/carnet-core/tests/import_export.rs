//! Import and export on real SQLite files, beyond the vCard exporters (`import_vcard.rs`):
//! the JSON backup, duplicates, dry runs, cancel, and the CSV flavours with their round trip.

mod common;

use std::sync::atomic::AtomicBool;

use carnet_core::{FieldType, Format, ImportOptions, NewField, OnDuplicate};
use common::*;

#[test]
fn json_backup_restores_ids_notes_trash_custom_fields_and_extras() {
    let (_d, mut s) = store();
    s.create_field(&NewField::new("Color", FieldType::Text))
        .unwrap();
    import(&mut s, &fixture("apple_icloud.vcf"));
    import(&mut s, &fixture("google_contacts.vcf"));
    let people = all(&s);
    let jl = by_name(&people, "Jean-Luc Picard").id.clone();
    s.update_person(
        &jl,
        &serde_json::json!({"customFields": {"cf_color": "red"}}),
    )
    .unwrap();
    s.create_note(&jl, "Make it so.").unwrap();
    let bev = by_name(&people, "Beverly Crusher").id.clone();
    s.trash_person(&bev).unwrap();
    let backup = export(&s, Format::Json, 4);

    let (_d2, mut s2) = store();
    let r = s2
        .import_bytes(
            &backup,
            &ImportOptions::default(),
            &mut |_, _| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!((r.created, r.invalid), (5, 0), "{r:?}");
    assert_eq!(
        String::from_utf8(export(&s2, Format::Json, 4)).unwrap(),
        String::from_utf8(backup).unwrap()
    );
    assert_eq!(s2.get_person(&jl).unwrap().custom_fields["cf_color"], "red");
    assert_eq!(s2.list_notes(&jl).unwrap()[0].body, "Make it so.");
    assert!(s2.get_person(&bev).unwrap().deleted_at.is_some());
}

#[test]
fn duplicates_match_by_uid_email_then_phone() {
    let (_d, mut s) = store();
    import(&mut s, &fixture("google_contacts.vcf"));
    let again = import(&mut s, &fixture("google_contacts.vcf"));
    assert_eq!(
        (again.created, again.updated + again.unchanged),
        (0, 3),
        "{again:?}"
    );
    let skip = import_with(
        &mut s,
        &fixture("google_contacts.vcf"),
        &ImportOptions {
            on_duplicate: OnDuplicate::Skip,
            ..Default::default()
        },
    );
    assert_eq!((skip.created, skip.skipped), (0, 3));
    let create = import_with(
        &mut s,
        &fixture("google_contacts.vcf"),
        &ImportOptions {
            on_duplicate: OnDuplicate::Create,
            ..Default::default()
        },
    );
    assert_eq!(
        create.invalid, 3,
        "a second live person with the same email is a conflict"
    );
    assert_eq!(create.rejected[0].error.code, "conflict");
    assert_eq!(all(&s).len(), 3, "never a silent second copy");

    // UID: the same Apple card with a new email still updates the same person.
    import(&mut s, &fixture("apple_icloud.vcf"));
    let text = std::fs::read_to_string(fixture("apple_icloud.vcf"))
        .unwrap()
        .replace("zoe@acme-robotics.com", "zoe@new-job.example.com");
    let r = s
        .import_bytes(
            text.as_bytes(),
            &ImportOptions::default(),
            &mut |_, _| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!((r.created, r.updated), (0, 1), "{r:?}");
    // Phone: a card with no email and Beverly's number in another format.
    let card =
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bev\r\nN:;Bev;;;\r\nTEL:415-555-0150\r\nEND:VCARD\r\n";
    let r = s
        .import_bytes(
            card.as_bytes(),
            &ImportOptions::default(),
            &mut |_, _| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!((r.created, r.updated), (0, 1), "{r:?}");
}

#[test]
fn dry_run_writes_nothing_and_cancel_rolls_back() {
    let (_d, mut s) = store();
    let r = import_with(
        &mut s,
        &fixture("google_contacts.vcf"),
        &ImportOptions {
            dry_run: true,
            ..Default::default()
        },
    );
    assert_eq!((r.created, r.committed, r.dry_run), (3, false, true));
    assert!(all(&s).is_empty());
    let cancel = AtomicBool::new(true);
    let mut calls = vec![];
    let r = s
        .import_file(
            &fixture("google_contacts.vcf"),
            &ImportOptions::default(),
            &mut |d, t| calls.push((d, t)),
            &cancel,
        )
        .unwrap();
    assert!(r.cancelled && !r.committed);
    assert_eq!(calls, [(0, 3)]);
    assert!(all(&s).is_empty());
    let mut calls = vec![];
    s.import_file(
        &fixture("google_contacts.vcf"),
        &ImportOptions::default(),
        &mut |d, t| calls.push((d, t)),
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(calls.last(), Some(&(3, 3)));
}

#[test]
fn google_csv_with_bom_multi_values_primary_and_custom_field() {
    let (_d, mut s) = store();
    s.create_field(&NewField::new("Favorite color", FieldType::Text))
        .unwrap();
    let r = import(&mut s, &fixture("google_contacts.csv"));
    assert_eq!((r.created, r.invalid), (2, 1), "{r:?}");
    assert!(!r.committed);
    // Line 6: Grace's note and address each add a line inside quotes.
    assert_eq!(r.rejected[0].location, "line 6");
    assert_eq!(
        r.rejected[0].error.field.as_deref(),
        Some("emails[0].value")
    );
    let r = import_with(
        &mut s,
        &fixture("google_contacts.csv"),
        &ImportOptions {
            partial: true,
            ..Default::default()
        },
    );
    assert_eq!(r.created, 2);
    let people = all(&s);
    let grace = by_name(&people, "Grace Hopper");
    assert_eq!(
        grace.emails[0].label.as_deref(),
        Some("work"),
        "* marks the primary"
    );
    assert_eq!(grace.phones.len(), 3, "::: splits one cell");
    assert_eq!(grace.addresses[0].city.as_deref(), Some("Washington"));
    assert_eq!(grace.tags, ["Navy"], "system group dropped");
    assert_eq!(grace.custom_fields["cf_favorite_color"], "Blue");
    assert_eq!(
        grace.description.as_deref(),
        Some("Wrote the first compiler.\nFound a moth.")
    );
    assert_eq!(
        by_name(&people, "Alan Turing").birthday.as_deref(),
        Some("--06-23")
    );
}

#[test]
fn outlook_csv_fixed_columns_and_us_dates() {
    let (_d, mut s) = store();
    let r = import(&mut s, &fixture("outlook_contacts.csv"));
    assert_eq!((r.created, r.invalid), (2, 0), "{r:?}");
    let people = all(&s);
    let k = by_name(&people, "Katherine Johnson");
    assert_eq!(k.birthday.as_deref(), Some("1918-08-26"));
    let labels: Vec<_> = k
        .phones
        .iter()
        .map(|p| p.label.clone().unwrap_or_default())
        .collect();
    assert_eq!(labels, ["home", "work", "mobile", "work fax"]);
    assert_eq!(k.tags, ["Science", "Heroes"]);
    assert_eq!(k.addresses[0].label.as_deref(), Some("work"));
    assert!(
        r.warnings
            .iter()
            .any(|w| w.field == "birthday" && w.location == "line 3"),
        "0/0/00 reported: {:?}",
        r.warnings
    );
}

#[test]
fn generic_csv_needs_a_mapping_and_reports_short_rows() {
    let (_d, mut s) = store();
    let mut opts = ImportOptions {
        partial: true,
        ..Default::default()
    };
    for (c, f) in [
        ("Courriel", "emails"),
        ("Société", "company"),
        ("Portable", "phones"),
        ("Étiquette", "tags"),
    ] {
        opts.mapping.insert(c.into(), f.into());
    }
    let r = import_with(&mut s, &fixture("generic_semicolon.csv"), &opts);
    assert_eq!((r.created, r.invalid), (2, 1), "{r:?}");
    assert_eq!(r.rejected[0].location, "line 3");
    assert!(r.rejected[0].error.message.contains("5 fields"));
    let marie = by_name(&all(&s), "Marie Curie").clone();
    assert_eq!(marie.company.as_deref(), Some("Institut du Radium"));
    assert_eq!(marie.phones[0].e164.as_deref(), Some("+33611223344"));
    opts.mapping.insert("Nope".into(), "emails".into());
    let err = s
        .import_file(
            &fixture("generic_semicolon.csv"),
            &opts,
            &mut |_, _| {},
            &AtomicBool::new(false),
        )
        .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("map"));
}

#[test]
fn csv_export_reimports_to_the_same_people() {
    let (_d, mut s) = store();
    import(&mut s, &fixture("outlook_contacts.csv"));
    import(&mut s, &fixture("thunderbird_4_0.vcf"));
    let before = comparable(all(&s));
    let csv = export(&s, Format::Csv, 4);
    assert!(String::from_utf8_lossy(&csv).starts_with("First Name,Middle Name,Last Name,"));
    let (_d2, s2, r) = reimport(&csv, Format::Csv);
    assert_eq!(r.invalid, 0, "{:?}", r.rejected);
    let mut after = comparable(all(&s2));
    // CSV has no place for coordinates or ids.
    let mut before = before;
    for p in before.iter_mut().chain(after.iter_mut()) {
        p.latitude = None;
        p.longitude = None;
        p.id.clear();
    }
    assert_eq!(before, after);
}
