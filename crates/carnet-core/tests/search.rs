//! Search relevance: name matches before email/phone, company and other fields, each tier
//! by name; one-character words find names; pages, totals and caches stay consistent.

use carnet_core::text::sort_key;
use carnet_core::{PeopleQuery, Store};
use serde_json::{json, Value};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&dir.path().join("carnet.db")).unwrap();
    (dir, s)
}

fn query(q: &str, offset: u32, limit: u32) -> PeopleQuery {
    PeopleQuery {
        search: Some(q.into()),
        offset,
        limit,
        ..Default::default()
    }
}

/// Names of the first page and the total.
fn search(s: &Store, q: &str) -> (Vec<String>, u32) {
    let page = s.list_people(&query(q, 0, 100)).unwrap();
    (
        page.items.into_iter().map(|p| p.full_name).collect(),
        page.total,
    )
}

fn create(s: &mut Store, body: Value) -> String {
    s.create_person(&body).unwrap().id
}

/// One person per tier for "ald", plus a second name match that sorts first.
fn tiers_fixture(s: &mut Store) {
    create(
        s,
        json!({"firstName": "Aaron", "lastName": "Dean", "jobTitle": "Alderman"}),
    );
    create(
        s,
        json!({"firstName": "Ann", "lastName": "Clark", "companyName": "Alderon Labs"}),
    );
    create(
        s,
        json!({"firstName": "Bob", "lastName": "Brown", "email": "aldo@mail.test"}),
    );
    create(s, json!({"firstName": "Zoë", "lastName": "Aldridge"}));
    create(s, json!({"firstName": "Aldo", "lastName": "Ærø"}));
    create(
        s,
        json!({"firstName": "Zoë", "lastName": "Quinn", "companyName": "Alderon Labs"}),
    );
    create(s, json!({"firstName": "Carl", "lastName": "Young"}));
}

#[test]
fn name_matches_come_before_email_company_and_other_fields() {
    let (_d, mut s) = store();
    tiers_fixture(&mut s);
    let (names, total) = search(&s, "ald");
    assert_eq!(
        names,
        [
            "Aldo Ærø",     // 1. name (sorted by name within the tier)
            "Zoë Aldridge", // 1. name
            "Bob Brown",    // 2. email
            "Ann Clark",    // 3. company
            "Zoë Quinn",    // 3. company
            "Aaron Dean",   // 4. job title
        ]
    );
    assert_eq!(total, 6);
    // Every word must match; the tier is that of the field the last of them needs.
    assert_eq!(search(&s, "zoe ald").0, ["Zoë Aldridge", "Zoë Quinn"]);
    assert_eq!(search(&s, "alderon zoe").0, ["Zoë Quinn"]);
    // Descending order is an explicit name order over the same matches.
    let page = s
        .list_people(&PeopleQuery {
            descending: true,
            ..query("ald", 0, 100)
        })
        .unwrap();
    let names: Vec<String> = page.items.into_iter().map(|p| p.full_name).collect();
    assert_eq!(
        names,
        [
            "Zoë Quinn",
            "Zoë Aldridge",
            "Bob Brown",
            "Ann Clark",
            "Aldo Ærø",
            "Aaron Dean"
        ]
    );
    assert_eq!(page.total, 6);
}

#[test]
fn accents_and_case_are_folded_both_ways() {
    let (_d, mut s) = store();
    tiers_fixture(&mut s);
    assert_eq!(search(&s, "AERO").0, ["Aldo Ærø"]);
    assert_eq!(search(&s, "ærø").0, ["Aldo Ærø"]);
    assert_eq!(search(&s, "Zoe Qu").0, ["Zoë Quinn"]);
    assert_eq!(search(&s, "zoë").0, ["Zoë Aldridge", "Zoë Quinn"]);
}

#[test]
fn one_character_words_find_name_words_only() {
    let (_d, mut s) = store();
    tiers_fixture(&mut s);
    // Bob's email starts with "a" and Ann's company too: a single letter finds names only.
    let (names, total) = search(&s, "a");
    assert_eq!(
        names,
        ["Aaron Dean", "Aldo Ærø", "Ann Clark", "Zoë Aldridge"]
    );
    assert_eq!(total, 4);
    assert_eq!(search(&s, "Å").0, names, "accents folded");
    assert_eq!(search(&s, "z").0, ["Zoë Aldridge", "Zoë Quinn"]);
    assert_eq!(search(&s, "y").0, ["Carl Young"]);
    assert_eq!(search(&s, "x"), (vec![], 0));
    // With longer words: the letter starts a name word, the rest follow the tiers.
    assert_eq!(search(&s, "zoe q").0, ["Zoë Quinn"]);
    assert_eq!(search(&s, "q zoe").0, ["Zoë Quinn"]);
    assert_eq!(search(&s, "alderon a").0, ["Ann Clark"]);
    assert_eq!(search(&s, "a c").0, ["Ann Clark"]);
    // The explicit orders match the same people (through FTS5's `name : "a"*`).
    for (q, want) in [
        (
            "a",
            vec!["Zoë Aldridge", "Ann Clark", "Aldo Ærø", "Aaron Dean"],
        ),
        ("zoe q", vec!["Zoë Quinn"]),
        ("alderon a", vec!["Ann Clark"]),
    ] {
        let page = s
            .list_people(&PeopleQuery {
                descending: true,
                ..query(q, 0, 100)
            })
            .unwrap();
        let names: Vec<String> = page.items.into_iter().map(|p| p.full_name).collect();
        assert_eq!(names, want, "{q}");
        assert_eq!(page.total as usize, want.len(), "{q}");
    }
}

