//! The bulk write path of an import (in-memory index of live keys, lookup rows and search
//! entries written at the end, count triggers suspended): after an import the database
//! answers every question exactly as if each card had been written one by one.

use std::sync::atomic::AtomicBool;

use carnet_core::{ErrorCode, Format, ImportOptions, ImportReport, PeopleQuery, Store};
use serde_json::json;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&dir.path().join("carnet.db")).unwrap();
    (dir, s)
}

fn import(s: &mut Store, vcf: &str, opts: ImportOptions) -> ImportReport {
    let opts = ImportOptions {
        format: Some(Format::Vcard),
        ..opts
    };
    s.import_bytes(
        vcf.as_bytes(),
        &opts,
        &mut |_, _| {},
        &AtomicBool::new(false),
    )
    .unwrap()
}

fn card(fn_: &str, extra: &str) -> String {
    format!("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{fn_}\r\n{extra}END:VCARD\r\n")
}

fn search(s: &Store, q: &str) -> Vec<String> {
    s.list_people(&PeopleQuery {
        search: Some(q.into()),
        ..Default::default()
    })
    .unwrap()
    .items
    .into_iter()
    .map(|p| p.full_name)
    .collect()
}

fn total(s: &Store) -> u32 {
    s.list_people(&PeopleQuery::default()).unwrap().total
}

