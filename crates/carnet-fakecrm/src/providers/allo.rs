//! Allo imitation (allo-create-person.txt).
//!
//! Routes (base `http://127.0.0.1:PORT`): `POST /v2/api/crm/people`,
//! `GET|PUT /v2/api/crm/people/{id}`, `POST /v2/api/crm/people/search`.
//! Auth: `Authorization: <api-key>`, the raw key with no scheme, as the document's
//! curl shows (`Bearer <key>` is refused). Answers `{"data": ...}`.
//!
//! Enforced (document): `numbers` required, at least one, each E.164; at least one of
//! `name` or `last_name`; `emails` valid; `company_id` must name an existing company
//! (seed one); a number already held by another person is 409 with the ids of the
//! people holding it, unless `allow_duplicate_number: true`.
//!
//! From Allo's public v2 reference (not in the document, imitated because a sync
//! needs them): the error envelope `{"error": {type, code, message, retryable,
//! request_id, doc_url, param?, suggestion?, errors?, retry_after_seconds?}}`; PUT is a
//! partial update whose `numbers`/`emails` replace the lists and whose `company_id: ""`
//! unlinks the company; search `POST .../people/search` with `filters` (name,
//! last_name, job_title, website, company, phone_number, email, deal_status), `search`,
//! `sort`, `page` (from 1), `size` (1..100), answering `{"data": [...],
//! "pagination": {page, size, total_count, total_pages, has_more}}`; the optional
//! `Idempotency-Key` header on writes replays the stored 2xx answer.
//!
//! Assumptions: create answers 201; validation is 400 `VALIDATION_ERROR` listing
//! every field in `errors`; unknown body keys are rejected; the 409 carries the ids in
//! `error.existing_person_ids`; an unknown `company_id` is 404 `COMPANY_NOT_FOUND`;
//! PUT checks duplicate numbers like create (ignoring the person itself) and refuses
//! an empty `numbers`; search text filters match by "contains" (case-insensitive),
//! `phone_number` matches a whole number ignoring spaces and dashes, `email` matches
//! by "contains"; `deal_status` matches nobody (deals are not imitated).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use super::{reply, Generic};
use crate::state::{Shared, Store};
use crate::validate::{
    is_e164, is_email, json_object, now_naive, phone_key, short_id, string, string_array,
    unknown_keys, Field, Issues, Object,
};

const KEYS: &[&str] = &[
    "name",
    "last_name",
    "job_title",
    "website",
    "address",
    "numbers",
    "emails",
    "company_id",
    "allow_duplicate_number",
];
const TEXTS: &[&str] = &["name", "last_name", "job_title", "website", "address"];
const FILTERS: &[&str] = &[
    "name",
    "last_name",
    "job_title",
    "website",
    "company",
    "phone_number",
    "email",
    "deal_status",
];
const SORTS: &[&str] = &[
    "DATE_DESC",
    "DATE_ASC",
    "NAME_ASC",
    "NAME_DESC",
    "CREATED_DESC",
    "CREATED_ASC",
];

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/v2/api/crm/people", post(create))
        .route("/v2/api/crm/people/search", post(search))
        .route("/v2/api/crm/people/{id}", get(get_one).put(update))
}

/// The raw `Authorization` value: the key itself, no scheme.
pub(super) fn token(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    Some(value.trim().to_string())
}

/// Builds the error envelope; `extra` fields are merged into `error`.
fn error(status: StatusCode, kind: &str, code: &str, message: &str, extra: Value) -> Response {
    let mut error = json!({
        "type": kind,
        "code": code,
        "message": message,
        "retryable": status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error(),
        "request_id": format!("req_{}", short_id(12)),
        "doc_url": format!("https://help.withallo.com/en/v2/api-reference/guides/error-handling#{code}"),
    });
    if let (Some(e), Value::Object(extra)) = (error.as_object_mut(), extra) {
        e.extend(extra);
    }
    reply(status, json!({ "error": error }))
}

fn bad_request(message: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "validation_error",
        "VALIDATION_ERROR",
        message,
        json!({}),
    )
}

fn invalid(issues: &Issues) -> Response {
    let errors: Vec<Value> = issues
        .0
        .iter()
        .map(|i| json!({ "field": i.path, "message": i.message }))
        .collect();
    let param = issues.0.first().map(|i| i.path.clone()).unwrap_or_default();
    error(
        StatusCode::BAD_REQUEST,
        "validation_error",
        "VALIDATION_ERROR",
        &issues.first_message(),
        json!({ "param": param, "errors": errors }),
    )
}

