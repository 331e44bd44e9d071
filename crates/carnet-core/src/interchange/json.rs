//! JSON: the backup format. Export writes `{"carnet": 1, "companies": [...], "people": [...]}`
//! where each person is the camelCase shape of DESIGN.md plus its `notes` and, when it
//! came from a vCard, its `vcardExtras`. Import restores all of it (ids, timestamps,
//! trash, custom fields, notes, companies with their ids), and also takes a bare array of
//! person objects in any shape `input::parse_person` accepts (CRM payloads included).

use std::io::Write;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{Map, Value};

use super::{io_err, NoteIn, ParseFailure, Parsed, Record, VcardExtras};
use crate::error::{Error, Result};
use crate::input::{opt_string, parse_person, CompanyInput};
use crate::model::{Company, Note, Person};

/// Parse a JSON file into records. Companies of a backup are restored first, in `conn`
/// (the import's transaction), so people can point at them by id.
pub(crate) fn parse(text: &str, conn: &Connection) -> Result<Vec<Parsed>> {
    let doc: Value = serde_json::from_str(text)
        .map_err(|e| Error::validation("json", format!("is not valid JSON: {e}")))?;
    let people = match doc {
        Value::Array(items) => items,
        Value::Object(mut m) if m.contains_key("people") => {
            // Field definitions first: custom-field values are checked against them.
            if let Some(Value::Array(fs)) = m.remove("fields") {
                restore_fields(conn, &fs)?;
            }
            if let Some(Value::Array(cs)) = m.remove("companies") {
                restore_companies(conn, &cs)?;
            }
            match m.remove("people") {
                Some(Value::Array(p)) => p,
                _ => return Err(Error::validation("people", "must be a list of people")),
            }
        }
        Value::Object(_) => vec![doc],
        _ => {
            return Err(Error::validation(
                "json",
                "must be a list of people or a Carnet backup",
            ))
        }
    };
    let mut out = Vec::with_capacity(people.len());
    for (i, v) in people.into_iter().enumerate() {
        let position = i as u32 + 1;
        let location = format!("record {position}");
        out.push(
            record(conn, v, position, location.clone()).map_err(|error| ParseFailure {
                position,
                location,
                error,
            }),
        );
    }
    Ok(out)
}

fn record(conn: &Connection, v: Value, position: u32, location: String) -> Result<Record> {
    let Value::Object(mut m) = v else {
        return Err(Error::validation(
            "body",
            "must be a JSON object of person fields",
        ));
    };
    let notes = match m.remove("notes") {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(ns)) => ns
            .iter()
            .enumerate()
            .map(|(i, n)| note(n, i))
            .collect::<Result<_>>()?,
        Some(_) => return Err(Error::validation("notes", "must be a list of notes")),
    };
    let extras: Option<VcardExtras> = match m.remove("vcardExtras") {
        None | Some(Value::Null) => None,
        Some(x) => Some(
            serde_json::from_value(x)
                .map_err(|e| Error::validation("vcardExtras", format!("is not valid: {e}")))?,
        ),
    };
    let deleted_at = match m.get("deletedAt") {
        Some(v) => opt_string(v, "deletedAt")?,
        None => None,
    };
    // The read shape repeats the primary company as companyId/company; `companies` says it all.
    if m.contains_key("companies") {
        m.remove("companyId");
        m.remove("company");
    }
    // A full name equal to first + last was derived: leave it derived.
    let derived = [m.get("firstName"), m.get("lastName")]
        .iter()
        .filter_map(|v| v.and_then(Value::as_str))
        .collect::<Vec<_>>()
        .join(" ");
    if m.get("fullName").and_then(Value::as_str) == Some(derived.as_str()) {
        m.remove("fullName");
    }
    let mut patch = parse_person(&Value::Object(m))?;
    if let Some(list) = patch.companies.as_mut() {
        for c in list.iter_mut() {
            if let CompanyInput::Id(id) = c {
                if let Some(name) = company_name_if_missing(conn, id)? {
                    // A company id unknown here: reuse or create a company of that name.
                    *c = CompanyInput::Name(name);
                }
            }
        }
    }
    Ok(Record {
        position,
        location,
        patch,
        extras,
        notes,
        warnings: vec![],
        deleted_at,
        e164_region: None,
        speculated: None,
    })
}

