//! SQL of the enrichment tables (migration 0004): jobs, provenance, suggestions and
//! person history. One place for the statements; callers choose the transaction.
//!
//! JSON columns (`person_ids`, `notes`, values) are written with serde_json and read
//! leniently: a row a newer version wrote with extra keys still loads.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::Value;

use carnet_core::Result;

use crate::model::{
    HistoryEntry, Job, JobNote, JobState, Provenance, ProvenanceKind, Suggestion, SuggestionState,
};

const JOB_COLS: &str = "id, kind, query, person_ids, state, done, total, filled, suggested, error, notes, attempts, created_at, started_at, finished_at";

fn json_col(r: &Row, i: usize) -> rusqlite::Result<Value> {
    let s: Option<String> = r.get(i)?;
    Ok(s.and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(Value::Null))
}

fn job_row(r: &Row) -> rusqlite::Result<Job> {
    let ids: String = r.get(3)?;
    let notes: String = r.get(10)?;
    let state: String = r.get(4)?;
    Ok(Job {
        id: r.get(0)?,
        kind: r.get(1)?,
        query: r.get(2)?,
        person_ids: serde_json::from_str(&ids).unwrap_or_default(),
        state: JobState::parse(&state).unwrap_or(JobState::Failed),
        done: r.get(5)?,
        total: r.get(6)?,
        filled: r.get(7)?,
        suggested: r.get(8)?,
        error: r.get(9)?,
        notes: serde_json::from_str(&notes).unwrap_or_default(),
        attempts: r.get(11)?,
        created_at: r.get(12)?,
        started_at: r.get(13)?,
        finished_at: r.get(14)?,
    })
}

pub fn insert_job(conn: &Connection, job: &Job) -> Result<()> {
    conn.execute(
        "INSERT INTO jobs (id, kind, query, person_ids, state, done, total, notes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, '[]', ?7)",
        params![
            job.id,
            job.kind,
            job.query,
            serde_json::to_string(&job.person_ids).unwrap_or_else(|_| "[]".into()),
            job.state.as_str(),
            job.total,
            job.created_at
        ],
    )?;
    Ok(())
}

pub fn job(conn: &Connection, id: &str) -> Result<Option<Job>> {
    Ok(conn
        .query_row(
            &format!("SELECT {JOB_COLS} FROM jobs WHERE id = ?1"),
            [id],
            job_row,
        )
        .optional()?)
}

/// Newest first; `state` filters.
pub fn jobs(conn: &Connection, state: Option<JobState>, limit: u32) -> Result<Vec<Job>> {
    let mut st = conn.prepare(&format!(
        "SELECT {JOB_COLS} FROM jobs WHERE (?1 IS NULL OR state = ?1) ORDER BY seq DESC LIMIT ?2"
    ))?;
    let rows = st.query_map(params![state.map(JobState::as_str), limit], job_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn job_state(conn: &Connection, id: &str) -> Result<Option<JobState>> {
    let s: Option<String> = conn
        .query_row("SELECT state FROM jobs WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    Ok(s.and_then(|s| JobState::parse(&s)))
}

/// Take the oldest queued job: `running`, one more attempt, fresh heartbeat. Atomic, so
/// two workers (or two processes) never take the same job.
pub fn claim_next(conn: &Connection, now: &str) -> Result<Option<Job>> {
    let id: Option<String> = conn
        .query_row(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = coalesce(started_at, ?1), heartbeat_at = ?1 \
             WHERE seq = (SELECT seq FROM jobs WHERE state = 'queued' ORDER BY seq LIMIT 1) AND state = 'queued' RETURNING id",
            [now],
            |r| r.get(0),
        )
        .optional()?;
    match id {
        Some(id) => job(conn, &id),
        None => Ok(None),
    }
}

/// Put back in the queue the running jobs whose worker stopped beating before `cutoff`
/// (a crash, a kill, a closed laptop): they resume at `done`.
pub fn requeue_stale(conn: &Connection, cutoff: &str) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE jobs SET state = 'queued' WHERE state = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < ?1)",
        [cutoff],
    )?)
}

pub fn heartbeat(conn: &Connection, id: &str, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE jobs SET heartbeat_at = ?2 WHERE id = ?1 AND state = 'running'",
        params![id, now],
    )?;
    Ok(())
}

/// Record one more person done; a no-op when the job was cancelled meanwhile.
pub fn progress(
    conn: &Connection,
    id: &str,
    done: u32,
    filled: u32,
    suggested: u32,
    notes: &[JobNote],
    now: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE jobs SET done = ?2, filled = filled + ?3, suggested = suggested + ?4, notes = ?5, heartbeat_at = ?6 \
         WHERE id = ?1 AND state = 'running'",
        params![
            id,
            done,
            filled,
            suggested,
            serde_json::to_string(notes).unwrap_or_else(|_| "[]".into()),
            now
        ],
    )?;
    Ok(())
}

/// End a job (`from` is the state it must still be in, so a cancel is never overwritten).
pub fn finish(
    conn: &Connection,
    id: &str,
    from: &[JobState],
    to: JobState,
    error: Option<&str>,
    now: &str,
) -> Result<bool> {
    let mut n = 0;
    for f in from {
        n += conn.execute(
            "UPDATE jobs SET state = ?2, error = coalesce(?3, error), finished_at = ?4 WHERE id = ?1 AND state = ?5",
            params![id, to.as_str(), error, now, f.as_str()],
        )?;
    }
    Ok(n > 0)
}

