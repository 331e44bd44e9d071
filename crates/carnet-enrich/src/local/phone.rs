//! Phone numbers to E.164, country and type, with libphonenumber's metadata.
//!
//! Core already derives `phones[i].e164` on every write; this enricher records where that
//! value comes from (provenance) and adds what core does not keep: the number's country
//! and its type (mobile, fixed line, toll free...), as facts. A number is read in the
//! region of the person's first address with a country, else the default region, exactly
//! as core reads it, so the two never disagree.

use rlibphonenumber::{PhoneNumberFormat, PhoneNumberType, PHONE_NUMBER_UTIL};
use serde_json::json;

use crate::enricher::{ready, EnrichError, EnrichFuture, EnrichInput, Enricher, Proposal};

pub const SOURCE: &str = "local:phone";

/// What libphonenumber says about one number.
#[derive(Debug, Clone, PartialEq)]
pub struct PhoneInfo {
    pub e164: String,
    /// Two-letter region (`US`), when the number's country code maps to one.
    pub country: Option<String>,
    /// `mobile`, `fixed_line`, `fixed_line_or_mobile`, `toll_free`, `voip`...
    pub kind: &'static str,
}

/// Parse a number as core does and describe it; `None` when it is not a valid number.
pub fn describe(raw: &str, region: &str) -> Option<PhoneInfo> {
    let region = carnet_core::phone::parse_region(region)?;
    let trimmed = raw.trim();
    let text = match trimmed.strip_prefix("00") {
        Some(rest) if !trimmed.starts_with('+') => format!("+{rest}"),
        _ => trimmed.to_string(),
    };
    // An international number is parsed with no region, as core does: the `+` says the
    // country.
    let hint = if text.starts_with('+') {
        None
    } else {
        Some(region)
    };
    let parsed = PHONE_NUMBER_UTIL.parse(&text, hint).ok()?;
    if !parsed.is_valid() {
        return None;
    }
    let kind = match parsed.get_type() {
        PhoneNumberType::Mobile => "mobile",
        PhoneNumberType::FixedLine => "fixed_line",
        PhoneNumberType::FixedLineOrMobile => "fixed_line_or_mobile",
        PhoneNumberType::TollFree => "toll_free",
        PhoneNumberType::PremiumRate => "premium_rate",
        PhoneNumberType::SharedCost => "shared_cost",
        PhoneNumberType::PersonalNumber => "personal",
        PhoneNumberType::VoIP => "voip",
        PhoneNumberType::Pager => "pager",
        PhoneNumberType::UAN => "uan",
        PhoneNumberType::VoiceMail => "voicemail",
        _ => "unknown",
    };
    Some(PhoneInfo {
        e164: parsed.format_as(PhoneNumberFormat::E164).into_owned(),
        country: parsed.get_region_code().map(|r| r.to_string()),
        kind,
    })
}

/// The phone enricher.
pub struct PhoneNumbers;

impl Enricher for PhoneNumbers {
    fn source(&self) -> &'static str {
        SOURCE
    }

    fn enrich<'a>(&'a self, input: &'a EnrichInput) -> EnrichFuture<'a> {
        ready(propose(input))
    }
}

fn propose(input: &EnrichInput) -> Result<Vec<Proposal>, EnrichError> {
    let p = &input.person;
    // The same region rule as core: an address country first, else the default region.
    let region = p
        .addresses
        .iter()
        .filter_map(|a| a.country.as_deref())
        .find_map(carnet_core::phone::region_from_country)
        .map(|id| id.to_string())
        .unwrap_or_else(|| input.default_region.clone());
    let mut out = Vec::new();
    for (i, ph) in p.phones.iter().enumerate() {
        let Some(info) = describe(&ph.value, &region) else {
            continue;
        };
        let detail = json!({ "raw": ph.value, "readIn": region });
        out.push(
            Proposal::value(&format!("phones[{i}].e164"), info.e164.clone(), 1.0)
                .with_detail(detail.clone()),
        );
        if let Some(c) = &info.country {
            out.push(
                Proposal::fact(&format!("phones[{i}].country"), c.clone(), 1.0)
                    .with_detail(detail.clone()),
            );
        }
        out.push(Proposal::fact(&format!("phones[{i}].type"), info.kind, 0.9).with_detail(detail));
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
    fn us_number_to_e164_and_country() {
        let input = input_with(json!({"firstName": "X", "phones": ["(415) 555-0101"]}));
        let p = propose(&input).unwrap();
        assert_eq!(p[0].field, "phones[0].e164");
        assert_eq!(p[0].value, "+14155550101");
        assert_eq!(p[1].field, "phones[0].country");
        assert_eq!(p[1].value, "US");
        assert_eq!(p[2].field, "phones[0].type");
    }

    #[test]
    fn french_mobile_is_mobile() {
        let info = describe("06 12 34 56 78", "FR").unwrap();
        assert_eq!(info.e164, "+33612345678");
        assert_eq!(info.country.as_deref(), Some("FR"));
        assert_eq!(info.kind, "mobile");
        let fixed = describe("+33 1 23 45 67 89", "US").unwrap();
        assert_eq!(fixed.kind, "fixed_line");
        assert_eq!(fixed.country.as_deref(), Some("FR"));
    }

    #[test]
    fn address_country_sets_the_region() {
        let input = input_with(json!({
            "firstName": "X",
            "phones": ["06 12 34 56 78"],
            "addresses": [{"value": "Paris", "country": "France"}]
        }));
        let p = propose(&input).unwrap();
        assert_eq!(p[0].value, "+33612345678");
    }

    #[test]
    fn invalid_numbers_are_skipped() {
        let input = input_with(json!({"firstName": "X", "phones": ["12345"]}));
        assert_eq!(propose(&input), Err(EnrichError::Skipped));
    }
}
