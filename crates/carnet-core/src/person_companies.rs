//! A person's company links (`person_companies`): read for a page of people from their
//! covering index (names from `company_names`), and written with the person.

use std::cell::RefCell;

use rusqlite::{params, params_from_iter, Connection};

use crate::company_names::CompanyNames;
use crate::error::Result;
use crate::model::{CompanyRef, Person};

/// The company links of `n` people (bound row ids), read from the covering index
/// `person_companies_page` (migration 0009).
pub(crate) fn company_links_sql(n: usize) -> String {
    let marks = vec!["?"; n].join(",");
    format!(
        // CROSS JOIN keeps person_companies as the outer loop: without it the planner may walk
        // every live company first (5 ms at 10k people instead of 50 µs).
        // Sorted by the caller by position (most people have one company or none) rather
        // than by an ORDER BY, which makes SQLite sort every page's links in a temporary b-tree.
        "SELECT pc.person_seq, pc.position, c.id, c.name FROM person_companies pc CROSS JOIN companies c ON c.seq = pc.company_seq \
         WHERE pc.person_seq IN ({marks}) AND c.deleted_at IS NULL"
    )
}

/// The company links of `n` people (bound row ids), row ids only: all three columns are in
/// `person_companies_page`, so the index alone answers (names come from `CompanyNames`).
pub(crate) fn link_seqs_sql(n: usize) -> String {
    let marks = vec!["?"; n].join(",");
    format!(
        "SELECT person_seq, position, company_seq FROM person_companies WHERE person_seq IN ({marks})"
    )
}

/// Give each person (row ids `seqs`, in the same order) its live companies, joined in SQL:
/// for one person or a few.
pub(crate) fn attach_companies(
    conn: &Connection,
    people: &mut [Person],
    seqs: &[i64],
) -> Result<()> {
    if seqs.is_empty() {
        return Ok(());
    }
    let mut stmt = conn.prepare_cached(&company_links_sql(seqs.len()))?;
    let rows = stmt.query_map(params_from_iter(seqs.iter()), |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            CompanyRef {
                id: r.get(2)?,
                name: r.get(3)?,
            },
        ))
    })?;
    let links = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    place(people, seqs, links);
    Ok(())
}

/// The same for a page of people, with the companies' names from `names`.
pub(crate) fn attach_companies_named(
    conn: &Connection,
    names: &RefCell<CompanyNames>,
    people: &mut [Person],
    seqs: &[i64],
) -> Result<()> {
    if seqs.is_empty() {
        return Ok(());
    }
    let links: Vec<(i64, i64, i64)> = conn
        .prepare_cached(&link_seqs_sql(seqs.len()))?
        .query_map(params_from_iter(seqs.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut names = names.borrow_mut();
    let companies: Vec<i64> = links.iter().map(|l| l.2).collect();
    names.load(conn, &companies)?;
    let live = links
        .into_iter()
        .filter_map(|(seq, position, company)| match names.get(company) {
            Some((c, false)) => Some((seq, position, c.clone())),
            _ => None,
        })
        .collect();
    place(people, seqs, live);
    Ok(())
}

/// Put each link `(person row id, position, company)` on its person, in position order;
/// the first is the person's company.
fn place(people: &mut [Person], seqs: &[i64], links: Vec<(i64, i64, CompanyRef)>) {
    let mut per: Vec<Vec<(i64, CompanyRef)>> = vec![Vec::new(); people.len()];
    for (seq, position, c) in links {
        if let Some(i) = seqs.iter().position(|s| *s == seq) {
            per[i].push((position, c));
        }
    }
    for (p, mut l) in people.iter_mut().zip(per) {
        l.sort_by_key(|(position, _)| *position);
        p.companies.extend(l.into_iter().map(|(_, c)| c));
        if let Some(c) = p.companies.first() {
            p.company_id = Some(c.id.clone());
            p.company = Some(c.name.clone());
        }
    }
}

/// The person's company links, in order.
pub(crate) fn insert_company_links(conn: &Connection, seq: i64, p: &Person) -> Result<()> {
    let mut st = conn.prepare_cached(
        "INSERT INTO person_companies (person_seq, company_seq, position) SELECT ?1, seq, ?3 FROM companies WHERE id = ?2",
    )?;
    for (i, c) in p.companies.iter().enumerate() {
        st.execute(params![seq, c.id, i as i64])?;
    }
    Ok(())
}