/// For an id with no live company here: the name to use instead, if the backup gave one.
fn company_name_if_missing(conn: &Connection, id: &str) -> Result<Option<String>> {
    if crate::companies::live_ref(conn, id)?.is_some() {
        return Ok(None);
    }
    let name: Option<String> = conn
        .prepare_cached("SELECT name FROM companies WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(name)
}

fn note(v: &Value, i: usize) -> Result<NoteIn> {
    let path = format!("notes[{i}]");
    match v {
        Value::String(s) => Ok(NoteIn {
            body: s.clone(),
            ..Default::default()
        }),
        Value::Object(m) => {
            let get = |k: &str| -> Result<Option<String>> {
                m.get(k)
                    .map(|x| opt_string(x, &format!("{path}.{k}")))
                    .transpose()
                    .map(Option::flatten)
            };
            Ok(NoteIn {
                id: get("id")?,
                body: get("body")?
                    .ok_or_else(|| Error::validation(format!("{path}.body"), "is required"))?,
                created_at: get("createdAt")?,
                updated_at: get("updatedAt")?,
            })
        }
        _ => Err(Error::validation(path, "must be a note object or a string")),
    }
}

/// Put back the custom-field definitions of a backup that are not here yet, with their
/// keys, so the values that follow validate. A key already defined here is kept as it is.
fn restore_fields(conn: &Connection, list: &[Value]) -> Result<()> {
    for (i, v) in list.iter().enumerate() {
        let f: crate::fields::FieldDef = serde_json::from_value(v.clone()).map_err(|e| {
            Error::validation(
                format!("fields[{i}]"),
                format!("is not a field definition: {e}"),
            )
        })?;
        let options = serde_json::to_string(&f.options)
            .map_err(|e| Error::internal(format!("cannot encode options: {e}")))?;
        conn.prepare_cached(
            "INSERT OR IGNORE INTO field_defs (key, entity, label, type, required, group_name, position, description, options, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            f.key,
            f.entity.as_str(),
            f.label,
            f.field_type.as_str(),
            f.required,
            f.group,
            f.position,
            f.description,
            options,
            f.created_at,
            f.updated_at
        ])?;
    }
    Ok(())
}

/// Put back the companies of a backup that are not here yet, with their ids. A company
/// whose name a live company already has is not duplicated: people resolve to it by name.
fn restore_companies(conn: &Connection, list: &[Value]) -> Result<()> {
    for (i, v) in list.iter().enumerate() {
        let c: Company = serde_json::from_value(v.clone()).map_err(|e| {
            Error::validation(format!("companies[{i}]"), format!("is not a company: {e}"))
        })?;
        let exists: bool = conn
            .prepare_cached("SELECT count(*) FROM companies WHERE id = ?1")?
            .query_row([&c.id], |r| r.get::<_, i64>(0))?
            > 0;
        let norm = crate::text::fold(&c.name)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let clash: bool = c.deleted_at.is_none()
            && conn
                .prepare_cached(
                    "SELECT count(*) FROM companies WHERE name_norm = ?1 AND deleted_at IS NULL",
                )?
                .query_row([&norm], |r| r.get::<_, i64>(0))?
                > 0;
        if exists || clash {
            continue;
        }
        conn.prepare_cached(
            "INSERT INTO companies (id, name, name_norm, domain, website, industry, custom_fields, created_at, updated_at, deleted_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            c.id,
            c.name,
            norm,
            c.domain,
            c.website,
            c.industry,
            Value::Object(c.custom_fields).to_string(),
            c.created_at,
            c.updated_at,
            c.deleted_at
        ])?;
    }
    Ok(())
}

/// Start a backup: the header, the custom-field definitions and the companies.
pub(crate) fn write_head(
    out: &mut dyn Write,
    fields: &[crate::fields::FieldDef],
    companies: &[Company],
) -> Result<()> {
    out.write_all(b"{\"carnet\":1,\"fields\":")
        .map_err(io_err)?;
    serde_json::to_writer(&mut *out, fields).map_err(|e| Error::internal(e.to_string()))?;
    out.write_all(b",\"companies\":[").map_err(io_err)?;
    for (i, c) in companies.iter().enumerate() {
        out.write_all(if i > 0 { b",\n" } else { b"\n" })
            .map_err(io_err)?;
        serde_json::to_writer(&mut *out, c).map_err(|e| Error::internal(e.to_string()))?;
    }
    out.write_all(b"\n],\"people\":[").map_err(io_err)
}

/// One person of a backup, with its notes and vCard extras; `first` for the separator.
pub(crate) fn write_person(
    out: &mut dyn Write,
    first: bool,
    p: &Person,
    extras: Option<&VcardExtras>,
    notes: Option<&Vec<Note>>,
) -> Result<()> {
    let mut v = serde_json::to_value(p).map_err(|e| Error::internal(e.to_string()))?;
    if let Value::Object(m) = &mut v {
        let ns: Vec<Value> = notes
            .map(|l| l.iter().map(note_json).collect())
            .unwrap_or_default();
        m.insert("notes".into(), Value::Array(ns));
        if let Some(x) = extras.filter(|x| !x.is_empty()) {
            let x = serde_json::to_value(x).map_err(|e| Error::internal(e.to_string()))?;
            m.insert("vcardExtras".into(), x);
        }
    }
    out.write_all(if first { b"\n" } else { b",\n" })
        .map_err(io_err)?;
    serde_json::to_writer(&mut *out, &v).map_err(|e| Error::internal(e.to_string()))
}

/// End a backup.
pub(crate) fn write_tail(out: &mut dyn Write) -> Result<()> {
    out.write_all(b"\n]}\n").map_err(io_err)
}

fn note_json(n: &Note) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), Value::String(n.id.clone()));
    m.insert("body".into(), Value::String(n.body.clone()));
    m.insert("createdAt".into(), Value::String(n.created_at.clone()));
    m.insert("updatedAt".into(), Value::String(n.updated_at.clone()));
    Value::Object(m)
}
