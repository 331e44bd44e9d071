//! The review and settings half of [`Engine`]'s API, for the desktop app: thin wrappers
//! over [`crate::review`] that lock the engine's store and emit `personChanged` when a
//! person changes, so the UI refreshes without polling.

use carnet_core::Result;

use crate::model::{
    EnrichEvent, EnrichSettings, HistoryEntry, Job, JobState, Provenance, Suggestion,
    SuggestionState,
};
use crate::review;
use crate::Engine;

impl Engine {
    /// Jobs, newest first.
    pub fn jobs(&self, state: Option<JobState>, limit: u32) -> Result<Vec<Job>> {
        self.with_store(|s| review::jobs(s, state, limit))
    }

    /// Suggestions of a person (or everyone), `state` `None` for all states.
    pub fn suggestions(
        &self,
        person_id: Option<&str>,
        state: Option<SuggestionState>,
    ) -> Result<Vec<Suggestion>> {
        self.with_store(|s| review::suggestions(s, person_id, state))
    }

    /// Accept a suggestion: its value replaces the current one.
    pub fn accept_suggestion(&self, id: &str) -> Result<Suggestion> {
        let s = self.with_store(|st| review::accept(st, id))?;
        self.emit(EnrichEvent::PersonChanged {
            person_id: s.person_id.clone(),
        });
        Ok(s)
    }

    /// Reject a suggestion: nothing changes and the value is not proposed again.
    pub fn reject_suggestion(&self, id: &str) -> Result<Suggestion> {
        self.with_store(|st| review::reject(st, id))
    }

    /// Accept every pending suggestion of a person (per field the most confident).
    pub fn accept_all(&self, person_id: &str) -> Result<Vec<Suggestion>> {
        let list = self.with_store(|st| review::accept_all(st, person_id))?;
        self.emit(EnrichEvent::PersonChanged {
            person_id: person_id.to_string(),
        });
        Ok(list)
    }

    /// Reject every pending suggestion of a person.
    pub fn reject_all(&self, person_id: &str) -> Result<Vec<Suggestion>> {
        self.with_store(|st| review::reject_all(st, person_id))
    }

    /// What enrichment changed on a person.
    pub fn history(&self, person_id: &str) -> Result<Vec<HistoryEntry>> {
        self.with_store(|s| review::history(s, person_id))
    }

    /// Where a person's enriched values, facts and flags came from.
    pub fn provenance(&self, person_id: &str) -> Result<Vec<Provenance>> {
        self.with_store(|s| review::provenance(s, person_id))
    }

    /// The enrichment settings.
    pub fn settings(&self) -> Result<EnrichSettings> {
        self.with_store(|s| review::settings(s))
    }

    /// Set (or clear) the HTTP enrichment endpoint URL.
    pub fn set_endpoint_url(&self, url: Option<&str>) -> Result<EnrichSettings> {
        self.with_store(|s| review::set_endpoint_url(s, url))
    }
}
