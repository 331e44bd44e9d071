//! The bulk-write index: live people's emails, phone keys and vCard UIDs, and live
//! companies by name, held in memory for the length of one import.
//!
//! A single write checks uniqueness and duplicates with one SQL lookup per key; an import
//! of 100,000 cards would make a million of them. The import loads what is stored once
//! (nothing at all for an empty database), then every create and update inside the
//! import keeps the index in step, so a lookup is a hash probe and answers exactly what
//! the SQL would have answered inside the same transaction.

use std::collections::HashMap;
use std::rc::Rc;

use rusqlite::Connection;

use crate::error::Result;
use crate::model::{CompanyRef, Person};

/// A live person that owns a key.
#[derive(Debug, Clone, PartialEq)]
pub struct Owner {
    pub seq: i64,
    pub id: String,
    pub name: String,
}

/// The index's maps: foldhash rather than SipHash (about a third of the index's time in an
/// import's writing thread), still seeded per map, as the keys come from files.
type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// The live people that own one key (almost always one). Each person's `Owner` is shared
/// by all its keys.
type Owners = Vec<Rc<Owner>>;

/// See the module documentation.
#[derive(Debug, Default)]
pub struct LiveIndex {
    emails: Map<String, Owners>,
    phones: Map<String, Owners>,
    uids: Map<String, Owners>,
    uid_of: Map<i64, String>,
    companies: Map<String, CompanyRef>,
    /// Whether some person custom field is required (field definitions do not change
    /// during an import).
    person_fields_required: bool,
}

fn push(map: &mut Map<String, Owners>, key: String, owner: &Rc<Owner>) {
    let v = map.entry(key).or_default();
    if !v.iter().any(|o| o.seq == owner.seq) {
        v.push(Rc::clone(owner));
    }
}

fn pull(map: &mut Map<String, Owners>, key: &str, seq: i64) {
    if let Some(v) = map.get_mut(key) {
        v.retain(|o| o.seq != seq);
        if v.is_empty() {
            map.remove(key);
        }
    }
}

fn other<'a>(map: &'a Map<String, Owners>, key: &str, seq: i64) -> Option<&'a Owner> {
    map.get(key)?.iter().find(|o| o.seq != seq).map(|o| &**o)
}

impl LiveIndex {
    /// Load the live people's keys and the live companies from the database, with room for
    /// the keys of `incoming` more people (the records of the file): growing the maps
    /// record by record rehashed them into fresh memory each time they doubled.
    pub fn load(conn: &Connection, incoming: usize) -> Result<LiveIndex> {
        let mut ix = LiveIndex::default();
        // Two emails and two phones per person is more than most address books hold.
        ix.emails.reserve(2 * incoming);
        ix.phones.reserve(2 * incoming);
        ix.uids.reserve(incoming);
        ix.uid_of.reserve(incoming);
        for (sql, which) in [
            (
                "SELECT e.email_norm, p.seq, p.id, p.full_name FROM person_emails e JOIN people p ON p.seq = e.person_seq \
                 WHERE p.deleted_at IS NULL ORDER BY p.seq",
                0,
            ),
            (
                "SELECT f.phone_key, p.seq, p.id, p.full_name FROM person_phones f JOIN people p ON p.seq = f.person_seq \
                 WHERE p.deleted_at IS NULL ORDER BY p.seq",
                1,
            ),
            (
                "SELECT x.uid, p.seq, p.id, p.full_name FROM person_extras x JOIN people p ON p.seq = x.person_seq \
                 WHERE x.uid IS NOT NULL AND p.deleted_at IS NULL ORDER BY p.seq",
                2,
            ),
        ] {
            let mut st = conn.prepare(sql)?;
            let mut rows = st.query([])?;
            // Rows come in person order: a person's keys share its owner.
            let mut last: Option<Rc<Owner>> = None;
            while let Some(r) = rows.next()? {
                let seq: i64 = r.get(1)?;
                let owner = match last.take() {
                    Some(o) if o.seq == seq => o,
                    _ => Rc::new(Owner {
                        seq,
                        id: r.get(2)?,
                        name: r.get(3)?,
                    }),
                };
                let key: String = r.get(0)?;
                let map = match which {
                    0 => &mut ix.emails,
                    1 => &mut ix.phones,
                    _ => {
                        ix.uid_of.insert(owner.seq, key.clone());
                        &mut ix.uids
                    }
                };
                push(map, key, &owner);
                last = Some(owner);
            }
        }
        ix.person_fields_required = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM field_defs WHERE entity = 'person' AND required <> 0)",
            [],
            |r| r.get(0),
        )?;
        let mut st =
            conn.prepare("SELECT name_norm, id, name FROM companies WHERE deleted_at IS NULL")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            ix.companies.insert(
                r.get(0)?,
                CompanyRef {
                    id: r.get(1)?,
                    name: r.get(2)?,
                },
            );
        }
        Ok(ix)
    }

    /// A live person other than `seq` with this (lower-cased) email.
    pub fn email_owner(&self, email_norm: &str, seq: i64) -> Option<&Owner> {
        other(&self.emails, email_norm, seq)
    }

    /// A live person other than `seq` with this phone key.
    pub fn phone_owner(&self, key: &str, seq: i64) -> Option<&Owner> {
        other(&self.phones, key, seq)
    }

    /// The live person whose imported vCard UID is `uid`.
    pub fn uid_owner(&self, uid: &str) -> Option<&Owner> {
        self.uids.get(uid)?.first().map(|o| &**o)
    }

    /// A person was written live (created, updated or restored): index its keys.
    pub fn add(&mut self, seq: i64, p: &Person) {
        let owner = Rc::new(Owner {
            seq,
            id: p.id.clone(),
            name: p.full_name.clone(),
        });
        let (emails, phones) = crate::people_db::match_keys(p);
        for k in emails {
            push(&mut self.emails, k, &owner);
        }
        for k in phones {
            push(&mut self.phones, k, &owner);
        }
    }

    /// A person's keys as they were before an update or a move to the trash.
    pub fn remove(&mut self, seq: i64, p: &Person) {
        let (emails, phones) = crate::people_db::match_keys(p);
        for k in emails {
            pull(&mut self.emails, &k, seq);
        }
        for k in phones {
            pull(&mut self.phones, &k, seq);
        }
    }

    /// A live person's imported UID is now `new`.
    pub fn set_uid(&mut self, seq: i64, p: &Person, new: Option<&str>) {
        self.drop_uid_of(seq);
        if let Some(u) = new {
            self.uid_of.insert(seq, u.to_string());
            let owner = Rc::new(Owner {
                seq,
                id: p.id.clone(),
                name: p.full_name.clone(),
            });
            push(&mut self.uids, u.to_string(), &owner);
        }
    }

    /// A person no longer owns its UID (it went to the trash, or the UID changed).
    pub fn drop_uid_of(&mut self, seq: i64) {
        if let Some(u) = self.uid_of.remove(&seq) {
            pull(&mut self.uids, &u, seq);
        }
    }

    /// Whether a new person must be checked for required custom fields.
    pub fn person_fields_required(&self) -> bool {
        self.person_fields_required
    }

    /// The live company with this normalised name.
    pub fn company(&self, name_norm: &str) -> Option<&CompanyRef> {
        self.companies.get(name_norm)
    }

    /// A company was created under this normalised name.
    pub fn add_company(&mut self, name_norm: String, c: CompanyRef) {
        self.companies.insert(name_norm, c);
    }
}
