//! vCard 2.1/3.0/4.0 to [`Record`]s, with `calcard` doing the lexing.
//!
//! calcard already unfolds lines (CRLF or LF), unescapes `\,` `\;` `\n`, decodes 2.1
//! quoted-printable with its CHARSET and base64, splits several cards per file, and
//! reads 2.1 bare parameters (`TEL;CELL;PREF`). This module maps the properties onto a
//! person and wraps what calcard leaves to the caller: Apple `itemN.` groups with their
//! `X-ABLabel`, TYPE/PREF to labels and primary order, birthdays without a year (4.0
//! `--MMDD`, Apple's `X-APPLE-OMIT-YEAR`), `tel:` URIs, decoded text left as bytes, and
//! keeping everything else (PHOTO, UID, NICKNAME, X-…) in [`VcardExtras`].
//! Values a person cannot hold (an email that is not one) are kept in the extras too,
//! with a warning, rather than rejecting the whole card.

use std::collections::HashMap;

use super::dates::{from_partial, from_text};
use calcard::vcard::{
    VCard, VCardEntry, VCardParameterName, VCardParameterValue, VCardProperty, VCardValue,
};
use calcard::{Entry, Parser};
use serde_json::{Map, Value};

use super::labels::label_and_rank;
use super::{NoteIn, ParseFailure, Parsed, Record, VcardExtras};
use crate::error::Error;
use crate::input::CompanyInput;
use crate::model::{Address, LabeledValue, Phone};
use crate::validate::{MAX_DESCRIPTION, MAX_LIST};

/// Custom fields are written as `X-CARNET-FIELD;KEY=cf_x:<JSON value>`.
pub(crate) const FIELD_PROP: &str = "X-CARNET-FIELD";

/// The number of cards in a file (for progress), counting `BEGIN:VCARD` lines.
pub(crate) fn count_cards(text: &str) -> usize {
    begin_lines(text).len()
}

/// Line numbers (1-based) of each `BEGIN:VCARD`.
fn begin_lines(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let l = line.trim_start_matches('\u{feff}');
        if l.len() >= 11 && l.as_bytes()[..11].eq_ignore_ascii_case(b"BEGIN:VCARD") {
            out.push(i as u32 + 1);
        }
    }
    out
}

/// Parse every card of `text`, handing each to `emit`; stops early when `emit` says false.
pub(crate) fn parse(text: &str, mut emit: impl FnMut(Parsed) -> bool) {
    let begins = begin_lines(text);
    let mut parser = Parser::new(text);
    let mut n: u32 = 0;
    loop {
        let entry = parser.entry();
        let (pos, location) = {
            let next = n + 1;
            let loc = match begins.get(n as usize) {
                Some(l) => format!("card {next} (line {l})"),
                None => format!("card {next}"),
            };
            (next, loc)
        };
        let out = match entry {
            Entry::Eof => return,
            Entry::InvalidLine(_) => continue,
            Entry::VCard(card) => Ok(to_record(card, pos, location)),
            Entry::ICalendar(_) => Err(fail(pos, location, "is a calendar entry, not a vCard")),
            Entry::UnterminatedComponent(_) => Err(fail(pos, location, "has no END:VCARD line")),
            Entry::TooManyComponents => Err(fail(pos, location, "nests too many components")),
            _ => Err(fail(pos, location, "is not a well-formed vCard")),
        };
        n += 1;
        if !emit(out) {
            return;
        }
    }
}

fn fail(position: u32, location: String, msg: &str) -> ParseFailure {
    ParseFailure {
        position,
        location,
        error: Error::validation("vcard", msg),
    }
}

/// One value as text: components joined by commas, bytes read as UTF-8.
fn value_text(v: &VCardValue) -> Option<String> {
    match v {
        VCardValue::Text(s) => Some(s.clone()),
        VCardValue::Component(parts) => Some(parts.join(",")),
        // Quoted-printable whose charset calcard did not take ends up as bytes.
        VCardValue::Binary(d) => Some(String::from_utf8_lossy(&d.data).into_owned()),
        VCardValue::Integer(i) => Some(i.to_string()),
        VCardValue::Float(f) => Some(f.to_string()),
        VCardValue::Boolean(b) => Some(b.to_string()),
        other => other.as_text().map(String::from),
    }
}

