//! SQL for people: the row, its lookup tables (companies, emails, phones, tags) and its
//! search entry, written together; reading rows back. (Search queries: `search`.)

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::Result;
use crate::model::{CompanyRef, Person};
use crate::people::Draft;
use crate::people_bulk as bulk;
pub use crate::people_bulk::{begin_bulk, end_bulk};
pub(crate) use crate::person_companies::attach_companies;
use crate::person_companies::insert_company_links;
use crate::text::{digits, fold, sort_key};

pub(crate) const COLS: &str = "seq, id, first_name, last_name, full_name, full_name_set, job_title, description, birthday, \
     emails, phones, addresses, urls, tags, custom_fields, latitude, longitude, created_at, updated_at, deleted_at";

/// A value as JSON text. Person values (strings, numbers, lists and maps with string
/// keys) always encode; `serde_json` can only fail on non-string map keys.
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_string())
}

/// Decode a JSON column, read in place (no copy of the text).
fn json_col<T: serde::de::DeserializeOwned + Default>(
    r: &Row,
    i: usize,
    col: &str,
) -> rusqlite::Result<T> {
    let s = r.get_ref(i)?.as_str()?;
    // Most people have no addresses, urls, tags or custom fields.
    if s == "[]" || s == "{}" {
        return Ok(T::default());
    }
    parse_json(s, col)
}

fn parse_json<T: serde::de::DeserializeOwned>(s: &str, col: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("{col}: {e}").into(),
        )
    })
}

pub(crate) fn from_row(r: &Row) -> rusqlite::Result<(i64, Draft)> {
    let person = Person {
        id: r.get(1)?,
        first_name: r.get(2)?,
        last_name: r.get(3)?,
        full_name: r.get(4)?,
        job_title: r.get(6)?,
        description: r.get(7)?,
        birthday: r.get(8)?,
        emails: json_col(r, 9, "emails")?,
        phones: json_col(r, 10, "phones")?,
        addresses: json_col(r, 11, "addresses")?,
        urls: json_col(r, 12, "urls")?,
        company_id: None,
        company: None,
        companies: vec![],
        tags: json_col(r, 13, "tags")?,
        custom_fields: json_col(r, 14, "custom_fields")?,
        latitude: r.get(15)?,
        longitude: r.get(16)?,
        created_at: r.get(17)?,
        updated_at: r.get(18)?,
        deleted_at: r.get(19)?,
        warnings: vec![],
    };
    Ok((
        r.get(0)?,
        Draft {
            person,
            full_name_set: r.get(5)?,
        },
    ))
}

