//! folk's people listing: `GET /v1/people` with folk's cursor pagination and
//! `filter[attr][op]=value` conditions (see the assumptions in `folk`).

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use super::folk::invalid;
use super::reply;
use crate::state::Shared;
use crate::validate::{phone_key, Issues};

/// One `filter[attr][op]=value` condition.
struct Condition {
    attr: String,
    op: String,
    value: String,
}

const FILTER_ATTRS: &[&str] = &[
    "firstName",
    "lastName",
    "fullName",
    "jobTitle",
    "description",
    "emails",
    "phones",
    "urls",
    "addresses",
    "groups",
    "companies",
];
const FILTER_OPS: &[&str] = &[
    "eq",
    "not_eq",
    "like",
    "not_like",
    "in",
    "not_in",
    "empty",
    "not_empty",
];

/// The strings an attribute holds for matching (ids and names for groups/companies).
fn values_of(person: &Value, attr: &str) -> Vec<String> {
    match &person[attr] {
        Value::String(s) if s.is_empty() => Vec::new(),
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .flat_map(|item| match item {
                Value::String(s) => vec![s.clone()],
                other => ["id", "name"]
                    .iter()
                    .filter_map(|k| other[*k].as_str().map(str::to_string))
                    .collect(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn matches(person: &Value, c: &Condition) -> bool {
    let norm = |s: &str| {
        if c.attr == "phones" {
            phone_key(s)
        } else {
            s.to_lowercase()
        }
    };
    let have: Vec<String> = values_of(person, &c.attr).iter().map(|s| norm(s)).collect();
    let wanted: Vec<String> = if c.op.ends_with("in") {
        c.value.split(',').map(|s| norm(s.trim())).collect()
    } else {
        vec![norm(&c.value)]
    };
    let eq = have.iter().any(|h| wanted.contains(h));
    let like = have
        .iter()
        .any(|h| wanted.iter().any(|w| h.contains(w.as_str())));
    match c.op.as_str() {
        "eq" | "in" => eq,
        "not_eq" | "not_in" => !eq,
        "like" => like,
        "not_like" => !like,
        "empty" => have.is_empty(),
        _ => !have.is_empty(),
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub(super) async fn list(
    State(shared): State<Arc<Shared>>,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let mut issues = Issues::default();
    let mut limit = 20;
    let mut offset = 0;
    let mut any = false;
    let mut conditions = Vec::new();
    for (key, value) in &q {
        match key.as_str() {
            "limit" => match value.parse::<usize>() {
                Ok(n) if (1..=100).contains(&n) => limit = n,
                _ => issues.push("limit", "Must be an integer between 1 and 100"),
            },
            "cursor" => match usize::from_str_radix(value.trim_start_matches("c_"), 16) {
                Ok(n) if value.starts_with("c_") => offset = n,
                _ => issues.push("cursor", "Invalid cursor"),
            },
            "combinator" => match value.as_str() {
                "and" => any = false,
                "or" => any = true,
                _ => issues.push("combinator", "Expected and or or"),
            },
            k if k.starts_with("filter[") => {
                let inner = k.trim_start_matches("filter[").trim_end_matches(']');
                match inner.split_once("][") {
                    Some((attr, op))
                        if FILTER_ATTRS.contains(&attr) && FILTER_OPS.contains(&op) =>
                    {
                        conditions.push(Condition {
                            attr: attr.into(),
                            op: op.into(),
                            value: value.clone(),
                        })
                    }
                    _ => issues.push(k, "Unknown filter attribute or operator"),
                }
            }
            // Assumption: other query parameters are ignored, as most APIs do.
            _ => {}
        }
    }
    if !issues.is_empty() {
        return invalid(&issues);
    }
    let store = shared.store();
    let hits: Vec<&Value> = store
        .people
        .iter()
        .filter(|p| {
            conditions.is_empty()
                || if any {
                    conditions.iter().any(|c| matches(p, c))
                } else {
                    conditions.iter().all(|c| matches(p, c))
                }
        })
        .collect();
    let items: Vec<Value> = hits
        .iter()
        .skip(offset)
        .take(limit)
        .map(|p| (*p).clone())
        .collect();
    let next = (offset + limit < hits.len()).then(|| {
        let mut query: Vec<String> = q
            .iter()
            .filter(|(k, _)| k != "cursor")
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        query.push(format!("cursor=c_{:x}", offset + limit));
        format!("{}/v1/people?{}", shared.base_url(), query.join("&"))
    });
    reply(
        StatusCode::OK,
        json!({ "data": { "items": items, "pagination": { "nextLink": next } } }),
    )
}
