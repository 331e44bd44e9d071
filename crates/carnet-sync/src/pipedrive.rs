//! Pipedrive (pipedrive-add-person.txt, API v1): `POST /persons`, `PUT /persons/{id}`,
//! `GET /persons/search` for matching, `GET|POST /personFields` for custom fields. The
//! token goes in the `x-api-token` header (never `?api_token=`, which would leak into
//! URLs and so into error messages).
//!
//! Mapping: `name` (the full name; required, or the person is skipped), `email` and
//! `phone` as arrays of `{value, primary, label}` (first primary; labels work, home,
//! other, plus mobile for phones; E.164 numbers when known). Pipedrive has no built-in
//! place for job title, company (organisations are not synced), description, birthday,
//! website or address: each goes into a custom field the sync defines by name ("Job
//! title", "Company", ...). Local custom fields map by label to personFields (created
//! when missing: text -> varchar, long text -> text, number -> double, date,
//! selects -> enum/set with option ids, booleans -> enum Yes/No); the account setting
//! `fieldMap` (`{carnetKey: hash}`) overrides the match. Dropped with a reason: varchar
//! values over 255 characters, year-less birthdays, reference fields, tags,
//! coordinates, extra companies/urls/addresses.

use std::collections::HashMap;

use carnet_core::Person;
use reqwest::Method;
use serde_json::{json, Map, Value};

use crate::error::SyncError;
use crate::http::{Http, Retry};
use crate::provider::{
    custom_values, e164, id_of, iso_date, js_len, only_one, text, Builder, Created, LocalFields,
    Mapped, Provider, ProviderKind,
};

/// Built-in person fields without a place in Pipedrive: (carnet field, field name, type).
const EXTRAS: &[(&str, &str, &str)] = &[
    ("jobTitle", "Job title", "varchar"),
    ("companies", "Company", "varchar"),
    ("description", "Description", "text"),
    ("birthday", "Birthday", "date"),
    ("urls", "Website", "varchar"),
    ("addresses", "Address", "address"),
];

/// One personField: hash key, type, option ids by label.
#[derive(Debug, Clone)]
struct Def {
    key: String,
    kind: String,
    options: Vec<(i64, String)>,
}

#[derive(Debug, Default)]
pub struct Pipedrive {
    /// Editable personFields by lower-case name.
    by_name: HashMap<String, Def>,
    /// Editable personFields by hash key.
    by_key: HashMap<String, Def>,
    /// Overrides from the account settings: carnet key -> hash.
    field_map: HashMap<String, String>,
}

impl Pipedrive {
    pub fn new(settings: &Value) -> Self {
        let field_map = settings["fieldMap"]
            .as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        Pipedrive {
            field_map,
            ..Pipedrive::default()
        }
    }

    async fn load(&mut self, http: &Http) -> Result<(), SyncError> {
        let body = http.get("/personFields", &[]).await?;
        self.by_name.clear();
        self.by_key.clear();
        for f in body["data"].as_array().into_iter().flatten() {
            if f["edit_flag"] != json!(true) {
                continue;
            }
            let def = Def {
                key: text(f, "key").to_string(),
                kind: text(f, "field_type").to_string(),
                options: f["options"]
                    .as_array()
                    .map(|o| {
                        o.iter()
                            .filter_map(|o| Some((o["id"].as_i64()?, text(o, "label").to_string())))
                            .collect()
                    })
                    .unwrap_or_default(),
            };
            self.by_name
                .insert(text(f, "name").to_lowercase(), def.clone());
            self.by_key.insert(def.key.clone(), def);
        }
        Ok(())
    }

    /// The personField for a carnet field (`jobTitle`, `cf_x`) named `name`.
    fn def(&self, carnet_key: &str, name: &str) -> Option<&Def> {
        match self.field_map.get(carnet_key) {
            Some(hash) => self.by_key.get(hash),
            None => self.by_name.get(&name.to_lowercase()),
        }
    }
}

/// Pipedrive's field type and options for a local field type.
fn remote_type(kind: &str, options: &[String]) -> Option<(&'static str, Vec<String>)> {
    Some(match kind {
        "text" | "url" | "email" => ("varchar", vec![]),
        "phone" => ("phone", vec![]),
        "long_text" => ("text", vec![]),
        "number" => ("double", vec![]),
        "date" => ("date", vec![]),
        "boolean" => ("enum", vec!["Yes".into(), "No".into()]),
        "single_select" if !options.is_empty() => ("enum", options.to_vec()),
        "multi_select" if !options.is_empty() => ("set", options.to_vec()),
        _ => return None,
    })
}

