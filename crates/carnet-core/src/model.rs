//! The records Carnet stores — Person, Company, Note — in the camelCase JSON shape of DESIGN.md.
//!
//! These are read models: what the store returns and what `--json` prints. Input goes the
//! other way through [`crate::input`], which accepts aliases and checks every rule.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A value with an optional label (`work`, `home`, ...). The first of a list is primary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LabeledValue {
    pub value: String,
    #[serde(default)]
    pub label: Option<String>,
}

/// A phone number: the raw text as typed and, when it can be derived, its E.164 form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Phone {
    pub value: String,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub e164: Option<String>,
}

/// A postal address: `value` is the one-line form; the parts are kept when known (vCard ADR).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Address {
    pub value: String,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// A company a person belongs to, as shown on the person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CompanyRef {
    pub id: String,
    pub name: String,
}

/// Something worth a look that did not stop the write (the same phone on two people, say).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    pub code: String,
    pub field: String,
    pub message: String,
    /// The other record involved, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_id: Option<String>,
}

/// A person, the union of what the four CRMs accept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Derived from first and last name unless set explicitly.
    pub full_name: String,
    pub job_title: Option<String>,
    pub description: Option<String>,
    /// `YYYY-MM-DD`, or `--MM-DD` when the year is unknown.
    pub birthday: Option<String>,
    pub emails: Vec<LabeledValue>,
    pub phones: Vec<Phone>,
    pub addresses: Vec<Address>,
    pub urls: Vec<LabeledValue>,
    /// The primary company (first of `companies`).
    pub company_id: Option<String>,
    /// The primary company's name (read-only).
    pub company: Option<String>,
    pub companies: Vec<CompanyRef>,
    pub tags: Vec<String>,
    #[cfg_attr(feature = "specta", specta(type = std::collections::BTreeMap<String, serde_json::Value>))]
    pub custom_fields: Map<String, Value>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
    /// Notes about this write (only on the result of a create or update).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

/// A company.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Company {
    pub id: String,
    pub name: String,
    pub domain: Option<String>,
    pub website: Option<String>,
    pub industry: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = std::collections::BTreeMap<String, serde_json::Value>))]
    pub custom_fields: Map<String, Value>,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
    /// Live people whose companies include this one.
    pub people_count: u32,
}

/// A note on a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub id: String,
    pub person_id: String,
    pub body: String,
    pub created_at: String,
    pub updated_at: String,
}

/// How the people list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum PeopleSort {
    /// By a Unicode-aware name key (`Åberg` sorts with the A's).
    #[default]
    Name,
    Created,
    Updated,
}

/// A query over people. `limit` is 1..=100 (default 50).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct PeopleQuery {
    /// Matches name, email, phone (any format) or company, case- and accent-insensitively.
    pub search: Option<String>,
    pub company_id: Option<String>,
    pub tag: Option<String>,
    pub sort: PeopleSort,
    pub descending: bool,
    pub limit: u32,
    pub offset: u32,
    /// List the trash instead of live people.
    pub trashed: bool,
    /// Conditions on custom-field values, all of which must hold.
    pub filters: Vec<crate::fields::FieldFilter>,
    /// Sort by this custom field's value (records without one last), then by name;
    /// `sort` is ignored when set.
    pub sort_field: Option<String>,
}

impl Default for PeopleQuery {
    fn default() -> Self {
        PeopleQuery {
            search: None,
            company_id: None,
            tag: None,
            sort: PeopleSort::Name,
            descending: false,
            limit: 50,
            offset: 0,
            trashed: false,
            filters: vec![],
            sort_field: None,
        }
    }
}

/// One page of people and the total count matching the query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PeoplePage {
    pub items: Vec<Person>,
    pub total: u32,
    pub limit: u32,
    pub offset: u32,
}

/// A query over companies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct CompanyQuery {
    pub search: Option<String>,
    pub limit: u32,
    pub offset: u32,
    pub trashed: bool,
}

impl Default for CompanyQuery {
    fn default() -> Self {
        CompanyQuery {
            search: None,
            limit: 50,
            offset: 0,
            trashed: false,
        }
    }
}

/// One page of companies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CompanyPage {
    pub items: Vec<Company>,
    pub total: u32,
    pub limit: u32,
    pub offset: u32,
}
