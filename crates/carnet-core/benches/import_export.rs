//! Import/export benchmark: 100,000 generated vCards (seeded, so every run reads the same
//! file) imported into a fresh SQLite file, then exported as vCard 4, CSV and JSON; and a
//! bare rusqlite insert of the same people in the same run as the baseline.
//!
//! `cargo bench -p carnet-core --bench import_export` (release). `CARNET_BENCH_N` and
//! `CARNET_BENCH_RUNS` change the size (default 100000) and the number of runs (default 5);
//! each figure is the median of the runs.

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use carnet_core::{ExportOptions, Format, ImportOptions, Store};
use rusqlite::{params, Connection};
use serde_json::Value;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn env_usize(k: &str, d: usize) -> usize {
    std::env::var(k)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(d)
}

use carnet_gen::vcards::list;

fn s<'a>(b: &'a Value, k: &str) -> Option<&'a str> {
    b.get(k).and_then(Value::as_str)
}

/// The bare rusqlite baseline: the same people in the simplest schema that answers the same
/// questions (row, email and phone lookups, FTS5), no parsing, validation or normalisation.
/// Timed to its commit; the WAL checkpoint that follows is left out, as for the import.
fn baseline(path: &std::path::Path, bodies: &[Value]) -> Duration {
    let mut c = Connection::open(path).expect("open");
    c.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))
        .expect("wal");
    c.query_row("PRAGMA wal_autocheckpoint = 0", [], |_| Ok(()))
        .expect("autocheckpoint");
    c.execute_batch(
        "PRAGMA synchronous=NORMAL;
         CREATE TABLE people(seq INTEGER PRIMARY KEY, id TEXT UNIQUE, name TEXT, sort_key TEXT, data TEXT);
         CREATE INDEX people_sort ON people(sort_key, seq);
         CREATE TABLE emails(person INTEGER, email TEXT); CREATE INDEX emails_e ON emails(email);
         CREATE TABLE phones(person INTEGER, phone TEXT); CREATE INDEX phones_p ON phones(phone);
         CREATE VIRTUAL TABLE fts USING fts5(name, emails, phones, content='', tokenize='unicode61 remove_diacritics 2', prefix='2 3');",
    )
    .expect("schema");
    let t = Instant::now();
    let tx = c.transaction().expect("tx");
    {
        let mut p = tx
            .prepare("INSERT INTO people(id, name, sort_key, data) VALUES (?1, ?2, ?3, ?4)")
            .expect("p");
        let mut e = tx
            .prepare("INSERT INTO emails(person, email) VALUES (?1, ?2)")
            .expect("e");
        let mut ph = tx
            .prepare("INSERT INTO phones(person, phone) VALUES (?1, ?2)")
            .expect("ph");
        let mut f = tx
            .prepare("INSERT INTO fts(rowid, name, emails, phones) VALUES (?1, ?2, ?3, ?4)")
            .expect("f");
        for (i, b) in bodies.iter().enumerate() {
            let name = format!(
                "{} {}",
                s(b, "firstName").unwrap_or(""),
                s(b, "lastName").unwrap_or("")
            );
            p.execute(params![
                i.to_string(),
                name,
                name.to_lowercase(),
                b.to_string()
            ])
            .expect("row");
            let seq = tx.last_insert_rowid();
            let emails = list(b, "emails");
            for (x, _) in &emails {
                e.execute(params![seq, x.to_lowercase()]).expect("email");
            }
            let phones = list(b, "phones");
            for (x, _) in &phones {
                ph.execute(params![
                    seq,
                    x.chars().filter(char::is_ascii_digit).collect::<String>()
                ])
                .expect("phone");
            }
            let em: Vec<&str> = emails.iter().map(|(x, _)| x.as_str()).collect();
            let pn: Vec<&str> = phones.iter().map(|(x, _)| x.as_str()).collect();
            f.execute(params![seq, name, em.join(" "), pn.join(" ")])
                .expect("fts");
        }
    }
    tx.commit().expect("commit");
    t.elapsed()
}

