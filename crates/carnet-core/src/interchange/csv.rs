//! CSV with the `csv` crate: Google Contacts (old and new headers), Outlook, and any
//! other file through header aliases plus `--map column=field`.
//!
//! Columns are planned once from the header: Google's numbered `E-mail 1 - Value` /
//! `- Label` pairs (with ` ::: ` between several values in one cell and `* ` marking
//! the primary), Outlook's fixed `Business Phone`, `Home Street`, `Categories` columns,
//! and a generic alias table (`email`, `phone`, `company`, ...). Each row then becomes a
//! record; a row that cannot be read is reported with its line number. Export is in
//! `csv_export`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{ParseFailure, Parsed, Record, VcardExtras};
use crate::error::{Error, Result};
use crate::input::{field_key, CompanyInput};
use crate::model::{Address, LabeledValue, Phone};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    Value,
    Label,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum AdrPart {
    Label,
    Formatted,
    Street,
    PoBox,
    Extended,
    City,
    Region,
    Postal,
    Country,
}

/// Where a column goes.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    First,
    Middle,
    Last,
    Full,
    Prefix,
    Suffix,
    JobTitle,
    Department,
    Company,
    Birthday,
    Notes,
    /// Tags, split on the separator (Google ` ::: `, Outlook `;`).
    Tags,
    Email(u32, Part),
    Phone(u32, Part),
    Url(u32, Part),
    Address(u32, AdrPart),
    /// A fixed-label column (Outlook `Mobile Phone`, `E-mail 2 Address`).
    EmailAs(u32, &'static str),
    PhoneAs(u32, &'static str),
    UrlAs(u32, &'static str),
    AddressAs(&'static str, AdrPart),
    CustomLabel(u32),
    CustomValue(u32),
    Custom(String),
    Ignore,
}

/// A CSV file whose header has been read and mapped: its rows are read by `each`.
pub(crate) struct Rows<'a> {
    text: &'a str,
    rdr: csv::Reader<&'a [u8]>,
    headers: csv::StringRecord,
    plan: Vec<Target>,
    unknown: Vec<String>,
}

/// Open a CSV text for reading its rows (row errors become failed records, see `each`).
/// The header is read and its columns mapped here (`mapping` first, then the known
/// exporters' names): an unreadable header or a bad mapping is the whole file's error.
pub(crate) fn open<'a>(text: &'a str, mapping: &BTreeMap<String, String>) -> Result<Rows<'a>> {
    let first_line = text.lines().next().unwrap_or("");
    let delim = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first_line.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| Error::validation("csv", format!("line 1: cannot read the header: {e}")))?
        .clone();
    let mut plan = Vec::with_capacity(headers.len());
    let mut unknown = Vec::new();
    for h in headers.iter() {
        let h = h.trim();
        let t = match mapping.get(h) {
            Some(f) => mapped(f).ok_or_else(|| {
                Error::validation(
                    "map",
                    format!("\"{f}\" (for column \"{h}\") is not a person field: use firstName, lastName, fullName, jobTitle, description, birthday, emails, phones, addresses, urls, company, tags, a cf_ key, or ignore"),
                )
            })?,
            None => detect(h),
        };
        if t == Target::Ignore
            && !h.is_empty()
            && !mapping.contains_key(h)
            && !KNOWN_EMPTY.contains(&h)
        {
            unknown.push(h.to_string());
        }
        plan.push(t);
    }
    if let Some(k) = mapping
        .keys()
        .find(|k| !headers.iter().any(|h| h.trim() == k.as_str()))
    {
        return Err(Error::validation(
            "map",
            format!("the file has no column \"{k}\""),
        ));
    }
    Ok(Rows {
        text,
        rdr,
        headers,
        plan,
        unknown,
    })
}

