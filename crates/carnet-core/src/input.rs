//! Parsing person input: canonical camelCase keys plus the CRM payload aliases.
//!
//! A user can paste a create body from any of the four CRMs and lose nothing:
//! Introzy (`email`, `phoneNumber`, `address`, `companyName`, `companyId`), folk (list
//! fields, `companies` by id or name, `customFieldValues` grouped by group id), Allo
//! (`name` = first name, `last_name`, `numbers`, `website`, `company_id`), and Pipedrive
//! (`name` = full name, `email`/`phone` arrays of `{value, primary, label}`).
//! CRM routing keys with no local meaning (Pipedrive `owner_id`, `org_id`, `label_ids`,
//! `visible_to`, `marketing_status`, `add_time`; folk `groups`; Allo
//! `allow_duplicate_number`) are accepted and ignored. Any other unknown key is an error,
//! so a typo never passes silently. This module only parses; rules are in `validate`,
//! and custom values (folk's flattened to `cf_` keys by label) are checked against their
//! field definitions by `fields` when the person is written.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::model::{Address, LabeledValue, Phone};

/// A field change: `None` keeps, `Some(None)` unsets, `Some(Some(v))` sets.
pub type Change<T> = Option<Option<T>>;

/// A company given on input, by id or by name (created if no live company has the name).
#[derive(Debug, Clone, PartialEq)]
pub enum CompanyInput {
    Id(String),
    Name(String),
}

/// Parsed person input: what to change. Lists replace the whole list when given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonPatch {
    pub id: Option<String>,
    pub first_name: Change<String>,
    pub last_name: Change<String>,
    pub full_name: Change<String>,
    pub job_title: Change<String>,
    pub description: Change<String>,
    pub birthday: Change<String>,
    pub emails: Option<Vec<LabeledValue>>,
    pub phones: Option<Vec<Phone>>,
    pub addresses: Option<Vec<Address>>,
    pub urls: Option<Vec<LabeledValue>>,
    pub companies: Option<Vec<CompanyInput>>,
    pub tags: Option<Vec<String>>,
    /// Merged into the existing map; a `null` value removes the key.
    pub custom_fields: Option<Map<String, Value>>,
    pub latitude: Change<f64>,
    pub longitude: Change<f64>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

const IGNORED: &[&str] = &[
    "owner_id",
    "org_id",
    "label",
    "label_ids",
    "visible_to",
    "marketing_status",
    "add_time",
    "groups",
    "allow_duplicate_number",
    "deletedAt",
    "warnings",
];

