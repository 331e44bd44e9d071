//! Phone numbers: keep the raw text, derive E.164 with libphonenumber's metadata
//! (the `rlibphonenumber` crate), and compare numbers typed in different formats.

use rlibphonenumber::{PhoneNumberFormat, PHONE_NUMBER_UTIL};

/// A region (country) numbers are read in: libphonenumber's two-letter code.
pub type Region = rlibphonenumber::Region;
use Region as Id;

use crate::text::digits;

/// The default region when neither the number (`+..`) nor an address says one.
pub const FALLBACK_REGION: &str = "US";

/// Parse a two-letter region code (`FR`, `us`) into libphonenumber's id.
pub fn parse_region(code: &str) -> Option<Id> {
    let code = code.trim().to_ascii_uppercase();
    // Only regions libphonenumber has metadata for (not `ZZ` or an unknown pair).
    static SUPPORTED: std::sync::OnceLock<std::collections::HashSet<Id>> =
        std::sync::OnceLock::new();
    let supported = SUPPORTED.get_or_init(|| PHONE_NUMBER_UTIL.get_supported_regions().collect());
    Id::from_code(&code).ok().filter(|r| supported.contains(r))
}

/// The region named by an address country (`France`, `FR`, `United States`, ...), if known.
pub fn region_from_country(country: &str) -> Option<Id> {
    let c = crate::text::fold(country);
    let c = c.trim().trim_matches('.');
    let code = match c {
        "usa" | "us" | "united states" | "united states of america" | "u.s.a" | "u.s" => "US",
        "uk" | "united kingdom" | "great britain" | "england" | "scotland" | "wales" => "GB",
        "france" => "FR",
        "germany" | "deutschland" => "DE",
        "spain" | "espana" => "ES",
        "italy" | "italia" => "IT",
        "canada" => "CA",
        "australia" => "AU",
        "netherlands" | "nederland" | "the netherlands" => "NL",
        "belgium" | "belgique" | "belgie" => "BE",
        "switzerland" | "suisse" | "schweiz" => "CH",
        "sweden" | "sverige" => "SE",
        "norway" | "norge" => "NO",
        "denmark" | "danmark" => "DK",
        "finland" | "suomi" => "FI",
        "ireland" => "IE",
        "portugal" => "PT",
        "austria" | "osterreich" => "AT",
        "poland" | "polska" => "PL",
        "japan" => "JP",
        "china" => "CN",
        "india" => "IN",
        "brazil" | "brasil" => "BR",
        "mexico" => "MX",
        "new zealand" => "NZ",
        "singapore" => "SG",
        "estonia" | "eesti" => "EE",
        other if other.len() == 2 => return parse_region(other),
        _ => return None,
    };
    parse_region(code)
}

/// E.164 form of a number typed as `raw`, reading it in `region` unless it starts with `+`
/// (or `00`). `None` when libphonenumber does not consider it a valid number.
pub fn to_e164(raw: &str, region: Id) -> Option<String> {
    let trimmed = raw.trim();
    let text = match trimmed.strip_prefix("00") {
        Some(rest) if !trimmed.starts_with('+') => format!("+{rest}"),
        _ => trimmed.to_string(),
    };
    // An international number is read without a region (the `+` says the country).
    let region = if text.starts_with('+') {
        None
    } else {
        Some(region)
    };
    let parsed = PHONE_NUMBER_UTIL.parse(&text, region).ok()?;
    if !is_valid(&parsed) {
        return None;
    }
    Some(parsed.format_as(PhoneNumberFormat::E164).into_owned())
}

/// libphonenumber's `is_valid`, faster for the usual case. When several regions share the
/// calling code (25 for +1), `is_valid` first looks for the number's region by testing it
/// against every number type of each region in turn, then tests it again for the region
/// found. The code's main region comes first in that list, and most numbers are from it:
/// a number valid there is valid (`is_valid` would stop at that region), at the cost of
/// one test instead of two. Any other number gets the full `is_valid`.
fn is_valid(n: &rlibphonenumber::PhoneNumber) -> bool {
    let main = PHONE_NUMBER_UTIL
        .get_regions_for_country_calling_code(n.country_code)
        .filter(|regions| regions.len() > 1)
        .and_then(|mut regions| regions.next());
    main.is_some_and(|r| n.is_valid_for_region(r)) || n.is_valid()
}

