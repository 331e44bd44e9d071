//! What a vCard carries that a person has no field for, kept per person so an export
//! gives it back: the UID, name prefixes/suffixes, ORG units, and every other property
//! (PHOTO, NICKNAME, X-…, Apple `itemN.` groups) as a vCard 3.0 content line.
//!
//! Stored in `person_extras` (migration 0003), not in `customFields`: custom fields are
//! typed and schema-checked, while these are open-ended and exporter-specific
//! (`X-MS-OL-DESIGN` is a kilobyte of XML). Keeping them raw loses nothing and leaves the
//! user's field schema clean.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The vCard leftovers of one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct VcardExtras {
    /// The UID the person had in the file it came from (matched on re-import).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    /// N components after family and given names: additional names, prefixes, suffixes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub name_parts: Vec<String>,
    /// ORG units after the primary company's name (`IBM;Accounting` keeps `Accounting`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub org_units: Vec<String>,
    /// Other properties, each a vCard 3.0 content line (folded as written).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<String>,
}

impl VcardExtras {
    pub fn is_empty(&self) -> bool {
        self.uid.is_none()
            && self.name_parts.iter().all(|p| p.is_empty())
            && self.org_units.is_empty()
            && self.lines.is_empty()
    }
}

/// Replace the extras of a person (an empty value deletes the row).
pub(crate) fn save(conn: &Connection, seq: i64, extras: &VcardExtras) -> Result<()> {
    if extras.is_empty() {
        conn.prepare_cached("DELETE FROM person_extras WHERE person_seq = ?1")?
            .execute([seq])?;
        return Ok(());
    }
    let json = serde_json::to_string(extras)
        .map_err(|e| Error::internal(format!("cannot encode vCard extras: {e}")))?;
    conn.prepare_cached(
        "INSERT INTO person_extras (person_seq, uid, vcard) VALUES (?1, ?2, ?3) \
         ON CONFLICT(person_seq) DO UPDATE SET uid = excluded.uid, vcard = excluded.vcard",
    )?
    .execute(params![seq, extras.uid, json])?;
    Ok(())
}

/// The extras of a person, if any.
pub(crate) fn load(conn: &Connection, seq: i64) -> Result<Option<VcardExtras>> {
    let raw: Option<String> = conn
        .prepare_cached("SELECT vcard FROM person_extras WHERE person_seq = ?1")?
        .query_row([seq], |r| r.get(0))
        .optional()?;
    raw.map(|s| parse(&s)).transpose()
}

pub(crate) fn parse(s: &str) -> Result<VcardExtras> {
    serde_json::from_str(s).map_err(|e| Error::internal(format!("bad vCard extras: {e}")))
}

/// The live person (id) whose imported UID is `uid`.
pub(crate) fn live_person_with_uid(conn: &Connection, uid: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT p.id FROM person_extras x JOIN people p ON p.seq = x.person_seq \
             WHERE x.uid = ?1 AND p.deleted_at IS NULL LIMIT 1",
        )?
        .query_row([uid], |r| r.get(0))
        .optional()?)
}
