//! Validation helpers shared by the provider modules: JSON body parsing, typed field
//! readers that collect issues instead of stopping at the first one, and the format
//! checks the documents call for (email, E.164, UUID, ISO dates), plus timestamps and ids.
//!
//! Lengths are counted in UTF-16 code units, as the JavaScript/Zod validators behind
//! these APIs count them (`"é".length == 1`, an emoji counts 2).

use axum::http::{header, HeaderMap};
use serde_json::{Map, Value};
use time::macros::format_description;
use time::OffsetDateTime;

pub(crate) type Object = Map<String, Value>;

/// One failed rule: a dotted field path and a sentence.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Issue {
    pub path: String,
    pub message: String,
}

/// Issues collected while validating one body.
#[derive(Debug, Default)]
pub(crate) struct Issues(pub Vec<Issue>);

impl Issues {
    pub(crate) fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(Issue {
            path: path.into(),
            message: message.into(),
        });
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn first_message(&self) -> String {
        self.0
            .first()
            .map(|i| format!("{}: {}", i.path, i.message))
            .unwrap_or_default()
    }
}

/// Why a request body could not be read as a JSON object.
#[derive(Debug, PartialEq)]
pub(crate) enum BodyError {
    /// A body was sent without `Content-Type: application/json`.
    ContentType,
    /// The body is not valid JSON.
    Syntax(String),
    /// Valid JSON, but not an object.
    NotObject,
}

impl BodyError {
    pub(crate) fn message(&self) -> String {
        match self {
            BodyError::ContentType => "Content-Type must be application/json".to_string(),
            BodyError::Syntax(e) => format!("Invalid JSON body: {e}"),
            BodyError::NotObject => "Request body must be a JSON object".to_string(),
        }
    }
}

/// Parses a write request's body as a JSON object. An empty body reads as `{}` only
/// when `allow_empty` (endpoints whose body is optional).
pub(crate) fn json_object(
    headers: &HeaderMap,
    body: &[u8],
    allow_empty: bool,
) -> Result<Object, BodyError> {
    if body.is_empty() && allow_empty {
        return Ok(Object::new());
    }
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
    if !is_json {
        return Err(BodyError::ContentType);
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(BodyError::NotObject),
        Err(e) => Err(BodyError::Syntax(e.to_string())),
    }
}

/// Keys of `obj` that are not in `allowed`.
pub(crate) fn unknown_keys(obj: &Object, allowed: &[&str]) -> Vec<String> {
    obj.keys()
        .filter(|k| !allowed.contains(&k.as_str()))
        .cloned()
        .collect()
}

/// A field's state in a body: absent, explicit `null`, or a value of the wanted type.
#[derive(Debug, PartialEq)]
pub(crate) enum Field<T> {
    Absent,
    Null,
    Value(T),
    /// Present with the wrong type (an issue was recorded).
    Invalid,
}

impl<T> Field<T> {
    pub(crate) fn value(self) -> Option<T> {
        match self {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// Reads a string field, recording a type issue for non-strings.
pub(crate) fn string(obj: &Object, key: &str, issues: &mut Issues) -> Field<String> {
    match obj.get(key) {
        None => Field::Absent,
        Some(Value::Null) => Field::Null,
        Some(Value::String(s)) => Field::Value(s.clone()),
        Some(_) => {
            issues.push(key, "Expected string");
            Field::Invalid
        }
    }
}

/// Reads an array of strings, recording issues for a non-array or non-string items.
pub(crate) fn string_array(obj: &Object, key: &str, issues: &mut Issues) -> Field<Vec<String>> {
    match obj.get(key) {
        None => Field::Absent,
        Some(Value::Null) => Field::Null,
        Some(Value::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            let mut ok = true;
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) => out.push(s.clone()),
                    _ => {
                        issues.push(format!("{key}.{i}"), "Expected string");
                        ok = false;
                    }
                }
            }
            if ok {
                Field::Value(out)
            } else {
                Field::Invalid
            }
        }
        Some(_) => {
            issues.push(key, "Expected array");
            Field::Invalid
        }
    }
}

