//! folk imitation (folk-create-person.txt).
//!
//! Routes (base `http://127.0.0.1:PORT`): `GET|POST /v1/people`,
//! `GET|PATCH /v1/people/{id}`, `GET /v1/groups`,
//! `GET /v1/groups/{groupId}/custom-fields/{entityType}` (see `folk_fields`).
//! Auth: `Authorization: Bearer <token>`. Answers `{"data": ...}`; errors
//! `{"error": {"code", "message", "documentationUrl", "requestId", "timestamp",
//! "details"?}}` with folk's codes (VALIDATION_ERROR 422 with `details.issues`,
//! RESOURCE_NOT_FOUND 404, UNAUTHORIZED 401, RATE_LIMIT_EXCEEDED 429...).
//!
//! Enforced (document): firstName/lastName/jobTitle <= 500, fullName <= 1000,
//! description <= 5000, birthday ISO `YYYY-MM-DD`; groups <= 100 items of `{id}` naming
//! existing groups; companies <= 20 items of exactly `{name}` or `{id}` (an id must
//! exist, a name is created when missing; first is primary); addresses, emails, phones,
//! urls <= 20 strings each, emails valid, urls absolute; `customFieldValues` grouped by
//! group id, each group id also present in `groups` (validation error otherwise), each
//! field defined in that group, each value of the field's type; `null` or `[]` unsets.
//!
//! Assumptions (the document is silent): create answers 200 (folk's reference shows
//! 200); no field is required; unknown top-level keys are rejected (Zod strict);
//! duplicates are allowed (folk does not dedupe by email); PATCH replaces each list
//! it is given (groups included), merges `customFieldValues` field by field, checks
//! custom field group ids against the groups the person will have after the update,
//! re-derives `fullName` from first/last names unless `fullName` is sent, and `null`
//! clears a text field to `""`. Listing follows folk's API: `limit` 1..100 (default
//! 20), opaque `cursor`, `filter[attr][op]=value` with `combinator=and|or`; attributes
//! firstName, lastName, fullName, jobTitle, description, emails, phones, urls,
//! addresses, groups, companies; operators eq, not_eq, like, not_like, in, not_in,
//! empty, not_empty; text compares case-insensitively, phones ignore formatting.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use super::folk_fields::{check_value, definition, group_fields, list_groups};
use super::folk_list::list;
use super::{reply, Generic};
use crate::state::{Shared, Store};
use crate::validate::{
    check_len, is_email, is_iso_date, is_url, json_object, now_iso_ms, string, string_array,
    unknown_keys, uuid, Field, Issues, Object,
};

const KEYS: &[&str] = &[
    "firstName",
    "lastName",
    "fullName",
    "description",
    "birthday",
    "jobTitle",
    "groups",
    "companies",
    "addresses",
    "emails",
    "phones",
    "urls",
    "customFieldValues",
];

const TEXT_LIMITS: &[(&str, usize)] = &[
    ("firstName", 500),
    ("lastName", 500),
    ("fullName", 1000),
    ("description", 5000),
    ("jobTitle", 500),
    ("birthday", 10),
];

const LISTS: &[&str] = &["addresses", "emails", "phones", "urls"];

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/v1/people", get(list).post(create))
        .route("/v1/people/{id}", get(get_one).patch(update))
        .route("/v1/groups", get(list_groups))
        .route(
            "/v1/groups/{group_id}/custom-fields/{entity}",
            get(group_fields),
        )
}

fn envelope(status: StatusCode, code: &str, message: &str, details: Option<Value>) -> Response {
    let anchor = match status.as_u16() {
        400 => "bad-request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not-found",
        422 => "unprocessable-entity",
        429 => "rate-limiting",
        _ => "internal-server-error",
    };
    let mut error = json!({
        "code": code,
        "message": message,
        "documentationUrl": format!("https://developer.folk.app/api-reference/errors#{anchor}"),
        "requestId": uuid(),
        "timestamp": now_iso_ms(),
    });
    if let Some(d) = details {
        error["details"] = d;
    }
    reply(status, json!({ "error": error }))
}

