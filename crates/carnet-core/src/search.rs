//! Search as you type: what a query matches, in which relevance order, and how a page of
//! it is found fast at 100,000 people.
//!
//! # What matches
//! Every typed word must be the start of a word of the person (accents and case folded, so
//! `Zoe` finds `Zoë`, `strasse` finds `Straße`). Two exceptions keep short queries useful
//! and cheap:
//! - a query of digits and phone punctuation with at least 3 digits is one digits prefix on
//!   the phones (`555-0101` finds `(415) 555-0101`);
//! - a word of a single character must start a word of the *name* (`s` finds `Sarah` and
//!   `Amara Smith`, not every `…@sas.com` or `Software engineer`; `jane d` finds Jane Doe):
//!   a one-letter prefix over all fields matches most people, and the index keeps no
//!   one-letter prefixes (`prefix='2 3'`), so FTS5 would merge thousands of terms (5–20 ms).
//!   A single character inside a word (`omar.p`, an email being typed) stays an FTS5 phrase
//!   and pays that merge (≈ 5 ms at 100k) until the next character.
//!
//! # Relevance (the default name order)
//! Matches come in tiers, each sorted by name (`sort_key`, then `seq`):
//! 1. every typed word starts a word of the name (first, last or full name);
//! 2. every word starts a word of the name, an email or a phone — at least one only in an
//!    email or phone;
//! 3. the same with the companies' names;
//! 4. the rest: at least one word only in the job title, tags or custom fields.
//!
//! Tier *t* is "all words matched in the columns of tiers 1..=t" minus the tiers before, so
//! a person is in exactly one tier and `total` is the number of all matches. Paging walks
//! the same order, so pages never overlap or skip. Other orders (descending, created,
//! updated, a custom field) and searches combined with filters keep their explicit order
//! over the same matches (`people_list`).
//!
//! # How a page is found
//! FTS5 gives the row ids of a tier (≈ 70 ns each); the person's position in the name
//! order comes from `NameOrder`, an in-memory rank per row id read once from the
//! `people_by_name` index (≈ 15 ms at 100k) and dropped when the database changes (this
//! connection's `total_changes` or another's `data_version`). A tier is sorted by rank, and
//! later tiers are read only when the page reaches them; the total is a count of all
//! matches. No `rank`/bm25 (≈ 1.3 µs a row) and no join to the wide rows. Results are kept
//! per query for the same database version, so typing back, retyping and scrolling reuse
//! them.
//!
//! One-character words are answered from `Initials`: the first character of every name
//! token of every live person, read by one scan of the names on the first such search of a
//! database version (≈ 100–250 ms at 100k, once; then ≈ 0.1 ms a query). It tokenizes as
//! `unicode61` does (letters, digits and private-use characters are token characters; the
//! text is folded first, so there are no combining marks left), so `s` finds exactly what
//! `name : "s"*` finds; explicit orders and filters use that FTS5 form (`Plan::all`).

use std::cell::RefCell;
use std::collections::HashMap;

use rusqlite::Connection;

use crate::error::Result;
use crate::text::{digits, fold};

/// A planned query: FTS5 expressions of its longer words, one per tier, cumulative (tier
/// *t* matches everything the tiers before it match; the last one is all matches), and its
/// one-character words, which must each start a word of the name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Plan {
    pub tiers: Vec<String>,
    pub initials: Vec<char>,
}

impl Plan {
    /// One FTS5 expression of all matches (for the explicit orders and filters).
    pub fn all(&self) -> String {
        let names = self
            .initials
            .iter()
            .map(|c| format!("name : {}", term(&c.to_string())));
        let words = self.tiers.last().cloned();
        names.chain(words).collect::<Vec<_>>().join(" AND ")
    }
}

fn term(word: &str) -> String {
    format!("\"{}\"*", word.replace('"', "\"\""))
}

/// A character FTS5's `unicode61` keeps in a token (letters, digits, private use);
/// everything else separates tokens. Text here is already folded (no combining marks).
fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..)
}

/// The folded text of a person's name column: full, first and last name, each word once
/// (a derived full name repeats first and last; indexing it twice only costs).
pub fn name_text(full: &str, first: Option<&str>, last: Option<&str>) -> String {
    let folded = fold(&[full, first.unwrap_or(""), last.unwrap_or("")].join(" "));
    let mut words: Vec<&str> = Vec::new();
    for w in folded.split_whitespace() {
        if !words.contains(&w) {
            words.push(w);
        }
    }
    words.join(" ")
}

