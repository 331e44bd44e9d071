//! Rows a bulk write (an import) defers: each person's company links, lookup rows and
//! search entry, kept by row id while the import runs and written in row-id order before it
//! commits (the search entries into an empty index built on a second thread:
//! `search_build`).

use std::cell::RefCell;
use std::collections::BTreeMap;

use rusqlite::{Connection, ToSql};

use crate::error::{Error, Result};
use crate::interrupt::Interrupter;
use crate::model::CompanyRef;
use crate::people_db::{insert_search, Lookups, SearchText};

/// What a bulk write has not stored yet for one person: its company links and lookup rows
/// (`None`: already in the tables) and its search entry (`None`: none to add).
#[derive(Debug, Default)]
struct PendingRows {
    companies: Option<Vec<CompanyRef>>,
    lookups: Option<Lookups>,
    search: Option<SearchText>,
}

thread_local! {
    /// Set during a bulk write (`begin_bulk`): company links, lookup rows and search
    /// entries are kept here by row id and written in row-id order at the end (`end_bulk`),
    /// in the same transaction. Nothing in the write path reads those tables back
    /// meanwhile: matching and uniqueness go through the import's `LiveIndex`, and loading
    /// a person takes its kept companies (`pending_companies`). Written one statement per
    /// row as they come, FTS5 also flushed its in-memory index at every statement journal;
    /// the links were a sixth of the writing thread's time in a 100k import.
    static BULK: RefCell<Option<Bulk>> = const { RefCell::new(None) };
}

#[derive(Debug, Default)]
struct Bulk {
    pending: BTreeMap<i64, PendingRows>,
    /// `people_fts` was empty at the start (its `CREATE` statement): the entries can be
    /// indexed aside (`search_build`)...
    aside: Option<String>,
    /// ...unless a statement wrote to the index meanwhile.
    index_written: bool,
}

/// Start deferring lookup rows and search entries (same thread, same connection, inside
/// the caller's transaction); `end_bulk` writes them and stops deferring.
pub fn begin_bulk(conn: &Connection) -> Result<()> {
    let aside = crate::search_build::usable(conn)?;
    BULK.with(|b| {
        *b.borrow_mut() = Some(Bulk {
            aside,
            ..Default::default()
        })
    });
    Ok(())
}

/// Stop deferring and, when `write` (the transaction will commit), store what was kept,
/// then run `after` (the caller's last writes: this thread has time while the search
/// index is built on the other). Called on every exit path of a bulk write. The side
/// connection of the search index is registered with `stop`, so that a cancel interrupts
/// it as well as `conn`.
pub fn end_bulk(
    conn: &Connection,
    write: bool,
    stop: &Interrupter<'_>,
    after: impl FnOnce() -> Result<()>,
) -> Result<()> {
    let bulk = BULK.with(|b| b.borrow_mut().take());
    if !write {
        return Ok(());
    }
    let Some(bulk) = bulk else {
        return after();
    };
    let mut links = Vec::with_capacity(bulk.pending.len());
    let mut lookups = Vec::with_capacity(bulk.pending.len());
    let mut search = Vec::with_capacity(bulk.pending.len());
    for (seq, rows) in bulk.pending {
        links.extend(rows.companies.map(|c| (seq, c)));
        lookups.extend(rows.lookups.map(|l| (seq, l)));
        search.extend(rows.search.map(|t| (seq, t)));
    }
    let write_lookups = || -> Result<()> {
        insert_links(conn, &links)?;
        insert_lookup_rows(conn, &lookups)?;
        after()
    };
    match bulk.aside {
        // The search index is built on a second thread while this one writes the lookup
        // rows, then copied in.
        Some(sql) if !bulk.index_written && search.len() >= crate::search_build::MIN_ENTRIES => {
            let (side, written) = std::thread::scope(|s| {
                let side = s.spawn(|| crate::search_build::build(&sql, &search, stop));
                let written = write_lookups();
                (side.join(), written)
            });
            written?;
            let side = side.map_err(|_| {
                crate::error::Error::internal("the search index build stopped unexpectedly")
            })??;
            crate::search_build::install(conn, &sql, &side)
        }
        _ => {
            write_lookups()?;
            for (seq, t) in &search {
                insert_search(conn, *seq, t)?;
            }
            Ok(())
        }
    }
}

/// Rows written by one statement of `insert_chunked`. At 100k people the links and lookup
/// rows took 0.52 s this way, against 0.92 s one statement per row.
const ROWS_PER_INSERT: usize = 128;

/// Insert rows of `width` values (`values`, row after row) with `head` (`INSERT INTO t (a,
/// b)`), `ROWS_PER_INSERT` rows per statement.
fn insert_chunked(
    conn: &Connection,
    head: &str,
    width: usize,
    values: &[&dyn ToSql],
) -> Result<()> {
    let row = format!("({})", vec!["?"; width].join(","));
    for chunk in values.chunks(width * ROWS_PER_INSERT) {
        let rows = vec![row.as_str(); chunk.len() / width].join(",");
        conn.prepare_cached(&format!("{head} VALUES {rows}"))?
            .execute(rusqlite::params_from_iter(chunk))?;
    }
    Ok(())
}

