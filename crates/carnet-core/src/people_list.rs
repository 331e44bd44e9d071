//! The people list: filters (trash, search, company, tag, custom fields), order and page,
//! planned for 100,000 people.
//!
//! - An unfiltered list takes its total from the trigger-kept `people_counts` and seeks
//!   the first row of any page from anchors (`page_anchors`), so any depth costs the same;
//!   in name order the rows come from the covering index `people_page`.
//! - A search in the default order (name, ascending, no other filter) is paged in relevance
//!   order by `search` (tiers: name, email/phone, company, other; then name).
//! - Other searches count their matches in the FTS5 index alone (it holds live people
//!   only). A rare term is paged from its matches through the small `people_live_key`
//!   index; a common one walks the name index and keeps the rows that match.
//! - Trash is searched by name with LIKE (it is small and not in the index).

use std::cell::RefCell;

use rusqlite::types::Value as SqlValue;
use rusqlite::{params_from_iter, Connection};

use crate::company_names::CompanyNames;
use crate::error::{Error, Result};
use crate::model::{PeoplePage, PeopleQuery, PeopleSort, Person};
use crate::page_anchors::{Anchors, Order, Start};
use crate::people_db::{from_row, COLS};
use crate::person_companies::attach_companies_named;
use crate::search::{self, SearchCache};
use crate::text::fold;

/// Up to this many matches, a search page is sorted from its matches; above it, the name
/// index is walked (dense matches reach a page of 50 within a few hundred rows).
const SPARSE_MATCHES: u32 = 4000;

