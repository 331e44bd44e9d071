//! A person (and its kept vCard extras) to a vCard 3.0 or 4.0, written with `calcard`
//! (escaping, folding at 75 octets, CRLF, base64 PHOTO for 3.0 / data: URI for 4.0).
//!
//! Everything Carnet stores goes out so that importing the file gives the same person
//! back: labels as TYPE or `itemN.X-ABLabel`, the primary entry first with PREF, a
//! birthday without year as `--MMDD` (4.0) or Apple's `X-APPLE-OMIT-YEAR` (3.0), custom
//! fields as `X-CARNET-FIELD;KEY=cf_…:<JSON>`, and the UID `urn:uuid:<id>` unless the
//! person came with its own.

use std::collections::HashSet;

use calcard::vcard::{
    VCard, VCardEntry, VCardParameter, VCardParameterName, VCardProperty, VCardValue, VCardVersion,
};
use calcard::{Entry, Parser};

use super::labels::{label_out, LabelOut};
use super::vcard::{one_line, FIELD_PROP};
use super::VcardExtras;
use crate::model::Person;

/// Appends one person as a vCard to `out`.
pub(crate) fn write_person(out: &mut String, p: &Person, ex: Option<&VcardExtras>, v4: bool) {
    let kept = ex.map(kept_entries).unwrap_or_default();
    let mut groups = Groups {
        taken: kept
            .iter()
            .filter_map(|e| e.group.as_ref().map(|g| g.to_ascii_lowercase()))
            .collect(),
        next: 1,
    };
    let mut entries: Vec<VCardEntry> = Vec::with_capacity(16 + kept.len());
    let text = |s: &str| VCardValue::Text(s.to_string());

    let uid = match ex.and_then(|x| x.uid.clone()) {
        Some(u) => u,
        None => format!("urn:uuid:{}", p.id),
    };
    entries.push(VCardEntry::new(VCardProperty::Uid).with_value(text(&uid)));
    let formatted = if p.full_name.is_empty() {
        p.emails
            .first()
            .map(|e| e.value.clone())
            .unwrap_or_default()
    } else {
        p.full_name.clone()
    };
    entries.push(VCardEntry::new(VCardProperty::Fn).with_value(text(&formatted)));
    let mut n = vec![
        text(p.last_name.as_deref().unwrap_or("")),
        text(p.first_name.as_deref().unwrap_or("")),
    ];
    let parts = ex.map(|x| x.name_parts.as_slice()).unwrap_or(&[]);
    for i in 0..3 {
        n.push(text(parts.get(i).map(String::as_str).unwrap_or("")));
    }
    entries.push(VCardEntry::new(VCardProperty::N).with_values(n));
    for (i, c) in p.companies.iter().enumerate() {
        let mut vals = vec![text(&c.name)];
        if i == 0 {
            for u in ex.map(|x| x.org_units.as_slice()).unwrap_or(&[]) {
                vals.push(text(u));
            }
        }
        entries.push(VCardEntry::new(VCardProperty::Org).with_values(vals));
    }
    if let Some(t) = &p.job_title {
        entries.push(VCardEntry::new(VCardProperty::Title).with_value(text(t)));
    }
    for (i, e) in p.emails.iter().enumerate() {
        let base = VCardEntry::new(VCardProperty::Email).with_value(text(&e.value));
        labeled(
            &mut entries,
            &mut groups,
            base,
            e.label.as_deref(),
            i == 0 && p.emails.len() > 1,
            v4,
        );
    }
    for (i, ph) in p.phones.iter().enumerate() {
        let base = VCardEntry::new(VCardProperty::Tel).with_value(text(&ph.value));
        labeled(
            &mut entries,
            &mut groups,
            base,
            ph.label.as_deref(),
            i == 0 && p.phones.len() > 1,
            v4,
        );
    }
    for (i, a) in p.addresses.iter().enumerate() {
        let part = |o: &Option<String>| text(o.as_deref().unwrap_or(""));
        let mut base = VCardEntry::new(VCardProperty::Adr).with_values(vec![
            text(""),
            text(""),
            part(&a.street),
            part(&a.city),
            part(&a.region),
            part(&a.postal_code),
            part(&a.country),
        ]);
        let no_parts = [&a.street, &a.city, &a.region, &a.postal_code, &a.country]
            .iter()
            .all(|x| x.is_none());
        if no_parts {
            // Only the one-line form is known: it goes in the street slot and LABEL.
            base.values[2] = text(&a.value);
        }
        if a.value != one_line(a) {
            base.params.push(VCardParameter::new(
                VCardParameterName::Label,
                a.value.clone(),
            ));
        }
        labeled(
            &mut entries,
            &mut groups,
            base,
            a.label.as_deref(),
            i == 0 && p.addresses.len() > 1,
            v4,
        );
    }
    for (i, u) in p.urls.iter().enumerate() {
        let base = VCardEntry::new(VCardProperty::Url).with_value(text(&u.value));
        labeled(
            &mut entries,
            &mut groups,
            base,
            u.label.as_deref(),
            i == 0 && p.urls.len() > 1,
            v4,
        );
    }
    if let Some(b) = &p.birthday {
        entries.push(birthday(b, v4));
    }
    if let Some(d) = &p.description {
        entries.push(VCardEntry::new(VCardProperty::Note).with_value(text(d)));
    }
    if !p.tags.is_empty() {
        entries.push(
            VCardEntry::new(VCardProperty::Categories)
                .with_values(p.tags.iter().map(|t| text(t)).collect()),
        );
    }
    if let (Some(lat), Some(lon)) = (p.latitude, p.longitude) {
        let g = if v4 {
            format!("geo:{lat},{lon}")
        } else {
            format!("{lat};{lon}")
        };
        entries.push(VCardEntry::new(VCardProperty::Geo).with_value(text(&g)));
    }
    for (k, v) in &p.custom_fields {
        entries.push(
            VCardEntry::new(VCardProperty::Other(FIELD_PROP.into()))
                .with_param(VCardParameter::new(
                    VCardParameterName::Other("KEY".into()),
                    k.clone(),
                ))
                .with_value(text(&v.to_string())),
        );
    }
    entries.extend(kept);
    let card = VCard { entries };
    let version = if v4 {
        VCardVersion::V4_0
    } else {
        VCardVersion::V3_0
    };
    // Writing to a String cannot fail.
    let _ = card.write_to(out, version);
}