/// Add the first characters of the tokens of folded text to `out` (each once).
fn initials_of(folded: &str, out: &mut Vec<char>) {
    let mut at_start = true;
    for c in folded.chars() {
        if is_token_char(c) {
            if at_start && !out.contains(&c) {
                out.push(c);
            }
            at_start = false;
        } else {
            at_start = true;
        }
    }
}

/// The initials of a name column (`name_text`), without building it: the same tokens,
/// folded one field at a time (ASCII needs only its case changed).
fn name_initials(fields: [Option<&str>; 3], out: &mut Vec<char>) {
    out.clear();
    for f in fields.into_iter().flatten() {
        if f.is_ascii() {
            let mut at_start = true;
            for b in f.bytes() {
                if b.is_ascii_alphanumeric() {
                    let c = char::from(b.to_ascii_lowercase());
                    if at_start && !out.contains(&c) {
                        out.push(c);
                    }
                    at_start = false;
                } else {
                    at_start = true;
                }
            }
        } else {
            initials_of(&fold(f), out);
        }
    }
}

/// Columns searched by each tier (see the module doc), cumulative; the last tier is all.
const TIER_COLUMNS: [&str; 3] = [
    "name",
    "{name emails phones}",
    "{name emails phones companies}",
];

/// Plan what a person typed; `None` when it has no word to search (empty, or only
/// punctuation, which must match nothing rather than everything).
pub fn plan(search: &str) -> Option<Plan> {
    let s = search.trim();
    if s.is_empty() {
        return None;
    }
    let phone_like = s
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let d = digits(s);
    if phone_like && d.len() >= 3 {
        return Some(Plan {
            tiers: vec![format!("phones : \"{d}\"*")],
            initials: vec![],
        });
    }
    let folded = fold(s);
    let mut initials = Vec::new();
    let mut terms = Vec::new();
    for w in folded.split_whitespace() {
        let mut tokens = w.chars().filter(|c| is_token_char(*c));
        match (tokens.next(), tokens.next()) {
            (None, _) => {}
            (Some(c), None) => {
                if !initials.contains(&c) {
                    initials.push(c);
                }
            }
            _ => terms.push(term(w)),
        }
    }
    if terms.is_empty() && initials.is_empty() {
        return None;
    }
    let mut tiers = vec![];
    if !terms.is_empty() {
        let all = terms.join(" ");
        tiers = TIER_COLUMNS
            .iter()
            .map(|cols| format!("{cols} : ({all})"))
            .collect();
        tiers.push(all);
    }
    Some(Plan { tiers, initials })
}

/// Results kept per query: past this many distinct queries, or this many ranks in all
/// (4 bytes each), the memo starts afresh.
const MEMO_QUERIES: usize = 64;
const MEMO_RANKS: usize = 1 << 20;

/// Live people's positions in the name order `(sort_key, seq)`.
struct NameOrder {
    /// Rank by row id (`u32::MAX`: not a live person).
    rank_of: Vec<u32>,
    /// Row id by rank.
    seq_at: Vec<i64>,
}

impl NameOrder {
    fn load(conn: &Connection) -> Result<NameOrder> {
        let mut st = conn.prepare(
            "SELECT seq FROM people INDEXED BY people_by_name WHERE deleted_at IS NULL ORDER BY sort_key, seq",
        )?;
        let seq_at: Vec<i64> = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let max = seq_at.iter().copied().max().unwrap_or(0).max(0) as usize;
        let mut rank_of = vec![u32::MAX; max + 1];
        for (i, s) in seq_at.iter().enumerate() {
            if *s >= 0 {
                rank_of[*s as usize] = i as u32;
            }
        }
        Ok(NameOrder { rank_of, seq_at })
    }

    fn rank(&self, seq: i64) -> Option<u32> {
        usize::try_from(seq)
            .ok()
            .and_then(|i| self.rank_of.get(i))
            .copied()
            .filter(|r| *r != u32::MAX)
    }
}

/// The people a one-character word finds: for each first character of a name token, the
/// ranks (sorted) and a bit per rank. Read from the names of live people on the first
/// one-character search of a database version (≈ 60 ms at 100k).
struct Initials {
    by_char: HashMap<char, (Vec<u32>, Vec<u64>)>,
}

