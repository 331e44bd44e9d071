//! One parsed record written: the stored person it is the same as (id or UID, then email,
//! then E.164 phone), then created, updated, left unchanged or skipped, with its notes.

use rusqlite::{params, Connection};

use super::{extras, NoteIn, OnDuplicate, Record};
use crate::error::{Error, Result};
use crate::people::{create_in, create_speculated, update_in, WriteCtx};
use crate::people_db as pdb;

/// What writing one record did.
pub(super) enum Outcome {
    Created,
    Updated,
    Unchanged,
    Skipped,
}

/// The stored live person a record is the same as: by id or UID, then email, then phone.
fn find_match(conn: &Connection, rec: &Record, ctx: &WriteCtx) -> Result<Option<String>> {
    if let Some(id) = &rec.patch.id {
        if pdb::seq_of(conn, id)?.is_some() {
            return Ok(Some(id.clone()));
        }
    }
    let index = ctx.index.as_ref().map(|ix| ix.borrow());
    let index = index.as_deref();
    if let Some(uid) = rec.extras.as_ref().and_then(|x| x.uid.as_deref()) {
        let found = match index {
            Some(ix) => ix.uid_owner(uid).map(|o| o.id.clone()),
            None => extras::live_person_with_uid(conn, uid)?,
        };
        if found.is_some() {
            return Ok(found);
        }
    }
    for e in rec.patch.emails.iter().flatten() {
        let email = e.value.to_lowercase();
        let found = match index {
            Some(ix) => ix.email_owner(&email, -1).map(|o| o.id.clone()),
            None => pdb::live_person_with_email(conn, &email, -1)?.map(|(id, _)| id),
        };
        if found.is_some() {
            return Ok(found);
        }
    }
    let phones = rec.patch.phones.as_deref().unwrap_or(&[]);
    if !phones.is_empty() {
        let region = rec.phone_region(ctx.default_region);
        // Only a real number (one with an E.164 form) identifies a person: bare digits
        // such as `123456` are too weak a key to merge two people on. The E.164 forms were
        // computed on the parsing thread (`Record::precompute_e164`) for this region.
        for ph in phones {
            let key = if rec.e164_region == Some(region) {
                ph.e164.clone()
            } else {
                crate::phone::to_e164(&ph.value, region)
            };
            if let Some(key) = key {
                let found = match index {
                    Some(ix) => ix.phone_owner(&key, -1).map(|o| o.id.clone()),
                    None => pdb::live_person_with_phone(conn, &key, -1)?.map(|(id, _)| id),
                };
                if found.is_some() {
                    return Ok(found);
                }
            }
        }
    }
    Ok(None)
}

type Written = (Outcome, Vec<(String, String)>);

pub(super) fn write_record(
    conn: &Connection,
    mut rec: Record,
    on_dup: OnDuplicate,
    ctx: &WriteCtx,
) -> Result<Written> {
    let found = find_match(conn, &rec, ctx)?;
    let rctx = WriteCtx {
        now: ctx.now.clone(),
        default_region: ctx.default_region,
        e164_region: rec.e164_region,
        index: ctx.index.clone(),
    };
    let (outcome, person, seq) = match (found, on_dup) {
        (Some(_), OnDuplicate::Skip) => return Ok((Outcome::Skipped, vec![])),
        (Some(id), OnDuplicate::Update) => {
            rec.patch.id = None;
            let p = update_in(conn, &id, std::mem::take(&mut rec.patch), &rctx)?;
            let outcome = if p.updated_at == ctx.now {
                Outcome::Updated
            } else {
                Outcome::Unchanged
            };
            (outcome, p, None)
        }
        (found, _) => {
            if found
                .as_deref()
                .is_some_and(|f| rec.patch.id.as_deref() == Some(f))
            {
                // `create` asked for a second copy of this very record: it gets a new id.
                rec.patch.id = None;
            }
            match rec.speculated.take() {
                Some(spec) => {
                    let (seq, p) = create_speculated(conn, spec, &rctx)?;
                    (Outcome::Created, p, Some(seq))
                }
                None => {
                    let p = create_in(conn, std::mem::take(&mut rec.patch), &rctx)?;
                    (Outcome::Created, p, None)
                }
            }
        }
    };
    let needs_seq =
        rec.extras.as_ref().is_some_and(|x| {
            !x.is_empty() || matches!(outcome, Outcome::Updated | Outcome::Unchanged)
        }) || !rec.notes.is_empty()
            || rec.deleted_at.is_some();
    if needs_seq {
        let seq = match seq {
            Some(s) => s,
            None => pdb::seq_of(conn, &person.id)?
                .ok_or_else(|| Error::internal("person vanished during import"))?,
        };

        // A person this record just created has no extras and no notes yet.
        let fresh = matches!(outcome, Outcome::Created);
        if let Some(x) = &rec.extras {
            let before = if fresh {
                None
            } else {
                extras::load(conn, seq)?
            };
            if before.as_ref() != Some(x) && !(before.is_none() && x.is_empty()) {
                extras::save(conn, seq, x)?;
                if let Some(ix) = &ctx.index {
                    ix.borrow_mut().set_uid(seq, &person, x.uid.as_deref());
                }
            }
        }
        for (i, n) in rec.notes.iter().enumerate() {
            let repeat = rec.notes[..i]
                .iter()
                .any(|m| m.body.trim() == n.body.trim());
            upsert_note(conn, seq, n, ctx, fresh && !repeat)?;
        }
        if let Some(t) = &rec.deleted_at {
            pdb::set_trashed(conn, seq, Some(t), None)?;
            if let Some(ix) = &ctx.index {
                let mut ix = ix.borrow_mut();
                ix.remove(seq, &person);
                ix.drop_uid_of(seq);
            }
        }
    }
    let warnings = person
        .warnings
        .into_iter()
        .map(|w| (w.field, w.message))
        .collect();
    Ok((outcome, warnings))
}

/// Add a note to a person; a backup's note with a known id is replaced, and the same
/// text already on the person is not added twice.
/// `new_text`: the person is known to have no note with this text (it was just created and
/// the record has not given this text before), so the check is skipped.
fn upsert_note(
    conn: &Connection,
    seq: i64,
    n: &NoteIn,
    ctx: &WriteCtx,
    new_text: bool,
) -> Result<()> {
    let body = n.body.trim();
    if body.is_empty() {
        return Ok(());
    }
    let len = body.chars().count();
    if len > crate::notes::MAX_NOTE {
        return Err(Error::validation(
            "notes",
            format!(
                "a note is {len} characters long; at most {} are allowed",
                crate::notes::MAX_NOTE
            ),
        ));
    }
    let created = n.created_at.clone().unwrap_or_else(|| ctx.now.clone());
    let updated = n.updated_at.clone().unwrap_or_else(|| created.clone());
    if let Some(id) = &n.id {
        let changed = conn
            .prepare_cached(
                "UPDATE notes SET body = ?2, updated_at = ?3, person_seq = ?4 WHERE id = ?1",
            )?
            .execute(params![id, body, updated, seq])?;
        if changed > 0 {
            return Ok(());
        }
    } else if !new_text {
        let same: i64 = conn
            .prepare_cached("SELECT count(*) FROM notes WHERE person_seq = ?1 AND body = ?2")?
            .query_row(params![seq, body], |r| r.get(0))?;
        if same > 0 {
            return Ok(());
        }
    }
    let id = n.id.clone().unwrap_or_else(crate::db::new_id);
    conn.prepare_cached(
        "INSERT INTO notes (id, person_seq, body, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, seq, body, created, updated])?;
    Ok(())
}
