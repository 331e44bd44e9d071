//! Dispatch to the four provider imitations, and what they share: the generic errors
//! the pipeline raises (401, 429, 5xx, unknown route) rendered in each CRM's own error
//! shape, token extraction, id formats and seeding.
//!
//! Each provider module owns its routes, validation rules and record shapes, and cites
//! the document it follows (`/work/shared/crm-apis/`). Where a document is silent the
//! module says what it assumed, in a comment starting with "Assumption".

// Validation helpers return the finished error `Response` as their `Err` so handlers
// can `return` it at once; it is built once per failed request, so its size is moot.
#![allow(clippy::result_large_err)]

pub(crate) mod allo;
pub(crate) mod folk;
mod folk_fields;
mod folk_list;
pub(crate) mod introzy;
mod introzy_fields;
pub(crate) mod pipedrive;
mod pipedrive_rules;

use std::sync::Arc;

use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::state::{Seed, Shared};
use crate::validate::{now_iso_ms, now_naive, now_pipedrive, short_id, uuid};
use crate::Provider;

/// Errors raised outside the provider handlers, rendered per provider.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Generic<'a> {
    Unauthorized,
    /// An injected or rate-limit status, with the Retry-After seconds if any.
    Status(StatusCode, Option<u64>),
    NoRoute,
    BadBody(&'a str),
}

pub(crate) fn router(provider: Provider) -> Router<Arc<Shared>> {
    match provider {
        Provider::Introzy => introzy::routes(),
        Provider::Folk => folk::routes(),
        Provider::Allo => allo::routes(),
        Provider::Pipedrive => pipedrive::routes(),
    }
}

/// The token the request presents, in the scheme the provider's document uses.
pub(crate) fn presented_token(provider: Provider, parts: &Parts) -> Option<String> {
    match provider {
        Provider::Introzy | Provider::Folk => bearer(parts),
        Provider::Allo => allo::token(parts),
        Provider::Pipedrive => pipedrive::token(parts),
    }
}

pub(crate) fn generic(provider: Provider, error: Generic<'_>) -> Response {
    match provider {
        Provider::Introzy => introzy::generic(error),
        Provider::Folk => folk::generic(error),
        Provider::Allo => allo::generic(error),
        Provider::Pipedrive => pipedrive::generic(error),
    }
}

/// The text of a record's id (`"per_..."`, or `"12"` for Pipedrive's integers).
pub(crate) fn id_text(record: &Value) -> Option<String> {
    match record.get("id")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(crate) fn reply(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

/// `Authorization: Bearer <token>` (scheme case-insensitive, as RFC 6750 allows).
pub(crate) fn bearer(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// Applies a seed: stores records as given, filling ids (and Pipedrive built-ins).
/// Returns the ids of what was added: people, companies, fields, groups.
pub(crate) fn seed(shared: &Shared, seed: Seed) -> Vec<String> {
    let provider = shared.provider;
    let mut store = shared.store();
    if provider == Provider::Pipedrive && store.fields.is_empty() {
        store.fields = pipedrive::builtin_fields();
        store.next_int = store.next_int.max(100);
    }
    let mut ids = Vec::new();
    for mut person in seed.people {
        let id = match provider {
            Provider::Introzy => json!(uuid()),
            Provider::Folk => json!(format!("per_{}", uuid())),
            Provider::Allo => json!(format!("per-{}", short_id(12))),
            Provider::Pipedrive => json!(store.next_int_id()),
        };
        if let Some(obj) = person.as_object_mut() {
            obj.entry("id").or_insert(id);
            let now = match provider {
                Provider::Introzy => ("createdAt", now_iso_ms()),
                Provider::Folk => ("createdAt", now_iso_ms()),
                Provider::Allo => ("created_at", now_naive()),
                Provider::Pipedrive => ("add_time", now_pipedrive()),
            };
            obj.entry(now.0).or_insert(json!(now.1));
        }
        ids.extend(id_text(&person));
        store.people.push(person);
    }
    for mut company in seed.companies {
        let id = match provider {
            Provider::Introzy => json!(uuid()),
            Provider::Folk => json!(format!("com_{}", uuid())),
            Provider::Allo => json!(format!("com-{}", short_id(12))),
            Provider::Pipedrive => json!(store.next_int_id()),
        };
        if let Some(obj) = company.as_object_mut() {
            obj.entry("id").or_insert(id);
            if provider == Provider::Introzy {
                obj.entry("industry").or_insert(Value::Null);
                obj.entry("website").or_insert(Value::Null);
                obj.entry("customFields").or_insert(json!({}));
            }
        }
        ids.extend(id_text(&company));
        store.companies.push(company);
    }
    for field in seed.custom_fields {
        let field = match provider {
            Provider::Pipedrive => pipedrive::seed_field(&mut store, field),
            _ => introzy_fields::seed_field(field),
        };
        ids.extend(field.get("key").and_then(Value::as_str).map(str::to_string));
        store.fields.push(field);
    }
    for mut group in seed.groups {
        if let Some(obj) = group.as_object_mut() {
            obj.entry("id").or_insert(json!(format!("grp_{}", uuid())));
            obj.entry("customFields").or_insert(json!([]));
        }
        ids.extend(id_text(&group));
        store.groups.push(group);
    }
    ids
}