/// Generated `itemN` group names that do not clash with kept ones.
struct Groups {
    taken: HashSet<String>,
    next: u32,
}

impl Groups {
    fn fresh(&mut self) -> String {
        loop {
            let g = format!("item{}", self.next);
            self.next += 1;
            if !self.taken.contains(&g) {
                return g;
            }
        }
    }
}

fn labeled(
    entries: &mut Vec<VCardEntry>,
    groups: &mut Groups,
    mut e: VCardEntry,
    label: Option<&str>,
    primary: bool,
    v4: bool,
) {
    let mut types: Vec<String> = Vec::new();
    let mut ab = None;
    match label_out(label) {
        LabelOut::None => {}
        LabelOut::Types(t) => types = t,
        LabelOut::AbLabel(l) => ab = Some(l),
    }
    if primary && !v4 {
        types.push("pref".into());
    }
    for t in types {
        e.params
            .push(VCardParameter::new(VCardParameterName::Type, t));
    }
    if primary && v4 {
        e.params
            .push(VCardParameter::new(VCardParameterName::Pref, 1u32));
    }
    match ab {
        Some(l) => {
            let g = groups.fresh();
            e.group = Some(g.clone());
            entries.push(e);
            entries.push(
                VCardEntry::new(VCardProperty::Other("X-ABLabel".into()))
                    .with_group(Some(g))
                    .with_value(VCardValue::Text(l)),
            );
        }
        None => entries.push(e),
    }
}

fn birthday(b: &str, v4: bool) -> VCardEntry {
    let e = VCardEntry::new(VCardProperty::Bday);
    match (b.strip_prefix("--"), v4) {
        (Some(md), true) => e.with_value(VCardValue::Text(format!("--{}", md.replace('-', "")))),
        (Some(md), false) => e
            .with_param(VCardParameter::new(
                VCardParameterName::Other("X-APPLE-OMIT-YEAR".into()),
                "1604".to_string(),
            ))
            .with_value(VCardValue::Text(format!("1604-{md}"))),
        (None, true) => e.with_value(VCardValue::Text(b.replace('-', ""))),
        (None, false) => e.with_value(VCardValue::Text(b.to_string())),
    }
}

/// The kept properties, read back from their 3.0 lines.
fn kept_entries(ex: &VcardExtras) -> Vec<VCardEntry> {
    if ex.lines.is_empty() {
        return vec![];
    }
    let mut text = String::from("BEGIN:VCARD\r\nVERSION:3.0\r\n");
    for l in &ex.lines {
        text.push_str(l);
        if !l.ends_with('\n') {
            text.push_str("\r\n");
        }
    }
    text.push_str("END:VCARD\r\n");
    match Parser::new(&text).entry() {
        Entry::VCard(c) => c
            .entries
            .into_iter()
            .filter(|e| {
                !matches!(
                    e.name,
                    VCardProperty::Version | VCardProperty::Begin | VCardProperty::End
                )
            })
            .collect(),
        _ => vec![],
    }
}

/// The vCard version asked for, checked: 3 or 4.
pub(crate) fn check_version(v: u8) -> crate::error::Result<bool> {
    match v {
        3 => Ok(false),
        4 => Ok(true),
        _ => Err(crate::error::Error::validation(
            "version",
            format!("{v} is not a vCard version Carnet writes (3 or 4)"),
        )),
    }
}