fn first_text(e: &VCardEntry) -> Option<String> {
    match e.values.first()? {
        // The common case, trimmed and copied once.
        VCardValue::Text(s) => crate::text::clean(s),
        v => value_text(v).and_then(|s| crate::text::clean(&s)),
    }
}

/// All values of a structured property as texts (empty strings kept, for positions).
fn parts(e: &VCardEntry) -> Vec<String> {
    e.values
        .iter()
        .map(|v| value_text(v).unwrap_or_default())
        .collect()
}

/// Write a property back as a vCard 3.0 content line for the extras.
pub(crate) fn entry_line(e: &VCardEntry) -> String {
    let mut s = String::new();
    // Writing to a String cannot fail.
    let _ = e.write_to(&mut s, false);
    s
}

/// Builds a record out of one card's properties.
struct Builder {
    r: Record,
    ex: VcardExtras,
    first: Option<String>,
    last: Option<String>,
    formatted: Option<String>,
    emails: Vec<(u32, LabeledValue)>,
    phones: Vec<(u32, Phone)>,
    addresses: Vec<(u32, Address)>,
    urls: Vec<(u32, LabeledValue)>,
    companies: Vec<String>,
    notes: Vec<String>,
    tags: Vec<String>,
    custom: Map<String, Value>,
    job_title: Option<String>,
}

fn to_record(card: VCard, position: u32, location: String) -> Record {
    // Apple groups: `item1.TEL` + `item1.X-ABLabel`. A label whose sibling is mapped is
    // consumed; otherwise both stay in the extras.
    let mut ab_labels: HashMap<String, String> = HashMap::new();
    for e in &card.entries {
        if let (Some(g), VCardProperty::Other(n)) = (&e.group, &e.name) {
            if n.eq_ignore_ascii_case("X-ABLabel") {
                if let Some(t) = first_text(e) {
                    ab_labels.insert(g.to_ascii_lowercase(), t);
                }
            }
        }
    }
    let mut b = Builder {
        r: Record {
            position,
            location,
            ..Default::default()
        },
        ex: VcardExtras::default(),
        first: None,
        last: None,
        formatted: None,
        emails: vec![],
        phones: vec![],
        addresses: vec![],
        urls: vec![],
        companies: vec![],
        notes: vec![],
        tags: vec![],
        custom: Map::new(),
        job_title: None,
    };
    let mut used_groups: Vec<String> = Vec::new();
    let mut mapped = vec![false; card.entries.len()];
    for (i, e) in card.entries.iter().enumerate() {
        let label = e
            .group
            .as_ref()
            .and_then(|g| ab_labels.get(&g.to_ascii_lowercase()))
            .map(String::as_str);
        mapped[i] = b.map(e, label);
        if let (true, Some(g)) = (mapped[i], &e.group) {
            used_groups.push(g.to_ascii_lowercase());
        }
    }
    // Keep the leftovers, minus the labels consumed by a mapped sibling.
    for (i, e) in card.entries.iter().enumerate() {
        if mapped[i] {
            continue;
        }
        let consumed_label = matches!(&e.name, VCardProperty::Other(n) if n.eq_ignore_ascii_case("X-ABLabel"))
            && e.group
                .as_ref()
                .is_some_and(|g| used_groups.contains(&g.to_ascii_lowercase()));
        if !consumed_label {
            b.ex.lines.push(entry_line(e));
        }
    }
    b.finish()
}

