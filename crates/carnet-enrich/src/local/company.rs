//! Email domain to company name and website: `jane@acme-robotics.com` proposes the
//! company "Acme Robotics", its website `https://acme-robotics.com` and domain.
//!
//! Free-mail domains (`data/free_mail_domains.txt`, shipped with the crate) and
//! disposable ones (the `mailchecker` crate's maintained list) say nothing about an
//! employer and are skipped. Non-goal: a full public-suffix list; the common two-level
//! suffixes (`co.uk`, `com.au`...) are known, anything else takes the last label as TLD.

use std::collections::HashSet;
use std::sync::LazyLock;

use serde_json::json;

use crate::enricher::{ready, EnrichError, EnrichFuture, EnrichInput, Enricher, Proposal};

pub const SOURCE: &str = "local:email-domain";

static FREE_MAIL: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/free_mail_domains.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Second-level labels that form a public suffix with a country TLD (`co.uk`).
const SECOND_LEVEL: &[&str] = &["co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"];

/// Whether a domain is a free-mail provider (or a subdomain of one).
pub fn is_free_mail(domain: &str) -> bool {
    let d = domain.trim().to_ascii_lowercase();
    let mut rest = d.as_str();
    loop {
        if FREE_MAIL.contains(rest) {
            return true;
        }
        match rest.split_once('.') {
            Some((_, tail)) if tail.contains('.') => rest = tail,
            _ => return false,
        }
    }
}

/// Whether a domain belongs to a disposable-address provider.
pub fn is_disposable(domain: &str) -> bool {
    !mailchecker::is_valid(&format!("someone@{}", domain.trim().to_ascii_lowercase()))
}

/// The registrable domain (`mail.acme.co.uk` -> `acme.co.uk`) and its name label (`acme`).
pub fn registrable(domain: &str) -> Option<(String, String)> {
    let d = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = d.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return None;
    }
    let n = labels.len();
    let two_level = n >= 3 && labels[n - 1].len() == 2 && SECOND_LEVEL.contains(&labels[n - 2]);
    let suffix_len = if two_level { 2 } else { 1 };
    if n <= suffix_len {
        return None;
    }
    let name = labels[n - suffix_len - 1];
    Some((labels[n - suffix_len - 1..].join("."), name.to_string()))
}

/// A company name from a domain label: `acme-robotics` -> `Acme Robotics`.
/// Returns the name and whether it was split into words (more confident).
pub fn company_name(label: &str) -> Option<(String, bool)> {
    let words: Vec<String> = label
        .split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f)
                    if w.len() <= 3
                        && w.chars().all(|c| c.is_ascii_alphabetic())
                        && label.len() <= 4 =>
                {
                    // `ibm.com` -> `IBM`: very short names are usually initials.
                    f.to_uppercase()
                        .chain(c.flat_map(char::to_uppercase))
                        .collect()
                }
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect();
    if words.is_empty() || words.iter().all(|w| w.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    Some((words.join(" "), words.len() > 1))
}

/// The email-domain enricher.
pub struct EmailDomain;

impl Enricher for EmailDomain {
    fn source(&self) -> &'static str {
        SOURCE
    }

    fn enrich<'a>(&'a self, input: &'a EnrichInput) -> EnrichFuture<'a> {
        ready(propose(input))
    }
}

fn propose(input: &EnrichInput) -> Result<Vec<Proposal>, EnrichError> {
    // The first address at a company domain, in the person's order (primary first).
    for e in &input.person.emails {
        let Some((_, domain)) = e.value.rsplit_once('@') else {
            continue;
        };
        if is_free_mail(domain) || is_disposable(domain) {
            continue;
        }
        let Some((reg, label)) = registrable(domain) else {
            continue;
        };
        let Some((name, split)) = company_name(&label) else {
            continue;
        };
        let detail = json!({ "email": e.value, "domain": reg });
        let conf = if split { 0.7 } else { 0.6 };
        return Ok(vec![
            Proposal::value("company", name, conf).with_detail(detail.clone()),
            Proposal::value("company.website", format!("https://{reg}"), 0.8)
                .with_detail(detail.clone()),
            Proposal::value("company.domain", reg.clone(), 0.9).with_detail(detail),
        ]);
    }
    Err(EnrichError::Skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local::tests::input_with;

    #[test]
    fn company_from_domain() {
        let input = input_with(serde_json::json!({"emails": ["jane.doe@acme-robotics.com"]}));
        let p = propose(&input).unwrap();
        assert_eq!(p[0].field, "company");
        assert_eq!(p[0].value, "Acme Robotics");
        assert_eq!(p[1].value, "https://acme-robotics.com");
        assert_eq!(p[2].value, "acme-robotics.com");
    }

    #[test]
    fn skips_free_and_disposable_mail() {
        for email in [
            "jane@gmail.com",
            "x@mail.yahoo.co.uk",
            "x@mailinator.com",
            "x@10minutemail.com",
        ] {
            let input = input_with(serde_json::json!({"emails": [email]}));
            assert_eq!(propose(&input), Err(EnrichError::Skipped), "{email}");
        }
    }

    #[test]
    fn takes_the_first_company_address() {
        let input =
            input_with(serde_json::json!({"emails": ["jane@gmail.com", "jane@globex.co.uk"]}));
        let p = propose(&input).unwrap();
        assert_eq!(p[0].value, "Globex");
        assert_eq!(p[1].value, "https://globex.co.uk");
    }

    #[test]
    fn registrable_domains() {
        assert_eq!(
            registrable("eu.mail.acme.co.uk"),
            Some(("acme.co.uk".into(), "acme".into()))
        );
        assert_eq!(
            registrable("acme.io"),
            Some(("acme.io".into(), "acme".into()))
        );
        assert_eq!(registrable("localhost"), None);
        assert_eq!(company_name("ibm").map(|c| c.0).as_deref(), Some("IBM"));
        assert_eq!(
            company_name("globex").map(|c| c.0).as_deref(),
            Some("Globex")
        );
        assert_eq!(company_name("123"), None);
    }
}
