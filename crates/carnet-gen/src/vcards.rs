//! Real-world-shaped vCard files of generated people: 3.0 with Apple `itemN.` groups and
//! X- properties, 4.0 with PREF and `--MMDD` birthdays, 2.1 with quoted-printable names,
//! notes with escaped punctuation and PHOTO URIs, the way exporters write them.

use std::fmt::Write as _;

use serde_json::Value;

/// The people's vCards, one after another, CRLF line ends, as one file.
pub fn file(bodies: &[Value]) -> String {
    let mut out = String::with_capacity(bodies.len() * 400);
    for (i, b) in bodies.iter().enumerate() {
        vcard(i, b, &mut out);
    }
    out
}

fn s<'a>(b: &'a Value, k: &str) -> Option<&'a str> {
    b.get(k).and_then(Value::as_str)
}

pub fn list(b: &Value, k: &str) -> Vec<(String, Option<String>)> {
    b.get(k)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|x| {
                    (
                        x["value"].as_str().unwrap_or("").to_string(),
                        x["label"].as_str().map(String::from),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// One person as a vCard, varied the way real files are: 3.0 with Apple groups and
/// X- properties, 4.0 with PREF and `--MMDD` birthdays, 2.1 with quoted-printable names.
pub fn vcard(i: usize, b: &Value, out: &mut String) {
    let v = match i % 10 {
        0..=5 => "3.0",
        6..=8 => "4.0",
        _ => "2.1",
    };
    let first = s(b, "firstName").unwrap_or("");
    let last = s(b, "lastName").unwrap_or("");
    let full = s(b, "fullName")
        .map(String::from)
        .unwrap_or_else(|| format!("{first} {last}").trim().to_string());
    let esc = |t: &str| {
        t.replace('\\', "\\\\")
            .replace(',', "\\,")
            .replace(';', "\\;")
            .replace('\n', "\\n")
    };
    let _ = write!(out, "BEGIN:VCARD\r\nVERSION:{v}\r\n");
    if v == "2.1" && !full.is_ascii() {
        let qp: String = full.bytes().map(|c| format!("={c:02X}")).collect();
        let _ = write!(out, "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp}\r\n");
    } else {
        let _ = write!(out, "FN:{}\r\n", esc(&full));
    }
    let _ = write!(out, "N:{};{};;;\r\n", esc(last), esc(first));
    for (k, (e, l)) in list(b, "emails").iter().enumerate() {
        match (v, k) {
            ("4.0", 0) => {
                let _ = write!(
                    out,
                    "EMAIL;TYPE={};PREF=1:{e}\r\n",
                    l.as_deref().unwrap_or("home")
                );
            }
            ("3.0", 0) if i.is_multiple_of(3) => {
                let _ = write!(
                    out,
                    "item1.EMAIL;type=INTERNET;type=pref:{e}\r\nitem1.X-ABLabel:_$!<Other>!$_\r\n"
                );
            }
            _ => {
                let _ = write!(
                    out,
                    "EMAIL;TYPE=INTERNET;TYPE={}:{e}\r\n",
                    l.as_deref().unwrap_or("home")
                );
            }
        }
    }
    for (p, l) in list(b, "phones") {
        let t = match l.as_deref() {
            Some("mobile") => "CELL",
            Some("work") => "WORK",
            _ => "HOME",
        };
        let _ = write!(out, "TEL;TYPE={t}:{p}\r\n");
    }
    if let Some(a) = b.get("addresses").and_then(|a| a.get(0)) {
        let _ = write!(
            out,
            "ADR;TYPE=HOME:;;{};{};;{};{}\r\n",
            esc(a["street"].as_str().unwrap_or("")),
            esc(a["city"].as_str().unwrap_or("")),
            a["postalCode"].as_str().unwrap_or(""),
            esc(a["country"].as_str().unwrap_or(""))
        );
    }
    if let Some(c) = b
        .get("companies")
        .and_then(|c| c.get(0))
        .and_then(|c| c["name"].as_str())
    {
        let _ = write!(out, "ORG:{};Sales\r\n", esc(c));
    }
    if let Some(t) = s(b, "jobTitle") {
        let _ = write!(out, "TITLE:{}\r\n", esc(t));
    }
    for (u, _) in list(b, "urls") {
        let _ = write!(out, "item2.URL:{u}\r\nitem2.X-ABLabel:_$!<HomePage>!$_\r\n");
    }
    if let Some(bd) = s(b, "birthday") {
        match (bd.strip_prefix("--"), v) {
            (Some(md), "4.0") => {
                let _ = write!(out, "BDAY:--{}\r\n", md.replace('-', ""));
            }
            (Some(md), _) => {
                let _ = write!(out, "BDAY;X-APPLE-OMIT-YEAR=1604:1604-{md}\r\n");
            }
            (None, _) => {
                let _ = write!(out, "BDAY:{bd}\r\n");
            }
        }
    }
    if let Some(tags) = b.get("tags").and_then(Value::as_array) {
        let t: Vec<String> = tags.iter().filter_map(Value::as_str).map(esc).collect();
        let _ = write!(out, "CATEGORIES:{}\r\n", t.join(","));
    }
    if i.is_multiple_of(4) {
        let _ = write!(
            out,
            "NOTE:Met at the {} meetup\\, follow up in spring\\; likes coffee.\r\n",
            i % 50
        );
    }
    if i.is_multiple_of(5) {
        let _ = write!(
            out,
            "X-PHONETIC-FIRST-NAME:{}\r\nX-ABUID:{i:08X}-BENCH:ABPerson\r\n",
            esc(first)
        );
    }
    if i.is_multiple_of(7) {
        let _ = write!(
            out,
            "PHOTO;VALUE=uri:https://example.com/photos/{i}.jpg\r\n"
        );
    }
    out.push_str("END:VCARD\r\n");
}
