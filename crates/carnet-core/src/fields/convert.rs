//! Rewriting stored values when a schema changes: option renames and removals, type
//! conversions, and deleting a field's values from every record that has one.
//!
//! A conversion first tries the value as it is under the new type (a numeric string is
//! already a number), then its text form (`42` -> `"42"`, a list -> `"a, b"`), so what
//! makes sense converts and the rest is reported. Records in the trash are rewritten too,
//! so restoring one never brings back a value its schema no longer allows. A rewrite
//! keeps `updatedAt`: the user did not edit the record.

use rusqlite::{params, Connection};
use serde_json::{Map, Value};

use super::defs::{MAX_OPTIONS, MAX_OPTION_LABEL};
use super::{FieldDef, FieldEntity, FieldOption, FieldType};
use crate::error::Result;
use crate::text::fold;

/// A record holding a value of some field.
#[derive(Debug, Clone)]
pub(crate) struct Rec {
    pub seq: i64,
    pub id: String,
    pub name: String,
    pub value: Value,
}

/// The JSON path of a key (keys are `cf_[a-z0-9_]+`, see `validate::custom_key`).
pub(crate) fn path(key: &str) -> String {
    format!("$.\"{}\"", key.replace('"', ""))
}

/// Every record of the field's entity (trash included) with a value for it.
pub(crate) fn records_with_value(conn: &Connection, def: &FieldDef) -> Result<Vec<Rec>> {
    let sql = match def.entity {
        FieldEntity::Person => {
            "SELECT seq, id, CASE WHEN full_name <> '' THEN full_name ELSE coalesce(json_extract(emails, '$[0].value'), '') END, \
             custom_fields -> ?1 FROM people WHERE custom_fields -> ?1 IS NOT NULL ORDER BY seq"
        }
        FieldEntity::Company => {
            "SELECT seq, id, name, custom_fields -> ?1 FROM companies WHERE custom_fields -> ?1 IS NOT NULL ORDER BY seq"
        }
    };
    let mut st = conn.prepare_cached(sql)?;
    let rows = st.query_map([path(&def.key)], |r| {
        let raw: String = r.get(3)?;
        Ok(Rec {
            seq: r.get(0)?,
            id: r.get(1)?,
            name: r.get(2)?,
            value: serde_json::from_str(&raw).unwrap_or(Value::String(raw)),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Live records of the field's entity with no value for it.
pub(crate) fn live_without_value(conn: &Connection, def: &FieldDef) -> Result<u32> {
    let sql = match def.entity {
        FieldEntity::Person => {
            "SELECT count(*) FROM people WHERE deleted_at IS NULL AND custom_fields -> ?1 IS NULL"
        }
        FieldEntity::Company => {
            "SELECT count(*) FROM companies WHERE deleted_at IS NULL AND custom_fields -> ?1 IS NULL"
        }
    };
    Ok(conn
        .prepare_cached(sql)?
        .query_row([path(&def.key)], |r| r.get(0))?)
}

/// Set (or, with `None`, remove) the field's value on one record; people are re-indexed
/// for search in the same transaction.
pub(crate) fn write_value(
    conn: &Connection,
    def: &FieldDef,
    rec: &Rec,
    v: Option<Value>,
) -> Result<()> {
    let set = |m: &mut Map<String, Value>| match &v {
        Some(x) => {
            m.insert(def.key.clone(), x.clone());
        }
        None => {
            m.remove(&def.key);
        }
    };
    match def.entity {
        FieldEntity::Person => {
            let mut d = crate::people_db::load_seq(conn, rec.seq)?;
            set(&mut d.person.custom_fields);
            crate::people_db::update(conn, rec.seq, &d)?;
        }
        FieldEntity::Company => {
            let raw: String = conn
                .prepare_cached("SELECT custom_fields FROM companies WHERE seq = ?1")?
                .query_row([rec.seq], |r| r.get(0))?;
            let mut m: Map<String, Value> = serde_json::from_str(&raw).unwrap_or_default();
            set(&mut m);
            conn.prepare_cached("UPDATE companies SET custom_fields = ?2 WHERE seq = ?1")?
                .execute(params![rec.seq, Value::Object(m).to_string()])?;
        }
    }
    Ok(())
}

/// Remove every `ty` reference (person_ref or company_ref) to `id`, on people and
/// companies: called when that record is purged, so no value points at nothing.
pub(crate) fn drop_references(conn: &Connection, ty: FieldType, id: &str) -> Result<u32> {
    let mut n = 0;
    for def in super::defs::list(conn, None)?
        .into_iter()
        .filter(|d| d.field_type == ty)
    {
        for r in records_with_value(conn, &def)? {
            if r.value.as_str() == Some(id) {
                write_value(conn, &def, &r, None)?;
                n += 1;
            }
        }
    }
    Ok(n)
}

/// What happens to one stored value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    Same,
    Changed(Value),
    /// Removed, with the reason.
    Lost(String),
}

/// The value rewrites of one schema change.
pub(crate) struct Plan<'a> {
    /// Option renames `(from, to)`, exact labels.
    pub renames: &'a [(String, String)],
    /// Labels of removed options.
    pub removed: &'a [String],
    pub type_changes: bool,
    /// Add missing options to `new` from the values met (conversion to a select).
    pub auto_options: bool,
}

impl Plan<'_> {
    /// The fate of `value` under the new definition (which may gain options).
    pub fn migrate(&self, conn: &Connection, value: &Value, new: &mut FieldDef) -> Outcome {
        let mut v = value.clone();
        // In order, so `A -> B` then `B -> b` takes an `A` to `b`.
        for (from, to) in self.renames {
            v = map_labels(v, |s| (s == from).then(|| to.clone()));
        }
        if !self.removed.is_empty() {
            let gone = |s: &str| self.removed.iter().any(|r| fold(r) == fold(s));
            match &v {
                Value::String(s) if gone(s) => {
                    return Outcome::Lost(format!("option \"{s}\" is removed"))
                }
                Value::Array(a) => {
                    let kept: Vec<Value> = a
                        .iter()
                        .filter(|x| !x.as_str().is_some_and(gone))
                        .cloned()
                        .collect();
                    if kept.is_empty() {
                        return Outcome::Lost(format!("option(s) {} removed", shown(&v)));
                    }
                    v = Value::Array(kept);
                }
                _ => {}
            }
        }
        if self.type_changes {
            if self.auto_options {
                adopt_options(&v, new);
            }
            match convert(conn, &v, new) {
                Ok(Some(c)) => v = c,
                Ok(None) => return Outcome::Lost("is empty".into()),
                Err(m) => return Outcome::Lost(m),
            }
        }
        if v == *value {
            Outcome::Same
        } else {
            Outcome::Changed(v)
        }
    }
}

fn map_labels(v: Value, f: impl Fn(&str) -> Option<String>) -> Value {
    match v {
        Value::String(s) => Value::String(f(&s).unwrap_or(s)),
        Value::Array(a) => Value::Array(
            a.into_iter()
                .map(|x| match x {
                    Value::String(s) => Value::String(f(&s).unwrap_or(s)),
                    other => other,
                })
                .collect(),
        ),
        other => other,
    }
}

fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
}

/// The text form of a value: strings as they are, numbers and booleans printed, lists
/// joined with `, `.
pub(crate) fn to_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => a.iter().map(to_text).collect::<Vec<_>>().join(", "),
        Value::Object(_) => v.to_string(),
    }
}

