//! vCard TYPE/PREF parameters and Apple `X-ABLabel`s to Carnet labels and primary order,
//! and back.
//!
//! A label made only of standard TYPE words in canonical form (`work`, `mobile`,
//! `home fax`) is written as TYPE parameters; any other label (`Assistant`, `Work` with
//! a capital) as an Apple-style `itemN.X-ABLabel`, which Apple, Google and most readers
//! show. Both read back to the same label, so labels survive a round trip exactly.

use calcard::common::IanaString;
use calcard::vcard::{VCardEntry, VCardParameterName, VCardParameterValue};

/// TYPE words that carry no label: how to reach the value, not what it is.
const NOISE: &[&str] = &[
    "pref", "internet", "x400", "voice", "msg", "dom", "intl", "postal", "parcel",
];

/// TYPE words written as TYPE (lower case); `mobile` is written `CELL`.
const KNOWN: &[&str] = &[
    "home",
    "work",
    "mobile",
    "fax",
    "pager",
    "main",
    "other",
    "text",
    "video",
    "textphone",
    "iphone",
    "car",
    "isdn",
    "bbs",
    "modem",
    "personal",
    "school",
];

/// The label and preference rank (lower first; 100 when none) of a property.
pub(crate) fn label_and_rank(entry: &VCardEntry, ab_label: Option<&str>) -> (Option<String>, u32) {
    let mut words: Vec<String> = Vec::new();
    let mut rank = 100;
    for p in &entry.params {
        match (&p.name, &p.value) {
            (VCardParameterName::Pref, VCardParameterValue::Integer(n)) => rank = rank.min(*n),
            (VCardParameterName::Pref, _) => rank = rank.min(1),
            (VCardParameterName::Type, v) => {
                let text = match v {
                    VCardParameterValue::Type(t) => t.as_str().to_string(),
                    VCardParameterValue::Text(s) => s.clone(),
                    _ => continue,
                };
                for w in text.split(',') {
                    push_word(&mut words, &mut rank, w);
                }
            }
            // vCard 2.1 bare parameters: `TEL;CELL;PREF:...`.
            (VCardParameterName::Other(name), VCardParameterValue::Null) => {
                push_word(&mut words, &mut rank, name)
            }
            _ => {}
        }
    }
    let label = match ab_label {
        Some(l) => clean_ab_label(l),
        None if words.is_empty() => None,
        None => Some(words.join(" ")),
    };
    (label, rank)
}

fn push_word(words: &mut Vec<String>, rank: &mut u32, w: &str) {
    let w = w.trim().to_ascii_lowercase();
    if w == "pref" {
        *rank = (*rank).min(1);
    }
    if w.is_empty() || NOISE.contains(&w.as_str()) || w.starts_with("x-") {
        return;
    }
    let w = if w == "cell" { "mobile".to_string() } else { w };
    if !words.contains(&w) {
        words.push(w);
    }
}

/// Apple's built-in labels are wrapped: `_$!<HomePage>!$_` -> `HomePage`.
pub(crate) fn clean_ab_label(l: &str) -> Option<String> {
    let l = l.trim();
    let l = l
        .strip_prefix("_$!<")
        .and_then(|x| x.strip_suffix(">!$_"))
        .unwrap_or(l);
    crate::text::clean(l)
}

/// How a label is written: TYPE words, or an `X-ABLabel` when it is not canonical.
pub(crate) enum LabelOut {
    None,
    Types(Vec<String>),
    AbLabel(String),
}

pub(crate) fn label_out(label: Option<&str>) -> LabelOut {
    let Some(label) = label else {
        return LabelOut::None;
    };
    let words: Vec<&str> = label.split(' ').collect();
    let canonical = !label.is_empty()
        && words.iter().all(|w| KNOWN.contains(w))
        && words
            .iter()
            .enumerate()
            .all(|(i, w)| !words[..i].contains(w));
    if canonical {
        LabelOut::Types(
            words
                .iter()
                .map(|w| {
                    if *w == "mobile" {
                        "CELL".into()
                    } else {
                        w.to_ascii_uppercase()
                    }
                })
                .collect(),
        )
    } else {
        LabelOut::AbLabel(label.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apple_labels_are_unwrapped() {
        assert_eq!(
            clean_ab_label("_$!<HomePage>!$_").as_deref(),
            Some("HomePage")
        );
        assert_eq!(
            clean_ab_label("CustomAdrType").as_deref(),
            Some("CustomAdrType")
        );
    }

    #[test]
    fn canonical_labels_become_types() {
        assert!(matches!(label_out(Some("home fax")), LabelOut::Types(t) if t == ["HOME", "FAX"]));
        assert!(matches!(label_out(Some("mobile")), LabelOut::Types(t) if t == ["CELL"]));
        assert!(matches!(label_out(Some("Work")), LabelOut::AbLabel(_)));
        assert!(matches!(label_out(Some("work work")), LabelOut::AbLabel(_)));
        assert!(matches!(label_out(Some("")), LabelOut::AbLabel(_)));
    }
}
