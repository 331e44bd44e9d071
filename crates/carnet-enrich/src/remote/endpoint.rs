//! The user's HTTP enrichment endpoint, so any enrichment service can plug in.
//!
//! Contract (Carnet's own; documented in the crate README section of `lib.rs`):
//! `POST <url>` with the person's JSON (the camelCase read shape) and
//! `Authorization: Bearer <token>` when a token is configured. The answer is a JSON object
//! of fields, either at the top level or under `"fields"`; each value is plain
//! (`"jobTitle": "CTO"`) or `{"value": ..., "confidence": 0.9}`; a top-level
//! `"confidence"` sets the default (0.6 otherwise). Known fields: `firstName`,
//! `lastName`, `jobTitle`, `description`, `birthday`, `company`, `companyWebsite`,
//! `companyDomain`, and the lists `emails`, `phones`, `urls`, `addresses` (a string or a
//! list of strings, appended when absent). Unknown keys are ignored. `204` or `{}` means
//! nothing found.

use std::sync::Arc;

use reqwest::Method;
use serde_json::{json, Value};

use crate::enricher::{EnrichError, EnrichFuture, EnrichInput, Enricher, Proposal};
use crate::remote::Http;

pub const SOURCE: &str = "remote:endpoint";

/// Scalar fields the endpoint may return, and the proposal field each maps to.
const SCALARS: &[(&str, &str)] = &[
    ("firstName", "firstName"),
    ("lastName", "lastName"),
    ("jobTitle", "jobTitle"),
    ("title", "jobTitle"),
    ("description", "description"),
    ("birthday", "birthday"),
    ("company", "company"),
    ("companyName", "company"),
    ("companyWebsite", "company.website"),
    ("companyDomain", "company.domain"),
];
const LISTS: &[&str] = &["emails", "phones", "urls", "addresses"];

/// The custom-endpoint enricher.
pub struct Endpoint {
    http: Arc<Http>,
}

impl Endpoint {
    pub fn new(http: Arc<Http>) -> Endpoint {
        Endpoint { http }
    }
}

impl Enricher for Endpoint {
    fn source(&self) -> &'static str {
        SOURCE
    }

    fn enrich<'a>(&'a self, input: &'a EnrichInput) -> EnrichFuture<'a> {
        Box::pin(async move {
            let Some(target) = &input.endpoint else {
                return Err(EnrichError::Skipped);
            };
            let mut body = serde_json::to_value(&input.person).unwrap_or(Value::Null);
            if let Some(o) = body.as_object_mut() {
                o.remove("warnings");
            }
            let answer = self
                .http
                .json(
                    Method::POST,
                    &target.url,
                    target.token.as_ref(),
                    Some(&body),
                )
                .await
                .map_err(EnrichError::Remote)?;
            Ok(parse_answer(&answer))
        })
    }
}

/// Proposals from an endpoint's answer.
pub fn parse_answer(answer: &Value) -> Vec<Proposal> {
    let Some(top) = answer.as_object() else {
        return vec![];
    };
    let default_conf = top
        .get("confidence")
        .and_then(Value::as_f64)
        .unwrap_or(0.6)
        .clamp(0.0, 1.0);
    let fields = top.get("fields").and_then(Value::as_object).unwrap_or(top);
    let mut out = Vec::new();
    for (key, raw) in fields {
        let (value, conf) = match raw {
            Value::Object(o) if o.contains_key("value") => (
                o.get("value").cloned().unwrap_or(Value::Null),
                o.get("confidence")
                    .and_then(Value::as_f64)
                    .unwrap_or(default_conf)
                    .clamp(0.0, 1.0),
            ),
            v => (v.clone(), default_conf),
        };
        let detail = json!({ "key": key });
        if let Some((_, field)) = SCALARS.iter().find(|(k, _)| k == key) {
            if let Some(s) = value.as_str().map(str::trim).filter(|s| !s.is_empty()) {
                out.push(Proposal::value(field, s, conf).with_detail(detail));
            }
        } else if LISTS.contains(&key.as_str()) {
            let items: Vec<Value> = match value {
                Value::Array(a) => a,
                v => vec![v],
            };
            for it in items {
                if let Some(s) = it.as_str().map(str::trim).filter(|s| !s.is_empty()) {
                    out.push(Proposal::value(key, s, conf).with_detail(detail.clone()));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_in_both_shapes() {
        let p = parse_answer(&json!({
            "confidence": 0.9,
            "fields": {
                "jobTitle": "CTO",
                "company": {"value": "Acme", "confidence": 0.4},
                "urls": ["https://x.example", ""],
                "shoeSize": 44
            }
        }));
        assert_eq!(p.len(), 3);
        assert_eq!((p[0].field.as_str(), p[0].confidence), ("jobTitle", 0.9));
        assert_eq!((p[1].field.as_str(), p[1].confidence), ("company", 0.4));
        assert_eq!(p[2].field, "urls");
        let flat = parse_answer(&json!({"title": "CEO", "companyWebsite": "https://a.example"}));
        assert_eq!(flat[0].field, "jobTitle");
        assert_eq!(flat[1].field, "company.website");
        assert!(parse_answer(&Value::Null).is_empty());
    }
}
