//! Pipedrive's validation rules: the person body of pipedrive-add-person.txt (built-in
//! keys and custom field hashes checked against personFields) and the personField
//! definition body. Pipedrive reports one problem at a time, as a sentence in `error`.

use serde_json::{json, Value};

use crate::validate::{is_iso_date, Issues, Object};

const FIELD_TYPES: &[&str] = &[
    "varchar",
    "varchar_auto",
    "text",
    "double",
    "monetary",
    "date",
    "set",
    "enum",
    "user",
    "org",
    "people",
    "phone",
    "time",
    "timerange",
    "daterange",
    "address",
    "int",
];

const MARKETING: &[&str] = &["no_consent", "unsubscribed", "subscribed", "archived"];

fn is_int(v: &Value) -> bool {
    v.is_i64() || v.is_u64()
}

fn is_add_time(s: &str) -> bool {
    let (date, time) = s.split_once(' ').unwrap_or((s, ""));
    let t: Vec<&str> = time.split(':').collect();
    is_iso_date(date)
        && t.len() == 3
        && t.iter()
            .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_digit()))
}

/// Checks an `email` or `phone` array of `{value, primary, label}` objects.
fn check_contacts(key: &str, value: &Value) -> Result<(), String> {
    let labels: &[&str] = if key == "phone" {
        &["work", "home", "mobile", "other"]
    } else {
        &["work", "home", "other"]
    };
    let Some(items) = value.as_array() else {
        return Err(format!(
            "{key} must be an array of objects with value, primary and label"
        ));
    };
    let mut primaries = 0;
    for (i, item) in items.iter().enumerate() {
        let Some(obj) = item.as_object() else {
            return Err(format!(
                "{key}[{i}] must be an object with value, primary and label"
            ));
        };
        if let Some(k) = obj
            .keys()
            .find(|k| !["value", "primary", "label"].contains(&k.as_str()))
        {
            return Err(format!("{key}[{i}] has an unknown property {k}"));
        }
        if !obj.get("value").is_some_and(Value::is_string) {
            return Err(format!("{key}[{i}].value must be a string"));
        }
        match obj.get("primary") {
            None | Some(Value::Null) => {}
            Some(Value::Bool(b)) => primaries += usize::from(*b),
            Some(_) => return Err(format!("{key}[{i}].primary must be a boolean")),
        }
        match obj.get("label") {
            None | Some(Value::Null) => {}
            Some(Value::String(l)) if labels.contains(&l.as_str()) => {}
            Some(_) => {
                return Err(format!(
                    "{key}[{i}].label must be one of {}",
                    labels.join(", ")
                ))
            }
        }
    }
    if primaries > 1 {
        return Err(format!("Only one {key} can be primary"));
    }
    Ok(())
}

/// Checks a custom field value against its personField definition.
fn check_custom_value(def: &Value, value: &Value) -> Result<(), String> {
    if value.is_null() {
        return Ok(());
    }
    let name = def["name"].as_str().unwrap_or("custom field");
    let option_ids: Vec<i64> = def["options"]
        .as_array()
        .map(|o| o.iter().filter_map(|o| o["id"].as_i64()).collect())
        .unwrap_or_default();
    let as_id = |v: &Value| {
        v.as_i64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
    };
    let ok = match def["field_type"].as_str().unwrap_or("varchar") {
        "varchar" | "varchar_auto" | "phone" | "address" => {
            value.as_str().is_some_and(|s| s.chars().count() <= 255)
        }
        "double" | "monetary" => {
            value.is_number()
                || value
                    .as_str()
                    .is_some_and(|s| s.trim().parse::<f64>().is_ok())
        }
        "int" | "user" | "org" | "people" => is_int(value),
        "date" => value.as_str().is_some_and(is_iso_date),
        "enum" => as_id(value).is_some_and(|id| option_ids.contains(&id)),
        "set" => match value {
            Value::Array(items) => items
                .iter()
                .all(|v| as_id(v).is_some_and(|id| option_ids.contains(&id))),
            Value::String(s) => s.split(',').all(|p| {
                p.trim()
                    .parse::<i64>()
                    .is_ok_and(|id| option_ids.contains(&id))
            }),
            _ => false,
        },
        _ => value.is_string(),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "Invalid value for custom field {name} ({})",
            def["field_type"].as_str().unwrap_or("varchar")
        ))
    }
}

