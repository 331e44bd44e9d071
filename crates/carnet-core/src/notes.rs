//! Notes on a person: add, edit, delete, listed newest first.

use rusqlite::{params, OptionalExtension, Row};

use crate::error::{Error, Result};
use crate::model::Note;
use crate::store::Store;

pub const MAX_NOTE: usize = 100_000;

fn from_row(r: &Row) -> rusqlite::Result<Note> {
    Ok(Note {
        id: r.get(0)?,
        person_id: r.get(1)?,
        body: r.get(2)?,
        created_at: r.get(3)?,
        updated_at: r.get(4)?,
    })
}

const SELECT: &str = "SELECT n.id, p.id, n.body, n.created_at, n.updated_at FROM notes n JOIN people p ON p.seq = n.person_seq";

fn check_body(body: &str) -> Result<String> {
    let b = body.trim();
    if b.is_empty() {
        return Err(Error::validation("body", "must not be empty"));
    }
    let n = b.chars().count();
    if n > MAX_NOTE {
        return Err(Error::validation(
            "body",
            format!("is {n} characters long; at most {MAX_NOTE} are allowed"),
        ));
    }
    Ok(b.to_string())
}

impl Store {
    /// Notes of a person, newest first.
    pub fn list_notes(&self, person_id: &str) -> Result<Vec<Note>> {
        crate::people_db::seq_of(&self.conn, person_id)?
            .ok_or_else(|| Error::not_found("person", person_id))?;
        let mut st = self.conn.prepare(&format!(
            "{SELECT} WHERE p.id = ?1 ORDER BY n.created_at DESC, n.seq DESC"
        ))?;
        let notes = st
            .query_map([person_id], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(notes)
    }

    /// One note by id.
    pub fn get_note(&self, id: &str) -> Result<Note> {
        self.conn
            .query_row(&format!("{SELECT} WHERE n.id = ?1"), [id], from_row)
            .optional()?
            .ok_or_else(|| Error::not_found("note", id))
    }

    /// Add a note to a live person.
    pub fn create_note(&mut self, person_id: &str, body: &str) -> Result<Note> {
        let body = check_body(body)?;
        let (seq, d) = crate::people_db::load(&self.conn, person_id)?
            .ok_or_else(|| Error::not_found("person", person_id))?;
        if d.person.deleted_at.is_some() {
            return Err(Error::validation(
                "personId",
                format!("person {person_id} is in the trash; restore it first"),
            ));
        }
        let id = crate::db::new_id();
        let now = crate::db::now();
        self.conn.execute(
            "INSERT INTO notes (id, person_seq, body, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![id, seq, body, now],
        )?;
        self.get_note(&id)
    }

    /// Replace a note's text.
    pub fn update_note(&mut self, id: &str, body: &str) -> Result<Note> {
        let body = check_body(body)?;
        let n = self.conn.execute(
            "UPDATE notes SET body = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, body, crate::db::now()],
        )?;
        if n == 0 {
            return Err(Error::not_found("note", id));
        }
        self.get_note(id)
    }

    /// Delete a note.
    pub fn delete_note(&mut self, id: &str) -> Result<()> {
        let n = self.conn.execute("DELETE FROM notes WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(Error::not_found("note", id));
        }
        Ok(())
    }
}