/// Labels a value would select: a list's strings, a text split at commas for a
/// multi-select, else its text form.
fn candidate_labels(v: &Value, multi: bool) -> Vec<String> {
    let raw: Vec<String> = match v {
        Value::Array(a) => a.iter().map(to_text).collect(),
        Value::String(s) if multi => s.split(',').map(str::to_string).collect(),
        other => vec![to_text(other)],
    };
    raw.into_iter()
        .filter_map(|s| crate::text::clean(&s))
        .collect()
}

fn adopt_options(v: &Value, def: &mut FieldDef) {
    let multi = def.field_type == FieldType::MultiSelect;
    let labels = candidate_labels(v, multi);
    if !multi && labels.len() != 1 {
        return;
    }
    for l in labels {
        let known = def.options.iter().any(|o| fold(&o.label) == fold(&l));
        if !known && l.chars().count() <= MAX_OPTION_LABEL && def.options.len() < MAX_OPTIONS {
            def.options.push(FieldOption::new(l));
        }
    }
}

/// A stored value converted to `to`'s type: as it is if it already fits, else its text form.
pub(crate) fn convert(
    conn: &Connection,
    v: &Value,
    to: &FieldDef,
) -> std::result::Result<Option<Value>, String> {
    let first = match super::values::normalize(conn, to, v) {
        Ok(x) => return Ok(x),
        Err(m) => m,
    };
    let alt = match (to.field_type, v) {
        (FieldType::MultiSelect, Value::String(_)) => Value::Array(
            candidate_labels(v, true)
                .into_iter()
                .map(Value::String)
                .collect(),
        ),
        (FieldType::SingleSelect, Value::Array(a)) if a.len() == 1 => a[0].clone(),
        (FieldType::SingleSelect, Value::Array(a)) => {
            return Err(format!(
                "holds {} options; a single select holds one",
                a.len()
            ))
        }
        _ => Value::String(to_text(v)),
    };
    if alt == *v {
        return Err(first);
    }
    super::values::normalize(conn, to, &alt).map_err(|_| first)
}
