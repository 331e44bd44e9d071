//! People: create, read, list/search, PATCH, trash, restore and purge.
//!
//! A write parses the input (`input`), applies it onto the current record, resolves
//! companies, checks `customFields` against the field definitions (`fields`: unknown keys,
//! types, options, references, `required`), derives the full name and E.164 phones,
//! checks every rule (`validate`) and the email uniqueness, then writes the row, its
//! lookup tables and its search entry in one transaction. Nothing is written when any
//! step fails.

use rusqlite::Connection;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::fields::FieldEntity;
use crate::input::{parse_person, CompanyInput, PersonPatch};
use crate::model::{CompanyRef, PeoplePage, PeopleQuery, Person, Phone, Warning};
use crate::people_db as pdb;
use crate::store::Store;

mod speculate;
pub(crate) use speculate::{create_speculated, speculate, Speculated};

/// What a write needs besides the input: the time and the default phone region.
pub struct WriteCtx {
    pub now: String,
    pub default_region: crate::phone::Region,
    /// Set by a bulk import that computed the E.164 form of the patch's phones (on another
    /// thread) for this region: when the person's region is the same, they are kept as given.
    pub e164_region: Option<crate::phone::Region>,
    /// Set by a bulk import: uniqueness and duplicate checks use this in-memory index of
    /// live keys (kept in step by every write of the import) instead of SQL lookups.
    pub(crate) index: Option<std::rc::Rc<std::cell::RefCell<crate::live_index::LiveIndex>>>,
}

impl WriteCtx {
    pub fn new(store_region: &str) -> Self {
        WriteCtx {
            now: crate::db::now(),
            default_region: crate::phone::parse_region(store_region)
                .or_else(|| crate::phone::parse_region(crate::phone::FALLBACK_REGION))
                .unwrap_or(crate::phone::Region::US),
            e164_region: None,
            index: None,
        }
    }
}

/// A person being written, with whether its full name was set explicitly.
#[derive(Debug, Clone)]
pub struct Draft {
    pub person: Person,
    pub full_name_set: bool,
}

impl Store {
    /// Create a person from a JSON body (canonical keys or a CRM payload).
    pub fn create_person(&mut self, input: &Value) -> Result<Person> {
        let patch = parse_person(input)?;
        let ctx = WriteCtx::new(&self.default_region()?);
        let tx = self.conn.transaction()?;
        let p = create_in(&tx, patch, &ctx)?;
        tx.commit()?;
        Ok(p)
    }

    /// PATCH a person: only the given keys change; `customFields` merge; `null` unsets.
    pub fn update_person(&mut self, id: &str, input: &Value) -> Result<Person> {
        let patch = parse_person(input)?;
        let ctx = WriteCtx::new(&self.default_region()?);
        let tx = self.conn.transaction()?;
        let p = update_in(&tx, id, patch, &ctx)?;
        tx.commit()?;
        Ok(p)
    }

    /// One person by id, live or in the trash.
    pub fn get_person(&self, id: &str) -> Result<Person> {
        pdb::load(&self.conn, id)?
            .map(|(_, d)| d.person)
            .ok_or_else(|| Error::not_found("person", id))
    }

    /// A page of people matching the query. Its statements (total, rows, companies) read
    /// one snapshot of the database, in one read transaction (deferred: no write lock).
    pub fn list_people(&self, q: &PeopleQuery) -> Result<PeoplePage> {
        let tx = if self.conn.is_autocommit() {
            Some(rusqlite::Transaction::new_unchecked(
                &self.conn,
                rusqlite::TransactionBehavior::Deferred,
            )?)
        } else {
            None
        };
        let page = crate::people_list::list(
            &self.conn,
            q,
            &self.anchors,
            &self.company_names,
            &self.search,
        )?;
        if let Some(tx) = tx {
            tx.commit()?;
        }
        Ok(page)
    }

    /// Move a person to the trash (restorable).
    pub fn trash_person(&mut self, id: &str) -> Result<Person> {
        let tx = self.conn.transaction()?;
        let (seq, d) = pdb::load(&tx, id)?.ok_or_else(|| Error::not_found("person", id))?;
        if d.person.deleted_at.is_some() {
            return Err(Error::not_found("live person", id));
        }
        let now = crate::db::now();
        pdb::set_trashed(&tx, seq, Some(&now), Some(&now))?;
        tx.commit()?;
        self.get_person(id)
    }

