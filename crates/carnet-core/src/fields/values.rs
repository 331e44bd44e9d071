//! Checking custom-field values against their definitions on every write of a person or
//! a company, and storing them in their canonical form.
//!
//! Only the keys a write gives are checked: stored values were checked when written (and
//! rewritten by every schema change), so a PATCH of a name never fails on a value it did
//! not touch. A key is found by its exact `cf_` key, else by the snake case of a field's
//! label (folk's `customFieldValues` name fields by label, and a label may have been
//! renamed since the key was made).

use rusqlite::{Connection, OptionalExtension};
use serde_json::{Map, Number, Value};

use super::{defs, FieldDef, FieldEntity, FieldType};
use crate::error::{Error, Result};
use crate::model::Warning;
use crate::text::fold;

pub const MAX_TEXT: usize = 1000;
pub const MAX_LONG_TEXT: usize = 10_000;

/// The definition a written key names, or the `validation` error for an unknown key.
/// An exact key is one indexed lookup; only other keys read the entity's whole schema.
fn find(conn: &Connection, entity: FieldEntity, key: &str) -> Result<FieldDef> {
    if let Some(d) = defs::load(conn, key)?.filter(|d| d.entity == entity) {
        return Ok(d);
    }
    let defs = defs::list(conn, Some(entity))?;
    if let Some(d) = defs
        .into_iter()
        .find(|d| crate::input::field_key(&d.label) == key)
    {
        return Ok(d);
    }
    let defs = defs::list(conn, Some(entity))?;
    let known = if defs.is_empty() {
        format!("{} have no custom fields yet", entity.plural())
    } else {
        format!(
            "defined for {}: {}",
            entity.plural(),
            defs.iter()
                .map(|d| d.key.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Err(Error::validation(
        format!("customFields.{key}"),
        format!(
            "{key} is not a custom field ({known}); define it first (carnet fields add --label ... --type ...)"
        ),
    ))
}

/// Check and merge the written `patch` into `current`: each value is validated against
/// its field and stored canonically; `null`, `""` and `[]` remove the key.
pub(crate) fn merge(
    conn: &Connection,
    entity: FieldEntity,
    current: &mut Map<String, Value>,
    patch: Map<String, Value>,
) -> Result<()> {
    if patch.is_empty() {
        return Ok(());
    }
    for (k, v) in patch {
        let empty = v.is_null() || v.as_array().is_some_and(|a| a.is_empty());
        let def = match find(conn, entity, &k) {
            Ok(d) => d,
            // A value stored without a definition (before schemas, see migration 0002)
            // can always be removed.
            Err(_) if empty && current.contains_key(&k) => {
                current.remove(&k);
                continue;
            }
            Err(e) => return Err(e),
        };
        let field = format!("customFields.{}", def.key);
        let value = normalize(conn, &def, &v).map_err(|m| {
            Error::validation(
                &field,
                format!(
                    "{} (\"{}\") is a {} field and takes {}: {m}",
                    def.key,
                    def.label,
                    def.field_type.as_str(),
                    def.field_type.expected()
                ),
            )
        })?;
        match value {
            Some(x) => {
                current.insert(def.key.clone(), x);
            }
            None => {
                current.remove(&def.key);
            }
        }
    }
    Ok(())
}

/// Enforce `required`. On create (`before` is `None`) every required field needs a value.
/// On update a value cannot be removed; a record that already lacked it (the field became
/// required after it was written) stays editable and gets a `missing_required` warning.
pub(crate) fn check_required(
    conn: &Connection,
    entity: FieldEntity,
    after: &Map<String, Value>,
    before: Option<&Map<String, Value>>,
) -> Result<Vec<Warning>> {
    let mut warnings = Vec::new();
    for def in defs::required(conn, entity)? {
        if after.contains_key(&def.key) {
            continue;
        }
        let field = format!("customFields.{}", def.key);
        match before {
            None => {
                return Err(Error::validation(
                    field,
                    format!(
                        "{} (\"{}\") is required: give it a value",
                        def.key, def.label
                    ),
                ))
            }
            Some(b) if b.contains_key(&def.key) => {
                return Err(Error::validation(
                    field,
                    format!(
                        "{} (\"{}\") is required and cannot be removed",
                        def.key, def.label
                    ),
                ))
            }
            Some(_) => warnings.push(Warning {
                code: "missing_required".into(),
                field,
                message: format!("\"{}\" is required but has no value yet", def.label),
                other_id: None,
            }),
        }
    }
    Ok(warnings)
}

/// The canonical form of `v` for `def`: `Ok(None)` for an empty value (unset), or the
/// reason it does not fit.
pub(crate) fn normalize(
    conn: &Connection,
    def: &FieldDef,
    v: &Value,
) -> std::result::Result<Option<Value>, String> {
    let s = match v {
        Value::Null => return Ok(None),
        Value::Array(a) if a.is_empty() => return Ok(None),
        Value::String(s) => match crate::text::clean(s) {
            None => return Ok(None),
            Some(t) => Some(t),
        },
        _ => None,
    };
    let got = || format!("got {}", describe(v));
    let text = |max: usize| -> std::result::Result<Option<Value>, String> {
        let t = s.clone().ok_or_else(got)?;
        let n = t.chars().count();
        if n > max {
            return Err(format!(
                "it is {n} characters long; at most {max} are allowed"
            ));
        }
        Ok(Some(Value::String(t)))
    };
    match def.field_type {
        FieldType::Text => text(MAX_TEXT),
        FieldType::LongText => text(MAX_LONG_TEXT),
        FieldType::Number => number(v, s.as_deref()).map(Some),
        FieldType::Date => {
            let t = s.ok_or_else(got)?;
            date(&t)?;
            Ok(Some(Value::String(t)))
        }
        FieldType::Boolean => match v {
            Value::Bool(b) => Ok(Some(Value::Bool(*b))),
            _ => match s.as_deref().map(str::to_ascii_lowercase).as_deref() {
                Some("true" | "yes" | "1") => Ok(Some(Value::Bool(true))),
                Some("false" | "no" | "0") => Ok(Some(Value::Bool(false))),
                _ => Err(got()),
            },
        },
        FieldType::Url => {
            let t = s.ok_or_else(got)?;
            crate::validate::url(&t)?;
            Ok(Some(Value::String(t)))
        }
        FieldType::Email => {
            let t = s.ok_or_else(got)?;
            crate::validate::email(&t)?;
            Ok(Some(Value::String(t)))
        }
        FieldType::Phone => {
            let t = s.ok_or_else(got)?;
            crate::phone::check_raw(&t).map_err(|m| format!("\"{t}\" {m}"))?;
            Ok(Some(Value::String(t)))
        }
        FieldType::SingleSelect => {
            let t = s.ok_or_else(got)?;
            option(def, &t).map(|l| Some(Value::String(l)))
        }
        FieldType::MultiSelect => {
            // A text is one option, or (as a CSV cell holds a list) options joined by commas.
            let split: Vec<Value>;
            let items: Vec<&Value> = match v {
                Value::Array(a) => a.iter().collect(),
                Value::String(t) if t.contains(',') && option(def, t).is_err() => {
                    split = t.split(',').map(|x| Value::String(x.into())).collect();
                    split.iter().collect()
                }
                Value::String(_) => vec![v],
                _ => return Err(got()),
            };
            let mut out: Vec<Value> = Vec::new();
            for (i, it) in items.into_iter().enumerate() {
                let label = match it {
                    Value::String(x) => crate::text::clean(x),
                    Value::Null => None,
                    other => return Err(format!("item {i}: got {}", describe(other))),
                };
                if let Some(l) = label {
                    let canon =
                        Value::String(option(def, &l).map_err(|m| format!("item {i}: {m}"))?);
                    if !out.contains(&canon) {
                        out.push(canon);
                    }
                }
            }
            Ok((!out.is_empty()).then_some(Value::Array(out)))
        }
        FieldType::PersonRef | FieldType::CompanyRef => {
            let id = match v {
                Value::Object(m) => m
                    .get("id")
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .map(str::to_string),
                _ => s,
            }
            .ok_or_else(got)?;
            reference(conn, def.field_type, &id).map(|i| Some(Value::String(i)))
        }
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{s}\""),
        other => format!("{} ({other})", crate::input::kind(other)),
    }
}

fn number(v: &Value, s: Option<&str>) -> std::result::Result<Value, String> {
    if let Value::Number(n) = v {
        return Ok(Value::Number(n.clone()));
    }
    let t = s.ok_or_else(|| format!("got {}", describe(v)))?;
    let bad = || format!("\"{t}\" is not a number");
    if let Ok(i) = t.parse::<i64>() {
        return Ok(Value::Number(i.into()));
    }
    let f: f64 = t.parse().map_err(|_| bad())?;
    // `inf`, `NaN` and overflowing exponents parse as f64 but are not JSON numbers.
    Number::from_f64(f).map(Value::Number).ok_or_else(bad)
}

/// `YYYY-MM-DD`, a real day.
pub(crate) fn date(t: &str) -> std::result::Result<(), String> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    if t.len() != 10 || time::Date::parse(t, &fmt).is_err() {
        return Err(format!("\"{t}\" is not a date written YYYY-MM-DD"));
    }
    Ok(())
}

/// The option a label names (ignoring case and accents), as the option spells it.
fn option(def: &FieldDef, label: &str) -> std::result::Result<String, String> {
    let f = fold(label);
    def.options
        .iter()
        .find(|o| fold(&o.label) == f)
        .map(|o| o.label.clone())
        .ok_or_else(|| {
            format!(
                "\"{label}\" is not an option ({})",
                defs::option_list(&def.options)
            )
        })
}

/// A person or company id that names a live record, in canonical (lower-case) form.
fn reference(conn: &Connection, ty: FieldType, id: &str) -> std::result::Result<String, String> {
    let (kind, sql) = match ty {
        FieldType::PersonRef => (
            "person",
            "SELECT deleted_at IS NULL FROM people WHERE id = ?1",
        ),
        _ => (
            "company",
            "SELECT deleted_at IS NULL FROM companies WHERE id = ?1",
        ),
    };
    let canon = uuid::Uuid::parse_str(id)
        .map(|u| u.hyphenated().to_string())
        .map_err(|_| format!("\"{id}\" is not a {kind} id"))?;
    let live: Option<bool> = conn
        .prepare_cached(sql)
        .and_then(|mut st| st.query_row([&canon], |r| r.get(0)).optional())
        .map_err(|e| format!("cannot look up {kind} {canon}: {e}"))?;
    match live {
        Some(true) => Ok(canon),
        Some(false) => Err(format!("{kind} {canon} is in the trash")),
        None => Err(format!("no {kind} has id {canon}")),
    }
}
