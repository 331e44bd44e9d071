//! Turning proposals into changes, honestly: fill what is empty, suggest what conflicts,
//! record where every value came from, and log what changed.
//!
//! Every write goes through core's `update_in` (or `update_company`), so each validation
//! rule applies to enriched values as to typed ones; a value a rule turns down is a job
//! note, not a failure, thanks to a savepoint per fill. A non-empty field is never
//! overwritten: a different proposed value becomes a [`Suggestion`]. Company website and
//! domain are written after the person's transaction (core's company update opens its
//! own), and only on the company the same enricher proposed (or the primary one).

use std::collections::HashMap;

use carnet_core::input::parse_person;
use carnet_core::people::{update_in, WriteCtx};
use carnet_core::text::fold;
use carnet_core::{Error, ErrorCode, Person, Result, Store};
use rusqlite::Connection;
use serde_json::{json, Value};

use crate::db;
use crate::enricher::Proposal;
use crate::model::{HistoryEntry, JobNote, PersonOutcome, Provenance, ProvenanceKind, Suggestion};

/// A proposal and the enricher it came from.
#[derive(Debug, Clone)]
pub struct Sourced {
    pub source: String,
    pub proposal: Proposal,
}

const SCALARS: &[&str] = &[
    "firstName",
    "lastName",
    "fullName",
    "jobTitle",
    "description",
    "birthday",
    "company",
];
const LISTS: &[&str] = &["emails", "phones", "urls", "addresses"];

/// A company field to fill after the person's transaction.
struct CompanyFill {
    company_id: String,
    field: &'static str,
    item: Sourced,
}

/// The current value of a scalar field (`None` when empty).
pub fn scalar(p: &Person, field: &str) -> Option<String> {
    match field {
        "firstName" => p.first_name.clone(),
        "lastName" => p.last_name.clone(),
        "fullName" => Some(p.full_name.clone()).filter(|s| !s.is_empty()),
        "jobTitle" => p.job_title.clone(),
        "description" => p.description.clone(),
        "birthday" => p.birthday.clone(),
        "company" => p.company.clone(),
        _ => None,
    }
}

/// Whether `value` is already in a list field (emails and URLs without case, phones by
/// digits or E.164).
fn in_list(p: &Person, field: &str, value: &str) -> bool {
    let norm = |s: &str| fold(s.trim());
    match field {
        "emails" => p.emails.iter().any(|e| norm(&e.value) == norm(value)),
        "urls" => p
            .urls
            .iter()
            .any(|u| norm(u.value.trim_end_matches('/')) == norm(value.trim_end_matches('/'))),
        "addresses" => p.addresses.iter().any(|a| norm(&a.value) == norm(value)),
        "phones" => {
            let d = carnet_core::text::digits(value);
            p.phones.iter().any(|ph| {
                carnet_core::text::digits(&ph.value) == d
                    || ph
                        .e164
                        .as_deref()
                        .is_some_and(|e| carnet_core::text::digits(e) == d)
            })
        }
        _ => false,
    }
}

/// The PATCH body that writes a proposal into an empty field (or appends to a list).
pub fn patch_for(p: &Person, field: &str, value: &Value) -> Option<Value> {
    if SCALARS.contains(&field) {
        let key = if field == "company" { "company" } else { field };
        return Some(json!({ key: value }));
    }
    if LISTS.contains(&field) {
        let mut list = match field {
            "emails" => serde_json::to_value(&p.emails),
            "phones" => serde_json::to_value(&p.phones),
            "urls" => serde_json::to_value(&p.urls),
            _ => serde_json::to_value(&p.addresses),
        }
        .ok()?;
        list.as_array_mut()?.push(json!({ "value": value }));
        return Some(json!({ field: list }));
    }
    None
}

