//! Import and export on real SQLite files: every fixture imitating an exporter (Apple,
//! Google, Outlook, Thunderbird, Android, broken files, CSV flavours), every real export in
//! `../shared/vcard-samples`, duplicates, dry runs, partial imports, cancel, and round trips
//! (vCard 3/4 and the JSON backup) that must give the same people back.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use carnet_core::{
    ExportOptions, FieldType, Format, ImportOptions, ImportReport, NewField, OnDuplicate,
    PeopleQuery, Person, Store,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The real exports shared by the team (`../shared/vcard-samples` from the repository).
fn shared_samples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vcard-samples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{} must exist beside the repository: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "vcf"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 8,
        "expected the 8 shared samples, found {files:?}"
    );
    files
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&dir.path().join("carnet.db")).unwrap();
    (dir, s)
}

fn import_with(s: &mut Store, path: &Path, opts: &ImportOptions) -> ImportReport {
    s.import_file(path, opts, &mut |_, _| {}, &AtomicBool::new(false))
        .unwrap()
}

fn import(s: &mut Store, path: &Path) -> ImportReport {
    import_with(s, path, &ImportOptions::default())
}

fn all(s: &Store) -> Vec<Person> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let page = s
            .list_people(&PeopleQuery {
                limit: 100,
                offset,
                ..Default::default()
            })
            .unwrap();
        let n = page.items.len() as u32;
        out.extend(page.items);
        if n < 100 {
            return out;
        }
        offset += n;
    }
}

fn by_name<'a>(people: &'a [Person], full: &str) -> &'a Person {
    people
        .iter()
        .find(|p| p.full_name == full)
        .unwrap_or_else(|| {
            panic!(
                "no {full} in {:?}",
                people.iter().map(|p| &p.full_name).collect::<Vec<_>>()
            )
        })
}

fn export(s: &Store, format: Format, version: u8) -> Vec<u8> {
    let mut out = Vec::new();
    s.export_to(
        &mut out,
        &ExportOptions {
            format,
            vcard_version: version,
            include_trash: true,
        },
    )
    .unwrap();
    out
}

/// People compared across databases: no timestamps, company ids replaced by names.
fn comparable(mut people: Vec<Person>) -> Vec<Person> {
    for p in &mut people {
        p.created_at.clear();
        p.updated_at.clear();
        p.warnings.clear();
        p.company_id = None;
        for c in &mut p.companies {
            c.id.clear();
        }
    }
    people.sort_by(|a, b| {
        (&a.full_name, &a.emails.first().map(|e| &e.value))
            .cmp(&(&b.full_name, &b.emails.first().map(|e| &e.value)))
    });
    people
}

