//! Birthdays as exporters write them, to Carnet's `YYYY-MM-DD` / `--MM-DD`: calcard's
//! parsed dates (with Apple's `X-APPLE-OMIT-YEAR` year meaning "no year") and the text
//! forms 3.0 and 2.1 files carry (`--0203`, `19800322`, `1980-03-22T00:00:00Z`).

use calcard::common::PartialDateTime;

pub(crate) fn from_partial(d: &PartialDateTime, omit_year: Option<u16>) -> Option<String> {
    match (d.year, d.month?, d.day?) {
        (Some(y), m, dd) if Some(y) != omit_year => Some(format!("{y:04}-{m:02}-{dd:02}")),
        (_, m, dd) => Some(format!("--{m:02}-{dd:02}")),
    }
}

/// Dates calcard leaves as text (3.0 and 2.1 are read loosely): `--0203`, `--02-03`,
/// `1980-03-22`, `19800322`, `1980-03-22T00:00:00Z`.
pub(crate) fn from_text(t: &str, omit_year: Option<u16>) -> Option<String> {
    let t = t.trim();
    if let Some(md) = t.strip_prefix("--") {
        let digits: String = md.chars().filter(char::is_ascii_digit).collect();
        return (digits.len() == 4).then(|| format!("--{}-{}", &digits[..2], &digits[2..]));
    }
    let date = t.split('T').next().unwrap_or(t);
    let digits: String = date.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 8 {
        return None;
    }
    let y: u16 = digits[..4].parse().ok()?;
    if Some(y) == omit_year {
        return Some(format!("--{}-{}", &digits[4..6], &digits[6..]));
    }
    Some(format!(
        "{}-{}-{}",
        &digits[..4],
        &digits[4..6],
        &digits[6..]
    ))
}
