//! Introzy imitation (introzy-create-person.txt, introzy-people-api.txt).
//!
//! Routes (base `http://127.0.0.1:PORT`): `GET|POST /api/people`,
//! `GET|PATCH /api/people/{id}`, `POST /api/people/{id}/enrich`,
//! `GET|POST /api/people/custom-fields`. Auth: `Authorization: Bearer <token>`.
//! Envelope: `{"success": true, "data": ..., "message"?}`; errors
//! `{"success": false, "error": "<sentence>"}` (documented for 400 and 409).
//!
//! Enforced: `email` required and valid, unique in the organisation (409 with the
//! documented sentence); `firstName` 1..100; `lastName` <= 100; `phoneNumber` <= 50;
//! `address` <= 500; `companyName` <= 200; `companyId` a UUID of an existing company
//! (`""` is treated as absent, as the document's own example sends it);
//! `customFields` keys must be defined through `/api/people/custom-fields` and values
//! must fit the definition's type; list `limit` 1..100. PATCH changes only the given
//! fields, merges `customFields` (`null` removes a key), and refuses an email change for
//! a person with `isFullUser: true`. Enrich returns a job, or 400 without an email.
//!
//! Assumptions (the documents are silent): validation failures are 400 with the
//! documented `{success:false,error}` shape plus a `details` array of
//! `{field, message}`; unknown top-level keys are rejected (catches misspelt fields);
//! 401 is `{"success":false,"error":"Unauthorized: invalid or missing API key"}`;
//! an unknown person is 404 `"Person not found"`; search has no phone filter (the
//! document's `search` covers name and email only) so phone matching needs a listing;
//! notes endpoints are not imitated. Custom field definitions: see `introzy_fields`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use super::introzy_fields::{check_custom_fields, create_field, list_fields};
use super::{reply, Generic};
use crate::state::{Shared, Store};
use crate::validate::{
    check_len, is_email, is_uuid, json_object, now_iso_ms, short_id, string, unknown_keys, uuid,
    Field, Issues, Object,
};

const CREATE_KEYS: &[&str] = &[
    "email",
    "firstName",
    "lastName",
    "phoneNumber",
    "address",
    "companyId",
    "companyName",
    "customFields",
];

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/people", get(list).post(create))
        .route(
            "/api/people/custom-fields",
            get(list_fields).post(create_field),
        )
        .route("/api/people/{id}", get(get_one).patch(update))
        .route("/api/people/{id}/enrich", post(enrich))
}

pub(super) fn error(status: StatusCode, message: impl Into<String>) -> Response {
    reply(status, json!({ "success": false, "error": message.into() }))
}

pub(super) fn invalid(issues: &Issues) -> Response {
    let details: Vec<Value> = issues
        .0
        .iter()
        .map(|i| json!({ "field": i.path, "message": i.message }))
        .collect();
    reply(
        StatusCode::BAD_REQUEST,
        json!({
            "success": false,
            "error": format!("Validation failed: {}", issues.first_message()),
            "details": details,
        }),
    )
}

fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "Person not found")
}

pub(super) fn generic(e: Generic<'_>) -> Response {
    match e {
        Generic::Unauthorized => error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized: invalid or missing API key",
        ),
        Generic::Status(StatusCode::TOO_MANY_REQUESTS, _) => error(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many requests, please try again later",
        ),
        Generic::Status(s, _) => error(s, s.canonical_reason().unwrap_or("Error")),
        Generic::NoRoute => error(StatusCode::NOT_FOUND, "Not found"),
        Generic::BadBody(m) => error(StatusCode::BAD_REQUEST, m),
    }
}

async fn list(
    State(shared): State<Arc<Shared>>,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let param = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let limit = match param("limit").map(str::parse::<usize>) {
        None => 50,
        Some(Ok(n)) if (1..=100).contains(&n) => n,
        Some(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "limit must be an integer between 1 and 100",
            )
        }
    };
    let offset = match param("offset").map(str::parse::<usize>) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            return error(
                StatusCode::BAD_REQUEST,
                "offset must be a non-negative integer",
            )
        }
    };
    let search = param("search").map(str::to_lowercase);
    let company = param("companyId");
    let store = shared.store();
    let text = |p: &Value, k: &str| {
        p.get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_lowercase()
    };
    let matching: Vec<&Value> = store
        .people
        .iter()
        .filter(|p| {
            search.as_deref().is_none_or(|s| {
                let full = format!("{} {}", text(p, "firstName"), text(p, "lastName"));
                [
                    text(p, "firstName"),
                    text(p, "lastName"),
                    full,
                    text(p, "email"),
                ]
                .iter()
                .any(|v| v.contains(s))
            })
        })
        .filter(|p| company.is_none_or(|c| p.get("companyId").and_then(Value::as_str) == Some(c)))
        .collect();
    let total = matching.len();
    let page: Vec<Value> = matching
        .into_iter()
        .skip(offset)
        .take(limit)
        .cloned()
        .collect();
    reply(
        StatusCode::OK,
        json!({
            "success": true,
            "data": {
                "people": page,
                "total": total,
                "limit": limit,
                "offset": offset,
                "hasMore": offset + limit < total,
            }
        }),
    )
}

