//! folk (folk-create-person.txt): `POST /v1/people`, `PATCH /v1/people/{id}`,
//! `GET /v1/people` with `filter[attr][op]` for matching, `GET /v1/groups` and
//! `GET /v1/groups/{id}/custom-fields/person` for the custom fields. Bearer token.
//!
//! Mapping: first/last name and job title (<= 500), full name (<= 1000, only when set
//! apart from first + last), description (<= 5000), birthday (`YYYY-MM-DD` only), up to
//! 20 emails (those folk's validator accepts), phones (E.164 when known), addresses,
//! absolute URLs, companies by name (folk creates missing ones). Custom fields live in a
//! folk group: the account setting `group` (id or name) names it; the person is added to
//! that group (`groups`) and local fields map to the group's fields by label or key
//! (`customFieldValues: {groupId: {name: value}}`). folk's API cannot define fields, so
//! a local field without a counterpart is dropped with a reason, as are tags,
//! coordinates and reference fields. Matching: people sharing an email or a phone
//! (`filter[emails][in]`, `filter[phones][in]`, `combinator=or`); a person with neither
//! matches only an identical record of the same full name.

use carnet_core::Person;
use reqwest::Method;
use serde_json::{json, Map, Value};

use crate::error::SyncError;
use crate::http::{Http, Retry};
use crate::provider::{
    absolute_url, crm_email_ok, custom_values, e164, id_of, iso_date, js_len, text, Builder,
    Created, LocalFields, Mapped, Provider, ProviderKind,
};

const PEOPLE: &str = "/v1/people";

/// A field of a folk group: name, type, option labels.
type GroupField = (String, String, Vec<String>);

#[derive(Debug, Default)]
pub struct Folk {
    /// The configured group (id or name), from the account settings.
    group_setting: Option<String>,
    /// The resolved group id and its person fields `(name, type, option labels)`.
    group: Option<(String, Vec<GroupField>)>,
}

impl Folk {
    pub fn new(settings: &Value) -> Self {
        let group = settings
            .get("group")
            .or_else(|| settings.get("folkGroup"))
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string);
        Folk {
            group_setting: group,
            group: None,
        }
    }
}

fn limit(b: &mut Builder, key: &str, value: Option<&str>, max: usize) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        if js_len(v) <= max {
            b.set(key, json!(v));
        } else {
            b.drop(key, format!("longer than folk's {max} characters"));
        }
    }
}

/// Converts a local value for a folk field type.
fn fit(kind: &str, options: &[String], value: &Value) -> Result<Value, String> {
    let s = value.as_str();
    let ok = match kind {
        "textField" | "magicField" => {
            return match value {
                Value::String(_) => Ok(value.clone()),
                Value::Number(_) | Value::Bool(_) => Ok(json!(value.to_string())),
                _ => Err("folk's text field takes text".into()),
            }
        }
        "numericField" => {
            value.is_number()
                || s.is_some_and(|s| s.trim().parse::<f64>().is_ok_and(f64::is_finite))
        }
        "dateField" => s.is_some_and(iso_date),
        "singleSelect" => s.is_some_and(|s| options.iter().any(|o| o == s)),
        "multipleSelect" => value.as_array().is_some_and(|a| {
            a.iter()
                .all(|v| v.as_str().is_some_and(|s| options.iter().any(|o| o == s)))
        }),
        other => return Err(format!("folk's {other} fields are not synced")),
    };
    if ok {
        Ok(value.clone())
    } else {
        Err(format!("does not fit folk's {kind} field"))
    }
}

