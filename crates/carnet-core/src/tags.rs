//! The tags in use: distinct tags of live (not trashed) people with how many people carry
//! each, for the window's tag filter and scripts.
//!
//! Tags match case- and accent-insensitively (the `person_tags.tag_norm` fold), so "VIP" and
//! "vip" are one tag; its display spelling is the most common one (ties: the first in
//! `text::sort_key` order). The list is sorted by `text::sort_key`, like people's names.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::text::{fold, sort_key};
use crate::{Result, Store};

/// One tag in use and the number of live people tagged with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TagCount {
    pub tag: String,
    pub count: u32,
}

impl Store {
    /// Distinct tags of live people with their counts, sorted with `text::sort_key`.
    pub fn list_tags(&self) -> Result<Vec<TagCount>> {
        let mut st = self.conn.prepare_cached(
            "SELECT p.seq, j.value FROM people p, json_each(p.tags) j
             WHERE p.deleted_at IS NULL AND j.type = 'text'",
        )?;
        // norm -> (people seqs seen, spelling -> uses)
        let mut by_norm: HashMap<String, (Vec<i64>, HashMap<String, u32>)> = HashMap::new();
        let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (seq, tag) = row?;
            let tag = tag.trim().to_string();
            if tag.is_empty() {
                continue;
            }
            let entry = by_norm.entry(fold(&tag)).or_default();
            if entry.0.last() != Some(&seq) {
                entry.0.push(seq);
            }
            *entry.1.entry(tag).or_default() += 1;
        }
        let mut out: Vec<(String, TagCount)> = by_norm
            .into_values()
            .map(|(mut seqs, spellings)| {
                seqs.sort_unstable();
                seqs.dedup();
                let tag = spellings
                    .into_iter()
                    .max_by(|a, b| {
                        a.1.cmp(&b.1)
                            .then_with(|| sort_key(&b.0).cmp(&sort_key(&a.0)))
                            .then_with(|| b.0.cmp(&a.0))
                    })
                    .map(|(s, _)| s)
                    .unwrap_or_default();
                let key = sort_key(&tag);
                (
                    key,
                    TagCount {
                        tag,
                        count: seqs.len() as u32,
                    },
                )
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.tag.cmp(&b.1.tag)));
        Ok(out.into_iter().map(|(_, t)| t).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn distinct_live_tags_with_counts_in_sort_key_order() {
        let mut s = Store::open_in_memory().unwrap();
        s.create_person(&json!({"firstName": "A", "tags": ["vip", "Émigré", "lead"]}))
            .unwrap();
        s.create_person(&json!({"firstName": "B", "tags": ["VIP", "zeta"]}))
            .unwrap();
        s.create_person(&json!({"firstName": "C", "tags": ["vip", "#hash"]}))
            .unwrap();
        let gone = s
            .create_person(&json!({"firstName": "D", "tags": ["trashed-only", "lead"]}))
            .unwrap();
        s.trash_person(&gone.id).unwrap();

        let tags = s.list_tags().unwrap();
        let got: Vec<(&str, u32)> = tags.iter().map(|t| (t.tag.as_str(), t.count)).collect();
        assert_eq!(
            got,
            vec![
                ("Émigré", 1),
                ("lead", 1),
                ("vip", 3),
                ("zeta", 1),
                ("#hash", 1)
            ]
        );
    }

    #[test]
    fn empty_store_has_no_tags() {
        let s = Store::open_in_memory().unwrap();
        assert!(s.list_tags().unwrap().is_empty());
    }
}
