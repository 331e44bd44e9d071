//! folk's groups and group custom fields: the `GET /v1/groups` and
//! `GET /v1/groups/{groupId}/custom-fields/{entityType}` endpoints, and the value
//! rules of folk-create-person.txt for `customFieldValues` (one per field type).
//!
//! Groups and their field definitions cannot be created through folk's API, so tests
//! seed them (`Seed::groups`): `{"id"?, "name", "customFields": [{"name", "type",
//! "options"?}]}` with `type` one of textField, numericField, dateField, singleSelect,
//! multipleSelect, contactField, userField, magicField, objectField; options are labels
//! (strings) or `{"label"}` objects.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use super::folk::{error, not_found};
use super::reply;
use crate::state::{Shared, Store};
use crate::validate::is_iso_date;

/// `GET /v1/groups`: every group, without its field definitions.
pub(super) async fn list_groups(State(shared): State<Arc<Shared>>) -> Response {
    let store = shared.store();
    let items: Vec<Value> = store
        .groups
        .iter()
        .map(|g| json!({ "id": g["id"], "name": g["name"] }))
        .collect();
    reply(
        StatusCode::OK,
        json!({ "data": { "items": items, "pagination": { "nextLink": null } } }),
    )
}

/// `GET /v1/groups/{groupId}/custom-fields/{entityType}`; only `person` has fields here.
pub(super) async fn group_fields(
    State(shared): State<Arc<Shared>>,
    Path((group_id, entity)): Path<(String, String)>,
) -> Response {
    let store = shared.store();
    let Some(group) = store.groups.iter().find(|g| g["id"] == json!(group_id)) else {
        return not_found();
    };
    if !matches!(entity.as_str(), "person" | "company") {
        return error(
            StatusCode::BAD_REQUEST,
            "INVALID_REQUEST",
            "entityType must be person or company",
        );
    }
    let items: Vec<Value> = if entity == "person" {
        group["customFields"]
            .as_array()
            .map(|defs| {
                defs.iter()
                    .map(|d| {
                        let options: Vec<Value> = labels(d)
                            .into_iter()
                            .map(|l| json!({ "label": l }))
                            .collect();
                        json!({ "name": d["name"], "type": d["type"], "options": options })
                    })
                    .collect()
            })
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    reply(
        StatusCode::OK,
        json!({ "data": { "items": items, "pagination": { "nextLink": null } } }),
    )
}

/// The option labels of a select definition.
fn labels(def: &Value) -> Vec<String> {
    def["options"]
        .as_array()
        .map(|opts| {
            opts.iter()
                .filter_map(|o| o.as_str().or_else(|| o["label"].as_str()))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The definition of field `name` in group `group_id`, if both exist.
pub(super) fn definition<'a>(store: &'a Store, group_id: &str, name: &str) -> Option<&'a Value> {
    store.groups.iter().find(|g| g["id"] == json!(group_id))?["customFields"]
        .as_array()?
        .iter()
        .find(|d| d["name"] == json!(name))
}

fn id_list(value: &Value, allow_email: bool) -> Result<Vec<Value>, String> {
    let items = value.as_array().ok_or("Expected an array of objects")?;
    items
        .iter()
        .map(|item| {
            let obj = item.as_object().ok_or("Expected an object")?;
            let id = obj.get("id").and_then(Value::as_str);
            let email = obj.get("email").and_then(Value::as_str);
            match (id, email, obj.len()) {
                (Some(_), None, 1) => Ok(item.clone()),
                (None, Some(_), 1) if allow_email => Ok(item.clone()),
                _ if allow_email => Err("Each item needs exactly one of id or email".to_string()),
                _ => Err("Each item needs exactly an id".to_string()),
            }
        })
        .collect()
}

/// Checks one value against its definition, as folk-create-person.txt describes.
/// `Ok(None)` unsets the field (`null` or an empty array); `Ok(Some(v))` is the value
/// as folk returns it (numbers come back as strings, contacts gain `fullName` and
/// `entityType`).
pub(super) fn check_value(
    store: &Store,
    def: &Value,
    value: &Value,
) -> Result<Option<Value>, String> {
    if value.is_null() || value.as_array().is_some_and(Vec::is_empty) {
        return Ok(None);
    }
    let kind = def["type"].as_str().unwrap_or("textField");
    let value = match kind {
        "textField" | "magicField" => match value.as_str() {
            Some(_) => value.clone(),
            None => return Err("Expected a string".into()),
        },
        "numericField" => match value {
            Value::Number(n) => json!(n.to_string()),
            Value::String(s) if s.trim().parse::<f64>().is_ok_and(f64::is_finite) => {
                json!(s.trim())
            }
            _ => return Err("Expected a number or a numeric string".into()),
        },
        "dateField" => match value.as_str() {
            Some(s) if is_iso_date(s) => value.clone(),
            _ => return Err("Expected an ISO 8601 date (YYYY-MM-DD)".into()),
        },
        "singleSelect" => match value.as_str() {
            Some(s) if labels(def).iter().any(|l| l == s) => value.clone(),
            _ => return Err(format!("Expected one of: {}", labels(def).join(", "))),
        },
        "multipleSelect" => {
            let allowed = labels(def);
            let ok = value.as_array().is_some_and(|items| {
                items
                    .iter()
                    .all(|v| v.as_str().is_some_and(|s| allowed.iter().any(|l| l == s)))
            });
            if !ok {
                return Err(format!("Expected an array of: {}", allowed.join(", ")));
            }
            value.clone()
        }
        "contactField" => {
            let mut out = Vec::new();
            for item in id_list(value, false)? {
                let id = item["id"].as_str().unwrap_or_default();
                let (list, entity, name_key) = if id.starts_with("per_") {
                    (&store.people, "person", "fullName")
                } else if id.starts_with("com_") {
                    (&store.companies, "company", "name")
                } else {
                    return Err(format!("Unknown contact id {id}"));
                };
                let found = list
                    .iter()
                    .find(|r| r["id"] == json!(id))
                    .ok_or(format!("Unknown contact id {id}"))?;
                out.push(json!({ "id": id, "fullName": found[name_key], "entityType": entity }));
            }
            Value::Array(out)
        }
        "userField" => Value::Array(id_list(value, true)?),
        "objectField" => Value::Array(id_list(value, false)?),
        // Assumption: a type this fake does not know is stored as sent.
        _ => value.clone(),
    };
    Ok(Some(value))
}