    /// Bring a person back from the trash. Refused if a live person now has one of its emails.
    pub fn restore_person(&mut self, id: &str) -> Result<Person> {
        let tx = self.conn.transaction()?;
        let (seq, d) = pdb::load(&tx, id)?.ok_or_else(|| Error::not_found("person", id))?;
        if d.person.deleted_at.is_none() {
            return Err(Error::not_found("person in the trash", id));
        }
        check_unique_emails(&tx, seq, &d.person)?;
        let now = crate::db::now();
        pdb::set_trashed(&tx, seq, None, Some(&now))?;
        tx.commit()?;
        self.get_person(id)
    }

    /// Delete a person for good, with its notes. Only from the trash.
    pub fn purge_person(&mut self, id: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        let (seq, d) = pdb::load(&tx, id)?.ok_or_else(|| Error::not_found("person", id))?;
        if d.person.deleted_at.is_none() {
            return Err(Error::validation(
                "id",
                "only a person in the trash can be purged; trash it first",
            ));
        }
        pdb::delete(&tx, seq)?;
        crate::fields::drop_references(&tx, crate::fields::FieldType::PersonRef, id)?;
        tx.commit()?;
        Ok(())
    }
}

/// Create a person inside an open transaction (used by import too).
pub fn create_in(conn: &Connection, patch: PersonPatch, ctx: &WriteCtx) -> Result<Person> {
    let id = match &patch.id {
        Some(id) => {
            let parsed = uuid::Uuid::parse_str(id)
                .map_err(|_| Error::validation("id", format!("\"{id}\" is not a UUID")))?;
            let id = parsed.hyphenated().to_string();
            if pdb::seq_of(conn, &id)?.is_some() {
                return Err(Error::conflict(
                    "id",
                    format!("a person with id {id} already exists"),
                    &id,
                ));
            }
            id
        }
        None => crate::db::new_id(),
    };
    let created = match &patch.created_at {
        Some(t) => timestamp(t, "createdAt")?,
        None => ctx.now.clone(),
    };
    let updated = match &patch.updated_at {
        Some(t) => timestamp(t, "updatedAt")?,
        None => created.clone(),
    };
    let mut d = Draft {
        person: empty_person(id, created, updated),
        full_name_set: false,
    };
    apply(conn, &mut d, patch, ctx)?;
    let mut warnings = crate::fields::values::check_required(
        conn,
        FieldEntity::Person,
        &d.person.custom_fields,
        None,
    )?;
    warnings.extend(finish(conn, None, &mut d, ctx)?);
    let seq = pdb::insert(conn, &d)?;
    if let Some(ix) = &ctx.index {
        ix.borrow_mut().add(seq, &d.person);
    }
    // The draft is what was stored (companies resolved, full name derived): no re-read.
    let mut p = d.person;
    p.warnings = warnings;
    Ok(p)
}

/// PATCH a person inside an open transaction.
pub fn update_in(
    conn: &Connection,
    id: &str,
    patch: PersonPatch,
    ctx: &WriteCtx,
) -> Result<Person> {
    let (seq, mut d) = pdb::load(conn, id)?.ok_or_else(|| Error::not_found("person", id))?;
    if d.person.deleted_at.is_some() {
        return Err(Error::validation(
            "id",
            format!("person {id} is in the trash; restore it before editing"),
        ));
    }
    if let Some(given) = &patch.id {
        if !given.eq_ignore_ascii_case(id) {
            return Err(Error::validation("id", "cannot be changed"));
        }
    }
    let before = d.person.clone();
    apply(conn, &mut d, patch, ctx)?;
    // A value of a required field cannot be removed; one that was never set only warns.
    let mut warnings = crate::fields::values::check_required(
        conn,
        FieldEntity::Person,
        &d.person.custom_fields,
        Some(&before.custom_fields),
    )?;
    warnings.extend(finish(conn, Some(seq), &mut d, ctx)?);
    if same_content(&before, &d.person) {
        let mut p = before;
        p.warnings = warnings;
        return Ok(p);
    }
    d.person.updated_at = ctx.now.clone();
    pdb::update_from(conn, seq, &before, &d)?;
    let mut p = pdb::load_seq(conn, seq)?.person;
    if let Some(ix) = &ctx.index {
        let mut ix = ix.borrow_mut();
        ix.remove(seq, &before);
        ix.add(seq, &p);
    }
    p.warnings = warnings;
    Ok(p)
}

