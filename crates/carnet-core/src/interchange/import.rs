//! The import engine: read the file, write each parsed record (`import_record`: match it
//! to a stored person, create / update / skip it), and report.
//!
//! The whole import is one transaction: it commits only when every record is valid (or
//! with `partial`, where each record runs in its own savepoint and a bad one is rolled
//! back alone). A dry run or a cancel rolls everything back. Records are read and built
//! on two other threads while this one writes (`run_records`), so on a large file the
//! parsing shares the cores with the writing instead of adding to it.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use rusqlite::Connection;

use super::{Format, ParseFailure};
use super::{ImportOptions, ImportReport, ImportWarning, Parsed, Record, RejectedRecord};
use crate::error::{Error, Result};
use crate::interrupt::Interrupter;
use crate::live_index::LiveIndex;
use crate::people::WriteCtx;
use crate::people_db as pdb;
use crate::store::Store;

use super::import_record::{write_record, Outcome};

/// An import takes the bulk path when its records times this reach the live people.
const BULK_RATIO: i64 = 16;

/// Records handed from the parsing thread to the writing one at a time.
const BATCH: usize = 256;

/// How often (in records) progress is reported.
const PROGRESS_EVERY: usize = 500;

/// SQLite page cache during an import, in KiB (the default is 2 MiB).
const IMPORT_CACHE_KIB: i64 = 256 * 1024;

/// Prepared statements kept by the connection (rusqlite's default is 16).
pub(crate) const STATEMENT_CACHE: usize = 256;

impl Store {
    /// Import a file; its format comes from `opts`, else its extension, else its content.
    pub fn import_file(
        &mut self,
        path: &Path,
        opts: &ImportOptions,
        progress: &mut dyn FnMut(usize, usize),
        cancel: &AtomicBool,
    ) -> Result<ImportReport> {
        let data = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
        let mut opts = opts.clone();
        if opts.format.is_none() {
            opts.format = Format::from_extension(path);
        }
        self.import_bytes(&data, &opts, progress, cancel)
    }

    /// Import the bytes of a file. `progress(done, total)` is called as records are
    /// written; setting `cancel` stops the import and writes nothing.
    pub fn import_bytes(
        &mut self,
        data: &[u8],
        opts: &ImportOptions,
        progress: &mut dyn FnMut(usize, usize),
        cancel: &AtomicBool,
    ) -> Result<ImportReport> {
        let started = Instant::now();
        let format = match opts.format.or_else(|| Format::sniff(data)) {
            Some(f) => f,
            None => {
                return Err(Error::validation(
                    "format",
                    "cannot tell the file's format; give --format vcard, csv or json",
                ))
            }
        };
        let text = super::decode(data);
        let mut ctx = WriteCtx::new(&self.default_region()?);
        // The bulk path (in-memory index of live keys, lookup rows and search entries
        // written at the end) keeps no undo log, so it serves imports that commit or roll
        // back as a whole. A partial import rolls single records back to a savepoint and
        // writes each one through the plain path. Loading the index costs about a
        // microsecond per stored key and saves tens per record, so a file small next to
        // the database (3 cards into a million people) takes the plain path too.
        let live: i64 =
            self.conn
                .query_row("SELECT n FROM people_counts WHERE trashed = 0", [], |r| {
                    r.get(0)
                })?;
        // The card count is exact and is also the progress total; the others are estimates.
        let cards = (format == Format::Vcard).then(|| super::vcard::count_cards(&text));
        let records = match format {
            Format::Vcard => cards.unwrap_or(0),
            Format::Csv => text.lines().count().saturating_sub(1),
            Format::Json => text.len() / 300,
        } as i64;
        if !opts.partial && records * BULK_RATIO >= live {
            ctx.index = Some(Rc::new(RefCell::new(LiveIndex::load(
                &self.conn,
                records.max(0) as usize,
            )?)));
        }
        // One transaction for the whole file: give SQLite room to keep it in memory rather
        // than spilling dirty pages to the WAL and reading them back (10x on 100k cards).
        let cache: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        // An import uses a few dozen statements per record; the default cache of 16 would
        // re-prepare them for every record.
        self.conn
            .set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        self.conn.execute_batch(&format!(
            "PRAGMA cache_size = {}; PRAGMA foreign_keys = OFF;",
            -IMPORT_CACHE_KIB
        ))?;
        let source = Source {
            text: &text,
            format,
            cards,
            records,
        };
        let result = self.import_text(&source, opts, &ctx, progress, cancel);
        self.conn.execute_batch(&format!(
            "PRAGMA cache_size = {cache}; PRAGMA foreign_keys = ON;"
        ))?;
        let mut report = result?;
        report.elapsed_ms = started.elapsed().as_millis() as u64;
        Ok(report)
    }