async fn get_one(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let store = shared.store();
    match store.person_index(&json!(id)) {
        Some(i) => reply(
            StatusCode::OK,
            json!({ "success": true, "data": store.people[i] }),
        ),
        None => not_found(),
    }
}

/// Reads an optional string with a length limit; `Some(None)` means "set to null".
fn optional_text(
    obj: &Object,
    key: &str,
    max: usize,
    issues: &mut Issues,
) -> Option<Option<String>> {
    match string(obj, key, issues) {
        Field::Absent | Field::Invalid => None,
        Field::Null => Some(None),
        Field::Value(s) => {
            check_len(issues, key, &s, 0, max);
            Some(Some(s))
        }
    }
}

/// Reads a required string (present and not null) with length limits.
pub(super) fn required_text(
    obj: &Object,
    key: &str,
    min: usize,
    max: usize,
    issues: &mut Issues,
    required: bool,
) -> Option<String> {
    match string(obj, key, issues) {
        Field::Value(s) => {
            check_len(issues, key, &s, min, max);
            Some(s)
        }
        Field::Null => {
            issues.push(key, "Must not be null");
            None
        }
        Field::Absent if required => {
            issues.push(key, "Required");
            None
        }
        _ => None,
    }
}

/// What a create or update body says about the company link.
enum CompanyChange {
    Keep,
    Unlink,
    Id(String),
    Name(String),
}

fn company_change(obj: &Object, issues: &mut Issues) -> CompanyChange {
    let by_name = optional_text(obj, "companyName", 200, issues).flatten();
    match string(obj, "companyId", issues) {
        // The document's example sends `"companyId": ""`: read it as "no id".
        Field::Value(id) if !id.is_empty() => {
            if !is_uuid(&id) {
                issues.push("companyId", "Invalid uuid");
            }
            CompanyChange::Id(id)
        }
        Field::Null | Field::Value(_) if by_name.is_none() => CompanyChange::Unlink,
        _ => by_name.map_or(CompanyChange::Keep, CompanyChange::Name),
    }
}

/// Applies a company change; `Err` when the id names no company.
fn resolve_company(
    store: &mut Store,
    change: CompanyChange,
) -> Result<Option<Option<Value>>, Response> {
    match change {
        CompanyChange::Keep => Ok(None),
        CompanyChange::Unlink => Ok(Some(None)),
        CompanyChange::Id(id) => match store.companies.iter().find(|c| c["id"] == json!(id)) {
            Some(c) => Ok(Some(Some(c.clone()))),
            None => Err(error(StatusCode::NOT_FOUND, "Company not found")),
        },
        CompanyChange::Name(name) => {
            let existing = store.companies.iter().find(|c| {
                c["name"]
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case(&name))
            });
            if let Some(c) = existing {
                return Ok(Some(Some(c.clone())));
            }
            let company = json!({
                "id": uuid(), "name": name, "industry": null, "website": null, "customFields": {}
            });
            store.companies.push(company.clone());
            Ok(Some(Some(company)))
        }
    }
}

fn custom_fields(obj: &Object, issues: &mut Issues) -> Option<Object> {
    match obj.get("customFields") {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => Some(m.clone()),
        Some(_) => {
            issues.push("customFields", "Expected object");
            None
        }
    }
}

fn email_taken(store: &Store, email: &str, except: Option<usize>) -> bool {
    store.people.iter().enumerate().any(|(i, p)| {
        Some(i) != except
            && p["email"]
                .as_str()
                .is_some_and(|e| e.eq_ignore_ascii_case(email))
    })
}

fn duplicate_email() -> Response {
    error(
        StatusCode::CONFLICT,
        "A person with this email already exists in your organization",
    )
}