/// Add a provenance row, unless the newest row of this person, field and source already
/// says the same (re-running a job adds nothing).
pub fn add_provenance(conn: &Connection, p: &Provenance) -> Result<()> {
    let value = p.value.to_string();
    let same: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM provenance WHERE seq = (SELECT max(seq) FROM provenance WHERE person_id = ?1 AND field = ?2 AND source = ?3) \
             AND value = ?4 AND kind = ?5",
            params![p.person_id, p.field, p.source, value, p.kind.as_str()],
            |r| r.get(0),
        )
        .optional()?;
    if same.is_some() {
        return Ok(());
    }
    conn.execute(
        "INSERT INTO provenance (person_id, field, value, source, confidence, kind, detail, job_id, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            p.person_id,
            p.field,
            value,
            p.source,
            p.confidence,
            p.kind.as_str(),
            p.detail.as_ref().map(Value::to_string),
            p.job_id,
            p.recorded_at
        ],
    )?;
    Ok(())
}

pub fn provenance(conn: &Connection, person_id: &str) -> Result<Vec<Provenance>> {
    let mut st = conn.prepare(
        "SELECT person_id, field, value, source, confidence, kind, detail, job_id, recorded_at FROM provenance WHERE person_id = ?1 ORDER BY seq",
    )?;
    let rows = st.query_map([person_id], |r| {
        let kind: String = r.get(5)?;
        let detail = json_col(r, 6)?;
        Ok(Provenance {
            person_id: r.get(0)?,
            field: r.get(1)?,
            value: json_col(r, 2)?,
            source: r.get(3)?,
            confidence: r.get(4)?,
            kind: ProvenanceKind::parse(&kind),
            detail: (!detail.is_null()).then_some(detail),
            job_id: r.get(7)?,
            recorded_at: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Insert a pending suggestion; `false` when this value was proposed before (whatever
/// the answer was), so a rejected value never comes back.
pub fn add_suggestion(conn: &Connection, s: &Suggestion) -> Result<bool> {
    let n = conn.execute(
        "INSERT OR IGNORE INTO suggestions (id, person_id, field, current_value, proposed_value, source, confidence, state, job_id, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8, ?9)",
        params![
            s.id,
            s.person_id,
            s.field,
            s.current_value.to_string(),
            s.proposed_value.to_string(),
            s.source,
            s.confidence,
            s.job_id,
            s.created_at
        ],
    )?;
    Ok(n > 0)
}

const SUGGESTION_COLS: &str = "id, person_id, field, current_value, proposed_value, source, confidence, state, job_id, created_at, decided_at";

fn suggestion_row(r: &Row) -> rusqlite::Result<Suggestion> {
    let state: String = r.get(7)?;
    Ok(Suggestion {
        id: r.get(0)?,
        person_id: r.get(1)?,
        field: r.get(2)?,
        current_value: json_col(r, 3)?,
        proposed_value: json_col(r, 4)?,
        source: r.get(5)?,
        confidence: r.get(6)?,
        state: SuggestionState::parse(&state),
        job_id: r.get(8)?,
        created_at: r.get(9)?,
        decided_at: r.get(10)?,
    })
}

pub fn suggestion(conn: &Connection, id: &str) -> Result<Option<Suggestion>> {
    Ok(conn
        .query_row(
            &format!("SELECT {SUGGESTION_COLS} FROM suggestions WHERE id = ?1"),
            [id],
            suggestion_row,
        )
        .optional()?)
}

/// Suggestions, oldest first; filtered by person and state when given. Pending ones of
/// the same field come highest confidence first.
pub fn suggestions(
    conn: &Connection,
    person_id: Option<&str>,
    state: Option<SuggestionState>,
) -> Result<Vec<Suggestion>> {
    let mut st = conn.prepare(&format!(
        "SELECT {SUGGESTION_COLS} FROM suggestions WHERE (?1 IS NULL OR person_id = ?1) AND (?2 IS NULL OR state = ?2) \
         ORDER BY person_id, field, confidence DESC, seq"
    ))?;
    let rows = st.query_map(
        params![person_id, state.map(SuggestionState::as_str)],
        suggestion_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn decide(conn: &Connection, id: &str, state: SuggestionState, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE suggestions SET state = ?2, decided_at = ?3 WHERE id = ?1 AND state = 'pending'",
        params![id, state.as_str(), now],
    )?;
    Ok(())
}

/// Reject the other pending suggestions of a field once one was accepted.
pub fn reject_rivals(conn: &Connection, s: &Suggestion, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE suggestions SET state = 'rejected', decided_at = ?4 WHERE person_id = ?1 AND field = ?2 AND id <> ?3 AND state = 'pending'",
        params![s.person_id, s.field, s.id, now],
    )?;
    Ok(())
}

pub fn add_history(conn: &Connection, h: &HistoryEntry) -> Result<()> {
    conn.execute(
        "INSERT INTO person_history (id, person_id, field, old_value, new_value, source, origin, job_id, suggestion_id, changed_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            h.id,
            h.person_id,
            h.field,
            h.old_value.to_string(),
            h.new_value.to_string(),
            h.source,
            h.origin,
            h.job_id,
            h.suggestion_id,
            h.changed_at
        ],
    )?;
    Ok(())
}

/// A person's history, oldest first.
pub fn history(conn: &Connection, person_id: &str) -> Result<Vec<HistoryEntry>> {
    let mut st = conn.prepare(
        "SELECT id, person_id, field, old_value, new_value, source, origin, job_id, suggestion_id, changed_at FROM person_history WHERE person_id = ?1 ORDER BY seq",
    )?;
    let rows = st.query_map([person_id], |r| {
        Ok(HistoryEntry {
            id: r.get(0)?,
            person_id: r.get(1)?,
            field: r.get(2)?,
            old_value: json_col(r, 3)?,
            new_value: json_col(r, 4)?,
            source: r.get(5)?,
            origin: r.get(6)?,
            job_id: r.get(7)?,
            suggestion_id: r.get(8)?,
            changed_at: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