fn same_content(a: &Person, b: &Person) -> bool {
    let mut b = b.clone();
    b.updated_at = a.updated_at.clone();
    b.warnings = a.warnings.clone();
    *a == b
}

fn timestamp(t: &str, field: &str) -> Result<String> {
    time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
        .map(|_| t.to_string())
        .map_err(|_| {
            Error::validation(
                field,
                format!("\"{t}\" is not an RFC 3339 time such as 2026-01-31T09:00:00Z"),
            )
        })
}

fn empty_person(id: String, created: String, updated: String) -> Person {
    Person {
        id,
        first_name: None,
        last_name: None,
        full_name: String::new(),
        job_title: None,
        description: None,
        birthday: None,
        emails: vec![],
        phones: vec![],
        addresses: vec![],
        urls: vec![],
        company_id: None,
        company: None,
        companies: vec![],
        tags: vec![],
        custom_fields: serde_json::Map::new(),
        latitude: None,
        longitude: None,
        created_at: created,
        updated_at: updated,
        deleted_at: None,
        warnings: vec![],
    }
}

/// Apply a parsed patch onto a draft (no checks across records yet).
fn apply(conn: &Connection, d: &mut Draft, patch: PersonPatch, ctx: &WriteCtx) -> Result<()> {
    let phones_given = patch.phones.is_some();
    let (custom_fields, companies) = apply_fields(d, patch);
    if let Some(cf) = custom_fields {
        // Checked against the field definitions; `null`/`""`/`[]` unset.
        crate::fields::values::merge(conn, FieldEntity::Person, &mut d.person.custom_fields, cf)?;
    }
    if let Some(list) = companies {
        // Check the person's own rules first so a bad body creates no company. A bulk
        // import (`ctx.index`) commits only when every record is valid, so a company a bad
        // record created is rolled back with the whole import: the check runs once, below.
        if ctx.index.is_none() {
            crate::validate::person(&derived(d))?;
        }
        d.person.companies = resolve_companies(conn, &list, ctx)?;
    }
    normalize_phones(d, phones_given, ctx.default_region, ctx.e164_region);
    Ok(())
}

/// The E.164 forms of the phones, read in the person's region. Phones are (re)normalised
/// on every write (an address change can change the region), unless a bulk import computed
/// them for this region already.
fn normalize_phones(
    d: &mut Draft,
    phones_given: bool,
    default_region: crate::phone::Region,
    e164_region: Option<crate::phone::Region>,
) {
    let region = d
        .person
        .addresses
        .iter()
        .find_map(|a| {
            a.country
                .as_deref()
                .and_then(crate::phone::region_from_country)
        })
        .unwrap_or(default_region);
    if phones_given && e164_region == Some(region) {
        return;
    }
    for ph in &mut d.person.phones {
        ph.e164 = crate::phone::to_e164(&ph.value, region);
    }
}

type DbParts = (
    Option<serde_json::Map<String, Value>>,
    Option<Vec<CompanyInput>>,
);

/// Apply the fields of a patch that need no database; hand back the custom fields and
/// companies, which do.
fn apply_fields(d: &mut Draft, patch: PersonPatch) -> DbParts {
    let p = &mut d.person;
    if let Some(v) = patch.first_name {
        p.first_name = v;
    }
    if let Some(v) = patch.last_name {
        p.last_name = v;
    }
    if let Some(v) = patch.full_name {
        d.full_name_set = v.is_some();
        p.full_name = v.unwrap_or_default();
    }
    if let Some(v) = patch.job_title {
        p.job_title = v;
    }
    if let Some(v) = patch.description {
        p.description = v;
    }
    if let Some(v) = patch.birthday {
        p.birthday = v;
    }
    if let Some(v) = patch.emails {
        p.emails = v;
    }
    if let Some(v) = patch.addresses {
        p.addresses = v;
    }
    if let Some(v) = patch.urls {
        p.urls = v;
    }
    if let Some(v) = patch.phones {
        p.phones = v;
    }
    if let Some(v) = patch.tags {
        let mut seen = std::collections::HashSet::new();
        p.tags = v
            .into_iter()
            .filter(|t| seen.insert(crate::text::fold(t)))
            .collect();
    }
    if let Some(v) = patch.latitude {
        p.latitude = v;
    }
    if let Some(v) = patch.longitude {
        p.longitude = v;
    }
    (patch.custom_fields, patch.companies)
}

