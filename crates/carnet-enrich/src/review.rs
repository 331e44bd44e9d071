//! Review and reading, on a plain `&mut Store`: suggestions (list, accept, reject,
//! accept all), a person's history and provenance, jobs (list, show, cancel) and the
//! enrichment settings. No runtime needed, so the CLI and the desktop app call these
//! directly; [`crate::Engine`] wraps them to also emit events.

use carnet_core::{Error, Result, Store};
use rusqlite::params;

use crate::db;
use crate::model::{
    EnrichSettings, HistoryEntry, Job, JobState, Provenance, Suggestion, SuggestionState,
};

/// Settings key of the user's enrichment endpoint URL.
pub const ENDPOINT_URL_KEY: &str = "enrich.endpoint_url";

/// Suggestions, filtered by person and state (`None`: all states).
pub fn suggestions(
    store: &Store,
    person_id: Option<&str>,
    state: Option<SuggestionState>,
) -> Result<Vec<Suggestion>> {
    db::suggestions(store.connection(), person_id, state)
}

fn pending(store: &Store, id: &str) -> Result<Suggestion> {
    let s = db::suggestion(store.connection(), id)?
        .ok_or_else(|| Error::not_found("suggestion", id))?;
    if s.state != SuggestionState::Pending {
        return Err(Error::validation(
            "id",
            format!("suggestion {id} was already {}", s.state.as_str()),
        ));
    }
    Ok(s)
}

/// Accept a suggestion: its value replaces the current one (through core's rules), the
/// history records the change, other pending suggestions for the field are rejected.
pub fn accept(store: &mut Store, id: &str) -> Result<Suggestion> {
    let s = pending(store, id)?;
    crate::apply::accept_in(store, &s)?;
    reload(store, id)
}

/// Reject a suggestion: nothing changes, and the value is not proposed again.
pub fn reject(store: &mut Store, id: &str) -> Result<Suggestion> {
    pending(store, id)?;
    let now = carnet_core::db::now();
    store.transaction(|tx| db::decide(tx, id, SuggestionState::Rejected, &now))?;
    reload(store, id)
}

/// Accept every pending suggestion of a person: per field the most confident one
/// (the others are rejected). Stops at the first that a rule refuses.
pub fn accept_all(store: &mut Store, person_id: &str) -> Result<Vec<Suggestion>> {
    store.get_person(person_id)?;
    let mut out = Vec::new();
    loop {
        let next = db::suggestions(
            store.connection(),
            Some(person_id),
            Some(SuggestionState::Pending),
        )?
        .into_iter()
        .next();
        let Some(s) = next else { break };
        out.push(accept(store, &s.id)?);
    }
    Ok(out)
}

/// Reject every pending suggestion of a person.
pub fn reject_all(store: &mut Store, person_id: &str) -> Result<Vec<Suggestion>> {
    let list = db::suggestions(
        store.connection(),
        Some(person_id),
        Some(SuggestionState::Pending),
    )?;
    let mut out = Vec::new();
    for s in list {
        out.push(reject(store, &s.id)?);
    }
    Ok(out)
}

fn reload(store: &Store, id: &str) -> Result<Suggestion> {
    db::suggestion(store.connection(), id)?.ok_or_else(|| Error::not_found("suggestion", id))
}

/// What enrichment changed on a person, oldest first.
pub fn history(store: &Store, person_id: &str) -> Result<Vec<HistoryEntry>> {
    store.get_person(person_id)?;
    db::history(store.connection(), person_id)
}

/// Where a person's enriched values, facts and flags came from, oldest first.
pub fn provenance(store: &Store, person_id: &str) -> Result<Vec<Provenance>> {
    store.get_person(person_id)?;
    db::provenance(store.connection(), person_id)
}

/// One job.
pub fn job(store: &Store, id: &str) -> Result<Job> {
    db::job(store.connection(), id)?.ok_or_else(|| Error::not_found("job", id))
}

/// Jobs, newest first (at most `limit`).
pub fn jobs(store: &Store, state: Option<JobState>, limit: u32) -> Result<Vec<Job>> {
    db::jobs(store.connection(), state, limit)
}

/// Cancel a queued or running job. A running job stops before its next person (its
/// worker checks the row, so this works from another process too).
pub fn cancel(store: &mut Store, id: &str) -> Result<Job> {
    let j = job(store, id)?;
    if j.state.is_final() {
        return Err(Error::validation(
            "id",
            format!("job {id} is already {}", j.state.as_str()),
        ));
    }
    let now = carnet_core::db::now();
    store.transaction(|tx| {
        db::finish(
            tx,
            id,
            &[JobState::Queued, JobState::Running],
            JobState::Cancelled,
            None,
            &now,
        )
    })?;
    job(store, id)
}

/// The enrichment settings.
pub fn settings(store: &Store) -> Result<EnrichSettings> {
    Ok(EnrichSettings {
        endpoint_url: store.setting(ENDPOINT_URL_KEY)?,
    })
}

/// Set (or with `None`, clear) the user's enrichment endpoint. Must be an http(s) URL;
/// a token never goes here (pass it to the engine from the keychain or environment).
pub fn set_endpoint_url(store: &mut Store, url: Option<&str>) -> Result<EnrichSettings> {
    match url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => {
            carnet_core::validate::url(u).map_err(|m| Error::validation("endpointUrl", m))?;
            if !(u.starts_with("http://") || u.starts_with("https://")) {
                return Err(Error::validation(
                    "endpointUrl",
                    "must start with http:// or https://",
                ));
            }
            store.transaction(|tx| {
                tx.execute(
                    "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    params![ENDPOINT_URL_KEY, u],
                )?;
                Ok(())
            })?;
        }
        None => {
            store.transaction(|tx| {
                tx.execute("DELETE FROM settings WHERE key = ?1", [ENDPOINT_URL_KEY])?;
                Ok(())
            })?;
        }
    }
    settings(store)
}
