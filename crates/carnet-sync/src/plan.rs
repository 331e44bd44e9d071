//! Planning a push, before any request: loading live people and the local custom-field
//! schema, hashing payloads, computing the difference between the last pushed payload
//! and the new one (what an update sends), and grouping people who share an email or a
//! phone so they are pushed in order and never race for the same remote record.

use std::collections::HashMap;

use carnet_core::{PeopleQuery, PeopleSort, Person, Store};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::db;
use crate::engine::Work;
use crate::error::SyncError;
use crate::provider::{LocalField, LocalFields, Provider};

pub(crate) fn hash(payload: &Map<String, Value>) -> String {
    let text = Value::Object(payload.clone()).to_string();
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// All live people, oldest first.
pub(crate) fn live_people(store: &Store) -> Result<Vec<Person>, SyncError> {
    let mut out = Vec::new();
    let mut q = PeopleQuery {
        sort: PeopleSort::Created,
        limit: 100,
        ..PeopleQuery::default()
    };
    loop {
        let page = store.list_people(&q)?;
        let n = page.items.len();
        out.extend(page.items);
        if n < 100 {
            return Ok(out);
        }
        q.offset += 100;
    }
}

/// The schema, completed with fields inferred from values that have no definition.
pub(crate) fn schema(store: &Store, people: &[Person]) -> Result<LocalFields, SyncError> {
    let mut fields = db::local_fields(store)?;
    for p in people {
        for (key, value) in &p.custom_fields {
            let f = fields.entry(key.clone()).or_insert_with(|| {
                let words = key.trim_start_matches("cf_").replace('_', " ");
                let mut label: String =
                    words.chars().take(1).flat_map(char::to_uppercase).collect();
                label.extend(words.chars().skip(1));
                let kind = match value {
                    Value::Number(_) => "number",
                    Value::Bool(_) => "boolean",
                    Value::Array(_) => "multi_select",
                    _ => "text",
                };
                LocalField {
                    key: key.clone(),
                    label,
                    kind: kind.into(),
                    options: Vec::new(),
                }
            });
            if f.kind == "multi_select" {
                for o in value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    if !f.options.iter().any(|x| x == o) {
                        f.options.push(o.to_string());
                    }
                }
            }
        }
    }
    Ok(fields)
}

/// The changes between two payloads: changed keys, sub-keys of merged objects, and the
/// provider's "unset" value for removed keys.
pub(crate) fn diff<P: Provider>(
    p: &P,
    prev: &Map<String, Value>,
    new: &Map<String, Value>,
) -> Map<String, Value> {
    fn nested(prev: &Value, new: &Value) -> Option<Value> {
        match (prev, new) {
            (Value::Object(a), Value::Object(b)) => {
                let mut out = Map::new();
                for (k, v) in b {
                    match a.get(k) {
                        Some(old) => {
                            if let Some(d) = nested(old, v) {
                                out.insert(k.clone(), d);
                            }
                        }
                        None => {
                            out.insert(k.clone(), v.clone());
                        }
                    }
                }
                // A removed sub-object (a folk group) is unset field by field.
                for (k, old) in a.iter().filter(|(k, _)| !b.contains_key(*k)) {
                    let gone = match old {
                        Value::Object(_) => nested(old, &Value::Object(Map::new())),
                        _ => Some(Value::Null),
                    };
                    if let Some(g) = gone {
                        out.insert(k.clone(), g);
                    }
                }
                (!out.is_empty()).then_some(Value::Object(out))
            }
            (a, b) if a == b => None,
            (_, b) => Some(b.clone()),
        }
    }
    let merged = p.merged_keys();
    let mut out = Map::new();
    for (k, v) in new {
        match prev.get(k) {
            Some(old) if merged.contains(&k.as_str()) => {
                if let Some(d) = nested(old, v) {
                    out.insert(k.clone(), d);
                }
            }
            Some(old) if old == v => {}
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    for (k, old) in prev.iter().filter(|(k, _)| !new.contains_key(*k)) {
        let gone = if merged.contains(&k.as_str()) {
            nested(old, &Value::Object(Map::new()))
        } else {
            Some(p.unset(k))
        };
        if let Some(g) = gone {
            out.insert(k.clone(), g);
        }
    }
    out
}

/// Groups work items that share an email or phone digits (union-find by key).
pub(crate) fn group_by_contacts(work: Vec<Work>) -> Vec<Vec<Work>> {
    let mut parent: Vec<usize> = (0..work.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: HashMap<String, usize> = HashMap::new();
    for (i, w) in work.iter().enumerate() {
        let keys = w
            .person
            .emails
            .iter()
            .map(|e| format!("e:{}", e.value.to_lowercase()))
            .chain(w.person.phones.iter().map(|p| {
                format!(
                    "p:{}",
                    crate::provider::phone_digits(p.e164.as_deref().unwrap_or(&p.value))
                )
            }))
            .chain(
                w.link
                    .is_none()
                    .then(|| format!("n:{}", w.person.full_name.to_lowercase())),
            );
        for k in keys {
            match owner.get(&k) {
                Some(&j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a] = b;
                }
                None => {
                    owner.insert(k, i);
                }
            }
        }
    }
    let mut groups: HashMap<usize, Vec<Work>> = HashMap::new();
    let mut order = Vec::new();
    for (i, w) in work.into_iter().enumerate() {
        let r = root(&mut parent, i);
        if !groups.contains_key(&r) {
            order.push(r);
        }
        groups.entry(r).or_default().push(w);
    }
    order
        .into_iter()
        .filter_map(|r| groups.remove(&r))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::introzy::Introzy;
    use serde_json::json;

    #[test]
    fn diff_sends_changes_and_unsets() {
        let p = Introzy::new();
        let prev =
            json!({"email": "a@b.co", "lastName": "X", "customFields": {"cf_a": 1, "cf_b": 2}});
        let new = json!({"email": "a@b.co", "customFields": {"cf_a": 1, "cf_c": 3}});
        let d = diff(&p, prev.as_object().unwrap(), new.as_object().unwrap());
        assert_eq!(
            Value::Object(d),
            json!({"customFields": {"cf_c": 3, "cf_b": null}, "lastName": null})
        );
    }
}