impl Rows<'_> {
    /// Give each row, as a record or the reason it is not one, to `f`, until it returns
    /// false or the file ends.
    pub(crate) fn each(self, mut f: impl FnMut(Parsed) -> bool) {
        let Rows {
            text,
            mut rdr,
            headers,
            plan,
            unknown,
        } = self;
        let mut row = csv::StringRecord::new();
        let mut first = true;
        // Line numbers from byte offsets (the reader's own count lags after a CRLF): a record
        // after CRLF starts at the `\n`, so a newline at the start offset counts as passed.
        let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
        let line_at = |byte: u64| newlines.partition_point(|&i| (i as u64) <= byte) as u32 + 1;
        loop {
            let line = line_at(rdr.position().byte());
            match rdr.read_record(&mut row) {
                Ok(false) => break,
                Ok(true) => {
                    let line = row.position().map(|p| line_at(p.byte())).unwrap_or(line);
                    let location = format!("line {line}");
                    if row.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    if row.len() != headers.len() {
                        if !f(Err(ParseFailure {
                            position: line,
                            location,
                            error: Error::validation(
                                "csv",
                                format!(
                                    "has {} fields but the header has {}",
                                    row.len(),
                                    headers.len()
                                ),
                            ),
                        })) {
                            return;
                        }
                        continue;
                    }
                    let mut rec = to_record(&plan, &row, line, location);
                    if first && !unknown.is_empty() {
                        rec.warnings.push((
                            "csv".into(),
                            format!(
                                "columns not imported: {} (use --map COLUMN=FIELD)",
                                unknown.join(", ")
                            ),
                        ));
                    }
                    first = false;
                    if !f(Ok(rec)) {
                        return;
                    }
                }
                Err(e) => {
                    // The reader cannot resynchronise after a broken quote; stop here.
                    f(Err(ParseFailure {
                        position: line,
                        location: format!("line {line}"),
                        error: Error::validation("csv", format!("cannot be read: {e}")),
                    }));
                    break;
                }
            }
        }
    }
}

/// Columns that Google and Outlook export and that carry nothing Carnet keeps.
const KNOWN_EMPTY: &[&str] = &[
    "Photo",
    "Phonetic First Name",
    "Phonetic Middle Name",
    "Phonetic Last Name",
    "Given Yomi",
    "Surname Yomi",
    "Yomi Name",
    "Given Name Yomi",
    "Family Name Yomi",
];

/// A `--map` field name to a target.
fn mapped(f: &str) -> Option<Target> {
    Some(match f {
        "firstName" => Target::First,
        "lastName" => Target::Last,
        "fullName" => Target::Full,
        "jobTitle" => Target::JobTitle,
        "description" | "notes" => Target::Notes,
        "birthday" => Target::Birthday,
        "emails" | "email" => Target::EmailAs(900, ""),
        "phones" | "phone" => Target::PhoneAs(900, ""),
        "urls" | "url" | "website" => Target::UrlAs(900, ""),
        "addresses" | "address" => Target::Address(900, AdrPart::Formatted),
        "company" | "companies" => Target::Company,
        "tags" => Target::Tags,
        "ignore" | "-" => Target::Ignore,
        k if k.starts_with("cf_") && crate::validate::custom_key(k).is_ok() => {
            Target::Custom(k.into())
        }
        _ => return None,
    })
}

/// `E-mail 2 - Value` -> (`E-mail`, 2, `Value`).
fn numbered(h: &str) -> Option<(&str, u32, &str)> {
    let (left, part) = h.split_once(" - ")?;
    let (kind, n) = left.rsplit_once(' ')?;
    Some((kind, n.parse().ok()?, part))
}

fn adr_part(p: &str) -> Option<AdrPart> {
    Some(match p.to_ascii_lowercase().as_str() {
        "type" | "label" => AdrPart::Label,
        "formatted" => AdrPart::Formatted,
        "street" => AdrPart::Street,
        "po box" | "pobox" => AdrPart::PoBox,
        "extended address" => AdrPart::Extended,
        "city" => AdrPart::City,
        "region" | "state" => AdrPart::Region,
        "postal code" | "zip" | "zip code" => AdrPart::Postal,
        "country" | "country/region" => AdrPart::Country,
        _ => return None,
    })
}