    fn import_text(
        &mut self,
        source: &Source<'_>,
        opts: &ImportOptions,
        ctx: &WriteCtx,
        progress: &mut dyn FnMut(usize, usize),
        cancel: &AtomicBool,
    ) -> Result<ImportReport> {
        let tx = self.conn.transaction()?;
        // Lookup rows and search entries are written in row-id order at the end (see
        // `people_bulk`).
        if ctx.index.is_some() {
            pdb::begin_bulk(&tx)?;
        }
        let aside = super::bulk_schema::set_aside(&tx, ctx.index.as_ref().map(|_| source.records))?;
        let outcome = run_records(&tx, source, opts, ctx, progress, cancel);
        let keep = matches!(&outcome, Ok(r) if !r.cancelled && !opts.dry_run && (opts.partial || r.invalid == 0));
        // The indexes are built again while the search index is (`end_bulk`). Those are
        // long statements: a cancel meanwhile interrupts them.
        // (Nothing to watch when the import will not commit: `end_bulk` then writes nothing.)
        let stop = Interrupter::new(cancel);
        stop.watch(&tx);
        let end = || {
            pdb::end_bulk(&tx, keep, &stop, || {
                super::bulk_schema::restore_indexes(&tx, &aside)
            })
        };
        let flushed = if keep { stop.run(end) } else { end() };
        let mut report = outcome?;
        if keep && stop.cancelled() {
            return cancelled(tx, report);
        }
        flushed?;
        if keep {
            super::bulk_schema::restore_triggers(&tx, &aside)?;
            // The last moment a cancel still writes nothing.
            if stop.cancelled() {
                return cancelled(tx, report);
            }
            tx.commit()?;
        } else {
            tx.rollback()?;
        }
        report.committed = keep;
        Ok(report)
    }
}

/// Roll back an import cancelled after its last record (an interrupted statement may have
/// rolled the transaction back already).
fn cancelled(tx: rusqlite::Transaction<'_>, mut report: ImportReport) -> Result<ImportReport> {
    if !tx.is_autocommit() {
        tx.rollback()?;
    }
    report.cancelled = true;
    report.committed = false;
    Ok(report)
}

/// The decoded file being imported.
struct Source<'a> {
    text: &'a str,
    format: Format,
    /// The number of cards of a vCard file, counted once.
    cards: Option<usize>,
    /// The number of records: exact for vCard, estimated for CSV and JSON.
    records: i64,
}

/// Parse and write every record of the file inside `tx`.
fn run_records(
    tx: &Connection,
    source: &Source<'_>,
    opts: &ImportOptions,
    ctx: &WriteCtx,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<ImportReport> {
    let (text, format) = (source.text, source.format);
    let mut run = Run {
        conn: tx,
        opts,
        ctx,
        report: ImportReport {
            format: Some(format),
            dry_run: opts.dry_run,
            ..Default::default()
        },
        progress,
        cancel,
    };
    let region = ctx.default_region;
    let speculate = ctx.index.is_some();
    // A pipeline of three threads: records are read from the file on one, their phones
    // normalised and their people built (`speculate`) on a second, and written on this
    // one, so that the two cores share the three parts. They travel in batches (one
    // channel hand-off per batch, not per record); the bounded channels keep memory flat
    // on a large file, and dropping a receiver stops the threads before it.
    let (send_read, recv_read) = std::sync::mpsc::sync_channel::<Vec<Parsed>>(4);
    let (send, recv) = std::sync::mpsc::sync_channel::<Vec<Parsed>>(8);
    let prepare = move || {
        for mut batch in recv_read {
            for p in batch.iter_mut() {
                if let Ok(r) = p.as_mut() {
                    r.precompute_e164(region);
                    if speculate {
                        r.speculated = crate::people::speculate(&r.patch, region, r.e164_region);
                    }
                }
            }
            if send.send(batch).is_err() {
                return;
            }
        }
    };
    let mut batch: Vec<Parsed> = Vec::with_capacity(BATCH);
    let mut feed = move |p: Option<Parsed>| -> bool {
        let last = p.is_none();
        if let Some(p) = p {
            batch.push(p);
        }
        if (last && !batch.is_empty()) || batch.len() >= BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            return send_read.send(full).is_ok();
        }
        true
    };
    let (records, total): (Vec<Parsed>, usize) = match format {
        Format::Vcard => (
            vec![],
            source
                .cards
                .unwrap_or_else(|| super::vcard::count_cards(text)),
        ),
        // CSV rows are read on the parsing thread too (the header first, here: a bad one
        // or a bad mapping is the file's error); the total is the line count, an estimate.
        Format::Csv => (vec![], source.records.max(0) as usize),
        Format::Json => {
            let r = super::json::parse(text, tx)?;
            let n = r.len();
            (r, n)
        }
    };
    let csv_rows = match format {
        Format::Csv => Some(super::csv::open(text, &opts.mapping)?),
        _ => None,
    };
    std::thread::scope(|s| -> Result<()> {
        s.spawn(prepare);
        s.spawn(move || {
            if format == Format::Vcard {
                super::vcard::parse(text, |p| feed(Some(p)));
            } else if let Some(rows) = csv_rows {
                rows.each(|p| feed(Some(p)));
            } else {
                for p in records {
                    if !feed(Some(p)) {
                        return;
                    }
                }
            }
            feed(None);
        });
        // Dropping `recv` on an early return stops the other thread.
        run.all(recv.into_iter().flatten(), total)
    })?;
    Ok(run.report)
}

