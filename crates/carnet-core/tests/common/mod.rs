//! Helpers shared by the integration tests: a store on a fresh file; for the import and
//! export tests, fixtures, the shared real exports, listing everyone, exporting and
//! comparing across databases; for the people tests, `people`.
// Each test file uses its own subset of these helpers.
#![allow(dead_code)]

pub mod people;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use carnet_core::{
    ExportOptions, FieldType, Format, ImportOptions, ImportReport, NewField, PeopleQuery, Person,
    Store,
};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The real exports shared by the team (`../shared/vcard-samples` from the repository).
pub fn shared_samples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vcard-samples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{} must exist beside the repository: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "vcf"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 8,
        "expected the 8 shared samples, found {files:?}"
    );
    files
}

pub fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&dir.path().join("carnet.db")).unwrap();
    (dir, s)
}

pub fn import_with(s: &mut Store, path: &Path, opts: &ImportOptions) -> ImportReport {
    s.import_file(path, opts, &mut |_, _| {}, &AtomicBool::new(false))
        .unwrap()
}

pub fn import(s: &mut Store, path: &Path) -> ImportReport {
    import_with(s, path, &ImportOptions::default())
}

pub fn all(s: &Store) -> Vec<Person> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let page = s
            .list_people(&PeopleQuery {
                limit: 100,
                offset,
                ..Default::default()
            })
            .unwrap();
        let n = page.items.len() as u32;
        out.extend(page.items);
        if n < 100 {
            return out;
        }
        offset += n;
    }
}

pub fn by_name<'a>(people: &'a [Person], full: &str) -> &'a Person {
    people
        .iter()
        .find(|p| p.full_name == full)
        .unwrap_or_else(|| {
            panic!(
                "no {full} in {:?}",
                people.iter().map(|p| &p.full_name).collect::<Vec<_>>()
            )
        })
}

pub fn export(s: &Store, format: Format, version: u8) -> Vec<u8> {
    let mut out = Vec::new();
    s.export_to(
        &mut out,
        &ExportOptions {
            format,
            vcard_version: version,
            include_trash: true,
        },
    )
    .unwrap();
    out
}

/// People compared across databases: no timestamps, company ids replaced by names.
pub fn comparable(mut people: Vec<Person>) -> Vec<Person> {
    for p in &mut people {
        p.created_at.clear();
        p.updated_at.clear();
        p.warnings.clear();
        p.company_id = None;
        for c in &mut p.companies {
            c.id.clear();
        }
    }
    people.sort_by(|a, b| {
        (&a.full_name, &a.emails.first().map(|e| &e.value))
            .cmp(&(&b.full_name, &b.emails.first().map(|e| &e.value)))
    });
    people
}

pub fn reimport(bytes: &[u8], format: Format) -> (tempfile::TempDir, Store, ImportReport) {
    let (dir, mut s) = store();
    s.create_field(&NewField::new("Color", FieldType::Text))
        .unwrap();
    let r = s
        .import_bytes(
            bytes,
            &ImportOptions {
                format: Some(format),
                ..Default::default()
            },
            &mut |_, _| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    (dir, s, r)
}