/// Converts a value for a personField, or says why it cannot.
fn fit(def: &Def, value: &Value) -> Result<Value, String> {
    let option = |label: &str| {
        def.options
            .iter()
            .find(|(_, l)| l.eq_ignore_ascii_case(label))
            .map(|(id, _)| *id)
    };
    match def.kind.as_str() {
        "varchar" | "varchar_auto" | "phone" | "address" => {
            let s = match value {
                Value::String(s) => s.clone(),
                Value::Number(_) | Value::Bool(_) => value.to_string(),
                _ => return Err("Pipedrive's text field takes text".into()),
            };
            if s.chars().count() > 255 {
                return Err("longer than Pipedrive's 255 characters".into());
            }
            Ok(json!(s))
        }
        "text" => match value {
            Value::String(_) => Ok(value.clone()),
            Value::Number(_) | Value::Bool(_) => Ok(json!(value.to_string())),
            _ => Err("Pipedrive's text field takes text".into()),
        },
        "double" | "monetary" => match value {
            Value::Number(_) => Ok(value.clone()),
            Value::String(s) if s.trim().parse::<f64>().is_ok() => Ok(value.clone()),
            _ => Err("Pipedrive's number field takes a number".into()),
        },
        "date" => match value.as_str() {
            Some(s) if iso_date(s) => Ok(value.clone()),
            _ => Err("Pipedrive dates are YYYY-MM-DD".into()),
        },
        "enum" => {
            let label = match value {
                Value::Bool(true) => "Yes".to_string(),
                Value::Bool(false) => "No".to_string(),
                Value::String(s) => s.clone(),
                _ => return Err("Pipedrive's single option field takes one option".into()),
            };
            option(&label)
                .map(|id| json!(id))
                .ok_or_else(|| format!("{label:?} is not an option of the Pipedrive field"))
        }
        "set" => {
            let items = value
                .as_array()
                .cloned()
                .unwrap_or_else(|| vec![value.clone()]);
            let mut ids = Vec::new();
            for item in items {
                let label = item.as_str().unwrap_or_default();
                match option(label) {
                    Some(id) => ids.push(json!(id)),
                    None => {
                        return Err(format!("{label:?} is not an option of the Pipedrive field"))
                    }
                }
            }
            Ok(json!(ids))
        }
        other => Err(format!("Pipedrive's {other} fields are not synced")),
    }
}

fn contacts<'a>(items: impl Iterator<Item = (&'a str, Option<&'a str>)>, phone: bool) -> Value {
    let list: Vec<Value> = items
        .enumerate()
        .map(|(i, (value, label))| {
            let label = match label.map(str::to_lowercase).as_deref() {
                Some(l @ ("work" | "home" | "other")) => l.to_string(),
                Some("mobile" | "cell" | "iphone") if phone => "mobile".into(),
                Some("personal") => "home".into(),
                None => "work".into(),
                Some(_) => "other".into(),
            };
            json!({ "value": value, "primary": i == 0, "label": label })
        })
        .collect();
    json!(list)
}

