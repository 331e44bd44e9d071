//! A deterministic generator of realistic people: the same seed gives the same people.
//!
//! Names mix scripts and accents (`Zoë Åberg`, `Łukasz Wójcik`, `Мария Иванова`, `李 伟`),
//! people have zero to three emails (always unique across the data set, as Carnet requires),
//! phones in mixed national and international formats, addresses with countries (so the
//! phone region can be derived), a company from a pool, tags, job titles and notes.
//! Benchmarks, demos (`carnet dev seed`) and tests use it; nothing here touches a database.

use serde_json::{json, Value};

pub mod vcards;
mod words;
use words::{
    CITIES, COMPANY_A, COMPANY_B, COMPANY_SUFFIX, FIRST, FREE_MAIL, LAST, NOTES, STREETS, TAGS,
    TITLES,
};

/// One generated person: a create body in Carnet's person shape, and note bodies.
#[derive(Debug, Clone)]
pub struct GenPerson {
    pub body: Value,
    pub notes: Vec<String>,
}

/// Generates people from a seed.
pub struct Generator {
    rng: fastrand::Rng,
    index: u64,
    companies: Vec<(String, String)>,
}

impl Generator {
    /// A generator with `company_count` companies in its pool (at least 1).
    pub fn new(seed: u64, company_count: usize) -> Self {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut companies = Vec::with_capacity(company_count.max(1));
        for i in 0..company_count.max(1) {
            let a = COMPANY_A[rng.usize(..COMPANY_A.len())];
            let b = COMPANY_B[rng.usize(..COMPANY_B.len())];
            let suffix = COMPANY_SUFFIX[rng.usize(..COMPANY_SUFFIX.len())];
            // The index keeps names (and so domains) unique without looking artificial for small pools.
            let name = if i < COMPANY_A.len() * COMPANY_B.len() / 4 {
                format!("{a} {b}{suffix}")
            } else {
                format!("{a} {b} {i}{suffix}")
            };
            let domain = format!(
                "{}.{}",
                slug(&format!("{a}{b}")),
                if i % 7 == 0 { "io" } else { "com" }
            );
            let domain = if i < COMPANY_A.len() * COMPANY_B.len() / 4 {
                domain
            } else {
                format!("{i}-{domain}")
            };
            companies.push((name, domain));
        }
        Generator {
            rng,
            index: 0,
            companies,
        }
    }

    /// The company pool: (name, domain).
    pub fn companies(&self) -> &[(String, String)] {
        &self.companies
    }

    /// The next person.
    pub fn next_person(&mut self) -> GenPerson {
        let r = &mut self.rng;
        let i = self.index;
        self.index += 1;
        let (first, _) = FIRST[r.usize(..FIRST.len())];
        let (last, _) = LAST[r.usize(..LAST.len())];
        let company = if r.u8(..10) < 8 {
            Some(self.companies[r.usize(..self.companies.len())].clone())
        } else {
            None
        };
        let country = CITIES[r.usize(..CITIES.len())];
        let mut body = serde_json::Map::new();
        match r.u8(..20) {
            0 => {} // email-only person
            1 => {
                body.insert("fullName".into(), json!(format!("{first} {last}")));
            }
            _ => {
                body.insert("firstName".into(), json!(first));
                body.insert("lastName".into(), json!(last));
            }
        }
        let local = format!("{}.{}", slug(first), slug(last));
        let tag = base36(i);
        let mut emails = Vec::new();
        let n_emails = if body.is_empty() {
            1 + r.usize(..2)
        } else {
            r.usize(..4)
        };
        for k in 0..n_emails {
            let domain = match (&company, k) {
                (Some((_, d)), 0) => d.clone(),
                _ => FREE_MAIL[r.usize(..FREE_MAIL.len())].to_string(),
            };
            let label = if k == 0 && company.is_some() {
                "work"
            } else {
                "home"
            };
            // `_k` after the person's base-36 index: with digits alone, index `8fy` plus a
            // second address (`8fy2`) collided with index `8fy2` at a million people.
            let suffix = if k > 0 {
                format!("_{k}")
            } else {
                String::new()
            };
            emails
                .push(json!({"value": format!("{local}.{tag}{suffix}@{domain}"), "label": label}));
        }
        if !emails.is_empty() {
            body.insert("emails".into(), Value::Array(emails));
        }
        let mut phones = Vec::new();
        for k in 0..r.usize(..4) {
            let label = ["mobile", "work", "home"][k % 3];
            phones.push(json!({"value": phone(r, country.2), "label": label}));
        }
        if !phones.is_empty() {
            body.insert("phones".into(), Value::Array(phones));
        }
        if r.bool() {
            let street = format!("{} {}", 1 + r.u16(..300), STREETS[r.usize(..STREETS.len())]);
            body.insert(
                "addresses".into(),
                json!([{"label": "home", "street": street, "city": country.0, "postalCode": format!("{:05}", r.u32(1000..99999)), "country": country.1}]),
            );
        }
        if let Some((name, domain)) = &company {
            body.insert("companies".into(), json!([{"name": name}]));
            if r.u8(..4) == 0 {
                body.insert("urls".into(), json!([{"value": format!("https://{domain}/team/{}", slug(first)), "label": "work"}]));
            }
        }
        if r.u8(..3) > 0 {
            body.insert("jobTitle".into(), json!(TITLES[r.usize(..TITLES.len())]));
        }
        if r.u8(..4) == 0 {
            let n = 1 + r.usize(..3);
            let tags: Vec<&str> = (0..n).map(|_| TAGS[r.usize(..TAGS.len())]).collect();
            body.insert("tags".into(), json!(tags));
        }
        if r.u8(..5) == 0 {
            let (m, d) = (1 + r.u8(..12), 1 + r.u8(..28));
            let b = if r.bool() {
                format!("--{m:02}-{d:02}")
            } else {
                format!("{}-{m:02}-{d:02}", 1950 + r.u16(..55))
            };
            body.insert("birthday".into(), json!(b));
        }
        let notes = (0..if r.u8(..5) == 0 { 1 + r.usize(..2) } else { 0 })
            .map(|_| NOTES[r.usize(..NOTES.len())].to_string())
            .collect();
        GenPerson {
            body: Value::Object(body),
            notes,
        }
    }
}

