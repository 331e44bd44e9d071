//! What a large import sets aside in the schema while it runs, inside its transaction: the
//! people-count and companies-version triggers and, when the file is large next to the
//! tables, the secondary indexes, which are built again once the rows are in. A rollback
//! (dry run, cancel, refused file) gives everything back untouched.

use rusqlite::Connection;

use crate::error::Result;

/// Indexes no statement of the bulk path reads (matching goes through the import's
/// `LiveIndex`), dropped for a large import and created again from their own SQL after
/// its rows: sorting the keys once is cheaper than inserting them one by one at random
/// places (the people's name keys, emails and phone keys). The indexes an import appends
/// to instead (their keys start with the new row id, or with the import's creation time:
/// `people_by_created`, `people_by_updated`, `people_live_key`, `person_companies_page`)
/// stay and are written with the rows: at 100k people, building them again afterwards
/// cost ~1 s more CPU than the appends, most of it scanning the wide people rows.
const SECONDARY: [&str; 6] = [
    "people_by_name",
    "person_emails_norm",
    "person_phones_key",
    "person_tags_tag",
    "person_companies_company",
    "people_page",
];

/// The indexes are set aside when the import at least doubles the people table.
const REBUILD_RATIO: i64 = 2;

/// The SQL of what was set aside, to create it again.
#[derive(Debug, Default)]
pub(super) struct SetAside {
    triggers: Vec<String>,
    indexes: Vec<String>,
}

/// The people-count triggers (migration 0007) make every insert into `people` a
/// multi-statement write, which opens a statement journal per row: they are dropped and
/// the counts recomputed once before the commit. So are the `companies_version` triggers
/// (migration 0011), for the companies an import creates: the version changes once. On the
/// bulk path (`bulk_records`: an estimate of the file's records) the secondary indexes are
/// dropped too when the file is large next to the people stored.
pub(super) fn set_aside(tx: &Connection, bulk_records: Option<i64>) -> Result<SetAside> {
    let rows: i64 = tx.query_row("SELECT coalesce(sum(n), 0) FROM people_counts", [], |r| {
        r.get(0)
    })?;
    let mut out = SetAside::default();
    let found: Vec<(String, String, String)> = tx
        .prepare(
            "SELECT type, name, sql FROM sqlite_master \
             WHERE (type = 'trigger' AND (name GLOB 'people_counts_*' OR name GLOB 'companies_version_*')) \
             OR (type = 'index' AND sql IS NOT NULL)",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let indexes = bulk_records.is_some_and(|n| n >= rows * REBUILD_RATIO);
    for (kind, name, sql) in found {
        if kind == "trigger" {
            tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
            out.triggers.push(sql);
        } else if indexes && SECONDARY.contains(&name.as_str()) {
            tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
            out.indexes.push(sql);
        }
    }
    Ok(out)
}

/// Create the indexes again (after the rows are in).
pub(super) fn restore_indexes(tx: &Connection, aside: &SetAside) -> Result<()> {
    for sql in &aside.indexes {
        tx.execute_batch(sql)?;
    }
    Ok(())
}

/// Create the triggers again, recount the people and give the companies a new version.
pub(super) fn restore_triggers(tx: &Connection, aside: &SetAside) -> Result<()> {
    for sql in &aside.triggers {
        tx.execute_batch(sql)?;
    }
    tx.execute_batch(
        "UPDATE people_counts SET n = (SELECT count(*) FROM people p \
         WHERE (p.deleted_at IS NOT NULL) = people_counts.trashed); \
         UPDATE companies_version SET v = random();",
    )?;
    Ok(())
}
