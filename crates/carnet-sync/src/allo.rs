//! Allo (allo-create-person.txt): `POST /v2/api/crm/people`, `PUT .../people/{id}`,
//! `POST .../people/search` for matching. Raw `Authorization: <key>` header.
//!
//! Mapping: `name` (first name; the full name when only that is known) and/or
//! `last_name` (one is required, or the person is skipped), `numbers` (every phone with
//! an E.164 form; at least one, or the person is skipped; numbers without one are
//! dropped), `emails` (those Allo's validator accepts), `job_title`, `website` (the
//! first absolute URL), `address` (the first). Allo links companies by id only and its
//! API offers no company lookup, so companies are dropped with a reason, as are
//! description, birthday, tags, custom fields and coordinates (Allo has no place for
//! them). Matching: search by each phone number, then each email. A create refused with
//! 409 (a number held by someone else) links that person instead, unless every holder
//! is already linked to another local person: then the create is repeated with
//! `allow_duplicate_number`. Creates carry an `Idempotency-Key`.

use carnet_core::Person;
use reqwest::Method;
use serde_json::{json, Map, Value};

use crate::error::SyncError;
use crate::http::{Http, Retry};
use crate::provider::{
    absolute_url, crm_email_ok, e164, id_of, only_one, phone_digits, Builder, Created, LocalFields,
    Mapped, Provider, ProviderKind,
};

const PEOPLE: &str = "/v2/api/crm/people";
const SEARCH: &str = "/v2/api/crm/people/search";

#[derive(Debug, Default)]
pub struct Allo;

impl Allo {
    pub fn new() -> Self {
        Allo
    }
}

fn e164_ok(s: &str) -> bool {
    s.strip_prefix('+').is_some_and(|d| {
        (2..=15).contains(&d.len()) && d.chars().all(|c| c.is_ascii_digit()) && !d.starts_with('0')
    })
}

