//! Companies: create (or reuse by name, case- and accent-insensitively), read, list,
//! PATCH, trash, restore, purge. A trashed company disappears from its people until restored.
//!
//! `customFields` are checked against the company field definitions (`fields`) on create
//! and update. A company created on the fly from a person's `companyName` has no custom
//! values and skips `required` (else naming a new employer would be impossible).

use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::fields::FieldEntity;
use crate::input::{kind, opt_string};
use crate::model::{Company, CompanyPage, CompanyQuery, CompanyRef};
use crate::people::WriteCtx;
use crate::store::Store;
use crate::text::fold;

pub const MAX_COMPANY_NAME: usize = 500;

const COLS: &str = "c.seq, c.id, c.name, c.domain, c.website, c.industry, c.custom_fields, c.created_at, c.updated_at, c.deleted_at, \
     (SELECT count(*) FROM person_companies pc JOIN people p ON p.seq = pc.person_seq WHERE pc.company_seq = c.seq AND p.deleted_at IS NULL)";

fn from_row(r: &Row) -> rusqlite::Result<(i64, Company)> {
    let cf: String = r.get(6)?;
    Ok((
        r.get(0)?,
        Company {
            id: r.get(1)?,
            name: r.get(2)?,
            domain: r.get(3)?,
            website: r.get(4)?,
            industry: r.get(5)?,
            custom_fields: serde_json::from_str(&cf).unwrap_or_default(),
            created_at: r.get(7)?,
            updated_at: r.get(8)?,
            deleted_at: r.get(9)?,
            people_count: r.get(10)?,
        },
    ))
}

fn norm(name: &str) -> String {
    fold(name).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Id and name of a live company by id.
pub fn live_ref(conn: &Connection, id: &str) -> Result<Option<CompanyRef>> {
    Ok(conn
        .prepare_cached("SELECT id, name FROM companies WHERE id = ?1 AND deleted_at IS NULL")?
        .query_row([id], |r| {
            Ok(CompanyRef {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })
        .optional()?)
}

fn live_by_name(conn: &Connection, name: &str) -> Result<Option<CompanyRef>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, name FROM companies WHERE name_norm = ?1 AND deleted_at IS NULL",
        )?
        .query_row([norm(name)], |r| {
            Ok(CompanyRef {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })
        .optional()?)
}

/// The live company with this name (ignoring case and accents), or a new one.
pub fn find_or_create(conn: &Connection, name: &str, ctx: &WriteCtx) -> Result<CompanyRef> {
    let found = match &ctx.index {
        Some(ix) => ix.borrow().company(&norm(name)).cloned(),
        None => live_by_name(conn, name)?,
    };
    if let Some(c) = found {
        return Ok(c);
    }
    let fields = CompanyFields {
        name: Some(name.trim().to_string()),
        ..Default::default()
    };
    fields.check()?;
    let id = crate::db::new_id();
    insert(conn, &id, &fields, &ctx.now)?;
    let c = CompanyRef {
        id,
        name: name.trim().to_string(),
    };
    if let Some(ix) = &ctx.index {
        ix.borrow_mut().add_company(norm(name), c.clone());
    }
    Ok(c)
}

#[derive(Default, Debug, Clone)]
struct CompanyFields {
    name: Option<String>,
    domain: Option<String>,
    website: Option<String>,
    industry: Option<String>,
    custom_fields: Map<String, Value>,
    /// The `customFields` of the input, checked and merged by `merge_custom` (needs the
    /// field definitions, so a connection).
    custom_patch: Option<Map<String, Value>>,
}

impl CompanyFields {
    fn check(&self) -> Result<()> {
        let name = self
            .name
            .as_deref()
            .ok_or_else(|| Error::validation("name", "is required"))?;
        let n = name.chars().count();
        if n > MAX_COMPANY_NAME {
            return Err(Error::validation(
                "name",
                format!("is {n} characters long; at most {MAX_COMPANY_NAME} are allowed"),
            ));
        }
        if let Some(d) = &self.domain {
            let ok = d.contains('.')
                && !d.contains("://")
                && d.chars()
                    .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
            if !ok {
                return Err(Error::validation(
                    "domain",
                    format!("\"{d}\" is not a domain name such as acme.com"),
                ));
            }
        }
        if let Some(w) = &self.website {
            crate::validate::url(w).map_err(|m| Error::validation("website", m))?;
        }
        if let Some(i) = &self.industry {
            if i.chars().count() > 200 {
                return Err(Error::validation(
                    "industry",
                    "is longer than 200 characters",
                ));
            }
        }
        for key in self.custom_fields.keys() {
            crate::validate::custom_key(key)
                .map_err(|m| Error::validation(format!("customFields.{key}"), m))?;
        }
        Ok(())
    }

    /// Apply a JSON PATCH body onto these fields.
    fn apply(&mut self, input: &Value) -> Result<()> {
        let obj = input
            .as_object()
            .ok_or_else(|| Error::validation("body", "must be a JSON object of company fields"))?;
        for (k, v) in obj {
            match k.as_str() {
                "name" => self.name = opt_string(v, k)?,
                "domain" => self.domain = opt_string(v, k)?.map(|d| d.to_lowercase()),
                "website" | "url" => self.website = opt_string(v, k)?,
                "industry" => self.industry = opt_string(v, k)?,
                "customFields" => match v {
                    // `null` unsets every value.
                    Value::Null => {
                        let all = self.custom_fields.keys().map(|k| (k.clone(), Value::Null));
                        self.custom_patch.get_or_insert_with(Map::new).extend(all);
                    }
                    Value::Object(m) => {
                        let more = m.iter().map(|(k, v)| (k.clone(), v.clone()));
                        self.custom_patch.get_or_insert_with(Map::new).extend(more);
                    }
                    _ => {
                        return Err(Error::validation(
                            k,
                            format!("must be an object, not {}", kind(v)),
                        ))
                    }
                },
                "id" | "createdAt" | "updatedAt" | "deletedAt" | "peopleCount" => {}
                _ => {
                    return Err(Error::validation(
                        k.as_str(),
                        "is not a company field (name, domain, website, industry, customFields)",
                    ))
                }
            }
        }
        Ok(())
    }

    /// Check the given custom values against the company field definitions and merge
    /// them; enforce `required` (`before` is `None` on create).
    fn merge_custom(
        &mut self,
        conn: &Connection,
        before: Option<&Map<String, Value>>,
    ) -> Result<()> {
        if let Some(patch) = self.custom_patch.take() {
            crate::fields::values::merge(
                conn,
                FieldEntity::Company,
                &mut self.custom_fields,
                patch,
            )?;
        }
        crate::fields::values::check_required(
            conn,
            FieldEntity::Company,
            &self.custom_fields,
            before,
        )?;
        Ok(())
    }
}

fn insert(conn: &Connection, id: &str, f: &CompanyFields, now: &str) -> Result<()> {
    let name = f.name.clone().unwrap_or_default();
    conn.prepare_cached(
        "INSERT INTO companies (id, name, name_norm, domain, website, industry, custom_fields, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    )?
    .execute(params![id, name, norm(&name), f.domain, f.website, f.industry, Value::Object(f.custom_fields.clone()).to_string(), now])?;
    Ok(())
}

fn load(conn: &Connection, id: &str) -> Result<Option<(i64, Company)>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLS} FROM companies c WHERE c.id = ?1"),
            [id],
            from_row,
        )
        .optional()?)
}

