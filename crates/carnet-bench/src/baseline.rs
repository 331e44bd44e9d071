//! The bare rusqlite baseline: the same data in the simplest schema that can answer the
//! same questions (a row per person, email and phone tables, an FTS5 index, keyset pages),
//! with no validation, no normalisation and no JSON shape. Carnet is compared against it.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{params, Connection};
use serde_json::Value;

fn err(e: rusqlite::Error) -> String {
    e.to_string()
}

fn name_of(b: &Value) -> String {
    if let Some(f) = b.get("fullName").and_then(Value::as_str) {
        return f.to_string();
    }
    let first = b.get("firstName").and_then(Value::as_str).unwrap_or("");
    let last = b.get("lastName").and_then(Value::as_str).unwrap_or("");
    format!("{first} {last}").trim().to_string()
}

fn values(b: &Value, key: &str) -> Vec<String> {
    b.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x["value"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn open(path: &Path) -> Result<Connection, String> {
    let c = Connection::open(path).map_err(err)?;
    c.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))
        .map_err(err)?;
    c.execute_batch("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")
        .map_err(err)?;
    Ok(c)
}

/// Insert everyone in one transaction; returns the time to the commit (schema creation
/// excluded) and the time of the WAL checkpoint that follows, measured apart as Carnet's
/// import leaves its checkpoint to the caller (SQLite would otherwise run it in the commit).
pub fn insert(path: &Path, bodies: &[Value]) -> Result<(Duration, Duration), String> {
    let mut c = open(path)?;
    c.query_row("PRAGMA wal_autocheckpoint = 0", [], |_| Ok(()))
        .map_err(err)?;
    c.execute_batch(
        "CREATE TABLE people(seq INTEGER PRIMARY KEY, id TEXT UNIQUE, name TEXT, sort_key TEXT, data TEXT);
         CREATE INDEX people_sort ON people(sort_key, seq);
         CREATE TABLE emails(person INTEGER REFERENCES people(seq), email TEXT); CREATE INDEX emails_e ON emails(email);
         CREATE TABLE phones(person INTEGER REFERENCES people(seq), phone TEXT); CREATE INDEX phones_p ON phones(phone);
         CREATE VIRTUAL TABLE fts USING fts5(name, emails, phones, content='', tokenize='unicode61 remove_diacritics 2', prefix='2 3');",
    )
    .map_err(err)?;
    let t = Instant::now();
    let tx = c.transaction().map_err(err)?;
    {
        let mut p = tx
            .prepare("INSERT INTO people(id, name, sort_key, data) VALUES (?1, ?2, ?3, ?4)")
            .map_err(err)?;
        let mut e = tx
            .prepare("INSERT INTO emails(person, email) VALUES (?1, ?2)")
            .map_err(err)?;
        let mut ph = tx
            .prepare("INSERT INTO phones(person, phone) VALUES (?1, ?2)")
            .map_err(err)?;
        let mut f = tx
            .prepare("INSERT INTO fts(rowid, name, emails, phones) VALUES (?1, ?2, ?3, ?4)")
            .map_err(err)?;
        for (i, b) in bodies.iter().enumerate() {
            let name = name_of(b);
            p.execute(params![
                i.to_string(),
                name,
                name.to_lowercase(),
                b.to_string()
            ])
            .map_err(err)?;
            let seq = tx.last_insert_rowid();
            let emails = values(b, "emails");
            for x in &emails {
                e.execute(params![seq, x.to_lowercase()]).map_err(err)?;
            }
            let phones: Vec<String> = values(b, "phones").iter().map(|x| digits(x)).collect();
            for x in &phones {
                ph.execute(params![seq, x]).map_err(err)?;
            }
            f.execute(params![seq, name, emails.join(" "), phones.join(" ")])
                .map_err(err)?;
        }
    }
    tx.commit().map_err(err)?;
    let committed = t.elapsed();
    let t = Instant::now();
    c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
        .map_err(err)?;
    Ok((committed, t.elapsed()))
}