fn not_found(id: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found_error",
        "PERSON_NOT_FOUND",
        &format!("No person found with ID '{id}'."),
        json!({ "param": "id", "suggestion": "Search for the person using POST /v2/api/crm/people/search." }),
    )
}

pub(super) fn generic(e: Generic<'_>) -> Response {
    match e {
        Generic::Unauthorized => error(
            StatusCode::UNAUTHORIZED,
            "authentication_error",
            "INVALID_API_KEY",
            "Invalid, missing, or expired API key.",
            json!({ "suggestion": "Send the API key as the Authorization header value, with no prefix." }),
        ),
        Generic::Status(StatusCode::TOO_MANY_REQUESTS, secs) => error(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limit_error",
            "RATE_LIMIT_EXCEEDED",
            "Too many requests.",
            json!({ "retry_after_seconds": secs.unwrap_or(1) }),
        ),
        Generic::Status(s, _) if s == StatusCode::SERVICE_UNAVAILABLE => error(
            s,
            "server_error",
            "SERVICE_UNAVAILABLE",
            "The service is temporarily unavailable.",
            json!({}),
        ),
        Generic::Status(s, _) => error(
            s,
            "server_error",
            "INTERNAL_ERROR",
            "Internal failure.",
            json!({}),
        ),
        Generic::NoRoute => error(
            StatusCode::NOT_FOUND,
            "not_found_error",
            "ENDPOINT_NOT_FOUND",
            "No such endpoint.",
            json!({}),
        ),
        Generic::BadBody(m) => bad_request(m),
    }
}

/// A validated body; `None` = not sent, `Some(None)` = sent as null.
#[derive(Default)]
struct Input {
    texts: Vec<(&'static str, Option<String>)>,
    numbers: Option<Vec<String>>,
    emails: Option<Vec<String>>,
    company_id: Option<Option<String>>,
    allow_duplicate: bool,
}

fn parse(obj: &Object, creating: bool, issues: &mut Issues) -> Input {
    let mut input = Input::default();
    for key in unknown_keys(obj, KEYS) {
        issues.push(key, "Unknown field");
    }
    for key in TEXTS {
        match string(obj, key, issues) {
            Field::Value(s) => input.texts.push((key, Some(s))),
            Field::Null => input.texts.push((key, None)),
            _ => {}
        }
    }
    match string_array(obj, "numbers", issues) {
        Field::Value(numbers) => {
            if numbers.is_empty() {
                issues.push("numbers", "At least one number is required");
            }
            for (i, n) in numbers.iter().enumerate() {
                if !is_e164(n) {
                    issues.push(
                        format!("numbers.{i}"),
                        format!("'{n}' is not in E.164 format (+ then country code and number, no spaces or dashes)"),
                    );
                }
            }
            input.numbers = Some(numbers);
        }
        Field::Absent if !creating => {}
        Field::Invalid => {}
        _ => issues.push("numbers", "At least one number is required"),
    }
    match string_array(obj, "emails", issues) {
        Field::Value(emails) => {
            for (i, e) in emails.iter().enumerate() {
                if !is_email(e) {
                    issues.push(
                        format!("emails.{i}"),
                        format!("'{e}' is not a valid email address"),
                    );
                }
            }
            input.emails = Some(emails);
        }
        Field::Null => input.emails = Some(Vec::new()),
        _ => {}
    }
    input.company_id = match string(obj, "company_id", issues) {
        Field::Value(s) if s.is_empty() => Some(None),
        Field::Value(s) => Some(Some(s)),
        Field::Null => Some(None),
        _ => None,
    };
    input.allow_duplicate = match obj.get("allow_duplicate_number") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            issues.push("allow_duplicate_number", "Expected boolean");
            false
        }
    };
    input
}

fn has_name(person: &Value) -> bool {
    ["name", "last_name"]
        .iter()
        .any(|k| person[*k].as_str().is_some_and(|s| !s.trim().is_empty()))
}

