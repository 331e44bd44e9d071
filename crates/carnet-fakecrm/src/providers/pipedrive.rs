//! Pipedrive imitation (pipedrive-add-person.txt), API v1.
//!
//! Routes (base `http://127.0.0.1:PORT/api/v1`, standing for
//! `https://COMPANY.pipedrive.com/api/v1`): `POST|GET /persons`, `GET /persons/search`,
//! `GET|PUT /persons/{id}`, `GET|POST /personFields`. Auth: the `api_token` query
//! parameter, or the `x-api-token` header, or `Authorization: Bearer` (OAuth).
//! Answers `{"success": true, "data": ...}`; errors `{"success": false, "error",
//! "error_info", "data": null, "additional_data": null}` (401 adds `errorCode`).
//!
//! Enforced (document): `name` required (400 "Name must be given."); `email` and
//! `phone` are arrays of `{value, primary, label}` (value a string, primary a boolean,
//! at most one primary, label one of work/home/other, plus mobile for phones);
//! `owner_id`, `org_id`, `label` integers; `label_ids` integers; `visible_to` one of
//! 1, 3, 5, 7; `marketing_status` one of no_consent, unsubscribed, subscribed,
//! archived; `add_time` `YYYY-MM-DD HH:MM:SS`; any other key must be the 40-hex key of
//! a custom field defined in personFields, with a value fitting its `field_type`.
//! Create answers 201.
//!
//! Beyond the document (Pipedrive's public v1 reference, needed by a sync):
//! `PUT /persons/{id}` changes only the given fields (lists replace);
//! `GET /persons/search?term=&fields=email,phone,name,custom_fields&exact_match=`
//! (term >= 2 characters, 1 with exact_match) answering `data.items[].item` with
//! `emails`/`phones` as plain strings; listing with `start`/`limit` (<= 500) whose
//! `data` is `null` when empty (a real quirk); personFields with the built-in fields
//! and `POST /personFields` (`name`, `field_type`, `options: [{label}]` for enum/set),
//! answering 200 with a generated 40-hex `key`. A person without email or phone
//! reads back `[{"value": "", "primary": true}]`, as Pipedrive does.
//!
//! Assumptions: unknown keys are rejected (real Pipedrive ignores them silently;
//! rejecting catches a sync that sends an unmapped field); emails are not checked for
//! format (Pipedrive accepts any text); `org_id` is not checked against organisations;
//! phone search compares digits only; the `api_token` value is compared as sent
//! (no percent-decoding).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use super::pipedrive_rules::{check_custom, check_person, contacts};
use super::{bearer, reply, Generic};
use crate::state::{Shared, Store};
use crate::validate::{json_object, now_pipedrive, phone_key, Issues};

/// The activity counters every person carries (all zero here: no deals, mails, files).
const COUNTERS: &[&str] = &[
    "open_deals_count",
    "related_open_deals_count",
    "closed_deals_count",
    "related_closed_deals_count",
    "participant_open_deals_count",
    "participant_closed_deals_count",
    "email_messages_count",
    "activities_count",
    "done_activities_count",
    "undone_activities_count",
    "files_count",
    "notes_count",
    "followers_count",
    "won_deals_count",
    "related_won_deals_count",
    "lost_deals_count",
    "related_lost_deals_count",
];

const INFO: &str =
    "Please check developers.pipedrive.com for more information about Pipedrive API.";

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/v1/persons", get(list).post(create))
        .route("/api/v1/persons/search", get(search))
        .route("/api/v1/persons/{id}", get(get_one).put(update))
        .route("/api/v1/personFields", get(list_fields).post(create_field))
}

pub(super) fn token(parts: &Parts) -> Option<String> {
    let from_query = parts.uri.query().and_then(|q| {
        q.split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == "api_token")
            .map(|(_, v)| v.to_string())
    });
    from_query
        .or_else(|| {
            parts
                .headers
                .get("x-api-token")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
        .or_else(|| bearer(parts))
}

pub(super) fn error(status: StatusCode, message: &str) -> Response {
    reply(
        status,
        json!({
            "success": false, "error": message, "error_info": INFO,
            "data": null, "additional_data": null,
        }),
    )
}

fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "Person not found")
}

pub(super) fn generic(e: Generic<'_>) -> Response {
    match e {
        Generic::Unauthorized => reply(
            StatusCode::UNAUTHORIZED,
            json!({ "success": false, "error": "unauthorized access", "errorCode": 401, "error_info": INFO }),
        ),
        Generic::Status(StatusCode::TOO_MANY_REQUESTS, _) => {
            error(StatusCode::TOO_MANY_REQUESTS, "Request over limit")
        }
        Generic::Status(s, _) => error(s, s.canonical_reason().unwrap_or("Error")),
        Generic::NoRoute => error(StatusCode::NOT_FOUND, "Unknown method ."),
        Generic::BadBody(m) => error(StatusCode::BAD_REQUEST, m),
    }
}

