//! Import and export of people: vCard 2.1/3.0/4.0, CSV (Google, Outlook, generic mapping)
//! and JSON (the backup format).
//!
//! Every format is first parsed into [`Record`]s (a [`PersonPatch`] plus what a vCard
//! carries that a person has no field for), then `import` writes them in one transaction
//! through the same `people::create_in` / `update_in` as every other write, so an import
//! obeys every rule of the core. Exports stream to any `std::io::Write`.
//!
//! Non-goals: syncing with CardDAV servers, merging two people field by field.

mod bulk_schema;
mod csv;
mod csv_export;
mod dates;
mod export;
mod extras;
mod import;
mod import_record;
mod json;
mod labels;
mod vcard;
mod vcard_export;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorPayload};
use crate::input::PersonPatch;

pub use extras::VcardExtras;

/// A file format Carnet reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum Format {
    Vcard,
    Csv,
    Json,
}

impl Format {
    /// The format named by a file extension (`vcf`, `vcard`, `csv`, `json`).
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "vcf" | "vcard" => Some(Format::Vcard),
            "csv" | "tsv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    /// Guess the format from the first bytes of a file.
    pub fn sniff(data: &[u8]) -> Option<Format> {
        let head = String::from_utf8_lossy(&data[..data.len().min(4096)]);
        let t = head.trim_start_matches('\u{feff}').trim_start();
        if t.len() >= 11 && t[..11].eq_ignore_ascii_case("BEGIN:VCARD") {
            Some(Format::Vcard)
        } else if t.starts_with('[') || t.starts_with('{') {
            Some(Format::Json)
        } else if t.lines().next().is_some_and(|l| l.contains(',')) {
            Some(Format::Csv)
        } else {
            None
        }
    }
}

/// What to do when an imported record matches a person already stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum OnDuplicate {
    /// Leave the stored person as it is.
    Skip,
    /// PATCH the stored person with the record's fields (the default).
    #[default]
    Update,
    /// Create a new person anyway (a shared email is still a conflict).
    Create,
}

/// How to import a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct ImportOptions {
    /// The file's format; guessed from the extension or the content when absent.
    pub format: Option<Format>,
    /// Report what would happen, write nothing.
    pub dry_run: bool,
    /// Keep the valid records when some are invalid (otherwise nothing is written).
    pub partial: bool,
    pub on_duplicate: OnDuplicate,
    /// CSV: column header -> person field (`firstName`, `emails`, `tags`, `cf_key`, ...).
    pub mapping: BTreeMap<String, String>,
}

/// A record that was not imported, and why.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RejectedRecord {
    /// Where it is: `card 3 (line 41)`, `line 12`, `record 5`.
    pub location: String,
    /// The card number, CSV line or JSON index (1-based).
    pub position: u32,
    /// The record's name or email, when it has one.
    pub name: Option<String>,
    pub error: ErrorPayload,
}

/// Something kept aside or changed while importing a record that was imported.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ImportWarning {
    pub location: String,
    pub position: u32,
    pub field: String,
    pub message: String,
}

/// What an import did (or, for a dry run or a refused import, would have done).
#[derive(Debug, Clone, Serialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub format: Option<Format>,
    /// Records read from the file.
    pub total: u32,
    pub created: u32,
    pub updated: u32,
    /// Matched a stored person whose fields were already the same.
    pub unchanged: u32,
    /// Matched a stored person and left alone (`onDuplicate: skip`).
    pub skipped: u32,
    pub invalid: u32,
    pub dry_run: bool,
    /// Whether the changes were written (false for a dry run, a cancel, or invalid records
    /// without `partial`).
    pub committed: bool,
    pub cancelled: bool,
    pub rejected: Vec<RejectedRecord>,
    pub warnings: Vec<ImportWarning>,
    pub elapsed_ms: u64,
}

/// How to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct ExportOptions {
    pub format: Format,
    /// vCard version: 3 or 4.
    pub vcard_version: u8,
    /// Include people in the trash (JSON only, default true: a backup keeps them; vCard
    /// and CSV never carry the trash).
    pub include_trash: bool,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            format: Format::Json,
            vcard_version: 4,
            include_trash: true,
        }
    }
}