/// A header to a target: Google numbered columns, Outlook's columns, generic aliases.
fn detect(h: &str) -> Target {
    if let Some((kind, n, part)) = numbered(h) {
        let vp = match part {
            "Value" => Some(Part::Value),
            "Type" | "Label" => Some(Part::Label),
            _ => None,
        };
        match (kind, vp) {
            ("E-mail", Some(p)) => return Target::Email(n, p),
            ("Phone", Some(p)) => return Target::Phone(n, p),
            ("Website", Some(p)) => return Target::Url(n, p),
            ("Custom Field", Some(Part::Value)) => return Target::CustomValue(n),
            ("Custom Field", Some(Part::Label)) => return Target::CustomLabel(n),
            ("Address", _) => {
                if let Some(a) = adr_part(part) {
                    return Target::Address(n, a);
                }
            }
            ("Organization", _) if n == 1 => match part {
                "Name" => return Target::Company,
                "Title" => return Target::JobTitle,
                "Department" => return Target::Department,
                _ => {}
            },
            _ => {}
        }
    }
    // Outlook's address columns: `Business Street`, `Home Postal Code`, `Other Country/Region`.
    for (prefix, label) in [
        ("Business ", "work"),
        ("Home ", "home"),
        ("Other ", "other"),
    ] {
        if let Some(rest) = h.strip_prefix(prefix) {
            let part = match rest {
                "Street" => Some(AdrPart::Street),
                "Street 2" | "Street 3" => Some(AdrPart::Extended),
                "City" => Some(AdrPart::City),
                "State" => Some(AdrPart::Region),
                "Postal Code" => Some(AdrPart::Postal),
                "Country/Region" | "Country" => Some(AdrPart::Country),
                "PO Box" => Some(AdrPart::PoBox),
                _ => None,
            };
            if let Some(p) = part {
                return Target::AddressAs(label, p);
            }
        }
    }
    let folded = crate::text::fold(h);
    match folded.trim() {
        "first name" | "firstname" | "given name" | "first" | "prenom" => Target::First,
        "middle name" | "additional name" => Target::Middle,
        "last name" | "lastname" | "family name" | "surname" | "last" | "nom" => Target::Last,
        "name" | "full name" | "fullname" | "display name" | "file as" => Target::Full,
        "name prefix" | "title" | "prefix" => Target::Prefix,
        "name suffix" | "suffix" => Target::Suffix,
        "job title" | "jobtitle" | "organization title" | "position" | "role" => Target::JobTitle,
        "department" | "organization department" => Target::Department,
        "company" | "organization" | "organization name" | "organisation" | "employer" => {
            Target::Company
        }
        "birthday" | "birth date" | "date of birth" | "dob" => Target::Birthday,
        "notes" | "note" | "description" | "comments" => Target::Notes,
        "labels" | "group membership" | "categories" | "tags" | "groups" => Target::Tags,
        "e-mail address" | "email address" | "email" | "e-mail" | "mail" => Target::EmailAs(1, ""),
        "e-mail 2 address" => Target::EmailAs(2, ""),
        "e-mail 3 address" => Target::EmailAs(3, ""),
        "phone" | "telephone" | "phone number" | "primary phone" => Target::PhoneAs(1, ""),
        "mobile phone" | "mobile" | "cell phone" | "cell" => Target::PhoneAs(2, "mobile"),
        "business phone" | "work phone" => Target::PhoneAs(3, "work"),
        "business phone 2" => Target::PhoneAs(4, "work"),
        "home phone" => Target::PhoneAs(5, "home"),
        "home phone 2" => Target::PhoneAs(6, "home"),
        "business fax" => Target::PhoneAs(7, "work fax"),
        "home fax" => Target::PhoneAs(8, "home fax"),
        "other phone" => Target::PhoneAs(9, "other"),
        "pager" => Target::PhoneAs(10, "pager"),
        "company main phone" => Target::PhoneAs(11, "main"),
        "car phone" => Target::PhoneAs(12, "car"),
        "web page" | "website" | "url" | "web site" => Target::UrlAs(1, ""),
        "personal web page" => Target::UrlAs(2, "home"),
        "address" => Target::Address(1, AdrPart::Formatted),
        "street" => Target::Address(1, AdrPart::Street),
        "city" => Target::Address(1, AdrPart::City),
        "state" | "region" | "province" => Target::Address(1, AdrPart::Region),
        "zip" | "postal code" | "zip code" | "postcode" => Target::Address(1, AdrPart::Postal),
        "country" => Target::Address(1, AdrPart::Country),
        _ => Target::Ignore,
    }
}

