//! Cancel stops an import at any moment before its commit, including after the last record,
//! while the indexes and the search index are built (`interrupt`): nothing is written and
//! the database is left exactly as it was. The last progress report says every record is
//! read (the window labels that phase from it).

use std::sync::atomic::{AtomicBool, Ordering};

use carnet_core::{Format, ImportOptions, ImportReport, PeopleQuery, Store};

/// Enough cards for the search index to be built on the side connection.
const N: usize = 3_000;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&dir.path().join("carnet.db")).unwrap();
    (dir, s)
}

fn file(seed: u64) -> String {
    let bodies: Vec<_> = carnet_gen::people(seed, N)
        .into_iter()
        .map(|p| p.body)
        .collect();
    carnet_gen::vcards::file(&bodies)
}

/// Import `vcf`, setting the cancel flag when `cancel_at(done, total)` first says so.
fn import(s: &mut Store, vcf: &str, cancel_at: impl Fn(usize, usize) -> bool) -> ImportReport {
    let cancel = AtomicBool::new(false);
    s.import_bytes(
        vcf.as_bytes(),
        &ImportOptions {
            format: Some(Format::Vcard),
            ..Default::default()
        },
        &mut |done, total| {
            if cancel_at(done, total) {
                cancel.store(true, Ordering::SeqCst);
            }
        },
        &cancel,
    )
    .unwrap()
}

/// Everything a cancelled import could have touched: the schema (the import sets indexes
/// and triggers aside), the counts, and what a search and the list find.
fn snapshot(s: &Store) -> (Vec<(String, String)>, i64, u32, u32) {
    let conn = s.connection();
    let mut st = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name")
        .unwrap();
    let schema = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap();
    let counted: i64 = conn
        .query_row("SELECT n FROM people_counts WHERE trashed = 0", [], |r| {
            r.get(0)
        })
        .unwrap();
    let listed = s.list_people(&PeopleQuery::default()).unwrap().total;
    let found = s
        .list_people(&PeopleQuery {
            search: Some("a".into()),
            ..Default::default()
        })
        .unwrap()
        .total;
    (schema, counted, listed, found)
}

fn integrity(s: &Store) -> String {
    s.connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// Cancel pressed once every record is written, while the import builds its indexes: the
/// import reports "cancelled", the empty database stays empty, and the same file then
/// imports in full.
#[test]
fn cancel_after_the_last_record_writes_nothing() {
    let (_d, mut s) = store();
    let before = snapshot(&s);
    let vcf = file(3);
    let r = import(&mut s, &vcf, |done, total| done == total);
    assert!(r.cancelled && !r.committed, "{r:?}");
    assert_eq!(snapshot(&s), before);
    assert_eq!(integrity(&s), "ok");

    let r = import(&mut s, &vcf, |_, _| false);
    assert!(!r.cancelled && r.committed, "{r:?}");
    // A few generated people share an email and are merged.
    let n = r.created;
    assert!(n as usize > N * 9 / 10, "{r:?}");
    let after = snapshot(&s);
    assert_eq!(
        after.0, before.0,
        "the schema is the same after a full import"
    );
    assert_eq!((after.1, after.2), (n as i64, n));
    assert!(after.3 > 0);
}

/// The same into a database that already holds people (its search index is not empty,
/// so the entries go in one by one rather than on the side connection).
#[test]
fn cancel_after_the_last_record_leaves_stored_people_as_they_were() {
    let (_d, mut s) = store();
    let r = import(&mut s, &file(5), |_, _| false);
    assert!(r.committed);
    let before = snapshot(&s);
    let r = import(&mut s, &file(6), |done, total| done == total);
    assert!(r.cancelled && !r.committed, "{r:?}");
    assert_eq!(snapshot(&s), before);
    assert_eq!(integrity(&s), "ok");
}

/// A CSV's total is its line count, an estimate: quoted notes spanning lines make it larger
/// than the records. Once every record is read the progress is exact and full.
#[test]
fn the_last_progress_report_is_full_even_when_the_total_was_an_estimate() {
    let (_d, mut s) = store();
    let csv = "First Name,Last Name,Notes\r\nAda,Lovelace,\"first line\r\nsecond line\r\nthird\"\r\nAlan,Turing,\"one\r\ntwo\"\r\n";
    let mut calls = vec![];
    let r = s
        .import_bytes(
            csv.as_bytes(),
            &ImportOptions {
                format: Some(Format::Csv),
                ..Default::default()
            },
            &mut |d, t| calls.push((d, t)),
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!((r.created, r.committed), (2, true), "{r:?}");
    assert_eq!(
        calls.first(),
        Some(&(0, 5)),
        "the lines after the header, an estimate"
    );
    assert_eq!(calls.last(), Some(&(2, 2)), "{calls:?}");
}
