//! Pages at any depth in constant time: every 512th row's sort key, kept per list order,
//! and the exact first row of a page found in the order's narrow index.
//!
//! `LIMIT 50 OFFSET 99950` makes SQLite step over 99,950 index entries (~3 ms at 100k).
//! Instead the first deep page of an order scans its narrow index once and remembers the
//! key of every 512th row; a page at offset D then seeks to anchor D / 512 and skips at
//! most 511 entries of that narrow index (a few leaf pages) to the page's first row. The
//! page itself is then read from that row with no OFFSET: in name order from the wide
//! `people_page` index, where skipping rows would mean reading whole people. The anchors
//! are dropped whenever the database changes (this connection's `total_changes` or
//! another's `data_version`).

use rusqlite::types::Value as SqlValue;
use rusqlite::{params, Connection};

use crate::error::Result;

/// Rows between two anchors.
pub const STRIDE: u32 = 512;

/// Where a page starts.
#[derive(Debug, PartialEq)]
pub enum Start {
    /// At the first row of the list (offset 0).
    First,
    /// At this row: its sort key and row id.
    At(SqlValue, i64),
    /// Past the last row: the page is empty.
    PastEnd,
}

/// The key of the row `OFFSET ?` rows on: from the list's start, or (`anchored`) from the
/// anchor `(?1, ?2)`, with the offset in `?3`. It selects the key columns alone, so the
/// planner reads them from the order's narrow index (`people_by_name` for names).
pub(crate) fn start_sql(where_sql: &str, col: &str, desc: bool, anchored: bool) -> String {
    let dir = if desc { "DESC" } else { "ASC" };
    let order = format!("ORDER BY {col} {dir}, p.seq {dir}");
    if anchored {
        let cmp = if desc { "<=" } else { ">=" };
        format!("SELECT {col}, p.seq FROM people p WHERE {where_sql} AND ({col}, p.seq) {cmp} (?1, ?2) {order} LIMIT 1 OFFSET ?3")
    } else {
        format!("SELECT {col}, p.seq FROM people p WHERE {where_sql} {order} LIMIT 1 OFFSET ?1")
    }
}

/// Anchors of one list order, valid for one database version.
#[derive(Default)]
pub struct Anchors {
    key: Option<(String, u64, i64)>,
    marks: Vec<(SqlValue, i64)>,
}

fn version(conn: &Connection) -> Result<(u64, i64)> {
    let dv: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
    Ok((conn.total_changes(), dv))
}

/// One list order: the rows matching `where_sql` (which takes no parameters) by `(col, seq)`.
pub struct Order<'a> {
    pub where_sql: &'a str,
    pub col: &'a str,
    pub desc: bool,
}

impl Anchors {
    /// The row at `offset` in `order`.
    pub fn start(&mut self, conn: &Connection, order: &Order, offset: u32) -> Result<Start> {
        if offset == 0 {
            return Ok(Start::First);
        }
        let Order {
            where_sql,
            col,
            desc,
        } = *order;
        let row = if offset < STRIDE {
            conn.prepare_cached(&start_sql(where_sql, col, desc, false))?
                .query_map([offset], |r| Ok((r.get(0)?, r.get(1)?)))?
                .next()
                .transpose()?
        } else {
            let Some((key, seq)) = self.marks(conn, order)?.get((offset / STRIDE) as usize) else {
                return Ok(Start::PastEnd);
            };
            conn.prepare_cached(&start_sql(where_sql, col, desc, true))?
                .query_map(params![key, seq, offset % STRIDE], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .next()
                .transpose()?
        };
        Ok(match row {
            Some((key, seq)) => Start::At(key, seq),
            None => Start::PastEnd,
        })
    }

    /// Every `STRIDE`th row of `order`, scanned again when the database has changed.
    fn marks(&mut self, conn: &Connection, order: &Order) -> Result<&[(SqlValue, i64)]> {
        let (changes, dv) = version(conn)?;
        let Order {
            where_sql,
            col,
            desc,
        } = *order;
        let id = format!("{where_sql}|{col}|{desc}");
        let fresh = matches!(&self.key, Some((k, c, d)) if *k == id && *c == changes && *d == dv);
        if !fresh {
            let dir = if desc { "DESC" } else { "ASC" };
            let sql = format!("SELECT {col}, p.seq FROM people p WHERE {where_sql} ORDER BY {col} {dir}, p.seq {dir}");
            let mut st = conn.prepare(&sql)?;
            let mut rows = st.query([])?;
            let mut marks = Vec::new();
            let mut i: u32 = 0;
            while let Some(r) = rows.next()? {
                if i.is_multiple_of(STRIDE) {
                    marks.push((r.get::<_, SqlValue>(0)?, r.get::<_, i64>(1)?));
                }
                i += 1;
            }
            self.marks = marks;
            self.key = Some((id, changes, dv));
        }
        Ok(&self.marks)
    }
}