fn cols() -> String {
    COLS.split(", ")
        .map(|c| format!("p.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// List people: filter, sort, and page.
pub fn list(
    conn: &Connection,
    q: &PeopleQuery,
    anchors: &RefCell<Anchors>,
    names: &RefCell<CompanyNames>,
    cache: &RefCell<SearchCache>,
) -> Result<PeoplePage> {
    if !(1..=100).contains(&q.limit) {
        return Err(Error::validation(
            "limit",
            format!("{} is outside 1..100", q.limit),
        ));
    }
    let mut wh = vec![if q.trashed {
        "p.deleted_at IS NOT NULL"
    } else {
        "p.deleted_at IS NULL"
    }
    .to_string()];
    let mut args: Vec<SqlValue> = vec![];
    let mut fts: Option<String> = None;
    let mut plan: Option<search::Plan> = None;
    if let Some(s) = q.search.as_deref() {
        match search::plan(s) {
            Some(p) if !q.trashed => {
                let m = p.all().to_string();
                wh.push("p.seq IN (SELECT rowid FROM people_fts WHERE people_fts MATCH ?)".into());
                args.push(SqlValue::Text(m.clone()));
                fts = Some(m);
                plan = Some(p);
            }
            Some(_) => {
                let pat = format!(
                    "%{}%",
                    fold(s.trim())
                        .replace('\\', "\\\\")
                        .replace('%', "\\%")
                        .replace('_', "\\_")
                );
                wh.push("(p.sort_key LIKE ? ESCAPE '\\' OR p.emails LIKE ? ESCAPE '\\')".into());
                args.push(SqlValue::Text(pat.clone()));
                args.push(SqlValue::Text(pat));
            }
            // Only punctuation: matches nothing rather than everything.
            None if !s.trim().is_empty() => wh.push("0".into()),
            None => {}
        }
    }
    if let Some(c) = q.company_id.as_deref() {
        wh.push("p.seq IN (SELECT pc.person_seq FROM person_companies pc JOIN companies c ON c.seq = pc.company_seq WHERE c.id = ?)".into());
        args.push(SqlValue::Text(c.to_string()));
    }
    if let Some(t) = q.tag.as_deref() {
        wh.push("p.seq IN (SELECT person_seq FROM person_tags WHERE tag_norm = ?)".into());
        args.push(SqlValue::Text(fold(t.trim())));
    }
    let (cf_where, cf_args) = crate::fields::query::filters(conn, &q.filters)?;
    wh.extend(cf_where);
    args.extend(cf_args);
    let dir = if q.descending { "DESC" } else { "ASC" };
    let sort_col = match q.sort {
        PeopleSort::Name => "p.sort_key",
        PeopleSort::Created => "p.created_at",
        PeopleSort::Updated => "p.updated_at",
    };
    let order = match &q.sort_field {
        Some(key) => format!(
            "{}, p.sort_key, p.seq",
            crate::fields::query::sort(conn, key, q.descending)?
        ),
        None => format!("{sort_col} {dir}, p.seq {dir}"),
    };
    let unfiltered = wh.len() == 1 && args.is_empty();
    let search_only = fts.is_some() && wh.len() == 2;

    // The default order of a search: relevance tiers, then name.
    if let (true, Some(p), PeopleSort::Name, false, None) =
        (search_only, &plan, q.sort, q.descending, &q.sort_field)
    {
        let (seqs, total) = search::page(conn, cache, p, q.offset, q.limit)?;
        return Ok(PeoplePage {
            items: load_in_order(conn, names, &seqs)?,
            total,
            limit: q.limit,
            offset: q.offset,
        });
    }

    let total: u32 = if unfiltered {
        conn.prepare_cached("SELECT n FROM people_counts WHERE trashed = ?1")?
            .query_row([q.trashed], |r| r.get(0))?
    } else if let (true, Some(m)) = (search_only, &fts) {
        conn.prepare_cached("SELECT count(*) FROM people_fts WHERE people_fts MATCH ?1")?
            .query_row([m], |r| r.get(0))?
    } else {
        conn.prepare_cached(&format!(
            "SELECT count(*) FROM people p WHERE {}",
            wh.join(" AND ")
        ))?
        .query_row(params_from_iter(args.iter()), |r| r.get(0))?
    };

    // A rare search term sorted by name: page from the matches via the live-key index.
    if let (true, Some(m), PeopleSort::Name, None) = (search_only, &fts, q.sort, &q.sort_field) {
        if total <= SPARSE_MATCHES {
            let sql = format!(
                "SELECT l.seq FROM people_fts f CROSS JOIN people l INDEXED BY people_live_key ON l.seq = f.rowid \
                 WHERE people_fts MATCH ?1 AND l.deleted_at IS NULL ORDER BY l.sort_key {dir}, l.seq {dir} LIMIT ?2 OFFSET ?3",
            );
            let seqs: Vec<i64> = conn
                .prepare_cached(&sql)?
                .query_map(rusqlite::params![m, q.limit, q.offset], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let items = load_in_order(conn, names, &seqs)?;
            return Ok(PeoplePage {
                items,
                total,
                limit: q.limit,
                offset: q.offset,
            });
        }
    }

    // Pages of an unfiltered list start at their first row, found from an anchor in the
    // order's narrow index, instead of skipping rows.
    let mut where_sql = wh.join(" AND ");
    let mut offset = q.offset;
    if unfiltered && q.sort_field.is_none() {
        let order = Order {
            where_sql: &where_sql,
            col: sort_col,
            desc: q.descending,
        };
        let start = anchors.borrow_mut().start(conn, &order, q.offset)?;
        match start {
            Start::First => {}
            Start::At(key, seq) => {
                let cmp = if q.descending { "<=" } else { ">=" };
                where_sql = format!("{where_sql} AND ({sort_col}, p.seq) {cmp} (?, ?)");
                args.push(key);
                args.push(SqlValue::Integer(seq));
                offset = 0;
            }
            Start::PastEnd => {
                return Ok(PeoplePage {
                    items: vec![],
                    total,
                    limit: q.limit,
                    offset: q.offset,
                })
            }
        }
    }
    // LIMIT and OFFSET are bound, not written into the SQL: one prepared statement serves
    // every page (preparing it is a fifth of a page's time).
    // In name order, an unfiltered page reads its rows from the wide `people_page` index
    // (a few consecutive leaf pages); a filtered one walks the narrow `people_by_name` and
    // reads only the rows it keeps (the wide one would read every person it skips).
    let index = match (q.sort, &q.sort_field, unfiltered) {
        (PeopleSort::Name, None, true) => Some("people_page"),
        (PeopleSort::Name, None, false) => Some("people_by_name"),
        _ => None,
    };
    let sql = page_sql(index, &where_sql, &order);
    args.push(SqlValue::Integer(q.limit.into()));
    args.push(SqlValue::Integer(offset.into()));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args.iter()), from_row)?;
    let mut seqs = Vec::new();
    let mut items = Vec::new();
    for r in rows {
        let (seq, d) = r?;
        seqs.push(seq);
        items.push(d.person);
    }
    attach_companies_named(conn, names, &mut items, &seqs)?;
    Ok(PeoplePage {
        items,
        total,
        limit: q.limit,
        offset: q.offset,
    })
}

/// One page of people: rows matching `where_sql` in `order`, then `LIMIT ? OFFSET ?`,
/// read through `index` when given.
pub(crate) fn page_sql(index: Option<&str>, where_sql: &str, order: &str) -> String {
    let by = index
        .map(|i| format!(" INDEXED BY {i}"))
        .unwrap_or_default();
    format!(
        "SELECT {} FROM people p{by} WHERE {where_sql} ORDER BY {order} LIMIT ? OFFSET ?",
        cols()
    )
}

/// Load people by row id, in the order given, with their companies.
fn load_in_order(
    conn: &Connection,
    names: &RefCell<CompanyNames>,
    seqs: &[i64],
) -> Result<Vec<Person>> {
    if seqs.is_empty() {
        return Ok(vec![]);
    }
    let marks = vec!["?"; seqs.len()].join(",");
    let sql = format!("SELECT {} FROM people p WHERE p.seq IN ({marks})", cols());
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut by_seq: std::collections::HashMap<i64, Person> = stmt
        .query_map(params_from_iter(seqs.iter()), from_row)?
        .map(|r| r.map(|(s, d)| (s, d.person)))
        .collect::<rusqlite::Result<_>>()?;
    let mut items: Vec<Person> = seqs.iter().filter_map(|s| by_seq.remove(s)).collect();
    attach_companies_named(conn, names, &mut items, seqs)?;
    Ok(items)
}