/// Validates and applies `input` to `person` (a fresh or a stored record).
fn apply(store: &Store, person: &mut Value, input: Input, self_id: &Value) -> Result<(), Response> {
    for (key, value) in input.texts {
        person[key] = json!(value);
    }
    if !has_name(person) {
        let mut issues = Issues::default();
        issues.push("name", "At least one of name or last_name is required");
        return Err(invalid(&issues));
    }
    if let Some(Some(id)) = &input.company_id {
        let Some(company) = store.companies.iter().find(|c| c["id"] == json!(id)) else {
            return Err(error(
                StatusCode::NOT_FOUND,
                "not_found_error",
                "COMPANY_NOT_FOUND",
                &format!("No company found with ID '{id}'."),
                json!({ "param": "company_id" }),
            ));
        };
        person["company"] = json!({ "id": company["id"], "name": company["name"] });
    } else if input.company_id.is_some() {
        person["company"] = Value::Null;
    }
    if let Some(numbers) = input.numbers {
        let keys: Vec<String> = numbers.iter().map(|n| phone_key(n)).collect();
        let holders: Vec<Value> = store
            .people
            .iter()
            .filter(|p| &p["id"] != self_id)
            .filter(|p| {
                p["numbers"].as_array().is_some_and(|ns| {
                    ns.iter()
                        .any(|n| n.as_str().is_some_and(|n| keys.contains(&phone_key(n))))
                })
            })
            .map(|p| p["id"].clone())
            .collect();
        if !holders.is_empty() && !input.allow_duplicate {
            return Err(error(
                StatusCode::CONFLICT,
                "conflict_error",
                "DUPLICATE_PHONE_NUMBER",
                "One or more phone numbers are already assigned to another person in your team.",
                json!({
                    "param": "numbers",
                    "existing_person_ids": holders,
                    "suggestion": "Update the existing person with PUT /v2/api/crm/people/{id}, or set allow_duplicate_number to true.",
                }),
            ));
        }
        person["numbers"] = json!(numbers);
    }
    if let Some(emails) = input.emails {
        person["emails"] = json!(emails);
    }
    person["updated_at"] = json!(now_naive());
    Ok(())
}

fn idempotency_key(headers: &HeaderMap, scope: &str) -> Option<String> {
    let key = headers.get("idempotency-key")?.to_str().ok()?;
    Some(format!("{scope} {key}"))
}

fn replay(store: &Store, key: &Option<String>) -> Option<Response> {
    let (status, body) = store.idempotency.get(key.as_ref()?)?;
    let status = StatusCode::from_u16(*status).ok()?;
    Some(reply(status, body.clone()))
}

async fn create(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let obj = match json_object(&headers, &body, false) {
        Ok(o) => o,
        Err(e) => return bad_request(&e.message()),
    };
    let idem = idempotency_key(&headers, "POST /v2/api/crm/people");
    let mut store = shared.store();
    if let Some(resp) = replay(&store, &idem) {
        return resp;
    }
    let mut issues = Issues::default();
    let input = parse(&obj, true, &mut issues);
    if !issues.is_empty() {
        return invalid(&issues);
    }
    let now = now_naive();
    let id = json!(format!("per-{}", short_id(12)));
    let mut person = json!({
        "id": id, "name": null, "last_name": null, "job_title": null, "website": null,
        "address": null, "numbers": [], "emails": [], "company": null, "interactions": 0,
        "last_activity_at": null, "created_at": now, "updated_at": now,
    });
    if let Err(resp) = apply(&store, &mut person, input, &id) {
        return resp;
    }
    store.people.push(person.clone());
    store.counts.creates += 1;
    let body = json!({ "data": person });
    if let Some(key) = idem {
        store.idempotency.insert(key, (201, body.clone()));
    }
    reply(StatusCode::CREATED, body)
}

async fn update(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let obj = match json_object(&headers, &body, false) {
        Ok(o) => o,
        Err(e) => return bad_request(&e.message()),
    };
    let idem = idempotency_key(&headers, &format!("PUT /v2/api/crm/people/{id}"));
    let mut store = shared.store();
    if let Some(resp) = replay(&store, &idem) {
        return resp;
    }
    let Some(index) = store.person_index(&json!(id)) else {
        return not_found(&id);
    };
    let mut issues = Issues::default();
    let input = parse(&obj, false, &mut issues);
    if !issues.is_empty() {
        return invalid(&issues);
    }
    let mut person = store.people[index].clone();
    if let Err(resp) = apply(&store, &mut person, input, &json!(id)) {
        return resp;
    }
    store.people[index] = person.clone();
    store.counts.updates += 1;
    let body = json!({ "data": person });
    if let Some(key) = idem {
        store.idempotency.insert(key, (200, body.clone()));
    }
    reply(StatusCode::OK, body)
}

async fn get_one(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let store = shared.store();
    match store.person_index(&json!(id)) {
        Some(i) => reply(StatusCode::OK, json!({ "data": store.people[i] })),
        None => not_found(&id),
    }
}

fn text(p: &Value, key: &str) -> String {
    p[key].as_str().unwrap_or_default().to_lowercase()
}

