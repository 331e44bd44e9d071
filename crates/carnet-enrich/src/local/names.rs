//! Names: first / last name from the full name or the email's local part when missing,
//! and casing fixes for names typed in capitals or lower case.
//!
//! `jane.doe@` gives Jane / Doe; an explicit full name `Ludwig van Beethoven` gives
//! Ludwig / van Beethoven (the full name is more trustworthy, so it wins). Role addresses
//! (`info@`, `sales@`) give nothing. `JANE doe` is proposed as `Jane Doe`, with care for
//! `McDonald`, `O'Brien`, `Jean-Luc`, particles (`van der`, `de la`) and suffixes (`III`);
//! a name in mixed case (`DeShawn`, `MacKenzie`) is the user's choice and left alone.
//! Casing fixes change something the user typed, so they are always suggestions.

use serde_json::json;

use crate::enricher::{ready, EnrichError, EnrichFuture, EnrichInput, Enricher, Proposal};

pub const SOURCE_EMAIL: &str = "local:email-name";
pub const SOURCE_FULL: &str = "local:full-name";
pub const SOURCE_CASING: &str = "local:name-casing";

const PARTICLES: &[&str] = &[
    "van", "der", "den", "de", "da", "di", "du", "del", "della", "des", "la", "le", "von", "zu",
    "dos", "das", "do", "ter", "ten", "y", "bin", "ibn",
];
const SUFFIXES: &[&str] = &["ii", "iii", "iv", "vi", "vii", "viii"];
const ROLE_ACCOUNTS: &[&str] = &[
    "info",
    "contact",
    "hello",
    "sales",
    "support",
    "admin",
    "office",
    "team",
    "mail",
    "jobs",
    "hr",
    "billing",
    "noreply",
    "no-reply",
    "press",
    "marketing",
    "help",
    "service",
    "webmaster",
];