/// The row id (`seq`) of a person id.
pub fn seq_of(conn: &Connection, id: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT seq FROM people WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// Load a person (with companies) by id.
pub fn load(conn: &Connection, id: &str) -> Result<Option<(i64, Draft)>> {
    let sql = format!("SELECT {COLS} FROM people WHERE id = ?1");
    let found = conn
        .prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?;
    match found {
        Some((seq, mut d)) => {
            companies_of(conn, seq, &mut d.person)?;
            Ok(Some((seq, d)))
        }
        None => Ok(None),
    }
}

/// Load a person by row id (it must exist).
pub fn load_seq(conn: &Connection, seq: i64) -> Result<Draft> {
    let sql = format!("SELECT {COLS} FROM people WHERE seq = ?1");
    let (_, mut d) = conn.prepare_cached(&sql)?.query_row([seq], from_row)?;
    companies_of(conn, seq, &mut d.person)?;
    Ok(d)
}

/// A loaded person's companies: the ones a bulk write keeps for it, else its links.
fn companies_of(conn: &Connection, seq: i64, p: &mut Person) -> Result<()> {
    match bulk::pending_companies(seq) {
        Some(c) => p.companies = c,
        None => attach_companies(conn, std::slice::from_mut(p), &[seq])?,
    }
    Ok(())
}

fn display_name(p: &Person) -> String {
    if !p.full_name.is_empty() {
        p.full_name.clone()
    } else {
        p.emails
            .first()
            .map(|e| e.value.clone())
            .unwrap_or_default()
    }
}

/// What a person's row stores besides its plain columns, computed from the person: JSON
/// lists, sort key, lookup rows and search entry. A bulk import computes it on its parsing
/// thread (`people::speculate`), before the companies are known (`set_companies`).
#[derive(Debug, Clone)]
pub(crate) struct RowData {
    emails: String,
    phones: String,
    addresses: String,
    urls: String,
    tags: String,
    custom_fields: String,
    sort_key: String,
    lookups: Lookups,
    search: Option<SearchText>,
}

impl RowData {
    pub(crate) fn of(d: &Draft) -> RowData {
        let p = &d.person;
        RowData {
            emails: json(&p.emails),
            phones: json(&p.phones),
            addresses: json(&p.addresses),
            urls: json(&p.urls),
            tags: json(&p.tags),
            custom_fields: json(&p.custom_fields),
            sort_key: sort_key(&display_name(p)),
            lookups: lookups(p),
            search: p.deleted_at.is_none().then(|| search_text(p)),
        }
    }

    /// The person's companies are resolved: index their names too.
    pub(crate) fn set_companies(&mut self, p: &Person) {
        if let Some(t) = &mut self.search {
            t.3 = company_text(p);
        }
    }
}

/// Insert a new person row with its lookup tables and search entry; returns its seq.
pub fn insert(conn: &Connection, d: &Draft) -> Result<i64> {
    insert_row(conn, d, RowData::of(d))
}

/// Insert a person row from its precomputed `RowData`; returns its seq.
pub(crate) fn insert_row(conn: &Connection, d: &Draft, row: RowData) -> Result<i64> {
    let p = &d.person;
    conn.prepare_cached(
        "INSERT INTO people (id, first_name, last_name, full_name, full_name_set, job_title, description, birthday, \
         emails, phones, addresses, urls, tags, custom_fields, latitude, longitude, sort_key, created_at, updated_at, deleted_at) \
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20)",
    )?
    .execute(params![
        p.id,
        p.first_name,
        p.last_name,
        p.full_name,
        d.full_name_set,
        p.job_title,
        p.description,
        p.birthday,
        row.emails,
        row.phones,
        row.addresses,
        row.urls,
        row.tags,
        row.custom_fields,
        p.latitude,
        p.longitude,
        row.sort_key,
        p.created_at,
        p.updated_at,
        p.deleted_at,
    ])?;
    let seq = conn.last_insert_rowid();
    write_lookups(conn, seq, p, row.lookups, row.search)?;
    Ok(seq)
}

/// The person's own row.
fn write_row(conn: &Connection, seq: i64, d: &Draft) -> Result<()> {
    let p = &d.person;
    conn.prepare_cached(
        "UPDATE people SET first_name=?2, last_name=?3, full_name=?4, full_name_set=?5, job_title=?6, description=?7, \
         birthday=?8, emails=?9, phones=?10, addresses=?11, urls=?12, tags=?13, custom_fields=?14, latitude=?15, \
         longitude=?16, sort_key=?17, updated_at=?18 WHERE seq=?1",
    )?
    .execute(params![
        seq,
        p.first_name,
        p.last_name,
        p.full_name,
        d.full_name_set,
        p.job_title,
        p.description,
        p.birthday,
        json(&p.emails),
        json(&p.phones),
        json(&p.addresses),
        json(&p.urls),
        json(&p.tags),
        json(&p.custom_fields),
        p.latitude,
        p.longitude,
        sort_key(&display_name(p)),
        p.updated_at,
    ])?;
    Ok(())
}

/// Rewrite an existing person row (all columns) with its lookup tables and search entry.
pub fn update(conn: &Connection, seq: i64, d: &Draft) -> Result<()> {
    let p = &d.person;
    write_row(conn, seq, d)?;
    clear_lookups(conn, seq)?;
    let search = p.deleted_at.is_none().then(|| search_text(p));
    write_lookups(conn, seq, p, lookups(p), search)
}

/// Update a live person's row from `before` (as loaded, with its companies) to `d`, and
/// rewrite only the lookup rows and search entry that change: most edits (a title, a
/// note field, an address) leave emails, phones, tags, companies and often the search
/// text as they were, and rewriting them touched a third of an edit's pages. During a
/// bulk write, whose rows are kept aside, everything goes through `update`.
pub fn update_from(conn: &Connection, seq: i64, before: &Person, d: &Draft) -> Result<()> {
    if bulk::active() || before.deleted_at.is_some() || d.person.deleted_at.is_some() {
        return update(conn, seq, d);
    }
    let p = &d.person;
    write_row(conn, seq, d)?;
    let ids = |x: &Person| x.companies.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
    let new = lookups(p);
    if ids(before) != ids(p) || lookups(before) != new {
        delete_lookup_rows(conn, seq)?;
        insert_company_links(conn, seq, p)?;
        insert_lookups(conn, seq, &new)?;
    }
    let text = search_text(p);
    if search_text(before) != text {
        unindex_search(conn, seq)?;
        insert_search(conn, seq, &text)?;
    }
    Ok(())
}

/// Delete a person row for good (lookups and notes cascade; the search entry is removed).
pub fn delete(conn: &Connection, seq: i64) -> Result<()> {
    unindex_search(conn, seq)?;
    conn.execute("DELETE FROM people WHERE seq = ?1", [seq])?;
    Ok(())
}

fn clear_lookups(conn: &Connection, seq: i64) -> Result<()> {
    bulk::drop_lookups(seq);
    delete_lookup_rows(conn, seq)?;
    unindex_search(conn, seq)
}

fn delete_lookup_rows(conn: &Connection, seq: i64) -> Result<()> {
    for sql in [
        "DELETE FROM person_companies WHERE person_seq = ?1",
        "DELETE FROM person_emails WHERE person_seq = ?1",
        "DELETE FROM person_phones WHERE person_seq = ?1",
        "DELETE FROM person_tags WHERE person_seq = ?1",
    ] {
        conn.prepare_cached(sql)?.execute([seq])?;
    }
    Ok(())
}

/// The rows of a person's lookup tables.
fn lookups(p: &Person) -> Lookups {
    let (emails, phones) = match_keys(p);
    Lookups {
        emails,
        phones,
        tags: p.tags.iter().map(|t| fold(t)).collect(),
    }
}

/// The keys a person is matched and checked for uniqueness by, as its lookup rows store
/// them: lower-cased emails and phone keys (E.164, else the digits).
pub(crate) fn match_keys(p: &Person) -> (Vec<String>, Vec<String>) {
    (
        p.emails.iter().map(|e| e.value.to_lowercase()).collect(),
        p.phones
            .iter()
            .map(|ph| crate::phone::phone_key(&ph.value, ph.e164.as_deref()))
            .collect(),
    )
}

fn write_lookups(
    conn: &Connection,
    seq: i64,
    p: &Person,
    lookups: Lookups,
    search: Option<SearchText>,
) -> Result<()> {
    let Some((lookups, search)) = bulk::defer_rows(seq, &p.companies, lookups, search) else {
        return Ok(());
    };
    insert_company_links(conn, seq, p)?;
    insert_lookups(conn, seq, &lookups)?;
    if let Some(t) = &search {
        insert_search(conn, seq, t)?;
    }
    Ok(())
}

/// The rows of a person's lookup tables, as stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Lookups {
    pub(crate) emails: Vec<String>,
    pub(crate) phones: Vec<String>,
    pub(crate) tags: Vec<String>,
}