pub(super) fn error(status: StatusCode, code: &str, message: &str) -> Response {
    envelope(status, code, message, None)
}

pub(super) fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "RESOURCE_NOT_FOUND",
        "The requested resource was not found.",
    )
}

pub(super) fn invalid(issues: &Issues) -> Response {
    let list: Vec<Value> = issues
        .0
        .iter()
        .map(|i| {
            let path: Vec<Value> = i
                .path
                .split('.')
                .map(|seg| seg.parse::<u64>().map_or_else(|_| json!(seg), |n| json!(n)))
                .collect();
            json!({ "code": "custom", "path": path, "message": i.message })
        })
        .collect();
    envelope(
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_ERROR",
        "The request contains invalid data.",
        Some(json!({ "issues": list })),
    )
}

pub(super) fn generic(e: Generic<'_>) -> Response {
    match e {
        Generic::Unauthorized => error(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "Access to the resource is unauthorized.",
        ),
        Generic::Status(StatusCode::TOO_MANY_REQUESTS, secs) => {
            let retry = time::OffsetDateTime::now_utc()
                + time::Duration::seconds(i64::try_from(secs.unwrap_or(60)).unwrap_or(60));
            let retry = retry
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default();
            envelope(
                StatusCode::TOO_MANY_REQUESTS,
                "RATE_LIMIT_EXCEEDED",
                "The rate limit has been exceeded.",
                Some(json!({ "limit": 600, "remaining": 0, "retryAfter": retry })),
            )
        }
        Generic::Status(s, _) if s == StatusCode::SERVICE_UNAVAILABLE => error(
            s,
            "SERVICE_UNAVAILABLE",
            "The service is temporarily unavailable.",
        ),
        Generic::Status(s, _) => error(s, "INTERNAL_SERVER_ERROR", "An internal error occurred."),
        Generic::NoRoute => not_found(),
        Generic::BadBody(m) => error(StatusCode::BAD_REQUEST, "INVALID_REQUEST", m),
    }
}

