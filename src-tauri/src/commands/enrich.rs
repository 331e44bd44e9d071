//! Enrichment commands (queue a person or the people shown, jobs, cancel, suggestions,
//! history, provenance, the endpoint setting) and the typed event that carries the
//! engine's progress to the window. Each command is one call on [`carnet_enrich::Engine`].

use std::collections::HashMap;
use std::time::{Duration, Instant};

use carnet_core::model::PeopleQuery;
use carnet_enrich::{
    Engine, EnqueuedJob, EnrichEvent, EnrichSettings, HistoryEntry, Job, JobTarget, Provenance,
    Suggestion, SuggestionState,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use tauri_specta::Event;

use crate::error::CmdResult;
use crate::state::AppState;

/// The engine's events as one Tauri event (`enrich-progress`); progress of one job is
/// sent at most every [`PROGRESS_EVERY`], lifecycle events at once.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct EnrichProgress(pub EnrichEvent);

/// The least time between two progress events of one job.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Forwards the engine's events to the window until the engine is dropped.
pub async fn forward_events(app: AppHandle, engine: Engine) {
    let mut rx = engine.subscribe();
    let mut last: HashMap<String, Instant> = HashMap::new();
    loop {
        let event = match rx.recv().await {
            Ok(e) => e,
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
        };
        match &event {
            EnrichEvent::JobProgress {
                job_id,
                done,
                total,
                ..
            } if done < total => {
                let now = Instant::now();
                if last
                    .get(job_id)
                    .is_some_and(|t| now.duration_since(*t) < PROGRESS_EVERY)
                {
                    continue;
                }
                last.insert(job_id.clone(), now);
            }
            EnrichEvent::JobFinished { job } => {
                last.remove(&job.id);
            }
            _ => {}
        }
        let _ = EnrichProgress(event).emit(&app);
    }
}

/// Queue one person's enrichment; returns at once.
#[tauri::command]
#[specta::specta]
pub async fn enrich_person(
    state: State<'_, AppState>,
    person_id: String,
) -> CmdResult<EnqueuedJob> {
    Ok(state.enrich.enqueue_person(&person_id)?)
}

/// Queue the enrichment of the people a list query shows (its search and filters).
#[tauri::command]
#[specta::specta]
pub async fn enrich_shown(state: State<'_, AppState>, query: PeopleQuery) -> CmdResult<Job> {
    Ok(state.enrich.enqueue(JobTarget::Query(query))?)
}

/// Jobs, newest first.
#[tauri::command]
#[specta::specta]
pub async fn enrich_jobs(state: State<'_, AppState>, limit: u32) -> CmdResult<Vec<Job>> {
    Ok(state.enrich.jobs(None, limit)?)
}

#[tauri::command]
#[specta::specta]
pub async fn enrich_cancel(state: State<'_, AppState>, job_id: String) -> CmdResult<Job> {
    Ok(state.enrich.cancel(&job_id)?)
}

/// Pending suggestions of one person, or of everyone when `person_id` is null.
#[tauri::command]
#[specta::specta]
pub async fn enrich_suggestions(
    state: State<'_, AppState>,
    person_id: Option<String>,
) -> CmdResult<Vec<Suggestion>> {
    Ok(state
        .enrich
        .suggestions(person_id.as_deref(), Some(SuggestionState::Pending))?)
}

#[tauri::command]
#[specta::specta]
pub async fn enrich_accept(state: State<'_, AppState>, id: String) -> CmdResult<Suggestion> {
    Ok(state.enrich.accept_suggestion(&id)?)
}

#[tauri::command]
#[specta::specta]
pub async fn enrich_reject(state: State<'_, AppState>, id: String) -> CmdResult<Suggestion> {
    Ok(state.enrich.reject_suggestion(&id)?)
}

/// Accept every pending suggestion of a person (per field the most confident).
#[tauri::command]
#[specta::specta]
pub async fn enrich_accept_all(
    state: State<'_, AppState>,
    person_id: String,
) -> CmdResult<Vec<Suggestion>> {
    Ok(state.enrich.accept_all(&person_id)?)
}

#[tauri::command]
#[specta::specta]
pub async fn enrich_reject_all(
    state: State<'_, AppState>,
    person_id: String,
) -> CmdResult<Vec<Suggestion>> {
    Ok(state.enrich.reject_all(&person_id)?)
}

/// What enrichment changed on a person.
#[tauri::command]
#[specta::specta]
pub async fn enrich_history(
    state: State<'_, AppState>,
    person_id: String,
) -> CmdResult<Vec<HistoryEntry>> {
    Ok(state.enrich.history(&person_id)?)
}

/// Where a person's enriched values came from (source, time, confidence).
#[tauri::command]
#[specta::specta]
pub async fn enrich_provenance(
    state: State<'_, AppState>,
    person_id: String,
) -> CmdResult<Vec<Provenance>> {
    Ok(state.enrich.provenance(&person_id)?)
}

#[tauri::command]
#[specta::specta]
pub async fn enrich_settings(state: State<'_, AppState>) -> CmdResult<EnrichSettings> {
    Ok(state.enrich.settings()?)
}

/// Set the HTTP enrichment endpoint, or clear it with null. Its token is read from
/// `CARNET_ENRICH_TOKEN` when the app starts and never crosses IPC.
#[tauri::command]
#[specta::specta]
pub async fn enrich_set_endpoint(
    state: State<'_, AppState>,
    url: Option<String>,
) -> CmdResult<EnrichSettings> {
    Ok(state.enrich.set_endpoint_url(url.as_deref())?)
}
