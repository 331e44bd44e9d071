//! Introzy (introzy-create-person.txt, introzy-people-api.txt): `POST /api/people`,
//! `PATCH /api/people/{id}`, `GET /api/people?search=`, custom-field definitions through
//! `GET|POST /api/people/custom-fields`. Bearer token.
//!
//! Mapping: `email` (required: the first address Introzy's validator accepts) and
//! `firstName` (required, 1..100) or the person is skipped; `lastName` <= 100;
//! one `phoneNumber` (E.164 when known, <= 50), one `address` (<= 500), `companyName`
//! (primary company, <= 200). Introzy has no built-in place for job title, description,
//! birthday or website: they go into custom fields the sync defines
//! (`cf_job_title`, `cf_description`, `cf_birthday`, `cf_website`). Local `cf_` fields
//! keep their keys; missing definitions are created first with the matching type.
//! Dropped with a reason: extra emails/phones/addresses/companies/urls, tags,
//! coordinates, year-less birthdays, record-reference fields, values that do not fit an
//! existing definition. Matching: search by the email (Introzy emails are unique; a 409
//! on create links the existing person).

use std::collections::HashMap;

use carnet_core::Person;
use reqwest::Method;
use serde_json::{json, Map, Value};

use crate::error::SyncError;
use crate::http::{Http, Retry};
use crate::provider::{
    absolute_url, crm_email_ok, custom_values, e164, id_of, iso_date, js_len, only_one, text,
    Builder, Created, LocalFields, Mapped, Provider, ProviderKind,
};

const PEOPLE: &str = "/api/people";
const FIELDS: &str = "/api/people/custom-fields";

/// Built-in person fields Introzy has no place for, and the custom field that holds them.
const EXTRAS: &[(&str, &str, &str, &str)] = &[
    ("jobTitle", "cf_job_title", "Job title", "text"),
    ("description", "cf_description", "Description", "textarea"),
    ("birthday", "cf_birthday", "Birthday", "date"),
    ("urls", "cf_website", "Website", "url"),
];

#[derive(Debug, Default)]
pub struct Introzy {
    /// Remote custom field definitions by key.
    defs: HashMap<String, Value>,
}

impl Introzy {
    pub fn new() -> Self {
        Introzy::default()
    }

    async fn load_defs(&mut self, http: &Http) -> Result<(), SyncError> {
        let body = http.get(FIELDS, &[]).await?;
        let list = body["data"].as_array().cloned().unwrap_or_default();
        self.defs = list
            .into_iter()
            .filter_map(|d| Some((d["key"].as_str()?.to_string(), d)))
            .collect();
        Ok(())
    }
}

/// Introzy's field type for a local type; `None` when it has none.
fn remote_type(local: &str) -> Option<&'static str> {
    Some(match local {
        "text" => "text",
        "long_text" => "textarea",
        "number" => "number",
        "date" => "date",
        "boolean" => "boolean",
        "url" => "url",
        "email" => "email",
        "phone" => "phone",
        "single_select" => "select",
        "multi_select" => "multiselect",
        _ => return None,
    })
}

fn key_ok(k: &str) -> bool {
    k.strip_prefix("cf_").is_some_and(|b| {
        !b.is_empty()
            && b.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    })
}

