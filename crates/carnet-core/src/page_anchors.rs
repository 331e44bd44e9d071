//! Pages at any depth in constant time: every 512th row's sort key, kept per list order.
//!
//! `LIMIT 50 OFFSET 99950` makes SQLite step over 99,950 index entries (~3 ms at 100k).
//! Instead the first deep page of an order scans its covering index once and remembers
//! the key of every 512th row; a page at offset D then seeks to anchor D / 512 with a
//! row-value comparison and skips at most 511 rows. The anchors are dropped whenever the
//! database changes (this connection's `total_changes` or another's `data_version`).

use rusqlite::types::Value as SqlValue;
use rusqlite::Connection;

use crate::error::Result;

/// Rows between two anchors.
pub const STRIDE: u32 = 512;

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

impl Anchors {
    /// The anchor at or before `offset` for the order `(col, seq)` over rows matching
    /// `where_sql` (which takes no parameters): `(anchor key, anchor seq, rows to skip)`.
    /// `None` when the offset is shallow enough to use OFFSET directly.
    pub fn seek(
        &mut self,
        conn: &Connection,
        where_sql: &str,
        col: &str,
        desc: bool,
        offset: u32,
    ) -> Result<Option<(SqlValue, i64, u32)>> {
        if offset < STRIDE {
            return Ok(None);
        }
        let (changes, dv) = version(conn)?;
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
        let idx = (offset / STRIDE) as usize;
        Ok(self
            .marks
            .get(idx)
            .map(|(k, s)| (k.clone(), *s, offset - idx as u32 * STRIDE)))
    }
}
