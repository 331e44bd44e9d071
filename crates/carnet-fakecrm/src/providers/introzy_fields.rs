//! Introzy's custom field schemas: `GET|POST /api/people/custom-fields`, seeded
//! definitions, and the check of `customFields` values against them.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use super::introzy::{error, invalid, required_text};
use super::reply;
use crate::state::Shared;
use crate::validate::{
    is_email, is_iso_date, is_url, json_object, now_iso_ms, string, unknown_keys, uuid, Field,
    Issues, Object,
};

const FIELD_TYPES: &[&str] = &[
    "text",
    "textarea",
    "number",
    "boolean",
    "date",
    "select",
    "multiselect",
    "url",
    "email",
    "phone",
];

/// Completes a seeded custom field definition.
pub(super) fn seed_field(mut field: Value) -> Value {
    if let Some(obj) = field.as_object_mut() {
        let name = obj
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("field")
            .to_string();
        obj.entry("id").or_insert(json!(uuid()));
        obj.entry("key").or_insert(json!(derive_key(&name)));
        obj.entry("fieldType").or_insert(json!("text"));
        obj.entry("options").or_insert(Value::Null);
        obj.entry("required").or_insert(json!(false));
        obj.entry("createdAt").or_insert(json!(now_iso_ms()));
    }
    field
}

/// `cf_` + the name in snake case: `"Favorite color"` -> `cf_favorite_color`.
fn derive_key(name: &str) -> String {
    let mut key = String::from("cf_");
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if !key.ends_with('_') {
            key.push('_');
        }
    }
    key.trim_end_matches('_').to_string()
}

/// Validates `customFields` values against the definitions. On create, required
/// definitions must have a value.
pub(super) fn check_custom_fields(
    defs: &[Value],
    values: &Object,
    creating: bool,
    issues: &mut Issues,
) {
    for (key, value) in values {
        let path = format!("customFields.{key}");
        let Some(def) = defs.iter().find(|d| d["key"] == json!(key)) else {
            issues.push(path, format!("Unknown custom field: {key}"));
            continue;
        };
        if value.is_null() {
            continue;
        }
        let options: Vec<&str> = def["options"]
            .as_array()
            .map(|o| o.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let text = value.as_str();
        let ok = match def["fieldType"].as_str().unwrap_or("text") {
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "date" => text.is_some_and(is_iso_date),
            "select" => text.is_some_and(|t| options.contains(&t)),
            "multiselect" => value.as_array().is_some_and(|a| {
                a.iter()
                    .all(|v| v.as_str().is_some_and(|t| options.contains(&t)))
            }),
            "url" => text.is_some_and(is_url),
            "email" => text.is_some_and(is_email),
            _ => text.is_some(),
        };
        if !ok {
            let kind = def["fieldType"].as_str().unwrap_or("text");
            issues.push(path, format!("Invalid value for {kind} field"));
        }
    }
    if creating {
        for def in defs.iter().filter(|d| d["required"] == json!(true)) {
            let key = def["key"].as_str().unwrap_or_default();
            if values.get(key).is_none_or(Value::is_null) {
                issues.push(format!("customFields.{key}"), "Required");
            }
        }
    }
}

pub(super) async fn list_fields(State(shared): State<Arc<Shared>>) -> Response {
    let fields = shared.store().fields.clone();
    reply(StatusCode::OK, json!({ "success": true, "data": fields }))
}

/// `POST /api/people/custom-fields`.
///
/// Assumption (the documents only name the endpoint): body
/// `{"name": "Favorite color", "fieldType": "text", "key"?: "cf_favorite_color",
/// "options"?: ["a", "b"], "required"?: false}`; `fieldType` is one of text, textarea,
/// number, boolean, date, select, multiselect, url, email, phone; select and
/// multiselect need options; `key` defaults to `cf_` + the name in snake case and must
/// match `cf_[a-z0-9_]+`; a key already defined is 409. Answer 201 with the definition
/// `{id, key, name, fieldType, options, required, createdAt}`.
pub(super) async fn create_field(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let obj = match json_object(&headers, &body, false) {
        Ok(o) => o,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.message()),
    };
    let mut issues = Issues::default();
    for key in unknown_keys(&obj, &["name", "fieldType", "key", "options", "required"]) {
        issues.push(key, "Unrecognized field");
    }
    let name = required_text(&obj, "name", 1, 100, &mut issues, true);
    let kind = required_text(&obj, "fieldType", 1, 50, &mut issues, true);
    if let Some(k) = &kind {
        if !FIELD_TYPES.contains(&k.as_str()) {
            issues.push(
                "fieldType",
                format!("Must be one of {}", FIELD_TYPES.join(", ")),
            );
        }
    }
    let key = match string(&obj, "key", &mut issues) {
        Field::Value(k) => Some(k),
        _ => name.as_deref().map(derive_key),
    };
    if let Some(k) = &key {
        let body = k.strip_prefix("cf_").unwrap_or("");
        if body.is_empty()
            || !body
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            issues.push("key", "Must match cf_[a-z0-9_]+");
        }
    }
    let options = match obj.get("options") {
        None | Some(Value::Null) => None,
        Some(Value::Array(a)) if a.iter().all(Value::is_string) => Some(a.clone()),
        Some(_) => {
            issues.push("options", "Expected array of strings");
            None
        }
    };
    if matches!(kind.as_deref(), Some("select" | "multiselect"))
        && options.as_ref().is_none_or(Vec::is_empty)
    {
        issues.push("options", "Required for select fields");
    }
    let required = match obj.get("required") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            issues.push("required", "Expected boolean");
            false
        }
    };
    let (Some(name), Some(kind), Some(key), true) = (name, kind, key, issues.is_empty()) else {
        return invalid(&issues);
    };
    let mut store = shared.store();
    if store.fields.iter().any(|f| f["key"] == json!(key)) {
        return error(
            StatusCode::CONFLICT,
            format!("A custom field with key {key} already exists"),
        );
    }
    let field = json!({
        "id": uuid(), "key": key, "name": name, "fieldType": kind,
        "options": options, "required": required, "createdAt": now_iso_ms(),
    });
    store.fields.push(field.clone());
    store.counts.field_creates += 1;
    reply(
        StatusCode::CREATED,
        json!({ "success": true, "data": field, "message": "Custom field created successfully" }),
    )
}