fn reimport(bytes: &[u8], format: Format) -> (tempfile::TempDir, Store, ImportReport) {
    let (dir, mut s) = store();
    s.create_field(&NewField::new("Color", FieldType::Text))
        .unwrap();
    let r = s
        .import_bytes(
            bytes,
            &ImportOptions {
                format: Some(format),
                ..Default::default()
            },
            &mut |_, _| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    (dir, s, r)
}

#[test]
fn apple_groups_labels_birthday_without_year_photo_and_company_card() {
    let (_d, mut s) = store();
    let r = import(&mut s, &fixture("apple_icloud.vcf"));
    assert_eq!((r.created, r.invalid), (2, 0), "{r:?}");
    let people = all(&s);
    let zoe = by_name(&people, "Dr. Zoë Marie Åberg PhD");
    assert_eq!(zoe.first_name.as_deref(), Some("Zoë"));
    assert_eq!(zoe.birthday.as_deref(), Some("--03-15"));
    assert_eq!(
        zoe.emails[0].value, "zoe@acme-robotics.com",
        "type=pref first"
    );
    assert_eq!(
        zoe.emails[0].label.as_deref(),
        Some("Other"),
        "item1.X-ABLabel"
    );
    assert_eq!(zoe.phones[1].label.as_deref(), Some("Lab"));
    assert_eq!(zoe.urls[0].label.as_deref(), Some("HomePage"));
    assert_eq!(
        zoe.addresses[0].street.as_deref(),
        Some("Kungsgatan 12\nFloor 3")
    );
    assert_eq!(
        zoe.company.as_deref(),
        Some("Acme Robotics, Inc."),
        "escaped comma"
    );
    assert_eq!(
        zoe.description.as_deref(),
        Some("Met at ICRA; likes \"robots\", coffee, and long\nwalks.")
    );
    assert_eq!(zoe.tags, ["Research", "VIP"]);
    let card = String::from_utf8(export(&s, Format::Vcard, 3)).unwrap();
    assert!(
        card.contains("UID:3F2504E0-4F89-11D3-9A0C-0305E82C3301"),
        "UID kept"
    );
    assert!(
        card.contains("PHOTO;TYPE=PNG;ENCODING=b:"),
        "inline photo kept"
    );
    assert!(
        card.contains("X-SOCIALPROFILE;TYPE=linkedin:"),
        "X- property kept"
    );
    assert!(
        card.contains(":Åberg;Zoë;Marie;Dr.;PhD\r\n"),
        "prefix and suffix kept"
    );
    assert!(
        card.contains("ORG:Acme Robotics\\, Inc.;R&D"),
        "ORG unit kept"
    );
    let company_card = by_name(&people, "Acme Robotics");
    assert_eq!(company_card.phones[0].label.as_deref(), Some("main"));
}

#[test]
fn google_vcards_several_per_file_crlf_folded_photo_url() {
    let (_d, mut s) = store();
    let r = import(&mut s, &fixture("google_contacts.vcf"));
    assert_eq!((r.total, r.created, r.invalid), (3, 3, 0), "{r:?}");
    let people = all(&s);
    let jl = by_name(&people, "Jean-Luc Picard");
    assert_eq!(jl.birthday.as_deref(), Some("--07-13"));
    assert!(
        jl.description
            .as_deref()
            .unwrap()
            .contains("never as Jean-Luc on the bridge"),
        "folded line unfolded"
    );
    assert_eq!(
        jl.urls[0].value, "https://memory-alpha.example.org/wiki/Picard",
        "escaped colon"
    );
    assert_eq!(jl.tags, ["myContacts", "Starred", "Bridge crew"]);
    let v4 = String::from_utf8(export(&s, Format::Vcard, 4)).unwrap();
    assert!(v4.contains("PHOTO:https://lh3.googleusercontent.com/contacts/AG6tpzG-abc123=s96-c"));
    assert!(v4.contains("BDAY:--0713"));
}

#[test]
fn outlook_2_1_quoted_printable_charsets_and_soft_breaks() {
    let (_d, mut s) = store();
    let r = import(&mut s, &fixture("outlook_2_1.vcf"));
    assert_eq!((r.created, r.invalid), (1, 0), "{r:?}");
    let p = &all(&s)[0];
    assert_eq!(p.full_name, "René Dupré");
    assert_eq!(
        p.company.as_deref(),
        Some("Café de Flore"),
        "windows-1252 quoted-printable"
    );
    assert_eq!(
        p.description.as_deref(),
        Some("Première ligne\r\nDeuxième ligne, très longue pour forcer une coupure douce à la fin du texte.")
    );
    assert_eq!(p.birthday.as_deref(), Some("1970-04-05"));
    assert_eq!(
        p.phones[1].e164.as_deref(),
        Some("+33612345678"),
        "region from the address"
    );
}

#[test]
fn thunderbird_4_0_pref_tel_uri_geo() {
    let (_d, mut s) = store();
    let r = import(&mut s, &fixture("thunderbird_4_0.vcf"));
    assert_eq!((r.created, r.invalid), (1, 0), "{r:?}");
    let p = &all(&s)[0];
    assert_eq!(p.emails[0].value, "ada@analytical.example.org");
    assert_eq!(p.phones[1].value, "+44-20-7946-0019 ext. 12");
    assert_eq!(p.birthday.as_deref(), Some("1815-12-10"));
    assert_eq!((p.latitude, p.longitude), (Some(51.5074), Some(-0.1278)));
    assert_eq!(
        p.description.as_deref(),
        Some("First programmer; wrote notes on the engine, with \\ backslash.")
    );
}

#[test]
fn android_2_1_utf8_quoted_printable_and_a_bad_email_kept_aside() {
    let (_d, mut s) = store();
    let r = import(&mut s, &fixture("android_2_1.vcf"));
    assert_eq!((r.created, r.invalid), (2, 0), "{r:?}");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.field == "emails" && w.location.starts_with("card 1")),
        "{:?}",
        r.warnings
    );
    let people = all(&s);
    let wang = by_name(&people, "小明 王");
    assert_eq!(wang.emails.len(), 1);
    let card = String::from_utf8(export(&s, Format::Vcard, 3)).unwrap();
    assert!(
        card.contains("EMAIL;TYPE=WORK:not an email"),
        "kept for export"
    );
}