impl Builder {
    /// Map one property; returns whether it was mapped (else it goes to the extras).
    fn map(&mut self, e: &VCardEntry, ab_label: Option<&str>) -> bool {
        match &e.name {
            // Regenerated on export.
            VCardProperty::Version | VCardProperty::Prodid | VCardProperty::Rev => true,
            VCardProperty::Begin | VCardProperty::End => true,
            VCardProperty::Fn => {
                if self.formatted.is_some() {
                    return false;
                }
                self.formatted = first_text(e);
                true
            }
            VCardProperty::N => {
                if self.first.is_some() || self.last.is_some() || !self.ex.name_parts.is_empty() {
                    return false;
                }
                let p = parts(e);
                self.last = p.first().and_then(|s| crate::text::clean(s));
                self.first = p.get(1).and_then(|s| crate::text::clean(s));
                let rest: Vec<String> = p.iter().skip(2).take(3).cloned().collect();
                if rest.iter().any(|s| !s.is_empty()) {
                    self.ex.name_parts = rest;
                }
                true
            }
            VCardProperty::Email => self.email(e, ab_label),
            VCardProperty::Tel => self.phone(e, ab_label),
            VCardProperty::Adr => self.address(e, ab_label),
            VCardProperty::Url => self.url(e, ab_label),
            VCardProperty::Org => {
                let p = parts(e);
                let Some(name) = p.first().and_then(|s| crate::text::clean(s)) else {
                    return false;
                };
                if self.companies.is_empty() {
                    self.ex.org_units = p[1..].iter().filter(|s| !s.is_empty()).cloned().collect();
                } else if p.len() > 1 {
                    return false;
                }
                if self.companies.len() >= MAX_LIST {
                    return false;
                }
                self.companies.push(name);
                true
            }
            VCardProperty::Title if self.job_title.is_none() => {
                self.job_title = first_text(e);
                self.job_title.is_some()
            }
            VCardProperty::Note => match first_text(e) {
                Some(t) => {
                    self.notes.push(t);
                    true
                }
                None => true,
            },
            VCardProperty::Bday => self.birthday(e),
            VCardProperty::Categories => {
                for v in &e.values {
                    let items: Vec<String> = match v {
                        VCardValue::Component(c) => c.clone(),
                        other => value_text(other).into_iter().collect(),
                    };
                    self.tags
                        .extend(items.iter().filter_map(|t| crate::text::clean(t)));
                }
                true
            }
            VCardProperty::Uid if self.ex.uid.is_none() => {
                self.ex.uid = first_text(e);
                true
            }
            VCardProperty::Geo if self.r.patch.latitude.is_none() => self.geo(e),
            VCardProperty::Other(n) if n.eq_ignore_ascii_case(FIELD_PROP) => self.custom_field(e),
            _ => false,
        }
    }

    fn warn(&mut self, field: &str, msg: String) {
        self.r.warnings.push((field.to_string(), msg));
    }

    fn email(&mut self, e: &VCardEntry, ab: Option<&str>) -> bool {
        let Some(v) = first_text(e) else { return true };
        let v = v.strip_prefix("mailto:").map(str::to_string).unwrap_or(v);
        if let Err(m) = crate::validate::email(&v) {
            self.warn("emails", format!("{m}; kept in the vCard extras"));
            return false;
        }
        if self
            .emails
            .iter()
            .any(|(_, x)| x.value.eq_ignore_ascii_case(&v))
        {
            return true;
        }
        if self.emails.len() >= MAX_LIST {
            self.warn(
                "emails",
                format!("more than {MAX_LIST} emails; {v} kept in the vCard extras"),
            );
            return false;
        }
        let (label, rank) = label_and_rank(e, ab);
        self.emails.push((rank, LabeledValue { value: v, label }));
        true
    }

    fn phone(&mut self, e: &VCardEntry, ab: Option<&str>) -> bool {
        let Some(v) = first_text(e) else { return true };
        // 4.0 `VALUE=uri`: `tel:+1-418-656-9254;ext=102`.
        let v = match v.strip_prefix("tel:") {
            Some(t) => match t.split_once(";ext=") {
                Some((n, x)) => format!("{n} ext. {x}"),
                None => t.split(';').next().unwrap_or(t).to_string(),
            },
            None => v,
        };
        if let Err(m) = crate::phone::check_raw(&v) {
            self.warn("phones", format!("\"{v}\" {m}; kept in the vCard extras"));
            return false;
        }
        if self.phones.len() >= MAX_LIST {
            self.warn(
                "phones",
                format!("more than {MAX_LIST} phones; {v} kept in the vCard extras"),
            );
            return false;
        }
        let (label, rank) = label_and_rank(e, ab);
        self.phones.push((
            rank,
            Phone {
                value: v,
                label,
                e164: None,
            },
        ));
        true
    }

