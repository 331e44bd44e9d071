//! Deep pages (anchor seek) give exactly the rows OFFSET would, in every order, and stay
//! right after writes; unfiltered totals come from the trigger-kept counts.

use carnet_core::{PeopleQuery, PeopleSort, Store};
use serde_json::json;

fn reference(s: &Store, col: &str, desc: bool, trashed: bool) -> Vec<String> {
    let dir = if desc { "DESC" } else { "ASC" };
    let null = if trashed { "NOT NULL" } else { "NULL" };
    let sql =
        format!("SELECT id FROM people WHERE deleted_at IS {null} ORDER BY {col} {dir}, seq {dir}");
    let mut st = s.connection().prepare(&sql).unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn page(s: &Store, sort: PeopleSort, desc: bool, offset: u32) -> Vec<String> {
    page_of(s, sort, desc, offset, false)
}

fn page_of(s: &Store, sort: PeopleSort, desc: bool, offset: u32, trashed: bool) -> Vec<String> {
    let q = PeopleQuery {
        sort,
        descending: desc,
        offset,
        limit: 100,
        trashed,
        ..Default::default()
    };
    s.list_people(&q)
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.id)
        .collect()
}

#[test]
fn deep_pages_match_offset_in_every_order_and_after_writes() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("p.db")).unwrap();
    let mut ids = vec![];
    for (i, g) in carnet_gen::people(5, 1300).into_iter().enumerate() {
        let mut b = g.body;
        b["createdAt"] = json!(format!("2026-01-{:02}T00:00:{:02}Z", 1 + i % 28, i % 60));
        ids.push(s.create_person(&b).unwrap().id);
    }
    let check = |s: &Store| {
        for (sort, col) in [
            (PeopleSort::Name, "sort_key"),
            (PeopleSort::Created, "created_at"),
            (PeopleSort::Updated, "updated_at"),
        ] {
            for (desc, trashed) in [(false, false), (true, false), (false, true), (true, true)] {
                let all = reference(s, col, desc, trashed);
                for offset in [
                    0u32, 1, 20, 50, 500, 511, 512, 513, 1023, 1024, 1200, 1290, 1299, 1300, 1536,
                    9000,
                ] {
                    let want: Vec<String> = all
                        .iter()
                        .skip(offset as usize)
                        .take(100)
                        .cloned()
                        .collect();
                    assert_eq!(
                        page_of(s, sort, desc, offset, trashed),
                        want,
                        "{col} desc={desc} trashed={trashed} offset={offset}"
                    );
                }
            }
        }
    };
    check(&s);
    // Writes that move rows (rename, trash, new people) invalidate the anchors.
    s.update_person(&ids[3], &json!({"fullName": "Aaaa Aardvark"}))
        .unwrap();
    for id in &ids[100..140] {
        s.trash_person(id).unwrap();
    }
    s.create_person(&json!({"fullName": "Zzzz Last"})).unwrap();
    check(&s);
    let page = s.list_people(&PeopleQuery::default()).unwrap();
    assert_eq!(page.total, 1300 - 40 + 1);
    let trash = s
        .list_people(&PeopleQuery {
            trashed: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(trash.total, 40);
    s.restore_person(&ids[100]).unwrap();
    s.purge_person(&ids[101]).unwrap();
    s.purge_person(&ids[0]).unwrap_err();
    assert_eq!(
        s.list_people(&PeopleQuery {
            trashed: true,
            ..Default::default()
        })
        .unwrap()
        .total,
        38
    );
    assert_eq!(s.list_people(&PeopleQuery::default()).unwrap().total, 1262);
}

#[test]
fn another_connection_writing_invalidates_the_anchors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    let mut a = Store::open(&path).unwrap();
    for g in carnet_gen::people(9, 700) {
        a.create_person(&g.body).unwrap();
    }
    let before = page(&a, PeopleSort::Name, false, 600);
    let mut b = Store::open(&path).unwrap();
    b.create_person(&json!({"fullName": "A A"})).unwrap();
    let after = page(&a, PeopleSort::Name, false, 600);
    assert_ne!(before, after);
    assert_eq!(
        after,
        reference(&a, "sort_key", false, false)
            .into_iter()
            .skip(600)
            .take(100)
            .collect::<Vec<_>>()
    );
}

#[test]
fn search_pages_agree_for_rare_and_common_terms_and_trash_is_searched_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("s.db")).unwrap();
    let mut ids = vec![];
    for (i, g) in carnet_gen::people(11, 4300).into_iter().enumerate() {
        let mut b = g.body;
        // 4,100 people share "welder" (the dense plan), 30 share "zeppelin" (the sparse plan).
        b["jobTitle"] = json!(if i < 4100 {
            "Welder"
        } else if i < 4130 {
            "Zeppelin pilot"
        } else {
            "Clerk"
        });
        ids.push(s.create_person(&b).unwrap().id);
    }
    for id in &ids[4120..4125] {
        s.trash_person(id).unwrap();
    }
    for (term, want_total) in [("welder", 4100u32), ("zeppelin", 25)] {
        let sql = format!(
            "SELECT id FROM people WHERE deleted_at IS NULL AND job_title LIKE '{term}%' ORDER BY sort_key, seq"
        );
        let want: Vec<String> = s
            .connection()
            .prepare(&sql)
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for offset in [0u32, 20, 4050] {
            let page = s
                .list_people(&PeopleQuery {
                    search: Some(term.into()),
                    offset,
                    limit: 100,
                    ..Default::default()
                })
                .unwrap();
            assert_eq!(page.total, want_total, "{term}");
            let got: Vec<String> = page.items.into_iter().map(|p| p.id).collect();
            assert_eq!(
                got,
                want.iter()
                    .skip(offset as usize)
                    .take(100)
                    .cloned()
                    .collect::<Vec<_>>(),
                "{term} at {offset}"
            );
        }
    }
    // Trashed people leave the index and come back on restore.
    let trashed = s.get_person(&ids[4120]).unwrap();
    let q = PeopleQuery {
        search: Some(trashed.full_name.clone()),
        trashed: true,
        ..Default::default()
    };
    assert!(
        s.list_people(&q)
            .unwrap()
            .items
            .iter()
            .any(|p| p.id == trashed.id),
        "trash is searched by name"
    );
    s.restore_person(&ids[4120]).unwrap();
    let page = s
        .list_people(&PeopleQuery {
            search: Some("zeppelin".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.total, 26);
}
