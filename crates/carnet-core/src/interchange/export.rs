//! Export driver: one pass over the people table, streamed to any writer as vCard, CSV
//! or JSON. Companies, vCard extras and notes are read in one query each up front, so
//! the cost per person is formatting only.

use std::collections::HashMap;
use std::io::{BufWriter, Write};

use super::{extras, io_err, ExportOptions, Format, VcardExtras};
use crate::error::Result;
use crate::model::{Note, Person};
use crate::store::Store;

impl Store {
    /// Write every live person (and for a JSON backup, the trash too when asked) to `out`.
    /// Returns how many people were written.
    pub fn export_to(&self, out: &mut dyn Write, opts: &ExportOptions) -> Result<u32> {
        let mut out = BufWriter::with_capacity(1 << 16, out);
        let n = match opts.format {
            Format::Vcard => {
                let v4 = super::vcard_export::check_version(opts.vcard_version)?;
                let extras = all_extras(self)?;
                let mut n = 0u32;
                let mut buf = String::with_capacity(4096);
                crate::people_db::scan(&self.conn, false, &mut |seq, p| {
                    buf.clear();
                    super::vcard_export::write_person(&mut buf, &p, extras.get(&seq), v4);
                    out.write_all(buf.as_bytes()).map_err(io_err)?;
                    n += 1;
                    Ok(())
                })?;
                n
            }
            Format::Csv => {
                let extras = all_extras(self)?;
                let mut people: Vec<(Person, Option<VcardExtras>)> = Vec::new();
                crate::people_db::scan(&self.conn, false, &mut |seq, p| {
                    let x = extras.get(&seq).cloned();
                    people.push((p, x));
                    Ok(())
                })?;
                super::csv_export::export(&mut out, &people)?
            }
            Format::Json => {
                let extras = all_extras(self)?;
                let notes = all_notes(self)?;
                let companies = all_companies(self)?;
                super::json::write_head(&mut out, &self.list_fields(None)?, &companies)?;
                let mut n = 0u32;
                crate::people_db::scan(&self.conn, opts.include_trash, &mut |seq, p| {
                    super::json::write_person(
                        &mut out,
                        n == 0,
                        &p,
                        extras.get(&seq),
                        notes.get(&p.id),
                    )?;
                    n += 1;
                    Ok(())
                })?;
                super::json::write_tail(&mut out)?;
                n
            }
        };
        out.flush().map_err(io_err)?;
        Ok(n)
    }
}

fn all_extras(store: &Store) -> Result<HashMap<i64, VcardExtras>> {
    let mut st = store
        .conn
        .prepare("SELECT person_seq, vcard FROM person_extras")?;
    let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = HashMap::new();
    for row in rows {
        let (seq, raw) = row?;
        out.insert(seq, extras::parse(&raw)?);
    }
    Ok(out)
}

fn all_notes(store: &Store) -> Result<HashMap<String, Vec<Note>>> {
    let mut st = store.conn.prepare(
        "SELECT n.id, p.id, n.body, n.created_at, n.updated_at FROM notes n JOIN people p ON p.seq = n.person_seq \
         ORDER BY n.person_seq, n.created_at, n.seq",
    )?;
    let rows = st.query_map([], |r| {
        Ok(Note {
            id: r.get(0)?,
            person_id: r.get(1)?,
            body: r.get(2)?,
            created_at: r.get(3)?,
            updated_at: r.get(4)?,
        })
    })?;
    let mut out: HashMap<String, Vec<Note>> = HashMap::new();
    for row in rows {
        let n = row?;
        out.entry(n.person_id.clone()).or_default().push(n);
    }
    Ok(out)
}

fn all_companies(store: &Store) -> Result<Vec<crate::model::Company>> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let page = store.list_companies(&crate::model::CompanyQuery {
            limit: 100,
            offset,
            ..Default::default()
        })?;
        let got = page.items.len() as u32;
        out.extend(page.items);
        if got < 100 {
            break;
        }
        offset += got;
    }
    Ok(out)
}