/// Parse a JSON object of person fields (create body or PATCH body).
pub fn parse_person(input: &Value) -> Result<PersonPatch> {
    let obj = input
        .as_object()
        .ok_or_else(|| Error::validation("body", "must be a JSON object of person fields"))?;
    // Allo's `name` is the first name; Pipedrive's `name` is the full name.
    let allo_shaped = obj.contains_key("numbers")
        || (obj.contains_key("last_name") && !obj.contains_key("first_name"));
    let mut p = PersonPatch::default();
    let mut seen: Vec<(&'static str, String)> = Vec::new();
    for (key, v) in obj {
        let k = key.as_str();
        let canonical = match k {
            "id" => {
                p.id = opt_string(v, k)?;
                "id"
            }
            "firstName" | "first_name" => set(&mut p.first_name, opt_string(v, k)?, "firstName"),
            "name" if allo_shaped => set(&mut p.first_name, opt_string(v, k)?, "firstName"),
            "lastName" | "last_name" => set(&mut p.last_name, opt_string(v, k)?, "lastName"),
            "fullName" | "full_name" | "name" => set(&mut p.full_name, opt_string(v, k)?, "fullName"),
            "jobTitle" | "job_title" | "title" => set(&mut p.job_title, opt_string(v, k)?, "jobTitle"),
            "description" => set(&mut p.description, opt_string(v, k)?, "description"),
            "birthday" => set(&mut p.birthday, opt_string(v, k)?, "birthday"),
            "emails" | "email" => {
                p.emails = Some(labeled_list(v, k)?);
                "emails"
            }
            "phones" | "phone" | "phoneNumber" | "numbers" => {
                let list = labeled_list(v, k)?;
                p.phones = Some(list.into_iter().map(|l| Phone { value: l.value, label: l.label, e164: None }).collect());
                "phones"
            }
            "addresses" | "address" => {
                p.addresses = Some(address_list(v, k)?);
                "addresses"
            }
            "urls" | "website" | "url" => {
                p.urls = Some(labeled_list(v, k)?);
                "urls"
            }
            "companyId" | "company_id" => {
                let c = opt_string(v, k)?.map(CompanyInput::Id);
                p.companies = Some(c.into_iter().collect());
                "companies"
            }
            "companyName" | "company" if obj.contains_key("companyId") || obj.contains_key("company_id") => {
                // Introzy: companyName is ignored when companyId is given.
                continue;
            }
            "companyName" | "company" => {
                let c = match v {
                    // The read shape of a person carries `company` as a name; an object is {id|name}.
                    Value::Object(_) => Some(company_item(v, k)?),
                    _ => opt_string(v, k)?.map(CompanyInput::Name),
                };
                p.companies = Some(c.into_iter().collect());
                "companies"
            }
            "companies" => {
                p.companies = Some(match v {
                    Value::Null => vec![],
                    Value::Array(items) => items
                        .iter()
                        .enumerate()
                        .map(|(i, it)| company_item(it, &format!("companies[{i}]")))
                        .collect::<Result<_>>()?,
                    _ => return Err(Error::validation(k, "must be a list of companies ({\"id\"} or {\"name\"})")),
                });
                "companies"
            }
            "tags" => {
                p.tags = Some(string_list(v, k)?);
                "tags"
            }
            "customFields" | "custom_fields" => {
                p.custom_fields = Some(match v {
                    Value::Null => Map::new(),
                    Value::Object(m) => m.clone(),
                    _ => return Err(Error::validation(k, "must be an object of {key: value}")),
                });
                "customFields"
            }
            "customFieldValues" => {
                merge_custom(&mut p.custom_fields, folk_custom_values(v)?);
                "customFieldValues"
            }
            "latitude" | "lat" => set(&mut p.latitude, opt_number(v, k)?, "latitude"),
            "longitude" | "lng" | "lon" => set(&mut p.longitude, opt_number(v, k)?, "longitude"),
            "createdAt" => {
                p.created_at = opt_string(v, k)?;
                "createdAt"
            }
            "updatedAt" => {
                p.updated_at = opt_string(v, k)?;
                "updatedAt"
            }
            _ if IGNORED.contains(&k) => continue,
            _ => {
                return Err(Error::validation(
                    k,
                    "is not a person field (known: firstName, lastName, fullName, jobTitle, description, birthday, emails, phones, addresses, urls, companyId, companies, tags, customFields, latitude, longitude)",
                ))
            }
        };
        if let Some((_, other)) = seen.iter().find(|(c, _)| *c == canonical) {
            return Err(Error::validation(
                k,
                format!("sets the same field as `{other}`; give only one of them"),
            ));
        }
        seen.push((canonical, k.to_string()));
    }
    Ok(p)
}

fn set<T>(slot: &mut Change<T>, v: Option<T>, canonical: &'static str) -> &'static str {
    *slot = Some(v);
    canonical
}

/// A string or null; blank strings count as null. Numbers are refused (a name is text).
pub fn opt_string(v: &Value, field: &str) -> Result<Option<String>> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(crate::text::clean(s)),
        _ => Err(Error::validation(
            field,
            format!("must be a string, not {}", kind(v)),
        )),
    }
}

fn opt_number(v: &Value, field: &str) -> Result<Option<f64>> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_f64()
            .map(Some)
            .ok_or_else(|| Error::validation(field, "must be a number")),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .map(Some)
            .map_err(|_| Error::validation(field, "must be a number")),
        _ => Err(Error::validation(
            field,
            format!("must be a number, not {}", kind(v)),
        )),
    }
}