/// A 40-character lowercase hex key, like Pipedrive's custom field hashes.
fn field_hash() -> String {
    let mut h = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    h.truncate(40);
    h
}

fn field(id: i64, key: &str, name: &str, field_type: &str, mandatory: bool) -> Value {
    json!({
        "id": id, "key": key, "name": name, "order_nr": id, "field_type": field_type,
        "add_time": now_pipedrive(), "update_time": now_pipedrive(), "active_flag": true,
        "edit_flag": false, "bulk_edit_allowed": true, "mandatory_flag": mandatory,
    })
}

/// The built-in personFields every account has.
pub(super) fn builtin_fields() -> Vec<Value> {
    let builtins = [
        ("name", "Name", "varchar"),
        ("first_name", "First name", "varchar"),
        ("last_name", "Last name", "varchar"),
        ("email", "Email", "varchar"),
        ("phone", "Phone", "phone"),
        ("org_id", "Organization", "org"),
        ("owner_id", "Owner", "user"),
        ("label", "Label", "enum"),
        ("label_ids", "Labels", "set"),
        ("visible_to", "Visible to", "visible_to"),
        ("marketing_status", "Marketing status", "enum"),
        ("add_time", "Person created", "date"),
        ("update_time", "Update time", "date"),
    ];
    builtins
        .iter()
        .zip(1..)
        .map(|((key, name, kind), id)| field(id, key, name, kind, *key == "name"))
        .collect()
}

/// Completes a seeded custom field: id, 40-hex key, editable, options with ids.
pub(super) fn seed_field(store: &mut Store, mut def: Value) -> Value {
    let id = store.next_int_id();
    if let Some(obj) = def.as_object_mut() {
        obj.entry("id").or_insert(json!(id));
        obj.entry("key").or_insert(json!(field_hash()));
        obj.entry("field_type").or_insert(json!("varchar"));
        obj.entry("active_flag").or_insert(json!(true));
        obj.insert("edit_flag".into(), json!(true));
        obj.entry("mandatory_flag").or_insert(json!(false));
        obj.entry("add_time").or_insert(json!(now_pipedrive()));
        if let Some(Value::Array(opts)) = obj.get("options").cloned() {
            let opts: Vec<Value> = opts
                .into_iter()
                .map(|o| {
                    let label = o
                        .as_str()
                        .map(str::to_string)
                        .or_else(|| o["label"].as_str().map(str::to_string));
                    let oid = o["id"].as_i64().unwrap_or_else(|| store.next_int_id());
                    json!({ "id": oid, "label": label })
                })
                .collect();
            obj.insert("options".into(), json!(opts));
        }
    }
    def
}

fn custom_defs(store: &Store) -> Vec<Value> {
    store
        .fields
        .iter()
        .filter(|f| f["edit_flag"] == json!(true))
        .cloned()
        .collect()
}

/// Writes a validated body into `person`.
fn apply(store: &Store, person: &mut Value, body: &serde_json::Map<String, Value>) {
    for (key, value) in body {
        match key.as_str() {
            "name" => {
                let name = value.as_str().unwrap_or_default().trim().to_string();
                let (first, last) = name.split_once(' ').unwrap_or((&name, ""));
                person["first_name"] = json!(first);
                person["last_name"] = json!(if last.is_empty() {
                    None
                } else {
                    Some(last.trim())
                });
                person["first_char"] =
                    json!(name.chars().next().map(|c| c.to_lowercase().to_string()));
                person["name"] = json!(name);
            }
            "email" | "phone" => {
                let list = contacts(value);
                if key == "email" {
                    person["primary_email"] = list
                        .iter()
                        .find(|c| c["primary"] == json!(true))
                        .map_or(Value::Null, |c| c["value"].clone());
                }
                person[key.as_str()] = json!(list);
            }
            "owner_id" => {
                let id = value.as_i64().unwrap_or(1);
                person["owner_id"] = json!({
                    "id": id, "name": "Carnet Fake", "email": "fake@carnet.invalid",
                    "has_pic": 0, "pic_hash": null, "active_flag": true, "value": id,
                });
            }
            "org_id" => {
                person["org_id"] = match value.as_i64() {
                    Some(id) => {
                        let name = store
                            .companies
                            .iter()
                            .find(|c| c["id"] == json!(id))
                            .map_or(Value::Null, |c| c["name"].clone());
                        person["org_name"] = name.clone();
                        json!({ "name": name, "people_count": 1, "owner_id": 1, "address": null,
                                "active_flag": true, "cc_email": null, "value": id })
                    }
                    None => {
                        person["org_name"] = Value::Null;
                        Value::Null
                    }
                };
            }
            "visible_to" => {
                person["visible_to"] = json!(value.as_i64().map_or_else(
                    || value.as_str().unwrap_or("3").to_string(),
                    |n| n.to_string()
                ));
            }
            _ => person[key.as_str()] = value.clone(),
        }
    }
    person["update_time"] = json!(now_pipedrive());
}