async fn create(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let obj = match json_object(&headers, &body, false) {
        Ok(o) => o,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.message()),
    };
    let mut issues = Issues::default();
    for key in unknown_keys(&obj, CREATE_KEYS) {
        issues.push(key, "Unrecognized field");
    }
    let email = required_text(&obj, "email", 0, usize::MAX, &mut issues, true);
    if let Some(e) = &email {
        if !is_email(e) {
            issues.push("email", "Invalid email");
        }
    }
    let first = required_text(&obj, "firstName", 1, 100, &mut issues, true);
    let last = optional_text(&obj, "lastName", 100, &mut issues).flatten();
    let phone = optional_text(&obj, "phoneNumber", 50, &mut issues).flatten();
    let address = optional_text(&obj, "address", 500, &mut issues).flatten();
    let company = company_change(&obj, &mut issues);
    let cf = custom_fields(&obj, &mut issues).unwrap_or_default();
    let mut store = shared.store();
    check_custom_fields(&store.fields, &cf, true, &mut issues);
    let (Some(email), Some(first), true) = (email, first, issues.is_empty()) else {
        return invalid(&issues);
    };
    if email_taken(&store, &email, None) {
        return duplicate_email();
    }
    let company = match resolve_company(&mut store, company) {
        Ok(c) => c.flatten(),
        Err(resp) => return resp,
    };
    let cf: Object = cf.into_iter().filter(|(_, v)| !v.is_null()).collect();
    let now = now_iso_ms();
    let person = json!({
        "id": uuid(),
        "email": email,
        "firstName": first,
        "lastName": last,
        "phoneNumber": phone,
        "address": address,
        "latitude": null,
        "longitude": null,
        "companyId": company.as_ref().map(|c| c["id"].clone()),
        "isConnector": false,
        "isSolutionProvider": false,
        "isFullUser": false,
        "customFields": cf,
        "company": company,
        "createdAt": now,
        "updatedAt": now,
    });
    store.people.push(person.clone());
    store.counts.creates += 1;
    reply(
        StatusCode::CREATED,
        json!({ "success": true, "data": person, "message": "Person created successfully" }),
    )
}

async fn update(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let obj = match json_object(&headers, &body, false) {
        Ok(o) => o,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.message()),
    };
    let mut issues = Issues::default();
    for key in unknown_keys(&obj, CREATE_KEYS) {
        issues.push(key, "Unrecognized field");
    }
    let email = required_text(&obj, "email", 0, usize::MAX, &mut issues, false);
    if let Some(e) = &email {
        if !is_email(e) {
            issues.push("email", "Invalid email");
        }
    }
    let first = required_text(&obj, "firstName", 1, 100, &mut issues, false);
    let last = optional_text(&obj, "lastName", 100, &mut issues);
    let phone = optional_text(&obj, "phoneNumber", 50, &mut issues);
    let address = optional_text(&obj, "address", 500, &mut issues);
    let company = company_change(&obj, &mut issues);
    let cf = custom_fields(&obj, &mut issues);
    let mut store = shared.store();
    if let Some(cf) = &cf {
        check_custom_fields(&store.fields, cf, false, &mut issues);
    }
    let Some(index) = store.person_index(&json!(id)) else {
        return not_found();
    };
    if !issues.is_empty() {
        return invalid(&issues);
    }
    if let Some(email) = &email {
        let current = store.people[index]["email"].as_str().unwrap_or_default();
        if !current.eq_ignore_ascii_case(email) {
            if store.people[index]["isFullUser"] == json!(true) {
                return error(
                    StatusCode::BAD_REQUEST,
                    "Email cannot be changed for people with active user accounts",
                );
            }
            if email_taken(&store, email, Some(index)) {
                return duplicate_email();
            }
        }
    }
    let company = match resolve_company(&mut store, company) {
        Ok(c) => c,
        Err(resp) => return resp,
    };
    let person = &mut store.people[index];
    let set = |p: &mut Value, k: &str, v: Option<Option<String>>| {
        if let Some(v) = v {
            p[k] = json!(v);
        }
    };
    set(person, "email", email.map(Some));
    set(person, "firstName", first.map(Some));
    set(person, "lastName", last);
    set(person, "phoneNumber", phone);
    set(person, "address", address);
    if let Some(company) = company {
        person["companyId"] = company.as_ref().map_or(Value::Null, |c| c["id"].clone());
        person["company"] = company.unwrap_or(Value::Null);
    }
    if let Some(cf) = cf {
        if !person["customFields"].is_object() {
            person["customFields"] = json!({});
        }
        if let Some(existing) = person["customFields"].as_object_mut() {
            for (k, v) in cf {
                if v.is_null() {
                    existing.remove(&k);
                } else {
                    existing.insert(k, v);
                }
            }
        }
    }
    person["updatedAt"] = json!(now_iso_ms());
    let person = person.clone();
    store.counts.updates += 1;
    reply(
        StatusCode::OK,
        json!({ "success": true, "data": person, "message": "Person updated successfully" }),
    )
}

async fn enrich(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let mut store = shared.store();
    let Some(index) = store.person_index(&json!(id)) else {
        return not_found();
    };
    let person = &store.people[index];
    let email = person["email"].as_str().unwrap_or_default().to_string();
    if email.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "Person email is required for enrichment",
        );
    }
    let name = [&person["firstName"], &person["lastName"]]
        .iter()
        .filter_map(|v| v.as_str())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let job = json!({
        "jobId": format!("job_{}", short_id(12)),
        "personId": id,
        "personName": name,
        "personEmail": email,
    });
    store.jobs.push(job.clone());
    store.counts.enrich_jobs += 1;
    reply(
        StatusCode::OK,
        json!({
            "success": true,
            "data": job,
            "message": format!("Enrichment job created for {name}"),
        }),
    )
}
