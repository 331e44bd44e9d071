//! Every company's id and name by row id, kept in memory for pages of people, valid for
//! one value of `companies_version` (migration 0010: triggers give it a new random value
//! at every change to a company's id, name or trash state, also one rolled back).
//!
//! A page of 50 people then reads its company links from their covering index alone and
//! names them from here, instead of 50 seeks into `companies` (a fifth of a page's time).
//! Edits to people leave the cache as it is.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::error::Result;
use crate::model::CompanyRef;

/// Companies by row id: the id and name, and whether it is in the trash.
#[derive(Default)]
pub struct CompanyNames {
    version: Option<i64>,
    by_seq: HashMap<i64, (CompanyRef, bool)>,
}

fn version(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT v FROM companies_version")?
        .query_row([], |r| r.get(0))?)
}

impl CompanyNames {
    /// Make the cache current. The version is read before the companies: a change that
    /// lands between the two leaves a newer cache under the older version, which the next
    /// call then replaces, never the reverse.
    pub fn refresh(&mut self, conn: &Connection) -> Result<()> {
        let v = version(conn)?;
        if self.version == Some(v) {
            return Ok(());
        }
        let mut st =
            conn.prepare_cached("SELECT seq, id, name, deleted_at IS NOT NULL FROM companies")?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                (
                    CompanyRef {
                        id: r.get(1)?,
                        name: r.get(2)?,
                    },
                    r.get::<_, bool>(3)?,
                ),
            ))
        })?;
        self.by_seq = rows.collect::<rusqlite::Result<_>>()?;
        self.version = Some(v);
        Ok(())
    }

    /// A company by row id: `Some((company, trashed))`, `None` when unknown to this cache
    /// (created by another connection after `refresh`).
    pub fn get(&self, seq: i64) -> Option<&(CompanyRef, bool)> {
        self.by_seq.get(&seq)
    }

    /// Forget everything (the next `refresh` loads again).
    pub fn clear(&mut self) {
        self.version = None;
        self.by_seq.clear();
    }
}