/// The national significant number of an E.164 number given as digits (`14155550101` ->
/// `4155550101`), as people type it without the country code. E.164 is the country
/// calling code followed by that number, and calling codes are prefix-free (ITU-T E.164),
/// so it is the digits after the one known code the number starts with.
pub fn national_digits(e164_digits: &str) -> Option<String> {
    static CODES: std::sync::OnceLock<std::collections::HashSet<i32>> = std::sync::OnceLock::new();
    let codes = CODES.get_or_init(|| PHONE_NUMBER_UTIL.get_supported_calling_codes().collect());
    (1..=3).find_map(|n| {
        let code: i32 = e164_digits.get(..n)?.parse().ok()?;
        let rest = &e164_digits[n..];
        (codes.contains(&code) && !rest.is_empty()).then(|| rest.to_string())
    })
}

/// The key two numbers are compared by: E.164 when derivable, else the bare digits.
pub fn phone_key(raw: &str, e164: Option<&str>) -> String {
    match e164 {
        Some(e) => e.to_string(),
        None => digits(raw),
    }
}

/// Whether raw text can be a phone number at all: digits and the usual punctuation, with
/// 3 to 20 digits (extensions such as `x123` or `ext. 12` allowed at the end).
pub fn check_raw(raw: &str) -> Result<(), &'static str> {
    let main = split_extension(raw).0;
    if main
        .chars()
        .any(|c| !(c.is_ascii_digit() || " +-().\u{a0}/".contains(c)))
    {
        return Err("may contain only digits, spaces, + - ( ) . / and an extension");
    }
    let n = digits(main).len();
    if n < 3 {
        return Err("needs at least 3 digits");
    }
    if n > 20 {
        return Err("has more than 20 digits");
    }
    Ok(())
}

