//! The rules every person obeys, whatever path wrote it (UI, CLI, import, sync pull).
//!
//! Checked on the whole record after a create or a PATCH is applied, so a PATCH cannot
//! leave a person without a name or an email. Limits are folk's (the largest of the
//! four CRMs): a stricter CRM's limits are checked when syncing, not here.

use crate::error::{Error, Result};
use crate::model::{LabeledValue, Person};

pub const MAX_NAME: usize = 500;
pub const MAX_FULL_NAME: usize = 1000;
pub const MAX_JOB_TITLE: usize = 500;
pub const MAX_DESCRIPTION: usize = 5000;
pub const MAX_LIST: usize = 20;
pub const MAX_LABEL: usize = 100;
pub const MAX_ADDRESS: usize = 1000;
pub const MAX_URL: usize = 2000;
pub const MAX_TAGS: usize = 100;
pub const MAX_TAG: usize = 100;

/// Check every rule on a person about to be stored.
pub fn person(p: &Person) -> Result<()> {
    let has_name = p.first_name.is_some() || p.last_name.is_some() || !p.full_name.is_empty();
    if !has_name && p.emails.is_empty() {
        return Err(Error::validation(
            "firstName",
            "a person needs a name or an email address",
        ));
    }
    max_chars("firstName", p.first_name.as_deref(), MAX_NAME)?;
    max_chars("lastName", p.last_name.as_deref(), MAX_NAME)?;
    max_chars("fullName", Some(&p.full_name), MAX_FULL_NAME)?;
    max_chars("jobTitle", p.job_title.as_deref(), MAX_JOB_TITLE)?;
    max_chars("description", p.description.as_deref(), MAX_DESCRIPTION)?;
    if let Some(b) = &p.birthday {
        birthday(b).map_err(|m| Error::validation("birthday", m))?;
    }

    list_len("emails", p.emails.len())?;
    for (i, e) in p.emails.iter().enumerate() {
        email(&e.value).map_err(|m| Error::validation(format!("emails[{i}].value"), m))?;
        label("emails", i, &e.label)?;
        if let Some(j) = p.emails[..i]
            .iter()
            .position(|o| o.value.eq_ignore_ascii_case(&e.value))
        {
            return Err(Error::validation(
                format!("emails[{i}].value"),
                format!("repeats emails[{j}] ({})", e.value),
            ));
        }
    }
    list_len("phones", p.phones.len())?;
    for (i, ph) in p.phones.iter().enumerate() {
        crate::phone::check_raw(&ph.value).map_err(|m| {
            Error::validation(
                format!("phones[{i}].value"),
                format!("\"{}\" {m}", ph.value),
            )
        })?;
        label("phones", i, &ph.label)?;
    }
    list_len("addresses", p.addresses.len())?;
    for (i, a) in p.addresses.iter().enumerate() {
        max_chars_at(
            || format!("addresses[{i}].value"),
            Some(&a.value),
            MAX_ADDRESS,
        )?;
        label("addresses", i, &a.label)?;
    }
    list_len("urls", p.urls.len())?;
    urls(&p.urls)?;
    companies_len(p.companies.len())?;
    if p.tags.len() > MAX_TAGS {
        return Err(Error::validation(
            "tags",
            format!("has {} tags; at most {MAX_TAGS} are allowed", p.tags.len()),
        ));
    }
    for (i, t) in p.tags.iter().enumerate() {
        max_chars_at(|| format!("tags[{i}]"), Some(t), MAX_TAG)?;
    }
    for key in p.custom_fields.keys() {
        custom_key(key).map_err(|m| Error::validation(format!("customFields.{key}"), m))?;
    }
    coordinates(p.latitude, p.longitude)?;
    Ok(())
}

fn max_chars(field: &str, v: Option<&str>, max: usize) -> Result<()> {
    max_chars_at(|| field.to_string(), v, max)
}

/// `max_chars` for a field whose name is built (`emails[3].label`) only when it fails:
/// a bulk import checks a few hundred thousand of them.
fn max_chars_at(field: impl FnOnce() -> String, v: Option<&str>, max: usize) -> Result<()> {
    if let Some(s) = v {
        // A string of at most `max` bytes has at most `max` characters.
        let n = if s.len() <= max { 0 } else { s.chars().count() };
        if n > max {
            return Err(Error::validation(
                field(),
                format!("is {n} characters long; at most {max} are allowed"),
            ));
        }
    }
    Ok(())
}

/// How many companies a person may have.
pub(crate) fn companies_len(n: usize) -> Result<()> {
    list_len("companies", n)
}

fn list_len(field: &str, n: usize) -> Result<()> {
    if n > MAX_LIST {
        return Err(Error::validation(
            field,
            format!("has {n} entries; at most {MAX_LIST} are allowed"),
        ));
    }
    Ok(())
}

/// The label of entry `i` of the list `list` (`emails`, `phones`…).
fn label(list: &str, i: usize, l: &Option<String>) -> Result<()> {
    max_chars_at(|| format!("{list}[{i}].label"), l.as_deref(), MAX_LABEL)
}

