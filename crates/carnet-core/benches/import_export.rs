//! Import/export benchmark: 100,000 generated vCards (seeded, so every run reads the same
//! file) imported into a fresh SQLite file, then exported as vCard 4, CSV and JSON; and a
//! bare rusqlite insert of the same people in the same run as the baseline.
//!
//! `cargo bench -p carnet-core --bench import_export` (release). `CARNET_BENCH_N` and
//! `CARNET_BENCH_RUNS` change the size (default 100000) and the number of runs (default 5);
//! each figure is the median of the runs.

use std::fmt::Write as _;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use carnet_core::{ExportOptions, Format, ImportOptions, Store};
use rusqlite::{params, Connection};
use serde_json::Value;

fn env_usize(k: &str, d: usize) -> usize {
    std::env::var(k)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(d)
}

fn s<'a>(b: &'a Value, k: &str) -> Option<&'a str> {
    b.get(k).and_then(Value::as_str)
}

fn list(b: &Value, k: &str) -> Vec<(String, Option<String>)> {
    b.get(k)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|x| {
                    (
                        x["value"].as_str().unwrap_or("").to_string(),
                        x["label"].as_str().map(String::from),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// One person as a vCard, varied the way real files are: 3.0 with Apple groups and
/// X- properties, 4.0 with PREF and `--MMDD` birthdays, 2.1 with quoted-printable names.
fn vcard(i: usize, b: &Value, out: &mut String) {
    let v = match i % 10 {
        0..=5 => "3.0",
        6..=8 => "4.0",
        _ => "2.1",
    };
    let first = s(b, "firstName").unwrap_or("");
    let last = s(b, "lastName").unwrap_or("");
    let full = s(b, "fullName")
        .map(String::from)
        .unwrap_or_else(|| format!("{first} {last}").trim().to_string());
    let esc = |t: &str| {
        t.replace('\\', "\\\\")
            .replace(',', "\\,")
            .replace(';', "\\;")
            .replace('\n', "\\n")
    };
    let _ = write!(out, "BEGIN:VCARD\r\nVERSION:{v}\r\n");
    if v == "2.1" && !full.is_ascii() {
        let qp: String = full.bytes().map(|c| format!("={c:02X}")).collect();
        let _ = write!(out, "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp}\r\n");
    } else {
        let _ = write!(out, "FN:{}\r\n", esc(&full));
    }
    let _ = write!(out, "N:{};{};;;\r\n", esc(last), esc(first));
    for (k, (e, l)) in list(b, "emails").iter().enumerate() {
        match (v, k) {
            ("4.0", 0) => {
                let _ = write!(
                    out,
                    "EMAIL;TYPE={};PREF=1:{e}\r\n",
                    l.as_deref().unwrap_or("home")
                );
            }
            ("3.0", 0) if i.is_multiple_of(3) => {
                let _ = write!(
                    out,
                    "item1.EMAIL;type=INTERNET;type=pref:{e}\r\nitem1.X-ABLabel:_$!<Other>!$_\r\n"
                );
            }
            _ => {
                let _ = write!(
                    out,
                    "EMAIL;TYPE=INTERNET;TYPE={}:{e}\r\n",
                    l.as_deref().unwrap_or("home")
                );
            }
        }
    }
    for (p, l) in list(b, "phones") {
        let t = match l.as_deref() {
            Some("mobile") => "CELL",
            Some("work") => "WORK",
            _ => "HOME",
        };
        let _ = write!(out, "TEL;TYPE={t}:{p}\r\n");
    }
    if let Some(a) = b.get("addresses").and_then(|a| a.get(0)) {
        let _ = write!(
            out,
            "ADR;TYPE=HOME:;;{};{};;{};{}\r\n",
            esc(a["street"].as_str().unwrap_or("")),
            esc(a["city"].as_str().unwrap_or("")),
            a["postalCode"].as_str().unwrap_or(""),
            esc(a["country"].as_str().unwrap_or(""))
        );
    }
    if let Some(c) = b
        .get("companies")
        .and_then(|c| c.get(0))
        .and_then(|c| c["name"].as_str())
    {
        let _ = write!(out, "ORG:{};Sales\r\n", esc(c));
    }
    if let Some(t) = s(b, "jobTitle") {
        let _ = write!(out, "TITLE:{}\r\n", esc(t));
    }
    for (u, _) in list(b, "urls") {
        let _ = write!(out, "item2.URL:{u}\r\nitem2.X-ABLabel:_$!<HomePage>!$_\r\n");
    }
    if let Some(bd) = s(b, "birthday") {
        match (bd.strip_prefix("--"), v) {
            (Some(md), "4.0") => {
                let _ = write!(out, "BDAY:--{}\r\n", md.replace('-', ""));
            }
            (Some(md), _) => {
                let _ = write!(out, "BDAY;X-APPLE-OMIT-YEAR=1604:1604-{md}\r\n");
            }
            (None, _) => {
                let _ = write!(out, "BDAY:{bd}\r\n");
            }
        }
    }
    if let Some(tags) = b.get("tags").and_then(Value::as_array) {
        let t: Vec<String> = tags.iter().filter_map(Value::as_str).map(esc).collect();
        let _ = write!(out, "CATEGORIES:{}\r\n", t.join(","));
    }
    if i.is_multiple_of(4) {
        let _ = write!(
            out,
            "NOTE:Met at the {} meetup\\, follow up in spring\\; likes coffee.\r\n",
            i % 50
        );
    }
    if i.is_multiple_of(5) {
        let _ = write!(
            out,
            "X-PHONETIC-FIRST-NAME:{}\r\nX-ABUID:{i:08X}-BENCH:ABPerson\r\n",
            esc(first)
        );
    }
    if i.is_multiple_of(7) {
        let _ = write!(
            out,
            "PHOTO;VALUE=uri:https://example.com/photos/{i}.jpg\r\n"
        );
    }
    out.push_str("END:VCARD\r\n");
}

/// The bare rusqlite baseline: the same people in the simplest schema that answers the same
/// questions (row, email and phone lookups, FTS5), no parsing, validation or normalisation.
fn baseline(path: &std::path::Path, bodies: &[Value]) -> Duration {
    let mut c = Connection::open(path).expect("open");
    c.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))
        .expect("wal");
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
    let mut file = String::with_capacity(n * 400);
    for (i, b) in bodies.iter().enumerate() {
        vcard(i, b, &mut file);
    }
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
        println!(
            "  run {run}: import {:.3} s wall, {:.2} s CPU",
            t.elapsed().as_secs_f64(),
            cpu_secs() - cpu
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
        if std::env::var("CARNET_BENCH_ONLY").is_ok_and(|v| v == "import") {
            continue;
        }
        for (fmt, acc) in [
            (Format::Vcard, &mut ev4),
            (Format::Csv, &mut ecsv),
            (Format::Json, &mut ejson),
        ] {
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
        base.push(baseline(&dir.path().join("bare.db"), &bodies));
    }
    println!("  import vCard -> SQLite file : {}", secs(median(imp)));
    if base.is_empty() {
        return;
    }
    println!("  bare rusqlite insert (same) : {}", secs(median(base)));
    println!("  export vCard 4.0            : {}", secs(median(ev4)));
    println!("  export CSV (Google header)  : {}", secs(median(ecsv)));
    println!("  export JSON backup          : {}", secs(median(ejson)));
}