/// Google puts several values in one cell: `a@x.com ::: b@y.com`.
fn multi(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(":::").map(str::trim).filter(|s| !s.is_empty())
}

/// Google marks the primary entry's label with `* ` (`* Work`).
fn label_of(raw: Option<&str>) -> (Option<String>, bool) {
    match raw.map(str::trim) {
        None | Some("") => (None, false),
        Some(l) => match l.strip_prefix('*') {
            Some(rest) => (crate::text::clean(rest).map(|s| s.to_lowercase()), true),
            None => (Some(l.to_lowercase()), false),
        },
    }
}

#[derive(Default)]
struct Slot {
    values: Vec<String>,
    label: Option<String>,
    adr: Address,
    has_adr: bool,
}

fn to_record(plan: &[Target], row: &csv::StringRecord, line: u32, location: String) -> Record {
    let mut r = Record {
        position: line,
        location,
        ..Default::default()
    };
    let p = &mut r.patch;
    let mut emails: BTreeMap<u32, Slot> = BTreeMap::new();
    let mut phones: BTreeMap<u32, Slot> = BTreeMap::new();
    let mut urls: BTreeMap<u32, Slot> = BTreeMap::new();
    let mut adrs: BTreeMap<String, Slot> = BTreeMap::new();
    let mut custom_labels: BTreeMap<u32, String> = BTreeMap::new();
    let mut custom_values: BTreeMap<u32, String> = BTreeMap::new();
    let mut custom = Map::new();
    let mut ex = VcardExtras {
        name_parts: vec![String::new(); 3],
        ..Default::default()
    };
    let mut tags = Vec::new();
    let mut company = None;
    let mut notes = Vec::new();
    for (i, t) in plan.iter().enumerate() {
        let Some(cell) = row.get(i).map(str::trim).filter(|c| !c.is_empty()) else {
            continue;
        };
        let own = || Some(cell.to_string());
        match t {
            Target::First => p.first_name = Some(own()),
            Target::Last => p.last_name = Some(own()),
            Target::Full => p.full_name = Some(own()),
            Target::Middle => ex.name_parts[0] = cell.into(),
            Target::Prefix => ex.name_parts[1] = cell.into(),
            Target::Suffix => ex.name_parts[2] = cell.into(),
            Target::JobTitle => p.job_title = Some(own()),
            Target::Department => ex.org_units = vec![cell.into()],
            Target::Company => company = Some(cell.to_string()),
            Target::Birthday => match birthday(cell) {
                Some(b) => p.birthday = Some(Some(b)),
                None => r.warnings.push(("birthday".into(), format!("\"{cell}\" is not a date Carnet reads (YYYY-MM-DD, --MM-DD, M/D/YYYY); not imported"))),
            },
            Target::Notes => notes.push(cell.to_string()),
            Target::Tags => {
                let parts: Vec<&str> = if cell.contains(":::") { multi(cell).collect() } else { cell.split(';').map(str::trim).collect() };
                for tag in parts {
                    // Google's system groups.
                    if tag.is_empty() || tag.eq_ignore_ascii_case("* myContacts") {
                        continue;
                    }
                    tags.push(tag.trim_start_matches("* ").to_string());
                }
            }
            Target::Email(n, Part::Value) => emails.entry(*n).or_default().values.extend(multi(cell).map(String::from)),
            Target::Email(n, Part::Label) => emails.entry(*n).or_default().label = Some(cell.into()),
            Target::Phone(n, Part::Value) => phones.entry(*n).or_default().values.extend(multi(cell).map(String::from)),
            Target::Phone(n, Part::Label) => phones.entry(*n).or_default().label = Some(cell.into()),
            Target::Url(n, Part::Value) => urls.entry(*n).or_default().values.extend(multi(cell).map(String::from)),
            Target::Url(n, Part::Label) => urls.entry(*n).or_default().label = Some(cell.into()),
            Target::EmailAs(n, l) => fixed(&mut emails, *n + i as u32 * 1000, l, cell),
            Target::PhoneAs(n, l) => fixed(&mut phones, *n + i as u32 * 1000, l, cell),
            Target::UrlAs(n, l) => fixed(&mut urls, *n + i as u32 * 1000, l, cell),
            Target::Address(n, part) => set_adr(adrs.entry(format!("{n:04}")).or_default(), *part, cell),
            Target::AddressAs(label, part) => {
                let s = adrs.entry(format!("z{label}")).or_default();
                s.label = Some((*label).into());
                set_adr(s, *part, cell);
            }
            Target::CustomLabel(n) => {
                custom_labels.insert(*n, cell.into());
            }
            Target::CustomValue(n) => {
                custom_values.insert(*n, cell.into());
            }
            Target::Custom(k) => {
                custom.insert(k.clone(), Value::String(cell.into()));
            }
            Target::Ignore => {}
        }
    }
    for (n, v) in custom_values {
        let label = custom_labels
            .get(&n)
            .cloned()
            .unwrap_or_else(|| format!("custom {n}"));
        custom.insert(field_key(&label), Value::String(v));
    }
    p.emails = Some(list(emails, |value, label| LabeledValue { value, label }));
    p.phones = Some(list(phones, |value, label| Phone {
        value,
        label,
        e164: None,
    }));
    p.urls = Some(list(urls, |value, label| LabeledValue { value, label }));
    let mut addresses = Vec::new();
    for (_, s) in adrs {
        if !s.has_adr {
            continue;
        }
        let mut a = s.adr;
        let (label, _) = label_of(s.label.as_deref());
        a.label = label;
        if a.value.is_empty() {
            a.value = super::vcard::one_line(&a);
        }
        addresses.push(a);
    }
    p.addresses = Some(addresses);
    p.tags = Some(tags);
    p.companies = Some(company.map(CompanyInput::Name).into_iter().collect());
    p.description = Some(crate::text::clean(&notes.join("\n\n")));
    if !custom.is_empty() {
        p.custom_fields = Some(custom);
    }
    if ex.name_parts.iter().all(|s| s.is_empty()) {
        ex.name_parts.clear();
    }
    if !ex.is_empty() {
        r.extras = Some(ex);
    }
    r
}