/// A note carried by an imported record (JSON backups; over-long vCard notes).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct NoteIn {
    pub id: Option<String>,
    pub body: String,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

/// One parsed record, ready to be matched and written.
#[derive(Debug, Clone, Default)]
pub(crate) struct Record {
    /// 1-based card number, CSV line or JSON index.
    pub position: u32,
    pub location: String,
    pub patch: PersonPatch,
    /// `None`: keep what is stored; `Some`: replace it.
    pub extras: Option<VcardExtras>,
    pub notes: Vec<NoteIn>,
    /// `(field, message)` of what was kept aside.
    pub warnings: Vec<(String, String)>,
    /// A trashed person (JSON backups).
    pub deleted_at: Option<String>,
    /// The region the phones' E.164 forms were computed for (on the parsing thread).
    pub e164_region: Option<crate::phone::Region>,
    /// The person this record creates when it matches nobody, built on the parsing thread
    /// (`people::speculate`) by a bulk import.
    pub speculated: Option<crate::people::Speculated>,
}

impl Record {
    /// The region the record's phones are read in: its first address's country that names
    /// one, else `default_region`.
    pub(crate) fn phone_region(
        &self,
        default_region: crate::phone::Region,
    ) -> crate::phone::Region {
        self.patch
            .addresses
            .iter()
            .flatten()
            .find_map(|a| {
                a.country
                    .as_deref()
                    .and_then(crate::phone::region_from_country)
            })
            .unwrap_or(default_region)
    }

    /// Compute the E.164 form of the phones, as a write would, so the writing thread does
    /// not have to (libphonenumber's checks are the costliest part of writing a person).
    pub fn precompute_e164(&mut self, default_region: crate::phone::Region) {
        if self.patch.phones.is_none() {
            return;
        }
        let region = self.phone_region(default_region);
        let Some(phones) = self.patch.phones.as_mut() else {
            return;
        };
        for ph in phones.iter_mut() {
            ph.e164 = crate::phone::to_e164(&ph.value, region);
        }
        self.e164_region = Some(region);
    }
}

impl Record {
    /// Name or email, to name the record in a report.
    pub fn display_name(&self) -> Option<String> {
        let p = &self.patch;
        let name = [&p.first_name, &p.last_name]
            .iter()
            .filter_map(|c| c.as_ref().and_then(|v| v.clone()))
            .collect::<Vec<_>>()
            .join(" ");
        if !name.is_empty() {
            return Some(name);
        }
        if let Some(Some(f)) = &p.full_name {
            return Some(f.clone());
        }
        p.emails
            .as_ref()
            .and_then(|e| e.first())
            .map(|e| e.value.clone())
    }
}

/// A record that could not even be parsed.
#[derive(Debug, Clone)]
pub(crate) struct ParseFailure {
    pub position: u32,
    pub location: String,
    pub error: Error,
}

/// The outcome of parsing one record.
pub(crate) type Parsed = std::result::Result<Record, ParseFailure>;

/// Decode file bytes: strip a UTF-8 BOM; bytes that are not UTF-8 are read as Windows-1252
/// (what old Outlook and Windows exports use).
pub(crate) fn decode(data: &[u8]) -> std::borrow::Cow<'_, str> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    match std::str::from_utf8(data) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => std::borrow::Cow::Owned(data.iter().map(|&b| cp1252(b)).collect()),
    }
}

fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

pub(crate) fn io_err(e: std::io::Error) -> Error {
    Error::new(
        crate::error::ErrorCode::Io,
        None,
        format!("cannot write the export: {e}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bom_and_windows_1252() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc"), "abc");
        assert_eq!(decode(b"caf\xe9 \x80"), "café €");
    }

    #[test]
    fn sniffs_formats() {
        assert_eq!(
            Format::sniff(b"\xEF\xBB\xBFBEGIN:VCARD\r\n"),
            Some(Format::Vcard)
        );
        assert_eq!(
            Format::sniff(b"  [{\"firstName\":\"A\"}]"),
            Some(Format::Json)
        );
        assert_eq!(Format::sniff(b"Name,E-mail 1 - Value\n"), Some(Format::Csv));
    }
}