impl Initials {
    fn load(conn: &Connection, order: &NameOrder) -> Result<Initials> {
        let mut lists: HashMap<char, Vec<u32>> = HashMap::new();
        let mut st = conn.prepare(
            // A table scan: through the name index it would be a random row read each.
            "SELECT seq, full_name, first_name, last_name FROM people NOT INDEXED WHERE deleted_at IS NULL",
        )?;
        let mut rows = st.query([])?;
        let mut chars = Vec::new();
        while let Some(r) = rows.next()? {
            let Some(rank) = order.rank(r.get(0)?) else {
                continue;
            };
            let text = |i: usize| r.get_ref(i).ok().and_then(|v| v.as_str().ok());
            name_initials([text(1), text(2), text(3)], &mut chars);
            for c in &chars {
                lists.entry(*c).or_default().push(rank);
            }
        }
        let words = order.seq_at.len().div_ceil(64);
        let by_char = lists
            .into_iter()
            .map(|(c, mut ranks)| {
                ranks.sort_unstable();
                let mut bits = vec![0u64; words];
                for k in &ranks {
                    bits[*k as usize / 64] |= 1 << (k % 64);
                }
                (c, (ranks, bits))
            })
            .collect();
        Ok(Initials { by_char })
    }

    /// The bit sets of `chars`; `None` when a character starts no name word.
    fn bits<'a>(&'a self, chars: &[char]) -> Option<Vec<&'a [u64]>> {
        chars
            .iter()
            .map(|c| self.by_char.get(c).map(|(_, b)| &b[..]))
            .collect()
    }

    /// Ranks (sorted) with a name word starting with each of `chars`.
    fn matching(&self, chars: &[char]) -> Vec<u32> {
        let Some(bits) = self.bits(chars) else {
            return vec![];
        };
        let smallest = chars
            .iter()
            .filter_map(|c| self.by_char.get(c).map(|(r, _)| r))
            .min_by_key(|r| r.len());
        match (smallest, chars.len()) {
            (Some(r), 1) => r.clone(),
            (Some(r), _) => r.iter().copied().filter(|k| has_all(&bits, *k)).collect(),
            (None, _) => vec![],
        }
    }
}

fn has_all(bits: &[&[u64]], rank: u32) -> bool {
    bits.iter()
        .all(|b| b[rank as usize / 64] & (1 << (rank % 64)) != 0)
}

/// What is known of one query: the ranks of its first `tiers_done` tiers, in page order.
#[derive(Default)]
struct Ranked {
    ranks: Vec<u32>,
    tiers_done: usize,
    total: Option<u32>,
}

/// Per-connection search state, valid for one database version.
#[derive(Default)]
pub struct SearchCache {
    version: Option<(u64, i64)>,
    order: Option<NameOrder>,
    initials: Option<Initials>,
    memo: HashMap<Plan, Ranked>,
}

fn version(conn: &Connection) -> Result<(u64, i64)> {
    let dv: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
    Ok((conn.total_changes(), dv))
}

