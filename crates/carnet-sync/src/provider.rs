//! The provider trait every CRM module implements, and the mapping vocabulary they share:
//! a person becomes either a payload (with the list of what was dropped, and why) or a
//! skip with a reason. Nothing a CRM cannot take disappears silently.
//!
//! A provider is four things: `prepare` (read the CRM's field definitions, define the
//! custom fields the sync needs), `map` (pure: person -> payload), `find` (match an
//! existing remote record by email / phone, or by exact name for a person with
//! neither), and `create` / `update`. The engine owns change tracking, retries of
//! ambiguous creates, concurrency and the report.

use std::collections::HashMap;
use std::future::Future;
use std::str::FromStr;

use carnet_core::Person;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::SyncError;
use crate::http::{Auth, Http};

/// The CRMs Carnet pushes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    Introzy,
    Folk,
    Allo,
    Pipedrive,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 4] = [
        ProviderKind::Introzy,
        ProviderKind::Folk,
        ProviderKind::Allo,
        ProviderKind::Pipedrive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Introzy => "introzy",
            ProviderKind::Folk => "folk",
            ProviderKind::Allo => "allo",
            ProviderKind::Pipedrive => "pipedrive",
        }
    }

    /// The display name (`Introzy`, `folk`, ...).
    pub fn display(self) -> &'static str {
        match self {
            ProviderKind::Introzy => "Introzy",
            ProviderKind::Folk => "folk",
            ProviderKind::Allo => "Allo",
            ProviderKind::Pipedrive => "Pipedrive",
        }
    }

    pub(crate) fn auth(self) -> Auth {
        match self {
            ProviderKind::Introzy | ProviderKind::Folk => Auth::Bearer,
            ProviderKind::Allo => Auth::Raw,
            ProviderKind::Pipedrive => Auth::Header("x-api-token"),
        }
    }
}

impl FromStr for ProviderKind {
    type Err = SyncError;

    fn from_str(s: &str) -> Result<Self, SyncError> {
        ProviderKind::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                SyncError::Invalid(format!(
                    "unknown provider {s:?}: expected introzy, folk, allo or pipedrive"
                ))
            })
    }
}

/// A field of the person a CRM did not receive, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Dropped {
    /// Carnet's field path (`emails[1]`, `jobTitle`, `customFields.cf_x`).
    pub field: String,
    pub reason: String,
}

/// What a person becomes for one CRM.
#[derive(Debug, Clone, PartialEq)]
pub enum Mapped {
    /// Not sent at all, with the reason.
    Skip(String),
    /// The body to send, and the fields left out.
    Send {
        payload: Map<String, Value>,
        dropped: Vec<Dropped>,
    },
}

/// Collects a payload and its dropped fields while mapping.
#[derive(Debug, Default)]
pub(crate) struct Builder {
    pub payload: Map<String, Value>,
    pub dropped: Vec<Dropped>,
}

impl Builder {
    pub fn set(&mut self, key: &str, value: Value) {
        self.payload.insert(key.to_string(), value);
    }

    pub fn drop(&mut self, field: impl Into<String>, reason: impl Into<String>) {
        self.dropped.push(Dropped {
            field: field.into(),
            reason: reason.into(),
        });
    }

    pub fn done(self) -> Mapped {
        Mapped::Send {
            payload: self.payload,
            dropped: self.dropped,
        }
    }
}

/// A local custom-field definition, as the sync needs it. Read from core's schema
/// table when it exists, otherwise inferred from the values.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalField {
    pub key: String,
    pub label: String,
    /// Core's type names: text, long_text, number, date, boolean, url, email, phone,
    /// single_select, multi_select, person_ref, company_ref.
    pub kind: String,
    pub options: Vec<String>,
}

/// The local custom-field schema, by key.
pub type LocalFields = HashMap<String, LocalField>;

/// The result of a create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Created {
    /// A new remote record.
    New(String),
    /// The CRM answered that the record exists (409): this one is linked instead.
    Existing(String),
}

/// One CRM.
pub trait Provider: Send + Sync {
    fn kind(&self) -> ProviderKind;