async fn create(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let obj = match json_object(&headers, &body, false) {
        Ok(o) => o,
        Err(e) => return error(StatusCode::BAD_REQUEST, &e.message()),
    };
    let mut store = shared.store();
    let defs = custom_defs(&store);
    if let Err(message) = check_person(&obj, &defs, true) {
        return error(StatusCode::BAD_REQUEST, &message);
    }
    let now = now_pipedrive();
    let mut person = json!({
        "id": store.next_int_id(), "company_id": 1, "owner_id": null, "org_id": null,
        "name": "", "first_name": "", "last_name": null, "active_flag": true, "phone": contacts(&Value::Null), "email": contacts(&Value::Null),
        "primary_email": null, "first_char": null, "update_time": now, "add_time": now,
        "visible_to": "3", "picture_id": null, "next_activity_date": null,
        "next_activity_time": null, "next_activity_id": null, "last_activity_id": null,
        "last_activity_date": null, "last_incoming_mail_time": null,
        "last_outgoing_mail_time": null, "label": null, "label_ids": [], "org_name": null,
        "owner_name": "Carnet Fake", "cc_email": "fake@pipedrivemail.com",
    });
    for key in COUNTERS {
        person[*key] = json!(0);
    }
    for def in &defs {
        if let Some(key) = def["key"].as_str() {
            person[key] = Value::Null;
        }
    }
    apply(
        &store,
        &mut person,
        &json!({ "owner_id": 1 })
            .as_object()
            .cloned()
            .unwrap_or_default(),
    );
    apply(&store, &mut person, &obj);
    store.people.push(person.clone());
    store.counts.creates += 1;
    let owner = person["owner_id"].clone();
    let related = json!({ "user": { owner["id"].to_string(): {
        "id": owner["id"], "name": owner["name"], "email": owner["email"],
        "has_pic": 0, "pic_hash": null, "active_flag": true,
    }}});
    reply(
        StatusCode::CREATED,
        json!({ "success": true, "data": person, "related_objects": related }),
    )
}

fn index_of(store: &Store, id: &str) -> Option<usize> {
    let id: i64 = id.parse().ok()?;
    store.person_index(&json!(id))
}

async fn update(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let obj = match json_object(&headers, &body, false) {
        Ok(o) => o,
        Err(e) => return error(StatusCode::BAD_REQUEST, &e.message()),
    };
    let mut store = shared.store();
    let Some(index) = index_of(&store, &id) else {
        return not_found();
    };
    let defs = custom_defs(&store);
    if let Err(message) = check_person(&obj, &defs, false) {
        return error(StatusCode::BAD_REQUEST, &message);
    }
    let mut person = store.people[index].clone();
    apply(&store, &mut person, &obj);
    store.people[index] = person.clone();
    store.counts.updates += 1;
    reply(StatusCode::OK, json!({ "success": true, "data": person }))
}

async fn get_one(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let store = shared.store();
    match index_of(&store, &id) {
        Some(i) => reply(
            StatusCode::OK,
            json!({ "success": true, "data": store.people[i] }),
        ),
        None => not_found(),
    }
}

type Params = Query<Vec<(String, String)>>;

fn param<'a>(q: &'a [(String, String)], key: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn paging(q: &[(String, String)]) -> Result<(usize, usize), Response> {
    let start = match param(q, "start").map(str::parse::<usize>) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "start must be a non-negative integer",
            ))
        }
    };
    let limit = match param(q, "limit").map(str::parse::<usize>) {
        None => 100,
        Some(Ok(n)) if (1..=500).contains(&n) => n,
        Some(_) => {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "limit must be an integer between 1 and 500",
            ))
        }
    };
    Ok((start, limit))
}

fn pagination(start: usize, limit: usize, total: usize) -> Value {
    let more = start + limit < total;
    let mut p = json!({ "start": start, "limit": limit, "more_items_in_collection": more });
    if more {
        p["next_start"] = json!(start + limit);
    }
    p
}