/// Queries a person types, drawn from the data: name prefixes (with and without accents),
/// email and company prefixes, and phone digits; each with its kind (for per-kind stats).
pub fn queries(bodies: &[Value]) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let step = (bodies.len() / 60).max(1);
    for b in bodies.iter().step_by(step).take(60) {
        let name = name_of(b);
        if let Some(first) = name.split_whitespace().next() {
            let chars: Vec<char> = first.chars().collect();
            for n in 1..=chars.len().min(4) {
                let kind = [
                    "name 1 char",
                    "name 2 chars",
                    "name 3 chars",
                    "name 4 chars",
                ][n - 1];
                out.push((kind, chars[..n].iter().collect()));
            }
            let plain = carnet_core::text::fold(first);
            if plain != first.to_lowercase() {
                out.push(("folded name", plain));
            }
        }
        if let Some(e) = values(b, "emails").first() {
            out.push(("email 6 chars", e.chars().take(6).collect()));
        }
        if let Some(p) = values(b, "phones").first() {
            let d = digits(p);
            out.push(("phone last 4", d[d.len().saturating_sub(4)..].to_string()));
        }
        if let Some(c) = b.get("companies").and_then(|c| c[0]["name"].as_str()) {
            out.push(("company 3 chars", c.chars().take(3).collect()));
        }
    }
    out
}

fn fts_query(q: &str) -> String {
    q.split_whitespace()
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// First 50 matches by relevance then name.
pub fn search(c: &Connection, q: &str) -> Result<Duration, String> {
    let t = Instant::now();
    let mut st = c
        .prepare_cached("SELECT p.seq, p.name FROM fts JOIN people p ON p.seq = fts.rowid WHERE fts MATCH ?1 ORDER BY rank, p.sort_key LIMIT 50")
        .map_err(err)?;
    let n = st
        .query_map([fts_query(q)], |r| r.get::<_, i64>(0))
        .map_err(err)?
        .count();
    std::hint::black_box(n);
    Ok(t.elapsed())
}

/// A page of 50 by name after the row at `depth`, by keyset (the key lookup is not timed).
pub fn page_keyset(c: &Connection, depth: u32) -> Result<Duration, String> {
    let key: Option<(String, i64)> = if depth == 0 {
        None
    } else {
        Some(
            c.query_row(
                "SELECT sort_key, seq FROM people ORDER BY sort_key, seq LIMIT 1 OFFSET ?1",
                [depth - 1],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(err)?,
        )
    };
    let t = Instant::now();
    let n = match key {
        None => c.prepare_cached("SELECT seq, name, data FROM people ORDER BY sort_key, seq LIMIT 50").map_err(err)?.query_map([], |r| r.get::<_, i64>(0)).map_err(err)?.count(),
        Some((k, s)) => c
            .prepare_cached("SELECT seq, name, data FROM people WHERE (sort_key, seq) > (?1, ?2) ORDER BY sort_key, seq LIMIT 50")
            .map_err(err)?
            .query_map(params![k, s], |r| r.get::<_, i64>(0))
            .map_err(err)?
            .count(),
    };
    std::hint::black_box(n);
    Ok(t.elapsed())
}

/// Open the file and read the first page.
pub fn open_first_page(path: &Path) -> Result<Duration, String> {
    let t = Instant::now();
    let c = open(path)?;
    let n = c
        .prepare("SELECT seq, name, data FROM people ORDER BY sort_key, seq LIMIT 50")
        .map_err(err)?
        .query_map([], |r| r.get::<_, i64>(0))
        .map_err(err)?
        .count();
    std::hint::black_box(n);
    Ok(t.elapsed())
}

/// `n` single-person inserts and `n` updates, each its own transaction.
pub fn single_writes(path: &Path, n: usize) -> Result<(Vec<Duration>, Vec<Duration>), String> {
    let mut c = open(path)?;
    let mut creates = vec![];
    let mut seqs = vec![];
    for i in 0..n {
        let t = Instant::now();
        let tx = c.transaction().map_err(err)?;
        tx.execute(
            "INSERT INTO people(id, name, sort_key, data) VALUES (?1, ?2, ?3, '{}')",
            params![format!("new{i}"), format!("New {i}"), format!("new {i}")],
        )
        .map_err(err)?;
        let seq = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO emails(person, email) VALUES (?1, ?2)",
            params![seq, format!("new{i}@x.io")],
        )
        .map_err(err)?;
        tx.execute(
            "INSERT INTO fts(rowid, name, emails, phones) VALUES (?1, ?2, ?3, '')",
            params![seq, format!("New {i}"), format!("new{i}@x.io")],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        creates.push(t.elapsed());
        seqs.push(seq);
    }
    let mut updates = vec![];
    for (i, seq) in seqs.iter().enumerate() {
        let t = Instant::now();
        let tx = c.transaction().map_err(err)?;
        tx.execute(
            "UPDATE people SET data = ?2 WHERE seq = ?1",
            params![seq, format!("{{\"jobTitle\":\"T{i}\"}}")],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        updates.push(t.elapsed());
    }
    Ok((creates, updates))
}