    /// Reads the CRM's definitions (custom fields, groups) and, when `write` is set,
    /// defines the custom fields that `people` need and the CRM lacks.
    fn prepare(
        &mut self,
        http: &Http,
        people: &[Person],
        fields: &LocalFields,
        write: bool,
    ) -> impl Future<Output = Result<(), SyncError>> + Send;

    /// Maps a person (pure; uses what `prepare` learnt).
    fn map(&self, person: &Person, fields: &LocalFields) -> Mapped;

    /// The value that unsets a top-level key on update.
    fn unset(&self, _key: &str) -> Value {
        Value::Null
    }

    /// Keys whose object values the CRM merges key by key on update (so a diff can
    /// send only the changed sub-keys, with `null` for removed ones).
    fn merged_keys(&self) -> &'static [&'static str] {
        &[]
    }

    /// Remote records that are this payload: same email, else same phone, else (for a
    /// payload with neither) same name and contents. Best first.
    fn find(
        &self,
        http: &Http,
        payload: &Map<String, Value>,
    ) -> impl Future<Output = Result<Vec<String>, SyncError>> + Send;

    /// Creates the record. `key` is stable for this person and payload (an idempotency
    /// key where the CRM supports one); `claimed` says whether a remote id is already
    /// linked to another local person.
    fn create(
        &self,
        http: &Http,
        payload: &Map<String, Value>,
        key: &str,
        claimed: &(dyn Fn(&str) -> bool + Sync),
    ) -> impl Future<Output = Result<Created, SyncError>> + Send;

    /// Sends a partial update to a known remote record.
    fn update(
        &self,
        http: &Http,
        id: &str,
        patch: &Map<String, Value>,
    ) -> impl Future<Output = Result<(), SyncError>> + Send;
}

// ---------------------------------------------------------------------------------------
// Helpers shared by the provider modules.

/// Length as the CRMs count it (JavaScript: UTF-16 code units).
pub(crate) fn js_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Whether an email passes the strict check the hosted CRMs apply (zod-like): a plain
/// ASCII local part, dotted domain labels, an alphabetic TLD.
pub(crate) fn crm_email_ok(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    if local.is_empty() || local.starts_with('.') || s.contains("..") {
        return false;
    }
    let local_ok = local
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_'+-.".contains(c));
    let last_ok = local
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphanumeric() || "_+-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let Some((tld, rest)) = labels.split_last() else {
        return false;
    };
    local_ok
        && last_ok
        && !rest.is_empty()
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
        && rest.iter().all(|l| {
            l.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Whether a URL is absolute (`scheme://rest`, no spaces).
pub(crate) fn absolute_url(s: &str) -> bool {
    s.split_once("://").is_some_and(|(scheme, rest)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
            && !rest.is_empty()
            && !s.contains(char::is_whitespace)
    })
}

/// Whether a date is a full ISO `YYYY-MM-DD` (not vCard's year-less `--MM-DD`).
pub(crate) fn iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.chars()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The number in E.164 when core derived it.
pub(crate) fn e164(p: &carnet_core::Phone) -> Option<&str> {
    p.e164
        .as_deref()
        .filter(|e| e.starts_with('+') && e.len() > 2)
}

/// Digits only (with a leading `+` kept), to compare numbers typed differently.
pub(crate) fn phone_digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// A string field of a JSON object.
pub(crate) fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The remote id of a record (string ids, or Pipedrive's integers).
pub(crate) fn id_of(v: &Value) -> Option<String> {
    match v.get("id")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The value of a local custom field as the CRM-neutral JSON, skipping empties.
pub(crate) fn present(v: &Value) -> bool {
    !(v.is_null()
        || v.as_str().is_some_and(|s| s.trim().is_empty())
        || v.as_array().is_some_and(Vec::is_empty))
}

/// The local custom fields of a person, in key order, with non-empty values.
pub(crate) fn custom_values(p: &Person) -> Vec<(&String, &Value)> {
    let mut out: Vec<(&String, &Value)> =
        p.custom_fields.iter().filter(|(_, v)| present(v)).collect();
    out.sort_by(|a, b| a.0.cmp(b.0));
    out
}

/// Reason text for a second and later entries a CRM has no room for.
pub(crate) fn only_one(provider: &str, what: &str) -> String {
    format!("{provider} keeps one {what}; only the first is sent")
}