/// An email address as RFC 5322 allows in practice (`email_address` crate), with a dotted domain.
pub fn email(v: &str) -> std::result::Result<(), String> {
    let parsed: email_address::EmailAddress = v
        .parse()
        .map_err(|_| format!("\"{v}\" is not a valid email address"))?;
    if !parsed.domain().contains('.') || v.contains(' ') || v.contains('<') {
        return Err(format!("\"{v}\" is not a valid email address"));
    }
    Ok(())
}

fn urls(list: &[LabeledValue]) -> Result<()> {
    for (i, u) in list.iter().enumerate() {
        url(&u.value).map_err(|m| Error::validation(format!("urls[{i}].value"), m))?;
        label("urls", i, &u.label)?;
    }
    Ok(())
}

/// A web address: `https://…`, another scheme, or a bare `example.com/path`.
pub fn url(v: &str) -> std::result::Result<(), String> {
    if v.chars().count() > MAX_URL {
        return Err(format!("is longer than {MAX_URL} characters"));
    }
    let bad = || format!("\"{v}\" is not a valid web address");
    if v.contains(char::is_whitespace) {
        return Err(bad());
    }
    let with_scheme = if v.contains("://") || v.starts_with("mailto:") {
        v.to_string()
    } else {
        format!("https://{v}")
    };
    let parsed = url::Url::parse(&with_scheme).map_err(|_| bad())?;
    if matches!(parsed.scheme(), "http" | "https")
        && !parsed
            .host_str()
            .is_some_and(|h| h.contains('.') || h == "localhost")
    {
        return Err(bad());
    }
    Ok(())
}

/// `YYYY-MM-DD` (a real date, not in the future) or `--MM-DD` when the year is unknown.
pub fn birthday(v: &str) -> std::result::Result<(), String> {
    let hint = "must be YYYY-MM-DD, or --MM-DD when the year is unknown";
    if let Some(md) = v.strip_prefix("--") {
        let (m, d) = md
            .split_once('-')
            .ok_or_else(|| format!("\"{v}\" {hint}"))?;
        if m.len() != 2 || d.len() != 2 {
            return Err(format!("\"{v}\" {hint}"));
        }
        let (m, d): (u8, u8) = (
            m.parse().map_err(|_| format!("\"{v}\" {hint}"))?,
            d.parse().map_err(|_| format!("\"{v}\" {hint}"))?,
        );
        // 2000 is a leap year, so --02-29 is allowed.
        let month = time::Month::try_from(m).map_err(|_| format!("\"{v}\" has no month {m}"))?;
        time::Date::from_calendar_date(2000, month, d)
            .map_err(|_| format!("\"{v}\" is not a day of the year"))?;
        return Ok(());
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    if v.len() != 10 {
        return Err(format!("\"{v}\" {hint}"));
    }
    let date =
        time::Date::parse(v, &fmt).map_err(|_| format!("\"{v}\" is not a valid date ({hint})"))?;
    if date > time::OffsetDateTime::now_utc().date() {
        return Err(format!("\"{v}\" is in the future"));
    }
    if date.year() < 1800 {
        return Err(format!("\"{v}\" is before 1800"));
    }
    Ok(())
}

/// A custom-field key: `cf_` then lower-case letters, digits and underscores.
pub fn custom_key(k: &str) -> std::result::Result<(), String> {
    let ok = k.len() > 3
        && k.len() <= 64
        && k.starts_with("cf_")
        && k[3..]
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(
            "is not a valid custom field key (cf_ followed by lower-case letters, digits or _)"
                .into(),
        )
    }
}

fn coordinates(lat: Option<f64>, lon: Option<f64>) -> Result<()> {
    match (lat, lon) {
        (Some(a), _) if !(-90.0..=90.0).contains(&a) => Err(Error::validation(
            "latitude",
            format!("{a} is outside -90..90"),
        )),
        (_, Some(o)) if !(-180.0..=180.0).contains(&o) => Err(Error::validation(
            "longitude",
            format!("{o} is outside -180..180"),
        )),
        (Some(_), None) => Err(Error::validation(
            "longitude",
            "is required when latitude is given",
        )),
        (None, Some(_)) => Err(Error::validation(
            "latitude",
            "is required when longitude is given",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(email("jane.doe@acme-robotics.com").is_ok());
        assert!(email("o'brien+tag@example.co.uk").is_ok());
        for bad in [
            "jane",
            "jane@",
            "@acme.com",
            "jane@acme",
            "ja ne@acme.com",
            "a@@b.com",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn birthdays() {
        assert!(birthday("1990-01-31").is_ok());
        assert!(birthday("--02-29").is_ok());
        for bad in [
            "1990-02-30",
            "--13-01",
            "1990/01/01",
            "90-01-01",
            "3000-01-01",
            "--2-1",
            "1700-01-01",
        ] {
            assert!(birthday(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls_accept_bare_domains() {
        assert!(url("https://example.com/about").is_ok());
        assert!(url("example.com").is_ok());
        assert!(url("not a url").is_err());
        assert!(url("foo").is_err());
    }

    #[test]
    fn custom_keys() {
        assert!(custom_key("cf_favorite_color").is_ok());
        assert!(custom_key("favorite").is_err());
        assert!(custom_key("cf_Bad").is_err());
    }
}
