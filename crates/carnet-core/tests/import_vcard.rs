//! vCard import and export on real SQLite files: every fixture imitating an exporter
//! (Apple, Google, Outlook, Thunderbird, Android, Windows-1252 bytes, a broken file) and
//! every real export in `../shared/vcard-samples`, each round-tripped through vCard 3 and 4.

mod common;

use carnet_core::{Format, ImportOptions};
use common::*;

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