/// Length in UTF-16 code units, as JavaScript counts it.
pub(crate) fn js_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Records an issue when `s` is outside `min..=max` characters.
pub(crate) fn check_len(issues: &mut Issues, path: &str, s: &str, min: usize, max: usize) {
    let n = js_len(s);
    if n < min {
        if min == 1 {
            issues.push(path, "Must not be empty");
        } else {
            issues.push(path, format!("Must be at least {min} characters"));
        }
    } else if n > max {
        issues.push(path, format!("Must be at most {max} characters"));
    }
}

/// Email check equivalent to Zod's `z.string().email()` pattern:
/// `^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-\.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$`.
pub(crate) fn is_email(s: &str) -> bool {
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
    if !local_ok || !last_ok {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let (tld, rest) = match labels.split_last() {
        Some(x) => x,
        None => return false,
    };
    let tld_ok = tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic());
    let rest_ok = rest.iter().all(|l| {
        l.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    tld_ok && rest_ok
}

/// E.164: `+`, a non-zero digit, then 1 to 14 more digits; no spaces or punctuation.
pub(crate) fn is_e164(s: &str) -> bool {
    let Some(digits) = s.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0')
}

/// Canonical UUID text form (8-4-4-4-12 hex digits).
pub(crate) fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && [8, 4, 4, 4, 12]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A real calendar date written `YYYY-MM-DD`.
pub(crate) fn is_iso_date(s: &str) -> bool {
    let format = format_description!("[year]-[month]-[day]");
    s.len() == 10 && time::Date::parse(s, &format).is_ok()
}

/// An absolute URL with a scheme and something after `//` (Zod's `.url()` in spirit).
pub(crate) fn is_url(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once("://") else {
        return false;
    };
    !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        && !rest.is_empty()
        && !s.contains(char::is_whitespace)
}

/// A phone number reduced to `+` and digits, for format-insensitive comparisons.
pub(crate) fn phone_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect()
}

/// `2024-01-15T10:00:00.000Z` (Introzy, folk).
pub(crate) fn now_iso_ms() -> String {
    let f =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    OffsetDateTime::now_utc().format(&f).unwrap_or_default()
}

/// `2026-04-28T10:30:00` (Allo: no zone, no fraction).
pub(crate) fn now_naive() -> String {
    let f = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    OffsetDateTime::now_utc().format(&f).unwrap_or_default()
}

/// `2020-05-08 05:30:20` (Pipedrive).
pub(crate) fn now_pipedrive() -> String {
    let f = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    OffsetDateTime::now_utc().format(&f).unwrap_or_default()
}

/// A fresh random UUID, hyphenated.
pub(crate) fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// `n` random lowercase alphanumerics (hex), for ids like `per-abc123` and `job_...`.
pub(crate) fn short_id(n: usize) -> String {
    let mut s = uuid::Uuid::new_v4().simple().to_string();
    s.truncate(n.min(32));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in ["john@acme.com", "a.b+c@x-y.co", "o'neil@ex.org"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "",
            "john",
            "john@",
            "@acme.com",
            "john@acme",
            ".j@acme.com",
            "j..k@acme.com",
            "j.@acme.com",
            "john@acme.c",
            "jo hn@acme.com",
            "john@-acme.com",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn e164() {
        assert!(is_e164("+33612345678"));
        assert!(!is_e164("+33 6 12 34 56 78"));
        assert!(!is_e164("0612345678"));
        assert!(!is_e164("+0612345678"));
        assert!(!is_e164("+1234567890123456"));
    }

    #[test]
    fn formats() {
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!is_uuid("company-uuid"));
        assert!(is_iso_date("1990-01-01"));
        assert!(!is_iso_date("1990-02-30"));
        assert!(!is_iso_date("1990-1-1"));
        assert!(is_url("https://example.com"));
        assert!(!is_url("example.com"));
        assert_eq!(js_len("é😀"), 3);
        assert_eq!(phone_key("+1 (555) 123-4567"), "+15551234567");
    }
}
