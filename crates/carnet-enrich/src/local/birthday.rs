//! Birthday and age sanity checks: flags for the review list, never a write.
//!
//! Core already refuses impossible dates and dates in the future. What is left are
//! plausible-looking mistakes: an age over 120, a child under 13 in a contacts app (often
//! the current year typed by mistake), and placeholder dates systems fill in
//! (`1900-01-01`, `1970-01-01`). Each becomes a `flag` provenance row on `birthday`.

use serde_json::json;

use crate::enricher::{ready, EnrichError, EnrichFuture, EnrichInput, Enricher, Proposal};

pub const SOURCE: &str = "local:birthday-check";

/// Age in whole years on `today`.
pub fn age(birth: time::Date, today: time::Date) -> i32 {
    let mut a = today.year() - birth.year();
    if (today.month() as u8, today.day()) < (birth.month() as u8, birth.day()) {
        a -= 1;
    }
    a
}

/// The sentences to flag for a birthday on `today` (empty when it looks fine).
pub fn check(birthday: &str, today: time::Date) -> Vec<String> {
    // `--MM-DD` has no year: nothing to check beyond what core checks.
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let Ok(date) = time::Date::parse(birthday, &fmt) else {
        return vec![];
    };
    let mut out = Vec::new();
    if ["1900-01-01", "1901-01-01", "1970-01-01", "2000-01-01"].contains(&birthday) {
        out.push(format!(
            "{birthday} looks like a placeholder date, not a birthday"
        ));
    }
    let a = age(date, today);
    if a > 120 {
        out.push(format!("gives an age of {a}, over 120: check the year"));
    } else if a < 13 {
        out.push(format!("gives an age of {a}: check the year"));
    }
    out
}

/// The birthday-check enricher.
pub struct BirthdayCheck;

impl Enricher for BirthdayCheck {
    fn source(&self) -> &'static str {
        SOURCE
    }

    fn enrich<'a>(&'a self, input: &'a EnrichInput) -> EnrichFuture<'a> {
        let today = time::OffsetDateTime::now_utc().date();
        let flags: Vec<Proposal> = input
            .person
            .birthday
            .as_deref()
            .map(|b| check(b, today))
            .unwrap_or_default()
            .into_iter()
            .map(|m| {
                Proposal::flag("birthday", m)
                    .with_detail(json!({ "birthday": input.person.birthday }))
            })
            .collect();
        ready(if flags.is_empty() {
            Err(EnrichError::Skipped)
        } else {
            Ok(flags)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn ages_and_flags() {
        let today = date!(2026 - 11 - 22);
        assert_eq!(age(date!(1990 - 11 - 23), today), 35);
        assert_eq!(age(date!(1990 - 11 - 22), today), 36);
        assert!(check("1990-05-01", today).is_empty());
        assert!(check("--05-01", today).is_empty());
        assert_eq!(check("1880-05-01", today).len(), 1);
        assert_eq!(check("2024-05-01", today).len(), 1);
        let placeholder = check("1900-01-01", today);
        assert_eq!(placeholder.len(), 2, "{placeholder:?}");
    }
}
