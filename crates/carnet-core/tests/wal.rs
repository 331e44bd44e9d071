//! The write-ahead log of a file store: copied into the database by the store's own thread
//! soon after commits (never inside one), removed when the store closes, and writes from
//! two connections that wait for each other instead of failing.

use std::time::{Duration, Instant};

use carnet_core::Store;
use serde_json::json;

fn person(i: usize) -> serde_json::Value {
    json!({
        "firstName": format!("Ada{i}"),
        "lastName": "Lovelace",
        "emails": [{"value": format!("ada{i}@example.com")}],
        "phones": [{"value": format!("+44 20 7946 {:04}", i % 10_000)}],
        "description": "x".repeat(2_000),
    })
}

/// Bytes the database holds as the connection sees it (file plus log).
fn logical_size(s: &Store) -> u64 {
    let pages: i64 = s
        .connection()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    let size: i64 = s
        .connection()
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    (pages * size) as u64
}

#[test]
fn commits_leave_the_checkpoint_to_the_stores_thread_which_runs_soon_after() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let mut s = Store::open(&db).unwrap();
    let auto: i64 = s
        .connection()
        .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
        .unwrap();
    assert_eq!(auto, 0, "commits must not checkpoint");
    for i in 0..300 {
        s.create_person(&person(i)).unwrap();
    }
    let want = logical_size(&s);
    let deadline = Instant::now() + Duration::from_secs(20);
    // The database file catches up with what was committed, without any further call.
    loop {
        let file = std::fs::metadata(&db).unwrap().len();
        if file >= want {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "database file {file} bytes, committed {want} bytes: no checkpoint ran"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(s);
    let s = Store::open(&db).unwrap();
    assert_eq!(
        s.get_person(&s.list_people(&Default::default()).unwrap().items[0].id)
            .unwrap()
            .last_name
            .as_deref(),
        Some("Lovelace")
    );
}

#[test]
fn closing_the_store_copies_and_removes_its_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let mut s = Store::open(&db).unwrap();
    for i in 0..20 {
        s.create_person(&person(i)).unwrap();
    }
    let wal = dir.path().join("c.db-wal");
    assert!(wal.exists());
    drop(s);
    assert!(!wal.exists(), "the log outlived the store");
    let s = Store::open(&db).unwrap();
    assert_eq!(s.list_people(&Default::default()).unwrap().total, 20);
}

#[test]
fn a_write_waits_for_another_connections_write_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let mut a = Store::open(&db).unwrap();
    let id = a.create_person(&person(1)).unwrap().id;
    let mut b = Store::open(&db).unwrap();
    let (started_tx, started) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        a.transaction(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES ('held', 'yes')",
                [],
            )?;
            started_tx.send(()).unwrap();
            std::thread::sleep(Duration::from_millis(300));
            Ok(())
        })
        .unwrap();
    });
    started.recv().unwrap();
    // `a` holds the write lock and commits while this update is under way: a deferred
    // transaction would have read first and then failed with "database is locked".
    let p = b
        .update_person(&id, &json!({"jobTitle": "Analyst"}))
        .unwrap();
    holder.join().unwrap();
    assert_eq!(p.job_title.as_deref(), Some("Analyst"));
    assert_eq!(b.setting("held").unwrap().as_deref(), Some("yes"));
}

#[test]
fn checkpoint_returns_once_the_log_is_in_the_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let mut s = Store::open(&db).unwrap();
    s.transaction(|tx| {
        tx.execute(
            "INSERT INTO settings (key, value) VALUES ('big', printf('%.*c', 6000000, 'x'))",
            [],
        )?;
        Ok(())
    })
    .unwrap();
    // Whether the store's thread has started copying or not, the call waits for the end.
    s.checkpoint().unwrap();
    let file = std::fs::metadata(&db).unwrap().len();
    assert!(file >= logical_size(&s), "{file} bytes in the file");
    assert!(file > 6_000_000);
}