impl Provider for Folk {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Folk
    }

    async fn prepare(
        &mut self,
        http: &Http,
        _people: &[Person],
        _fields: &LocalFields,
        _write: bool,
    ) -> Result<(), SyncError> {
        let Some(wanted) = self.group_setting.clone() else {
            return Ok(());
        };
        let groups = http.get("/v1/groups", &[]).await?;
        let found = groups["data"]["items"].as_array().and_then(|items| {
            items
                .iter()
                .find(|g| text(g, "id") == wanted || text(g, "name").eq_ignore_ascii_case(&wanted))
        });
        let Some(id) = found.and_then(id_of) else {
            return Err(SyncError::Invalid(format!(
                "the folk group {wanted:?} of this account does not exist"
            )));
        };
        let defs = http
            .get(&format!("/v1/groups/{id}/custom-fields/person"), &[])
            .await?;
        let fields = defs["data"]["items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|d| {
                        let options = d["options"]
                            .as_array()
                            .map(|o| {
                                o.iter()
                                    .filter_map(|o| o.as_str().or_else(|| o["label"].as_str()))
                                    .map(str::to_string)
                                    .collect()
                            })
                            .unwrap_or_default();
                        (
                            text(d, "name").to_string(),
                            text(d, "type").to_string(),
                            options,
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        self.group = Some((id, fields));
        Ok(())
    }

    fn map(&self, p: &Person, fields: &LocalFields) -> Mapped {
        let mut b = Builder::default();
        limit(&mut b, "firstName", p.first_name.as_deref(), 500);
        limit(&mut b, "lastName", p.last_name.as_deref(), 500);
        let derived = format!(
            "{} {}",
            p.first_name.as_deref().unwrap_or_default(),
            p.last_name.as_deref().unwrap_or_default()
        );
        if p.full_name.trim() != derived.trim() {
            limit(&mut b, "fullName", Some(&p.full_name), 1000);
        }
        limit(&mut b, "jobTitle", p.job_title.as_deref(), 500);
        limit(&mut b, "description", p.description.as_deref(), 5000);
        match p.birthday.as_deref() {
            Some(d) if iso_date(d) => b.set("birthday", json!(d)),
            Some(_) => b.drop("birthday", "folk birthdays need a year"),
            None => {}
        }
        let mut emails = Vec::new();
        for (i, e) in p.emails.iter().enumerate() {
            if !crm_email_ok(&e.value) {
                b.drop(format!("emails[{i}]"), "folk would refuse this address");
            } else if emails.len() >= 20 {
                b.drop(format!("emails[{i}]"), "folk keeps 20 emails");
            } else {
                emails.push(json!(e.value));
            }
        }
        if !emails.is_empty() {
            b.set("emails", json!(emails));
        }
        let phones: Vec<Value> = p
            .phones
            .iter()
            .take(20)
            .map(|ph| json!(e164(ph).unwrap_or(&ph.value)))
            .collect();
        if !phones.is_empty() {
            b.set("phones", json!(phones));
        }
        let addresses: Vec<Value> = p
            .addresses
            .iter()
            .take(20)
            .map(|a| json!(a.value))
            .collect();
        if !addresses.is_empty() {
            b.set("addresses", json!(addresses));
        }
        let mut urls = Vec::new();
        for (i, u) in p.urls.iter().enumerate().take(20) {
            if absolute_url(&u.value) {
                urls.push(json!(u.value));
            } else {
                b.drop(format!("urls[{i}]"), "folk takes absolute URLs only");
            }
        }
        if !urls.is_empty() {
            b.set("urls", json!(urls));
        }
        let companies: Vec<Value> = p
            .companies
            .iter()
            .take(20)
            .map(|c| json!({ "name": c.name }))
            .collect();
        if !companies.is_empty() {
            b.set("companies", json!(companies));
        }
        let custom = custom_values(p);
        match &self.group {
            None if !custom.is_empty() => {
                for (key, _) in custom {
                    b.drop(
                        format!("customFields.{key}"),
                        "no folk group is configured for this account's custom fields",
                    );
                }
            }
            None => {}
            Some((group_id, defs)) => {
                b.set("groups", json!([{ "id": group_id }]));
                let mut values = Map::new();
                for (key, value) in custom {
                    let field = format!("customFields.{key}");
                    let label = fields.get(key.as_str()).map(|f| f.label.as_str());
                    let def = defs.iter().find(|(name, _, _)| {
                        name.eq_ignore_ascii_case(key)
                            || label.is_some_and(|l| name.eq_ignore_ascii_case(l))
                    });
                    match def {
                        None => b.drop(field, "the folk group has no field with this name"),
                        Some((name, kind, options)) => match fit(kind, options, value) {
                            Ok(v) => {
                                values.insert(name.clone(), v);
                            }
                            Err(why) => b.drop(field, why),
                        },
                    }
                }
                if !values.is_empty() {
                    b.set("customFieldValues", json!({ group_id.as_str(): values }));
                }
            }
        }
        if !p.tags.is_empty() {
            b.drop("tags", "folk's API takes no tags");
        }
        if p.latitude.is_some() || p.longitude.is_some() {
            b.drop("latitude", "folk does not take coordinates");
        }
        let named = ["firstName", "lastName", "fullName", "emails", "phones"]
            .iter()
            .any(|k| b.payload.contains_key(*k));
        if !named {
            return Mapped::Skip("nothing folk accepts identifies this person".into());
        }
        b.done()
    }

    fn merged_keys(&self) -> &'static [&'static str] {
        &["customFieldValues"]
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
        let (emails, phones) = (list("emails"), list("phones"));
        let mut query: Vec<(&str, String)> = vec![("limit", "100".into())];
        let full = payload
            .get("fullName")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| {
                format!(
                    "{} {}",
                    payload
                        .get("firstName")
                        .and_then(Value::as_str)
                        .unwrap_or_default(),
                    payload
                        .get("lastName")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                )
                .trim()
                .to_string()
            });
        let by_name = emails.is_empty() && phones.is_empty();
        if by_name {
            query.push(("filter[fullName][eq]", full.clone()));
        } else {
            if !emails.is_empty() {
                query.push(("filter[emails][in]", emails.join(",")));
            }
            if !phones.is_empty() {
                query.push(("filter[phones][in]", phones.join(",")));
            }
            query.push(("combinator", "or".into()));
        }
        let body = http.get(PEOPLE, &query).await?;
        let items = body["data"]["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let has = |p: &Value, k: &str, wanted: &[String], digits: bool| {
            p[k].as_array().is_some_and(|a| {
                a.iter().filter_map(Value::as_str).any(|v| {
                    wanted.iter().any(|w| {
                        if digits {
                            crate::provider::phone_digits(v) == crate::provider::phone_digits(w)
                        } else {
                            v.eq_ignore_ascii_case(w)
                        }
                    })
                })
            })
        };
        let mut out: Vec<String> = Vec::new();
        if by_name {
            // Only an identical record: same name and the same texts and lists.
            for p in &items {
                let same = ["firstName", "lastName", "jobTitle", "description"]
                    .iter()
                    .all(|k| text(p, k) == payload.get(*k).and_then(Value::as_str).unwrap_or(""))
                    && ["addresses", "urls"].iter().all(|k| {
                        p[*k].as_array().cloned().unwrap_or_default()
                            == payload
                                .get(*k)
                                .and_then(Value::as_array)
                                .cloned()
                                .unwrap_or_default()
                    });
                if same {
                    out.extend(id_of(p));
                }
            }
            return Ok(out);
        }
        for p in items.iter().filter(|p| has(p, "emails", &emails, false)) {
            out.extend(id_of(p));
        }
        for p in items.iter().filter(|p| has(p, "phones", &phones, true)) {
            if let Some(id) = id_of(p).filter(|id| !out.contains(id)) {
                out.push(id);
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
            .send(Method::POST, PEOPLE, &[], Some(&body), &[], Retry::Create)
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
        let path = format!("{PEOPLE}/{id}");
        http.send(
            Method::PATCH,
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
