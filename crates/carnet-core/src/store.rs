//! The `Store`: one open Carnet database and the settings kept in it.
//!
//! Operations live in one module per table (`people`, `companies`, `notes`) as
//! `impl Store` blocks; each write is one transaction, so a crash loses nothing committed
//! and leaves no half-written record.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};

/// An open Carnet database.
pub struct Store {
    pub(crate) conn: Connection,
    /// Deep-page anchors of the people list (see `page_anchors`).
    pub(crate) anchors: std::cell::RefCell<crate::page_anchors::Anchors>,
    /// Company names for pages of people (see `company_names`).
    pub(crate) company_names: std::cell::RefCell<crate::company_names::CompanyNames>,
    /// Name order and per-query results of search (see `search`).
    pub(crate) search: std::cell::RefCell<crate::search::SearchCache>,
    /// Checkpoints of a file database, off the committing thread. After `conn`, so that it
    /// drops last (see `checkpointer`).
    _checkpointer: Option<crate::checkpointer::Checkpointer>,
}

/// Setting key of the default phone region (two-letter code).
pub const DEFAULT_REGION_KEY: &str = "default_region";

impl Store {
    /// Open or create the database file at `path` and migrate it to the latest schema.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = crate::db::open_file(path)?;
        let checkpointer = crate::checkpointer::Checkpointer::attach(&conn, path)?;
        Ok(Store {
            conn,
            anchors: Default::default(),
            company_names: Default::default(),
            search: Default::default(),
            _checkpointer: Some(checkpointer),
        })
    }

    /// A fresh in-memory database (tests, dry runs).
    pub fn open_in_memory() -> Result<Store> {
        Ok(Store {
            conn: crate::db::open_memory()?,
            anchors: Default::default(),
            company_names: Default::default(),
            search: Default::default(),
            _checkpointer: None,
        })
    }

    /// The underlying connection, for read-only reporting and benchmarks.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Copy what the write-ahead log holds into the database file now, and return when it
    /// is done: a FULL checkpoint (other connections' writers wait for it), tried again
    /// while another connection's checkpoint holds the lock. A file store already does this
    /// on a thread of its own shortly after each burst of commits (see `checkpointer`);
    /// this is for a caller that wants it done and timed, such as the benchmarks.
    pub fn checkpoint(&self) -> Result<()> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        loop {
            // (busy, pages in the log, pages copied): busy while another checkpoint runs.
            let busy: i64 = self
                .conn
                .query_row("PRAGMA wal_checkpoint(FULL)", [], |r| r.get(0))?;
            if busy == 0 {
                return Ok(());
            }
            if std::time::Instant::now() > deadline {
                return Err(Error::internal(
                    "the database stayed busy for two minutes; the log is copied later",
                ));
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    /// Run `f` in one transaction: committed if it returns `Ok`, rolled back otherwise.
    /// Crates built on core (sync, enrichment, import) write through this.
    pub fn transaction<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self.conn.transaction()?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// A setting's value, if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// The region phone numbers without `+` are read in (`US` unless set).
    pub fn default_region(&self) -> Result<String> {
        Ok(self
            .setting(DEFAULT_REGION_KEY)?
            .unwrap_or_else(|| crate::phone::FALLBACK_REGION.to_string()))
    }

    /// Set the default phone region (a two-letter code such as `FR`).
    pub fn set_default_region(&mut self, code: &str) -> Result<String> {
        let code = code.trim().to_ascii_uppercase();
        if crate::phone::parse_region(&code).is_none() {
            return Err(Error::validation(
                "defaultRegion",
                format!("\"{code}\" is not a two-letter region code such as US or FR"),
            ));
        }
        self.conn.execute(
            "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![DEFAULT_REGION_KEY, code],
        )?;
        Ok(code)
    }
}