pub(crate) type SearchText = (String, String, String, String, String);

pub(crate) fn insert_lookups(conn: &Connection, seq: i64, l: &Lookups) -> Result<()> {
    let mut st = conn.prepare_cached(
        "INSERT INTO person_emails (person_seq, position, email_norm) VALUES (?1, ?2, ?3)",
    )?;
    for (i, e) in l.emails.iter().enumerate() {
        st.execute(params![seq, i as i64, e])?;
    }
    let mut st = conn.prepare_cached(
        "INSERT INTO person_phones (person_seq, position, phone_key) VALUES (?1, ?2, ?3)",
    )?;
    for (i, k) in l.phones.iter().enumerate() {
        st.execute(params![seq, i as i64, k])?;
    }
    let mut st = conn.prepare_cached(
        "INSERT OR IGNORE INTO person_tags (person_seq, tag_norm) VALUES (?1, ?2)",
    )?;
    for t in &l.tags {
        st.execute(params![seq, t])?;
    }
    Ok(())
}

pub(crate) fn insert_search(conn: &Connection, seq: i64, t: &SearchText) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO people_fts (rowid, name, emails, phones, companies, other) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![seq, t.0, t.1, t.2, t.3, t.4])?;
    Ok(())
}

/// Add a live person to the search index. Only live people are indexed, so a search
/// counts and pages over the index alone, without visiting the people table.
fn index_search(conn: &Connection, seq: i64, p: &Person) -> Result<()> {
    match bulk::defer_search(seq, search_text(p)) {
        Some(t) => insert_search(conn, seq, &t),
        None => Ok(()),
    }
}

/// Remove a person's search entry (a pending one during a bulk write).
fn unindex_search(conn: &Connection, seq: i64) -> Result<()> {
    if bulk::take_search(seq) {
        return Ok(());
    }
    conn.prepare_cached("DELETE FROM people_fts WHERE rowid = ?1")?
        .execute([seq])?;
    Ok(())
}

/// Move a person to the trash (`Some(time)`) or back (`None`), keeping the search index to
/// live people. `updated_at`, when given, is stamped too.
pub fn set_trashed(
    conn: &Connection,
    seq: i64,
    deleted_at: Option<&str>,
    updated_at: Option<&str>,
) -> Result<()> {
    match updated_at {
        Some(u) => conn
            .prepare_cached("UPDATE people SET deleted_at = ?1, updated_at = ?3 WHERE seq = ?2")?
            .execute(params![deleted_at, seq, u])?,
        None => conn
            .prepare_cached("UPDATE people SET deleted_at = ?1 WHERE seq = ?2")?
            .execute(params![deleted_at, seq])?,
    };
    unindex_search(conn, seq)?;
    if deleted_at.is_none() {
        let d = load_seq(conn, seq)?;
        index_search(conn, seq, &d.person)?;
    }
    Ok(())
}