/// For each scalar field, the proposal with the highest confidence (the first on a tie,
/// so enricher order decides); list values, facts and flags all kept, duplicates dropped.
fn merge(items: Vec<Sourced>) -> Vec<Sourced> {
    let mut best: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Sourced> = Vec::new();
    for it in items {
        let p = &it.proposal;
        let scalar_value = p.kind == ProvenanceKind::Value && !LISTS.contains(&p.field.as_str());
        if scalar_value {
            let key = format!("{}|{}", p.field, p.replaces);
            match best.get(&key) {
                Some(&i) if out[i].proposal.confidence >= p.confidence => continue,
                Some(&i) => {
                    out[i] = it;
                    continue;
                }
                None => {
                    best.insert(key, out.len());
                }
            }
        } else if out.iter().any(|o| {
            o.proposal.field == p.field && o.proposal.value == p.value && o.proposal.kind == p.kind
        }) {
            continue;
        }
        out.push(it);
    }
    out
}

struct Ctx<'a> {
    conn: &'a Connection,
    write: &'a WriteCtx,
    person_id: &'a str,
    job_id: Option<&'a str>,
    now: String,
}

impl Ctx<'_> {
    fn provenance(&self, s: &Sourced, field: &str, kind: ProvenanceKind) -> Result<()> {
        db::add_provenance(
            self.conn,
            &Provenance {
                person_id: self.person_id.to_string(),
                field: field.to_string(),
                value: s.proposal.value.clone(),
                source: s.source.clone(),
                confidence: s.proposal.confidence,
                kind,
                detail: s.proposal.detail.clone(),
                job_id: self.job_id.map(str::to_string),
                recorded_at: self.now.clone(),
            },
        )
    }

    fn history(
        &self,
        s: &Sourced,
        field: &str,
        old: Value,
        origin: &str,
        sugg: Option<&str>,
    ) -> Result<()> {
        db::add_history(
            self.conn,
            &HistoryEntry {
                id: carnet_core::db::new_id(),
                person_id: self.person_id.to_string(),
                field: field.to_string(),
                old_value: old,
                new_value: s.proposal.value.clone(),
                source: s.source.clone(),
                origin: origin.to_string(),
                job_id: self.job_id.map(str::to_string),
                suggestion_id: sugg.map(str::to_string),
                changed_at: self.now.clone(),
            },
        )
    }

    fn suggest(&self, s: &Sourced, current: Value) -> Result<bool> {
        db::add_suggestion(
            self.conn,
            &Suggestion {
                id: carnet_core::db::new_id(),
                person_id: self.person_id.to_string(),
                field: s.proposal.field.clone(),
                current_value: current,
                proposed_value: s.proposal.value.clone(),
                source: s.source.clone(),
                confidence: s.proposal.confidence,
                state: crate::model::SuggestionState::Pending,
                job_id: self.job_id.map(str::to_string),
                created_at: self.now.clone(),
                decided_at: None,
            },
        )
    }

    /// Write one PATCH in a savepoint: `Ok(Some(person))` when written, `Ok(None)` when a
    /// rule turned it down (noted), `Err` for storage failures.
    fn write(
        &self,
        patch: &Value,
        s: &Sourced,
        notes: &mut Vec<JobNote>,
    ) -> Result<Option<Person>> {
        self.conn.execute_batch("SAVEPOINT enrich_fill")?;
        let res =
            parse_person(patch).and_then(|pp| update_in(self.conn, self.person_id, pp, self.write));
        match res {
            Ok(p) => {
                self.conn.execute_batch("RELEASE enrich_fill")?;
                Ok(Some(p))
            }
            Err(e) if matches!(e.code, ErrorCode::Validation | ErrorCode::Conflict) => {
                self.conn
                    .execute_batch("ROLLBACK TO enrich_fill; RELEASE enrich_fill")?;
                notes.push(JobNote {
                    person_id: self.person_id.to_string(),
                    source: s.source.clone(),
                    message: format!("{} not written: {e}", s.proposal.field),
                });
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

/// Apply a person's proposals: one transaction for the person, then its company's fills.
pub fn apply_person(
    store: &mut Store,
    person_id: &str,
    items: Vec<Sourced>,
    job_id: Option<&str>,
) -> Result<PersonOutcome> {
    let write = WriteCtx::new(&store.default_region()?);
    let items = merge(items);
    let (mut outcome, fills) = store.transaction(|tx| {
        let ctx = Ctx {
            conn: tx,
            write: &write,
            person_id,
            job_id,
            now: carnet_core::db::now(),
        };
        apply_in(&ctx, &items)
    })?;
    for fill in fills {
        apply_company(store, person_id, job_id, fill, &mut outcome)?;
    }
    Ok(outcome)
}

fn apply_in(ctx: &Ctx<'_>, items: &[Sourced]) -> Result<(PersonOutcome, Vec<CompanyFill>)> {
    let mut out = PersonOutcome {
        person_id: ctx.person_id.to_string(),
        ..Default::default()
    };
    // An empty PATCH reads the person inside this transaction (and refuses the trash).
    let mut person = update_in(ctx.conn, ctx.person_id, Default::default(), ctx.write)?;
    let mut deferred = Vec::new();
    for s in items {
        let p = &s.proposal;
        let field = p.field.as_str();
        match p.kind {
            ProvenanceKind::Fact | ProvenanceKind::Flag => {
                ctx.provenance(s, field, p.kind)?;
                continue;
            }
            ProvenanceKind::Value => {}
        }
        if let Some(i) = phone_e164_index(field) {
            // Core derives E.164 on write: record its source when it agrees.
            if person
                .phones
                .get(i)
                .and_then(|ph| ph.e164.as_ref())
                .map(|e| Value::from(e.as_str()))
                .as_ref()
                == Some(&p.value)
            {
                ctx.provenance(s, field, ProvenanceKind::Value)?;
            }
            continue;
        }
        if field.starts_with("company.") {
            continue; // after the loop, once the company is known
        }
        let Some(text) = p.value.as_str() else {
            continue;
        };
        if LISTS.contains(&field) {
            if in_list(&person, field, text) {
                continue;
            }
        } else if !SCALARS.contains(&field) {
            continue;
        } else if let Some(cur) = scalar(&person, field) {
            let same = if field == "company" {
                fold(&cur) == fold(text)
            } else {
                cur == text
            };
            if !same && ctx.suggest(s, Value::from(cur))? {
                out.suggested.push(field.to_string());
            }
            continue;
        } else if p.replaces {
            continue; // a correction of a value that is gone
        }
        let Some(patch) = patch_for(&person, field, &p.value) else {
            continue;
        };
        if let Some(updated) = ctx.write(&patch, s, &mut out.notes)? {
            person = updated;
            ctx.provenance(s, field, ProvenanceKind::Value)?;
            ctx.history(s, field, Value::Null, "enrichment", None)?;
            out.filled.push(field.to_string());
        }
    }
    // Company fields go to the company this source named, if it is the primary one now.
    for s in items
        .iter()
        .filter(|s| s.proposal.field.starts_with("company."))
    {
        let named = items
            .iter()
            .find(|o| o.source == s.source && o.proposal.field == "company")
            .and_then(|o| o.proposal.value.as_str());
        let (Some(cid), Some(cname)) = (&person.company_id, &person.company) else {
            continue;
        };
        if named.is_some_and(|n| fold(n) != fold(cname)) {
            continue;
        }
        let field = if s.proposal.field == "company.website" {
            "website"
        } else if s.proposal.field == "company.domain" {
            "domain"
        } else {
            continue;
        };
        deferred.push(CompanyFill {
            company_id: cid.clone(),
            field,
            item: s.clone(),
        });
    }
    Ok((out, deferred))
}

fn phone_e164_index(field: &str) -> Option<usize> {
    field
        .strip_prefix("phones[")?
        .strip_suffix("].e164")?
        .parse()
        .ok()
}

/// Fill an empty company website / domain through core, or suggest when it differs.
fn apply_company(
    store: &mut Store,
    person_id: &str,
    job_id: Option<&str>,
    fill: CompanyFill,
    out: &mut PersonOutcome,
) -> Result<()> {
    let company = store.get_company(&fill.company_id)?;
    let current = match fill.field {
        "website" => company.website.clone(),
        _ => company.domain.clone(),
    };
    let Some(value) = fill.item.proposal.value.as_str().map(str::to_string) else {
        return Ok(());
    };
    let write = WriteCtx::new(&store.default_region()?);
    let path = fill.item.proposal.field.clone();
    match current {
        Some(cur)
            if cur
                .trim_end_matches('/')
                .eq_ignore_ascii_case(value.trim_end_matches('/')) =>
        {
            Ok(())
        }
        Some(cur) => {
            let made = store.transaction(|tx| {
                let ctx = Ctx {
                    conn: tx,
                    write: &write,
                    person_id,
                    job_id,
                    now: carnet_core::db::now(),
                };
                ctx.suggest(&fill.item, Value::from(cur))
            })?;
            if made {
                out.suggested.push(path);
            }
            Ok(())
        }
        None => match store.update_company(&fill.company_id, &json!({ fill.field: value })) {
            Ok(_) => {
                store.transaction(|tx| {
                    let ctx = Ctx {
                        conn: tx,
                        write: &write,
                        person_id,
                        job_id,
                        now: carnet_core::db::now(),
                    };
                    ctx.provenance(&fill.item, &path, ProvenanceKind::Value)?;
                    ctx.history(&fill.item, &path, Value::Null, "enrichment", None)
                })?;
                out.filled.push(path);
                Ok(())
            }
            Err(e) if matches!(e.code, ErrorCode::Validation | ErrorCode::Conflict) => {
                out.notes.push(JobNote {
                    person_id: person_id.to_string(),
                    source: fill.item.source.clone(),
                    message: format!("{path} not written: {e}"),
                });
                Ok(())
            }
            Err(e) => Err(e),
        },
    }
}

/// Write an accepted suggestion's value (over the current one) and log it.
pub fn accept_in(store: &mut Store, s: &Suggestion) -> Result<()> {
    let write = WriteCtx::new(&store.default_region()?);
    let item = Sourced {
        source: s.source.clone(),
        proposal: Proposal::value(&s.field, s.proposed_value.clone(), s.confidence),
    };
    if let Some(cfield) = s.field.strip_prefix("company.") {
        let person = store.get_person(&s.person_id)?;
        let cid = person
            .company_id
            .ok_or_else(|| Error::validation("field", "the person has no company any more"))?;
        store.update_company(&cid, &json!({ cfield: s.proposed_value }))?;
    }
    store.transaction(|tx| {
        let ctx = Ctx {
            conn: tx,
            write: &write,
            person_id: &s.person_id,
            job_id: s.job_id.as_deref(),
            now: carnet_core::db::now(),
        };
        if !s.field.starts_with("company.") {
            let patch = accept_patch(tx, &s.person_id, &s.field, &s.proposed_value, &write)?;
            update_in(tx, &s.person_id, parse_person(&patch)?, &write)?;
        }
        ctx.provenance(&item, &s.field, ProvenanceKind::Value)?;
        ctx.history(
            &item,
            &s.field,
            s.current_value.clone(),
            "suggestion",
            Some(&s.id),
        )?;
        db::decide(tx, &s.id, crate::model::SuggestionState::Accepted, &ctx.now)?;
        db::reject_rivals(tx, s, &ctx.now)
    })
}

/// The PATCH of an accepted suggestion. For `company` the proposed company becomes the
/// primary one and the person's other companies stay.
fn accept_patch(
    conn: &Connection,
    person_id: &str,
    field: &str,
    value: &Value,
    write: &WriteCtx,
) -> Result<Value> {
    if field != "company" {
        return Ok(json!({ field: value }));
    }
    let person = update_in(conn, person_id, Default::default(), write)?;
    let mut list = vec![json!({ "name": value })];
    list.extend(
        person
            .companies
            .iter()
            .skip(1)
            .map(|c| json!({ "id": c.id })),
    );
    Ok(json!({ "companies": list }))
}