fn filter_matches(p: &Value, filter: &str, wanted: &str) -> bool {
    let wanted_lc = wanted.to_lowercase();
    let list = |key: &str| -> Vec<String> {
        p[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    match filter {
        "company" => text(&p["company"], "name").contains(&wanted_lc),
        "phone_number" => list("numbers")
            .iter()
            .any(|n| phone_key(n) == phone_key(wanted)),
        "email" => list("emails")
            .iter()
            .any(|e| e.to_lowercase().contains(&wanted_lc)),
        "deal_status" => false,
        key => text(p, key).contains(&wanted_lc),
    }
}

async fn search(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let obj = match json_object(&headers, &body, true) {
        Ok(o) => o,
        Err(e) => return bad_request(&e.message()),
    };
    let mut issues = Issues::default();
    for key in unknown_keys(&obj, &["filters", "search", "sort", "page", "size"]) {
        issues.push(key, "Unknown field");
    }
    let mut filters = Vec::new();
    match obj.get("filters") {
        None | Some(Value::Null) => {}
        Some(Value::Object(f)) => {
            for (key, value) in f {
                match (FILTERS.contains(&key.as_str()), value.as_str()) {
                    (true, Some(v)) => filters.push((key.clone(), v.to_string())),
                    (true, None) => issues.push(format!("filters.{key}"), "Expected string"),
                    (false, _) => issues.push(format!("filters.{key}"), "Unknown filter"),
                }
            }
        }
        Some(_) => issues.push("filters", "Expected object"),
    }
    let words = match string(&obj, "search", &mut issues) {
        Field::Value(s) => s.split_whitespace().map(str::to_lowercase).collect(),
        _ => Vec::new(),
    };
    let sort = string(&obj, "sort", &mut issues)
        .value()
        .unwrap_or_else(|| "DATE_DESC".into());
    if !SORTS.contains(&sort.as_str()) {
        issues.push("sort", format!("Must be one of {}", SORTS.join(", ")));
    }
    let int = |key: &str, min: u64, max: u64, default: u64, issues: &mut Issues| match obj.get(key)
    {
        None | Some(Value::Null) => default,
        Some(v) => match v.as_u64() {
            Some(n) if (min..=max).contains(&n) => n,
            _ => {
                issues.push(key, format!("Must be an integer between {min} and {max}"));
                default
            }
        },
    };
    let page = int("page", 1, u64::from(u32::MAX), 1, &mut issues);
    let size = int("size", 1, 100, 20, &mut issues);
    if !issues.is_empty() {
        return invalid(&issues);
    }
    let store = shared.store();
    let mut hits: Vec<&Value> = store
        .people
        .iter()
        .filter(|p| filters.iter().all(|(k, v)| filter_matches(p, k, v)))
        .filter(|p| {
            let all = [
                text(p, "name"),
                text(p, "last_name"),
                text(p, "job_title"),
                text(p, "website"),
                text(p, "address"),
                text(&p["company"], "name"),
                p["numbers"].to_string(),
                p["emails"].to_string().to_lowercase(),
            ]
            .join(" ");
            words.iter().all(|w| all.contains(w.as_str()))
        })
        .collect();
    let key = |p: &&Value, k: &str| p[k].as_str().unwrap_or_default().to_lowercase();
    match sort.as_str() {
        "NAME_ASC" => hits.sort_by_key(|p| key(p, "name")),
        "NAME_DESC" => hits.sort_by_key(|p| std::cmp::Reverse(key(p, "name"))),
        "CREATED_ASC" => hits.sort_by_key(|p| key(p, "created_at")),
        "CREATED_DESC" => hits.sort_by_key(|p| std::cmp::Reverse(key(p, "created_at"))),
        "DATE_ASC" => hits.sort_by_key(|p| key(p, "updated_at")),
        _ => hits.sort_by_key(|p| std::cmp::Reverse(key(p, "updated_at"))),
    }
    let total = hits.len() as u64;
    let start = usize::try_from((page - 1).saturating_mul(size)).unwrap_or(usize::MAX);
    let size_usize = usize::try_from(size).unwrap_or(100);
    let data: Vec<Value> = hits
        .into_iter()
        .skip(start)
        .take(size_usize)
        .cloned()
        .collect();
    reply(
        StatusCode::OK,
        json!({
            "data": data,
            "pagination": {
                "page": page,
                "size": size,
                "total_count": total,
                "total_pages": total.div_ceil(size),
                "has_more": page.saturating_mul(size) < total,
            }
        }),
    )
}