/// 40 people per tier for "kim", names shuffled so that no tier is alphabetical by chance.
fn kim_fixture(s: &mut Store) -> Vec<(u8, String, String)> {
    let mut want = vec![];
    for i in 0..160u32 {
        let tier = (i % 4) as u8 + 1;
        let first = ["Zed", "Ada", "Mo", "Édith", "Bea"][(i * 7 % 5) as usize];
        let last = format!("N{:03}", (i * 37) % 160);
        let body = match tier {
            1 => json!({"firstName": first, "lastName": format!("Kim{last}")}),
            2 => {
                json!({"firstName": first, "lastName": last, "email": format!("kim{i}@mail.test")})
            }
            3 => {
                json!({"firstName": first, "lastName": last, "companyName": format!("Kimco {}", i % 3)})
            }
            _ => json!({"firstName": first, "lastName": last, "tags": ["kimchi"]}),
        };
        let id = create(s, body);
        let name = s.get_person(&id).unwrap().full_name;
        want.push((tier, name, id));
    }
    // A person matching nothing.
    create(s, json!({"firstName": "Nobody", "lastName": "Here"}));
    want.sort_by_key(|(t, n, _)| (*t, sort_key(n)));
    want
}

#[test]
fn pages_follow_the_relevance_order_and_total_counts_all_matches() {
    let (_d, mut s) = store();
    let want = kim_fixture(&mut s);
    let want_ids: Vec<&str> = want.iter().map(|w| w.2.as_str()).collect();
    let mut got = vec![];
    for offset in (0..170).step_by(9) {
        let page = s.list_people(&query("Kim", offset, 9)).unwrap();
        assert_eq!(page.total, 160, "at {offset}");
        assert_eq!(page.offset, offset);
        got.extend(page.items.into_iter().map(|p| p.id));
    }
    assert_eq!(
        got, want_ids,
        "pages of 9 are the one order, no gap, no repeat"
    );
    // A deep page on its own (nothing cached for this query yet) agrees.
    let deep = s.list_people(&query("kim", 117, 30)).unwrap();
    let deep: Vec<String> = deep.items.into_iter().map(|p| p.id).collect();
    assert_eq!(deep, want_ids[117..147]);
}

#[test]
fn writes_on_this_or_another_connection_are_searched_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("carnet.db");
    let mut s = Store::open(&path).unwrap();
    let want = kim_fixture(&mut s);
    assert_eq!(search(&s, "kim").1, 160);
    assert_eq!(search(&s, "k").1, 40);
    // A new name match sorts first; a trashed one leaves.
    let aaa = create(&mut s, json!({"firstName": "Aaa", "lastName": "Kimura"}));
    s.trash_person(&want[0].2).unwrap();
    let page = s.list_people(&query("kim", 0, 5)).unwrap();
    assert_eq!(page.items[0].id, aaa);
    assert!(page.items.iter().all(|p| p.id != want[0].2));
    assert_eq!(page.total, 160);
    assert_eq!(search(&s, "k").1, 40);
    // A rename moves a person between tiers.
    s.update_person(&want[1].2, &json!({"lastName": "Other"}))
        .unwrap();
    let (names, total) = search(&s, "kim");
    assert_eq!(total, 159);
    let renamed = s.get_person(&want[1].2).unwrap().full_name;
    let pos = names.iter().position(|n| *n == renamed);
    assert_eq!(pos, None, "no longer a match: its only 'kim' was the name");
    // Another connection's commit is seen by this one's cached name order.
    let mut other = Store::open(&path).unwrap();
    let id = create(
        &mut other,
        json!({"firstName": "Aab", "lastName": "Kimball"}),
    );
    let page = s.list_people(&query("kim", 0, 5)).unwrap();
    assert_eq!(page.items[1].id, id);
    assert_eq!(page.total, 160);
    assert_eq!(search(&s, "k").1, 40, "+1 -1 trashed -1 renamed +1");
}

#[test]
fn phone_digits_and_email_fragments_rank_as_email_or_phone_matches() {
    let (_d, mut s) = store();
    create(
        &mut s,
        json!({"firstName": "Zara", "lastName": "Phone", "phones": ["(415) 555-0101"]}),
    );
    create(
        &mut s,
        json!({"firstName": "Yann", "lastName": "Mail", "email": "zara.p@mail.test"}),
    );
    create(&mut s, json!({"firstName": "Zara", "lastName": "Plain"}));
    assert_eq!(search(&s, "555-01"), (vec!["Zara Phone".to_string()], 1));
    assert_eq!(search(&s, "+1 415 555").0, ["Zara Phone"]);
    // A dotted fragment is one phrase, found in names first, then in the email.
    assert_eq!(
        search(&s, "zara.p").0,
        ["Zara Phone", "Zara Plain", "Yann Mail"]
    );
    // Two words: the single letter must start a name word.
    assert_eq!(search(&s, "zara p").0, ["Zara Phone", "Zara Plain"]);
}