#[test]
fn a_later_card_with_the_same_email_updates_the_first_and_its_lookups() {
    let (_d, mut s) = store();
    let file = [
        card(
            "Ada Lovelace",
            "EMAIL:ada@example.com\r\nTEL:+44 20 7946 0958\r\nORG:Analytical Engines\r\nCATEGORIES:math\r\n",
        ),
        card("Grace Hopper", "EMAIL:grace@example.com\r\n"),
        // Same email as the first card: the same person, now with a second email (a card
        // carries the whole person, so it repeats the company).
        card(
            "Ada Lovelace",
            "EMAIL:ada@example.com\r\nEMAIL:countess@example.org\r\nTITLE:Countess\r\nORG:Analytical Engines\r\nCATEGORIES:math\r\nTEL:+44 20 7946 0958\r\n",
        ),
    ]
    .concat();
    let r = import(&mut s, &file, ImportOptions::default());
    assert_eq!(
        (r.created, r.updated, r.invalid),
        (2, 1, 0),
        "{:?}",
        r.rejected
    );
    assert_eq!(total(&s), 2);
    // The second email (added by the update) and the company are searchable.
    assert_eq!(search(&s, "countess"), vec!["Ada Lovelace"]);
    assert_eq!(search(&s, "analytical"), vec!["Ada Lovelace"]);
    assert_eq!(search(&s, "grace"), vec!["Grace Hopper"]);
    // Tags and phones reached their lookup tables.
    let tagged = s
        .list_people(&PeopleQuery {
            tag: Some("MATH".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(tagged.total, 1);
    let ada = &tagged.items[0];
    assert_eq!(ada.company.as_deref(), Some("Analytical Engines"));
    assert_eq!(ada.emails.len(), 2);
    // Both emails are owned now: a new person with either is a conflict naming Ada.
    for email in ["ADA@example.com", "countess@example.org"] {
        let e = s
            .create_person(&json!({"firstName": "X", "email": email}))
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict, "{email}");
        assert_eq!(e.existing_id.as_deref(), Some(ada.id.as_str()));
    }
    // The phone is known to the single-write path too: a new person sharing it is warned.
    let p = s
        .create_person(&json!({"firstName": "Y", "phoneNumber": "+442079460958"}))
        .unwrap();
    assert!(
        p.warnings.iter().any(|w| w.code == "duplicate_phone"),
        "{:?}",
        p.warnings
    );
}

/// A record matching a person created earlier in the same file finds that person with its
/// companies, although the bulk path writes company links only before the commit: a
/// record that leaves the companies out keeps them, exactly as in a later import.
#[test]
fn a_later_record_sees_the_companies_of_the_person_created_earlier_in_the_file() {
    let ada = json!({"firstName": "Ada", "lastName": "Lovelace", "emails": [{"value": "ada@example.com"}],
        "companies": [{"name": "Analytical Engines"}, {"name": "Royal Society"}]});
    let grace = json!({"firstName": "Grace", "lastName": "Hopper", "emails": [{"value": "grace@example.com"}],
        "companies": [{"name": "Navy"}]});
    let again = json!({"emails": [{"value": "ada@example.com"}], "jobTitle": "Countess"});
    let json_import = |s: &mut Store, people: Vec<serde_json::Value>| {
        let r = s
            .import_bytes(
                serde_json::to_string(&people).unwrap().as_bytes(),
                &ImportOptions {
                    format: Some(Format::Json),
                    ..Default::default()
                },
                &mut |_, _| {},
                &AtomicBool::new(false),
            )
            .unwrap();
        assert!(r.committed && r.invalid == 0, "{:?}", r.rejected);
        r
    };
    let (_d, mut s) = store();
    let r = json_import(&mut s, vec![ada.clone(), grace.clone(), again.clone()]);
    assert_eq!((r.created, r.updated), (2, 1));
    // The same records in two imports: the second finds Ada's links in the table.
    let (_e, mut t) = store();
    json_import(&mut t, vec![ada, grace]);
    json_import(&mut t, vec![again]);
    for st in [&s, &t] {
        let page = st.list_people(&PeopleQuery::default()).unwrap();
        let p = page
            .items
            .iter()
            .find(|p| p.full_name == "Ada Lovelace")
            .unwrap();
        let names: Vec<&str> = p.companies.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Analytical Engines", "Royal Society"]);
        assert_eq!(p.job_title.as_deref(), Some("Countess"));
        assert_eq!(search(st, "royal"), vec!["Ada Lovelace"]);
        assert_eq!(search(st, "navy"), vec!["Grace Hopper"]);
    }
}

#[test]
fn matches_people_stored_before_the_import_and_keeps_counts_in_step() {
    let (_d, mut s) = store();
    let before = s
        .create_person(&json!({"firstName": "Linus", "email": "linus@example.com", "companyName": "Kernel Co"}))
        .unwrap();
    let file = [
        card(
            "Linus T",
            "EMAIL:LINUS@example.com\r\nTITLE:Maintainer\r\nORG:Kernel Co\r\n",
        ),
        card("Ken Thompson", "EMAIL:ken@example.com\r\nORG:kernel co\r\n"),
    ]
    .concat();
    let r = import(&mut s, &file, ImportOptions::default());
    assert_eq!((r.created, r.updated), (1, 1));
    assert_eq!(
        s.get_person(&before.id).unwrap().job_title.as_deref(),
        Some("Maintainer")
    );
    // The company named differently in case is the stored one, not a second company.
    let ken = s
        .list_people(&PeopleQuery {
            search: Some("ken".into()),
            ..Default::default()
        })
        .unwrap()
        .items
        .remove(0);
    assert_eq!(ken.company_id, s.get_person(&before.id).unwrap().company_id);
    // The counts (kept by triggers the import suspends) are right, and the triggers are
    // back: a create and a trash after the import move them.
    assert_eq!(total(&s), 2);
    let p = s.create_person(&json!({"firstName": "Dennis"})).unwrap();
    assert_eq!(total(&s), 3);
    s.trash_person(&p.id).unwrap();
    assert_eq!(total(&s), 2);
}

#[test]
fn dry_run_and_refused_imports_leave_lookups_search_and_triggers_untouched() {
    let (_d, mut s) = store();
    let good = card("Barbara Liskov", "EMAIL:barbara@example.com\r\n");
    let r = import(
        &mut s,
        &good,
        ImportOptions {
            dry_run: true,
            ..Default::default()
        },
    );
    assert_eq!((r.created, r.committed), (1, false));
    assert_eq!(total(&s), 0);
    assert!(search(&s, "barbara").is_empty());
    // A bad card refuses the whole file (no --partial): nothing is indexed either.
    let bad = [good.clone(), card("", "EMAIL:not an email\r\n")].concat();
    let r = import(&mut s, &bad, ImportOptions::default());
    assert_eq!((r.invalid, r.committed), (1, false));
    assert_eq!(total(&s), 0);
    assert!(search(&s, "barbara").is_empty());
    // The email is free, and the counts still follow writes (triggers restored).
    s.create_person(&json!({"firstName": "B", "email": "barbara@example.com"}))
        .unwrap();
    assert_eq!(total(&s), 1);
    // With --partial the good card lands (as an update of the person just created).
    let r = import(
        &mut s,
        &bad,
        ImportOptions {
            partial: true,
            ..Default::default()
        },
    );
    assert_eq!((r.updated, r.invalid, r.committed), (1, 1, true));
    assert_eq!(search(&s, "liskov"), vec!["Barbara Liskov"]);
    assert_eq!(total(&s), 1);
}

#[test]
fn a_required_custom_field_refuses_cards_without_it() {
    let (_d, mut s) = store();
    let file = [
        card("Alan Turing", "EMAIL:alan@example.com\r\n"),
        card("Joan Clarke", "EMAIL:joan@example.com\r\n"),
    ]
    .concat();
    // Without a required field both cards are created.
    let r = import(&mut s, &file, ImportOptions::default());
    assert_eq!((r.created, r.invalid), (2, 0), "{:?}", r.rejected);
    // With a required person field, a new person without it is refused, naming the field.
    let (_d2, mut s2) = store();
    s2.create_field(&carnet_core::NewField {
        entity: carnet_core::FieldEntity::Person,
        label: "Clearance".into(),
        field_type: carnet_core::FieldType::Text,
        required: true,
        group: None,
        description: None,
        options: vec![],
        position: None,
    })
    .unwrap();
    let r = import(&mut s2, &file, ImportOptions::default());
    assert_eq!((r.created, r.invalid, r.committed), (0, 2, false));
    assert_eq!(
        r.rejected[0].error.field.as_deref(),
        Some("customFields.cf_clearance")
    );
    assert_eq!(total(&s2), 0);
}

#[test]
fn a_small_file_into_a_larger_database_gives_the_same_answers() {
    // 2 cards into 40 people: the plain per-record path (the index would cost more to
    // load than it saves); matching, conflicts and search must be the same.
    let (_d, mut s) = store();
    for i in 0..40 {
        s.create_person(
            &json!({"firstName": format!("P{i}"), "email": format!("p{i}@example.com")}),
        )
        .unwrap();
    }
    let file = [
        card("Pat Seven", "EMAIL:P7@example.com\r\nTITLE:Editor\r\n"),
        card("Quinn New", "EMAIL:quinn@example.com\r\n"),
    ]
    .concat();
    let r = import(&mut s, &file, ImportOptions::default());
    assert_eq!(
        (r.created, r.updated, r.invalid),
        (1, 1, 0),
        "{:?}",
        r.rejected
    );
    assert_eq!(total(&s), 41);
    assert_eq!(search(&s, "editor"), vec!["Pat Seven"]);
    let e = s
        .create_person(&json!({"firstName": "Q", "email": "quinn@example.com"}))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
}

/// The schema objects of the file (indexes and triggers with their SQL), and SQLite's own
/// check that every index holds exactly its table's rows.
fn schema(s: &Store) -> Vec<(String, String)> {
    let c = s.connection();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    c.prepare(
        "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name",
    )
    .unwrap()
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

#[test]
fn a_large_import_builds_the_indexes_again_and_a_refused_one_keeps_them() {
    let (_d, mut s) = store();
    let before = schema(&s);
    assert!(before.iter().any(|(n, _)| n == "person_emails_norm"));
    let cards: String = (0..300)
        .map(|i| {
            card(
                &format!("Person {i:03}"),
                &format!("EMAIL:p{i}@example.com\r\nTEL:+1 415 555 {:04}\r\nORG:Firm {}\r\nCATEGORIES:t{}\r\n", i, i % 7, i % 5),
            )
        })
        .collect();
    // Refused (a bad last card) and dry run: rolled back with the indexes they dropped.
    let bad = [cards.clone(), card("", "EMAIL:not an email\r\n")].concat();
    assert!(!import(&mut s, &bad, ImportOptions::default()).committed);
    assert_eq!(schema(&s), before);
    let dry = ImportOptions {
        dry_run: true,
        ..Default::default()
    };
    assert!(!import(&mut s, &cards, dry).committed);
    assert_eq!(schema(&s), before);
    // Committed into an empty database: the same indexes, each holding every row.
    let r = import(&mut s, &cards, ImportOptions::default());
    assert_eq!((r.created, r.committed), (300, true));
    assert_eq!(schema(&s), before);
    // The lookups the indexes serve answer: an email and a phone already taken, a tag.
    let e = s
        .create_person(&json!({"firstName": "X", "emails": [{"value": "p7@example.com"}]}))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
    let tagged = s
        .list_people(&PeopleQuery {
            tag: Some("t3".into()),
            limit: 100,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(tagged.total, 60);
    // A second import into the now larger table keeps the indexes in place.
    let more: String = (300..320)
        .map(|i| {
            card(
                &format!("Person {i}"),
                &format!("EMAIL:p{i}@example.com\r\n"),
            )
        })
        .collect();
    assert_eq!(import(&mut s, &more, ImportOptions::default()).created, 20);
    assert_eq!(schema(&s), before);
    assert_eq!(total(&s), 320);
}
