//! `carnet import` and `carnet export`: files in and out (vCard, CSV, JSON backup).
//!
//! Import prints a report (counts, then each rejected record with its card number or CSV
//! line and the reason); `--json` prints the report object instead. It exits 2 when
//! records were invalid and nothing was written (without `--partial`). Export streams to
//! stdout or `--out FILE` (written to a temporary file then renamed, so a failed export
//! never leaves half a file behind).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use carnet_core::{
    Error, ExportOptions, Format, ImportOptions, ImportReport, OnDuplicate, Result, Store,
};
use clap::{Args, ValueEnum};

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum FormatArg {
    Vcard,
    Csv,
    Json,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Vcard => Format::Vcard,
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, Default)]
pub enum OnDuplicateArg {
    Skip,
    #[default]
    Update,
    Create,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The file to import (.vcf, .csv or .json).
    pub file: PathBuf,
    /// The file's format (default: from the extension, else the content).
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Report what would happen; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import the valid records even when some are invalid.
    #[arg(long)]
    pub partial: bool,
    /// When a record matches a stored person (UID, email, then phone).
    #[arg(long, value_enum, default_value_t)]
    pub on_duplicate: OnDuplicateArg,
    /// CSV column to person field, e.g. --map "Courriel=emails" (repeatable).
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    pub map: Vec<String>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    pub format: FormatArg,
    /// vCard version (3 or 4).
    #[arg(long, default_value_t = 4)]
    pub version: u8,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// JSON backup: leave out the people in the trash (kept by default).
    #[arg(long)]
    pub live_only: bool,
}

pub fn import(store: &mut Store, a: ImportArgs) -> Result<()> {
    let mut mapping = BTreeMap::new();
    for m in &a.map {
        let (col, field) = m
            .split_once('=')
            .ok_or_else(|| Error::validation("--map", format!("\"{m}\" must be COLUMN=FIELD")))?;
        mapping.insert(col.trim().to_string(), field.trim().to_string());
    }
    let opts = ImportOptions {
        format: a.format.map(Format::from),
        dry_run: a.dry_run,
        partial: a.partial,
        on_duplicate: match a.on_duplicate {
            OnDuplicateArg::Skip => OnDuplicate::Skip,
            OnDuplicateArg::Update => OnDuplicate::Update,
            OnDuplicateArg::Create => OnDuplicate::Create,
        },
        mapping,
    };
    let cancel = AtomicBool::new(false);
    let report = store.import_file(&a.file, &opts, &mut |_, _| {}, &cancel)?;
    if a.json {
        crate::output::print_json(&report);
    } else {
        print_report(&report);
    }
    if !report.committed && !report.dry_run && report.invalid > 0 {
        return Err(Error::validation(
            "file",
            format!(
                "{} invalid record(s); nothing was imported (fix them, or use --partial to import the rest)",
                report.invalid
            ),
        ));
    }
    Ok(())
}

fn print_report(r: &ImportReport) {
    let verb = if r.dry_run { "would be " } else { "" };
    println!(
        "{} records: {} {verb}created, {} {verb}updated, {} unchanged, {} skipped, {} invalid",
        r.total, r.created, r.updated, r.unchanged, r.skipped, r.invalid
    );
    for x in &r.rejected {
        let field = x
            .error
            .field
            .as_deref()
            .map(|f| format!("{f}: "))
            .unwrap_or_default();
        let who = x
            .name
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        println!(
            "  rejected {}{who}: {field}{} [{}]",
            x.location, x.error.message, x.error.code
        );
    }
    for w in &r.warnings {
        println!("  note {}: {}: {}", w.location, w.field, w.message);
    }
    if r.dry_run {
        println!("dry run: nothing was written");
    } else if r.committed {
        println!("imported in {} ms", r.elapsed_ms);
    }
}

pub fn export(store: &Store, a: ExportArgs) -> Result<()> {
    let opts = ExportOptions {
        format: a.format.into(),
        vcard_version: a.version,
        include_trash: !a.live_only,
    };
    match &a.out {
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            store.export_to(&mut lock, &opts)?;
            lock.flush()
                .map_err(|e| Error::io(std::path::Path::new("<stdout>"), &e))?;
        }
        Some(path) => {
            let tmp = path.with_extension("carnet-tmp");
            let mut f = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, &e))?;
            let n = store.export_to(&mut f, &opts).inspect_err(|_| {
                let _ = std::fs::remove_file(&tmp);
            })?;
            f.sync_all().map_err(|e| Error::io(&tmp, &e))?;
            std::fs::rename(&tmp, path).map_err(|e| Error::io(path, &e))?;
            eprintln!("{n} people written to {}", path.display());
        }
    }
    Ok(())
}
