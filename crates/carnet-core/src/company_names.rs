//! Companies' ids and names by row id, kept in memory for pages of people, valid for one
//! value of `companies_version` (migration 0011: triggers give it a new random value at
//! every change to a company's id, name or trash state, also one rolled back).
//!
//! A page of 50 people reads its company links from their covering index alone and names
//! them from here; only companies the cache has not met yet are read, by row id, so the
//! first page costs what a join does and later ones skip the seeks into `companies` (a
//! fifth of a page's time). Edits to people leave the cache as it is.

use std::collections::HashMap;

use rusqlite::{params_from_iter, Connection};

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
    /// Make sure the companies `seqs` are known, as of the current version: forget
    /// everything if the version has changed, then read those not known yet. Called in the
    /// page's read transaction, so the version, the links and the companies agree.
    pub fn load(&mut self, conn: &Connection, seqs: &[i64]) -> Result<()> {
        let v = version(conn)?;
        if self.version != Some(v) {
            self.by_seq.clear();
            self.version = Some(v);
        }
        let mut missing: Vec<i64> = seqs
            .iter()
            .copied()
            .filter(|s| !self.by_seq.contains_key(s))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if missing.is_empty() {
            return Ok(());
        }
        let marks = vec!["?"; missing.len()].join(",");
        let mut st = conn.prepare_cached(&format!(
            "SELECT seq, id, name, deleted_at IS NOT NULL FROM companies WHERE seq IN ({marks})"
        ))?;
        let rows = st.query_map(params_from_iter(missing.iter()), |r| {
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
        for row in rows {
            let (seq, c) = row?;
            self.by_seq.insert(seq, c);
        }
        Ok(())
    }

    /// A company by row id: `Some((company, trashed))`, `None` when not loaded.
    pub fn get(&self, seq: i64) -> Option<&(CompanyRef, bool)> {
        self.by_seq.get(&seq)
    }
}