/// Checks a person body; `Err` carries Pipedrive's one-sentence `error`.
pub(super) fn check_person(obj: &Object, defs: &[Value], creating: bool) -> Result<(), String> {
    let name_ok = obj
        .get("name")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.trim().is_empty());
    if (creating || obj.contains_key("name")) && !name_ok {
        return Err("Name must be given.".to_string());
    }
    for (key, value) in obj {
        let result = match key.as_str() {
            "name" => Ok(()),
            "owner_id" | "org_id" | "label" => match value {
                Value::Null => Ok(()),
                v if is_int(v) => Ok(()),
                _ => Err(format!("{key} must be an integer")),
            },
            "label_ids" => match value.as_array() {
                Some(ids) if ids.iter().all(is_int) => Ok(()),
                _ => Err("label_ids must be an array of integers".to_string()),
            },
            "email" | "phone" => check_contacts(key, value),
            "visible_to" => {
                let v = value
                    .as_i64()
                    .map(|n| n.to_string())
                    .or_else(|| value.as_str().map(str::to_string));
                match v.as_deref() {
                    Some("1" | "3" | "5" | "7") => Ok(()),
                    _ => Err("visible_to must be one of 1, 3, 5, 7".to_string()),
                }
            }
            "marketing_status" => match value.as_str() {
                Some(s) if MARKETING.contains(&s) => Ok(()),
                _ => Err(format!(
                    "marketing_status must be one of {}",
                    MARKETING.join(", ")
                )),
            },
            "add_time" => match value.as_str() {
                Some(s) if is_add_time(s) => Ok(()),
                _ => Err("add_time must be in format YYYY-MM-DD HH:MM:SS".to_string()),
            },
            other => match defs.iter().find(|d| d["key"] == json!(other)) {
                Some(def) => check_custom_value(def, value),
                None => Err(format!(
                    "Unknown field {other}: custom fields are sent by their personFields key"
                )),
            },
        };
        result?;
    }
    Ok(())
}

/// Normalises an `email`/`phone` value as Pipedrive stores it: labels default to
/// `work`, the first item is primary when none is, and an empty list reads back as
/// `[{"value": "", "primary": true}]`.
pub(super) fn contacts(value: &Value) -> Vec<Value> {
    let items = value.as_array().cloned().unwrap_or_default();
    if items.is_empty() {
        return vec![json!({ "value": "", "primary": true })];
    }
    let has_primary = items.iter().any(|i| i["primary"] == json!(true));
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            json!({
                "value": item["value"],
                "primary": item["primary"] == json!(true) || (!has_primary && i == 0),
                "label": item["label"].as_str().unwrap_or("work"),
            })
        })
        .collect()
}

/// Checks a `POST /personFields` body.
pub(super) fn check_custom(obj: &Object, issues: &mut Issues) {
    for key in obj.keys() {
        if !["name", "field_type", "options", "add_visible_flag"].contains(&key.as_str()) {
            issues.push(key.clone(), "is not a known parameter");
        }
    }
    if obj
        .get("name")
        .and_then(Value::as_str)
        .is_none_or(|s| s.trim().is_empty())
    {
        issues.push("name", "is required");
    }
    let kind = obj.get("field_type").and_then(Value::as_str);
    match kind {
        Some(k) if FIELD_TYPES.contains(&k) => {}
        _ => issues.push(
            "field_type",
            format!("must be one of {}", FIELD_TYPES.join(", ")),
        ),
    }
    if matches!(kind, Some("enum" | "set")) {
        let ok = obj
            .get("options")
            .and_then(Value::as_array)
            .is_some_and(|o| !o.is_empty() && o.iter().all(|i| i["label"].is_string()));
        if !ok {
            issues.push(
                "options",
                "must be a non-empty array of {label} for enum and set fields",
            );
        }
    }
}
