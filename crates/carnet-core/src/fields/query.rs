//! SQL for the people list by custom field: `WHERE` clauses of [`FieldFilter`]s and the
//! `ORDER BY` of a custom-field sort, over `json_extract(p.custom_fields, '$.key')`.
//!
//! A filter value is parsed by the field's own rules (`"42"` is a number for a number
//! field, `active` finds the option `Active`), so an impossible filter is an error that
//! names it rather than an empty list. Text compares ignore ASCII case. A sort puts
//! records with no value last in both directions and follows option order for a single
//! select; ties are broken by name.

use rusqlite::types::Value as Sql;
use rusqlite::Connection;
use serde_json::Value;

use super::{defs, FieldDef, FieldEntity, FieldFilter, FieldType, FilterOp};
use crate::error::{Error, Result};

/// `json_extract` of a key on the people row `p` (keys are `cf_[a-z0-9_]+`, inlined so an
/// expression index on the same text can serve it).
fn expr(key: &str) -> String {
    format!(
        "json_extract(p.custom_fields, '{}')",
        super::convert::path(key).replace('\'', "")
    )
}

fn person_field(conn: &Connection, key: &str, at: &str) -> Result<FieldDef> {
    match defs::load(conn, key)? {
        Some(d) if d.entity == FieldEntity::Person => Ok(d),
        Some(_) => Err(Error::validation(
            at,
            format!("{key} is a company field, not a person field"),
        )),
        None => Err(Error::validation(
            at,
            format!("{key} is not a custom field of people"),
        )),
    }
}

fn to_sql(v: &Value) -> Sql {
    match v {
        Value::Bool(b) => Sql::Integer(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Sql::Integer(i),
            None => Sql::Real(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => Sql::Text(s.clone()),
        Value::Null => Sql::Null,
        other => Sql::Text(other.to_string()),
    }
}

/// The clauses and their arguments for `filters`, in order.
pub(crate) fn filters(
    conn: &Connection,
    filters: &[FieldFilter],
) -> Result<(Vec<String>, Vec<Sql>)> {
    let mut wh = Vec::new();
    let mut args = Vec::new();
    for (i, f) in filters.iter().enumerate() {
        let at = format!("filters[{i}]");
        let def = person_field(conn, &f.key, &format!("{at}.key"))?;
        let x = expr(&def.key);
        let empty = f.value.is_null() || f.value.as_str().is_some_and(|s| s.trim().is_empty());
        let op = match f.op {
            FilterOp::Eq if empty => FilterOp::IsEmpty,
            FilterOp::Ne if empty => FilterOp::IsSet,
            op => op,
        };
        let bad_op = || {
            Error::validation(
                format!("{at}.op"),
                format!(
                    "{:?} does not apply to {} ({} field)",
                    op,
                    def.key,
                    def.field_type.as_str()
                ),
            )
        };
        match op {
            FilterOp::IsSet => {
                wh.push(format!("{x} IS NOT NULL"));
                continue;
            }
            FilterOp::IsEmpty => {
                wh.push(format!("{x} IS NULL"));
                continue;
            }
            _ => {}
        }
        // Contains on text matches a fragment, so the fragment is not parsed as a value.
        if op == FilterOp::Contains && def.field_type != FieldType::MultiSelect {
            if def.field_type.is_select() || is_text(def.field_type) {
                wh.push(format!("instr(lower({x}), lower(?)) > 0"));
                args.push(Sql::Text(super::convert::to_text(&f.value)));
                continue;
            }
            return Err(bad_op());
        }
        let value = parse(conn, &def, &f.value).map_err(|m| {
            Error::validation(
                format!("{at}.value"),
                format!("{} is a {} field: {m}", def.key, def.field_type.as_str()),
            )
        })?;
        match def.field_type {
            FieldType::MultiSelect => {
                let has = format!(
                    "EXISTS (SELECT 1 FROM json_each(p.custom_fields, '{}') WHERE value = ?)",
                    super::convert::path(&def.key)
                );
                let label = value
                    .as_array()
                    .and_then(|a| a.first())
                    .cloned()
                    .unwrap_or(Value::Null);
                match op {
                    FilterOp::Eq | FilterOp::Contains => wh.push(has),
                    FilterOp::Ne => wh.push(format!("NOT {has}")),
                    _ => return Err(bad_op()),
                }
                args.push(to_sql(&label));
            }
            FieldType::Boolean => {
                let clause = match (op, value.as_bool()) {
                    // An unset checkbox reads as false.
                    (FilterOp::Eq, Some(false)) | (FilterOp::Ne, Some(true)) => {
                        format!("({x} IS NULL OR {x} = 0)")
                    }
                    (FilterOp::Eq, Some(true)) | (FilterOp::Ne, Some(false)) => format!("{x} = 1"),
                    _ => return Err(bad_op()),
                };
                wh.push(clause);
            }
            ty => {
                let ordered = matches!(ty, FieldType::Number | FieldType::Date) || is_text(ty);
                let nocase = if is_text(ty) { " COLLATE NOCASE" } else { "" };
                let clause = match op {
                    FilterOp::Eq => format!("{x} = ?{nocase}"),
                    FilterOp::Ne => format!("({x} IS NULL OR {x} <> ?{nocase})"),
                    FilterOp::Lt if ordered => format!("{x} < ?{nocase}"),
                    FilterOp::Lte if ordered => format!("{x} <= ?{nocase}"),
                    FilterOp::Gt if ordered => format!("{x} > ?{nocase}"),
                    FilterOp::Gte if ordered => format!("{x} >= ?{nocase}"),
                    _ => return Err(bad_op()),
                };
                wh.push(clause);
                args.push(to_sql(&value));
            }
        }
    }
    Ok((wh, args))
}

fn is_text(t: FieldType) -> bool {
    matches!(
        t,
        FieldType::Text
            | FieldType::LongText
            | FieldType::Url
            | FieldType::Email
            | FieldType::Phone
    )
}

/// A filter value under the field's rules; references are compared as ids without
/// requiring the record to be live.
fn parse(conn: &Connection, def: &FieldDef, v: &Value) -> std::result::Result<Value, String> {
    match def.field_type {
        FieldType::PersonRef | FieldType::CompanyRef => Ok(Value::String(
            super::convert::to_text(v).trim().to_lowercase(),
        )),
        // A filter on a text field may be any text (a partial email, say).
        t if is_text(t) => Ok(Value::String(super::convert::to_text(v).trim().to_string())),
        _ => {
            super::values::normalize(conn, def, v)?.ok_or_else(|| "the value is empty".to_string())
        }
    }
}

/// The `ORDER BY` head for sorting by `key` (nulls last), before the name tie-break.
pub(crate) fn sort(conn: &Connection, key: &str, descending: bool) -> Result<String> {
    let def = person_field(conn, key, "sortField")?;
    let x = expr(&def.key);
    let dir = if descending { "DESC" } else { "ASC" };
    let by = match def.field_type {
        FieldType::SingleSelect if !def.options.is_empty() => {
            let whens: Vec<String> = def
                .options
                .iter()
                .enumerate()
                .map(|(i, o)| format!("WHEN '{}' THEN {i}", o.label.replace('\'', "''")))
                .collect();
            format!(
                "CASE {x} {} ELSE {} END",
                whens.join(" "),
                def.options.len()
            )
        }
        t if is_text(t) => format!("{x} COLLATE NOCASE"),
        _ => x.clone(),
    };
    Ok(format!("({x} IS NULL), {by} {dir}"))
}
