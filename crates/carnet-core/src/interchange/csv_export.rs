//! CSV export: Google Contacts' current header (which Google, Apple via Google, and
//! Outlook all read), with as many numbered E-mail/Phone/Address/Website columns as the
//! data needs, `* ` marking the primary entry, and custom fields as Custom Field pairs.

use std::io::Write;

use serde_json::Value;

use super::{io_err, VcardExtras};
use crate::error::{Error, Result};
use crate::model::Person;

/// Google Contacts' current header, with as many numbered columns as the data needs.
pub(crate) fn export(out: &mut dyn Write, people: &[(Person, Option<VcardExtras>)]) -> Result<u32> {
    let max =
        |f: &dyn Fn(&Person) -> usize| people.iter().map(|(p, _)| f(p)).max().unwrap_or(0).max(1);
    let (ne, np, na, nu) = (
        max(&|p| p.emails.len()),
        max(&|p| p.phones.len()),
        max(&|p| p.addresses.len()),
        max(&|p| p.urls.len()),
    );
    let mut keys: Vec<&String> = people
        .iter()
        .flat_map(|(p, _)| p.custom_fields.keys())
        .collect();
    keys.sort();
    keys.dedup();
    let mut header: Vec<String> = [
        "First Name",
        "Middle Name",
        "Last Name",
        "Name Prefix",
        "Name Suffix",
        "File As",
        "Organization Name",
        "Organization Title",
        "Organization Department",
        "Birthday",
        "Notes",
        "Labels",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for (kind, n) in [("E-mail", ne), ("Phone", np)] {
        for i in 1..=n {
            header.push(format!("{kind} {i} - Label"));
            header.push(format!("{kind} {i} - Value"));
        }
    }
    for i in 1..=na {
        for part in [
            "Label",
            "Formatted",
            "Street",
            "City",
            "Region",
            "Postal Code",
            "Country",
        ] {
            header.push(format!("Address {i} - {part}"));
        }
    }
    for i in 1..=nu {
        header.push(format!("Website {i} - Label"));
        header.push(format!("Website {i} - Value"));
    }
    for (i, _) in keys.iter().enumerate() {
        header.push(format!("Custom Field {} - Label", i + 1));
        header.push(format!("Custom Field {} - Value", i + 1));
    }
    let mut w = csv::WriterBuilder::new().from_writer(out);
    w.write_record(&header).map_err(csv_err)?;
    let mut row: Vec<String> = Vec::with_capacity(header.len());
    for (p, ex) in people {
        row.clear();
        let parts = ex
            .as_ref()
            .map(|x| x.name_parts.clone())
            .unwrap_or_default();
        let part = |i: usize| parts.get(i).cloned().unwrap_or_default();
        let s = |o: &Option<String>| o.clone().unwrap_or_default();
        // `File As` carries a full name that is not simply first + last.
        let derived = [p.first_name.as_deref(), p.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let file_as = if p.full_name == derived {
            String::new()
        } else {
            p.full_name.clone()
        };
        row.extend([
            s(&p.first_name),
            part(0),
            s(&p.last_name),
            part(1),
            part(2),
            file_as,
        ]);
        row.push(p.company.clone().unwrap_or_default());
        row.push(s(&p.job_title));
        row.push(
            ex.as_ref()
                .and_then(|x| x.org_units.first().cloned())
                .unwrap_or_default(),
        );
        row.push(s(&p.birthday));
        row.push(s(&p.description));
        row.push(p.tags.join(" ::: "));
        let lab = |l: &Option<String>, first: bool| match (l, first) {
            (Some(l), true) => format!("* {l}"),
            (None, true) => "*".into(),
            (l, false) => l.clone().unwrap_or_default(),
        };
        for i in 0..ne {
            let e = p.emails.get(i);
            row.push(e.map(|e| lab(&e.label, i == 0)).unwrap_or_default());
            row.push(e.map(|e| e.value.clone()).unwrap_or_default());
        }
        for i in 0..np {
            let e = p.phones.get(i);
            row.push(e.map(|e| lab(&e.label, i == 0)).unwrap_or_default());
            row.push(e.map(|e| e.value.clone()).unwrap_or_default());
        }
        for i in 0..na {
            match p.addresses.get(i) {
                Some(a) => row.extend([
                    lab(&a.label, i == 0),
                    a.value.clone(),
                    s(&a.street),
                    s(&a.city),
                    s(&a.region),
                    s(&a.postal_code),
                    s(&a.country),
                ]),
                None => row.extend(std::iter::repeat_n(String::new(), 7)),
            }
        }
        for i in 0..nu {
            let e = p.urls.get(i);
            row.push(e.map(|e| lab(&e.label, i == 0)).unwrap_or_default());
            row.push(e.map(|e| e.value.clone()).unwrap_or_default());
        }
        for k in &keys {
            match p.custom_fields.get(*k) {
                Some(v) => {
                    row.push((*k).clone());
                    row.push(match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    });
                }
                None => row.extend([String::new(), String::new()]),
            }
        }
        w.write_record(&row).map_err(csv_err)?;
    }
    w.flush().map_err(io_err)?;
    Ok(people.len() as u32)
}

fn csv_err(e: csv::Error) -> Error {
    Error::new(
        crate::error::ErrorCode::Io,
        None,
        format!("cannot write the CSV export: {e}"),
    )
}