fn derived(d: &Draft) -> Person {
    let mut p = d.person.clone();
    if !d.full_name_set {
        p.full_name = derive_full_name(&p);
    }
    p
}

fn derive_full_name(p: &Person) -> String {
    [p.first_name.as_deref(), p.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Derive the full name, check every rule and the uniqueness of emails; collect warnings.
fn finish(
    conn: &Connection,
    seq: Option<i64>,
    d: &mut Draft,
    ctx: &WriteCtx,
) -> Result<Vec<Warning>> {
    if !d.full_name_set {
        d.person.full_name = derive_full_name(&d.person);
    }
    crate::validate::person(&d.person)?;
    finish_checks(conn, seq, d, ctx)
}

/// The checks of a write against the other live people (email uniqueness, shared-phone
/// warnings), and the primary company.
fn finish_checks(
    conn: &Connection,
    seq: Option<i64>,
    d: &mut Draft,
    ctx: &WriteCtx,
) -> Result<Vec<Warning>> {
    let index = ctx.index.as_ref().map(|ix| ix.borrow());
    check_unique_emails_in(conn, seq.unwrap_or(-1), &d.person, index.as_deref())?;
    let c = d.person.companies.first().cloned();
    d.person.company_id = c.as_ref().map(|c| c.id.clone());
    d.person.company = c.map(|c| c.name);
    phone_warnings(conn, seq.unwrap_or(-1), &d.person.phones, index.as_deref())
}

fn check_unique_emails(conn: &Connection, seq: i64, p: &Person) -> Result<()> {
    check_unique_emails_in(conn, seq, p, None)
}

type Index = crate::live_index::LiveIndex;

/// The live person other than `seq` owning an email: from the import's index when given.
fn email_owner(
    conn: &Connection,
    index: Option<&Index>,
    email_norm: &str,
    seq: i64,
) -> Result<Option<(String, String)>> {
    match index {
        Some(ix) => Ok(ix
            .email_owner(email_norm, seq)
            .map(|o| (o.id.clone(), o.name.clone()))),
        None => pdb::live_person_with_email(conn, email_norm, seq),
    }
}

fn check_unique_emails_in(
    conn: &Connection,
    seq: i64,
    p: &Person,
    index: Option<&Index>,
) -> Result<()> {
    for (i, e) in p.emails.iter().enumerate() {
        if let Some((other, name)) = email_owner(conn, index, &e.value.to_lowercase(), seq)? {
            return Err(Error::conflict(
                format!("emails[{i}].value"),
                format!(
                    "{} already belongs to {} ({other})",
                    e.value,
                    if name.is_empty() {
                        "another person"
                    } else {
                        &name
                    }
                ),
                &other,
            ));
        }
    }
    Ok(())
}

fn phone_warnings(
    conn: &Connection,
    seq: i64,
    phones: &[Phone],
    index: Option<&Index>,
) -> Result<Vec<Warning>> {
    let mut out = Vec::new();
    for (i, ph) in phones.iter().enumerate() {
        let key = crate::phone::phone_key(&ph.value, ph.e164.as_deref());
        let found = match index {
            Some(ix) => ix
                .phone_owner(&key, seq)
                .map(|o| (o.id.clone(), o.name.clone())),
            None => pdb::live_person_with_phone(conn, &key, seq)?,
        };
        if let Some((other, name)) = found {
            out.push(Warning {
                code: "duplicate_phone".into(),
                field: format!("phones[{i}].value"),
                message: format!("{} is also the number of {name}", ph.value),
                other_id: Some(other),
            });
        }
    }
    Ok(out)
}

fn resolve_companies(
    conn: &Connection,
    list: &[CompanyInput],
    ctx: &WriteCtx,
) -> Result<Vec<CompanyRef>> {
    let mut out: Vec<CompanyRef> = Vec::new();
    for (i, c) in list.iter().enumerate() {
        let r = match c {
            CompanyInput::Id(id) => crate::companies::live_ref(conn, id)?.ok_or_else(|| {
                Error::validation(
                    format!("companies[{i}].id"),
                    format!("no company with id {id}"),
                )
            })?,
            CompanyInput::Name(name) => crate::companies::find_or_create(conn, name, ctx)
                .map_err(|e| e.under(&format!("companies[{i}]")))?,
        };
        if !out.iter().any(|o| o.id == r.id) {
            out.push(r);
        }
    }
    Ok(out)
}