/// CPU seconds this process has used (all threads, user + system), from /proc/self/stat:
/// a figure that another process competing for the cores disturbs much less than wall time.
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn main() {
    let n = env_usize("CARNET_BENCH_N", 100_000);
    let runs = env_usize("CARNET_BENCH_RUNS", 5).max(1);
    let bodies: Vec<Value> = carnet_gen::people(42, n)
        .into_iter()
        .map(|p| p.body)
        .collect();
    let file = carnet_gen::vcards::file(&bodies);
    println!(
        "import_export: {n} vCards ({:.1} MB), {runs} runs, median",
        file.len() as f64 / 1e6
    );
    let (mut imp, mut base, mut ev4, mut ecsv, mut ejson) =
        (vec![], vec![], vec![], vec![], vec![]);
    let cancel = AtomicBool::new(false);
    let trace = std::env::var("CARNET_BENCH_TRACE").is_ok();
    for run in 0..runs {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(&dir.path().join("carnet.db")).expect("open");
        let t = Instant::now();
        let cpu = cpu_secs();
        let report = store
            .import_bytes(
                file.as_bytes(),
                &ImportOptions {
                    format: Some(Format::Vcard),
                    ..Default::default()
                },
                &mut |done, _| {
                    if trace && done.is_multiple_of(10_000) {
                        println!("    {done} at {:.2} s", t.elapsed().as_secs_f64());
                    }
                },
                &cancel,
            )
            .expect("import");
        imp.push(t.elapsed());
        let (wall, cpu) = (t.elapsed(), cpu_secs() - cpu);
        let t = Instant::now();
        store.checkpoint().expect("checkpoint");
        println!(
            "  run {run}: import {:.3} s wall, {cpu:.2} s CPU; then the WAL checkpoint {:.3} s",
            wall.as_secs_f64(),
            t.elapsed().as_secs_f64()
        );
        if run == 0 {
            println!(
                "  report: {} created, {} updated, {} invalid, {} warnings",
                report.created,
                report.updated,
                report.invalid,
                report.warnings.len()
            );
            if let Some(r) = report.rejected.first() {
                println!("  first rejected: {} {:?}", r.location, r.error);
            }
        }
        let only = std::env::var("CARNET_BENCH_ONLY").unwrap_or_default();
        if only == "import" {
            if std::env::var("CARNET_BENCH_KEEP").is_ok() {
                println!("  kept {}", dir.path().display());
                std::mem::forget(dir);
            }
            continue;
        }
        for (fmt, acc) in if only == "import+base" {
            vec![]
        } else {
            vec![
                (Format::Vcard, &mut ev4),
                (Format::Csv, &mut ecsv),
                (Format::Json, &mut ejson),
            ]
        } {
            let mut out: Vec<u8> = Vec::with_capacity(file.len() * 2);
            let t = Instant::now();
            let k = store
                .export_to(
                    &mut out,
                    &ExportOptions {
                        format: fmt,
                        vcard_version: 4,
                        include_trash: false,
                    },
                )
                .expect("export");
            acc.push(t.elapsed());
            assert_eq!(k as usize, report.created as usize);
        }
        let cpu = cpu_secs();
        let b = baseline(&dir.path().join("bare.db"), &bodies);
        println!(
            "  run {run}: bare insert {:.3} s wall, {:.2} s CPU",
            b.as_secs_f64(),
            cpu_secs() - cpu
        );
        base.push(b);
    }
    println!("  import vCard -> SQLite file : {}", secs(median(imp)));
    if base.is_empty() {
        return;
    }
    println!("  bare rusqlite insert (same) : {}", secs(median(base)));
    if ev4.is_empty() {
        return;
    }
    println!("  export vCard 4.0            : {}", secs(median(ev4)));
    println!("  export CSV (Google header)  : {}", secs(median(ecsv)));
    println!("  export JSON backup          : {}", secs(median(ejson)));
}