/// Converts a value to what an Introzy definition accepts, or says why it cannot.
fn fit(def: &Value, value: &Value) -> Result<Value, String> {
    let kind = def["fieldType"].as_str().unwrap_or("text");
    let options: Vec<&str> = def["options"]
        .as_array()
        .map(|o| o.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let s = value.as_str();
    let ok = match kind {
        "number" => {
            if let Some(n) = s.and_then(|s| s.trim().parse::<f64>().ok()) {
                return Ok(json!(n));
            }
            value.is_number()
        }
        "boolean" => value.is_boolean(),
        "date" => s.is_some_and(iso_date),
        "select" => s.is_some_and(|t| options.contains(&t)),
        "multiselect" => value.as_array().is_some_and(|a| {
            a.iter()
                .all(|v| v.as_str().is_some_and(|t| options.contains(&t)))
        }),
        "url" => s.is_some_and(absolute_url),
        "email" => s.is_some_and(crm_email_ok),
        _ => {
            return match value {
                Value::String(_) => Ok(value.clone()),
                Value::Number(_) | Value::Bool(_) => Ok(json!(value.to_string())),
                _ => Err(format!("Introzy's {kind} field takes text")),
            }
        }
    };
    if ok {
        Ok(value.clone())
    } else {
        Err(format!("does not fit Introzy's {kind} field"))
    }
}

impl Provider for Introzy {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Introzy
    }

    async fn prepare(
        &mut self,
        http: &Http,
        people: &[Person],
        fields: &LocalFields,
        write: bool,
    ) -> Result<(), SyncError> {
        self.load_defs(http).await?;
        if !write {
            return Ok(());
        }
        // Definitions the people need: the extras used, then local cf_ fields used.
        let mut wanted: Vec<(String, String, String, Vec<String>)> = Vec::new();
        for (field, key, label, kind) in EXTRAS {
            let used = people.iter().any(|p| match *field {
                "jobTitle" => p.job_title.is_some(),
                "description" => p.description.is_some(),
                "birthday" => p.birthday.as_deref().is_some_and(iso_date),
                _ => !p.urls.is_empty(),
            });
            if used {
                wanted.push((key.to_string(), label.to_string(), kind.to_string(), vec![]));
            }
        }
        let mut used_keys: Vec<&String> = people
            .iter()
            .flat_map(|p| custom_values(p).into_iter().map(|(k, _)| k))
            .collect();
        used_keys.sort();
        used_keys.dedup();
        for key in used_keys {
            let Some(def) = fields.get(key.as_str()) else {
                continue;
            };
            if let Some(kind) = remote_type(&def.kind) {
                wanted.push((
                    key.clone(),
                    def.label.clone(),
                    kind.into(),
                    def.options.clone(),
                ));
            }
        }
        for (key, label, kind, options) in wanted {
            if self.defs.contains_key(&key) || !key_ok(&key) {
                continue;
            }
            if kind.contains("select") && options.is_empty() {
                continue;
            }
            let mut body = json!({ "name": label, "fieldType": kind, "key": key });
            if kind.contains("select") {
                body["options"] = json!(options);
            }
            let sent = http
                .send(Method::POST, FIELDS, &[], Some(&body), &[], Retry::Safe)
                .await;
            match sent {
                Ok(v) => {
                    self.defs.insert(key, v["data"].clone());
                }
                // Defined meanwhile (or by an earlier, unanswered attempt): reload.
                Err(SyncError::Conflict { .. }) => self.load_defs(http).await?,
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn map(&self, p: &Person, fields: &LocalFields) -> Mapped {
        let mut b = Builder::default();
        let name = "Introzy";
        let Some(email_at) = p.emails.iter().position(|e| crm_email_ok(&e.value)) else {
            return Mapped::Skip(if p.emails.is_empty() {
                "Introzy needs an email address and this person has none".into()
            } else {
                "Introzy needs an email address and none of this person's passes its check".into()
            });
        };
        let Some(first) = p.first_name.as_deref().filter(|s| !s.trim().is_empty()) else {
            return Mapped::Skip("Introzy needs a first name and this person has none".into());
        };
        if js_len(first) > 100 {
            return Mapped::Skip("the first name is longer than Introzy's 100 characters".into());
        }
        b.set("email", json!(p.emails[email_at].value));
        for (i, e) in p.emails.iter().enumerate().filter(|(i, _)| *i != email_at) {
            let why = if crm_email_ok(&e.value) {
                only_one(name, "email")
            } else {
                "Introzy would refuse this address".into()
            };
            b.drop(format!("emails[{i}]"), why);
        }
        b.set("firstName", json!(first));
        if let Some(last) = p.last_name.as_deref().filter(|s| !s.is_empty()) {
            if js_len(last) <= 100 {
                b.set("lastName", json!(last));
            } else {
                b.drop("lastName", "longer than Introzy's 100 characters");
            }
        }
        if let Some(ph) = p.phones.first() {
            let v = e164(ph).unwrap_or(&ph.value);
            if js_len(v) <= 50 {
                b.set("phoneNumber", json!(v));
            } else {
                b.drop("phones[0]", "longer than Introzy's 50 characters");
            }
        }
        for i in 1..p.phones.len() {
            b.drop(format!("phones[{i}]"), only_one(name, "phone number"));
        }
        if let Some(a) = p.addresses.first() {
            if js_len(&a.value) <= 500 {
                b.set("address", json!(a.value));
            } else {
                b.drop("addresses[0]", "longer than Introzy's 500 characters");
            }
        }
        for i in 1..p.addresses.len() {
            b.drop(format!("addresses[{i}]"), only_one(name, "address"));
        }
        if let Some(c) = p.company.as_deref().filter(|c| !c.is_empty()) {
            if js_len(c) <= 200 {
                b.set("companyName", json!(c));
            } else {
                b.drop("companies[0]", "longer than Introzy's 200 characters");
            }
        }
        for i in 1..p.companies.len() {
            b.drop(format!("companies[{i}]"), only_one(name, "company"));
        }
        let mut custom = Map::new();
        let mut put =
            |b: &mut Builder, field: String, key: &str, value: &Value| match self.defs.get(key) {
                None => b.drop(field, format!("Introzy has no custom field {key}")),
                Some(def) => match fit(def, value) {
                    Ok(v) => {
                        custom.insert(key.to_string(), v);
                    }
                    Err(why) => b.drop(field, why),
                },
            };
        for (field, key, _, _) in EXTRAS {
            let value = match *field {
                "jobTitle" => p.job_title.as_deref(),
                "description" => p.description.as_deref(),
                "birthday" => match p.birthday.as_deref() {
                    Some(d) if !iso_date(d) => {
                        b.drop("birthday", "Introzy dates need a year");
                        None
                    }
                    d => d,
                },
                _ => p.urls.first().map(|u| u.value.as_str()),
            };
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                if p.custom_fields.contains_key(*key) {
                    b.drop(*field, format!("a local field already uses {key}"));
                } else {
                    put(&mut b, field.to_string(), key, &json!(v));
                }
            }
        }
        for i in 1..p.urls.len() {
            b.drop(format!("urls[{i}]"), only_one(name, "website"));
        }
        for (key, value) in custom_values(p) {
            let field = format!("customFields.{key}");
            match fields.get(key.as_str()).map(|d| d.kind.as_str()) {
                Some("person_ref" | "company_ref") => {
                    b.drop(field, "Introzy custom fields cannot reference records")
                }
                _ if !key_ok(key) => b.drop(field, "not a valid Introzy custom field key"),
                _ => put(&mut b, field, key, value),
            }
        }
        for def in self.defs.values().filter(|d| d["required"] == json!(true)) {
            let key = text(def, "key");
            if !custom.contains_key(key) {
                return Mapped::Skip(format!("Introzy requires the custom field {key}"));
            }
        }
        if !custom.is_empty() {
            b.set("customFields", Value::Object(custom));
        }
        if !p.tags.is_empty() {
            b.drop("tags", "Introzy has no tags");
        }
        if p.latitude.is_some() || p.longitude.is_some() {
            b.drop("latitude", "Introzy does not take coordinates");
        }
        b.done()
    }

    fn merged_keys(&self) -> &'static [&'static str] {
        &["customFields"]
    }

    async fn find(
        &self,
        http: &Http,
        payload: &Map<String, Value>,
    ) -> Result<Vec<String>, SyncError> {
        let Some(email) = payload.get("email").and_then(Value::as_str) else {
            return Ok(Vec::new());
        };
        let query = [("search", email.to_string()), ("limit", "100".to_string())];
        let body = http.get(PEOPLE, &query).await?;
        Ok(body["data"]["people"]
            .as_array()
            .map(|list| {
                list.iter()
                    .filter(|p| text(p, "email").eq_ignore_ascii_case(email))
                    .filter_map(id_of)
                    .collect()
            })
            .unwrap_or_default())
    }

    async fn create(
        &self,
        http: &Http,
        payload: &Map<String, Value>,
        _key: &str,
        _claimed: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<Created, SyncError> {
        let body = Value::Object(payload.clone());
        match http
            .send(Method::POST, PEOPLE, &[], Some(&body), &[], Retry::Create)
            .await
        {
            Ok(v) => id_of(&v["data"])
                .map(Created::New)
                .ok_or_else(|| SyncError::Protocol("create answered without an id".into())),
            Err(SyncError::Conflict { message, body }) => {
                match self.find(http, payload).await?.into_iter().next() {
                    Some(id) => Ok(Created::Existing(id)),
                    None => Err(SyncError::Conflict { message, body }),
                }
            }
            Err(e) => Err(e),
        }
    }

    async fn update(
        &self,
        http: &Http,
        id: &str,
        patch: &Map<String, Value>,
    ) -> Result<(), SyncError> {
        let mut patch = patch.clone();
        // Unlinking a company is `companyId: null`; `companyName: null` alone keeps it.
        if patch.get("companyName") == Some(&Value::Null) {
            patch.remove("companyName");
            patch.insert("companyId".into(), Value::Null);
        }
        let path = format!("{PEOPLE}/{id}");
        http.send(
            Method::PATCH,
            &path,
            &[],
            Some(&Value::Object(patch)),
            &[],
            Retry::Safe,
        )
        .await
        .map(|_| ())
    }
}