#[test]
fn windows_1252_bytes_without_charset() {
    let (_d, mut s) = store();
    let r = import(&mut s, &fixture("windows_1252.vcf"));
    assert_eq!(r.created, 1);
    let p = &all(&s)[0];
    assert_eq!(p.full_name, "Jürgen Müller");
    assert_eq!(p.description.as_deref(), Some("Brötchen – 5 €"));
}

#[test]
fn broken_file_is_all_or_nothing_with_card_numbers_and_reasons() {
    let (_d, mut s) = store();
    let r = import(&mut s, &fixture("broken.vcf"));
    assert!(!r.committed);
    assert_eq!(all(&s).len(), 0, "nothing written");
    let locs: Vec<&str> = r.rejected.iter().map(|x| x.location.as_str()).collect();
    assert_eq!(r.invalid, 1, "{r:?}");
    assert!(locs[0].starts_with("card 2 (line 7)"), "{locs:?}");
    assert_eq!(r.rejected[0].error.field.as_deref(), Some("firstName"));
    assert!(
        r.warnings
            .iter()
            .any(|w| w.field == "birthday" && w.message.contains("2999-01-01")),
        "a future birthday is kept aside, not fatal: {:?}",
        r.warnings
    );

    let r = import_with(
        &mut s,
        &fixture("broken.vcf"),
        &ImportOptions {
            partial: true,
            ..Default::default()
        },
    );
    assert!(r.committed);
    // The last card has no END:VCARD: read to the end of the file, as other readers do.
    assert_eq!((r.created, r.invalid), (3, 1));
    assert_eq!(all(&s).len(), 3);
}

#[test]
fn every_shared_sample_imports_and_round_trips_through_vcard_3_and_4() {
    for path in shared_samples() {
        let (_d, mut s) = store();
        let r = import(&mut s, &path);
        assert_eq!(r.invalid, 0, "{}: {:?}", path.display(), r.rejected);
        assert!(r.committed && r.created > 0, "{}: {r:?}", path.display());
        let before = comparable(all(&s));
        for version in [3, 4] {
            let bytes = export(&s, Format::Vcard, version);
            let (_d2, s2, r2) = reimport(&bytes, Format::Vcard);
            assert_eq!(
                r2.invalid,
                0,
                "{} v{version}: {:?}",
                path.display(),
                r2.rejected
            );
            let after = comparable(all(&s2));
            assert_eq!(before, after, "{} through vCard {version}", path.display());
            // The leftovers (PHOTO, X-, UID...) come back too: a second export is identical.
            let again = export(&s2, Format::Vcard, version);
            assert_eq!(
                String::from_utf8_lossy(&bytes),
                String::from_utf8_lossy(&again),
                "{} v{version}",
                path.display()
            );
        }
    }
}

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