fn name_clash(conn: &Connection, name: &str, except: &str) -> Result<()> {
    if let Some(c) = live_by_name(conn, name)? {
        if c.id != except {
            return Err(Error::conflict(
                "name",
                format!("a company named \"{}\" already exists ({})", c.name, c.id),
                &c.id,
            ));
        }
    }
    Ok(())
}

impl Store {
    /// Create a company. A live company with the same name (ignoring case) is a conflict.
    pub fn create_company(&mut self, input: &Value) -> Result<Company> {
        let mut f = CompanyFields::default();
        f.apply(input)?;
        let tx = self.conn.transaction()?;
        f.merge_custom(&tx, None)?;
        f.check()?;
        name_clash(&tx, f.name.as_deref().unwrap_or(""), "")?;
        let id = crate::db::new_id();
        insert(&tx, &id, &f, &crate::db::now())?;
        tx.commit()?;
        self.get_company(&id)
    }

    /// One company by id.
    pub fn get_company(&self, id: &str) -> Result<Company> {
        load(&self.conn, id)?
            .map(|(_, c)| c)
            .ok_or_else(|| Error::not_found("company", id))
    }

    /// PATCH a company: only given keys change; `customFields` merge; `null` unsets.
    pub fn update_company(&mut self, id: &str, input: &Value) -> Result<Company> {
        let tx = self.conn.transaction()?;
        let (seq, c) = load(&tx, id)?.ok_or_else(|| Error::not_found("company", id))?;
        if c.deleted_at.is_some() {
            return Err(Error::validation(
                "id",
                format!("company {id} is in the trash; restore it before editing"),
            ));
        }
        let mut f = CompanyFields {
            name: Some(c.name.clone()),
            domain: c.domain.clone(),
            website: c.website.clone(),
            industry: c.industry.clone(),
            custom_fields: c.custom_fields.clone(),
            custom_patch: None,
        };
        f.apply(input)?;
        f.merge_custom(&tx, Some(&c.custom_fields))?;
        f.check()?;
        let name = f.name.clone().unwrap_or_default();
        name_clash(&tx, &name, id)?;
        tx.execute(
            "UPDATE companies SET name=?2, name_norm=?3, domain=?4, website=?5, industry=?6, custom_fields=?7, updated_at=?8 WHERE seq=?1",
            params![seq, name, norm(&name), f.domain, f.website, f.industry, Value::Object(f.custom_fields).to_string(), crate::db::now()],
        )?;
        if name != c.name {
            reindex_people_of(&tx, seq)?;
        }
        tx.commit()?;
        self.get_company(id)
    }