fn row_ids(conn: &Connection, expr: &str) -> Result<Vec<i64>> {
    let mut st = conn.prepare_cached("SELECT rowid FROM people_fts WHERE people_fts MATCH ?1")?;
    let ids = st
        .query_map([expr], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// The row ids of one page of a search in relevance order, and the number of matches.
pub fn page(
    conn: &Connection,
    cache: &RefCell<SearchCache>,
    plan: &Plan,
    offset: u32,
    limit: u32,
) -> Result<(Vec<i64>, u32)> {
    let mut guard = cache.borrow_mut();
    let c = &mut *guard;
    let v = version(conn)?;
    if c.version != Some(v) {
        *c = SearchCache {
            version: Some(v),
            ..Default::default()
        };
    }
    if c.order.is_none() {
        c.order = Some(NameOrder::load(conn)?);
    }
    let order = c.order.as_ref().expect("loaded above");
    if !plan.initials.is_empty() && c.initials.is_none() {
        c.initials = Some(Initials::load(conn, order)?);
    }
    let initials = c.initials.as_ref();
    // One-character words (if any) filter what the tiers find; a character that starts no
    // name word leaves nothing.
    let bits = initials.map(|i| i.bits(&plan.initials));
    let keep = |k: &u32| match &bits {
        None => true,
        Some(Some(b)) => has_all(b, *k),
        Some(None) => false,
    };
    let kept: usize = c.memo.values().map(|r| r.ranks.len()).sum();
    if (c.memo.len() >= MEMO_QUERIES || kept >= MEMO_RANKS) && !c.memo.contains_key(plan) {
        c.memo.clear();
    }
    let r = c.memo.entry(plan.clone()).or_default();
    if plan.tiers.is_empty() && r.total.is_none() {
        // Only one-character words: names, from memory.
        r.ranks = initials
            .map(|i| i.matching(&plan.initials))
            .unwrap_or_default();
        r.total = Some(r.ranks.len() as u32);
    }
    let need = offset as usize + limit as usize;
    while r.tiers_done < plan.tiers.len() && r.ranks.len() < need {
        let ids = row_ids(conn, &plan.tiers[r.tiers_done])?;
        let mut fresh: Vec<u32> = ids
            .iter()
            .filter_map(|s| order.rank(*s))
            .filter(keep)
            .collect();
        if r.tiers_done + 1 == plan.tiers.len() {
            r.total = Some(fresh.len() as u32);
        }
        // Tiers are cumulative: drop the people an earlier tier already placed.
        if r.tiers_done > 0 {
            let mut seen = vec![false; order.seq_at.len()];
            for &k in &r.ranks {
                seen[k as usize] = true;
            }
            fresh.retain(|k| !seen[*k as usize]);
        }
        fresh.sort_unstable();
        r.ranks.extend(fresh);
        r.tiers_done += 1;
    }
    let total = match r.total {
        Some(t) => t,
        None if plan.initials.is_empty() => {
            let t: u32 = conn
                .prepare_cached("SELECT count(*) FROM people_fts WHERE people_fts MATCH ?1")?
                .query_row([&plan.tiers[plan.tiers.len() - 1]], |row| row.get(0))?;
            t
        }
        None => {
            let ids = row_ids(conn, &plan.tiers[plan.tiers.len() - 1])?;
            ids.iter()
                .filter_map(|s| order.rank(*s))
                .filter(keep)
                .count() as u32
        }
    };
    r.total = Some(total);
    let from = (offset as usize).min(r.ranks.len());
    let to = need.min(r.ranks.len());
    let seqs = r.ranks[from..to]
        .iter()
        .map(|k| order.seq_at[*k as usize])
        .collect();
    Ok((seqs, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_prefixes_in_four_cumulative_tiers() {
        let p = plan("Zoë  Ång").unwrap();
        assert_eq!(
            p.tiers,
            [
                "name : (\"zoe\"* \"ang\"*)",
                "{name emails phones} : (\"zoe\"* \"ang\"*)",
                "{name emails phones companies} : (\"zoe\"* \"ang\"*)",
                "\"zoe\"* \"ang\"*",
            ]
        );
        assert!(p.initials.is_empty());
        assert_eq!(p.all(), "\"zoe\"* \"ang\"*");
    }

    #[test]
    fn one_character_words_are_name_initials() {
        let p = plan("Zoë Å.").unwrap();
        assert_eq!(p.initials, ['a']);
        assert_eq!(p.tiers[0], "name : (\"zoe\"*)");
        assert_eq!(p.all(), "name : \"a\"* AND \"zoe\"*");
        let p = plan(" Ø ").unwrap();
        assert_eq!((p.tiers.len(), p.initials), (0, vec!['o']));
    }

    #[test]
    fn name_text_keeps_each_word_once_and_initials_follow_tokens() {
        assert_eq!(
            name_text("Zoë Ångström", Some("Zoë"), Some("Ångström")),
            "zoe angstrom"
        );
        assert_eq!(name_text("Bob", Some("Robert"), None), "bob robert");
        let mut v = vec![];
        initials_of("o'brien mcdonald-olsen 李 伟", &mut v);
        assert_eq!(v, ['o', 'b', 'm', '李', '伟']);
        // Field by field, the initials are those of the name column's text.
        for (full, first, last) in [
            ("Zoë Ångström", Some("Zoë"), Some("Ångström")),
            ("Ó Súilleabháin-Weiß", None, Some("Æsa")),
            ("Bob", Some("Robert"), None),
            ("", None, None),
        ] {
            let mut want = vec![];
            initials_of(&name_text(full, first, last), &mut want);
            name_initials([Some(full), first, last], &mut v);
            assert_eq!(v, want, "{full}");
        }
    }

    #[test]
    fn phone_digits_search_phones() {
        assert_eq!(plan("ß").unwrap().tiers.len(), 4, "ß folds to two letters");
        assert_eq!(
            plan("(415) 555-01").unwrap().tiers,
            ["phones : \"41555501\"*"]
        );
        assert_eq!(plan("12").unwrap().tiers.len(), 4, "two digits are a word");
    }

    #[test]
    fn quotes_are_escaped_and_punctuation_matches_nothing() {
        assert_eq!(plan("o\"brien").unwrap().all(), "\"o\"\"brien\"*");
        assert_eq!(plan(" \"*)( "), None);
        assert_eq!(plan("  "), None);
    }
}