impl Provider for Allo {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Allo
    }

    async fn prepare(
        &mut self,
        _http: &Http,
        _people: &[Person],
        _fields: &LocalFields,
        _write: bool,
    ) -> Result<(), SyncError> {
        Ok(())
    }

    fn map(&self, p: &Person, _fields: &LocalFields) -> Mapped {
        let mut b = Builder::default();
        let first = p.first_name.as_deref().filter(|s| !s.trim().is_empty());
        let last = p.last_name.as_deref().filter(|s| !s.trim().is_empty());
        match (first, last) {
            (None, None) if !p.full_name.trim().is_empty() => b.set("name", json!(p.full_name)),
            (None, None) => {
                return Mapped::Skip(
                    "Allo needs a first or last name and this person has none".into(),
                )
            }
            _ => {
                if let Some(f) = first {
                    b.set("name", json!(f));
                }
                if let Some(l) = last {
                    b.set("last_name", json!(l));
                }
            }
        }
        let mut numbers: Vec<String> = Vec::new();
        for (i, ph) in p.phones.iter().enumerate() {
            match e164(ph).filter(|e| e164_ok(e)) {
                Some(e) if numbers.iter().any(|n| n == e) => {
                    b.drop(format!("phones[{i}]"), "the same number is already sent")
                }
                Some(e) => numbers.push(e.to_string()),
                None => b.drop(
                    format!("phones[{i}]"),
                    "Allo takes E.164 numbers and this one has no E.164 form",
                ),
            }
        }
        if numbers.is_empty() {
            return Mapped::Skip(if p.phones.is_empty() {
                "Allo needs a phone number and this person has none".into()
            } else {
                "Allo needs a phone number in E.164 and none of this person's converts".into()
            });
        }
        b.set("numbers", json!(numbers));
        let mut emails = Vec::new();
        for (i, e) in p.emails.iter().enumerate() {
            if crm_email_ok(&e.value) {
                emails.push(json!(e.value));
            } else {
                b.drop(format!("emails[{i}]"), "Allo would refuse this address");
            }
        }
        if !emails.is_empty() {
            b.set("emails", json!(emails));
        }
        if let Some(t) = p.job_title.as_deref().filter(|t| !t.is_empty()) {
            b.set("job_title", json!(t));
        }
        let mut website = false;
        for (i, u) in p.urls.iter().enumerate() {
            if !absolute_url(&u.value) {
                b.drop(format!("urls[{i}]"), "Allo takes absolute URLs only");
            } else if website {
                b.drop(format!("urls[{i}]"), only_one("Allo", "website"));
            } else {
                b.set("website", json!(u.value));
                website = true;
            }
        }
        if let Some(a) = p.addresses.first() {
            b.set("address", json!(a.value));
        }
        for i in 1..p.addresses.len() {
            b.drop(format!("addresses[{i}]"), only_one("Allo", "address"));
        }
        for (i, _) in p.companies.iter().enumerate() {
            b.drop(
                format!("companies[{i}]"),
                "Allo links companies by id and its API has no company lookup",
            );
        }
        if p.description.is_some() {
            b.drop("description", "Allo has no description field");
        }
        if p.birthday.is_some() {
            b.drop("birthday", "Allo has no birthday field");
        }
        if !p.tags.is_empty() {
            b.drop("tags", "Allo has no tags");
        }
        for (key, v) in &p.custom_fields {
            if crate::provider::present(v) {
                b.drop(format!("customFields.{key}"), "Allo has no custom fields");
            }
        }
        if p.latitude.is_some() || p.longitude.is_some() {
            b.drop("latitude", "Allo does not take coordinates");
        }
        b.done()
    }

    fn unset(&self, key: &str) -> Value {
        match key {
            "emails" => json!([]),
            _ => Value::Null,
        }
    }

    async fn find(
        &self,
        http: &Http,
        payload: &Map<String, Value>,
    ) -> Result<Vec<String>, SyncError> {
        let list = |k: &str| -> Vec<String> {
            payload
                .get(k)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut out: Vec<String> = Vec::new();
        let mut searches: Vec<(&str, String)> = Vec::new();
        searches.extend(list("numbers").into_iter().map(|n| ("phone_number", n)));
        searches.extend(list("emails").into_iter().map(|e| ("email", e)));
        for (filter, value) in searches {
            let body = json!({ "filters": { filter: value }, "size": 100 });
            let found = http
                .send(Method::POST, SEARCH, &[], Some(&body), &[], Retry::Safe)
                .await?;
            for p in found["data"].as_array().into_iter().flatten() {
                let hit = if filter == "email" {
                    p["emails"].as_array().is_some_and(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .any(|e| e.eq_ignore_ascii_case(&value))
                    })
                } else {
                    p["numbers"].as_array().is_some_and(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .any(|n| phone_digits(n) == phone_digits(&value))
                    })
                };
                if let Some(id) = id_of(p).filter(|id| hit && !out.contains(id)) {
                    out.push(id);
                }
            }
        }
        Ok(out)
    }

    async fn create(
        &self,
        http: &Http,
        payload: &Map<String, Value>,
        key: &str,
        claimed: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<Created, SyncError> {
        let body = Value::Object(payload.clone());
        let headers = [("Idempotency-Key", key.to_string())];
        let holders = match http
            .send(
                Method::POST,
                PEOPLE,
                &[],
                Some(&body),
                &headers,
                Retry::Create,
            )
            .await
        {
            Ok(v) => {
                return id_of(&v["data"])
                    .map(Created::New)
                    .ok_or_else(|| SyncError::Protocol("create answered without an id".into()))
            }
            Err(SyncError::Conflict { body, message }) => {
                let ids: Vec<String> = body
                    .pointer("/error/existing_person_ids")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                if ids.is_empty() {
                    return Err(SyncError::Conflict { message, body });
                }
                ids
            }
            Err(e) => return Err(e),
        };
        if let Some(id) = holders.iter().find(|id| !claimed(id)) {
            return Ok(Created::Existing(id.clone()));
        }
        // Every holder is another local person: this one shares their number.
        let mut body = body;
        body["allow_duplicate_number"] = json!(true);
        let headers = [("Idempotency-Key", format!("{key}-dup"))];
        let v = http
            .send(
                Method::POST,
                PEOPLE,
                &[],
                Some(&body),
                &headers,
                Retry::Create,
            )
            .await?;
        id_of(&v["data"])
            .map(Created::New)
            .ok_or_else(|| SyncError::Protocol("create answered without an id".into()))
    }

    async fn update(
        &self,
        http: &Http,
        id: &str,
        patch: &Map<String, Value>,
    ) -> Result<(), SyncError> {
        let mut body = Value::Object(patch.clone());
        // The numbers are this person's own: sharing one with another person is allowed
        // locally (and flagged there), so an update must not fail on it.
        if patch.contains_key("numbers") {
            body["allow_duplicate_number"] = json!(true);
        }
        let path = format!("{PEOPLE}/{id}");
        http.send(Method::PUT, &path, &[], Some(&body), &[], Retry::Safe)
            .await
            .map(|_| ())
    }
}