/// Capitalize one word: first letter upper, the rest lower.
fn cap(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f
            .to_uppercase()
            .chain(c.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// Case one word with no spaces or hyphens, handling `Mc` and `O'`.
fn case_word(w: &str, first_of_name: bool) -> String {
    let lower = w.to_lowercase();
    if SUFFIXES.contains(&lower.as_str()) {
        return lower.to_uppercase();
    }
    if !first_of_name && PARTICLES.contains(&lower.as_str()) {
        return lower;
    }
    if let Some((head, tail)) = lower.split_once(['\'', '\u{2019}']) {
        let apos = if w.contains('\u{2019}') {
            '\u{2019}'
        } else {
            '\''
        };
        // O'Brien, D'Angelo: a one-letter prefix; otherwise (Ng'ang'a) only the first.
        if head.chars().count() == 1 && !tail.is_empty() {
            return format!("{}{apos}{}", cap(head), cap(tail));
        }
        return cap(&lower);
    }
    if lower.chars().count() > 3 && lower.starts_with("mc") {
        return format!("Mc{}", cap(&lower[2..]));
    }
    cap(&lower)
}

/// Proper casing of a name typed all in capitals or all in lower case.
/// `None` when the name is in mixed case already (the user's choice) or has no letters.
pub fn fix_casing(name: &str) -> Option<String> {
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 2 {
        return None;
    }
    let all_upper = letters.iter().all(|c| !c.is_lowercase());
    let all_lower = letters.iter().all(|c| !c.is_uppercase());
    // Check every word: `JANE doe` is neither all upper nor all lower as a whole.
    let words_uniform = name.split_whitespace().all(|w| {
        let l: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
        l.iter().all(|c| !c.is_lowercase()) || l.iter().all(|c| !c.is_uppercase())
    });
    if !(all_upper || all_lower || words_uniform) {
        return None;
    }
    let fixed = name
        .split_whitespace()
        .enumerate()
        .map(|(i, word)| {
            word.split('-')
                .enumerate()
                .map(|(j, part)| case_word(part, i == 0 && j == 0))
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join(" ");
    (fixed != name).then_some(fixed)
}

/// First and last name from an email's local part (`jane.doe`, `jane_doe`, `jane-doe`).
pub fn from_email(email: &str) -> Option<(String, String)> {
    let local = email.split('@').next()?.split('+').next()?.to_lowercase();
    if ROLE_ACCOUNTS.contains(&local.as_str()) {
        return None;
    }
    let parts: Vec<&str> = local
        .split(['.', '_', '-'])
        .map(|p| p.trim_matches(|c: char| c.is_ascii_digit()))
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 || parts.len() > 3 {
        return None;
    }
    if parts
        .iter()
        .any(|p| p.chars().count() < 2 || !p.chars().all(char::is_alphabetic))
    {
        return None;
    }
    let first = case_word(parts[0], true);
    let last = case_word(parts[parts.len() - 1], true);
    Some((first, last))
}

/// First and last name from a full name: the last word, with the particles before it, is
/// the last name (`Ludwig van Beethoven` -> `Ludwig` / `van Beethoven`).
pub fn split_full(full: &str) -> Option<(String, String)> {
    let words: Vec<&str> = full.split_whitespace().collect();
    if words.len() < 2 {
        return None;
    }
    let mut last_start = words.len() - 1;
    // A suffix (`III`, `Jr.`) stays with the last name.
    let is_suffix = |w: &str| {
        let l = w.trim_end_matches('.').to_lowercase();
        SUFFIXES.contains(&l.as_str()) || l == "jr" || l == "sr"
    };
    if last_start >= 2 && is_suffix(words[last_start]) {
        last_start -= 1;
    }
    while last_start > 1 && PARTICLES.contains(&words[last_start - 1].to_lowercase().as_str()) {
        last_start -= 1;
    }
    Some((words[..last_start].join(" "), words[last_start..].join(" ")))
}

/// The name enricher: missing first / last names and casing fixes.
pub struct Names;

impl Enricher for Names {
    fn source(&self) -> &'static str {
        SOURCE_EMAIL
    }

    fn enrich<'a>(&'a self, input: &'a EnrichInput) -> EnrichFuture<'a> {
        ready(propose(input))
    }
}

fn propose(input: &EnrichInput) -> Result<Vec<Proposal>, EnrichError> {
    let p = &input.person;
    let mut out = Vec::new();
    let derived = [p.first_name.as_deref(), p.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let explicit_full = !p.full_name.is_empty() && p.full_name != derived;
    if p.first_name.is_none() || p.last_name.is_none() {
        let from_full = if explicit_full {
            split_full(&p.full_name)
        } else {
            None
        };
        if let Some((first, last)) = from_full {
            let first = fix_casing(&first).unwrap_or(first);
            let last = fix_casing(&last).unwrap_or(last);
            let src = json!({ "source": SOURCE_FULL, "fullName": p.full_name });
            out.push(Proposal::value("firstName", first, 0.85).with_detail(src.clone()));
            out.push(Proposal::value("lastName", last, 0.85).with_detail(src));
        } else if let Some((email, (first, last))) = p
            .emails
            .iter()
            .find_map(|e| from_email(&e.value).map(|n| (e.value.clone(), n)))
        {
            let src = json!({ "source": SOURCE_EMAIL, "email": email });
            out.push(Proposal::value("firstName", first, 0.7).with_detail(src.clone()));
            out.push(Proposal::value("lastName", last, 0.7).with_detail(src));
        }
    }
    let casing = json!({ "source": SOURCE_CASING });
    for (field, v) in [("firstName", &p.first_name), ("lastName", &p.last_name)] {
        if let Some(fixed) = v.as_deref().and_then(fix_casing) {
            out.push(Proposal::correction(field, fixed, 0.8).with_detail(casing.clone()));
        }
    }
    if explicit_full {
        if let Some(fixed) = fix_casing(&p.full_name) {
            out.push(Proposal::correction("fullName", fixed, 0.8).with_detail(casing));
        }
    }
    if out.is_empty() {
        Err(EnrichError::Skipped)
    } else {
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local::tests::input_with;

    #[test]
    fn names_from_the_email() {
        assert_eq!(
            from_email("jane.doe@acme.com"),
            Some(("Jane".into(), "Doe".into()))
        );
        assert_eq!(
            from_email("jean_luc.picard+x@x.org"),
            Some(("Jean".into(), "Picard".into()))
        );
        assert_eq!(
            from_email("sean.obrien2@x.org"),
            Some(("Sean".into(), "Obrien".into()))
        );
        assert_eq!(from_email("info@acme.com"), None);
        assert_eq!(from_email("jdoe@acme.com"), None);
        assert_eq!(from_email("j.doe@acme.com"), None);
    }

    #[test]
    fn casing_fixes() {
        assert_eq!(fix_casing("JANE doe").as_deref(), Some("Jane Doe"));
        assert_eq!(fix_casing("mcdonald").as_deref(), Some("McDonald"));
        assert_eq!(fix_casing("O'BRIEN").as_deref(), Some("O'Brien"));
        assert_eq!(fix_casing("jean-luc").as_deref(), Some("Jean-Luc"));
        assert_eq!(
            fix_casing("ludwig van der berg").as_deref(),
            Some("Ludwig van der Berg")
        );
        assert_eq!(
            fix_casing("JOHN SMITH III").as_deref(),
            Some("John Smith III")
        );
        // Mixed case is the user's choice; proper case needs nothing.
        assert_eq!(fix_casing("DeShawn"), None);
        assert_eq!(fix_casing("MacKenzie"), None);
        assert_eq!(fix_casing("Jane Doe"), None);
        assert_eq!(fix_casing("A"), None);
    }

    #[test]
    fn split_full_names() {
        assert_eq!(
            split_full("Ludwig van Beethoven"),
            Some(("Ludwig".into(), "van Beethoven".into()))
        );
        assert_eq!(
            split_full("Mary Ann Smith"),
            Some(("Mary Ann".into(), "Smith".into()))
        );
        assert_eq!(
            split_full("John Smith Jr."),
            Some(("John".into(), "Smith Jr.".into()))
        );
        assert_eq!(split_full("Cher"), None);
    }

    #[test]
    fn proposes_missing_names_and_fixes() {
        let input = input_with(json!({"emails": ["jane.doe@acme-robotics.com"]}));
        let p = propose(&input).unwrap();
        assert_eq!(
            (p[0].field.as_str(), p[0].value.as_str()),
            ("firstName", Some("Jane"))
        );
        assert_eq!(
            (p[1].field.as_str(), p[1].value.as_str()),
            ("lastName", Some("Doe"))
        );

        let input = input_with(json!({"fullName": "ada LOVELACE", "emails": ["x.y@z.com"]}));
        let p = propose(&input).unwrap();
        assert_eq!(p[0].value, "Ada");
        assert_eq!(p[1].value, "Lovelace");
        assert!(p
            .iter()
            .any(|x| x.field == "fullName" && x.replaces && x.value == "Ada Lovelace"));

        let input = input_with(json!({"firstName": "JANE", "lastName": "doe"}));
        let p = propose(&input).unwrap();
        assert!(p.iter().all(|x| x.replaces));
        assert_eq!(p.len(), 2);

        let input = input_with(json!({"firstName": "Jane", "lastName": "Doe"}));
        assert_eq!(propose(&input), Err(EnrichError::Skipped));
    }
}