/// The JSON kind of a value, for messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A list of strings or `{value, label, primary}` objects (a single string is a list of one).
/// An entry marked `primary: true` moves to the front.
fn labeled_list(v: &Value, field: &str) -> Result<Vec<LabeledValue>> {
    let items: Vec<&Value> = match v {
        Value::Null => return Ok(vec![]),
        Value::String(_) | Value::Object(_) => vec![v],
        Value::Array(a) => a.iter().collect(),
        _ => {
            return Err(Error::validation(
                field,
                format!("must be a list, not {}", kind(v)),
            ))
        }
    };
    let single = !v.is_array();
    let mut out = Vec::with_capacity(items.len());
    let mut primary = None;
    for (i, it) in items.into_iter().enumerate() {
        let path = if single {
            field.to_string()
        } else {
            format!("{field}[{i}]")
        };
        match it {
            Value::String(s) => {
                if let Some(s) = crate::text::clean(s) {
                    out.push(LabeledValue {
                        value: s,
                        label: None,
                    });
                }
            }
            Value::Object(m) => {
                let mut value = None;
                let mut label = None;
                for (k, x) in m {
                    match k.as_str() {
                        "value" => value = opt_string(x, &format!("{path}.value"))?,
                        "label" | "type" => label = opt_string(x, &format!("{path}.{k}"))?,
                        "primary" => {
                            if x.as_bool() == Some(true) && primary.is_none() {
                                primary = Some(out.len());
                            }
                        }
                        // Read shapes carry a derived E.164; it is recomputed on write.
                        "e164" => {}
                        _ => {
                            return Err(Error::validation(
                                format!("{path}.{k}"),
                                "is not a known key (value, label, primary)",
                            ))
                        }
                    }
                }
                let value = value
                    .ok_or_else(|| Error::validation(format!("{path}.value"), "is required"))?;
                out.push(LabeledValue { value, label });
            }
            Value::Null => {}
            _ => {
                return Err(Error::validation(
                    path,
                    format!("must be a string or {{value, label}}, not {}", kind(it)),
                ))
            }
        }
    }
    if let Some(i) = primary {
        let p = out.remove(i);
        out.insert(0, p);
    }
    Ok(out)
}

fn address_list(v: &Value, field: &str) -> Result<Vec<Address>> {
    let items: Vec<&Value> = match v {
        Value::Null => return Ok(vec![]),
        Value::String(_) | Value::Object(_) => vec![v],
        Value::Array(a) => a.iter().collect(),
        _ => {
            return Err(Error::validation(
                field,
                format!("must be a list, not {}", kind(v)),
            ))
        }
    };
    let single = !v.is_array();
    let mut out = Vec::new();
    for (i, it) in items.into_iter().enumerate() {
        let path = if single {
            field.to_string()
        } else {
            format!("{field}[{i}]")
        };
        match it {
            Value::Null => {}
            Value::String(s) => {
                if let Some(s) = crate::text::clean(s) {
                    out.push(Address {
                        value: s,
                        ..Default::default()
                    });
                }
            }
            Value::Object(m) => {
                let mut a = Address::default();
                let mut value = None;
                for (k, x) in m {
                    let sub = format!("{path}.{k}");
                    match k.as_str() {
                        "value" | "formatted" => value = opt_string(x, &sub)?,
                        "label" | "type" => a.label = opt_string(x, &sub)?,
                        "street" => a.street = opt_string(x, &sub)?,
                        "city" | "locality" => a.city = opt_string(x, &sub)?,
                        "region" | "state" => a.region = opt_string(x, &sub)?,
                        "postalCode" | "postal_code" | "zip" => a.postal_code = opt_string(x, &sub)?,
                        "country" => a.country = opt_string(x, &sub)?,
                        "primary" => {}
                        _ => return Err(Error::validation(sub, "is not a known address key (value, label, street, city, region, postalCode, country)")),
                    }
                }
                a.value = match value {
                    Some(v) => v,
                    None => {
                        let parts = [&a.street, &a.city, &a.region, &a.postal_code, &a.country];
                        let joined: Vec<&str> = parts.iter().filter_map(|p| p.as_deref()).collect();
                        if joined.is_empty() {
                            return Err(Error::validation(
                                format!("{path}.value"),
                                "is required (or give street, city, ...)",
                            ));
                        }
                        joined.join(", ")
                    }
                };
                out.push(a);
            }
            _ => {
                return Err(Error::validation(
                    path,
                    format!("must be a string or an address object, not {}", kind(it)),
                ))
            }
        }
    }
    Ok(out)
}