fn fixed(map: &mut BTreeMap<u32, Slot>, key: u32, label: &str, cell: &str) {
    let s = map.entry(key).or_default();
    s.values.extend(multi(cell).map(String::from));
    if !label.is_empty() {
        s.label = Some(label.into());
    }
}

fn set_adr(s: &mut Slot, part: AdrPart, cell: &str) {
    let v = Some(cell.to_string());
    let a = &mut s.adr;
    match part {
        AdrPart::Label => {
            s.label = v;
            return;
        }
        AdrPart::Formatted => a.value = cell.replace('\n', ", "),
        AdrPart::Street | AdrPart::PoBox | AdrPart::Extended => {
            a.street = Some(match a.street.take() {
                Some(st) => format!("{st}\n{cell}"),
                None => cell.to_string(),
            })
        }
        AdrPart::City => a.city = v,
        AdrPart::Region => a.region = v,
        AdrPart::Postal => a.postal_code = v,
        AdrPart::Country => a.country = v,
    }
    s.has_adr = true;
}

/// Slots in column order; a `* ` label moves its values to the front.
fn list<T>(slots: BTreeMap<u32, Slot>, make: impl Fn(String, Option<String>) -> T) -> Vec<T> {
    let mut primary = Vec::new();
    let mut rest = Vec::new();
    for (_, s) in slots {
        let (label, is_primary) = label_of(s.label.as_deref());
        for v in s.values {
            let item = make(v, label.clone());
            if is_primary {
                primary.push(item)
            } else {
                rest.push(item)
            }
        }
    }
    primary.extend(rest);
    primary
}

/// `1980-03-22`, `--03-22`, Outlook's `3/22/1980` (and `0/0/00` for none).
fn birthday(cell: &str) -> Option<String> {
    if crate::validate::birthday(cell).is_ok() {
        return Some(cell.into());
    }
    let parts: Vec<&str> = cell.split('/').collect();
    if let [m, d, y] = parts.as_slice() {
        let (m, d, y): (u32, u32, u32) = (m.parse().ok()?, d.parse().ok()?, y.parse().ok()?);
        let b = format!("{y:04}-{m:02}-{d:02}");
        return crate::validate::birthday(&b).is_ok().then_some(b);
    }
    None
}
