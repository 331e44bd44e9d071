//! Introzy's enrichment, for people linked to an Introzy account.
//!
//! `POST {base}/api/people/{remoteId}/enrich` starts Introzy's asynchronous job (the
//! answer is `{jobId, personId, personName, personEmail}`), then `GET
//! {base}/api/people/{remoteId}` reads the profile Introzy holds and proposes its values
//! (`firstName`, `lastName`, `phoneNumber`, `companyName`, `address`, `email`). Introzy
//! fills the profile in the background, so values it finds later arrive on a later run
//! (or through sync). A person with no email on Introzy gets the documented 400 "Person
//! email is required for enrichment", reported as a job note. The link (remote id, base
//! URL, token) comes from the [`crate::IntrozyLinks`] hook the sync crate implements.

use std::sync::Arc;

use reqwest::Method;
use serde_json::{json, Value};

use crate::enricher::{EnrichError, EnrichFuture, EnrichInput, Enricher, Proposal};
use crate::remote::{Http, RemoteError};

pub const SOURCE: &str = "remote:introzy";

/// Introzy profile keys and the proposal field each maps to.
const FIELDS: &[(&str, &str)] = &[
    ("firstName", "firstName"),
    ("lastName", "lastName"),
    ("companyName", "company"),
    ("phoneNumber", "phones"),
    ("address", "addresses"),
    ("email", "emails"),
];

/// The Introzy enricher.
pub struct Introzy {
    http: Arc<Http>,
}

impl Introzy {
    pub fn new(http: Arc<Http>) -> Introzy {
        Introzy { http }
    }
}

impl Enricher for Introzy {
    fn source(&self) -> &'static str {
        SOURCE
    }

    fn enrich<'a>(&'a self, input: &'a EnrichInput) -> EnrichFuture<'a> {
        Box::pin(async move {
            let Some(link) = &input.introzy else {
                return Err(EnrichError::Skipped);
            };
            let base = link.base_url.trim_end_matches('/');
            let id = percent_path(&link.remote_id);
            let started = self
                .http
                .json(
                    Method::POST,
                    &format!("{base}/api/people/{id}/enrich"),
                    Some(&link.token),
                    None,
                )
                .await
                .map_err(EnrichError::Remote)?;
            let job_id = started
                .pointer("/data/jobId")
                .and_then(Value::as_str)
                .map(str::to_string);
            let url = format!("{base}/api/people/{id}");
            let profile = self
                .http
                .json(Method::GET, &url, Some(&link.token), None)
                .await
                .map_err(EnrichError::Remote)?;
            let data = profile.get("data").ok_or_else(|| {
                EnrichError::Remote(RemoteError::Decode {
                    url: crate::remote::safe_url(&url),
                    message: "no `data` in the answer".into(),
                })
            })?;
            let mut out = proposals(data, job_id.as_deref());
            if let Some(j) = job_id {
                out.push(
                    Proposal::fact("introzy.jobId", j, 1.0)
                        .with_detail(json!({ "remoteId": link.remote_id })),
                );
            }
            Ok(out)
        })
    }
}

/// Proposals from an Introzy person (`data` of `GET /api/people/{id}`).
pub fn proposals(data: &Value, job_id: Option<&str>) -> Vec<Proposal> {
    let detail = json!({ "introzyJobId": job_id });
    FIELDS
        .iter()
        .filter_map(|(key, field)| {
            let v = data.get(*key)?.as_str()?.trim();
            (!v.is_empty()).then(|| Proposal::value(field, v, 0.8).with_detail(detail.clone()))
        })
        .collect()
}

/// Keep a remote id to URL-path-safe characters (ids are UUIDs; anything else is encoded).
fn percent_path(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_introzy_fields() {
        let p = proposals(
            &json!({"email": "j@acme.com", "firstName": "Jane", "lastName": "", "companyName": "Acme", "phoneNumber": "+1 415 555 0101"}),
            Some("job_1"),
        );
        let fields: Vec<_> = p.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(fields, ["firstName", "company", "phones", "emails"]);
        assert_eq!(percent_path("a/b c"), "a%2Fb%20c");
    }
}