    /// A page of companies, by name.
    pub fn list_companies(&self, q: &CompanyQuery) -> Result<CompanyPage> {
        if !(1..=100).contains(&q.limit) {
            return Err(Error::validation(
                "limit",
                format!("{} is outside 1..100", q.limit),
            ));
        }
        let mut wh = vec![if q.trashed {
            "c.deleted_at IS NOT NULL"
        } else {
            "c.deleted_at IS NULL"
        }
        .to_string()];
        let mut args = vec![];
        if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            wh.push("(c.name_norm LIKE ? ESCAPE '\\' OR c.domain LIKE ? ESCAPE '\\')".into());
            let pat = format!(
                "%{}%",
                norm(s)
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            args.push(pat.clone());
            args.push(pat);
        }
        let w = wh.join(" AND ");
        let total: u32 = self.conn.query_row(
            &format!("SELECT count(*) FROM companies c WHERE {w}"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let sql = format!("SELECT {COLS} FROM companies c WHERE {w} ORDER BY c.name_norm, c.seq LIMIT {} OFFSET {}", q.limit, q.offset);
        let mut stmt = self.conn.prepare(&sql)?;
        let items = stmt
            .query_map(params_from_iter(args.iter()), from_row)?
            .map(|r| r.map(|(_, c)| c))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(CompanyPage {
            items,
            total,
            limit: q.limit,
            offset: q.offset,
        })
    }

    /// Move a company to the trash; its people keep the link, hidden until it is restored.
    pub fn trash_company(&mut self, id: &str) -> Result<Company> {
        let (seq, c) = load(&self.conn, id)?.ok_or_else(|| Error::not_found("company", id))?;
        if c.deleted_at.is_some() {
            return Err(Error::not_found("live company", id));
        }
        let now = crate::db::now();
        self.conn.execute(
            "UPDATE companies SET deleted_at = ?1, updated_at = ?1 WHERE seq = ?2",
            params![now, seq],
        )?;
        self.get_company(id)
    }

    /// Bring a company back; refused if a live company now has its name.
    pub fn restore_company(&mut self, id: &str) -> Result<Company> {
        let (seq, c) = load(&self.conn, id)?.ok_or_else(|| Error::not_found("company", id))?;
        if c.deleted_at.is_none() {
            return Err(Error::not_found("company in the trash", id));
        }
        name_clash(&self.conn, &c.name, id)?;
        let now = crate::db::now();
        self.conn.execute(
            "UPDATE companies SET deleted_at = NULL, updated_at = ?1 WHERE seq = ?2",
            params![now, seq],
        )?;
        self.get_company(id)
    }

    /// Delete a company for good (only from the trash); its people lose the link.
    pub fn purge_company(&mut self, id: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        let (seq, c) = load(&tx, id)?.ok_or_else(|| Error::not_found("company", id))?;
        if c.deleted_at.is_none() {
            return Err(Error::validation(
                "id",
                "only a company in the trash can be purged; trash it first",
            ));
        }
        let people: Vec<i64> = tx
            .prepare("SELECT person_seq FROM person_companies WHERE company_seq = ?1")?
            .query_map([seq], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        tx.execute("DELETE FROM companies WHERE seq = ?1", [seq])?;
        for p in people {
            reindex_person(&tx, p)?;
        }
        crate::fields::drop_references(&tx, crate::fields::FieldType::CompanyRef, id)?;
        tx.commit()?;
        Ok(())
    }
}

fn reindex_people_of(conn: &Connection, company_seq: i64) -> Result<()> {
    let people: Vec<i64> = conn
        .prepare("SELECT person_seq FROM person_companies WHERE company_seq = ?1")?
        .query_map([company_seq], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for p in people {
        reindex_person(conn, p)?;
    }
    Ok(())
}

/// Rewrite a person's lookups and search entry (after a company rename or purge).
fn reindex_person(conn: &Connection, seq: i64) -> Result<()> {
    let d = crate::people_db::load_seq(conn, seq)?;
    crate::people_db::update(conn, seq, &d)
}