fn string_list(v: &Value, field: &str) -> Result<Vec<String>> {
    match v {
        Value::Null => Ok(vec![]),
        Value::String(s) => Ok(crate::text::clean(s).into_iter().collect()),
        Value::Array(a) => {
            let mut out = Vec::new();
            for (i, x) in a.iter().enumerate() {
                if let Some(s) = opt_string(x, &format!("{field}[{i}]"))? {
                    out.push(s);
                }
            }
            Ok(out)
        }
        _ => Err(Error::validation(
            field,
            format!("must be a list of strings, not {}", kind(v)),
        )),
    }
}

fn company_item(v: &Value, path: &str) -> Result<CompanyInput> {
    match v {
        Value::String(s) => crate::text::clean(s)
            .map(CompanyInput::Name)
            .ok_or_else(|| Error::validation(path, "must not be empty")),
        Value::Object(m) => {
            let id = m
                .get("id")
                .map(|x| opt_string(x, &format!("{path}.id")))
                .transpose()?
                .flatten();
            let name = m
                .get("name")
                .map(|x| opt_string(x, &format!("{path}.name")))
                .transpose()?
                .flatten();
            if let Some(k) = m.keys().find(|k| !["id", "name"].contains(&k.as_str())) {
                return Err(Error::validation(
                    format!("{path}.{k}"),
                    "is not a known key (id, name)",
                ));
            }
            match (id, name) {
                (Some(id), _) => Ok(CompanyInput::Id(id)),
                (None, Some(n)) => Ok(CompanyInput::Name(n)),
                (None, None) => Err(Error::validation(path, "needs an id or a name")),
            }
        }
        _ => Err(Error::validation(
            path,
            format!(
                "must be a company name or {{id}} / {{name}}, not {}",
                kind(v)
            ),
        )),
    }
}

/// folk's `customFieldValues` (`{groupId: {Field name: value}}`) flattened to `cf_` keys.
fn folk_custom_values(v: &Value) -> Result<Map<String, Value>> {
    let groups = match v {
        Value::Null => return Ok(Map::new()),
        Value::Object(g) => g,
        _ => {
            return Err(Error::validation(
                "customFieldValues",
                "must be an object {groupId: {field: value}}",
            ))
        }
    };
    let mut out = Map::new();
    for (gid, fields) in groups {
        let fields = fields.as_object().ok_or_else(|| {
            Error::validation(
                format!("customFieldValues.{gid}"),
                "must be an object {field name: value}",
            )
        })?;
        for (name, value) in fields {
            out.insert(field_key(name), value.clone());
        }
    }
    Ok(out)
}

fn merge_custom(slot: &mut Option<Map<String, Value>>, more: Map<String, Value>) {
    slot.get_or_insert_with(Map::new).extend(more);
}

/// A custom-field key from a label: `cf_` + snake case of the folded label
/// (`Favorite color` -> `cf_favorite_color`). Keys already starting with `cf_` are kept.
pub fn field_key(label: &str) -> String {
    if label.starts_with("cf_") {
        return label.to_string();
    }
    let folded = crate::text::fold(label);
    let mut key = String::from("cf_");
    let mut last_us = true;
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c);
            last_us = false;
        } else if !last_us {
            key.push('_');
            last_us = true;
        }
    }
    while key.ends_with('_') && key.len() > 3 {
        key.pop();
    }
    key
}

#[cfg(test)]
#[path = "input_tests.rs"]
mod tests;