    fn address(&mut self, e: &VCardEntry, ab: Option<&str>) -> bool {
        let p = parts(e);
        let get = |i: usize| p.get(i).and_then(|s| crate::text::clean(s));
        // PO box and extended address have no field of their own: they lead the street.
        let street_parts: Vec<String> = [get(0), get(1), get(2)].into_iter().flatten().collect();
        let mut a = Address {
            street: (!street_parts.is_empty()).then(|| street_parts.join("\n")),
            city: get(3),
            region: get(4),
            postal_code: get(5),
            country: get(6),
            ..Default::default()
        };
        // Carnet's one-line form travels as the LABEL parameter when it is not derivable.
        let given = e.params.iter().find_map(|p| match (&p.name, &p.value) {
            (VCardParameterName::Label, VCardParameterValue::Text(t)) => crate::text::clean(t),
            _ => None,
        });
        a.value = match given {
            Some(v) => v,
            None => one_line(&a),
        };
        if a.value.is_empty() {
            return true;
        }
        if self.addresses.len() >= MAX_LIST {
            self.warn(
                "addresses",
                format!("more than {MAX_LIST} addresses; one kept in the vCard extras"),
            );
            return false;
        }
        let (label, rank) = label_and_rank(e, ab);
        a.label = label;
        self.addresses.push((rank, a));
        true
    }

    fn url(&mut self, e: &VCardEntry, ab: Option<&str>) -> bool {
        let Some(v) = first_text(e) else { return true };
        if let Err(m) = crate::validate::url(&v) {
            self.warn("urls", format!("{m}; kept in the vCard extras"));
            return false;
        }
        if self.urls.len() >= MAX_LIST {
            self.warn(
                "urls",
                format!("more than {MAX_LIST} web addresses; {v} kept in the vCard extras"),
            );
            return false;
        }
        let (label, rank) = label_and_rank(e, ab);
        self.urls.push((rank, LabeledValue { value: v, label }));
        true
    }

    fn birthday(&mut self, e: &VCardEntry) -> bool {
        if self.r.patch.birthday.is_some() {
            return false;
        }
        let omit_year = e.params.iter().find_map(|p| match (&p.name, &p.value) {
            (VCardParameterName::Other(n), VCardParameterValue::Text(y))
                if n.eq_ignore_ascii_case("X-APPLE-OMIT-YEAR") =>
            {
                y.parse::<u16>().ok()
            }
            _ => None,
        });
        let date = match e.values.first() {
            Some(VCardValue::PartialDateTime(d)) => from_partial(d, omit_year),
            Some(v) => value_text(v).and_then(|t| from_text(&t, omit_year)),
            None => None,
        };
        match date {
            Some(d) if crate::validate::birthday(&d).is_ok() => {
                self.r.patch.birthday = Some(Some(d));
                true
            }
            _ => {
                let shown = match e.values.first() {
                    Some(VCardValue::PartialDateTime(d)) => format!(
                        "{}-{:02}-{:02}",
                        d.year
                            .map(|y| format!("{y:04}"))
                            .unwrap_or_else(|| "-".into()),
                        d.month.unwrap_or(0),
                        d.day.unwrap_or(0)
                    ),
                    Some(v) => value_text(v).unwrap_or_default(),
                    None => String::new(),
                };
                self.warn(
                    "birthday",
                    format!(
                        "\"{shown}\" is not a birthday Carnet can store; kept in the vCard extras"
                    ),
                );
                false
            }
        }
    }