fn split_extension(raw: &str) -> (&str, Option<&str>) {
    let lower = raw.to_ascii_lowercase();
    for marker in ["ext.", "ext", "x", "#"] {
        if let Some(i) = lower.rfind(marker) {
            if i > 0 && raw.is_char_boundary(i) {
                let (a, b) = raw.split_at(i);
                let ext = b[marker.len()..].trim();
                if !ext.is_empty() && ext.chars().all(|c| c.is_ascii_digit()) {
                    return (a, Some(ext));
                }
            }
        }
    }
    (raw, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us() -> Id {
        parse_region("US").unwrap()
    }

    #[test]
    fn formats_of_one_number_agree() {
        let forms = [
            "(415) 555-0101",
            "415-555-0101",
            "+1 415 555 0101",
            "001 415 555 0101",
            "415.555.0101",
        ];
        let keys: Vec<_> = forms.iter().map(|f| to_e164(f, us())).collect();
        assert!(
            keys.iter().all(|k| k.as_deref() == Some("+14155550101")),
            "{keys:?}"
        );
    }

    #[test]
    fn region_changes_the_reading() {
        let fr = parse_region("FR").unwrap();
        assert_eq!(
            to_e164("06 12 34 56 78", fr).as_deref(),
            Some("+33612345678")
        );
        assert_eq!(
            to_e164("+33 6 12 34 56 78", us()).as_deref(),
            Some("+33612345678")
        );
    }

    #[test]
    fn international_numbers_ignore_the_default_region() {
        assert_eq!(
            to_e164("+33 1 42 68 53 00", us()).as_deref(),
            Some("+33142685300")
        );
        assert_eq!(
            to_e164("+44 20 7946 0958", us()).as_deref(),
            Some("+442079460958")
        );
    }

    #[test]
    fn national_digits_agree_with_libphonenumber() {
        let numbers = [
            ("(415) 555-0101", "US"),
            ("06 12 34 56 78", "FR"),
            ("06 6982 0000", "IT"), // Italian numbers keep their leading zero
            ("020 7946 0958", "GB"),
            ("030 901820", "DE"),
            ("03-1234-5678", "JP"),
            ("+852 2123 4567", "US"),
            ("+380 44 123 4567", "US"),
            ("+1 268 464 1234", "US"), // Antigua: the code 1 and an area code
            ("+7 912 345 67 89", "US"),
            ("+358 40 1234567", "US"),
            ("+971 50 123 4567", "US"),
        ];
        for (raw, region) in numbers {
            let e = to_e164(raw, parse_region(region).unwrap()).expect(raw);
            let d = digits(&e);
            let nsn = PHONE_NUMBER_UTIL
                .parse(&e, None)
                .unwrap()
                .get_national_significant_number();
            assert_eq!(national_digits(&d), Some(nsn), "{raw}");
        }
        assert_eq!(national_digits("999"), None, "no such calling code");
        assert_eq!(national_digits("1"), None);
    }

    /// The fast path of `is_valid` gives libphonenumber's answer: numbers of the regions
    /// that share a calling code (+1, +7, +44, +47, +61, +262, +590, ...) and random digits.
    #[test]
    fn is_valid_agrees_with_libphonenumber() {
        let mut numbers: Vec<String> = [
            "+1 415 555 0101",
            "+1 212 555 0199",
            "+1 268 464 1234", // Antigua
            "+1 876 555 1234", // Jamaica
            "+1 416 555 0123", // Canada
            "+1 787 555 0123", // Puerto Rico
            "+44 1481 256789", // Guernsey
            "+44 7781 123456", // Guernsey mobile
            "+44 1624 612345", // Isle of Man
            "+44 20 7946 0958",
            "+7 912 345 67 89",
            "+7 701 123 4567", // Kazakhstan
            "+47 22 12 34 56",
            "+61 2 9374 4000",
            "+61 8 9162 1234", // Christmas Island ranges
            "+262 262 12 34 56",
            "+262 269 61 23 45", // Mayotte
            "+590 590 12 34 56",
            "+358 18 12345", // Åland
            "+212 5 22 12 34 56",
        ]
        .map(String::from)
        .to_vec();
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let cc = ["1", "7", "44", "47", "61", "262", "590", "358", "33"][(x % 9) as usize];
            let len = 6 + (x >> 8) % 7;
            let digits: String = (0..len)
                .map(|i| char::from(b'0' + ((x >> (12 + 3 * i)) % 10) as u8))
                .collect();
            numbers.push(format!("+{cc} {digits}"));
        }
        // And the numbers of generated people, in the formats people type, read as US.
        for p in carnet_gen::people(3, 3000) {
            for ph in p.body["phones"].as_array().into_iter().flatten() {
                numbers.extend(ph["value"].as_str().map(String::from));
            }
        }
        let mut valid = 0;
        for raw in &numbers {
            let Ok(n) = PHONE_NUMBER_UTIL.parse(raw, Some(us())) else {
                continue;
            };
            assert_eq!(is_valid(&n), n.is_valid(), "{raw}");
            valid += usize::from(n.is_valid());
        }
        assert!(valid > 100, "the sample has valid numbers: {valid}");
    }

    #[test]
    fn invalid_numbers_have_no_e164() {
        assert_eq!(to_e164("12345", us()), None);
    }

    #[test]
    fn raw_text_rules() {
        assert!(check_raw("(415) 555-0101 ext. 12").is_ok());
        assert!(check_raw("+1 415 555 0101 x7").is_ok());
        assert!(check_raw("call me").is_err());
        assert!(check_raw("12").is_err());
    }

    #[test]
    fn countries_map_to_regions() {
        assert_eq!(region_from_country("France"), parse_region("FR"));
        assert_eq!(region_from_country("United States"), parse_region("US"));
        assert_eq!(region_from_country("de"), parse_region("DE"));
        assert_eq!(region_from_country("Atlantis"), None);
    }
}
