//! Text folding for search and sorting: case- and accent-insensitive keys.
//!
//! `fold("Zoë Åberg") == "zoe aberg"`. The sort key of a person is the folded display
//! name, so `Åberg` sorts with the A's and not after `Z` as a byte sort would put it.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower-case, strip diacritics (NFKD then drop combining marks) and expand a few letters
/// that do not decompose (ß, æ, ø, ł, đ, œ, þ).
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        // NFKD leaves ASCII as it is: only the case changes.
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            'þ' | 'Þ' => out.push_str("th"),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The sort key of a display name: folded, trimmed, inner whitespace collapsed.
/// Names that start with no letter or digit sort last (`~` is after all letters).
pub fn sort_key(display: &str) -> String {
    let folded = fold(display);
    let key = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    match key.chars().next() {
        Some(c) if c.is_alphanumeric() => key,
        _ => format!("~{key}"),
    }
}

/// Collapse inner whitespace and trim; `None` when nothing is left.
pub fn clean(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        None
    } else {
        Some(t.to_string())
    }
}

/// Only the ASCII digits of a string (`(415) 555-0101` -> `4155550101`).
pub fn digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Zoë Åberg"), "zoe aberg");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Øyvind Łukasz"), "oyvind lukasz");
        assert_eq!(fold("ÉLODIE"), "elodie");
    }

    #[test]
    fn aberg_sorts_before_z() {
        let mut names = vec!["Zed", "Åberg", "Adams", "émile", "Bob"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(names, vec!["Åberg", "Adams", "Bob", "émile", "Zed"]);
    }

    #[test]
    fn blank_names_sort_last() {
        assert!(sort_key("") > sort_key("zzz"));
        assert!(sort_key("@foo") > sort_key("zzz"));
    }
}
