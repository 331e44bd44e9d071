//! An import into an empty search index builds that index on a second thread and copies it
//! in (`search_build`): the database must then search, and go on being written, exactly
//! like one whose cards were indexed one by one.

use std::sync::atomic::AtomicBool;

use carnet_core::{Format, ImportOptions, ImportReport, PeopleQuery, Store};
use serde_json::{json, Value};

/// Enough cards for the index to be built aside (`search_build::MIN_ENTRIES` is 2,000).
const N: usize = 2_500;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&dir.path().join("carnet.db")).unwrap();
    (dir, s)
}

fn people() -> Vec<Value> {
    carnet_gen::people(7, N)
        .into_iter()
        .map(|p| p.body)
        .collect()
}

fn import(s: &mut Store, file: &str, partial: bool, dry_run: bool) -> ImportReport {
    s.import_bytes(
        file.as_bytes(),
        &ImportOptions {
            format: Some(Format::Vcard),
            partial,
            dry_run,
            ..Default::default()
        },
        &mut |_, _| {},
        &AtomicBool::new(false),
    )
    .unwrap()
}

/// A search's total and its first 300 names, in order (three pages).
fn search(s: &Store, q: &str) -> (u32, Vec<String>) {
    let mut names = Vec::new();
    let mut total = 0;
    for offset in [0, 100, 200] {
        let page = s
            .list_people(&PeopleQuery {
                search: Some(q.into()),
                limit: 100,
                offset,
                ..Default::default()
            })
            .unwrap();
        total = page.total;
        names.extend(page.items.into_iter().map(|p| p.full_name));
    }
    (total, names)
}

/// Queries of every kind the window sends: name prefixes of 1 to 4 letters, folded
/// names, email parts, companies, phone digits.
fn queries(bodies: &[Value]) -> Vec<String> {
    let mut q = vec![
        "a", "gr", "mar", "jean", "zoe", "acme", "com", "gmail", "555", "+44",
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    for b in bodies.iter().step_by(97) {
        if let Some(f) = b["firstName"].as_str() {
            q.push(f.chars().take(3).collect());
        }
        if let Some(l) = b["lastName"].as_str() {
            q.push(l.to_string());
        }
        if let Some(e) = b["emails"][0]["value"].as_str() {
            q.push(e.chars().take(6).collect());
        }
        if let Some(c) = b["companies"][0]["name"].as_str() {
            q.push(c.to_string());
        }
        if let Some(p) = b["phones"][0]["value"].as_str() {
            let d: String = p.chars().filter(char::is_ascii_digit).collect();
            q.push(d[d.len().saturating_sub(7)..].to_string());
        }
    }
    q
}

/// FTS5's own check of its index structures (the file opened on a second connection).
fn integrity(dir: &tempfile::TempDir) {
    let c = rusqlite::Connection::open(dir.path().join("carnet.db")).unwrap();
    c.execute(
        "INSERT INTO people_fts (people_fts, rank) VALUES ('integrity-check', 0)",
        [],
    )
    .unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM people_fts_docsize", [], |r| r.get(0))
        .unwrap();
    let live: i64 = c
        .query_row(
            "SELECT count(*) FROM people WHERE deleted_at IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, live, "one search entry per live person");
}

/// The index built aside arrives merged into one segment, and the settings the side table
/// was built with (automerge off) stay behind: the store's table keeps FTS5's defaults.
fn side_settings_left_behind(dir: &tempfile::TempDir) {
    let c = rusqlite::Connection::open(dir.path().join("carnet.db")).unwrap();
    let config: Vec<String> = c
        .prepare("SELECT k FROM people_fts_config ORDER BY k")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(config, ["version"]);
    let segments: i64 = c
        .query_row(
            "SELECT count(DISTINCT segid) FROM people_fts_idx",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(segments, 1, "one merged segment");
}

fn same_searches(a: &Store, b: &Store, qs: &[String]) {
    let mut found = 0;
    for q in qs {
        let (ra, rb) = (search(a, q), search(b, q));
        assert_eq!(ra, rb, "search {q:?}");
        found += usize::from(ra.0 > 0);
    }
    assert!(
        found * 10 >= qs.len() * 9,
        "most queries find someone: {found} of {}",
        qs.len()
    );
}

#[test]
fn an_index_built_aside_searches_like_one_built_card_by_card() {
    let bodies = people();
    let file = carnet_gen::vcards::file(&bodies);
    let qs = queries(&bodies);

    // The bulk path, with the index built aside. This connection has already read the
    // empty index (a search caches FTS5's structure on the connection).
    let (dir_a, mut a) = store();
    assert_eq!(search(&a, "gr").0, 0);
    let dry = import(&mut a, &file, false, true);
    assert!(!dry.committed);
    assert_eq!(search(&a, "gr").0, 0, "a dry run leaves the index empty");
    let ra = import(&mut a, &file, false, false);
    assert!(ra.committed && ra.invalid == 0, "{:?}", ra.rejected.first());
    side_settings_left_behind(&dir_a);

    // The per-record path (a partial import writes every card as it comes).
    let (_dir_b, mut b) = store();
    let rb = import(&mut b, &file, true, false);
    assert_eq!((ra.created, ra.updated), (rb.created, rb.updated));

    same_searches(&a, &b, &qs);
    integrity(&dir_a);

    // The copied index goes on being written: an edit, a trash and a new person.
    let first = search(&a, "a").1;
    assert!(!first.is_empty());
    for s in [&mut a, &mut b] {
        let page = s
            .list_people(&PeopleQuery {
                limit: 3,
                ..Default::default()
            })
            .unwrap();
        let ids: Vec<String> = page.items.iter().map(|p| p.id.clone()).collect();
        s.update_person(&ids[0], &json!({"lastName": "Quixotic"}))
            .unwrap();
        s.trash_person(&ids[1]).unwrap();
        s.create_person(&json!({"firstName": "Zebulon", "lastName": "Quixotic", "emails": [{"value": "zeb@quixotic.example"}]}))
            .unwrap();
    }
    let mut more = qs.clone();
    more.extend(["quixotic", "zeb", "quixotic.example"].map(String::from));
    same_searches(&a, &b, &more);
    assert_eq!(search(&a, "quixotic").0, 2);
    integrity(&dir_a);

    // And a new connection reads the same index.
    drop(a);
    let a = Store::open(&dir_a.path().join("carnet.db")).unwrap();
    same_searches(&a, &b, &more);
}

#[test]
fn a_second_import_adds_to_the_index_built_by_the_first() {
    let bodies = people();
    // The same cards as one file, and as two files split at card `cut`.
    let cards = |range: std::ops::Range<usize>| {
        let mut out = String::new();
        for i in range {
            carnet_gen::vcards::vcard(i, &bodies[i], &mut out);
        }
        out
    };
    let cut = N / 2 + 300;
    let (dir, mut s) = store();
    import(&mut s, &cards(0..N), false, false);
    // Into a non-empty index the entries are written in place; the result is the same.
    let (_d2, mut t) = store();
    import(&mut t, &cards(0..cut), false, false);
    import(&mut t, &cards(cut..N), false, false);
    same_searches(&s, &t, &queries(&bodies));
    integrity(&dir);
}