/// A validated create or update body; `None` fields were not sent.
#[derive(Default)]
struct Input {
    texts: Vec<(&'static str, Option<String>)>,
    groups: Option<Vec<String>>,
    companies: Option<Vec<Value>>,
    lists: Vec<(&'static str, Vec<String>)>,
    custom: Option<Object>,
}

fn parse(obj: &Object, issues: &mut Issues) -> Input {
    let mut input = Input::default();
    for key in unknown_keys(obj, KEYS) {
        issues.push(key, "Unrecognized key");
    }
    for (key, max) in TEXT_LIMITS {
        match string(obj, key, issues) {
            Field::Value(s) => {
                check_len(issues, key, &s, 0, *max);
                if *key == "birthday" && !s.is_empty() && !is_iso_date(&s) {
                    issues.push("birthday", "Expected an ISO date (YYYY-MM-DD)");
                }
                input.texts.push((key, Some(s)));
            }
            Field::Null => input.texts.push((key, None)),
            _ => {}
        }
    }
    for key in LISTS {
        let items = match string_array(obj, key, issues) {
            Field::Value(v) => v,
            Field::Null => Vec::new(),
            _ => continue,
        };
        if items.len() > 20 {
            issues.push(*key, "Must contain at most 20 items");
        }
        for (i, item) in items.iter().enumerate() {
            if *key == "emails" && !is_email(item) {
                issues.push(format!("emails.{i}"), "Invalid email");
            }
            if *key == "urls" && !is_url(item) {
                issues.push(format!("urls.{i}"), "Invalid url");
            }
        }
        input.lists.push((key, items));
    }
    input.groups = refs(obj, "groups", 100, &["id"], issues).map(|v| {
        v.iter()
            .filter_map(|g| g["id"].as_str().map(str::to_string))
            .collect()
    });
    input.companies = refs(obj, "companies", 20, &["id", "name"], issues);
    input.custom = match obj.get("customFieldValues") {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => Some(m.clone()),
        Some(_) => {
            issues.push("customFieldValues", "Expected object");
            None
        }
    };
    input
}

/// Reads an array of `{key: string}` objects holding exactly one of `keys`.
fn refs(
    obj: &Object,
    key: &str,
    max: usize,
    keys: &[&str],
    issues: &mut Issues,
) -> Option<Vec<Value>> {
    let items = match obj.get(key)? {
        Value::Null => return Some(Vec::new()),
        Value::Array(items) => items,
        _ => {
            issues.push(key, "Expected array");
            return None;
        }
    };
    if items.len() > max {
        issues.push(key, format!("Must contain at most {max} items"));
    }
    for (i, item) in items.iter().enumerate() {
        let ok = item.as_object().is_some_and(|o| {
            o.len() == 1 && keys.iter().any(|k| o.get(*k).is_some_and(Value::is_string))
        });
        if !ok {
            let wanted = keys
                .iter()
                .map(|k| format!("{{{k}}}"))
                .collect::<Vec<_>>()
                .join(" or ");
            issues.push(format!("{key}.{i}"), format!("Expected {wanted}"));
        }
    }
    Some(items.clone())
}

/// Resolves group ids and company refs against the store; creates companies by name.
fn resolve(
    store: &mut Store,
    input: &Input,
    issues: &mut Issues,
) -> (Option<Vec<Value>>, Option<Vec<Value>>) {
    let groups = input.groups.as_ref().map(|ids| {
        ids.iter()
            .enumerate()
            .filter_map(
                |(i, id)| match store.groups.iter().find(|g| g["id"] == json!(id)) {
                    Some(g) => Some(json!({ "id": g["id"], "name": g["name"] })),
                    None => {
                        issues.push(format!("groups.{i}.id"), format!("Group {id} not found"));
                        None
                    }
                },
            )
            .collect()
    });
    let mut companies = None;
    if let Some(refs) = &input.companies {
        let mut out = Vec::new();
        for (i, r) in refs.iter().enumerate() {
            if let Some(id) = r["id"].as_str() {
                match store.companies.iter().find(|c| c["id"] == json!(id)) {
                    Some(c) => out.push(json!({ "id": c["id"], "name": c["name"] })),
                    None => issues.push(
                        format!("companies.{i}.id"),
                        format!("Company {id} not found"),
                    ),
                }
            } else if let Some(name) = r["name"].as_str() {
                let found = store.companies.iter().find(|c| {
                    c["name"]
                        .as_str()
                        .is_some_and(|n| n.eq_ignore_ascii_case(name))
                });
                let company = match found {
                    Some(c) => json!({ "id": c["id"], "name": c["name"] }),
                    None if issues.is_empty() => {
                        let c = json!({ "id": format!("com_{}", uuid()), "name": name });
                        store.companies.push(c.clone());
                        c
                    }
                    None => continue,
                };
                out.push(company);
            }
        }
        companies = Some(out);
    }
    (groups, companies)
}

/// Checks `customFieldValues` against the person's (future) groups and merges them
/// into `current`.
fn merge_custom(
    store: &Store,
    custom: &Object,
    group_ids: &[String],
    current: &mut Value,
    issues: &mut Issues,
) {
    if !current.is_object() {
        *current = json!({});
    }
    for (group_id, fields) in custom {
        let path = format!("customFieldValues.{group_id}");
        if !group_ids.contains(group_id) {
            issues.push(path, "The group must also be provided in the groups field");
            continue;
        }
        let Some(fields) = fields.as_object() else {
            issues.push(path, "Expected object");
            continue;
        };
        for (name, value) in fields {
            let path = format!("{path}.{name}");
            let Some(def) = definition(store, group_id, name) else {
                issues.push(
                    path,
                    format!("Unknown custom field {name} in group {group_id}"),
                );
                continue;
            };
            match check_value(store, def, value) {
                Err(m) => issues.push(path, m),
                Ok(v) => {
                    let group = &mut current[group_id.as_str()];
                    if !group.is_object() {
                        *group = json!({});
                    }
                    if let Some(g) = group.as_object_mut() {
                        match v {
                            Some(v) => g.insert(name.clone(), v),
                            None => g.remove(name),
                        };
                    }
                }
            }
        }
    }
}

fn full_name(person: &Value) -> String {
    let first = person["firstName"].as_str().unwrap_or_default();
    let last = person["lastName"].as_str().unwrap_or_default();
    format!("{first} {last}").trim().to_string()
}

/// Writes a validated input into `person` (create or update).
fn apply(
    person: &mut Value,
    input: Input,
    groups: Option<Vec<Value>>,
    companies: Option<Vec<Value>>,
) {
    let mut full_sent = false;
    for (key, value) in input.texts {
        full_sent |= key == "fullName";
        person[key] = match (key, value) {
            ("birthday", v) => json!(v.filter(|s| !s.is_empty())),
            (_, v) => json!(v.unwrap_or_default()),
        };
    }
    if !full_sent {
        person["fullName"] = json!(full_name(person));
    }
    for (key, items) in input.lists {
        person[key] = json!(items);
    }
    if let Some(g) = groups {
        person["groups"] = json!(g);
    }
    if let Some(c) = companies {
        person["companies"] = json!(c);
    }
}

fn group_ids(groups: &Option<Vec<Value>>, person: &Value) -> Vec<String> {
    let list = match groups {
        Some(g) => g.clone(),
        None => person["groups"].as_array().cloned().unwrap_or_default(),
    };
    list.iter()
        .filter_map(|g| g["id"].as_str().map(str::to_string))
        .collect()
}

async fn create(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let obj = match json_object(&headers, &body, false) {
        Ok(o) => o,
        Err(e) => return error(StatusCode::BAD_REQUEST, "INVALID_REQUEST", &e.message()),
    };
    let mut issues = Issues::default();
    let mut input = parse(&obj, &mut issues);
    let mut store = shared.store();
    let (groups, companies) = resolve(&mut store, &input, &mut issues);
    let mut person = json!({
        "id": format!("per_{}", uuid()),
        "firstName": "", "lastName": "", "fullName": "", "description": "",
        "birthday": null, "jobTitle": "", "createdAt": now_iso_ms(),
        "createdBy": { "id": "usr_00000000-0000-4000-8000-000000000001",
                       "fullName": "Carnet Fake", "email": "fake@carnet.invalid" },
        "groups": [], "companies": [], "addresses": [], "emails": [], "phones": [], "urls": [],
        "customFieldValues": {},
        "interactionMetadata": {
            "user": { "approximateCount": 0, "lastInteractedAt": null },
            "workspace": { "approximateCount": 0, "lastInteractedAt": null, "lastInteractedBy": [] }
        }
    });
    if let Some(custom) = input.custom.take() {
        let ids = group_ids(&groups, &person);
        merge_custom(
            &store,
            &custom,
            &ids,
            &mut person["customFieldValues"],
            &mut issues,
        );
    }
    if !issues.is_empty() {
        return invalid(&issues);
    }
    apply(&mut person, input, groups, companies);
    store.people.push(person.clone());
    store.counts.creates += 1;
    reply(StatusCode::OK, json!({ "data": person }))
}

async fn update(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let obj = match json_object(&headers, &body, false) {
        Ok(o) => o,
        Err(e) => return error(StatusCode::BAD_REQUEST, "INVALID_REQUEST", &e.message()),
    };
    let mut issues = Issues::default();
    let mut input = parse(&obj, &mut issues);
    let mut store = shared.store();
    let Some(index) = store.person_index(&json!(id)) else {
        return not_found();
    };
    let (groups, companies) = resolve(&mut store, &input, &mut issues);
    let mut person = store.people[index].clone();
    if let Some(custom) = input.custom.take() {
        let ids = group_ids(&groups, &person);
        merge_custom(
            &store,
            &custom,
            &ids,
            &mut person["customFieldValues"],
            &mut issues,
        );
    }
    if !issues.is_empty() {
        return invalid(&issues);
    }
    apply(&mut person, input, groups, companies);
    store.people[index] = person.clone();
    store.counts.updates += 1;
    reply(StatusCode::OK, json!({ "data": person }))
}

async fn get_one(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let store = shared.store();
    match store.person_index(&json!(id)) {
        Some(i) => reply(StatusCode::OK, json!({ "data": store.people[i] })),
        None => not_found(),
    }
}