    fn geo(&mut self, e: &VCardEntry) -> bool {
        let text = e
            .values
            .iter()
            .filter_map(value_text)
            .collect::<Vec<_>>()
            .join(";");
        let t = text.strip_prefix("geo:").unwrap_or(&text);
        let t = t.split(['?', ';']).collect::<Vec<_>>();
        let pair: Vec<&str> = if t.len() >= 2 && !t[0].contains(',') {
            t[..2].to_vec()
        } else {
            t[0].split(',').take(2).collect()
        };
        match pair.as_slice() {
            [a, b] => match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
                (Ok(lat), Ok(lon))
                    if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
                {
                    self.r.patch.latitude = Some(Some(lat));
                    self.r.patch.longitude = Some(Some(lon));
                    true
                }
                _ => false,
            },
            _ => false,
        }
    }

    fn custom_field(&mut self, e: &VCardEntry) -> bool {
        let key = e.params.iter().find_map(|p| match (&p.name, &p.value) {
            (VCardParameterName::Other(n), VCardParameterValue::Text(k))
                if n.eq_ignore_ascii_case("KEY") =>
            {
                Some(k.clone())
            }
            _ => None,
        });
        let (Some(key), Some(raw)) = (key, e.values.first().and_then(value_text)) else {
            return false;
        };
        let value = serde_json::from_str(&raw).unwrap_or(Value::String(raw));
        self.custom.insert(key, value);
        true
    }

    fn finish(mut self) -> Record {
        let p = &mut self.r.patch;
        p.first_name = Some(self.first.clone());
        p.last_name = Some(self.last.clone());
        let derived = [self.first.as_deref(), self.last.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        // A card with no N and no FN (Outlook company cards) is named by its ORG.
        let formatted = self.formatted.clone().or_else(|| {
            (derived.is_empty() && self.emails.is_empty())
                .then(|| self.companies.first().cloned())
                .flatten()
        });
        // An FN that only repeats the email (written for a person with no name) is no name.
        let primary_email = by_rank_peek(&self.emails);
        p.full_name = Some(formatted.filter(|f| {
            *f != derived && !(derived.is_empty() && primary_email.is_some_and(|e| e == f))
        }));
        p.job_title = Some(self.job_title.take());
        p.emails = Some(by_rank(std::mem::take(&mut self.emails)));
        p.phones = Some(by_rank(std::mem::take(&mut self.phones)));
        p.addresses = Some(by_rank(std::mem::take(&mut self.addresses)));
        p.urls = Some(by_rank(std::mem::take(&mut self.urls)));
        p.companies = Some(self.companies.drain(..).map(CompanyInput::Name).collect());
        p.tags = Some(std::mem::take(&mut self.tags));
        if !self.custom.is_empty() {
            p.custom_fields = Some(std::mem::take(&mut self.custom));
        }
        let note = self.notes.join("\n\n");
        if note.chars().count() > MAX_DESCRIPTION {
            // Too long for a description: it becomes a note, nothing is cut.
            self.r.notes.push(NoteIn {
                body: note,
                ..Default::default()
            });
            p.description = Some(None);
        } else {
            p.description = Some(crate::text::clean(&note));
        }
        // Our own exports carry `urn:uuid:<v7 id>`: the person keeps its id.
        if let Some(id) = self.ex.uid.as_deref().and_then(own_id) {
            p.id = Some(id);
            self.ex.uid = None;
        }
        if self.ex.name_parts.iter().all(|s| s.is_empty()) {
            self.ex.name_parts.clear();
        }
        self.r.extras = Some(self.ex);
        self.r
    }
}

/// The person id in a UID written by Carnet (`urn:uuid:` + a UUID v7).
pub(crate) fn own_id(uid: &str) -> Option<String> {
    let raw = uid.strip_prefix("urn:uuid:")?;
    let u = uuid::Uuid::parse_str(raw).ok()?;
    (u.get_version_num() == 7).then(|| u.hyphenated().to_string())
}

/// The value that `by_rank` will put first.
fn by_rank_peek(list: &[(u32, LabeledValue)]) -> Option<&str> {
    list.iter()
        .enumerate()
        .min_by_key(|(i, (r, _))| (*r, *i))
        .map(|(_, (_, v))| v.value.as_str())
}

fn by_rank<T>(mut list: Vec<(u32, T)>) -> Vec<T> {
    list.sort_by_key(|(r, _)| *r); // stable: equal ranks keep file order
    list.into_iter().map(|(_, v)| v).collect()
}

/// The one-line form of an address from its parts.
pub(crate) fn one_line(a: &Address) -> String {
    [&a.street, &a.city, &a.region, &a.postal_code, &a.country]
        .iter()
        .filter_map(|p| p.as_deref())
        .map(|p| p.replace('\n', ", "))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
#[path = "vcard_tests.rs"]
mod tests;
