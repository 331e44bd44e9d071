//! A person's company links (`person_companies`): read for a page of people from their
//! covering index, and written with the person.

use rusqlite::{params, params_from_iter, Connection};

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
    let mut links: Vec<Vec<(i64, CompanyRef)>> = vec![Vec::new(); people.len()];
    for row in rows {
        let (seq, position, c) = row?;
        if let Some(i) = seqs.iter().position(|s| *s == seq) {
            links[i].push((position, c));
        }
    }
    for (p, mut l) in people.iter_mut().zip(links) {
        l.sort_by_key(|(position, _)| *position);
        p.companies.extend(l.into_iter().map(|(_, c)| c));
    }
    for p in people.iter_mut() {
        if let Some(c) = p.companies.first() {
            p.company_id = Some(c.id.clone());
            p.company = Some(c.name.clone());
        }
    }
    Ok(())
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