struct Run<'a> {
    conn: &'a Connection,
    opts: &'a ImportOptions,
    ctx: &'a WriteCtx,
    report: ImportReport,
    progress: &'a mut dyn FnMut(usize, usize),
    cancel: &'a AtomicBool,
}

impl Run<'_> {
    fn all(&mut self, records: impl Iterator<Item = Parsed>, total: usize) -> Result<()> {
        let mut done: usize = 0;
        (self.progress)(0, total);
        for parsed in records {
            if self.cancel.load(Ordering::Relaxed) {
                self.report.cancelled = true;
                return Ok(());
            }
            self.report.total += 1;
            match parsed {
                Ok(rec) => self.one(rec)?,
                Err(ParseFailure {
                    position,
                    location,
                    error,
                }) => self.reject(position, location, None, &error),
            }
            done += 1;
            if done.is_multiple_of(PROGRESS_EVERY) {
                (self.progress)(done, total.max(done));
            }
        }
        // Every record is read: the total is now exact (a CSV's line count was an estimate),
        // and the bar shows the rows done while the import builds its indexes.
        (self.progress)(done, done);
        Ok(())
    }

    fn reject(&mut self, position: u32, location: String, name: Option<String>, e: &Error) {
        self.report.invalid += 1;
        self.report.rejected.push(RejectedRecord {
            location,
            position,
            name,
            error: e.payload(),
        });
    }

    /// Write one record; a record's own error is reported, a storage error ends the import.
    fn one(&mut self, rec: Record) -> Result<()> {
        let (position, location, name) = (rec.position, rec.location.clone(), rec.display_name());
        let warnings = rec.warnings.clone();
        if self.opts.partial {
            self.conn.execute_batch("SAVEPOINT rec")?;
        }
        let result = write_record(self.conn, rec, self.opts.on_duplicate, self.ctx);
        if self.opts.partial {
            if result.is_err() {
                self.conn.execute_batch("ROLLBACK TO rec")?;
            }
            self.conn.execute_batch("RELEASE rec")?;
        }
        match result {
            Ok((outcome, more)) => {
                match outcome {
                    Outcome::Created => self.report.created += 1,
                    Outcome::Updated => self.report.updated += 1,
                    Outcome::Unchanged => self.report.unchanged += 1,
                    Outcome::Skipped => self.report.skipped += 1,
                }
                for (field, message) in warnings.into_iter().chain(more) {
                    self.report.warnings.push(ImportWarning {
                        location: location.clone(),
                        position,
                        field,
                        message,
                    });
                }
                Ok(())
            }
            Err(e)
                if matches!(
                    e.code,
                    crate::error::ErrorCode::Storage | crate::error::ErrorCode::Internal
                ) =>
            {
                Err(e)
            }
            Err(e) => {
                self.reject(position, location, name, &e);
                Ok(())
            }
        }
    }
}