impl Provider for Pipedrive {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Pipedrive
    }

    async fn prepare(
        &mut self,
        http: &Http,
        people: &[Person],
        fields: &LocalFields,
        write: bool,
    ) -> Result<(), SyncError> {
        self.load(http).await?;
        if !write {
            return Ok(());
        }
        let mut wanted: Vec<(String, String, &'static str, Vec<String>)> = Vec::new();
        for (field, name, kind) in EXTRAS {
            let used = people.iter().any(|p| match *field {
                "jobTitle" => p.job_title.is_some(),
                "companies" => !p.companies.is_empty(),
                "description" => p.description.is_some(),
                "birthday" => p.birthday.as_deref().is_some_and(iso_date),
                "urls" => !p.urls.is_empty(),
                _ => !p.addresses.is_empty(),
            });
            if used {
                wanted.push((field.to_string(), name.to_string(), kind, vec![]));
            }
        }
        let mut keys: Vec<&String> = people
            .iter()
            .flat_map(|p| custom_values(p).into_iter().map(|(k, _)| k))
            .collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            if let Some(local) = fields.get(key.as_str()) {
                if let Some((kind, options)) = remote_type(&local.kind, &local.options) {
                    wanted.push((key.clone(), local.label.clone(), kind, options));
                }
            }
        }
        for (carnet_key, name, kind, options) in wanted {
            if self.def(&carnet_key, &name).is_some() {
                continue;
            }
            let mut body = json!({ "name": name, "field_type": kind });
            if !options.is_empty() {
                let opts: Vec<Value> = options.iter().map(|l| json!({ "label": l })).collect();
                body["options"] = json!(opts);
            }
            // A field created twice would be two fields: after an ambiguous failure,
            // reload and look for it by name before sending again.
            let mut tries = 0;
            loop {
                tries += 1;
                match http
                    .send(
                        Method::POST,
                        "/personFields",
                        &[],
                        Some(&body),
                        &[],
                        Retry::Create,
                    )
                    .await
                {
                    Ok(_) => break,
                    Err(e) if e.is_ambiguous() && tries < http.config().max_attempts => {
                        self.load(http).await?;
                        if self.def(&carnet_key, &name).is_some() {
                            break;
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
            self.load(http).await?;
        }
        Ok(())
    }

    fn map(&self, p: &Person, fields: &LocalFields) -> Mapped {
        let mut b = Builder::default();
        let name = p.full_name.trim();
        if name.is_empty() {
            return Mapped::Skip("Pipedrive needs a name and this person has none".into());
        }
        b.set("name", json!(name));
        if !p.emails.is_empty() {
            let items = p
                .emails
                .iter()
                .map(|e| (e.value.as_str(), e.label.as_deref()));
            b.set("email", contacts(items, false));
        }
        if !p.phones.is_empty() {
            let items = p
                .phones
                .iter()
                .map(|ph| (e164(ph).unwrap_or(&ph.value), ph.label.as_deref()));
            b.set("phone", contacts(items, true));
        }
        let put = |b: &mut Builder, field: String, carnet_key: &str, label: &str, value: Value| {
            match self.def(carnet_key, label) {
                None => b.drop(field, format!("Pipedrive has no field {label:?}")),
                Some(def) => match fit(def, &value) {
                    Ok(v) => b.set(&def.key, v),
                    Err(why) => b.drop(field, why),
                },
            }
        };
        for (field, label, _) in EXTRAS {
            let value = match *field {
                "jobTitle" => p.job_title.clone(),
                "companies" => p.companies.first().map(|c| c.name.clone()),
                "description" => p.description.clone(),
                "birthday" => match p.birthday.as_deref() {
                    Some(d) if !iso_date(d) => {
                        b.drop("birthday", "Pipedrive dates need a year");
                        None
                    }
                    d => d.map(str::to_string),
                },
                "urls" => p.urls.first().map(|u| u.value.clone()),
                _ => p.addresses.first().map(|a| a.value.clone()),
            };
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                let path = if field.ends_with('s') {
                    format!("{field}[0]")
                } else {
                    field.to_string()
                };
                put(&mut b, path, field, label, json!(v));
            }
        }
        for (list, n, what) in [
            ("companies", p.companies.len(), "company"),
            ("urls", p.urls.len(), "website"),
            ("addresses", p.addresses.len(), "address"),
        ] {
            for i in 1..n {
                b.drop(format!("{list}[{i}]"), only_one("Pipedrive", what));
            }
        }
        for (key, value) in custom_values(p) {
            let field = format!("customFields.{key}");
            let local = fields.get(key.as_str());
            match local.map(|l| l.kind.as_str()) {
                Some("person_ref" | "company_ref") => b.drop(
                    field,
                    "Pipedrive custom fields cannot reference Carnet records",
                ),
                _ => {
                    let label = local.map_or(key.as_str(), |l| l.label.as_str());
                    put(&mut b, field, key, label, value.clone());
                }
            }
        }
        if !p.tags.is_empty() {
            b.drop("tags", "Pipedrive labels are not synced");
        }
        if p.latitude.is_some() || p.longitude.is_some() {
            b.drop("latitude", "Pipedrive does not take coordinates");
        }
        if js_len(name) > 255 {
            b.drop(
                "fullName",
                "Pipedrive shows at most 255 characters of a name",
            );
        }
        b.done()
    }

    fn unset(&self, key: &str) -> Value {
        match key {
            "email" | "phone" => json!([]),
            _ => Value::Null,
        }
    }

    async fn find(
        &self,
        http: &Http,
        payload: &Map<String, Value>,
    ) -> Result<Vec<String>, SyncError> {
        let values = |k: &str| -> Vec<String> {
            payload
                .get(k)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|c| c["value"].as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (emails, phones) = (values("email"), values("phone"));
        let mut searches: Vec<(&str, String)> = Vec::new();
        searches.extend(emails.iter().map(|e| ("email", e.clone())));
        searches.extend(phones.iter().map(|p| ("phone", p.clone())));
        let by_name = searches.is_empty();
        if by_name {
            searches.push((
                "name",
                text(&Value::Object(payload.clone()), "name").to_string(),
            ));
        }
        let mut out: Vec<String> = Vec::new();
        for (field, term) in searches {
            if term.trim().is_empty() {
                continue;
            }
            let query = [
                ("term", term.clone()),
                ("fields", field.to_string()),
                ("exact_match", "true".to_string()),
                ("limit", "100".to_string()),
            ];
            let body = http.get("/persons/search", &query).await?;
            for hit in body["data"]["items"].as_array().into_iter().flatten() {
                let item = &hit["item"];
                let empty = |k: &str| item[k].as_array().is_none_or(|a| a.is_empty());
                if by_name && !(empty("emails") && empty("phones")) {
                    continue;
                }
                if let Some(id) = id_of(item).filter(|id| !out.contains(id)) {
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
        _key: &str,
        _claimed: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<Created, SyncError> {
        let body = Value::Object(payload.clone());
        let v = http
            .send(
                Method::POST,
                "/persons",
                &[],
                Some(&body),
                &[],
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
        let path = format!("/persons/{id}");
        http.send(
            Method::PUT,
            &path,
            &[],
            Some(&Value::Object(patch.clone())),
            &[],
            Retry::Safe,
        )
        .await
        .map(|_| ())
    }
}