async fn list(State(shared): State<Arc<Shared>>, Query(q): Params) -> Response {
    let (start, limit) = match paging(&q) {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let store = shared.store();
    let page: Vec<Value> = store
        .people
        .iter()
        .skip(start)
        .take(limit)
        .cloned()
        .collect();
    reply(
        StatusCode::OK,
        json!({
            "success": true,
            "data": if page.is_empty() { Value::Null } else { json!(page) },
            "additional_data": { "pagination": pagination(start, limit, store.people.len()) },
        }),
    )
}

fn values(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c["value"].as_str())
                .filter(|v| !v.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

async fn search(State(shared): State<Arc<Shared>>, Query(q): Params) -> Response {
    let exact = matches!(param(&q, "exact_match"), Some("true" | "1"));
    let term = param(&q, "term").unwrap_or_default().trim().to_string();
    let min = if exact { 1 } else { 2 };
    if term.chars().count() < min {
        return error(
            StatusCode::BAD_REQUEST,
            &format!("term must be at least {min} characters long"),
        );
    }
    let fields: Vec<&str> = match param(&q, "fields") {
        Some(f) => f.split(',').map(str::trim).collect(),
        None => vec!["name", "email", "phone", "notes", "custom_fields"],
    };
    if let Some(bad) = fields
        .iter()
        .find(|f| !["name", "email", "phone", "notes", "custom_fields"].contains(f))
    {
        return error(
            StatusCode::BAD_REQUEST,
            &format!("Invalid field in fields: {bad}"),
        );
    }
    let (start, limit) = match paging(&q) {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let org = param(&q, "organization_id").and_then(|o| o.parse::<i64>().ok());
    let store = shared.store();
    let defs = custom_defs(&store);
    let lc = term.to_lowercase();
    let text_hit = |s: &str| {
        if exact {
            s.to_lowercase() == lc
        } else {
            s.to_lowercase().contains(&lc)
        }
    };
    let digits = phone_key(&term);
    let phone_hit = |s: &str| {
        !digits.is_empty()
            && if exact {
                phone_key(s) == digits
            } else {
                phone_key(s).contains(&digits)
            }
    };
    let hits: Vec<Value> = store
        .people
        .iter()
        .filter(|p| org.is_none_or(|o| p["org_id"]["value"] == json!(o)))
        .filter(|p| {
            fields.iter().any(|f| match *f {
                "name" => p["name"].as_str().is_some_and(text_hit),
                "email" => values(&p["email"]).iter().any(|e| text_hit(e)),
                "phone" => values(&p["phone"]).iter().any(|n| phone_hit(n)),
                "custom_fields" => defs.iter().any(|d| {
                    d["key"].as_str().and_then(|k| p[k].as_str()).is_some_and(text_hit)
                }),
                _ => false,
            })
        })
        .map(|p| {
            json!({
                "result_score": if exact { 1.0 } else { 0.5 },
                "item": {
                    "id": p["id"], "type": "person", "name": p["name"],
                    "phones": values(&p["phone"]), "emails": values(&p["email"]),
                    "visible_to": p["visible_to"].as_str().and_then(|v| v.parse::<i64>().ok()),
                    "owner": { "id": p["owner_id"]["id"] },
                    "organization": p["org_id"]["value"].as_i64().map(|id| json!({ "id": id, "name": p["org_name"], "address": null })),
                    "custom_fields": [], "notes": [], "update_time": p["update_time"],
                }
            })
        })
        .collect();
    let total = hits.len();
    let items: Vec<Value> = hits.into_iter().skip(start).take(limit).collect();
    reply(
        StatusCode::OK,
        json!({
            "success": true,
            "data": { "items": items },
            "additional_data": { "pagination": pagination(start, limit, total) },
        }),
    )
}

async fn list_fields(State(shared): State<Arc<Shared>>) -> Response {
    let store = shared.store();
    let total = store.fields.len();
    reply(
        StatusCode::OK,
        json!({
            "success": true,
            "data": store.fields,
            "additional_data": { "pagination": pagination(0, total.max(1), total) },
        }),
    )
}

async fn create_field(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let obj = match json_object(&headers, &body, false) {
        Ok(o) => o,
        Err(e) => return error(StatusCode::BAD_REQUEST, &e.message()),
    };
    let mut issues = Issues::default();
    check_custom(&obj, &mut issues);
    if !issues.is_empty() {
        return error(StatusCode::BAD_REQUEST, &issues.first_message());
    }
    let mut store = shared.store();
    let def = seed_field(&mut store, Value::Object(obj));
    store.fields.push(def.clone());
    store.counts.field_creates += 1;
    reply(StatusCode::OK, json!({ "success": true, "data": def }))
}