/// Write the kept company links (person row id, companies in order), naming each company
/// by its row id from one read of the companies' ids.
fn insert_links(conn: &Connection, links: &[(i64, Vec<CompanyRef>)]) -> Result<()> {
    if links.is_empty() {
        return Ok(());
    }
    let mut seq_of: std::collections::HashMap<String, i64, foldhash::fast::RandomState> =
        Default::default();
    let mut st = conn.prepare("SELECT id, seq FROM companies")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        seq_of.insert(r.get(0)?, r.get(1)?);
    }
    let mut rows: Vec<(i64, i64, i64)> = Vec::with_capacity(links.len());
    for (seq, companies) in links {
        for (i, c) in companies.iter().enumerate() {
            let company = seq_of.get(&c.id).ok_or_else(|| {
                Error::internal(format!("company {} vanished during the import", c.id))
            })?;
            rows.push((*seq, *company, i as i64));
        }
    }
    let values: Vec<&dyn ToSql> = rows
        .iter()
        .flat_map(|(p, c, i)| [p as &dyn ToSql, c, i])
        .collect();
    insert_chunked(
        conn,
        "INSERT INTO person_companies (person_seq, company_seq, position)",
        3,
        &values,
    )
}

/// The values of rows of (person row id, position, text), row after row.
fn triples<'a>(rows: &'a [(i64, i64, &'a String)]) -> Vec<&'a dyn ToSql> {
    rows.iter()
        .flat_map(|(s, i, v)| [s as &dyn ToSql, i, *v])
        .collect()
}

/// Write the kept lookup rows (emails, phone keys, tags), as `insert_lookups` does one
/// person at a time.
fn insert_lookup_rows(conn: &Connection, lookups: &[(i64, Lookups)]) -> Result<()> {
    let (mut emails, mut phones, mut tags) = (Vec::new(), Vec::new(), Vec::new());
    for (seq, l) in lookups {
        emails.extend(
            l.emails
                .iter()
                .enumerate()
                .map(|(i, e)| (*seq, i as i64, e)),
        );
        phones.extend(
            l.phones
                .iter()
                .enumerate()
                .map(|(i, k)| (*seq, i as i64, k)),
        );
        tags.extend(l.tags.iter().map(|t| (*seq, t)));
    }
    insert_chunked(
        conn,
        "INSERT INTO person_emails (person_seq, position, email_norm)",
        3,
        &triples(&emails),
    )?;
    insert_chunked(
        conn,
        "INSERT INTO person_phones (person_seq, position, phone_key)",
        3,
        &triples(&phones),
    )?;
    let tags: Vec<&dyn ToSql> = tags
        .iter()
        .flat_map(|(s, t)| [s as &dyn ToSql, *t])
        .collect();
    insert_chunked(
        conn,
        "INSERT OR IGNORE INTO person_tags (person_seq, tag_norm)",
        2,
        &tags,
    )
}

/// During a bulk write, keep a person's rows (replacing what was kept) and give `None`;
/// otherwise hand them back to be written now.
pub(crate) fn defer_rows(
    seq: i64,
    companies: &[CompanyRef],
    lookups: Lookups,
    search: Option<SearchText>,
) -> Option<(Lookups, Option<SearchText>)> {
    BULK.with(move |b| match b.borrow_mut().as_mut() {
        Some(bulk) => {
            let e = bulk.pending.entry(seq).or_default();
            e.companies = Some(companies.to_vec());
            e.lookups = Some(lookups);
            e.search = search;
            None
        }
        None => Some((lookups, search)),
    })
}

/// During a bulk write, the companies kept for a person (its links are not in the table
/// yet), if any.
pub(crate) fn pending_companies(seq: i64) -> Option<Vec<CompanyRef>> {
    BULK.with(|b| b.borrow().as_ref()?.pending.get(&seq)?.companies.clone())
}

/// During a bulk write, keep a person's search entry and give `None`; otherwise hand it back.
pub(crate) fn defer_search(seq: i64, t: SearchText) -> Option<SearchText> {
    BULK.with(move |b| match b.borrow_mut().as_mut() {
        Some(bulk) => {
            bulk.pending.entry(seq).or_default().search = Some(t);
            None
        }
        None => Some(t),
    })
}

/// Drop a kept search entry; whether there was one (then the index has none to delete;
/// otherwise the caller deletes it from the index).
pub(crate) fn take_search(seq: i64) -> bool {
    BULK.with(|b| {
        let mut b = b.borrow_mut();
        let Some(bulk) = b.as_mut() else {
            return false;
        };
        let kept = bulk
            .pending
            .get_mut(&seq)
            .and_then(|e| e.search.take())
            .is_some();
        bulk.index_written |= !kept;
        kept
    })
}

/// Whether a bulk write is under way on this thread.
pub(crate) fn active() -> bool {
    BULK.with(|b| b.borrow().is_some())
}

/// The person's company links and lookup rows are being rewritten: forget the kept ones.
pub(crate) fn drop_lookups(seq: i64) {
    BULK.with(|b| {
        if let Some(e) = b
            .borrow_mut()
            .as_mut()
            .and_then(|bulk| bulk.pending.get_mut(&seq))
        {
            e.companies = None;
            e.lookups = None;
        }
    });
}
