//! A bulk write's search index built aside: when an import fills an empty `people_fts`,
//! its entries are indexed by FTS5 in a private in-memory database on a second thread
//! (while the import's own thread writes the lookup rows), and the finished index is
//! copied into the import's transaction.
//!
//! FTS5 keeps an index in its shadow tables (`_data`, `_idx`, `_docsize`, `_config`). Two
//! tables made by the same `CREATE VIRTUAL TABLE` statement store their index in the same
//! format, so copying the rows gives an index FTS5 reads and extends as its own. The side
//! table turns FTS5's incremental merging off while it is filled and merges everything
//! once at the end (`optimize`): at 100k people the entries are flushed as ~60 segments,
//! which automerge would rewrite level by level (a fifth of the build's time), and the
//! copied index is one segment, the fastest to search. Those settings are dropped from the
//! side's `_config` before the copy, so the store's table keeps FTS5's defaults. The copy
//! replaces the table (drop, create, fill) inside the import's transaction, so the
//! connection's FTS5 instance is a new one that has cached nothing of the empty index, and
//! a rollback gives the old table back.

use rusqlite::types::Value;
use rusqlite::Connection;

use crate::error::Result;
use crate::interrupt::Interrupter;
use crate::people_db::SearchText;

/// The shadow tables of `people_fts` (a contentless table: no `_content`), in copy order.
const SHADOW: [&str; 4] = [
    "people_fts_config",
    "people_fts_data",
    "people_fts_idx",
    "people_fts_docsize",
];

/// Below this many entries the side thread costs more than it saves.
pub(crate) const MIN_ENTRIES: usize = 2_000;

/// Segments of one level that make FTS5 merge that level even with automerge off (its
/// `crisismerge`; the default is 16). 100k people flush about 60 and a million about 600;
/// FTS5 allows 2,000 segments in all.
const SIDE_CRISIS_MERGE: i64 = 512;

/// The statement that created `people_fts`, when its index can be built aside: no entry
/// yet and FTS5's default configuration (only the `version` row), which is what a table
/// created afresh has.
pub(crate) fn usable(conn: &Connection) -> Result<Option<String>> {
    let empty: bool = conn.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM people_fts_docsize)",
        [],
        |r| r.get(0),
    )?;
    let config: i64 = conn.query_row(
        "SELECT count(*) FROM people_fts_config WHERE k <> 'version'",
        [],
        |r| r.get(0),
    )?;
    if !empty || config != 0 {
        return Ok(None);
    }
    let sql: String = conn.query_row(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'people_fts'",
        [],
        |r| r.get(0),
    )?;
    Ok(Some(sql))
}

/// Index `entries` (row id order) in a new in-memory database with the same table, merged
/// into one segment; a cancel (`stop`) interrupts it.
pub(crate) fn build(
    sql: &str,
    entries: &[(i64, SearchText)],
    stop: &Interrupter<'_>,
) -> Result<Connection> {
    let mut side = Connection::open_in_memory()?;
    stop.watch(&side);
    side.execute_batch(sql)?;
    side.execute_batch(&format!(
        "INSERT INTO people_fts (people_fts, rank) VALUES ('automerge', 0); \
         INSERT INTO people_fts (people_fts, rank) VALUES ('crisismerge', {SIDE_CRISIS_MERGE});"
    ))?;
    let tx = side.transaction()?;
    {
        let mut st = tx.prepare(
            "INSERT INTO people_fts (rowid, name, emails, phones, companies, other) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (seq, t) in entries {
            st.execute(rusqlite::params![seq, t.0, t.1, t.2, t.3, t.4])?;
        }
    }
    tx.execute_batch(
        "INSERT INTO people_fts (people_fts) VALUES ('optimize'); \
         DELETE FROM people_fts_config WHERE k <> 'version';",
    )?;
    tx.commit()?;
    Ok(side)
}

/// Replace `people_fts` in `conn` (inside its transaction) with the index built in `side`.
pub(crate) fn install(conn: &Connection, sql: &str, side: &Connection) -> Result<()> {
    conn.execute_batch("DROP TABLE people_fts")?;
    conn.execute_batch(sql)?;
    for table in SHADOW {
        conn.execute(&format!("DELETE FROM {table}"), [])?;
        let mut read = side.prepare(&format!("SELECT * FROM {table}"))?;
        let n = read.column_count();
        let marks = vec!["?"; n].join(", ");
        let mut write = conn.prepare(&format!("INSERT INTO {table} VALUES ({marks})"))?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let values = (0..n)
                .map(|i| row.get::<_, Value>(i))
                .collect::<rusqlite::Result<Vec<_>>>()?;
            write.execute(rusqlite::params_from_iter(values))?;
        }
    }
    Ok(())
}
