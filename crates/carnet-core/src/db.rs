//! Opening a database: pragmas (WAL, foreign keys, busy timeout) and embedded, atomic migrations.

use std::path::Path;

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use crate::error::{Error, Result};

/// The migrations, append-only. Each runs in its own transaction with its version bump,
/// so a crash mid-migration leaves the previous version intact.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/0001_init.sql")),
        M::up(include_str!("migrations/0002_custom_fields.sql")),
        M::up(include_str!("migrations/0003_person_extras.sql")),
        M::up(include_str!("migrations/0005_sync.sql")),
        M::up(include_str!("migrations/0006_enrichment.sql")),
        M::up(include_str!("migrations/0007_people_counts.sql")),
        M::up(include_str!("migrations/0008_search_live_only.sql")),
        M::up(include_str!("migrations/0009_person_companies_page.sql")),
        M::up(include_str!("migrations/0010_people_page.sql")),
        M::up(include_str!("migrations/0011_companies_version.sql")),
    ])
}

/// Open (creating if needed) a database file, set the pragmas and migrate it.
pub fn open_file(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, &e))?;
    }
    let conn = Connection::open(path)?;
    prepare(conn, true)
}

/// An in-memory database (tests).
pub fn open_memory() -> Result<Connection> {
    prepare(Connection::open_in_memory()?, false)
}

fn prepare(mut conn: Connection, wal: bool) -> Result<Connection> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    if wal {
        // journal_mode returns a row, so it is queried rather than executed.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::internal(format!(
                "could not enable WAL (got {mode})"
            )));
        }
        // The log file is reused from its start after each full checkpoint; past an import
        // it would otherwise keep the import's size (a gigabyte at 1M people) on disk.
        conn.query_row("PRAGMA journal_size_limit = 16777216", [], |_| Ok(()))?;
    }
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;",
    )?;
    // Query plans do not depend on bound values: otherwise SQLite re-prepares a statement
    // each time a bound LIMIT or OFFSET changes (a tenth of a page load), and the
    // statement cache keeps one plan per statement, as intended.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    // Every write transaction takes the write lock as it begins, waiting (busy timeout) for
    // another connection's to end. A deferred one that has read and then needs to write
    // fails at once with "database is locked" if another connection wrote in between
    // (the app has several: the window's, import, sync, enrichment, checkpoints).
    conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
    migrations().to_latest(&mut conn)?;
    Ok(conn)
}

/// Current time as RFC 3339 UTC with milliseconds, e.g. `2026-11-22T06:02:46.123Z`.
pub fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    let fmt = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    t.format(&fmt)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// A new record id: a UUID v7, so ids sort by creation time.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(conn: &Connection, sql: &str, args: impl rusqlite::Params) -> Vec<String> {
        conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map(args, |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn a_pages_company_links_come_from_their_covering_index() {
        let conn = open_memory().unwrap();
        for sql in [
            crate::person_companies::company_links_sql(3),
            crate::person_companies::link_seqs_sql(3),
        ] {
            let plan = plan(&conn, &sql, [1, 2, 3]);
            assert!(
                plan[0].contains("COVERING INDEX person_companies_page"),
                "{plan:?}"
            );
        }
    }

    #[test]
    fn a_page_in_name_order_reads_the_wide_index_and_finds_its_start_in_the_narrow_one() {
        let conn = open_memory().unwrap();
        for desc in [false, true] {
            let live = "p.deleted_at IS NULL";
            let dir = if desc { "DESC" } else { "ASC" };
            let order = format!("p.sort_key {dir}, p.seq {dir}");
            let cmp = if desc { "<=" } else { ">=" };
            let from = format!("{live} AND (p.sort_key, p.seq) {cmp} (?, ?)");
            let wide = Some("people_page");
            let sql = crate::people_list::page_sql(wide, &from, &order);
            let page = plan(&conn, &sql, ("m", 1, 50, 0));
            assert_eq!(page.len(), 1, "{page:?}");
            assert!(page[0].contains("COVERING INDEX people_page"), "{page:?}");
            let page = plan(
                &conn,
                &crate::people_list::page_sql(wide, live, &order),
                (50, 0),
            );
            assert_eq!(page.len(), 1, "{page:?}");
            assert!(page[0].contains("COVERING INDEX people_page"), "{page:?}");
            for anchored in [false, true] {
                let sql = crate::page_anchors::start_sql(live, "p.sort_key", desc, anchored);
                let start = if anchored {
                    plan(&conn, &sql, rusqlite::params!["m", 1, 7])
                } else {
                    plan(&conn, &sql, [7])
                };
                assert_eq!(start.len(), 1, "{start:?}");
                assert!(
                    start[0].contains("COVERING INDEX people_by_name"),
                    "{start:?}"
                );
            }
        }
    }

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }

    #[test]
    fn file_database_uses_wal_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open_file(&dir.path().join("sub/c.db")).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
    }

    #[test]
    fn now_is_rfc3339_millis() {
        let n = now();
        assert_eq!(n.len(), 24, "{n}");
        assert!(n.ends_with('Z'));
    }
}