impl Iterator for Generator {
    type Item = GenPerson;
    fn next(&mut self) -> Option<GenPerson> {
        Some(self.next_person())
    }
}

/// `n` people from `seed`, with a pool of about one company per 20 people.
pub fn people(seed: u64, n: usize) -> Vec<GenPerson> {
    Generator::new(seed, (n / 20).max(10)).take(n).collect()
}

fn phone(r: &mut fastrand::Rng, region: &str) -> String {
    let d = |r: &mut fastrand::Rng, n: usize| {
        (0..n)
            .map(|_| char::from(b'0' + r.u8(..10)))
            .collect::<String>()
    };
    match (region, r.u8(..3)) {
        ("US", 0) => format!("({}) 555-{}", 201 + r.u16(..700), d(r, 4)),
        ("US", 1) => format!("+1 {} 555 {}", 201 + r.u16(..700), d(r, 4)),
        ("US", _) => format!("{}.555.{}", 201 + r.u16(..700), d(r, 4)),
        ("FR", 0) => format!("06 {} {} {} {}", d(r, 2), d(r, 2), d(r, 2), d(r, 2)),
        ("FR", _) => format!("+33 6 {} {} {} {}", d(r, 2), d(r, 2), d(r, 2), d(r, 2)),
        ("DE", 0) => format!("030 {}", d(r, 7)),
        ("DE", _) => format!("+49 30 {}", d(r, 7)),
        ("GB", _) => format!("+44 20 7946 {}", d(r, 4)),
        ("SE", _) => format!("+46 8 {} {} {}", d(r, 3), d(r, 3), d(r, 2)),
        ("JP", _) => format!("+81 3-{}-{}", d(r, 4), d(r, 4)),
        _ => format!("+1 415 555 {}", d(r, 4)),
    }
}

/// ASCII lower-case letters and digits of a name (`Zoë` -> `zoe`, `李` -> `li`).
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            'à' | 'á' | 'â' | 'ä' | 'å' | 'Å' | 'Ä' | 'ã' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' | 'É' => out.push('e'),
            'í' | 'ï' | 'î' => out.push('i'),
            'ó' | 'ö' | 'ô' | 'ø' | 'Ø' | 'Ö' | 'Ó' => out.push('o'),
            'ú' | 'ü' | 'û' | 'Ü' => out.push('u'),
            'ç' => out.push('c'),
            'ñ' => out.push('n'),
            'ł' | 'Ł' => out.push('l'),
            'ś' | 'Ś' => out.push('s'),
            'ż' | 'ź' | 'Ż' => out.push('z'),
            'ß' => out.push_str("ss"),
            _ => {}
        }
    }
    if out.is_empty() {
        // Non-Latin names get a stable transliteration-free local part.
        out = format!("u{:x}", s.chars().map(|c| c as u32).sum::<u32>());
    }
    out
}

fn base36(mut n: u64) -> String {
    let digits = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(digits[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_people() {
        let a: Vec<String> = people(7, 50)
            .into_iter()
            .map(|p| p.body.to_string())
            .collect();
        let b: Vec<String> = people(7, 50)
            .into_iter()
            .map(|p| p.body.to_string())
            .collect();
        let c: Vec<String> = people(8, 50)
            .into_iter()
            .map(|p| p.body.to_string())
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn emails_are_unique_and_everyone_has_a_name_or_email() {
        let mut seen = std::collections::HashSet::new();
        for p in people(1, 5000) {
            let b = p.body.as_object().unwrap();
            assert!(
                b.contains_key("firstName")
                    || b.contains_key("fullName")
                    || b.contains_key("emails")
            );
            for e in b
                .get("emails")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                assert!(
                    seen.insert(e["value"].as_str().unwrap().to_lowercase()),
                    "duplicate {e}"
                );
            }
        }
    }

    #[test]
    fn names_include_non_ascii() {
        let all: String = people(3, 500).iter().map(|p| p.body.to_string()).collect();
        assert!(!all.is_ascii());
    }
}