/// The search text of a person's companies.
fn company_text(p: &Person) -> String {
    fold(
        &p.companies
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The folded text a person is found by, per search column.
fn search_text(p: &Person) -> (String, String, String, String, String) {
    let name = crate::search::name_text(
        &p.full_name,
        p.first_name.as_deref(),
        p.last_name.as_deref(),
    );
    let emails = fold(
        &p.emails
            .iter()
            .map(|e| e.value.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    let mut phone_tokens = Vec::new();
    for ph in &p.phones {
        let raw = digits(&ph.value);
        if let Some(e) = &ph.e164 {
            let e = digits(e);
            // National form: E.164 digits without the country code, as people type them.
            if let Some(n) = crate::phone::national_digits(&e) {
                phone_tokens.push(n);
            }
            phone_tokens.push(e);
        }
        if raw.len() > 7 {
            phone_tokens.push(raw[raw.len() - 7..].to_string());
        }
        phone_tokens.push(raw);
    }
    // The raw digits are often the national or E.164 form again: index each token once
    // (at most 4 tokens for each of at most 20 phones: a linear scan, no set of copies).
    let mut unique: Vec<String> = Vec::with_capacity(phone_tokens.len());
    for t in phone_tokens {
        if !t.is_empty() && !unique.contains(&t) {
            unique.push(t);
        }
    }
    let phone_tokens = unique;
    let companies = company_text(p);
    let mut other: Vec<String> = Vec::new();
    other.extend(p.job_title.clone());
    other.extend(p.tags.iter().cloned());
    for v in p.custom_fields.values() {
        match v {
            serde_json::Value::String(s) => other.push(s.clone()),
            serde_json::Value::Array(a) => {
                other.extend(a.iter().filter_map(|x| x.as_str().map(String::from)))
            }
            _ => {}
        }
    }
    (
        name,
        emails,
        phone_tokens.join(" "),
        companies,
        fold(&other.join(" ")),
    )
}

/// The id and display name of a live person (other than `seq`) with this email.
pub fn live_person_with_email(
    conn: &Connection,
    email_norm: &str,
    seq: i64,
) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT p.id, p.full_name FROM person_emails e JOIN people p ON p.seq = e.person_seq \
             WHERE e.email_norm = ?1 AND p.deleted_at IS NULL AND p.seq <> ?2 LIMIT 1",
        )?
        .query_row(params![email_norm, seq], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// The id and display name of a live person (other than `seq`) with this phone key.
pub fn live_person_with_phone(
    conn: &Connection,
    key: &str,
    seq: i64,
) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT p.id, p.full_name FROM person_phones f JOIN people p ON p.seq = f.person_seq \
             WHERE f.phone_key = ?1 AND p.deleted_at IS NULL AND p.seq <> ?2 LIMIT 1",
        )?
        .query_row(params![key, seq], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Visit every person (live ones, or all with `include_trash`) in name order, with its
/// companies: the export's single pass over the table (two queries, not one per person).
pub fn scan(
    conn: &Connection,
    include_trash: bool,
    f: &mut dyn FnMut(i64, Person) -> Result<()>,
) -> Result<()> {
    let mut companies: std::collections::HashMap<i64, Vec<CompanyRef>> = Default::default();
    {
        let mut st = conn.prepare(
            "SELECT pc.person_seq, c.id, c.name FROM person_companies pc JOIN companies c ON c.seq = pc.company_seq \
             WHERE c.deleted_at IS NULL ORDER BY pc.person_seq, pc.position",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                CompanyRef {
                    id: r.get(1)?,
                    name: r.get(2)?,
                },
            ))
        })?;
        for row in rows {
            let (seq, c) = row?;
            companies.entry(seq).or_default().push(c);
        }
    }
    let filter = if include_trash {
        ""
    } else {
        "WHERE deleted_at IS NULL"
    };
    let mut st = conn.prepare(&format!(
        "SELECT {COLS} FROM people {filter} ORDER BY sort_key, seq"
    ))?;
    let rows = st.query_map([], from_row)?;
    for row in rows {
        let (seq, d) = row?;
        let mut p = d.person;
        if let Some(cs) = companies.remove(&seq) {
            p.company_id = cs.first().map(|c| c.id.clone());
            p.company = cs.first().map(|c| c.name.clone());
            p.companies = cs;
        }
        f(seq, p)?;
    }
    Ok(())
}
